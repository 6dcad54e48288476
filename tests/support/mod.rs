//! Shared helpers of the integration tests: the real tools that check the
//! generated code (bash, shellcheck, a PowerShell parser, serde_json) and a
//! stub `az` that records every argument vector it receives.

#![allow(dead_code)]

pub mod standin;

use std::path::{Path, PathBuf};
use std::process::Command;

use registry_wizard::emit::{self, Format};
use registry_wizard::examples::{self, Example};
use registry_wizard::spec::Spec;
use registry_wizard::spec_json;

pub fn example_spec(example: &Example) -> Spec {
    spec_json::from_json(example.json).unwrap_or_else(|e| panic!("{}: {e}", example.name))
}

pub fn all_examples() -> impl Iterator<Item = (&'static Example, Spec)> {
    examples::EXAMPLES.iter().map(|e| (e, example_spec(e)))
}

/// Specs no example is (`tests/fixtures/specs`): resources created in other
/// resource groups, access policies in another cloud, subnet rules with a key.
pub fn variant_specs() -> Vec<(String, Spec)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/specs");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            let spec = registry_wizard::spec_json::from_json(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, spec)
        })
        .collect()
}

pub fn emit_ok(spec: &Spec, format: Format) -> String {
    emit::emit(spec, format).unwrap_or_else(|findings| {
        panic!("spec has errors: {:?}", findings.iter().map(|f| f.rule.id()).collect::<Vec<_>>())
    })
}

pub fn temp_dir(label: &str) -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "registry-wizard-{label}-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The stub: appends nothing to stdout unless the call captures a value with
/// `--query`, then prints a plausible fake for it. Each call's arguments are
/// written NUL-separated to a file of their own, numbered in call order.
const STUB_AZ: &str = r#"#!/usr/bin/env bash
set -eu
n=$(find "$AZ_LOG_DIR" -type f | wc -l)
printf '%s\0' "$@" > "$AZ_LOG_DIR/$(printf %05d "$n")"
command="${1:-} ${2:-}"
query=""
scope=""
while [ $# -gt 0 ]; do
  if [ "$1" = "--query" ]; then query=$2; fi
  if [ "$1" = "--scope" ]; then scope=$2; fi
  # The permission model a new vault gets is the one the script checks next.
  if [ "$command" = "keyvault create" ] && [ "$1" = "--enable-rbac-authorization" ]; then
    echo "$2" > "$AZ_LOG_DIR/../rbac"
  fi
  shift
done
case "$command:$query" in
  "account show:id") echo "00000000-0000-0000-0000-000000000000"; exit 0 ;;
  "account show:user.type") echo "user"; exit 0 ;;
  "keyvault show:properties.enableRbacAuthorization") cat "$AZ_LOG_DIR/../rbac" 2>/dev/null || echo true; exit 0 ;;
  # Day 2: the registry is encrypted with the key the script expects.
  "acr show:encryption.keyVaultProperties.keyIdentifier") sed -n 's/^CURRENT_KEY_URI=//p' "$AZ_LOG_DIR/../deploy.sh"; exit 0 ;;
  # ... and reaches it with the identity the script names (a client ID, or its system identity).
  "acr show:encryption.keyVaultProperties.identity") id=$(sed -n 's/^KEY_IDENTITY_CLIENT_ID=//p' "$AZ_LOG_DIR/../deploy.sh"); echo "${id:-system}"; exit 0 ;;
  "acr show:encryption.keyVaultProperties.versionedKeyIdentifier") sed -n 's/^CURRENT_KEY_URI=//p' "$AZ_LOG_DIR/../deploy.sh"; exit 0 ;;
  # The task change: a registry in the role assignment mode the spec names, and a run that succeeds.
  "acr show:roleAssignmentMode") grep -q "Container Registry Repository" "$AZ_LOG_DIR/../deploy.sh" && echo AbacRepositoryPermissions || echo LegacyRegistryPermissions; exit 0 ;;
  "acr task:status") echo Succeeded; exit 0 ;;
  # The vault lets the registry's identity through, in the model the spec names.
  "keyvault show:properties.networkAcls.defaultAction") echo Allow; exit 0 ;;
  "keyvault show:properties.networkAcls.bypass") echo AzureServices; exit 0 ;;
  "role assignment:length("*) echo 0; exit 0 ;;
  # The identity's grant at the vault (the scope asked about is a key in it).
  "role assignment:[?"*) printf '%s/providers/Microsoft.Authorization/roleAssignments/stub\tKey Vault Crypto Service Encryption User\n' "${scope%/keys/*}"; exit 0 ;;
  "role assignment:"*) exit 0 ;;
  # An image version in two regions, named for display as Azure does, with one data disk.
  "sig image-version:publishingProfile.targetRegions[].name") printf '%s\n' "${STUB_VERSION_REGIONS:-Korea Central
Japan East}"; exit 0 ;;
  "sig image-version:storageProfile.dataDiskImages[].lun") echo 0; exit 0 ;;
  # A key that does not exist yet: Resource Manager's 404, exit status 3.
  "resource show:properties.keyUriWithVersion") exit 3 ;;
esac
case "$query" in
  *"length(@)") echo 0 ;;
  location==*) echo "true" ;;
  id) echo "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/stub-rg/providers/Stub.Provider/stubs/stub-$n" ;;
  principalId) echo "aaaaaaaa-0000-0000-0000-00000000000$((n % 10))" ;;
  key.kid) echo "https://stubvault.vault.azure.net/keys/stubkey/0123456789abcdef0123456789abcdef" ;;
  properties.enablePurgeProtection) echo "true" ;;
  "serviceEndpoints[].service") echo "Microsoft.Storage" ;;
  "") ;;
  *) echo "stub-value-for-$query" ;;
