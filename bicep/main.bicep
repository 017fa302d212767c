// MarketPulse on Azure Container Apps: N silo apps (one replica each) + a gateway app, with
// durable streams on Azure Queue storage or Event Hubs (streamsProvider), Azure Cache for Redis
// (clustering + grain state, stream checkpoints with Event Hubs), PostgreSQL flexible server (history
// store), Key Vault (API keys, connection strings), Log Analytics with Application Insights, an Azure
// Monitor workspace with the service's Prometheus rules, and one user-assigned identity for everything
// the apps reach.
//
//   az deployment group create -g <rg> -f bicep/main.bicep -p bicep/parameters/dev.bicepparam
//
// See docs/operations.md for prerequisites, first deployment and operations.
targetScope = 'resourceGroup'

@description('Azure region for every resource.')
param location string = resourceGroup().location

@description('Deployment environment; picks the sizing below.')
@allowed([
  'dev'
  'prod'
])
param environmentName string

@description('Short prefix for resource names.')
@minLength(2)
@maxLength(8)
param namePrefix string = 'mp'

@description('Existing Azure Container Registry holding the image.')
param containerRegistryName string

@description('Resource group of that registry (defaults to this one).')
param containerRegistryResourceGroup string = resourceGroup().name

@description('Image repository in the registry.')
param imageRepository string = 'marketpulse'

@description('Image tag to run (CI uses the commit SHA).')
param imageTag string

@description('Number of silo apps. Each is its own Container App with one replica and its own Orleans port pair.')
@minValue(1)
@maxValue(20)
param siloCount int = 2

@description('Gateway replicas kept warm (never zero).')
@minValue(1)
param gatewayMinReplicas int = 1

@description('Gateway replicas at most.')
@minValue(1)
@maxValue(30)
param gatewayMaxReplicas int = 5

@description('Concurrent HTTP requests per gateway replica before scaling out.')
@minValue(1)
param gatewayConcurrentRequests int = 50

@description('Key Vault secret names of the API keys, in MarketPulse:Api:Keys order. The secrets must exist (see bootstrapApiKey).')
@minLength(1)
param apiKeySecretNames array = [
  'api-key-0'
]

@description('First deployment only: value written to the first API key secret. Leave empty on later deployments so rotated keys stay.')
@secure()
param bootstrapApiKey string = ''

@description('PostgreSQL administrator login.')
param postgresAdminLogin string

@description('PostgreSQL administrator password.')
@secure()
param postgresAdminPassword string

@description('Durable stream provider: Azure Queue storage (the provider the tests run end to end) or Event Hubs (a partitioned log for feeds beyond a few thousand batches per second). Switch with ingestion stopped: batches still queued in the old provider are not read by the new one.')
@allowed([
  'AzureQueue'
  'EventHubs'
])
param streamsProvider string = 'AzureQueue'

@description('AzureQueue: queues (partitions) of the durable stream provider; every silo reads a share of them.')
@minValue(2)
@maxValue(64)
param streamQueueCount int = 8

@description('EventHubs: partitions of the hub; every silo reads a share of them. Fixed once the hub exists.')
@minValue(2)
@maxValue(32)
param eventHubPartitions int = 8

@description('Action group (resource id) that the Azure Monitor Prometheus alerts notify; empty: none.')
param alertActionGroupId string = ''

@description('Extra tags for every resource.')
param tags object = {}

var prefix = '${namePrefix}-${environmentName}'
var suffix = take(uniqueString(resourceGroup().id), 6)
var allTags = union(tags, {
  application: 'marketpulse'
  environment: environmentName
})
var isProd = environmentName == 'prod'
var useEventHubs = streamsProvider == 'EventHubs'
var eventHubName = 'marketpulse'
var eventHubConsumerGroup = 'silos'
var keyVaultName = '${namePrefix}${environmentName}kv${suffix}'

// Orleans port pairs: silo i gets 11111+i / 30000+i, so every silo's ports differ, as they
// must when the environment may place silos side by side.
var baseSiloPort = 11111
var baseGatewayPort = 30000

