//! The wizard's state: the spec being edited and what is derived from it.
//!
//! Like Leptos' todomvc, the state is a plain `Copy` struct of signals, put in
//! context once; components read what they need and write through its methods.
//! The spec is the only source of truth: findings and outputs are memos of it,
//! and every change is saved to localStorage (see `storage`).

use leptos::prelude::*;

use super::generator::Generator;
use crate::emit::Format;
use super::language;
use crate::i18n;
use crate::names::Problem;
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
    /// Every finding of the spec (Review lists them all).
    pub findings: Memo<Vec<Finding>>,
    /// The findings shown on the fields: all but "is empty" on a field the
    /// user has not left yet, so that a first visit is not a page of errors.
    pub shown: Memo<Vec<Finding>>,
    /// Fields the user has left at least once.
    touched: RwSignal<Vec<String>>,
    /// Every finding is shown: the user opened Review, asked what is missing,
    /// or brought a whole spec in (import, example).
    pub revealed: RwSignal<bool>,
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
        let touched = RwSignal::new(Vec::<String>::new());
        let revealed = RwSignal::new(false);
        let shown = Memo::new(move |_| {
            let all = revealed.get();
            touched.with(|touched| {
                findings.with(|f| f.iter().filter(|f| all || !is_untouched_empty(f, touched)).cloned().collect())
            })
        });
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
            shown,
            touched,
            revealed,
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
        self.revealed.set(true);
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

    /// The user left this field: its "is empty" error may show now.
    pub fn touch(&self, field: &str) {
        if !self.touched.with_untracked(|t| t.iter().any(|f| f == field)) {
            self.touched.update(|t| t.push(field.to_string()));
        }
    }

    /// Findings shown on exactly this field.
    pub fn findings_on(&self, field: &str) -> Vec<Finding> {
        self.shown.with(|all| all.iter().filter(|f| f.field == field).cloned().collect())
    }

    pub fn has_error_on(&self, field: &str) -> bool {
        self.shown.with(|all| all.iter().any(|f| f.field == field && f.severity() == Severity::Error))
    }

    /// Required fields still empty that the user has not been told about:
    /// what the outputs panel asks to fill in.
    pub fn to_fill_in(&self) -> Vec<String> {
        let shown = self.shown.with(|s| s.len());
        self.findings.with(|all| {
            if all.len() == shown {
                return Vec::new();
            }
            self.touched.with(|t| all.iter().filter(|f| is_untouched_empty(f, t)).map(|f| f.field.clone()).collect())
        })
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

fn is_untouched_empty(finding: &Finding, touched: &[String]) -> bool {
    finding.problem == Some(Problem::Empty) && !touched.contains(&finding.field)
}

pub fn use_wizard() -> Wizard {
    expect_context::<Wizard>()
}

/// The catalog text for `key` in the UI's language.
pub fn t(key: &str) -> &'static str {
    i18n::text(language::current(), key)
}

/// The catalog text for `key` with its placeholders filled.
pub fn tf(key: &str, args: &[(&str, String)]) -> String {
    i18n::format(language::current(), key, args)
}
