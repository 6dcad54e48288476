//! ARM JSON: a resource-group template and its parameters file.
//!
//! A template is declarative, so steps become resources or properties of one:
//! a step that creates something adds a resource, a step that configures the
//! registry (IP rule, VNet rule, content trust) edits the registry resource, and
//! a lookup becomes a `resourceId()` expression. Steps a template cannot express
//! (switching identities after creation, closing the vault firewall, subnet
//! service endpoints, provider registration) are listed in the template's
//! metadata; rules warn about each of them.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::{quote, CRYPTO_SERVICE_ENCRYPTION_USER, GENERATOR, KEY_PERMISSIONS};
use crate::plan::{Action, ArmPart, InputValue, Plan, Principal, Shape, Val, Var, END_OF_LIFE_TIME};
use crate::spec::PermissionModel;

pub const DEPLOYMENT_TEMPLATE_SCHEMA: &str =
    "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";
pub const PARAMETERS_SCHEMA: &str = "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#";

/// API versions, each the newest with a published schema (checked 2026-11-22).
pub mod api {
    pub const REGISTRY: &str = "2025-11-01";
    /// `networkRuleSet.virtualNetworkRules` exists only in preview versions;
    /// in this one a rule names its subnet `virtualNetworkSubnetResourceId`
    /// (older versions said `id`): the REST specification, the Azure CLI's
    /// SDK and the service's responses agree (Azure/azure-cli#33660).
    pub const REGISTRY_PREVIEW: &str = "2026-03-01-preview";
    pub const IDENTITY: &str = "2024-11-30";
    /// 2026-02-01 makes Azure RBAC the default; older versions retire in Feb 2027.
    pub const KEY_VAULT: &str = "2026-02-01";
    pub const ROLE_ASSIGNMENT: &str = "2022-04-01";
    pub const DEPLOYMENT: &str = "2025-04-01";
    /// Subnets (their service endpoints; Bicep's `existing` subnet).
    pub const NETWORK: &str = "2024-05-01";
    /// Gallery API versions end in -03; 2025-12-03 is the newest with a
    /// published schema (`galleries_images_versions` in Microsoft.Compute.json).
    pub const GALLERY: &str = "2025-12-03";
    #[cfg(feature = "day2")]
    /// `registries/tasks`: the newest version with a published schema
    /// (Microsoft.ContainerRegistry.RegistryTasks.json).
    pub const TASKS: &str = "2025-03-01-preview";
}

const REGISTRY_TYPE: &str = "Microsoft.ContainerRegistry/registries";
const IDENTITY_TYPE: &str = "Microsoft.ManagedIdentity/userAssignedIdentities";
const VAULT_TYPE: &str = "Microsoft.KeyVault/vaults";
const IMAGE_VERSION_TYPE: &str = "Microsoft.Compute/galleries/images/versions";

/// An ARM expression without its brackets: `parameters('registryName')`.
type Expr = String;

fn param(var: &Var) -> Expr {
    format!("parameters('{}')", var.as_str())
}

/// A resource being built, and the group it lives in (None: the deployment's).
struct Resource {
    body: Map<String, Value>,
    group: Option<Val>,
}

#[derive(Default)]
struct Template {
    resources: Vec<Resource>,
    /// Expressions for the outputs of plan steps.
    outputs: BTreeMap<Var, Expr>,
    /// Resource IDs (expressions) that later resources must depend on, by output var.
    depends: BTreeMap<Var, Expr>,
    /// Index of the registry resource in `resources`.
    registry: Option<usize>,
    post_deployment: Vec<&'static str>,
    /// Catalog keys of the steps that must run before the deployment.
    pre_deployment: Vec<&'static str>,
}

impl Template {
    fn expr(&self, val: &Val) -> Expr {
        match val {
            // The deployment's own group: no parameter needed.
            Val::Input(var) if var.as_str() == "resourceGroup" => "resourceGroup().name".into(),
            Val::Input(var) => param(var),
            Val::Output(var) => self.outputs.get(var).cloned().unwrap_or_else(|| format!("'{}'", var.as_str())),
            Val::Lit(text) => format!("'{}'", text.replace('\'', "''")),
        }
    }

