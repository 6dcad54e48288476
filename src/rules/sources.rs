//! Where each rule comes from: a section of a source document (Microsoft
//! Learn pages of 2020-2021, in `shared/seeds/` of this project's workspace)
//! or, where Azure has moved on since, the current documentation.

/// A document section a rule cites.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    CmkIntro,
    CmkThingsToKnow,
    CmkCreateVault,
    CmkAccessPolicy,
    CmkCreateKey,
    CmkTemplate,
    CmkRotateKey,
    CmkRevokeKey,
    CmkSystemIdentity,
    CmkKeyVaultFirewall,
    CmkShowStatus,
    TrustedAbout,
    TrustedLimitations,
    TrustedServicesList,
    TrustedCli,
    TrustedWorkflow,
    VnetIntro,
    VnetPreviewLimitations,
    VnetPrerequisites,
    VnetAddServiceEndpoint,
    VnetChangeDefault,
    VnetRestoreDefault,
    RegistryIpRules,
    NamingRules,
    NotesKeyVaultRbac,
    NotesKeys,
    NotesRotationPolicy,
    NotesVnetRetired,
    BestPractice,
    NoSecrets,
    ContentTrustDeprecation,
    GalleryIntro,
    GalleryPrerequisites,
    GalleryLimitations,
    GalleryPowerShell,
    GalleryCli,
    GalleryCreateVm,
    NotesGallery,
    TasksBypass,
    AbacRepositoryPermissions,
    ZoneRedundancy,
}

use crate::i18n::{self, Locale};

const LEARN: &str = "https://learn.microsoft.com/azure";

