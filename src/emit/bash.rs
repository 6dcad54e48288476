//! Azure CLI in bash: `set -euo pipefail`, user values in variables at the top,
//! IDs captured with `--query ... --output tsv`, every expansion double-quoted.

use std::fmt::Write;

use super::call::{Call, Dialect};
use super::Role;
use super::{quote, t, CRYPTO_OFFICER, CRYPTO_SERVICE_ENCRYPTION_USER, GENERATOR, KEY_PERMISSIONS};
use crate::plan::{Action, ImageSourceRef, InputValue, Plan, Principal, RegionRef, SubnetRef, Val, Var};
use crate::spec::{PermissionModel, PublicAccess, Sku};

/// Bash words: double-quoted expansions, single-quoted literals.
pub(super) struct Bash;

impl Dialect for Bash {
    fn value(value: &Val) -> String {
        match value {
            Val::Input(var) | Val::Output(var) => format!("\"${}\"", var.screaming_snake()),
            Val::Lit(text) => quote::bash(text),
        }
    }
    fn literal(text: &str) -> String {
        quote::bash(text)
    }
}

pub(super) type Az = Call<Bash>;

pub(super) fn az(command: &'static str) -> Az {
    Call::new(command)
}

impl Call<Bash> {
    pub(super) fn tags(self, plan: &Plan) -> Self {
        self.when(plan.has_tags, |c| c.raw("--tags", "\"${TAGS[@]}\""))
    }
    /// `VAR=$(az ... --query QUERY --output tsv)`.
    pub(super) fn capture(self, var: &str, query: &str) -> Self {
        self.lit("--query", query).capture_raw(var, "tsv")
    }
    /// `VAR=$(az ... --output FORMAT)`, the query given before.
    pub(super) fn capture_raw(mut self, var: &str, output: &str) -> Self {
        self.capture = Some(Var::new(var).screaming_snake());
        self.lit("--output", output)
    }
    pub(super) fn quiet(self) -> Self {
        self.lit("--output", "none")
    }

    /// Run through `if_exists`: no output, instead of a failure, when Azure
    /// says the resource does not exist.
    pub(super) fn maybe(mut self) -> Self {
        self.maybe = true;
        self
    }

    pub(super) fn render(&self, out: &mut String) {
        let retry = match (self.retry, self.maybe) {
            (true, _) => "retry ",
            (false, true) => "if_exists ",
            (false, false) => "",
        };
        let call = self.lines(" \\", "    ");
        match &self.capture {
            Some(var) => {
                let _ = writeln!(out, "{var}=$({retry}{call})");
            }
            None => {
                let _ = writeln!(out, "{retry}{call}");
            }
        }
    }
}

pub(super) fn principal_var(principal: Principal) -> Val {
    match principal {
        Principal::UserIdentity => Val::output("identityPrincipalId"),
        Principal::RegistrySystemIdentity => Val::output("registryPrincipalId"),
    }
}

fn subnet_args(cmd: Az, subnet: &SubnetRef) -> Az {
    match subnet {
        SubnetRef::Id(id) => cmd.arg("--ids", id),
        SubnetRef::Named { vnet, subnet, group, subscription } => cmd
            .arg("--name", subnet)
            .arg("--vnet-name", vnet)
            .arg("--resource-group", group)
            .opt("--subscription", subscription.as_ref()),
    }
}

