//! The command-line tool, through its binary: each bad-input path has a
//! one-line message naming the file and JSON path, and exit code 2.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn run(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_registry-wizard"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A usage error exits before reading stdin: a broken pipe is expected then.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn temp_file(name: &str, text: &str) -> String {
    let path = std::env::temp_dir().join(format!("rw-cli-{}-{name}", std::process::id()));
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn emit_prints_the_same_as_the_library() {
    let spec = registry_wizard::examples::find("cmk-user-assigned").unwrap().json;
    for format in registry_wizard::emit::Format::ALL {
        let out = run(&["emit", "--format", format.name(), "-"], spec);
        assert!(out.status.success(), "{}", stderr(&out));
        let parsed = registry_wizard::spec_json::from_json(spec).unwrap();
        assert_eq!(String::from_utf8(out.stdout).unwrap(), registry_wizard::emit::emit(&parsed, format).unwrap());
    }
}

#[test]
fn emit_writes_a_file_with_o() {
    let spec = temp_file("spec-o.json", registry_wizard::examples::find("service-endpoint").unwrap().json);
    let target = format!("{spec}.sh");
    let out = run(&["emit", "--format", "azcli", &spec, "-o", &target], "");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(std::fs::read_to_string(&target).unwrap().starts_with("#!/usr/bin/env bash"));
}

#[test]
fn emit_o_writes_powershell_with_non_ascii_text_with_a_bom() {
    let spec = temp_file("spec-bom.json", registry_wizard::examples::find("ip-rules-selected-networks").unwrap().json);
    let target = format!("{spec}.ps1");
    let out = run(&["emit", "--format", "powershell", &spec, "-o", &target], "");
    assert!(out.status.success(), "{}", stderr(&out));
    let bytes = std::fs::read(&target).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF# "), "UTF-8 BOM, then the script");
    // Standard output is for pipes: no BOM there.
    let out = run(&["emit", "--format", "powershell", &spec], "");
    assert!(out.stdout.starts_with(b"# "));
}

#[test]
fn emit_says_when_a_deployment_needs_no_script_around_arm() {
    let spec = temp_file("spec-around.json", registry_wizard::examples::find("cmk-user-assigned").unwrap().json);
    let out = run(&["emit", "--format", "arm-post-deploy", &spec], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("needs no such file"), "{}", stderr(&out));
    let spec = temp_file("spec-around2.json", registry_wizard::examples::find("service-endpoint").unwrap().json);
    let out = run(&["emit", "--format", "arm-pre-deploy", &spec], "");
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn unreadable_file() {
    let out = run(&["check", "/nonexistent/spec.json"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).starts_with("registry-wizard: /nonexistent/spec.json: cannot read"), "{}", stderr(&out));
    assert_eq!(stderr(&out).lines().count(), 1);
}

#[test]
fn malformed_json() {
    let path = temp_file("malformed.json", "{\n \"location\": \n}");
    let out = run(&["check", &path], "");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains(&path) && err.contains("line 3") && err.contains("malformed JSON"), "{err}");
    assert_eq!(err.lines().count(), 1);
}

