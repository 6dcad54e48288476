//! Day 2: change a registry that exists, or add regions to an image version
//! that exists. Basics holds the resource as it is (pasted from its JSON or
//! typed) and the operation; the operation's settings are on Encryption (key
//! operations; an image version's new disk encryption sets), Networking
//! (network and trusted-service operations) or Replication (an image
//! version's new regions); Review and the outputs are the create flow's.

use leptos::prelude::*;

use super::controls::{CheckField, FieldMessages, RadioField, SelectField, Shown, TextField};
use super::gallery::GalleryNames;
use super::networking::{parse_public_access, public_access, public_access_options, IpRules, VnetRules};
use super::rx::{rx, Rows};
use super::browser;
use super::state::{t, tf, use_wizard};
use crate::spec_json;
use crate::spec::{KeyIdentity, Kind, Operation, PermissionModel, RevokeMethod, Sku, Spec, TaskRole};

/// The registry operations (an image version's one is implied by its kind).
fn operations() -> Vec<(&'static str, String)> {
    Operation::ALL
        .into_iter()
        .filter(|op| !op.on_gallery())
        .map(|op| (op.as_str(), t(&format!("option.op.{}", op.as_str())).to_string()))
        .collect()
}

/// An image version's operations.
fn gallery_operations() -> Vec<(&'static str, String)> {
    [Operation::GalleryAddRegions, Operation::GalleryShowStatus]
        .into_iter()
        .map(|op| (op.as_str(), t(&format!("option.op.{}", op.as_str())).to_string()))
        .collect()
}

fn op(s: &Spec) -> Operation {
    s.change.operation
}

/// Basics of a change: paste what exists, name the registry and pick the
/// operation, or name the image version that gets more regions.
#[component]
pub fn ChangeBasics() -> impl IntoView {
    let wizard = use_wizard();
    let kind = Memo::new(move |_| wizard.spec.with(|s| s.kind));
    // One of the two at a time: both pick an operation (`change.operation`),
    // and an element id is on one control only.
    view! {
        <PasteExisting />
        {move || match kind.get() {
            Kind::Registry => view! { <RegistryChange /> }.into_any(),
            Kind::GalleryImageVersion => view! { <GalleryChange /> }.into_any(),
        }}
    }
}

/// An image version that exists: which one, and the regions and data disks
/// it has (the new regions are on Replication, their sets on Encryption).
#[component]
fn GalleryChange() -> impl IntoView {
    view! {
        <section aria-labelledby="h-change-gallery">
            <h2 id="h-change-gallery">{t("section.change-gallery")}</h2>
            <GalleryNames />
            <SelectField
                field="change.operation"
                label=t("field.change.operation")
                options=gallery_operations()
                get=|s| op(s).as_str()
                set=|s, v| {
                    if let Some(found) = Operation::ALL.into_iter().find(|o| o.as_str() == v) {
                        s.change.operation = found;
                    }
                }
            />
        </section>
        <section aria-labelledby="h-existing-gallery">
            <h2 id="h-existing-gallery">{t("section.existing-gallery")}</h2>
            <p class="hint">{t("hint.existing-gallery")}</p>
            <TextList
                field="change.existing.targetRegions"
                label="field.existing.targetRegion"
                add="action.add-existing-region"
                list=|s| &s.change.existing.target_regions
                list_mut=|s| &mut s.change.existing.target_regions
            />
            <FieldMessages field="change.existing.dataDiskLuns" />
            <p>{rx(|| {
                let luns = use_wizard().spec.with(|s| s.change.existing.data_disk_luns.iter().map(u32::to_string).collect::<Vec<_>>());
                if luns.is_empty() { t("hint.existing-no-data-disks").to_string() } else { tf("hint.existing-data-disks", &[("luns", luns.join(", "))]) }
            })}</p>
        </section>
    }
}

/// A registry that exists: its name and the operation.
#[component]
fn RegistryChange() -> impl IntoView {
    view! {
        <section aria-labelledby="h-change-registry">
            <h2 id="h-change-registry">{t("section.change-registry")}</h2>
            <TextField
                field="registry.name"
                required=true
                label=t("field.registry.name")
                get=|s| s.registry.name.clone()
                set=|s, v| s.registry.name = v
            />
            <SelectField
                field="change.operation"
                label=t("field.change.operation")
                options=operations()
                get=|s| op(s).as_str()
                set=|s, v| {
                    if let Some(found) = Operation::ALL.into_iter().find(|o| o.as_str() == v) {
                        s.change.operation = found;
                    }
                }
            />
            <Shown when=|s| op(s).is_destructive(s.registry.networking.allow_trusted_services)>
                <CheckField
                    field="change.acknowledged"
                    label=t("field.change.acknowledged")
                    get=|s| s.change.acknowledged
                    set=|s, v| s.change.acknowledged = v
                />
            </Shown>
        </section>
        <Existing />
    }
}

