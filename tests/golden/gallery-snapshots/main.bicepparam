using 'main.bicep'

param location = 'koreacentral'

param tags = {
  environment: 'production'
}

param galleryName = 'contoso_gallery'

param imageDefinitionName = 'ubuntu-2204-gen2'

param imageVersion = '2.1.0'

param osSnapshotId = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-images/providers/Microsoft.Compute/snapshots/snap-os'

param dataSnapshotId0 = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-images/providers/Microsoft.Compute/snapshots/snap-data-0'

param endOfLifeDate = '2027-12-31'

param targetRegion0 = 'koreacentral'

param osDiskEncryptionSetId0 = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-keys/providers/Microsoft.Compute/diskEncryptionSets/des-koreacentral'

param dataDiskEncryptionSetId0Lun0 = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-keys/providers/Microsoft.Compute/diskEncryptionSets/des-koreacentral-data'

param targetRegion1 = 'japaneast'

param osDiskEncryptionSetId1 = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-keys/providers/Microsoft.Compute/diskEncryptionSets/des-japaneast'

param dataDiskEncryptionSetId1Lun0 = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-keys/providers/Microsoft.Compute/diskEncryptionSets/des-japaneast-data'
