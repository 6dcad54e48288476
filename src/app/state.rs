//! The wizard's state: the spec being edited and what is derived from it.
//!
//! Like Leptos' todomvc, the state is a plain `Copy` struct of signals, put in
//! context once; components read what they need and write through its methods.
//! The spec is the only source of truth: findings and outputs are memos of it,
//! and every change is saved to localStorage (see `storage`).

use leptos::prelude::*;

use super::generator::Generator;
use crate::emit::Format;
use crate::i18n::{self, Locale};
use crate::rules::{self, Finding, Severity};
use crate::spec::Spec;
use crate::tabs::Tab;

/// A message in the banner under the header (import result, reset, ...).
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub text: String,
    pub is_error: bool,
    /// The spec before the change, when the change can be undone.
    pub undo: Option<Spec>,
    /// Counts the notices shown so far (`data-seq` on the banner): two
    /// notices with the same text are still two events, and a test waits for
    /// the count to change instead of for a banner that may already be there.
    pub seq: u32,
}

#[derive(Clone, Copy)]
pub struct Wizard {
    pub spec: RwSignal<Spec>,
    pub findings: Memo<Vec<Finding>>,
    pub tab: RwSignal<Tab>,
    pub output: RwSignal<Format>,
    pub notice: RwSignal<Option<Notice>>,
    notices: StoredValue<u32>,
    /// A polite status line for screen readers and sighted users (copied, ...).
    pub status: RwSignal<String>,
    /// The code generator, fetched on first need.
    pub generator: Generator,
}

impl Wizard {
    pub fn new(spec: Spec) -> Self {
        let spec = RwSignal::new(spec);
        let findings = Memo::new(move |_| spec.with(rules::check));
        let generator = Generator::new();
        // Fetch the code generator on the first edit, or at once when the
        // stored spec already makes code.
        Effect::new(move |edited: Option<()>| {
            spec.track();
            let blocked = findings.with(|all| all.iter().any(|f| f.severity() == Severity::Error));
            if edited.is_some() || !blocked {
                generator.load();
            }
        });
        Wizard {
            spec,
            findings,
            tab: RwSignal::new(Tab::Basics),
            output: RwSignal::new(Format::AzCli),
            notice: RwSignal::new(None),
            notices: StoredValue::new(0),
            status: RwSignal::new(String::new()),
            generator,
        }
    }

    /// Changes the spec in place.
    pub fn edit(&self, change: impl FnOnce(&mut Spec)) {
        self.spec.update(change);
    }

    /// Replaces the whole spec (import, example, reset), keeping the old one
    /// for Undo.
    pub fn replace(&self, spec: Spec, text: String) {
        let before = self.spec.get_untracked();
        self.spec.set(spec);
        self.notify(text, false, Some(before));
    }

    pub fn fail(&self, text: String) {
        self.notify(text, true, None);
    }

    /// Shows a notice in the banner, replacing the one there.
    pub fn notify(&self, text: String, is_error: bool, undo: Option<Spec>) {
        self.notices.update_value(|n| *n += 1);
        let seq = self.notices.get_value();
        self.notice.set(Some(Notice { text, is_error, undo, seq }));
    }

    /// Findings on exactly this field.
    pub fn findings_on(&self, field: &str) -> Vec<Finding> {
        self.findings.with(|all| all.iter().filter(|f| f.field == field).cloned().collect())
    }

    pub fn has_error_on(&self, field: &str) -> bool {
        self.findings.with(|all| all.iter().any(|f| f.field == field && f.severity() == Severity::Error))
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.findings.with(|all| all.iter().filter(|f| f.severity() == severity).count())
    }

    /// The code of one format, or `None` while error findings block it or
    /// the code generator is not there yet.
    pub fn output_of(&self, format: Format) -> Option<String> {
        if self.count(Severity::Error) > 0 {
            return None;
        }
        self.spec.with(|spec| self.generator.generate(spec, format))
    }
}

pub fn use_wizard() -> Wizard {
    expect_context::<Wizard>()
}

/// The catalog text for `key` in the UI's language.
pub fn t(key: &str) -> &'static str {
    i18n::text(Locale::En, key)
}

/// The catalog text for `key` with its placeholders filled.
pub fn tf(key: &str, args: &[(&str, String)]) -> String {
    i18n::format(Locale::En, key, args)
}
