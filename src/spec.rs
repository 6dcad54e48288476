//! The spec: what the user chose, as plain data.
//!
//! A spec is what the wizard edits, what localStorage keeps, what "Export spec"
//! downloads and what the CLI reads. It holds choices, never derived values: the
//! key URI of a key the script will create, the subnet ID of a named subnet and
//! the order of steps are computed later, by the plan.
//!
//! Every field has a default (the Azure portal's where it has one), so a spec may
//! omit anything; unknown fields are rejected so that a typo never goes unnoticed.
//! Values are stored as typed, even when invalid: the rules report what is wrong,
//! and nothing the user typed is lost.

use std::collections::BTreeMap;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

#[cfg(feature = "day2")]
mod change;
mod gallery;
pub(crate) mod read;
#[cfg(feature = "day2")]
pub use change::*;
pub use gallery::*;

/// The spec format's version. Bump it on any incompatible change and teach
/// [`crate::spec_json`] to migrate the older one.
pub const SPEC_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct Spec {
    /// Format version of this document; always 1 for now.
    pub version: u32,
    /// What to deploy: a container registry (the default) or a gallery image
    /// version. The other kind's section is kept but not used.
    pub kind: Kind,
    /// Create (the default) or change what exists (`change` says how).
    #[serde(skip_serializing_if = "Mode::is_create")]
    pub mode: Mode,
    pub cloud: Cloud,
    /// Subscription GUID; empty means "the CLI's current subscription".
    pub subscription_id: String,
    pub resource_group: ResourceGroup,
    /// Azure region name as the CLI spells it, e.g. `koreacentral`.
    pub location: String,
    /// Tag names and values, in the order the user entered them.
    pub tags: Tags,
    pub registry: Registry,
    pub gallery: Gallery,
    /// The day-2 operation, with `mode: change`.
    #[cfg(feature = "day2")]
    #[serde(skip_serializing_if = "Change::is_default")]
    pub change: Change,
    /// Without the `day2` feature (the wizard's wasm) a day-2 section is
    /// kept as it came, unread, so that such a spec is recognized and
    /// refused with a clear message instead of a parse error.
    #[cfg(not(feature = "day2"))]
    #[cfg_attr(not(target_arch = "wasm32"), schemars(skip))]
    #[serde(skip_serializing_if = "serde_json::Value::is_null")]
    pub change: serde_json::Value,
}

impl Default for Spec {
    fn default() -> Self {
        Spec {
            version: SPEC_VERSION,
            kind: Kind::Registry,
            cloud: Cloud::AzureCloud,
            subscription_id: String::new(),
            resource_group: ResourceGroup::default(),
            location: "koreacentral".into(),
            tags: Tags::default(),
            registry: Registry::default(),
            gallery: Gallery::default(),
            mode: Mode::Create,
            change: Default::default(),
        }
    }
}

/// Create something new, or change what exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum Mode {
    #[default]
    Create,
    Change,
}

impl Mode {
    pub fn is_create(&self) -> bool {
        *self == Mode::Create
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum Kind {
    #[default]
    Registry,
    GalleryImageVersion,
}

impl Kind {
    pub const ALL: [Kind; 2] = [Kind::Registry, Kind::GalleryImageVersion];
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Registry => "registry",
            Kind::GalleryImageVersion => "galleryImageVersion",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
pub enum Cloud {
    #[default]
    AzureCloud,
    #[serde(rename = "AzureUSGovernment")]
    AzureUsGovernment,
    AzureChinaCloud,
}

impl Cloud {
    pub const ALL: [Cloud; 3] = [Cloud::AzureCloud, Cloud::AzureUsGovernment, Cloud::AzureChinaCloud];

    /// The name `az cloud set` and `Connect-AzAccount -Environment` accept.
    pub fn cli_name(self) -> &'static str {
        match self {
            Cloud::AzureCloud => "AzureCloud",
            Cloud::AzureUsGovernment => "AzureUSGovernment",
            Cloud::AzureChinaCloud => "AzureChinaCloud",
        }
    }

    /// The PowerShell environment name (`Get-AzEnvironment`).
    pub fn powershell_name(self) -> &'static str {
        match self {
            Cloud::AzureCloud => "AzureCloud",
            Cloud::AzureUsGovernment => "AzureUSGovernment",
            Cloud::AzureChinaCloud => "AzureChinaCloud",
        }
    }

    /// DNS suffix of Key Vault in this cloud.
    pub fn vault_suffix(self) -> &'static str {
        match self {
            Cloud::AzureCloud => "vault.azure.net",
            Cloud::AzureUsGovernment => "vault.usgovcloudapi.net",
            Cloud::AzureChinaCloud => "vault.azure.cn",
        }
    }

