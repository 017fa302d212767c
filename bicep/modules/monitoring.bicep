// Log Analytics workspace, the Container Apps environment that ships its logs there, and a workspace-based
// Application Insights resource that the service's OpenTelemetry export writes to (traces, metrics, logs) when
// APPLICATIONINSIGHTS_CONNECTION_STRING is set, which main.bicep does for every app.

@description('Azure region.')
param location string

@description('Name prefix, e.g. mp-dev.')
param prefix string

@description('Tags for every resource.')
param tags object

@description('Subnet delegated to Microsoft.App/environments.')
param infrastructureSubnetId string

@description('Days of log retention.')
@minValue(30)
@maxValue(730)
param logRetentionDays int

@description('Spread replicas over availability zones (needs a region with zones).')
param zoneRedundant bool

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${prefix}-logs'
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: logRetentionDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${prefix}-appinsights'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    // Workspace-based: telemetry lands in the Log Analytics workspace above, with its retention.
    WorkspaceResourceId: logs.id
    IngestionMode: 'LogAnalytics'
    RetentionInDays: logRetentionDays
  }
}

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: '${prefix}-env'
  location: location
  tags: tags
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: logs.properties.customerId
        sharedKey: logs.listKeys().primarySharedKey
      }
    }
    vnetConfiguration: {
      infrastructureSubnetId: infrastructureSubnetId
      internal: false
    }
    workloadProfiles: [
      {
        name: 'Consumption'
        workloadProfileType: 'Consumption'
      }
    ]
    zoneRedundant: zoneRedundant
  }
}

output environmentId string = environment.id
output environmentDefaultDomain string = environment.properties.defaultDomain
output logAnalyticsWorkspaceId string = logs.id
// Not a secret (it identifies where to send telemetry, it grants no read access); passed as a plain app setting.
output appInsightsConnectionString string = appInsights.properties.ConnectionString
output appInsightsId string = appInsights.id
