//! Day-2 plans: one change to a registry (or an image version) that exists,
//! in the order the documents give, each checking its precondition first and
//! showing the result last. Destructive operations start with a confirmation.

use super::{Action, Builder, Plan, Principal, PublicAccess, RegionRef, Val};
use crate::names;
use crate::spec::{KeyIdentity, Kind, Operation, RevokeMethod, Spec};
use crate::spec::{PermissionModel, RoleAssignmentMode};

/// The steps only a change of a live registry has. Their order, and the
/// create-time actions they are mixed with, are decided in `build_change`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeAction {
    /// Stops unless the registry exists and, given a key, is
    /// encrypted with it (the script changes nothing on a registry that is
    /// not what the user described).
    CheckRegistry {
        registry: Val,
        group: Val,
        key: Option<Val>,
        /// The key URI the change itself leaves, also accepted: a second run
        /// after success goes through instead of stopping.
        or_key: Option<Val>,
        /// The identity the registry reaches its key with (a client ID, or
        /// `system`), and the one the change leaves: an outdated spec stops
        /// here instead of moving the registry back to another identity.
        identity: Option<Val>,
        or_identity: Option<Val>,
    },
    /// Before any change: what the registry (and its vault) has now and what
    /// the change leaves; with `--what-if` / `-WhatIf` the script ends here.
    /// Every day-2 plan has one, right before its first change or
    /// confirmation ([`Builder::preview`]): other operations call the same.
    Preview { lines: Vec<PreviewLine> },
    /// Outputs `keyVersion`: the version of its key the registry uses now.
    LookupKeyVersion { registry: Val, group: Val },
    /// Stops unless the identity can pass the vault's firewall: only a
    /// registry's system identity passes, as a trusted service, and only
    /// when the vault lets trusted services through.
    /// Also stops unless the vault uses the permission model the spec says
    /// (`rbac`), which the grants are written for.
    CheckVaultFirewall { vault: Val, group: Val, system: bool, rbac: bool },
    /// Lists every grant through which the principal reaches the key: role
    /// assignments with a key data role at the key, the vault or above
    /// (inherited), or its access policy. Stops, before any change, when a
    /// grant outside the vault (resource group, subscription) gives access:
    /// removing that would take other vaults' access too, so it is named and
    /// left to the user.
    ListKeyGrants {
        principal: Principal,
        model: PermissionModel,
        vault: Val,
        group: Val,
        key: Val,
    },
    /// Outputs `identityPrincipalId`: the principal of the registry's
    /// user-assigned identity with this client ID.
    LookupKeyIdentity {
        registry: Val,
        group: Val,
        client_id: Val,
    },
    /// Outputs `registryPrincipalId`; stops if the registry has no
    /// system-assigned identity.
    LookupSystemIdentity {
        registry: Val,
        group: Val,
    },
    /// Outputs `keyUri`: a new version of the key, as its versionless URI or
    /// the new version's.
    AddKeyVersion {
        vault: Val,
        name: Val,
        versionless: bool,
        /// The key URI the rotation leaves: when the registry has it already
        /// (a second run after success), no other version is made.
        done: Option<Val>,
    },
    /// Adds a user-assigned identity to the registry's (keeping the others).
    AssignUserIdentity {
        registry: Val,
        group: Val,
        identity: Val,
    },
    /// Points the registry at `key`, reached through `identity` (a
    /// user-assigned identity's resource ID), or its system identity (`None`).
    RotateKey {
        registry: Val,
        group: Val,
        key: Val,
        identity: Option<Val>,
    },
    /// A Key Vault rotation policy whose Rotate action fires: `rotate_after`
    /// after each version's creation (a `timeBeforeExpiry` trigger never
    /// fires on a version without an expiry date, and the policy's expiry
    /// applies only to the versions it makes); a notification before expiry.
    SetRotationPolicy {
        vault: Val,
        key: Val,
        expiry: Val,
        rotate_after: Val,
        notify_before: Val,
    },
    /// Removes the grants [`ChangeAction::ListKeyGrants`] found (none left:
    /// done), checks that none is left, then says how long the removal takes
    /// to reach Key Vault and prints the command that gives access back.
    RevokeKeyAccess {
        principal: Principal,
        model: PermissionModel,
        vault: Val,
        group: Val,
    },
    /// Enables or disables `version` of the key (the registry's), not the
    /// latest one.
    SetKeyEnabled {
        vault: Val,
        key: Val,
        version: Val,
        enabled: bool,
    },
    /// Stops unless the user confirms (types the registry's name, or sets
    /// `CONFIRM_REGISTRY` to it); `what` is the catalog key of what it takes.
    Confirm {
        registry: Val,
        what: &'static str,
        /// The command that undoes the change, printed before the question.
        undo: Option<Undo>,
    },
    SetTrustedServices {
        registry: Val,
        group: Val,
        allow: bool,
    },
    /// An ACR task with a system-assigned identity and no source trigger (a
    /// commit trigger, the CLI's default, needs a Git access token: acr/task.py
    /// acr_task_create; no token is asked for or stored); outputs
    /// `taskPrincipalId`. It logs in to its own registry with `--auth-mode
    /// None` and a credential, or, on an ABAC registry (`source_identity`),
    /// as its identity (`--source-acr-auth-id [system]`; the CLI deprecates
    /// `--auth-mode` there: acr/_utils.py check_auth_mode_for_abac).
    CreateTask {
        registry: Val,
        group: Val,
        name: Val,
        image: Val,
        context: Val,
        source_identity: bool,
    },
    /// The task's identity gets `role` (named for the registry's role
    /// assignment mode, which the step checks first) on the registry.
    GrantTaskRole {
        registry: Val,
        group: Val,
        role: &'static str,
        mode: RoleAssignmentMode,
    },
    /// Runs the task once and shows how the run ended; runs it again while
    /// the task identity's role has not taken effect (up to about ten
    /// minutes), then stops with the run's status.
    RunTask {
        registry: Val,
        group: Val,
        task: Val,
    },
    /// The task logs in to the registry with its own identity.
    AddTaskCredential {
        registry: Val,
        task: Val,
    },
    RemoveIpRule {
        registry: Val,
        rule: Val,
    },
    /// Stops unless the image version exists and has a data disk at each of
    /// `luns` (the LUNs the new regions' disk encryption sets are for);
    /// with `read_regions`, reads the regions it has.
    CheckImageVersion {
        gallery: Val,
        definition: Val,
        version: Val,
        group: Val,
        luns: Vec<u32>,
        read_regions: bool,
    },
    /// Appends those of `regions` the version does not have yet, each with
    /// its disk encryption sets; the regions it has stay as they are (so a
    /// second run changes nothing).
    AddTargetRegions {
        gallery: Val,
        definition: Val,
        version: Val,
        group: Val,
        regions: Vec<RegionRef>,
    },
    /// Shows the registry's identities: system-assigned, user-assigned.
    ShowIdentity {
        registry: Val,
        group: Val,
    },
    RemoveVnetRule {
        registry: Val,
        subnet_id: Val,
    },
}

