//! The plan: the ordered deployment steps of a valid spec.
//!
//! Everything about *what* to deploy and *in which order* is decided here, once:
//! which resources to create or look up, which identity gets which key access,
//! when the vault's firewall closes. Emitters only decide *how* a step reads in
//! their language. A value is either one of the user's [`Input`]s (a variable
//! at the top of a script, a parameter of a template), an [`Val::Output`] of an
//! earlier step (captured with `--query`, or an ARM `reference()`), or a literal.

use std::collections::BTreeMap;

#[cfg(feature = "day2")]
mod change;
#[cfg(feature = "day2")]
pub use change::{ChangeAction, Now, PreviewLine, Undo, KEY_DATA_ROLES};

use crate::names;
use crate::rules::{self, Finding};
use crate::spec::{
    Cloud, Gallery, GalleryEncryption, KeyType, Kind, PermissionModel, PublicAccess, Sku, SourceKind, Spec,
    StorageAccountType,
};

/// A named value, in camelCase: `registryName`. Emitters derive their own
/// spelling (`REGISTRY_NAME`, `$RegistryName`, `parameters('registryName')`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Var(pub String);

impl Var {
    pub fn new(name: &str) -> Self {
        Var(name.to_string())
    }
    /// `subnetId` with index 2 is `subnetId2`.
    pub fn indexed(name: &str, index: usize) -> Self {
        Var(format!("{name}{index}"))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// `REGISTRY_NAME`, for bash.
    pub fn screaming_snake(&self) -> String {
        let mut out = String::new();
        for (i, c) in self.0.chars().enumerate() {
            if c.is_ascii_uppercase() && i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_uppercase());
        }
        out
    }
    /// `registry_name`, for Terraform.
    pub fn snake(&self) -> String {
        self.screaming_snake().to_ascii_lowercase()
    }
    /// `RegistryName`, for PowerShell.
    pub fn pascal(&self) -> String {
        let mut chars = self.0.chars();
        chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
    }
}

/// A value a step uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Val {
    /// One of the user's values, declared once at the top.
    Input(Var),
    /// A value an earlier step produced.
    Output(Var),
    /// A fixed value chosen by the tool (never user text).
    Lit(&'static str),
}

impl Val {
    pub fn input(name: &str) -> Self {
        Val::Input(Var::new(name))
    }
    pub fn output(name: &str) -> Self {
        Val::Output(Var::new(name))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputValue {
    Text(String),
    List(Vec<String>),
    Map(BTreeMap<String, String>),
}

/// A user value, declared once at the top of every output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub var: Var,
    pub value: InputValue,
}

/// Which principal receives key access.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Principal {
    /// The user-assigned identity the registry is created with.
    UserIdentity,
    /// The registry's own system-assigned identity (after creation).
    RegistrySystemIdentity,
}

/// A subnet: by the resource ID the user gave, or by name, possibly in another
/// group or subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubnetRef {
    Id(Val),
    Named { vnet: Val, subnet: Val, group: Val, subscription: Option<Val> },
}

/// What a gallery image version is made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageSourceRef {
    ManagedImage(Val),
    VirtualMachine(Val),
    /// The OS disk snapshot and data disk snapshots by LUN.
    Snapshots {
        os: Val,
        data: Vec<(u32, Val)>,
    },
}

impl ImageSourceRef {
    /// The version's `storageProfile` as the REST API writes it, which the
    /// template's resource and Terraform's azapi body both send.
    pub fn rest_shape(&self) -> Shape<'_> {
        let source = |key, id| Shape::Object(vec![("source", Shape::Object(vec![(key, Shape::Value(id))]))]);
        match self {
            ImageSourceRef::ManagedImage(id) => source("id", id),
            ImageSourceRef::VirtualMachine(id) => source("virtualMachineId", id),
            ImageSourceRef::Snapshots { os, data } => {
                let mut fields = vec![("osDiskImage", source("id", os))];
                if !data.is_empty() {
                    let disks = data.iter().map(|(lun, id)| {
                        let Shape::Object(mut disk) = source("id", id) else { unreachable!("an object") };
                        disk.insert(0, ("lun", Shape::Number(*lun)));
                        Shape::Object(disk)
                    });
                    fields.push(("dataDiskImages", Shape::List(disks.collect())));
                }
                Shape::Object(fields)
            }
        }
    }
}

/// Errors worth retrying: a role assignment or access policy that has not
/// reached Key Vault yet (the data plane's ForbiddenByRbac, an access
/// policy's "does not have keys ... permission", the registry service's
/// "Failed to access KeyId"). Anything else, a firewall among them, stops at
/// once (create and day 2 alike): both languages' retry loops match these words.
pub const RETRY_ON: &[&str] = &["ForbiddenByRbac", "does not have keys", "Failed to access KeyId"];

/// The time of day the Azure CLI gives a bare end-of-life date
/// (`fix_gallery_image_date_info` in azure-cli's vm module): PowerShell and ARM
/// append the same, so that all outputs set the same instant.
pub const END_OF_LIFE_TIME: &str = "T12:59:59Z";

/// The same instant as Azure returns it (`2027-12-31T12:59:59+00:00`): what
/// an azapi body holds, since azapi compares a body's strings as written
/// (azapi v2.12.0 utils/json.go:206-216), so the `Z` form would show a change
/// on every plan. azurerm suppresses this very difference for its own
/// resource (`suppress.RFC3339Time`, shared_image_version_resource.go:145-149).
pub const END_OF_LIFE_TIME_AS_READ: &str = "T12:59:59+00:00";

/// An IP rule in the form a provider that reads a single address back as
/// `a.b.c.d/32` holds it: azurerm 5.2's `flattenNetworkRuleSet` appends `/32`
/// to a value without a prefix length (container_registry_resource.go:1053-1056
/// at v5.2.0, "Azure will drop the /32"), and `ip_range` has no diff
/// suppression, so a bare address would show a change on every later plan.
/// Azure itself returns a bare address as it was sent, so the scripts, the
/// template and azapi's body keep the user's text.
pub fn ip_range_cidr(rule: &str) -> String {
    if rule.contains('/') {
        rule.to_string()
    } else {
        format!("{rule}/32")
    }
}

