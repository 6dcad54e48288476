//! Every named example in every format, checked by real tools: golden files,
//! `bash -n`, shellcheck, execution with a stub `az`, a PowerShell parser, and
//! structural checks of the ARM template and its parameters file.
//!
//! Golden files: `UPDATE_GOLDEN=1 cargo test --test generated_code` rewrites
//! them; review the diff before committing.

mod support;

use std::collections::BTreeSet;

use registry_wizard::emit::Format;
use registry_wizard::plan::{self, InputValue, Plan};
use registry_wizard::spec::{Kind, SourceKind, Spec};
use serde_json::Value;
use support::{all_examples, emit_ok};

fn golden_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

#[test]
fn golden_outputs() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut stale = Vec::new();
    for (example, spec) in all_examples() {
        let dir = golden_dir().join(example.name);
        for format in Format::every() {
            let path = dir.join(format.file_name());
            let actual = emit_ok(&spec, format);
            // The scripts around an ARM deployment exist only where needed.
            let expected = std::fs::read_to_string(&path).unwrap_or_default();
            if update {
                std::fs::create_dir_all(path.parent().unwrap_or(&dir)).unwrap();
                if actual.is_empty() {
                    let _ = std::fs::remove_file(&path);
                } else {
                    std::fs::write(&path, &actual).unwrap();
                }
            } else if expected != actual {
                stale.push(path.display().to_string());
            }
        }
    }
    assert!(stale.is_empty(), "golden files differ (UPDATE_GOLDEN=1 to rewrite, then review the diff): {stale:#?}");
}

#[test]
fn bash_parses_and_passes_shellcheck() {
    for (example, spec) in all_examples() {
        for format in [Format::AzCli, Format::ArmPreDeploy, Format::ArmPostDeploy] {
            let script = emit_ok(&spec, format);
            if script.is_empty() && format != Format::AzCli {
                continue;
            }
            let name = format!("{} {}", example.name, format.file_name());
            support::bash_syntax(&script).unwrap_or_else(|e| panic!("{name}: bash -n: {e}"));
            support::shellcheck(&script).unwrap_or_else(|e| panic!("{name}: shellcheck:\n{e}"));
        }
    }
}

/// No output reads "(missing message)": every text an output uses is in the catalog.
#[test]
fn no_output_lacks_a_message() {
    for (example, spec) in all_examples() {
        for format in Format::every() {
            let text = emit_ok(&spec, format);
            assert!(
                !text.contains("(missing message)"),
                "{} {}: a catalog key is missing",
                example.name,
                format.name()
            );
        }
    }
}

/// The values of a plan's inputs as the arguments they must arrive as.
fn expected_arguments(plan: &Plan) -> Vec<String> {
    let mut args = Vec::new();
    // Target regions travel inside `REGION=COUNT=TYPE` tokens: checked whole
    // by `gallery_target_region_tokens_arrive_exactly`.
    // Values that are not sent as arguments of their own, each checked
    // elsewhere: the key a registry must have now, or the one the change
    // leaves it with (compared by the script; tests/scripts_run.rs),
    // an identity's client ID (a GUID inside a JMESPath filter), and the
    // rotation policy's durations (inside its JSON: see
    // `rotation_policy_json_arrives_whole`).
    const NOT_ARGUMENTS: [&str; 10] = [
        "currentKeyUri",
        "expectedKeyUri",
        "keyIdentityClientId",
        "keyExpiryTime",
        "rotateBeforeExpiry",
        "rotateAfterCreate",
        "notifyBeforeExpiry",
        // Part of a key's scope (`--scope VAULT_ID/keys/NAME`).
        "keyName",
        // What a preview prints, not an argument.
        "networkAfter",
        "regionsToAdd",
    ];
    for input in plan
        .inputs
        .iter()
        .filter(|i| !i.var.as_str().starts_with("targetRegion") && !NOT_ARGUMENTS.contains(&i.var.as_str()))
    {
        match &input.value {
            InputValue::Text(text) => args.push(text.clone()),
            InputValue::List(items) => args.extend(items.iter().cloned()),
            InputValue::Map(map) => args.extend(map.iter().map(|(k, v)| format!("{k}={v}"))),
        }
    }
    args
}

#[test]
fn every_user_value_arrives_as_exactly_one_argument() {
    for (example, spec) in all_examples() {
        let plan = plan::plan(&spec).unwrap();
        let calls = support::run_with_stub_az(&emit_ok(&spec, Format::AzCli));
        assert!(!calls.is_empty(), "{}: no az call", example.name);
        for value in expected_arguments(&plan) {
            let whole = calls.iter().flatten().filter(|arg| **arg == value).count();
            assert!(whole > 0, "{}: {value:?} never arrived as one argument; calls: {calls:#?}", example.name);
        }
        // Every call is a real az command group, not a fragment of a value.
        for call in &calls {
            let group = call.first().map(String::as_str).unwrap_or("");
            assert!(
                [
                    "group",
                    "identity",
                    "keyvault",
                    "role",
                    "ad",
                    "acr",
                    "network",
                    "provider",
                    "account",
                    "cloud",
                    "sig",
                    "disk-encryption-set",
                    "feature",
                    "resource"
                ]
                .contains(&group),
                "{}: unexpected az call {call:?}",
                example.name
            );
        }
    }
}

