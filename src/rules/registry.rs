//! Container registry rules: customer-managed keys (seed 000/003), network
//! rules and service endpoints (seed 004), trusted services (seed 002).

use super::{Finding, Rule};
use crate::names;
use crate::spec::{Cloud, Encryption, PermissionModel, PublicAccess, Sku, Spec};

pub(super) fn check(spec: &Spec, out: &mut Vec<Finding>) {
    let registry = &spec.registry;
    if let Some(cmk) = spec.cmk() {
        customer_managed_key(spec, cmk, out);
    }
    network(spec, out);
    if registry.content_trust {
        out.push(Finding::new(Rule::ContentTrustRetired, "registry.contentTrust"));
    }
    if registry.admin_user_enabled {
        out.push(Finding::new(Rule::AdminUser, "registry.adminUserEnabled"));
    }
}

fn customer_managed_key(spec: &Spec, cmk: &Encryption, out: &mut Vec<Finding>) {
    let registry = &spec.registry;
    let on = "registry.encryption.customerManagedKey";
    if registry.sku != Sku::Premium {
        out.push(Finding::new(Rule::CmkPremium, "registry.sku").arg("sku", registry.sku.as_str()));
    }
    if registry.content_trust {
        out.push(Finding::new(Rule::CmkContentTrust, "registry.contentTrust"));
    }
    out.push(Finding::new(Rule::CmkCreateOnly, on));
    out.push(Finding::new(Rule::CmkIrreversible, on));
    out.push(Finding::new(Rule::CmkTaskLogs, on));
    out.push(Finding::new(Rule::CmkRevokeIsDestructive, on));

    let vault = &cmk.key_vault;
    let creates_vault = vault.create && cmk.key.create;
    out.push(Finding::new(Rule::CmkVaultProtection, "registry.encryption.keyVault.create"));
    out.push(Finding::new(Rule::CmkKeyPermissions, "registry.encryption.keyVault.permissionModel"));
    if vault.permission_model == PermissionModel::AccessPolicy {
        out.push(Finding::new(Rule::CmkRbacDefault, "registry.encryption.keyVault.permissionModel"));
    }

    let key = &cmk.key;
    if key.create {
        if creates_vault && key.kty == crate::spec::KeyType::RsaHsm {
            out.push(Finding::new(Rule::CmkHsmKeyNeedsPremiumVault, "registry.encryption.key.kty"));
        }
        let rule = if key.versionless { Rule::CmkKeyVersionless } else { Rule::CmkKeyVersioned };
        out.push(Finding::new(rule, "registry.encryption.key.versionless"));
    } else if let Ok(uri) = names::parse_key_uri(&key.key_id) {
        let field = "registry.encryption.key.keyId";
        let expected = if uri.managed_hsm { spec.cloud.managed_hsm_suffix() } else { spec.cloud.vault_suffix() };
        if !uri.host.ends_with(&format!(".{expected}")) {
            out.push(
                Finding::new(Rule::CmkKeyCloud, field).arg("cloud", spec.cloud.cli_name()).arg("suffix", expected),
            );
        }
        if !uri.vault.eq_ignore_ascii_case(&vault.name) {
            out.push(
                Finding::new(Rule::CmkKeyVaultMismatch, "registry.encryption.keyVault.name")
                    .arg("key_vault", uri.vault)
                    .arg("vault", vault.name.as_str()),
            );
        }
        if uri.managed_hsm {
            out.push(Finding::new(Rule::CmkManagedHsm, field));
        }
        let rule = if uri.version.is_none() { Rule::CmkKeyVersionless } else { Rule::CmkKeyVersioned };
        out.push(Finding::new(rule, field));
    }

    if vault.firewall {
        if cmk.use_system_assigned_after_create {
            out.push(Finding::new(Rule::CmkFirewallOrder, "registry.encryption.keyVault.firewall"));
        } else {
            out.push(Finding::new(
                Rule::CmkFirewallNeedsSystemIdentity,
                "registry.encryption.useSystemAssignedAfterCreate",
            ));
        }
    }
    if cmk.use_system_assigned_after_create {
        out.push(Finding::new(Rule::CmkSystemIdentitySwitch, "registry.encryption.useSystemAssignedAfterCreate"));
        out.push(Finding::new(Rule::ArmPostDeployment, "registry.encryption.useSystemAssignedAfterCreate"));
        out.push(Finding::new(Rule::ArmRedeployReverts, "registry.encryption.useSystemAssignedAfterCreate"));
    }
    // The template grants key access and creates the registry in one
    // deployment; nothing in ARM waits for the grant to reach Key Vault.
    out.push(Finding::new(Rule::ArmRbacPropagation, "registry.encryption.keyVault.permissionModel"));
    if cmk.key.create && vault.permission_model == PermissionModel::Rbac {
        out.push(Finding::new(Rule::CmkSignedInOfficer, "registry.encryption.key.name"));
    }
    let group = &spec.resource_group.name;
    if !vault.resource_group.is_empty() && &vault.resource_group != group {
        out.push(
            Finding::new(Rule::ArmOtherGroup, "registry.encryption.keyVault.resourceGroup")
                .arg("group", vault.resource_group.as_str()),
        );
    }
}

