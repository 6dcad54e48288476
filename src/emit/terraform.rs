//! Terraform: the plan as a root module for the azurerm and azapi providers
//! (`main.tf`, `variables.tf`, `terraform.tfvars`, `outputs.tf`).
//!
//! Rendered from the plan, step for step, as the ARM template is: the same
//! resources with the same names, SKUs, identities, key URIs, rules and
//! regions (the test command compares the two). azurerm declares what it can
//! express; azapi declares the rest in the ARM API's own shape and version,
//! as Azure Verified Modules do:
//! - the key, created through the management plane as the template creates
//!   it (`azurerm_key_vault_key` goes through the vault's data plane: whoever
//!   runs Terraform would need a data-plane role, minutes of RBAC delay, and
//!   a way through the vault's firewall on every later plan);
//! - a registry with virtual network rules (azurerm removed them in 4.0);
//! - an image version with data-disk encryption sets or data-disk snapshots.
//!
//! What neither provider expresses runs before or after, as for the template
//! (`pre-deploy.sh`, `post-deploy.sh`), and what those steps change on a
//! resource is in its `ignore_changes`, so that the next apply keeps it.
//! A user value lives in `terraform.tfvars` only; `main.tf` refers to it.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use super::{arm::api, quote, CRYPTO_SERVICE_ENCRYPTION_USER};
use crate::plan::{
    Action, ArmPart, ImageSourceRef, InputValue, Plan, Principal, RegistryDecl, Shape, Val, Var, END_OF_LIFE_TIME,
    END_OF_LIFE_TIME_AS_READ,
};
use crate::spec::{Cloud, PermissionModel, PublicAccess, Sku};

/// The providers' version constraints: the newest minor release of each
/// (azurerm 5.2.0, August 2026; azapi 2.12.0, August 2026), whose schemas
/// tests/fixtures/terraform/providers.json holds with the commit they were
/// read at. azapi 2.12 embeds the schemas of every API version used here.
pub mod providers {
    pub const AZURERM: &str = "~> 5.2";
    pub const AZAPI: &str = "~> 2.12";
    /// azurerm 5's README recommends the latest Terraform Core and names no
    /// minimum. The files use nothing beyond Terraform 1.x's language; 1.9 is
    /// a floor any maintained toolchain meets, not a feature requirement.
    pub const TERRAFORM: &str = ">= 1.9";
    /// hashicorp/time 0.14.0 (May 2026), for `time_sleep`: a 0.x release,
    /// so patches only.
    pub const TIME: &str = "~> 0.14.0";
}

/// Key permissions of the access-policy model, as azurerm spells them.
const KEY_PERMISSIONS: [&str; 3] = ["Get", "UnwrapKey", "WrapKey"];

/// An HCL expression.
#[derive(Debug, Clone, PartialEq)]
enum Hcl {
    /// A string literal, quoted when written.
    Str(String),
    /// A reference or call: `var.registry_name`, `azurerm_key_vault.registry.id`.
    Ref(String),
    /// A string template: literal text and `${reference}` parts.
    Template(Vec<Hcl>),
    Bool(bool),
    Number(u32),
    List(Vec<Hcl>),
    Object(Vec<(String, Hcl)>),
}

