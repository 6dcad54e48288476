//! Day 2 starts from what exists: a registry's JSON, as `az acr show` prints
//! it (settings at the top level, `resourceGroup` added) or as Resource
//! Manager returns it (`az resource show`, the portal's JSON view, the REST
//! API: settings under `properties`), becomes the `change.existing` of a
//! day-2 spec; so does an image version's (`az sig image-version show`, or
//! its resource JSON).
//!
//! Importing never guesses silently: what the JSON holds but the spec does not
//! use is listed (`Imported::unmapped`), and so is what the spec needs but the
//! JSON cannot tell (`Imported::assumed`, e.g. the vault's permission model).
//! Older API versions spell things differently (identity types in lower camel
//! case, `ipAddressOrRange` or `value` for IP rules, `id`,
//! `virtualNetworkResourceId` or, from 2026 previews on,
//! `virtualNetworkSubnetResourceId` for subnet rules); all are read.
//! A malformed, truncated or foreign document is an error naming its JSON
//! path, and nothing is produced.

use serde_json::{Map, Value};

use crate::names;
use crate::spec::{Change, Existing, GalleryEncryption, Kind, Mode, Operation, PublicAccess, Sku, Spec};

/// A day-2 spec made from a resource's JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub spec: Spec,
    /// JSON paths the document has that the spec does not use.
    pub unmapped: Vec<String>,
    /// What the spec needs that the document does not say, and what was assumed.
    pub assumed: Vec<String>,
}

impl Imported {
    /// The imported registry as the subject of the change the user is
    /// composing: what exists and which registry come from the JSON; the
    /// operation, its settings and the rules to add stay the user's. A vault
    /// the user already described is kept when the key is in it. The
    /// acknowledgement is asked again: it was given for another registry.
    pub fn onto(self, current: &Spec) -> Spec {
        let mut spec = self.spec;
        spec.cloud = current.cloud;
        spec.tags = current.tags.clone();
        spec.registry.networking = current.registry.networking.clone();
        let vault = &current.registry.encryption.key_vault;
        if vault.name.eq_ignore_ascii_case(&spec.registry.encryption.key_vault.name) {
            spec.registry.encryption.key_vault = vault.clone();
        }
        let existing = std::mem::take(&mut spec.change.existing);
        if spec.kind == Kind::GalleryImageVersion {
            // The regions to add are the user's, being composed.
            if current.kind == Kind::GalleryImageVersion {
                spec.gallery.target_regions = current.gallery.target_regions.clone();
            }
            let operation = current.change.operation.for_kind(Kind::GalleryImageVersion);
            spec.change = Change { existing, operation, ..Change::default() };
            return spec;
        }
        let operation = current.change.operation.for_kind(Kind::Registry);
        spec.change = Change { existing, acknowledged: false, operation, ..current.change.clone() };
        spec
    }
}

/// Reads a resource's JSON: an image version's (its `type`, or a
/// `publishingProfile`) or else a registry's.
pub fn resource(text: &str) -> Result<Imported, String> {
    let value = parse(text)?;
    let kind = value.get("type").and_then(Value::as_str).unwrap_or_default();
    let props = value.get("properties").unwrap_or(&value);
    if kind.eq_ignore_ascii_case(IMAGE_VERSION) || (kind.is_empty() && props.get("publishingProfile").is_some()) {
        image_version_value(value)
    } else {
        registry_value(value)
    }
}

fn parse(text: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))
}

const IMAGE_VERSION: &str = "Microsoft.Compute/galleries/images/versions";

/// Reads an image version's JSON (`az sig image-version show` or its ARM
/// resource): which version, the regions it is replicated to, its data
/// disks' LUNs and whether its regions use disk encryption sets.
pub fn image_version(text: &str) -> Result<Imported, String> {
    image_version_value(parse(text)?)
}