/// One line of a preview: `label` (a catalog key), what is there now, what
/// the change leaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewLine {
    pub label: &'static str,
    pub now: Now,
    pub after: Val,
}

/// Where a preview line's "now" comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Now {
    /// A value the checks read or the spec gives.
    Val(Val),
    /// The vault's firewall (default action), read from Resource Manager.
    VaultFirewall { vault: Val, group: Val },
    /// The registry's network default action and IP rules.
    RegistryNetwork { registry: Val, group: Val },
}

/// A change an access-narrowing step makes, undone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Undo {
    /// Open the vault's firewall again.
    OpenVaultFirewall { vault: Val, group: Val },
    /// Let the registry allow all networks again.
    AllowAllNetworks { registry: Val, group: Val },
}

/// The key data roles through which an identity can use a key
/// (get, wrapKey, unwrapKey): a revoke looks for each.
pub const KEY_DATA_ROLES: &[&str] = &[
    "Key Vault Crypto Service Encryption User",
    "Key Vault Crypto User",
    "Key Vault Crypto Officer",
    "Key Vault Administrator",
];

impl ChangeAction {
    /// The values the action reads.
    pub(super) fn values(&self) -> Vec<&Val> {
        match self {
            ChangeAction::CheckRegistry { registry, group, key, or_key, identity, or_identity } => {
                let mut v = vec![registry, group];
                v.extend(key.iter());
                v.extend(or_key.iter());
                v.extend(identity.iter());
                v.extend(or_identity.iter());
                v
            }
            ChangeAction::Preview { lines } => lines
                .iter()
                .flat_map(|l| {
                    let mut v = match &l.now {
                        Now::Val(x) => vec![x],
                        Now::VaultFirewall { vault, group } => vec![vault, group],
                        Now::RegistryNetwork { registry, group } => vec![registry, group],
                    };
                    v.push(&l.after);
                    v
                })
                .collect(),
            ChangeAction::LookupKeyVersion { registry, group } => vec![registry, group],
            ChangeAction::CheckVaultFirewall { vault, group, .. } => vec![vault, group],
            ChangeAction::ListKeyGrants { vault, group, key, .. } => vec![vault, group, key],
            ChangeAction::LookupKeyIdentity { registry, group, client_id } => vec![registry, group, client_id],
            ChangeAction::LookupSystemIdentity { registry, group }
            | ChangeAction::SetTrustedServices { registry, group, .. }
            | ChangeAction::GrantTaskRole { registry, group, .. } => vec![registry, group],
            ChangeAction::RunTask { registry, group, task } => vec![registry, group, task],
            ChangeAction::AddKeyVersion { vault, name, done, .. } => {
                let mut v = vec![vault, name];
                v.extend(done.iter());
                v
            }
            ChangeAction::AssignUserIdentity { registry, group, identity } => vec![registry, group, identity],
            ChangeAction::RotateKey { registry, group, key, identity } => {
                let mut v = vec![registry, group, key];
                v.extend(identity.iter());
                v
            }
            ChangeAction::SetRotationPolicy { vault, key, expiry, rotate_after, notify_before } => {
                vec![vault, key, expiry, rotate_after, notify_before]
            }
            ChangeAction::RevokeKeyAccess { vault, group, .. } => vec![vault, group],
            ChangeAction::SetKeyEnabled { vault, key, version, .. } => vec![vault, key, version],
            ChangeAction::Confirm { registry, undo, .. } => {
                let mut v = vec![registry];
                match undo {
                    Some(Undo::OpenVaultFirewall { vault, group }) => v.extend([vault, group]),
                    Some(Undo::AllowAllNetworks { registry, group }) => v.extend([registry, group]),
                    None => {}
                }
                v
            }
            ChangeAction::CreateTask { registry, group, name, image, context, .. } => {
                vec![registry, group, name, image, context]
            }
            ChangeAction::AddTaskCredential { registry, task } => vec![registry, task],
            ChangeAction::RemoveIpRule { registry, rule } => vec![registry, rule],
            ChangeAction::RemoveVnetRule { registry, subnet_id } => vec![registry, subnet_id],
            ChangeAction::ShowIdentity { registry, group } => vec![registry, group],
            ChangeAction::CheckImageVersion { gallery, definition, version, group, .. } => {
                vec![gallery, definition, version, group]
            }
            ChangeAction::AddTargetRegions { gallery, definition, version, group, regions } => {
                let mut v = vec![gallery, definition, version, group];
                v.extend(regions.iter().flat_map(RegionRef::values));
                v
            }
        }
    }
}

