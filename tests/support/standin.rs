//! The Azure stand-in (`tests/support/azure_standin`) from Rust: a state file
//! seeded with what a spec says already exists, scripts run with the
//! stand-in's `az` and `sleep` first on PATH, and the state they leave as the
//! stand-in's summary (the shape of `registry_wizard::outcome`).

use std::path::{Path, PathBuf};
use std::process::Command;

use registry_wizard::names;
use registry_wizard::spec::{GalleryEncryption, Kind, PermissionModel, SourceKind, Spec};
use serde_json::{json, Value};

use super::temp_dir;

/// The subscription a script without one runs in (the stand-in's default).
pub const CURRENT_SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000000";

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/azure_standin")
}

/// The Python that runs the stand-in: it needs `jmespath` for `--query`,
/// which the Azure CLI's virtualenv (installed by scripts/setup.sh) has.
/// `None` when there is none; `RW_REQUIRE_STANDIN=1` (the test command) turns
/// that into a failure instead of a skip.
pub fn python() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("STANDIN_PYTHON").map(PathBuf::from),
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).join(".tools/azure-cli/bin/python")),
        Some(PathBuf::from("python3")),
    ];
    let found = candidates
        .into_iter()
        .flatten()
        .find(|p| Command::new(p).args(["-c", "import jmespath"]).output().is_ok_and(|o| o.status.success()));
    if found.is_none() && std::env::var_os("RW_REQUIRE_STANDIN").is_some() {
        panic!("no Python with jmespath for the Azure stand-in: run scripts/setup.sh (it installs the Azure CLI)");
    }
    if found.is_none() {
        eprintln!("skipped: no Python with jmespath for the Azure stand-in (scripts/setup.sh installs one)");
    }
    found
}

/// The exit status of the PowerShell runner for "not modelled" (run.py).
const UNMODELLED_EXIT: i32 = 97;

/// The PowerShell runner: the Python with tree-sitter's PowerShell grammar
/// (scripts/setup.sh installs it in `.tools/pyps`), and how many scripts it
/// ran. `None` from `powershell()` when there is none; `RW_REQUIRE_STANDIN=1`
/// (the test command) turns that into a failure instead of a skip.
pub struct PowerShell {
    python: PathBuf,
    pub runs: std::cell::Cell<usize>,
}

pub fn powershell() -> Option<PowerShell> {
    let candidates = [
        std::env::var_os("RW_PS_PYTHON").map(PathBuf::from),
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).join(".tools/pyps/bin/python")),
    ];
    let found = candidates.into_iter().flatten().find(|p| {
        Command::new(p).args(["-c", "import tree_sitter_powershell"]).output().is_ok_and(|o| o.status.success())
    });
    match found {
        Some(python) => Some(PowerShell { python, runs: std::cell::Cell::new(0) }),
        None if std::env::var_os("RW_REQUIRE_STANDIN").is_some() => {
            panic!("no Python with tree-sitter-powershell for the PowerShell runner: run scripts/setup.sh")
        }
        None => {
            eprintln!("skipped: no Python with tree-sitter-powershell for the PowerShell runner (scripts/setup.sh)");
            None
        }
    }
}

pub struct Standin {
    python: PathBuf,
    pub dir: PathBuf,
    state: PathBuf,
}

/// How a script run ended.
pub struct Run {
    pub ok: bool,
    pub stdout: String,
    pub stderr: String,
}

impl Standin {
    pub fn new(python: &Path, seed: &Value) -> Standin {
        let dir = temp_dir("standin");
        let state = dir.join("state.json");
        std::fs::write(&state, serde_json::to_string(&json!({ "seed": seed })).unwrap()).unwrap();
        Standin { python: python.to_path_buf(), dir, state }
    }

    /// Runs `script` with bash; `env` adds the stand-in's fault switches.
    pub fn run(&self, script: &str, env: &[(&str, String)]) -> Run {
        self.run_with(script, &[], env)
    }

