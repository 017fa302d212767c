// Development: 2 small silos, one gateway replica, Basic Redis, burstable PostgreSQL.
// Secrets come from the environment of whoever deploys (CI: GitHub environment secrets).
using '../main.bicep'

param environmentName = 'dev'
// The team's registry (created once, outside this deployment); CI passes its name.
param containerRegistryName = readEnvironmentVariable('MARKETPULSE_ACR_NAME', 'marketpulseacr')
param imageTag = readEnvironmentVariable('MARKETPULSE_IMAGE_TAG')
param siloCount = 2
param gatewayMinReplicas = 1
param gatewayMaxReplicas = 3
param streamQueueCount = 4
// AzureQueue (default) or EventHubs; see docs/operations.md, "Event Hubs streams".
param streamsProvider = readEnvironmentVariable('MARKETPULSE_STREAMS_PROVIDER', 'AzureQueue')
param eventHubPartitions = 4
param postgresAdminLogin = 'marketpulse'
param postgresAdminPassword = readEnvironmentVariable('MARKETPULSE_POSTGRES_ADMIN_PASSWORD')
param bootstrapApiKey = readEnvironmentVariable('MARKETPULSE_BOOTSTRAP_API_KEY', '')
