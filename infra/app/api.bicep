// The Function App on Flex Consumption (.NET 10 isolated) and every app setting it gets in Azure: identity-based
// storage, Application Insights, the settings main.bicep passes from its parameters, Key Vault references for secrets,
// and the value app-settings.json gives each setting it marks 'sample' (local.settings.sample.json's).
param name string
param location string
param tags object = {}
param planId string
param identityId string
param identityClientId string
param storageAccountName string
param blobEndpoint string
param queueEndpoint string
param tableEndpoint string
param deploymentContainerName string
param applicationInsightsConnectionString string
param keyVaultUri string

@allowed([512, 2048, 4096])
param instanceMemoryMB int

@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

@description('Base of public share links; empty: the app\'s own https://<default host name>.')
param publicBaseUrl string

@description('Settings main.bicep derives from its parameters (setting -> value).')
param settings object

@description('Settings read from Key Vault (setting -> secret name); an empty name leaves the setting empty.')
param vaultReferences object

var manifest = loadJsonContent('../app-settings.json')
var fromSample = toObject(filter(items(manifest.settings), s => s.value.source == 'sample'), s => s.key, s => s.value.value)

var secretReferences = toObject(items(vaultReferences), s => s.key, s => empty(s.value) ? '' : '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/${s.value}/)')

var platformSettings = {
  // Identity-based storage for the host's triggers and the app's own clients (StorageConnection): no account keys.
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  AzureWebJobsStorage__blobServiceUri: blobEndpoint
  AzureWebJobsStorage__queueServiceUri: queueEndpoint
  AzureWebJobsStorage__tableServiceUri: tableEndpoint
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  // The front end and the Functions host each append to X-Forwarded-For.
  Http__TrustedProxyHops: '2'
  Twins__PublicBaseUrl: empty(publicBaseUrl) ? 'https://${site.properties.defaultHostName}' : publicBaseUrl
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: planId
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      // Left empty: the app answers CORS itself, per twin (the widget's allowed origins).
      cors: {
        allowedOrigins: []
      }
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

// Separate from the site so the settings can name the site's own host name.
resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: union(fromSample, settings, secretReferences, platformSettings)
}

resource ftp 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scm 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostName
