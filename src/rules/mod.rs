//! Rules: every constraint and trap of the source documents, as findings.
//!
//! Rules never fail: [`check`] takes any spec, however wrong, and returns what
//! is wrong with it. An `Error` finding blocks emission; warnings and infos are
//! shown beside the output. Each rule has a stable id (used in tests, in the
//! UI's anchors and by users who grep), a severity, the source section it comes
//! from, and a message in the catalog under the same id.

#[cfg(feature = "day2")]
mod change;
mod gallery;
mod naming;
mod registry;
pub mod secrets;
mod sources;

use crate::i18n::{self, Locale};
use crate::names::Problem;
use crate::spec::{Kind, Spec};

pub use sources::Source;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

macro_rules! rules {
    ($($variant:ident = $id:literal, $severity:ident, $source:ident;)*) => {
        /// Every rule this tool knows. The catalog holds one message per id.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule { $($variant,)* }

        impl Rule {
            pub const ALL: &'static [Rule] = &[$(Rule::$variant,)*];

            /// The stable id, e.g. `ACR-CMK-PREMIUM`.
            pub fn id(self) -> &'static str {
                match self { $(Rule::$variant => $id,)* }
            }

            pub fn severity(self) -> Severity {
                match self { $(Rule::$variant => Severity::$severity,)* }
            }

            /// The document section this rule comes from.
            pub fn source(self) -> Source {
                match self { $(Rule::$variant => Source::$source,)* }
            }
        }
    };
}