impl Builder {
    pub(crate) fn build_change(mut self, spec: &Spec) -> Plan {
        if spec.change.operation.on_gallery() {
            return self.build_gallery_change(spec);
        }
        let change = &spec.change;
        let existing = &change.existing;
        let group = self.text("resourceGroup", &spec.resource_group.name);
        let registry = self.text("registryName", &spec.registry.name);
        let subscription = self.subscription_and_tags(spec);
        self.select_target(spec, subscription.as_ref());

        let op = change.operation;
        let vault_spec = &spec.registry.encryption.key_vault;
        let key_op = op.acts_on_key();
        let current_key = key_op.then(|| self.text("currentKeyUri", &existing.key_uri));
        // The key URI this change leaves, when it is known in advance.
        let after = match op {
            Operation::RotateKey if change.versionless => {
                let target = if change.key_id.is_empty() { &existing.key_uri } else { &change.key_id };
                names::parse_key_uri(target).ok().map(|k| k.versionless())
            }
            Operation::RotateKey => (!change.key_id.is_empty()).then(|| change.key_id.clone()),
            Operation::AutoRotation => names::parse_key_uri(&existing.key_uri).ok().map(|k| k.versionless()),
            _ => None,
        }
        .filter(|uri| *uri != existing.key_uri);
        let or_key = after.as_deref().map(|uri| self.text("expectedKeyUri", uri));
        // The identity that reaches the key now, and the one the change
        // leaves (a user-assigned identity named by its resource ID is
        // checked by its own lookup instead).
        let identity = key_op.then(|| {
            if existing.uses_system_identity() {
                Val::Lit("system")
            } else {
                self.text("keyIdentityClientId", &existing.key_identity)
            }
        });
        let moves_to_system = op == Operation::SystemIdentityVaultFirewall
            || (op == Operation::RotateKey && change.identity == KeyIdentity::System);
        let (identity, or_identity) = match (op, change.identity) {
            (Operation::RotateKey, KeyIdentity::UserAssigned) => (None, None),
            _ if moves_to_system && !existing.uses_system_identity() => (identity, Some(Val::Lit("system"))),
            _ => (identity, None),
        };
        self.step(
            "step.check-registry",
            Action::Change(ChangeAction::CheckRegistry {
                registry: registry.clone(),
                group: group.clone(),
                key: current_key.clone(),
                or_key: or_key.clone(),
                identity: identity.clone(),
                or_identity: or_identity.clone(),
            }),
        );
        // Destructive operations confirm right before the step that takes
        // access away, once every check and lookup has passed.
        let confirm = op.is_destructive(spec.registry.networking.allow_trusted_services).then(|| {
            let what = match op {
                Operation::RevokeKeyAccess if change.revoke == RevokeMethod::DisableKey => "confirm.disable-key",
                Operation::RevokeKeyAccess => "confirm.revoke",
                Operation::RestoreDefaultAccess => "confirm.restore-default",
                _ => "confirm.trusted-off",
            };
            Action::Change(ChangeAction::Confirm { registry: registry.clone(), what, undo: None })
        });

        // The key's vault and name: the new key's for a rotation to another
        // key, the current one's otherwise.
        let mut vault = None;
        if key_op {
            let target = if op == Operation::RotateKey && !change.key_id.is_empty() {
                &change.key_id
            } else {
                &existing.key_uri
            };
            let key_name = names::parse_key_uri(target).map(|k| k.name.to_string()).unwrap_or_default();
            let vault_name = self.text("keyVaultName", &vault_spec.name);
            let vault_group = self.group("keyVaultResourceGroup", &vault_spec.resource_group, &group);
            let key = self.text("keyName", &key_name);
            self.step(
                "step.lookup-vault",
                Action::LookupVault { name: vault_name.clone(), group: vault_group.clone() },
            );
            vault = Some((vault_name, vault_group, key));
        }
        let model = vault_spec.permission_model;
        let current_key = current_key.unwrap_or(Val::Lit(""));

        match op {
            Operation::RotateKey => {
                let (vault, vault_group, key) = vault.expect("key operation");
                let system_after = match change.identity {
                    KeyIdentity::Current => existing.uses_system_identity(),
                    KeyIdentity::System => true,
                    KeyIdentity::UserAssigned => false,
                };
                self.step(
                    "step.check-vault-firewall",
                    Action::Change(ChangeAction::CheckVaultFirewall {
                        vault: vault.clone(),
                        group: vault_group.clone(),
                        system: system_after,
                        rbac: model == PermissionModel::Rbac,
                    }),
                );
                let new_key = if change.key_id.is_empty() {
                    self.step(
                        "step.add-key-version",
                        Action::Change(ChangeAction::AddKeyVersion {
                            vault: vault.clone(),
                            name: key,
                            versionless: change.versionless,
                            done: or_key.clone(),
                        }),
                    );
                    Val::output("keyUri")
                } else {
                    or_key.clone().unwrap_or(Val::Lit(""))
                };
                let identity = match change.identity {
                    KeyIdentity::Current if existing.uses_system_identity() => None,
                    KeyIdentity::Current => {
                        // The identity it has: granted already, unless the key
                        // moves to another vault.
                        let client = self.text("keyIdentityClientId", &existing.key_identity);
                        self.grant_identity(&registry, &group, client.clone(), model, &vault, &vault_group);
                        Some(client)
                    }
                    KeyIdentity::System => {
                        self.step(
                            "step.assign-system-identity",
                            Action::AssignSystemIdentity { registry: registry.clone(), group: group.clone() },
                        );
                        self.grant(Principal::RegistrySystemIdentity, model, &vault, &vault_group);
                        None
                    }
                    KeyIdentity::UserAssigned => {
                        let id = self.text("identityId", &change.identity_id);
                        let name = names::parse_resource_id(
                            &change.identity_id,
                            "Microsoft.ManagedIdentity",
                            "userAssignedIdentities",
                            "",
                        )
                        .map(|r| (r.name.to_string(), r.resource_group.to_string()))
                        .unwrap_or_default();
                        let identity_name = self.text("identityName", &name.0);
                        let identity_group = self.text("identityResourceGroup", &name.1);
                        self.step(
                            "step.lookup-identity",
                            Action::LookupIdentity { name: identity_name, group: identity_group },
                        );
                        self.step(
                            "step.assign-user-identity",
                            Action::Change(ChangeAction::AssignUserIdentity {
                                registry: registry.clone(),
                                group: group.clone(),
                                identity: id.clone(),
                            }),
                        );
                        self.grant(Principal::UserIdentity, model, &vault, &vault_group);
                        Some(id)
                    }
                };
                self.step(
                    "step.rotate-key",
                    Action::Change(ChangeAction::RotateKey {
                        registry: registry.clone(),
                        group: group.clone(),
                        key: new_key,
                        identity,
                    }),
                );
            }
            Operation::AutoRotation => {
                let (vault, _, key) = vault.expect("key operation");
                let policy = &change.rotation_policy;
                let expiry = self.text("keyExpiryTime", &policy.expiry_time);
                let rotate_after = self.text("rotateAfterCreate", &rotate_after_create(policy));
                let notify_before = self.text("notifyBeforeExpiry", &policy.notify_before_expiry);
                self.step(
                    "step.set-rotation-policy",
                    Action::Change(ChangeAction::SetRotationPolicy {
                        vault,
                        key,
                        expiry,
                        rotate_after,
                        notify_before,
                    }),
                );
                // A registry pinned to a version would never see the new ones.
                if let Some(versionless) = or_key.clone() {
                    let identity = (!existing.uses_system_identity())
                        .then(|| self.text("keyIdentityClientId", &existing.key_identity));
                    self.step(
                        "step.rotate-key-versionless",
                        Action::Change(ChangeAction::RotateKey {
                            registry: registry.clone(),
                            group: group.clone(),
                            key: versionless,
                            identity,
                        }),
                    );
                }
            }
            Operation::RevokeKeyAccess | Operation::RestoreKeyAccess => {
                let (vault, vault_group, key) = vault.expect("key operation");
                let revoke = op == Operation::RevokeKeyAccess;
                let system = existing.uses_system_identity();
                if !revoke {
                    self.step(
                        "step.check-vault-firewall",
                        Action::Change(ChangeAction::CheckVaultFirewall {
                            vault: vault.clone(),
                            group: vault_group.clone(),
                            system,
                            rbac: model == PermissionModel::Rbac,
                        }),
                    );
                }
                if change.revoke == RevokeMethod::DisableKey {
                    self.step(
                        "step.lookup-key-version",
                        Action::Change(ChangeAction::LookupKeyVersion { registry: registry.clone(), group: group.clone() }),
                    );
                    self.confirm(confirm);
                    self.step(
                        if revoke { "step.disable-key" } else { "step.enable-key" },
                        Action::Change(ChangeAction::SetKeyEnabled {
                            vault,
                            key,
                            version: Val::output("keyVersion"),
                            enabled: !revoke,
                        }),
                    );
                } else {
                    let principal = self.lookup_key_principal(spec, &registry, &group);
                    if revoke {
                        self.step(
                            "step.list-key-grants",
                            Action::Change(ChangeAction::ListKeyGrants {
                                principal,
                                model,
                                vault: vault.clone(),
                                group: vault_group.clone(),
                                key,
                            }),
                        );
                    }
                    self.confirm(confirm);
                    let (title, action) = if revoke {
                        (
                            "step.revoke-key-access",
                            Action::Change(ChangeAction::RevokeKeyAccess {
                                principal,
                                model,
                                vault,
                                group: vault_group,
                            }),
                        )
                    } else {
                        (
                            "step.restore-key-access",
                            Action::GrantKeyAccess { principal, model, vault, group: vault_group },
                        )
                    };
                    self.step(title, action);
                }
                // A restore proves itself: the registry's service checks that
                // its identity reaches the key (retried while the grant
                // reaches Key Vault).
                if !revoke {
                    let identity = (!system).then(|| self.text("keyIdentityClientId", &existing.key_identity));
                    self.step(
                        "step.verify-key-access",
                        Action::Change(ChangeAction::RotateKey {
                            registry: registry.clone(),
                            group: group.clone(),
                            key: current_key.clone(),
                            identity,
                        }),
                    );
                }
            }
            Operation::SystemIdentityVaultFirewall => {
                let (vault, vault_group, _) = vault.expect("key operation");
                self.step(
                    "step.assign-system-identity",
                    Action::AssignSystemIdentity { registry: registry.clone(), group: group.clone() },
                );
                self.grant(Principal::RegistrySystemIdentity, model, &vault, &vault_group);
                self.step(
                    "step.rotate-to-system-identity",
                    Action::RotateKeyToSystemIdentity { registry: registry.clone(), key: current_key.clone() },
                );
                // Closing the firewall narrows access: asked, with its undo.
                self.step(
                    "step.confirm-narrowing",
                    Action::Change(ChangeAction::Confirm {
                        registry: registry.clone(),
                        what: "confirm.close-vault-firewall",
                        undo: Some(Undo::OpenVaultFirewall { vault: vault.clone(), group: vault_group.clone() }),
                    }),
                );
                self.step("step.close-vault-firewall", Action::CloseVaultFirewall { vault, group: vault_group });
            }
            Operation::TrustedServices => {
                self.confirm(confirm);
                let allow = spec.registry.networking.allow_trusted_services;
                self.step(
                    "step.set-trusted-services",
                    Action::Change(ChangeAction::SetTrustedServices {
                        registry: registry.clone(),
                        group: group.clone(),
                        allow,
                    }),
                );
            }
            // Document 002's workflow as Azure has it today: tasks are no
            // trusted service since 2025-06-01, so the registry lets them in by
            // `networkRuleBypassAllowedForTasks` instead of "allow trusted
            // services" (left as it is); the task runs once at the end, which
            // also waits for its role to take effect.
            Operation::TrustedServiceTask => {
                let task = &change.task;
                let mode = existing.role_assignment_mode;
                let name = self.text("taskName", &task.name);
                let image = self.text("taskImage", &task.image);
                let context = self.text("taskContext", &task.context);
                self.step(
                    "step.allow-tasks-bypass",
                    Action::AllowTasksBypass { registry: registry.clone(), group: group.clone() },
                );
                self.step(
                    "step.create-task",
                    Action::Change(ChangeAction::CreateTask {
                        registry: registry.clone(),
                        group: group.clone(),
                        name: name.clone(),
                        image,
                        context,
                        source_identity: mode == RoleAssignmentMode::Abac,
                    }),
                );
                self.step(
                    "step.grant-task-role",
                    Action::Change(ChangeAction::GrantTaskRole {
                        registry: registry.clone(),
                        group: group.clone(),
                        role: task.role.role_name(mode),
                        mode,
                    }),
                );
                self.step(
                    "step.add-task-credential",
                    Action::Change(ChangeAction::AddTaskCredential { registry: registry.clone(), task: name.clone() }),
                );
                self.step(
                    "step.run-task",
                    Action::Change(ChangeAction::RunTask { registry: registry.clone(), group: group.clone(), task: name }),
                );
            }
            Operation::AddNetworkRules => {
                let net = &spec.registry.networking;
                let subnets = self.vnet_prerequisites(spec, &group, subscription.as_ref());
                for (i, rule) in net.ip_rules.iter().enumerate() {
                    if !net.ip_rules[..i].contains(rule) {
                        let rule = self.text(&format!("ipRule{i}"), rule);
                        self.step("step.add-ip-rule", Action::AddIpRule { registry: registry.clone(), rule });
                    }
                }
                for subnet_id in subnets {
                    self.step("step.add-vnet-rule", Action::AddVnetRule { registry: registry.clone(), subnet_id });
                }
                // From all networks to selected ones narrows access: asked,
                // with its undo.
                if existing.public_access == PublicAccess::All {
                    self.step(
                        "step.confirm-narrowing",
                        Action::Change(ChangeAction::Confirm {
                            registry: registry.clone(),
                            what: "confirm.select-networks",
                            undo: Some(Undo::AllowAllNetworks { registry: registry.clone(), group: group.clone() }),
                        }),
                    );
                }
                self.step(
                    "step.restrict-network-access",
                    Action::RestrictNetworkAccess {
                        registry: registry.clone(),
                        group: group.clone(),
                        public_access: PublicAccess::SelectedNetworks,
                        allow_trusted_services: existing.allow_trusted_services,
                    },
                );
            }
            Operation::RestoreDefaultAccess => {
                // Allow first, then remove: at no point does the registry deny
                // everybody.
                self.confirm(confirm);
                self.step(
                    "step.restore-default-access",
                    Action::RestrictNetworkAccess {
                        registry: registry.clone(),
                        group: group.clone(),
                        public_access: PublicAccess::All,
                        allow_trusted_services: existing.allow_trusted_services,
                    },
                );
                for (i, rule) in existing.ip_rules.iter().enumerate() {
                    let rule = self.text(&format!("existingIpRule{i}"), rule);
                    self.step(
                        "step.remove-ip-rule",
                        Action::Change(ChangeAction::RemoveIpRule { registry: registry.clone(), rule }),
                    );
                }
                for (i, id) in existing.vnet_rules.iter().enumerate() {
                    let subnet_id = self.text(&format!("existingSubnetId{i}"), id);
                    self.step(
                        "step.remove-vnet-rule",
                        Action::Change(ChangeAction::RemoveVnetRule { registry: registry.clone(), subnet_id }),
                    );
                }
            }
            // Read only: the checks above, then what it has (the network
            // rules come last, as for every network operation).
            Operation::ShowStatus => {
                self.step("step.show-encryption", Action::ShowEncryption { registry: registry.clone() });
                self.step(
                    "step.show-identity",
                    Action::Change(ChangeAction::ShowIdentity { registry: registry.clone(), group: group.clone() }),
                );
            }
            Operation::GalleryAddRegions | Operation::GalleryShowStatus => unreachable!("build_gallery_change"),
        }

        if key_op {
            self.step("step.show-encryption", Action::ShowEncryption { registry: registry.clone() });
        } else {
            self.step("step.show-network-rules", Action::ShowNetworkRules { registry: registry.clone() });
        }
        if op != Operation::ShowStatus {
            let lines = self.preview_lines(spec, &registry, &group, identity.as_ref());
            self.preview(lines);
        }
        let mut plan = self.finish(spec, Kind::Registry).without_unused_inputs();
        plan.arm_note = Some(match op {
            Operation::AutoRotation | Operation::RotateKey => "arm.change-key",
            Operation::RevokeKeyAccess | Operation::RestoreKeyAccess => "arm.change-revoke",
            Operation::SystemIdentityVaultFirewall => "arm.change-system-identity",
            Operation::TrustedServiceTask => "arm.change-task",
            Operation::ShowStatus => "arm.change-show",
            _ => "arm.change-network",
        });
        plan
    }

