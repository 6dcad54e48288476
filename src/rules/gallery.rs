//! Gallery image version rules (seed 001 and current Azure): names and IDs,
//! target regions, disk encryption sets per region and per data-disk LUN.

use std::collections::{BTreeMap, BTreeSet};

use super::naming::{name, printable};
use super::{Finding, Rule};
use crate::names::{self, Problem};
use crate::spec::{GalleryEncryption, SourceKind, Spec, StorageAccountType};

const DES_SHAPE: &str = "shape.des-id";

fn des_id(value: &str) -> Result<names::ResourceId<'_>, Problem> {
    names::parse_resource_id(value, "Microsoft.Compute", "diskEncryptionSets", DES_SHAPE)
}

/// A region name hidden in a DES name (`EastUS2DiskEncryptionSet1` mentions
/// `eastus2`): the longest known or target region that appears in it.
fn region_in_name<'a>(des_name: &str, regions: &'a [String]) -> Option<&'a str> {
    let lower = des_name.to_ascii_lowercase();
    let known = names::KNOWN_REGIONS.iter().copied();
    known
        .chain(regions.iter().map(|r| r.as_str()))
        .filter(|r| !r.is_empty() && lower.contains(r))
        .max_by_key(|r| r.len())
}

pub(super) fn check(spec: &Spec, out: &mut Vec<Finding>) {
    let g = &spec.gallery;
    name(out, Rule::NameGallery, "gallery.name", &g.name, names::gallery);
    name(out, Rule::NameImageDefinition, "gallery.imageDefinition", &g.image_definition, names::image_definition);
    name(out, Rule::NameImageVersion, "gallery.version", &g.version, names::image_version);
    if !g.end_of_life_date.is_empty() {
        name(out, Rule::NameEndOfLife, "gallery.endOfLifeDate", &g.end_of_life_date, names::date);
    }
    source(spec, out);
    regions(spec, out, true);
    let source_luns = (g.source.kind == SourceKind::Snapshots).then(|| g.source.data_snapshots.iter().map(|d| d.lun).collect());
    encryption(spec, out, source_luns, true);
    if g.register_preview_feature {
        out.push(Finding::new(Rule::GalPreviewFeature, "gallery.registerPreviewFeature"));
    }
}

fn source(spec: &Spec, out: &mut Vec<Finding>) {
    let s = &spec.gallery.source;
    let id = |out: &mut Vec<Finding>, field: &str, value: &str, kind: &str, shape: &'static str| {
        name(out, Rule::NameSourceId, field, value, |v| {
            names::parse_resource_id(v, "Microsoft.Compute", kind, shape).err()
        })
    };
    match s.kind {
        SourceKind::ManagedImage => {
            id(out, "gallery.source.managedImageId", &s.managed_image_id, "images", "shape.image-id")
        }
        SourceKind::VirtualMachine => {
            id(out, "gallery.source.virtualMachineId", &s.virtual_machine_id, "virtualMachines", "shape.vm-id");
            if spec.gallery.encryption.uses_des() {
                out.push(Finding::new(Rule::GalVmSource, "gallery.source.kind"));
            }
        }
        SourceKind::Snapshots => {
            id(out, "gallery.source.osSnapshotId", &s.os_snapshot_id, "snapshots", "shape.snapshot-id");
            let mut seen = BTreeSet::new();
            for (i, d) in s.data_snapshots.iter().enumerate() {
                let f = format!("gallery.source.dataSnapshots[{i}]");
                id(out, &format!("{f}.snapshotId"), &d.snapshot_id, "snapshots", "shape.snapshot-id");
                lun_range(out, &format!("{f}.lun"), d.lun);
                if !seen.insert(d.lun) {
                    out.push(Finding::new(Rule::GalLunDuplicate, format!("{f}.lun")).arg("lun", d.lun.to_string()));
                }
            }
        }
    }
}

/// Data disk LUNs are 0-63 on Azure VMs.
fn lun_range(out: &mut Vec<Finding>, field: &str, lun: u32) {
    if lun > 63 {
        out.push(Finding::new(Rule::GalLunMax, field).arg("lun", lun.to_string()));
    }
}

/// The target regions of `gallery.targetRegions`: every region a version is
/// created in, or (`create` false) the regions added to one that exists.
pub(super) fn regions(spec: &Spec, out: &mut Vec<Finding>, create: bool) {
    let g = &spec.gallery;
    if g.target_regions.is_empty() {
        out.push(Finding::new(Rule::GalNoTargetRegion, "gallery.targetRegions"));
        return;
    }
    let mut seen = BTreeSet::new();
    for (i, r) in g.target_regions.iter().enumerate() {
        let f = format!("gallery.targetRegions[{i}]");
        name(out, Rule::NameRegion, &format!("{f}.region"), &r.region, names::location);
        if !r.region.is_empty() && !seen.insert(r.region.as_str()) {
            out.push(Finding::new(Rule::GalRegionDuplicate, format!("{f}.region")).arg("region", r.region.clone()));
        }
        if r.replica_count == 0 || r.replica_count > 100 {
            out.push(
                Finding::new(Rule::GalReplicaCount, format!("{f}.replicaCount"))
                    .arg("count", r.replica_count.to_string()),
            );
        }
        if r.storage_account_type == StorageAccountType::StandardZrs {
            out.push(Finding::new(Rule::GalZrsRegion, format!("{f}.storageAccountType")));
        }
    }
    if create && !spec.location.is_empty() && !g.target_regions.iter().any(|r| r.region == spec.location) {
        out.push(Finding::new(Rule::GalHomeRegion, "gallery.targetRegions").arg("location", spec.location.clone()));
    }
}

