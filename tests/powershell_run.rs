//! Every example's PowerShell, *run*: the test runner in
//! `tests/support/powershell_runner` interprets the script (tree-sitter's
//! PowerShell grammar, the language's semantics, Az cmdlet models read from
//! the azure-powershell sources) against the same Azure stand-in the bash
//! scripts run against (`scripts_run.rs`), in the same scenarios:
//!
//! - from a subscription that holds only what the spec takes as given, to
//!   the state `registry_wizard::outcome` derives from the spec, and again on
//!   a second run that changes nothing;
//! - role assignments that reach Key Vault only after nine minutes;
//! - each call that changes Azure failing once, then a second run;
//! - signed in as a service principal that may not read Microsoft Graph;
//! - a subnet that has another service endpoint already;
//! - an existing vault that does not fit, a disk encryption set elsewhere;
//! - the ARM flows' pre- and post-deploy scripts;
//! - day-2 changes: confirmed, unconfirmed, slow RBAC, a second run.
//!
//! And in every scenario the state the PowerShell run leaves equals the
//! state its bash twin leaves, resource by resource: the emitters render one
//! plan, so the two languages must not decide differently.
//!
//! A construct, cmdlet or parameter the runner does not model fails the test
//! where it is met (`Standin::run_ps`), never passes unnoticed.

mod support;

use registry_wizard::emit::Format;
use registry_wizard::outcome;
use registry_wizard::spec::{Kind, Spec};
use serde_json::{json, Value};
use support::emit_ok;
#[cfg(feature = "day2")]
use support::standin::seed_for_change;
use support::standin::{
    deployed_by_template, never_locked_silently, powershell, python, seed_for, seeds_with_a_vault_that_does_not_fit,
    PowerShell, Run, Standin,
    CURRENT_SUBSCRIPTION,
};

fn create_examples() -> impl Iterator<Item = (String, Spec)> {
    support::all_examples()
        .filter(|(_, spec)| !spec.is_change())
        .map(|(e, s)| (e.name.to_string(), s))
        .chain(support::variant_specs())
}

/// Both runners, or neither (skipped, or a failure under the test command).
fn runners() -> Option<(std::path::PathBuf, PowerShell)> {
    Some((python()?, powershell()?))
}

fn assert_reaches(name: &str, scenario: &str, expected: &Value, standin: &Standin, run: &Run) {
    assert!(run.ok, "{name} ({scenario}, PowerShell): the script failed\n{}\n{}", run.stdout, run.stderr);
    let actual = standin.summary();
    let diff = outcome::differences(expected, &actual);
    assert!(
        diff.is_empty(),
        "{name} ({scenario}, PowerShell): the state differs from the spec's:\n{}\nstate: {actual:#}",
        diff.join("\n")
    );
}

/// The bash twin of a PowerShell run left the same state: every resource,
/// property by property (the stand-in's summary has no timestamps, and IDs
/// are derived from names).
fn assert_same_as_bash(name: &str, scenario: &str, bash: &Value, ps: &Value) {
    let mut diff = Vec::new();
    compare("", bash, ps, &mut diff);
    assert!(diff.is_empty(), "{name} ({scenario}): bash and PowerShell left different states:\n{}", diff.join("\n"));
}

fn compare(path: &str, bash: &Value, ps: &Value, out: &mut Vec<String>) {
    match (bash, ps) {
        (Value::Object(a), Value::Object(b)) => {
            for key in a.keys().chain(b.keys().filter(|k| !a.contains_key(*k))) {
                let here = format!("{path}/{key}");
                match (a.get(key), b.get(key)) {
                    (Some(x), Some(y)) => compare(&here, x, y, out),
                    (Some(x), None) => out.push(format!("{here}: bash {x}, PowerShell has none")),
                    (None, Some(y)) => out.push(format!("{here}: PowerShell {y}, bash has none")),
                    (None, None) => unreachable!(),
                }
            }
        }
        _ if bash != ps => out.push(format!("{path}: bash {bash}, PowerShell {ps}")),
        _ => {}
    }
}

