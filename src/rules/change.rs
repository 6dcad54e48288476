//! Rules of day-2 operations: what the operation needs from the registry as
//! it is (a customer-managed key to rotate, Premium for network rules), what
//! it takes away (acknowledged before any code is shown), and the values it
//! sends to Azure.

use super::naming::name;
use super::{Finding, Rule};
use crate::names;
use crate::spec::{KeyIdentity, Kind, Operation, PermissionModel, RevokeMethod, RoleAssignmentMode, Sku, Spec};

const E: &str = "change.existing";

pub(super) fn check(spec: &Spec, out: &mut Vec<Finding>) {
    let change = &spec.change;
    let existing = &change.existing;
    let op = change.operation;
    // The operation changes what "What to deploy" says: a registry, or an
    // image version.
    if op.on_gallery() != (spec.kind == Kind::GalleryImageVersion) {
        out.push(Finding::new(Rule::ChangeKind, "change.operation").arg("operation", op.as_str()));
        return;
    }
    if op.on_gallery() {
        gallery_add_regions(spec, out);
        return;
    }
    name(out, Rule::NameRegistry, "registry.name", &spec.registry.name, names::registry);

    let needs_key = op.acts_on_key();
    let needs_premium = needs_key || matches!(op, Operation::AddNetworkRules | Operation::TrustedServices);
    if needs_premium && existing.sku != Sku::Premium {
        out.push(Finding::new(Rule::ChangeNeedsPremium, format!("{E}.sku")).arg("sku", existing.sku.as_str()));
    }
    if needs_key {
        key_operation(spec, out);
    }
    // What the registry reports is shown and left as it is.
    if existing.zone_redundancy.eq_ignore_ascii_case("enabled") {
        out.push(Finding::new(Rule::ChangeZoneRedundancy, format!("{E}.zoneRedundancy")));
    }

    if op.is_destructive(spec.registry.networking.allow_trusted_services) && !change.acknowledged {
        out.push(Finding::new(Rule::ChangeAcknowledge, "change.acknowledged"));
    }

    match op {
        Operation::RevokeKeyAccess => {
            out.push(Finding::new(Rule::ChangeRevokeBlocks, "change.revoke"));
            if change.revoke == RevokeMethod::DisableKey {
                out.push(Finding::new(Rule::ChangeDisableKeyWide, "change.revoke"));
            }
        }
        Operation::AutoRotation => {
            for (field, value) in [
                ("expiryTime", &change.rotation_policy.expiry_time),
                ("rotateBeforeExpiry", &change.rotation_policy.rotate_before_expiry),
                ("notifyBeforeExpiry", &change.rotation_policy.notify_before_expiry),
            ] {
                name(out, Rule::ChangeDuration, &format!("change.rotationPolicy.{field}"), value, iso_duration);
            }
            out.push(Finding::new(Rule::ChangeAutoRotation, "change.rotationPolicy.expiryTime"));
        }
        Operation::SystemIdentityVaultFirewall => {
            out.push(Finding::new(Rule::CmkFirewallOrder, "registry.encryption.keyVault.firewall"));
        }
        Operation::TrustedServices => {
            let field = "registry.networking.allowTrustedServices";
            if !spec.registry.networking.allow_trusted_services {
                out.push(Finding::new(Rule::ChangeTrustedOff, field));
            }
            out.push(Finding::new(Rule::ChangeTrustedCovers, field));
        }
        Operation::TrustedServiceTask => {
            let task = &change.task;
            name(out, Rule::ChangeTaskName, "change.task.name", &task.name, task_name);
            name(out, Rule::ChangeTaskText, "change.task.image", &task.image, plain_text);
            name(out, Rule::ChangeTaskText, "change.task.context", &task.context, plain_text);
            out.push(Finding::new(Rule::TrustedSystemIdentity, "change.task.role"));
            out.push(Finding::new(Rule::ChangeTaskBypass, "change.existing.tasksBypass"));
            if existing.role_assignment_mode == RoleAssignmentMode::Abac {
                out.push(
                    Finding::new(Rule::ChangeTaskAbac, "change.existing.roleAssignmentMode")
                        .arg("role", task.role.role_name(RoleAssignmentMode::Abac)),
                );
            }
        }
        Operation::AddNetworkRules => {
            super::naming::network_names(spec, out);
            let net = &spec.registry.networking;
            if net.ip_rules.is_empty() && net.vnet_rules.is_empty() {
                out.push(Finding::new(Rule::ChangeNoRules, "registry.networking.ipRules"));
            }
        }
        Operation::ShowStatus => out.push(Finding::new(Rule::ChangeReadOnly, "change.operation")),
        Operation::RestoreDefaultAccess => {
            for (i, rule) in existing.ip_rules.iter().enumerate() {
                name(out, Rule::NameIpRule, &format!("{E}.ipRules[{i}]"), rule, names::ipv4_or_cidr);
            }
            for (i, id) in existing.vnet_rules.iter().enumerate() {
                name(out, Rule::NameSubnetId, &format!("{E}.vnetRules[{i}]"), id, |v| names::parse_subnet_id(v).err());
            }
            out.push(Finding::new(Rule::ChangeRestoreOpens, "change.operation"));
        }
        _ => {}
    }
}