    /// `run` with arguments to the script (`--what-if`).
    pub fn run_with(&self, script: &str, args: &[&str], env: &[(&str, String)]) -> Run {
        let path = self.dir.join("deploy.sh");
        std::fs::write(&path, script).unwrap();
        let bin = dir().join("bin");
        let mut cmd = Command::new("bash");
        cmd.arg(&path)
            .args(args)
            .current_dir(&self.dir)
            .env("PATH", format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default()))
            .env("STANDIN_STATE", &self.state)
            .env("STANDIN_PYTHON", &self.python)
            .env_remove("STANDIN_FAIL_CALL")
            .env_remove("STANDIN_FAIL_MATCH")
            .env_remove("STANDIN_RBAC_DELAY");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let before = self.calls().len();
        let out = cmd.output().expect("bash runs");
        self.record_calls(before);
        Run {
            ok: out.status.success(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Runs a PowerShell `script` with the test runner
    /// (`tests/support/powershell_runner`) on the same state; `env` as for
    /// `run`. A construct the runner does not model fails the test here and
    /// now: such a run proves nothing either way.
    pub fn run_ps(&self, ps: &PowerShell, script: &str, env: &[(&str, String)]) -> Run {
        self.run_ps_with(ps, script, &[], env)
    }

    /// `run_ps` with arguments to the script (`-WhatIf`).
    pub fn run_ps_with(&self, ps: &PowerShell, script: &str, args: &[&str], env: &[(&str, String)]) -> Run {
        let path = self.dir.join("deploy.ps1");
        std::fs::write(&path, script).unwrap();
        let mut cmd = Command::new(&ps.python);
        cmd.arg(dir().parent().unwrap().join("powershell_runner/run.py"))
            .arg(&path)
            .args(args)
            .current_dir(&self.dir)
            .env("STANDIN_STATE", &self.state)
            .env_remove("STANDIN_FAIL_CALL")
            .env_remove("STANDIN_FAIL_MATCH")
            .env_remove("STANDIN_RBAC_DELAY")
            .env_remove("CONFIRM_REGISTRY")
            .stdin(std::process::Stdio::null());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("the PowerShell runner runs");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        ps.runs.set(ps.runs.get() + 1);
        assert!(
            out.status.code() != Some(UNMODELLED_EXIT),
            "the PowerShell runner met something it does not model:\n{stderr}\n--- script ---\n{script}"
        );
        Run { ok: out.status.success(), stdout: String::from_utf8_lossy(&out.stdout).into_owned(), stderr }
    }

    /// The stand-in's summary of the state (see `registry_wizard::outcome`).
    pub fn summary(&self) -> Value {
        let out = Command::new(&self.python)
            .arg(dir().join("standin.py"))
            .arg("summary")
            .env("STANDIN_STATE", &self.state)
            .output()
            .expect("stand-in runs");
        assert!(out.status.success(), "summary: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).expect("summary is JSON")
    }

    /// With `RW_RECORD_CALLS=FILE` (the test command), appends the calls of
    /// the last run to FILE, one JSON array a line, for the real Azure CLI's
    /// parser to check (scripts/az-parse-check.py): every branch a scenario
    /// takes, not only the first run's.
    fn record_calls(&self, from: usize) {
        let Some(file) = std::env::var_os("RW_RECORD_CALLS") else { return };
        let lines: String = self.calls()[from..].iter().map(|c| serde_json::to_string(c).unwrap() + "\n").collect();
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new().create(true).append(true).open(file).expect("calls file");
        f.write_all(lines.as_bytes()).expect("calls written");
    }

    /// How many `sleep` calls the scripts made (the retry loops' waits).
    #[allow(dead_code)]
    pub fn state_sleeps(&self) -> usize {
        let state: Value = serde_json::from_str(&std::fs::read_to_string(&self.state).unwrap()).unwrap();
        state["sleeps"].as_array().map_or(0, Vec::len)
    }

    /// Every az call so far, as argument vectors.
    pub fn calls(&self) -> Vec<Vec<String>> {
        let state: Value = serde_json::from_str(&std::fs::read_to_string(&self.state).unwrap()).unwrap();
        serde_json::from_value(state["calls"].clone()).unwrap_or_default()
    }
}

/// The az calls that leave the state an ARM deployment of `spec`'s template
/// leaves, for the post-deployment scripts to start from: the whole script
/// of the spec without what only post-deploy does (switching the key to the
/// system identity, closing the vault's firewall), then, written here apart
/// from the plan after the template's own resources, the registry's system
/// identity, which the template declares from creation (`SystemAssigned,
/// UserAssigned`), and, under Azure RBAC, its role assignment on the vault
/// (an access policy for it stays post-deploy's: a template cannot declare
/// the vault's `accessPolicies/add` twice).
pub fn deployed_by_template(spec: &Spec) -> String {
    let mut deployed = spec.clone();
    deployed.registry.encryption.use_system_assigned_after_create = false;
    deployed.registry.encryption.key_vault.firewall = false;
    let mut script = super::emit_ok(&deployed, registry_wizard::emit::Format::AzCli);
    let cmk = &spec.registry.encryption;
    if cmk.customer_managed_key && cmk.use_system_assigned_after_create {
        let (registry, group) = (&spec.registry.name, &spec.resource_group.name);
        let vault = &cmk.key_vault.name;
        let vault_group = if cmk.key_vault.resource_group.is_empty() { group } else { &cmk.key_vault.resource_group };
        let registry_args = format!("--name '{registry}' --resource-group '{group}'");
        script.push_str(&format!(
            "\n# The template's system identity\n\
             az acr identity assign {registry_args} --identities '[system]' --output none\n"
        ));
        if cmk.key_vault.permission_model == PermissionModel::Rbac {
            script.push_str(&format!(
                "# The template's role assignment to it\n\
                 PRINCIPAL=$(az acr identity show {registry_args} --query principalId --output tsv)\n\
                 VAULT=$(az keyvault show --name '{vault}' --resource-group '{vault_group}' \\\n    \
                 --query id --output tsv)\n\
                 az role assignment create --assignee-object-id \"$PRINCIPAL\" \\\n    \
                 --assignee-principal-type ServicePrincipal \\\n    \
                 --role 'Key Vault Crypto Service Encryption User' --scope \"$VAULT\" --output none\n"
            ));
        }
    }
    script
}

/// What a spec takes as given: the resources it names but does not create,
/// each where the spec says it is (and disk encryption sets in the region
/// they serve), so that a script can run from an otherwise empty
/// subscription.
pub fn seed_for(spec: &Spec) -> Value {
    let current = if spec.subscription_id.is_empty() { CURRENT_SUBSCRIPTION } else { &spec.subscription_id };
    let mut subscriptions =
        vec![json!({ "id": current, "current": true, "providers": ["Microsoft.ContainerRegistry"] })];
    let mut groups = Vec::new();
    let group = &spec.resource_group.name;
    let or_group = |g: &str| if g.is_empty() { group.clone() } else { g.to_string() };
    if !spec.resource_group.create {
        groups.push(json!({ "name": group, "location": spec.location }));
    }
    let mut seed = json!({});
    match spec.kind {
        Kind::Registry => {
            if let Some(cmk) = spec.cmk() {
                // The identity's and the vault's own groups exist: the script
                // creates only the registry's.
                for other in [&cmk.identity.resource_group, &cmk.key_vault.resource_group] {
                    let known = groups.iter().any(|g| g["name"] == other.as_str());
                    if !other.is_empty() && other != group && !known {
                        groups.push(json!({ "name": other, "location": spec.location }));
                    }
                }
                if !cmk.identity.create {
                    seed["identities"] = json!([{
                        "resourceGroup": or_group(&cmk.identity.resource_group),
                        "name": cmk.identity.name, "location": spec.location,
                    }]);
                }
                if !(cmk.key_vault.create && cmk.key.create) {
                    let mut vault = json!({
                        "resourceGroup": or_group(&cmk.key_vault.resource_group),
                        "name": cmk.key_vault.name, "location": spec.location,
                        "rbac": cmk.key_vault.permission_model == PermissionModel::Rbac,
                        "purgeProtection": true, "keys": [],
                    });
                    if !cmk.key.create {
                        let key = names::parse_key_uri(&cmk.key.key_id).expect("a valid spec's key URI");
                        let version = key.version.map(str::to_string).unwrap_or_else(|| "0".repeat(32));
                        vault["keys"] =
                            json!([{ "name": key.name, "kty": "RSA", "size": 3072, "versions": [version] }]);
                    }
                    seed["vaults"] = json!([vault]);
                }
            }
            let mut vnets = Vec::new();
            for rule in &spec.registry.networking.vnet_rules {
                let (sub, rg, vnet, subnet) = match names::parse_subnet_id(&rule.subnet_id) {
                    Ok(id) => (
                        id.subscription.to_string(),
                        id.resource_group.to_string(),
                        id.vnet.to_string(),
                        id.subnet.to_string(),
                    ),
                    Err(_) => (
                        if rule.subscription_id.is_empty() {
                            current.to_string()
                        } else {
                            rule.subscription_id.clone()
                        },
                        or_group(&rule.resource_group),
                        rule.vnet_name.clone(),
                        rule.subnet_name.clone(),
                    ),
                };
                if !sub.eq_ignore_ascii_case(current) && !subscriptions.iter().any(|s| s["id"] == sub) {
                    subscriptions.push(json!({ "id": sub, "providers": [] }));
                }
                // A subnet rule given by ID was prepared elsewhere: its
                // endpoint is there already unless the spec adds it.
                let endpoints =
                    if rule.add_service_endpoint { json!([]) } else { json!(["Microsoft.ContainerRegistry"]) };
                vnets.push(json!({
                    "subscription": sub, "resourceGroup": rg, "name": vnet, "location": spec.location,
                    "subnets": [{ "name": subnet, "serviceEndpoints": endpoints }],
                }));
            }
            seed["vnets"] = json!(vnets);
        }
        Kind::GalleryImageVersion => {
            let g = &spec.gallery;
            seed["galleries"] = json!([{
                "resourceGroup": group, "name": g.name, "location": spec.location,
                "imageDefinitions": [{ "name": g.image_definition, "osType": "Linux" }],
            }]);
            match g.source.kind {
                SourceKind::ManagedImage => {
                    seed["images"] = json!([{ "id": g.source.managed_image_id, "location": spec.location }])
                }
                SourceKind::Snapshots => {
                    let mut snaps = vec![json!({ "id": g.source.os_snapshot_id, "location": spec.location })];
                    snaps.extend(
                        g.source
                            .data_snapshots
                            .iter()
                            .map(|d| json!({ "id": d.snapshot_id, "location": spec.location })),
                    );
                    seed["snapshots"] = json!(snaps);
                }
                SourceKind::VirtualMachine => {}
            }
            if g.encryption.uses_des() {
                let kind = if g.encryption == GalleryEncryption::PlatformAndCustomerKeys {
                    "EncryptionAtRestWithPlatformAndCustomerKeys"
                } else {
                    "EncryptionAtRestWithCustomerKey"
                };
                let mut sets: Vec<Value> = Vec::new();
                for r in &g.target_regions {
                    let ids = std::iter::once(&r.os_disk_encryption_set_id)
                        .chain(r.data_disk_encryption_sets.iter().map(|d| &d.disk_encryption_set_id));
                    for id in ids {
                        if !sets.iter().any(|s| s["id"] == *id) {
                            sets.push(json!({ "id": id, "location": r.region, "encryptionType": kind }));
                        }
                    }
                }
                seed["diskEncryptionSets"] = json!(sets);
            }
        }
    }
    seed["subscriptions"] = json!(subscriptions);
    seed["groups"] = json!(groups);
    seed
}

/// A registry that refuses public traffic before its rules are complete must
/// have been told to the user: after a run that stopped at call `n`
/// (`scenario` names the run), either the registry does not deny the rest
/// yet or its rules are all in.
pub fn never_locked_silently(scenario: &str, n: usize, spec: &Spec, standin: &Standin, run: &Run) {
    let summary = standin.summary();
    let Some(registry) = summary["registries"].get(&spec.registry.name) else { return };
    let expected = registry_wizard::outcome::expected(spec, CURRENT_SUBSCRIPTION);
    let want = &expected["registries"][&spec.registry.name];
    if registry["defaultAction"] == "Deny" {
        let rules_done = registry["ipRules"] == want["ipRules"] && registry["vnetRules"] == want["vnetRules"];
        assert!(
            rules_done,
            "{scenario} (call {n} fails): the registry denies the rest before its rules are in\n{}",
            run.stderr
        );
    }
}

/// A spec's vault as it might already exist and not fit: in the other
/// permission model, or without purge protection. Each case with the words
/// the script must stop with, before the registry exists.
pub fn seeds_with_a_vault_that_does_not_fit(spec: &Spec) -> Vec<(&'static str, Value, &'static str)> {
    let cmk = spec.cmk().expect("a customer-managed key spec");
    let rbac = cmk.key_vault.permission_model == PermissionModel::Rbac;
    [
        (
            "other permission model",
            json!({ "rbac": !rbac, "purgeProtection": true }),
            if rbac { "uses vault access policies" } else { "uses Azure RBAC" },
        ),
        ("no purge protection", json!({ "rbac": rbac, "purgeProtection": false }), "has no purge protection"),
    ]
    .into_iter()
    .map(|(case, mut vault, says)| {
        let mut seed = seed_for(spec);
        vault["name"] = json!(cmk.key_vault.name);
        vault["resourceGroup"] = json!(if cmk.key_vault.resource_group.is_empty() {
            &spec.resource_group.name
        } else {
            &cmk.key_vault.resource_group
        });
        vault["location"] = json!(spec.location);
        seed["vaults"] = json!([vault]);
        (case, seed, says)
    })
    .collect()
}

#[cfg(feature = "day2")]
/// What a day-2 spec says exists: the registry as `change.existing`
/// describes it, its resource group, and for key operations its identity
/// (with the client ID the registry names), its vault with the key at the
/// version it uses, the identity's grant (absent when access is to be
/// restored), and the signed-in account's right to make key versions.
pub fn seed_for_change(spec: &Spec) -> Value {
    use registry_wizard::spec::{Operation, PublicAccess};
    if spec.change.operation.on_gallery() {
        return seed_for_gallery_change(spec);
    }
    let change = &spec.change;
    let existing = &change.existing;
    let current = if spec.subscription_id.is_empty() { CURRENT_SUBSCRIPTION } else { &spec.subscription_id };
    let group = &spec.resource_group.name;
    let mut registry = json!({
        "resourceGroup": group, "name": spec.registry.name, "location": spec.location, "sku": existing.sku.as_str(),
        "publicNetworkAccess": if existing.public_access == PublicAccess::Disabled { "Disabled" } else { "Enabled" },
        "defaultAction": if existing.public_access == PublicAccess::All { "Allow" } else { "Deny" },
        "ipRules": existing.ip_rules,
        "vnetRules": existing.vnet_rules,
        "bypass": if existing.allow_trusted_services { "AzureServices" } else { "None" },
        "tasksBypass": existing.tasks_bypass,
        "roleAssignmentMode": existing.role_assignment_mode.as_str(),
        "dnlScope": if existing.dnl_scope.is_empty() { "Unsecure" } else { existing.dnl_scope.as_str() },
    });
    let mut seed = json!({
        "subscriptions": [{ "id": current, "current": true, "providers": ["Microsoft.ContainerRegistry"] }],
        "groups": [{ "name": group, "location": spec.location }],
    });
    if existing.has_cmk() {
        let key = names::parse_key_uri(&existing.key_uri).expect("a valid spec's key URI");
        let vault = &spec.registry.encryption.key_vault;
        let vault_group = if vault.resource_group.is_empty() { group.clone() } else { vault.resource_group.clone() };
        let vault_id = format!(
            "/subscriptions/{current}/resourceGroups/{vault_group}/providers/Microsoft.KeyVault/vaults/{}",
            vault.name
        );
        let version = key.version.map(str::to_string).unwrap_or_else(|| "0".repeat(32));
        seed["vaults"] = json!([{
            "resourceGroup": vault_group, "name": vault.name, "location": spec.location,
            "rbac": vault.permission_model == PermissionModel::Rbac, "purgeProtection": true,
            "keys": [{ "name": key.name, "kty": "RSA", "size": 3072, "versions": [version] }],
        }]);
        let mut grants =
            vec![json!({ "principal": "signed-in", "role": "Key Vault Crypto Officer", "scope": vault_id })];
        let mut identities = Vec::new();
        for id in &existing.user_identities {
            let parsed = names::parse_resource_id(id, "Microsoft.ManagedIdentity", "userAssignedIdentities", "")
                .expect("a valid identity ID");
            identities.push(json!({
                "resourceGroup": parsed.resource_group, "name": parsed.name, "location": spec.location,
                "clientId": existing.key_identity,
            }));
            if change.operation != Operation::RestoreKeyAccess {
                grants.push(json!({
                    "principal": format!("identity:{}", parsed.name),
                    "role": "Key Vault Crypto Service Encryption User", "scope": vault_id,
                }));
            }
        }
        seed["identities"] = json!(identities);
        seed["roleAssignments"] = json!(grants);
        registry["userIdentities"] = json!(existing.user_identities);
        registry["encryption"] = json!({ "keyUri": existing.key_uri, "identity": existing.key_identity });
    }
    seed["registries"] = json!([registry]);
    seed
}

#[cfg(feature = "day2")]
/// An image version that exists, in the regions `change.existing` names
/// (each with disk encryption sets of its own, named for display as Azure
/// names them: "koreacentral" becomes "Korea Central" where the stand-in
/// knows the display name), its gallery and definition, and the disk
/// encryption sets of the regions to add, each in its region.
fn seed_for_gallery_change(spec: &Spec) -> Value {
    let g = &spec.gallery;
    let group = &spec.resource_group.name;
    let current = if spec.subscription_id.is_empty() { CURRENT_SUBSCRIPTION } else { &spec.subscription_id };
    let des_id = |name: &str| {
        format!("/subscriptions/{current}/resourceGroups/{group}/providers/Microsoft.Compute/diskEncryptionSets/{name}")
    };
    let luns = &spec.change.existing.data_disk_luns;
    let mut sets: Vec<Value> = Vec::new();
    let mut regions = Vec::new();
    for region in &spec.change.existing.target_regions {
        let os = des_id(&format!("des-existing-{region}"));
        sets.push(json!({ "id": os, "location": region }));
        let data: serde_json::Map<String, Value> = luns.iter().map(|l| (l.to_string(), json!(os))).collect();
        regions.push(json!({ "name": display_region(region), "osDes": os, "dataDes": data }));
    }
    for r in &g.target_regions {
        let ids = std::iter::once(&r.os_disk_encryption_set_id)
            .chain(r.data_disk_encryption_sets.iter().map(|d| &d.disk_encryption_set_id));
        for id in ids {
            if !sets.iter().any(|s| s["id"] == *id) {
                sets.push(json!({ "id": id, "location": r.region }));
            }
        }
    }
    let snapshot = |name: &str| {
        format!("/subscriptions/{current}/resourceGroups/{group}/providers/Microsoft.Compute/snapshots/{name}")
    };
    let data_snapshots: serde_json::Map<String, Value> =
        luns.iter().map(|l| (l.to_string(), json!(snapshot(&format!("source-data-{l}"))))).collect();
    let location = spec.change.existing.target_regions.first().cloned().unwrap_or_else(|| spec.location.clone());
    json!({
        "subscriptions": [{ "id": current, "current": true }],
        "groups": [{ "name": group, "location": location }],
        "galleries": [{
            "resourceGroup": group, "name": g.name, "location": location,
            "imageDefinitions": [{ "name": g.image_definition, "osType": "Linux" }],
        }],
        "diskEncryptionSets": sets,
        "imageVersions": [{
            "resourceGroup": group, "gallery": g.name, "definition": g.image_definition, "version": g.version,
            "location": location, "source": snapshot("source-os"), "sourceKind": "snapshot",
            "dataSnapshots": data_snapshots, "targetRegions": regions,
        }],
    })
}

/// Azure's display name of a region, for the few the examples use.
fn display_region(region: &str) -> String {
    match region {
        "koreacentral" => "Korea Central".into(),
        "japaneast" => "Japan East".into(),
        "southeastasia" => "Southeast Asia".into(),
        other => other.into(),
    }
}
