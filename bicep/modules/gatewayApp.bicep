// The gateway: ASP.NET Core API + SignalR + SPA, an Orleans client. Stateless, so it scales
// on HTTP load; never to zero (SignalR clients and ingest callers expect it up).

@description('Azure region.')
param location string

@description('Container App name.')
param name string

@description('Tags for every resource.')
param tags object

@description('Container Apps environment id.')
param environmentId string

@description('Full image reference, registry/repository:tag.')
param image string

@description('Registry login server the identity pulls from.')
param registryServer string

@description('User-assigned identity resource id.')
param identityId string

@description('Environment variables shared by all MarketPulse apps.')
param env array

@description('Container Apps secrets (Key Vault references) shared by all MarketPulse apps.')
param secrets array

@description('API key secrets: Container Apps secret names, in MarketPulse:Api:Keys order.')
param apiKeySecretNames array

@description('Key Vault URI, for the API key secret references.')
param keyVaultUri string

@minValue(1)
@description('Replicas kept warm at all times.')
param minReplicas int

@minValue(1)
@description('Upper bound for HTTP-driven scale-out.')
param maxReplicas int

@description('Concurrent requests per replica before another one is added.')
param concurrentRequests int

@description('CPU cores, as a string: json() turns it into the decimal Container Apps expects.')
param cpu string

@description('Memory, e.g. 1Gi.')
param memory string

var apiKeySecrets = [
  for secretName in apiKeySecretNames: {
    name: secretName
    keyVaultUrl: '${keyVaultUri}secrets/${secretName}'
    identity: identityId
  }
]

var apiKeyEnv = [
  for (secretName, i) in apiKeySecretNames: {
    name: 'MarketPulse__Api__Keys__${i}'
    secretRef: secretName
  }
]

resource gateway 'Microsoft.App/containerApps@2024-03-01' = {
  name: name
  location: location
  tags: union(tags, { 'marketpulse-role': 'gateway' })
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    environmentId: environmentId
    workloadProfileName: 'Consumption'
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        external: true
        transport: 'auto'
        targetPort: 8080
        allowInsecure: false
        // SignalR negotiates and then connects; both must reach the same replica.
        stickySessions: {
          affinity: 'sticky'
        }
        traffic: [
          {
            latestRevision: true
            weight: 100
          }
        ]
      }
      registries: [
        {
          server: registryServer
          identity: identityId
        }
      ]
      secrets: concat(secrets, apiKeySecrets)
    }
    template: {
      containers: [
        {
          name: 'gateway'
          image: image
          resources: {
            cpu: json(cpu)
            memory: memory
          }
          env: concat(env, apiKeyEnv, [
            { name: 'MarketPulse__Role', value: 'gateway' }
            // TLS ends at the Container Apps ingress; trust its X-Forwarded-* headers.
            { name: 'ASPNETCORE_FORWARDEDHEADERS_ENABLED', value: 'true' }
          ])
          probes: [
            {
              type: 'Startup'
              httpGet: { path: '/health/live', port: 8080 }
              periodSeconds: 5
              failureThreshold: 30
            }
            {
              type: 'Liveness'
              httpGet: { path: '/health/live', port: 8080 }
              periodSeconds: 15
              failureThreshold: 3
            }
            {
              type: 'Readiness'
              httpGet: { path: '/health/ready', port: 8080 }
              periodSeconds: 10
              failureThreshold: 3
            }
          ]
        }
      ]
      scale: {
        minReplicas: minReplicas
        maxReplicas: maxReplicas
        rules: [
          {
            name: 'http-concurrency'
            http: {
              metadata: {
                concurrentRequests: string(concurrentRequests)
              }
            }
          }
        ]
      }
    }
  }
}

output fqdn string = gateway.properties.configuration.ingress.fqdn