fn image_version_value(value: Value) -> Result<Imported, String> {
    let Value::Object(root) = value else { return Err("at $: expected the image version's JSON object".into()) };
    let mut r = Reader { root: &root, used: Vec::new() };
    let get = &mut r;
    let kind = get.at("type").and_then(Value::as_str).unwrap_or(IMAGE_VERSION);
    if !kind.eq_ignore_ascii_case(IMAGE_VERSION) {
        return Err(format!("at $.type: '{kind}' is not a gallery image version ({IMAGE_VERSION})"));
    }
    let arm = root.get("properties").is_some_and(Value::is_object);
    let p = |key: &str| if arm { format!("properties.{key}") } else { key.to_string() };

    let id = text_at(get, "id")?.ok_or("at $.id: the image version's resource ID is missing")?;
    let parts: Vec<&str> = id.split('/').collect();
    let after = |key: &str| {
        parts.iter().position(|s| s.eq_ignore_ascii_case(key)).and_then(|i| parts.get(i + 1)).map(|s| s.to_string())
    };
    let (Some(gallery), Some(definition), Some(version)) = (after("galleries"), after("images"), after("versions"))
    else {
        return Err(format!("at $.id: '{id}' is not an image version's ID (.../galleries/G/images/I/versions/V)"));
    };
    let _ = get.at("name");
    let (subscription, group) = parse_id(&id);
    let group = match text_at(get, "resourceGroup")? {
        Some(g) => g,
        None => group.ok_or("at $.id: no resource group in the image version's ID")?,
    };
    let location = text_at(get, "location")?.unwrap_or_default();

    let mut existing = Existing::default();
    let mut encrypted = false;
    let regions_path = p("publishingProfile.targetRegions");
    match get.at(&regions_path) {
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let name = item
                    .get("name")
                    .and_then(Value::as_str)
                    .ok_or_else(|| format!("at $.{regions_path}[{i}]: expected a target region with a name"))?;
                // Azure names target regions for display: "Korea Central".
                existing.target_regions.push(name.replace(' ', "").to_ascii_lowercase());
                encrypted |= item.pointer("/encryption/osDiskImage/diskEncryptionSetId").is_some_and(Value::is_string);
            }
        }
        Some(other) => return Err(format!("at $.{regions_path}: expected a list, found {}", kind_of(other))),
        None => return Err(format!("at $.{regions_path}: the version's target regions are missing")),
    }
    let disks_path = p("storageProfile.dataDiskImages");
    match get.at(&disks_path) {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let lun = item.get("lun").and_then(Value::as_u64).and_then(|l| u32::try_from(l).ok());
                existing.data_disk_luns.push(lun.ok_or_else(|| format!("at $.{disks_path}[{i}].lun: expected a LUN"))?);
            }
        }
        Some(other) => return Err(format!("at $.{disks_path}: expected a list, found {}", kind_of(other))),
    }

    let mut spec = Spec { kind: Kind::GalleryImageVersion, mode: Mode::Change, location, ..Spec::default() };
    spec.subscription_id = subscription.unwrap_or_default();
    spec.resource_group.name = group;
    spec.resource_group.create = false;
    spec.gallery.name = gallery;
    spec.gallery.image_definition = definition;
    spec.gallery.version = version;
    spec.gallery.target_regions.clear();
    spec.gallery.encryption = if encrypted { GalleryEncryption::CustomerKey } else { GalleryEncryption::PlatformKey };
    let mut assumed = Vec::new();
    if encrypted {
        assumed.push(
            "encryption: customer keys; a version's JSON does not say whether its sets also use platform keys (double encryption): the sets' own type decides".into(),
        );
    }
    spec.change = Change { existing, operation: Operation::GalleryAddRegions, ..Change::default() };
    let unmapped = unmapped(&root, &r.used);
    Ok(Imported { spec, unmapped, assumed })
}

/// Reads a registry's JSON (`az acr show`, its ARM resource, or
/// `Get-AzContainerRegistry | ConvertTo-Json`).
pub fn registry(text: &str) -> Result<Imported, String> {
    registry_value(parse(text)?)
}

