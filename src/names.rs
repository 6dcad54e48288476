//! Azure naming and format rules, as pure functions.
//!
//! Each check returns the first [`Problem`] with a value, or `None`. The
//! rules module turns a problem into a finding on a field; the catalog turns it
//! into words. No regex engine: these run in the browser on every keystroke and
//! the wasm stays small without one.

/// What is wrong with a value, precisely enough to say what is allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Empty,
    TooShort {
        min: usize,
        len: usize,
    },
    TooLong {
        max: usize,
        len: usize,
    },
    /// A character that the name may not contain.
    BadChar(char),
    /// The first character is not one the name may start with.
    BadStart(char),
    BadEnd(char),
    DoubleHyphen,
    Uppercase,
    /// The value does not have the expected shape (`expected` is a catalog key
    /// describing the shape, e.g. `shape.subnet-id`).
    Shape {
        expected: &'static str,
    },
}

/// The length bounds (characters) of the names that deployment templates
/// take as parameters: the rules check them, and Bicep's `@minLength` and
/// `@maxLength` declare them (`emit/bicep.rs`).
pub mod length {
    pub const REGISTRY: (usize, usize) = (5, 50);
    pub const KEY_VAULT: (usize, usize) = (3, 24);
    pub const KEY: (usize, usize) = (1, 127);
    pub const IDENTITY: (usize, usize) = (3, 128);
    pub const RESOURCE_GROUP: (usize, usize) = (1, 90);
    pub const GALLERY: (usize, usize) = (1, 80);
    pub const IMAGE_DEFINITION: (usize, usize) = (1, 80);

    /// The bounds of a plan input that holds one of these names (a template
    /// parameter's `@minLength`/`@maxLength`, a Terraform variable's
    /// validation): the bounds the naming rules check.
    pub fn of_input(var: &str) -> Option<(usize, usize)> {
        Some(match var {
            "registryName" => REGISTRY,
            "keyVaultName" => KEY_VAULT,
            "keyName" => KEY,
            "identityName" => IDENTITY,
            "galleryName" => GALLERY,
            "imageDefinitionName" => IMAGE_DEFINITION,
            v if v.ends_with("ResourceGroup") => RESOURCE_GROUP,
            _ => return None,
        })
    }
}

/// A name rule: length bounds and which characters may go where.
struct NameRule {
    min: usize,
    max: usize,
    allowed: fn(char) -> bool,
    start: fn(char) -> bool,
    end: fn(char) -> bool,
    no_double_hyphen: bool,
}

impl NameRule {
    fn check(&self, value: &str) -> Option<Problem> {
        let len = value.chars().count();
        let first = value.chars().next()?;
        if let Some(bad) = value.chars().find(|c| !(self.allowed)(*c)) {
            return Some(Problem::BadChar(bad));
        }
        if !(self.start)(first) {
            return Some(Problem::BadStart(first));
        }
        let last = value.chars().last().unwrap_or(first);
        if !(self.end)(last) {
            return Some(Problem::BadEnd(last));
        }
        if self.no_double_hyphen && value.contains("--") {
            return Some(Problem::DoubleHyphen);
        }
        if len < self.min {
            return Some(Problem::TooShort { min: self.min, len });
        }
        if len > self.max {
            return Some(Problem::TooLong { max: self.max, len });
        }
        None
    }
}

fn alnum(c: char) -> bool {
    c.is_ascii_alphanumeric()
}
fn alnum_hyphen(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-'
}
fn letter(c: char) -> bool {
    c.is_ascii_alphabetic()
}
fn any(_: char) -> bool {
    true
}

fn required(value: &str, rule: &NameRule) -> Option<Problem> {
    if value.is_empty() {
        return Some(Problem::Empty);
    }
    rule.check(value)
}

/// Container registry: 5-50 letters and digits. Azure accepts uppercase, but
/// `az acr` refuses it and the login server is lowercase: require lowercase.
pub fn registry(value: &str) -> Option<Problem> {
    let rule = NameRule {
        min: length::REGISTRY.0,
        max: length::REGISTRY.1,
        allowed: alnum,
        start: any,
        end: any,
        no_double_hyphen: false,
    };
    required(value, &rule).or_else(|| value.chars().any(|c| c.is_ascii_uppercase()).then_some(Problem::Uppercase))
}