/// Seed 001's trap: `--target-regions` and `--target-region-encryption` are
/// positional lists that must line up. Every token arrives whole, in the
/// spec's region order, with the lowercase storage type and `OS,LUN,DES` sets.
#[test]
fn gallery_target_region_tokens_arrive_exactly() {
    for (example, spec) in all_examples().filter(|(_, s)| s.kind == Kind::GalleryImageVersion && !s.is_change()) {
        let calls = support::run_with_stub_az(&emit_ok(&spec, Format::AzCli));
        let create = calls
            .iter()
            .find(|c| c.starts_with(&["sig".into(), "image-version".into(), "create".into()]))
            .unwrap_or_else(|| panic!("{}: no az sig image-version create", example.name));
        let values = |flag: &str| -> Vec<String> {
            let start = create.iter().position(|a| a == flag).map(|i| i + 1);
            start
                .map(|i| create[i..].iter().take_while(|a| !a.starts_with("--")).cloned().collect())
                .unwrap_or_default()
        };
        let g = &spec.gallery;
        let regions: Vec<String> = g
            .target_regions
            .iter()
            .map(|r| format!("{}={}={}", r.region, r.replica_count, r.storage_account_type.as_str().to_lowercase()))
            .collect();
        assert_eq!(values("--target-regions"), regions, "{}", example.name);
        let encryption: Vec<String> = g
            .target_regions
            .iter()
            .map(|r| {
                let mut item = r.os_disk_encryption_set_id.clone();
                for d in &r.data_disk_encryption_sets {
                    item.push_str(&format!(",{},{}", d.lun, d.disk_encryption_set_id));
                }
                item
            })
            .collect();
        assert_eq!(values("--target-region-encryption"), encryption, "{}", example.name);
        // Each set is looked up in its own region before anything is created.
        let checks: Vec<(String, String)> = calls
            .iter()
            .filter(|c| c.starts_with(&["disk-encryption-set".into(), "show".into()]))
            .map(|c| {
                let at = |flag: &str| c[c.iter().position(|a| a == flag).unwrap() + 1].clone();
                (at("--ids"), at("--query"))
            })
            .collect();
        for r in &g.target_regions {
            let query = format!("location=='{}'", r.region);
            assert!(
                checks.iter().any(|(id, q)| *id == r.os_disk_encryption_set_id && q.starts_with(&query)),
                "{}: {} not checked in {}: {checks:?}",
                example.name,
                r.os_disk_encryption_set_id,
                r.region
            );
        }
        let position = |cmd: &str| calls.iter().position(|c| c.join(" ").starts_with(cmd)).unwrap();
        assert!(position("disk-encryption-set show") < position("sig image-version create"));
    }
}

