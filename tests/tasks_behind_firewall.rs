//! ACR Tasks behind a registry's network rules, as Azure has them since
//! June 2025 (Learn: Manage network bypass policy for tasks): the task change
//! (`trustedServiceTask`) run in bash and PowerShell against the Azure
//! stand-in, which refuses a task's system identity with 403 on a
//! network-restricted registry unless `networkRuleBypassAllowedForTasks` is
//! set, demands a Git token for a source trigger (acr/task.py
//! acr_task_create), puts a hash in the login server of a registry with a
//! domain name label scope and does not honour AcrPush on an ABAC registry.

#![cfg(feature = "day2")]

mod support;

use registry_wizard::emit::Format;
use registry_wizard::examples;
use registry_wizard::outcome;
use registry_wizard::spec::{RoleAssignmentMode, Spec};
use serde_json::Value;
use support::emit_ok;
use support::standin::{powershell, python, seed_for_change, Run, Standin};

fn task_spec() -> Spec {
    let example = examples::EXAMPLES.iter().find(|e| e.name == "trusted-service-task-identity").expect("the example");
    support::example_spec(example)
}

fn assert_reaches(scenario: &str, spec: &Spec, standin: &Standin, run: &Run) {
    assert!(run.ok, "{scenario}: the script failed\n{}\n{}", run.stdout, run.stderr);
    let actual = standin.summary();
    let diff = outcome::differences(&outcome::expected(spec, support::standin::CURRENT_SUBSCRIPTION), &actual);
    assert!(diff.is_empty(), "{scenario}: the state differs:\n{}\nstate: {actual:#}", diff.join("\n"));
    let task = &spec.change.task.name;
    assert_eq!(actual["registries"][&spec.registry.name]["tasks"][task]["lastRun"], "Succeeded", "{scenario}");
}

/// Both languages, from the same seed: the task runs and succeeds, and again
/// on a second run.
fn both(scenario: &str, spec: &Spec, seed: &Value, env: &[(&str, String)]) {
    let Some(python) = python() else { return };
    let bash = emit_ok(spec, Format::AzCli);
    let standin = Standin::new(&python, seed);
    let run = standin.run(&bash, env);
    assert_reaches(&format!("{scenario}, bash"), spec, &standin, &run);
    let again = standin.run(&bash, env);
    assert_reaches(&format!("{scenario}, bash, second run"), spec, &standin, &again);
    if let Some(ps) = powershell() {
        let script = emit_ok(spec, Format::PowerShell);
        let standin = Standin::new(&python, seed);
        let run = standin.run_ps(&ps, &script, env);
        assert_reaches(&format!("{scenario}, PowerShell"), spec, &standin, &run);
    }
}

#[test]
fn the_task_runs_on_a_network_restricted_registry() {
    let spec = task_spec();
    both("public access disabled", &spec, &seed_for_change(&spec), &[]);
}

#[test]
fn the_task_run_waits_for_its_role() {
    let spec = task_spec();
    both("RBAC delay 300 s", &spec, &seed_for_change(&spec), &[("STANDIN_RBAC_DELAY", "300".into())]);
}

/// The stand-in's model can fail: the same script without the bypass step
/// (what the product emitted before) gets 403, and a task created the old
/// way, with the CLI's default commit trigger, is refused.
#[test]
fn without_the_bypass_the_run_fails() {
    let Some(python) = python() else { return };
    let spec = task_spec();
    let bash = emit_ok(&spec, Format::AzCli);
    let without = bash.replace("--set 'networkRuleBypassAllowedForTasks=true'", "--allow-trusted-services true");
    assert_ne!(without, bash, "the script sets the bypass");
    let standin = Standin::new(&python, &seed_for_change(&spec));
    let run = standin.run(&without, &[]);
    assert!(!run.ok, "a run without the bypass succeeded\n{}", run.stderr);
    assert!(run.stderr.contains("403"), "{}", run.stderr);

    let with_trigger = bash.replace("      --commit-trigger-enabled false \\\n", "");
    assert_ne!(with_trigger, bash, "the script turns the trigger off");
    let standin = Standin::new(&python, &seed_for_change(&spec));
    let run = standin.run(&with_trigger, &[]);
    assert!(!run.ok);
    assert!(run.stderr.contains("--git-access-token must be provided"), "{}", run.stderr);
}

