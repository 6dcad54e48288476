//! The bash and PowerShell scripts take the same decisions: what the plan
//! says, rendered twice. Each test here names a place where the two once
//! decided differently (issue 21) and holds both to the plan's value.

mod support;

use registry_wizard::emit::Format;
use registry_wizard::plan::{self, Action};
use registry_wizard::spec::PublicAccess;
use support::{all_examples, emit_ok};

const PS: [Format; 3] = [Format::PowerShell, Format::ArmPreDeployPs, Format::ArmPostDeployPs];

/// Each script in PowerShell with its bash twin.
fn twins() -> impl Iterator<Item = (String, String, String)> {
    all_examples().flat_map(|(example, spec)| {
        [(Format::AzCli, Format::PowerShell), (Format::ArmPreDeploy, Format::ArmPreDeployPs)]
            .into_iter()
            .chain([(Format::ArmPostDeploy, Format::ArmPostDeployPs)])
            .map(move |(sh, ps)| {
                (format!("{} {}", example.name, ps.file_name()), emit_ok(&spec, sh), emit_ok(&spec, ps))
            })
            .collect::<Vec<_>>()
    })
}

fn powershell_scripts() -> impl Iterator<Item = (String, String)> {
    all_examples().flat_map(|(example, spec)| {
        PS.iter().map(move |f| (format!("{} {}", example.name, f.file_name()), emit_ok(&spec, *f))).collect::<Vec<_>>()
    })
}

/// The text of step `n` (its `# n. Title` comment to the next step's).
fn step(script: &str, n: usize) -> &str {
    let start = script.find(&format!("\n# {n}. ")).unwrap_or_else(|| panic!("no step {n}"));
    let rest = &script[start + 1..];
    let end = rest.find(&format!("\n# {}. ", n + 1)).unwrap_or(rest.len());
    &rest[..end]
}

/// The text of the step whose title is `title`.
fn titled<'a>(script: &'a str, title: &str) -> &'a str {
    let n =
        (1..100).find(|n| script.contains(&format!("\n# {n}. {title}"))).unwrap_or_else(|| panic!("no step '{title}'"));
    step(script, n)
}

fn example(name: &str) -> registry_wizard::spec::Spec {
    all_examples().find(|(e, _)| e.name == name).unwrap().1
}

/// restore-default-network-access: "Allow all networks again" sent Deny in
/// PowerShell. Every network access step sends the plan's default action, in
/// both languages.
#[test]
fn network_access_steps_send_the_plans_default_action() {
    let spec = example("restore-default-network-access");
    let (bash, ps) = (emit_ok(&spec, Format::AzCli), emit_ok(&spec, Format::PowerShell));
    let (ps_step, bash_step) = (titled(&ps, "Allow all networks again"), titled(&bash, "Allow all networks again"));
    assert!(ps_step.contains("-NetworkRuleSetDefaultAction 'Allow'"), "{ps_step}");
    assert!(bash_step.contains("--default-action Allow"), "{bash_step}");
    assert_eq!(plan::default_action(PublicAccess::All), "Allow");

    for (e, spec) in all_examples() {
        let Ok(p) = plan::plan(&spec) else { continue };
        let (bash, ps) = (emit_ok(&spec, Format::AzCli), emit_ok(&spec, Format::PowerShell));
        for (i, s) in p.steps.iter().enumerate() {
            if let Action::RestrictNetworkAccess { public_access, .. } = s.action {
                let action = plan::default_action(public_access);
                let ps_step = step(&ps, i + 1);
                assert!(
                    ps_step.contains(&format!("-NetworkRuleSetDefaultAction '{action}'")),
                    "{} step {}: PowerShell does not send {action}:\n{ps_step}",
                    e.name,
                    i + 1
                );
                // The CLI sets Deny itself with --public-network-enabled false.
                let bash_step = step(&bash, i + 1);
                if public_access != PublicAccess::Disabled {
                    assert!(bash_step.contains(&format!("--default-action {action}")), "{} bash:\n{bash_step}", e.name);
                } else {
                    assert!(bash_step.contains("--public-network-enabled false"), "{} bash:\n{bash_step}", e.name);
                }
            }
        }
    }
}