/// More regions for an image version that exists: each new region arrives
/// as one JSON argument of `--add publishingProfile.targetRegions`, with its
/// disk encryption set per LUN, after every set was checked in its region;
/// a region the version already has (Azure names it for display) is left as
/// it is, so a second run changes nothing.
#[cfg(feature = "day2")]
#[test]
fn gallery_add_region_appends_whole_regions_after_the_checks() {
    let (_, spec) = all_examples().find(|(e, _)| e.name == "gallery-add-region").unwrap();
    let script = emit_ok(&spec, Format::AzCli);
    let calls = support::run_with_stub_az(&script);
    let update = calls.iter().position(|c| c.starts_with(&["sig".into(), "image-version".into(), "update".into()]));
    let update = update.expect("an az sig image-version update");
    let args = &calls[update];
    let add = args.iter().position(|a| a == "--add").expect("--add");
    assert_eq!(args[add + 1], "publishingProfile.targetRegions");
    let items: Vec<serde_json::Value> = args[add + 2..]
        .iter()
        .take_while(|a| !a.starts_with("--"))
        .map(|a| serde_json::from_str(a).unwrap_or_else(|e| panic!("not JSON ({e}): {a}")))
        .collect();
    assert_eq!(items.len(), spec.gallery.target_regions.len());
    for (item, r) in items.iter().zip(&spec.gallery.target_regions) {
        assert_eq!(item["name"], r.region.as_str());
        assert_eq!(item["regionalReplicaCount"], r.replica_count);
        assert_eq!(item["storageAccountType"], r.storage_account_type.as_str());
        assert_eq!(item["encryption"]["osDiskImage"]["diskEncryptionSetId"], r.os_disk_encryption_set_id.as_str());
        let data: Vec<(u64, &str)> = item["encryption"]["dataDiskImages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| (d["lun"].as_u64().unwrap(), d["diskEncryptionSetId"].as_str().unwrap()))
            .collect();
        let want: Vec<(u64, &str)> =
            r.data_disk_encryption_sets.iter().map(|d| (u64::from(d.lun), d.disk_encryption_set_id.as_str())).collect();
        assert_eq!(data, want);
    }
    let last_check = calls.iter().rposition(|c| c.starts_with(&["disk-encryption-set".into(), "show".into()]));
    assert!(last_check.expect("disk encryption sets checked") < update);

    // A second run, once the region is there: nothing to add, nothing changed.
    let (ok, calls) = support::run_with_stub_az_env(&script, &[("STUB_VERSION_REGIONS", "Korea Central\nSoutheast Asia")]);
    assert!(ok, "a region the version has is left as it is");
    assert!(!calls.iter().any(|c| c.join(" ").starts_with("sig image-version update")), "{calls:?}");
}

#[test]
fn az_calls_follow_the_plan() {
    // The seed 000 CLI flow, in order: identity before vault access, key before registry.
    let (_, spec) = all_examples().find(|(e, _)| e.name == "cmk-user-assigned").unwrap();
    let calls = support::run_with_stub_az(&emit_ok(&spec, Format::AzCli));
    let commands: Vec<String> = calls
        .iter()
        .map(|c| c.iter().take_while(|a| !a.starts_with('-')).cloned().collect::<Vec<_>>().join(" "))
        .collect();
    let position =
        |cmd: &str| commands.iter().position(|c| c == cmd).unwrap_or_else(|| panic!("no {cmd} in {commands:#?}"));
    assert!(position("identity create") < position("keyvault create"));
    assert!(position("keyvault create") < position("role assignment create"));
    assert!(position("keyvault key create") < position("acr create"));
    assert!(position("acr create") < position("acr encryption show"));
    let create = &calls[position("acr create")];
    let flag = |name: &str| create.iter().position(|a| a == name).map(|i| create[i + 1].clone());
    assert_eq!(
        flag("--key-encryption-key").as_deref(),
        Some("https://stubvault.vault.azure.net/keys/stubkey"),
        "versionless URI from the kid"
    );
    assert!(flag("--identity").unwrap().starts_with("/subscriptions/"), "identity resource ID, captured");
}

#[test]
fn powershell_parses_without_error_nodes() {
    for (example, spec) in all_examples() {
        for format in [Format::PowerShell, Format::ArmPreDeployPs, Format::ArmPostDeployPs] {
            let script = emit_ok(&spec, format);
            if script.is_empty() && format != Format::PowerShell {
                continue;
            }
            let parsed = support::parse_powershell(&script);
            let errors = parsed.errors();
            assert!(
                errors.is_empty(),
                "{} {}: PowerShell parse errors: {errors:#?}\n{script}",
                example.name,
                format.name()
            );
        }
    }
}

#[test]
fn powershell_declares_every_value_as_a_verbatim_string() {
    for (example, spec) in all_examples() {
        let plan = plan::plan(&spec).unwrap();
        let parsed = support::parse_powershell(&emit_ok(&spec, Format::PowerShell));
        let strings: BTreeSet<String> = parsed.verbatim_strings().into_iter().collect();
        for input in &plan.inputs {
            let values: Vec<String> = match &input.value {
                InputValue::Text(t) => vec![t.clone()],
                InputValue::List(items) => items.clone(),
                InputValue::Map(map) => map.iter().flat_map(|(k, v)| [k.clone(), v.clone()]).collect(),
            };
            for value in values {
                assert!(strings.contains(&value), "{}: {value:?} is not a PowerShell string literal", example.name);
            }
        }
        // No double-quoted string may contain a user value: they expand $ and `.
        for expandable in parsed.nodes("expandable_string_literal") {
            for value in expected_arguments(&plan) {
                assert!(
                    value.len() < 4 || !expandable.contains(&value),
                    "{}: {value:?} inside {expandable}",
                    example.name
                );
            }
        }
    }
}

/// ARM: the template and its parameters, structurally.
mod arm {
    use super::*;

    /// Newest API versions with published schemas (see the arm emitter).
    const KNOWN_TYPES: &[(&str, &[&str])] = &[
        ("Microsoft.ContainerRegistry/registries", &["2025-11-01", "2026-03-01-preview"]),
        ("Microsoft.ManagedIdentity/userAssignedIdentities", &["2024-11-30"]),
        ("Microsoft.KeyVault/vaults", &["2026-02-01"]),
        ("Microsoft.KeyVault/vaults/keys", &["2026-02-01"]),
        ("Microsoft.KeyVault/vaults/accessPolicies", &["2026-02-01"]),
        ("Microsoft.Authorization/roleAssignments", &["2022-04-01"]),
        ("Microsoft.Resources/deployments", &["2025-04-01"]),
        ("Microsoft.Compute/galleries/images/versions", &["2025-12-03"]),
    ];

    fn all_resources(template: &Value) -> Vec<&Value> {
        let mut out = Vec::new();
        for r in template["resources"].as_array().expect("resources array") {
            out.push(r);
            if r["type"] == "Microsoft.Resources/deployments" {
                out.extend(all_resources(&r["properties"]["template"]));
            }
        }
        out
    }

    fn strings(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::String(s) => out.push(s.clone()),
            Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
            Value::Object(map) => map.iter().for_each(|(k, v)| {
                out.push(k.clone());
                strings(v, out)
            }),
            _ => {}
        }
    }

    fn parameter_references(text: &str) -> BTreeSet<String> {
        text.match_indices("parameters('")
            .map(|(i, _)| {
                let rest = &text[i + "parameters('".len()..];
                rest[..rest.find('\'').unwrap()].to_string()
            })
            .collect()
    }

    /// The `[type, name-expression]` a dependsOn `resourceId(...)` points at.
    fn resource_id_key(expr: &str) -> Option<String> {
        let inner = expr.strip_prefix("[resourceId(")?.strip_suffix(")]")?;
        let start = inner.find("'Microsoft.")?;
        Some(inner[start..].to_string())
    }

    fn declared_key(resource: &Value) -> String {
        let ty = resource["type"].as_str().unwrap();
        let name = resource["name"].as_str().unwrap();
        // `format('{0}/{1}', a, b)` and `format('{0}/add', a)` name `a, b` and `a, 'add'`.
        let name = if let Some(parts) = name.strip_prefix("[format('{0}/{1}', ").and_then(|n| n.strip_suffix(")]")) {
            parts.to_string()
        } else if let Some((fixed, arg)) =
            name.strip_prefix("[format('{0}/").and_then(|n| n.strip_suffix(")]")).and_then(|n| n.split_once("', "))
        {
            format!("{arg}, '{fixed}'")
        } else {
            name.trim_start_matches('[').trim_end_matches(']').to_string()
        };
        format!("'{ty}', {name}")
    }

    /// The version resource says what the spec says: one target region per
    /// spec region, in order, each with its sets; the source in the right slot.
    fn gallery_version_matches_spec(r: &Value, spec: &Spec, name: &str) {
        let g = &spec.gallery;
        let profile = &r["properties"]["publishingProfile"];
        let regions = profile["targetRegions"].as_array().unwrap_or_else(|| panic!("{name}: targetRegions"));
        assert_eq!(regions.len(), g.target_regions.len(), "{name}");
        for (arm, want) in regions.iter().zip(&g.target_regions) {
            assert_eq!(arm["regionalReplicaCount"], want.replica_count, "{name}");
            assert_eq!(arm["storageAccountType"], want.storage_account_type.as_str(), "{name}");
            let enc = &arm["encryption"];
            assert!(enc["osDiskImage"]["diskEncryptionSetId"].as_str().unwrap().starts_with("[parameters('"), "{name}");
            let luns: Vec<u64> =
                enc["dataDiskImages"].as_array().into_iter().flatten().map(|d| d["lun"].as_u64().unwrap()).collect();
            let want_luns: Vec<u64> = want.data_disk_encryption_sets.iter().map(|d| u64::from(d.lun)).collect();
            assert_eq!(luns, want_luns, "{name}");
        }
        let storage = &r["properties"]["storageProfile"];
        match g.source.kind {
            SourceKind::ManagedImage => assert!(storage["source"]["id"].is_string(), "{name}"),
            SourceKind::VirtualMachine => assert!(storage["source"]["virtualMachineId"].is_string(), "{name}"),
            SourceKind::Snapshots => {
                assert!(storage["osDiskImage"]["source"]["id"].is_string(), "{name}");
                let luns: Vec<u64> = storage["dataDiskImages"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|d| d["lun"].as_u64().unwrap())
                    .collect();
                let want: Vec<u64> = g.source.data_snapshots.iter().map(|d| u64::from(d.lun)).collect();
                assert_eq!(luns, want, "{name}");
            }
        }
    }

    #[test]
    fn templates_are_structurally_sound() {
        let examples = all_examples().map(|(e, spec)| (e.name.to_string(), spec));
        for (name, spec) in examples.chain(support::variant_specs()) {
            let text = emit_ok(&spec, Format::Arm);
            let template: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", name));
            assert_eq!(
                template["$schema"],
                "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
            );
            assert_eq!(template["contentVersion"], "1.0.0.0");

            let resources = all_resources(&template);
            if spec.is_change() {
                // A day-2 change: no resources, and one sentence that says why.
                assert!(resources.is_empty(), "{}", name);
                assert!(template["metadata"]["notAnArmDeployment"].as_str().is_some_and(|t| t.len() > 40));
                continue;
            }
            let main_type = match spec.kind {
                Kind::Registry => "Microsoft.ContainerRegistry/registries",
                Kind::GalleryImageVersion => "Microsoft.Compute/galleries/images/versions",
            };
            assert!(resources.iter().any(|r| r["type"] == main_type), "{}", name);
            for r in &resources {
                let ty = r["type"].as_str().unwrap_or_else(|| panic!("{}: resource without type", name));
                let api = r["apiVersion"].as_str().unwrap();
                let known = KNOWN_TYPES
                    .iter()
                    .find(|(t, _)| *t == ty)
                    .unwrap_or_else(|| panic!("{}: unknown type {ty}", name));
                assert!(known.1.contains(&api), "{}: {ty}@{api} is not a known API version", name);
                assert!(r["name"].is_string(), "{}: {ty} has no name", name);
                if ty == "Microsoft.ContainerRegistry/registries" {
                    let props = &r["properties"];
                    if let Some(rules) = props["networkRuleSet"].as_object() {
                        assert!(rules["defaultAction"].is_string(), "defaultAction is required with networkRuleSet");
                        let has_vnet = rules.get("virtualNetworkRules").is_some();
                        assert_eq!(
                            has_vnet,
                            api.ends_with("-preview"),
                            "{}: virtualNetworkRules only in preview API",
                            name
                        );
                    }
                    if let Some(enc) = props.get("encryption") {
                        assert_eq!(enc["status"], "enabled");
                        assert!(enc["keyVaultProperties"]["keyIdentifier"].is_string());
                        assert!(
                            enc["keyVaultProperties"]["identity"].as_str().unwrap().contains("clientId"),
                            "identity is a client ID"
                        );
                        // The system identity, which post-deploy switches the
                        // key to, is the registry's from creation.
                        let identity = if spec.registry.encryption.use_system_assigned_after_create {
                            "SystemAssigned, UserAssigned"
                        } else {
                            "UserAssigned"
                        };
                        assert_eq!(r["identity"]["type"], identity, "{name}");
                    }
                }
                if ty == "Microsoft.Compute/galleries/images/versions" {
                    gallery_version_matches_spec(r, &spec, &name);
                }
                if ty == "Microsoft.KeyVault/vaults" {
                    let props = &r["properties"];
                    assert_eq!(props["enablePurgeProtection"], true);
                    assert!(props["sku"]["family"] == "A" && props["sku"]["name"].is_string());
                    assert!(props["enableRbacAuthorization"].is_boolean(), "explicit permission model");
                }
            }

            // dependsOn targets are declared in the same template, at its top
            // level: a resource a nested deployment holds is named by that
            // deployment (ARM refuses any other).
            let declared: BTreeSet<String> =
                template["resources"].as_array().into_iter().flatten().map(declared_key).collect();
            for r in &resources {
                for dep in r["dependsOn"].as_array().into_iter().flatten() {
                    let dep = dep.as_str().unwrap();
                    if let Some(key) = resource_id_key(dep) {
                        assert!(
                            declared.contains(&key),
                            "{}: dependsOn {dep} names no declared resource; declared: {declared:#?}",
                            name
                        );
                    }
                }
            }

            // Parameters: every declared one is used and every used one declared.
            let declared_params: BTreeSet<String> =
                template["parameters"].as_object().unwrap().keys().cloned().collect();
            let mut all = Vec::new();
            strings(&template["resources"], &mut all);
            strings(&template["outputs"], &mut all);
            let used: BTreeSet<String> = all.iter().flat_map(|s| parameter_references(s)).collect();
            assert_eq!(declared_params, used, "{}: declared vs used parameters", name);

            // The parameters file gives a value to each, and nothing else.
            let params: Value = serde_json::from_str(&emit_ok(&spec, Format::ArmParameters)).unwrap();
            assert_eq!(
                params["$schema"],
                "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#"
            );
            let given: BTreeSet<String> = params["parameters"].as_object().unwrap().keys().cloned().collect();
            assert_eq!(given, declared_params, "{}: parameters file vs template", name);
            for (name, p) in params["parameters"].as_object().unwrap() {
                let ty = template["parameters"][name]["type"].as_str().unwrap();
                let ok = match ty {
                    "string" => p["value"].is_string(),
                    "array" => p["value"].is_array(),
                    "object" => p["value"].is_object(),
                    _ => false,
                };
                assert!(ok, "{}: parameter {name} is not a {ty}", name);
            }
        }
    }

    #[test]
    fn seed_template_scenario_is_reproduced() {
        // CMKtemplate.json: identity + access policy on an existing vault + registry
        // encrypted with a given key, registry depending on the access policy.
        let (_, spec) = all_examples().find(|(e, _)| e.name == "cmk-template").unwrap();
        let template: Value = serde_json::from_str(&emit_ok(&spec, Format::Arm)).unwrap();
        let types: Vec<&str> =
            template["resources"].as_array().unwrap().iter().map(|r| r["type"].as_str().unwrap()).collect();
        assert_eq!(
            types,
            [
                "Microsoft.ManagedIdentity/userAssignedIdentities",
                "Microsoft.KeyVault/vaults/accessPolicies",
                "Microsoft.ContainerRegistry/registries"
            ]
        );
        let registry = &template["resources"][2];
        let depends: Vec<&str> =
            registry["dependsOn"].as_array().unwrap().iter().map(|d| d.as_str().unwrap()).collect();
        assert!(
            depends.iter().any(|d| d.contains("accessPolicies")),
            "the seed's template races the access policy: {depends:?}"
        );
        assert_eq!(
            registry["properties"]["encryption"]["keyVaultProperties"]["keyIdentifier"],
            "[parameters('keyUri')]"
        );
    }
}