impl Source {
    /// (Microsoft Learn title of the document, section title, URL).
    fn parts(self) -> (&'static str, &'static str, &'static str) {
        use Source::*;
        const CMK: &str = "Encrypt registry using a customer-managed key";
        const TRUSTED: &str = "Allow trusted services to securely access a network-restricted container registry";
        const VNET: &str =
            "Restrict access to a container registry using a service endpoint in an Azure virtual network";
        const GALLERY: &str = "Use customer-managed keys for encrypting images";
        match self {
            CmkIntro => (CMK, "Introduction", "container-registry/container-registry-customer-managed-keys"),
            CmkThingsToKnow => {
                (CMK, "Things to know", "container-registry/container-registry-customer-managed-keys#things-to-know")
            }
            CmkCreateVault => (
                CMK,
                "Create a key vault",
                "container-registry/container-registry-customer-managed-keys#create-a-key-vault",
            ),
            CmkAccessPolicy => (
                CMK,
                "Add key vault access policy",
                "container-registry/container-registry-customer-managed-keys#add-key-vault-access-policy",
            ),
            CmkCreateKey => (
                CMK,
                "Create key and get key ID",
                "container-registry/container-registry-customer-managed-keys#create-key-and-get-key-id",
            ),
            CmkTemplate => (
                CMK,
                "Enable customer-managed key - template",
                "container-registry/container-registry-customer-managed-keys#enable-customer-managed-key---template",
            ),
            CmkRotateKey => {
                (CMK, "Rotate key", "container-registry/container-registry-customer-managed-keys#rotate-key")
            }
            CmkRevokeKey => {
                (CMK, "Revoke key", "container-registry/container-registry-customer-managed-keys#revoke-key")
            }
            CmkSystemIdentity => (
                CMK,
                "Advanced scenarios: system-assigned identity",
                "container-registry/container-registry-customer-managed-keys#system-assigned-identity",
            ),
            CmkShowStatus => (
                CMK,
                "Show encryption status",
                "container-registry/container-registry-customer-managed-keys#show-encryption-status",
            ),
            CmkKeyVaultFirewall => (
                CMK,
                "Advanced scenarios: Key Vault firewall",
                "container-registry/container-registry-customer-managed-keys#key-vault-firewall",
            ),
            TrustedAbout => (
                TRUSTED,
                "About trusted services",
                "container-registry/allow-access-trusted-services#about-trusted-services",
            ),
            TrustedLimitations => {
                (TRUSTED, "Limitations", "container-registry/allow-access-trusted-services#limitations")
            }
            TrustedServicesList => {
                (TRUSTED, "Trusted services", "container-registry/allow-access-trusted-services#trusted-services")
            }
            TrustedCli => (
                TRUSTED,
                "Allow trusted services - CLI",
                "container-registry/allow-access-trusted-services#allow-trusted-services---cli",
            ),
            TrustedWorkflow => (
                TRUSTED,
                "Trusted services workflow",
                "container-registry/allow-access-trusted-services#trusted-services-workflow",
            ),
            VnetIntro => (VNET, "Introduction", "container-registry/container-registry-vnet"),
            VnetPreviewLimitations => {
                (VNET, "Preview limitations", "container-registry/container-registry-vnet#preview-limitations")
            }
            VnetPrerequisites => (VNET, "Prerequisites", "container-registry/container-registry-vnet#prerequisites"),
            VnetAddServiceEndpoint => (
                VNET,
                "Add a service endpoint to a subnet",
                "container-registry/container-registry-vnet#add-a-service-endpoint-to-a-subnet",
            ),
            VnetChangeDefault => (
                VNET,
                "Change default network access to registry",
                "container-registry/container-registry-vnet#change-default-network-access-to-registry",
            ),
            VnetRestoreDefault => (
                VNET,
                "Restore default registry access",
                "container-registry/container-registry-vnet#restore-default-registry-access",
            ),
            RegistryIpRules => (
                "Configure public IP network rules",
                "Access from selected public network",
                "container-registry/container-registry-access-selected-networks",
            ),
            NamingRules => (
                "Naming rules and restrictions for Azure resources",
                "Resource name rules",
                "azure-resource-manager/management/resource-name-rules",
            ),
            NotesKeyVaultRbac => (
                "Provide access to Key Vault keys, certificates, and secrets with Azure role-based access control",
                "Key Vault RBAC guide",
                "key-vault/general/rbac-guide",
            ),
            NotesKeys => (
                "Rotate and revoke a customer-managed key",
                "Key rotation",
                "container-registry/tutorial-rotate-revoke-customer-managed-keys",
            ),
            NotesRotationPolicy => (
                "Configure cryptographic key auto-rotation in Azure Key Vault",
                "Key rotation policy",
                "key-vault/keys/how-to-configure-key-rotation",
            ),
            NotesVnetRetired => (
                "Connect privately to an Azure container registry using Azure Private Link",
                "Private endpoints instead",
                "container-registry/container-registry-private-link",
            ),
            ContentTrustDeprecation => (
                "Content trust in Azure Container Registry",
                "Deprecation",
                "container-registry/container-registry-content-trust",
            ),
            GalleryIntro => (GALLERY, "Introduction", "virtual-machines/image-version-encryption"),
            GalleryPrerequisites => {
                (GALLERY, "Prerequisites", "virtual-machines/image-version-encryption#prerequisites")
            }
            GalleryLimitations => (GALLERY, "Limitations", "virtual-machines/image-version-encryption#limitations"),
            GalleryPowerShell => (GALLERY, "PowerShell", "virtual-machines/image-version-encryption#powershell"),
            GalleryCli => (GALLERY, "CLI", "virtual-machines/image-version-encryption#cli"),
            GalleryCreateVm => (GALLERY, "Create the VM", "virtual-machines/image-version-encryption#create-the-vm"),
            NotesGallery => (
                "Create an image definition and an image version",
                "Create an image definition and an image version",
                "virtual-machines/image-version",
            ),
            NoSecrets => {
                ("Azure Key Vault basic concepts", "Secrets belong in a key vault", "key-vault/general/basic-concepts")
            }
            // Current Learn pages (checked 2026-12-09): tasks are no trusted
            // service since 2025-06-01; ABAC repository permissions; zone
            // redundancy on by default, its property no longer in control.
            TasksBypass => (
                "Manage network bypass policy for tasks",
                "Enabling and disabling the network rule bypass policy setting",
                "container-registry/manage-network-bypass-policy-for-tasks",
            ),
            AbacRepositoryPermissions => (
                "Azure attribute-based access control (Azure ABAC) for repository permissions",
                "Role assignment permissions mode",
                "container-registry/container-registry-rbac-abac-repository-permissions",
            ),
            ZoneRedundancy => (
                "Enable zone redundancy in Azure Container Registry",
                "Understand the zoneRedundancy property",
                "container-registry/zone-redundancy",
            ),
            BestPractice => (
                "Container registry authentication",
                "Admin account",
                "container-registry/container-registry-authentication#admin-account",
            ),
        }
    }

    pub fn document(self) -> &'static str {
        self.parts().0
    }

    pub fn section(self) -> &'static str {
        self.parts().1
    }

    /// The page on Microsoft Learn, which picks the reader's language itself.
    pub fn url(self) -> String {
        format!("{LEARN}/{}", self.parts().2)
    }

    /// The document's title as Microsoft Learn shows it in `locale`.
    pub fn document_in(self, locale: Locale) -> &'static str {
        i18n::title(locale, self.document())
    }

    pub fn section_in(self, locale: Locale) -> &'static str {
        i18n::title(locale, self.section())
    }

    /// The page in `locale` (`learn.microsoft.com/ko-kr/azure/...`).
    pub fn url_in(self, locale: Locale) -> String {
        match locale {
            Locale::En => self.url(),
            _ => format!("https://learn.microsoft.com/{}/azure/{}", locale.learn(), self.parts().2),
        }
    }
}