/// A textarea for the registry's JSON and a button that reads it into the
/// spec. The text itself is not kept: what it says is, in the fields below.
#[component]
fn PasteExisting() -> impl IntoView {
    let wizard = use_wizard();
    let text = RwSignal::new(String::new());
    // The importer is in the code generator's module: only a change needs it.
    let read = move |_| {
        let pasted = text.get_untracked();
        let current = wizard.spec.with_untracked(spec_json::to_json);
        leptos::task::spawn_local(async move {
            if !wizard.generator.ready().await {
                wizard.fail(tf("app.existing-failed", &[("error", t("outputs.generator-failed").to_string())]));
                return;
            }
            let answer: serde_json::Value =
                serde_json::from_str(&browser::run_import(&pasted, &current)).unwrap_or_default();
            if let Some(error) = answer["error"].as_str() {
                wizard.fail(tf("app.existing-failed", &[("error", error.to_string())]));
                return;
            }
            let spec = match spec_json::read(&answer["spec"]) {
                Ok(spec) => spec,
                Err(error) => return wizard.fail(tf("app.existing-failed", &[("error", error.to_string())])),
            };
            let list = |key: &str, sep: &str| {
                let items: Vec<&str> = answer[key].as_array().into_iter().flatten().filter_map(|v| v.as_str()).collect();
                items.join(sep)
            };
            let mut notes = Vec::new();
            let (unmapped, assumed) = (list("unmapped", ", "), list("assumed", "; "));
            if !unmapped.is_empty() {
                notes.push(tf("app.existing-unmapped", &[("paths", unmapped)]));
            }
            if !assumed.is_empty() {
                notes.push(tf("app.existing-assumed", &[("what", assumed)]));
            }
            let name = answer["name"].as_str().unwrap_or_default().to_string();
            wizard.replace(spec, tf("app.existing-read", &[("name", name), ("notes", notes.join(" "))]));
            text.set(String::new());
        });
    };
    view! {
        <section aria-labelledby="h-existing-json">
            <h2 id="h-existing-json">{t("section.existing-json")}</h2>
            <div class="field">
                <label for="existing-json">{by_kind("field.existing-json")}</label>
                <textarea
                    id="existing-json"
                    rows="6"
                    spellcheck="false"
                    aria-describedby="existing-json-hint"
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                ></textarea>
                <p class="hint" id="existing-json-hint">{by_kind("hint.existing-json")}</p>
            </div>
            <button type="button" id="read-existing" on:click=read>{t("action.read-existing")}</button>
        </section>
    }
}

/// A text worded for the kind being changed: `key`, or `key-gallery`.
fn by_kind(key: &'static str) -> impl IntoView {
    let wizard = use_wizard();
    rx(move || {
        let gallery = wizard.spec.with(|s| s.kind == Kind::GalleryImageVersion);
        t(&if gallery { format!("{key}-gallery") } else { key.to_string() }).to_string()
    })
}

/// What the registry has now: the fields its operation depends on.
#[component]
fn Existing() -> impl IntoView {
    view! {
        <section aria-labelledby="h-existing">
            <h2 id="h-existing">{t("section.existing")}</h2>
            <SelectField
                field="change.existing.sku"
                label=t("field.registry.sku")
                options=Sku::ALL.iter().map(|s| (s.as_str(), s.as_str().to_string())).collect()
                get=|s| s.change.existing.sku.as_str()
                set=|s, v| {
                    if let Some(sku) = Sku::ALL.into_iter().find(|k| k.as_str() == v) {
                        s.change.existing.sku = sku;
                    }
                }
            />
            <Shown when=|s| op(s).acts_on_key()>
                <TextField
                    field="change.existing.keyUri"
                    label=t("field.existing.keyUri")
                    hint="hint.existing.keyUri"
                    placeholder="https://VAULT.vault.azure.net/keys/NAME/VERSION"
                    get=|s| s.change.existing.key_uri.clone()
                    set=|s, v| s.change.existing.key_uri = v
                />
                <TextField
                    field="change.existing.keyIdentity"
                    label=t("field.existing.keyIdentity")
                    hint="hint.existing.keyIdentity"
                    get=|s| s.change.existing.key_identity.clone()
                    set=|s, v| s.change.existing.key_identity = v
                />
            </Shown>
            <Shown when=|s| !op(s).acts_on_key()>
                <SelectField
                    field="change.existing.publicAccess"
                    label=t("field.networking.publicAccess")
                    options=public_access_options()
                    get=|s| public_access(s.change.existing.public_access)
                    set=|s, v| s.change.existing.public_access = parse_public_access(&v)
                />
                <CheckField
                    field="change.existing.allowTrustedServices"
                    label=t("field.existing.allowTrustedServices")
                    get=|s| s.change.existing.allow_trusted_services
                    set=|s, v| s.change.existing.allow_trusted_services = v
                />
            </Shown>
            <Shown when=|s| op(s) == Operation::RestoreDefaultAccess>
                <TextList
                    field="change.existing.ipRules"
                    label="field.existing.ipRule"
                    add="action.add-existing-ip-rule"
                    list=|s| &s.change.existing.ip_rules
                    list_mut=|s| &mut s.change.existing.ip_rules
                />
                <TextList
                    field="change.existing.vnetRules"
                    label="field.existing.vnetRule"
                    add="action.add-existing-vnet-rule"
                    list=|s| &s.change.existing.vnet_rules
                    list_mut=|s| &mut s.change.existing.vnet_rules
                />
            </Shown>
        </section>
    }
}

