// One Orleans silo = one Container App with exactly one replica and its own port pair.
// Orleans' guidance for Container Apps: scale the cluster by adding silo apps (main.bicep's
// siloCount), never by replicas of one app (replicas would share an app's ports/identity
// and be scaled in without Orleans' graceful shutdown) and never to zero (grains and
// stream queues live on silos).

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

@description('User-assigned identity resource id (AcrPull, Key Vault, stream queues or Event Hubs).')
param identityId string

@description('Orleans silo-to-silo port of this silo.')
param siloPort int

@description('Orleans client gateway port of this silo.')
param gatewayPort int

@description('Environment variables shared by all MarketPulse apps.')
param env array

@description('Container Apps secrets (Key Vault references) shared by all MarketPulse apps.')
param secrets array

@description('CPU cores, as a string: json() turns it into the decimal Container Apps expects.')
param cpu string

@description('Memory, e.g. 2Gi (must match the CPU per Container Apps\' allowed pairs).')
param memory string

resource silo 'Microsoft.App/containerApps@2024-03-01' = {
  name: name
  location: location
  tags: union(tags, { 'marketpulse-role': 'silo' })
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
      // Internal TCP ingress publishes this silo's two Orleans ports inside the environment.
      ingress: {
        external: false
        transport: 'tcp'
        targetPort: siloPort
        exposedPort: siloPort
        additionalPortMappings: [
          {
            external: false
            targetPort: gatewayPort
            exposedPort: gatewayPort
          }
        ]
      }
      registries: [
        {
          server: registryServer
          identity: identityId
        }
      ]
      secrets: secrets
    }
    template: {
      // Time for Orleans to deactivate grains and hand over stream queues on shutdown.
      terminationGracePeriodSeconds: 60
      containers: [
        {
          name: 'silo'
          image: image
          resources: {
            cpu: json(cpu)
            memory: memory
          }
          env: concat(env, [
            { name: 'MarketPulse__Role', value: 'silo' }
            { name: 'MarketPulse__Orleans__SiloPort', value: string(siloPort) }
            { name: 'MarketPulse__Orleans__GatewayPort', value: string(gatewayPort) }
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
        minReplicas: 1
        maxReplicas: 1
      }
    }
  }
}

output name string = silo.name