/// One target region of an image version, with its disk encryption sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionRef {
    pub region: Val,
    pub replicas: u32,
    pub storage: StorageAccountType,
    /// None with platform-managed keys.
    pub os_des: Option<Val>,
    /// Data disk encryption sets by LUN.
    pub data_des: Vec<(u32, Val)>,
}

impl RegionRef {
    /// The values a region reads: its name and its disk encryption sets.
    pub(crate) fn values(&self) -> Vec<&Val> {
        let mut v = vec![&self.region];
        v.extend(self.os_des.iter());
        v.extend(self.data_des.iter().map(|(_, d)| d));
        v
    }

    /// The region as the REST API's `TargetRegion` writes it, which the
    /// template's resource, the CLI's `--add` and PowerShell's PATCH all send.
    pub fn rest_shape(&self) -> Shape<'_> {
        let mut fields = vec![
            ("name", Shape::Value(&self.region)),
            ("regionalReplicaCount", Shape::Number(self.replicas)),
            ("storageAccountType", Shape::Text(self.storage.as_str())),
        ];
        if let Some(os) = &self.os_des {
            let mut encryption = vec![("osDiskImage", Shape::Object(vec![("diskEncryptionSetId", Shape::Value(os))]))];
            if !self.data_des.is_empty() {
                let data = self.data_des.iter().map(|(lun, des)| {
                    Shape::Object(vec![("lun", Shape::Number(*lun)), ("diskEncryptionSetId", Shape::Value(des))])
                });
                encryption.push(("dataDiskImages", Shape::List(data.collect())));
            }
            fields.push(("encryption", Shape::Object(encryption)));
        }
        Shape::Object(fields)
    }
}

/// A request body's shape with plan values at its leaves: built once here,
/// written by each emitter in its own syntax (a JSON value, a JSON word in
/// bash, a PowerShell hashtable).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape<'a> {
    Object(Vec<(&'static str, Shape<'a>)>),
    List(Vec<Shape<'a>>),
    Value(&'a Val),
    Number(u32),
    Bool(bool),
    Text(&'static str),
}

/// A registry's network default action for its public access, which every
/// output sends or states: `Allow` for all networks, `Deny` otherwise (a
/// registry without public access denies by default too, as `az acr update
/// --public-network-enabled false` sets it: the CLI's
/// `_configure_public_network_access`).
pub fn default_action(access: PublicAccess) -> &'static str {
    if access == PublicAccess::All {
        "Allow"
    } else {
        "Deny"
    }
}

/// The registry a plan creates, as a declaration writes it (an ARM template,
/// Terraform): its creation step with the rules and the final access that
/// later steps give it, gathered once. The scripts take the steps one by one
/// (open first, deny last); a declaration states the end at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryDecl<'a> {
    pub name: &'a Val,
    pub group: &'a Val,
    pub location: &'a Val,
    pub sku: Sku,
    pub admin_user: bool,
    /// The key URI; the identity it is used with is `identity_client_id`.
    pub encryption: Option<&'a Val>,
    pub identity_client_id: Val,
    /// The registry has its system-assigned identity beside the
    /// user-assigned one from creation (`SystemAssigned, UserAssigned`): a
    /// declaration states it, so a redeploy keeps it.
    pub system_identity: bool,
    pub public_access: PublicAccess,
    pub allow_trusted_services: bool,
    pub allow_tasks_bypass: bool,
    pub ip_rules: Vec<&'a Val>,
    pub vnet_rules: Vec<&'a Val>,
}

