// Key Vault (RBAC mode) holding the API keys and connection strings the apps read as
// Container Apps secrets (keyVaultUrl + managed identity), plus the identity's read access.

@description('Azure region.')
param location string

@description('Vault name (3-24 characters, globally unique).')
@minLength(3)
@maxLength(24)
param name string

@description('Tags for every resource.')
param tags object

@description('Resource id of the apps\' user-assigned identity (stable seed for role assignment names).')
param appIdentityId string

@description('Principal id of the apps\' user-assigned identity (gets Key Vault Secrets User).')
param appPrincipalId string

@description('Purge protection cannot be turned off again; on for prod.')
param enablePurgeProtection bool

@description('Name of the first API key secret; written only when bootstrapApiKey is not empty.')
param firstApiKeySecretName string

@description('Value for the first API key on the very first deployment. Leave empty afterwards so that rotated keys are not overwritten.')
@secure()
param bootstrapApiKey string

var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: enablePurgeProtection ? true : null
    publicNetworkAccess: 'Enabled'
  }
}

resource bootstrapKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(bootstrapApiKey)) {
  parent: vault
  name: firstApiKeySecretName
  properties: {
    value: bootstrapApiKey
    contentType: 'MarketPulse API key (X-Api-Key)'
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, appIdentityId, keyVaultSecretsUserRoleId)
  scope: vault
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
