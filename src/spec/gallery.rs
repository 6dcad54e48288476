//! A gallery image version (Azure Compute Gallery, formerly Shared Image
//! Gallery) whose disks are encrypted with disk encryption sets (seed 001).
//!
//! The gallery and the image definition already exist (creating a definition
//! needs OS type, generation and publisher/offer/SKU, which belong to another
//! tool); this spec publishes one version of it, replicated to target regions,
//! each with its own disk encryption sets.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct Gallery {
    /// Name of the existing gallery.
    pub name: String,
    /// Name of the existing image definition in the gallery.
    pub image_definition: String,
    /// `MAJOR.MINOR.PATCH`, each a 32-bit integer.
    pub version: String,
    pub source: ImageSource,
    /// `YYYY-MM-DD`, or empty for none.
    pub end_of_life_date: String,
    /// VMs that ask for `latest` do not get this version.
    pub exclude_from_latest: bool,
    pub encryption: GalleryEncryption,
    /// Where the version is replicated; the first is usually the spec's location.
    pub target_regions: Vec<TargetRegion>,
    /// Register the `SIGEncryption` preview feature first (historic: the
    /// feature is generally available; kept as an optional step).
    pub register_preview_feature: bool,
}

impl Default for Gallery {
    fn default() -> Self {
        Gallery {
            name: String::new(),
            image_definition: String::new(),
            version: "1.0.0".into(),
            source: ImageSource::default(),
            end_of_life_date: String::new(),
            exclude_from_latest: false,
            encryption: GalleryEncryption::CustomerKey,
            target_regions: vec![TargetRegion::default()],
            register_preview_feature: false,
        }
    }
}

/// What the version is made from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
#[derive(Default)]
pub struct ImageSource {
    pub kind: SourceKind,
    /// Resource ID of a managed image (`.../providers/Microsoft.Compute/images/NAME`).
    pub managed_image_id: String,
    /// Resource ID of the OS disk snapshot.
    pub os_snapshot_id: String,
    /// Data disk snapshots, each with the LUN it gets in the image.
    pub data_snapshots: Vec<DataSnapshot>,
    /// Resource ID of a virtual machine.
    pub virtual_machine_id: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum SourceKind {
    #[default]
    ManagedImage,
    Snapshots,
    VirtualMachine,
}

impl SourceKind {
    pub const ALL: [SourceKind; 3] = [SourceKind::ManagedImage, SourceKind::Snapshots, SourceKind::VirtualMachine];
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::ManagedImage => "managedImage",
            SourceKind::Snapshots => "snapshots",
            SourceKind::VirtualMachine => "virtualMachine",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct DataSnapshot {
    pub lun: u32,
    pub snapshot_id: String,
}

/// The portal's encryption types for an image version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum GalleryEncryption {
    /// Encryption at rest with a platform-managed key (no disk encryption set).
    PlatformKey,
    /// Encryption at rest with a customer-managed key.
    #[default]
    CustomerKey,
    /// Double encryption: platform-managed and customer-managed keys.
    PlatformAndCustomerKeys,
}

impl GalleryEncryption {
    pub const ALL: [GalleryEncryption; 3] =
        [GalleryEncryption::PlatformKey, GalleryEncryption::CustomerKey, GalleryEncryption::PlatformAndCustomerKeys];
    pub fn as_str(self) -> &'static str {
        match self {
            GalleryEncryption::PlatformKey => "platformKey",
            GalleryEncryption::CustomerKey => "customerKey",
            GalleryEncryption::PlatformAndCustomerKeys => "platformAndCustomerKeys",
        }
    }
    /// Whether disk encryption sets are used.
    pub fn uses_des(self) -> bool {
        self != GalleryEncryption::PlatformKey
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct TargetRegion {
    /// Region name as the CLI spells it, e.g. `westus`.
    pub region: String,
    pub replica_count: u32,
    pub storage_account_type: StorageAccountType,
    /// Resource ID of the disk encryption set for the OS disk in this region.
    pub os_disk_encryption_set_id: String,
    /// Disk encryption sets of the data disks in this region, by LUN.
    pub data_disk_encryption_sets: Vec<DataDiskEncryption>,
}

impl Default for TargetRegion {
    fn default() -> Self {
        TargetRegion {
            region: String::new(),
            replica_count: 1,
            storage_account_type: StorageAccountType::StandardLrs,
            os_disk_encryption_set_id: String::new(),
            data_disk_encryption_sets: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct DataDiskEncryption {
    pub lun: u32,
    pub disk_encryption_set_id: String,
}

/// Storage of the replicas. The Azure CLI accepts these three (`az sig
/// image-version create --storage-account-type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
pub enum StorageAccountType {
    #[default]
    #[serde(rename = "Standard_LRS")]
    StandardLrs,
    #[serde(rename = "Standard_ZRS")]
    StandardZrs,
    #[serde(rename = "Premium_LRS")]
    PremiumLrs,
}

impl StorageAccountType {
    pub const ALL: [StorageAccountType; 3] =
        [StorageAccountType::StandardLrs, StorageAccountType::StandardZrs, StorageAccountType::PremiumLrs];
    pub fn as_str(self) -> &'static str {
        match self {
            StorageAccountType::StandardLrs => "Standard_LRS",
            StorageAccountType::StandardZrs => "Standard_ZRS",
            StorageAccountType::PremiumLrs => "Premium_LRS",
        }
    }
}
