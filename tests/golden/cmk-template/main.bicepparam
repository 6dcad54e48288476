using 'main.bicep'

param location = 'koreacentral'

param registryName = 'mycontainerregistry'

param identityName = 'myidentityname'

param keyVaultName = 'mykeyvault'

param keyUri = 'https://mykeyvault.vault.azure.net/keys/mykey/0123456789abcdef0123456789abcdef'
