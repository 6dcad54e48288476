//! Every example's bash script, *run* against the Azure stand-in
//! (`tests/support/azure_standin`): from a subscription that holds only what
//! the spec takes as given, the script must leave the state that
//! `registry_wizard::outcome` derives from the spec (a second opinion,
//! written without the plan), and keep doing so when Azure misbehaves:
//!
//! - a second run after success changes nothing and fails nowhere;
//! - role assignments that reach Key Vault only after nine minutes;
//! - one transient failure of any single call, then a second run;
//! - signed in as a service principal;
//! - a subnet that already has another service endpoint keeps it;
//! - an existing vault in the other permission model, or without purge
//!   protection, stops the run with a message that names it, before the
//!   registry exists.
//!
//! `RW_STANDIN_EVERY_CALL=0` samples every third call for the transient
//! failures instead of all of them (a faster local loop).

mod support;

use registry_wizard::emit::Format;
use registry_wizard::outcome;
use registry_wizard::spec::{Kind, Spec};
use serde_json::{json, Value};
use support::emit_ok;
#[cfg(feature = "day2")]
use support::standin::seed_for_change;
use support::standin::{
    deployed_by_template, never_locked_silently, python, seed_for, seeds_with_a_vault_that_does_not_fit, Run, Standin,
    CURRENT_SUBSCRIPTION,
};

/// The examples that create: day-2 changes start from resources the
/// stand-in is seeded with (`day2_*` below).
fn all_examples() -> impl Iterator<Item = (&'static registry_wizard::examples::Example, Spec)> {
    support::all_examples().filter(|(_, spec)| !spec.is_change())
}

/// Runs the example's script on a fresh stand-in; returns it and the run.
fn fresh(python: &std::path::Path, spec: &Spec, seed: &Value, env: &[(&str, String)]) -> (Standin, Run) {
    let standin = Standin::new(python, seed);
    let run = standin.run(&emit_ok(spec, Format::AzCli), env);
    (standin, run)
}

fn assert_reaches(name: &str, scenario: &str, spec: &Spec, standin: &Standin, run: &Run) {
    assert_reaches_state(name, scenario, &outcome::expected(spec, CURRENT_SUBSCRIPTION), standin, run);
}

fn assert_reaches_state(name: &str, scenario: &str, expected: &Value, standin: &Standin, run: &Run) {
    assert!(run.ok, "{name} ({scenario}): the script failed\n{}", run.stderr);
    let actual = standin.summary();
    let diff = outcome::differences(expected, &actual);
    assert!(
        diff.is_empty(),
        "{name} ({scenario}): the state differs from the spec's:\n{}\nstate: {actual:#}",
        diff.join("\n")
    );
}

/// The specs no example is (resources created in other groups, access
/// policies in another cloud, subnet rules with a key behind a vault
/// firewall) run as the examples do: to their state, twice.
#[test]
fn variants_reach_their_state_and_again_on_a_second_run() {
    let Some(python) = python() else { return };
    for (name, spec) in support::variant_specs() {
        let (standin, run) = fresh(&python, &spec, &seed_for(&spec), &[]);
        assert_reaches(&name, "first run", &spec, &standin, &run);
        let before = standin.summary();
        let again = standin.run(&emit_ok(&spec, Format::AzCli), &[]);
        assert_reaches(&name, "second run", &spec, &standin, &again);
        assert_eq!(standin.summary(), before, "{name}: a second run changed the state");
    }
}

#[test]
fn every_example_reaches_its_state_and_again_on_a_second_run() {
    let Some(python) = python() else { return };
    for (example, spec) in all_examples() {
        let (standin, run) = fresh(&python, &spec, &seed_for(&spec), &[]);
        assert_reaches(example.name, "first run", &spec, &standin, &run);
        let calls = standin.calls().len();
        let before = standin.summary();
        let again = standin.run(&emit_ok(&spec, Format::AzCli), &[]);
        assert_reaches(example.name, "second run", &spec, &standin, &again);
        assert_eq!(standin.summary(), before, "{}: a second run changed the state", example.name);
        // A second run reads more than it writes: no create call runs twice.
        let creates: Vec<String> = standin.calls()[calls..]
            .iter()
            .map(|c| c.join(" "))
            .filter(|c| {
                c.starts_with("keyvault create") || c.starts_with("acr create") || c.starts_with("keyvault key create")
            })
            .collect();
        assert!(creates.is_empty(), "{}: the second run created again: {creates:#?}", example.name);
    }
}

