//! The gallery image version wizard's own sections (seed 001): the gallery,
//! image and source on Basics; target regions on Replication; encryption type
//! and, per target region, the disk encryption sets of the OS disk and of each
//! data disk LUN on Encryption.

use leptos::prelude::*;

use super::controls::{CheckField, FieldMessages, NumberField, RadioField, SelectField, Shown, TextField};
use super::rx::{rx, Rows};
use super::state::{t, tf, use_wizard};
use crate::spec::{
    DataDiskEncryption, DataSnapshot, GalleryEncryption, SourceKind, Spec, StorageAccountType, TargetRegion,
};

fn region_mut(s: &mut Spec, i: usize) -> Option<&mut TargetRegion> {
    s.gallery.target_regions.get_mut(i)
}

/// Changes target region `i`, unless the row is being removed (as `set_rule`
/// does for VNet rules).
fn set_region(s: &mut Spec, i: usize, f: impl FnOnce(&mut TargetRegion)) {
    if let Some(r) = region_mut(s, i) {
        f(r);
    }
}

/// Data-disk set `j` of target region `i`, unless a row is being removed.
fn data_des(s: &Spec, i: usize, j: usize) -> Option<&DataDiskEncryption> {
    s.gallery.target_regions.get(i)?.data_disk_encryption_sets.get(j)
}

fn set_data_des(s: &mut Spec, i: usize, j: usize, f: impl FnOnce(&mut DataDiskEncryption)) {
    if let Some(d) = region_mut(s, i).and_then(|r| r.data_disk_encryption_sets.get_mut(j)) {
        f(d);
    }
}

fn region_text(s: &Spec, i: usize, f: fn(&TargetRegion) -> &String) -> String {
    s.gallery.target_regions.get(i).map(f).cloned().unwrap_or_default()
}

/// Which version: its gallery, image definition and version number (to
/// create, or one that exists).
#[component]
pub fn GalleryNames() -> impl IntoView {
    view! {
        <TextField field="gallery.name" required=true label=t("field.gallery.name") get=|s| s.gallery.name.clone() set=|s, v| s.gallery.name = v />
        <TextField
            field="gallery.imageDefinition"
            required=true
            label=t("field.gallery.imageDefinition")
            get=|s| s.gallery.image_definition.clone()
            set=|s, v| s.gallery.image_definition = v
        />
        <TextField
            field="gallery.version"
            required=true
            label=t("field.gallery.version")
            hint="hint.gallery.version"
            placeholder="1.0.0"
            get=|s| s.gallery.version.clone()
            set=|s, v| s.gallery.version = v
        />
    }
}