/// One scenario in both languages, each on a fresh stand-in from `seed`.
struct Twins {
    bash: Standin,
    bash_run: Run,
    ps: Standin,
    ps_run: Run,
}

fn twins(py: &std::path::Path, ps: &PowerShell, spec: &Spec, seed: &Value, env: &[(&str, String)]) -> Twins {
    twins_of(py, ps, &emit_ok(spec, Format::AzCli), &emit_ok(spec, Format::PowerShell), seed, env)
}

fn twins_of(
    py: &std::path::Path,
    ps: &PowerShell,
    bash_script: &str,
    ps_script: &str,
    seed: &Value,
    env: &[(&str, String)],
) -> Twins {
    let bash = Standin::new(py, seed);
    let bash_run = bash.run(bash_script, env);
    let pss = Standin::new(py, seed);
    let ps_run = pss.run_ps(ps, ps_script, env);
    Twins { bash, bash_run, ps: pss, ps_run }
}

impl Twins {
    /// Both reached `expected`, and the same state.
    fn reach(&self, name: &str, scenario: &str, expected: &Value) {
        assert!(self.bash_run.ok, "{name} ({scenario}, bash): {}", self.bash_run.stderr);
        assert_reaches(name, scenario, expected, &self.ps, &self.ps_run);
        assert_same_as_bash(name, scenario, &self.bash.summary(), &self.ps.summary());
    }
}

/// Runs `check` for every case and fails once at the end, naming every case
/// that failed: one defect must not hide the others behind it.
fn every<T>(cases: impl IntoIterator<Item = T>, check: impl Fn(T)) {
    let failed: Vec<String> = cases
        .into_iter()
        .filter_map(|case| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(case))).err().map(|e| {
                e.downcast_ref::<String>()
                    .cloned()
                    .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default()
            })
        })
        .collect();
    assert!(failed.is_empty(), "{} failed:\n\n{}", failed.len(), failed.join("\n\n"));
}

fn report(test: &str, ps: &PowerShell) {
    eprintln!("{test}: {} PowerShell runs", ps.runs.get());
}

#[test]
fn every_script_reaches_its_state_twice_and_as_bash_does() {
    let Some((py, ps)) = runners() else { return };
    every(create_examples(), |(name, spec)| {
        let expected = outcome::expected(&spec, CURRENT_SUBSCRIPTION);
        let t = twins(&py, &ps, &spec, &seed_for(&spec), &[]);
        t.reach(&name, "first run", &expected);
        let before = t.ps.summary();
        let calls = t.ps.calls().len();
        let again = t.ps.run_ps(&ps, &emit_ok(&spec, Format::PowerShell), &[]);
        assert_reaches(&name, "second run", &expected, &t.ps, &again);
        assert_eq!(t.ps.summary(), before, "{name}: a second PowerShell run changed the state");
        let creates: Vec<String> = t.ps.calls()[calls..]
            .iter()
            .map(|c| c.join(" "))
            .filter(|c| {
                ["New-AzKeyVault ", "New-AzContainerRegistry ", "Add-AzKeyVaultKey "].iter().any(|p| c.starts_with(p))
            })
            .collect();
        assert!(creates.is_empty(), "{name}: the second PowerShell run created again: {creates:#?}");
    });
    report("first and second runs", &ps);
}

#[test]
fn role_assignments_that_take_nine_minutes_are_waited_for() {
    let Some((py, ps)) = runners() else { return };
    every(create_examples().filter(|(_, s)| s.cmk().is_some()), |(name, spec)| {
        let t = twins(&py, &ps, &spec, &seed_for(&spec), &[("STANDIN_RBAC_DELAY", "540".into())]);
        t.reach(&name, "RBAC delay 540 s", &outcome::expected(&spec, CURRENT_SUBSCRIPTION));
    });
    report("RBAC delay", &ps);
}

