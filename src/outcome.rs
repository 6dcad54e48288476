//! The Azure state a spec should leave behind, derived from the spec alone.
//!
//! This is deliberately *not* built from the plan: it is the second opinion
//! the tests hold the generated scripts to. A script runs against an Azure
//! stand-in (`tests/support/azure_standin`), and the state it leaves must
//! contain this one. If the plan and this module disagree, one of them is
//! wrong, and the test says which resource differs.
//!
//! The shape is the stand-in's summary: resources by name, lists sorted,
//! regions in the CLI's spelling, resource IDs of subnets in lowercase.
//! Objects list only what the spec decides (a subset of the real state);
//! arrays are exact. A string ending in `*` is a prefix (a key URI with a
//! version Azure chooses).

use serde_json::{json, Map, Value};

use crate::names;
use crate::spec::{Kind, PermissionModel, PublicAccess, SourceKind, Spec};

/// Role a registry's identity gets on an Azure RBAC vault.
const ENCRYPTION_USER: &str = "role:Key Vault Crypto Service Encryption User";
/// The access policy `az keyvault create` gives the signed-in account.
const CREATOR_POLICY: &str = "policy:all";
/// Role the signed-in account gets to create a key in an Azure RBAC vault.
const CRYPTO_OFFICER: &str = "role:Key Vault Crypto Officer";
/// Key permissions of an access-policy grant, sorted.
const POLICY: &str = "policy:get,unwrapKey,wrapKey";

/// What `spec` should leave in Azure, when the scripts run in
/// `current_subscription` (the one a script without a subscription uses).
pub fn expected(spec: &Spec, current_subscription: &str) -> Value {
    let subscription =
        if spec.subscription_id.is_empty() { current_subscription } else { spec.subscription_id.as_str() };
    let mut state = Map::new();
    #[cfg(feature = "day2")]
    if spec.change().is_some() {
        change(spec, &mut state);
        return Value::Object(state);
    }
    if spec.resource_group.create {
        state.insert(
            "resourceGroups".into(),
            json!({ &spec.resource_group.name: { "location": spec.location, "tags": tags(spec) } }),
        );
    }
    match spec.kind {
        Kind::Registry => registry(spec, subscription, &mut state),
        Kind::GalleryImageVersion => gallery(spec, &mut state),
    }
    Value::Object(state)
}

fn tags(spec: &Spec) -> Value {
    json!(spec.tags.to_map())
}

fn or_group<'a>(group: &'a str, spec: &'a Spec) -> &'a str {
    if group.is_empty() {
        &spec.resource_group.name
    } else {
        group
    }
}

