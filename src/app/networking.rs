//! Networking: public access, IP rules, service-endpoint rules and the
//! trusted-services exception.
//!
//! List rows are keyed by index and read their values through the spec, so
//! removing a row in the middle re-binds the rows below to their new values.

use leptos::prelude::*;

use super::controls::{CheckField, FieldMessages, RadioField, TextField};
use super::encryption::NeedsPremium;
use super::rx::Rows;
use super::state::{t, tf, use_wizard};
use crate::spec::{PublicAccess, VnetRule};

#[component]
pub fn Networking() -> impl IntoView {
    view! {
        <NeedsPremium message="needs-premium.networking" />
        <RadioField
            field="registry.networking.publicAccess"
            label=t("field.networking.publicAccess")
            options=public_access_options()
            get=|s| public_access(s.registry.networking.public_access)
            set=|s, v| s.registry.networking.public_access = parse_public_access(&v)
        />
        <IpRules />
        <VnetRules />
        <section aria-labelledby="h-exceptions">
            <h2 id="h-exceptions">{t("section.exceptions")}</h2>
            <CheckField
                field="registry.networking.allowTrustedServices"
                label=t("field.networking.allowTrustedServices")
                get=|s| s.registry.networking.allow_trusted_services
                set=|s, v| s.registry.networking.allow_trusted_services = v
            />
            <CheckField
                field="registry.networking.allowTasksBypass"
                label=t("field.networking.allowTasksBypass")
                get=|s| s.registry.networking.allow_tasks_bypass
                set=|s, v| s.registry.networking.allow_tasks_bypass = v
            />
        </section>
    }
}

pub(super) fn public_access_options() -> Vec<(&'static str, String)> {
    vec![
        ("all", t("option.public.all").into()),
        ("selectedNetworks", t("option.public.selected").into()),
        ("disabled", t("option.public.disabled").into()),
    ]
}

pub(super) fn public_access(access: PublicAccess) -> &'static str {
    match access {
        PublicAccess::All => "all",
        PublicAccess::SelectedNetworks => "selectedNetworks",
        PublicAccess::Disabled => "disabled",
    }
}

pub(super) fn parse_public_access(value: &str) -> PublicAccess {
    match value {
        "selectedNetworks" => PublicAccess::SelectedNetworks,
        "disabled" => PublicAccess::Disabled,
        _ => PublicAccess::All,
    }
}

