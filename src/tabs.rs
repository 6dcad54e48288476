//! The wizard's tabs and where each spec field lives in them.
//!
//! DOM-free so that the mapping is tested natively: every finding a rule can
//! produce must land on a tab, and every field has one stable element id that
//! the Review tab links to.

use crate::rules::{Finding, Severity};
#[cfg(feature = "day2")]
use crate::spec::Operation;
use crate::spec::{Kind, Spec};

/// Every tab of both wizards. Each kind shows its own ones, in the order of
/// the portal's blade for it (see [`Tab::for_kind`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tab {
    Basics,
    Encryption,
    Networking,
    Replication,
    Tags,
    Review,
}

impl Tab {
    pub const ALL: [Tab; 6] = [Tab::Basics, Tab::Encryption, Tab::Networking, Tab::Replication, Tab::Tags, Tab::Review];

    /// The tabs of one kind, in order: Create container registry, and Create
    /// image version (Basics, Replication, Encryption, Tags, Review).
    pub fn for_kind(kind: Kind) -> &'static [Tab] {
        match kind {
            Kind::Registry => &[Tab::Basics, Tab::Encryption, Tab::Networking, Tab::Tags, Tab::Review],
            Kind::GalleryImageVersion => &[Tab::Basics, Tab::Replication, Tab::Encryption, Tab::Tags, Tab::Review],
        }
    }

    /// The tabs a spec shows. A day-2 change shows Basics (the registry as it
    /// is and the operation), the one tab its operation's settings are on,
    /// and Review: tags and the other create-time tabs do not apply.
    pub fn for_spec(spec: &Spec) -> &'static [Tab] {
        #[cfg(feature = "day2")]
        if spec.is_change() {
            let op = spec.change.operation;
            return if op == Operation::GalleryAddRegions {
                &[Tab::Basics, Tab::Replication, Tab::Encryption, Tab::Review]
            } else if op.acts_on_key() {
                &[Tab::Basics, Tab::Encryption, Tab::Review]
            } else if matches!(
                op,
                Operation::TrustedServices | Operation::TrustedServiceTask | Operation::AddNetworkRules
            ) {
                &[Tab::Basics, Tab::Networking, Tab::Review]
            } else {
                &[Tab::Basics, Tab::Review]
            };
        }
        Tab::for_kind(spec.kind)
    }

    /// Stable slug: element ids, the URL fragment and test selectors.
    pub fn slug(self) -> &'static str {
        match self {
            Tab::Basics => "basics",
            Tab::Encryption => "encryption",
            Tab::Networking => "networking",
            Tab::Replication => "replication",
            Tab::Tags => "tags",
            Tab::Review => "review",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Tab> {
        Tab::ALL.into_iter().find(|t| t.slug() == slug)
    }

    /// Catalog key of the tab's label.
    pub fn label(self) -> &'static str {
        match self {
            Tab::Basics => "tab.basics",
            Tab::Encryption => "tab.encryption",
            Tab::Networking => "tab.networking",
            Tab::Replication => "tab.replication",
            Tab::Tags => "tab.tags",
            Tab::Review => "tab.review",
        }
    }

    /// The tab that holds a field, given as a finding's JSON path.
    pub fn of_field(field: &str) -> Tab {
        let under = |prefix: &str| {
            field == prefix || field.strip_prefix(prefix).is_some_and(|rest| rest.starts_with(['.', '[']))
        };
        // A target region's disk encryption sets are chosen on Encryption; its
        // name, replicas and storage on Replication.
        let region_encryption = field.starts_with("gallery.targetRegions[")
            && (field.contains(".osDiskEncryptionSetId") || field.contains(".dataDiskEncryptionSets"));
        // A change's settings: of the key on Encryption, of a task on
        // Networking; what exists and the operation itself on Basics.
        let encryption = [
            "registry.encryption",
            "gallery.encryption",
            "gallery.registerPreviewFeature",
            "change.keyId",
            "change.versionless",
            "change.identity",
            "change.identityId",
            "change.rotationPolicy",
            "change.revoke",
        ];
        if region_encryption || encryption.into_iter().any(under) {
            Tab::Encryption
        } else if under("gallery.targetRegions") {
            Tab::Replication
        } else if under("registry.networking") || under("change.task") {
            Tab::Networking
        } else if under("tags") {
            Tab::Tags
        } else {
            Tab::Basics
        }
    }
}