/// Key Vault: 3-24 letters, digits and hyphens; starts with a letter, ends with
/// a letter or digit, no consecutive hyphens.
pub fn key_vault(value: &str) -> Option<Problem> {
    required(
        value,
        &NameRule {
            min: length::KEY_VAULT.0,
            max: length::KEY_VAULT.1,
            allowed: alnum_hyphen,
            start: letter,
            end: alnum,
            no_double_hyphen: true,
        },
    )
}

/// Key Vault key: 1-127 letters, digits and hyphens.
pub fn key(value: &str) -> Option<Problem> {
    required(
        value,
        &NameRule {
            min: length::KEY.0,
            max: length::KEY.1,
            allowed: alnum_hyphen,
            start: any,
            end: any,
            no_double_hyphen: false,
        },
    )
}

/// User-assigned identity: 3-128 letters, digits, hyphens and underscores;
/// starts with a letter or digit.
pub fn identity(value: &str) -> Option<Problem> {
    required(
        value,
        &NameRule {
            min: length::IDENTITY.0,
            max: length::IDENTITY.1,
            allowed: |c| c.is_ascii_alphanumeric() || c == '-' || c == '_',
            start: alnum,
            end: any,
            no_double_hyphen: false,
        },
    )
}

/// Resource group: 1-90 letters, digits, `_ - . ( )` (Unicode letters and
/// digits are allowed by Azure), not ending in a period.
pub fn resource_group(value: &str) -> Option<Problem> {
    required(
        value,
        &NameRule {
            min: length::RESOURCE_GROUP.0,
            max: length::RESOURCE_GROUP.1,
            allowed: |c| c.is_alphanumeric() || "_-.()".contains(c),
            start: any,
            end: |c| c != '.',
            no_double_hyphen: false,
        },
    )
}

/// Virtual network: 2-64 letters, digits, `_ - .`; starts with a letter or digit,
/// ends with a letter, digit or underscore.
pub fn vnet(value: &str) -> Option<Problem> {
    required(
        value,
        &NameRule {
            min: 2,
            max: 64,
            allowed: |c| c.is_ascii_alphanumeric() || "_-.".contains(c),
            start: alnum,
            end: |c| c.is_ascii_alphanumeric() || c == '_',
            no_double_hyphen: false,
        },
    )
}

/// Subnet: 1-80 letters, digits, `_ - .`; starts with a letter or digit, ends
/// with a letter, digit or underscore.
pub fn subnet(value: &str) -> Option<Problem> {
    required(
        value,
        &NameRule {
            min: 1,
            max: 80,
            allowed: |c| c.is_ascii_alphanumeric() || "_-.".contains(c),
            start: alnum,
            end: |c| c.is_ascii_alphanumeric() || c == '_',
            no_double_hyphen: false,
        },
    )
}

/// Azure region as the CLI spells it: lowercase letters and digits.
pub fn location(value: &str) -> Option<Problem> {
    if value.is_empty() {
        return Some(Problem::Empty);
    }
    if value.chars().any(|c| c.is_ascii_uppercase() || c == ' ') {
        return Some(Problem::Shape { expected: "shape.location" });
    }
    NameRule { min: 2, max: 40, allowed: alnum, start: letter, end: alnum, no_double_hyphen: false }.check(value)
}

/// A GUID in its 8-4-4-4-12 hexadecimal form.
pub fn guid(value: &str) -> Option<Problem> {
    let groups: Vec<&str> = value.split('-').collect();
    let ok = groups.len() == 5
        && groups.iter().zip([8, 4, 4, 4, 12]).all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()));
    (!ok).then_some(Problem::Shape { expected: "shape.guid" })
}

