//! Day-2: one change to a registry or an image version that already exists
//! (rotate, revoke and restore a key, move to the system-assigned identity
//! behind a vault firewall, trusted services, network rules, a new region).
//!
//! The spec says what exists now (`existing`, filled from the resource's
//! pasted JSON or typed) and what to change; the registry's name and group are
//! the spec's, the vault its `registry.encryption.keyVault`, the rules to add
//! its `registry.networking`, the regions to add its `gallery.targetRegions`.

use serde::Serialize;

use super::{PublicAccess, Sku};

/// One day-2 operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum Operation {
    /// A new version of the current key, or another key; same or other identity.
    #[default]
    RotateKey,
    /// A Key Vault rotation policy that makes new key versions, which a
    /// versionless key URI follows.
    AutoRotation,
    /// Remove the registry identity's access to the key, or disable the key.
    RevokeKeyAccess,
    /// Give the access back (or enable the key).
    RestoreKeyAccess,
    /// Enable the system-assigned identity, grant it, switch to it, then close
    /// the vault's firewall to all but trusted services.
    SystemIdentityVaultFirewall,
    /// Turn "allow trusted services" on or off (`registry.networking`).
    TrustedServices,
    /// Let an ACR task in through its system-assigned identity.
    TrustedServiceTask,
    /// Add IP and virtual network rules (`registry.networking`) and deny the rest.
    AddNetworkRules,
    /// Remove every network rule and allow all networks again.
    RestoreDefaultAccess,
    /// Show the registry's encryption, identities and network rules; change nothing.
    ShowStatus,
    /// Replicate an image version to more regions, with their disk encryption sets.
    GalleryAddRegions,
    /// Show an image version's regions and their disk encryption sets; change nothing.
    GalleryShowStatus,
}

impl Operation {
    pub const ALL: [Operation; 12] = [
        Operation::RotateKey,
        Operation::AutoRotation,
        Operation::RevokeKeyAccess,
        Operation::RestoreKeyAccess,
        Operation::SystemIdentityVaultFirewall,
        Operation::TrustedServices,
        Operation::TrustedServiceTask,
        Operation::AddNetworkRules,
        Operation::RestoreDefaultAccess,
        Operation::ShowStatus,
        Operation::GalleryAddRegions,
        Operation::GalleryShowStatus,
    ];

    /// The operations that take access away: they need the user's
    /// acknowledgement before code is shown, and a confirmation when run.
    pub fn is_destructive(self, allow_trusted_services: bool) -> bool {
        match self {
            Operation::RevokeKeyAccess | Operation::RestoreDefaultAccess => true,
            Operation::TrustedServices => !allow_trusted_services,
            _ => false,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Operation::RotateKey => "rotateKey",
            Operation::AutoRotation => "autoRotation",
            Operation::RevokeKeyAccess => "revokeKeyAccess",
            Operation::RestoreKeyAccess => "restoreKeyAccess",
            Operation::SystemIdentityVaultFirewall => "systemIdentityVaultFirewall",
            Operation::TrustedServices => "trustedServices",
            Operation::TrustedServiceTask => "trustedServiceTask",
            Operation::AddNetworkRules => "addNetworkRules",
            Operation::RestoreDefaultAccess => "restoreDefaultAccess",
            Operation::ShowStatus => "showStatus",
            Operation::GalleryAddRegions => "galleryAddRegions",
            Operation::GalleryShowStatus => "galleryShowStatus",
        }
    }

    /// The operations on the registry's customer-managed key.
    pub fn acts_on_key(self) -> bool {
        matches!(
            self,
            Operation::RotateKey
                | Operation::AutoRotation
                | Operation::RevokeKeyAccess
                | Operation::RestoreKeyAccess
                | Operation::SystemIdentityVaultFirewall
        )
    }

    pub fn on_gallery(self) -> bool {
        matches!(self, Operation::GalleryAddRegions | Operation::GalleryShowStatus)
    }