/// A list of one-line values (rule `i` at `{field}[i]`), with Remove and Add.
/// The list is reached through plain function pointers, so every list shares
/// one compiled view.
#[component]
fn TextList(
    field: &'static str,
    label: &'static str,
    add: &'static str,
    list: fn(&Spec) -> &Vec<String>,
    list_mut: fn(&mut Spec) -> &mut Vec<String>,
) -> impl IntoView {
    let wizard = use_wizard();
    let count = move || wizard.spec.with(|s| list(s).len());
    view! {
        <FieldMessages field=field />
        <Rows count=count row=move |i| view! {
            <div class="row">
                <TextField
                    field=format!("{field}[{i}]")
                    label=tf(label, &[("n", (i + 1).to_string())])
                    get=move |s| list(s).get(i).cloned().unwrap_or_default()
                    set=move |s, v| {
                        if let Some(item) = list_mut(s).get_mut(i) {
                            *item = v;
                        }
                    }
                />
                <button
                    type="button"
                    class="remove"
                    aria-label=tf("action.remove-n", &[("what", tf(label, &[("n", (i + 1).to_string())]))])
                    on:click=move |_| wizard.edit(|s| {
                        if i < list_mut(s).len() {
                            list_mut(s).remove(i);
                        }
                    })
                >
                    {t("action.remove")}
                </button>
            </div>
        } />
        <button type="button" on:click=move |_| wizard.edit(|s| list_mut(s).push(String::new()))>{t(add)}</button>
    }
}