pub(super) fn emit(plan: &Plan, title: &str, role: Role) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "#!/usr/bin/env bash");
    let _ = writeln!(out, "# {title}");
    let _ = writeln!(out, "# {} {GENERATOR}. {}", t("emit.generated-by"), t("emit.bash-requires"));
    out.push_str("set -euo pipefail\n\n");

    let _ = writeln!(out, "# {}", t("emit.your-values"));
    for input in &plan.inputs {
        let name = input.var.screaming_snake();
        match &input.value {
            InputValue::Text(text) => {
                let _ = writeln!(out, "{name}={}", quote::bash(text));
            }
            InputValue::List(items) => {
                let words: Vec<String> = items.iter().map(|i| quote::bash(i)).collect();
                let _ = writeln!(out, "{name}=({})", words.join(" "));
            }
            InputValue::Map(map) => {
                let words: Vec<String> = map.iter().map(|(k, v)| quote::bash(&format!("{k}={v}"))).collect();
                let _ = writeln!(out, "{name}=({})", words.join(" "));
            }
        }
    }

    #[cfg(feature = "day2")]
    if plan.steps.iter().any(|s| matches!(s.action, Action::Change(crate::plan::ChangeAction::Preview { .. }))) {
        let _ = writeln!(
            out,
            "\n# {}\nWHAT_IF=0\nif [ \"${{1:-}}\" = --what-if ]; then WHAT_IF=1; fi",
            t("emit.what-if-usage")
        );
    }
    out.push_str(&on_exit(plan));
    if plan.steps.iter().any(|s| s.action.needs_retry()) {
        out.push_str(&retry_fn());
    }
    if plan.steps.iter().any(|s| matches!(s.action, Action::CreateKey { .. })) {
        out.push_str(IF_EXISTS);
    }
    #[cfg(feature = "day2")]
    if plan.steps.iter().any(|s| matches!(s.action, Action::Change(crate::plan::ChangeAction::Confirm { .. }))) {
        out.push_str(CONFIRM);
    }

    for (n, step) in plan.steps.iter().enumerate() {
        let _ = writeln!(out, "\n# {}. {}\nstep {}", n + 1, t(step.title), n + 1);
        render(&step.action, plan, &mut out);
    }
    match role {
        // A day-2 change has no template to point to.
        Role::Whole if plan.arm_note.is_some() => {}
        Role::Whole | Role::BeforeArm => {
            let key = if role == Role::Whole { "emit.bash-arm-alternative" } else { "emit.pre-deploy-next" };
            let _ = writeln!(out, "\n# {}", t(key));
            out.push_str("#   az deployment group create --resource-group \"$RESOURCE_GROUP\" \\\n#     --template-file template.json --parameters @parameters.json\n");
        }
        Role::AfterArm => {
            let _ = writeln!(out, "\n# {}", t("emit.post-deploy-run-again"));
        }
    }
    out
}

/// What a failed run says: the step it stopped in, that a second run goes on
/// from there, and who can reach the registry meanwhile.
fn on_exit(plan: &Plan) -> String {
    // Only a new registry is open until its last step; a changed one keeps
    // the access it had.
    let restrict = plan.steps.iter().position(|s| {
        matches!(s.action, Action::RestrictNetworkAccess { public_access, .. } if public_access != PublicAccess::All)
    });
    let restrict = restrict.filter(|_| plan.arm_note.is_none());
    let mut text = dq(t("emit.bash-stopped"));
    if let Some(n) = restrict {
        text.push(' ');
        text.push_str(&say("emit.bash-stopped-open", &[("step", (n + 1).to_string())]));
    }
    format!(
        r#"
# {comment}
STEP=0
step() {{ STEP=$1; }}
on_exit() {{
  local status=$?
  if [ "$status" -ne 0 ]; then
    echo "Stopped in step ${{STEP}} (exit status ${{status}}). {text}" >&2
  fi
}}
trap on_exit EXIT
"#,
        comment = t("emit.bash-on-exit"),
    )
}

#[cfg(feature = "day2")]
/// Destructive day-2 operations ask first; automation names the registry in
/// `CONFIRM_REGISTRY`, nothing else skips the question.
const CONFIRM: &str = r#"
# This script takes access away: it asks before it does. For automation, set
# CONFIRM_REGISTRY to the registry's name; nothing else skips the question.
confirm() {
  local answer=""
  if [ "${CONFIRM_REGISTRY:-}" = "$REGISTRY_NAME" ]; then
    return 0
  fi
  echo "$1" >&2
  if [ -t 0 ]; then
    printf 'Type the registry name (%s) to go on: ' "$REGISTRY_NAME" >&2
    IFS= read -r answer || true
  fi
  if [ "$answer" != "$REGISTRY_NAME" ]; then
    echo "Not confirmed: nothing was changed." >&2
    exit 1
  fi
}
"#;

