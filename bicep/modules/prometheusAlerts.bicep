// Azure Monitor workspace (managed Prometheus) and the service's Prometheus rules, read from the same file the
// local Prometheus loads and promtool tests (infra/prometheus/alerts.yml), so the two cannot drift apart.
//
// Not translated: alerts on `up{job=...}` (MarketPulseSiloDown, MarketPulseGatewayDown). `up` is written by the
// Prometheus server that scrapes a target, under the job names of infra/prometheus/prometheus.yml; in Azure the
// apps are not scraped under those names, and a silo that stops is seen by Container Apps itself (replica restarts,
// health probes) and by Orleans membership. The remaining rules use the service's own metrics, which reach this
// workspace only through a collector that remote-writes them (docs/operations.md, "Azure Monitor").

@description('Azure region.')
param location string

@description('Name prefix, e.g. mp-dev.')
param prefix string

@description('Tags for every resource.')
param tags object

@description('Action group that alerts notify (resource id); empty: alerts fire in Azure Monitor without notifying anyone.')
param actionGroupId string

var rules = loadYamlContent('../../infra/prometheus/alerts.yml')
var notInAzure = [
  'MarketPulseSiloDown'
  'MarketPulseGatewayDown'
]
var translatable = map(rules.groups, g => {
  name: g.name
  rules: filter(g.rules, r => !contains(notInAzure, r.?alert ?? ''))
})
var groups = filter(translatable, g => length(g.rules) > 0)
// Prometheus severities as Azure Monitor's: 0 critical, 2 warning.
var severities = {
  critical: 0
  warning: 2
}

resource workspace 'Microsoft.Monitor/accounts@2023-04-03' = {
  name: '${prefix}-prometheus'
  location: location
  tags: tags
}

resource ruleGroups 'Microsoft.AlertsManagement/prometheusRuleGroups@2023-03-01' = [
  for group in groups: {
    name: '${prefix}-${group.name}'
    location: location
    tags: tags
    properties: {
      description: 'MarketPulse rules from infra/prometheus/alerts.yml, group ${group.name}.'
      scopes: [
        workspace.id
      ]
      enabled: true
      interval: 'PT1M'
      rules: map(group.rules, r => r.?record != null
        ? {
            record: r.record
            expression: r.expr
          }
        : {
            alert: r.alert
            expression: r.expr
            // Prometheus durations such as 15m as ISO 8601 (PT15M).
            for: 'PT${toUpper(r.for)}'
            severity: severities[r.labels.severity]
            labels: r.labels
            annotations: r.annotations
            enabled: true
            actions: empty(actionGroupId)
              ? []
              : [
                  {
                    actionGroupId: actionGroupId
                  }
                ]
            resolveConfiguration: {
              autoResolved: true
              timeToResolve: 'PT10M'
            }
          })
    }
  }
]

output workspaceId string = workspace.id
output ruleGroupNames array = [for (group, i) in groups: ruleGroups[i].name]