/// More target regions for an image version that exists: the create rules of
/// regions and their disk encryption sets, against the regions and data disks
/// the version has.
fn gallery_add_regions(spec: &Spec, out: &mut Vec<Finding>) {
    let g = &spec.gallery;
    let existing = &spec.change.existing;
    name(out, Rule::NameGallery, "gallery.name", &g.name, names::gallery);
    name(out, Rule::NameImageDefinition, "gallery.imageDefinition", &g.image_definition, names::image_definition);
    name(out, Rule::NameImageVersion, "gallery.version", &g.version, names::image_version);
    if spec.change.operation == Operation::GalleryShowStatus {
        out.push(Finding::new(Rule::ChangeGalleryReadOnly, "change.operation"));
        return;
    }
    super::gallery::regions(spec, out, false);
    for (i, r) in g.target_regions.iter().enumerate() {
        if existing.target_regions.iter().any(|have| have.eq_ignore_ascii_case(&r.region)) {
            out.push(
                Finding::new(Rule::ChangeGalleryRegionExists, format!("gallery.targetRegions[{i}].region"))
                    .arg("region", r.region.clone()),
            );
        }
    }
    for (i, region) in existing.target_regions.iter().enumerate() {
        name(out, Rule::NameRegion, &format!("{E}.targetRegions[{i}]"), region, names::location);
    }
    let luns = existing.data_disk_luns.iter().copied().collect();
    super::gallery::encryption(spec, out, Some(luns), false);
    out.push(Finding::new(Rule::ChangeGalleryAddRegions, "gallery.targetRegions"));
}

/// Operations on the registry's key: it must have one, the key and vault
/// must be named right, and the identity must be one the registry can use.
fn key_operation(spec: &Spec, out: &mut Vec<Finding>) {
    let change = &spec.change;
    let existing = &change.existing;
    if !existing.has_cmk() {
        // A Microsoft-managed key cannot be rotated or revoked, and a
        // customer-managed key cannot be added after creation.
        out.push(Finding::new(Rule::ChangeNoCmk, format!("{E}.keyUri")));
        return;
    }
    name(out, Rule::NameKeyUri, &format!("{E}.keyUri"), &existing.key_uri, |v| names::parse_key_uri(v).err());
    if !existing.uses_system_identity() {
        name(out, Rule::NameSubscription, &format!("{E}.keyIdentity"), &existing.key_identity, names::guid);
    }
    let vault = &spec.registry.encryption.key_vault;
    name(out, Rule::NameKeyVault, "registry.encryption.keyVault.name", &vault.name, names::key_vault);
    if !vault.resource_group.is_empty() {
        name(
            out,
            Rule::NameResourceGroup,
            "registry.encryption.keyVault.resourceGroup",
            &vault.resource_group,
            names::resource_group,
        );
    }
    let target = if change.operation == Operation::RotateKey && !change.key_id.is_empty() {
        name(out, Rule::NameKeyUri, "change.keyId", &change.key_id, |v| names::parse_key_uri(v).err());
        change.key_id.as_str()
    } else {
        existing.key_uri.as_str()
    };
    // Grants and key versions are made in the key's vault.
    if let Ok(uri) = names::parse_key_uri(target) {
        if !uri.vault.eq_ignore_ascii_case(&vault.name) && names::key_vault(&vault.name).is_none() {
            out.push(
                Finding::new(Rule::CmkKeyVaultMismatch, "registry.encryption.keyVault.name")
                    .arg("key_vault", uri.vault)
                    .arg("vault", vault.name.as_str()),
            );
        }
        if uri.managed_hsm {
            out.push(Finding::new(Rule::CmkManagedHsm, "change.keyId"));
        }
    }
    if change.operation == Operation::RotateKey {
        if change.identity == KeyIdentity::UserAssigned {
            name(out, Rule::ChangeIdentityId, "change.identityId", &change.identity_id, |v| {
                names::parse_resource_id(v, "Microsoft.ManagedIdentity", "userAssignedIdentities", "shape.identity-id")
                    .err()
            });
        }
        let rule = if change.versionless { Rule::CmkKeyVersionless } else { Rule::CmkKeyVersioned };
        out.push(Finding::new(rule, "change.versionless"));
    }
    if vault.permission_model == PermissionModel::AccessPolicy && change.identity == KeyIdentity::System {
        out.push(Finding::new(Rule::CmkKeyPermissions, "registry.encryption.keyVault.permissionModel"));
    }
}

/// ISO 8601 durations as Key Vault's rotation policy takes them: `P` then
/// years, months, days (`P1Y`, `P30D`, `P1Y6M`), or weeks (`P4W`).
fn iso_duration(value: &str) -> Option<names::Problem> {
    let shape = names::Problem::Shape { expected: "shape.duration" };
    let Some(rest) = value.strip_prefix('P').filter(|r| !r.is_empty()) else {
        return Some(shape);
    };
    let mut digits = 0;
    let mut units = String::new();
    for c in rest.chars() {
        match c {
            '0'..='9' => digits += 1,
            'Y' | 'M' | 'D' | 'W' if digits > 0 => {
                units.push(c);
                digits = 0;
            }
            _ => return Some(shape),
        }
    }
    let ordered = ["Y", "M", "D", "YM", "YD", "MD", "YMD", "W"].contains(&units.as_str());
    (digits != 0 || !ordered).then_some(shape)
}

/// ACR task names: 5-50 letters, digits, hyphens and underscores (the
/// `registries/tasks` resource schema, 2025-03-01-preview; the CLI does not
/// check them itself).
fn task_name(value: &str) -> Option<names::Problem> {
    use names::Problem;
    let len = value.chars().count();
    if value.is_empty() {
        return Some(Problem::Empty);
    }
    if let Some(c) = value.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))) {
        return Some(Problem::BadChar(c));
    }
    if len < 5 {
        return Some(Problem::TooShort { len, min: 5 });
    }
    if len > 50 {
        return Some(Problem::TooLong { len, max: 50 });
    }
    None
}

/// Free text that reaches a command line: one line, printable.
fn plain_text(value: &str) -> Option<names::Problem> {
    use names::Problem;
    if value.is_empty() {
        return Some(Problem::Empty);
    }
    value.chars().find(|c| c.is_control()).map(Problem::BadChar)
}