var sizing = isProd
  ? {
      siloCpu: '2.0'
      siloMemory: '4Gi'
      gatewayCpu: '1.0'
      gatewayMemory: '2Gi'
      redisSku: { name: 'Standard', family: 'C', capacity: 1 }
      postgresSku: { name: 'Standard_D2ds_v5', tier: 'GeneralPurpose' }
      postgresStorageGB: 128
      postgresBackupDays: 35
      logRetentionDays: 90
      eventHubsThroughputUnits: 2
      eventHubsMaxThroughputUnits: 10
      eventHubsRetentionDays: 7
    }
  : {
      siloCpu: '1.0'
      siloMemory: '2Gi'
      gatewayCpu: '0.5'
      gatewayMemory: '1Gi'
      redisSku: { name: 'Basic', family: 'C', capacity: 0 }
      postgresSku: { name: 'Standard_B1ms', tier: 'Burstable' }
      postgresStorageGB: 32
      postgresBackupDays: 7
      logRetentionDays: 30
      eventHubsThroughputUnits: 1
      eventHubsMaxThroughputUnits: 0
      eventHubsRetentionDays: 1
    }

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${prefix}-id'
  location: location
  tags: allTags
}

module network 'modules/network.bicep' = {
  name: 'network'
  params: {
    location: location
    prefix: prefix
    tags: allTags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    prefix: prefix
    tags: allTags
    infrastructureSubnetId: network.outputs.containerAppsSubnetId
    logRetentionDays: sizing.logRetentionDays
    zoneRedundant: isProd
  }
}

module keyVault 'modules/keyVault.bicep' = {
  name: 'keyVault'
  params: {
    location: location
    name: keyVaultName
    tags: allTags
    appIdentityId: identity.id
    appPrincipalId: identity.properties.principalId
    enablePurgeProtection: isProd
    firstApiKeySecretName: apiKeySecretNames[0]
    bootstrapApiKey: bootstrapApiKey
  }
}

module acrPull 'modules/acrPull.bicep' = {
  name: 'acrPull'
  scope: resourceGroup(containerRegistryResourceGroup)
  params: {
    registryName: containerRegistryName
    appIdentityId: identity.id
    appPrincipalId: identity.properties.principalId
  }
}

module streamQueues 'modules/streamQueues.bicep' = if (!useEventHubs) {
  name: 'streamQueues'
  params: {
    location: location
    name: take('${namePrefix}${environmentName}q${suffix}', 24)
    tags: allTags
    zoneRedundant: isProd
    appIdentityId: identity.id
    appPrincipalId: identity.properties.principalId
  }
}

module eventHubs 'modules/eventHubs.bicep' = if (useEventHubs) {
  name: 'eventHubs'
  params: {
    location: location
    name: '${prefix}-eh-${suffix}'
    tags: allTags
    partitionCount: eventHubPartitions
    throughputUnits: sizing.eventHubsThroughputUnits
    maximumThroughputUnits: sizing.eventHubsMaxThroughputUnits
    retentionDays: sizing.eventHubsRetentionDays
    hubName: eventHubName
    consumerGroupName: eventHubConsumerGroup
    appIdentityId: identity.id
    appPrincipalId: identity.properties.principalId
  }
}

module prometheusAlerts 'modules/prometheusAlerts.bicep' = {
  name: 'prometheusAlerts'
  params: {
    location: location
    prefix: prefix
    tags: allTags
    actionGroupId: alertActionGroupId
  }
}

module redis 'modules/redis.bicep' = {
  name: 'redis'
  params: {
    location: location
    name: '${prefix}-redis-${suffix}'
    tags: allTags
    sku: sizing.redisSku
    keyVaultName: keyVaultName
  }
  dependsOn: [
    keyVault
  ]
}

module postgres 'modules/postgres.bicep' = {
  name: 'postgres'
  params: {
    location: location
    name: '${prefix}-pg-${suffix}'
    tags: allTags
    delegatedSubnetId: network.outputs.postgresSubnetId
    vnetId: network.outputs.vnetId
    administratorLogin: postgresAdminLogin
    administratorPassword: postgresAdminPassword
    sku: sizing.postgresSku
    storageSizeGB: sizing.postgresStorageGB
    highAvailability: isProd
    backupRetentionDays: sizing.postgresBackupDays
    keyVaultName: keyVaultName
  }
  dependsOn: [
    keyVault
  ]
}

