//! Reading a spec out of a parsed JSON document, field by field.
//!
//! Written by hand rather than derived: serde's derived deserializers were
//! 55 KB of the page's wasm code (a visitor per type for maps and for
//! sequences, monomorphized per deserializer), the largest single part of a
//! first visit; these readers are a few lines per type over one shared set of
//! helpers. They also know where they are, so an error names its JSON path
//! (`$.registry.networking.ipRules[1]`) without a second pass.
//!
//! The rules of the format: every field is optional (a missing one keeps
//! the type's `Default`), an unknown field is an error (a typo never goes
//! unnoticed), and a value of the wrong type is an error at its path.
//! Messages follow serde's wording, which the CLI has always printed.
//! Writing stays with serde's derived `Serialize`; `tests` below hold the two
//! to the same field names.

use serde_json::{Map, Value};

use super::*;

/// Where in the document a value is: a chain of keys and indices.
pub(crate) enum At<'a> {
    Root,
    Key(&'a At<'a>, &'a str),
    Index(&'a At<'a>, usize),
}

impl At<'_> {
    pub(crate) fn path(&self) -> String {
        match self {
            At::Root => "$".to_string(),
            At::Key(parent, key) => format!("{}.{key}", parent.path()),
            At::Index(parent, index) => format!("{}[{index}]", parent.path()),
        }
    }
}

/// A value that is not what its place in a spec wants.
#[derive(Debug)]
pub(crate) struct Misfit {
    pub path: String,
    pub message: String,
}

fn misfit(at: &At, message: String) -> Misfit {
    Misfit { path: at.path(), message }
}

/// serde's words for what a value is (`Unexpected`).
fn what(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(n) if n.is_f64() => format!("floating point `{n}`"),
        Value::Number(n) => format!("integer `{n}`"),
        Value::String(s) => format!("string {}", Value::String(s.clone())),
        Value::Array(_) => "sequence".into(),
        Value::Object(_) => "map".into(),
    }
}

fn invalid_type(value: &Value, at: &At, expected: &str) -> Misfit {
    misfit(at, format!("invalid type: {}, expected {expected}", what(value)))
}

/// A type a spec document holds.
pub(crate) trait Read: Sized {
    fn read(value: &Value, at: &At) -> Result<Self, Misfit>;
}

impl Read for String {
    fn read(value: &Value, at: &At) -> Result<Self, Misfit> {
        value.as_str().map(str::to_string).ok_or_else(|| invalid_type(value, at, "a string"))
    }
}

impl Read for bool {
    fn read(value: &Value, at: &At) -> Result<Self, Misfit> {
        value.as_bool().ok_or_else(|| invalid_type(value, at, "a boolean"))
    }
}

impl Read for u32 {
    fn read(value: &Value, at: &At) -> Result<Self, Misfit> {
        match value {
            Value::Number(n) if n.is_u64() || n.is_i64() => n
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| misfit(at, format!("invalid value: integer `{n}`, expected u32"))),
            _ => Err(invalid_type(value, at, "u32")),
        }
    }
}

impl<T: Read> Read for Vec<T> {
    fn read(value: &Value, at: &At) -> Result<Self, Misfit> {
        let items = value.as_array().ok_or_else(|| invalid_type(value, at, "a sequence"))?;
        items.iter().enumerate().map(|(i, item)| T::read(item, &At::Index(at, i))).collect()
    }
}

impl Read for Value {
    fn read(value: &Value, _: &At) -> Result<Self, Misfit> {
        Ok(value.clone())
    }
}

/// Tag rows in the document's order (see [`Tags`]).
impl Read for Tags {
    fn read(value: &Value, at: &At) -> Result<Self, Misfit> {
        let map =
            value.as_object().ok_or_else(|| invalid_type(value, at, "an object of tag names to string values"))?;
        let rows = map.iter().map(|(name, value)| Ok((name.clone(), String::read(value, &At::Key(at, name))?)));
        Ok(Tags(rows.collect::<Result<_, _>>()?))
    }
}

