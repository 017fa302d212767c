// Log Analytics workspace and the Container Apps environment that ships its logs there.

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