/// An IPv4 address or CIDR range, as registry IP rules take them.
pub fn ipv4_or_cidr(value: &str) -> Option<Problem> {
    let (addr, prefix) = match value.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (value, None),
    };
    let octets: Vec<&str> = addr.split('.').collect();
    let octets_ok = octets.len() == 4
        && octets.iter().all(|o| {
            !o.is_empty()
                && o.len() <= 3
                && o.chars().all(|c| c.is_ascii_digit())
                && o.parse::<u16>().is_ok_and(|n| n <= 255)
        });
    let prefix_ok = prefix.is_none_or(|p| {
        !p.is_empty() && p.len() <= 2 && p.chars().all(|c| c.is_ascii_digit()) && p.parse::<u8>().is_ok_and(|n| n <= 32)
    });
    (!(octets_ok && prefix_ok)).then_some(Problem::Shape { expected: "shape.ipv4" })
}

/// Parts of a subnet resource ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubnetId<'a> {
    pub subscription: &'a str,
    pub resource_group: &'a str,
    pub vnet: &'a str,
    pub subnet: &'a str,
}

/// `/subscriptions/GUID/resourceGroups/RG/providers/Microsoft.Network/virtualNetworks/VNET/subnets/SUBNET`
pub fn parse_subnet_id(value: &str) -> Result<SubnetId<'_>, Problem> {
    let shape = Problem::Shape { expected: "shape.subnet-id" };
    let parts: Vec<&str> = value.split('/').collect();
    let [empty, subs, sub, rgs, rg, providers, network, vnets, vnet, subnets, subnet] = parts[..] else {
        return Err(shape);
    };
    let keywords_ok = empty.is_empty()
        && subs.eq_ignore_ascii_case("subscriptions")
        && rgs.eq_ignore_ascii_case("resourceGroups")
        && providers.eq_ignore_ascii_case("providers")
        && network.eq_ignore_ascii_case("Microsoft.Network")
        && vnets.eq_ignore_ascii_case("virtualNetworks")
        && subnets.eq_ignore_ascii_case("subnets");
    if !keywords_ok
        || guid(sub).is_some()
        || resource_group(rg).is_some()
        || self::vnet(vnet).is_some()
        || self::subnet(subnet).is_some()
    {
        return Err(shape);
    }
    Ok(SubnetId { subscription: sub, resource_group: rg, vnet, subnet })
}

/// Public Azure regions as the CLI spells them: suggestions in the UI and the
/// region names a disk encryption set's name may mention. Not a whitelist:
/// new regions keep working.
pub const KNOWN_REGIONS: &[&str] = &[
    "australiacentral",
    "australiaeast",
    "australiasoutheast",
    "austriaeast",
    "belgiumcentral",
    "brazilsouth",
    "canadacentral",
    "canadaeast",
    "centralindia",
    "centralus",
    "chilecentral",
    "eastasia",
    "eastus",
    "eastus2",
    "francecentral",
    "germanywestcentral",
    "indonesiacentral",
    "israelcentral",
    "italynorth",
    "japaneast",
    "japanwest",
    "koreacentral",
    "koreasouth",
    "malaysiawest",
    "mexicocentral",
    "newzealandnorth",
    "northcentralus",
    "northeurope",
    "norwayeast",
    "polandcentral",
    "qatarcentral",
    "southafricanorth",
    "southcentralus",
    "southeastasia",
    "southindia",
    "spaincentral",
    "swedencentral",
    "switzerlandnorth",
    "uaenorth",
    "uksouth",
    "ukwest",
    "westcentralus",
    "westeurope",
    "westindia",
    "westus",
    "westus2",
    "westus3",
    "chinanorth3",
    "chinaeast3",
    "usgovvirginia",
    "usgovarizona",
    "usgovtexas",
];

/// Azure Compute Gallery: 1-80 letters, digits, underscores and periods,
/// starting and ending with a letter or digit (no hyphens).
pub fn gallery(value: &str) -> Option<Problem> {
    required(
        value,
        &NameRule {
            min: length::GALLERY.0,
            max: length::GALLERY.1,
            allowed: |c| c.is_ascii_alphanumeric() || c == '_' || c == '.',
            start: alnum,
            end: alnum,
            no_double_hyphen: false,
        },
    )
}

/// Image definition: 1-80 letters, digits, underscores, hyphens and periods,
/// starting and ending with a letter or digit.
pub fn image_definition(value: &str) -> Option<Problem> {
    required(
        value,
        &NameRule {
            min: length::IMAGE_DEFINITION.0,
            max: length::IMAGE_DEFINITION.1,
            allowed: |c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'),
            start: alnum,
            end: alnum,
            no_double_hyphen: false,
        },
    )
}