    /// More target regions for an image version: check the version and the
    /// new regions' disk encryption sets, add the regions, show the result.
    fn build_gallery_change(mut self, spec: &Spec) -> Plan {
        let g = &spec.gallery;
        let group = self.text("resourceGroup", &spec.resource_group.name);
        let subscription = self.subscription_and_tags(spec);
        let gallery = self.text("galleryName", &g.name);
        let definition = self.text("imageDefinitionName", &g.image_definition);
        let version = self.text("imageVersion", &g.version);
        let show_only = spec.change.operation == Operation::GalleryShowStatus;
        let regions = if show_only { Vec::new() } else { self.target_regions(g) };
        self.select_target(spec, subscription.as_ref());
        let mut luns: Vec<u32> = regions.iter().flat_map(|r| r.data_des.iter().map(|(lun, _)| *lun)).collect();
        luns.sort_unstable();
        luns.dedup();
        self.step(
            if show_only { "step.check-image-version-exists" } else { "step.check-image-version" },
            Action::Change(ChangeAction::CheckImageVersion {
                gallery: gallery.clone(),
                definition: definition.clone(),
                version: version.clone(),
                group: group.clone(),
                luns,
                read_regions: !show_only,
            }),
        );
        if !show_only {
            self.check_disk_encryption_sets(g, &regions);
            self.step(
                "step.add-target-regions",
                Action::Change(ChangeAction::AddTargetRegions {
                    gallery: gallery.clone(),
                    definition: definition.clone(),
                    version: version.clone(),
                    group: group.clone(),
                    regions,
                }),
            );
        }
        self.step("step.show-image-version", Action::ShowImageVersion { gallery, definition, version, group });
        if !show_only {
            let lines = vec![PreviewLine {
                label: "preview.target-regions",
                now: Now::Val(Val::output("versionRegions")),
                after: self.text("regionsToAdd", &region_list(g)),
            }];
            self.preview(lines);
        }
        let mut plan = self.finish(spec, Kind::GalleryImageVersion).without_unused_inputs();
        plan.arm_note = Some(if show_only { "arm.change-show" } else { "arm.change-gallery" });
        plan
    }

