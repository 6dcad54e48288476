using 'main.bicep'

param location = 'koreacentral'

param registryName = 'mycontainerregistry'

param vnetName0 = 'myDockerVMVNET'

param subnetName0 = 'myDockerVMSubnet'

param subnetId1 = '/subscriptions/99999999-8888-7777-6666-555555555555/resourceGroups/rg-aks/providers/Microsoft.Network/virtualNetworks/vnet-aks/subnets/snet-nodes'
