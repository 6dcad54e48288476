//! The spec's own actions: start from an example, export, import, reset; and
//! the notice banner that reports them (with Undo for replacements).

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use super::browser;
use super::state::{t, tf, use_wizard};
use crate::examples::EXAMPLES;
use crate::spec::Spec;
use crate::spec_json;

#[component]
pub fn Toolbar() -> impl IntoView {
    let wizard = use_wizard();
    let export = move |_| {
        let text = wizard.spec.with_untracked(spec_json::to_json);
        if let Err(e) = browser::download("spec.json", "application/json", text.as_bytes()) {
            wizard.fail(e);
        }
    };
    let import = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
        // Clear the input so that choosing the same file again fires again.
        input.set_value("");
        let name = file.name();
        spawn_local(async move {
            let parsed =
                browser::read_text(&file).await.and_then(|text| spec_json::from_json(&text).map_err(|e| e.to_string()));
            match parsed {
                Ok(spec) => wizard.replace(spec, tf("app.imported", &[("file", name)])),
                Err(error) => wizard.fail(tf("app.import-failed", &[("file", name), ("error", error)])),
            }
        });
    };
    let load_example = move |ev: leptos::ev::Event| {
        let name = event_target_value(&ev);
        if let Some(select) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()) {
            select.set_value("");
        }
        if !EXAMPLES.iter().any(|e| e.name == name) {
            return;
        }
        // The example files are served beside the page (index.html copies
        // examples/), the same files `registry-wizard example` prints.
        spawn_local(async move {
            let parsed = browser::fetch_text(&format!("examples/{name}.json"))
                .await
                .and_then(|text| spec_json::from_json(&text).map_err(|e| e.to_string()));
            match parsed {
                Ok(spec) => wizard.replace(spec, tf("app.example-loaded", &[("name", name)])),
                Err(error) => wizard.fail(tf("app.example-failed", &[("name", name), ("error", error)])),
            }
        });
    };
    view! {
        <div class="toolbar">
            <label for="example" class="inline">{t("app.example")}</label>
            <select id="example" on:change=load_example>
                <option value="">{t("app.example-none")}</option>
                {EXAMPLES
                    .iter()
                    // Described in the user's language; the name is what
                    // `registry-wizard example NAME` takes.
                    .map(|e| view! { <option value=e.name title=e.name>{t(e.description)}</option> })
                    .collect_view()}
            </select>
            <button type="button" id="export" on:click=export>{t("app.export")}</button>
            // The real file input stays focusable; its label looks like a button.
            <input type="file" id="import" class="visually-hidden" accept=".json,application/json" on:change=import />
            <label class="button" for="import">{t("app.import")}</label>
            <button
                type="button"
                id="reset"
                on:click=move |_| wizard.replace(Spec::default(), t("app.reset-done").to_string())
            >
                {t("app.reset")}
            </button>
        </div>
        <NoticeBanner />
    }
}

#[component]
fn NoticeBanner() -> impl IntoView {
    let wizard = use_wizard();
    move || {
        wizard.notice.get().map(|notice| {
            let class = if notice.is_error { "notice error" } else { "notice" };
            let role = if notice.is_error { "alert" } else { "status" };
            let undo = notice.undo.map(|before| {
                view! {
                    <button
                        type="button"
                        id="undo"
                        on:click=move |_| {
                            wizard.spec.set(before.clone());
                            wizard.notice.set(None);
                        }
                    >
                        {t("app.undo")}
                    </button>
                }
            });
            view! {
                <div class=class role=role id="notice" data-seq=notice.seq>
                    <span>{notice.text}</span>
                    {undo}
                    <button type="button" on:click=move |_| wizard.notice.set(None)>{t("app.dismiss")}</button>
                </div>
            }
        })
    }
}
