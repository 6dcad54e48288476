//! The outputs panel: a tab per family of outputs and one per file in it,
//! with copy, download and "Download all". Code is regenerated from the spec on every change; while an error
//! finding exists the panel says so instead of showing code, and until the
//! code generator has arrived it says that it is coming.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::browser;
use super::generator::Status;
use super::rx::rx;
use super::state::{t, tf, use_wizard};
use crate::emit::Format;
use crate::rules::Severity;
use crate::spec_json;
use crate::tabs::{field_id, message_id, Tab};
use crate::zip;

fn mime(format: Format) -> &'static str {
    match format {
        Format::AzCli | Format::ArmPreDeploy | Format::ArmPostDeploy => "text/x-shellscript",
        Format::PowerShell | Format::ArmPreDeployPs | Format::ArmPostDeployPs => "text/plain",
        Format::Arm | Format::ArmParameters => "application/json",
        Format::Bicep | Format::BicepParam | Format::BicepModule(_) => "text/plain",
        Format::Terraform
        | Format::TerraformVariables
        | Format::TerraformValues
        | Format::TerraformOutputs => "text/plain",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Panel {
    /// A fresh form: the required fields still empty.
    FillIn,
    /// Errors to fix first.
    Blocked,
    /// The code generator is on its way.
    Preparing,
    Failed,
    Code,
}

#[component]
pub fn Outputs() -> impl IntoView {
    let wizard = use_wizard();
    let errors = move || wizard.count(Severity::Error);
    // What the panel shows changes far less often than the spec: a memo, so
    // that a keystroke re-renders the code, not the panel around it.
    let panel = Memo::new(move |_| {
        if errors() > 0 {
            let shown = wizard.shown.with(|f| f.iter().any(|f| f.severity() == Severity::Error));
            return if shown { Panel::Blocked } else { Panel::FillIn };
        }
        match wizard.generator.status.get() {
            Status::Ready => Panel::Code,
            Status::Failed => Panel::Failed,
            Status::Idle | Status::Loading => Panel::Preparing,
        }
    });
    let code = Memo::new(move |_| wizard.output_of(wizard.output.get()));
    // A tab per family; within the chosen one, a tab per file it has for this
    // spec (the scripts around the ARM template and Bicep's modules only
    // where the plan needs them).
    let family = move || wizard.output.get().family();
    let families: Vec<Format> = Format::ALL.into_iter().filter(|f| f.family() == *f).collect();
    let family_tabs =
        families.iter().map(|&lead| output_tab(wizard, lead, true, families.clone())).collect_view();
    let files = Memo::new(move |_| {
        let lead = family();
        Format::every()
            .filter(|f| f.family() == lead)
            .filter(|f| Format::ALL.contains(f) || wizard.output_of(*f).is_some_and(|code| !code.is_empty()))
            .collect::<Vec<_>>()
    });
    // A file the spec no longer has (a module, once the vault is in the
    // deployment's group): its family's first file instead.
    Effect::new(move |_| {
        let format = wizard.output.get();
        if !files.with(|list| list.contains(&format)) {
            wizard.output.set(format.family());
        }
    });
    let file_tabs = move || {
        let list = files.get();
        (list.len() > 1).then(|| {
            let tabs = list.iter().map(|&format| output_tab(wizard, format, false, list.clone())).collect_view();
            view! { <div role="tablist" aria-label=t("outputs.files") class="tablist small files">{tabs}</div> }
        })
    };
    let labelled_by = move || {
        let format = wizard.output.get();
        let lead = format!("out-family-{}", format.family().name());
        if files.with(|f| f.len() > 1) { format!("{lead} out-tab-{}", format.name()) } else { lead }
    };
    let copy = move |_| {
        let format = wizard.output.get_untracked();
        if let Some(text) = code.get_untracked() {
            spawn_local(async move {
                let status = match browser::copy(&text).await {
                    Ok(()) => tf("outputs.copied", &[("file", format.file_name().to_string())]),
                    Err(_) => t("outputs.copy-failed").to_string(),
                };
                wizard.status.set(status);
            });
        }
    };
    let download = move |_| {
        let format = wizard.output.get_untracked();
        if let Some(text) = code.get_untracked() {
            let done = browser::download(format.file_name(), mime(format), &format.file_bytes(&text));
            wizard.status.set(match done {
                Ok(()) => tf("outputs.downloaded", &[("file", format.file_name().to_string())]),
                Err(e) => e,
            });
        }
    };
    let download_all = move |_| {
        let spec = wizard.spec.get_untracked();
        // The scripts around the ARM template and Bicep's modules go in too, where the plan has them.
        let outputs: Vec<(Format, String)> = Format::every()
            .filter_map(|f| wizard.output_of(f).filter(|code| !code.is_empty()).map(|code| (f, code)))
            .collect();
        let spec_text = spec_json::to_json(&spec);
        let bytes: Vec<(Format, Vec<u8>)> = outputs.iter().map(|(f, c)| (*f, f.file_bytes(c))).collect();
        let mut files: Vec<(&str, &[u8])> = bytes.iter().map(|(f, b)| (f.file_name(), b.as_slice())).collect();
        files.push(("spec.json", spec_text.as_bytes()));
        let name =
            format!("{}-deployment.zip", if spec.registry.name.is_empty() { "registry" } else { &spec.registry.name });
        let done = browser::download(&name, "application/zip", &zip::store(&files));
        wizard.status.set(match done {
            Ok(()) => tf("outputs.downloaded", &[("file", name)]),
            Err(e) => e,
        });
    };
    view! {
        <section class="outputs" aria-labelledby="h-outputs">
            <h2 id="h-outputs">{t("section.outputs")}</h2>
            <div role="tablist" aria-label=t("outputs.formats") class="tablist small">
                {family_tabs}
            </div>
            {file_tabs}
            <div
                id="out-panel"
                role="tabpanel"
                aria-labelledby=rx(labelled_by)
                data-format=rx(move || wizard.output.get().name())
            >
                {move || match panel.get() {
                    Panel::FillIn => view! { <FillIn /> }.into_any(),
                    Panel::Blocked => {
                        view! {
                            <p class="blocked" role="alert" id="outputs-blocked">
                                {rx(move || tf("outputs.blocked", &[("count", errors().to_string())]))}
                            </p>
                        }
                            .into_any()
                    }
                    Panel::Preparing | Panel::Failed => {
                        let failed = panel.get_untracked() == Panel::Failed;
                        view! {
                            <p
                                class="preparing"
                                id="outputs-preparing"
                                role=if failed { "alert" } else { "status" }
                                data-failed=failed.to_string()
                            >
                                {t(if failed { "outputs.generator-failed" } else { "outputs.preparing" })}
                            </p>
                        }
                            .into_any()
                    }
                    Panel::Code => {
                        view! {
                            <div class="actions">
                                <button type="button" id="copy" on:click=copy>{t("outputs.copy")}</button>
                                <button type="button" id="download" on:click=download>
                                    {rx(move || tf("outputs.download", &[("file", wizard.output.get().file_name().to_string())]))}
                                </button>
                                <button type="button" id="download-all" on:click=download_all>
                                    {t("outputs.download-all")}
                                </button>
                            </div>
                            <pre id="code" tabindex="0" aria-label=rx(move || wizard.output.get().file_name())>
                                <code>{rx(move || code.get().unwrap_or_default())}</code>
                            </pre>
                        }
                            .into_any()
                    }
                }}
            </div>
        </section>
    }
}

/// A tab of the panel's two lists, families and files (one function, so
/// the markup is compiled once): `by_family` tabs stand for every file of
/// their family.
fn output_tab(wizard: super::state::Wizard, format: Format, by_family: bool, list: Vec<Format>) -> impl IntoView {
    let selected = move || {
        let shown = wizard.output.get();
        if by_family { shown.family() == format } else { shown == format }
    };
    let id_of = move |f: Format| format!("out-{}-{}", if by_family { "family" } else { "tab" }, f.name());
    let label =
        if by_family { t(&format!("outputs.format.{}", format.name())).to_string() } else { format.file_name().to_string() };
    view! {
        <button
            type="button"
            role="tab"
            id=id_of(format)
            aria-controls="out-panel"
            aria-selected=rx(move || selected().to_string())
            tabindex=rx(move || if selected() { "0" } else { "-1" })
            on:click=move |_| wizard.output.set(format)
            on:keydown=move |ev| super::tablist_keys(&ev, &list, format, |f| wizard.output.set(f), id_of)
        >
            {label}
        </button>
    }
}

/// What a fresh form still needs, in place of errors the user has not met
/// yet: the required fields left empty, and a way to be shown them.
#[component]
fn FillIn() -> impl IntoView {
    let wizard = use_wizard();
    let show = move |_| {
        let first = wizard.to_fill_in().into_iter().next();
        wizard.revealed.set(true);
        if let Some(field) = first {
            wizard.tab.set(Tab::of_field(&field));
            browser::focus([field_id(&field), message_id(&field)]);
        }
    };
    view! {
        <div class="fill-in" id="outputs-fill-in">
            <p>{t("outputs.fill-in")}</p>
            <ul>
                {move || wizard.to_fill_in().iter().map(|f| view! { <li>{label_of(f)}</li> }).collect_view()}
            </ul>
            <button type="button" id="show-missing" on:click=show>{t("outputs.show-missing")}</button>
        </div>
    }
}

/// The label of a field by its path: `registry.encryption.identity.name` is
/// labelled by `field.identity.name`, `gallery.targetRegions[0].region` by
/// `field.targetRegion.region`; the path itself when no label matches.
fn label_of(field: &str) -> String {
    let path: Vec<String> = field
        .split('.')
        .map(|part| match part.find('[') {
            Some(i) => part[..i].strip_suffix('s').unwrap_or(&part[..i]).to_string(),
            None => part.to_string(),
        })
        .collect();
    (0..path.len())
        .map(|skip| format!("field.{}", path[skip..].join(".")))
        .find(|key| crate::i18n::translated(crate::i18n::Locale::En, key).is_some())
        .map_or_else(|| field.to_string(), |key| t(&key).to_string())
}