#[test]
fn unknown_field() {
    let out = run(&["emit", "--format", "arm", "-"], r#"{"registry": {"sku": "Premium", "skuu": 1}}"#);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("<stdin>: at $.registry.skuu: unknown field `skuu`"), "{}", stderr(&out));
}

#[test]
fn wrong_type() {
    let out = run(&["check", "-"], r#"{"registry": {"adminUserEnabled": "yes"}}"#);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("at $.registry.adminUserEnabled: invalid type: string \"yes\", expected a boolean"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn bad_enum_value() {
    let out = run(&["check", "-"], r#"{"registry": {"sku": "Gold"}}"#);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out)
            .contains("at $.registry.sku: unknown variant `Gold`, expected one of `Basic`, `Standard`, `Premium`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn future_version() {
    let out = run(&["check", "-"], r#"{"version": 7}"#);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("at $.version: spec version 7 is not supported"), "{}", stderr(&out));
}

#[test]
fn error_findings_exit_1_and_block_emit() {
    let spec = r#"{"resourceGroup": {"name": "rg"}, "registry": {"name": "Bad-Name"}}"#;
    let check = run(&["check", "-"], spec);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&check.stdout).contains("error NAME-REGISTRY registry.name: Registry name 'Bad-Name'")
    );
    let emit = run(&["emit", "--format", "azcli", "-"], spec);
    assert_eq!(emit.status.code(), Some(1));
    assert!(emit.stdout.is_empty(), "nothing emitted");
    assert!(stderr(&emit).contains("NAME-REGISTRY"), "{}", stderr(&emit));
}

#[test]
fn check_json_lists_findings_with_sources() {
    let spec = registry_wizard::examples::find("cmk-template").unwrap().json;
    let out = run(&["check", "--json", "-"], spec);
    assert!(out.status.success());
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let first = &findings.as_array().unwrap()[0];
    for key in ["id", "severity", "field", "message", "source"] {
        assert!(first.get(key).is_some(), "{key}");
    }
    assert!(first["source"]["url"].as_str().unwrap().starts_with("https://learn.microsoft.com/"));
}

#[test]
fn examples_list_and_print() {
    let list = run(&["example", "--list"], "");
    let text = String::from_utf8(list.stdout).unwrap();
    for name in [
        "cmk-user-assigned",
        "cmk-template",
        "cmk-system-assigned-kv-firewall",
        "cmk-existing-versionless-key",
        "service-endpoint",
        "trusted-services-disabled",
        "ip-rules-selected-networks",
    ] {
        assert!(text.lines().any(|l| l.starts_with(name)), "{name} listed");
        let out = run(&["example", name], "");
        assert!(out.status.success());
        registry_wizard::spec_json::from_json(&String::from_utf8(out.stdout).unwrap()).unwrap();
    }
    let missing = run(&["example", "nope"], "");
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn schema_is_json_schema_of_the_spec() {
    let out = run(&["schema"], "");
    assert!(out.status.success());
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(schema["$schema"].as_str().unwrap().contains("json-schema.org"));
    assert!(schema["properties"]["registry"].is_object());
    assert!(schema["properties"]["version"].is_object());
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &[][..],
        &["frobnicate"],
        &["emit", "-"],
        &["emit", "--format", "yaml", "-"],
        &["check", "--bogus", "-"],
        &["schema", "extra"],
    ] {
        let out = run(args, "{}");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).starts_with("registry-wizard: "), "{args:?}: {}", stderr(&out));
    }
}

#[cfg(feature = "day2")]
#[test]
fn import_prints_the_day2_spec_and_says_what_it_did_not_map() {
    let fixture = format!("{}/tests/fixtures/import/registry-cmk-2021-08-01-preview.json", env!("CARGO_MANIFEST_DIR"));
    let out = run(&["import", &fixture], "");
    assert!(out.status.success(), "{}", stderr(&out));
    let spec = registry_wizard::spec_json::from_json(&String::from_utf8(out.stdout.clone()).unwrap()).unwrap();
    assert_eq!(spec.registry.name, "testreg000006");
    assert!(stderr(&out).contains("not mapped: $.properties.policies"), "{}", stderr(&out));
    assert!(stderr(&out).contains("assumed:"), "{}", stderr(&out));
    let bad = run(&["import", "-"], "{\"type\": \"Microsoft.Compute/galleries\"}");
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("at $.type"), "{}", stderr(&bad));
}

/// State saved by any version of the spec format still loads and still
/// deploys: the fixtures of each version are kept forever.
#[test]
fn saved_specs_of_every_version_still_load() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut loaded = 0;
    for version in
        std::fs::read_dir(&root).unwrap().flatten().filter(|d| d.file_name().to_string_lossy().starts_with("spec-v"))
    {
        for file in std::fs::read_dir(version.path()).unwrap().flatten() {
            if file.path().extension().is_some_and(|e| e == "json") {
                let text = std::fs::read_to_string(file.path()).unwrap();
                let spec = registry_wizard::spec_json::from_json(&text)
                    .unwrap_or_else(|e| panic!("{}: {e}", file.path().display()));
                registry_wizard::emit::emit(&spec, registry_wizard::emit::Format::AzCli)
                    .unwrap_or_else(|_| panic!("{}: no longer deploys", file.path().display()));
                loaded += 1;
            }
        }
    }
    assert!(loaded >= 10, "fixtures found: {loaded}");
}