esac
"#;

/// Runs a bash script with the stub `az` first on PATH; returns each call's argv.
pub fn run_with_stub_az(script: &str) -> Vec<Vec<String>> {
    let (ok, calls) = run_with_stub_az_env(script, &[]);
    assert!(ok, "script failed with the stub az:\n{script}");
    calls
}

/// Like [`run_with_stub_az`], with extra environment; returns whether the
/// script succeeded and each call's argv, without failing.
pub fn run_with_stub_az_env(script: &str, env: &[(&str, &str)]) -> (bool, Vec<Vec<String>>) {
    let dir = temp_dir("stub");
    let bin = dir.join("bin");
    let log = dir.join("calls");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::create_dir_all(&log).unwrap();
    let az = bin.join("az");
    std::fs::write(&az, STUB_AZ).unwrap();
    make_executable(&az);
    let script_path = dir.join("deploy.sh");
    std::fs::write(&script_path, script).unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    // A destructive day-2 script asks first; this run answers for automation.
    let registry = script.lines().find_map(|l| l.strip_prefix("REGISTRY_NAME=")).unwrap_or("");
    let output = Command::new("bash")
        .arg(&script_path)
        .current_dir(&dir)
        .env("PATH", path)
        .env("AZ_LOG_DIR", &log)
        .env("CONFIRM_REGISTRY", registry)
        .envs(env.iter().copied())
        .stdin(std::process::Stdio::null())
        .output()
        .expect("bash runs");
    if !output.status.success() && env.is_empty() {
        eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&log).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let calls = files
        .iter()
        .map(|f| {
            let bytes = std::fs::read(f).unwrap();
            let text = String::from_utf8(bytes).expect("arguments are UTF-8");
            text.split_terminator('\0').map(str::to_string).collect()
        })
        .collect();
    let _ = std::fs::remove_dir_all(&dir);
    (output.status.success(), calls)
}

fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let mut perms = std::fs::metadata(path).unwrap().permissions();
    perms.set_mode(0o755);
    std::fs::set_permissions(path, perms).unwrap();
}

/// `bash -n`: the script parses.
pub fn bash_syntax(script: &str) -> Result<(), String> {
    let dir = temp_dir("bash-n");
    let path = dir.join("deploy.sh");
    std::fs::write(&path, script).unwrap();
    let out = Command::new("bash").arg("-n").arg(&path).output().expect("bash runs");
    let _ = std::fs::remove_dir_all(&dir);
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// shellcheck at its strictest severity ("style"). A missing shellcheck is a
/// failure, not a skip: the test command installs it.
pub fn shellcheck(script: &str) -> Result<(), String> {
    let dir = temp_dir("shellcheck");
    let path = dir.join("deploy.sh");
    std::fs::write(&path, script).unwrap();
    let out = Command::new("shellcheck")
        .args(["--shell=bash", "--severity=style"])
        .arg(&path)
        .output()
        .expect("shellcheck is installed (scripts/setup.sh installs it)");
    let _ = std::fs::remove_dir_all(&dir);
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

/// A parsed PowerShell script.
pub struct PowerShell {
    pub tree: tree_sitter::Tree,
    pub source: String,
}

pub fn parse_powershell(source: &str) -> PowerShell {
    let mut parser = tree_sitter::Parser::new();
    parser.set_language(&tree_sitter_powershell::LANGUAGE.into()).expect("grammar loads");
    let tree = parser.parse(source, None).expect("parser returns a tree");
    PowerShell { tree, source: source.to_string() }
}

impl PowerShell {
    /// Every ERROR or MISSING node, with its position and text.
    pub fn errors(&self) -> Vec<String> {
        let mut errors = Vec::new();
        let mut cursor = self.tree.walk();
        walk(&mut cursor, &mut |node| {
            if node.is_error() || node.is_missing() {
                let p = node.start_position();
                let text = node.utf8_text(self.source.as_bytes()).unwrap_or("?");
                errors.push(format!("{}:{}: {} {:?}", p.row + 1, p.column + 1, node.kind(), text));
            }
        });
        errors
    }

    /// The text of every node of `kind`.
    pub fn nodes(&self, kind: &str) -> Vec<String> {
        let mut found = Vec::new();
        let mut cursor = self.tree.walk();
        walk(&mut cursor, &mut |node| {
            if node.kind() == kind {
                found.push(node.utf8_text(self.source.as_bytes()).unwrap().to_string());
            }
        });
        found
    }

    /// The values of all verbatim ('...') strings, unescaped.
    pub fn verbatim_strings(&self) -> Vec<String> {
        self.nodes("verbatim_string_characters")
            .into_iter()
            .map(|raw| {
                let inner = &raw[1..raw.len() - 1];
                let mut out = String::new();
                let mut chars = inner.chars().peekable();
                while let Some(c) = chars.next() {
                    out.push(c);
                    if ['\'', '\u{2018}', '\u{2019}', '\u{201A}', '\u{201B}'].contains(&c) {
                        chars.next();
                    }
                }
                out
            })
            .collect()
    }
}

fn walk(cursor: &mut tree_sitter::TreeCursor, f: &mut dyn FnMut(tree_sitter::Node)) {
    loop {
        f(cursor.node());
        if cursor.goto_first_child() {
            walk(cursor, f);
            cursor.goto_parent();
        }
        if !cursor.goto_next_sibling() {
            break;
        }
    }
}
