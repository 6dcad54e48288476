//! The wizard's code generator: `emit::emit` (and the importer of existing
//! resources, which only day-2 changes need) behind two exported functions,
//! in a wasm module of its own.
//!
//! The emitters are a fifth of the wizard's code but no first visit needs
//! them: a fresh form has errors to fill in before there is code to show. The
//! page (`src/app/generator.rs`) fetches this module from its own origin on
//! the first edit, or at once when the stored spec already makes code, and
//! hands it the spec as the JSON the wizard exports. Same spec, same bytes as
//! `registry-wizard emit`: both call the one `emit` function.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen::prelude::wasm_bindgen;

use registry_wizard::emit::{self, Format};
use registry_wizard::spec::Kind;
use registry_wizard::{import, spec_json};

/// The code of `format` (a `--format` name) for a spec document, or `None`
/// when the document is not a spec or error findings block its code (the
/// page knows which: it runs the same rules itself).
#[cfg_attr(target_arch = "wasm32", wasm_bindgen)]
pub fn generate(spec: &str, format: &str) -> Option<String> {
    let spec = spec_json::from_json(spec).ok()?;
    emit::emit(&spec, Format::from_name(format)?).ok()
}

/// A resource's pasted JSON (`az acr show`, `az sig image-version show`, an
/// ARM resource, `Get-AzContainerRegistry | ConvertTo-Json`) read onto the
/// spec being composed (`current`, a spec document): `{"spec", "name",
/// "unmapped", "assumed"}`, or `{"error"}` with nothing applied.
#[cfg_attr(target_arch = "wasm32", wasm_bindgen)]
pub fn import_resource(resource: &str, current: &str) -> String {
    let current = spec_json::from_json(current).unwrap_or_default();
    let answer = match import::resource(resource) {
        Ok(imported) => {
            let s = &imported.spec;
            let name = match s.kind {
                Kind::Registry => s.registry.name.clone(),
                Kind::GalleryImageVersion => {
                    format!("{}/{}/{}", s.gallery.name, s.gallery.image_definition, s.gallery.version)
                }
            };
            let (unmapped, assumed) = (imported.unmapped.clone(), imported.assumed.clone());
            let spec = serde_json::to_value(imported.onto(&current)).expect("a spec serializes");
            serde_json::json!({ "spec": spec, "name": name, "unmapped": unmapped, "assumed": assumed })
        }
        Err(error) => serde_json::json!({ "error": error }),
    };
    answer.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pasted_registry_comes_back_as_the_spec_to_compose() {
        let fixture = include_str!("../../tests/fixtures/import/registry-cmk-2021-08-01-preview.json");
        let current = spec_json::to_json(&registry_wizard::spec::Spec::default());
        let answer: serde_json::Value = serde_json::from_str(&import_resource(fixture, &current)).unwrap();
        assert_eq!(answer["name"], "testreg000006");
        let spec = spec_json::read(&answer["spec"]).unwrap();
        assert!(spec.is_change());
        assert!(answer["unmapped"].as_array().is_some_and(|u| !u.is_empty()));
        let answer: serde_json::Value = serde_json::from_str(&import_resource("{\"type\": 5", &current)).unwrap();
        assert!(answer["error"].as_str().is_some_and(|e| e.starts_with("not JSON")), "{answer}");
        assert!(answer.get("spec").is_none(), "nothing applied");
    }
}