impl RegistryDecl<'_> {
    /// The registry's `properties` as the REST API writes them. Network rules
    /// and the trusted-services bypass are Premium's; a registry without
    /// public access denies by default too, as `az acr create
    /// --public-network-enabled false` does.
    pub fn rest_properties(&self) -> Shape<'_> {
        let enabled = |on: bool| Shape::Text(if on { "Enabled" } else { "Disabled" });
        let mut fields = vec![
            ("adminUserEnabled", Shape::Bool(self.admin_user)),
            ("publicNetworkAccess", enabled(self.public_access != PublicAccess::Disabled)),
        ];
        if self.sku == Sku::Premium {
            let bypass = if self.allow_trusted_services { "AzureServices" } else { "None" };
            fields.push(("networkRuleBypassOptions", Shape::Text(bypass)));
            if self.allow_tasks_bypass {
                fields.push(("networkRuleBypassAllowedForTasks", Shape::Bool(true)));
            }
            let rule = |key, value| Shape::Object(vec![("action", Shape::Text("Allow")), (key, Shape::Value(value))]);
            let default = default_action(self.public_access);
            let mut set = vec![
                ("defaultAction", Shape::Text(default)),
                ("ipRules", Shape::List(self.ip_rules.iter().map(|r| rule("value", r)).collect())),
            ];
            if !self.vnet_rules.is_empty() {
                let rules = self.vnet_rules.iter().map(|s| rule("virtualNetworkSubnetResourceId", s));
                set.push(("virtualNetworkRules", Shape::List(rules.collect())));
            }
            fields.push(("networkRuleSet", Shape::Object(set)));
        }
        if let Some(key) = self.encryption {
            let vault =
                vec![("identity", Shape::Value(&self.identity_client_id)), ("keyIdentifier", Shape::Value(key))];
            fields.push((
                "encryption",
                Shape::Object(vec![("status", Shape::Text("enabled")), ("keyVaultProperties", Shape::Object(vault))]),
            ));
        }
        Shape::Object(fields)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    SelectCloud {
        cloud: Cloud,
    },
    SelectSubscription {
        subscription: Val,
    },
    CreateResourceGroup {
        name: Val,
        location: Val,
    },
    /// Outputs `identityId`, `identityPrincipalId`, `identityClientId`.
    CreateIdentity {
        name: Val,
        group: Val,
        location: Val,
    },
    /// Same outputs as `CreateIdentity`.
    LookupIdentity {
        name: Val,
        group: Val,
    },
    /// Outputs `vaultId`. Purge protection on; soft delete is always on.
    CreateVault {
        name: Val,
        group: Val,
        location: Val,
        rbac: bool,
        premium: bool,
    },
    /// Outputs `vaultId`; fails unless purge protection is on.
    LookupVault {
        name: Val,
        group: Val,
    },
    /// With RBAC the signed-in user needs a data-plane role to create a key.
    GrantSignedInUserKeyOfficer {
        vault: Val,
    },
    GrantKeyAccess {
        principal: Principal,
        model: PermissionModel,
        vault: Val,
        group: Val,
    },
    /// Outputs `keyUri`: versionless (automatic rotation) or the new version's.
    CreateKey {
        vault: Val,
        group: Val,
        name: Val,
        kty: KeyType,
        size: u32,
        versionless: bool,
    },
    /// Outputs `registryId`. `public_access` is the access at creation: the
    /// plan creates a "selected networks" registry open, and
    /// [`Action::RestrictNetworkAccess`] denies the rest after its rules.
    CreateRegistry {
        name: Val,
        group: Val,
        location: Val,
        sku: Sku,
        admin_user: bool,
        /// The key URI and the identity it is used with, at creation.
        encryption: Option<Val>,
        public_access: PublicAccess,
        allow_trusted_services: bool,
    },
    /// Adds the rule to those the registry has, which stay (as `az acr
    /// network-rule add` does); a rule it has already is not added twice.
    /// A script that writes the whole list reads the list first.
    AddIpRule {
        registry: Val,
        rule: Val,
    },
    RegisterProvider {
        subscription: Val,
    },
    /// Outputs `subnetId{index}` for a subnet given by name.
    LookupSubnet {
        index: usize,
        vnet: Val,
        subnet: Val,
        group: Val,
        subscription: Option<Val>,
    },
    /// Adds the `Microsoft.ContainerRegistry` endpoint, keeping the others.
    AddSubnetServiceEndpoint {
        subnet: SubnetRef,
    },
    /// Adds the subnet rule to those the registry has, as [`Action::AddIpRule`].
    AddVnetRule {
        registry: Val,
        subnet_id: Val,
    },
    /// Outputs `registryPrincipalId`.
    AssignSystemIdentity {
        registry: Val,
        group: Val,
    },
    RotateKeyToSystemIdentity {
        registry: Val,
        key: Val,
    },
    CloseVaultFirewall {
        vault: Val,
        group: Val,
    },
    /// The registry's final network access, applied after its rules (public
    /// access, default action: [`default_action`], trusted services). The
    /// rules the registry has stay; a later step removes those that go.
    RestrictNetworkAccess {
        registry: Val,
        group: Val,
        public_access: PublicAccess,
        allow_trusted_services: bool,
    },
    /// Sets `networkRuleBypassAllowedForTasks`: since 2025-06-01 ACR Tasks
    /// are no trusted service, and a task's system-assigned identity gets 403
    /// on a network-restricted registry without it (Learn: Manage network
    /// bypass policy for tasks; registries@2025-11-01 has the property).
    AllowTasksBypass {
        registry: Val,
        group: Val,
    },
    /// Tells that the signed-in principal keeps `Key Vault Crypto Officer` on
    /// the vault, and how to remove it once no more keys are created there.
    StandingRoleNote {
        vault: Val,
    },
    /// A day-2 change of a registry that exists (`plan/change.rs`).
    #[cfg(feature = "day2")]
    Change(ChangeAction),
    /// Outputs `keyUri`: the key the deployed registry uses (post-deployment
    /// scripts start from what the template left).
    LookupRegistryKey {
        registry: Val,
        group: Val,
    },
    ShowEncryption {
        registry: Val,
    },
    ShowNetworkRules {
        registry: Val,
    },
    /// The historic `SIGEncryption` preview registration (optional).
    RegisterPreviewFeature,
    /// Fails unless the gallery image definition exists; outputs `imageDefinitionId`.
    LookupImageDefinition {
        gallery: Val,
        definition: Val,
        group: Val,
    },
    /// Stops unless each set is in its region and the image's subscription
    /// (and, for double encryption, of the double-encryption type).
    CheckDiskEncryptionSets {
        sets: Vec<(Val, Val)>,
        double: bool,
    },
    CreateImageVersion {
        gallery: Val,
        definition: Val,
        version: Val,
        group: Val,
        location: Val,
        source: ImageSourceRef,
        end_of_life: Option<Val>,
        exclude_from_latest: bool,
        regions: Vec<RegionRef>,
    },
    ShowImageVersion {
        gallery: Val,
        definition: Val,
        version: Val,
        group: Val,
    },
    /// Commented follow-up: a VM from this version with encrypted disks, in
    /// the first region (seed 001, "Create the VM").
    CreateVmHint {
        group: Val,
        version: Val,
        region: RegionRef,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// Catalog key of the step's title, e.g. `step.create-registry`.
    pub title: &'static str,
    pub action: Action,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub inputs: Vec<Input>,
    pub steps: Vec<Step>,
    /// Tags go on every resource the plan creates.
    pub has_tags: bool,
    pub kind: Kind,
    /// Catalog key of why an ARM template does not express this plan (day-2
    /// changes of a live registry), said in the template instead of resources.
    pub arm_note: Option<&'static str>,
}

/// Where a step goes when an ARM template does the deploying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArmPart {
    /// The template declares it (or needs nothing for it).
    Template,
    /// Must exist before the template deploys: `pre-deploy.sh` / `.ps1`.
    Before,
    /// The template cannot do it: `post-deploy.sh` / `.ps1`, run after it.
    After,
    /// Selecting the cloud and subscription: every script starts with them.
    Target,
    /// The deployment's own resource group, when the spec creates it: a
    /// resource-group deployment (ARM, Bicep) needs it to exist, so
    /// `pre-deploy` creates it; Terraform declares it.
    Group,
}

/// How long an Azure role assignment can take to reach Key Vault's data
/// plane (Learn, "Troubleshoot Azure RBAC": assigning or removing a role can
/// take up to 10 minutes to take effect): the scripts retry that long (20
/// attempts, 30 seconds apart) and Terraform's first apply waits that long.
pub const RBAC_PROPAGATION_MINUTES: u32 = 10;