/// The Azure CLI exits with 3 when Resource Manager answers 404 (azure-cli's
/// `azure.cli.core.util.handle_exception`); every other failure stops.
const IF_EXISTS: &str = r#"
# Runs a lookup that prints nothing when the resource does not exist yet
# (the Azure CLI exits with 3 for "not found"); any other failure stops here.
if_exists() {
  local status=0 errors
  errors=$(mktemp)
  "$@" 2>"$errors" || status=$?
  if [ "$status" -ne 0 ] && [ "$status" -ne 3 ]; then
    cat "$errors" >&2
  fi
  rm -f "$errors"
  [ "$status" -eq 0 ] || [ "$status" -eq 3 ]
}
"#;

/// Role assignments reach Key Vault's data plane in up to about ten minutes.
/// `sleep` is the external command, so a test can stand in for it.
fn retry_fn() -> String {
    format!(
        r#"
# Role assignments take up to ten minutes to reach Key Vault: retry the calls
# that need them (20 attempts, 30 seconds apart) while the error is one of a
# grant on its way; any other error (a firewall, a missing key) stops at once.
retry() {{
  local attempt status errors
  errors=$(mktemp)
  for attempt in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19; do
    status=0
    "$@" 2>"$errors" || status=$?
    cat "$errors" >&2
    if [ "$status" -eq 0 ]; then rm -f "$errors"; return 0; fi
    if ! grep -qE '{}' "$errors"; then rm -f "$errors"; return "$status"; fi
    echo "Attempt ${{attempt}} failed because a role assignment has not reached Key Vault yet; retrying in 30 seconds." >&2
    sleep 30
  done
  rm -f "$errors"
  "$@"
}}
"#,
        crate::plan::RETRY_ON.join("|")
    )
}

