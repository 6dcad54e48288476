//! Tags: name/value rows, kept as typed (see `spec::Tags`).

use leptos::prelude::*;

use super::controls::{Shown, TextField};
use super::rx::Rows;
use super::state::{t, tf, use_wizard};
use crate::spec::Spec;

fn cell(s: &Spec, i: usize, value: bool) -> String {
    s.tags.0.get(i).map(|(n, v)| if value { v.clone() } else { n.clone() }).unwrap_or_default()
}

#[component]
pub fn Tags() -> impl IntoView {
    let wizard = use_wizard();
    let count = move || wizard.spec.with(|s| s.tags.len());
    view! {
        <section aria-labelledby="h-tags">
            <h2 id="h-tags">{t("section.tags")}</h2>
            <p class="hint">{t("hint.tags")}</p>
            <Shown when=|s| s.tags.is_empty()>
                <p>{t("tags.empty")}</p>
            </Shown>
            <Rows count=count row=move |i| view! {
                <div class="row">
                    <TextField
                        field=format!("tags[{i}].name")
                        label=tf("field.tag.name", &[("n", (i + 1).to_string())])
                        get=move |s| cell(s, i, false)
                        set=move |s, v| {
                            if let Some(row) = s.tags.0.get_mut(i) {
                                row.0 = v;
                            }
                        }
                    />
                    <TextField
                        field=format!("tags[{i}].value")
                        label=tf("field.tag.value", &[("n", (i + 1).to_string())])
                        get=move |s| cell(s, i, true)
                        set=move |s, v| {
                            if let Some(row) = s.tags.0.get_mut(i) {
                                row.1 = v;
                            }
                        }
                    />
                    <button
                        type="button"
                        class="remove"
                        aria-label=tf("action.remove-tag", &[("n", (i + 1).to_string())])
                        on:click=move |_| {
                            wizard
                                .edit(|s| {
                                    if i < s.tags.len() {
                                        s.tags.0.remove(i);
                                    }
                                })
                        }
                    >
                        {t("action.remove")}
                    </button>
                </div>
            } />
            <button
                type="button"
                id="add-tag"
                on:click=move |_| wizard.edit(|s| s.tags.0.push((String::new(), String::new())))
            >
                {t("action.add-tag")}
            </button>
        </section>
    }
}