impl Action {
    /// Whether the step depends on a role assignment made moments before:
    /// Azure RBAC takes up to about ten minutes to reach Key Vault's data
    /// plane, so both scripts retry these. The grants themselves are not
    /// retried: a principal that was just created (the registry's or a task's
    /// identity) is granted with its principal type, which Resource Manager
    /// takes without asking Microsoft Graph, where the principal may not have
    /// replicated yet (`--assignee-principal-type`, `-ObjectType`).
    pub fn needs_retry(&self) -> bool {
        #[cfg(feature = "day2")]
        if let Action::Change(
            ChangeAction::AddKeyVersion { .. }
            | ChangeAction::RotateKey { .. }
            | ChangeAction::SetRotationPolicy { .. }
            | ChangeAction::SetKeyEnabled { .. },
        ) = self
        {
            return true;
        }
        matches!(
            self,
            Action::CreateKey { .. }
                | Action::CreateRegistry { encryption: Some(_), .. }
                | Action::RotateKeyToSystemIdentity { .. }
        )
    }

    /// Whether the action changes Azure (or asks before it does): a
    /// day-2 preview goes before the first such step.
    pub fn changes_azure(&self) -> bool {
        #[cfg(feature = "day2")]
        if let Action::Change(c) = self {
            return !matches!(
                c,
                ChangeAction::CheckRegistry { .. }
                    | ChangeAction::LookupKeyIdentity { .. }
                    | ChangeAction::LookupSystemIdentity { .. }
                    | ChangeAction::LookupKeyVersion { .. }
                    | ChangeAction::CheckVaultFirewall { .. }
                    | ChangeAction::ListKeyGrants { .. }
                    | ChangeAction::CheckImageVersion { .. }
                    | ChangeAction::ShowIdentity { .. }
                    | ChangeAction::Preview { .. }
            );
        }
        !matches!(
            self,
            Action::SelectCloud { .. }
                | Action::SelectSubscription { .. }
                | Action::LookupIdentity { .. }
                | Action::LookupVault { .. }
                | Action::LookupSubnet { .. }
                | Action::StandingRoleNote { .. }
                | Action::LookupRegistryKey { .. }
                | Action::ShowEncryption { .. }
                | Action::ShowNetworkRules { .. }
                | Action::LookupImageDefinition { .. }
                | Action::CheckDiskEncryptionSets { .. }
                | Action::ShowImageVersion { .. }
                | Action::CreateVmHint { .. }
        )
    }

    /// Whether the action removes an Azure RBAC grant (it needs the vault's ID).
    fn revokes_rbac(&self) -> bool {
        #[cfg(feature = "day2")]
        if let Action::Change(ChangeAction::RevokeKeyAccess { model: PermissionModel::Rbac, .. }) = self {
            return true;
        }
        false
    }

    /// The user inputs the action reads.
    pub fn inputs(&self) -> Vec<Var> {
        let vals: Vec<&Val> = match self {
            Action::SelectCloud { .. } | Action::RegisterPreviewFeature => vec![],
            Action::SelectSubscription { subscription } | Action::RegisterProvider { subscription } => {
                vec![subscription]
            }
            Action::CreateResourceGroup { name, location } => vec![name, location],
            Action::CreateIdentity { name, group, location } => vec![name, group, location],
            Action::LookupIdentity { name, group } | Action::LookupVault { name, group } => vec![name, group],
            Action::CreateVault { name, group, location, .. } => vec![name, group, location],
            Action::GrantSignedInUserKeyOfficer { vault } | Action::StandingRoleNote { vault } => vec![vault],
            Action::GrantKeyAccess { vault, group, .. } => vec![vault, group],
            Action::CreateKey { vault, group, name, .. } => vec![vault, group, name],
            Action::CreateRegistry { name, group, location, encryption, .. } => {
                let mut v = vec![name, group, location];
                v.extend(encryption.iter());
                v
            }
            Action::AddIpRule { registry, rule } => vec![registry, rule],
            Action::LookupSubnet { vnet, subnet, group, subscription, .. } => {
                let mut v = vec![vnet, subnet, group];
                v.extend(subscription.iter());
                v
            }
            Action::AddSubnetServiceEndpoint { subnet } => match subnet {
                SubnetRef::Id(id) => vec![id],
                SubnetRef::Named { vnet, subnet, group, subscription } => {
                    let mut v = vec![vnet, subnet, group];
                    v.extend(subscription.iter());
                    v
                }
            },
            Action::AddVnetRule { registry, subnet_id } => vec![registry, subnet_id],
            Action::AssignSystemIdentity { registry, group }
            | Action::RestrictNetworkAccess { registry, group, .. }
            | Action::AllowTasksBypass { registry, group }
            | Action::LookupRegistryKey { registry, group } => vec![registry, group],
            Action::RotateKeyToSystemIdentity { registry, key } => vec![registry, key],
            #[cfg(feature = "day2")]
            Action::Change(change) => change.values(),
            Action::CloseVaultFirewall { vault, group } => vec![vault, group],
            Action::ShowEncryption { registry } | Action::ShowNetworkRules { registry } => vec![registry],
            Action::LookupImageDefinition { gallery, definition, group } => vec![gallery, definition, group],
            Action::CheckDiskEncryptionSets { sets, .. } => sets.iter().flat_map(|(a, b)| [a, b]).collect(),
            Action::CreateImageVersion {
                gallery,
                definition,
                version,
                group,
                location,
                source,
                end_of_life,
                regions,
                ..
            } => {
                let mut v = vec![gallery, definition, version, group, location];
                match source {
                    ImageSourceRef::ManagedImage(id) | ImageSourceRef::VirtualMachine(id) => v.push(id),
                    ImageSourceRef::Snapshots { os, data } => {
                        v.push(os);
                        v.extend(data.iter().map(|(_, d)| d));
                    }
                }
                v.extend(end_of_life.iter());
                v.extend(regions.iter().flat_map(RegionRef::values));
                v
            }
            Action::ShowImageVersion { gallery, definition, version, group } => {
                vec![gallery, definition, version, group]
            }
            Action::CreateVmHint { group, version, region: r } => {
                let mut v = vec![group, version];
                v.extend(r.values());
                v
            }
        };
        vals.into_iter()
            .filter_map(|v| match v {
                Val::Input(var) => Some(var.clone()),
                _ => None,
            })
            .collect()
    }