fn registry(spec: &Spec, subscription: &str, state: &mut Map<String, Value>) {
    let r = &spec.registry;
    let net = &r.networking;
    let selected = net.public_access == PublicAccess::SelectedNetworks;
    let mut ip_rules: Vec<&str> = if selected { net.ip_rules.iter().map(String::as_str).collect() } else { vec![] };
    ip_rules.sort_unstable();
    ip_rules.dedup();
    let mut vnet_rules: Vec<String> = Vec::new();
    let mut providers = Map::new();
    let mut subnets = Map::new();
    if selected {
        for rule in &net.vnet_rules {
            let id = match names::parse_subnet_id(&rule.subnet_id) {
                Ok(_) => rule.subnet_id.to_ascii_lowercase(),
                Err(_) => format!(
                    "/subscriptions/{}/resourcegroups/{}/providers/microsoft.network/virtualnetworks/{}/subnets/{}",
                    if rule.subscription_id.is_empty() { subscription } else { &rule.subscription_id },
                    or_group(&rule.resource_group, spec),
                    rule.vnet_name,
                    rule.subnet_name
                )
                .to_ascii_lowercase(),
            };
            let rule_subscription = id.split('/').nth(2).unwrap_or_default().to_string();
            // The provider must be registered where the subnet lives.
            providers.entry(rule_subscription).or_insert_with(|| json!(["Microsoft.ContainerRegistry"]));
            if rule.add_service_endpoint {
                subnets.insert(id.clone(), json!({ "serviceEndpoints": ["Microsoft.ContainerRegistry"] }));
            }
            vnet_rules.push(id);
        }
    }
    vnet_rules.sort();
    vnet_rules.dedup();

    let mut registry = json!({
        "resourceGroup": spec.resource_group.name,
        "location": spec.location,
        "sku": r.sku.as_str(),
        "adminUserEnabled": r.admin_user_enabled,
        // The property no longer controls zone redundancy: it is never sent,
        // whatever the spec says (Learn: Enable zone redundancy in Azure
        // Container Registry, "Understand the zoneRedundancy property").
        "zoneRedundancy": "Disabled",
        "publicNetworkAccess": if net.public_access == PublicAccess::Disabled { "Disabled" } else { "Enabled" },
        // Disabling public access also denies by default (the CLI's
        // `_configure_public_network_access`; the template does the same).
        "defaultAction": if net.public_access == PublicAccess::All { "Allow" } else { "Deny" },
        "ipRules": ip_rules,
        "vnetRules": vnet_rules,
        "tags": tags(spec),
        "encryption": Value::Null,
    });
    if r.sku == crate::spec::Sku::Premium {
        registry["trustedServices"] = json!(net.allow_trusted_services);
        registry["tasksBypass"] = json!(net.allow_tasks_bypass);
    }

    if let Some(cmk) = spec.cmk() {
        let vault = &cmk.key_vault.name;
        let key_uri = if cmk.key.create {
            let base =
                format!("https://{}.{}/keys/{}", vault.to_ascii_lowercase(), spec.cloud.vault_suffix(), cmk.key.name);
            if cmk.key.versionless {
                base
            } else {
                format!("{base}/*")
            }
        } else {
            cmk.key.key_id.clone()
        };
        let system = cmk.use_system_assigned_after_create;
        registry["encryption"] = json!({
            "keyUri": key_uri,
            "identity": if system { "system".to_string() } else { format!("identity:{}", cmk.identity.name) },
        });
        registry["identity"] = json!({ "system": system, "userAssigned": [cmk.identity.name] });

        if cmk.identity.create {
            state.insert(
                "identities".into(),
                json!({ &cmk.identity.name: {
                    "resourceGroup": or_group(&cmk.identity.resource_group, spec),
                    "tags": tags(spec),
                } }),
            );
        }
        let rbac = cmk.key_vault.permission_model == PermissionModel::Rbac;
        let via = if rbac { ENCRYPTION_USER } else { POLICY };
        let mut access =
            vec![json!({ "principal": format!("identity:{}", cmk.identity.name), "vault": vault, "via": via })];
        if system {
            access.push(json!({ "principal": format!("registry:{}", r.name), "vault": vault, "via": via }));
        }
        if cmk.key.create {
            if rbac {
                access.push(json!({ "principal": "signed-in", "vault": vault, "via": CRYPTO_OFFICER }));
            } else if cmk.key_vault.create {
                // `az keyvault create` gives its caller every permission in an
                // access-policy vault (unless --no-self-perms): how the script
                // can create the key there.
                access.push(json!({ "principal": "signed-in", "vault": vault, "via": CREATOR_POLICY }));
            }
            let mut v = json!({
                "resourceGroup": or_group(&cmk.key_vault.resource_group, spec),
                "keys": { &cmk.key.name: { "kty": cmk.key.kty.as_str(), "size": cmk.key.size.bits(), "versions": 1 } },
            });
            if cmk.key_vault.create {
                v["rbac"] = json!(rbac);
                v["purgeProtection"] = json!(true);
            }
            if cmk.key_vault.firewall {
                v["defaultAction"] = json!("Deny");
                v["bypass"] = json!("AzureServices");
            }
            state.insert("vaults".into(), json!({ vault: v }));
        } else if cmk.key_vault.firewall {
            state.insert("vaults".into(), json!({ vault: { "defaultAction": "Deny", "bypass": "AzureServices" } }));
        }
        access.sort_by_key(|a| a.to_string());
        state.insert("keyAccess".into(), Value::Array(access));
    }

    state.insert("registries".into(), json!({ &r.name: registry }));
    if !subnets.is_empty() {
        state.insert("subnets".into(), Value::Object(subnets));
    }
    if !providers.is_empty() {
        state.insert("providers".into(), Value::Object(providers));
    }
}

