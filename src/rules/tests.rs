//! Table tests: for every rule, a spec on which it fires (on the expected field)
//! and a close neighbour on which it does not. A rule without a row fails
//! `every_rule_has_a_row`.

use super::*;
use crate::spec::*;

/// A valid Premium registry with a customer-managed key: nothing but infos.
fn cmk() -> Spec {
    crate::spec_json::from_json(include_str!("../../examples/cmk-user-assigned.json")).unwrap()
}

/// A valid Premium registry behind IP rules.
fn net() -> Spec {
    crate::spec_json::from_json(include_str!("../../examples/ip-rules-selected-networks.json")).unwrap()
}

fn vnet() -> Spec {
    crate::spec_json::from_json(include_str!("../../examples/service-endpoint.json")).unwrap()
}

/// Seed 001's CLI example, made consistent: two regions, OS + LUN 0 sets each.
fn gal() -> Spec {
    crate::spec_json::from_json(include_str!("../../examples/gallery-cmk-two-regions.json")).unwrap()
}

/// Snapshots (OS + LUN 0), two regions.
fn snaps() -> Spec {
    crate::spec_json::from_json(include_str!("../../examples/gallery-snapshots.json")).unwrap()
}

fn dbl() -> Spec {
    crate::spec_json::from_json(include_str!("../../examples/gallery-double-encryption.json")).unwrap()
}

#[cfg(feature = "day2")]
fn add_region() -> Spec {
    crate::spec_json::from_json(include_str!("../../examples/gallery-add-region.json")).unwrap()
}

#[cfg(feature = "day2")]
fn rot() -> Spec {
    crate::spec_json::from_json(include_str!("../../examples/rotate-key-new-version.json")).unwrap()
}

#[cfg(feature = "day2")]
fn revoke() -> Spec {
    crate::spec_json::from_json(include_str!("../../examples/revoke-key-access.json")).unwrap()
}

#[cfg(feature = "day2")]
fn auto() -> Spec {
    crate::spec_json::from_json(include_str!("../../examples/auto-rotation-policy.json")).unwrap()
}

#[cfg(feature = "day2")]
fn task() -> Spec {
    crate::spec_json::from_json(include_str!("../../examples/trusted-service-task-identity.json")).unwrap()
}

#[cfg(feature = "day2")]
fn addnet() -> Spec {
    crate::spec_json::from_json(include_str!("../../examples/network-add-rules-existing.json")).unwrap()
}

#[cfg(feature = "day2")]
fn restore() -> Spec {
    crate::spec_json::from_json(include_str!("../../examples/restore-default-network-access.json")).unwrap()
}

#[cfg(feature = "day2")]
fn trusted_off() -> Spec {
    crate::spec_json::from_json(include_str!("../../examples/trusted-services-off-existing.json")).unwrap()
}

#[cfg(feature = "day2")]
fn chg(spec: &mut Spec) -> &mut Change {
    &mut spec.change
}

fn region(spec: &mut Spec, i: usize) -> &mut TargetRegion {
    &mut spec.gallery.target_regions[i]
}

struct Row {
    rule: Rule,
    field: &'static str,
    fires: fn() -> Spec,
    passes: fn() -> Spec,
}

fn with(mut spec: Spec, f: impl FnOnce(&mut Spec)) -> Spec {
    f(&mut spec);
    spec
}

fn enc(spec: &mut Spec) -> &mut Encryption {
    &mut spec.registry.encryption
}