#[test]
fn role_assignments_that_take_nine_minutes_are_waited_for() {
    let Some(python) = python() else { return };
    for (example, spec) in all_examples().filter(|(_, s)| s.cmk().is_some()) {
        let (standin, run) = fresh(&python, &spec, &seed_for(&spec), &[("STANDIN_RBAC_DELAY", "540".into())]);
        assert_reaches(example.name, "RBAC delay 540 s", &spec, &standin, &run);
    }
}

#[test]
fn a_transient_failure_of_any_call_is_survived_by_a_second_run() {
    let Some(python) = python() else { return };
    let step = if std::env::var("RW_STANDIN_EVERY_CALL").as_deref() == Ok("0") { 3 } else { 1 };
    let mut runs = 0;
    for (example, spec) in all_examples() {
        let seed = seed_for(&spec);
        let total = fresh(&python, &spec, &seed, &[]).0.calls().len();
        for n in (1..=total).step_by(step) {
            let (standin, run) = fresh(&python, &spec, &seed, &[("STANDIN_FAIL_CALL", n.to_string())]);
            runs += 1;
            if !run.ok {
                assert!(
                    run.stderr.contains("Stopped in step"),
                    "{} (call {n} fails): the script stopped without saying where\n{}",
                    example.name,
                    run.stderr
                );
                never_locked_silently(example.name, n, &spec, &standin, &run);
                let again = standin.run(&emit_ok(&spec, Format::AzCli), &[]);
                assert_reaches(example.name, &format!("second run after call {n} failed"), &spec, &standin, &again);
            } else {
                assert_reaches(example.name, &format!("call {n} failed and was retried"), &spec, &standin, &run);
            }
        }
    }
    eprintln!("transient failures: {runs} runs");
}

#[test]
fn a_service_principal_can_run_every_script() {
    let Some(python) = python() else { return };
    for (example, spec) in all_examples() {
        let mut seed = seed_for(&spec);
        seed["login"] = json!({
            "type": "servicePrincipal",
            "appId": "11111111-aaaa-4bbb-8ccc-000000000001",
            "objectId": "22222222-aaaa-4bbb-8ccc-000000000002",
            "name": "11111111-aaaa-4bbb-8ccc-000000000001",
        });
        let (standin, run) = fresh(&python, &spec, &seed, &[]);
        assert_reaches(example.name, "service principal", &spec, &standin, &run);
    }
}

#[test]
fn a_subnet_keeps_the_service_endpoints_it_had() {
    let Some(python) = python() else { return };
    let (example, spec) = all_examples().find(|(e, _)| e.name == "service-endpoint").unwrap();
    let mut seed = seed_for(&spec);
    for vnet in seed["vnets"].as_array_mut().unwrap() {
        for subnet in vnet["subnets"].as_array_mut().unwrap() {
            let endpoints = subnet["serviceEndpoints"].as_array_mut().unwrap();
            endpoints.push(json!("Microsoft.Storage"));
        }
    }
    let (standin, run) = fresh(&python, &spec, &seed, &[]);
    // Every subnet the script adds the endpoint to keeps the one it had.
    let mut expected = outcome::expected(&spec, CURRENT_SUBSCRIPTION);
    for subnet in expected["subnets"].as_object_mut().unwrap().values_mut() {
        subnet["serviceEndpoints"] = json!(["Microsoft.ContainerRegistry", "Microsoft.Storage"]);
    }
    assert_reaches_state(example.name, "subnet with Microsoft.Storage", &expected, &standin, &run);
}

#[test]
fn an_existing_vault_that_does_not_fit_stops_the_run_before_the_registry() {
    let Some(python) = python() else { return };
    for (example, spec) in all_examples().filter(|(_, s)| s.cmk().is_some_and(|c| c.key_vault.create)) {
        for (case, seed, says) in seeds_with_a_vault_that_does_not_fit(&spec) {
            let (standin, run) = fresh(&python, &spec, &seed, &[]);
            assert!(!run.ok, "{} ({case}): the script went on", example.name);
            assert!(run.stderr.contains(says), "{} ({case}): no message naming it\n{}", example.name, run.stderr);
            let summary = standin.summary();
            assert!(
                summary["registries"].get(&spec.registry.name).is_none(),
                "{} ({case}): the registry was created against a vault that does not fit",
                example.name
            );
        }
    }
}

