// Writes the secrets given a value (name -> value); a secret left empty is not written, so one set in the vault by
// hand survives the next provision.
param keyVaultName string

@secure()
@description('Secret name -> value; empty values are skipped.')
param secrets object

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource secret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [for item in items(secrets): if (!empty(item.value)) {
  parent: vault
  name: item.key
  properties: {
    value: item.value
  }
}]