    /// A request body's shape as template JSON.
    fn shape(&self, shape: &Shape) -> Value {
        match shape {
            Shape::Object(fields) => {
                Value::Object(fields.iter().map(|(k, v)| (k.to_string(), self.shape(v))).collect())
            }
            Shape::List(items) => Value::Array(items.iter().map(|i| self.shape(i)).collect()),
            Shape::Value(val) => self.string(val),
            Shape::Number(n) => json!(n),
            Shape::Bool(b) => json!(b),
            Shape::Text(text) => json!(text),
        }
    }

    fn string(&self, val: &Val) -> Value {
        match val {
            Val::Lit(text) => Value::String(quote::arm_literal(text)),
            _ => Value::String(format!("[{}]", self.expr(val))),
        }
    }

    /// `resourceId()` of a resource in `group` (None or the main group: ours).
    fn resource_id(&self, group: Option<&Val>, ty: &str, names: &[&Val]) -> Expr {
        let mut args = Vec::new();
        if let Some(g) = group {
            args.push(self.expr(g));
        }
        args.push(format!("'{ty}'"));
        args.extend(names.iter().map(|n| self.expr(n)));
        format!("resourceId({})", args.join(", "))
    }

    /// What a later resource's `dependsOn` names for the resource at `index`:
    /// its ID, or, in another group, the nested deployment that deploys it
    /// (`dependsOn` only names what the template itself declares).
    fn dependency(&self, index: usize, id: Expr) -> Expr {
        let resource = &self.resources[index];
        match &resource.group {
            None => id,
            Some(group) => {
                let name = resource.body["name"].as_str().unwrap_or_default().trim_matches(['[', ']']).to_string();
                format!("resourceId({}, 'Microsoft.Resources/deployments', {})", self.expr(group), nested_name(&name))
            }
        }
    }

    fn dependencies(&self, vars: &[&str]) -> Vec<Value> {
        vars.iter().filter_map(|v| self.depends.get(&Var::new(v))).map(|e| Value::String(format!("[{e}]"))).collect()
    }

    fn push(&mut self, comment: &str, body: Value, group: Option<Val>) -> usize {
        let mut map = Map::new();
        map.insert("comments".into(), Value::String(comment.into()));
        if let Value::Object(body) = body {
            map.extend(body);
        }
        self.resources.push(Resource { body: map, group });
        self.resources.len() - 1
    }
}

/// The main resource group is a plan input named `resourceGroup`.
fn other_group(group: &Val) -> Option<Val> {
    match group {
        Val::Input(var) if var.as_str() == "resourceGroup" => None,
        other => Some(other.clone()),
    }
}

fn tags(plan: &Plan) -> Option<Value> {
    plan.has_tags.then(|| Value::String("[parameters('tags')]".into()))
}

fn with_tags(mut body: Value, plan: &Plan) -> Value {
    if let (Some(tags), Value::Object(map)) = (tags(plan), &mut body) {
        map.insert("tags".into(), tags);
    }
    body
}

pub(super) fn template(plan: &Plan, title: &str) -> String {
    pretty(&build(plan, title))
}