fn rows() -> Vec<Row> {
    use Rule::*;
    vec![
        Row {
            rule: NameRegistry,
            field: "registry.name",
            fires: || with(cmk(), |s| s.registry.name = "my-registry".into()),
            passes: cmk,
        },
        Row {
            rule: NameRegistry,
            field: "registry.name",
            fires: || with(cmk(), |s| s.registry.name = "Registry01".into()),
            passes: cmk,
        },
        Row {
            rule: NameResourceGroup,
            field: "resourceGroup.name",
            fires: || with(cmk(), |s| s.resource_group.name = "rg.".into()),
            passes: cmk,
        },
        Row {
            rule: NameLocation,
            field: "location",
            fires: || with(cmk(), |s| s.location = "Korea Central".into()),
            passes: cmk,
        },
        Row {
            rule: NameSubscription,
            field: "subscriptionId",
            fires: || with(cmk(), |s| s.subscription_id = "prod".into()),
            passes: cmk,
        },
        Row {
            rule: NameIdentity,
            field: "registry.encryption.identity.name",
            fires: || with(cmk(), |s| enc(s).identity.name = "-id".into()),
            passes: cmk,
        },
        Row {
            rule: NameKeyVault,
            field: "registry.encryption.keyVault.name",
            fires: || with(cmk(), |s| enc(s).key_vault.name = "kv--x".into()),
            passes: cmk,
        },
        Row {
            rule: NameKey,
            field: "registry.encryption.key.name",
            fires: || with(cmk(), |s| enc(s).key.name = "key_1".into()),
            passes: cmk,
        },
        Row {
            rule: NameKeyUri,
            field: "registry.encryption.key.keyId",
            fires: || {
                with(cmk(), |s| {
                    enc(s).key.create = false;
                    enc(s).key.key_id = "https://kv-registry-cmk-01.vault.azure.net/secrets/x".into();
                })
            },
            passes: || {
                with(cmk(), |s| {
                    enc(s).key.create = false;
                    enc(s).key.key_id = "https://kv-registry-cmk-01.vault.azure.net/keys/x".into();
                })
            },
        },
        Row {
            rule: NameVnet,
            field: "registry.networking.vnetRules[0].vnetName",
            fires: || with(vnet(), |s| s.registry.networking.vnet_rules[0].vnet_name = "v".into()),
            passes: vnet,
        },
        Row {
            rule: NameSubnet,
            field: "registry.networking.vnetRules[0].subnetName",
            fires: || with(vnet(), |s| s.registry.networking.vnet_rules[0].subnet_name = "sub net".into()),
            passes: vnet,
        },
        Row {
            rule: NameSubnetId,
            field: "registry.networking.vnetRules[1].subnetId",
            fires: || {
                with(vnet(), |s| s.registry.networking.vnet_rules[1].subnet_id = "/subscriptions/x/subnets/y".into())
            },
            passes: vnet,
        },
        Row {
            rule: NameIpRule,
            field: "registry.networking.ipRules[0]",
            fires: || with(net(), |s| s.registry.networking.ip_rules[0] = "10.0.0.256".into()),
            passes: net,
        },
        Row {
            rule: NameTag,
            field: "tags[2].name",
            fires: || {
                with(net(), |s| {
                    s.tags.insert("a/b".into(), "x".into());
                })
            },
            passes: net,
        },
        Row {
            rule: NameTagValue,
            field: "tags[2].value",
            fires: || {
                with(net(), |s| {
                    s.tags.insert("note".into(), "line\nbreak".into());
                })
            },
            passes: net,
        },
        Row {
            rule: NameTagDuplicate,
            field: "tags[2].name",
            fires: || {
                with(net(), |s| {
                    let first = s.tags.0[0].0.to_uppercase();
                    s.tags.insert(first, "x".into());
                })
            },
            passes: net,
        },
        Row {
            rule: CmkPremium,
            field: "registry.sku",
            fires: || with(cmk(), |s| s.registry.sku = Sku::Standard),
            passes: cmk,
        },
        Row { rule: CmkCreateOnly, field: "registry.encryption.customerManagedKey", fires: cmk, passes: net },
        Row { rule: CmkIrreversible, field: "registry.encryption.customerManagedKey", fires: cmk, passes: net },
        Row {
            rule: CmkContentTrust,
            field: "registry.contentTrust",
            fires: || with(cmk(), |s| s.registry.content_trust = true),
            passes: cmk,
        },
        Row {
            rule: ContentTrustRetired,
            field: "registry.contentTrust",
            fires: || with(net(), |s| s.registry.content_trust = true),
            passes: net,
        },
        Row { rule: CmkTaskLogs, field: "registry.encryption.customerManagedKey", fires: cmk, passes: net },
        Row { rule: CmkVaultProtection, field: "registry.encryption.keyVault.create", fires: cmk, passes: net },
        Row { rule: CmkKeyPermissions, field: "registry.encryption.keyVault.permissionModel", fires: cmk, passes: net },
        Row {
            rule: CmkRbacDefault,
            field: "registry.encryption.keyVault.permissionModel",
            fires: || with(cmk(), |s| enc(s).key_vault.permission_model = PermissionModel::AccessPolicy),
            passes: cmk,
        },
        Row {
            rule: CmkHsmKeyNeedsPremiumVault,
            field: "registry.encryption.key.kty",
            fires: || with(cmk(), |s| enc(s).key.kty = KeyType::RsaHsm),
            passes: cmk,
        },
        Row {
            rule: CmkKeyVersionless,
            field: "registry.encryption.key.versionless",
            fires: cmk,
            passes: || with(cmk(), |s| enc(s).key.versionless = false),
        },
        Row {
            rule: CmkKeyVersioned,
            field: "registry.encryption.key.versionless",
            fires: || with(cmk(), |s| enc(s).key.versionless = false),
            passes: cmk,
        },
        Row {
            rule: CmkKeyCloud,
            field: "registry.encryption.key.keyId",
            fires: || {
                with(cmk(), |s| {
                    s.cloud = Cloud::AzureChinaCloud;
                    enc(s).key.create = false;
                    enc(s).key.key_id = "https://kv-registry-cmk-01.vault.azure.net/keys/k".into();
                })
            },
            passes: || {
                with(cmk(), |s| {
                    s.cloud = Cloud::AzureChinaCloud;
                    enc(s).key.create = false;
                    enc(s).key.key_id = "https://kv-registry-cmk-01.vault.azure.cn/keys/k".into();
                })
            },
        },
        Row {
            rule: CmkKeyVaultMismatch,
            field: "registry.encryption.keyVault.name",
            fires: || {
                with(cmk(), |s| {
                    enc(s).key.create = false;
                    enc(s).key.key_id = "https://othervault.vault.azure.net/keys/k".into();
                })
            },
            passes: || {
                with(cmk(), |s| {
                    enc(s).key.create = false;
                    enc(s).key.key_id = "https://KV-registry-cmk-01.vault.azure.net/keys/k".into();
                })
            },
        },
        Row {
            rule: CmkManagedHsm,
            field: "registry.encryption.key.keyId",
            fires: || {
                with(cmk(), |s| {
                    enc(s).key.create = false;
                    enc(s).key.key_id = "https://kv-registry-cmk-01.managedhsm.azure.net/keys/k".into();
                })
            },
            passes: cmk,
        },
        Row {
            rule: CmkFirewallNeedsSystemIdentity,
            field: "registry.encryption.useSystemAssignedAfterCreate",
            fires: || with(cmk(), |s| enc(s).key_vault.firewall = true),
            passes: || {
                with(cmk(), |s| {
                    enc(s).key_vault.firewall = true;
                    enc(s).use_system_assigned_after_create = true;
                })
            },
        },
        Row {
            rule: CmkFirewallOrder,
            field: "registry.encryption.keyVault.firewall",
            fires: || {
                with(cmk(), |s| {
                    enc(s).key_vault.firewall = true;
                    enc(s).use_system_assigned_after_create = true;
                })
            },
            passes: cmk,
        },
        Row {
            rule: CmkSystemIdentitySwitch,
            field: "registry.encryption.useSystemAssignedAfterCreate",
            fires: || with(cmk(), |s| enc(s).use_system_assigned_after_create = true),
            passes: cmk,
        },
        Row {
            rule: ArmPostDeployment,
            field: "registry.encryption.useSystemAssignedAfterCreate",
            fires: || with(cmk(), |s| enc(s).use_system_assigned_after_create = true),
            passes: cmk,
        },
        Row {
            rule: ArmOtherGroup,
            field: "registry.encryption.keyVault.resourceGroup",
            fires: || with(cmk(), |s| enc(s).key_vault.resource_group = "rg-keys".into()),
            passes: || with(cmk(), |s| enc(s).key_vault.resource_group = "rg-registry-cmk".into()),
        },
        Row {
            rule: SecretInField,
            field: "tags[1].value",
            fires: || {
                with(cmk(), |s| s.tags.0.push(("conn".into(), "DefaultEndpointsProtocol=https;AccountKey=x==".into())))
            },
            passes: cmk,
        },
        Row {
            rule: SecretInField,
            field: "registry.name",
            fires: || with(cmk(), |s| s.registry.name = "sv=2022-11-02&sig=abc".into()),
            passes: cmk,
        },
        Row { rule: CmkRevokeIsDestructive, field: "registry.encryption.customerManagedKey", fires: cmk, passes: net },
        Row {
            rule: CmkSignedInOfficer,
            field: "registry.encryption.key.name",
            fires: cmk,
            passes: || with(cmk(), |s| enc(s).key_vault.permission_model = PermissionModel::AccessPolicy),
        },
        Row {
            rule: ArmRbacPropagation,
            field: "registry.encryption.keyVault.permissionModel",
            fires: cmk,
            passes: net,
        },
        Row {
            rule: ArmRedeployReverts,
            field: "registry.encryption.useSystemAssignedAfterCreate",
            fires: || with(cmk(), |s| enc(s).use_system_assigned_after_create = true),
            passes: cmk,
        },
        Row {
            rule: NetPrivateOnly,
            field: "registry.networking.publicAccess",
            fires: || {
                with(net(), |s| {
                    s.registry.networking.ip_rules.clear();
                    s.registry.networking.public_access = PublicAccess::Disabled;
                })
            },
            passes: net,
        },
        Row {
            rule: NetPremium,
            field: "registry.sku",
            fires: || with(net(), |s| s.registry.sku = Sku::Basic),
            passes: net,
        },
        Row {
            rule: NetPremium,
            field: "registry.sku",
            fires: || {
                with(net(), |s| {
                    s.registry.sku = Sku::Standard;
                    s.registry.networking.public_access = PublicAccess::Disabled;
                    s.registry.networking.ip_rules.clear();
                })
            },
            passes: || {
                with(net(), |s| {
                    s.registry.sku = Sku::Standard;
                    s.registry.networking.public_access = PublicAccess::All;
                    s.registry.networking.ip_rules.clear();
                })
            },
        },
        Row {
            rule: NetLockout,
            field: "registry.networking.publicAccess",
            fires: || with(net(), |s| s.registry.networking.ip_rules.clear()),
            passes: || {
                with(net(), |s| {
                    s.registry.networking.ip_rules.clear();
                    s.registry.networking.public_access = PublicAccess::Disabled;
                })
            },
        },
        Row {
            rule: NetRulesIgnoredWhenDisabled,
            field: "registry.networking.publicAccess",
            fires: || with(net(), |s| s.registry.networking.public_access = PublicAccess::Disabled),
            passes: net,
        },
        Row {
            rule: NetRulesWithoutSelected,
            field: "registry.networking.publicAccess",
            fires: || with(net(), |s| s.registry.networking.public_access = PublicAccess::All),
            passes: net,
        },
        Row {
            rule: NetIpMax,
            field: "registry.networking.ipRules",
            fires: || {
                with(net(), |s| {
                    s.registry.networking.ip_rules = (0..201).map(|i| format!("10.0.{}.{}", i / 256, i % 256)).collect()
                })
            },
            passes: || {
                with(net(), |s| {
                    s.registry.networking.ip_rules = (0..200).map(|i| format!("10.0.{}.{}", i / 256, i % 256)).collect()
                })
            },
        },
        Row {
            rule: NetIpDuplicate,
            field: "registry.networking.ipRules[2]",
            fires: || with(net(), |s| s.registry.networking.ip_rules.push("203.0.113.7".into())),
            passes: net,
        },
        Row {
            rule: VnetMax,
            field: "registry.networking.vnetRules",
            fires: || {
                with(vnet(), |s| {
                    s.registry.networking.vnet_rules = vec![s.registry.networking.vnet_rules[0].clone(); 101]
                })
            },
            passes: || {
                with(vnet(), |s| {
                    s.registry.networking.vnet_rules = vec![s.registry.networking.vnet_rules[0].clone(); 100]
                })
            },
        },
        Row { rule: VnetDeprecated, field: "registry.networking.vnetRules", fires: vnet, passes: net },
        Row { rule: VnetHostsVmAks, field: "registry.networking.vnetRules", fires: vnet, passes: net },
        Row {
            rule: VnetCloud,
            field: "cloud",
            fires: || with(vnet(), |s| s.cloud = Cloud::AzureUsGovernment),
            passes: vnet,
        },
        Row {
            rule: VnetCrossSubscription,
            field: "registry.networking.vnetRules[1]",
            fires: vnet,
            passes: || with(vnet(), |s| s.subscription_id = "99999999-8888-7777-6666-555555555555".into()),
        },
        Row {
            rule: VnetNoTrustedServices,
            field: "registry.networking.allowTrustedServices",
            fires: || with(vnet(), |s| s.registry.networking.allow_trusted_services = true),
            passes: vnet,
        },
        Row { rule: VnetPowerShell, field: "registry.networking.vnetRules", fires: vnet, passes: net },
        Row { rule: VnetArmPreview, field: "registry.networking.vnetRules", fires: vnet, passes: net },
        Row {
            rule: VnetArmServiceEndpoint,
            field: "registry.networking.vnetRules",
            fires: vnet,
            passes: || {
                with(vnet(), |s| {
                    s.registry.networking.vnet_rules.iter_mut().for_each(|r| r.add_service_endpoint = false)
                })
            },
        },
        Row {
            rule: TrustedSystemIdentity,
            field: "registry.networking.allowTrustedServices",
            fires: net,
            passes: vnet,
        },
        Row { rule: TrustedNotAllServices, field: "registry.networking.allowTrustedServices", fires: net, passes: cmk },
        Row { rule: TrustedDisabled, field: "registry.networking.allowTrustedServices", fires: vnet, passes: net },
        Row {
            rule: TasksNotTrusted,
            field: "registry.networking.allowTasksBypass",
            fires: || with(net(), |s| s.registry.networking.allow_tasks_bypass = false),
            passes: net,
        },
        Row {
            rule: TasksBypassUnused,
            field: "registry.networking.allowTasksBypass",
            fires: || with(cmk(), |s| s.registry.networking.allow_tasks_bypass = true),
            passes: cmk,
        },
        Row {
            rule: ZoneRedundancyAutomatic,
            field: "registry.zoneRedundancy",
            fires: || with(net(), |s| s.registry.zone_redundancy = true),
            passes: || with(net(), |s| s.registry.zone_redundancy = false),
        },
        Row {
            rule: AdminUser,
            field: "registry.adminUserEnabled",
            fires: || with(net(), |s| s.registry.admin_user_enabled = true),
            passes: net,
        },
        // Gallery image versions.
        Row {
            rule: NameGallery,
            field: "gallery.name",
            fires: || with(gal(), |s| s.gallery.name = "my-gallery".into()),
            passes: gal,
        },
        Row {
            rule: NameImageDefinition,
            field: "gallery.imageDefinition",
            fires: || with(gal(), |s| s.gallery.image_definition = "image$(id)".into()),
            passes: gal,
        },
        Row {
            rule: NameImageVersion,
            field: "gallery.version",
            fires: || with(gal(), |s| s.gallery.version = "1.0".into()),
            passes: gal,
        },
        Row {
            rule: NameEndOfLife,
            field: "gallery.endOfLifeDate",
            fires: || with(snaps(), |s| s.gallery.end_of_life_date = "31.12.2027".into()),
            passes: snaps,
        },
        Row {
            rule: NameSourceId,
            field: "gallery.source.osSnapshotId",
            fires: || with(snaps(), |s| s.gallery.source.os_snapshot_id = "snap-os".into()),
            passes: snaps,
        },
        Row {
            rule: NameDesId,
            field: "gallery.targetRegions[0].osDiskEncryptionSetId",
            // The seed's PowerShell example drops the leading slash.
            fires: || {
                with(gal(), |s| {
                    region(s, 0).os_disk_encryption_set_id.remove(0);
                })
            },
            passes: gal,
        },
        Row {
            rule: NameRegion,
            field: "gallery.targetRegions[1].region",
            fires: || with(gal(), |s| region(s, 1).region = "East US 2".into()),
            passes: gal,
        },
        Row {
            rule: GalNoTargetRegion,
            field: "gallery.targetRegions",
            fires: || with(gal(), |s| s.gallery.target_regions.clear()),
            passes: gal,
        },
        Row {
            rule: GalHomeRegion,
            field: "gallery.targetRegions",
            fires: || with(gal(), |s| s.location = "centralus".into()),
            passes: gal,
        },
        Row {
            rule: GalRegionDuplicate,
            field: "gallery.targetRegions[1].region",
            fires: || with(gal(), |s| region(s, 1).region = "westus".into()),
            passes: gal,
        },
        Row {
            rule: GalReplicaCount,
            field: "gallery.targetRegions[0].replicaCount",
            fires: || with(gal(), |s| region(s, 0).replica_count = 0),
            passes: gal,
        },
        Row { rule: GalZrsRegion, field: "gallery.targetRegions[0].storageAccountType", fires: snaps, passes: gal },
        Row {
            rule: GalOsDesMissing,
            field: "gallery.targetRegions[1].osDiskEncryptionSetId",
            fires: || with(gal(), |s| region(s, 1).os_disk_encryption_set_id.clear()),
            passes: gal,
        },
        Row {
            rule: GalDesRegional,
            field: "gallery.targetRegions[1].osDiskEncryptionSetId",
            fires: || {
                with(gal(), |s| region(s, 1).os_disk_encryption_set_id = region(s, 0).os_disk_encryption_set_id.clone())
            },
            passes: gal,
        },
        Row {
            rule: GalDesRegionName,
            field: "gallery.targetRegions[1].osDiskEncryptionSetId",
            // The seed's snapshot example: eastus paired with East US 2 sets.
            fires: || with(gal(), |s| region(s, 1).region = "eastus".into()),
            passes: gal,
        },
        Row {
            rule: GalDesSubscription,
            field: "gallery.targetRegions[0].osDiskEncryptionSetId",
            fires: || with(gal(), |s| s.subscription_id = "11111111-2222-3333-4444-555555555555".into()),
            passes: gal,
        },
        Row {
            rule: GalDesChecked,
            field: "gallery.encryption",
            fires: gal,
            passes: || with(gal(), |s| s.gallery.encryption = GalleryEncryption::PlatformKey),
        },
        Row {
            rule: GalDesIgnored,
            field: "gallery.encryption",
            fires: || with(gal(), |s| s.gallery.encryption = GalleryEncryption::PlatformKey),
            passes: gal,
        },
        Row {
            rule: GalNoCopyShare,
            field: "gallery.encryption",
            fires: gal,
            passes: || with(gal(), |s| s.gallery.encryption = GalleryEncryption::PlatformKey),
        },
        Row {
            rule: GalIrreversible,
            field: "gallery.encryption",
            fires: dbl,
            passes: || with(dbl(), |s| s.gallery.encryption = GalleryEncryption::PlatformKey),
        },
        Row {
            rule: GalVmSource,
            field: "gallery.source.kind",
            fires: || {
                with(gal(), |s| {
                    s.gallery.source.kind = SourceKind::VirtualMachine;
                    s.gallery.source.virtual_machine_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1".into();
                })
            },
            passes: gal,
        },
        Row {
            rule: GalLunDuplicate,
            field: "gallery.targetRegions[0].dataDiskEncryptionSets[1].lun",
            fires: || {
                with(gal(), |s| {
                    let d = region(s, 0).data_disk_encryption_sets[0].clone();
                    region(s, 0).data_disk_encryption_sets.push(d)
                })
            },
            passes: gal,
        },
        Row {
            rule: GalLunUnknown,
            field: "gallery.targetRegions[1].dataDiskEncryptionSets[0].lun",
            fires: || with(snaps(), |s| region(s, 1).data_disk_encryption_sets[0].lun = 1),
            passes: snaps,
        },
        Row {
            rule: GalLunUnencrypted,
            field: "gallery.targetRegions[0].dataDiskEncryptionSets",
            fires: || with(snaps(), |s| region(s, 0).data_disk_encryption_sets.clear()),
            passes: snaps,
        },
        Row {
            rule: GalLunMax,
            field: "gallery.source.dataSnapshots[0].lun",
            fires: || with(snaps(), |s| s.gallery.source.data_snapshots[0].lun = 64),
            passes: snaps,
        },
        Row { rule: GalDoubleEncryption, field: "gallery.encryption", fires: dbl, passes: gal },
        Row { rule: GalPreviewFeature, field: "gallery.registerPreviewFeature", fires: dbl, passes: gal },
        Row {
            rule: GalVmFollowUp,
            field: "gallery.encryption",
            fires: gal,
            passes: || with(gal(), |s| s.gallery.encryption = GalleryEncryption::PlatformKey),
        },
        // Day-2 operations.
        #[cfg(feature = "day2")]
        Row {
            rule: ChangeNoCmk,
            field: "change.existing.keyUri",
            fires: || with(rot(), |s| chg(s).existing.key_uri.clear()),
            passes: rot,
        },
        #[cfg(feature = "day2")]
        Row {
            rule: ChangeNeedsPremium,
            field: "change.existing.sku",
            fires: || with(addnet(), |s| chg(s).existing.sku = Sku::Standard),
            passes: addnet,
        },
        #[cfg(feature = "day2")]
        Row {
            rule: ChangeAcknowledge,
            field: "change.acknowledged",
            fires: || with(revoke(), |s| chg(s).acknowledged = false),
            passes: revoke,
        },
        #[cfg(feature = "day2")]
        Row {
            rule: ChangeAcknowledge,
            field: "change.acknowledged",
            fires: || with(restore(), |s| chg(s).acknowledged = false),
            passes: || with(addnet(), |s| chg(s).acknowledged = false),
        },
        #[cfg(feature = "day2")]
        Row { rule: ChangeRevokeBlocks, field: "change.revoke", fires: revoke, passes: rot },
        #[cfg(feature = "day2")]
        Row {
            rule: ChangeDisableKeyWide,
            field: "change.revoke",
            fires: || with(revoke(), |s| chg(s).revoke = RevokeMethod::DisableKey),
            passes: revoke,
        },
        #[cfg(feature = "day2")]
        Row {
            rule: ChangeDuration,
            field: "change.rotationPolicy.rotateBeforeExpiry",
            fires: || with(auto(), |s| chg(s).rotation_policy.rotate_before_expiry = "30 days".into()),
            passes: auto,
        },
        #[cfg(feature = "day2")]
        Row {
            rule: ChangeDuration,
            field: "change.rotationPolicy.expiryTime",
            fires: || with(auto(), |s| chg(s).rotation_policy.expiry_time = "PD1".into()),
            passes: || with(auto(), |s| chg(s).rotation_policy.expiry_time = "P1Y6M".into()),
        },
        #[cfg(feature = "day2")]
        Row { rule: ChangeAutoRotation, field: "change.rotationPolicy.expiryTime", fires: auto, passes: rot },
        #[cfg(feature = "day2")]
        Row {
            rule: ChangeTrustedOff,
            field: "registry.networking.allowTrustedServices",
            fires: trusted_off,
            passes: task,
        },
        #[cfg(feature = "day2")]
        Row { rule: ChangeTaskBypass, field: "change.existing.tasksBypass", fires: task, passes: trusted_off },
        #[cfg(feature = "day2")]
        Row {
            rule: ChangeTaskAbac,
            field: "change.existing.roleAssignmentMode",
            fires: || with(task(), |s| chg(s).existing.role_assignment_mode = crate::spec::RoleAssignmentMode::Abac),
            passes: task,
        },
        #[cfg(feature = "day2")]
        Row {
            rule: ChangeTrustedCovers,
            field: "registry.networking.allowTrustedServices",
            fires: trusted_off,
            passes: task,
        },
        #[cfg(feature = "day2")]
        Row {
            rule: ChangeZoneRedundancy,
            field: "change.existing.zoneRedundancy",
            fires: || with(task(), |s| chg(s).existing.zone_redundancy = "Enabled".into()),
            passes: task,
        },
        #[cfg(feature = "day2")]
        Row {
            rule: ChangeTaskName,
            field: "change.task.name",
            fires: || with(task(), |s| chg(s).task.name = "t$1".into()),
            passes: task,
        },
        #[cfg(feature = "day2")]
        Row {
            rule: ChangeTaskText,
            field: "change.task.image",
            fires: || with(task(), |s| chg(s).task.image = "a\nb".into()),
            passes: task,
        },
        #[cfg(feature = "day2")]
        Row {
            rule: ChangeNoRules,
            field: "registry.networking.ipRules",
            fires: || with(addnet(), |s| s.registry.networking.ip_rules.clear()),
            passes: addnet,
        },
        #[cfg(feature = "day2")]
        Row { rule: ChangeRestoreOpens, field: "change.operation", fires: restore, passes: addnet },
        Row {
            rule: ChangeReadOnly,
            field: "change.operation",
            fires: || with(rot(), |s| chg(s).operation = Operation::ShowStatus),
            passes: rot,
        },
        #[cfg(feature = "day2")]
        Row {
            rule: ChangeIdentityId,
            field: "change.identityId",
            fires: || {
                with(rot(), |s| {
                    chg(s).identity = KeyIdentity::UserAssigned;
                    chg(s).identity_id = "id-other".into();
                })
            },
            passes: || {
                with(rot(), |s| {
                    chg(s).identity = KeyIdentity::UserAssigned;
                    chg(s).identity_id = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-id/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-other".into();
                })
            },
        },
        #[cfg(feature = "day2")]
        Row {
            rule: ChangeKind,
            field: "change.operation",
            fires: || with(rot(), |s| chg(s).operation = Operation::GalleryAddRegions),
            passes: rot,
        },
        #[cfg(feature = "day2")]
        Row {
            rule: ChangeGalleryRegionExists,
            field: "gallery.targetRegions[0].region",
            fires: || with(add_region(), |s| region(s, 0).region = "japaneast".into()),
            passes: add_region,
        },
        #[cfg(feature = "day2")]
        Row {
            rule: ChangeGalleryReadOnly,
            field: "change.operation",
            fires: || with(add_region(), |s| chg(s).operation = Operation::GalleryShowStatus),
            passes: add_region,
        },
        #[cfg(feature = "day2")]
        Row { rule: ChangeGalleryAddRegions, field: "gallery.targetRegions", fires: add_region, passes: gal },
        // The version's own data disks are the LUNs each new region encrypts.
        #[cfg(feature = "day2")]
        Row {
            rule: GalLunUnencrypted,
            field: "gallery.targetRegions[0].dataDiskEncryptionSets",
            fires: || with(add_region(), |s| chg(s).existing.data_disk_luns = vec![0, 1]),
            passes: add_region,
        },
    ]
}

