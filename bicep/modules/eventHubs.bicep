// Event Hubs namespace and hub behind the durable Orleans stream provider. Local (SAS) auth
// is disabled: the apps authenticate with their managed identity.

@description('Azure region.')
param location string

@description('Namespace name (globally unique).')
param namespaceName string

@description('Tags for every resource.')
param tags object

@description('Hub carrying the ticks/texts streams.')
param hubName string

@description('Partitions of the hub; Orleans spreads stream queues over them. Cannot be lowered later.')
@minValue(2)
@maxValue(32)
param partitionCount int

@description('Throughput units of the Standard namespace.')
@minValue(1)
@maxValue(40)
param capacity int

@description('Resource id of the apps\' user-assigned identity (stable seed for role assignment names).')
param appIdentityId string

@description('Principal id of the apps\' user-assigned identity.')
param appPrincipalId string

// Data Sender + Data Receiver is what a stream provider does (publish, read, list partitions);
// Data Owner would add nothing the service uses, so it is not granted (least privilege).
var roles = {
  sender: '2b629674-e913-4c01-ae53-ef4638d8f975' // Azure Event Hubs Data Sender
  receiver: 'a638d3c7-ab3a-418d-83e6-5f17a39d4fde' // Azure Event Hubs Data Receiver
}

resource namespace 'Microsoft.EventHub/namespaces@2024-01-01' = {
  name: namespaceName
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
    capacity: capacity
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

resource hub 'Microsoft.EventHub/namespaces/eventhubs@2024-01-01' = {
  parent: namespace
  name: hubName
  properties: {
    partitionCount: partitionCount
    messageRetentionInDays: 1
  }
}

resource consumerGroup 'Microsoft.EventHub/namespaces/eventhubs/consumergroups@2024-01-01' = {
  parent: hub
  name: 'orleans'
}

resource roleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in items(roles): {
    name: guid(namespace.id, appIdentityId, role.value)
    scope: namespace
    properties: {
      principalId: appPrincipalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.value)
    }
  }
]

// Identity-based: an endpoint and entity path, no key. sb:// is the scheme the Event Hubs SDK expects.
output connectionString string = 'Endpoint=${replace(replace(namespace.properties.serviceBusEndpoint, 'https://', 'sb://'), ':443/', '/')};EntityPath=${hub.name}'
output consumerGroup string = consumerGroup.name