    /// DNS suffix of Managed HSM in this cloud.
    pub fn managed_hsm_suffix(self) -> &'static str {
        match self {
            Cloud::AzureCloud => "managedhsm.azure.net",
            Cloud::AzureUsGovernment => "managedhsm.usgovcloudapi.net",
            Cloud::AzureChinaCloud => "managedhsm.azure.cn",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct ResourceGroup {
    pub name: String,
    /// Create the group (`az group create`); false uses an existing one.
    pub create: bool,
}

impl Default for ResourceGroup {
    fn default() -> Self {
        ResourceGroup { name: String::new(), create: true }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct Registry {
    pub name: String,
    pub sku: Sku,
    pub admin_user_enabled: bool,
    pub zone_redundancy: bool,
    /// Docker content trust (Notary v1). Not supported with a customer-managed key.
    pub content_trust: bool,
    pub encryption: Encryption,
    pub networking: Networking,
}

impl Default for Registry {
    fn default() -> Self {
        Registry {
            name: String::new(),
            // The portal's Create container registry blade preselects Standard.
            sku: Sku::Standard,
            admin_user_enabled: false,
            zone_redundancy: false,
            content_trust: false,
            encryption: Encryption::default(),
            networking: Networking::default(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
pub enum Sku {
    Basic,
    #[default]
    Standard,
    Premium,
}

impl Sku {
    pub const ALL: [Sku; 3] = [Sku::Basic, Sku::Standard, Sku::Premium];
    pub fn as_str(self) -> &'static str {
        match self {
            Sku::Basic => "Basic",
            Sku::Standard => "Standard",
            Sku::Premium => "Premium",
        }
    }
}

/// Encryption at rest. With `customerManagedKey` off the other fields are kept
/// (the user may switch back) but nothing is emitted for them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
#[derive(Default)]
pub struct Encryption {
    pub customer_managed_key: bool,
    /// The user-assigned identity the registry uses at creation.
    pub identity: Identity,
    /// After creation, enable the registry's system-assigned identity, grant it
    /// key access and switch encryption to it (seed 000, advanced scenarios).
    pub use_system_assigned_after_create: bool,
    pub key_vault: KeyVault,
    pub key: Key,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct Identity {
    pub name: String,
    pub create: bool,
    /// Resource group of an existing identity; empty means the spec's group.
    pub resource_group: String,
}

impl Default for Identity {
    fn default() -> Self {
        Identity { name: String::new(), create: true, resource_group: String::new() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct KeyVault {
    pub name: String,
    pub create: bool,
    /// Resource group of an existing vault; empty means the spec's group.
    pub resource_group: String,
    pub permission_model: PermissionModel,
    /// Close the vault's firewall (default action Deny, trusted services bypass).
    pub firewall: bool,
}

impl Default for KeyVault {
    fn default() -> Self {
        KeyVault {
            name: String::new(),
            create: true,
            resource_group: String::new(),
            permission_model: PermissionModel::Rbac,
            firewall: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum PermissionModel {
    /// Azure role-based access control: today's default for new vaults.
    #[default]
    Rbac,
    /// Vault access policies, as the 2020 documents use.
    AccessPolicy,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct Key {
    /// Create a key in the vault, or use an existing key by its URI.
    pub create: bool,
    /// Name of the key to create.
    pub name: String,
    pub kty: KeyType,
    pub size: KeySize,
    /// For a new key: give the registry the versionless key URI, so that it
    /// follows new key versions automatically.
    pub versionless: bool,
    /// URI of an existing key: `https://VAULT.vault.azure.net/keys/NAME[/VERSION]`
    /// (a Managed HSM key too). Without a version the registry rotates automatically.
    pub key_id: String,
}

impl Default for Key {
    fn default() -> Self {
        Key {
            create: true,
            name: String::new(),
            kty: KeyType::Rsa,
            size: KeySize::Rsa2048,
            versionless: true,
            key_id: String::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
pub enum KeyType {
    #[default]
    #[serde(rename = "RSA")]
    Rsa,
    #[serde(rename = "RSA-HSM")]
    RsaHsm,
}

impl KeyType {
    pub const ALL: [KeyType; 2] = [KeyType::Rsa, KeyType::RsaHsm];
    pub fn as_str(self) -> &'static str {
        match self {
            KeyType::Rsa => "RSA",
            KeyType::RsaHsm => "RSA-HSM",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(into = "u32", try_from = "u32")]
pub enum KeySize {
    #[default]
    Rsa2048,
    Rsa3072,
    Rsa4096,
}

impl KeySize {
    pub const ALL: [KeySize; 3] = [KeySize::Rsa2048, KeySize::Rsa3072, KeySize::Rsa4096];
    pub fn bits(self) -> u32 {
        match self {
            KeySize::Rsa2048 => 2048,
            KeySize::Rsa3072 => 3072,
            KeySize::Rsa4096 => 4096,
        }
    }
}

impl From<KeySize> for u32 {
    fn from(s: KeySize) -> u32 {
        s.bits()
    }
}

impl TryFrom<u32> for KeySize {
    type Error = String;
    fn try_from(bits: u32) -> Result<Self, String> {
        KeySize::ALL
            .into_iter()
            .find(|s| s.bits() == bits)
            .ok_or_else(|| format!("RSA key size must be 2048, 3072 or 4096, not {bits}"))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct Networking {
    pub public_access: PublicAccess,
    /// IPv4 addresses or CIDR ranges allowed with `selectedNetworks`.
    pub ip_rules: Vec<String>,
    /// Subnets allowed through service endpoints (preview, being retired).
    pub vnet_rules: Vec<VnetRule>,
    /// Let trusted Microsoft services bypass the network rules.
    pub allow_trusted_services: bool,
    /// Let ACR Tasks' system-assigned identities bypass the network rules
    /// (`networkRuleBypassAllowedForTasks`). Since 2025-06-01 tasks are no
    /// trusted service: without it their runs get 403 on a network-restricted
    /// registry (Learn: Manage network bypass policy for tasks).
    pub allow_tasks_bypass: bool,
}

impl Default for Networking {
    fn default() -> Self {
        Networking {
            public_access: PublicAccess::All,
            ip_rules: Vec::new(),
            vnet_rules: Vec::new(),
            allow_trusted_services: true,
            allow_tasks_bypass: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum PublicAccess {
    /// Public endpoint open to all networks (default action Allow).
    #[default]
    All,
    /// Public endpoint, default action Deny, only the listed rules allowed.
    SelectedNetworks,
    /// Public endpoint off (`publicNetworkAccess = Disabled`).
    Disabled,
}

/// A subnet allowed through its `Microsoft.ContainerRegistry` service endpoint:
/// either a full subnet resource ID, or a VNet and subnet name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct VnetRule {
    /// Full subnet resource ID; when set, the name fields are ignored.
    pub subnet_id: String,
    pub vnet_name: String,
    pub subnet_name: String,
    /// Resource group of the VNet; empty means the spec's group.
    pub resource_group: String,
    /// Subscription of the VNet; empty means the spec's subscription.
    pub subscription_id: String,
    /// Add the `Microsoft.ContainerRegistry` service endpoint to the subnet.
    pub add_service_endpoint: bool,
}

impl Default for VnetRule {
    fn default() -> Self {
        VnetRule {
            subnet_id: String::new(),
            vnet_name: String::new(),
            subnet_name: String::new(),
            resource_group: String::new(),
            subscription_id: String::new(),
            add_service_endpoint: true,
        }
    }
}

impl Spec {
    /// Whether the registry to create is encrypted with a customer-managed key.
    pub fn cmk(&self) -> Option<&Encryption> {
        let e = &self.registry.encryption;
        (self.mode == Mode::Create && e.customer_managed_key).then_some(e)
    }

    /// Whether the spec changes what exists (day 2) instead of creating.
    pub fn is_change(&self) -> bool {
        self.mode == Mode::Change
    }

    /// The day-2 operation, when the spec changes what exists.
    #[cfg(feature = "day2")]
    pub fn change(&self) -> Option<&Change> {
        self.is_change().then_some(&self.change)
    }

    /// The resource group of an optional "other group" field: empty means ours.
    pub fn group_or_default<'a>(&'a self, group: &'a str) -> &'a str {
        if group.is_empty() {
            &self.resource_group.name
        } else {
            group
        }
    }
}

/// Tags as the user typed them: a JSON object in files, but kept as ordered
/// rows so that a row being edited (empty name, a name typed twice) is never
/// merged away or lost. The rules flag empty and duplicate names; the plan
/// turns valid tags into a map.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Tags(pub Vec<(String, String)>);

impl Tags {
    /// Sets a tag like a map would: replaces the value of a row with this exact
    /// name, or appends a row.
    pub fn insert(&mut self, name: String, value: String) {
        match self.0.iter_mut().find(|(n, _)| *n == name) {
            Some(row) => row.1 = value,
            None => self.0.push((name, value)),
        }
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }
    /// The tags as Azure stores them (only meaningful without duplicate names).
    pub fn to_map(&self) -> BTreeMap<String, String> {
        self.0.iter().cloned().collect()
    }
}

impl<const N: usize> From<[(&str, &str); N]> for Tags {
    fn from(rows: [(&str, &str); N]) -> Self {
        Tags(rows.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect())
    }
}

impl Serialize for Tags {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl schemars::JsonSchema for Tags {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Tags".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "object", "additionalProperties": { "type": "string" } })
    }
}
