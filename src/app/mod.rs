//! The browser wizard (wasm32 only). A placeholder until the wizard issue:
//! it proves the build, the bundle and the core all work in the browser.

use leptos::prelude::*;

use crate::emit::{self, Format};
use crate::examples;
use crate::i18n::{text, Locale};
use crate::spec_json;

pub fn mount() {
    leptos::mount::mount_to_body(App);
}

#[component]
fn App() -> impl IntoView {
    let example = examples::find("cmk-user-assigned").expect("example exists");
    let spec = spec_json::from_json(example.json).expect("example parses");
    let script = emit::emit(&spec, Format::AzCli).unwrap_or_default();
    view! {
        <main>
            <h1>{text(Locale::En, "app.title")}</h1>
            <p id="status">{text(Locale::En, "app.placeholder")}</p>
            <pre id="azcli">{script}</pre>
        </main>
    }
}