/// Image version: `MAJOR.MINOR.PATCH`, each part a 32-bit integer.
pub fn image_version(value: &str) -> Option<Problem> {
    if value.is_empty() {
        return Some(Problem::Empty);
    }
    let parts: Vec<&str> = value.split('.').collect();
    let ok = parts.len() == 3
        && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()) && p.parse::<i32>().is_ok());
    (!ok).then_some(Problem::Shape { expected: "shape.image-version" })
}

/// A calendar date `YYYY-MM-DD` (end of life).
pub fn date(value: &str) -> Option<Problem> {
    let parts: Vec<&str> = value.split('-').collect();
    let number = |p: &str, len: usize| {
        (p.len() == len && p.chars().all(|c| c.is_ascii_digit())).then(|| p.parse::<u32>().ok()).flatten()
    };
    let ok = match parts[..] {
        [y, m, d] => matches!((number(y, 4), number(m, 2), number(d, 2)), (Some(_), Some(1..=12), Some(1..=31))),
        _ => false,
    };
    (!ok).then_some(Problem::Shape { expected: "shape.date" })
}

/// Parts of an Azure resource ID `/subscriptions/S/resourceGroups/G/providers/NS/TYPE/NAME`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceId<'a> {
    pub subscription: &'a str,
    pub resource_group: &'a str,
    pub name: &'a str,
}

/// Parses the ID of a top-level resource of `provider/kind` (compared
/// case-insensitively, as Azure does); `expected` names the shape in errors.
pub fn parse_resource_id<'a>(
    value: &'a str,
    provider: &str,
    kind: &str,
    expected: &'static str,
) -> Result<ResourceId<'a>, Problem> {
    if value.is_empty() {
        return Err(Problem::Empty);
    }
    let shape = Problem::Shape { expected };
    let parts: Vec<&str> = value.split('/').collect();
    let [empty, subs, sub, rgs, rg, providers, namespace, kind_part, name] = parts[..] else {
        return Err(shape);
    };
    let ok = empty.is_empty()
        && subs.eq_ignore_ascii_case("subscriptions")
        && rgs.eq_ignore_ascii_case("resourceGroups")
        && providers.eq_ignore_ascii_case("providers")
        && namespace.eq_ignore_ascii_case(provider)
        && kind_part.eq_ignore_ascii_case(kind)
        && guid(sub).is_none()
        && resource_group(rg).is_none()
        && !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if ok {
        Ok(ResourceId { subscription: sub, resource_group: rg, name })
    } else {
        Err(shape)
    }
}

/// Parts of a Key Vault or Managed HSM key URI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyUri<'a> {
    /// The vault's or HSM's DNS name, e.g. `myvault.vault.azure.net`.
    pub host: &'a str,
    /// The vault or HSM name: the first label of the host.
    pub vault: &'a str,
    pub managed_hsm: bool,
    pub name: &'a str,
    pub version: Option<&'a str>,
}

impl KeyUri<'_> {
    /// The URI without its version: the registry then follows new key versions.
    pub fn versionless(&self) -> String {
        format!("https://{}/keys/{}", self.host, self.name)
    }
}