rules! {
    // Names and formats (Microsoft Learn: naming rules for Azure resources).
    NameRegistry = "NAME-REGISTRY", Error, NamingRules;
    NameResourceGroup = "NAME-RESOURCE-GROUP", Error, NamingRules;
    NameLocation = "NAME-LOCATION", Error, NamingRules;
    NameSubscription = "NAME-SUBSCRIPTION", Error, NamingRules;
    NameIdentity = "NAME-IDENTITY", Error, NamingRules;
    NameKeyVault = "NAME-KEY-VAULT", Error, NamingRules;
    NameKey = "NAME-KEY", Error, NamingRules;
    NameKeyUri = "NAME-KEY-URI", Error, NamingRules;
    NameVnet = "NAME-VNET", Error, NamingRules;
    NameSubnet = "NAME-SUBNET", Error, NamingRules;
    NameSubnetId = "NAME-SUBNET-ID", Error, NamingRules;
    NameIpRule = "NAME-IP-RULE", Error, RegistryIpRules;
    NameTag = "NAME-TAG", Error, NamingRules;
    NameTagValue = "NAME-TAG-VALUE", Error, NamingRules;
    NameTagDuplicate = "NAME-TAG-DUPLICATE", Error, NamingRules;
    // Customer-managed keys (seed 000/003).
    CmkPremium = "ACR-CMK-PREMIUM", Error, CmkIntro;
    CmkCreateOnly = "ACR-CMK-CREATE-ONLY", Info, CmkThingsToKnow;
    CmkIrreversible = "ACR-CMK-IRREVERSIBLE", Warning, CmkThingsToKnow;
    CmkContentTrust = "ACR-CMK-CONTENT-TRUST", Error, CmkThingsToKnow;
    CmkTaskLogs = "ACR-CMK-TASK-LOGS", Info, CmkThingsToKnow;
    ContentTrustRetired = "ACR-CONTENT-TRUST-RETIRED", Error, ContentTrustDeprecation;
    CmkVaultProtection = "KV-PURGE-PROTECTION", Info, CmkCreateVault;
    CmkKeyPermissions = "KV-KEY-PERMISSIONS", Info, CmkAccessPolicy;
    CmkRbacDefault = "KV-RBAC-DEFAULT", Info, NotesKeyVaultRbac;
    CmkHsmKeyNeedsPremiumVault = "KV-HSM-PREMIUM-VAULT", Info, NotesKeys;
    CmkKeyVersionless = "KV-KEY-VERSIONLESS", Info, NotesKeys;
    CmkKeyVersioned = "KV-KEY-VERSIONED", Warning, CmkRotateKey;
    CmkKeyCloud = "KV-KEY-CLOUD", Error, NotesKeys;
    CmkKeyVaultMismatch = "KV-KEY-VAULT-MISMATCH", Error, CmkCreateKey;
    CmkManagedHsm = "KV-MANAGED-HSM", Warning, NotesKeys;
    CmkFirewallNeedsSystemIdentity = "KV-FIREWALL-SYSTEM-IDENTITY", Error, CmkKeyVaultFirewall;
    CmkFirewallOrder = "KV-FIREWALL-ORDER", Info, CmkKeyVaultFirewall;
    CmkSystemIdentitySwitch = "ACR-CMK-SYSTEM-IDENTITY", Info, CmkSystemIdentity;
    CmkRevokeIsDestructive = "ACR-CMK-REVOKE", Info, CmkRevokeKey;
    CmkSignedInOfficer = "KV-SIGNED-IN-OFFICER", Info, NotesKeyVaultRbac;
    // Registry networking (seed 002 trusted services, seed 004 service endpoints).
    NetPremium = "ACR-NETWORK-PREMIUM", Error, VnetIntro;
    NetLockout = "ACR-NETWORK-LOCKOUT", Error, VnetChangeDefault;
    NetPrivateOnly = "ACR-NETWORK-PRIVATE-ONLY", Warning, TrustedAbout;
    NetRulesIgnoredWhenDisabled = "ACR-NETWORK-RULES-IGNORED", Warning, RegistryIpRules;
    NetRulesWithoutSelected = "ACR-NETWORK-RULES-UNUSED", Warning, RegistryIpRules;
    NetIpMax = "ACR-IP-RULES-MAX", Error, RegistryIpRules;
    NetIpDuplicate = "ACR-IP-RULE-DUPLICATE", Warning, RegistryIpRules;
    VnetMax = "ACR-VNET-RULES-MAX", Error, VnetIntro;
    VnetDeprecated = "ACR-VNET-PREVIEW", Warning, VnetPreviewLimitations;
    VnetHostsVmAks = "ACR-VNET-HOSTS", Info, VnetPreviewLimitations;
    VnetCloud = "ACR-VNET-CLOUD", Error, VnetPreviewLimitations;
    VnetCrossSubscription = "ACR-VNET-OTHER-SUBSCRIPTION", Info, VnetPrerequisites;
    VnetNoTrustedServices = "ACR-VNET-TRUSTED-SERVICES", Warning, TrustedLimitations;
    VnetPowerShell = "PS-VNET-RULES", Info, NotesVnetRetired;
    VnetArmPreview = "ARM-VNET-PREVIEW-API", Info, NotesVnetRetired;
    VnetArmServiceEndpoint = "ARM-SUBNET-SERVICE-ENDPOINT", Warning, VnetAddServiceEndpoint;
    TrustedSystemIdentity = "ACR-TRUSTED-SYSTEM-IDENTITY", Info, TrustedLimitations;
    TrustedNotAllServices = "ACR-TRUSTED-NOT-ALL-SERVICES", Info, TrustedServicesList;
    TrustedDisabled = "ACR-TRUSTED-DISABLED", Info, TrustedCli;
    TasksNotTrusted = "ACR-TASKS-NOT-TRUSTED", Warning, TasksBypass;
    TasksBypassUnused = "ACR-TASKS-BYPASS-UNUSED", Info, TasksBypass;
    ZoneRedundancyAutomatic = "ACR-ZONE-REDUNDANCY", Info, ZoneRedundancy;
    // Good practice (Checkov / PSRule ACR checks).
    AdminUser = "ACR-ADMIN-USER", Warning, BestPractice;
    SecretInField = "SECRET-IN-FIELD", Warning, NoSecrets;
    ArmPostDeployment = "ARM-POST-DEPLOYMENT", Warning, CmkSystemIdentity;
    ArmOtherGroup = "ARM-OTHER-RESOURCE-GROUP", Info, CmkTemplate;
    ArmRbacPropagation = "ARM-RBAC-PROPAGATION", Warning, CmkTemplate;
    ArmRedeployReverts = "ARM-REDEPLOY-REVERTS", Warning, CmkKeyVaultFirewall;
    // Gallery image versions (seed 001).
    NameGallery = "NAME-GALLERY", Error, NamingRules;
    NameImageDefinition = "NAME-IMAGE-DEFINITION", Error, NamingRules;
    NameImageVersion = "NAME-IMAGE-VERSION", Error, GalleryCli;
    NameEndOfLife = "NAME-END-OF-LIFE", Error, GalleryPowerShell;
    NameSourceId = "NAME-SOURCE-ID", Error, GalleryCli;
    NameDesId = "NAME-DES-ID", Error, GalleryPowerShell;
    NameRegion = "NAME-TARGET-REGION", Error, NamingRules;
    GalNoTargetRegion = "GAL-TARGET-REGIONS", Error, GalleryCli;
    GalHomeRegion = "GAL-HOME-REGION", Error, NotesGallery;
    GalRegionDuplicate = "GAL-REGION-DUPLICATE", Error, GalleryCli;
    GalReplicaCount = "GAL-REPLICA-COUNT", Error, GalleryCli;
    GalZrsRegion = "GAL-ZRS", Info, NotesGallery;
    GalOsDesMissing = "GAL-OS-DES-MISSING", Error, GalleryLimitations;
    GalDesRegional = "GAL-DES-REGIONAL", Error, GalleryLimitations;
    GalDesRegionName = "GAL-DES-REGION-NAME", Warning, GalleryLimitations;
    GalDesSubscription = "GAL-DES-SUBSCRIPTION", Error, GalleryLimitations;
    GalDesChecked = "GAL-DES-CHECKED", Info, GalleryLimitations;
    GalDesIgnored = "GAL-DES-IGNORED", Warning, GalleryIntro;
    GalNoCopyShare = "GAL-CMK-NO-COPY-SHARE", Warning, GalleryLimitations;
    GalIrreversible = "GAL-CMK-IRREVERSIBLE", Warning, GalleryLimitations;
    GalVmSource = "GAL-CMK-VM-SOURCE", Error, NotesGallery;
    GalLunDuplicate = "GAL-LUN-DUPLICATE", Error, GalleryCli;
    GalLunUnknown = "GAL-LUN-UNKNOWN", Error, GalleryCli;
    GalLunUnencrypted = "GAL-LUN-UNENCRYPTED", Warning, GalleryCli;
    GalLunMax = "GAL-LUN-RANGE", Error, GalleryCli;
    GalDoubleEncryption = "GAL-DOUBLE-ENCRYPTION", Info, GalleryPrerequisites;
    GalPreviewFeature = "GAL-PREVIEW-FEATURE", Info, GalleryCli;
    GalVmFollowUp = "GAL-VM-FOLLOW-UP", Info, GalleryCreateVm;
    // Day-2 operations on what exists.
    ChangeNoCmk = "CHG-NO-CMK", Error, CmkThingsToKnow;
    ChangeNeedsPremium = "CHG-PREMIUM", Error, CmkIntro;
    ChangeAcknowledge = "CHG-ACKNOWLEDGE", Error, CmkRevokeKey;
    ChangeRevokeBlocks = "CHG-REVOKE-BLOCKS", Warning, CmkRevokeKey;
    ChangeDisableKeyWide = "CHG-DISABLE-KEY", Warning, CmkRevokeKey;
    ChangeDuration = "CHG-DURATION", Error, NotesRotationPolicy;
    ChangeAutoRotation = "CHG-AUTO-ROTATION", Info, NotesRotationPolicy;
    ChangeTrustedOff = "CHG-TRUSTED-OFF", Warning, TrustedCli;
    ChangeTaskName = "CHG-TASK-NAME", Error, TrustedWorkflow;
    ChangeTaskText = "CHG-TASK-TEXT", Error, TrustedWorkflow;
    ChangeTaskBypass = "CHG-TASK-BYPASS", Info, TasksBypass;
    ChangeTaskAbac = "CHG-TASK-ABAC", Info, AbacRepositoryPermissions;
    ChangeTrustedCovers = "CHG-TRUSTED-COVERS", Info, TrustedServicesList;
    ChangeZoneRedundancy = "CHG-ZONE-REDUNDANCY", Info, ZoneRedundancy;
    ChangeNoRules = "CHG-NO-RULES", Error, VnetChangeDefault;
    ChangeRestoreOpens = "CHG-RESTORE-OPENS", Warning, VnetRestoreDefault;
    ChangeIdentityId = "CHG-IDENTITY-ID", Error, CmkRotateKey;
    ChangeReadOnly = "CHG-READ-ONLY", Info, CmkShowStatus;
    ChangeGalleryReadOnly = "CHG-GALLERY-READ-ONLY", Info, GalleryCli;
    ChangeKind = "CHG-KIND", Error, GalleryCli;
    ChangeGalleryRegionExists = "CHG-GALLERY-REGION-EXISTS", Error, GalleryCli;
    ChangeGalleryAddRegions = "CHG-GALLERY-ADD-REGIONS", Info, GalleryCli;
}

