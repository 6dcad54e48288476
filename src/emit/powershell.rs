//! Azure PowerShell (Az modules): `$ErrorActionPreference = 'Stop'`, user
//! values as verbatim strings at the top, objects kept in variables.
//!
//! Az PowerShell has no parameter for registry virtual network rules, so
//! network rules that include subnets are set through `Invoke-AzRestMethod`
//! with the registry's preview API version (rule `PS-VNET-RULES` says so).

use std::fmt::Write;

use super::call::{Call, Dialect};
use super::Role;
use super::{arm::api, quote, t, CRYPTO_OFFICER, CRYPTO_SERVICE_ENCRYPTION_USER, GENERATOR, KEY_PERMISSIONS};
use crate::plan::{
    self, Action, ImageSourceRef, InputValue, Plan, Principal, RegionRef, Step, SubnetRef, Val, Var, END_OF_LIFE_TIME,
};
use crate::spec::{KeyType, Kind, PermissionModel, PublicAccess, Sku};

/// PowerShell expressions: variables, and verbatim strings for literals.
pub(super) struct Ps;

impl Dialect for Ps {
    fn value(value: &Val) -> String {
        match value {
            Val::Input(var) | Val::Output(var) => format!("${}", var.pascal()),
            Val::Lit(text) => quote::powershell(text),
        }
    }
    fn literal(text: &str) -> String {
        quote::powershell(text)
    }
}

pub(super) fn call(cmdlet: &'static str) -> Call<Ps> {
    Call::new(cmdlet)
}

pub(super) fn expr(value: &Val) -> String {
    Ps::value(value)
}

impl Call<Ps> {
    pub(super) fn switch(self, name: &'static str) -> Self {
        self.flag(name)
    }
    pub(super) fn tags(self, plan: &Plan) -> Self {
        self.when(plan.has_tags, |c| c.raw("-Tag", "$Tags"))
    }
    pub(super) fn to(mut self, variable: &str) -> Self {
        self.capture = Some(format!("${variable}"));
        self
    }

    pub(super) fn render(&self, out: &mut String) {
        let assign = self.capture.as_ref().map(|v| format!("{v} = ")).unwrap_or_default();
        if self.retry {
            let _ = writeln!(out, "{assign}Invoke-WithRetry {{\n    {}\n}}", self.lines(" `", "        "));
        } else {
            let _ = writeln!(out, "{assign}{}", self.lines(" `", "    "));
        }
    }

    /// The call with its output discarded.
    pub(super) fn render_quiet(self, out: &mut String) {
        let mut text = String::new();
        self.render(&mut text);
        out.push_str(text.trim_end());
        out.push_str(" | Out-Null\n");
    }
}

pub(super) fn principal_var(principal: Principal) -> Val {
    match principal {
        Principal::UserIdentity => Val::output("identityPrincipalId"),
        Principal::RegistrySystemIdentity => Val::output("registryPrincipalId"),
    }
}

pub(super) fn emit(plan: &Plan, title: &str, role: Role) -> String {
    let body = body(plan, role);
    let mut out = String::new();
    let _ = writeln!(out, "# {title}");
    let requires = match plan.kind {
        Kind::Registry => "emit.powershell-requires",
        Kind::GalleryImageVersion => "emit.powershell-requires-gallery",
    };
    let _ = writeln!(out, "# {} {GENERATOR}. {}", t("emit.generated-by"), t(requires));
    // Exactly the modules whose cmdlets the script runs.
    let modules: Vec<String> = modules_used(&body).into_iter().map(required_module).collect();
    let _ = writeln!(out, "#Requires -Modules {}", modules.join(", "));
    out.push_str(&body);
    out
}

/// The Az modules of the cmdlets in `script`, outside comments, in the order
/// they load (Az.Accounts first).
fn modules_used(script: &str) -> Vec<&'static str> {
    let mut used: Vec<&'static str> = Vec::new();
    for line in script.lines().filter(|l| !l.trim_start().starts_with('#')) {
        for (i, _) in line.match_indices("-Az") {
            let verb_start = line[..i].rfind(|c: char| !c.is_ascii_alphabetic()).map_or(0, |p| p + 1);
            let noun_end = line[i + 1..].find(|c: char| !c.is_ascii_alphanumeric()).map_or(line.len(), |p| p + i + 1);
            let cmdlet = &line[verb_start..noun_end];
            if let Some((_, module)) = CMDLET_MODULES.iter().find(|(c, _)| *c == cmdlet) {
                if !used.contains(module) {
                    used.push(module);
                }
            }
        }
    }
    used.sort_by_key(|m| MODULE_ORDER.iter().position(|o| o == m));
    used
}

/// The first release of each module that has every cmdlet and parameter
/// the scripts use, from the module's ChangeLog.md in Azure/azure-powershell
/// (`src/<Module>/<Module>/ChangeLog.md`), so that an older module stops the
/// script at its start ("#Requires") instead of in the middle of a run:
/// - Az.ContainerRegistry 5.0.0: "Improved user experience and consistency.
///   This may introduce breaking changes": the managed-identity parameters
///   -EnableSystemAssignedIdentity and -UserAssignedIdentity replaced 4.x's
///   -IdentityType (4.3.1 "Preannounced breaking changes"; the 4.x help has
///   -IdentityType only).
/// - Az.KeyVault 6.0.0: "[Breaking Change] Replaced parameter
///   `EnableRbacAuthorization` by `DisableRbacAuthorization` in
///   `New-AzKeyVault` ... RBAC will be enabled by default": an RBAC vault is
///   created by leaving the switch out, which 5.x reads as access policies.
///   (Invoke-AzKeyVaultKeyRotation and Set-AzKeyVaultKeyRotationPolicy came
///   in 4.2.0, its string -ExpiresIn in 4.6.0.)
///
/// The other modules are named without a version: their ChangeLogs were not
/// read for every parameter yet.
const MODULE_FLOORS: &[(&str, &str)] = &[("Az.ContainerRegistry", "5.0.0"), ("Az.KeyVault", "6.0.0")];