/// The calls of a PowerShell run that change Azure (the stand-in's call log
/// names each cmdlet; a REST call changes something unless it is a GET).
fn mutating_calls(calls: &[Vec<String>]) -> Vec<usize> {
    const VERBS: [&str; 8] = [
        "New-",
        "Set-AzKeyVault",
        "Update-",
        "Remove-",
        "Add-",
        "Register-",
        "Invoke-AzKeyVault",
        "Set-AzKeyVaultKeyRotationPolicy",
    ];
    calls
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            let name = c[0].as_str();
            let rest_write = name == "Invoke-AzRestMethod"
                && c.windows(2).any(|w| w[0] == "-Method" && !w[1].eq_ignore_ascii_case("GET"));
            rest_write
                || (VERBS.iter().any(|v| name.starts_with(v))
                    && !name.starts_with("New-AzContainerRegistryIPRuleObject"))
        })
        .map(|(i, _)| i + 1)
        .collect()
}

#[test]
fn a_failure_of_any_call_that_changes_azure_is_survived_by_a_second_run() {
    let Some((py, ps)) = runners() else { return };
    let runs = std::cell::Cell::new(0);
    every(create_examples(), |(name, spec)| {
        let seed = seed_for(&spec);
        let script = emit_ok(&spec, Format::PowerShell);
        let expected = outcome::expected(&spec, CURRENT_SUBSCRIPTION);
        let probe = Standin::new(&py, &seed);
        assert!(probe.run_ps(&ps, &script, &[]).ok, "{name}: the PowerShell script failed");
        for n in mutating_calls(&probe.calls()) {
            let standin = Standin::new(&py, &seed);
            let run = standin.run_ps(&ps, &script, &[("STANDIN_FAIL_CALL", n.to_string())]);
            runs.set(runs.get() + 1);
            if run.ok {
                assert_reaches(&name, &format!("call {n} failed and was retried"), &expected, &standin, &run);
                continue;
            }
            never_locked_silently(&format!("{name}, PowerShell"), n, &spec, &standin, &run);
            let again = standin.run_ps(&ps, &script, &[]);
            assert_reaches(&name, &format!("second run after call {n} failed"), &expected, &standin, &again);
        }
    });
    eprintln!("PowerShell transient failures: {} runs", runs.get());
    report("transient failures", &ps);
}

fn service_principal(graph: bool) -> Value {
    json!({
        "type": "servicePrincipal",
        "appId": "11111111-aaaa-4bbb-8ccc-000000000001",
        "objectId": "22222222-aaaa-4bbb-8ccc-000000000002",
        "name": "11111111-aaaa-4bbb-8ccc-000000000001",
        "graph": graph,
    })
}

/// Signed in as a pipeline's service principal. A create script looks up its
/// own object ID (to let it create the key), in Microsoft Graph in both
/// languages, so this one may read Graph.
#[test]
fn a_service_principal_can_run_every_script() {
    let Some((py, ps)) = runners() else { return };
    every(create_examples(), |(name, spec)| {
        let mut seed = seed_for(&spec);
        seed["login"] = service_principal(true);
        let t = twins(&py, &ps, &spec, &seed, &[]);
        t.reach(&name, "service principal", &outcome::expected(&spec, CURRENT_SUBSCRIPTION));
    });
    report("service principal", &ps);
}

/// A day-2 change run by a service principal that may not read Microsoft
/// Graph: the identities it works with are read from Resource Manager (the
/// registry's own identity map), never from Graph.
#[test]
#[cfg(feature = "day2")]
fn a_service_principal_without_graph_rights_can_run_every_change() {
    let Some((py, ps)) = runners() else { return };
    every(support::all_examples().filter(|(_, s)| s.change().is_some()), |(example, spec)| {
        let mut seed = seed_for_change(&spec);
        seed["login"] = service_principal(false);
        let confirm = ("CONFIRM_REGISTRY", spec.registry.name.clone());
        let t = twins(&py, &ps, &spec, &seed, &[confirm]);
        t.reach(example.name, "service principal without Graph", &outcome::expected(&spec, CURRENT_SUBSCRIPTION));
    });
    report("service principal without Graph", &ps);
}

