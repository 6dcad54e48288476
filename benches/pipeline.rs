//! How long the pipeline takes: rules, plan and every emitter, on every
//! example and on the largest specs the rules accept (200 IP rules, 100
//! subnet rules and 50 tags; a gallery version in 30 regions with 16
//! data-disk LUNs). `cargo bench --bench pipeline` prints a median per step;
//! numbers are reported in notes, never asserted (machines differ).

use std::time::{Duration, Instant};

use registry_wizard::emit::{self, Format};
use registry_wizard::examples::EXAMPLES;
use registry_wizard::spec::{DataDiskEncryption, DataSnapshot, SourceKind, Spec, TargetRegion, VnetRule};
use registry_wizard::{plan, rules, spec_json};

/// Median time of `f` over as many runs as fit in about 200 ms (at least 5).
fn median(mut f: impl FnMut()) -> Duration {
    let mut times = Vec::new();
    let start = Instant::now();
    while times.len() < 5 || (start.elapsed() < Duration::from_millis(200) && times.len() < 10_000) {
        let t = Instant::now();
        f();
        times.push(t.elapsed());
    }
    times.sort();
    times[times.len() / 2]
}

fn largest_registry() -> Spec {
    let mut spec = spec_json::from_json(registry_wizard::examples::find("cmk-user-assigned").unwrap().json).unwrap();
    let net = &mut spec.registry.networking;
    net.public_access = registry_wizard::spec::PublicAccess::SelectedNetworks;
    net.allow_trusted_services = false;
    net.ip_rules = (0..200).map(|i| format!("203.0.{}.{}", i / 100, i % 100 + 1)).collect();
    net.vnet_rules = (0..100)
        .map(|i| VnetRule {
            subnet_id: format!(
                "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet{i}/subnets/snet{i}"
            ),
            add_service_endpoint: false,
            ..VnetRule::default()
        })
        .collect();
    spec.tags.0 = (0..50).map(|i| (format!("tag{i}"), format!("value {i}"))).collect();
    spec
}

fn largest_gallery() -> Spec {
    let mut spec = spec_json::from_json(registry_wizard::examples::find("gallery-snapshots").unwrap().json).unwrap();
    let sub = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Compute";
    let g = &mut spec.gallery;
    g.source.kind = SourceKind::Snapshots;
    g.source.data_snapshots =
        (0..16).map(|lun| DataSnapshot { lun, snapshot_id: format!("{sub}/snapshots/data{lun}") }).collect();
    let regions = [
        "eastus",
        "eastus2",
        "westus",
        "westus2",
        "westus3",
        "centralus",
        "northcentralus",
        "southcentralus",
        "westcentralus",
        "canadacentral",
        "canadaeast",
        "brazilsouth",
        "northeurope",
        "westeurope",
        "uksouth",
        "ukwest",
        "francecentral",
        "germanywestcentral",
        "swedencentral",
        "switzerlandnorth",
        "norwayeast",
        "koreacentral",
        "koreasouth",
        "japaneast",
        "japanwest",
        "eastasia",
        "southeastasia",
        "australiaeast",
        "centralindia",
        "uaenorth",
    ];
    g.target_regions = regions
        .iter()
        .map(|r| TargetRegion {
            region: r.to_string(),
            os_disk_encryption_set_id: format!("{sub}/diskEncryptionSets/des-{r}"),
            data_disk_encryption_sets: (0..16)
                .map(|lun| DataDiskEncryption {
                    lun,
                    disk_encryption_set_id: format!("{sub}/diskEncryptionSets/des-{r}-{lun}"),
                })
                .collect(),
            ..TargetRegion::default()
        })
        .collect();
    spec.location = "eastus".into();
    spec
}

fn main() {
    let mut specs: Vec<(String, Spec)> =
        EXAMPLES.iter().map(|e| (e.name.to_string(), spec_json::from_json(e.json).unwrap())).collect();
    specs.push(("largest registry (200 IP, 100 subnets, 50 tags)".into(), largest_registry()));
    specs.push(("largest gallery (30 regions x 16 LUNs)".into(), largest_gallery()));
    println!(
        "{:<52} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "spec (median µs)", "rules", "plan", "azcli", "pwsh", "arm", "all"
    );
    for (name, spec) in &specs {
        let findings = rules::check(spec);
        let errors: Vec<&str> =
            findings.iter().filter(|f| f.severity() == rules::Severity::Error).map(|f| f.rule.id()).collect();
        assert!(errors.is_empty(), "{name}: {errors:?}");
        let us = |d: Duration| d.as_secs_f64() * 1e6;
        let r = median(|| {
            std::hint::black_box(rules::check(spec));
        });
        let p = median(|| {
            std::hint::black_box(plan::plan_checked(spec, &findings));
        });
        let plan = plan::plan_checked(spec, &findings).unwrap();
        let e = |format: Format| {
            median(|| {
                std::hint::black_box(emit::emit_plan(&plan, spec, format));
            })
        };
        let (b, ps, arm) = (e(Format::AzCli), e(Format::PowerShell), e(Format::Arm));
        // What a keystroke costs in the wizard: rules once, then the shown output.
        let all = median(|| {
            let f = rules::check(spec);
            std::hint::black_box(emit::emit_checked(spec, &f, Format::AzCli));
        });
        println!(
            "{name:<52} {:>9.1} {:>9.1} {:>9.1} {:>9.1} {:>9.1} {:>9.1}",
            us(r),
            us(p),
            us(b),
            us(ps),
            us(arm),
            us(all)
        );
    }
}