fn registry_value(value: Value) -> Result<Imported, String> {
    let Value::Object(root) = value else { return Err("at $: expected the registry's JSON object".into()) };
    if root.contains_key("SkuName") || root.contains_key("KeyVaultPropertyKeyIdentifier") {
        return powershell_registry(&root);
    }
    let mut r = Reader { root: &root, used: Vec::new() };
    let get = &mut r;

    let kind = get.at("type").and_then(Value::as_str).unwrap_or("Microsoft.ContainerRegistry/registries");
    if !kind.eq_ignore_ascii_case("Microsoft.ContainerRegistry/registries") {
        return Err(format!(
            "at $.type: '{kind}' is not a container registry (Microsoft.ContainerRegistry/registries)"
        ));
    }
    // Settings under `properties` (Resource Manager) or at the top (az acr show).
    let arm = root.get("properties").is_some_and(Value::is_object);
    let p = |key: &str| if arm { format!("properties.{key}") } else { key.to_string() };

    let name = text_at(get, "name")?.ok_or("at $.name: the registry's name is missing")?;
    let id = text_at(get, "id")?.unwrap_or_default();
    let (subscription, id_group) = parse_id(&id);
    let group = match text_at(get, "resourceGroup")? {
        Some(g) => g,
        None => id_group.ok_or("at $.id: no resource group in the registry's ID (and no $.resourceGroup)")?,
    };
    let location = text_at(get, "location")?.unwrap_or_default();
    let sku = match text_at(get, "sku.name")?.as_deref() {
        Some(s) if s.eq_ignore_ascii_case("Premium") => Sku::Premium,
        Some(s) if s.eq_ignore_ascii_case("Standard") => Sku::Standard,
        Some(s) if s.eq_ignore_ascii_case("Basic") => Sku::Basic,
        Some(other) => return Err(format!("at $.sku.name: unknown service tier '{other}'")),
        None => return Err("at $.sku.name: the registry's service tier is missing".into()),
    };

    let mut existing = Existing { sku, ..Existing::default() };
    let mut assumed = Vec::new();
    if text_at(get, &p("encryption.status"))?.is_some_and(|s| s.eq_ignore_ascii_case("enabled")) {
        existing.key_uri = text_at(get, &p("encryption.keyVaultProperties.keyIdentifier"))?.ok_or_else(|| {
            format!("at $.{}: an encrypted registry without its key", p("encryption.keyVaultProperties"))
        })?;
        existing.key_identity = text_at(get, &p("encryption.keyVaultProperties.identity"))?.unwrap_or_default();
        let _ = get.at(&p("encryption.keyVaultProperties.versionedKeyIdentifier"));
        let _ = get.at(&p("encryption.keyVaultProperties.keyRotationEnabled"));
        let _ = get.at(&p("encryption.keyVaultProperties.lastKeyRotationTimestamp"));
    } else {
        let _ = get.at(&p("encryption"));
    }

    // identity.type: SystemAssigned, UserAssigned or both; older API versions
    // write them in lower camel case ("userAssigned").
    let identity_type = text_at(get, "identity.type")?.unwrap_or_default().to_ascii_lowercase();
    if identity_type.contains("systemassigned") {
        existing.system_principal_id = text_at(get, "identity.principalId")?.unwrap_or_default();
    } else {
        let _ = get.at("identity.principalId");
    }
    let _ = get.at("identity.tenantId");
    if let Some(Value::Object(users)) = get.at("identity.userAssignedIdentities") {
        existing.user_identities = users.keys().cloned().collect();
    }

    let public_disabled = text_at(get, &p("publicNetworkAccess"))?.is_some_and(|s| s.eq_ignore_ascii_case("Disabled"));
    let deny = text_at(get, &p("networkRuleSet.defaultAction"))?.is_some_and(|s| s.eq_ignore_ascii_case("Deny"));
    existing.public_access = match (public_disabled, deny) {
        (true, _) => PublicAccess::Disabled,
        (false, true) => PublicAccess::SelectedNetworks,
        (false, false) => PublicAccess::All,
    };
    existing.ip_rules = rules(get, &p("networkRuleSet.ipRules"), &["ipAddressOrRange", "value"])?;
    existing.vnet_rules = rules(get, &p("networkRuleSet.virtualNetworkRules"), &["virtualNetworkSubnetResourceId", "virtualNetworkResourceId", "id"])?;
    existing.allow_trusted_services = match text_at(get, &p("networkRuleBypassOptions"))? {
        Some(s) => !s.eq_ignore_ascii_case("None"),
        None => {
            assumed.push(
                "networkRuleBypassOptions: not in the JSON; trusted services taken as allowed (Azure's default)".into(),
            );
            true
        }
    };

    // Current Azure (registries@2025-11-01): tasks' own bypass of the network
    // rules, the role assignment mode (ABAC repository permissions honour no
    // AcrPull/AcrPush), the login server (with a domain name label scope it
    // carries a hash: scripts read it, never build it) and zone redundancy,
    // shown as the registry reports it and never changed.
    existing.tasks_bypass = matches!(get.at(&p("networkRuleBypassAllowedForTasks")), Some(Value::Bool(true)));
    existing.role_assignment_mode = match text_at(get, &p("roleAssignmentMode"))? {
        Some(m) if m.eq_ignore_ascii_case("AbacRepositoryPermissions") => crate::spec::RoleAssignmentMode::Abac,
        _ => crate::spec::RoleAssignmentMode::Legacy,
    };
    existing.login_server = text_at(get, &p("loginServer"))?.unwrap_or_default();
    existing.dnl_scope = text_at(get, &p("autoGeneratedDomainNameLabelScope"))?.unwrap_or_default();
    existing.zone_redundancy = text_at(get, &p("zoneRedundancy"))?.unwrap_or_default();

    let mut spec = Spec { mode: Mode::Change, location, ..Spec::default() };
    spec.subscription_id = subscription.unwrap_or_default();
    spec.resource_group.name = group;
    spec.resource_group.create = false;
    spec.registry.name = name;
    spec.registry.sku = sku;
    if let Ok(key) = names::parse_key_uri(&existing.key_uri) {
        spec.registry.encryption.key_vault.name = key.vault.to_string();
        assumed.push(format!(
            "the key vault '{}' is in the registry's resource group and uses Azure RBAC: a registry's JSON does not say; change them if not",
            key.vault
        ));
    }
    spec.change = Change { existing, ..Change::default() };

    let unmapped = unmapped(&root, &r.used);
    Ok(Imported { spec, unmapped, assumed })
}

