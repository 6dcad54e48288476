// A module of main.bicep: a resource in another resource group (where the identity or the key vault is), which main.bicep deploys with scope: resourceGroup(...), as template.json does with a nested deployment.

@description('Key vault holding the customer-managed key')
@minLength(3)
@maxLength(24)
param keyVaultName string

@description('Resource group of the managed identity')
@minLength(1)
@maxLength(90)
param identityResourceGroup string

@description('User-assigned managed identity used for the key at creation')
@minLength(3)
@maxLength(128)
param identityName string

resource vault 'Microsoft.KeyVault/vaults@2026-02-01' existing = {
  name: keyVaultName
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
  scope: resourceGroup(identityResourceGroup)
}

// Grant the identity get, wrapKey and unwrapKey on the vault's keys
resource roleAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, identity.id, 'e147488a-f6f5-4113-8e2d-b22465e65bf6')
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'e147488a-f6f5-4113-8e2d-b22465e65bf6')
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}