impl Hcl {
    fn text(text: &str) -> Hcl {
        Hcl::Str(text.to_string())
    }
    fn reference(text: impl Into<String>) -> Hcl {
        Hcl::Ref(text.into())
    }
    fn object(fields: Vec<(&str, Hcl)>) -> Hcl {
        Hcl::Object(fields.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }
}

/// An argument or a nested block of a block's body.
#[derive(Debug, Clone, PartialEq)]
enum Item {
    Attr(Cow<'static, str>, Hcl),
    Block(&'static str, Vec<Item>),
}

fn attr(key: impl Into<Cow<'static, str>>, value: Hcl) -> Item {
    Item::Attr(key.into(), value)
}

/// A top-level `resource` or `data` block.
#[derive(Debug, Clone, PartialEq)]
struct Block {
    comment: String,
    data: bool,
    ty: &'static str,
    name: &'static str,
    body: Vec<Item>,
}

impl Block {
    fn address(&self) -> String {
        let prefix = if self.data { "data." } else { "" };
        format!("{prefix}{}.{}", self.ty, self.name)
    }
}

#[derive(Default)]
struct Config {
    blocks: Vec<Block>,
    /// Expressions for the outputs of plan steps.
    outputs: BTreeMap<Var, Hcl>,
    /// The key grant's address: the registry reads nothing of it, so it
    /// waits for it by `depends_on` (the identity and the key it references).
    key_access: Option<String>,
    /// The plan inputs the configuration reads.
    used: BTreeSet<Var>,
    /// Whether the configuration creates its resource group.
    creates_group: bool,
    /// Whether `data.azurerm_client_config.current` is read.
    client_config: bool,
    /// Whether an azapi resource is declared.
    azapi: bool,
    /// Whether a `time_sleep` (hashicorp/time) is declared.
    time: bool,
    cloud: Option<Cloud>,
    subscription: Option<Hcl>,
    /// Catalog keys of the steps that run before and after `terraform apply`.
    before: Vec<&'static str>,
    after: Vec<&'static str>,
    /// What the post-deployment steps change on the registry and the vault.
    ignore_registry: Vec<&'static str>,
    ignore_vault: Vec<&'static str>,
    /// The inputs azurerm reads back as CIDR ranges (`plan::ip_range_cidr`).
    cidr: BTreeSet<Var>,
    /// The target regions of an azapi body, written by display name
    /// (`i18n::region_display_name`), as Azure returns them.
    display_region: BTreeSet<Var>,
}

impl Config {
    fn group_ref(&self) -> &'static str {
        if self.creates_group {
            "azurerm_resource_group.main"
        } else {
            "data.azurerm_resource_group.main"
        }
    }

    fn val(&mut self, val: &Val) -> Hcl {
        match val {
            Val::Input(var) => {
                self.used.insert(var.clone());
                if var.as_str() == "resourceGroup" {
                    return Hcl::reference(format!("{}.name", self.group_ref()));
                }
                Hcl::reference(format!("var.{}", var.snake()))
            }
            Val::Output(var) => self.outputs.get(var).cloned().unwrap_or_else(|| Hcl::text(var.as_str())),
            Val::Lit(text) => Hcl::text(text),
        }
    }

    fn tenant(&mut self) -> Hcl {
        self.client_config = true;
        Hcl::reference("data.azurerm_client_config.current.tenant_id")
    }

    /// The main resource group's resource ID (azapi's `parent_id`).
    fn group_id(&mut self) -> Hcl {
        self.used.insert(Var::new("resourceGroup"));
        Hcl::reference(format!("{}.id", self.group_ref()))
    }

    fn tags(&mut self, plan: &Plan, body: &mut Vec<Item>) {
        if plan.has_tags {
            body.push(attr("tags", self.val(&Val::input("tags"))));
        }
    }

    fn push(&mut self, block: Block) -> usize {
        self.blocks.push(block);
        self.blocks.len() - 1
    }

    /// A request body's shape as an HCL object (azapi's `body`).
    fn shape(&mut self, shape: &Shape) -> Hcl {
        match shape {
            Shape::Object(fields) => {
                Hcl::Object(fields.iter().map(|(k, v)| (k.to_string(), self.shape(v))).collect())
            }
            Shape::List(items) => Hcl::List(items.iter().map(|i| self.shape(i)).collect()),
            Shape::Value(val) => self.val(val),
            Shape::Number(n) => Hcl::Number(*n),
            Shape::Bool(b) => Hcl::Bool(*b),
            Shape::Text(text) => Hcl::text(text),
        }
    }
}

/// Everything the four files say: each of them builds it from the plan and
/// writes its part, so that all four describe one configuration.
fn build(plan: &Plan) -> Config {
    let mut c = Config {
        creates_group: plan.steps.iter().any(|s| matches!(s.action, Action::CreateResourceGroup { .. })),
        ..Config::default()
    };
    for step in &plan.steps {
        match step.action.arm_part() {
            ArmPart::Before => c.before.push(step.title),
            ArmPart::After => {
                c.after.push(step.title);
                after_deployment(&step.action, &mut c);
            }
            ArmPart::Target | ArmPart::Group | ArmPart::Template => {
                render(&step.action, super::t(step.title), plan, &mut c)
            }
        }
    }
    for block in &mut c.blocks {
        // The registry is never replaced by a later apply (see registry_block).
        let registry = block.name == "registry" && !block.data && block.ty != "azurerm_user_assigned_identity";
        // An image version is never deleted by an apply either: azurerm
        // replaces it when its source or a region's disk encryption set
        // changes (ForceNew, shared_image_version_resource.go:97, 152, 160 at
        // 5.2.0), and a renamed block deletes it; the VMs and scale sets built
        // from it then lose their image.
        let image_version = block.name == "image_version" && !block.data;
        let ignored: Vec<Hcl> = match (block.ty, block.name, block.data) {
            ("azurerm_key_vault", _, false) => c.ignore_vault.iter().map(|a| Hcl::reference(*a)).collect(),
            ("azurerm_container_registry", "registry", _) => {
                c.ignore_registry.iter().map(|a| Hcl::reference(*a)).collect()
            }
            // azapi's body is one attribute: the paths inside it are ignored.
            ("azapi_resource", "registry", _) => c
                .ignore_registry
                .iter()
                .map(|a| Hcl::reference(if *a == "encryption" { "body.properties.encryption" } else { a }))
                .collect(),
            _ if registry || image_version => vec![],
            _ => continue,
        };
        let mut lifecycle = Vec::new();
        if registry || image_version {
            lifecycle.push(attr("prevent_destroy", Hcl::Bool(true)));
        }
        if !ignored.is_empty() {
            lifecycle.push(attr("ignore_changes", Hcl::List(ignored)));
        }
        if !lifecycle.is_empty() {
            block.body.push(Item::Block("lifecycle", lifecycle));
        }
    }
    c
}

/// What a step that runs after `terraform apply` changes, on which resource:
/// that resource ignores those changes from then on.
fn after_deployment(action: &Action, c: &mut Config) {
    let (on_registry, attribute) = match action {
        Action::RotateKeyToSystemIdentity { .. } => (true, "encryption"),
        Action::CloseVaultFirewall { .. } => (false, "network_acls"),
        _ => return,
    };
    let list = if on_registry { &mut c.ignore_registry } else { &mut c.ignore_vault };
    if !list.contains(&attribute) {
        list.push(attribute);
    }
}

fn render(action: &Action, comment: &str, plan: &Plan, c: &mut Config) {
    let comment = comment.to_string();
    match action {
        Action::SelectCloud { cloud } => c.cloud = Some(*cloud),
        Action::SelectSubscription { subscription } => c.subscription = Some(c.val(subscription)),
        Action::CreateResourceGroup { name, location } => {
            // Its own name is the variable, not a reference to itself.
            let name = match name {
                Val::Input(var) => {
                    c.used.insert(var.clone());
                    Hcl::reference(format!("var.{}", var.snake()))
                }
                other => c.val(other),
            };
            let mut body = vec![attr("name", name), attr("location", c.val(location))];
            c.tags(plan, &mut body);
            c.push(Block { comment, data: false, ty: "azurerm_resource_group", name: "main", body });
        }
        Action::CreateIdentity { name, group, location } => {
            let mut body = vec![
                attr("name", c.val(name)),
                attr("resource_group_name", c.val(group)),
                attr("location", c.val(location)),
            ];
            c.tags(plan, &mut body);
            let block = Block { comment, data: false, ty: "azurerm_user_assigned_identity", name: "registry", body };
            identity_outputs(c, &block.address());
            c.push(block);
        }
        Action::LookupIdentity { name, group } => {
            let body =
                vec![attr("name", c.val(name)), attr("resource_group_name", c.val(group))];
            let block = Block { comment, data: true, ty: "azurerm_user_assigned_identity", name: "registry", body };
            identity_outputs(c, &block.address());
            c.push(block);
        }
        Action::CreateVault { name, group, location, rbac, premium } => {
            let mut body = vec![
                attr("name", c.val(name)),
                attr("resource_group_name", c.val(group)),
                attr("location", c.val(location)),
                attr("tenant_id", c.tenant()),
                attr("sku_name", Hcl::text(if *premium { "premium" } else { "standard" })),
                attr("rbac_authorization_enabled", Hcl::Bool(*rbac)),
                attr("soft_delete_retention_days", Hcl::Number(90)),
                attr("purge_protection_enabled", Hcl::Bool(true)),
                Item::Block(
                    "network_acls",
                    vec![
                        attr("default_action", Hcl::text("Allow")),
                        attr("bypass", Hcl::text("AzureServices")),
                    ],
                ),
            ];
            c.tags(plan, &mut body);
            let block = Block { comment, data: false, ty: "azurerm_key_vault", name: "cmk", body };
            c.outputs.insert(Var::new("keyVaultId"), Hcl::reference(format!("{}.id", block.address())));
            c.push(block);
        }
        Action::LookupVault { name, group } => {
            let body =
                vec![attr("name", c.val(name)), attr("resource_group_name", c.val(group))];
            let block = Block { comment, data: true, ty: "azurerm_key_vault", name: "cmk", body };
            c.outputs.insert(Var::new("keyVaultId"), Hcl::reference(format!("{}.id", block.address())));
            c.push(block);
        }
        // The key is created through the management plane: no data-plane role needed.
        Action::GrantSignedInUserKeyOfficer { .. } => {}
        Action::GrantKeyAccess { principal, model, vault: _, group: _ } => {
            let vault_id = c.val(&Val::output("keyVaultId"));
            // The registry's system identity is declared with the registry
            // (`RegistryDecl::system_identity`), which comes first.
            let (principal, name) = match principal {
                Principal::UserIdentity => (c.val(&Val::output("identityPrincipalId")), "key_access"),
                Principal::RegistrySystemIdentity => (c.val(&Val::output("registryPrincipalId")), "system_key_access"),
            };
            let user = name == "key_access";
            let block = match model {
                PermissionModel::Rbac => Block {
                    comment: format!("{comment} ({})", CRYPTO_SERVICE_ENCRYPTION_USER.0),
                    data: false,
                    ty: "azurerm_role_assignment",
                    name,
                    body: vec![
                        attr("scope", vault_id),
                        attr("role_definition_name", Hcl::text(CRYPTO_SERVICE_ENCRYPTION_USER.0)),
                        attr("principal_id", principal),
                        attr("principal_type", Hcl::text("ServicePrincipal")),
                    ],
                },
                PermissionModel::AccessPolicy => Block {
                    comment,
                    data: false,
                    ty: "azurerm_key_vault_access_policy",
                    name,
                    body: vec![
                        attr("key_vault_id", vault_id),
                        attr("tenant_id", c.tenant()),
                        attr("object_id", principal),
                        attr("key_permissions", Hcl::List(KEY_PERMISSIONS.iter().map(|p| Hcl::text(p)).collect())),
                    ],
                },
            };
            // The registry waits for its user identity's grant only.
            if user {
                c.key_access = Some(block.address());
            }
            c.push(block);
        }
        Action::CreateKey { vault: _, group: _, name, kty, size, versionless } => {
            c.azapi = true;
            let body = vec![
                attr("type", Hcl::Str(format!("Microsoft.KeyVault/vaults/keys@{}", api::KEY_VAULT))),
                attr("name", c.val(name)),
                attr("parent_id", c.val(&Val::output("keyVaultId"))),
                attr(
                    "body",
                    Hcl::object(vec![(
                        "properties",
                        Hcl::object(vec![("kty", Hcl::text(kty.as_str())), ("keySize", Hcl::Number(*size))]),
                    )]),
                ),
                attr(
                    "response_export_values",
                    Hcl::List(vec![Hcl::text("properties.keyUri"), Hcl::text("properties.keyUriWithVersion")]),
                ),
                // Deleting the key locks the registry out of its own content.
                Item::Block("lifecycle", vec![attr("prevent_destroy", Hcl::Bool(true))]),
            ];
            let comment = format!("{comment}. {}", super::t("emit.terraform-key-management-plane"));
            let block = Block { comment, data: false, ty: "azapi_resource", name: "key", body };
            let property = if *versionless { "keyUri" } else { "keyUriWithVersion" };
            c.outputs.insert(Var::new("keyUri"), Hcl::reference(format!("{}.output.properties.{property}", block.address())));
            c.push(block);
        }
        // The registry as it ends, rules and final access included
        // (`Plan::registry`): a declaration states them at once.
        Action::CreateRegistry { .. } => {
            if let Some(registry) = plan.registry() {
                let block = registry_block(comment, &registry, plan, c);
                c.push(block);
            }
        }
        Action::AddIpRule { .. }
        | Action::AddVnetRule { .. }
        | Action::RestrictNetworkAccess { .. }
        | Action::AllowTasksBypass { .. } => {}
        Action::LookupSubnet { index, vnet, subnet, group, subscription } => {
            let subscription = match subscription {
                Some(s) => c.val(s),
                None => {
                    c.client_config = true;
                    Hcl::reference("data.azurerm_client_config.current.subscription_id")
                }
            };
            let id = Hcl::Template(vec![
                Hcl::text("/subscriptions/"),
                subscription,
                Hcl::text("/resourceGroups/"),
                c.val(group),
                Hcl::text("/providers/Microsoft.Network/virtualNetworks/"),
                c.val(vnet),
                Hcl::text("/subnets/"),
                c.val(subnet),
            ]);
            c.outputs.insert(Var::indexed("subnetId", *index), id);
        }
        Action::CreateImageVersion {
            gallery,
            definition,
            version,
            group,
            location,
            source,
            end_of_life,
            exclude_from_latest,
            regions,
        } => {
            let data_disks = regions.iter().any(|r| !r.data_des.is_empty())
                || matches!(source, ImageSourceRef::Snapshots { data, .. } if !data.is_empty());
            // azurerm suppresses the difference between RFC 3339 spellings
            // of the date (suppress.RFC3339Time); azapi compares the body's
            // text, so it gets the date as Azure returns it.
            let time = if data_disks { END_OF_LIFE_TIME_AS_READ } else { END_OF_LIFE_TIME };
            let end_of_life = end_of_life.as_ref().map(|date| {
                let date = c.val(date);
                Hcl::Template(vec![date, Hcl::text(time)])
            });
            let block = if data_disks {
                image_version_azapi(c, plan, comment, [gallery, definition, version], location, source, end_of_life, *exclude_from_latest, regions)
            } else {
                let mut body = vec![
                    attr("name", c.val(version)),
                    attr("gallery_name", c.val(gallery)),
                    attr("image_name", c.val(definition)),
                    attr("resource_group_name", c.val(group)),
                    attr("location", c.val(location)),
                ];
                match source {
                    ImageSourceRef::ManagedImage(id) | ImageSourceRef::VirtualMachine(id) => {
                        body.push(attr("managed_image_id", c.val(id)))
                    }
                    ImageSourceRef::Snapshots { os, .. } => body.push(attr("os_disk_snapshot_id", c.val(os))),
                }
                body.push(attr("exclude_from_latest", Hcl::Bool(*exclude_from_latest)));
                if let Some(date) = end_of_life {
                    body.push(attr("end_of_life_date", date));
                }
                for region in regions {
                    let mut target = vec![
                        attr("name", c.val(&region.region)),
                        attr("regional_replica_count", Hcl::Number(region.replicas)),
                        attr("storage_account_type", Hcl::text(region.storage.as_str())),
                    ];
                    if let Some(des) = &region.os_des {
                        target.push(attr("disk_encryption_set_id", c.val(des)));
                    }
                    body.push(Item::Block("target_region", target));
                }
                c.tags(plan, &mut body);
                Block { comment, data: false, ty: "azurerm_shared_image_version", name: "image_version", body }
            };
            c.outputs.insert(Var::new("imageVersionId"), Hcl::reference(format!("{}.id", block.address())));
            c.push(block);
        }
        // Checked by the plan of the scripts; Terraform's plan fails by itself
        // if the definition or a set is missing or in the wrong region.
        Action::LookupImageDefinition { .. } | Action::CheckDiskEncryptionSets { .. } => {}
        // Shown by `terraform output` and the scripts.
        Action::ShowEncryption { .. }
        | Action::ShowNetworkRules { .. }
        | Action::ShowImageVersion { .. }
        | Action::CreateVmHint { .. }
        | Action::StandingRoleNote { .. }
        | Action::LookupRegistryKey { .. } => {}
        // In the registry's block (`RegistryDecl::system_identity`).
        Action::AssignSystemIdentity { .. } => {}
        // Before or after the deployment (see `build`).
        Action::RegisterProvider { .. }
        | Action::AddSubnetServiceEndpoint { .. }
        | Action::RegisterPreviewFeature
        | Action::RotateKeyToSystemIdentity { .. }
        | Action::CloseVaultFirewall { .. } => {}
        #[cfg(feature = "day2")]
        Action::Change(_) => {}
    }
}

fn identity_outputs(c: &mut Config, address: &str) {
    for (var, attribute) in [("identityId", "id"), ("identityPrincipalId", "principal_id"), ("identityClientId", "client_id")]
    {
        c.outputs.insert(Var::new(var), Hcl::reference(format!("{address}.{attribute}")));
    }
}

/// An image version azurerm cannot express (data-disk encryption sets by LUN,
/// data-disk snapshots), in the ARM API's shape.
#[allow(clippy::too_many_arguments)]
fn image_version_azapi(
    c: &mut Config,
    plan: &Plan,
    comment: String,
    [gallery, definition, version]: [&Val; 3],
    location: &Val,
    source: &ImageSourceRef,
    end_of_life: Option<Hcl>,
    exclude_from_latest: bool,
    regions: &[crate::plan::RegionRef],
) -> Block {
    c.azapi = true;
    // Azure returns target regions by display name ("West US"), and azapi
    // keeps the response's text wherever it differs from the body's (only
    // the top-level location is compared normalised): the value is written
    // in the returned form (`values`), so the second plan shows no change.
    for r in regions {
        if let Val::Input(var) = &r.region {
            let known = plan.inputs.iter().any(|i| {
                i.var == *var
                    && matches!(&i.value, InputValue::Text(t) if crate::i18n::region_display_name(t).is_some())
            });
            if known {
                c.display_region.insert(var.clone());
            }
        }
    }
    let target_regions = regions.iter().map(|r| c.shape(&r.rest_shape())).collect();
    let mut publishing =
        vec![("targetRegions", Hcl::List(target_regions)), ("excludeFromLatest", Hcl::Bool(exclude_from_latest))];
    if let Some(date) = end_of_life {
        publishing.push(("endOfLifeDate", date));
    }
    let storage = c.shape(&source.rest_shape());
    let group_id = c.group_id();
    let parent = Hcl::Template(vec![
        group_id,
        Hcl::text("/providers/Microsoft.Compute/galleries/"),
        c.val(gallery),
        Hcl::text("/images/"),
        c.val(definition),
    ]);
    let mut body = vec![
        attr("type", Hcl::Str(format!("Microsoft.Compute/galleries/images/versions@{}", api::GALLERY))),
        attr("name", c.val(version)),
        attr("parent_id", parent),
        attr("location", c.val(location)),
        attr(
            "body",
            Hcl::object(vec![(
                "properties",
                Hcl::object(vec![
                    ("publishingProfile", Hcl::object(publishing)),
                    ("storageProfile", storage),
                ]),
            )]),
        ),
    ];
    c.tags(plan, &mut body);
    let comment = format!(
        "{comment}. {}. {}",
        super::t("emit.terraform-image-version-azapi"),
        super::t("emit.terraform-as-read")
    );
    Block { comment, data: false, ty: "azapi_resource", name: "image_version", body }
}

/// The registry's block: azurerm's resource, or azapi's when it has virtual
/// network rules, which azurerm no longer expresses (its body is the REST
/// API's, as the template's resource is).
fn registry_block(comment: String, r: &RegistryDecl, plan: &Plan, c: &mut Config) -> Block {
    let azapi = !r.vnet_rules.is_empty();
    let identity = r.encryption.map(|_| {
        let id = c.val(&Val::output("identityId"));
        let ty = if r.system_identity { "SystemAssigned, UserAssigned" } else { "UserAssigned" };
        Item::Block("identity", vec![attr("type", Hcl::text(ty)), attr("identity_ids", Hcl::List(vec![id]))])
    });
    let mut body = Vec::new();
    if azapi {
        c.azapi = true;
        body.extend([
            attr("type", Hcl::Str(format!("Microsoft.ContainerRegistry/registries@{}", api::REGISTRY_PREVIEW))),
            attr("name", c.val(r.name)),
            attr("parent_id", c.group_id()),
            attr("location", c.val(r.location)),
        ]);
        body.extend(identity);
        let sku = Hcl::object(vec![("name", Hcl::text(r.sku.as_str()))]);
        let properties = c.shape(&r.rest_properties());
        body.push(attr("body", Hcl::object(vec![("sku", sku), ("properties", properties)])));
        body.push(attr("response_export_values", Hcl::List(vec![Hcl::text("properties.loginServer")])));
    } else {
        body.extend([
            attr("name", c.val(r.name)),
            attr("resource_group_name", c.val(r.group)),
            attr("location", c.val(r.location)),
            attr("sku", Hcl::text(r.sku.as_str())),
            attr("admin_enabled", Hcl::Bool(r.admin_user)),
            attr("public_network_access_enabled", Hcl::Bool(r.public_access != PublicAccess::Disabled)),
        ]);
        if r.sku == Sku::Premium {
            let bypass = if r.allow_trusted_services { "AzureServices" } else { "None" };
            body.push(attr("network_rule_bypass_option", Hcl::text(bypass)));
            if r.allow_tasks_bypass {
                // azurerm 5.2 container_registry_resource.go:262
                body.push(attr("network_rule_bypass_for_tasks_enabled", Hcl::Bool(true)));
            }
            let default_action = if r.public_access == PublicAccess::All { "Allow" } else { "Deny" };
            let mut rules = vec![attr("default_action", Hcl::text(default_action))];
            for rule in &r.ip_rules {
                if let Val::Input(var) = rule {
                    c.cidr.insert(var.clone());
                }
                let range = c.val(rule);
                rules.push(Item::Block("ip_rule", vec![attr("action", Hcl::text("Allow")), attr("ip_range", range)]));
            }
            body.push(Item::Block("network_rule_set", rules));
        }
        if let Some(key) = r.encryption {
            body.extend(identity);
            let key = c.val(key);
            let client_id = c.val(&r.identity_client_id);
            body.push(Item::Block(
                "encryption",
                vec![attr("key_vault_key_id", key), attr("identity_client_id", client_id)],
            ));
        }
    }
    c.tags(plan, &mut body);
    let mut depends_on: Vec<String> = c.key_access.clone().filter(|_| r.encryption.is_some()).into_iter().collect();
    let waits = depends_on.iter().any(|a| a.starts_with("azurerm_role_assignment."));
    if waits {
        // An Azure RBAC grant made in the same apply reaches Key Vault up to
        // ten minutes later, and the registry checks its key when it is
        // created: the first apply waits as long as the scripts retry.
        c.time = true;
        let minutes = crate::plan::RBAC_PROPAGATION_MINUTES;
        let sleep = Block {
            comment: super::tf("emit.terraform-grant-wait", &[("minutes", minutes.to_string())]),
            data: false,
            ty: "time_sleep",
            name: "key_access",
            body: vec![
                attr("create_duration", Hcl::Str(format!("{minutes}m"))),
                attr("depends_on", Hcl::List(depends_on.iter().map(|a| Hcl::reference(a.as_str())).collect())),
            ],
        };
        depends_on = vec![sleep.address()];
        c.push(sleep);
    }
    if !depends_on.is_empty() {
        body.push(attr("depends_on", Hcl::List(depends_on.iter().map(|a| Hcl::reference(a.as_str())).collect())));
    }
    let (ty, mut comment) = if azapi {
        ("azapi_resource", format!("{comment}. {}", super::t("emit.terraform-registry-azapi")))
    } else {
        ("azurerm_container_registry", comment)
    };
    if waits {
        comment = format!("{comment}. {}", super::t("emit.terraform-grant-delay"));
    }
    let comment = format!("{comment}. {}", super::t("emit.terraform-registry-prevent-destroy"));
    let block = Block { comment, data: false, ty, name: "registry", body };
    let address = block.address();
    c.outputs.insert(Var::new("registryId"), Hcl::reference(format!("{address}.id")));
    if r.system_identity {
        let principal = Hcl::reference(format!("{address}.identity[0].principal_id"));
        c.outputs.insert(Var::new("registryPrincipalId"), principal);
    }
    let login = if azapi { "output.properties.loginServer" } else { "login_server" };
    c.outputs.insert(Var::new("loginServer"), Hcl::reference(format!("{address}.{login}")));
    block
}

/// `main.tf`: providers, lookups and resources.
pub(super) fn main(plan: &Plan, title: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {title}");
    if plan.arm_note.is_some() {
        let _ = writeln!(out, "#\n# {}", super::t("emit.terraform-change"));
        return out;
    }
    let _ = writeln!(out, "# {}", super::t("emit.terraform-generated"));
    let c = build(plan);
    for (key, steps) in [("emit.terraform-pre-deployment", &c.before), ("emit.terraform-post-deployment", &c.after)] {
        if !steps.is_empty() {
            let _ = writeln!(out, "#\n# {}", super::t(key));
            for step in steps.iter() {
                let _ = writeln!(out, "#   - {}", super::t(step));
            }
        }
    }

    let mut required = vec![(
        "azurerm",
        Hcl::object(vec![("source", Hcl::text("hashicorp/azurerm")), ("version", Hcl::text(providers::AZURERM))]),
    )];
    if c.azapi {
        required.push((
            "azapi",
            Hcl::object(vec![("source", Hcl::text("Azure/azapi")), ("version", Hcl::text(providers::AZAPI))]),
        ));
    }
    if c.time {
        required.push((
            "time",
            Hcl::object(vec![("source", Hcl::text("hashicorp/time")), ("version", Hcl::text(providers::TIME))]),
        ));
    }
    let terraform = vec![
        attr("required_version", Hcl::text(providers::TERRAFORM)),
        Item::Block("required_providers", required.into_iter().map(|(k, v)| attr(k, v)).collect()),
    ];
    out.push('\n');
    write_block(&mut out, "terraform", &terraform);

    let mut target = Vec::new();
    if let Some(subscription) = &c.subscription {
        target.push(attr("subscription_id", subscription.clone()));
    }
    if let Some(cloud) = c.cloud {
        target.push(attr("environment", Hcl::text(environment(cloud))));
    }
    if c.subscription.is_none() {
        let _ = writeln!(out, "\n# {}", super::t("emit.terraform-subscription"));
    } else {
        out.push('\n');
    }
    let mut azurerm = vec![Item::Block("features", vec![])];
    azurerm.extend(target.iter().cloned());
    let namespaces = resource_providers(&c);
    if !namespaces.is_empty() {
        let _ = writeln!(out, "# {}", super::t("emit.terraform-resource-providers"));
        azurerm.push(attr(
            "resource_providers_to_register",
            Hcl::List(namespaces.into_iter().map(Hcl::text).collect()),
        ));
    }
    write_block(&mut out, "provider \"azurerm\"", &azurerm);
    if c.azapi {
        out.push('\n');
        write_block(&mut out, "provider \"azapi\"", &target);
    }

    let mut lookups = Vec::new();
    if c.client_config {
        lookups.push(Block {
            comment: super::t("emit.terraform-client-config").to_string(),
            data: true,
            ty: "azurerm_client_config",
            name: "current",
            body: vec![],
        });
    }
    if c.used.contains(&Var::new("resourceGroup")) && !c.creates_group {
        lookups.push(Block {
            comment: super::t("emit.terraform-resource-group").to_string(),
            data: true,
            ty: "azurerm_resource_group",
            name: "main",
            body: vec![attr("name", Hcl::reference("var.resource_group"))],
        });
    }
    for block in lookups.iter().chain(&c.blocks) {
        out.push('\n');
        let _ = writeln!(out, "# {}", block.comment);
        let kind = if block.data { "data" } else { "resource" };
        write_block(&mut out, &format!("{kind} \"{}\" \"{}\"", block.ty, block.name), &block.body);
    }
    out
}

/// The resource providers of what the configuration creates, which azurerm
/// 5 registers only when asked: `resource_provider_registrations` defaults
/// to `none` (azurerm v5.2.0 internal/provider/provider.go:345-357; 5.0
/// upgrade guide), and `resource_providers_to_register` (provider.go:359-367)
/// adds to that set at provider start (provider.go:501-512). An ARM
/// deployment registers the namespaces of its resources by itself.
/// Microsoft.Resources and Microsoft.Authorization are registered in every
/// subscription.
fn resource_providers(c: &Config) -> BTreeSet<&'static str> {
    c.blocks
        .iter()
        .filter(|b| !b.data)
        .filter_map(|b| match b.ty {
            "azurerm_container_registry" => Some("Microsoft.ContainerRegistry"),
            "azurerm_key_vault" | "azurerm_key_vault_access_policy" => Some("Microsoft.KeyVault"),
            "azurerm_user_assigned_identity" => Some("Microsoft.ManagedIdentity"),
            "azurerm_shared_image_version" => Some("Microsoft.Compute"),
            "azapi_resource" => b.body.iter().find_map(|i| match i {
                Item::Attr(k, Hcl::Str(ty)) if k == "type" => {
                    ["Microsoft.ContainerRegistry", "Microsoft.KeyVault", "Microsoft.Compute"]
                        .into_iter()
                        .find(|ns| ty.starts_with(&format!("{ns}/")))
                }
                _ => None,
            }),
            _ => None,
        })
        .collect()
}

/// The `environment` of both providers for a cloud.
fn environment(cloud: Cloud) -> &'static str {
    match cloud {
        Cloud::AzureCloud => "public",
        Cloud::AzureUsGovernment => "usgovernment",
        Cloud::AzureChinaCloud => "china",
    }
}