#[test]
fn all_formats_describe_the_same_steps() {
    for (example, spec) in all_examples() {
        let plan = plan::plan(&spec).unwrap();
        let titles = |script: &str| -> Vec<String> {
            script
                .lines()
                .filter_map(|l| l.strip_prefix("# "))
                .filter(|l| l.split_once(". ").is_some_and(|(n, _)| n.parse::<u32>().is_ok()))
                .map(str::to_string)
                .collect()
        };
        let bash = titles(&emit_ok(&spec, Format::AzCli));
        let ps = titles(&emit_ok(&spec, Format::PowerShell));
        assert_eq!(bash.len(), plan.steps.len(), "{}: a bash comment per step", example.name);
        assert_eq!(bash, ps, "{}: bash and PowerShell steps", example.name);

        // The same user values: bash variables, PowerShell variables, ARM parameters.
        let bash_vars: Vec<String> = plan.inputs.iter().map(|i| i.var.screaming_snake()).collect();
        let script = emit_ok(&spec, Format::AzCli);
        for var in &bash_vars {
            assert!(script.lines().any(|l| l.starts_with(&format!("{var}="))), "{}: bash declares {var}", example.name);
        }
        let params: Value = serde_json::from_str(&emit_ok(&spec, Format::ArmParameters)).unwrap();
        // ARM parameters are plan inputs; the deployment command names the
        // group and subscription, so those are never parameters.
        for name in params["parameters"].as_object().unwrap().keys() {
            assert!(
                plan.inputs.iter().any(|i| i.var.as_str() == name),
                "{}: ARM parameter {name} is no plan input",
                example.name
            );
            assert!(!["resourceGroup", "subscriptionId"].contains(&name.as_str()), "{}", example.name);
        }
        let required = match spec.kind {
            // A day-2 change has no template to parameterize (it says why).
            _ if spec.is_change() => [].as_slice(),
            Kind::Registry => ["registryName", "location"].as_slice(),
            Kind::GalleryImageVersion => ["galleryName", "location"].as_slice(),
        };
        for required in required {
            assert!(params["parameters"].get(required).is_some(), "{}: ARM parameter {required}", example.name);
        }
    }
}