fn render(action: &Action, plan: &Plan, out: &mut String) {
    match action {
        Action::SelectCloud { cloud } => az("az cloud set").lit("--name", cloud.cli_name()).render(out),
        Action::SelectSubscription { subscription } => az("az account set").arg("--subscription", subscription).render(out),
        Action::CreateResourceGroup { name, location } => {
            az("az group create").arg("--name", name).arg("--location", location).tags(plan).quiet().render(out)
        }
        Action::CreateIdentity { name, group, location } => {
            az("az identity create")
                .arg("--name", name)
                .arg("--resource-group", group)
                .arg("--location", location)
                .tags(plan)
                .quiet()
                .render(out);
            lookup_identity(plan, name, group, out);
        }
        Action::LookupIdentity { name, group } => lookup_identity(plan, name, group, out),
        Action::CreateVault { name, group, location, rbac, premium } => {
            // `az keyvault create` refuses a vault that exists: a second run
            // checks the one it finds instead.
            az("az keyvault list")
                .arg("--resource-group", group)
                .raw("--query", named(name))
                .capture_raw("vaultCount", "tsv")
                .render(out);
            out.push_str("if [ \"$VAULT_COUNT\" = 0 ]; then\n");
            indented(
                az("az keyvault create")
                    .arg("--name", name)
                    .arg("--resource-group", group)
                    .arg("--location", location)
                    .when(*premium, |c| c.lit("--sku", "premium"))
                    .lit("--enable-rbac-authorization", if *rbac { "true" } else { "false" })
                    .lit("--enable-purge-protection", "true")
                    .tags(plan)
                    .quiet(),
                out,
            );
            let _ = writeln!(out, "else\n  echo \"{}\" >&2\nfi", say("emit.vault-exists", &[("vault", braced(name))]));
            vault_id(plan, name, group, out);
            check_vault(name, group, Some(*rbac), out);
        }
        Action::LookupVault { name, group } => {
            vault_id(plan, name, group, out);
            check_vault(name, group, None, out);
        }
        Action::GrantSignedInUserKeyOfficer { vault: _ } => {
            let _ = writeln!(out, "# {}", t("emit.signed-in-user-note"));
            // `az ad signed-in-user show` fails for a service principal
            // ("/me request is only valid with delegated authentication flow").
            az("az account show").capture("signedInType", "user.type").render(out);
            out.push_str("if [ \"$SIGNED_IN_TYPE\" = servicePrincipal ]; then\n");
            block(out, |b| {
                az("az account show").capture("signedInAppId", "user.name").render(b);
                az("az ad sp show").arg("--id", &Val::output("signedInAppId")).capture("signedInId", "id").render(b);
                b.push_str("SIGNED_IN_PRINCIPAL_TYPE=ServicePrincipal\n");
            });
            out.push_str("else\n");
            block(out, |b| {
                az("az ad signed-in-user show").capture("signedInId", "id").render(b);
                b.push_str("SIGNED_IN_PRINCIPAL_TYPE=User\n");
            });
            out.push_str("fi\n");
            az("az role assignment create")
                .arg("--assignee-object-id", &Val::output("signedInId"))
                .arg("--assignee-principal-type", &Val::output("signedInPrincipalType"))
                .lit("--role", CRYPTO_OFFICER.0)
                .arg("--scope", &Val::output("keyVaultId"))
                .quiet()
                .render(out);
        }
        Action::GrantKeyAccess { principal, model, vault, group } => match model {
            PermissionModel::Rbac => az("az role assignment create")
                .arg("--assignee-object-id", &principal_var(*principal))
                .lit("--assignee-principal-type", "ServicePrincipal")
                .lit("--role", CRYPTO_SERVICE_ENCRYPTION_USER.0)
                .arg("--scope", &Val::output("keyVaultId"))
                .quiet()
                .render(out),
            PermissionModel::AccessPolicy => az("az keyvault set-policy")
                .arg("--name", vault)
                .arg("--resource-group", group)
                .arg("--object-id", &principal_var(*principal))
                .raw("--key-permissions", KEY_PERMISSIONS.join(" "))
                .quiet()
                .render(out),
        },
        Action::CreateKey { vault, name, kty, size, versionless, .. } => {
            // A second run keeps the key it made: a new version on every run
            // would rotate the registry's key for nothing. Whether it exists
            // is asked of Resource Manager, not of the vault's data plane,
            // which a closed vault firewall (or a role assignment still on its
            // way) would refuse.
            az("az resource show")
                .raw("--ids", format!("\"${{KEY_VAULT_ID}}/keys/{}\"", braced(name)))
                .lit("--query", "properties.keyUriWithVersion")
                .capture_raw("keyId", "tsv")
                .maybe()
                .render(out);
            out.push_str("if [ -z \"$KEY_ID\" ]; then\n");
            indented(
                az("az keyvault key create")
                    .arg("--vault-name", vault)
                    .arg("--name", name)
                    .lit("--kty", kty.as_str())
                    .lit("--size", &size.to_string())
                    .capture("keyId", "key.kid")
                    .retry(),
                out,
            );
            out.push_str("fi\n");
            if *versionless {
                let _ = writeln!(out, "# {}\nKEY_URI=\"${{KEY_ID%/*}}\"", t("emit.versionless-key"));
            } else {
                let _ = writeln!(out, "# {}\nKEY_URI=\"$KEY_ID\"", t("emit.versioned-key"));
            }
        }
        Action::CreateRegistry { name, group, location, sku, admin_user, encryption, public_access, allow_trusted_services } => {
            // `az acr create` on an existing registry PUTs over it (its network
            // rules and identities would be replaced): a second run keeps it.
            let restricted = *sku == Sku::Premium;
            az("az acr list")
                .arg("--resource-group", group)
                .raw("--query", named(name))
                .capture_raw("registryCount", "tsv")
                .render(out);
            out.push_str("if [ \"$REGISTRY_COUNT\" = 0 ]; then\n");
            indented(
                az("az acr create")
                    .arg("--name", name)
                    .arg("--resource-group", group)
                    .arg("--location", location)
                    .lit("--sku", sku.as_str())
                    .lit("--admin-enabled", if *admin_user { "true" } else { "false" })
                    .when(encryption.is_some(), |c| {
                        c.arg("--identity", &Val::output("identityId")).arg("--key-encryption-key", encryption.as_ref().expect("checked"))
                    })
                    .when(*public_access == PublicAccess::Disabled, |c| c.lit("--public-network-enabled", "false"))
                    .when(*public_access == PublicAccess::SelectedNetworks, |c| c.lit("--default-action", "Deny"))
                    .when(restricted, |c| c.lit("--allow-trusted-services", if *allow_trusted_services { "true" } else { "false" }))
                    .tags(plan)
                    .quiet()
                    .when(encryption.is_some(), Az::retry),
                out,
            );
            out.push_str("else\n");
            let _ = writeln!(out, "  echo \"{}\" >&2", say("emit.registry-exists", &[("registry", braced(name))]));
            if encryption.is_some() {
                // A key can only be set at creation: an existing registry
                // without one cannot become what the spec describes.
                block(out, |b| {
                    az("az acr show")
                        .arg("--name", name)
                        .arg("--resource-group", group)
                        .capture("registryEncryption", "encryption.status")
                        .render(b);
                    let _ = writeln!(
                        b,
                        "if [ \"$REGISTRY_ENCRYPTION\" != enabled ]; then\n  echo \"{}\" >&2\n  exit 1\nfi",
                        say("emit.registry-exists-unencrypted", &[("registry", braced(name))])
                    );
                });
            }
            out.push_str("fi\n");
        }
        Action::AddIpRule { registry, rule } => {
            // Adding a rule the registry already has would list it twice.
            az("az acr network-rule list")
                .arg("--name", registry)
                .raw("--query", format!("\"ipRules[?ipAddressOrRange=='{}'] | length(@)\"", braced(rule)))
                .capture_raw("ruleCount", "tsv")
                .render(out);
            out.push_str("if [ \"$RULE_COUNT\" = 0 ]; then\n");
            indented(az("az acr network-rule add").arg("--name", registry).arg("--ip-address", rule).quiet(), out);
            out.push_str("fi\n");
        }
        Action::RegisterProvider { subscription } => az("az provider register")
            .lit("--namespace", "Microsoft.ContainerRegistry")
            .arg("--subscription", subscription)
            .flag("--wait")
            .render(out),
        Action::LookupSubnet { index, vnet, subnet, group, subscription } => {
            let named = SubnetRef::Named { vnet: vnet.clone(), subnet: subnet.clone(), group: group.clone(), subscription: subscription.clone() };
            subnet_args(az("az network vnet subnet show"), &named).capture(&format!("subnetId{index}"), "id").render(out)
        }
        Action::AddSubnetServiceEndpoint { subnet } => {
            let _ = writeln!(out, "# {}", t("emit.keep-service-endpoints"));
            // Captured in a plain assignment, so that a failed lookup stops the
            // script (set -e) instead of leaving an empty list to write back.
            subnet_args(az("az network vnet subnet show"), subnet)
                .lit("--query", "serviceEndpoints[].service")
                .capture_raw("endpoints", "tsv")
                .render(out);
            out.push_str("if ! grep -qxF Microsoft.ContainerRegistry <<<\"$ENDPOINTS\"; then\n");
            out.push_str("  # One service name per line of ENDPOINTS: word splitting is meant here.\n  # shellcheck disable=SC2086\n");
            indented(
                subnet_args(az("az network vnet subnet update"), subnet)
                    .raw("--service-endpoints", "$ENDPOINTS Microsoft.ContainerRegistry")
                    .quiet(),
                out,
            );
            out.push_str("fi\n");
        }
        Action::AddVnetRule { registry, subnet_id } => {
            let _ = writeln!(out, "# {}", t("emit.vnet-rule-deprecated"));
            // Resource IDs compare case-insensitively; the registry may echo
            // the subnet's ID in another case than the one given.
            az("az acr network-rule list")
                .arg("--name", registry)
                .lit("--query", "virtualNetworkRules[].virtualNetworkResourceId")
                .capture_raw("vnetRules", "tsv")
                .render(out);
            let _ = writeln!(out, "if ! grep -qixF {} <<<\"$VNET_RULES\"; then", Bash::value(subnet_id));
            indented(az("az acr network-rule add").arg("--name", registry).arg("--subnet", subnet_id).quiet(), out);
            out.push_str("fi\n");
        }
        Action::AssignSystemIdentity { registry, group } => {
            az("az acr identity assign").arg("--name", registry).arg("--resource-group", group).lit("--identities", "[system]").quiet().render(out);
            az("az acr identity show")
                .arg("--name", registry)
                .arg("--resource-group", group)
                .capture("registryPrincipalId", "principalId")
                .render(out);
        }
        Action::RotateKeyToSystemIdentity { registry, key } => az("az acr encryption rotate-key")
            .arg("--name", registry)
            .arg("--key-encryption-key", key)
            .lit("--identity", "[system]")
            .quiet()
            .retry()
            .render(out),
        Action::CloseVaultFirewall { vault, group } => az("az keyvault update")
            .arg("--name", vault)
            .arg("--resource-group", group)
            .lit("--default-action", "Deny")
            .lit("--bypass", "AzureServices")
            .quiet()
            .render(out),
        // `--public-network-enabled false` sets the plan's default action
        // (Deny) itself: the CLI's `_configure_public_network_access`.
        // Azure CLI 2.91 has no `az acr update` flag for it; `--set` is the
        // generic update of the RegistryUpdateParameters it PATCHes, whose
        // SDK model has the property (acr/custom.py acr_update_get,
        // azure/mgmt/containerregistry models).
        Action::AllowTasksBypass { registry, group } => az("az acr update")
            .arg("--name", registry)
            .arg("--resource-group", group)
            .lit("--set", "networkRuleBypassAllowedForTasks=true")
            .quiet()
            .render(out),
        Action::RestrictNetworkAccess { registry, group, public_access, allow_trusted_services } => az("az acr update")
            .arg("--name", registry)
            .arg("--resource-group", group)
            .when(*public_access == PublicAccess::Disabled, |c| c.lit("--public-network-enabled", "false"))
            .when(*public_access != PublicAccess::Disabled, |c| {
                c.lit("--public-network-enabled", "true").lit("--default-action", crate::plan::default_action(*public_access))
            })
            .lit("--allow-trusted-services", if *allow_trusted_services { "true" } else { "false" })
            .quiet()
            .render(out),
        #[cfg(feature = "day2")]
        Action::Change(change) => super::bash_change::render(change, plan, out),
        Action::StandingRoleNote { vault } => {
            let _ = writeln!(out, "# {}", t("emit.standing-role"));
            let _ = writeln!(out, "echo \"{}\" >&2", say("emit.standing-role-echo", &[("vault", braced(vault))]));
            let _ = writeln!(
                out,
                "echo \"  az role assignment delete --assignee ${{SIGNED_IN_ID}} --role '{}' --scope ${{KEY_VAULT_ID}}\" >&2",
                CRYPTO_OFFICER.0
            );
        }
        Action::LookupRegistryKey { registry, group } => az("az acr show")
            .arg("--name", registry)
            .arg("--resource-group", group)
            .capture("keyUri", "encryption.keyVaultProperties.keyIdentifier")
            .render(out),
        Action::ShowEncryption { registry } => az("az acr encryption show").arg("--name", registry).render(out),
        Action::ShowNetworkRules { registry } => az("az acr show")
            .arg("--name", registry)
            .lit("--query", "{publicNetworkAccess: publicNetworkAccess, networkRuleSet: networkRuleSet, networkRuleBypassOptions: networkRuleBypassOptions}")
            .render(out),
        Action::RegisterPreviewFeature => {
            let _ = writeln!(out, "# {}", t("emit.preview-feature"));
            az("az feature register").lit("--namespace", "Microsoft.Compute").lit("--name", "SIGEncryption").quiet().render(out);
            az("az provider register").lit("--namespace", "Microsoft.Compute").quiet().render(out);
        }
        Action::LookupImageDefinition { gallery, definition, group } => {
            az("az sig image-definition show")
                .arg("--resource-group", group)
                .arg("--gallery-name", gallery)
                .arg("--gallery-image-definition", definition)
                .capture("imageDefinitionId", "id")
                .render(out);
            out.push_str("echo \"Image definition: ${IMAGE_DEFINITION_ID}\"\n");
        }
        Action::CheckDiskEncryptionSets { sets, double } => {
            out.push_str(CHECK_DES);
            let kind = if *double { " EncryptionAtRestWithPlatformAndCustomerKeys" } else { "" };
            for (des, region) in sets {
                let _ = writeln!(out, "check_des {} {}{kind}", Bash::value(des), Bash::value(region));
            }
        }
        Action::CreateImageVersion {
            gallery,
            definition,
            version,
            group,
            location,
            source,
            end_of_life,
            exclude_from_latest,
            regions,
        } => {
            let mut cmd = az("az sig image-version create")
                .arg("--resource-group", group)
                .arg("--gallery-name", gallery)
                .arg("--gallery-image-definition", definition)
                .arg("--gallery-image-version", version)
                .arg("--location", location);
            cmd = match source {
                ImageSourceRef::ManagedImage(id) => cmd.arg("--managed-image", id),
                ImageSourceRef::VirtualMachine(id) => cmd.arg("--virtual-machine", id),
                ImageSourceRef::Snapshots { os, data } => {
                    let luns: Vec<String> = data.iter().map(|(lun, _)| lun.to_string()).collect();
                    let ids: Vec<String> = data.iter().map(|(_, id)| Bash::value(id)).collect();
                    cmd.arg("--os-snapshot", os)
                        .when(!data.is_empty(), |c| c.raw("--data-snapshot-luns", luns.join(" ")).raw("--data-snapshots", ids.join(" ")))
                }
            };
            // REGION=COUNT=TYPE: the three-part form takes the storage type in
            // lowercase only (the CLI compares it without lowercasing).
            let targets: Vec<String> = regions
                .iter()
                .map(|r| format!("\"{}={}={}\"", braced(&r.region), r.replicas, r.storage.as_str().to_ascii_lowercase()))
                .collect();
            cmd = cmd.raw("--target-regions", targets.join(" "));
            // One item per target region, in the same order: OS_DES,LUN,DES,...
            if regions.iter().any(|r| r.os_des.is_some()) {
                let items: Vec<String> = regions.iter().map(encryption_item).collect();
                cmd = cmd.raw("--target-region-encryption", items.join(" "));
            }
            cmd.opt("--end-of-life-date", end_of_life.as_ref())
                .when(*exclude_from_latest, |c| c.lit("--exclude-from-latest", "true"))
                .tags(plan)
                .quiet()
                .render(out)
        }
        Action::ShowImageVersion { gallery, definition, version, group } => az("az sig image-version show")
            .arg("--resource-group", group)
            .arg("--gallery-name", gallery)
            .arg("--gallery-image-definition", definition)
            .arg("--gallery-image-version", version)
            .lit("--query", "{state: provisioningState, regions: publishingProfile.targetRegions[].{name: name, encryption: encryption}}")
            .render(out),
        Action::CreateVmHint { group, version, region } => {
            let _ = writeln!(out, "# {}", t("emit.vm-hint"));
            let mut cmd = az("az vm create")
                .arg("--resource-group", group)
                .lit("--name", "myVM")
                .raw("--image", format!("\"${{IMAGE_DEFINITION_ID}}/versions/{}\"", braced(version)))
                .arg("--location", &region.region)
                .opt("--os-disk-encryption-set", region.os_des.as_ref());
            if !region.data_des.is_empty() {
                let sets: Vec<String> = region.data_des.iter().map(|(_, d)| Bash::value(d)).collect();
                cmd = cmd.raw("--data-disk-encryption-sets", sets.join(" "));
            }
            let mut text = String::new();
            cmd.render(&mut text);
            for line in text.lines() {
                let _ = writeln!(out, "#   {line}");
            }
        }
    }
}

