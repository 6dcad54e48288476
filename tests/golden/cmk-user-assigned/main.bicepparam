using 'main.bicep'

param location = 'koreacentral'

param registryName = 'contosocmkregistry'

param tags = {
  environment: 'production'
}

param identityName = 'id-registry-cmk'

param keyVaultName = 'kv-registry-cmk-01'

param keyName = 'registry-cmk'