impl Read for KeySize {
    fn read(value: &Value, at: &At) -> Result<Self, Misfit> {
        KeySize::try_from(u32::read(value, at)?).map_err(|message| misfit(at, message))
    }
}

/// The members of an object that a struct has, and an error for one it has not.
fn fields<'v>(value: &'v Value, at: &At, name: &str) -> Result<&'v Map<String, Value>, Misfit> {
    value.as_object().ok_or_else(|| invalid_type(value, at, &format!("struct {name}")))
}

fn unknown_field(at: &At, key: &str, known: &[&str]) -> Misfit {
    let known: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
    misfit(at, format!("unknown field `{key}`, expected one of {}", known.join(", ")))
}

/// Which of `names` a string value is.
fn variant(value: &Value, at: &At, names: &[&str]) -> Result<usize, Misfit> {
    let text = value.as_str().ok_or_else(|| invalid_type(value, at, "a string"))?;
    names.iter().position(|n| *n == text).ok_or_else(|| {
        let known: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
        misfit(at, format!("unknown variant `{text}`, expected one of {}", known.join(", ")))
    })
}

/// A struct read field by field onto its `Default`.
macro_rules! read_struct {
    ($($ty:ident { $($key:literal => $field:ident),* $(,)? })*) => {$(
        impl Read for $ty {
            fn read(value: &Value, at: &At) -> Result<Self, Misfit> {
                const KNOWN: &[&str] = &[$($key),*];
                let mut out = $ty::default();
                for (key, value) in fields(value, at, stringify!($ty))? {
                    let at = At::Key(at, key);
                    match key.as_str() {
                        $($key => out.$field = Read::read(value, &at)?,)*
                        _ => return Err(unknown_field(&at, key, KNOWN)),
                    }
                }
                Ok(out)
            }
        }
    )*};
}

/// An enum written as one of its names.
macro_rules! read_enum {
    ($($ty:ident { $($name:literal => $variant:ident),* $(,)? })*) => {$(
        impl Read for $ty {
            fn read(value: &Value, at: &At) -> Result<Self, Misfit> {
                const NAMES: &[&str] = &[$($name),*];
                const VARIANTS: &[$ty] = &[$($ty::$variant),*];
                Ok(VARIANTS[variant(value, at, NAMES)?])
            }
        }
    )*};
}

read_struct! {
    Spec {
        "version" => version, "kind" => kind, "mode" => mode, "cloud" => cloud,
        "subscriptionId" => subscription_id, "resourceGroup" => resource_group, "location" => location,
        "tags" => tags, "registry" => registry, "gallery" => gallery, "change" => change,
    }
    ResourceGroup { "name" => name, "create" => create }
    Registry {
        "name" => name, "sku" => sku, "adminUserEnabled" => admin_user_enabled,
        "zoneRedundancy" => zone_redundancy, "contentTrust" => content_trust,
        "encryption" => encryption, "networking" => networking,
    }
    Encryption {
        "customerManagedKey" => customer_managed_key, "identity" => identity,
        "useSystemAssignedAfterCreate" => use_system_assigned_after_create, "keyVault" => key_vault, "key" => key,
    }
    Identity { "name" => name, "create" => create, "resourceGroup" => resource_group }
    KeyVault {
        "name" => name, "create" => create, "resourceGroup" => resource_group,
        "permissionModel" => permission_model, "firewall" => firewall,
    }
    Key {
        "create" => create, "name" => name, "kty" => kty, "size" => size,
        "versionless" => versionless, "keyId" => key_id,
    }
    Networking {
        "publicAccess" => public_access, "ipRules" => ip_rules, "vnetRules" => vnet_rules,
        "allowTrustedServices" => allow_trusted_services, "allowTasksBypass" => allow_tasks_bypass,
    }
    VnetRule {
        "subnetId" => subnet_id, "vnetName" => vnet_name, "subnetName" => subnet_name,
        "resourceGroup" => resource_group, "subscriptionId" => subscription_id,
        "addServiceEndpoint" => add_service_endpoint,
    }
    Gallery {
        "name" => name, "imageDefinition" => image_definition, "version" => version, "source" => source,
        "endOfLifeDate" => end_of_life_date, "excludeFromLatest" => exclude_from_latest,
        "encryption" => encryption, "targetRegions" => target_regions,
        "registerPreviewFeature" => register_preview_feature,
    }
    ImageSource {
        "kind" => kind, "managedImageId" => managed_image_id, "osSnapshotId" => os_snapshot_id,
        "dataSnapshots" => data_snapshots, "virtualMachineId" => virtual_machine_id,
    }
    DataSnapshot { "lun" => lun, "snapshotId" => snapshot_id }
    TargetRegion {
        "region" => region, "replicaCount" => replica_count, "storageAccountType" => storage_account_type,
        "osDiskEncryptionSetId" => os_disk_encryption_set_id, "dataDiskEncryptionSets" => data_disk_encryption_sets,
    }
    DataDiskEncryption { "lun" => lun, "diskEncryptionSetId" => disk_encryption_set_id }
}