    pub fn arm_part(&self) -> ArmPart {
        match self {
            Action::SelectCloud { .. } | Action::SelectSubscription { .. } => ArmPart::Target,
            Action::CreateResourceGroup { .. } => ArmPart::Group,
            Action::RegisterProvider { .. }
            | Action::AddSubnetServiceEndpoint { .. }
            | Action::RegisterPreviewFeature => ArmPart::Before,
            // A declaration gives the registry its system identity at
            // creation (`RegistryDecl::system_identity`) and grants it key
            // access, so a redeploy keeps both. It cannot encrypt with that
            // identity at creation (the grant needs the identity first), nor
            // close the vault's firewall, which lets only trusted services'
            // system identities through: until the switch the registry
            // reaches its key with the user-assigned identity.
            Action::RotateKeyToSystemIdentity { .. } | Action::CloseVaultFirewall { .. } => ArmPart::After,
            // An access policy is the vault's `accessPolicies/add` child, and
            // a template cannot declare that resource twice (the user
            // identity's grant is the other one): this grant stays after it.
            Action::GrantKeyAccess {
                principal: Principal::RegistrySystemIdentity,
                model: PermissionModel::AccessPolicy,
                ..
            } => ArmPart::After,
            _ => ArmPart::Template,
        }
    }
}

impl Plan {
    /// The registry this plan creates, as a declaration writes it.
    pub fn registry(&self) -> Option<RegistryDecl<'_>> {
        let mut decl = self.steps.iter().find_map(|s| match &s.action {
            Action::CreateRegistry {
                name,
                group,
                location,
                sku,
                admin_user,
                encryption,
                public_access,
                allow_trusted_services,
            } => Some(RegistryDecl {
                name,
                group,
                location,
                sku: *sku,
                admin_user: *admin_user,
                encryption: encryption.as_ref(),
                identity_client_id: Val::output("identityClientId"),
                public_access: *public_access,
                allow_trusted_services: *allow_trusted_services,
                allow_tasks_bypass: false,
                system_identity: false,
                ip_rules: Vec::new(),
                vnet_rules: Vec::new(),
            }),
            _ => None,
        })?;
        for step in &self.steps {
            match &step.action {
                Action::AddIpRule { rule, .. } => decl.ip_rules.push(rule),
                Action::AddVnetRule { subnet_id, .. } => decl.vnet_rules.push(subnet_id),
                Action::RestrictNetworkAccess { public_access, allow_trusted_services, .. } => {
                    decl.public_access = *public_access;
                    decl.allow_trusted_services = *allow_trusted_services;
                }
                Action::AllowTasksBypass { .. } => decl.allow_tasks_bypass = true,
                Action::AssignSystemIdentity { .. } => decl.system_identity = true,
                _ => {}
            }
        }
        Some(decl)
    }

    /// The scripts an ARM deployment of this plan needs around it: what must
    /// exist before the template deploys, and what it cannot do, as plans of
    /// their own that the script emitters render. The post-deployment plan
    /// starts from the deployed state: it looks up the vault and the key the
    /// registry was given instead of creating them.
    pub fn around_arm(&self) -> (Option<Plan>, Option<Plan>) {
        if self.arm_note.is_some() {
            return (None, None);
        }
        let target: Vec<Step> = self.steps.iter().filter(|s| s.action.arm_part() == ArmPart::Target).cloned().collect();
        let sub = |steps: Vec<Step>| -> Option<Plan> {
            if steps.is_empty() {
                return None;
            }
            // Only the group carries the spec's tags here (the template tags
            // what it creates).
            let has_tags = self.has_tags && steps.iter().any(|s| s.action.arm_part() == ArmPart::Group);
            let steps: Vec<Step> = target.iter().cloned().chain(steps).collect();
            let plan = Plan { inputs: self.inputs.clone(), steps, has_tags, kind: self.kind, arm_note: None };
            Some(plan.without_unused_inputs())
        };
        // The deployment's group first, then what the template needs in it.
        let before = sub(
            self.steps
                .iter()
                .filter(|s| matches!(s.action.arm_part(), ArmPart::Group | ArmPart::Before))
                .cloned()
                .collect(),
        );
        // A grant to the system identity made afterwards reads the identity's
        // principal from its step, which then runs again there (assigning an
        // identity the registry has changes nothing).
        let grants_after = self.steps.iter().any(|s| {
            s.action.arm_part() == ArmPart::After
                && matches!(s.action, Action::GrantKeyAccess { principal: Principal::RegistrySystemIdentity, .. })
        });
        let mut after: Vec<Step> = self
            .steps
            .iter()
            .filter(|s| {
                s.action.arm_part() == ArmPart::After
                    || (grants_after && matches!(s.action, Action::AssignSystemIdentity { .. }))
            })
            .cloned()
            .collect();
        if !after.is_empty() {
            let mut lookups = Vec::new();
            for step in &self.steps {
                match &step.action {
                    Action::CreateIdentity { name, group, .. } | Action::LookupIdentity { name, group } => lookups
                        .push(Step {
                            title: "step.lookup-identity",
                            action: Action::LookupIdentity { name: name.clone(), group: group.clone() },
                        }),
                    Action::CreateVault { name, group, .. } | Action::LookupVault { name, group } => {
                        lookups.push(Step {
                            title: "step.lookup-vault",
                            action: Action::LookupVault { name: name.clone(), group: group.clone() },
                        })
                    }
                    Action::CreateRegistry { name, group, .. } => lookups.push(Step {
                        title: "step.lookup-registry-key",
                        action: Action::LookupRegistryKey { registry: name.clone(), group: group.clone() },
                    }),
                    _ => {}
                }
            }
            for step in &mut after {
                if let Action::RotateKeyToSystemIdentity { key, .. } = &mut step.action {
                    *key = Val::output("keyUri");
                }
            }
            let show = self.steps.iter().filter(|s| matches!(s.action, Action::ShowEncryption { .. })).cloned();
            after = lookups.into_iter().chain(after).chain(show).collect();
        }
        (before, sub(after))
    }

    /// The plan with only the inputs its steps read.
    fn without_unused_inputs(mut self) -> Plan {
        let used: Vec<Var> = self.steps.iter().flat_map(|s| s.action.inputs()).collect();
        // Tags are no step's input: every create that `has_tags` reads them.
        let has_tags = self.has_tags;
        self.inputs.retain(|i| used.contains(&i.var) || (has_tags && i.var.as_str() == "tags"));
        self
    }

    /// Whether a step needs the vault's resource ID (Azure RBAC grants are
    /// scoped to it, and a key is looked up below it; access policies name
    /// the vault instead).
    pub fn needs_vault_id(&self) -> bool {
        self.steps.iter().any(|s| {
            matches!(
                s.action,
                Action::GrantKeyAccess { model: PermissionModel::Rbac, .. }
                    | Action::GrantSignedInUserKeyOfficer { .. }
                    | Action::CreateKey { .. }
            ) || s.action.revokes_rbac()
        })
    }
}

