// Production: 3 silos (one per availability zone in a zone-redundant environment), at least
// two gateway replicas, Standard Redis, zone-redundant PostgreSQL.
using '../main.bicep'

param environmentName = 'prod'
// The team's registry (created once, outside this deployment); CI passes its name.
param containerRegistryName = readEnvironmentVariable('MARKETPULSE_ACR_NAME', 'marketpulseacr')
param imageTag = readEnvironmentVariable('MARKETPULSE_IMAGE_TAG')
param siloCount = 3
param gatewayMinReplicas = 2
param gatewayMaxReplicas = 10
param gatewayConcurrentRequests = 100
param streamQueueCount = 16
// AzureQueue (default) or EventHubs; see docs/operations.md, "Event Hubs streams".
param streamsProvider = readEnvironmentVariable('MARKETPULSE_STREAMS_PROVIDER', 'AzureQueue')
param eventHubPartitions = 16
param postgresAdminLogin = 'marketpulse'
param postgresAdminPassword = readEnvironmentVariable('MARKETPULSE_POSTGRES_ADMIN_PASSWORD')
param bootstrapApiKey = readEnvironmentVariable('MARKETPULSE_BOOTSTRAP_API_KEY', '')