    /// Puts the preview right before the plan's first change or
    /// confirmation (after every check and lookup). The shared piece of
    /// every day-2 plan: an operation gives its lines, this places them.
    pub(crate) fn preview(&mut self, lines: Vec<PreviewLine>) {
        let at = self.steps.iter().position(|s| s.action.changes_azure()).unwrap_or(self.steps.len());
        self.steps.insert(at, super::Step { title: "step.preview", action: Action::Change(ChangeAction::Preview { lines }) });
    }

    /// What a registry operation's preview shows: its encryption (key and
    /// identity) for a key operation, its vault's firewall when the change
    /// closes it, its network rules for a network operation.
    fn preview_lines(&mut self, spec: &Spec, registry: &Val, group: &Val, identity: Option<&Val>) -> Vec<PreviewLine> {
        let change = &spec.change;
        let existing = &change.existing;
        let op = change.operation;
        let mut lines = Vec::new();
        let same = |v: &Val| Now::Val(v.clone());
        if op.acts_on_key() {
            let key_after = match op {
                Operation::RotateKey if change.key_id.is_empty() && !change.versionless => Val::Lit("(a new version)"),
                Operation::RotateKey | Operation::AutoRotation => {
                    self.steps_output_or_input("expectedKeyUri").unwrap_or(Val::output("registryKey"))
                }
                _ => Val::output("registryKey"),
            };
            lines.push(PreviewLine { label: "preview.key", now: same(&Val::output("registryKey")), after: key_after });
            let identity_after = match (op, change.identity) {
                (Operation::SystemIdentityVaultFirewall, _) | (Operation::RotateKey, KeyIdentity::System) => {
                    Val::Lit("system")
                }
                (Operation::RotateKey, KeyIdentity::UserAssigned) => self.text("identityId", &change.identity_id),
                _ => identity.cloned().unwrap_or(Val::Lit("system")),
            };
            lines.push(PreviewLine {
                label: "preview.identity",
                now: same(&Val::output("registryKeyIdentity")),
                after: identity_after,
            });
        }
        match op {
            Operation::RevokeKeyAccess if change.revoke == RevokeMethod::RemoveAccess => lines.push(PreviewLine {
                label: "preview.grants-removed",
                now: same(&Val::output("keyGrantCount")),
                after: Val::Lit("0"),
            }),
            Operation::RevokeKeyAccess | Operation::RestoreKeyAccess if change.revoke == RevokeMethod::DisableKey => {
                lines.push(PreviewLine {
                    label: "preview.key-version-enabled",
                    now: same(&Val::output("keyVersion")),
                    after: Val::Lit(if op == Operation::RevokeKeyAccess { "disabled" } else { "enabled" }),
                })
            }
            Operation::SystemIdentityVaultFirewall => {
                let vault = &spec.registry.encryption.key_vault;
                let name = self.text("keyVaultName", &vault.name);
                let vault_group = self.group("keyVaultResourceGroup", &vault.resource_group, group);
                lines.push(PreviewLine {
                    label: "preview.vault-firewall",
                    now: Now::VaultFirewall { vault: name, group: vault_group },
                    after: Val::Lit("Deny (trusted services allowed)"),
                });
            }
            Operation::AddNetworkRules | Operation::RestoreDefaultAccess | Operation::TrustedServices
            | Operation::TrustedServiceTask => {
                let after = match op {
                    Operation::AddNetworkRules => {
                        let mut rules: Vec<&str> = existing
                            .ip_rules
                            .iter()
                            .chain(&spec.registry.networking.ip_rules)
                            .map(String::as_str)
                            .collect();
                        rules.sort_unstable();
                        rules.dedup();
                        let subnets = spec.registry.networking.vnet_rules.len() + existing.vnet_rules.len();
                        self.text("networkAfter", &format!("Deny; IP rules: {}; subnets: {subnets}", rules.join(" ")))
                    }
                    Operation::RestoreDefaultAccess => Val::Lit("Allow; IP rules: none; subnets: 0"),
                    _ => Val::Lit("(unchanged)"),
                };
                lines.push(PreviewLine {
                    label: "preview.network-rules",
                    now: Now::RegistryNetwork { registry: registry.clone(), group: group.clone() },
                    after,
                });
            }
            _ => {}
        }
        lines
    }