/// The plan of a spec, or its error findings. Rules run first: a plan is only
/// made from a spec without errors, so the plan may rely on valid names.
pub fn plan(spec: &Spec) -> Result<Plan, Vec<Finding>> {
    let findings = rules::check(spec);
    plan_checked(spec, &findings).ok_or(findings)
}

/// The plan of a spec whose findings are already known (the wizard keeps
/// them in a memo, so a keystroke runs the rules once): `None` while any
/// finding is an error. `findings` must be `rules::check(spec)`.
pub fn plan_checked(spec: &Spec, findings: &[Finding]) -> Option<Plan> {
    if rules::has_errors(findings) {
        return None;
    }
    if spec.is_change() {
        // Without the `day2` feature (the wizard's wasm) there is no change plan.
        #[cfg(feature = "day2")]
        return Some(Builder::default().build_change(spec));
        #[cfg(not(feature = "day2"))]
        return None;
    }
    Some(match spec.kind {
        Kind::Registry => Builder::default().build(spec),
        Kind::GalleryImageVersion => Builder::default().build_gallery(spec),
    })
}

#[derive(Default)]
pub(crate) struct Builder {
    inputs: Vec<Input>,
    steps: Vec<Step>,
}

impl Builder {
    fn text(&mut self, name: &str, value: &str) -> Val {
        // The same value asked for again (a day-2 check and a later lookup
        // both name the key identity) is the same input.
        let var = Var::new(name);
        if self.inputs.iter().any(|i| i.var == var && i.value == InputValue::Text(value.to_string())) {
            return Val::input(name);
        }
        self.inputs.push(Input { var: Var::new(name), value: InputValue::Text(value.to_string()) });
        Val::input(name)
    }

    /// A resource group field that may be empty ("the spec's group").
    fn group(&mut self, name: &str, value: &str, default: &Val) -> Val {
        if value.is_empty() {
            default.clone()
        } else {
            self.text(name, value)
        }
    }

    /// Inputs every kind has after its names: the subscription (if given) and tags.
    fn subscription_and_tags(&mut self, spec: &Spec) -> Option<Val> {
        let subscription =
            (!spec.subscription_id.is_empty()).then(|| self.text("subscriptionId", &spec.subscription_id));
        if !spec.tags.is_empty() {
            self.inputs.push(Input { var: Var::new("tags"), value: InputValue::Map(spec.tags.to_map()) });
        }
        subscription
    }

    /// The first steps of every kind: the cloud and the subscription to deploy to.
    fn select_target(&mut self, spec: &Spec, subscription: Option<&Val>) {
        if spec.cloud != Cloud::AzureCloud {
            self.step("step.select-cloud", Action::SelectCloud { cloud: spec.cloud });
        }
        if let Some(subscription) = subscription {
            self.step("step.select-subscription", Action::SelectSubscription { subscription: subscription.clone() });
        }
    }

    fn finish(self, spec: &Spec, kind: Kind) -> Plan {
        Plan { inputs: self.inputs, steps: self.steps, has_tags: !spec.tags.is_empty(), kind, arm_note: None }
    }

    fn step(&mut self, title: &'static str, action: Action) {
        self.steps.push(Step { title, action });
    }

