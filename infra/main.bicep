// azd entry point (azure.yaml): one resource group with the Flex Consumption Function App, its storage, monitoring,
// Key Vault and the user-assigned identity it signs in with. Every app setting's source is listed in app-settings.json.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; names and tags every resource.')
param environmentName string

@minLength(1)
@description('Region of every resource (one that offers Flex Consumption).')
@metadata({ azd: { type: 'location' } })
param location string

@description('Memory of one instance in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Most instances the app scales out to (bounds cost and the LLM spend).')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Base of public share links (https://twins.example.com); empty: the app\'s own https://<default host name>.')
param publicBaseUrl string = ''

@description('Whether the demo twin is created at start-up.')
param seedDemoTwin bool = false

@description('sha256: and the SHA-256 hex of the Admin API key (printf %s KEY | sha256sum).')
param adminApiKeyHash string = ''

@description('sha256: and the SHA-256 hex of the Synthetic key the synthetic checks sign in with (monitoringApiKey).')
param syntheticApiKeyHash string = ''

param langfuseHost string = 'https://cloud.langfuse.com'
param langfuseRelease string = ''
param langfuseEnvironment string = 'production'

@allowed(['', 'Offline', 'OpenAI', 'AzureOpenAI'])
param llmProvider string = ''
param llmEndpoint string = ''
param llmModel string = ''

param jwtIssuer string = ''
param jwtAudience string = ''
param jwtMetadataAddress string = ''
param jwtUserIdClaim string = 'sub'

param alertWebhookUrl string = ''

// Secrets: written to Key Vault when given, and read by the app through @Microsoft.KeyVault references.
@secure()
param langfusePublicKey string = ''
@secure()
param langfuseSecretKey string = ''
@secure()
param llmApiKey string = ''
@secure()
param alertsSecretKey string = ''
@secure()
param alertWebhookSecret string = ''
@secure()
param monitoringApiKey string = ''

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var functionAppName = '${abbrs.functionApp}api-${resourceToken}'
var identityName = '${abbrs.managedIdentity}api-${resourceToken}'
var storageAccountName = '${abbrs.storageAccount}${resourceToken}'
var keyVaultName = '${abbrs.keyVault}${resourceToken}'
var applicationInsightsName = '${abbrs.applicationInsights}${resourceToken}'
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}-${take(resourceToken, 7)}'

// Key Vault secret name -> value, and the app setting that references each secret.
var secrets = {
  'langfuse-public-key': langfusePublicKey
  'langfuse-secret-key': langfuseSecretKey
  'llm-api-key': llmApiKey
  'alerts-secret-key': alertsSecretKey
  'alert-webhook-secret': alertWebhookSecret
  'monitoring-api-key': monitoringApiKey
}
var vaultReferences = {
  LANGFUSE_PUBLIC_KEY: empty(langfusePublicKey) ? '' : 'langfuse-public-key'
  LANGFUSE_SECRET_KEY: empty(langfuseSecretKey) ? '' : 'langfuse-secret-key'
  Llm__ApiKey: empty(llmApiKey) ? '' : 'llm-api-key'
  Alerts__SecretKey: empty(alertsSecretKey) ? '' : 'alerts-secret-key'
  ALERT_WEBHOOK_SECRET: empty(alertWebhookSecret) ? '' : 'alert-webhook-secret'
  Monitoring__ApiKey: empty(monitoringApiKey) ? '' : 'monitoring-api-key'
}

var settings = {
  Auth__ApiKeys__0__Name: 'admin'
  Auth__ApiKeys__0__Role: 'Admin'
  Auth__ApiKeys__0__Hash: adminApiKeyHash
  Auth__ApiKeys__1__Name: 'synthetic-monitor'
  Auth__ApiKeys__1__Role: 'Synthetic'
  Auth__ApiKeys__1__UserId: 'synthetic-monitor'
  Auth__ApiKeys__1__Hash: syntheticApiKeyHash
  Twins__SeedDemoTwin: string(seedDemoTwin)
  LANGFUSE_HOST: langfuseHost
  LANGFUSE_RELEASE: langfuseRelease
  LANGFUSE_TRACING_ENVIRONMENT: langfuseEnvironment
  Llm__Provider: llmProvider
  Llm__Endpoint: llmEndpoint
  Llm__Model: llmModel
  Auth__Jwt__Issuer: jwtIssuer
  Auth__Jwt__Audience: jwtAudience
  Auth__Jwt__MetadataAddress: jwtMetadataAddress
  Auth__Jwt__UserIdClaim: jwtUserIdClaim
  ALERT_WEBHOOK_URL: alertWebhookUrl
}

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: '${abbrs.resourceGroup}${environmentName}'
  location: location
  tags: tags
}

module identity 'core/security/user-assigned-identity.bicep' = {
  scope: rg
  params: {
    name: identityName
    location: location
    tags: tags
  }
}

module plan 'core/host/flex-plan.bicep' = {
  scope: rg
  params: {
    name: '${abbrs.appServicePlan}${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'core/storage/storage-account.bicep' = {
  scope: rg
  params: {
    name: storageAccountName
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
  }
}

module monitoring 'core/monitor/monitoring.bicep' = {
  scope: rg
  params: {
    logAnalyticsName: '${abbrs.logAnalyticsWorkspace}${resourceToken}'
    applicationInsightsName: applicationInsightsName
    location: location
    tags: tags
  }
}

module keyVault 'core/security/keyvault.bicep' = {
  scope: rg
  params: {
    name: keyVaultName
    location: location
    tags: tags
  }
}

module keyVaultSecrets 'core/security/keyvault-secrets.bicep' = {
  scope: rg
  params: {
    keyVaultName: keyVaultName
    secrets: secrets
  }
  dependsOn: [
    keyVault
  ]
}

module rbac 'app/rbac.bicep' = {
  scope: rg
  params: {
    identityName: identityName
    storageAccountName: storageAccountName
    keyVaultName: keyVaultName
    applicationInsightsName: applicationInsightsName
  }
  // Names are known before the resources exist: the modules that create them come first.
  dependsOn: [
    identity
    storage
    keyVault
    monitoring
  ]
}

module api 'app/api.bicep' = {
  scope: rg
  params: {
    name: functionAppName
    location: location
    tags: tags
    planId: plan.outputs.id
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storageAccountName
    blobEndpoint: storage.outputs.blobEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: deploymentContainerName
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    keyVaultUri: keyVault.outputs.uri
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    publicBaseUrl: publicBaseUrl
    settings: settings
    vaultReferences: vaultReferences
  }
  // The app starts reading storage and Key Vault at once: its roles and secrets come first.
  dependsOn: [
    rbac
    keyVaultSecrets
  ]
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_NAME string = api.outputs.name
output SERVICE_API_NAME string = api.outputs.name
output SERVICE_API_URI string = 'https://${api.outputs.defaultHostName}'
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