/// A registry with a domain name label scope: its login server has a hash
/// in it, which only a script that reads it gets right.
#[test]
fn a_registry_with_a_domain_name_label_scope() {
    let Some(python) = python() else { return };
    let mut spec = task_spec();
    spec.change.existing.dnl_scope = "TenantReuse".into();
    both("domain name label scope", &spec, &seed_for_change(&spec), &[]);
    // The model tells the difference: a credential for NAME.azurecr.io fails.
    let bash = emit_ok(&spec, Format::AzCli);
    let built = bash.replace(
        "--login-server \"$LOGIN_SERVER\"",
        &format!("--login-server {}.azurecr.io", spec.registry.name),
    );
    assert_ne!(built, bash);
    let standin = Standin::new(&python, &seed_for_change(&spec));
    let run = standin.run(&built, &[]);
    assert!(!run.ok, "a built login server reached the registry\n{}", run.stderr);
}

/// An ABAC registry: the task gets a Container Registry Repository role and
/// logs in as its identity; AcrPush would not be honoured there.
#[test]
fn an_abac_registrys_task_grant() {
    let Some(python) = python() else { return };
    let mut spec = task_spec();
    spec.change.existing.role_assignment_mode = RoleAssignmentMode::Abac;
    let bash = emit_ok(&spec, Format::AzCli);
    assert!(bash.contains("--role 'Container Registry Repository Writer'"), "{bash}");
    assert!(bash.contains("--source-acr-auth-id '[system]'"), "{bash}");
    both("ABAC registry", &spec, &seed_for_change(&spec), &[]);
    // The legacy role fails there.
    let legacy = bash.replace("--role 'Container Registry Repository Writer'", "--role AcrPush");
    let standin = Standin::new(&python, &seed_for_change(&spec));
    let run = standin.run(&legacy.replace("for attempt in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20", "for attempt in 20"), &[]);
    assert!(!run.ok, "AcrPush was honoured on an ABAC registry\n{}", run.stderr);
    // A spec that says legacy stops on an ABAC registry before the grant.
    let outdated = emit_ok(&task_spec(), Format::AzCli);
    let standin = Standin::new(&python, &seed_for_change(&spec));
    let run = standin.run(&outdated, &[]);
    assert!(!run.ok && run.stderr.contains("role assignment mode AbacRepositoryPermissions"), "{}", run.stderr);
}

/// The importer reads what current Azure reports: the role assignment mode,
/// the tasks' bypass, the login server with its domain name label hash, the
/// scope, and zone redundancy (shown, not changed).
#[test]
fn the_importer_reads_abac_and_the_login_server() {
    let json = serde_json::json!({
        "id": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/myregistry",
        "name": "myregistry", "location": "koreacentral", "type": "Microsoft.ContainerRegistry/registries",
        "sku": { "name": "Premium", "tier": "Premium" },
        "properties": {
            "loginServer": "myregistry-abcdefghabcdefgh.azurecr.io",
            "autoGeneratedDomainNameLabelScope": "TenantReuse",
            "roleAssignmentMode": "AbacRepositoryPermissions",
            "networkRuleBypassAllowedForTasks": true,
            "zoneRedundancy": "Enabled",
            "publicNetworkAccess": "Disabled", "networkRuleBypassOptions": "None",
        }
    });
    let imported = registry_wizard::import::registry(&json.to_string()).expect("imported");
    let existing = &imported.spec.change.existing;
    assert_eq!(existing.role_assignment_mode, RoleAssignmentMode::Abac);
    assert!(existing.tasks_bypass);
    assert_eq!(existing.login_server, "myregistry-abcdefghabcdefgh.azurecr.io");
    assert_eq!(existing.dnl_scope, "TenantReuse");
    assert_eq!(existing.zone_redundancy, "Enabled");
    for path in ["roleAssignmentMode", "loginServer", "autoGeneratedDomainNameLabelScope", "zoneRedundancy"] {
        assert!(!imported.unmapped.iter().any(|u| u.contains(path)), "{path} unmapped: {:?}", imported.unmapped);
    }
}