fn fired(spec: &Spec, rule: Rule) -> Vec<String> {
    check(spec).into_iter().filter(|f| f.rule == rule).map(|f| f.field).collect()
}

#[test]
fn each_row_fires_and_passes() {
    for row in rows() {
        let fields = fired(&(row.fires)(), row.rule);
        assert!(
            fields.iter().any(|f| f == row.field),
            "{} should fire on {}; fired on {fields:?}",
            row.rule.id(),
            row.field
        );
        let passing = fired(&(row.passes)(), row.rule);
        assert!(passing.is_empty(), "{} should not fire on its passing case; fired on {passing:?}", row.rule.id());
    }
}

#[test]
fn every_rule_has_a_row() {
    let covered: Vec<Rule> = rows().iter().map(|r| r.rule).collect();
    for rule in Rule::ALL {
        if cfg!(not(feature = "day2")) && rule.id().starts_with("CHG-") {
            continue;
        }
        assert!(covered.contains(rule), "no table row for {}", rule.id());
    }
}

#[test]
fn examples_have_no_errors() {
    for example in crate::examples::EXAMPLES {
        let spec = crate::spec_json::from_json(example.json).unwrap();
        let errors: Vec<_> =
            check(&spec).into_iter().filter(|f| f.severity() == Severity::Error).map(|f| f.rule.id()).collect();
        assert!(errors.is_empty(), "{}: {errors:?}", example.name);
    }
}