/// `https://VAULT.vault.azure.net/keys/NAME[/VERSION]`, in any Azure cloud,
/// or the same on a Managed HSM (`managedhsm.azure.net`). Versions are 32
/// hexadecimal characters.
pub fn parse_key_uri(value: &str) -> Result<KeyUri<'_>, Problem> {
    let shape = Problem::Shape { expected: "shape.key-uri" };
    let rest = value.strip_prefix("https://").ok_or(shape.clone())?;
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    let mut parts = rest.split('/');
    let (Some(host), Some("keys"), Some(name)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(shape);
    };
    let version = parts.next();
    if parts.next().is_some() {
        return Err(shape);
    }
    let host_no_port = host.strip_suffix(":443").unwrap_or(host);
    let (vault, domain) = host_no_port.split_once('.').ok_or(shape.clone())?;
    let managed_hsm = domain.starts_with("managedhsm.");
    let known_domain = [
        "vault.azure.net",
        "vault.usgovcloudapi.net",
        "vault.azure.cn",
        "managedhsm.azure.net",
        "managedhsm.usgovcloudapi.net",
        "managedhsm.azure.cn",
    ]
    .contains(&domain);
    let vault_ok = if managed_hsm {
        NameRule { min: 3, max: 24, allowed: alnum_hyphen, start: letter, end: alnum, no_double_hyphen: true }
            .check(vault)
            .is_none()
    } else {
        key_vault(vault).is_none()
    };
    let version_ok = version.is_none_or(|v| v.len() == 32 && v.chars().all(|c| c.is_ascii_hexdigit()));
    if !known_domain || !vault_ok || key(name).is_some() || !version_ok {
        return Err(shape);
    }
    Ok(KeyUri { host: host_no_port, vault, managed_hsm, name, version })
}

/// Tag name: 1-512 characters, none of `< > % & \ ? /`, no control characters.
/// `=` is refused too: `az ... --tags name=value` cannot carry it in a name.
pub fn tag_name(value: &str) -> Option<Problem> {
    required(
        value,
        &NameRule {
            min: 1,
            max: 512,
            allowed: |c| !"<>%&\\?/=".contains(c) && !c.is_control(),
            start: any,
            end: any,
            no_double_hyphen: false,
        },
    )
}

