//! Everything a user can hand the product, through everything that reads it:
//! a spec document (file import, localStorage) goes through parsing, rules,
//! the plan and every emitter; a registry's pasted JSON through the day-2
//! importer, and the spec it makes through the same. Nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use registry_wizard::emit::{self, Format};
use registry_wizard::{import, rules, spec_json};

fn everything(spec: &registry_wizard::spec::Spec) {
    let findings = rules::check(spec);
    for format in Format::ALL.into_iter().chain(Format::AROUND_ARM) {
        let _ = emit::emit_checked(spec, &findings, format);
    }
    let _ = rules::secrets::without_secrets(spec);
    let _ = spec_json::to_json(spec);
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(spec) = spec_json::from_json(text) {
        everything(&spec);
    }
    if let Ok(imported) = import::registry(text) {
        everything(&imported.spec);
    }
});