/// Windows PowerShell 5.1 needs a BOM to read non-ASCII text as UTF-8; bash
/// must not get one (it would run `\u{feff}#!/usr/bin/env` as a command).
#[test]
fn powershell_files_with_non_ascii_text_start_with_a_bom() {
    let (_, spec) = all_examples().find(|(e, _)| e.name == "ip-rules-selected-networks").unwrap();
    let ps = emit_ok(&spec, Format::PowerShell);
    assert!(!ps.is_ascii(), "the example has a Korean tag value");
    assert!(Format::PowerShell.file_bytes(&ps).starts_with(b"\xEF\xBB\xBF"));
    let bash = emit_ok(&spec, Format::AzCli);
    assert!(!Format::AzCli.file_bytes(&bash).starts_with(b"\xEF\xBB\xBF"));
    let (_, plain) = all_examples().find(|(e, _)| e.name == "trusted-services-disabled").unwrap();
    let ps = emit_ok(&plain, Format::PowerShell);
    assert!(ps.is_ascii());
    assert_eq!(Format::PowerShell.file_bytes(&ps), ps.as_bytes(), "ASCII scripts stay as they are");
}

/// macOS still ships bash 3.2: no `mapfile`/`readarray`, no case-changing
/// expansions, no associative arrays, and no process substitution (whose
/// failure `set -e` does not see).
#[test]
fn bash_runs_on_bash_3_2_and_sees_every_failure() {
    for (example, spec) in all_examples() {
        for format in [Format::AzCli, Format::ArmPreDeploy, Format::ArmPostDeploy] {
            let script = emit_ok(&spec, format);
            for (n, line) in script.lines().enumerate().filter(|(_, l)| !l.trim_start().starts_with('#')) {
                for bad in ["mapfile", "readarray", ",,}", "^^}", "declare -A", "<(", ">("] {
                    assert!(!line.contains(bad), "{} {}:{}: {bad}: {line}", example.name, format.file_name(), n + 1);
                }
            }
        }
    }
}