/// Tag value: up to 256 characters, no control characters (newlines included).
pub fn tag_value(value: &str) -> Option<Problem> {
    if let Some(bad) = value.chars().find(|c| c.is_control()) {
        return Some(Problem::BadChar(bad));
    }
    let len = value.chars().count();
    (len > 256).then_some(Problem::TooLong { max: 256, len })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_names() {
        assert_eq!(registry("myregistry01"), None);
        assert_eq!(registry("abc"), Some(Problem::TooShort { min: 5, len: 3 }));
        assert_eq!(registry(&"a".repeat(51)), Some(Problem::TooLong { max: 50, len: 51 }));
        assert_eq!(registry("my-registry"), Some(Problem::BadChar('-')));
        assert_eq!(registry("MyRegistry"), Some(Problem::Uppercase));
        assert_eq!(registry(""), Some(Problem::Empty));
        assert_eq!(registry("레지스트리이름"), Some(Problem::BadChar('레')));
    }

    #[test]
    fn gallery_names_and_versions() {
        assert_eq!(gallery("my_Gallery.1"), None);
        assert_eq!(gallery("my-gallery"), Some(Problem::BadChar('-')));
        assert_eq!(image_definition("ubuntu-22.04_gen2"), None);
        assert_eq!(image_definition("-x"), Some(Problem::BadStart('-')));
        assert_eq!(image_version("1.0.0"), None);
        assert_eq!(image_version("2147483647.0.1"), None);
        for bad in ["1.0", "1.0.0.0", "1.a.0", "2147483648.0.0", "1..0", "-1.0.0", "+1.0.0"] {
            assert!(image_version(bad).is_some(), "{bad}");
        }
        assert_eq!(date("2027-12-31"), None);
        for bad in ["2027-13-01", "27-12-31", "2027/12/31", "2027-12-31T00:00"] {
            assert!(date(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn resource_ids() {
        let id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-des/providers/Microsoft.Compute/diskEncryptionSets/des-westus";
        let parsed = parse_resource_id(id, "Microsoft.Compute", "diskEncryptionSets", "shape.des-id").unwrap();
        assert_eq!((parsed.resource_group, parsed.name), ("rg-des", "des-westus"));
        // The seed's PowerShell example drops the leading slash.
        assert!(parse_resource_id(&id[1..], "Microsoft.Compute", "diskEncryptionSets", "shape.des-id").is_err());
        assert!(parse_resource_id(id, "Microsoft.Compute", "snapshots", "shape.snapshot-id").is_err());
        assert!(parse_resource_id(&format!("{id}'"), "Microsoft.Compute", "diskEncryptionSets", "x").is_err());
        assert_eq!(parse_resource_id("", "Microsoft.Compute", "snapshots", "x"), Err(Problem::Empty));
    }

    #[test]
    fn vault_names() {
        assert_eq!(key_vault("kv-prod-01"), None);
        assert_eq!(key_vault("1kv"), Some(Problem::BadStart('1')));
        assert_eq!(key_vault("kv-"), Some(Problem::BadEnd('-')));
        assert_eq!(key_vault("kv--a"), Some(Problem::DoubleHyphen));
        assert_eq!(key_vault("kv"), Some(Problem::TooShort { min: 3, len: 2 }));
        assert_eq!(key_vault(&"k".repeat(25)), Some(Problem::TooLong { max: 24, len: 25 }));
    }

    #[test]
    fn resource_groups() {
        assert_eq!(resource_group("my_rg-(prod).1"), None);
        assert_eq!(resource_group("rg."), Some(Problem::BadEnd('.')));
        assert_eq!(resource_group("rg$(x)"), Some(Problem::BadChar('$')));
        assert_eq!(resource_group("리소스그룹"), None);
    }

    #[test]
    fn identities_and_keys() {
        assert_eq!(identity("id_cmk-1"), None);
        assert_eq!(identity("_id"), Some(Problem::BadStart('_')));
        assert_eq!(key("key-1"), None);
        assert_eq!(key("key_1"), Some(Problem::BadChar('_')));
    }

    #[test]
    fn ipv4() {
        for ok in ["1.2.3.4", "10.0.0.0/8", "0.0.0.0/0", "255.255.255.255/32"] {
            assert_eq!(ipv4_or_cidr(ok), None, "{ok}");
        }
        for bad in ["1.2.3", "256.1.1.1", "1.2.3.4/33", "1.2.3.4/", "01234.1.1.1", "::1", "1.2.3.4 ", "a.b.c.d", ""] {
            assert!(ipv4_or_cidr(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn subnet_ids() {
        let id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet1/subnets/default";
        let parsed = parse_subnet_id(id).unwrap();
        assert_eq!((parsed.resource_group, parsed.vnet, parsed.subnet), ("rg", "vnet1", "default"));
        assert!(parse_subnet_id("/subscriptions/x/resourceGroups/rg").is_err());
        assert!(parse_subnet_id(&id.replace("subnets/default", "subnets/de fault")).is_err());
    }

    #[test]
    fn key_uris() {
        let v = parse_key_uri("https://mykv.vault.azure.net/keys/cmk").unwrap();
        assert_eq!((v.vault, v.name, v.version, v.managed_hsm), ("mykv", "cmk", None, false));
        let versioned =
            parse_key_uri("https://mykv.vault.azure.net/keys/cmk/0123456789abcdef0123456789abcdef").unwrap();
        assert_eq!(versioned.versionless(), "https://mykv.vault.azure.net/keys/cmk");
        assert!(parse_key_uri("https://myhsm.managedhsm.azure.net/keys/cmk").unwrap().managed_hsm);
        assert!(parse_key_uri("https://mykv.vault.azure.cn/keys/cmk").is_ok());
        for bad in [
            "http://mykv.vault.azure.net/keys/cmk",
            "https://mykv.vault.azure.net/secrets/cmk",
            "https://mykv.evil.example/keys/cmk",
            "https://mykv.vault.azure.net/keys/cmk/xyz",
            "https://mykv.vault.azure.net/keys/cmk/0123456789abcdef0123456789abcdef/extra",
            "https://mykv.vault.azure.net/keys/$(whoami)",
        ] {
            assert!(parse_key_uri(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn tags() {
        assert_eq!(tag_name("env"), None);
        assert_eq!(tag_name("a=b"), Some(Problem::BadChar('=')));
        assert_eq!(tag_value("it's $(fine) `really` 한국어"), None);
        assert_eq!(tag_value("two\nlines"), Some(Problem::BadChar('\n')));
    }

    #[test]
    fn guids() {
        assert_eq!(guid("e147488a-f6f5-4113-8e2d-b22465e65bf6"), None);
        assert!(guid("e147488a-f6f5-4113-8e2d-b22465e65bf").is_some());
        assert!(guid("not-a-guid").is_some());
    }
}