read_enum! {
    Kind { "registry" => Registry, "galleryImageVersion" => GalleryImageVersion }
    Mode { "create" => Create, "change" => Change }
    Cloud { "AzureCloud" => AzureCloud, "AzureUSGovernment" => AzureUsGovernment, "AzureChinaCloud" => AzureChinaCloud }
    Sku { "Basic" => Basic, "Standard" => Standard, "Premium" => Premium }
    PermissionModel { "rbac" => Rbac, "accessPolicy" => AccessPolicy }
    KeyType { "RSA" => Rsa, "RSA-HSM" => RsaHsm }
    PublicAccess { "all" => All, "selectedNetworks" => SelectedNetworks, "disabled" => Disabled }
    SourceKind { "managedImage" => ManagedImage, "snapshots" => Snapshots, "virtualMachine" => VirtualMachine }
    GalleryEncryption {
        "platformKey" => PlatformKey, "customerKey" => CustomerKey, "platformAndCustomerKeys" => PlatformAndCustomerKeys,
    }
    StorageAccountType { "Standard_LRS" => StandardLrs, "Standard_ZRS" => StandardZrs, "Premium_LRS" => PremiumLrs }
}

#[cfg(feature = "day2")]
read_struct! {
    Change {
        "operation" => operation, "existing" => existing, "keyId" => key_id, "versionless" => versionless,
        "identity" => identity, "identityId" => identity_id, "rotationPolicy" => rotation_policy,
        "revoke" => revoke, "acknowledged" => acknowledged, "task" => task,
    }
    Existing {
        "sku" => sku, "keyUri" => key_uri, "keyIdentity" => key_identity, "userIdentities" => user_identities,
        "systemPrincipalId" => system_principal_id, "publicAccess" => public_access, "ipRules" => ip_rules,
        "vnetRules" => vnet_rules, "allowTrustedServices" => allow_trusted_services,
        "tasksBypass" => tasks_bypass, "roleAssignmentMode" => role_assignment_mode,
        "loginServer" => login_server, "dnlScope" => dnl_scope, "zoneRedundancy" => zone_redundancy,
        "targetRegions" => target_regions, "dataDiskLuns" => data_disk_luns,
    }
    RotationPolicy {
        "expiryTime" => expiry_time, "rotateBeforeExpiry" => rotate_before_expiry,
        "notifyBeforeExpiry" => notify_before_expiry,
    }
    Task { "name" => name, "image" => image, "context" => context, "role" => role }
}