fn network(spec: &Spec, out: &mut Vec<Finding>) {
    let registry = &spec.registry;
    let net = &registry.networking;
    let access = "registry.networking.publicAccess";
    let has_rules = !net.ip_rules.is_empty() || !net.vnet_rules.is_empty();

    if (net.public_access != PublicAccess::All || has_rules) && registry.sku != Sku::Premium {
        out.push(Finding::new(Rule::NetPremium, "registry.sku").arg("sku", registry.sku.as_str()));
    }
    match net.public_access {
        PublicAccess::SelectedNetworks if !has_rules => out.push(Finding::new(Rule::NetLockout, access)),
        PublicAccess::Disabled if has_rules => out.push(Finding::new(Rule::NetRulesIgnoredWhenDisabled, access)),
        _ => {}
    }
    // Nothing this wizard creates reaches a registry without public access.
    if net.public_access == PublicAccess::Disabled && registry.sku == Sku::Premium {
        out.push(Finding::new(Rule::NetPrivateOnly, access));
    }
    match net.public_access {
        PublicAccess::All if has_rules => out.push(Finding::new(Rule::NetRulesWithoutSelected, access)),
        _ => {}
    }

    if net.ip_rules.len() > 200 {
        out.push(
            Finding::new(Rule::NetIpMax, "registry.networking.ipRules").arg("count", net.ip_rules.len().to_string()),
        );
    }
    for (i, rule) in net.ip_rules.iter().enumerate() {
        if net.ip_rules[..i].contains(rule) {
            out.push(
                Finding::new(Rule::NetIpDuplicate, format!("registry.networking.ipRules[{i}]"))
                    .arg("value", rule.as_str()),
            );
        }
    }

    if !net.vnet_rules.is_empty() {
        let field = "registry.networking.vnetRules";
        if net.vnet_rules.len() > 100 {
            out.push(Finding::new(Rule::VnetMax, field).arg("count", net.vnet_rules.len().to_string()));
        }
        out.push(Finding::new(Rule::VnetDeprecated, field));
        out.push(Finding::new(Rule::VnetHostsVmAks, field));
        if spec.cloud != Cloud::AzureCloud {
            out.push(Finding::new(Rule::VnetCloud, "cloud").arg("cloud", spec.cloud.cli_name()));
        }
        for (i, rule) in net.vnet_rules.iter().enumerate() {
            let subscription = match names::parse_subnet_id(&rule.subnet_id) {
                Ok(id) => id.subscription,
                Err(_) => rule.subscription_id.as_str(),
            };
            if !subscription.is_empty() && !subscription.eq_ignore_ascii_case(&spec.subscription_id) {
                out.push(
                    Finding::new(Rule::VnetCrossSubscription, format!("{field}[{i}]"))
                        .arg("subscription", subscription),
                );
            }
        }
        if net.allow_trusted_services {
            out.push(Finding::new(Rule::VnetNoTrustedServices, "registry.networking.allowTrustedServices"));
        }
        out.push(Finding::new(Rule::VnetPowerShell, field));
        out.push(Finding::new(Rule::VnetArmPreview, field));
        if net.vnet_rules.iter().any(|r| r.add_service_endpoint) {
            out.push(Finding::new(Rule::VnetArmServiceEndpoint, field));
        }
    }

    let tasks = "registry.networking.allowTasksBypass";
    if net.public_access != PublicAccess::All && registry.sku == Sku::Premium && !net.allow_tasks_bypass {
        out.push(Finding::new(Rule::TasksNotTrusted, tasks));
    }
    if net.allow_tasks_bypass && (net.public_access == PublicAccess::All || registry.sku != Sku::Premium) {
        out.push(Finding::new(Rule::TasksBypassUnused, tasks));
    }
    if registry.zone_redundancy {
        out.push(Finding::new(Rule::ZoneRedundancyAutomatic, "registry.zoneRedundancy"));
    }

    let trusted = "registry.networking.allowTrustedServices";
    if net.public_access != PublicAccess::All {
        if net.allow_trusted_services {
            out.push(Finding::new(Rule::TrustedSystemIdentity, trusted));
            out.push(Finding::new(Rule::TrustedNotAllServices, trusted));
        } else {
            out.push(Finding::new(Rule::TrustedDisabled, trusted));
        }
    }
}