/// Under `Set-StrictMode -Version Latest` reading a property that a REST
/// response lacks throws: a subnet without service endpoints has no
/// `serviceEndpoints` at all. Every such read sits behind a check that the
/// property exists.
#[test]
fn powershell_reads_optional_properties_behind_a_check() {
    for (example, spec) in all_examples() {
        for format in [Format::PowerShell, Format::ArmPreDeployPs, Format::ArmPostDeployPs] {
            let script = emit_ok(&spec, format);
            assert!(script.is_empty() || script.contains("Set-StrictMode -Version Latest"));
            let mut guarded = false;
            for line in script.lines() {
                if line.contains("PSObject.Properties.Name -contains 'serviceEndpoints'") {
                    guarded = true;
                } else if line.contains(".serviceEndpoints") && !line.contains("Add-Member") {
                    assert!(guarded, "{} {}: unguarded read: {line}", example.name, format.file_name());
                }
            }
            // Invoke-AzRestMethod does not throw on HTTP errors: each call's status is checked.
            let rest = script.matches("Invoke-AzRestMethod").count();
            let checked = script.matches(".StatusCode -ge 300").count();
            assert_eq!(
                rest,
                checked,
                "{} {}: a REST call whose status is not checked",
                example.name,
                format.file_name()
            );
        }
    }
}