#[cfg(feature = "day2")]
read_enum! {
    Operation {
        "rotateKey" => RotateKey, "autoRotation" => AutoRotation, "revokeKeyAccess" => RevokeKeyAccess,
        "restoreKeyAccess" => RestoreKeyAccess, "systemIdentityVaultFirewall" => SystemIdentityVaultFirewall,
        "trustedServices" => TrustedServices, "trustedServiceTask" => TrustedServiceTask,
        "addNetworkRules" => AddNetworkRules, "restoreDefaultAccess" => RestoreDefaultAccess,
        "showStatus" => ShowStatus, "galleryAddRegions" => GalleryAddRegions,
        "galleryShowStatus" => GalleryShowStatus,
    }
    KeyIdentity { "current" => Current, "system" => System, "userAssigned" => UserAssigned }
    RevokeMethod { "removeAccess" => RemoveAccess, "disableKey" => DisableKey }
    TaskRole { "AcrPull" => AcrPull, "AcrPush" => AcrPush }
    RoleAssignmentMode { "LegacyRegistryPermissions" => Legacy, "AbacRepositoryPermissions" => Abac }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A spec with a non-default value in every field, every list non-empty
    /// and every optional section written.
    fn everything() -> Spec {
        let mut spec = Spec {
            kind: Kind::GalleryImageVersion,
            cloud: Cloud::AzureUsGovernment,
            subscription_id: "s".into(),
            resource_group: ResourceGroup { name: "g".into(), create: false },
            location: "eastus".into(),
            tags: Tags::from([("a", "1"), ("b", "2")]),
            ..Spec::default()
        };
        let r = &mut spec.registry;
        r.name = "r".into();
        r.sku = Sku::Premium;
        r.admin_user_enabled = true;
        r.zone_redundancy = true;
        r.content_trust = true;
        r.encryption = Encryption {
            customer_managed_key: true,
            identity: Identity { name: "i".into(), create: false, resource_group: "ig".into() },
            use_system_assigned_after_create: true,
            key_vault: KeyVault {
                name: "v".into(),
                create: false,
                resource_group: "vg".into(),
                permission_model: PermissionModel::AccessPolicy,
                firewall: true,
            },
            key: Key {
                create: false,
                name: "k".into(),
                kty: KeyType::RsaHsm,
                size: KeySize::Rsa4096,
                versionless: false,
                key_id: "u".into(),
            },
        };
        r.networking = Networking {
            public_access: PublicAccess::SelectedNetworks,
            ip_rules: vec!["1.2.3.4".into()],
            vnet_rules: vec![VnetRule {
                subnet_id: "sid".into(),
                vnet_name: "vn".into(),
                subnet_name: "sn".into(),
                resource_group: "rg".into(),
                subscription_id: "sub".into(),
                add_service_endpoint: false,
            }],
            allow_trusted_services: false,
            allow_tasks_bypass: true,
        };
        spec.gallery = Gallery {
            name: "gal".into(),
            image_definition: "def".into(),
            version: "1.2.3".into(),
            source: ImageSource {
                kind: SourceKind::Snapshots,
                managed_image_id: "m".into(),
                os_snapshot_id: "o".into(),
                data_snapshots: vec![DataSnapshot { lun: 3, snapshot_id: "d".into() }],
                virtual_machine_id: "vm".into(),
            },
            end_of_life_date: "2030-01-01".into(),
            exclude_from_latest: true,
            encryption: GalleryEncryption::PlatformAndCustomerKeys,
            target_regions: vec![TargetRegion {
                region: "westus".into(),
                replica_count: 7,
                storage_account_type: StorageAccountType::PremiumLrs,
                os_disk_encryption_set_id: "des".into(),
                data_disk_encryption_sets: vec![DataDiskEncryption { lun: 3, disk_encryption_set_id: "dd".into() }],
            }],
            register_preview_feature: true,
        };
        spec.mode = Mode::Change;
        #[cfg(feature = "day2")]
        {
            spec.change = Change {
                operation: Operation::TrustedServiceTask,
                existing: Existing {
                    sku: Sku::Basic,
                    key_uri: "ku".into(),
                    key_identity: "ki".into(),
                    user_identities: vec!["ui".into()],
                    system_principal_id: "sp".into(),
                    public_access: PublicAccess::Disabled,
                    ip_rules: vec!["5.6.7.8".into()],
                    vnet_rules: vec!["vr".into()],
                    allow_trusted_services: false,
                    tasks_bypass: true,
                    role_assignment_mode: RoleAssignmentMode::Abac,
                    login_server: "ls".into(),
                    dnl_scope: "TenantReuse".into(),
                    zone_redundancy: "Enabled".into(),
                    target_regions: vec!["westus".into()],
                    data_disk_luns: vec![2],
                },
                key_id: "kid".into(),
                versionless: false,
                identity: KeyIdentity::UserAssigned,
                identity_id: "iid".into(),
                rotation_policy: RotationPolicy {
                    expiry_time: "P2Y".into(),
                    rotate_before_expiry: "P60D".into(),
                    notify_before_expiry: "P10D".into(),
                },
                revoke: RevokeMethod::DisableKey,
                acknowledged: true,
                task: Task { name: "t".into(), image: "im".into(), context: "c".into(), role: TaskRole::AcrPull },
            };
        }
        spec
    }

    /// serde writes every field of `everything()` (none is skipped), so a
    /// misspelled key fails here as an unknown field, and distinct values
    /// catch a key read into the wrong field.
    #[test]
    fn every_field_serde_writes_is_read_back() {
        let spec = everything();
        let written = serde_json::to_value(&spec).unwrap();
        assert_eq!(Spec::read(&written, &At::Root).unwrap(), spec);
    }

    #[test]
    fn every_enum_name_serde_writes_is_read_back() {
        for sku in Sku::ALL {
            let written = serde_json::to_value(sku).unwrap();
            assert_eq!(Sku::read(&written, &At::Root).unwrap(), sku);
        }
        for kind in Kind::ALL {
            assert_eq!(Kind::read(&serde_json::to_value(kind).unwrap(), &At::Root).unwrap(), kind);
        }
        #[cfg(feature = "day2")]
        for op in Operation::ALL {
            assert_eq!(Operation::read(&serde_json::to_value(op).unwrap(), &At::Root).unwrap(), op);
        }
    }

    #[test]
    fn errors_say_where_and_what() {
        let read = |text: &str| {
            let e = Spec::read(&serde_json::from_str(text).unwrap(), &At::Root).unwrap_err();
            format!("{}: {}", e.path, e.message)
        };
        assert_eq!(
            read(r#"{"registry": {"sku": "Gold"}}"#),
            "$.registry.sku: unknown variant `Gold`, expected one of `Basic`, `Standard`, `Premium`"
        );
        assert_eq!(
            read(r#"{"registry": {"adminUserEnabled": "yes"}}"#),
            "$.registry.adminUserEnabled: invalid type: string \"yes\", expected a boolean"
        );
        assert_eq!(
            read(r#"{"gallery": {"targetRegions": [{}, {"replicaCount": -1}]}}"#),
            "$.gallery.targetRegions[1].replicaCount: invalid value: integer `-1`, expected u32"
        );
        assert_eq!(
            read(r#"{"gallery": {"targetRegions": [{"replicaCount": 1.5}]}}"#),
            "$.gallery.targetRegions[0].replicaCount: invalid type: floating point `1.5`, expected u32"
        );
        assert_eq!(read(r#"{"registry": []}"#), "$.registry: invalid type: sequence, expected struct Registry");
        assert!(read(r#"{"registry": {"skuu": 1}}"#)
            .starts_with("$.registry.skuu: unknown field `skuu`, expected one of `name`, `sku`,"));
        assert_eq!(read(r#"{"tags": {"a": null}}"#), "$.tags.a: invalid type: null, expected a string");
    }
}