    fn steps_output_or_input(&self, name: &str) -> Option<Val> {
        let var = super::Var::new(name);
        self.inputs.iter().any(|i| i.var == var).then(|| Val::input(name))
    }

    fn confirm(&mut self, confirm: Option<Action>) {
        if let Some(action) = confirm {
            self.step("step.confirm", action);
        }
    }

    /// The principal that reaches the key now: the registry's system
    /// identity, or its user-assigned identity with that client ID.
    fn lookup_key_principal(&mut self, spec: &Spec, registry: &Val, group: &Val) -> Principal {
        let existing = &spec.change.existing;
        if existing.uses_system_identity() {
            self.step(
                "step.lookup-system-identity",
                Action::Change(ChangeAction::LookupSystemIdentity { registry: registry.clone(), group: group.clone() }),
            );
            Principal::RegistrySystemIdentity
        } else {
            let client_id = self.text("keyIdentityClientId", &existing.key_identity);
            self.step(
                "step.lookup-key-identity",
                Action::Change(ChangeAction::LookupKeyIdentity {
                    registry: registry.clone(),
                    group: group.clone(),
                    client_id,
                }),
            );
            Principal::UserIdentity
        }
    }

    /// Grants the registry's current user-assigned identity (by client ID).
    fn grant_identity(
        &mut self,
        registry: &Val,
        group: &Val,
        client_id: Val,
        model: crate::spec::PermissionModel,
        vault: &Val,
        vault_group: &Val,
    ) {
        self.step(
            "step.lookup-key-identity",
            Action::Change(ChangeAction::LookupKeyIdentity {
                registry: registry.clone(),
                group: group.clone(),
                client_id,
            }),
        );
        self.grant(Principal::UserIdentity, model, vault, vault_group);
    }

