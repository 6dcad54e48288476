//! Review + generate: every finding grouped by tab, each linking to its field
//! and naming its source section. The outputs panel sits beside the tabs.

use leptos::prelude::*;

use super::browser;
use super::rx::rx;
use super::state::{t, tf, use_wizard};
use super::language;
use crate::rules::{Finding, Severity};
use crate::tabs::{field_id, message_id, Tab};

#[component]
pub fn Review() -> impl IntoView {
    let wizard = use_wizard();
    let summary = move || {
        tf(
            "review.summary",
            &[
                ("errors", wizard.count(Severity::Error).to_string()),
                ("warnings", wizard.count(Severity::Warning).to_string()),
                ("infos", wizard.count(Severity::Info).to_string()),
            ],
        )
    };
    let groups = move || {
        wizard.findings.with(|all| {
            Tab::ALL
                .into_iter()
                .filter_map(|tab| {
                    let mine: Vec<Finding> = all.iter().filter(|f| Tab::of_field(&f.field) == tab).cloned().collect();
                    // Errors and warnings in full; notes folded, so that what
                    // needs action is not lost among what is only good to know.
                    let (notes, actions): (Vec<Finding>, Vec<Finding>) =
                        mine.into_iter().partition(|f| f.severity() == Severity::Info);
                    (!(notes.is_empty() && actions.is_empty())).then(|| {
                        let note_count = notes.len();
                        view! {
                            <h3>{t(tab.label())}</h3>
                            <ul class="findings">
                                {actions.into_iter().map(|f| view! { <ReviewItem finding=f tab=tab /> }).collect_view()}
                            </ul>
                            {(note_count > 0)
                                .then(|| {
                                    view! {
                                        <details class="notes">
                                            <summary>{tf("review.notes", &[("count", note_count.to_string())])}</summary>
                                            <ul class="findings">
                                                {notes
                                                    .into_iter()
                                                    .map(|f| view! { <ReviewItem finding=f tab=tab /> })
                                                    .collect_view()}
                                            </ul>
                                        </details>
                                    }
                                })}
                        }
                    })
                })
                .collect_view()
        })
    };
    view! {
        <section aria-labelledby="h-findings">
            <h2 id="h-findings">{t("section.findings")}</h2>
            <p id="review-summary">{rx(summary)}</p>
            <p hidden=rx(move || wizard.findings.with(|f| !f.is_empty()))>{t("review.no-findings")}</p>
            {groups}
        </section>
    }
}

#[component]
fn ReviewItem(finding: Finding, tab: Tab) -> impl IntoView {
    let wizard = use_wizard();
    let severity = finding.severity();
    let source = finding.rule.source();
    let target = [field_id(&finding.field), message_id(&finding.field)];
    let href = format!("#{}", target[0]);
    view! {
        <li class=format!("finding {}", severity.as_str()) data-rule=finding.rule.id()>
            <strong>{t(&format!("severity.{}", severity.as_str()))}": "</strong>
            {finding.message(language::current())}
            <span class="links">
                <a
                    href=href
                    on:click=move |ev| {
                        ev.prevent_default();
                        wizard.tab.set(tab);
                        browser::focus(target.clone());
                    }
                >
                    {t("review.go-to-field")}
                </a>
                " · "
                <a href=source.url_in(language::current()) target="_blank" rel="noopener noreferrer">
                    {t("review.source")}": "{source.document_in(language::current())}" — "{source.section_in(language::current())}
                </a>
            </span>
        </li>
    }
}