#[test]
fn a_subnet_keeps_the_service_endpoints_it_had() {
    let Some((py, ps)) = runners() else { return };
    let (name, spec) = create_examples().find(|(n, _)| n == "service-endpoint").unwrap();
    let mut seed = seed_for(&spec);
    for vnet in seed["vnets"].as_array_mut().unwrap() {
        for subnet in vnet["subnets"].as_array_mut().unwrap() {
            subnet["serviceEndpoints"].as_array_mut().unwrap().push(json!("Microsoft.Storage"));
        }
    }
    let mut expected = outcome::expected(&spec, CURRENT_SUBSCRIPTION);
    for subnet in expected["subnets"].as_object_mut().unwrap().values_mut() {
        subnet["serviceEndpoints"] = json!(["Microsoft.ContainerRegistry", "Microsoft.Storage"]);
    }
    twins(&py, &ps, &spec, &seed, &[]).reach(&name, "subnet with Microsoft.Storage", &expected);
}

#[test]
fn an_existing_vault_that_does_not_fit_stops_the_run_before_the_registry() {
    let Some((py, ps)) = runners() else { return };
    every(create_examples().filter(|(_, s)| s.cmk().is_some_and(|c| c.key_vault.create)), |(name, spec)| {
        for (case, seed, says) in seeds_with_a_vault_that_does_not_fit(&spec) {
            let standin = Standin::new(&py, &seed);
            let run = standin.run_ps(&ps, &emit_ok(&spec, Format::PowerShell), &[]);
            assert!(!run.ok, "{name} ({case}): the PowerShell script went on");
            assert!(run.stderr.contains(says), "{name} ({case}): no message naming it\n{}", run.stderr);
            assert!(
                standin.summary()["registries"].get(&spec.registry.name).is_none(),
                "{name} ({case}): the registry was created against a vault that does not fit"
            );
        }
    });
}

#[test]
fn gallery_scripts_stop_before_creating_when_a_set_is_in_another_region() {
    let Some((py, ps)) = runners() else { return };
    for (name, spec) in
        create_examples().filter(|(_, s)| s.kind == Kind::GalleryImageVersion && s.gallery.encryption.uses_des())
    {
        let mut seed = seed_for(&spec);
        seed["diskEncryptionSets"][0]["location"] = json!("brazilsouth");
        let standin = Standin::new(&py, &seed);
        let run = standin.run_ps(&ps, &emit_ok(&spec, Format::PowerShell), &[]);
        assert!(!run.ok, "{name}: the PowerShell script went on");
        assert!(run.stderr.contains("is not in") || run.stderr.contains("is in"), "{name}: {}", run.stderr);
        assert!(
            standin.calls().iter().all(|c| c[0] != "New-AzGalleryImageVersion"),
            "{name}: the version was created anyway"
        );
    }
}

/// pre-deploy.ps1 makes what the template needs, as pre-deploy.sh does.
#[test]
fn pre_deploy_scripts_prepare_what_the_template_needs() {
    let Some((py, ps)) = runners() else { return };
    every(create_examples(), |(name, spec)| {
        let script = emit_ok(&spec, Format::ArmPreDeployPs);
        if script.is_empty() {
            return;
        }
        let t = twins_of(&py, &ps, &emit_ok(&spec, Format::ArmPreDeploy), &script, &seed_for(&spec), &[]);
        assert!(t.ps_run.ok, "{name}: pre-deploy.ps1 failed\n{}", t.ps_run.stderr);
        assert_same_as_bash(&name, "pre-deploy", &t.bash.summary(), &t.ps.summary());
        assert!(t.ps.run_ps(&ps, &script, &[]).ok, "{name}: second run of pre-deploy.ps1");
    });
}

