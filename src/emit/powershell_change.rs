//! PowerShell for the steps only a day-2 change has ([`ChangeAction`]), kept
//! apart like `bash_change.rs`.

use std::fmt::Write;

use super::arm::api;
use super::powershell::{block, call, expr, grant_role, principal_var, say, KEY_ID};
use super::{quote, t, CRYPTO_SERVICE_ENCRYPTION_USER, KEY_PERMISSIONS};
use crate::plan::{ChangeAction, Now, Shape, Undo, Val, KEY_DATA_ROLES};
use crate::spec::PermissionModel;

pub(super) fn render(action: &ChangeAction, out: &mut String) {
    match action {
        ChangeAction::CheckRegistry { registry, group, key, or_key, identity, or_identity } => {
            let _ = writeln!(out, "# {}", t("emit.check-registry"));
            call("Get-AzContainerRegistry")
                .arg("-Name", registry)
                .arg("-ResourceGroupName", group)
                .to("registry")
                .render(out);
            out.push_str("$RegistryId = $registry.Id\n");
            if let Some(key) = key {
                let also = or_key
                    .as_ref()
                    .map(|k| format!(" -and $registry.KeyVaultPropertyKeyIdentifier -ne {}", expr(k)))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "if ($registry.KeyVaultPropertyKeyIdentifier -ne {}{also}) {{\n    throw {}\n}}",
                    expr(key),
                    say(
                        "emit.registry-other-key",
                        &[("registry", registry), ("key", key), ("current", &Val::output("registryKeyNow"))]
                    )
                    .replace("$RegistryKeyNow", "$($registry.KeyVaultPropertyKeyIdentifier)")
                );
                out.push_str("$RegistryKey = $registry.KeyVaultPropertyKeyIdentifier\n$RegistryKeyIdentity = $registry.KeyVaultPropertyIdentity\n");
            }
            if let Some(identity) = identity {
                let also = or_identity
                    .as_ref()
                    .map(|k| format!(" -and $RegistryKeyIdentity -ne {}", expr(k)))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "if ($RegistryKeyIdentity -ne {}{also}) {{\n    throw {}\n}}",
                    expr(identity),
                    say(
                        "emit.registry-other-identity",
                        &[("registry", registry), ("identity", identity), ("current", &Val::output("registryKeyIdentity"))]
                    )
                );
            }
        }
        ChangeAction::Preview { lines } => {
            let _ = writeln!(out, "Write-Output {}", quote::powershell(t("emit.preview")));
            for (i, line) in lines.iter().enumerate() {
                let now = match &line.now {
                    Now::Val(v) => format!("$({})", expr(v)),
                    Now::VaultFirewall { vault, group } => {
                        let _ = writeln!(
                            out,
                            "$previewVault{i} = Get-AzKeyVault -VaultName {} -ResourceGroupName {}",
                            expr(vault),
                            expr(group)
                        );
                        format!("$($previewVault{i}.NetworkAcls.DefaultAction)")
                    }
                    Now::RegistryNetwork { registry, group } => {
                        let _ = writeln!(
                            out,
                            "$previewRegistry{i} = Get-AzContainerRegistry -Name {} -ResourceGroupName {}",
                            expr(registry),
                            expr(group)
                        );
                        format!(
                            "$($previewRegistry{i}.NetworkRuleSetDefaultAction); IP rules: $(@($previewRegistry{i}.NetworkRuleSetIPRule | ForEach-Object {{ $_.IPAddressOrRange }}) -join ' ')"
                        )
                    }
                };
                let _ = writeln!(
                    out,
                    "Write-Output \"  {}: {} {now}; {} $({})\"",
                    t(line.label).replace('"', "`\"").replace('$', "`$"),
                    t("preview.now"),
                    t("preview.after"),
                    expr(&line.after)
                );
            }
            let _ = writeln!(
                out,
                "if ($WhatIf) {{\n    Write-Output {}\n    exit 0\n}}",
                quote::powershell(t("emit.what-if-done"))
            );
        }
        ChangeAction::LookupKeyVersion { .. } => {
            // `$registry` is the registry the first step read.
            out.push_str("$KeyVersion = ($registry.KeyVaultPropertyVersionedKeyIdentifier -split '/')[-1]\n");
        }
        ChangeAction::CheckVaultFirewall { vault, group, system, rbac } => {
            let _ = writeln!(
                out,
                "$vaultNow = Get-AzKeyVault -VaultName {} -ResourceGroupName {}",
                expr(vault),
                expr(group)
            );
            let (test, key) = if *rbac {
                ("-not $vaultNow.EnableRbacAuthorization", "emit.vault-not-rbac")
            } else {
                ("$vaultNow.EnableRbacAuthorization", "emit.vault-not-access-policy")
            };
            let _ = writeln!(out, "if ({test}) {{ throw {} }}", say(key, &[("vault", vault)]));
            let refused = if *system {
                "$vaultNow.NetworkAcls.DefaultAction -eq 'Deny' -and \"$($vaultNow.NetworkAcls.Bypass)\" -notmatch 'AzureServices'"
            } else {
                "$vaultNow.NetworkAcls.DefaultAction -eq 'Deny'"
            };
            let _ = writeln!(out, "if ({refused}) {{ throw {} }}", say("emit.vault-firewall-refuses", &[("vault", vault)]));
        }
        ChangeAction::ListKeyGrants { principal, model, vault, group, key } => {
            let pid = expr(&principal_var(*principal));
            match model {
                PermissionModel::Rbac => {
                    let roles: Vec<String> = KEY_DATA_ROLES.iter().map(|r| quote::powershell(r)).collect();
                    // Get-AzRoleAssignment -Scope lists the assignments at,
                    // above (inherited) and below the scope.
                    let _ = writeln!(
                        out,
                        "$keyScope = \"$KeyVaultId/keys/$({})\"\n\
                         $keyRoles = @({})\n\
                         $keyGrants = @(Get-AzRoleAssignment -ObjectId {pid} -Scope $keyScope | Where-Object {{ $keyRoles -contains $_.RoleDefinitionName -and ($keyScope.ToLowerInvariant() -eq $_.Scope.TrimEnd('/').ToLowerInvariant() -or $keyScope.ToLowerInvariant().StartsWith($_.Scope.TrimEnd('/').ToLowerInvariant() + '/')) }})\n\
                         $vaultScope = $KeyVaultId.ToLowerInvariant()\n\
                         $GrantsToRemove = @($keyGrants | Where-Object {{ $_.Scope.ToLowerInvariant() -eq $vaultScope -or $_.Scope.ToLowerInvariant().StartsWith($vaultScope + '/') }})\n\
                         $outside = @($keyGrants | Where-Object {{ $GrantsToRemove -notcontains $_ }})\n\
                         foreach ($grant in $GrantsToRemove) {{ Write-Output \"  {} $($grant.RoleDefinitionName) ($($grant.Scope))\" }}\n\
                         if ($outside.Count -gt 0) {{\n    \
                         throw ({} + [Environment]::NewLine + (@($outside | ForEach-Object {{ \"  $($_.RoleDefinitionName) ($($_.Scope))\" }}) -join [Environment]::NewLine))\n\
                         }}\n\
                         $KeyGrantCount = $GrantsToRemove.Count",
                        expr(key),
                        roles.join(", "),
                        t("emit.key-grant-found"),
                        say("emit.key-grant-outside", &[("vault", vault)])
                    );
                }
                PermissionModel::AccessPolicy => {
                    let _ = writeln!(
                        out,
                        "$vaultNow = Get-AzKeyVault -VaultName {} -ResourceGroupName {}\n\
                         $KeyGrantCount = @($vaultNow.AccessPolicies | Where-Object {{ $_.ObjectId -eq {pid} }}).Count",
                        expr(vault),
                        expr(group)
                    );
                }
            }
        }
        ChangeAction::LookupKeyIdentity { registry, client_id, .. } => {
            // From the registry's own identity map (`$registry`, read by the
            // first step), as the bash script reads `az acr show`: Resource
            // Manager, not Microsoft Graph, which a pipeline's service
            // principal may have no rights to read. The map's values are
            // Az.ContainerRegistry's IUserIdentityProperties (PrincipalId,
            // ClientId), keyed by the identity's resource ID.
            let _ = writeln!(
                out,
                "$IdentityPrincipalId = @($registry.IdentityUserAssignedIdentity.Values | Where-Object {{ $_ -and $_.ClientId -eq {} }} | ForEach-Object {{ $_.PrincipalId }}) | Select-Object -First 1",
                expr(client_id)
            );
            let _ = writeln!(
                out,
                "if (-not $IdentityPrincipalId) {{ throw {} }}",
                say("emit.identity-not-on-registry", &[("registry", registry), ("client", client_id)])
            );
        }
        ChangeAction::LookupSystemIdentity { registry, .. } => {
            out.push_str("$RegistryPrincipalId = $registry.IdentityPrincipalId\n");
            let _ = writeln!(
                out,
                "if (-not $RegistryPrincipalId) {{ throw {} }}",
                say("emit.no-system-identity", &[("registry", registry)])
            );
        }
        ChangeAction::AddKeyVersion { vault, name, versionless, done } => {
            let mut make = String::new();
            call("Invoke-AzKeyVaultKeyRotation")
                .arg("-VaultName", vault)
                .arg("-Name", name)
                .to("key")
                .retry()
                .render(&mut make);
            let _ = writeln!(make, "# {}\n$KeyId = {KEY_ID}", t("emit.key-id-port"));
            if *versionless {
                let _ = writeln!(make, "# {}\n$KeyUri = $KeyId -replace '/[^/]+$', ''", t("emit.versionless-key"));
            } else {
                let _ = writeln!(make, "# {}\n$KeyUri = $KeyId", t("emit.versioned-key"));
            }
            match done {
                Some(done) => {
                    let _ = writeln!(
                        out,
                        "if ($RegistryKey -eq {}) {{\n    Write-Output {}\n    $KeyUri = $RegistryKey\n}} else {{",
                        expr(done),
                        quote::powershell(t("emit.key-already-rotated"))
                    );
                    block(out, |b| b.push_str(&make));
                    out.push_str("}\n");
                }
                None => out.push_str(&make),
            }
        }
        ChangeAction::AssignUserIdentity { registry, group, .. } => {
            // The identities the registry keeps, plus the new one (the update
            // replaces the list).
            out.push_str(
                "$userIdentities = @(@($registry.IdentityUserAssignedIdentity.Keys | Where-Object { $_ }) + @($IdentityId) | Select-Object -Unique)\n",
            );
            call("Update-AzContainerRegistry")
                .arg("-Name", registry)
                .arg("-ResourceGroupName", group)
                .raw("-EnableSystemAssignedIdentity", "[bool]$registry.IdentityPrincipalId")
                .raw("-UserAssignedIdentity", "$userIdentities")
                .to("registry")
                .render(out);
        }
        ChangeAction::RotateKey { registry, group, key, identity } => {
            let identity = match identity {
                None => quote::powershell("system"),
                // A resource ID: the update takes the identity's client ID.
                Some(Val::Input(var)) if var.as_str() == "identityId" => "$IdentityClientId".to_string(),
                Some(id) => expr(id),
            };
            call("Update-AzContainerRegistry")
                .arg("-Name", registry)
                .arg("-ResourceGroupName", group)
                .lit("-EncryptionStatus", "enabled")
                .arg("-KeyVaultPropertyKeyIdentifier", key)
                .raw("-KeyVaultPropertyIdentity", identity)
                .retry()
                .render_quiet(out);
        }
        ChangeAction::SetRotationPolicy { vault, key, expiry, rotate_after, notify_before } => {
            call("Set-AzKeyVaultKeyRotationPolicy")
                .arg("-VaultName", vault)
                .arg("-Name", key)
                .arg("-ExpiresIn", expiry)
                .raw(
                    "-KeyRotationLifetimeAction",
                    format!(
                "@(@{{ Action = 'Rotate'; TimeAfterCreate = {} }}, @{{ Action = 'Notify'; TimeBeforeExpiry = {} }})",
                expr(rotate_after),
                expr(notify_before)
            ),
                )
                .retry()
                .render_quiet(out);
            let _ = writeln!(
                out,
                "Write-Output {}",
                say("emit.rotation-fires", &[("after", rotate_after), ("expiry", expiry)])
            );
        }
        ChangeAction::RevokeKeyAccess { principal, model, vault, group } => {
            let pid = principal_var(*principal);
            let restore = match model {
                // Each grant ListKeyGrants found, at its own scope (Remove-AzRoleAssignment
                // removes only an assignment at exactly -Scope). Gone already is done:
                // KeyNotFoundException "The provided information does not map to a role
                // assignment." (AuthorizationClient.RemoveRoleAssignment).
                PermissionModel::Rbac => {
                    out.push_str("foreach ($grant in $GrantsToRemove) {\n    try {\n");
                    let mut remove = String::new();
                    call("Remove-AzRoleAssignment")
                        .arg("-ObjectId", &pid)
                        .raw("-RoleDefinitionName", "$grant.RoleDefinitionName")
                        .raw("-Scope", "$grant.Scope")
                        .render_quiet(&mut remove);
                    for line in remove.lines() {
                        let _ = writeln!(out, "        {line}");
                    }
                    let _ = writeln!(
                        out,
                        "    }} catch {{\n        if (\"$($_.Exception.Message)\" -notmatch 'does not map to a role assignment') {{ throw }}\n        Write-Warning {}\n    }}\n}}",
                        quote::powershell(t("emit.grant-gone"))
                    );
                    let _ = writeln!(
                        out,
                        "if ($KeyGrantCount -eq 0) {{ Write-Output {} }}\n\
                         $grantsLeft = @(Get-AzRoleAssignment -ObjectId {} -Scope $keyScope | Where-Object {{ $keyRoles -contains $_.RoleDefinitionName -and ($keyScope.ToLowerInvariant() -eq $_.Scope.TrimEnd('/').ToLowerInvariant() -or $keyScope.ToLowerInvariant().StartsWith($_.Scope.TrimEnd('/').ToLowerInvariant() + '/')) }}).Count",
                        quote::powershell(t("emit.key-grants-gone")),
                        expr(&pid)
                    );
                    format!(
                        "New-AzRoleAssignment -ObjectId $({}) -ObjectType ServicePrincipal -RoleDefinitionName '{}' -Scope $KeyVaultId",
                        expr(&pid),
                        CRYPTO_SERVICE_ENCRYPTION_USER.0
                    )
                }
                PermissionModel::AccessPolicy => {
                    out.push_str("if ($KeyGrantCount -gt 0) {\n");
                    block(out, |b| {
                        call("Remove-AzKeyVaultAccessPolicy")
                            .arg("-VaultName", vault)
                            .arg("-ResourceGroupName", group)
                            .arg("-ObjectId", &pid)
                            .render_quiet(b)
                    });
                    let _ = writeln!(
                        out,
                        "}} else {{\n    Write-Output {}\n}}\n\
                         $vaultNow = Get-AzKeyVault -VaultName {} -ResourceGroupName {}\n\
                         $grantsLeft = @($vaultNow.AccessPolicies | Where-Object {{ $_.ObjectId -eq {} }}).Count",
                        quote::powershell(t("emit.key-grants-gone")),
                        expr(vault),
                        expr(group),
                        expr(&pid)
                    );
                    format!(
                        "Set-AzKeyVaultAccessPolicy -VaultName $({}) -ResourceGroupName $({}) -ObjectId $({}) -PermissionsToKeys {}",
                        expr(vault),
                        expr(group),
                        expr(&pid),
                        KEY_PERMISSIONS.join(",")
                    )
                }
            };
            let _ = writeln!(
                out,
                "if ($grantsLeft -ne 0) {{ throw {} }}\nWrite-Output {}\nWrite-Output {}\nWrite-Output \"  {restore}\"",
                quote::powershell(t("emit.key-grant-left")),
                quote::powershell(t("emit.revoke-delay")),
                quote::powershell(t("emit.restore-command"))
            );
        }
        ChangeAction::SetKeyEnabled { vault, key, version, enabled } => call("Update-AzKeyVaultKey")
            .arg("-VaultName", vault)
            .arg("-Name", key)
            .arg("-Version", version)
            .raw("-Enable", if *enabled { "$true" } else { "$false" })
            .retry()
            .render_quiet(out),
        ChangeAction::Confirm { registry, what, undo } => {
            if let Some(undo) = undo {
                let command = match undo {
                    Undo::OpenVaultFirewall { vault, group } => format!(
                        "Update-AzKeyVaultNetworkRuleSet -VaultName $({}) -ResourceGroupName $({}) -DefaultAction Allow",
                        expr(vault),
                        expr(group)
                    ),
                    Undo::AllowAllNetworks { registry, group } => format!(
                        "Update-AzContainerRegistry -Name $({}) -ResourceGroupName $({}) -NetworkRuleSetDefaultAction Allow",
                        expr(registry),
                        expr(group)
                    ),
                };
                let _ = writeln!(out, "Write-Warning \"{} {command}\"", t("emit.undo"));
            }
            let _ = writeln!(
                out,
                "# {}\nif ($env:CONFIRM_REGISTRY -ne {reg}) {{\n    Write-Warning {}\n    $answer = ''\n    if (-not [Console]::IsInputRedirected) {{\n        $answer = Read-Host \"Type the registry name ($({reg})) to go on\"\n    }}\n    if ($answer -ne {reg}) {{ throw 'Not confirmed: nothing was changed.' }}\n}}",
                t("emit.confirm-note"),
                quote::powershell(t(what)),
                reg = expr(registry)
            );
        }
        ChangeAction::SetTrustedServices { registry, group, allow } => call("Update-AzContainerRegistry")
            .arg("-Name", registry)
            .arg("-ResourceGroupName", group)
            .lit("-NetworkRuleBypassOption", if *allow { "AzureServices" } else { "None" })
            .render_quiet(out),
        ChangeAction::CreateTask { name, image, context, source_identity, .. } => {
            // Az PowerShell has no ACR Tasks cmdlets: the task is PUT through
            // Resource Manager, with the same settings as `az acr task create
            // --assign-identity [system] --auth-mode None
            // --commit-trigger-enabled false` (no source trigger: a trigger
            // needs a Git access token, which is never stored).
            let _ = writeln!(out, "$taskPath = \"$RegistryId/tasks/$({})?api-version={}\"", expr(name), api::TASKS);
            let _ = writeln!(
                out,
                "$task = @{{\n    location = $registry.Location\n    identity = @{{ type = 'SystemAssigned' }}\n    properties = @{{\n        platform = @{{ os = 'Linux' }}\n        step = @{{ type = 'Docker'; contextPath = {}; dockerFilePath = 'Dockerfile'; imageNames = @({}); isPushEnabled = $true }}\n        credentials = @{{ sourceRegistry = @{{ {} }} }}\n    }}\n}} | ConvertTo-Json -Depth 10",
                expr(context),
                expr(image),
                if *source_identity { "identity = '[system]'" } else { "loginMode = 'None'" }
            );
            out.push_str(
                "$response = Invoke-AzRestMethod -Method GET -Path $taskPath\n\
                 if ($response.StatusCode -ne 404 -and $response.StatusCode -ge 300) { throw $response.Content }\n\
                 if ($response.StatusCode -eq 404) {\n    \
                 $response = Invoke-AzRestMethod -Method PUT -Path $taskPath -Payload $task\n\
                 }\n\
                 if ($response.StatusCode -ge 300) { throw $response.Content }\n\
                 $TaskPrincipalId = ($response.Content | ConvertFrom-Json).identity.principalId\n",
            );
        }
        ChangeAction::GrantTaskRole { registry, role, mode, .. } => {
            let _ = writeln!(
                out,
                "$response = Invoke-AzRestMethod -Method GET -Path \"$($RegistryId)?api-version={}\"\n\
                 if ($response.StatusCode -ge 300) {{ throw $response.Content }}\n\
                 $RegistryRoleMode = ($response.Content | ConvertFrom-Json).properties.roleAssignmentMode\n\
                 if ($RegistryRoleMode -ne '{}') {{\n    throw {}\n}}",
                api::REGISTRY,
                mode.as_str(),
                say(
                    "emit.role-mode-differs",
                    &[("registry", registry), ("mode", &Val::output("registryRoleMode")), ("role", &Val::Lit(role))]
                )
            );
            grant_role(&Val::output("taskPrincipalId"), &Val::Lit("ServicePrincipal"), role, &Val::output("registryId"), out)
        }
        // Az PowerShell cannot run a task: the run is scheduled through
        // Resource Manager and polled until it ends (the Azure CLI's
        // acr_task_run and RunPolling do the same: POST scheduleRun, GET runs).
        ChangeAction::RunTask { registry, task, .. } => {
            let _ = writeln!(
                out,
                "# {wait}\n\
                 $run = @{{ type = 'TaskRunRequest'; taskId = \"$RegistryId/tasks/$({task})\" }} | ConvertTo-Json\n\
                 $RunStatus = ''\n\
                 foreach ($Attempt in 1..20) {{\n\
                 \x20   $response = Invoke-AzRestMethod -Method POST -Path \"$($RegistryId)/scheduleRun?api-version={api}\" -Payload $run\n\
                 \x20   if ($response.StatusCode -ge 300) {{ throw $response.Content }}\n\
                 \x20   $runId = ($response.Content | ConvertFrom-Json).properties.runId\n\
                 \x20   do {{\n\
                 \x20       Start-Sleep -Seconds 10\n\
                 \x20       $response = Invoke-AzRestMethod -Method GET -Path \"$RegistryId/runs/$($runId)?api-version={api}\"\n\
                 \x20       if ($response.StatusCode -ge 300) {{ throw $response.Content }}\n\
                 \x20       $RunStatus = ($response.Content | ConvertFrom-Json).properties.status\n\
                 \x20   }} while ($RunStatus -eq 'Queued' -or $RunStatus -eq 'Started' -or $RunStatus -eq 'Running')\n\
                 \x20   if ($RunStatus -eq 'Succeeded' -or $Attempt -eq 20) {{ break }}\n\
                 \x20   Write-Warning {retry}\n\
                 \x20   Start-Sleep -Seconds 30\n\
                 }}\n\
                 if ($RunStatus -ne 'Succeeded') {{\n    throw {failed}\n}}\n\
                 Write-Output {ok}",
                wait = t("emit.run-task-waits"),
                task = expr(task),
                api = api::TASKS,
                retry = say("emit.run-task-retry", &[("attempt", &Val::output("attempt"))]),
                failed = say("emit.run-task-failed", &[("task", task), ("registry", registry)]),
                ok = say("emit.run-task-succeeded", &[("task", task)]),
            );
        }
        ChangeAction::AddTaskCredential { .. } => {
            // The task logs in to its own registry with its identity: a PATCH
            // of the task's custom registry credentials.
            out.push_str(
                "$credentials = @{ properties = @{ credentials = @{ customRegistries = @{ $registry.LoginServer = @{ identity = '[system]' } } } } } | ConvertTo-Json -Depth 10\n\
                 $response = Invoke-AzRestMethod -Method PATCH -Path $taskPath -Payload $credentials\n\
                 if ($response.StatusCode -ge 300) { throw $response.Content }\n",
            );
        }
        ChangeAction::RemoveIpRule { registry, rule } => {
            let _ = writeln!(
                out,
                "$registry = Get-AzContainerRegistry -Name {} -ResourceGroupName $ResourceGroup\n\
                 $keep = @($registry.NetworkRuleSetIPRule | Where-Object {{ $_.IPAddressOrRange -ne {} }})",
                expr(registry),
                expr(rule)
            );
            call("Update-AzContainerRegistry")
                .arg("-Name", registry)
                .raw("-ResourceGroupName", "$ResourceGroup")
                .raw("-NetworkRuleSetDefaultAction", "$registry.NetworkRuleSetDefaultAction")
                .raw("-NetworkRuleSetIPRule", "$keep")
                .render_quiet(out);
        }
        // `$registry` is the registry the first step read.
        ChangeAction::ShowIdentity { .. } => {
            out.push_str("$registry | Select-Object -Property 'IdentityType', 'IdentityPrincipalId', 'IdentityUserAssignedIdentity' | Format-List\n");
        }
        ChangeAction::CheckImageVersion { gallery, definition, version, group, luns, read_regions } => {
            if *read_regions {
                let _ = writeln!(out, "# {}", t("emit.check-image-version"));
            }
            // Not `$imageVersion`: PowerShell's names ignore case, and that one
            // is the version number's input.
            call("Get-AzGalleryImageVersion")
                .arg("-ResourceGroupName", group)
                .arg("-GalleryName", gallery)
                .arg("-GalleryImageDefinitionName", definition)
                .arg("-Name", version)
                .to("existingVersion")
                .render(out);
            if !*read_regions {
                return;
            }
            out.push_str(
                "$versionRegions = @($existingVersion.PublishingProfile.TargetRegions | ForEach-Object { ($_.Name -replace ' ', '').ToLowerInvariant() })\n",
            );
            if !luns.is_empty() {
                out.push_str(
                    "$versionLuns = @($existingVersion.StorageProfile.DataDiskImages | ForEach-Object { $_.Lun })\n",
                );
                for lun in luns {
                    // A LUN is a number: it goes into the quoted text as it is.
                    let message = say("emit.no-data-disk", &[("version", version)]).replace("{lun}", &lun.to_string());
                    let _ = writeln!(out, "if ($versionLuns -notcontains {lun}) {{ throw {message} }}");
                }
            }
        }
        ChangeAction::AddTargetRegions { gallery, definition, version, group, regions } => {
            let _ = writeln!(out, "# {}", t("emit.add-regions-rest"));
            let _ = writeln!(
                out,
                "$versionPath = \"/subscriptions/$((Get-AzContext).Subscription.Id)/resourceGroups/$({})/providers/Microsoft.Compute/galleries/$({})/images/$({})/versions/$({})?api-version={}\"",
                expr(group),
                expr(gallery),
                expr(definition),
                expr(version),
                api::GALLERY
            );
            // Invoke-AzRestMethod does not throw on an HTTP error: check each status.
            out.push_str(
                "$response = Invoke-AzRestMethod -Method GET -Path $versionPath\n\
                 if ($response.StatusCode -ge 300) { throw $response.Content }\n\
                 $targetRegions = @(($response.Content | ConvertFrom-Json).properties.publishingProfile.targetRegions)\n",
            );
            out.push_str("$added = 0\n");
            for region in regions {
                let _ = writeln!(
                    out,
                    "if ($versionRegions -contains {}) {{\n    Write-Output {}\n}} else {{\n    $targetRegions += @({})\n    $added++\n}}",
                    expr(&region.region),
                    say("emit.region-exists", &[("version", version), ("region", &region.region)]),
                    hashtable(&region.rest_shape())
                );
            }
            out.push_str(
                "if ($added -gt 0) {\n    \
                 $payload = @{ properties = @{ publishingProfile = @{ targetRegions = $targetRegions } } } | ConvertTo-Json -Depth 20\n    \
                 $response = Invoke-AzRestMethod -Method PATCH -Path $versionPath -Payload $payload\n    \
                 if ($response.StatusCode -ge 300) { throw $response.Content }\n",
            );
            // The PATCH returns once Resource Manager accepts it; `az sig
            // image-version update` waits for the long-running operation, and
            // a replication that fails in a new region fails the command.
            let _ = writeln!(out, "    # {}", t("emit.wait-for-replication"));
            let wait = WAIT_FOR_VERSION.replace("{version}", &expr(version));
            block(out, |b| b.push_str(&wait));
            out.push_str("}\n");
        }
        ChangeAction::RemoveVnetRule { registry, subnet_id } => {
            let _ = writeln!(out, "# {}", t("emit.vnet-rest"));
            let _ = writeln!(
                out,
                "$registryPath = \"/subscriptions/$((Get-AzContext).Subscription.Id)/resourceGroups/$ResourceGroup/providers/Microsoft.ContainerRegistry/registries/$({})?api-version={}\"",
                expr(registry),
                api::REGISTRY_PREVIEW
            );
            let _ = writeln!(
                out,
                "$response = Invoke-AzRestMethod -Method GET -Path $registryPath\n\
                 if ($response.StatusCode -ge 300) {{ throw $response.Content }}\n\
                 $ruleSet = ($response.Content | ConvertFrom-Json).properties.networkRuleSet\n\
                 $rules = @()\n\
                 if ($ruleSet.PSObject.Properties.Name -contains 'virtualNetworkRules') {{\n    \
                 $rules = @($ruleSet.virtualNetworkRules | Where-Object {{ $_.virtualNetworkSubnetResourceId -ne {} }})\n\
                 }}\n\
                 $payload = @{{ properties = @{{ networkRuleSet = @{{ defaultAction = $ruleSet.defaultAction; virtualNetworkRules = $rules }} }} }} | ConvertTo-Json -Depth 10\n\
                 $response = Invoke-AzRestMethod -Method PATCH -Path $registryPath -Payload $payload\n\
                 if ($response.StatusCode -ge 300) {{ throw $response.Content }}",
                expr(subnet_id)
            );
        }
    }
}

