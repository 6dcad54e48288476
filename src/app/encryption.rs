//! Encryption: Microsoft-managed or customer-managed key, and for the latter
//! the identity, the key vault and the key. Fields of a choice not taken stay
//! in the spec (switching back restores them) but are not shown.

use leptos::prelude::*;

use super::controls::{CheckField, FieldMessages, RadioField, SelectField, Shown, TextField};
use super::rx::rx;
use super::state::{t, tf, use_wizard};
use crate::spec::{KeySize, KeyType, PermissionModel, Sku};

/// Shown where a choice needs the Premium SKU: says so and offers the switch,
/// instead of hiding the choice.
#[component]
pub fn NeedsPremium(message: &'static str) -> impl IntoView {
    let wizard = use_wizard();
    view! {
        <Shown when=|s| s.registry.sku != Sku::Premium>
            <div class="callout" role="note">
                <p>{rx(move || tf(message, &[("sku", wizard.spec.with(|s| s.registry.sku.as_str().to_string()))]))}</p>
                <button type="button" on:click=move |_| wizard.edit(|s| s.registry.sku = Sku::Premium)>
                    {t("action.switch-premium")}
                </button>
            </div>
        </Shown>
    }
}

fn new_or_existing() -> Vec<(&'static str, String)> {
    vec![("new", t("option.create-new").into()), ("existing", t("option.use-existing").into())]
}

fn choice(create: bool) -> &'static str {
    if create {
        "new"
    } else {
        "existing"
    }
}