/// The inputs the configuration reads, in the plan's order.
fn inputs<'p>(plan: &'p Plan, c: &Config) -> impl Iterator<Item = &'p crate::plan::Input> {
    let mut used = c.used.clone();
    if let Some(Hcl::Ref(_)) = &c.subscription {
        used.insert(Var::new("subscriptionId"));
    }
    plan.inputs.iter().filter(move |i| used.contains(&i.var))
}

/// `variables.tf`: one variable per user value, described, typed, and held
/// to the naming rules' length bounds.
pub(super) fn variables(plan: &Plan) -> String {
    if plan.arm_note.is_some() {
        return format!("# {}\n", super::t("emit.terraform-change"));
    }
    let c = build(plan);
    let mut out = String::new();
    for input in inputs(plan, &c) {
        let name = input.var.snake();
        let generic: String = input.var.as_str().chars().filter(|c| !c.is_ascii_digit()).collect();
        let ty = match input.value {
            InputValue::Text(_) => "string",
            InputValue::List(_) => "list(string)",
            InputValue::Map(_) => "map(string)",
        };
        let description = if c.display_region.contains(&input.var) {
            super::t("emit.terraform-region-display")
        } else {
            super::t(&format!("input.{generic}"))
        };
        let mut body = vec![
            attr("description", Hcl::text(description)),
            attr("type", Hcl::reference(ty)),
        ];
        if let Some((min, max)) = crate::names::length::of_input(input.var.as_str()) {
            let condition = format!("length(var.{name}) >= {min} && length(var.{name}) <= {max}");
            let message = super::tf(
                "emit.terraform-length",
                &[("name", name.clone()), ("min", min.to_string()), ("max", max.to_string())],
            );
            body.push(Item::Block(
                "validation",
                vec![attr("condition", Hcl::reference(condition)), attr("error_message", Hcl::Str(message))],
            ));
        }
        if c.cidr.contains(&input.var) {
            let condition = format!("can(cidrhost(var.{name}, 0))");
            let message = super::tf("emit.terraform-cidr", &[("name", name.clone())]);
            body.push(Item::Block(
                "validation",
                vec![attr("condition", Hcl::reference(condition)), attr("error_message", Hcl::Str(message))],
            ));
        }
        if !out.is_empty() {
            out.push('\n');
        }
        write_block(&mut out, &format!("variable \"{name}\""), &body);
    }
    out
}