/// post-deploy.ps1 from what the template left, with a slow RBAC, and again.
#[test]
fn post_deploy_scripts_finish_from_the_deployed_state() {
    let Some((py, ps)) = runners() else { return };
    every(create_examples(), |(name, spec)| {
        let script = emit_ok(&spec, Format::ArmPostDeployPs);
        if script.is_empty() {
            return;
        }
        let deployed_script = deployed_by_template(&spec);
        let bash = Standin::new(&py, &seed_for(&spec));
        assert!(bash.run(&deployed_script, &[]).ok, "{name}: the deployed state could not be made");
        let pss = Standin::new(&py, &seed_for(&spec));
        assert!(pss.run(&deployed_script, &[]).ok, "{name}: the deployed state could not be made");
        let slow = [("STANDIN_RBAC_DELAY", "300".to_string())];
        assert!(bash.run(&emit_ok(&spec, Format::ArmPostDeploy), &slow).ok, "{name}: post-deploy.sh");
        let run = pss.run_ps(&ps, &script, &slow);
        let expected = outcome::expected(&spec, CURRENT_SUBSCRIPTION);
        assert_reaches(&name, "post-deploy.ps1 after the template", &expected, &pss, &run);
        assert_same_as_bash(&name, "post-deploy", &bash.summary(), &pss.summary());
        let again = pss.run_ps(&ps, &script, &[]);
        assert_reaches(&name, "post-deploy.ps1 run again", &expected, &pss, &again);
    });
}

/// Every day-2 example in both languages: confirmed, then again; with a
/// 9-minute RBAC delay; and a destructive one unconfirmed changes nothing.
#[test]
#[cfg(feature = "day2")]
fn day2_changes_land_and_land_again_as_in_bash() {
    use registry_wizard::spec::Operation;
    let Some((py, ps)) = runners() else { return };
    every(support::all_examples().filter(|(_, s)| s.change().is_some()), |(example, spec)| {
        let name = example.name;
        let script = emit_ok(&spec, Format::PowerShell);
        let confirm = ("CONFIRM_REGISTRY", spec.registry.name.clone());
        let expected = outcome::expected(&spec, CURRENT_SUBSCRIPTION);
        let t = twins(&py, &ps, &spec, &seed_for_change(&spec), &[confirm.clone()]);
        t.reach(name, "day 2", &expected);
        let before = t.ps.summary();
        let again = t.ps.run_ps(&ps, &script, &[confirm.clone()]);
        assert_reaches(name, "day 2, second run", &expected, &t.ps, &again);
        if spec.change.operation != Operation::RotateKey {
            assert_eq!(t.ps.summary(), before, "{name}: a second PowerShell run changed the state");
        }

        let slow =
            twins(&py, &ps, &spec, &seed_for_change(&spec), &[confirm.clone(), ("STANDIN_RBAC_DELAY", "540".into())]);
        slow.reach(name, "day 2, RBAC delay 540 s", &expected);

        if spec.change.operation.is_destructive(spec.registry.networking.allow_trusted_services) {
            let untouched = Standin::new(&py, &seed_for_change(&spec));
            let before = untouched.summary();
            let run = untouched.run_ps(&ps, &script, &[]);
            assert!(!run.ok && run.stderr.contains("Not confirmed"), "{name}: {}", run.stderr);
            assert_eq!(untouched.summary(), before, "{name}: changed without a confirmation");
        }
    });
    report("day 2", &ps);
}

/// Each call of a day-2 change that changes Azure fails once: the script
/// stops (or retries), and a second run lands the change.
#[test]
#[cfg(feature = "day2")]
fn a_failed_call_of_a_change_is_survived_by_a_second_run() {
    let Some((py, ps)) = runners() else { return };
    let runs = std::cell::Cell::new(0);
    every(support::all_examples().filter(|(_, s)| s.change().is_some()), |(example, spec)| {
        let name = example.name;
        let seed = seed_for_change(&spec);
        let script = emit_ok(&spec, Format::PowerShell);
        let confirm = ("CONFIRM_REGISTRY", spec.registry.name.clone());
        let expected = outcome::expected(&spec, CURRENT_SUBSCRIPTION);
        let probe = Standin::new(&py, &seed);
        assert!(probe.run_ps(&ps, &script, &[confirm.clone()]).ok, "{name}: the PowerShell script failed");
        for n in mutating_calls(&probe.calls()) {
            let standin = Standin::new(&py, &seed);
            let run = standin.run_ps(&ps, &script, &[confirm.clone(), ("STANDIN_FAIL_CALL", n.to_string())]);
            runs.set(runs.get() + 1);
            let again = if run.ok { run } else { standin.run_ps(&ps, &script, &[confirm.clone()]) };
            assert_reaches(name, &format!("call {n} failed once"), &expected, &standin, &again);
        }
    });
    eprintln!("PowerShell day-2 transient failures: {} runs", runs.get());
}