/// rotate-to-system-identity-kv-firewall: step 4 read `$IdentityId`, which
/// only the create flow sets. Every `$IdentityId` a script reads it set
/// before (PowerShell names ignore case).
#[test]
fn powershell_reads_identity_id_only_after_setting_it() {
    for (name, script) in powershell_scripts() {
        let lower = script.to_ascii_lowercase();
        let set = lower.find("$identityid = ");
        for (at, _) in lower.match_indices("$identityid") {
            if lower[at..].starts_with("$identityid = ") {
                continue;
            }
            assert!(set.is_some_and(|s| s < at), "{name}: $IdentityId read before it is set");
        }
    }
    let ps = emit_ok(&example("rotate-to-system-identity-kv-firewall"), Format::PowerShell);
    let step = titled(&ps, "Enable the registry's system-assigned identity");
    assert!(step.contains("$registry.IdentityUserAssignedIdentity.Keys"), "{step}");
}

/// New-AzRoleAssignment fails with Conflict when the assignment exists
/// (Azure/azure-powershell#14424): every grant goes through the one helper
/// that takes that Conflict as done, and a revoke takes "gone already" as
/// done, as `az role assignment create` / `delete` do.
#[test]
fn powershell_grants_survive_a_second_run() {
    for (name, script) in powershell_scripts() {
        // Commands, not comments or the text of a printed undo command.
        let news = support::parse_powershell(&script)
            .nodes("command")
            .iter()
            .filter(|c| c.starts_with("New-AzRoleAssignment "))
            .count();
        if news == 0 {
            continue;
        }
        assert_eq!(news, 1, "{name}: New-AzRoleAssignment outside Grant-RoleAssignment");
        let helper = script.find("function Grant-RoleAssignment").expect("the helper");
        let body = &script[helper..];
        let body = &body[..body.find("\n}\n").unwrap()];
        assert!(body.contains("New-AzRoleAssignment ") && body.contains("role assignment already exists"), "{name}");
        assert!(script.matches("function Grant-RoleAssignment").count() == 1, "{name}");
    }
    let ps = emit_ok(&example("revoke-key-access"), Format::PowerShell);
    let at = ps.find("Remove-AzRoleAssignment").unwrap();
    let before = ps[..at].trim_end();
    assert!(before.ends_with("try {"), "the removal is not inside a try:\n{}", &ps[at.saturating_sub(80)..at]);
    assert!(ps.contains("does not map to a role assignment"));
}

/// network-add-rules-existing: the new rules replaced the registry's. Both
/// ways PowerShell writes the rule list read the registry's rules first.
#[test]
fn powershell_adds_rules_to_those_the_registry_has() {
    let ps = emit_ok(&example("network-add-rules-existing"), Format::PowerShell);
    let read = ps.find("$registry.NetworkRuleSetIPRule").expect("reads the rules it has");
    let write = ps.find("-NetworkRuleSetIPRule").expect("writes the list");
    assert!(read < write);
    assert!(ps.contains("-NetworkRuleSetIPRule $allIpRules"));
    for (name, script) in powershell_scripts() {
        for (at, _) in script.match_indices("-NetworkRuleSetIPRule ") {
            let before = &script[..at];
            assert!(before.contains("$registry.NetworkRuleSetIPRule"), "{name}: rule list written unread");
        }
        if script.contains("networkRuleSet = @{") && script.contains("$VnetRules") {
            assert!(script.contains("$ruleSet.ipRules") && script.contains("$ruleSet.virtualNetworkRules"), "{name}");
        }
    }
}

/// rotate / revoke / restore read the identity's principal through
/// Microsoft Graph in PowerShell only. A script asks Graph exactly when its
/// bash twin does (the signed-in account's object ID, which neither
/// language can read from Resource Manager).
#[test]
fn powershell_asks_microsoft_graph_only_where_bash_does() {
    for (name, bash, ps) in twins() {
        let bash_graph = bash.contains("az ad ");
        let ps_graph = ps.contains("Get-AzAD");
        assert_eq!(bash_graph, ps_graph, "{name}: bash asks Graph: {bash_graph}, PowerShell: {ps_graph}");
    }
}