/// `terraform.tfvars`: the user's values.
pub(super) fn values(plan: &Plan) -> String {
    if plan.arm_note.is_some() {
        return format!("# {}\n", super::t("emit.terraform-change"));
    }
    let c = build(plan);
    let items: Vec<Item> = inputs(plan, &c)
        .map(|input| {
            let value = match &input.value {
                InputValue::Text(text) if c.cidr.contains(&input.var) => Hcl::Str(crate::plan::ip_range_cidr(text)),
                InputValue::Text(text) if c.display_region.contains(&input.var) => {
                    Hcl::text(crate::i18n::region_display_name(text).unwrap_or(text))
                }
                InputValue::Text(text) => Hcl::Str(text.clone()),
                InputValue::List(items) => Hcl::List(items.iter().map(|i| Hcl::Str(i.clone())).collect()),
                // Map keys are the user's text too (tag names): always quoted.
                InputValue::Map(map) => {
                    Hcl::Object(map.iter().map(|(k, v)| (quote::hcl(k), Hcl::Str(v.clone()))).collect())
                }
            };
            attr(input.var.snake(), value)
        })
        .collect();
    let mut out = String::new();
    write_items(&mut out, &items, 0);
    out
}

/// `outputs.tf`: the template's outputs.
pub(super) fn outputs(plan: &Plan) -> String {
    if plan.arm_note.is_some() {
        return format!("# {}\n", super::t("emit.terraform-change"));
    }
    let c = build(plan);
    let mut out = String::new();
    for (name, var) in [
        ("registry_id", "registryId"),
        ("login_server", "loginServer"),
        ("identity_principal_id", "identityPrincipalId"),
        ("key_uri", "keyUri"),
        ("image_version_id", "imageVersionId"),
    ] {
        if let Some(value) = c.outputs.get(&Var::new(var)) {
            if !out.is_empty() {
                out.push('\n');
            }
            write_block(&mut out, &format!("output \"{name}\""), &[attr("value", value.clone())]);
        }
    }
    out
}