/// A registry nobody can reach is said so: public access disabled with no
/// private endpoint from this wizard.
#[test]
fn a_private_only_registry_says_who_can_reach_it() {
    let (_, spec) = all_examples().find(|(e, _)| e.name == "trusted-services-disabled").unwrap();
    let findings = registry_wizard::rules::check(&spec);
    assert!(findings.iter().any(|f| f.rule.id() == "ACR-NETWORK-PRIVATE-ONLY"));
}

/// What an ARM deployment needs first is a pre-deployment script, and what it
/// cannot do a post-deployment one; the template's metadata names both.
#[test]
fn arm_prerequisites_come_before_and_the_rest_after() {
    let template = |name: &str| -> (Spec, Value) {
        let (_, spec) = all_examples().find(|(e, _)| e.name == name).unwrap();
        let t = serde_json::from_str(&emit_ok(&spec, Format::Arm)).unwrap();
        (spec, t)
    };
    let (spec, t) = template("service-endpoint");
    let pre = t["metadata"]["preDeploymentSteps"]["steps"].to_string();
    assert!(pre.contains("service endpoint") && pre.contains("Register"), "{pre}");
    assert!(t["metadata"].get("postDeploymentSteps").is_none(), "prerequisites are not post-deployment steps");
    assert!(emit_ok(&spec, Format::ArmPreDeploy).contains("az network vnet subnet update"));
    assert!(emit_ok(&spec, Format::ArmPreDeployPs).contains("Invoke-AzRestMethod -Method PUT"));

    let (spec, t) = template("cmk-system-assigned-kv-firewall");
    assert!(t["metadata"]["postDeploymentSteps"]["note"].as_str().unwrap().contains("post-deploy.sh"));
    let post = emit_ok(&spec, Format::ArmPostDeploy);
    assert!(!post.contains("az keyvault create") && !post.contains("az acr create"), "starts from the deployed state");
    assert!(post.contains("az acr encryption rotate-key") && post.contains("--default-action Deny"));
    let post = emit_ok(&spec, Format::ArmPostDeployPs);
    assert!(!post.contains("New-AzKeyVault") && post.contains("Update-AzKeyVaultNetworkRuleSet"));
}

/// `#Requires -Modules` lists the module of every cmdlet the script runs: a
/// cmdlet the table does not know would be missing from it.
#[test]
fn every_cmdlet_has_its_module() {
    use registry_wizard::emit::CMDLET_MODULES;
    for (example, spec) in all_examples() {
        for format in [Format::PowerShell, Format::ArmPreDeployPs, Format::ArmPostDeployPs] {
            let script = emit_ok(&spec, format);
            let requires = script.lines().find(|l| l.starts_with("#Requires -Modules ")).unwrap_or("");
            for line in script.lines().filter(|l| !l.trim_start().starts_with('#')) {
                for word in line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')) {
                    if let Some((verb, noun)) = word.split_once("-Az") {
                        if verb.is_empty() || !verb.chars().all(|c| c.is_ascii_alphabetic()) || noun.is_empty() {
                            continue;
                        }
                        let module = CMDLET_MODULES.iter().find(|(c, _)| *c == word).map(|(_, m)| *m);
                        let module = module
                            .unwrap_or_else(|| panic!("{}: {word} has no module in CMDLET_MODULES", example.name));
                        assert!(
                            requires.contains(module),
                            "{} {}: {word} needs {module}: {requires}",
                            example.name,
                            format.name()
                        );
                    }
                }
            }
        }
    }
}