/// Gallery, image and source, on the Basics tab.
#[component]
pub fn GalleryBasics() -> impl IntoView {
    let wizard = use_wizard();
    let snapshot_count = move || wizard.spec.with(|s| s.gallery.source.data_snapshots.len());
    view! {
        <section aria-labelledby="h-gallery">
            <h2 id="h-gallery">{t("section.gallery")}</h2>
            <GalleryNames />
            <TextField
                field="gallery.endOfLifeDate"
                label=t("field.gallery.endOfLifeDate")
                hint="hint.gallery.endOfLifeDate"
                placeholder="2027-12-31"
                get=|s| s.gallery.end_of_life_date.clone()
                set=|s, v| s.gallery.end_of_life_date = v
            />
            <CheckField
                field="gallery.excludeFromLatest"
                label=t("field.gallery.excludeFromLatest")
                get=|s| s.gallery.exclude_from_latest
                set=|s, v| s.gallery.exclude_from_latest = v
            />
        </section>
        <section aria-labelledby="h-source">
            <h2 id="h-source">{t("section.source")}</h2>
            <RadioField
                field="gallery.source.kind"
                label=t("field.gallery.source.kind")
                options=SourceKind::ALL.iter().map(|k| (k.as_str(), t(&format!("option.source.{}", k.as_str())).to_string())).collect()
                get=|s| s.gallery.source.kind.as_str()
                set=|s, v| {
                    if let Some(k) = SourceKind::ALL.into_iter().find(|k| k.as_str() == v) {
                        s.gallery.source.kind = k;
                    }
                }
            />
            <Shown when=|s| s.gallery.source.kind == SourceKind::ManagedImage>
                <TextField
                    field="gallery.source.managedImageId"
                    label=t("field.gallery.source.managedImageId")
                    placeholder="/subscriptions/…/providers/Microsoft.Compute/images/NAME"
                    get=|s| s.gallery.source.managed_image_id.clone()
                    set=|s, v| s.gallery.source.managed_image_id = v
                />
            </Shown>
            <Shown when=|s| s.gallery.source.kind == SourceKind::VirtualMachine>
                <TextField
                    field="gallery.source.virtualMachineId"
                    label=t("field.gallery.source.virtualMachineId")
                    get=|s| s.gallery.source.virtual_machine_id.clone()
                    set=|s, v| s.gallery.source.virtual_machine_id = v
                />
            </Shown>
            <Shown when=|s| s.gallery.source.kind == SourceKind::Snapshots>
                <TextField
                    field="gallery.source.osSnapshotId"
                    label=t("field.gallery.source.osSnapshotId")
                    get=|s| s.gallery.source.os_snapshot_id.clone()
                    set=|s, v| s.gallery.source.os_snapshot_id = v
                />
                <FieldMessages field="gallery.source.dataSnapshots" />
                <Rows count=snapshot_count row=move |i| view! {
                    <div class="row">
                        <NumberField
                            field=format!("gallery.source.dataSnapshots[{i}].lun")
                            label=tf("field.dataSnapshot.lun", &[("n", (i + 1).to_string())])
                            get=move |s| s.gallery.source.data_snapshots.get(i).map_or(0, |d| d.lun)
                            set=move |s, v| {
                                if let Some(d) = s.gallery.source.data_snapshots.get_mut(i) {
                                    d.lun = v;
                                }
                            }
                        />
                        <TextField
                            field=format!("gallery.source.dataSnapshots[{i}].snapshotId")
                            label=tf("field.dataSnapshot.snapshotId", &[("n", (i + 1).to_string())])
                            get=move |s| s.gallery.source.data_snapshots.get(i).map(|d| d.snapshot_id.clone()).unwrap_or_default()
                            set=move |s, v| {
                                if let Some(d) = s.gallery.source.data_snapshots.get_mut(i) {
                                    d.snapshot_id = v;
                                }
                            }
                        />
                        <button
                            type="button"
                            class="remove"
                            aria-label=tf("action.remove-data-snapshot", &[("n", (i + 1).to_string())])
                            on:click=move |_| {
                                wizard
                                    .edit(|s| {
                                        if i < s.gallery.source.data_snapshots.len() {
                                            s.gallery.source.data_snapshots.remove(i);
                                        }
                                    })
                            }
                        >
                            {t("action.remove")}
                        </button>
                    </div>
                } />
                <button
                    type="button"
                    id="add-data-snapshot"
                    on:click=move |_| {
                        wizard
                            .edit(|s| {
                                // The next free LUN, so that a new row is valid at once.
                                let lun = s.gallery.source.data_snapshots.iter().map(|d| d.lun + 1).max().unwrap_or(0);
                                s.gallery.source.data_snapshots.push(DataSnapshot { lun, ..Default::default() });
                            })
                    }
                >
                    {t("action.add-data-snapshot")}
                </button>
            </Shown>
        </section>
    }
}

/// Target regions: where the version is replicated.
#[component]
pub fn Replication() -> impl IntoView {
    let wizard = use_wizard();
    let count = move || wizard.spec.with(|s| s.gallery.target_regions.len());
    view! {
        <section aria-labelledby="h-regions">
            <h2 id="h-regions">{t("section.target-regions")}</h2>
            <p class="hint">{t("hint.target-regions")}</p>
            <FieldMessages field="gallery.targetRegions" />
            <Rows count=count row=move |i| view! {
                <fieldset class="group">
                    <legend>{tf("field.targetRegion", &[("n", (i + 1).to_string())])}</legend>
                    <div class="row">
                        <TextField
                            field=format!("gallery.targetRegions[{i}].region")
                            required=true
                            label=t("field.targetRegion.region")
                            list="regions"
                            get=move |s| region_text(s, i, |r| &r.region)
                            set=move |s, v| set_region(s, i, |r| r.region = v)
                        />
                        <NumberField
                            field=format!("gallery.targetRegions[{i}].replicaCount")
                            label=t("field.targetRegion.replicaCount")
                            get=move |s| s.gallery.target_regions.get(i).map_or(1, |r| r.replica_count)
                            set=move |s, v| set_region(s, i, |r| r.replica_count = v)
                        />
                        <SelectField
                            field=format!("gallery.targetRegions[{i}].storageAccountType")
                            label=t("field.targetRegion.storageAccountType")
                            options=StorageAccountType::ALL.iter().map(|k| (k.as_str(), k.as_str().to_string())).collect()
                            get=move |s| s.gallery.target_regions.get(i).map_or("Standard_LRS", |r| r.storage_account_type.as_str())
                            set=move |s, v| {
                                let kind = StorageAccountType::ALL.into_iter().find(|k| k.as_str() == v);
                                if let (Some(r), Some(kind)) = (region_mut(s, i), kind) {
                                    r.storage_account_type = kind;
                                }
                            }
                        />
                    </div>
                    <button
                        type="button"
                        class="remove"
                        on:click=move |_| {
                            wizard
                                .edit(|s| {
                                    if i < s.gallery.target_regions.len() {
                                        s.gallery.target_regions.remove(i);
                                    }
                                })
                        }
                    >
                        {tf("action.remove-target-region", &[("n", (i + 1).to_string())])}
                    </button>
                </fieldset>
            } />
            <button
                type="button"
                id="add-target-region"
                on:click=move |_| wizard.edit(|s| s.gallery.target_regions.push(TargetRegion::default()))
            >
                {t("action.add-target-region")}
            </button>
        </section>
    }
}