fn write_block(out: &mut String, head: &str, body: &[Item]) {
    if body.is_empty() {
        let _ = writeln!(out, "{head} {{}}");
        return;
    }
    let _ = writeln!(out, "{head} {{");
    write_items(out, body, 1);
    out.push_str("}\n");
}

/// A body's items as `terraform fmt` writes them: the `=` of consecutive
/// one-line arguments aligned (an argument whose value spans lines stands by
/// itself), a blank line around a nested block.
fn write_items(out: &mut String, items: &[Item], depth: usize) {
    let pad = "  ".repeat(depth);
    let one_line = |item: &Item| match item {
        Item::Attr(_, value) => !expr(value, depth).contains('\n'),
        Item::Block(..) => false,
    };
    let mut i = 0;
    while i < items.len() {
        if i > 0 && (matches!(items[i], Item::Block(..)) || matches!(items[i - 1], Item::Block(..))) {
            out.push('\n');
        }
        match &items[i] {
            Item::Attr(key, value) if !one_line(&items[i]) => {
                let _ = writeln!(out, "{pad}{key} = {}", expr(value, depth));
                i += 1;
            }
            Item::Attr(..) => {
                let run: Vec<(&str, &Hcl)> = items[i..]
                    .iter()
                    .take_while(|item| one_line(item))
                    .filter_map(|item| match item {
                        Item::Attr(k, v) => Some((k.as_ref(), v)),
                        Item::Block(..) => None,
                    })
                    .collect();
                let width = run.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(0);
                for (key, value) in &run {
                    let gap = width - key.chars().count();
                    let _ = writeln!(out, "{pad}{key}{} = {}", " ".repeat(gap), expr(value, depth));
                }
                i += run.len();
            }
            Item::Block(name, body) => {
                if body.is_empty() {
                    let _ = writeln!(out, "{pad}{name} {{}}");
                } else {
                    let _ = writeln!(out, "{pad}{name} {{");
                    write_items(out, body, depth + 1);
                    let _ = writeln!(out, "{pad}}}");
                }
                i += 1;
            }
        }
    }
}