/// The template as JSON. Parameters are the plan's inputs that the resources
/// use: the resource group and subscription are the deployment's target.
pub(super) fn build(plan: &Plan, title: &str) -> Value {
    if let Some(note) = plan.arm_note {
        // A day-2 change of a live registry: say why there is no template.
        return json!({
            "$schema": DEPLOYMENT_TEMPLATE_SCHEMA,
            "contentVersion": "1.0.0.0",
            "metadata": { "description": title, "generator": GENERATOR, "notAnArmDeployment": super::t(note) },
            "parameters": {},
            "resources": [],
        });
    }
    let mut t = Template::default();
    for step in &plan.steps {
        // The plan says which steps the template cannot take (`Action::arm_part`).
        match step.action.arm_part() {
            ArmPart::Group | ArmPart::Before => t.pre_deployment.push(step.title),
            ArmPart::After => t.post_deployment.push(step.title),
            ArmPart::Target | ArmPart::Template => render(&step.action, super::t(step.title), plan, &mut t),
        }
    }

    let placed: Vec<Resource> = std::mem::take(&mut t.resources);
    let resources: Vec<Value> = placed.into_iter().map(|r| place(r, &t)).collect();
    let outputs = outputs(&t);
    // The serialized JSON, not Debug: the wasm build may compile Debug out.
    let used = serde_json::to_string(&(&resources, &outputs)).expect("JSON values serialize");
    let parameters: Map<String, Value> = plan
        .inputs
        .iter()
        .filter(|input| used.contains(&format!("parameters('{}')", input.var.as_str())))
        .map(|input| {
            let ty = match input.value {
                InputValue::Text(_) => "string",
                InputValue::List(_) => "array",
                InputValue::Map(_) => "object",
            };
            let generic: String = input.var.as_str().chars().filter(|c| !c.is_ascii_digit()).collect();
            let description = super::t(&format!("input.{generic}"));
            (input.var.as_str().to_string(), json!({ "type": ty, "metadata": { "description": description } }))
        })
        .collect();

    let mut metadata = json!({ "description": title, "generator": GENERATOR });
    if !t.post_deployment.is_empty() {
        let steps: Vec<&str> = t.post_deployment.iter().map(|k| super::t(k)).collect();
        metadata["postDeploymentSteps"] = json!({ "note": super::t("emit.arm-post-deployment"), "steps": steps });
    }
    if !t.pre_deployment.is_empty() {
        let steps: Vec<&str> = t.pre_deployment.iter().map(|k| super::t(k)).collect();
        metadata["preDeploymentSteps"] = json!({ "note": super::t("emit.arm-pre-deployment"), "steps": steps });
    }
    json!({
        "$schema": DEPLOYMENT_TEMPLATE_SCHEMA,
        "contentVersion": "1.0.0.0",
        "metadata": metadata,
        "parameters": parameters,
        "resources": resources,
        "outputs": outputs,
    })
}

fn outputs(t: &Template) -> Map<String, Value> {
    let mut outputs = Map::new();
    if t.registry.is_some() {
        let id = t.resource_id(None, REGISTRY_TYPE, &[&Val::input("registryName")]);
        outputs.insert("registryId".into(), json!({ "type": "string", "value": format!("[{id}]") }));
        outputs.insert(
            "loginServer".into(),
            json!({ "type": "string", "value": format!("[reference({id}).loginServer]") }),
        );
    }
    for (name, var) in
        [("identityPrincipalId", "identityPrincipalId"), ("keyUri", "keyUri"), ("imageVersionId", "imageVersionId")]
    {
        if let Some(expr) = t.outputs.get(&Var::new(var)) {
            outputs.insert(name.into(), json!({ "type": "string", "value": format!("[{expr}]") }));
        }
    }
    outputs
}

/// The name of the nested deployment of a resource named `name` (an expression).
fn nested_name(name: &str) -> Expr {
    format!("concat('nested-', uniqueString({name}))")
}

/// A resource in another group is deployed through a nested deployment there.
/// Expressions stay in the outer scope, so they can use our parameters.
fn place(resource: Resource, scope: &Template) -> Value {
    let body = Value::Object(resource.body);
    let Some(group) = resource.group else { return body };
    let name = body["name"].as_str().unwrap_or("nested").trim_matches(['[', ']']).to_string();
    let depends = body.get("dependsOn").cloned().unwrap_or(json!([]));
    let mut inner = body;
    if let Value::Object(map) = &mut inner {
        map.remove("dependsOn");
    }
    json!({
        "comments": inner["comments"].clone(),
        "type": "Microsoft.Resources/deployments",
        "apiVersion": api::DEPLOYMENT,
        "name": format!("[{}]", nested_name(&name)),
        "resourceGroup": scope.string(&group),
        "dependsOn": depends,
        "properties": {
            "mode": "Incremental",
            "template": {
                "$schema": DEPLOYMENT_TEMPLATE_SCHEMA,
                "contentVersion": "1.0.0.0",
                "resources": [inner],
            },
        },
    })
}