/// A module as `#Requires -Modules` names it: with its floor when it has one.
fn required_module(module: &str) -> String {
    match MODULE_FLOORS.iter().find(|(m, _)| *m == module) {
        Some((m, version)) => format!("@{{ ModuleName = '{m}'; ModuleVersion = '{version}' }}"),
        None => module.to_string(),
    }
}

const MODULE_ORDER: [&str; 7] = [
    "Az.Accounts",
    "Az.Resources",
    "Az.ManagedServiceIdentity",
    "Az.KeyVault",
    "Az.Network",
    "Az.ContainerRegistry",
    "Az.Compute",
];

/// Which module each cmdlet the emitter writes comes from (the modules' help,
/// azure-powershell `src/<Module>/<Module>/help/<Cmdlet>.md`). A cmdlet that
/// is missing here fails `every_cmdlet_has_its_module` in the tests.
pub const CMDLET_MODULES: &[(&str, &str)] = &[
    ("Connect-AzAccount", "Az.Accounts"),
    ("Get-AzContext", "Az.Accounts"),
    ("Set-AzContext", "Az.Accounts"),
    ("Invoke-AzRestMethod", "Az.Accounts"),
    ("New-AzResourceGroup", "Az.Resources"),
    ("New-AzRoleAssignment", "Az.Resources"),
    ("Remove-AzRoleAssignment", "Az.Resources"),
    ("Get-AzRoleAssignment", "Az.Resources"),
    ("Get-AzResource", "Az.Resources"),
    ("Register-AzResourceProvider", "Az.Resources"),
    ("Register-AzProviderFeature", "Az.Resources"),
    ("Get-AzResourceProvider", "Az.Resources"),
    ("Get-AzADUser", "Az.Resources"),
    ("Get-AzADServicePrincipal", "Az.Resources"),
    ("New-AzUserAssignedIdentity", "Az.ManagedServiceIdentity"),
    ("Get-AzUserAssignedIdentity", "Az.ManagedServiceIdentity"),
    ("Get-AzKeyVault", "Az.KeyVault"),
    ("New-AzKeyVault", "Az.KeyVault"),
    ("Add-AzKeyVaultKey", "Az.KeyVault"),
    ("Get-AzKeyVaultKey", "Az.KeyVault"),
    ("Set-AzKeyVaultAccessPolicy", "Az.KeyVault"),
    ("Update-AzKeyVaultNetworkRuleSet", "Az.KeyVault"),
    ("Invoke-AzKeyVaultKeyRotation", "Az.KeyVault"),
    ("Set-AzKeyVaultKeyRotationPolicy", "Az.KeyVault"),
    ("Update-AzKeyVaultKey", "Az.KeyVault"),
    ("Remove-AzKeyVaultAccessPolicy", "Az.KeyVault"),
    ("Get-AzContainerRegistry", "Az.ContainerRegistry"),
    ("New-AzContainerRegistry", "Az.ContainerRegistry"),
    ("Update-AzContainerRegistry", "Az.ContainerRegistry"),
    ("New-AzContainerRegistryIPRuleObject", "Az.ContainerRegistry"),
    ("Get-AzGalleryImageDefinition", "Az.Compute"),
    ("New-AzGalleryImageVersion", "Az.Compute"),
    ("Get-AzGalleryImageVersion", "Az.Compute"),
    ("New-AzVMConfig", "Az.Compute"),
    ("Set-AzVMSourceImage", "Az.Compute"),
    ("Set-AzVMOSDisk", "Az.Compute"),
    ("Add-AzVMDataDisk", "Az.Compute"),
];

/// A key's URI from the Az.KeyVault key object `$key`: its `Id` names the
/// port (`https://VAULT.vault.azure.net:443/keys/...`: the Key Vault SDK's
/// `ObjectIdentifier` builds it from the vault URI's full authority, as the
/// Add-AzKeyVaultKey help shows), while the service, the CLI and ARM write
/// the URI without it, which the registry is then compared with.
pub(super) const KEY_ID: &str = "$key.Id -replace ':443/', '/'";

/// What Resource Manager's "not found" reads like in an Az error (the
/// `ResourceNotFound` code, "... was not found"), matched only where a
/// missing resource is the expected answer.
const NOT_FOUND: &str = "'ResourceNotFound|NotFound|was not found'";

/// Everything after the header: strict mode, values, steps.
fn body(plan: &Plan, role: Role) -> String {
    let mut out = String::new();
    #[cfg(feature = "day2")]
    if plan.steps.iter().any(|s| matches!(s.action, Action::Change(crate::plan::ChangeAction::Preview { .. }))) {
        let _ = writeln!(out, "# {}\nparam([switch] $WhatIf)\n", t("emit.what-if-usage-ps"));
    }
    out.push_str("Set-StrictMode -Version Latest\n$ErrorActionPreference = 'Stop'\n\n");

    let _ = writeln!(out, "# {}", t("emit.your-values"));
    for input in &plan.inputs {
        let name = input.var.pascal();
        match &input.value {
            InputValue::Text(text) => {
                let _ = writeln!(out, "${name} = {}", quote::powershell(text));
            }
            InputValue::List(items) => {
                let items: Vec<String> = items.iter().map(|i| quote::powershell(i)).collect();
                let _ = writeln!(out, "${name} = @({})", items.join(", "));
            }
            InputValue::Map(map) => {
                let _ = writeln!(out, "${name} = @{{");
                for (k, v) in map {
                    let _ = writeln!(out, "    {} = {}", quote::powershell(k), quote::powershell(v));
                }
                out.push_str("}\n");
            }
        }
    }

    let network: Vec<&Step> = plan
        .steps
        .iter()
        .filter(|s| matches!(s.action, Action::AddIpRule { .. } | Action::AddVnetRule { .. }))
        .collect();
    if !network.is_empty() {
        out.push_str("$IpRules = @()\n$VnetRules = @()\n");
    }
    if plan.steps.iter().any(|s| s.action.needs_retry()) {
        out.push_str(&retry_fn());
    }
    if plan.steps.iter().any(|s| grants_role(&s.action)) {
        out.push_str(GRANT_ROLE);
    }
    for (n, step) in plan.steps.iter().enumerate() {
        let _ = writeln!(out, "\n# {}. {}", n + 1, t(step.title));
        // All network rules go in one call after the last of them: both ways
        // of setting them replace the registry's whole list.
        let is_last_rule = network.last().is_some_and(|last| std::ptr::eq(*last, step));
        render(&step.action, plan, &mut out);
        if is_last_rule {
            network_rules(&network, &mut out);
        }
    }
    match role {
        // A day-2 change has no template to point to.
        Role::Whole if plan.arm_note.is_some() => {}
        Role::Whole | Role::BeforeArm => {
            let key = if role == Role::Whole { "emit.bash-arm-alternative" } else { "emit.pre-deploy-next" };
            let _ = writeln!(out, "\n# {}", t(key));
            out.push_str("#   New-AzResourceGroupDeployment -ResourceGroupName $ResourceGroup `\n#     -TemplateFile template.json -TemplateParameterFile parameters.json\n");
        }
        Role::AfterArm => {
            let _ = writeln!(out, "\n# {}", t("emit.post-deploy-run-again"));
        }
    }
    out
}