/// A new region whose disk encryption set cannot reach its key: every check
/// before the change passes, Resource Manager accepts it, and only the
/// replication fails. Both languages must wait for it and say so, not end
/// as if the image were in the region.
#[test]
#[cfg(feature = "day2")]
fn a_replication_that_fails_after_it_was_accepted_is_reported() {
    let Some((py, ps)) = runners() else { return };
    every(
        support::all_examples()
            .filter(|(_, s)| s.change.operation.on_gallery() && !s.gallery.target_regions.is_empty()),
        |(example, spec)| {
            let name = example.name;
            let mut seed = seed_for_change(&spec);
            let new_set = &spec.gallery.target_regions[0].os_disk_encryption_set_id;
            for set in seed["diskEncryptionSets"].as_array_mut().unwrap() {
                if set["id"] == json!(new_set) {
                    set["keyAccess"] = json!(false);
                }
            }
            let t = twins(&py, &ps, &spec, &seed, &[]);
            assert!(!t.bash_run.ok, "{name} (bash): ended as if the region were replicated");
            assert!(!t.ps_run.ok, "{name} (PowerShell): ended as if the region were replicated\n{}", t.ps_run.stdout);
            assert!(
                t.ps_run.stderr.contains("does not have access"),
                "{name} (PowerShell): the replication's error is not shown\n{}",
                t.ps_run.stderr
            );
        },
    );
}

/// `-WhatIf`: every day-2 PowerShell script shows what it would change and
/// stops before its first change (no mutating cmdlet in the call log).
#[test]
#[cfg(feature = "day2")]
fn day2_what_if_runs_change_nothing_and_print_the_preview() {
    use registry_wizard::spec::Operation;
    let Some((py, ps)) = runners() else { return };
    every(
        support::all_examples().filter(|(_, s)| {
            s.change().is_some() && !matches!(s.change.operation, Operation::ShowStatus | Operation::GalleryShowStatus)
        }),
        |(example, spec)| {
            let standin = Standin::new(&py, &seed_for_change(&spec));
            let before = standin.summary();
            let run = standin.run_ps_with(&ps, &emit_ok(&spec, Format::PowerShell), &["-WhatIf"], &[]);
            assert!(run.ok, "{}: -WhatIf failed\n{}", example.name, run.stderr);
            assert!(run.stdout.contains("What-if: nothing was changed."), "{}: {}", example.name, run.stdout);
            assert!(run.stdout.contains(": now "), "{}: {}", example.name, run.stdout);
            let writes = mutating_calls(&standin.calls());
            assert!(writes.is_empty(), "{}: -WhatIf changed Azure: {:?}", example.name, standin.calls());
            assert_eq!(standin.summary(), before, "{}: -WhatIf changed the state", example.name);
        },
    );
}