    /// The operation kept when "What to deploy" changes: an image version
    /// has one operation, and a registry any other.
    pub fn for_kind(self, kind: crate::spec::Kind) -> Operation {
        match (kind, self.on_gallery()) {
            (crate::spec::Kind::GalleryImageVersion, true) => self,
            (crate::spec::Kind::GalleryImageVersion, false) => Operation::GalleryAddRegions,
            (crate::spec::Kind::Registry, true) => Operation::RotateKey,
            (crate::spec::Kind::Registry, false) => self,
        }
    }
}

/// The identity the registry reaches its key with after the change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum KeyIdentity {
    /// The one it uses now.
    #[default]
    Current,
    /// The registry's system-assigned identity (enabled and granted first).
    System,
    /// A user-assigned identity (`identityId`), granted first.
    UserAssigned,
}

/// How access to the key is taken away.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum RevokeMethod {
    /// Remove the identity's role assignment or access policy on the vault.
    #[default]
    RemoveAccess,
    /// Disable the key itself (every registry and service using it is cut off).
    DisableKey,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
pub enum TaskRole {
    #[default]
    AcrPull,
    AcrPush,
}

impl TaskRole {
    pub fn as_str(self) -> &'static str {
        match self {
            TaskRole::AcrPull => "AcrPull",
            TaskRole::AcrPush => "AcrPush",
        }
    }

    /// The built-in role that gives this access in `mode`. An ABAC registry
    /// does not honour AcrPull/AcrPush; its repository roles do the same
    /// (Learn: Azure built-in roles, Containers: Container Registry
    /// Repository Reader b93aa761-3e63-49ed-ac28-beffa264f7ac, Writer
    /// 2a1e307c-b015-4ebd-883e-5b7698a07328).
    pub fn role_name(self, mode: RoleAssignmentMode) -> &'static str {
        match (mode, self) {
            (RoleAssignmentMode::Legacy, role) => role.as_str(),
            (RoleAssignmentMode::Abac, TaskRole::AcrPull) => "Container Registry Repository Reader",
            (RoleAssignmentMode::Abac, TaskRole::AcrPush) => "Container Registry Repository Writer",
        }
    }
}

/// A registry's `roleAssignmentMode` (registries@2025-11-01).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
pub enum RoleAssignmentMode {
    /// `LegacyRegistryPermissions`: AcrPull, AcrPush, AcrDelete.
    #[default]
    #[serde(rename = "LegacyRegistryPermissions")]
    Legacy,
    /// `AbacRepositoryPermissions`: the Container Registry Repository roles,
    /// optionally with conditions per repository.
    #[serde(rename = "AbacRepositoryPermissions")]
    Abac,
}

impl RoleAssignmentMode {
    pub fn as_str(self) -> &'static str {
        match self {
            RoleAssignmentMode::Legacy => "LegacyRegistryPermissions",
            RoleAssignmentMode::Abac => "AbacRepositoryPermissions",
        }
    }
}

/// Key Vault rotation policy: ISO 8601 durations, as `az keyvault key
/// rotation-policy update` and `Set-AzKeyVaultKeyRotationPolicy` take them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct RotationPolicy {
    /// How long a new key version is valid, e.g. `P1Y`.
    pub expiry_time: String,
    /// Rotate this long before a version expires, e.g. `P30D`.
    pub rotate_before_expiry: String,
    /// Notify (Event Grid) this long before a version expires, e.g. `P30D`.
    pub notify_before_expiry: String,
}

impl Default for RotationPolicy {
    fn default() -> Self {
        RotationPolicy {
            expiry_time: "P1Y".into(),
            rotate_before_expiry: "P30D".into(),
            notify_before_expiry: "P30D".into(),
        }
    }
}

/// An ACR task let through the network rules by its system-assigned identity
/// (the trusted-services workflow of the document on trusted services).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct Task {
    pub name: String,
    /// The image the task builds and pushes, e.g. `hello-world:{{.Run.ID}}`.
    pub image: String,
    /// A Git repository URL or another build context the task builds from.
    pub context: String,
    pub role: TaskRole,
}