/// gallery-add-region: the PATCH returned when Resource Manager accepted it.
/// PowerShell waits for the version's provisioning, as the CLI does, with a
/// bound, and stops when it failed.
#[test]
fn powershell_waits_for_new_regions() {
    let ps = emit_ok(&example("gallery-add-region"), Format::PowerShell);
    let patch = ps.find("-Method PATCH -Path $versionPath").expect("the PATCH");
    let after = &ps[patch..];
    assert!(after.contains("provisioningState"), "no wait after the PATCH");
    assert!(after.contains("-eq 'Failed'") && after.contains("throw"));
    assert!(after.contains("Start-Sleep") && after.contains("$wait -ge"));
    assert!(ps.contains("Update-AzGalleryImageVersion -TargetRegion"), "the comment says why REST");
}

/// A grant to a principal that was just created (the registry's system
/// identity, a task's identity) is not retried in either language: both
/// name the principal type, which Resource Manager takes without looking the
/// principal up in Microsoft Graph. What is retried is the same steps in
/// both: the plan's `needs_retry`.
#[test]
fn both_languages_retry_the_same_steps() {
    for (e, spec) in all_examples() {
        let Ok(p) = plan::plan(&spec) else { continue };
        let (bash, ps) = (emit_ok(&spec, Format::AzCli), emit_ok(&spec, Format::PowerShell));
        for (i, s) in p.steps.iter().enumerate() {
            let (b, w) = (step(&bash, i + 1), step(&ps, i + 1));
            assert_eq!(
                b.contains("retry az "),
                w.contains("Invoke-WithRetry {"),
                "{} step {}: bash and PowerShell retry differently:\n{b}\n{w}",
                e.name,
                i + 1
            );
            if s.action.needs_retry() {
                assert!(b.contains("retry az "), "{} bash step {}: the plan retries it:\n{b}", e.name, i + 1);
            }
            // A command, not the undo command a step prints.
            if b.lines().any(|l| l.trim_start().starts_with("az role assignment create")) {
                assert!(b.contains("--assignee-principal-type"), "{} bash step {}", e.name, i + 1);
                assert!(
                    w.contains("Grant-RoleAssignment") && w.contains("-ObjectType"),
                    "{} ps step {}",
                    e.name,
                    i + 1
                );
            }
        }
    }
}

/// rotate-key-new-version: `$key.Id` carries `:443`, which the CLI and ARM
/// do not write. Every key Id PowerShell reads is normalised.
#[test]
fn powershell_key_uris_have_no_port() {
    let mut reads = 0;
    for (name, script) in powershell_scripts() {
        for line in script.lines().filter(|l| l.contains("$key.Id")) {
            reads += 1;
            assert!(line.contains("-replace ':443/', '/'"), "{name}: {line}");
        }
    }
    assert!(reads >= 2, "create and day-2 flows read a key Id");
}

/// `#Requires` names the module floors the scripts need (the identity
/// parameters of Az.ContainerRegistry 5, RBAC by default in Az.KeyVault 6).
#[test]
fn powershell_requires_module_floors() {
    let ps = emit_ok(&example("cmk-user-assigned"), Format::PowerShell);
    let requires = ps.lines().find(|l| l.starts_with("#Requires -Modules ")).unwrap();
    assert!(requires.contains("@{ ModuleName = 'Az.ContainerRegistry'; ModuleVersion = '5.0.0' }"), "{requires}");
    assert!(requires.contains("@{ ModuleName = 'Az.KeyVault'; ModuleVersion = '6.0.0' }"), "{requires}");
}

/// Existence checks ask Resource Manager for a list, or take only "not
/// found" as absence, as bash does: `-ErrorAction SilentlyContinue` would
/// take a 503 for "not there" and create again. A confirmation reads only a
/// console, as bash reads only a terminal; `CONFIRM_REGISTRY` confirms in
/// both.
#[test]
fn powershell_checks_and_confirms_as_bash_does() {
    for (name, script) in powershell_scripts() {
        assert!(!script.contains("SilentlyContinue"), "{name}: SilentlyContinue hides failures");
        if let Some(at) = script.find("Read-Host") {
            assert!(script[..at].contains("if (-not [Console]::IsInputRedirected)"), "{name}");
            assert!(script.contains("$env:CONFIRM_REGISTRY -ne $RegistryName"), "{name}");
        }
    }
}