fn retry_fn() -> String {
    let words: Vec<&str> = crate::plan::RETRY_ON.to_vec();
    format!(
        r#"
# Role assignments take up to ten minutes to reach Key Vault: retry the calls
# that need them (20 attempts, 30 seconds apart) while the error is one of a
# grant on its way; any other error (a firewall, a missing key) stops at once.
function Invoke-WithRetry([scriptblock] $Action) {{
    for ($attempt = 1; ; $attempt++) {{
        try {{ return & $Action }}
        catch {{
            if ($attempt -ge 20 -or "$_" -notmatch '{}') {{ throw }}
            Write-Warning "Attempt $attempt failed because a role assignment has not reached Key Vault yet; retrying in 30 seconds. $_"
            Start-Sleep -Seconds 30
        }}
    }}
}}
"#,
        words.join("|")
    )
}

/// `az role assignment create` returns the assignment when it exists;
/// New-AzRoleAssignment fails with Conflict instead (Azure/azure-powershell
/// #14424, "the expected behaviour"). Az.Resources 6 and later say so as
/// "Operation returned an invalid status code 'Conflict'" (the SDK's
/// ErrorResponseException; the service's "The role assignment already
/// exists." is only in its body: Azure/enterprise-azure-policy-as-code#23 and
/// #137 show a catch on that text missing it), older ones with the service's
/// text. Only that Conflict is taken as done:
/// asking first (Get-AzRoleAssignment) would need Microsoft Graph, which
/// drops an assignment whose principal it cannot read (a new identity, or a
/// caller without Graph rights; `ToPSRoleAssignments` in Az.Resources).
const GRANT_ROLE: &str = r#"
# A second run finds the role assignments it made: New-AzRoleAssignment then
# fails with Conflict (the role assignment already exists), which is done.
function Grant-RoleAssignment([string] $ObjectId, [string] $ObjectType, [string] $Role, [string] $Scope) {
    try {
        New-AzRoleAssignment -ObjectId $ObjectId -ObjectType $ObjectType -RoleDefinitionName $Role -Scope $Scope | Out-Null
    } catch {
        if ("$($_.Exception.Message)" -notmatch "'Conflict'|role assignment already exists") { throw }
    }
}
"#;

/// Whether the step grants an Azure RBAC role (through `Grant-RoleAssignment`).
pub(super) fn grants_role(action: &Action) -> bool {
    #[cfg(feature = "day2")]
    if let Action::Change(crate::plan::ChangeAction::GrantTaskRole { .. }) = action {
        return true;
    }
    matches!(
        action,
        Action::GrantSignedInUserKeyOfficer { .. } | Action::GrantKeyAccess { model: PermissionModel::Rbac, .. }
    )
}

/// `Grant-RoleAssignment ...`: the role, to a principal of that type.
pub(super) fn grant_role(object_id: &Val, object_type: &Val, role: &str, scope: &Val, out: &mut String) {
    call("Grant-RoleAssignment")
        .arg("-ObjectId", object_id)
        .arg("-ObjectType", object_type)
        .lit("-Role", role)
        .arg("-Scope", scope)
        .render(out);
}

