//! Name and format rules: every name and ID the spec will send to Azure.
//!
//! Only fields that the deployment uses are checked: a vault name typed while
//! encryption was on stays in the spec after it is switched off, unchecked.

use super::{Finding, Rule};
use crate::names::{self, Problem};
use crate::spec::{Kind, Spec};

pub(super) fn name(
    out: &mut Vec<Finding>,
    rule: Rule,
    field: &str,
    value: &str,
    check: impl Fn(&str) -> Option<Problem>,
) {
    if let Some(problem) = check(value) {
        out.push(Finding { problem: Some(problem), ..Finding::new(rule, field).arg("value", printable(value)) });
    }
}

/// The value as it may be shown on one line: control characters escaped.
pub(super) fn printable(value: &str) -> String {
    value.chars().map(|c| if c.is_control() { format!("U+{:04X}", c as u32) } else { c.to_string() }).collect()
}

/// An optional "other resource group" field: empty means the spec's own.
fn other_group(out: &mut Vec<Finding>, field: &str, value: &str) {
    if !value.is_empty() {
        name(out, Rule::NameResourceGroup, field, value, names::resource_group);
    }
}

pub(super) fn check(spec: &Spec, out: &mut Vec<Finding>) {
    common(spec, out);
    // The other kind's section is kept in the spec but not deployed: unchecked.
    if spec.kind != Kind::Registry {
        return;
    }
    let registry = &spec.registry;
    name(out, Rule::NameRegistry, "registry.name", &registry.name, names::registry);
    registry_names(spec, out);
}

/// What every spec names: subscription, group, location, tags.
pub(super) fn common(spec: &Spec, out: &mut Vec<Finding>) {
    if !spec.subscription_id.is_empty() {
        name(out, Rule::NameSubscription, "subscriptionId", &spec.subscription_id, names::guid);
    }
    name(out, Rule::NameResourceGroup, "resourceGroup.name", &spec.resource_group.name, names::resource_group);
    name(out, Rule::NameLocation, "location", &spec.location, names::location);
    for (i, (tag, value)) in spec.tags.iter().enumerate() {
        name(out, Rule::NameTag, &format!("tags[{i}].name"), tag, names::tag_name);
        name(out, Rule::NameTagValue, &format!("tags[{i}].value"), value, names::tag_value);
        // Azure tag names are case-insensitive: a second 'Owner' overwrites 'owner'.
        // ASCII folding on purpose: Unicode case tables would add ~12 KB to the
        // wasm for names that differ only in non-ASCII case.
        if spec.tags.iter().take(i).any(|(earlier, _)| earlier.eq_ignore_ascii_case(tag)) {
            out.push(Finding::new(Rule::NameTagDuplicate, format!("tags[{i}].name")).arg("value", printable(tag)));
        }
    }
}

/// The names of a registry to create: its key's and its network rules'.
fn registry_names(spec: &Spec, out: &mut Vec<Finding>) {
    if let Some(cmk) = spec.cmk() {
        let e = "registry.encryption";
        name(out, Rule::NameIdentity, &format!("{e}.identity.name"), &cmk.identity.name, names::identity);
        other_group(out, &format!("{e}.identity.resourceGroup"), &cmk.identity.resource_group);
        if cmk.key.create {
            name(out, Rule::NameKeyVault, &format!("{e}.keyVault.name"), &cmk.key_vault.name, names::key_vault);
            name(out, Rule::NameKey, &format!("{e}.key.name"), &cmk.key.name, names::key);
        } else {
            name(out, Rule::NameKeyUri, &format!("{e}.key.keyId"), &cmk.key.key_id, |v| names::parse_key_uri(v).err());
            // The vault name is still needed to grant access; it must be the key's.
            name(out, Rule::NameKeyVault, &format!("{e}.keyVault.name"), &cmk.key_vault.name, names::key_vault);
        }
        other_group(out, &format!("{e}.keyVault.resourceGroup"), &cmk.key_vault.resource_group);
    }

    network_names(spec, out);
}

/// The IP and virtual network rules a spec adds (to a new registry or, day 2,
/// to an existing one).
#[cfg_attr(not(feature = "day2"), allow(dead_code))]
pub(super) fn network_names(spec: &Spec, out: &mut Vec<Finding>) {
    let net = &spec.registry.networking;
    for (i, rule) in net.ip_rules.iter().enumerate() {
        name(out, Rule::NameIpRule, &format!("registry.networking.ipRules[{i}]"), rule, names::ipv4_or_cidr);
    }
    for (i, rule) in net.vnet_rules.iter().enumerate() {
        let f = format!("registry.networking.vnetRules[{i}]");
        if !rule.subnet_id.is_empty() {
            name(out, Rule::NameSubnetId, &format!("{f}.subnetId"), &rule.subnet_id, |v| {
                names::parse_subnet_id(v).err()
            });
        } else {
            name(out, Rule::NameVnet, &format!("{f}.vnetName"), &rule.vnet_name, names::vnet);
            name(out, Rule::NameSubnet, &format!("{f}.subnetName"), &rule.subnet_name, names::subnet);
            other_group(out, &format!("{f}.resourceGroup"), &rule.resource_group);
            if !rule.subscription_id.is_empty() {
                name(out, Rule::NameSubscription, &format!("{f}.subscriptionId"), &rule.subscription_id, names::guid);
            }
        }
    }
}
