//! The code generator, a wasm module of its own (`emitter/`), fetched from the
//! page's own origin on first need.
//!
//! A first visit does not need it: a fresh form has fields to fill in before
//! there is code to show. It is fetched on the first edit (while the user is
//! still typing), or at once when the stored spec already makes code. After
//! that, code is a synchronous function of the spec again. Its address is in
//! index.html (`scripts/emitter.sh` writes it there after each build).

use leptos::prelude::*;

use super::browser;
use crate::emit::Format;
use crate::spec::Spec;
use crate::spec_json;

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
        if self.status.get_untracked() == Status::Idle {
            leptos::task::spawn_local(async move {
                self.ready().await;
            });
        }
    }

    /// Whether the module is there, after fetching it if it is not yet.
    pub async fn ready(self) -> bool {
        match self.status.get_untracked() {
            Status::Ready => return true,
            Status::Failed => return false,
            Status::Idle => self.status.set(Status::Loading),
            Status::Loading => {}
        }
        let loaded = match address() {
            Some(address) => browser::load_generator(&address).await.is_ok(),
            None => false,
        };
        self.status.set(if loaded { Status::Ready } else { Status::Failed });
        loaded
    }

    /// The code of one format, once the module is there (tracks its status).
    pub fn generate(self, spec: &Spec, format: Format) -> Option<String> {
        if self.status.get() != Status::Ready {
            return None;
        }
        browser::run_generator(&spec_json::to_json(spec), format.name())
    }
}

/// The module's address, from `<meta name="registry-wizard-generator">`.
fn address() -> Option<String> {
    let document = web_sys::window()?.document()?;
    document.query_selector("meta[name=registry-wizard-generator]").ok()??.get_attribute("content")
}
