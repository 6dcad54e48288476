//! Bash for the steps only a day-2 change has ([`ChangeAction`]): the same
//! words as `bash.rs` (variables, quoting, `retry`, `confirm`), kept apart so
//! that builds without the `day2` feature (the wizard's wasm, until its day-2
//! mode exists) carry none of it.

use std::fmt::Write;

use super::bash::{az, block, braced, dq, indented, named, principal_var, say, Bash};
use super::call::Dialect;
use super::{t, CRYPTO_SERVICE_ENCRYPTION_USER, KEY_PERMISSIONS};
use crate::plan::{Action, ChangeAction, Now, Plan, Shape, Undo, Val, KEY_DATA_ROLES};
use crate::spec::PermissionModel;

pub(super) fn render(action: &ChangeAction, plan: &Plan, out: &mut String) {
    match action {
        ChangeAction::CheckRegistry { registry, group, key, or_key, identity, or_identity } => {
            let _ = writeln!(out, "# {}", t("emit.check-registry"));
            let show = || az("az acr show").arg("--name", registry).arg("--resource-group", group);
            if plan.steps.iter().any(|s| matches!(s.action, Action::Change(ChangeAction::GrantTaskRole { .. }))) {
                show().capture("registryId", "id").render(out);
            } else {
                show().quiet().render(out);
            }
            if let Some(key) = key {
                show().capture("registryKey", "encryption.keyVaultProperties.keyIdentifier").render(out);
                let also = or_key
                    .as_ref()
                    .map(|k| format!(" ] && [ \"$REGISTRY_KEY\" != {}", Bash::value(k)))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "if [ \"$REGISTRY_KEY\" != {}{also} ]; then\n  echo \"{}\" >&2\n  exit 1\nfi",
                    Bash::value(key),
                    say(
                        "emit.registry-other-key",
                        &[("registry", braced(registry)), ("key", braced(key)), ("current", "${REGISTRY_KEY}".into())]
                    )
                );
            }
        }
        ChangeAction::LookupKeyIdentity { registry, group, client_id } => {
            az("az acr show")
                .arg("--name", registry)
                .arg("--resource-group", group)
                .raw(
                    "--query",
                    format!(
                        "\"identity.userAssignedIdentities.* | [?clientId=='{}'].principalId | [0]\"",
                        braced(client_id)
                    ),
                )
                .capture_raw("identityPrincipalId", "tsv")
                .render(out);
            let _ = writeln!(
                out,
                "if [ -z \"$IDENTITY_PRINCIPAL_ID\" ]; then\n  echo \"{}\" >&2\n  exit 1\nfi",
                say("emit.identity-not-on-registry", &[("registry", braced(registry)), ("client", braced(client_id))])
            );
        }
        ChangeAction::LookupSystemIdentity { registry, group } => {
            az("az acr identity show")
                .arg("--name", registry)
                .arg("--resource-group", group)
                .capture("registryPrincipalId", "principalId")
                .render(out);
            let _ = writeln!(
                out,
                "if [ -z \"$REGISTRY_PRINCIPAL_ID\" ]; then\n  echo \"{}\" >&2\n  exit 1\nfi",
                say("emit.no-system-identity", &[("registry", braced(registry))])
            );
        }
        ChangeAction::AddKeyVersion { vault, name, versionless, done } => {
            let mut make = String::new();
            // `rotate` makes a version with the key's own type and size.
            az("az keyvault key rotate")
                .arg("--vault-name", vault)
                .arg("--name", name)
                .capture("keyId", "key.kid")
                .retry()
                .render(&mut make);
            if *versionless {
                let _ = writeln!(make, "# {}\nKEY_URI=\"${{KEY_ID%/*}}\"", t("emit.versionless-key"));
            } else {
                let _ = writeln!(make, "# {}\nKEY_URI=\"$KEY_ID\"", t("emit.versioned-key"));
            }
            match done {
                Some(done) => {
                    let _ = writeln!(
                        out,
                        "if [ \"$REGISTRY_KEY\" = {} ]; then\n  echo \"{}\"\n  KEY_URI=\"$REGISTRY_KEY\"\nelse",
                        Bash::value(done),
                        dq(t("emit.key-already-rotated"))
                    );
                    block(out, |b| b.push_str(&make));
                    out.push_str("fi\n");
                }
                None => out.push_str(&make),
            }
        }
        ChangeAction::AssignUserIdentity { registry, group, identity } => az("az acr identity assign")
            .arg("--name", registry)
            .arg("--resource-group", group)
            .arg("--identities", identity)
            .quiet()
            .render(out),
        ChangeAction::RotateKey { registry, group, key, identity } => {
            let cmd = az("az acr encryption rotate-key")
                .arg("--name", registry)
                .arg("--resource-group", group)
                .arg("--key-encryption-key", key);
            match identity {
                Some(id) => cmd.arg("--identity", id),
                None => cmd.lit("--identity", "[system]"),
            }
            .quiet()
            .retry()
            .render(out)
        }
        ChangeAction::SetRotationPolicy { vault, key, expiry, rotate_after, notify_before } => {
            // Durations are validated (P, digits, Y/M/W/D): safe inside JSON.
            let _ = writeln!(
                out,
                "POLICY=$(printf '{{\"lifetimeActions\": [{{\"trigger\": {{\"timeAfterCreate\": \"%s\"}}, \"action\": {{\"type\": \"Rotate\"}}}}, {{\"trigger\": {{\"timeBeforeExpiry\": \"%s\"}}, \"action\": {{\"type\": \"Notify\"}}}}], \"attributes\": {{\"expiryTime\": \"%s\"}}}}' {} {} {})",
                Bash::value(rotate_after),
                Bash::value(notify_before),
                Bash::value(expiry)
            );
            let _ = writeln!(
                out,
                "echo \"{}\"",
                say("emit.rotation-fires", &[("after", braced(rotate_after)), ("expiry", braced(expiry))])
            );
            az("az keyvault key rotation-policy update")
                .arg("--vault-name", vault)
                .arg("--name", key)
                .raw("--value", "\"$POLICY\"")
                .quiet()
                .retry()
                .render(out)
        }
        ChangeAction::RevokeKeyAccess { principal, model, vault, group } => {
            let pid = principal_var(*principal);
            let (remove, left, restore) = match model {
                PermissionModel::Rbac => {
                    let roles: Vec<String> =
                        KEY_DATA_ROLES.iter().map(|r| format!("roleDefinitionName=='{r}'")).collect();
                    let mut remove = String::new();
                    az("az role assignment delete").raw("--ids", "\"${GRANT_IDS[@]}\"").render(&mut remove);
                    let mut left = String::new();
                    az("az role assignment list")
                        .arg("--assignee-object-id", &pid)
                        .raw("--scope", "\"${KEY_VAULT_ID}/keys/${KEY_NAME}\"")
                        .flag("--include-inherited")
                        .raw("--query", format!("\"length([?{}])\"", roles.join(" || ")))
                        .capture_raw("grantsLeft", "tsv")
                        .render(&mut left);
                    let restore = format!(
                        "az role assignment create --assignee-object-id {} --assignee-principal-type ServicePrincipal --role '{}' --scope ${{KEY_VAULT_ID}}",
                        braced(&pid),
                        CRYPTO_SERVICE_ENCRYPTION_USER.0
                    );
                    (remove, left, restore)
                }
                PermissionModel::AccessPolicy => {
                    let mut remove = String::new();
                    az("az keyvault delete-policy")
                        .arg("--name", vault)
                        .arg("--resource-group", group)
                        .arg("--object-id", &pid)
                        .quiet()
                        .render(&mut remove);
                    let mut left = String::new();
                    az("az keyvault show")
                        .arg("--name", vault)
                        .arg("--resource-group", group)
                        .raw("--query", format!("\"length(properties.accessPolicies[?objectId=='{}'])\"", braced(&pid)))
                        .capture_raw("grantsLeft", "tsv")
                        .render(&mut left);
                    let restore = format!(
                        "az keyvault set-policy --name {} --resource-group {} --object-id {} --key-permissions {}",
                        braced(vault),
                        braced(group),
                        braced(&pid),
                        KEY_PERMISSIONS.join(" ")
                    );
                    (remove, left, restore)
                }
            };
            out.push_str("if [ \"$KEY_GRANT_COUNT\" -gt 0 ]; then\n");
            block(out, |b| b.push_str(&remove));
            let _ = writeln!(out, "else\n  echo \"{}\"\nfi", dq(t("emit.key-grants-gone")));
            out.push_str(&left);
            let _ = writeln!(
                out,
                "if [ \"$GRANTS_LEFT\" != 0 ]; then\n  echo \"{}\" >&2\n  exit 1\nfi\necho \"{}\"\necho \"{}\"\necho \"  {}\"",
                dq(t("emit.key-grant-left")),
                dq(t("emit.revoke-delay")),
                dq(t("emit.restore-command")),
                restore.replace('"', "\\\"")
            );
        }
        ChangeAction::SetKeyEnabled { vault, key, version, enabled } => az("az keyvault key set-attributes")
            .arg("--vault-name", vault)
            .arg("--name", key)
            .arg("--version", version)
            .lit("--enabled", if *enabled { "true" } else { "false" })
            .quiet()
            .retry()
            .render(out),
        ChangeAction::Confirm { what, undo, .. } => {
            if let Some(undo) = undo {
                let command = match undo {
                    Undo::OpenVaultFirewall { vault, group } => format!(
                        "az keyvault update --name {} --resource-group {} --default-action Allow",
                        braced(vault),
                        braced(group)
                    ),
                    Undo::AllowAllNetworks { registry, group } => format!(
                        "az acr update --name {} --resource-group {} --default-action Allow",
                        braced(registry),
                        braced(group)
                    ),
                };
                let _ = writeln!(out, "echo \"{} {command}\" >&2", dq(t("emit.undo")));
            }
            let _ = writeln!(out, "confirm \"{}\"", dq(t(what)));
        }
        ChangeAction::SetTrustedServices { registry, group, allow } => az("az acr update")
            .arg("--name", registry)
            .arg("--resource-group", group)
            .lit("--allow-trusted-services", if *allow { "true" } else { "false" })
            .quiet()
            .render(out),
        ChangeAction::CreateTask { registry, group, name, image, context } => {
            az("az acr task list")
                .arg("--registry", registry)
                .arg("--resource-group", group)
                .raw("--query", named(name))
                .capture_raw("taskCount", "tsv")
                .render(out);
            out.push_str("if [ \"$TASK_COUNT\" = 0 ]; then\n");
            indented(
                az("az acr task create")
                    .arg("--registry", registry)
                    .arg("--resource-group", group)
                    .arg("--name", name)
                    .arg("--image", image)
                    .arg("--context", context)
                    .lit("--file", "Dockerfile")
                    .lit("--assign-identity", "[system]")
                    .lit("--auth-mode", "None")
                    .quiet(),
                out,
            );
            out.push_str("fi\n");
            az("az acr task show")
                .arg("--registry", registry)
                .arg("--resource-group", group)
                .arg("--name", name)
                .capture("taskPrincipalId", "identity.principalId")
                .render(out);
        }
        ChangeAction::GrantTaskRole { role, .. } => az("az role assignment create")
            .arg("--assignee-object-id", &Val::output("taskPrincipalId"))
            .lit("--assignee-principal-type", "ServicePrincipal")
            .lit("--role", role.as_str())
            .arg("--scope", &Val::output("registryId"))
            .quiet()
            .render(out),
        ChangeAction::AddTaskCredential { registry, task } => {
            az("az acr show").arg("--name", registry).capture("loginServer", "loginServer").render(out);
            az("az acr task credential list")
                .arg("--registry", registry)
                .arg("--name", task)
                .lit("--query", "keys(@)")
                .capture_raw("taskCredentials", "tsv")
                .render(out);
            out.push_str("if ! grep -qxF \"$LOGIN_SERVER\" <<<\"$TASK_CREDENTIALS\"; then\n");
            indented(
                az("az acr task credential add")
                    .arg("--registry", registry)
                    .arg("--name", task)
                    .arg("--login-server", &Val::output("loginServer"))
                    .lit("--use-identity", "[system]")
                    .quiet(),
                out,
            );
            out.push_str("fi\n");
        }
        ChangeAction::ShowIdentity { registry, group } => {
            az("az acr identity show").arg("--name", registry).arg("--resource-group", group).render(out)
        }
        ChangeAction::CheckImageVersion { gallery, definition, version, group, luns, read_regions } => {
            let show = || {
                az("az sig image-version show")
                    .arg("--resource-group", group)
                    .arg("--gallery-name", gallery)
                    .arg("--gallery-image-definition", definition)
                    .arg("--gallery-image-version", version)
            };
            if !*read_regions {
                show().quiet().render(out);
                return;
            }
            let _ = writeln!(out, "# {}", t("emit.check-image-version"));
            show().capture("versionRegions", "publishingProfile.targetRegions[].name").render(out);
            out.push_str(
                "VERSION_REGIONS=$(printf '%s\\n' \"$VERSION_REGIONS\" | tr -d ' ' | tr '[:upper:]' '[:lower:]')\n",
            );
            if !luns.is_empty() {
                show().capture("versionLuns", "storageProfile.dataDiskImages[].lun").render(out);
                for lun in luns {
                    let _ = writeln!(
                        out,
                        "if ! grep -qxF {lun} <<<\"$VERSION_LUNS\"; then\n  echo \"{}\" >&2\n  exit 1\nfi",
                        say("emit.no-data-disk", &[("version", braced(version)), ("lun", lun.to_string())])
                    );
                }
            }
        }
        // `--add` appends to the list the CLI has just read (a generic
        // update: show, change, put); the CLI reads camelCase keys. Regions
        // the version has already are left as they are.
        ChangeAction::AddTargetRegions { gallery, definition, version, group, regions } => {
            out.push_str("REGIONS_TO_ADD=()\n");
            for r in regions {
                let _ = writeln!(
                    out,
                    "if grep -qxF {} <<<\"$VERSION_REGIONS\"; then\n  echo \"{}\"\nelse\n  REGIONS_TO_ADD+=({})\nfi",
                    Bash::value(&r.region),
                    say("emit.region-exists", &[("version", braced(version)), ("region", braced(&r.region))]),
                    json_word(&r.rest_shape())
                );
            }
            // bash 3.2 (macOS) calls an empty array unbound under `set -u`.
            out.push_str("if [ \"${#REGIONS_TO_ADD[@]}\" -gt 0 ]; then\n");
            indented(
                az("az sig image-version update")
                    .arg("--resource-group", group)
                    .arg("--gallery-name", gallery)
                    .arg("--gallery-image-definition", definition)
                    .arg("--gallery-image-version", version)
                    .raw("--add", "publishingProfile.targetRegions \"${REGIONS_TO_ADD[@]}\"")
                    .quiet(),
                out,
            );
            out.push_str("fi\n");
        }
        // `az acr network-rule remove` filters the rule out: removing one that
        // is not there changes nothing and does not fail (acr/network_rule.py).
        ChangeAction::RemoveIpRule { registry, rule } => {
            az("az acr network-rule remove").arg("--name", registry).arg("--ip-address", rule).quiet().render(out)
        }
        ChangeAction::RemoveVnetRule { registry, subnet_id } => {
            az("az acr network-rule remove").arg("--name", registry).arg("--subnet", subnet_id).quiet().render(out)
        }
    }
}

/// A request body as one double-quoted bash word of JSON, plan values as
/// `${VAR}`: names and IDs are validated to alphabets that need no JSON
/// escaping.
fn json_word(shape: &Shape) -> String {
    fn json(shape: &Shape) -> String {
        match shape {
            Shape::Object(fields) => {
                let fields: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\": {}", json(v))).collect();
                format!("{{{}}}", fields.join(", "))
            }
            Shape::List(items) => format!("[{}]", items.iter().map(json).collect::<Vec<_>>().join(", ")),
            Shape::Value(val) => format!("\"{}\"", braced(val)),
            Shape::Number(n) => n.to_string(),
            Shape::Bool(b) => b.to_string(),
            Shape::Text(text) => format!("\"{text}\""),
        }
    }
    format!("\"{}\"", json(shape).replace('"', "\\\""))
}