#[test]
fn gallery_scripts_stop_before_creating_when_a_set_is_in_another_region() {
    let Some(python) = python() else { return };
    for (example, spec) in
        all_examples().filter(|(_, s)| s.kind == Kind::GalleryImageVersion && s.gallery.encryption.uses_des())
    {
        let mut seed = seed_for(&spec);
        // The first set moves to a region none of the targets is in.
        seed["diskEncryptionSets"][0]["location"] = json!("brazilsouth");
        let (standin, run) = fresh(&python, &spec, &seed, &[]);
        assert!(!run.ok, "{}: the script went on", example.name);
        assert!(run.stderr.contains("is not in"), "{}: {}", example.name, run.stderr);
        assert!(
            standin.calls().iter().all(|c| !c.join(" ").starts_with("sig image-version create")),
            "{}: the version was created anyway",
            example.name
        );
    }
}

/// A failed subnet lookup stops the script before the update that would
/// rewrite the subnet's endpoints as Microsoft.ContainerRegistry alone (the
/// old script read it in a process substitution, which `set -e` ignores).
#[test]
fn a_failed_subnet_lookup_stops_before_the_subnet_is_rewritten() {
    let Some(python) = python() else { return };
    let (example, spec) = all_examples().find(|(e, _)| e.name == "service-endpoint").unwrap();
    let (standin, run) =
        fresh(&python, &spec, &seed_for(&spec), &[("STANDIN_FAIL_MATCH", "network vnet subnet show".into())]);
    assert!(!run.ok, "{}: went on after the lookup failed", example.name);
    assert!(run.stderr.contains("Stopped in step"), "{}", run.stderr);
    let updates = standin.calls().iter().filter(|c| c.join(" ").starts_with("network vnet subnet update")).count();
    assert_eq!(updates, 0, "{}: the subnet was rewritten without knowing its endpoints", example.name);
}

/// The ARM flows: pre-deploy.sh makes what the template needs (the resource
/// group it deploys into, the subnet's endpoint, the provider where the
/// subnet lives) from an empty subscription.
#[test]
fn pre_deploy_scripts_prepare_what_the_template_needs() {
    let Some(python) = python() else { return };
    for (example, spec) in all_examples() {
        let script = emit_ok(&spec, Format::ArmPreDeploy);
        if script.is_empty() {
            continue;
        }
        let standin = Standin::new(&python, &seed_for(&spec));
        let run = standin.run(&script, &[]);
        assert!(run.ok, "{}: pre-deploy.sh failed\n{}", example.name, run.stderr);
        let expected = outcome::expected(&spec, CURRENT_SUBSCRIPTION);
        let mut wanted = serde_json::Map::new();
        for key in ["resourceGroups", "subnets", "providers"] {
            if let Some(v) = expected.get(key) {
                wanted.insert(key.into(), v.clone());
            }
        }
        let diff = outcome::differences(&Value::Object(wanted), &standin.summary());
        assert!(diff.is_empty(), "{}: after pre-deploy.sh:\n{}", example.name, diff.join("\n"));
        // And again: a second run changes nothing and fails nowhere.
        assert!(standin.run(&script, &[]).ok, "{}: second run of pre-deploy.sh", example.name);
    }
}

/// post-deploy.sh starts from what the template left: a registry encrypted
/// with the user-assigned identity and an open vault (made here by the
/// script of the same spec without the post-deployment choices), and ends in
/// the spec's state; after a redeploy undid it, a second run restores it.
#[test]
fn post_deploy_scripts_finish_from_the_deployed_state() {
    let Some(python) = python() else { return };
    for (example, spec) in all_examples() {
        let script = emit_ok(&spec, Format::ArmPostDeploy);
        if script.is_empty() {
            continue;
        }
        let standin = Standin::new(&python, &seed_for(&spec));
        let run = standin.run(&deployed_by_template(&spec), &[]);
        assert!(run.ok, "{}: the deployed state could not be made\n{}", example.name, run.stderr);
        let run = standin.run(&script, &[("STANDIN_RBAC_DELAY", "300".into())]);
        assert_reaches(example.name, "post-deploy.sh after the template", &spec, &standin, &run);
        let again = standin.run(&script, &[]);
        assert_reaches(example.name, "post-deploy.sh run again", &spec, &standin, &again);
    }
}