/// A script that switches subscription switches back in `finally`, so that a
/// failure leaves the session where the user started it.
#[test]
fn powershell_restores_the_subscription_in_finally() {
    for (example, spec) in all_examples() {
        for format in [Format::PowerShell, Format::ArmPreDeployPs, Format::ArmPostDeployPs] {
            let script = emit_ok(&spec, format);
            let lines: Vec<&str> = script.lines().collect();
            for (i, line) in lines.iter().enumerate() {
                if line.contains("Set-AzContext -Subscription $currentSubscription") {
                    assert!(
                        lines[..i].iter().rev().take(2).any(|l| l.contains("} finally {")),
                        "{} {}: {line}",
                        example.name,
                        format.name()
                    );
                }
            }
        }
    }
}

/// The rotation policy reaches `az keyvault key rotation-policy update` as one
/// JSON argument that parses to the policy the spec describes.
#[test]
#[cfg(feature = "day2")]
fn rotation_policy_json_arrives_whole() {
    let (_, spec) = all_examples().find(|(e, _)| e.name == "auto-rotation-policy").unwrap();
    let calls = support::run_with_stub_az(&emit_ok(&spec, Format::AzCli));
    let call = calls.iter().find(|c| c.join(" ").starts_with("keyvault key rotation-policy update")).unwrap();
    let value = &call[call.iter().position(|a| a == "--value").unwrap() + 1];
    let policy: Value = serde_json::from_str(value).unwrap();
    let p = &spec.change.rotation_policy;
    assert_eq!(policy["attributes"]["expiryTime"], p.expiry_time.as_str());
    assert_eq!(policy["lifetimeActions"][0]["action"]["type"], "Rotate");
    // A trigger that fires on a key without an expiry date: P1Y less P30D after each version's creation
    // (a timeBeforeExpiry trigger never fires on the current version, which has no expiry).
    assert_eq!(p.rotate_before_expiry, "P30D");
    assert_eq!(policy["lifetimeActions"][0]["trigger"]["timeAfterCreate"], "P335D");
    assert!(policy["lifetimeActions"][0]["trigger"].get("timeBeforeExpiry").is_none());
    assert_eq!(policy["lifetimeActions"][1]["action"]["type"], "Notify");
    assert_eq!(policy["lifetimeActions"][1]["trigger"]["timeBeforeExpiry"], p.notify_before_expiry.as_str());
}

/// A destructive day-2 script run without a terminal and without
/// CONFIRM_REGISTRY makes no change at all; with it, it makes the change once,
/// after its checks.
#[test]
#[cfg(feature = "day2")]
fn destructive_scripts_change_nothing_unless_confirmed() {
    for (example, spec) in all_examples().filter(|(_, s)| {
        s.change().is_some_and(|c| c.operation.is_destructive(s.registry.networking.allow_trusted_services))
    }) {
        let script = emit_ok(&spec, Format::AzCli);
        let unconfirmed = support::run_with_stub_az_env(&script, &[("CONFIRM_REGISTRY", "")]);
        assert!(!unconfirmed.0, "{}: went on without a confirmation", example.name);
        let changes = |calls: &[Vec<String>]| -> Vec<String> {
            calls
                .iter()
                .map(|c| c.join(" "))
                .filter(|c| {
                    [
                        "role assignment delete",
                        "keyvault delete-policy",
                        "keyvault key set-attributes",
                        "acr update",
                        "acr network-rule remove",
                    ]
                    .iter()
                    .any(|w| c.starts_with(w))
                })
                .collect()
        };
        assert!(
            changes(&unconfirmed.1).is_empty(),
            "{}: changed without confirmation: {:?}",
            example.name,
            changes(&unconfirmed.1)
        );
        let confirmed = support::run_with_stub_az(&script);
        let made = changes(&confirmed);
        assert!(!made.is_empty(), "{}: the confirmed run changed nothing", example.name);
        let check = confirmed.iter().position(|c| c.join(" ").starts_with("acr show")).unwrap();
        let first_change = confirmed.iter().position(|c| made.contains(&c.join(" "))).unwrap();
        assert!(check < first_change, "{}: changed before checking the registry", example.name);
    }
}

/// The firewall path on a live registry, in the documents' order: identity,
/// grant, rotate, then the vault's firewall.
#[test]
#[cfg(feature = "day2")]
fn day2_firewall_path_is_in_order() {
    let (_, spec) = all_examples().find(|(e, _)| e.name == "rotate-to-system-identity-kv-firewall").unwrap();
    let calls = support::run_with_stub_az(&emit_ok(&spec, Format::AzCli));
    let at = |cmd: &str| calls.iter().position(|c| c.join(" ").starts_with(cmd)).unwrap_or_else(|| panic!("no {cmd}"));
    assert!(at("acr identity assign") < at("role assignment create"));
    assert!(at("role assignment create") < at("acr encryption rotate-key"));
    assert!(at("acr encryption rotate-key") < at("keyvault update"));
}
