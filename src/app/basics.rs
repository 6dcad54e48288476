//! Basics: project details (cloud, subscription, resource group, location) and
//! registry details (name, SKU, options) or the gallery image's, as in the portal.

use leptos::prelude::*;

use super::controls::{by_mode, CheckField, RadioField, SelectField, Shown, TextField};
use super::change::ChangeBasics;
use super::gallery::GalleryBasics;
use super::state::{t, use_wizard};
use crate::spec::{Cloud, Kind, Mode, Sku};

#[component]
pub fn Basics() -> impl IntoView {
    let clouds = Cloud::ALL.iter().map(|c| (c.cli_name(), c.cli_name().to_string())).collect();
    view! {
        <RadioField
            field="kind"
            label=t("field.kind")
            options=Kind::ALL.iter().map(|k| (k.as_str(), t(&format!("option.kind.{}", k.as_str())).to_string())).collect()
            get=|s| s.kind.as_str()
            set=|s, v| {
                if let Some(k) = Kind::ALL.into_iter().find(|k| k.as_str() == v) {
                    s.kind = k;
                    s.change.operation = s.change.operation.for_kind(k);
                }
            }
        />
        <ModeField />
        <section aria-labelledby="h-project">
            <h2 id="h-project">{t("section.project")}</h2>
            <SelectField
                field="cloud"
                label=t("field.cloud")
                options=clouds
                get=|s| s.cloud.cli_name()
                set=|s, v| {
                    if let Some(c) = Cloud::ALL.into_iter().find(|c| c.cli_name() == v) {
                        s.cloud = c;
                    }
                }
            />
            <TextField
                field="subscriptionId"
                label=t("field.subscriptionId")
                hint="hint.subscriptionId"
                placeholder="00000000-0000-0000-0000-000000000000"
                get=|s| s.subscription_id.clone()
                set=|s, v| s.subscription_id = v
            />
            <TextField
                field="resourceGroup.name"
                required=true
                label=t("field.resourceGroup.name")
                get=|s| s.resource_group.name.clone()
                set=|s, v| s.resource_group.name = v
            />
            // A change works on what exists: nothing is created, and the
            // registry is where it is.
            <Shown when=|s| !s.is_change()>
                <CheckField
                    field="resourceGroup.create"
                    label=t("field.resourceGroup.create")
                    get=|s| s.resource_group.create
                    set=|s, v| s.resource_group.create = v
                />
                <TextField
                    field="location"
                    required=true
                    label=t("field.location")
                    hint="hint.location"
                    list="regions"
                    get=|s| s.location.clone()
                    set=|s, v| s.location = v
                />
            </Shown>
        </section>
        {by_mode(
            || {
                view! {
                    <Shown when=|s| s.kind == Kind::GalleryImageVersion>
                        <GalleryBasics />
                    </Shown>
                    <RegistryDetails />
                }
                .into_any()
            },
            || view! { <ChangeBasics /> }.into_any(),
        )}
    }
}

/// Create or change: worded for the kind chosen above (one control, so that
/// its ids stay unique), rebuilt only when the kind changes.
#[component]
fn ModeField() -> impl IntoView {
    let wizard = use_wizard();
    let kind = Memo::new(move |_| wizard.spec.with(|s| s.kind));
    move || {
        let suffix = if kind.get() == Kind::GalleryImageVersion { "-gallery" } else { "" };
        view! {
            <RadioField
                field="mode"
                label=t("field.mode")
                options=vec![
                    ("create", t(&format!("option.mode.create{suffix}")).into()),
                    ("change", t(&format!("option.mode.change{suffix}")).into()),
                ]
                get=|s| if s.is_change() { "change" } else { "create" }
                set=|s, v| {
                    s.mode = if v == "change" { Mode::Change } else { Mode::Create };
                    s.change.operation = s.change.operation.for_kind(s.kind);
                }
            />
        }
    }
}

/// Registry details of a registry to create.
#[component]
fn RegistryDetails() -> impl IntoView {
    let skus = Sku::ALL.iter().map(|s| (s.as_str(), s.as_str().to_string())).collect();
    view! {
        <Shown when=|s| s.kind == Kind::Registry>
        <section aria-labelledby="h-registry">
            <h2 id="h-registry">{t("section.registry")}</h2>
            <TextField
                field="registry.name"
                required=true
                label=t("field.registry.name")
                hint="hint.registry.name"
                get=|s| s.registry.name.clone()
                set=|s, v| s.registry.name = v
            />
            <SelectField
                field="registry.sku"
                label=t("field.registry.sku")
                options=skus
                get=|s| s.registry.sku.as_str()
                set=|s, v| {
                    if let Some(sku) = Sku::ALL.into_iter().find(|k| k.as_str() == v) {
                        s.registry.sku = sku;
                    }
                }
            />
            <CheckField
                field="registry.zoneRedundancy"
                label=t("field.registry.zoneRedundancy")
                get=|s| s.registry.zone_redundancy
                set=|s, v| s.registry.zone_redundancy = v
            />
            <CheckField
                field="registry.adminUserEnabled"
                label=t("field.registry.adminUserEnabled")
                get=|s| s.registry.admin_user_enabled
                set=|s, v| s.registry.admin_user_enabled = v
            />
            <CheckField
                field="registry.contentTrust"
                label=t("field.registry.contentTrust")
                get=|s| s.registry.content_trust
                set=|s, v| s.registry.content_trust = v
            />
        </section>
        </Shown>
    }
}