#[test]
fn ids_are_unique_and_messages_render() {
    let mut ids: Vec<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
    ids.sort();
    let n = ids.len();
    ids.dedup();
    assert_eq!(n, ids.len(), "duplicate rule id");
    for row in rows() {
        for f in check(&(row.fires)()) {
            let message = f.message(crate::i18n::Locale::En);
            let unfilled = message.split('{').skip(1).any(|rest| {
                rest.split_once('}').is_some_and(|(name, _)| {
                    !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                })
            });
            assert!(!unfilled, "{}: unfilled placeholder in {message}", f.rule.id());
            assert!(!message.contains('\n'), "{}: one line: {message}", f.rule.id());
            assert!(f.rule.source().url().starts_with("https://learn.microsoft.com/"));
        }
    }
}

/// Registry rules stay silent for a gallery spec and gallery rules for a
/// registry spec: the other kind's section is kept but not deployed.
#[test]
fn kinds_do_not_leak() {
    assert!(check(&gal()).iter().all(|f| !f.field.starts_with("registry")), "{:?}", check(&gal()));
    assert!(check(&cmk()).iter().all(|f| !f.field.starts_with("gallery")));
}

#[test]
fn rules_never_panic_on_the_default_spec() {
    let findings = check(&Spec::default());
    assert!(findings.iter().any(|f| f.rule == Rule::NameRegistry && f.field == "registry.name"));
    assert!(findings.iter().any(|f| f.rule == Rule::NameResourceGroup));
}