/// The leaves of the document that were not read.
fn unmapped(root: &Map<String, Value>, used: &[String]) -> Vec<String> {
    leaves(&Value::Object(root.clone()), "$")
        .into_iter()
        .filter(|path| {
            !used.iter().any(|u| path == u || path.starts_with(&format!("{u}.")) || path.starts_with(&format!("{u}[")))
        })
        .filter(|path| !IGNORED.iter().any(|i| path.contains(i)))
        .collect()
}

/// Az PowerShell's names for a registry's settings: the properties of the
/// Az.ContainerRegistry `Registry` model (AutoRest flattens the REST
/// resource; generated/api/Models/Api202301Preview/Registry.cs), each with
/// the path `az acr show` prints it at.
const POWERSHELL_NAMES: [(&str, &str); 18] = [
    ("Name", "name"),
    ("Id", "id"),
    ("Location", "location"),
    ("ResourceGroupName", "resourceGroup"),
    ("Type", "type"),
    ("SkuName", "sku.name"),
    ("EncryptionStatus", "encryption.status"),
    ("KeyVaultPropertyKeyIdentifier", "encryption.keyVaultProperties.keyIdentifier"),
    ("KeyVaultPropertyIdentity", "encryption.keyVaultProperties.identity"),
    ("IdentityType", "identity.type"),
    ("IdentityPrincipalId", "identity.principalId"),
    ("IdentityTenantId", "identity.tenantId"),
    ("IdentityUserAssignedIdentity", "identity.userAssignedIdentities"),
    ("PublicNetworkAccess", "publicNetworkAccess"),
    ("NetworkRuleSetDefaultAction", "networkRuleSet.defaultAction"),
    ("NetworkRuleBypassOption", "networkRuleBypassOptions"),
    ("LoginServer", "loginServer"),
    ("ZoneRedundancy", "zoneRedundancy"),
];

/// `Get-AzContainerRegistry | ConvertTo-Json`: the model's flattened names
/// are moved to where `az acr show` has them, then read as that. With
/// Az.ContainerRegistry 4.x an enum value prints as `{}`: such a value is
/// said, not guessed (paste the REST JSON instead).
fn powershell_registry(root: &Map<String, Value>) -> Result<Imported, String> {
    let mut doc = Map::new();
    let mut unreadable = Vec::new();
    for (from, to) in POWERSHELL_NAMES {
        let Some(value) = root.get(from) else { continue };
        if value.as_object().is_some_and(Map::is_empty) && from != "IdentityUserAssignedIdentity" {
            unreadable.push(from);
            continue;
        }
        let mut node = &mut doc;
        let mut parts = to.split('.').peekable();
        while let Some(part) = parts.next() {
            if parts.peek().is_none() {
                node.insert(part.to_string(), value.clone());
            } else {
                let next = node.entry(part.to_string()).or_insert_with(|| Value::Object(Map::new()));
                node = next.as_object_mut().expect("paths do not cross a value");
            }
        }
    }
    match root.get("NetworkRuleSetIPRule") {
        None | Some(Value::Null) => {}
        Some(Value::Array(rules)) => {
            let rules: Vec<Value> = rules
                .iter()
                .map(|r| serde_json::json!({ "ipAddressOrRange": r.get("IPAddressOrRange").cloned().unwrap_or(Value::Null) }))
                .collect();
            let set = doc.entry("networkRuleSet").or_insert_with(|| Value::Object(Map::new()));
            if let Some(set) = set.as_object_mut() {
                set.insert("ipRules".into(), Value::Array(rules));
            }
        }
        Some(other) => return Err(format!("at $.NetworkRuleSetIPRule: expected a list, found {}", kind_of(other))),
    }
    // A key identifier is there only with a customer-managed key.
    if unreadable.contains(&"EncryptionStatus")
        && root.get("KeyVaultPropertyKeyIdentifier").is_some_and(Value::is_string)
    {
        if let Some(encryption) = doc.get_mut("encryption").and_then(Value::as_object_mut) {
            encryption.insert("status".into(), Value::String("enabled".into()));
        }
    }
    let mut imported = registry_value(Value::Object(doc))?;
    let known: Vec<&str> = POWERSHELL_NAMES.iter().map(|(from, _)| *from).chain(["NetworkRuleSetIPRule"]).collect();
    imported.unmapped = root
        .keys()
        .filter(|k| !known.contains(&k.as_str()) && !POWERSHELL_IGNORED.contains(&k.as_str()))
        .map(|k| format!("$.{k}"))
        .collect();
    if !unreadable.is_empty() {
        imported.assumed.push(format!(
            "{}: printed as {{}} (Az.ContainerRegistry 4.x), so not read; paste (Invoke-AzRestMethod -Path 'REGISTRY_ID?api-version=2025-11-01').Content for them",
            unreadable.join(", ")
        ));
    }
    Ok(imported)
}