/// An expression at `depth` (the indentation of the line it starts on).
fn expr(value: &Hcl, depth: usize) -> String {
    match value {
        Hcl::Str(text) => quote::hcl(text),
        Hcl::Ref(text) => text.clone(),
        Hcl::Template(parts) => {
            let mut s = String::from("\"");
            for part in parts {
                match part {
                    Hcl::Str(text) => {
                        let quoted = quote::hcl(text);
                        s.push_str(&quoted[1..quoted.len() - 1]);
                    }
                    other => {
                        let _ = write!(s, "${{{}}}", expr(other, depth));
                    }
                }
            }
            s.push('"');
            s
        }
        Hcl::Bool(b) => b.to_string(),
        Hcl::Number(n) => n.to_string(),
        Hcl::List(items) if items.iter().all(|i| !matches!(i, Hcl::Object(_) | Hcl::List(_))) => {
            format!("[{}]", items.iter().map(|i| expr(i, depth)).collect::<Vec<_>>().join(", "))
        }
        Hcl::List(items) => {
            let pad = "  ".repeat(depth + 1);
            let mut s = String::from("[\n");
            for item in items {
                let _ = writeln!(s, "{pad}{},", expr(item, depth + 1));
            }
            let _ = write!(s, "{}]", "  ".repeat(depth));
            s
        }
        Hcl::Object(fields) if fields.is_empty() => "{}".into(),
        Hcl::Object(fields) => {
            let items: Vec<Item> = fields.iter().map(|(k, v)| attr(k.clone(), v.clone())).collect();
            let mut s = String::from("{\n");
            write_items(&mut s, &items, depth + 1);
            let _ = write!(s, "{}}}", "  ".repeat(depth));
            s
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_escape_their_literal_parts_only() {
        let id = Hcl::Template(vec![Hcl::text("/a/${x}/"), Hcl::reference("var.b")]);
        assert_eq!(expr(&id, 0), "\"/a/$${x}/${var.b}\"");
    }

    #[test]
    fn arguments_align_and_blocks_stand_apart() {
        let mut out = String::new();
        let items = vec![
            attr("name", Hcl::text("a")),
            attr("location", Hcl::reference("var.location")),
            Item::Block("network_acls", vec![attr("bypass", Hcl::text("AzureServices"))]),
            attr("tags", Hcl::reference("var.tags")),
        ];
        write_items(&mut out, &items, 0);
        assert_eq!(
            out,
            "name     = \"a\"\nlocation = var.location\n\nnetwork_acls {\n  bypass = \"AzureServices\"\n}\n\ntags = var.tags\n"
        );
    }
}