/// The registry's IP rules (to create, or to add to a registry that exists).
#[component]
pub fn IpRules() -> impl IntoView {
    let wizard = use_wizard();
    let ip_count = move || wizard.spec.with(|s| s.registry.networking.ip_rules.len());
    view! {
        <section aria-labelledby="h-ip-rules">
            <h2 id="h-ip-rules">{t("section.ip-rules")}</h2>
            <FieldMessages field="registry.networking.ipRules" />
            <Rows count=ip_count row=move |i| view! {
                <div class="row">
                    <TextField
                        field=format!("registry.networking.ipRules[{i}]")
                        label=tf("field.ipRule", &[("n", (i + 1).to_string())])
                        placeholder="203.0.113.0/24"
                        get=move |s| s.registry.networking.ip_rules.get(i).cloned().unwrap_or_default()
                        set=move |s, v| {
                            if let Some(rule) = s.registry.networking.ip_rules.get_mut(i) {
                                *rule = v;
                            }
                        }
                    />
                    <button
                        type="button"
                        class="remove"
                        aria-label=tf("action.remove-ip-rule", &[("n", (i + 1).to_string())])
                        on:click=move |_| {
                            wizard
                                .edit(|s| {
                                    if i < s.registry.networking.ip_rules.len() {
                                        s.registry.networking.ip_rules.remove(i);
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
                id="add-ip-rule"
                on:click=move |_| wizard.edit(|s| s.registry.networking.ip_rules.push(String::new()))
            >
                {t("action.add-ip-rule")}
            </button>
        </section>
    }
}

/// The registry's virtual network (service endpoint) rules.
#[component]
pub fn VnetRules() -> impl IntoView {
    let wizard = use_wizard();
    let vnet_count = move || wizard.spec.with(|s| s.registry.networking.vnet_rules.len());
    view! {
        <section aria-labelledby="h-vnet-rules">
            <h2 id="h-vnet-rules">{t("section.vnet-rules")}</h2>
            <FieldMessages field="registry.networking.vnetRules" />
            <Rows count=vnet_count row=move |i| view! {
                <VnetRuleRow i=i />
            } />
            <button
                type="button"
                id="add-vnet-rule"
                on:click=move |_| wizard.edit(|s| s.registry.networking.vnet_rules.push(VnetRule::default()))
            >
                {t("action.add-vnet-rule")}
            </button>
        </section>
    }
}

/// Reads a text field of VNet rule `i`, or "" while the row is being removed.
fn rule_text(s: &crate::spec::Spec, i: usize, f: fn(&VnetRule) -> &String) -> String {
    s.registry.networking.vnet_rules.get(i).map(f).cloned().unwrap_or_default()
}

fn set_rule(s: &mut crate::spec::Spec, i: usize, f: impl FnOnce(&mut VnetRule)) {
    if let Some(rule) = s.registry.networking.vnet_rules.get_mut(i) {
        f(rule);
    }
}

#[component]
fn VnetRuleRow(i: usize) -> impl IntoView {
    let wizard = use_wizard();
    let path = format!("registry.networking.vnetRules[{i}]");
    let n = (i + 1).to_string();
    view! {
        <fieldset class="group">
            <legend>{tf("field.vnetRule", &[("n", n.clone())])}</legend>
            <FieldMessages field=path.clone() />
            <TextField
                field=format!("{path}.subnetId")
                label=t("field.vnetRule.subnetId")
                hint="hint.vnetRule.subnetId"
                get=move |s| rule_text(s, i, |r| &r.subnet_id)
                set=move |s, v| set_rule(s, i, |r| r.subnet_id = v)
            />
            <TextField
                field=format!("{path}.vnetName")
                label=t("field.vnetRule.vnetName")
                get=move |s| rule_text(s, i, |r| &r.vnet_name)
                set=move |s, v| set_rule(s, i, |r| r.vnet_name = v)
            />
            <TextField
                field=format!("{path}.subnetName")
                label=t("field.vnetRule.subnetName")
                get=move |s| rule_text(s, i, |r| &r.subnet_name)
                set=move |s, v| set_rule(s, i, |r| r.subnet_name = v)
            />
            <TextField
                field=format!("{path}.resourceGroup")
                label=t("field.vnetRule.resourceGroup")
                hint="hint.other-group"
                get=move |s| rule_text(s, i, |r| &r.resource_group)
                set=move |s, v| set_rule(s, i, |r| r.resource_group = v)
            />
            <TextField
                field=format!("{path}.subscriptionId")
                label=t("field.vnetRule.subscriptionId")
                hint="hint.vnetRule.subscriptionId"
                get=move |s| rule_text(s, i, |r| &r.subscription_id)
                set=move |s, v| set_rule(s, i, |r| r.subscription_id = v)
            />
            <CheckField
                field=format!("{path}.addServiceEndpoint")
                label=t("field.vnetRule.addServiceEndpoint")
                get=move |s| s.registry.networking.vnet_rules.get(i).is_some_and(|r| r.add_service_endpoint)
                set=move |s, v| set_rule(s, i, |r| r.add_service_endpoint = v)
            />
            <button
                type="button"
                class="remove"
                on:click=move |_| {
                    wizard
                        .edit(|s| {
                            if i < s.registry.networking.vnet_rules.len() {
                                s.registry.networking.vnet_rules.remove(i);
                            }
                        })
                }
            >
                {tf("action.remove-vnet-rule", &[("n", n)])}
            </button>
        </fieldset>
    }
}