// The apps reference acrPull's and keyVault's outputs, so the AcrPull and Key Vault Secrets
// User role assignments exist before the first revision pulls the image and resolves secrets.
var image = '${acrPull.outputs.loginServer}/${imageRepository}:${imageTag}'

// Container Apps secrets resolved from Key Vault with the identity; a new secret version is
// picked up on the next revision restart (docs/operations.md, "Rotate API keys").
var sharedSecrets = [
  {
    name: 'redis-connection'
    keyVaultUrl: '${keyVault.outputs.uri}secrets/${redis.outputs.secretName}'
    identity: identity.id
  }
  {
    name: 'postgres-connection'
    keyVaultUrl: '${keyVault.outputs.uri}secrets/${postgres.outputs.secretName}'
    identity: identity.id
  }
]

// Stream provider settings. Endpoints, no keys: the service authenticates with the managed identity below.
var streamEnv = useEventHubs
  ? [
      { name: 'MarketPulse__Streams__Provider', value: 'EventHubs' }
      { name: 'ConnectionStrings__eventhubs', value: eventHubs!.outputs.endpoint }
      { name: 'MarketPulse__Streams__EventHubs__Hub', value: eventHubs!.outputs.hubName }
      { name: 'MarketPulse__Streams__EventHubs__ConsumerGroup', value: eventHubs!.outputs.consumerGroupName }
    ]
  : [
      { name: 'MarketPulse__Streams__Provider', value: 'AzureQueue' }
      { name: 'ConnectionStrings__queues', value: streamQueues!.outputs.queueEndpoint }
      { name: 'MarketPulse__Streams__Queues', value: string(streamQueueCount) }
    ]

// The configuration contract (docs/operations.md), as ASP.NET Core environment variables.
var sharedEnv = concat(
  [
    { name: 'MarketPulse__Profile', value: 'Cluster' }
    { name: 'ConnectionStrings__redis', secretRef: 'redis-connection' }
    { name: 'ConnectionStrings__postgres', secretRef: 'postgres-connection' }
    // DefaultAzureCredential / ManagedIdentityCredential pick the user-assigned identity by this.
    { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
    // The service's OpenTelemetry export to Application Insights switches on when this is set.
    { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: monitoring.outputs.appInsightsConnectionString }
  ],
  streamEnv
)

module silos 'modules/siloApp.bicep' = [
  for i in range(0, siloCount): {
    name: 'silo-${i}'
    params: {
      location: location
      name: '${prefix}-silo-${i}'
      tags: allTags
      environmentId: monitoring.outputs.environmentId
      image: image
      registryServer: acrPull.outputs.loginServer
      identityId: identity.id
      siloPort: baseSiloPort + i
      gatewayPort: baseGatewayPort + i
      env: sharedEnv
      secrets: sharedSecrets
      cpu: sizing.siloCpu
      memory: sizing.siloMemory
    }
  }
]

module gateway 'modules/gatewayApp.bicep' = {
  name: 'gateway'
  params: {
    location: location
    name: '${prefix}-gateway'
    tags: allTags
    environmentId: monitoring.outputs.environmentId
    image: image
    registryServer: acrPull.outputs.loginServer
    identityId: identity.id
    env: sharedEnv
    secrets: sharedSecrets
    apiKeySecretNames: apiKeySecretNames
    keyVaultUri: keyVault.outputs.uri
    minReplicas: gatewayMinReplicas
    maxReplicas: max(gatewayMinReplicas, gatewayMaxReplicas)
    concurrentRequests: gatewayConcurrentRequests
    cpu: sizing.gatewayCpu
    memory: sizing.gatewayMemory
  }
  // Silos first: a gateway revision that starts before any silo only fails its readiness probe.
  dependsOn: [
    silos
  ]
}

output gatewayUrl string = 'https://${gateway.outputs.fqdn}'
output keyVaultName string = keyVault.outputs.name
output identityClientId string = identity.properties.clientId
output siloApps array = [for i in range(0, siloCount): silos[i].outputs.name]
output logAnalyticsWorkspaceId string = monitoring.outputs.logAnalyticsWorkspaceId
output applicationInsightsId string = monitoring.outputs.appInsightsId
output prometheusWorkspaceId string = prometheusAlerts.outputs.workspaceId
output streamsProvider string = streamsProvider
