//! Hostile input: quotes, `$(...)`, backticks, newlines, `;` and Unicode in
//! every text field. Each value is either rejected by a finding on its own
//! field, or emitted so that it arrives intact: one argument for `az`, one
//! verbatim string for PowerShell, one JSON string for ARM.
//!
//! `RW_HOSTILE_CASES=100000` is the long mode (the default is a quick 192
//! cases per property; the bulk bash round trip scales with it).

mod support;

use proptest::prelude::*;
use registry_wizard::emit::{self, Format};
use registry_wizard::plan::{self, InputValue};
use registry_wizard::rules::{self, Severity};
use registry_wizard::spec::Spec;
use serde_json::Value;

fn hostile() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("'".to_string()),
        Just("\"".to_string()),
        Just("$(".to_string()),
        Just(")".to_string()),
        Just("`".to_string()),
        Just("\n".to_string()),
        Just(";".to_string()),
        Just("\\".to_string()),
        Just(" ".to_string()),
        Just("$".to_string()),
        Just("{}".to_string()),
        Just("[".to_string()),
        Just("=".to_string()),
        Just("-".to_string()),
        Just("레지스트리".to_string()),
        Just("登錄".to_string()),
        Just("\u{2018}\u{2019}".to_string()),
        Just("\u{201C}\u{201D}".to_string()),
        Just("\r".to_string()),
        Just("\0".to_string()),
        Just("\t".to_string()),
        Just("\u{2013}\u{2013}".to_string()),
        Just("${x}".to_string()),
        Just("&&".to_string()),
        Just("|".to_string()),
        Just("\u{200B}".to_string()),
        Just("\u{202E}".to_string()),
        Just("--".to_string()),
        "[a-z0-9]{1,6}",
    ];
    prop::collection::vec(piece, 1..8).prop_map(|v| v.concat())
}

/// Every text field of the spec, with the path rules report it under.
type Setter = fn(&mut Spec, String);
const FIELDS: &[(&str, Setter)] = &[
    ("registry.name", |s, v| s.registry.name = v),
    ("resourceGroup.name", |s, v| s.resource_group.name = v),
    ("location", |s, v| s.location = v),
    ("subscriptionId", |s, v| s.subscription_id = v),
    ("registry.encryption.identity.name", |s, v| s.registry.encryption.identity.name = v),
    ("registry.encryption.identity.resourceGroup", |s, v| s.registry.encryption.identity.resource_group = v),
    ("registry.encryption.keyVault.name", |s, v| s.registry.encryption.key_vault.name = v),
    ("registry.encryption.keyVault.resourceGroup", |s, v| s.registry.encryption.key_vault.resource_group = v),
    ("registry.encryption.key.name", |s, v| s.registry.encryption.key.name = v),
    ("gallery.name", |s, v| s.gallery.name = v),
    ("gallery.imageDefinition", |s, v| s.gallery.image_definition = v),
    ("gallery.version", |s, v| s.gallery.version = v),
    ("gallery.source.managedImageId", |s, v| s.gallery.source.managed_image_id = v),
    ("gallery.targetRegions[1].region", |s, v| s.gallery.target_regions[1].region = v),
    ("gallery.targetRegions[1].osDiskEncryptionSetId", |s, v| {
        s.gallery.target_regions[1].os_disk_encryption_set_id = v
    }),
    ("tags[1].value", |s, v| {
        s.tags.insert("owner".into(), v);
    }),
];

fn gallery_spec() -> Spec {
    registry_wizard::spec_json::from_json(include_str!("../examples/gallery-cmk-two-regions.json")).unwrap()
}

fn cmk_spec() -> Spec {
    registry_wizard::spec_json::from_json(include_str!("../examples/cmk-user-assigned.json")).unwrap()
}

