using 'main.bicep'

param location = 'westeurope'

param registryName = 'contosoappregistry'

param identityName = 'id-shared-cmk'

param identityResourceGroup = 'rg-shared-identity'

param keyVaultName = 'kv-shared-keys'

param keyVaultResourceGroup = 'rg-shared-keys'

param keyUri = 'https://kv-shared-keys.vault.azure.net/keys/acr-cmk'
