using 'main.bicep'

param location = 'eastasia'

param galleryName = 'contoso_gallery'

param imageDefinitionName = 'windows-2022'

param imageVersion = '1.0.3'

param managedImageId = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-build/providers/Microsoft.Compute/images/win2022-golden'

param targetRegion0 = 'eastasia'

param osDiskEncryptionSetId0 = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-keys/providers/Microsoft.Compute/diskEncryptionSets/des-double-eastasia'