/// A plan value inside a double-quoted bash word: `${TARGET_REGION0}`.
pub(super) fn braced(value: &Val) -> String {
    match value {
        Val::Input(var) | Val::Output(var) => format!("${{{}}}", var.screaming_snake()),
        Val::Lit(text) => text.to_string(),
    }
}

/// `"${OS_DES0},0,${DATA_DES0_LUN0}"`, or `null` for a region without sets.
fn encryption_item(region: &RegionRef) -> String {
    let Some(os) = &region.os_des else { return "null".into() };
    let mut item = braced(os);
    for (lun, des) in &region.data_des {
        let _ = write!(item, ",{lun},{}", braced(des));
    }
    format!("\"{item}\"")
}

const CHECK_DES: &str = r#"# Disk encryption sets are regional and must be in the image's subscription:
# stop here, before anything is created, if one is not where it must be.
SUBSCRIPTION_ID_NOW=$(az account show --query id --output tsv)
lowercase() { printf '%s' "$1" | tr '[:upper:]' '[:lower:]'; }
check_des() {
  local id=$1 region=$2 query
  query="location=='${region}'"
  if [ $# -gt 2 ]; then query="${query} && encryptionType=='$3'"; fi
  # Resource IDs compare case-insensitively (bash 3.2 on macOS has no ${x,,}).
  case "$(lowercase "${id}")" in
    "/subscriptions/$(lowercase "${SUBSCRIPTION_ID_NOW}")/"*) ;;
    *) echo "Disk encryption set ${id} is not in the image's subscription ${SUBSCRIPTION_ID_NOW}." >&2; exit 1 ;;
  esac
  if [ "$(az disk-encryption-set show --ids "${id}" --query "${query}" --output tsv)" != "true" ]; then
    echo "Disk encryption set ${id} is not in ${region}${3:+ or its encryption type is not $3}." >&2
    exit 1
  fi
}
"#;

