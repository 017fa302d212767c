// AcrPull for the apps' identity on an existing registry, which may live in another
// resource group (deploy this module at the registry's resource group scope).

@description('Existing Azure Container Registry name.')
param registryName string

@description('Resource id of the apps\' user-assigned identity (stable seed for role assignment names).')
param appIdentityId string

@description('Principal id of the apps\' user-assigned identity.')
param appPrincipalId string

var acrPullRoleId = '7f951dde-31dc-4198-8fd3-46ab0f92cb5a'

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' existing = {
  name: registryName
}

resource acrPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, appIdentityId, acrPullRoleId)
  scope: registry
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', acrPullRoleId)
  }
}

output loginServer string = registry.properties.loginServer
