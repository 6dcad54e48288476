//! Form controls bound to one spec field each.
//!
//! A control gets the field's JSON path (the same path rule findings carry),
//! a getter and a setter on the spec. It shows the findings on that path under
//! itself, with `aria-invalid` and `aria-describedby`, as the user types.

use std::sync::Arc;

use leptos::prelude::*;

use super::rx::{rx, Rx};
use super::state::{t, use_wizard};
use super::language;
use crate::spec::Spec;
use crate::tabs::{field_id, message_id};

/// Reads a field from the spec. The components take plain closures (so that
/// call sites infer their types) and erase them into these trait objects at
/// once: each control's view is then compiled once, not once per field,
/// which keeps the wasm small (per-field copies cost about 150 KB gzip).
#[derive(Clone)]
pub struct Get<T>(Arc<dyn Fn(&Spec) -> T + Send + Sync>);

/// Writes a field of the spec.
#[derive(Clone)]
pub struct Set<T>(Arc<Setter<T>>);

type Setter<T> = dyn Fn(&mut Spec, T) + Send + Sync;

/// The findings on one field, in a live region the control points to.
#[component]
pub fn FieldMessages(#[prop(into)] field: String, #[prop(optional)] hint: &'static str) -> impl IntoView {
    let wizard = use_wizard();
    let id = message_id(&field);
    let messages = move || {
        wizard
            .findings_on(&field)
            .into_iter()
            .map(|f| {
                let severity = f.severity();
                let class = format!("finding {}", severity.as_str());
                let prefix = t(&format!("severity.{}", severity.as_str()));
                let source = f.rule.source();
                view! {
                    <p class=class data-rule=f.rule.id()>
                        <strong>{prefix}": "</strong>
                        {f.message(language::current())}" "
                        <a href=source.url_in(language::current()) target="_blank" rel="noopener noreferrer" class="source">
                            {source.section_in(language::current())}
                        </a>
                    </p>
                }
            })
            .collect_view()
    };
    view! {
        <div id=id class="messages" aria-live="polite" tabindex="-1">
            {(!hint.is_empty()).then(|| view! { <p class="hint">{t(hint)}</p> })}
            {messages}
        </div>
    }
}

fn invalid(field: &str) -> Rx<&'static str> {
    let wizard = use_wizard();
    let field = field.to_string();
    rx(move || if wizard.has_error_on(&field) { "true" } else { "false" })
}

/// A one-line text input.
#[component]
pub fn TextField(
    #[prop(into)] field: String,
    #[prop(into)] label: String,
    #[prop(optional)] hint: &'static str,
    #[prop(optional)] placeholder: &'static str,
    #[prop(optional)] list: Option<&'static str>,
    /// Marked as required; its "is empty" error waits until the field is left.
    #[prop(optional)]
    required: bool,
    get: impl Fn(&Spec) -> String + Send + Sync + 'static,
    set: impl Fn(&mut Spec, String) + Send + Sync + 'static,
) -> impl IntoView {
    text_field(field, label, hint, placeholder, list, required, Get(Arc::new(get)), Set(Arc::new(set)))
}

#[allow(clippy::too_many_arguments)]
fn text_field(
    field: String,
    label: String,
    hint: &'static str,
    placeholder: &'static str,
    list: Option<&'static str>,
    required: bool,
    get: Get<String>,
    set: Set<String>,
) -> impl IntoView {
    let wizard = use_wizard();
    let id = field_id(&field);
    let described_by = message_id(&field);
    let invalid = invalid(&field);
    let left = field.clone();
    view! {
        <div class="field" class:required=required>
            <label for=id.clone()>{label}</label>
            <input
                id=id
                type="text"
                aria-required=required.then_some("true")
                on:blur=move |_| wizard.touch(&left)
                autocomplete="off"
                spellcheck="false"
                placeholder=placeholder
                list=list
                aria-invalid=invalid
                aria-describedby=described_by
                prop:value=rx(move || wizard.spec.with(|s| (get.0)(s)))
                on:input=move |ev| {
                    let value = event_target_value(&ev);
                    wizard.edit(|s| (set.0)(s, value));
                }
            />
            <FieldMessages field=field hint=hint />
        </div>
    }
}

/// A checkbox.
#[component]
pub fn CheckField(
    #[prop(into)] field: String,
    #[prop(into)] label: String,
    #[prop(optional)] hint: &'static str,
    get: impl Fn(&Spec) -> bool + Send + Sync + 'static,
    set: impl Fn(&mut Spec, bool) + Send + Sync + 'static,
) -> impl IntoView {
    check_field(field, label, hint, Get(Arc::new(get)), Set(Arc::new(set)))
}

fn check_field(field: String, label: String, hint: &'static str, get: Get<bool>, set: Set<bool>) -> impl IntoView {
    let wizard = use_wizard();
    let id = field_id(&field);
    let described_by = message_id(&field);
    let invalid = invalid(&field);
    view! {
        <div class="field check">
            <input
                id=id.clone()
                type="checkbox"
                aria-invalid=invalid
                aria-describedby=described_by
                prop:checked=rx(move || wizard.spec.with(|s| (get.0)(s)))
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    wizard.edit(|s| (set.0)(s, on));
                }
            />
            <label for=id>{label}</label>
            <FieldMessages field=field hint=hint />
        </div>
    }
}

