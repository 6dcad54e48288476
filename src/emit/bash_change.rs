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
                show()
                    .capture("registryKeyIdentity", "encryption.keyVaultProperties.identity")
                    .render(out);
            }
            if let Some(identity) = identity {
                let also = or_identity
                    .as_ref()
                    .map(|k| format!(" ] && [ \"$REGISTRY_KEY_IDENTITY\" != {}", Bash::value(k)))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "if [ \"$REGISTRY_KEY_IDENTITY\" != {}{also} ]; then\n  echo \"{}\" >&2\n  exit 1\nfi",
                    Bash::value(identity),
                    say(
                        "emit.registry-other-identity",
                        &[
                            ("registry", braced(registry)),
                            ("identity", braced(identity)),
                            ("current", "${REGISTRY_KEY_IDENTITY}".into())
                        ]
                    )
                );
            }
        }
        ChangeAction::Preview { lines } => {
            let _ = writeln!(out, "echo \"{}\"", dq(t("emit.preview")));
            for (i, line) in lines.iter().enumerate() {
                let now = match &line.now {
                    Now::Val(v) => braced(v),
                    Now::VaultFirewall { vault, group } => {
                        let var = format!("previewNow{i}");
                        az("az keyvault show")
                            .arg("--name", vault)
                            .arg("--resource-group", group)
                            .capture(&var, "properties.networkAcls.defaultAction")
                            .render(out);
                        braced(&Val::output(&var))
                    }
                    Now::RegistryNetwork { registry, group } => {
                        let show = || az("az acr show").arg("--name", registry).arg("--resource-group", group);
                        let action = format!("previewNow{i}");
                        let rules = format!("previewRules{i}");
                        show().capture(&action, "networkRuleSet.defaultAction").render(out);
                        show().capture(&rules, "join(' ', networkRuleSet.ipRules[].ipAddressOrRange)").render(out);
                        format!("{}; IP rules: {}", braced(&Val::output(&action)), braced(&Val::output(&rules)))
                    }
                };
                let _ = writeln!(
                    out,
                    "echo \"  {}: {} {now}; {} {}\"",
                    dq(t(line.label)),
                    t("preview.now"),
                    t("preview.after"),
                    braced(&line.after)
                );
            }
            let _ = writeln!(out, "if [ \"$WHAT_IF\" = 1 ]; then\n  echo \"{}\"\n  exit 0\nfi", dq(t("emit.what-if-done")));
        }
        ChangeAction::LookupKeyVersion { registry, group } => {
            az("az acr show")
                .arg("--name", registry)
                .arg("--resource-group", group)
                .capture("keyVersion", "encryption.keyVaultProperties.versionedKeyIdentifier")
                .render(out);
            out.push_str("KEY_VERSION=\"${KEY_VERSION##*/}\"\n");
        }
        ChangeAction::CheckVaultFirewall { vault, group, system, rbac } => {
            let show = || az("az keyvault show").arg("--name", vault).arg("--resource-group", group);
            show().capture("vaultRbac", "properties.enableRbacAuthorization").render(out);
            let (test, key) = if *rbac {
                ("[ \"$VAULT_RBAC\" != \"true\" ]", "emit.vault-not-rbac")
            } else {
                ("[ \"$VAULT_RBAC\" = \"true\" ]", "emit.vault-not-access-policy")
            };
            let _ = writeln!(out, "if {test}; then\n  echo \"{}\" >&2\n  exit 1\nfi", say(key, &[("vault", braced(vault))]));
            show().capture("vaultDefaultAction", "properties.networkAcls.defaultAction").render(out);
            let refused = if *system {
                show().capture("vaultBypass", "properties.networkAcls.bypass").render(out);
                "[ \"$VAULT_DEFAULT_ACTION\" = Deny ] && [ \"$VAULT_BYPASS\" != AzureServices ]"
            } else {
                "[ \"$VAULT_DEFAULT_ACTION\" = Deny ]"
            };
            let _ = writeln!(
                out,
                "if {refused}; then\n  echo \"{}\" >&2\n  exit 1\nfi",
                say("emit.vault-firewall-refuses", &[("vault", braced(vault))])
            );
        }
        ChangeAction::ListKeyGrants { principal, model, vault, group, key } => {
            let pid = principal_var(*principal);
            match model {
                PermissionModel::Rbac => {
                    let roles: Vec<String> =
                        KEY_DATA_ROLES.iter().map(|r| format!("roleDefinitionName=='{r}'")).collect();
                    az("az role assignment list")
                        .arg("--assignee-object-id", &pid)
                        .raw("--scope", format!("\"${{KEY_VAULT_ID}}/keys/{}\"", braced(key)))
                        .flag("--include-inherited")
                        .raw("--query", format!("\"[?{}].[id, roleDefinitionName]\"", roles.join(" || ")))
                        .capture_raw("keyGrants", "tsv")
                        .render(out);
                    let _ = writeln!(
                        out,
                        "VAULT_SCOPE=$(printf '%s' \"$KEY_VAULT_ID\" | tr '[:upper:]' '[:lower:]')\n\
                         GRANT_IDS=()\n\
                         OUTSIDE_GRANTS=\"\"\n\
                         while IFS=$'\\t' read -r grant_id grant_role; do\n  \
                         [ -n \"$grant_id\" ] || continue\n  \
                         grant_scope=$(printf '%s' \"${{grant_id%/providers/Microsoft.Authorization/roleAssignments/*}}\" | tr '[:upper:]' '[:lower:]')\n  \
                         case \"$grant_scope\" in\n    \
                         \"$VAULT_SCOPE\" | \"$VAULT_SCOPE\"/*)\n      \
                         GRANT_IDS+=(\"$grant_id\")\n      \
                         echo \"  {} ${{grant_role}} (${{grant_scope}})\"\n      ;;\n    \
                         *) OUTSIDE_GRANTS=\"${{OUTSIDE_GRANTS}}  ${{grant_role}} (${{grant_scope}})\"$'\\n' ;;\n  \
                         esac\n\
                         done <<<\"$KEY_GRANTS\"\n\
                         KEY_GRANT_COUNT=${{#GRANT_IDS[@]}}\n\
                         if [ -n \"$OUTSIDE_GRANTS\" ]; then\n  \
                         printf '%s\\n%s' \"{}\" \"$OUTSIDE_GRANTS\" >&2\n  exit 1\nfi",
                        dq(t("emit.key-grant-found")),
                        say("emit.key-grant-outside", &[("vault", braced(vault))])
                    );
                }
                PermissionModel::AccessPolicy => az("az keyvault show")
                    .arg("--name", vault)
                    .arg("--resource-group", group)
                    .raw(
                        "--query",
                        format!("\"length(properties.accessPolicies[?objectId=='{}'])\"", braced(&pid)),
                    )
                    .capture_raw("keyGrantCount", "tsv")
                    .render(out),
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
        ChangeAction::CreateTask { registry, group, name, image, context, source_identity } => {
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
                    .when(!*source_identity, |c| c.lit("--auth-mode", "None"))
                    .when(*source_identity, |c| c.lit("--source-acr-auth-id", "[system]"))
                    .lit("--commit-trigger-enabled", "false")
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
        ChangeAction::GrantTaskRole { registry, group, role, mode } => {
            az("az acr show")
                .arg("--name", registry)
                .arg("--resource-group", group)
                .capture("registryRoleMode", "roleAssignmentMode")
                .render(out);
            let _ = writeln!(
                out,
                "if [ \"$REGISTRY_ROLE_MODE\" != {} ]; then\n  echo \"{}\" >&2\n  exit 1\nfi",
                mode.as_str(),
                say(
                    "emit.role-mode-differs",
                    &[("registry", braced(registry)), ("mode", "${REGISTRY_ROLE_MODE}".into()), ("role", (*role).into())]
                )
            );
            az("az role assignment create")
                .arg("--assignee-object-id", &Val::output("taskPrincipalId"))
                .lit("--assignee-principal-type", "ServicePrincipal")
                .lit("--role", role)
                .arg("--scope", &Val::output("registryId"))
                .quiet()
                .render(out)
        }
        // `--no-logs` waits for the run and fails unless it succeeded
        // (acr/_run_polling.py); the logs stay with the run.
        ChangeAction::RunTask { registry, group, task } => {
            let _ = writeln!(out, "# {}", t("emit.run-task-waits"));
            out.push_str("RUN_STATUS=\nfor attempt in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do\n");
            let mut run = String::new();
            az("az acr task run")
                .arg("--registry", registry)
                .arg("--resource-group", group)
                .arg("--name", task)
                .flag("--no-logs")
                .lit("--query", "status")
                .lit("--output", "tsv")
                .render(&mut run);
            let _ = writeln!(out, "  if RUN_STATUS=$({}); then break; fi", run.trim_end().replace('\n', "\n  "));
            let _ = writeln!(
                out,
                "  RUN_STATUS=failed\n  [ \"$attempt\" = 20 ] && break\n  echo \"{}\" >&2\n  sleep 30\ndone",
                say("emit.run-task-retry", &[("attempt", "${attempt}".into())])
            );
            let _ = writeln!(
                out,
                "if [ \"$RUN_STATUS\" != Succeeded ]; then\n  echo \"{}\" >&2\n  exit 1\nfi\necho \"{}\"",
                say("emit.run-task-failed", &[("task", braced(task)), ("registry", braced(registry))]),
                say("emit.run-task-succeeded", &[("task", braced(task))])
            );
        }
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
