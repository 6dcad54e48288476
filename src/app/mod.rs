//! The browser wizard (wasm32 only): a thin Leptos layer over the core.
//!
//! `state` holds the spec in a signal and derives findings and outputs from
//! it; `controls` binds inputs to spec fields; one module per tab; `outputs`
//! renders the code that `generator` (a wasm module of its own) makes; `toolbar` imports, exports and resets; `storage` and
//! `browser` are the only places that touch browser APIs directly.

mod basics;
mod browser;
mod change;
mod controls;
mod encryption;
mod gallery;
mod generator;
mod language;
mod networking;
mod outputs;
mod review;
mod rx;
mod state;
mod storage;
mod tags;
mod toolbar;

use leptos::prelude::*;

use crate::i18n::Locale;
use crate::names::KNOWN_REGIONS;
use crate::spec::{Kind, Spec};
use crate::tabs::{self, Tab};
use rx::rx;
use state::{t, tf, Wizard};

/// Starts the wizard: in the language the user chose before or the browser
/// asks for, once that language's catalog is there (English if it fails).
pub fn mount() {
    wasm_bindgen_futures::spawn_local(async {
        let wanted = language::initial();
        let failed = language::ensure(wanted).await.err().map(|error| (wanted, error));
        let locale = if failed.is_some() { Locale::En } else { wanted };
        language::apply(locale);
        leptos::mount::mount_to_body(move || view! { <App locale=locale catalog_failed=failed.clone() /> });
    });
}

#[component]
fn App(locale: Locale, catalog_failed: Option<(Locale, String)>) -> impl IntoView {
    let (spec, notice) = match storage::load() {
        storage::Loaded::Spec(spec) => (spec, None),
        storage::Loaded::Nothing => (Spec::default(), None),
        storage::Loaded::Unreadable(error, key) => {
            (Spec::default(), Some(tf("app.saved-unreadable", &[("error", error), ("key", key)])))
        }
        storage::Loaded::Unavailable => (Spec::default(), Some(t("app.storage-unavailable").to_string())),
    };
    let wizard = Wizard::new(spec);
    if let Some(text) = notice {
        wizard.fail(text);
    }
    if let Some((wanted, error)) = catalog_failed {
        wizard.fail(tf("app.language-failed", &[("language", wanted.native_name().to_string()), ("error", error)]));
    }
    provide_context(wizard);
    let language = RwSignal::new(locale);
    provide_context(language);
    // Switching kind, mode or operation (or importing) can leave a tab the
    // spec no longer shows: go back to Basics.
    Effect::new(move |_| {
        let shown = wizard.spec.with(Tab::for_spec);
        if !shown.contains(&wizard.tab.get_untracked()) {
            wizard.tab.set(Tab::Basics);
        }
    });
    // Review lists every finding: from then on the fields show theirs too.
    Effect::new(move |_| {
        if wizard.tab.get() == Tab::Review {
            wizard.revealed.set(true);
        }
    });
    // Every change is kept: a reload restores exactly what was typed.
    Effect::new(move |_| wizard.spec.with(storage::save));

    // A new language rebuilds every view (texts are read when views are
    // built); the wizard's state above is kept as it is.
    move || {
        language::apply(language.get());
        page()
    }
}

fn page() -> AnyView {
    let wizard = state::use_wizard();
    view! {
        <header>
            <h1>{t("app.title")}</h1>
            <p class="subtitle">{t("app.subtitle")}</p>
            <toolbar::Toolbar />
            <language::LanguagePicker />
        </header>
        <div class="layout">
            <main class="wizard">
                <p class="required-note">{t("app.required-note")}</p>
                <TabList />
                {Tab::ALL.into_iter().map(|tab| view! { <TabPanel tab=tab /> }).collect_view()}
                <Pager />
            </main>
            <aside class="side">
                <outputs::Outputs />
            </aside>
        </div>
        <p class="status" role="status" id="status">{rx(move || wizard.status.get())}</p>
        <Regions />
    }
    .into_any()
}

#[component]
fn TabList() -> impl IntoView {
    let wizard = state::use_wizard();
    let counts = Memo::new(move |_| wizard.shown.with(|f| tabs::error_counts(f)));
    let shown = Memo::new(move |_| wizard.spec.with(Tab::for_spec));
    let buttons = move || {
        let tabs = shown.get();
        tabs.iter()
        .copied()
        .map(|tab| {
            let i = Tab::ALL.iter().position(|t| *t == tab).unwrap_or(0);
            let selected = move || wizard.tab.get() == tab;
            let count = move || counts.get()[i];
            view! {
                <button
                    type="button"
                    role="tab"
                    id=format!("tab-{}", tab.slug())
                    aria-controls=format!("panel-{}", tab.slug())
                    aria-selected=rx(move || selected().to_string())
                    tabindex=rx(move || if selected() { "0" } else { "-1" })
                    on:click=move |_| wizard.tab.set(tab)
                    on:keydown=move |ev| tablist_keys(&ev, tabs, tab, |t| wizard.tab.set(t), |t| format!("tab-{}", t.slug()))
                >
                    {t(tab.label())}
                    <span
                        class="badge"
                        hidden=rx(move || count() == 0)
                        aria-label=rx(move || tf("tab.errors", &[("count", count().to_string())]))
                    >
                        {count}
                    </span>
                </button>
            }
        })
        .collect_view()
    };
    view! {
        <div role="tablist" aria-label=t("app.tabs") class="tablist">
            {buttons}
        </div>
    }
}