/// A JMESPath query that counts the listed resources called `name`. Names
/// that reach it are validated to letters, digits, `-` and `_`.
pub(super) fn named(name: &Val) -> String {
    format!("\"[?name=='{}'] | length(@)\"", braced(name))
}

/// A catalog text for inside a double-quoted bash string, its placeholders
/// filled with words that bash expands there (`${VAULT_NAME}`).
pub(super) fn say(key: &str, args: &[(&str, String)]) -> String {
    let mut text = dq(t(key));
    for (name, value) in args {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

/// Text for inside a double-quoted bash string.
pub(super) fn dq(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '"' | '$' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The body of a bash `if`: two spaces in.
pub(super) fn block(out: &mut String, render: impl FnOnce(&mut String)) {
    super::block(out, "  ", render);
}

/// One call as the body of an `if`.
pub(super) fn indented(call: Az, out: &mut String) {
    block(out, |b| call.render(b));
}

/// Stops unless the vault has purge protection and (when the spec says which)
/// the permission model the grants are written for.
fn check_vault(name: &Val, group: &Val, rbac: Option<bool>, out: &mut String) {
    let _ = writeln!(out, "# {}", t("emit.check-purge-protection"));
    az("az keyvault show")
        .arg("--name", name)
        .arg("--resource-group", group)
        .capture("purgeProtection", "properties.enablePurgeProtection")
        .render(out);
    let _ = writeln!(
        out,
        "if [ \"$PURGE_PROTECTION\" != \"true\" ]; then\n  echo \"{}\" >&2\n  exit 1\nfi",
        say("emit.purge-protection-missing", &[("vault", braced(name))])
    );
    if let Some(rbac) = rbac {
        az("az keyvault show")
            .arg("--name", name)
            .arg("--resource-group", group)
            .capture("vaultRbac", "properties.enableRbacAuthorization")
            .render(out);
        let (test, key) = if rbac {
            ("[ \"$VAULT_RBAC\" != \"true\" ]", "emit.vault-not-rbac")
        } else {
            ("[ \"$VAULT_RBAC\" = \"true\" ]", "emit.vault-not-access-policy")
        };
        let _ = writeln!(out, "if {test}; then\n  echo \"{}\" >&2\n  exit 1\nfi", say(key, &[("vault", braced(name))]));
    }
}

fn vault_id(plan: &Plan, name: &Val, group: &Val, out: &mut String) {
    if plan.needs_vault_id() {
        az("az keyvault show")
            .arg("--name", name)
            .arg("--resource-group", group)
            .capture("keyVaultId", "id")
            .render(out);
    }
}

/// Captures the identity's resource ID and principal ID where later steps
/// use them (an unused variable is a shellcheck warning, and noise).
fn lookup_identity(plan: &Plan, name: &Val, group: &Val, out: &mut String) {
    let needs_id = plan.steps.iter().any(|s| matches!(s.action, Action::CreateRegistry { encryption: Some(_), .. }));
    let needs_principal = plan
        .steps
        .iter()
        .any(|s| matches!(s.action, Action::GrantKeyAccess { principal: Principal::UserIdentity, .. }));
    let show = || az("az identity show").arg("--name", name).arg("--resource-group", group);
    if needs_id {
        show().capture("identityId", "id").render(out);
    }
    if needs_principal {
        show().capture("identityPrincipalId", "principalId").render(out);
    }
    if !needs_id && !needs_principal {
        // Only that it exists: the registry was deployed with it.
        show().quiet().render(out);
    }
}
