using 'main.bicep'

param location = 'koreacentral'

param registryName = 'myregistry'