/// Encryption tab of a key operation: the vault, and what the operation needs.
#[component]
pub fn ChangeKey() -> impl IntoView {
    view! {
        <section aria-labelledby="h-change-vault">
            <h2 id="h-change-vault">{t("section.key-vault")}</h2>
            <TextField
                field="registry.encryption.keyVault.name"
                required=true
                label=t("field.keyVault.name")
                get=|s| s.registry.encryption.key_vault.name.clone()
                set=|s, v| s.registry.encryption.key_vault.name = v
            />
            <TextField
                field="registry.encryption.keyVault.resourceGroup"
                label=t("field.keyVault.resourceGroup")
                hint="hint.other-group"
                get=|s| s.registry.encryption.key_vault.resource_group.clone()
                set=|s, v| s.registry.encryption.key_vault.resource_group = v
            />
            <SelectField
                field="registry.encryption.keyVault.permissionModel"
                label=t("field.keyVault.permissionModel")
                options=vec![("rbac", t("option.rbac").into()), ("accessPolicy", t("option.accessPolicy").into())]
                get=|s| match s.registry.encryption.key_vault.permission_model {
                    PermissionModel::Rbac => "rbac",
                    PermissionModel::AccessPolicy => "accessPolicy",
                }
                set=|s, v| {
                    s.registry.encryption.key_vault.permission_model =
                        if v == "rbac" { PermissionModel::Rbac } else { PermissionModel::AccessPolicy };
                }
            />
            <FieldMessages field="registry.encryption.keyVault.firewall" />
        </section>
        <Shown when=|s| op(s) == Operation::RotateKey>
            <section aria-labelledby="h-rotate">
                <h2 id="h-rotate">{t("section.rotate")}</h2>
                <TextField
                    field="change.keyId"
                    label=t("field.change.keyId")
                    hint="hint.change.keyId"
                    placeholder="https://VAULT.vault.azure.net/keys/NAME"
                    get=|s| s.change.key_id.clone()
                    set=|s, v| s.change.key_id = v
                />
                <CheckField
                    field="change.versionless"
                    label=t("field.key.versionless")
                    get=|s| s.change.versionless
                    set=|s, v| s.change.versionless = v
                />
                <RadioField
                    field="change.identity"
                    label=t("field.change.identity")
                    options=vec![
                        ("current", t("option.identity.current").into()),
                        ("system", t("option.identity.system").into()),
                        ("userAssigned", t("option.identity.userAssigned").into()),
                    ]
                    get=|s| match s.change.identity {
                        KeyIdentity::Current => "current",
                        KeyIdentity::System => "system",
                        KeyIdentity::UserAssigned => "userAssigned",
                    }
                    set=|s, v| {
                        s.change.identity = match v.as_str() {
                            "system" => KeyIdentity::System,
                            "userAssigned" => KeyIdentity::UserAssigned,
                            _ => KeyIdentity::Current,
                        };
                    }
                />
                <Shown when=|s| s.change.identity == KeyIdentity::UserAssigned>
                    <TextField
                        field="change.identityId"
                        label=t("field.change.identityId")
                        placeholder="/subscriptions/.../userAssignedIdentities/NAME"
                        get=|s| s.change.identity_id.clone()
                        set=|s, v| s.change.identity_id = v
                    />
                </Shown>
            </section>
        </Shown>
        <Shown when=|s| op(s) == Operation::AutoRotation>
            <section aria-labelledby="h-rotation-policy">
                <h2 id="h-rotation-policy">{t("section.rotation-policy")}</h2>
                <TextField
                    field="change.rotationPolicy.expiryTime"
                    label=t("field.rotationPolicy.expiryTime")
                    hint="hint.duration"
                    get=|s| s.change.rotation_policy.expiry_time.clone()
                    set=|s, v| s.change.rotation_policy.expiry_time = v
                />
                <TextField
                    field="change.rotationPolicy.rotateBeforeExpiry"
                    label=t("field.rotationPolicy.rotateBeforeExpiry")
                    get=|s| s.change.rotation_policy.rotate_before_expiry.clone()
                    set=|s, v| s.change.rotation_policy.rotate_before_expiry = v
                />
                <TextField
                    field="change.rotationPolicy.notifyBeforeExpiry"
                    label=t("field.rotationPolicy.notifyBeforeExpiry")
                    get=|s| s.change.rotation_policy.notify_before_expiry.clone()
                    set=|s, v| s.change.rotation_policy.notify_before_expiry = v
                />
            </section>
        </Shown>
        <Shown when=|s| matches!(op(s), Operation::RevokeKeyAccess | Operation::RestoreKeyAccess)>
            <RadioField
                field="change.revoke"
                label=t("field.change.revoke")
                options=vec![
                    ("removeAccess", t("option.revoke.removeAccess").into()),
                    ("disableKey", t("option.revoke.disableKey").into()),
                ]
                get=|s| match s.change.revoke {
                    RevokeMethod::RemoveAccess => "removeAccess",
                    RevokeMethod::DisableKey => "disableKey",
                }
                set=|s, v| {
                    s.change.revoke =
                        if v == "disableKey" { RevokeMethod::DisableKey } else { RevokeMethod::RemoveAccess };
                }
            />
        </Shown>
    }
}

/// Networking tab of a network operation: trusted services, a task, or the
/// rules to add.
#[component]
pub fn ChangeNetwork() -> impl IntoView {
    view! {
        <Shown when=|s| op(s) == Operation::TrustedServices>
            <CheckField
                field="registry.networking.allowTrustedServices"
                label=t("field.networking.allowTrustedServices")
                get=|s| s.registry.networking.allow_trusted_services
                set=|s, v| s.registry.networking.allow_trusted_services = v
            />
        </Shown>
        <Shown when=|s| op(s) == Operation::TrustedServiceTask>
            <section aria-labelledby="h-task">
                <h2 id="h-task">{t("section.task")}</h2>
                <TextField
                    field="change.task.name"
                    label=t("field.task.name")
                    get=|s| s.change.task.name.clone()
                    set=|s, v| s.change.task.name = v
                />
                <TextField
                    field="change.task.image"
                    label=t("field.task.image")
                    placeholder="hello-world:{{.Run.ID}}"
                    get=|s| s.change.task.image.clone()
                    set=|s, v| s.change.task.image = v
                />
                <TextField
                    field="change.task.context"
                    label=t("field.task.context")
                    hint="hint.task.context"
                    get=|s| s.change.task.context.clone()
                    set=|s, v| s.change.task.context = v
                />
                <SelectField
                    field="change.task.role"
                    label=t("field.task.role")
                    options=vec![("AcrPull", "AcrPull".into()), ("AcrPush", "AcrPush".into())]
                    get=|s| s.change.task.role.as_str()
                    set=|s, v| s.change.task.role = if v == "AcrPull" { TaskRole::AcrPull } else { TaskRole::AcrPush }
                />
            </section>
        </Shown>
        <Shown when=|s| op(s) == Operation::AddNetworkRules>
            <IpRules />
            <VnetRules />
        </Shown>
    }
}