    fn build(mut self, spec: &Spec) -> Plan {
        let registry = &spec.registry;
        let location = self.text("location", &spec.location);
        let group = self.text("resourceGroup", &spec.resource_group.name);
        let name = self.text("registryName", &registry.name);
        let subscription = self.subscription_and_tags(spec);

        self.select_target(spec, subscription.as_ref());
        if spec.resource_group.create {
            self.step(
                "step.create-resource-group",
                Action::CreateResourceGroup { name: group.clone(), location: location.clone() },
            );
        }

        // Network prerequisites come before the registry: a subnet rule needs
        // the subnet's service endpoint and the provider registered in the
        // subnet's subscription, or Azure refuses it (or drops it silently).
        let net = &registry.networking;
        let selected = net.public_access == PublicAccess::SelectedNetworks;
        let vnet_rules =
            if selected { self.vnet_prerequisites(spec, &group, subscription.as_ref()) } else { Vec::new() };

        // Customer-managed key: identity, vault, access, key (seed 000, CLI flow).
        let mut key_uri = None;
        let mut vault = None;
        let mut officer_vault = None;
        if let Some(cmk) = spec.cmk() {
            let identity = self.text("identityName", &cmk.identity.name);
            let identity_group = self.group("identityResourceGroup", &cmk.identity.resource_group, &group);
            if cmk.identity.create {
                self.step(
                    "step.create-identity",
                    Action::CreateIdentity { name: identity, group: identity_group, location: location.clone() },
                );
            } else {
                self.step("step.lookup-identity", Action::LookupIdentity { name: identity, group: identity_group });
            }

            let vault_name = self.text("keyVaultName", &cmk.key_vault.name);
            let vault_group = self.group("keyVaultResourceGroup", &cmk.key_vault.resource_group, &group);
            let model = cmk.key_vault.permission_model;
            let creates_vault = cmk.key_vault.create && cmk.key.create;
            if creates_vault {
                self.step(
                    "step.create-vault",
                    Action::CreateVault {
                        name: vault_name.clone(),
                        group: vault_group.clone(),
                        location: location.clone(),
                        rbac: model == PermissionModel::Rbac,
                        premium: cmk.key.kty == KeyType::RsaHsm,
                    },
                );
            } else {
                self.step(
                    "step.lookup-vault",
                    Action::LookupVault { name: vault_name.clone(), group: vault_group.clone() },
                );
            }
            self.step(
                "step.grant-identity",
                Action::GrantKeyAccess {
                    principal: Principal::UserIdentity,
                    model,
                    vault: vault_name.clone(),
                    group: vault_group.clone(),
                },
            );

            if cmk.key.create {
                if model == PermissionModel::Rbac {
                    self.step(
                        "step.grant-signed-in-user",
                        Action::GrantSignedInUserKeyOfficer { vault: vault_name.clone() },
                    );
                    officer_vault = Some(vault_name.clone());
                }
                let key_name = self.text("keyName", &cmk.key.name);
                self.step(
                    "step.create-key",
                    Action::CreateKey {
                        vault: vault_name.clone(),
                        group: vault_group.clone(),
                        name: key_name,
                        kty: cmk.key.kty,
                        size: cmk.key.size.bits(),
                        versionless: cmk.key.versionless,
                    },
                );
                key_uri = Some(Val::output("keyUri"));
            } else {
                key_uri = Some(self.text("keyUri", &cmk.key.key_id));
            }
            vault = Some((vault_name, vault_group, cmk));
        }

        // The scripts create the registry open and deny last, after its rules:
        // a run that stops half-way leaves a registry that still answers, never
        // one that refuses everybody. (ARM declares the final state at once.)
        let initial_access = if selected { PublicAccess::All } else { net.public_access };
        self.step(
            "step.create-registry",
            Action::CreateRegistry {
                name: name.clone(),
                group: group.clone(),
                location: location.clone(),
                sku: registry.sku,
                admin_user: registry.admin_user_enabled,
                // No zone redundancy: it is automatic where a region has zones
                // and the property no longer controls it (Learn: Enable zone
                // redundancy in Azure Container Registry, "Understand the
                // zoneRedundancy property"), so new outputs leave it out and
                // ACR-ZONE-REDUNDANCY says so.
                encryption: key_uri.clone(),
                public_access: initial_access,
                allow_trusted_services: net.allow_trusted_services,
            },
        );

        // Network rules, and so the tasks' bypass of them, are Premium's.
        if net.allow_tasks_bypass && registry.sku == Sku::Premium {
            self.step(
                "step.allow-tasks-bypass",
                Action::AllowTasksBypass { registry: name.clone(), group: group.clone() },
            );
        }

        if selected {
            for (i, rule) in net.ip_rules.iter().enumerate() {
                if net.ip_rules[..i].contains(rule) {
                    continue;
                }
                let rule = self.text(&format!("ipRule{i}"), rule);
                self.step("step.add-ip-rule", Action::AddIpRule { registry: name.clone(), rule });
            }
            for subnet_id in vnet_rules {
                self.step("step.add-vnet-rule", Action::AddVnetRule { registry: name.clone(), subnet_id });
            }
        }

        if let Some((vault_name, vault_group, cmk)) = vault {
            if cmk.use_system_assigned_after_create {
                self.step(
                    "step.assign-system-identity",
                    Action::AssignSystemIdentity { registry: name.clone(), group: group.clone() },
                );
                self.step(
                    "step.grant-system-identity",
                    Action::GrantKeyAccess {
                        principal: Principal::RegistrySystemIdentity,
                        model: cmk.key_vault.permission_model,
                        vault: vault_name.clone(),
                        group: vault_group.clone(),
                    },
                );
                self.step(
                    "step.rotate-to-system-identity",
                    Action::RotateKeyToSystemIdentity {
                        registry: name.clone(),
                        key: key_uri.clone().expect("CMK has a key"),
                    },
                );
            }
            if cmk.key_vault.firewall {
                self.step(
                    "step.close-vault-firewall",
                    Action::CloseVaultFirewall { vault: vault_name, group: vault_group },
                );
            }
            self.step("step.show-encryption", Action::ShowEncryption { registry: name.clone() });
        }
        if net.public_access != PublicAccess::All {
            self.step(
                "step.restrict-network-access",
                Action::RestrictNetworkAccess {
                    registry: name.clone(),
                    group: group.clone(),
                    public_access: net.public_access,
                    allow_trusted_services: net.allow_trusted_services,
                },
            );
            self.step("step.show-network-rules", Action::ShowNetworkRules { registry: name.clone() });
        }
        if let Some(vault) = officer_vault {
            self.step("step.standing-role", Action::StandingRoleNote { vault });
        }

        self.finish(spec, Kind::Registry)
    }

    /// Seed 001: check the definition and the disk encryption sets, then
    /// create the version in every target region at once.
    fn build_gallery(mut self, spec: &Spec) -> Plan {
        let g = &spec.gallery;
        let location = self.text("location", &spec.location);
        let group = self.text("resourceGroup", &spec.resource_group.name);
        let subscription = self.subscription_and_tags(spec);
        let gallery = self.text("galleryName", &g.name);
        let definition = self.text("imageDefinitionName", &g.image_definition);
        let version = self.text("imageVersion", &g.version);
        let source = match g.source.kind {
            SourceKind::ManagedImage => {
                ImageSourceRef::ManagedImage(self.text("managedImageId", &g.source.managed_image_id))
            }
            SourceKind::VirtualMachine => {
                ImageSourceRef::VirtualMachine(self.text("virtualMachineId", &g.source.virtual_machine_id))
            }
            SourceKind::Snapshots => ImageSourceRef::Snapshots {
                os: self.text("osSnapshotId", &g.source.os_snapshot_id),
                data: g
                    .source
                    .data_snapshots
                    .iter()
                    .enumerate()
                    .map(|(i, d)| (d.lun, self.text(&format!("dataSnapshotId{i}"), &d.snapshot_id)))
                    .collect(),
            },
        };
        let end_of_life = (!g.end_of_life_date.is_empty()).then(|| self.text("endOfLifeDate", &g.end_of_life_date));
        let regions = self.target_regions(g);

        self.select_target(spec, subscription.as_ref());
        if g.register_preview_feature {
            self.step("step.register-preview-feature", Action::RegisterPreviewFeature);
        }
        self.step(
            "step.lookup-image-definition",
            Action::LookupImageDefinition {
                gallery: gallery.clone(),
                definition: definition.clone(),
                group: group.clone(),
            },
        );
        self.check_disk_encryption_sets(g, &regions);
        let first = regions.first().cloned();
        self.step(
            "step.create-image-version",
            Action::CreateImageVersion {
                gallery: gallery.clone(),
                definition: definition.clone(),
                version: version.clone(),
                group: group.clone(),
                location,
                source,
                end_of_life,
                exclude_from_latest: g.exclude_from_latest,
                regions,
            },
        );
        self.step(
            "step.show-image-version",
            Action::ShowImageVersion { gallery, definition, version: version.clone(), group: group.clone() },
        );
        if let Some(region) = first.filter(|r| r.os_des.is_some()) {
            self.step("step.create-vm-hint", Action::CreateVmHint { group, version, region });
        }
        self.finish(spec, Kind::GalleryImageVersion)
    }

