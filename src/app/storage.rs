//! The spec in localStorage: loaded at start, saved on every change.
//!
//! The stored text is exactly what "Export spec" downloads and the CLI reads.
//! A stored spec that no longer parses (hand-edited, or from a future format)
//! is never overwritten silently: it is moved aside under its own key.

use crate::spec::Spec;
use crate::spec_json;

pub const KEY: &str = "registry-wizard.spec";
pub const UNREADABLE_KEY: &str = "registry-wizard.spec.unreadable";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

// Made once at start-up and moved straight into the wizard: no point boxing it.
#[allow(clippy::large_enum_variant)]
pub enum Loaded {
    Spec(Spec),
    Nothing,
    /// The saved text did not parse: the error, and the key it was moved to.
    Unreadable(String, String),
    /// The browser refuses storage (private mode, disabled cookies).
    Unavailable,
}

pub fn load() -> Loaded {
    let Some(storage) = storage() else { return Loaded::Unavailable };
    match storage.get_item(KEY) {
        Ok(Some(text)) => match spec_json::from_json(&text) {
            Ok(spec) => Loaded::Spec(spec),
            // One that does not parse: kept aside, the wizard starts empty.
            Err(error) => {
                let error = error.to_string();
                // Never over an earlier one: the first free numbered key.
                let aside = (1..)
                    .map(|n| if n == 1 { UNREADABLE_KEY.to_string() } else { format!("{UNREADABLE_KEY}.{n}") })
                    .find(|key| storage.get_item(key).ok().flatten().is_none())
                    .expect("a free key");
                let _ = storage.set_item(&aside, &text);
                let _ = storage.remove_item(KEY);
                Loaded::Unreadable(error, aside)
            }
        },
        Ok(None) => Loaded::Nothing,
        Err(_) => Loaded::Unavailable,
    }
}

pub fn save(spec: &Spec) {
    if let Some(storage) = storage() {
        // A full quota only loses persistence, never the page's state.
        // A value that looks like a secret is never written to storage.
        let _ = storage.set_item(KEY, &spec_json::to_json(&crate::rules::secrets::without_secrets(spec)));
    }
}
