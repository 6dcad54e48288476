//! The UI's language: chosen from the browser's languages on a first visit,
//! switched from the header, remembered in localStorage, and followed by
//! `<html lang>`.
//!
//! Korean and Traditional Chinese catalogs are fetched from the page's own
//! origin (`i18n/<code>.json`) the first time they are needed and installed
//! into the core's catalog; switching back and forth after that is instant.
//! A catalog that cannot be fetched leaves the page in English, with a notice.
//!
//! Texts are read when views are built, not tracked one by one: the app
//! rebuilds its views when the language changes (`App`), and the spec, the tab
//! and the output shown live outside them, so nothing the user did is lost.

use std::cell::Cell;

use leptos::prelude::*;

use super::browser;
use super::state::{t, tf, use_wizard};
use crate::i18n::{self, Locale};

const KEY: &str = "registry-wizard.language";

thread_local! {
    static CURRENT: Cell<Locale> = const { Cell::new(Locale::En) };
}

/// The language texts are read in now.
pub fn current() -> Locale {
    CURRENT.with(Cell::get)
}

/// The stored choice, else the first of the browser's languages the wizard speaks.
pub fn initial() -> Locale {
    let window = web_sys::window();
    let stored = window
        .as_ref()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .and_then(|code| Locale::from_code(&code));
    stored.unwrap_or_else(|| {
        let languages: Vec<String> = window
            .map(|w| w.navigator().languages().iter().filter_map(|l| l.as_string()).collect())
            .unwrap_or_default();
        Locale::from_browser(languages.iter().map(String::as_str))
    })
}

/// Fetches and installs `locale`'s catalog unless it is there already.
pub async fn ensure(locale: Locale) -> Result<(), String> {
    if i18n::is_installed(locale) {
        return Ok(());
    }
    let text = browser::fetch_text(&format!("i18n/{}.json", locale.code())).await?;
    i18n::install(locale, &text).map(|_| ())
}

/// Makes `locale` the one texts are read in, and says so to the page.
pub fn apply(locale: Locale) {
    CURRENT.with(|c| c.set(locale));
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        if let Some(html) = document.document_element() {
            let _ = html.set_attribute("lang", locale.code());
        }
    }
}

fn remember(locale: Locale) {
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(KEY, locale.code());
    }
}

/// The language picker in the header: each language named in itself.
#[component]
pub fn LanguagePicker() -> impl IntoView {
    let wizard = use_wizard();
    let language = expect_context::<RwSignal<Locale>>();
    let choose = move |ev: leptos::ev::Event| {
        let Some(locale) = Locale::from_code(&event_target_value(&ev)) else { return };
        leptos::task::spawn_local(async move {
            match ensure(locale).await {
                Ok(()) => {
                    remember(locale);
                    language.set(locale);
                    browser::focus(["language".to_string(), String::new()]);
                }
                Err(error) => {
                    // The picker shows the language still in use.
                    language.update(|_| {});
                    wizard.fail(tf("app.language-failed", &[("language", locale.native_name().to_string()), ("error", error)]));
                }
            }
        });
    };
    view! {
        <label class="language">
            <span>{t("app.language")}</span>
            <select id="language" on:change=choose>
                {Locale::ALL
                    .into_iter()
                    .map(|l| {
                        view! {
                            <option value=l.code() lang=l.code() selected=l == current()>
                                {l.native_name()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}