    /// The inputs of `gallery.targetRegions`: each region, and its disk
    /// encryption sets when the version is encrypted with them.
    pub(crate) fn target_regions(&mut self, g: &Gallery) -> Vec<RegionRef> {
        let des = g.encryption.uses_des();
        g.target_regions
            .iter()
            .enumerate()
            .map(|(i, r)| RegionRef {
                region: self.text(&format!("targetRegion{i}"), &r.region),
                replicas: r.replica_count,
                storage: r.storage_account_type,
                os_des: des.then(|| self.text(&format!("osDiskEncryptionSetId{i}"), &r.os_disk_encryption_set_id)),
                data_des: if des {
                    r.data_disk_encryption_sets
                        .iter()
                        .map(|d| {
                            let var = format!("dataDiskEncryptionSetId{i}Lun{}", d.lun);
                            (d.lun, self.text(&var, &d.disk_encryption_set_id))
                        })
                        .collect()
                } else {
                    Vec::new()
                },
            })
            .collect()
    }

    /// Before anything is created or changed: every disk encryption set is in
    /// its region, in the image's subscription, of the right type.
    pub(crate) fn check_disk_encryption_sets(&mut self, g: &Gallery, regions: &[RegionRef]) {
        if !g.encryption.uses_des() {
            return;
        }
        let sets = regions
            .iter()
            .flat_map(|r| {
                r.os_des.iter().chain(r.data_des.iter().map(|(_, d)| d)).map(|d| (d.clone(), r.region.clone()))
            })
            .collect();
        let double = g.encryption == GalleryEncryption::PlatformAndCustomerKeys;
        self.step("step.check-disk-encryption-sets", Action::CheckDiskEncryptionSets { sets, double });
    }

    /// The steps a registry's subnet rules need before the registry exists
    /// (provider registrations, service endpoints, subnet lookups); returns
    /// the subnet IDs to allow once it does.
    fn vnet_prerequisites(&mut self, spec: &Spec, group: &Val, subscription: Option<&Val>) -> Vec<Val> {
        let mut registered = Vec::<String>::new();
        let mut subnet_ids = Vec::new();
        for (i, rule) in spec.registry.networking.vnet_rules.iter().enumerate() {
            let parsed = names::parse_subnet_id(&rule.subnet_id).ok();
            let sub = parsed.as_ref().map_or(rule.subscription_id.as_str(), |id| id.subscription);
            let other_subscription = !sub.is_empty() && !sub.eq_ignore_ascii_case(&spec.subscription_id);
            let sub_val = if !other_subscription {
                subscription.cloned().filter(|_| !sub.is_empty())
            } else {
                Some(self.text(&format!("vnetSubscriptionId{i}"), sub))
            };
            if other_subscription && !registered.contains(&sub.to_ascii_lowercase()) {
                registered.push(sub.to_ascii_lowercase());
                self.step(
                    "step.register-provider",
                    Action::RegisterProvider { subscription: sub_val.clone().expect("other subscription") },
                );
            }
            let subnet = if parsed.is_some() {
                SubnetRef::Id(self.text(&format!("subnetId{i}"), &rule.subnet_id))
            } else {
                SubnetRef::Named {
                    vnet: self.text(&format!("vnetName{i}"), &rule.vnet_name),
                    subnet: self.text(&format!("subnetName{i}"), &rule.subnet_name),
                    group: self.group(&format!("vnetResourceGroup{i}"), &rule.resource_group, group),
                    subscription: sub_val,
                }
            };
            if rule.add_service_endpoint {
                self.step("step.add-service-endpoint", Action::AddSubnetServiceEndpoint { subnet: subnet.clone() });
            }
            let subnet_id = match subnet {
                SubnetRef::Id(id) => id,
                SubnetRef::Named { vnet, subnet, group, subscription } => {
                    self.step(
                        "step.lookup-subnet",
                        Action::LookupSubnet { index: i, vnet, subnet, group, subscription },
                    );
                    Val::Output(Var::indexed("subnetId", i))
                }
            };
            subnet_ids.push(subnet_id);
        }
        subnet_ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn var_spellings() {
        let v = Var::new("keyVaultResourceGroup");
        assert_eq!(v.screaming_snake(), "KEY_VAULT_RESOURCE_GROUP");
        assert_eq!(v.pascal(), "KeyVaultResourceGroup");
        assert_eq!(Var::indexed("ipRule", 3).screaming_snake(), "IP_RULE3");
    }

    /// A template declares the registry's system identity and, under Azure
    /// RBAC, its key grant (a redeploy keeps both); post-deploy switches the
    /// key to it and closes the vault. An access policy for it stays after
    /// the template, with the identity's step that reads its principal.
    #[test]
    fn the_template_declares_the_system_identity_and_its_grant() {
        let example = crate::examples::EXAMPLES.iter().find(|e| e.name == "cmk-system-assigned-kv-firewall").unwrap();
        let mut spec = crate::spec_json::from_json(example.json).unwrap();
        let after = |spec: &Spec| -> Vec<&'static str> {
            let plan = plan(spec).unwrap();
            let decl = plan.registry().unwrap();
            assert!(decl.system_identity, "the registry has its system identity from creation");
            let (_, post) = plan.around_arm();
            post.unwrap().steps.iter().filter(|s| !s.title.starts_with("step.lookup")).map(|s| s.title).collect()
        };
        assert_eq!(
            after(&spec),
            ["step.rotate-to-system-identity", "step.close-vault-firewall", "step.show-encryption"]
        );
        spec.registry.encryption.key_vault.permission_model = PermissionModel::AccessPolicy;
        assert_eq!(
            after(&spec),
            [
                "step.assign-system-identity",
                "step.grant-system-identity",
                "step.rotate-to-system-identity",
                "step.close-vault-firewall",
                "step.show-encryption"
            ]
        );
    }

    #[test]
    fn invalid_spec_has_no_plan() {
        let findings = plan(&Spec::default()).unwrap_err();
        assert!(findings.iter().any(|f| f.rule.id() == "NAME-REGISTRY"));
    }
}