/// Encryption type, and the disk encryption sets of each target region.
#[component]
pub fn GalleryEncryptionTab() -> impl IntoView {
    let wizard = use_wizard();
    let count = move || wizard.spec.with(|s| s.gallery.target_regions.len());
    view! {
        <RadioField
            field="gallery.encryption"
            label=t("field.gallery.encryption")
            options=GalleryEncryption::ALL.iter().map(|e| (e.as_str(), t(&format!("option.gallery.{}", e.as_str())).to_string())).collect()
            get=|s| s.gallery.encryption.as_str()
            set=|s, v| {
                if let Some(e) = GalleryEncryption::ALL.into_iter().find(|e| e.as_str() == v) {
                    s.gallery.encryption = e;
                }
            }
        />
        <Shown when=|s| s.gallery.encryption.uses_des()>
            <p class="hint">{t("hint.gallery.des")}</p>
            <Rows count=count row=move |i| view! {
                <RegionEncryption i=i />
            } />
        </Shown>
        // A version that exists was made without it or after it.
        <Shown when=|s| !s.is_change()>
            <CheckField
                field="gallery.registerPreviewFeature"
                label=t("field.gallery.registerPreviewFeature")
                get=|s| s.gallery.register_preview_feature
                set=|s, v| s.gallery.register_preview_feature = v
            />
        </Shown>
    }
}

#[component]
fn RegionEncryption(i: usize) -> impl IntoView {
    let wizard = use_wizard();
    let path = format!("gallery.targetRegions[{i}]");
    let data_count =
        move || wizard.spec.with(|s| s.gallery.target_regions.get(i).map_or(0, |r| r.data_disk_encryption_sets.len()));
    let legend = move || {
        let region = wizard.spec.with(|s| region_text(s, i, |r| &r.region));
        tf("field.regionEncryption", &[("n", (i + 1).to_string()), ("region", region)])
    };
    view! {
        <fieldset class="group">
            <legend>{rx(legend)}</legend>
            <TextField
                field=format!("{path}.osDiskEncryptionSetId")
                label=t("field.osDiskEncryptionSetId")
                placeholder="/subscriptions/…/providers/Microsoft.Compute/diskEncryptionSets/NAME"
                get=move |s| region_text(s, i, |r| &r.os_disk_encryption_set_id)
                set=move |s, v| set_region(s, i, |r| r.os_disk_encryption_set_id = v)
            />
            <FieldMessages field=format!("{path}.dataDiskEncryptionSets") />
            <Rows count=data_count row=move |j| view! {
                <div class="row">
                    <NumberField
                        field=format!("gallery.targetRegions[{i}].dataDiskEncryptionSets[{j}].lun")
                        label=tf("field.dataDes.lun", &[("n", (j + 1).to_string())])
                        get=move |s| data_des(s, i, j).map_or(0, |d| d.lun)
                        set=move |s, v| set_data_des(s, i, j, |d| d.lun = v)
                    />
                    <TextField
                        field=format!("gallery.targetRegions[{i}].dataDiskEncryptionSets[{j}].diskEncryptionSetId")
                        label=tf("field.dataDes.id", &[("n", (j + 1).to_string())])
                        get=move |s| data_des(s, i, j).map(|d| d.disk_encryption_set_id.clone()).unwrap_or_default()
                        set=move |s, v| set_data_des(s, i, j, |d| d.disk_encryption_set_id = v)
                    />
                    <button
                        type="button"
                        class="remove"
                        aria-label=tf("action.remove-data-des", &[("n", (j + 1).to_string())])
                        on:click=move |_| {
                            wizard
                                .edit(|s| {
                                    if let Some(r) = region_mut(s, i) {
                                        if j < r.data_disk_encryption_sets.len() {
                                            r.data_disk_encryption_sets.remove(j);
                                        }
                                    }
                                })
                        }
                    >
                        {t("action.remove")}
                    </button>
                </div>
            } />
            <button
                type="button"
                id=format!("add-data-des-{i}")
                on:click=move |_| {
                    wizard
                        .edit(|s| {
                            // Offer the first source LUN this region has no set for.
                            let source: Vec<u32> = s.gallery.source.data_snapshots.iter().map(|d| d.lun).collect();
                            if let Some(r) = region_mut(s, i) {
                                let taken: Vec<u32> = r.data_disk_encryption_sets.iter().map(|d| d.lun).collect();
                                let lun = source
                                    .into_iter()
                                    .find(|l| !taken.contains(l))
                                    .unwrap_or_else(|| taken.iter().map(|l| l + 1).max().unwrap_or(0));
                                r.data_disk_encryption_sets.push(DataDiskEncryption { lun, ..Default::default() });
                            }
                        })
                }
            >
                {t("action.add-data-des")}
            </button>
        </fieldset>
    }
}
