//! The code generator, a wasm module of its own (`emitter/`), fetched from the
//! page's own origin on first need.
//!
//! A first visit does not need it: a fresh form has fields to fill in before
//! there is code to show. It is fetched on the first edit (while the user is
//! still typing), or at once when the stored spec already makes code. After
//! that, code is a synchronous function of the spec again. Its address is in
//! index.html (`scripts/emitter.sh` writes it there after each build).

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::emit::Format;
use crate::spec::Spec;
use crate::spec_json;

#[wasm_bindgen(inline_js = r#"
let generator = null;
export function load_generator(address) {
  return import(new URL(address, document.baseURI).href).then(async (module) => {
    await module.default();
    generator = module;
  });
}
export function run_generator(spec, format) {
  return generator.generate(spec, format);
}
"#)]
extern "C" {
    #[wasm_bindgen(catch)]
    fn load_generator(address: &str) -> Result<js_sys::Promise, JsValue>;
    fn run_generator(spec: &str, format: &str) -> Option<String>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Not asked for yet.
    Idle,
    Loading,
    Ready,
    /// The module could not be fetched or started: the outputs panel says so.
    Failed,
}

/// Where the generator is: a signal, so that code appears when it arrives.
#[derive(Clone, Copy)]
pub struct Generator {
    pub status: RwSignal<Status>,
}

impl Generator {
    pub fn new() -> Self {
        Generator { status: RwSignal::new(Status::Idle) }
    }

    /// Starts fetching the module, once.
    pub fn load(self) {
        if self.status.get_untracked() != Status::Idle {
            return;
        }
        self.status.set(Status::Loading);
        let status = self.status;
        let Some(address) = address() else {
            status.set(Status::Failed);
            return;
        };
        leptos::task::spawn_local(async move {
            let loaded = match load_generator(&address) {
                Ok(promise) => JsFuture::from(promise).await.is_ok(),
                Err(_) => false,
            };
            status.set(if loaded { Status::Ready } else { Status::Failed });
        });
    }

    /// The code of one format, once the module is there (tracks its status).
    pub fn generate(self, spec: &Spec, format: Format) -> Option<String> {
        if self.status.get() != Status::Ready {
            return None;
        }
        run_generator(&spec_json::to_json(spec), format.name())
    }
}

/// The module's address, from `<meta name="registry-wizard-generator">`.
fn address() -> Option<String> {
    let document = web_sys::window()?.document()?;
    document.query_selector("meta[name=registry-wizard-generator]").ok()??.get_attribute("content")
}