/// A request body as a PowerShell hashtable, plan values as variables.
fn hashtable(shape: &Shape) -> String {
    match shape {
        Shape::Object(fields) => {
            let fields: Vec<String> = fields.iter().map(|(k, v)| format!("{k} = {}", hashtable(v))).collect();
            format!("@{{ {} }}", fields.join("; "))
        }
        Shape::List(items) => format!("@({})", items.iter().map(hashtable).collect::<Vec<_>>().join(", ")),
        Shape::Value(val) => expr(val),
        Shape::Number(n) => n.to_string(),
        Shape::Bool(b) => format!("${b}"),
        Shape::Text(text) => quote::powershell(text),
    }
}

/// Polls the image version until its provisioning ends, for up to 2 hours
/// (replicating a large image to a new region takes long); stops with the
/// replication's error when it failed.
const WAIT_FOR_VERSION: &str = "for ($wait = 0; ; $wait++) {
    $response = Invoke-AzRestMethod -Method GET -Path $versionPath
    if ($response.StatusCode -ge 300) { throw $response.Content }
    $versionNow = $response.Content | ConvertFrom-Json
    $state = $versionNow.properties.provisioningState
    if ($state -eq 'Succeeded') { break }
    if ($state -eq 'Failed') {
        $status = ''
        if ($versionNow.properties.PSObject.Properties.Name -contains 'replicationStatus') {
            $status = $versionNow.properties.replicationStatus | ConvertTo-Json -Depth 10 -Compress
        }
        throw \"Image version $({version}) failed to replicate: $status\"
    }
    if ($wait -ge 240) { throw \"Image version $({version}) is still $state after 2 hours.\" }
    Start-Sleep -Seconds 30
}
";