#[cfg(feature = "day2")]
/// What a day-2 operation leaves: the registry (and vault, and grants) as
/// the operation says they end, from what `change.existing` says they are.
fn change(spec: &Spec, state: &mut Map<String, Value>) {
    use crate::spec::{KeyIdentity, Operation, RevokeMethod};
    if spec.change.operation.on_gallery() {
        gallery_change(spec, state);
        return;
    }
    let change = &spec.change;
    let existing = &change.existing;
    let r = &spec.registry;
    let vault = &r.encryption.key_vault;
    let key = names::parse_key_uri(&existing.key_uri).ok();
    let identity_name = existing
        .user_identities
        .first()
        .and_then(|id| names::parse_resource_id(id, "Microsoft.ManagedIdentity", "userAssignedIdentities", "").ok())
        .map(|id| id.name.to_string())
        .unwrap_or_default();
    let via = if vault.permission_model == PermissionModel::Rbac { ENCRYPTION_USER } else { POLICY };
    let grant = |principal: String| json!({ "principal": principal, "vault": vault.name, "via": via });
    let mut registry = Map::new();
    let mut vaults = Map::new();
    let mut access: Option<Vec<Value>> = None;
    let identity_access = grant(format!("identity:{identity_name}"));
    let officer = json!({ "principal": "signed-in", "vault": vault.name, "via": CRYPTO_OFFICER });
    match change.operation {
        Operation::RotateKey => {
            let target = if change.key_id.is_empty() { existing.key_uri.as_str() } else { change.key_id.as_str() };
            let uri = names::parse_key_uri(target).expect("a valid spec's key URI");
            let key_uri = if change.versionless { uri.versionless() } else { format!("{}/*", uri.versionless()) };
            let identity = match change.identity {
                KeyIdentity::System => "system".to_string(),
                KeyIdentity::Current if existing.uses_system_identity() => "system".to_string(),
                _ => format!("identity:{identity_name}"),
            };
            // (How many versions the key has depends on how often the
            // rotation ran: the test counts them after the first run.)
            registry.insert("encryption".into(), json!({ "keyUri": key_uri, "identity": identity }));
        }
        Operation::AutoRotation => {
            let uri = key.as_ref().expect("a valid spec's key URI");
            let identity = if existing.uses_system_identity() {
                "system".to_string()
            } else {
                format!("identity:{identity_name}")
            };
            registry.insert("encryption".into(), json!({ "keyUri": uri.versionless(), "identity": identity }));
            // A rotation that fires (the stand-in's model of Key Vault's triggers).
            vaults.insert(
                vault.name.clone(),
                json!({ "keys": { uri.name: { "versions": 1, "enabled": true, "rotationFires": true } } }),
            );
        }
        Operation::RevokeKeyAccess | Operation::RestoreKeyAccess => {
            let revoke = change.operation == Operation::RevokeKeyAccess;
            // Whatever the method, the registry's identity reaches its key
            // after a restore and no longer after a revoke.
            registry.insert("encryption".into(), json!({ "keyUri": existing.key_uri, "keyReachable": !revoke }));
            if change.revoke == RevokeMethod::RemoveAccess {
                access = Some(if revoke { vec![officer] } else { vec![identity_access, officer] });
            }
        }
        Operation::SystemIdentityVaultFirewall => {
            registry.insert("encryption".into(), json!({ "keyUri": existing.key_uri, "identity": "system" }));
            registry.insert("identity".into(), json!({ "system": true, "userAssigned": [identity_name] }));
            vaults.insert(vault.name.clone(), json!({ "defaultAction": "Deny", "bypass": "AzureServices" }));
            access = Some(vec![identity_access, grant(format!("registry:{}", r.name)), officer]);
        }
        Operation::TrustedServices => {
            registry.insert("trustedServices".into(), json!(r.networking.allow_trusted_services));
        }
        // Tasks are no trusted service: trusted services stay as they are;
        // the task's own bypass is on and its one run succeeded.
        Operation::TrustedServiceTask => {
            registry.insert("trustedServices".into(), json!(existing.allow_trusted_services));
            registry.insert("tasksBypass".into(), json!(true));
            registry.insert("tasks".into(), json!({ &change.task.name: { "lastRun": "Succeeded" } }));
        }
        Operation::AddNetworkRules => {
            let mut rules: Vec<&str> =
                existing.ip_rules.iter().chain(&r.networking.ip_rules).map(String::as_str).collect();
            rules.sort_unstable();
            rules.dedup();
            registry.insert("ipRules".into(), json!(rules));
            registry.insert("defaultAction".into(), json!("Deny"));
        }
        Operation::RestoreDefaultAccess => {
            registry.insert("ipRules".into(), json!([]));
            registry.insert("vnetRules".into(), json!([]));
            registry.insert("defaultAction".into(), json!("Allow"));
            registry.insert("publicNetworkAccess".into(), json!("Enabled"));
        }
        // Read only: the registry stays as it is.
        Operation::ShowStatus => {}
        Operation::GalleryAddRegions | Operation::GalleryShowStatus => unreachable!("gallery_change"),
    }
    state.insert("registries".into(), json!({ &r.name: registry }));
    if !vaults.is_empty() {
        state.insert("vaults".into(), Value::Object(vaults));
    }
    if let Some(mut access) = access {
        access.sort_by_key(|a| a.to_string());
        state.insert("keyAccess".into(), Value::Array(access));
    }
}