/// The element id of a field's control: `registry.networking.ipRules[2]`
/// becomes `f-registry-networking-ipRules-2`, safe in CSS selectors and URLs.
pub fn field_id(field: &str) -> String {
    let mut id = String::from("f-");
    for c in field.chars() {
        match c {
            '.' | '[' => id.push('-'),
            ']' => {}
            c if c.is_ascii_alphanumeric() || c == '-' || c == '_' => id.push(c),
            _ => id.push('_'),
        }
    }
    id
}

/// The element id of the message under a field (its `aria-describedby`).
pub fn message_id(field: &str) -> String {
    format!("m-{}", &field_id(field)[2..])
}

/// How many error findings each tab has, in [`Tab::ALL`] order.
pub fn error_counts(findings: &[Finding]) -> [usize; 6] {
    let mut counts = [0; 6];
    for f in findings.iter().filter(|f| f.severity() == Severity::Error) {
        let tab = Tab::of_field(&f.field);
        counts[Tab::ALL.iter().position(|t| *t == tab).unwrap_or(0)] += 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Rule;

    #[test]
    fn fields_land_on_their_tab() {
        assert_eq!(Tab::of_field("registry.name"), Tab::Basics);
        assert_eq!(Tab::of_field("registry.sku"), Tab::Basics);
        assert_eq!(Tab::of_field("cloud"), Tab::Basics);
        assert_eq!(Tab::of_field("registry.encryption.key.keyId"), Tab::Encryption);
        assert_eq!(Tab::of_field("registry.networking.ipRules[3]"), Tab::Networking);
        assert_eq!(Tab::of_field("tags[0].name"), Tab::Tags);
        assert_eq!(Tab::of_field("gallery.version"), Tab::Basics);
        assert_eq!(Tab::of_field("gallery.targetRegions[1].region"), Tab::Replication);
        assert_eq!(Tab::of_field("gallery.targetRegions"), Tab::Replication);
        assert_eq!(Tab::of_field("gallery.targetRegions[1].osDiskEncryptionSetId"), Tab::Encryption);
        assert_eq!(Tab::of_field("gallery.targetRegions[0].dataDiskEncryptionSets[1].lun"), Tab::Encryption);
        assert_eq!(Tab::of_field("gallery.encryption"), Tab::Encryption);
        // A prefix of a name is not its parent.
        assert_eq!(Tab::of_field("tagsOther"), Tab::Basics);
    }

    #[test]
    fn ids_are_css_safe_and_distinct() {
        assert_eq!(field_id("registry.networking.ipRules[2]"), "f-registry-networking-ipRules-2");
        assert_eq!(message_id("registry.name"), "m-registry-name");
        assert_ne!(field_id("tags[1].name"), field_id("tags[1].value"));
        assert!(field_id("tags.a/b").chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    }

    #[test]
    fn slugs_round_trip() {
        for tab in Tab::ALL {
            assert_eq!(Tab::from_slug(tab.slug()), Some(tab));
            assert!(crate::i18n::has(tab.label()), "{}", tab.label());
        }
    }

    #[test]
    fn counts_only_errors() {
        let findings = vec![
            Finding::new(Rule::NameRegistry, "registry.name"),
            Finding::new(Rule::NameIpRule, "registry.networking.ipRules[0]"),
            Finding::new(Rule::AdminUser, "registry.adminUserEnabled"),
        ];
        assert_eq!(error_counts(&findings), [1, 0, 1, 0, 0, 0]);
    }

    /// Every field a rule names lands on a tab the wizard shows for that spec:
    /// every example, and every day-2 operation on an empty registry (which
    /// is where most findings fire).
    #[test]
    fn findings_land_on_tabs_the_spec_shows() {
        let mut specs: Vec<(String, Spec, bool)> = crate::examples::EXAMPLES
            .iter()
            .map(|e| (e.name.to_string(), crate::spec_json::from_json(e.json).unwrap(), false))
            .collect();
        #[cfg(feature = "day2")]
        for op in Operation::ALL {
            let mut spec = Spec { mode: crate::spec::Mode::Change, ..Spec::default() };
            spec.change.operation = op;
            spec.change.identity = crate::spec::KeyIdentity::UserAssigned;
            spec.change.existing.key_uri = "not a key".into();
            spec.change.existing.sku = crate::spec::Sku::Basic;
            spec.change.existing.ip_rules = vec!["x".into()];
            spec.change.task.name = "x".into();
            spec.registry.networking.ip_rules = vec!["x".into()];
            specs.push((op.as_str().to_string(), spec, true));
        }
        for (name, spec, broken) in specs {
            let findings = crate::rules::check(&spec);
            assert!(!broken || !findings.is_empty(), "{name}");
            for f in findings {
                assert!(Tab::for_spec(&spec).contains(&Tab::of_field(&f.field)), "{name}: {}", f.field);
            }
        }
    }
}