/// Every day-2 example, run against a stand-in seeded with the registry its
/// spec describes: the change lands (and again on a second run, which
/// changes nothing more), survives a 9-minute RBAC delay, and a destructive
/// one changes nothing when it is not confirmed.
#[test]
#[cfg(feature = "day2")]
fn day2_changes_land_and_land_again() {
    let Some(python) = python() else { return };
    for (example, spec) in support::all_examples().filter(|(_, s)| s.change().is_some()) {
        let script = emit_ok(&spec, Format::AzCli);
        let name = &spec.registry.name;
        let confirm = [("CONFIRM_REGISTRY", name.clone())];
        let standin = Standin::new(&python, &seed_for_change(&spec));
        let run = standin.run(&script, &confirm);
        assert_reaches(example.name, "day 2", &spec, &standin, &run);
        let before = standin.summary();
        if spec.change.operation == registry_wizard::spec::Operation::RotateKey && spec.change.key_id.is_empty() {
            let vault = &spec.registry.encryption.key_vault.name;
            let versions = before["vaults"][vault]["keys"]
                .as_object()
                .map(|k| k.values().map(|k| k["versions"].clone()).collect::<Vec<_>>());
            assert_eq!(versions, Some(vec![json!(2)]), "{}: one new key version", example.name);
        }
        let again = standin.run(&script, &confirm);
        assert_reaches(example.name, "day 2, second run", &spec, &standin, &again);
        // Only a new key version may differ: a rotation makes one per run.
        if spec.change.operation != registry_wizard::spec::Operation::RotateKey {
            assert_eq!(standin.summary(), before, "{}: a second run changed the state", example.name);
        }

        let slow = Standin::new(&python, &seed_for_change(&spec));
        let run = slow.run(&script, &[("CONFIRM_REGISTRY", name.clone()), ("STANDIN_RBAC_DELAY", "540".into())]);
        assert_reaches(example.name, "day 2, RBAC delay 540 s", &spec, &slow, &run);

        if spec.change.operation.is_destructive(spec.registry.networking.allow_trusted_services) {
            let untouched = Standin::new(&python, &seed_for_change(&spec));
            let before = untouched.summary();
            let run = untouched.run(&script, &[]);
            assert!(!run.ok && run.stderr.contains("Not confirmed"), "{}: {}", example.name, run.stderr);
            assert_eq!(untouched.summary(), before, "{}: changed without a confirmation", example.name);
        }
    }
}

/// Whether an az call (its words) changes Azure: everything but reads and
/// the subscription's selection.
#[cfg(feature = "day2")]
fn az_mutates(call: &[String]) -> bool {
    let words: Vec<&str> = call.iter().map(String::as_str).take_while(|w| !w.starts_with('-')).collect();
    !matches!(words.last(), Some(&"show") | Some(&"list") | Some(&"exists")) && words[..] != ["account", "set"]
}

/// `--what-if`: every day-2 script shows what it would change and stops
/// before its first change (the stand-in's call log has no mutating call).
#[test]
#[cfg(feature = "day2")]
fn day2_what_if_runs_change_nothing_and_print_the_preview() {
    let Some(python) = python() else { return };
    for (example, spec) in support::all_examples().filter(|(_, s)| s.change().is_some()) {
        if spec.change.operation == registry_wizard::spec::Operation::ShowStatus
            || spec.change.operation == registry_wizard::spec::Operation::GalleryShowStatus
        {
            continue;
        }
        let standin = Standin::new(&python, &seed_for_change(&spec));
        let before = standin.summary();
        let run = standin.run_with(&emit_ok(&spec, Format::AzCli), &["--what-if"], &[]);
        assert!(run.ok, "{}: --what-if failed\n{}", example.name, run.stderr);
        assert!(run.stdout.contains("What-if: nothing was changed."), "{}: {}", example.name, run.stdout);
        assert!(run.stdout.contains(": now ") && run.stdout.contains("; after "), "{}: {}", example.name, run.stdout);
        let writes: Vec<String> = standin.calls().iter().filter(|c| az_mutates(c)).map(|c| c.join(" ")).collect();
        assert!(writes.is_empty(), "{}: --what-if changed Azure: {writes:#?}", example.name);
        assert_eq!(standin.summary(), before, "{}: --what-if changed the state", example.name);
    }
}