impl Default for Task {
    fn default() -> Self {
        Task { name: String::new(), image: String::new(), context: String::new(), role: TaskRole::AcrPush }
    }
}

/// What the registry (or, for `galleryAddRegions`, the image version) has
/// now, as its JSON says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct Existing {
    pub sku: Sku,
    /// The key URI it is encrypted with; empty with a Microsoft-managed key.
    pub key_uri: String,
    /// `system`, or the client ID of the user-assigned identity that reaches the key.
    pub key_identity: String,
    /// Resource IDs of its user-assigned identities.
    pub user_identities: Vec<String>,
    /// Principal ID of its system-assigned identity; empty when it has none.
    pub system_principal_id: String,
    pub public_access: PublicAccess,
    pub ip_rules: Vec<String>,
    /// Subnet resource IDs of its virtual network rules.
    pub vnet_rules: Vec<String>,
    pub allow_trusted_services: bool,
    /// `networkRuleBypassAllowedForTasks`: tasks' system identities pass the
    /// network rules.
    pub tasks_bypass: bool,
    /// `roleAssignmentMode`: which roles grant access to its repositories.
    pub role_assignment_mode: RoleAssignmentMode,
    /// `loginServer`: with a domain name label scope it is not `NAME.azurecr.io`.
    pub login_server: String,
    /// `autoGeneratedDomainNameLabelScope` (`Unsecure` or empty: no hash).
    pub dnl_scope: String,
    /// `zoneRedundancy` as the registry reports it. Shown, never changed:
    /// the property no longer controls zone redundancy (Learn: Enable zone
    /// redundancy in Azure Container Registry, "Understand the
    /// zoneRedundancy property").
    pub zone_redundancy: String,
    /// An image version's target regions (CLI names), for `galleryAddRegions`.
    pub target_regions: Vec<String>,
    /// The LUNs of an image version's data disks: each new region encrypts
    /// every one of them.
    pub data_disk_luns: Vec<u32>,
}

impl Default for Existing {
    fn default() -> Self {
        Existing {
            sku: Sku::Premium,
            key_uri: String::new(),
            key_identity: String::new(),
            user_identities: Vec::new(),
            system_principal_id: String::new(),
            public_access: PublicAccess::All,
            ip_rules: Vec::new(),
            vnet_rules: Vec::new(),
            allow_trusted_services: true,
            tasks_bypass: false,
            role_assignment_mode: RoleAssignmentMode::Legacy,
            login_server: String::new(),
            dnl_scope: String::new(),
            zone_redundancy: String::new(),
            target_regions: Vec::new(),
            data_disk_luns: Vec::new(),
        }
    }
}

impl Existing {
    pub fn has_cmk(&self) -> bool {
        !self.key_uri.is_empty()
    }
    pub fn uses_system_identity(&self) -> bool {
        self.key_identity.eq_ignore_ascii_case("system")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct Change {
    pub operation: Operation,
    pub existing: Existing,
    /// RotateKey: the key URI to move to; empty makes a new version of the
    /// current key.
    pub key_id: String,
    /// RotateKey: give the registry the versionless URI, so that it follows
    /// new key versions by itself.
    pub versionless: bool,
    pub identity: KeyIdentity,
    /// `KeyIdentity::UserAssigned`: the identity's resource ID.
    pub identity_id: String,
    pub rotation_policy: RotationPolicy,
    pub revoke: RevokeMethod,
    /// The user read what a destructive operation takes away and agreed.
    pub acknowledged: bool,
    pub task: Task,
}

impl Default for Change {
    fn default() -> Self {
        Change {
            operation: Operation::RotateKey,
            existing: Existing::default(),
            key_id: String::new(),
            versionless: true,
            identity: KeyIdentity::Current,
            identity_id: String::new(),
            rotation_policy: RotationPolicy::default(),
            revoke: RevokeMethod::RemoveAccess,
            acknowledged: false,
            task: Task::default(),
        }
    }
}

impl Change {
    pub fn is_default(&self) -> bool {
        *self == Change::default()
    }
}