#[component]
fn TabPanel(tab: Tab) -> impl IntoView {
    let wizard = state::use_wizard();
    let content = match tab {
        Tab::Basics => view! { <basics::Basics /> }.into_any(),
        Tab::Encryption => controls::by_mode(
            || {
                view! {
                    <controls::Shown when=|s| s.kind == Kind::Registry>
                        <encryption::Encryption />
                    </controls::Shown>
                    <controls::Shown when=|s| s.kind == Kind::GalleryImageVersion>
                        <gallery::GalleryEncryptionTab />
                    </controls::Shown>
                }
                .into_any()
            },
            || {
                view! {
                    <controls::Shown when=|s| s.kind == Kind::Registry>
                        <change::ChangeKey />
                    </controls::Shown>
                    <controls::Shown when=|s| s.kind == Kind::GalleryImageVersion>
                        <gallery::GalleryEncryptionTab />
                    </controls::Shown>
                }
                .into_any()
            },
        )
        .into_any(),
        Tab::Networking => controls::by_mode(
            || view! { <networking::Networking /> }.into_any(),
            || view! { <change::ChangeNetwork /> }.into_any(),
        )
        .into_any(),
        Tab::Replication => view! { <gallery::Replication /> }.into_any(),
        Tab::Tags => view! { <tags::Tags /> }.into_any(),
        Tab::Review => view! { <review::Review /> }.into_any(),
    };
    // Panels stay in the DOM when hidden, so that Review can focus any field.
    view! {
        <div
            role="tabpanel"
            id=format!("panel-{}", tab.slug())
            aria-labelledby=format!("tab-{}", tab.slug())
            hidden=rx(move || wizard.tab.get() != tab)
            class="panel"
        >
            {content}
        </div>
    }
}

/// The regions every location field suggests (`list="regions"`): the CLI
/// name, which the field takes, and the display name in the UI's language.
/// Typing a region not listed still works; the rules check its shape.
#[component]
fn Regions() -> impl IntoView {
    view! {
        <datalist id="regions">
            {KNOWN_REGIONS
                .iter()
                .map(|r| view! { <option value=*r label=format!("{} ({r})", t(&format!("region.{r}")))></option> })
                .collect_view()}
        </datalist>
    }
}

/// Previous / Next buttons under the form, as in the portal.
#[component]
fn Pager() -> impl IntoView {
    let wizard = state::use_wizard();
    let tabs = move || wizard.spec.with(Tab::for_spec);
    let index = move || tabs().iter().position(|t| *t == wizard.tab.get()).unwrap_or(0);
    let go = move |delta: isize| {
        let next = index().saturating_add_signed(delta).min(tabs().len() - 1);
        wizard.tab.set(tabs()[next]);
        browser::focus([format!("tab-{}", tabs()[next].slug()), String::new()]);
    };
    view! {
        <nav class="pager">
            <button type="button" id="previous" disabled=rx(move || index() == 0) on:click=move |_| go(-1)>
                {t("app.previous")}
            </button>
            <button
                type="button"
                id="next"
                disabled=rx(move || index() + 1 == tabs().len())
                on:click=move |_| go(1)
            >
                {rx(move || match tabs().get(index() + 1) {
                    Some(next) => format!("{}: {}", t("app.next"), t(next.label())),
                    None => t("app.next").to_string(),
                })}
            </button>
        </nav>
    }
}

/// Arrow keys, Home and End move between the tabs of an ARIA tablist (WAI-ARIA
/// Authoring Practices, tabs with automatic activation).
pub(crate) fn tablist_keys<T: Copy + PartialEq>(
    ev: &leptos::ev::KeyboardEvent,
    all: &[T],
    current: T,
    select: impl Fn(T),
    id: impl Fn(T) -> String,
) {
    let i = all.iter().position(|t| *t == current).unwrap_or(0);
    let next = match ev.key().as_str() {
        "ArrowRight" => (i + 1) % all.len(),
        "ArrowLeft" => (i + all.len() - 1) % all.len(),
        "Home" => 0,
        "End" => all.len() - 1,
        _ => return,
    };
    ev.prevent_default();
    select(all[next]);
    browser::focus([id(all[next]), String::new()]);
}