    fn grant(&mut self, principal: Principal, model: crate::spec::PermissionModel, vault: &Val, vault_group: &Val) {
        let title = match principal {
            Principal::UserIdentity => "step.grant-identity",
            Principal::RegistrySystemIdentity => "step.grant-system-identity",
        };
        self.step(title, Action::GrantKeyAccess { principal, model, vault: vault.clone(), group: vault_group.clone() });
    }
}

/// A Rotate trigger that fires: `timeAfterCreate`, the version's lifetime
/// less the time before expiry the spec rotates at (`P1Y` and `P30D` give
/// `P335D`; a year counts 365 days, a month 30, as the rules read them).
pub(crate) fn rotate_after_create(policy: &crate::spec::RotationPolicy) -> String {
    fn days(d: &str) -> Option<u32> {
        let body = d.strip_prefix('P')?;
        let (n, unit) = body.split_at(body.len().checked_sub(1)?);
        let n: u32 = n.parse().ok()?;
        Some(n * match unit {
            "Y" => 365,
            "M" => 30,
            "W" => 7,
            "D" => 1,
            _ => return None,
        })
    }
    match (days(&policy.expiry_time), days(&policy.rotate_before_expiry)) {
        (Some(life), Some(before)) if life > before => format!("P{}D", life - before),
        _ => policy.expiry_time.clone(),
    }
}

/// The regions an image version change adds, for its preview.
fn region_list(g: &crate::spec::Gallery) -> String {
    let names: Vec<&str> = g.target_regions.iter().map(|r| r.region.as_str()).collect();
    names.join(" ")
}