/// A rule that fired, on one field of the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: Rule,
    /// The field it concerns, as a JSON path below the spec root
    /// (`registry.name`, `registry.networking.ipRules[2]`). The UI uses it to
    /// put the message under the right input.
    pub field: String,
    /// Values for the message's `{placeholders}`.
    pub args: Vec<(&'static str, String)>,
    /// For name and format rules: what exactly is wrong, as `{problem}`.
    pub problem: Option<Problem>,
}

impl Finding {
    pub fn new(rule: Rule, field: impl Into<String>) -> Self {
        Finding { rule, field: field.into(), args: Vec::new(), problem: None }
    }

    pub fn arg(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.args.push((name, value.into()));
        self
    }

    pub fn severity(&self) -> Severity {
        self.rule.severity()
    }

    pub fn message(&self, locale: Locale) -> String {
        let mut args = self.args.clone();
        if let Some(problem) = &self.problem {
            args.push(("problem", i18n::problem(locale, problem)));
        }
        i18n::format(locale, self.rule.id(), &args)
    }

    /// The finding as JSON, for `check --json` and the UI's tests.
    pub fn to_json(&self, locale: Locale) -> serde_json::Value {
        let source = self.rule.source();
        serde_json::json!({
            "id": self.rule.id(),
            "severity": self.severity().as_str(),
            "field": self.field,
            "message": self.message(locale),
            "source": { "document": source.document(), "section": source.section(), "url": source.url() },
        })
    }
}

/// Every finding for a spec: errors first, then warnings, then infos, each in
/// the order of the fields. Never fails and never panics.
pub fn check(spec: &Spec) -> Vec<Finding> {
    let mut findings = Vec::new();
    secrets::check(spec, &mut findings);
    if spec.is_change() {
        // A change names only what it touches: the create rules do not apply.
        naming::common(spec, &mut findings);
        #[cfg(feature = "day2")]
        change::check(spec, &mut findings);
        findings.sort_by_key(|f| f.severity());
        return findings;
    }
    naming::check(spec, &mut findings);
    match spec.kind {
        Kind::Registry => registry::check(spec, &mut findings),
        Kind::GalleryImageVersion => gallery::check(spec, &mut findings),
    }
    findings.sort_by_key(|f| f.severity());
    findings
}

/// Whether any finding blocks emission.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity() == Severity::Error)
}

#[cfg(test)]
mod tests;
