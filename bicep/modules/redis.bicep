// Azure Cache for Redis: Orleans clustering (membership) and grain state. Its connection
// string (with the access key) goes to Key Vault, never to an output.

@description('Azure region.')
param location string

@description('Cache name (globally unique).')
param name string

@description('Tags for every resource.')
param tags object

@description('SKU: Basic C0 is fine for dev; Standard (replicated) or Premium for prod.')
param sku object

@description('Key Vault that receives the redis-connection secret.')
param keyVaultName string

resource redis 'Microsoft.Cache/redis@2024-03-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    sku: sku
    enableNonSslPort: false
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
    redisConfiguration: {
      // Membership rows and grain state must never be evicted.
      'maxmemory-policy': 'noeviction'
    }
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource connection 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'redis-connection'
  properties: {
    // StackExchange.Redis configuration string.
    value: '${redis.properties.hostName}:${redis.properties.sslPort},password=${redis.listKeys().primaryKey},ssl=True,abortConnect=False'
    contentType: 'StackExchange.Redis connection string'
  }
}

output secretName string = connection.name
