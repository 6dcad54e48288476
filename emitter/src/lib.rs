//! The wizard's code generator: `emit::emit` behind one exported function, in
//! a wasm module of its own.
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
use registry_wizard::spec_json;

/// The code of `format` (a `--format` name) for a spec document, or `None`
/// when the document is not a spec or error findings block its code (the
/// page knows which: it runs the same rules itself).
#[cfg_attr(target_arch = "wasm32", wasm_bindgen)]
pub fn generate(spec: &str, format: &str) -> Option<String> {
    let spec = spec_json::from_json(spec).ok()?;
    emit::emit(&spec, Format::from_name(format)?).ok()
}