/// A target region as the stand-in's summary shows it.
fn region_state(r: &crate::spec::TargetRegion, des: bool) -> Value {
    let data: Map<String, Value> = if des {
        r.data_disk_encryption_sets.iter().map(|d| (d.lun.to_string(), json!(d.disk_encryption_set_id))).collect()
    } else {
        Map::new()
    };
    json!({
        "name": r.region.to_ascii_lowercase().replace(' ', ""),
        "replicas": r.replica_count,
        "storage": r.storage_account_type.as_str(),
        "osDes": if des { json!(r.os_disk_encryption_set_id) } else { Value::Null },
        "dataDes": data,
    })
}

/// More regions: the version keeps every region it had (named, nothing
/// more is known of them) and has each new one with its sets.
#[cfg(feature = "day2")]
fn gallery_change(spec: &Spec, state: &mut Map<String, Value>) {
    let g = &spec.gallery;
    let mut regions: Vec<Value> = spec.change.existing.target_regions.iter().map(|r| json!({ "name": r })).collect();
    if spec.change.operation == crate::spec::Operation::GalleryAddRegions {
        regions.extend(g.target_regions.iter().map(|r| region_state(r, g.encryption.uses_des())));
    }
    regions.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
    state.insert(
        "imageVersions".into(),
        json!({ format!("{}/{}/{}", g.name, g.image_definition, g.version): { "targetRegions": regions } }),
    );
}

fn gallery(spec: &Spec, state: &mut Map<String, Value>) {
    let g = &spec.gallery;
    let des = g.encryption.uses_des();
    let source = match g.source.kind {
        SourceKind::ManagedImage => &g.source.managed_image_id,
        SourceKind::VirtualMachine => &g.source.virtual_machine_id,
        SourceKind::Snapshots => &g.source.os_snapshot_id,
    };
    let data_snapshots: Map<String, Value> = if g.source.kind == SourceKind::Snapshots {
        g.source.data_snapshots.iter().map(|d| (d.lun.to_string(), json!(d.snapshot_id))).collect()
    } else {
        Map::new()
    };
    let mut regions: Vec<Value> = g.target_regions.iter().map(|r| region_state(r, des)).collect();
    regions.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
    state.insert(
        "imageVersions".into(),
        json!({ format!("{}/{}/{}", g.name, g.image_definition, g.version): {
            "resourceGroup": spec.resource_group.name,
            "location": spec.location,
            "source": source,
            "dataSnapshots": data_snapshots,
            // The instant the date names in Azure: the CLI gives a bare date the
            // time 12:59:59 UTC (`fix_gallery_image_date_info`, vm/custom.py).
            "endOfLifeDate": if g.end_of_life_date.is_empty() {
                Value::Null
            } else {
                json!(format!("{}T12:59:59Z", g.end_of_life_date))
            },
            "excludeFromLatest": g.exclude_from_latest,
            "tags": tags(spec),
            "targetRegions": regions,
        } }),
    );
}

/// Where `actual` falls short of `expected`: one line per difference, empty
/// when it holds. Objects are compared as subsets, arrays exactly, strings
/// ending in `*` as prefixes.
pub fn differences(expected: &Value, actual: &Value) -> Vec<String> {
    let mut out = Vec::new();
    diff("$", expected, actual, &mut out);
    out
}

fn diff(path: &str, expected: &Value, actual: &Value, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (key, value) in e {
                let at = format!("{path}.{key}");
                match a.get(key) {
                    Some(found) => diff(&at, value, found, out),
                    None if value.is_null() => {}
                    None => out.push(format!("{at}: missing, expected {value}")),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => {
            for (i, (e, a)) in e.iter().zip(a).enumerate() {
                diff(&format!("{path}[{i}]"), e, a, out);
            }
        }
        (Value::String(e), Value::String(a)) if e.ends_with('*') && a.starts_with(&e[..e.len() - 1]) => {}
        (e, a) if e == a => {}
        (e, a) => out.push(format!("{path}: expected {e}, found {a}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_are_subsets_for_objects_exact_for_arrays() {
        let expected = json!({ "a": { "b": 1, "c": ["x"] }, "k": "https://v/keys/k/*" });
        assert!(differences(&expected, &json!({ "a": { "b": 1, "c": ["x"], "d": 2 }, "k": "https://v/keys/k/0a" }))
            .is_empty());
        assert_eq!(differences(&expected, &json!({ "a": { "b": 2, "c": ["x", "y"] }, "k": "https://w" })).len(), 3);
        assert_eq!(differences(&json!({ "a": 1 }), &json!({})), vec!["$.a: missing, expected 1".to_string()]);
    }
}