/// Read-only facts of the PowerShell object that no change uses.
const POWERSHELL_IGNORED: [&str; 8] = [
    "SystemData",
    "ProvisioningState",
    "CreationDate",
    "LoginServer",
    "SkuTier",
    "StatusDisplayStatus",
    "StatusMessage",
    "StatusTimestamp",
];

/// The document, and the paths read from it (the rest is "unmapped").
struct Reader<'a> {
    root: &'a Map<String, Value>,
    used: Vec<String>,
}

impl<'a> Reader<'a> {
    fn at(&mut self, path: &str) -> Option<&'a Value> {
        let mut node = self.root;
        let mut parts = path.split('.').peekable();
        while let Some(part) = parts.next() {
            let next = node.get(part)?;
            if parts.peek().is_none() {
                self.used.push(format!("$.{path}"));
                return Some(next);
            }
            node = next.as_object()?;
        }
        None
    }
}

/// Read-only facts of the resource that no change uses.
const IGNORED: [&str; 8] = [
    "systemData",
    "provisioningState",
    "creationDate",
    "loginServer",
    "etag",
    ".status.",
    "publishedDate",
    "replicationStatus",
];

/// The string at `path`, if any; a value of another type is an error.
fn text_at(get: &mut Reader, path: &str) -> Result<Option<String>, String> {
    match get.at(path) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(format!("at $.{path}: expected a string, found {}", kind_of(other))),
    }
}

/// The values of a list of rules, each read from the first key it has.
fn rules(get: &mut Reader, path: &str, keys: &[&str]) -> Result<Vec<String>, String> {
    match get.at(path) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let found = item.as_object().and_then(|o| keys.iter().find_map(|k| o.get(*k)));
                match found {
                    Some(Value::String(s)) => Ok(s.clone()),
                    _ => Err(format!("at $.{path}[{i}]: expected an object with {}", keys.join(" or "))),
                }
            })
            .collect(),
        Some(other) => Err(format!("at $.{path}: expected a list, found {}", kind_of(other))),
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// `/subscriptions/S/resourceGroups/G/...`: the subscription and group.
fn parse_id(id: &str) -> (Option<String>, Option<String>) {
    let parts: Vec<&str> = id.split('/').collect();
    let at = |key: &str| {
        parts.iter().position(|p| p.eq_ignore_ascii_case(key)).and_then(|i| parts.get(i + 1)).map(|s| s.to_string())
    };
    (at("subscriptions"), at("resourceGroups"))
}

/// Every leaf's JSON path (objects by key, lists by index).
fn leaves(value: &Value, path: &str) -> Vec<String> {
    match value {
        Value::Object(map) if !map.is_empty() => {
            map.iter().flat_map(|(k, v)| leaves(v, &format!("{path}.{k}"))).collect()
        }
        Value::Array(items) if !items.is_empty() => {
            items.iter().enumerate().flat_map(|(i, v)| leaves(v, &format!("{path}[{i}]"))).collect()
        }
        _ => vec![path.to_string()],
    }
}