#[component]
pub fn Encryption() -> impl IntoView {
    view! {
        <NeedsPremium message="needs-premium.encryption" />
        <RadioField
            field="registry.encryption.customerManagedKey"
            label=t("field.encryption")
            hint="hint.encryption"
            options=vec![
                ("microsoft", t("option.encryption.microsoft").into()),
                ("customer", t("option.encryption.customer").into()),
            ]
            get=|s| if s.registry.encryption.customer_managed_key { "customer" } else { "microsoft" }
            set=|s, v| s.registry.encryption.customer_managed_key = v == "customer"
        />
        <Shown when=|s| s.registry.encryption.customer_managed_key>
            <section aria-labelledby="h-identity">
                <h2 id="h-identity">{t("section.identity")}</h2>
                <RadioField
                    field="registry.encryption.identity.create"
                    label=t("field.identity.create")
                    options=new_or_existing()
                    get=|s| choice(s.registry.encryption.identity.create)
                    set=|s, v| s.registry.encryption.identity.create = v == "new"
                />
                <TextField
                    field="registry.encryption.identity.name"
                    required=true
                    label=t("field.identity.name")
                    get=|s| s.registry.encryption.identity.name.clone()
                    set=|s, v| s.registry.encryption.identity.name = v
                />
                <Shown when=|s| !s.registry.encryption.identity.create>
                    <TextField
                        field="registry.encryption.identity.resourceGroup"
                        label=t("field.identity.resourceGroup")
                        hint="hint.other-group"
                        get=|s| s.registry.encryption.identity.resource_group.clone()
                        set=|s, v| s.registry.encryption.identity.resource_group = v
                    />
                </Shown>
                <CheckField
                    field="registry.encryption.useSystemAssignedAfterCreate"
                    label=t("field.encryption.useSystemAssignedAfterCreate")
                    get=|s| s.registry.encryption.use_system_assigned_after_create
                    set=|s, v| s.registry.encryption.use_system_assigned_after_create = v
                />
            </section>
            <section aria-labelledby="h-vault">
                <h2 id="h-vault">{t("section.key-vault")}</h2>
                <RadioField
                    field="registry.encryption.keyVault.create"
                    label=t("field.keyVault.create")
                    options=new_or_existing()
                    get=|s| choice(s.registry.encryption.key_vault.create)
                    set=|s, v| s.registry.encryption.key_vault.create = v == "new"
                />
                <TextField
                    field="registry.encryption.keyVault.name"
                    required=true
                    label=t("field.keyVault.name")
                    get=|s| s.registry.encryption.key_vault.name.clone()
                    set=|s, v| s.registry.encryption.key_vault.name = v
                />
                <Shown when=|s| !s.registry.encryption.key_vault.create>
                    <TextField
                        field="registry.encryption.keyVault.resourceGroup"
                        label=t("field.keyVault.resourceGroup")
                        hint="hint.other-group"
                        get=|s| s.registry.encryption.key_vault.resource_group.clone()
                        set=|s, v| s.registry.encryption.key_vault.resource_group = v
                    />
                </Shown>
                <SelectField
                    field="registry.encryption.keyVault.permissionModel"
                    label=t("field.keyVault.permissionModel")
                    options=vec![("rbac", t("option.rbac").into()), ("accessPolicy", t("option.accessPolicy").into())]
                    get=|s| match s.registry.encryption.key_vault.permission_model {
                        PermissionModel::Rbac => "rbac",
                        PermissionModel::AccessPolicy => "accessPolicy",
                    }
                    set=|s, v| {
                        s.registry.encryption.key_vault.permission_model = if v == "rbac" {
                            PermissionModel::Rbac
                        } else {
                            PermissionModel::AccessPolicy
                        };
                    }
                />
                <CheckField
                    field="registry.encryption.keyVault.firewall"
                    label=t("field.keyVault.firewall")
                    get=|s| s.registry.encryption.key_vault.firewall
                    set=|s, v| s.registry.encryption.key_vault.firewall = v
                />
            </section>
            <section aria-labelledby="h-key">
                <h2 id="h-key">{t("section.key")}</h2>
                <RadioField
                    field="registry.encryption.key.create"
                    label=t("field.key.create")
                    options=vec![("new", t("option.key.new").into()), ("existing", t("option.key.existing").into())]
                    get=|s| choice(s.registry.encryption.key.create)
                    set=|s, v| s.registry.encryption.key.create = v == "new"
                />
                <Shown when=|s| !s.registry.encryption.key.create>
                    <TextField
                        field="registry.encryption.key.keyId"
                        label=t("field.key.keyId")
                        placeholder="https://VAULT.vault.azure.net/keys/NAME"
                        get=|s| s.registry.encryption.key.key_id.clone()
                        set=|s, v| s.registry.encryption.key.key_id = v
                    />
                </Shown>
                <Shown when=|s| s.registry.encryption.key.create>
                    <TextField
                        field="registry.encryption.key.name"
                        required=true
                        label=t("field.key.name")
                        get=|s| s.registry.encryption.key.name.clone()
                        set=|s, v| s.registry.encryption.key.name = v
                    />
                    <SelectField
                        field="registry.encryption.key.kty"
                        label=t("field.key.kty")
                        options=KeyType::ALL.iter().map(|k| (k.as_str(), k.as_str().to_string())).collect()
                        get=|s| s.registry.encryption.key.kty.as_str()
                        set=|s, v| {
                            if let Some(k) = KeyType::ALL.into_iter().find(|k| k.as_str() == v) {
                                s.registry.encryption.key.kty = k;
                            }
                        }
                    />
                    <SelectField
                        field="registry.encryption.key.size"
                        label=t("field.key.size")
                        options=vec![("2048", "2048".into()), ("3072", "3072".into()), ("4096", "4096".into())]
                        get=|s| match s.registry.encryption.key.size {
                            KeySize::Rsa2048 => "2048",
                            KeySize::Rsa3072 => "3072",
                            KeySize::Rsa4096 => "4096",
                        }
                        set=|s, v| {
                            if let Some(size) = v.parse().ok().and_then(|bits: u32| KeySize::try_from(bits).ok()) {
                                s.registry.encryption.key.size = size;
                            }
                        }
                    />
                    <CheckField
                        field="registry.encryption.key.versionless"
                        label=t("field.key.versionless")
                        get=|s| s.registry.encryption.key.versionless
                        set=|s, v| s.registry.encryption.key.versionless = v
                    />
                </Shown>
            </section>
        </Shown>
        // Findings on the encryption block as a whole (e.g. Premium).
        <FieldMessages field="registry.encryption" />
    }
}
