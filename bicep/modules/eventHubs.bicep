// Event Hubs namespace and hub carrying the durable Orleans streams when main.bicep's streamsProvider is
// 'EventHubs' (Orleans' Event Hubs stream provider, MarketPulse:Streams:Provider=EventHubs). Local (key)
// authentication is disabled: the apps sign in with their managed identity, and ConnectionStrings__eventhubs
// is the namespace endpoint, not a connection string. Read positions (checkpoints) are kept in the grain
// storage (Redis), so no Storage account is needed for them.

@description('Azure region.')
param location string

@description('Namespace name (6-50 letters, digits and hyphens, globally unique).')
@minLength(6)
@maxLength(50)
param name string

@description('Tags for every resource.')
param tags object

@description('Partitions of the hub: the silos share them out, so more partitions spread reading over more silos. Fixed once the hub exists (Standard tier).')
@minValue(1)
@maxValue(32)
param partitionCount int

@description('Throughput units (each 1 MB/s or 1000 events/s in, 2 MB/s out).')
@minValue(1)
@maxValue(40)
param throughputUnits int

@description('Let the namespace add throughput units under load, up to this many (0: fixed at throughputUnits).')
@minValue(0)
@maxValue(40)
param maximumThroughputUnits int

@description('Days the hub keeps events (Standard: at most 7): how long silos may be down without losing unread batches.')
@minValue(1)
@maxValue(7)
param retentionDays int

@description('Hub (entity) name, MarketPulse:Streams:EventHubs:Hub.')
param hubName string

@description('Consumer group the silos read with, MarketPulse:Streams:EventHubs:ConsumerGroup.')
param consumerGroupName string

@description('Resource id of the apps\' user-assigned identity (stable seed for role assignment names).')
param appIdentityId string

@description('Principal id of the apps\' user-assigned identity.')
param appPrincipalId string

// Sources publish (Data Sender) and silos read every partition of the hub (Data Receiver); both on the hub only.
var roles = [
  '2b629674-e913-4c01-ae53-ef4638d8f975' // Azure Event Hubs Data Sender
  'a638d3c7-ab3a-418d-83e6-5f17a39d4fde' // Azure Event Hubs Data Receiver
]

resource namespace 'Microsoft.EventHub/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
    capacity: throughputUnits
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
    isAutoInflateEnabled: maximumThroughputUnits > throughputUnits
    maximumThroughputUnits: maximumThroughputUnits > throughputUnits ? maximumThroughputUnits : 0
  }
}

resource hub 'Microsoft.EventHub/namespaces/eventhubs@2024-01-01' = {
  parent: namespace
  name: hubName
  properties: {
    partitionCount: partitionCount
    messageRetentionInDays: retentionDays
  }
}

resource consumerGroup 'Microsoft.EventHub/namespaces/eventhubs/consumergroups@2024-01-01' = {
  parent: hub
  name: consumerGroupName
  properties: {
    userMetadata: 'MarketPulse silos (Orleans Event Hubs stream provider)'
  }
}

resource roleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in roles: {
    name: guid(hub.id, appIdentityId, role)
    scope: hub
    properties: {
      principalId: appPrincipalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    }
  }
]

// https://<name>.servicebus.windows.net:443/ : the service takes the host and signs in with the identity.
output endpoint string = namespace.properties.serviceBusEndpoint
output hubName string = hub.name
output consumerGroupName string = consumerGroup.name