/// Checks one value in one field; returns whether it was accepted.
fn check_field(field: &str, set: Setter, value: &str) -> bool {
    let mut spec = if field.starts_with("gallery.") { gallery_spec() } else { cmk_spec() };
    set(&mut spec, value.to_string());
    let findings = rules::check(&spec);
    let errors: Vec<_> = findings.iter().filter(|f| f.severity() == Severity::Error).collect();
    if !errors.is_empty() {
        assert!(
            errors.iter().all(|f| f.field == field),
            "{field} = {value:?}: errors on other fields: {:?}",
            errors.iter().map(|f| (&f.field, f.rule.id())).collect::<Vec<_>>()
        );
        assert!(emit::emit(&spec, Format::AzCli).is_err(), "errors block emission");
        return false;
    }
    let plan = plan::plan(&spec).unwrap();
    let declared = plan.inputs.iter().any(|i| match &i.value {
        InputValue::Text(t) => t == value,
        InputValue::Map(m) => m.values().any(|v| v == value),
        InputValue::List(l) => l.iter().any(|v| v == value),
    });
    assert!(declared, "{field} = {value:?} accepted but not an input of the plan");

    let ps = support::parse_powershell(&emit::emit(&spec, Format::PowerShell).unwrap());
    assert!(ps.errors().is_empty(), "{field} = {value:?}: PowerShell errors {:?}", ps.errors());
    assert!(ps.verbatim_strings().iter().any(|s| s == value), "{field} = {value:?}: not a PowerShell string");

    // The resource group is the ARM deployment's target, not a parameter.
    if field == "resourceGroup.name" {
        return true;
    }
    let params: Value = serde_json::from_str(&emit::emit(&spec, Format::ArmParameters).unwrap()).unwrap();
    let mut found = false;
    for p in params["parameters"].as_object().unwrap().values() {
        found |= p["value"] == value || p["value"].as_object().is_some_and(|m| m.values().any(|v| v == value));
    }
    assert!(found, "{field} = {value:?}: not an ARM parameter value");
    true
}

/// Cases per property: 192, or `RW_HOSTILE_CASES` (the long mode).
fn cases() -> u32 {
    std::env::var("RW_HOSTILE_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(192)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn any_text_in_any_field_is_rejected_on_that_field_or_kept_intact(value in hostile(), which in 0..FIELDS.len()) {
        let (field, set) = FIELDS[which];
        check_field(field, set, &value);
    }
}

#[test]
fn names_with_shell_syntax_are_rejected_by_name() {
    for (field, set) in FIELDS.iter().filter(|(f, _)| !f.starts_with("tags")) {
        for value in ["a'b", "$(whoami)", "`id`", "x;rm", "line\nbreak"] {
            assert!(!check_field(field, *set, value), "{field} accepted {value:?}");
        }
    }
}

/// Free text that Azure accepts (tag values) goes through bash intact, and
/// nothing in it is executed.
#[test]
fn hostile_tag_values_survive_bash_and_execute_nothing() {
    let canary = std::env::temp_dir().join(format!("registry-wizard-canary-{}", std::process::id()));
    let values = [
        format!("$(touch {})", canary.display()),
        format!("`touch {}`", canary.display()),
        "it's \"quoted\"; echo hi".to_string(),
        "한국어 — 繁體中文 ‘smart’".to_string(),
        "${HOME} $PATH \\ *".to_string(),
        "-x --output json".to_string(),
    ];
    for value in &values {
        let mut spec = cmk_spec();
        spec.tags.insert("note".into(), value.clone());
        assert!(check_field(
            "tags[1].value",
            |s, v| {
                s.tags.insert("note".into(), v);
            },
            value
        ));
        let calls = support::run_with_stub_az(&emit::emit(&spec, Format::AzCli).unwrap());
        let expected = format!("note={value}");
        let group = calls
            .iter()
            .find(|c| c.starts_with(&["group".to_string(), "create".to_string()]))
            .expect("az group create");
        assert!(group.contains(&expected), "{value:?} did not arrive as one argument: {group:?}");
        assert!(!canary.exists(), "{value:?} was executed");
    }
}

/// Tag values (the free text Azure accepts) through bash with the stub `az`,
/// in bulk: as many hostile values as the mode's cases, 40 tags to a script.
/// Each is rejected by a finding on its tag or arrives as exactly one
/// argument, and nothing in it runs.
#[test]
fn hostile_tag_values_arrive_whole_in_bulk() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let total = cases() as usize;
    let (mut arrived, mut rejected) = (0, 0);
    let mut batch = Vec::new();
    for n in 0..total {
        let value = hostile().new_tree(&mut runner).unwrap().current();
        let mut probe = cmk_spec();
        probe.tags.insert("probe".into(), value.clone());
        if rules::check(&probe).iter().any(|f| f.severity() == Severity::Error) {
            rejected += 1;
        } else {
            batch.push(value);
        }
        if batch.len() == 40 || (n + 1 == total && !batch.is_empty()) {
            let mut spec = cmk_spec();
            spec.tags.0.truncate(0);
            for (i, v) in batch.iter().enumerate() {
                spec.tags.insert(format!("t{i}"), v.clone());
            }
            let calls = support::run_with_stub_az(&emit::emit(&spec, Format::AzCli).unwrap());
            let group = calls.iter().find(|c| c.starts_with(&["group".to_string(), "create".to_string()])).unwrap();
            for (i, v) in batch.iter().enumerate() {
                assert!(group.contains(&format!("t{i}={v}")), "{v:?} did not arrive as one argument");
            }
            arrived += batch.len();
            batch.clear();
        }
    }
    eprintln!("hostile tag values: {arrived} arrived whole through bash, {rejected} rejected by a finding");
}