fn render(action: &Action, plan: &Plan, out: &mut String) {
    match action {
        Action::SelectCloud { cloud } => {
            let _ = writeln!(
                out,
                "if ((Get-AzContext).Environment.Name -ne {env}) {{\n    Connect-AzAccount -Environment {env} | Out-Null\n}}",
                env = quote::powershell(cloud.powershell_name())
            );
        }
        Action::SelectSubscription { subscription } => {
            call("Set-AzContext").arg("-Subscription", subscription).render_quiet(out)
        }
        Action::CreateResourceGroup { name, location } => call("New-AzResourceGroup")
            .arg("-Name", name)
            .arg("-Location", location)
            .tags(plan)
            .switch("-Force")
            .render_quiet(out),
        Action::CreateIdentity { name, group, location } => {
            call("New-AzUserAssignedIdentity")
                .arg("-Name", name)
                .arg("-ResourceGroupName", group)
                .arg("-Location", location)
                .tags(plan)
                .to("identity")
                .render(out);
            identity_vars(out);
        }
        Action::LookupIdentity { name, group } => {
            call("Get-AzUserAssignedIdentity")
                .arg("-Name", name)
                .arg("-ResourceGroupName", group)
                .to("identity")
                .render(out);
            identity_vars(out);
        }
        Action::CreateVault { name, group, location, rbac, premium } => {
            // New-AzKeyVault refuses a vault that exists: a second run checks
            // the one it finds instead. Whether it exists is read from the
            // group's list, as bash does (`az keyvault list`): a lookup with
            // -ErrorAction SilentlyContinue would take a failed call (a 503)
            // for "not there" and try to create the vault again.
            let _ = writeln!(
                out,
                "$vault = @(Get-AzKeyVault -ResourceGroupName {} | Where-Object {{ $_.VaultName -eq {} }}) | Select-Object -First 1",
                expr(group),
                expr(name)
            );
            out.push_str("if ($vault) {\n");
            block(out, |b| {
                call("Get-AzKeyVault").arg("-VaultName", name).arg("-ResourceGroupName", group).to("vault").render(b)
            });
            out.push_str("}\nif (-not $vault) {\n");
            block(out, |b| {
                call("New-AzKeyVault")
                    .arg("-Name", name)
                    .arg("-ResourceGroupName", group)
                    .arg("-Location", location)
                    .when(*premium, |c| c.lit("-Sku", "Premium"))
                    .switch("-EnablePurgeProtection")
                    .when(!rbac, |c| c.switch("-DisableRbacAuthorization"))
                    .tags(plan)
                    .to("vault")
                    .render(b)
            });
            let _ = writeln!(out, "}} else {{\n    Write-Warning {}\n}}", say("emit.vault-exists", &[("vault", name)]));
            out.push_str("$KeyVaultId = $vault.ResourceId\n");
            check_vault(name, Some(*rbac), out);
        }
        Action::LookupVault { name, group } => {
            call("Get-AzKeyVault").arg("-VaultName", name).arg("-ResourceGroupName", group).to("vault").render(out);
            let _ = writeln!(out, "if (-not $vault) {{ throw {} }}", say("emit.vault-missing", &[("vault", name)]));
            out.push_str("$KeyVaultId = $vault.ResourceId\n");
            check_vault(name, None, out);
        }
        Action::GrantSignedInUserKeyOfficer { .. } => {
            let _ = writeln!(out, "# {}", t("emit.signed-in-user-note"));
            // Microsoft Graph, as the bash script asks it (`az ad sp show`,
            // `az ad signed-in-user show`): the context names the account
            // (an app ID, a sign-in name) but not its object ID, which the
            // role assignment needs. Get-AzADUser -SignedIn works for users only.
            out.push_str(
                "$account = (Get-AzContext).Account\n\
                 if ($account.Type -eq 'ServicePrincipal') {\n    \
                 $SignedInId = (Get-AzADServicePrincipal -ApplicationId $account.Id).Id\n    \
                 $SignedInType = 'ServicePrincipal'\n\
                 } else {\n    \
                 $SignedInId = (Get-AzADUser -SignedIn).Id\n    \
                 $SignedInType = 'User'\n\
                 }\n",
            );
            grant_role(
                &Val::output("signedInId"),
                &Val::output("signedInType"),
                CRYPTO_OFFICER.0,
                &Val::output("keyVaultId"),
                out,
            );
        }
        Action::GrantKeyAccess { principal, model, vault, group } => match model {
            PermissionModel::Rbac => grant_role(
                &principal_var(*principal),
                &Val::Lit("ServicePrincipal"),
                CRYPTO_SERVICE_ENCRYPTION_USER.0,
                &Val::output("keyVaultId"),
                out,
            ),
            PermissionModel::AccessPolicy => {
                let permissions: Vec<String> = KEY_PERMISSIONS.iter().map(|p| quote::powershell(p)).collect();
                call("Set-AzKeyVaultAccessPolicy")
                    .arg("-VaultName", vault)
                    .arg("-ResourceGroupName", group)
                    .arg("-ObjectId", &principal_var(*principal))
                    .raw("-PermissionsToKeys", permissions.join(", "))
                    .switch("-BypassObjectIdValidation")
                    .render(out)
            }
        },
        Action::CreateKey { vault, name, kty, size, versionless, .. } => {
            // A second run keeps the key it made (a new version would rotate
            // the registry's key for nothing). Whether it exists is asked of
            // Resource Manager, not of the vault's data plane, which a closed
            // vault firewall (or a role assignment on its way) would refuse.
            // Only "not found" means no key yet, as bash's `if_exists`: any
            // other failure stops here instead of minting a second key.
            let _ = writeln!(
                out,
                "$keyResource = $null\ntry {{\n    $keyResource = Get-AzResource -ResourceId \"$KeyVaultId/keys/$({})\" -ExpandProperties\n}} catch {{\n    if (\"$($_.Exception.Message)\" -notmatch {NOT_FOUND}) {{ throw }}\n}}",
                expr(name)
            );
            out.push_str("if ($keyResource) {\n    $KeyId = $keyResource.Properties.keyUriWithVersion\n} else {\n");
            block(out, |b| {
                call("Add-AzKeyVaultKey")
                    .arg("-VaultName", vault)
                    .arg("-Name", name)
                    .lit("-Destination", if *kty == KeyType::RsaHsm { "HSM" } else { "Software" })
                    .lit("-KeyType", "RSA")
                    .raw("-Size", size.to_string())
                    .to("key")
                    .retry()
                    .render(b)
            });
            let _ = writeln!(out, "    # {}\n    $KeyId = {KEY_ID}\n}}", t("emit.key-id-port"));
            if *versionless {
                let _ = writeln!(out, "# {}\n$KeyUri = $KeyId -replace '/[^/]+$', ''", t("emit.versionless-key"));
            } else {
                let _ = writeln!(out, "# {}\n$KeyUri = $KeyId", t("emit.versioned-key"));
            }
        }
        Action::CreateRegistry {
            name,
            group,
            location,
            sku,
            admin_user,
            encryption,
            public_access,
            allow_trusted_services,
        } => {
            let premium = *sku == Sku::Premium;
            let mut c = call("New-AzContainerRegistry")
                .arg("-Name", name)
                .arg("-ResourceGroupName", group)
                .arg("-Location", location)
                .lit("-Sku", sku.as_str())
                .when(*admin_user, |c| c.switch("-EnableAdminUser"));
            if let Some(key) = encryption {
                c = c
                    .raw("-UserAssignedIdentity", "@($IdentityId)")
                    .lit("-EncryptionStatus", "enabled")
                    .arg("-KeyVaultPropertyKeyIdentifier", key)
                    .arg("-KeyVaultPropertyIdentity", &Val::output("identityClientId"))
                    .retry();
            }
            // New-AzContainerRegistry on an existing registry would PUT over
            // its settings: a second run keeps it. Read from the group's
            // list, as bash does (`az acr list`), not a lookup that hides a
            // failed call.
            let _ = writeln!(
                out,
                "$registry = @(Get-AzContainerRegistry -ResourceGroupName {} | Where-Object {{ $_.Name -eq {} }}) | Select-Object -First 1",
                expr(group),
                expr(name)
            );
            out.push_str("if (-not $registry) {\n");
            block(out, |b| {
                c.when(*public_access == PublicAccess::Disabled, |c| c.lit("-PublicNetworkAccess", "Disabled"))
                    .when(*public_access != PublicAccess::All, |c| c.lit("-NetworkRuleSetDefaultAction", "Deny"))
                    .when(premium, |c| {
                        c.lit(
                            "-NetworkRuleBypassOption",
                            if *allow_trusted_services { "AzureServices" } else { "None" },
                        )
                    })
                    .tags(plan)
                    .to("registry")
                    .render(b)
            });
            out.push_str("} else {\n");
            let _ = writeln!(out, "    Write-Warning {}", say("emit.registry-exists", &[("registry", name)]));
            if encryption.is_some() {
                let _ = writeln!(
                    out,
                    "    if ($registry.EncryptionStatus -ne 'enabled') {{ throw {} }}",
                    say("emit.registry-exists-unencrypted", &[("registry", name)])
                );
            }
            out.push_str("}\n");
        }
        Action::AddIpRule { rule, .. } => {
            let _ = writeln!(out, "$IpRules += @({})", rule_object(rule));
        }
        Action::RegisterProvider { subscription } => {
            // The context goes back to the deployment's subscription even if
            // the registration fails: `finally`.
            let _ = writeln!(out, "$currentSubscription = (Get-AzContext).Subscription.Id\ntry {{");
            block(out, |b| {
                call("Set-AzContext").arg("-Subscription", subscription).render_quiet(b);
                call("Register-AzResourceProvider")
                    .lit("-ProviderNamespace", "Microsoft.ContainerRegistry")
                    .render_quiet(b);
                // Like `az provider register --wait`: a subnet rule needs it done.
                b.push_str(
                "for ($wait = 0; (@(Get-AzResourceProvider -ProviderNamespace 'Microsoft.ContainerRegistry')[0].RegistrationState) -ne 'Registered'; $wait++) {\n    \
                 if ($wait -ge 60) { throw 'Microsoft.ContainerRegistry is still not registered after 10 minutes.' }\n    \
                 Start-Sleep -Seconds 10\n\
                 }\n",
                );
            });
            out.push_str("} finally {\n");
            block(out, |b| call("Set-AzContext").raw("-Subscription", "$currentSubscription").render_quiet(b));
            out.push_str("}\n");
        }
        Action::LookupSubnet { index, vnet, subnet, group, subscription } => {
            let named = SubnetRef::Named {
                vnet: vnet.clone(),
                subnet: subnet.clone(),
                group: group.clone(),
                subscription: subscription.clone(),
            };
            let _ = writeln!(out, "${} = {}", Var::indexed("subnetId", *index).pascal(), subnet_id(&named));
        }
        Action::AddSubnetServiceEndpoint { subnet } => {
            // REST rather than Set-AzVirtualNetworkSubnetConfig, which rebuilds
            // the subnet from its parameters and drops what they leave out
            // (service endpoints, route tables: Azure/azure-powershell#10099).
            // The whole subnet is read and written back with one more endpoint.
            let _ = writeln!(out, "# {}", t("emit.keep-service-endpoints"));
            let _ = writeln!(out, "$subnetPath = {} + '?api-version={}'", subnet_id(subnet), api::NETWORK);
            // Invoke-AzRestMethod does not throw on an HTTP error: check each
            // status. A subnet without endpoints has no serviceEndpoints
            // property at all, which Set-StrictMode would not let us read.
            out.push_str(
                "$response = Invoke-AzRestMethod -Method GET -Path $subnetPath\n\
                 if ($response.StatusCode -ge 300) { throw $response.Content }\n\
                 $subnet = $response.Content | ConvertFrom-Json\n\
                 $services = @()\n\
                 if ($subnet.properties.PSObject.Properties.Name -contains 'serviceEndpoints') {\n    \
                 $services = @($subnet.properties.serviceEndpoints | ForEach-Object { $_.service })\n\
                 }\n\
                 if ($services -notcontains 'Microsoft.ContainerRegistry') {\n    \
                 $endpoints = @($services | ForEach-Object { @{ service = $_ } }) + @(@{ service = 'Microsoft.ContainerRegistry' })\n    \
                 $subnet.properties | Add-Member -NotePropertyName serviceEndpoints -NotePropertyValue $endpoints -Force\n    \
                 $payload = @{ properties = $subnet.properties } | ConvertTo-Json -Depth 20\n    \
                 $response = Invoke-AzRestMethod -Method PUT -Path $subnetPath -Payload $payload\n    \
                 if ($response.StatusCode -ge 300) { throw $response.Content }\n\
                 }\n",
            );
        }
        Action::AddVnetRule { subnet_id, .. } => {
            let _ = writeln!(
                out,
                "$VnetRules += @(@{{ action = 'Allow'; virtualNetworkSubnetResourceId = {} }})",
                expr(subnet_id)
            );
        }
        Action::AssignSystemIdentity { registry, group } => {
            // The user-assigned identities the registry has stay, as with `az
            // acr identity assign --identities [system]`: read from the
            // registry itself, since a day-2 or post-deployment script has no
            // identity of its own to name.
            let _ = writeln!(out, "# {}", t("emit.keep-user-identities"));
            call("Get-AzContainerRegistry")
                .arg("-Name", registry)
                .arg("-ResourceGroupName", group)
                .to("registry")
                .render(out);
            out.push_str("$userIdentities = @($registry.IdentityUserAssignedIdentity.Keys | Where-Object { $_ })\n");
            let update = || {
                call("Update-AzContainerRegistry")
                    .arg("-Name", registry)
                    .arg("-ResourceGroupName", group)
                    .raw("-EnableSystemAssignedIdentity", "$true")
                    .to("registry")
            };
            out.push_str("if ($userIdentities.Count -gt 0) {\n");
            block(out, |b| update().raw("-UserAssignedIdentity", "$userIdentities").render(b));
            out.push_str("} else {\n");
            block(out, |b| update().render(b));
            out.push_str("}\n$RegistryPrincipalId = $registry.IdentityPrincipalId\n");
        }
        Action::RotateKeyToSystemIdentity { registry, key } => {
            // 'system' is the service's name for the registry's own identity;
            // `az acr encryption rotate-key --identity [system]` sends the same.
            call("Update-AzContainerRegistry")
                .arg("-Name", registry)
                .raw("-ResourceGroupName", "$ResourceGroup")
                .lit("-EncryptionStatus", "enabled")
                .arg("-KeyVaultPropertyKeyIdentifier", key)
                .lit("-KeyVaultPropertyIdentity", "system")
                .retry()
                .render_quiet(out);
        }
        Action::CloseVaultFirewall { vault, group } => call("Update-AzKeyVaultNetworkRuleSet")
            .arg("-VaultName", vault)
            .arg("-ResourceGroupName", group)
            .lit("-DefaultAction", "Deny")
            .lit("-Bypass", "AzureServices")
            .render(out),
        // The rule set's other parts are left out: the service keeps the
        // rules the registry has.
        // Az 16's Update-AzContainerRegistry has no parameter for it (its
        // help lists none): a PATCH of the registry, in the API version whose
        // published schema has the property (registries@2025-11-01).
        Action::AllowTasksBypass { registry, group } => {
            call("Get-AzContainerRegistry").arg("-Name", registry).arg("-ResourceGroupName", group).to("registry").render(out);
            let _ = writeln!(
                out,
                "$bypass = @{{ properties = @{{ networkRuleBypassAllowedForTasks = $true }} }} | ConvertTo-Json -Depth 5\n\
                 $response = Invoke-AzRestMethod -Method PATCH -Path \"$($registry.Id)?api-version={}\" -Payload $bypass\n\
                 if ($response.StatusCode -ge 300) {{ throw $response.Content }}",
                api::REGISTRY
            );
        }
        Action::RestrictNetworkAccess { registry, group, public_access, allow_trusted_services } => {
            call("Update-AzContainerRegistry")
                .arg("-Name", registry)
                .arg("-ResourceGroupName", group)
                .lit(
                    "-PublicNetworkAccess",
                    if *public_access == PublicAccess::Disabled { "Disabled" } else { "Enabled" },
                )
                .lit("-NetworkRuleSetDefaultAction", plan::default_action(*public_access))
                .lit("-NetworkRuleBypassOption", if *allow_trusted_services { "AzureServices" } else { "None" })
                .render_quiet(out)
        }
        Action::StandingRoleNote { vault } => {
            let _ = writeln!(out, "# {}", t("emit.standing-role"));
            let _ = writeln!(out, "Write-Warning {}", say("emit.standing-role-echo", &[("vault", vault)]));
            let _ = writeln!(
                out,
                "Write-Warning \"  Remove-AzRoleAssignment -ObjectId $SignedInId -RoleDefinitionName '{}' -Scope $KeyVaultId\"",
                CRYPTO_OFFICER.0
            );
        }
        #[cfg(feature = "day2")]
        Action::Change(change) => super::powershell_change::render(change, out),
        Action::LookupRegistryKey { registry, group } => {
            call("Get-AzContainerRegistry")
                .arg("-Name", registry)
                .arg("-ResourceGroupName", group)
                .to("registry")
                .render(out);
            out.push_str("$KeyUri = $registry.KeyVaultPropertyKeyIdentifier\n");
        }
        Action::ShowEncryption { registry } => {
            call("Get-AzContainerRegistry")
                .arg("-Name", registry)
                .raw("-ResourceGroupName", "$ResourceGroup")
                .to("registry")
                .render(out);
            out.push_str("$registry | Select-Object -Property 'EncryptionStatus', 'KeyVaultPropertyKeyIdentifier', 'KeyVaultPropertyIdentity' | Format-List\n");
        }
        Action::ShowNetworkRules { registry } => {
            call("Get-AzContainerRegistry")
                .arg("-Name", registry)
                .raw("-ResourceGroupName", "$ResourceGroup")
                .to("registry")
                .render(out);
            out.push_str("$registry | Select-Object -Property 'PublicNetworkAccess', 'NetworkRuleSetDefaultAction', 'NetworkRuleSetIPRule', 'NetworkRuleBypassOption' | Format-List\n");
        }
        Action::RegisterPreviewFeature => {
            let _ = writeln!(out, "# {}", t("emit.preview-feature"));
            call("Register-AzProviderFeature")
                .lit("-FeatureName", "SIGEncryption")
                .lit("-ProviderNamespace", "Microsoft.Compute")
                .render_quiet(out);
            call("Register-AzResourceProvider").lit("-ProviderNamespace", "Microsoft.Compute").render_quiet(out);
        }
        Action::LookupImageDefinition { gallery, definition, group } => {
            call("Get-AzGalleryImageDefinition")
                .arg("-ResourceGroupName", group)
                .arg("-GalleryName", gallery)
                .arg("-Name", definition)
                .to("imageDefinition")
                .render(out);
            out.push_str("$ImageDefinitionId = $imageDefinition.Id\n");
        }
        Action::CheckDiskEncryptionSets { sets, double } => {
            out.push_str(TEST_DES);
            let kind = if *double { " -Type 'EncryptionAtRestWithPlatformAndCustomerKeys'" } else { "" };
            for (des, region) in sets {
                let _ = writeln!(out, "Test-DiskEncryptionSet -Id {} -Region {}{kind}", expr(des), expr(region));
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
            out.push_str("$TargetRegions = @(\n");
            for region in regions {
                let _ = writeln!(out, "    {}", target_region(region));
            }
            out.push_str(")\n");
            let mut cmd = call("New-AzGalleryImageVersion")
                .arg("-ResourceGroupName", group)
                .arg("-GalleryName", gallery)
                .arg("-GalleryImageDefinitionName", definition)
                .arg("-Name", version)
                .arg("-Location", location);
            cmd = match source {
                ImageSourceRef::ManagedImage(id) => cmd.arg("-SourceImageId", id),
                ImageSourceRef::VirtualMachine(id) => cmd.arg("-SourceImageVMId", id),
                ImageSourceRef::Snapshots { os, data } => {
                    let disks: Vec<String> = data
                        .iter()
                        .map(|(lun, id)| format!("@{{ Source = @{{ Id = {} }}; Lun = {lun} }}", expr(id)))
                        .collect();
                    cmd.raw("-OSDiskImage", format!("@{{ Source = @{{ Id = {} }} }}", expr(os)))
                        .when(!data.is_empty(), |c| c.raw("-DataDiskImage", format!("@({})", disks.join(", "))))
                }
            };
            cmd.raw("-TargetRegion", "$TargetRegions")
                .when(end_of_life.is_some(), |c| {
                    let date = end_of_life.as_ref().map(expr).unwrap_or_default();
                    c.raw("-PublishingProfileEndOfLifeDate", format!("\"$({date}){END_OF_LIFE_TIME}\""))
                })
                .when(*exclude_from_latest, |c| c.switch("-PublishingProfileExcludeFromLatest"))
                .tags(plan)
                .render_quiet(out);
        }
        Action::ShowImageVersion { gallery, definition, version, group } => {
            call("Get-AzGalleryImageVersion")
                .arg("-ResourceGroupName", group)
                .arg("-GalleryName", gallery)
                .arg("-GalleryImageDefinitionName", definition)
                .arg("-Name", version)
                .to("imageVersion")
                .render(out);
            out.push_str("$imageVersion.PublishingProfile.TargetRegions | Select-Object -Property 'Name', 'RegionalReplicaCount', 'StorageAccountType', 'Encryption' | Format-List\n");
        }
        Action::CreateVmHint { version, region, .. } => {
            let _ = writeln!(out, "# {}", t("emit.vm-hint"));
            let mut lines = vec![
                "$vm = New-AzVMConfig -VMName 'myVM' -VMSize 'Standard_D2s_v5'".to_string(),
                format!("$vm = Set-AzVMSourceImage -VM $vm -Id \"$ImageDefinitionId/versions/$({})\"", expr(version)),
            ];
            if let Some(os) = &region.os_des {
                lines.push(format!(
                    "$vm = Set-AzVMOSDisk -VM $vm -Name 'myVM_OsDisk' -CreateOption FromImage -DiskEncryptionSetId {}",
                    expr(os)
                ));
            }
            for (lun, des) in &region.data_des {
                lines.push(format!(
                    "$vm = Add-AzVMDataDisk -VM $vm -Name 'myVM_DataDisk{lun}' -Lun {lun} -CreateOption FromImage -DiskEncryptionSetId {}",
                    expr(des)
                ));
            }
            for line in lines {
                let _ = writeln!(out, "#   {line}");
            }
        }
    }
}

/// One `-TargetRegion` hashtable; every value is a variable or a quoted literal.
fn target_region(region: &RegionRef) -> String {
    let mut text = format!(
        "@{{ Name = {}; ReplicaCount = {}; StorageAccountType = {}",
        expr(&region.region),
        region.replicas,
        quote::powershell(region.storage.as_str())
    );
    if let Some(os) = &region.os_des {
        let data: Vec<String> = region
            .data_des
            .iter()
            .map(|(lun, des)| format!("@{{ DiskEncryptionSetId = {}; Lun = {lun} }}", expr(des)))
            .collect();
        let _ = write!(
            text,
            "; Encryption = @{{ OSDiskImage = @{{ DiskEncryptionSetId = {} }}; DataDiskImages = @({}) }}",
            expr(os),
            data.join(", ")
        );
    }
    text.push_str(" }");
    text
}

const TEST_DES: &str = r#"# Disk encryption sets are regional and must be in the image's subscription:
# stop here, before anything is created, if one is not where it must be.
function Test-DiskEncryptionSet([string] $Id, [string] $Region, [string] $Type = '') {
    $subscriptionId = (Get-AzContext).Subscription.Id
    if (-not $Id.StartsWith("/subscriptions/$subscriptionId/", [StringComparison]::OrdinalIgnoreCase)) {
        throw "Disk encryption set $Id is not in the image's subscription $subscriptionId."
    }
    $set = Get-AzResource -ResourceId $Id -ExpandProperties
    if ($set.Location -ne $Region) { throw "Disk encryption set $Id is in $($set.Location), not in $Region." }
    if ($Type -and $set.Properties.encryptionType -ne $Type) {
        throw "Disk encryption set $Id has encryption type $($set.Properties.encryptionType), not $Type."
    }
}
"#;

/// A catalog text as a PowerShell expression, placeholders filled with plan
/// values: `('Key vault ' + $KeyVaultName + ' exists...')`.
pub(super) fn say(key: &str, args: &[(&str, &Val)]) -> String {
    let mut text = quote::powershell(t(key));
    for (name, value) in args {
        text = text.replace(&format!("{{{name}}}"), &format!("' + {} + '", expr(value)));
    }
    format!("({text})")
}

/// The body of a PowerShell block: four spaces in.
pub(super) fn block(out: &mut String, render: impl FnOnce(&mut String)) {
    super::block(out, "    ", render);
}

/// Stops unless the vault has purge protection and (when the spec says
/// which) the permission model the grants are written for.
fn check_vault(name: &Val, rbac: Option<bool>, out: &mut String) {
    let _ = writeln!(out, "# {}", t("emit.check-purge-protection"));
    let _ = writeln!(
        out,
        "if (-not $vault.EnablePurgeProtection) {{\n    throw {}\n}}",
        say("emit.purge-protection-missing", &[("vault", name)])
    );
    match rbac {
        Some(true) => {
            let _ = writeln!(
                out,
                "if (-not $vault.EnableRbacAuthorization) {{\n    throw {}\n}}",
                say("emit.vault-not-rbac", &[("vault", name)])
            );
        }
        Some(false) => {
            let _ = writeln!(
                out,
                "if ($vault.EnableRbacAuthorization) {{\n    throw {}\n}}",
                say("emit.vault-not-access-policy", &[("vault", name)])
            );
        }
        None => {}
    }
}

fn identity_vars(out: &mut String) {
    out.push_str("$IdentityId = $identity.Id\n$IdentityPrincipalId = $identity.PrincipalId\n$IdentityClientId = $identity.ClientId\n");
}

fn rule_object(rule: &Val) -> String {
    format!("@{{ action = 'Allow'; value = {} }}", expr(rule))
}

/// The subnet's resource ID: as given, or built from its parts.
fn subnet_id(subnet: &SubnetRef) -> String {
    let SubnetRef::Named { vnet, subnet, group, subscription } = subnet else {
        let SubnetRef::Id(id) = subnet else { unreachable!() };
        return expr(id);
    };
    let subscription = match subscription {
        Some(s) => expr(s),
        None => "(Get-AzContext).Subscription.Id".to_string(),
    };
    format!(
        "\"/subscriptions/$({subscription})/resourceGroups/$({})/providers/Microsoft.Network/virtualNetworks/$({})/subnets/$({})\"",
        expr(group),
        expr(vnet),
        expr(subnet)
    )
}

/// Adds the accumulated `$IpRules` and `$VnetRules` in one call, to the rules
/// the registry has: both ways of setting them (-NetworkRuleSetIPRule, the
/// REST rule set) replace the registry's whole list, so the list is read
/// first and a rule it has is not added again ([`Action::AddIpRule`]). The
/// default action stays what it is: [`Action::RestrictNetworkAccess`] sets it.
fn network_rules(rules: &[&Step], out: &mut String) {
    let registry = match &rules[0].action {
        Action::AddIpRule { registry, .. } | Action::AddVnetRule { registry, .. } => expr(registry),
        _ => unreachable!("only network rule steps"),
    };
    let has_vnet = rules.iter().any(|s| matches!(s.action, Action::AddVnetRule { .. }));
    let _ = writeln!(out, "# {}", t("emit.keep-network-rules"));
    if has_vnet {
        let _ = writeln!(out, "# {}", t("emit.vnet-rest"));
        let _ = writeln!(out, "$registryPath = \"/subscriptions/$((Get-AzContext).Subscription.Id)/resourceGroups/$ResourceGroup/providers/Microsoft.ContainerRegistry/registries/$({registry})?api-version={}\"", api::REGISTRY_PREVIEW);
        out.push_str(
            "$response = Invoke-AzRestMethod -Method GET -Path $registryPath\n\
             if ($response.StatusCode -ge 300) { throw $response.Content }\n\
             $ruleSet = ($response.Content | ConvertFrom-Json).properties.networkRuleSet\n\
             $allIpRules = @()\n\
             if ($ruleSet.PSObject.Properties.Name -contains 'ipRules') {\n    \
             $allIpRules = @($ruleSet.ipRules | Where-Object { $_ } | ForEach-Object { @{ action = 'Allow'; value = $_.value } })\n\
             }\n\
             $allVnetRules = @()\n\
             if ($ruleSet.PSObject.Properties.Name -contains 'virtualNetworkRules') {\n    \
             $allVnetRules = @($ruleSet.virtualNetworkRules | Where-Object { $_ } | ForEach-Object { @{ action = 'Allow'; virtualNetworkSubnetResourceId = $_.virtualNetworkSubnetResourceId } })\n\
             }\n\
             $added = 0\n\
             foreach ($rule in $IpRules) {\n    \
             if (@($allIpRules | ForEach-Object { $_.value }) -notcontains $rule.value) { $allIpRules += @($rule); $added++ }\n\
             }\n\
             # Resource IDs compare case-insensitively, as -notcontains does.\n\
             foreach ($rule in $VnetRules) {\n    \
             if (@($allVnetRules | ForEach-Object { $_.virtualNetworkSubnetResourceId }) -notcontains $rule.virtualNetworkSubnetResourceId) { $allVnetRules += @($rule); $added++ }\n\
             }\n\
             if ($added -gt 0) {\n    \
             $payload = @{ properties = @{ networkRuleSet = @{ defaultAction = $ruleSet.defaultAction; ipRules = @($allIpRules); virtualNetworkRules = @($allVnetRules) } } } | ConvertTo-Json -Depth 10\n    \
             $response = Invoke-AzRestMethod -Method PATCH -Path $registryPath -Payload $payload\n    \
             if ($response.StatusCode -ge 300) { throw $response.Content }\n\
             }\n",
        );
    } else {
        call("Get-AzContainerRegistry")
            .raw("-Name", registry.clone())
            .raw("-ResourceGroupName", "$ResourceGroup")
            .to("registry")
            .render(out);
        out.push_str(
            "$allIpRules = @($registry.NetworkRuleSetIPRule | Where-Object { $_ })\n\
             $added = 0\n\
             foreach ($rule in $IpRules) {\n    \
             if (@($allIpRules | ForEach-Object { $_.IPAddressOrRange }) -notcontains $rule.value) {\n        \
             $allIpRules += @(New-AzContainerRegistryIPRuleObject -IPAddressOrRange $rule.value -Action 'Allow')\n        \
             $added++\n    \
             }\n\
             }\n\
             if ($added -gt 0) {\n",
        );
        block(out, |b| {
            call("Update-AzContainerRegistry")
                .raw("-Name", registry)
                .raw("-ResourceGroupName", "$ResourceGroup")
                .raw("-NetworkRuleSetDefaultAction", "$registry.NetworkRuleSetDefaultAction")
                .raw("-NetworkRuleSetIPRule", "$allIpRules")
                .render_quiet(b)
        });
        out.push_str("}\n");
    }
}