/// The key operations under real conditions, in both languages: a
/// key-scoped grant is revoked too (and a second run finds nothing to
/// remove); an inherited grant stops the revoke before any change, naming
/// it; a restore with a slow RBAC propagation proves itself; a restore behind
/// a vault firewall the identity cannot pass stops at once; disableKey
/// disables the version the registry uses, and restore enables it again.
#[test]
#[cfg(feature = "day2")]
fn day2_key_access_under_real_conditions_as_in_bash() {
    let Some((py, ps)) = runners() else { return };
    let confirm = ("CONFIRM_REGISTRY", "contosocmkregistry".to_string());
    let example = |name: &str| support::all_examples().find(|(e, _)| e.name == name).unwrap().1;
    let revoke = example("revoke-key-access");
    let restore = example("restore-key-access");
    let vault_id = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-registry-cmk/providers/Microsoft.KeyVault/vaults/kv-registry-cmk-01";
    let grant =
        |role: &str, scope: &str| json!({ "principal": "identity:id-registry-cmk", "role": role, "scope": scope });
    let expected = |spec: &Spec| outcome::expected(spec, CURRENT_SUBSCRIPTION);

    let mut seed = seed_for_change(&revoke);
    seed["roleAssignments"]
        .as_array_mut()
        .unwrap()
        .push(grant("Key Vault Crypto User", &format!("{vault_id}/keys/registry-cmk")));
    let t = twins(&py, &ps, &revoke, &seed, &[confirm.clone()]);
    t.reach("revoke-key-access", "key-scoped grant", &expected(&revoke));
    assert!(
        t.ps_run.stdout.contains("To give the access back") && t.ps_run.stdout.contains("10 minutes"),
        "{}",
        t.ps_run.stdout
    );
    let again = t.ps.run_ps(&ps, &emit_ok(&revoke, Format::PowerShell), &[confirm.clone()]);
    assert_reaches("revoke-key-access", "key-scoped grant, second run", &expected(&revoke), &t.ps, &again);
    assert!(again.stdout.contains("nothing to remove"), "{}", again.stdout);

    let mut seed = seed_for_change(&revoke);
    let group_scope = vault_id.split("/providers/").next().unwrap().to_string();
    seed["roleAssignments"].as_array_mut().unwrap().push(grant("Key Vault Crypto User", &group_scope));
    let standin = Standin::new(&py, &seed);
    let before = standin.summary();
    let run = standin.run_ps(&ps, &emit_ok(&revoke, Format::PowerShell), &[confirm.clone()]);
    assert!(
        !run.ok && run.stderr.contains("outside key vault") && run.stderr.contains("Key Vault Crypto User"),
        "{}",
        run.stderr
    );
    assert_eq!(standin.summary(), before, "PowerShell revoke with an inherited grant changed something");

    let slow = twins(&py, &ps, &restore, &seed_for_change(&restore), &[("STANDIN_RBAC_DELAY", "540".into())]);
    slow.reach("restore-key-access", "RBAC delay 540 s", &expected(&restore));

    let mut seed = seed_for_change(&restore);
    seed["vaults"][0]["defaultAction"] = json!("Deny");
    let standin = Standin::new(&py, &seed);
    let before = standin.summary();
    let run = standin.run_ps(&ps, &emit_ok(&restore, Format::PowerShell), &[]);
    assert!(!run.ok && run.stderr.contains("firewall refuses"), "{}", run.stderr);
    assert_eq!(standin.summary(), before, "PowerShell restore behind a firewall changed something");
    assert_eq!(standin.state_sleeps(), 0, "PowerShell restore behind a firewall waited for role propagation");

    let mut disable = revoke.clone();
    disable.change.revoke = registry_wizard::spec::RevokeMethod::DisableKey;
    let mut seed = seed_for_change(&disable);
    let version = seed["vaults"][0]["keys"][0]["versions"].as_array().unwrap()[0].clone();
    seed["vaults"][0]["keys"][0]["versions"] = json!([version, "f".repeat(32)]);
    seed["vaults"][0]["keys"][0]["disabledVersions"] = json!(["f".repeat(32)]);
    let t = twins(&py, &ps, &disable, &seed, &[confirm.clone()]);
    t.reach("revoke (disableKey)", "pinned to an older version", &expected(&disable));
    let mut enable = disable.clone();
    enable.change.operation = registry_wizard::spec::Operation::RestoreKeyAccess;
    let run = t.ps.run_ps(&ps, &emit_ok(&enable, Format::PowerShell), &[confirm]);
    assert_reaches("restore (disableKey)", "pinned to an older version", &expected(&enable), &t.ps, &run);
}
