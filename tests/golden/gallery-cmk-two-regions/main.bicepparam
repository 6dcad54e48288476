using 'main.bicep'

param location = 'westus'

param galleryName = 'MyGallery'

param imageDefinitionName = 'MyImage'

param imageVersion = '1.0.0'

param managedImageId = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/myResourceGroup/providers/Microsoft.Compute/images/myImage'

param targetRegion0 = 'westus'

param osDiskEncryptionSetId0 = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/MyResourceGroup/providers/Microsoft.Compute/diskEncryptionSets/WestUSDiskEncryptionSet1'

param dataDiskEncryptionSetId0Lun0 = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/MyResourceGroup/providers/Microsoft.Compute/diskEncryptionSets/WestUSDiskEncryptionSet2'

param targetRegion1 = 'eastus2'

param osDiskEncryptionSetId1 = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/MyResourceGroup/providers/Microsoft.Compute/diskEncryptionSets/EastUS2DiskEncryptionSet1'

param dataDiskEncryptionSetId1Lun0 = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/MyResourceGroup/providers/Microsoft.Compute/diskEncryptionSets/EastUS2DiskEncryptionSet2'