/// A drop-down list. Options are (value, catalog text or literal label).
#[component]
pub fn SelectField(
    #[prop(into)] field: String,
    #[prop(into)] label: String,
    options: Vec<(&'static str, String)>,
    get: impl Fn(&Spec) -> &'static str + Send + Sync + 'static,
    set: impl Fn(&mut Spec, String) + Send + Sync + 'static,
) -> impl IntoView {
    select_field(field, label, options, Get(Arc::new(get)), Set(Arc::new(set)))
}

fn select_field(
    field: String,
    label: String,
    options: Vec<(&'static str, String)>,
    get: Get<&'static str>,
    set: Set<String>,
) -> impl IntoView {
    let wizard = use_wizard();
    let id = field_id(&field);
    let described_by = message_id(&field);
    let invalid = invalid(&field);
    let options = options
        .into_iter()
        .map(|(value, label)| {
            let get = get.clone();
            view! {
                <option value=value selected=rx(move || wizard.spec.with(|s| (get.0)(s)) == value)>
                    {label}
                </option>
            }
        })
        .collect_view();
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select
                id=id
                aria-invalid=invalid
                aria-describedby=described_by
                prop:value=rx(move || wizard.spec.with(|s| (get.0)(s)))
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    wizard.edit(|s| (set.0)(s, value));
                }
            >
                {options}
            </select>
            <FieldMessages field=field />
        </div>
    }
}

/// A group of radio buttons in a fieldset: one choice among a few.
#[component]
pub fn RadioField(
    #[prop(into)] field: String,
    #[prop(into)] label: String,
    #[prop(optional)] hint: &'static str,
    options: Vec<(&'static str, String)>,
    get: impl Fn(&Spec) -> &'static str + Send + Sync + 'static,
    set: impl Fn(&mut Spec, String) + Send + Sync + 'static,
) -> impl IntoView {
    radio_field(field, label, hint, options, Get(Arc::new(get)), Set(Arc::new(set)))
}

fn radio_field(
    field: String,
    label: String,
    hint: &'static str,
    options: Vec<(&'static str, String)>,
    get: Get<&'static str>,
    set: Set<String>,
) -> impl IntoView {
    let wizard = use_wizard();
    let id = field_id(&field);
    let described_by = message_id(&field);
    let radios = options
        .into_iter()
        .map(|(value, text)| {
            let radio_id = format!("{id}-{value}");
            let (get, set) = (get.clone(), set.clone());
            view! {
                <span class="radio">
                    <input
                        type="radio"
                        id=radio_id.clone()
                        name=id.clone()
                        value=value
                        prop:checked=rx(move || wizard.spec.with(|s| (get.0)(s)) == value)
                        on:change=move |_| wizard.edit(|s| (set.0)(s, value.to_string()))
                    />
                    <label for=radio_id>{text}</label>
                </span>
            }
        })
        .collect_view();
    view! {
        <fieldset class="field radios" id=id.clone() aria-describedby=described_by tabindex="-1">
            <legend>{label}</legend>
            <div class="radio-row">{radios}</div>
            <FieldMessages field=field hint=hint />
        </fieldset>
    }
}

/// Content shown while a condition on the spec holds. Unlike `<Show>`, the
/// content stays mounted and is only `hidden`, and the condition is a trait
/// object: every use shares one compiled view (each `<Show>` instance costs
/// several KB of wasm), and Review can still reach every field.
#[component]
pub fn Shown(when: impl Fn(&Spec) -> bool + Send + Sync + 'static, children: Children) -> impl IntoView {
    shown(Get(Arc::new(when)), children())
}

fn shown(when: Get<bool>, content: AnyView) -> AnyView {
    let wizard = use_wizard();
    view! { <div class="shown" hidden=rx(move || !wizard.spec.with(|s| (when.0)(s)))>{content}</div> }.into_any()
}

/// A whole number (replica count, LUN). Text that is not a number leaves the
/// spec unchanged; the browser's number input does not let it in anyway.
#[component]
pub fn NumberField(
    #[prop(into)] field: String,
    #[prop(into)] label: String,
    #[prop(optional)] hint: &'static str,
    get: impl Fn(&Spec) -> u32 + Send + Sync + 'static,
    set: impl Fn(&mut Spec, u32) + Send + Sync + 'static,
) -> impl IntoView {
    number_field(field, label, hint, Get(Arc::new(get)), Set(Arc::new(set)))
}

fn number_field(field: String, label: String, hint: &'static str, get: Get<u32>, set: Set<u32>) -> impl IntoView {
    let wizard = use_wizard();
    let id = field_id(&field);
    let described_by = message_id(&field);
    let invalid = invalid(&field);
    view! {
        <div class="field number">
            <label for=id.clone()>{label}</label>
            <input
                id=id
                type="number"
                min="0"
                step="1"
                inputmode="numeric"
                aria-invalid=invalid
                aria-describedby=described_by
                prop:value=rx(move || wizard.spec.with(|s| (get.0)(s)).to_string())
                on:input=move |ev| {
                    if let Ok(n) = event_target_value(&ev).trim().parse::<u32>() {
                        wizard.edit(|s| (set.0)(s, n));
                    }
                }
            />
            <FieldMessages field=field hint=hint />
        </div>
    }
}

/// The create view or the change view of a tab, mounted one at a time: the
/// two share field paths (the registry's name, the vault, the rules), and an
/// element id must be unique. Rebuilt only when the mode changes; plain
/// function pointers, so every tab shares one compiled switch.
pub fn by_mode(create: fn() -> AnyView, change: fn() -> AnyView) -> impl IntoView {
    let wizard = use_wizard();
    let is_change = Memo::new(move |_| wizard.spec.with(|s| s.is_change()));
    move || if is_change.with(|c| *c) { change() } else { create() }
}
