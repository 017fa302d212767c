// Storage account whose queues carry the durable Orleans streams (Azure Queue stream provider: the same
// provider the Cluster profile runs against Azurite in the tests). Shared-key access is disabled: the apps
// authenticate with their managed identity (ConnectionStrings__queues is the queue endpoint URI).

@description('Azure region.')
param location string

@description('Storage account name (3-24 lowercase letters and digits, globally unique).')
@minLength(3)
@maxLength(24)
param name string

@description('Tags for every resource.')
param tags object

@description('Zone-redundant storage in production, locally redundant elsewhere.')
param zoneRedundant bool

@description('Resource id of the apps\' user-assigned identity (stable seed for role assignment names).')
param appIdentityId string

@description('Principal id of the apps\' user-assigned identity.')
param appPrincipalId string

// Storage Queue Data Contributor: create the stream queues, put, get and delete messages. Nothing more.
var queueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: zoneRedundant ? 'Standard_ZRS' : 'Standard_LRS'
  }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
  }
}

resource roleAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, appIdentityId, queueDataContributor)
  scope: account
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', queueDataContributor)
  }
}

output queueEndpoint string = account.properties.primaryEndpoints.queue