/// The revoke's and restore's scenarios of issue 22, each reaching the
/// spec's state or stopping before any change with a message naming why.
#[test]
#[cfg(feature = "day2")]
fn day2_key_access_under_real_conditions() {
    let Some(python) = python() else { return };
    let confirm = [("CONFIRM_REGISTRY", "contosocmkregistry".to_string())];
    let example = |name: &str| support::all_examples().find(|(e, _)| e.name == name).unwrap().1;
    let revoke = example("revoke-key-access");
    let restore = example("restore-key-access");
    let vault_id = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-registry-cmk/providers/Microsoft.KeyVault/vaults/kv-registry-cmk-01";
    let grant = |role: &str, scope: &str| {
        json!({ "principal": "identity:id-registry-cmk", "role": role, "scope": scope })
    };

    // A key-scoped Crypto User grant is removed too: the registry no longer reaches its key.
    let mut seed = seed_for_change(&revoke);
    seed["roleAssignments"].as_array_mut().unwrap().push(grant("Key Vault Crypto User", &format!("{vault_id}/keys/registry-cmk")));
    let standin = Standin::new(&python, &seed);
    let run = standin.run(&emit_ok(&revoke, Format::AzCli), &confirm);
    assert_reaches("revoke-key-access", "key-scoped grant", &revoke, &standin, &run);
    assert!(run.stdout.contains("To give the access back") && run.stdout.contains("10 minutes"), "{}", run.stdout);
    // Run again after success: already gone is done.
    let again = standin.run(&emit_ok(&revoke, Format::AzCli), &confirm);
    assert_reaches("revoke-key-access", "key-scoped grant, second run", &revoke, &standin, &again);
    assert!(again.stdout.contains("nothing to remove"), "{}", again.stdout);

    // An inherited grant (the resource group) stops the revoke before any change, naming it.
    let mut seed = seed_for_change(&revoke);
    let group_scope = vault_id.split("/providers/").next().unwrap().to_string();
    seed["roleAssignments"].as_array_mut().unwrap().push(grant("Key Vault Crypto User", &group_scope));
    let standin = Standin::new(&python, &seed);
    let before = standin.summary();
    let run = standin.run(&emit_ok(&revoke, Format::AzCli), &confirm);
    assert!(!run.ok && run.stderr.contains("outside key vault") && run.stderr.contains("Key Vault Crypto User"), "{}", run.stderr);
    assert_eq!(standin.summary(), before, "revoke with an inherited grant changed something");

    // A restore with a slow RBAC propagation proves itself at the end.
    let slow = Standin::new(&python, &seed_for_change(&restore));
    let run = slow.run(&emit_ok(&restore, Format::AzCli), &[("STANDIN_RBAC_DELAY", "540".into())]);
    assert_reaches("restore-key-access", "RBAC delay 540 s", &restore, &slow, &run);
    assert!(slow.calls().iter().any(|c| c.join(" ").starts_with("acr encryption rotate-key")), "no proof");

    // A vault firewall the user-assigned identity cannot pass: stop before the grant, naming it, at once.
    let mut seed = seed_for_change(&restore);
    seed["vaults"][0]["defaultAction"] = json!("Deny");
    let standin = Standin::new(&python, &seed);
    let before = standin.summary();
    let run = standin.run(&emit_ok(&restore, Format::AzCli), &[]);
    assert!(!run.ok && run.stderr.contains("firewall refuses"), "{}", run.stderr);
    assert_eq!(standin.summary(), before, "restore behind a firewall changed something");
    assert!(standin.state_sleeps() == 0, "restore behind a firewall waited for role propagation");
}

/// disableKey: the version the registry uses is disabled, not the newest.
#[test]
#[cfg(feature = "day2")]
fn day2_disable_key_disables_the_version_the_registry_uses() {
    let Some(python) = python() else { return };
    let mut spec = support::all_examples().find(|(e, _)| e.name == "revoke-key-access").unwrap().1;
    spec.change.revoke = registry_wizard::spec::RevokeMethod::DisableKey;
    let mut seed = seed_for_change(&spec);
    // A newer version exists (and is disabled); the registry is pinned to the older one.
    let versions = seed["vaults"][0]["keys"][0]["versions"].as_array().unwrap()[0].clone();
    seed["vaults"][0]["keys"][0]["versions"] = json!([versions, "f".repeat(32)]);
    seed["vaults"][0]["keys"][0]["disabledVersions"] = json!(["f".repeat(32)]);
    let standin = Standin::new(&python, &seed);
    let confirm = [("CONFIRM_REGISTRY", spec.registry.name.clone())];
    let run = standin.run(&emit_ok(&spec, Format::AzCli), &confirm);
    assert_reaches("revoke (disableKey)", "pinned to an older version", &spec, &standin, &run);
    let mut restore = spec.clone();
    restore.change.operation = registry_wizard::spec::Operation::RestoreKeyAccess;
    let run = standin.run(&emit_ok(&restore, Format::AzCli), &confirm);
    assert_reaches("restore (disableKey)", "pinned to an older version", &restore, &standin, &run);
}