/// The disk encryption sets of every target region; `luns` are the data
/// disks' LUNs when they are known (the snapshots a version is made of, or
/// the version's own), which each region must encrypt.
pub(super) fn encryption(spec: &Spec, out: &mut Vec<Finding>, source_luns: Option<BTreeSet<u32>>, create: bool) {
    let g = &spec.gallery;
    if !g.encryption.uses_des() {
        let any_des = g
            .target_regions
            .iter()
            .any(|r| !r.os_disk_encryption_set_id.is_empty() || !r.data_disk_encryption_sets.is_empty());
        if any_des {
            out.push(Finding::new(Rule::GalDesIgnored, "gallery.encryption"));
        }
        return;
    }
    if create {
        out.push(Finding::new(Rule::GalNoCopyShare, "gallery.encryption"));
        out.push(Finding::new(Rule::GalIrreversible, "gallery.encryption"));
        if g.encryption == GalleryEncryption::PlatformAndCustomerKeys {
            out.push(Finding::new(Rule::GalDoubleEncryption, "gallery.encryption"));
        }
        out.push(Finding::new(Rule::GalVmFollowUp, "gallery.encryption"));
    }
    out.push(Finding::new(Rule::GalDesChecked, "gallery.encryption"));

    let regions: Vec<String> = g.target_regions.iter().map(|r| r.region.clone()).collect();
    // DES ID (lowercase) -> the first region that uses it. A map, not a list:
    // 30 regions x 16 LUNs are 510 sets, and a list made this quadratic
    // (4.7 ms a keystroke on the largest spec).
    let mut used: BTreeMap<String, usize> = BTreeMap::new();
    for (i, r) in g.target_regions.iter().enumerate() {
        let f = format!("gallery.targetRegions[{i}]");
        let mut check_des = |out: &mut Vec<Finding>, field: String, value: &str| match des_id(value) {
            Err(problem) => out.push(Finding {
                problem: Some(problem),
                ..Finding::new(Rule::NameDesId, field).arg("value", printable(value))
            }),
            Ok(id) => {
                if !spec.subscription_id.is_empty() && !id.subscription.eq_ignore_ascii_case(&spec.subscription_id) {
                    out.push(
                        Finding::new(Rule::GalDesSubscription, field.clone())
                            .arg("subscription", id.subscription.to_string())
                            .arg("image_subscription", spec.subscription_id.clone()),
                    );
                }
                if let Some(other) = region_in_name(id.name, &regions) {
                    if other != r.region {
                        out.push(
                            Finding::new(Rule::GalDesRegionName, field.clone())
                                .arg("name", id.name.to_string())
                                .arg("other", other.to_string())
                                .arg("region", r.region.clone()),
                        );
                    }
                }
                let first = *used.entry(value.to_ascii_lowercase()).or_insert(i);
                if first != i {
                    out.push(
                        Finding::new(Rule::GalDesRegional, field)
                            .arg("name", id.name.to_string())
                            .arg("first", regions[first].clone())
                            .arg("region", r.region.clone()),
                    );
                }
            }
        };
        if r.os_disk_encryption_set_id.is_empty() {
            out.push(
                Finding::new(Rule::GalOsDesMissing, format!("{f}.osDiskEncryptionSetId"))
                    .arg("region", r.region.clone()),
            );
        } else {
            check_des(out, format!("{f}.osDiskEncryptionSetId"), &r.os_disk_encryption_set_id);
        }
        let mut luns = BTreeSet::new();
        for (j, d) in r.data_disk_encryption_sets.iter().enumerate() {
            let df = format!("{f}.dataDiskEncryptionSets[{j}]");
            lun_range(out, &format!("{df}.lun"), d.lun);
            if !luns.insert(d.lun) {
                out.push(Finding::new(Rule::GalLunDuplicate, format!("{df}.lun")).arg("lun", d.lun.to_string()));
            }
            if let Some(source) = &source_luns {
                if !source.contains(&d.lun) {
                    out.push(Finding::new(Rule::GalLunUnknown, format!("{df}.lun")).arg("lun", d.lun.to_string()));
                }
            }
            check_des(out, format!("{df}.diskEncryptionSetId"), &d.disk_encryption_set_id);
        }
        if let Some(source) = &source_luns {
            for lun in source.difference(&luns) {
                out.push(
                    Finding::new(Rule::GalLunUnencrypted, format!("{f}.dataDiskEncryptionSets"))
                        .arg("lun", lun.to_string())
                        .arg("region", r.region.clone()),
                );
            }
        }
    }
}