fn render(action: &Action, comment: &str, plan: &Plan, t: &mut Template) {
    match action {
        // The deployment command selects cloud, subscription and group.
        Action::SelectCloud { .. } | Action::SelectSubscription { .. } | Action::CreateResourceGroup { .. } => {}
        Action::CreateIdentity { name, group, location } => {
            let id = t.resource_id(other_group(group).as_ref(), IDENTITY_TYPE, &[name]);
            let body = with_tags(
                json!({ "type": IDENTITY_TYPE, "apiVersion": api::IDENTITY, "name": t.string(name), "location": t.string(location), "properties": {} }),
                plan,
            );
            let index = t.push(comment, body, other_group(group));
            identity_outputs(t, &id);
            t.depends.insert(Var::new("identityId"), t.dependency(index, id));
        }
        Action::LookupIdentity { name, group } => {
            let id = t.resource_id(other_group(group).as_ref(), IDENTITY_TYPE, &[name]);
            identity_outputs(t, &id);
        }
        Action::CreateVault { name, group, location, rbac, premium } => {
            let id = t.resource_id(other_group(group).as_ref(), VAULT_TYPE, &[name]);
            let mut properties = json!({
                "tenantId": "[subscription().tenantId]",
                "sku": { "family": "A", "name": if *premium { "premium" } else { "standard" } },
                "enableRbacAuthorization": rbac,
                "enableSoftDelete": true,
                "softDeleteRetentionInDays": 90,
                "enablePurgeProtection": true,
                "networkAcls": { "defaultAction": "Allow", "bypass": "AzureServices" },
            });
            if !rbac {
                properties["accessPolicies"] = json!([]);
            }
            let body = with_tags(
                json!({ "type": VAULT_TYPE, "apiVersion": api::KEY_VAULT, "name": t.string(name), "location": t.string(location), "properties": properties }),
                plan,
            );
            let index = t.push(comment, body, other_group(group));
            t.outputs.insert(Var::new("keyVaultId"), id.clone());
            t.depends.insert(Var::new("keyVaultId"), t.dependency(index, id));
        }
        Action::LookupVault { name, group } => {
            let id = t.resource_id(other_group(group).as_ref(), VAULT_TYPE, &[name]);
            t.outputs.insert(Var::new("keyVaultId"), id);
        }
        // Keys created through the management plane need no data-plane role.
        Action::GrantSignedInUserKeyOfficer { .. } => {}
        Action::GrantKeyAccess { principal, model, vault, group } => {
            // The grantee's ID, and the resource its assignment's name is made of.
            let (principal_id, identity_dep) = match principal {
                Principal::UserIdentity => (t.expr(&Val::output("identityPrincipalId")), "identityId"),
                // The registry's system identity, declared with it (`Plan::registry`).
                Principal::RegistrySystemIdentity => (t.expr(&Val::output("registryPrincipalId")), "registryId"),
            };
            let depends = t.dependencies(&[identity_dep, "keyVaultId"]);
            let body = match model {
                PermissionModel::Rbac => json!({
                    "type": "Microsoft.Authorization/roleAssignments",
                    "apiVersion": api::ROLE_ASSIGNMENT,
                    "scope": format!("[format('Microsoft.KeyVault/vaults/{{0}}', {})]", t.expr(vault)),
                    "name": format!("[guid({}, {}, '{}')]", t.outputs[&Var::new("keyVaultId")], t.expr(&Val::output(identity_dep)), CRYPTO_SERVICE_ENCRYPTION_USER.1),
                    "dependsOn": depends,
                    "properties": {
                        "roleDefinitionId": format!("[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '{}')]", CRYPTO_SERVICE_ENCRYPTION_USER.1),
                        "principalId": format!("[{principal_id}]"),
                        "principalType": "ServicePrincipal",
                    },
                }),
                PermissionModel::AccessPolicy => json!({
                    "type": "Microsoft.KeyVault/vaults/accessPolicies",
                    "apiVersion": api::KEY_VAULT,
                    "name": format!("[format('{{0}}/add', {})]", t.expr(vault)),
                    "dependsOn": depends,
                    "properties": {
                        "accessPolicies": [{
                            "tenantId": "[subscription().tenantId]",
                            "objectId": format!("[{principal_id}]"),
                            "permissions": { "keys": KEY_PERMISSIONS },
                        }],
                    },
                }),
            };
            let index = t.push(comment, body, other_group(group));
            let grant_name =
                t.resources[index].body["name"].as_str().unwrap_or_default().trim_matches(['[', ']']).to_string();
            let grant_id = match model {
                PermissionModel::Rbac => format!(
                    "extensionResourceId({}, 'Microsoft.Authorization/roleAssignments', {grant_name})",
                    t.outputs[&Var::new("keyVaultId")]
                ),
                PermissionModel::AccessPolicy => {
                    format!("resourceId('Microsoft.KeyVault/vaults/accessPolicies', {}, 'add')", t.expr(vault))
                }
            };
            // The registry waits for its user identity's grant only.
            if *principal == Principal::UserIdentity {
                let grant_id = t.dependency(index, grant_id);
                t.depends.insert(Var::new("keyAccess"), grant_id);
            }
        }
        Action::CreateKey { vault, group, name, kty, size, versionless } => {
            let id = t.resource_id(other_group(group).as_ref(), "Microsoft.KeyVault/vaults/keys", &[vault, name]);
            let body = json!({
                "type": "Microsoft.KeyVault/vaults/keys",
                "apiVersion": api::KEY_VAULT,
                "name": format!("[format('{{0}}/{{1}}', {}, {})]", t.expr(vault), t.expr(name)),
                "dependsOn": t.dependencies(&["keyVaultId"]),
                "properties": { "kty": kty.as_str(), "keySize": size },
            });
            let index = t.push(comment, body, other_group(group));
            let property = if *versionless { "keyUri" } else { "keyUriWithVersion" };
            t.outputs.insert(Var::new("keyUri"), format!("reference({id}, '{}').{property}", api::KEY_VAULT));
            t.depends.insert(Var::new("keyUri"), t.dependency(index, id));
        }
        // The registry as it ends, rules and final access included: an ARM
        // deployment sets the rules and the default action in one PUT.
        Action::CreateRegistry { .. } => {
            let Some(registry) = plan.registry() else { return };
            // `networkRuleSet.virtualNetworkRules` exists only in preview versions.
            let api = if registry.vnet_rules.is_empty() { api::REGISTRY } else { api::REGISTRY_PREVIEW };
            let mut body = json!({
                "type": REGISTRY_TYPE,
                "apiVersion": api,
                "name": t.string(registry.name),
                "location": t.string(registry.location),
                "sku": { "name": registry.sku.as_str() },
            });
            if registry.encryption.is_some() {
                let identity_id = t.expr(&Val::output("identityId"));
                let ty = if registry.system_identity { "SystemAssigned, UserAssigned" } else { "UserAssigned" };
                body["identity"] = json!({ "type": ty, "userAssignedIdentities": { format!("[{identity_id}]"): {} } });
                body["dependsOn"] = json!(t.dependencies(&["identityId", "keyAccess", "keyUri"]));
            }
            let id = t.resource_id(None, REGISTRY_TYPE, &[registry.name]);
            if registry.system_identity {
                t.outputs.insert(
                    Var::new("registryPrincipalId"),
                    format!("reference({id}, '{api}', 'full').identity.principalId"),
                );
            }
            t.outputs.insert(Var::new("registryId"), id.clone());
            t.depends.insert(Var::new("registryId"), id);
            body["properties"] = t.shape(&registry.rest_properties());
            let body = with_tags(body, plan);
            t.registry = Some(t.push(comment, body, None));
        }
        // In the registry's declaration (`Plan::registry`).
        Action::AddIpRule { .. }
        | Action::AddVnetRule { .. }
        | Action::RestrictNetworkAccess { .. }
        | Action::AllowTasksBypass { .. } => {}
        Action::LookupSubnet { index, vnet, subnet, group, subscription } => {
            let mut args: Vec<Expr> = subscription.iter().map(|s| t.expr(s)).collect();
            args.extend([
                t.expr(group),
                "'Microsoft.Network/virtualNetworks/subnets'".into(),
                t.expr(vnet),
                t.expr(subnet),
            ]);
            t.outputs.insert(Var::indexed("subnetId", *index), format!("resourceId({})", args.join(", ")));
        }
        // Only in the post-deployment scripts, which start from the template's result.
        Action::StandingRoleNote { .. } | Action::LookupRegistryKey { .. } => {}
        // Day-2 changes: the template says why it has no resources (`Plan::arm_note`).
        #[cfg(feature = "day2")]
        Action::Change(_) => {}
        // In the registry's declaration (`RegistryDecl::system_identity`).
        Action::AssignSystemIdentity { .. } => {}
        // Before or after the deployment (see `build`).
        Action::RegisterProvider { .. }
        | Action::AddSubnetServiceEndpoint { .. }
        | Action::RegisterPreviewFeature
        | Action::RotateKeyToSystemIdentity { .. }
        | Action::CloseVaultFirewall { .. } => {}
        // Shown by the template's outputs and the deployment's result.
        Action::ShowEncryption { .. } | Action::ShowNetworkRules { .. } => {}
        // The deployment fails by itself if the definition or a set is missing
        // or in the wrong region; the scripts check before creating anything.
        Action::LookupImageDefinition { .. } | Action::CheckDiskEncryptionSets { .. } => {}
        Action::CreateImageVersion {
            gallery,
            definition,
            version,
            group: _,
            location,
            source,
            end_of_life,
            exclude_from_latest,
            regions,
        } => {
            let target_regions: Vec<Value> = regions.iter().map(|r| t.shape(&r.rest_shape())).collect();
            let mut publishing = json!({ "targetRegions": target_regions, "excludeFromLatest": exclude_from_latest });
            if let Some(date) = end_of_life {
                publishing["endOfLifeDate"] = json!(format!("[format('{{0}}{END_OF_LIFE_TIME}', {})]", t.expr(date)));
            }
            let storage = t.shape(&source.rest_shape());
            let body = json!({
                "type": IMAGE_VERSION_TYPE,
                "apiVersion": api::GALLERY,
                "name": format!("[format('{{0}}/{{1}}/{{2}}', {}, {}, {})]", t.expr(gallery), t.expr(definition), t.expr(version)),
                "location": t.string(location),
                "properties": { "publishingProfile": publishing, "storageProfile": storage },
            });
            let id = t.resource_id(None, IMAGE_VERSION_TYPE, &[gallery, definition, version]);
            t.outputs.insert(Var::new("imageVersionId"), id);
            t.push(comment, with_tags(body, plan), None);
        }
        Action::ShowImageVersion { .. } | Action::CreateVmHint { .. } => {}
    }
}

