using 'main.bicep'

param location = 'eastus'

param registryName = 'contosolockedregistry'

param identityName = 'id-registry-bootstrap'

param keyVaultName = 'kv-registry-locked'

param keyName = 'registry-cmk'