fn identity_outputs(t: &mut Template, id: &str) {
    t.outputs.insert(Var::new("identityId"), id.to_string());
    for (var, property) in [("identityPrincipalId", "principalId"), ("identityClientId", "clientId")] {
        t.outputs.insert(Var::new(var), format!("reference({id}, '{}').{property}", api::IDENTITY));
    }
}

pub(super) fn parameters(plan: &Plan) -> String {
    let parameters: Map<String, Value> =
        parameter_values(plan).into_iter().map(|(name, value)| (name, json!({ "value": value }))).collect();
    pretty(&json!({ "$schema": PARAMETERS_SCHEMA, "contentVersion": "1.0.0.0", "parameters": parameters }))
}

/// The value of each parameter the template declares, in its order.
pub(super) fn parameter_values(plan: &Plan) -> Vec<(String, Value)> {
    let template = build(plan, "");
    plan.inputs
        .iter()
        .filter(|input| template["parameters"].get(input.var.as_str()).is_some())
        .map(|input| {
            let value = match &input.value {
                InputValue::Text(text) => json!(text),
                InputValue::List(items) => json!(items),
                InputValue::Map(map) => json!(map),
            };
            (input.var.as_str().to_string(), value)
        })
        .collect()
}

fn pretty(doc: &Value) -> String {
    let mut text = serde_json::to_string_pretty(doc).expect("JSON values serialize");
    text.push('\n');
    text
}
