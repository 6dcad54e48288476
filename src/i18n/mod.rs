//! The message catalog: every word a user reads, by key.
//!
//! Finding messages are keyed by rule id; UI text and problem descriptions by
//! dotted keys. Messages carry `{name}` placeholders filled at run time.
//! English is compiled in and complete. Korean and Traditional Chinese (the
//! languages of the source documents) are JSON catalogs (`ko.json`,
//! `zh-TW.json`) that the page fetches from its own origin when the user's
//! language asks for them and [`install`]s here; a key a catalog lacks falls
//! back to English. Keys `source:<English title>` translate the titles of the
//! Microsoft Learn documents and sections the rules cite.

mod en;

use std::sync::OnceLock;

use crate::names::Problem;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Locale {
    #[default]
    En,
    Ko,
    ZhTw,
}

impl Locale {
    pub const ALL: [Locale; 3] = [Locale::En, Locale::Ko, Locale::ZhTw];

    /// The BCP 47 tag: `<html lang>`, the catalog's file name, the stored choice.
    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Ko => "ko",
            Locale::ZhTw => "zh-TW",
        }
    }

    pub fn from_code(code: &str) -> Option<Locale> {
        Locale::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The language's name in itself, for the language picker.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::Ko => "한국어",
            Locale::ZhTw => "繁體中文",
        }
    }

    /// The locale segment of Microsoft Learn addresses.
    pub fn learn(self) -> &'static str {
        match self {
            Locale::En => "en-us",
            Locale::Ko => "ko-kr",
            Locale::ZhTw => "zh-tw",
        }
    }

    /// The first of the browser's preferred languages the wizard speaks:
    /// `ko*` is Korean; `zh-TW`, `zh-HK`, `zh-MO` and `zh-Hant*` are
    /// Traditional Chinese; `en*` is English; anything else is skipped, and
    /// English is the answer when nothing matches.
    pub fn from_browser<'a>(languages: impl IntoIterator<Item = &'a str>) -> Locale {
        for tag in languages {
            let tag = tag.to_ascii_lowercase();
            let mut parts = tag.split(['-', '_']);
            match parts.next() {
                Some("ko") => return Locale::Ko,
                Some("en") => return Locale::En,
                Some("zh") if parts.any(|p| matches!(p, "tw" | "hk" | "mo" | "hant")) => return Locale::ZhTw,
                _ => {}
            }
        }
        Locale::En
    }

    fn slot(self) -> Option<&'static OnceLock<Catalog>> {
        static KO: OnceLock<Catalog> = OnceLock::new();
        static ZH_TW: OnceLock<Catalog> = OnceLock::new();
        match self {
            Locale::En => None,
            Locale::Ko => Some(&KO),
            Locale::ZhTw => Some(&ZH_TW),
        }
    }
}

/// Sorted by key (a binary search; no hasher in the page's code).
type Catalog = Vec<(&'static str, &'static str)>;

/// Makes a catalog (a JSON object of key → text) the texts of `locale`, once;
/// returns how many messages it has. The texts live as long as the page: a
/// language is installed at most once, so this is a bounded one-time cost.
pub fn install(locale: Locale, json: &str) -> Result<usize, String> {
    let Some(slot) = locale.slot() else { return Ok(0) };
    if let Some(catalog) = slot.get() {
        return Ok(catalog.len());
    }
    let catalog = parse_catalog(json)?;
    let count = catalog.len();
    let _ = slot.set(catalog);
    Ok(count)
}

/// A catalog's text as a table, or why it is not one (nothing is half-read).
fn parse_catalog(json: &str) -> Result<Catalog, String> {
    let value: serde_json::Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let object = value.as_object().ok_or("the catalog is not a JSON object")?;
    let mut catalog = Catalog::with_capacity(object.len());
    for (key, text) in object {
        let text = text.as_str().ok_or_else(|| format!("{key}: not a string"))?;
        catalog.push((leak(key), leak(text)));
    }
    catalog.sort_unstable_by_key(|(k, _)| *k);
    Ok(catalog)
}

fn leak(text: &str) -> &'static str {
    Box::leak(text.to_owned().into_boxed_str())
}

/// Whether `locale`'s texts are there (English always is).
pub fn is_installed(locale: Locale) -> bool {
    locale.slot().is_none_or(|slot| slot.get().is_some())
}

/// The catalogs in this source tree, for the native tests and the CLI.
#[cfg(not(target_arch = "wasm32"))]
pub fn install_bundled() {
    let _ = install(Locale::Ko, include_str!("ko.json"));
    let _ = install(Locale::ZhTw, include_str!("zh-TW.json"));
}

/// The message for `key`, or the key itself (visibly wrong, never a panic).
/// A test proves every key the code uses exists in English.
pub fn text(locale: Locale, key: &str) -> &'static str {
    translated(locale, key).or_else(|| english(key)).unwrap_or("(missing message)")
}

/// The text of `key` in `locale` itself, without falling back to English.
pub fn translated(locale: Locale, key: &str) -> Option<&'static str> {
    match locale.slot() {
        None => english(key),
        Some(slot) => {
            let catalog = slot.get()?;
            catalog.binary_search_by_key(&key, |(k, _)| k).ok().map(|i| catalog[i].1)
        }
    }
}

/// A source document's or section's title in `locale`, English if untranslated.
pub fn title(locale: Locale, english_title: &'static str) -> &'static str {
    match locale {
        Locale::En => english_title,
        _ => translated(locale, &format!("source:{english_title}")).unwrap_or(english_title),
    }
}

fn english(key: &str) -> Option<&'static str> {
    let found = lookup(en::MESSAGES, key);
    #[cfg(feature = "day2")]
    let found = found.or_else(|| lookup(en::DAY2_MESSAGES, key));
    found
}

fn lookup(table: &'static [(&'static str, &'static str)], key: &str) -> Option<&'static str> {
    table.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// A region's display name (`westus` is "West US"), from the page's region
/// names (`region.<name>` in `en::MESSAGES`): the form in which Azure returns
/// an image version's target regions. `None` for a region the catalog lacks.
pub fn region_display_name(name: &str) -> Option<&'static str> {
    english(&format!("region.{name}"))
}

/// A text of the generated code (English; see `en::CODE_MESSAGES`). Only the
/// emitters call this, so only the code generator's module carries those texts.
pub fn code_text(key: &str) -> &'static str {
    lookup(en::CODE_MESSAGES, key).or_else(|| english(key)).unwrap_or("(missing message)")
}

/// Whether the English catalog (the page's or the generated code's) has `key`.
pub fn has(key: &str) -> bool {
    english(key).or_else(|| lookup(en::CODE_MESSAGES, key)).is_some()
}

/// Every English key and text the page shows (not those of generated code):
/// what the Korean and Traditional Chinese catalogs translate.
pub fn english_messages() -> impl Iterator<Item = (&'static str, &'static str)> {
    let all = en::MESSAGES.iter();
    #[cfg(feature = "day2")]
    let all = all.chain(en::DAY2_MESSAGES.iter());
    all.copied()
}

/// The message for `key` with its `{placeholders}` replaced.
pub fn format(locale: Locale, key: &str, args: &[(&str, String)]) -> String {
    fill(text(locale, key), args)
}

/// A message with its `{placeholders}` replaced.
pub fn fill(message: &str, args: &[(&str, String)]) -> String {
    let mut out = message.to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// A character as a user can read it, even a control character or a space.
fn shown(locale: Locale, c: char) -> String {
    match c {
        ' ' => text(locale, "char.space").to_string(),
        c if c.is_control() => format!("U+{:04X}", c as u32),
        c => format!("'{c}'"),
    }
}

/// What is wrong with a name, in words.
pub fn problem(locale: Locale, problem: &Problem) -> String {
    let t = |k| text(locale, k).to_string();
    match problem {
        Problem::Empty => t("problem.empty"),
        Problem::TooShort { min, len } => {
            format(locale, "problem.too-short", &[("min", min.to_string()), ("len", len.to_string())])
        }
        Problem::TooLong { max, len } => {
            format(locale, "problem.too-long", &[("max", max.to_string()), ("len", len.to_string())])
        }
        Problem::BadChar(c) => format(locale, "problem.bad-char", &[("char", shown(locale, *c))]),
        Problem::BadStart(c) => format(locale, "problem.bad-start", &[("char", shown(locale, *c))]),
        Problem::BadEnd(c) => format(locale, "problem.bad-end", &[("char", shown(locale, *c))]),
        Problem::DoubleHyphen => t("problem.double-hyphen"),
        Problem::Uppercase => t("problem.uppercase"),
        Problem::Shape { expected } => format(locale, "problem.shape", &[("expected", t(expected))]),
    }
}

#[cfg(test)]
mod catalog_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Rule;

    #[test]
    fn every_rule_has_a_message() {
        for rule in Rule::ALL {
            assert!(has(rule.id()), "no message for {}", rule.id());
        }
    }

    /// Users know the source documents by their Microsoft Learn titles; "seed"
    /// is this project's word, and no text a user reads says it.
    #[test]
    fn no_message_says_seed() {
        for (key, text) in english_messages().chain(en::CODE_MESSAGES.iter().copied()) {
            assert!(!text.to_ascii_lowercase().contains("seed"), "{key}: {text}");
        }
        for rule in crate::rules::Rule::ALL {
            let source = rule.source();
            let words = format!("{} {}", source.document(), source.section()).to_ascii_lowercase();
            assert!(!words.contains("seed"), "{}: {words}", rule.id());
        }
    }

    #[test]
    fn keys_are_unique() {
        let mut keys: Vec<_> = english_messages().chain(en::CODE_MESSAGES.iter().copied()).map(|(k, _)| k).collect();
        keys.sort();
        let before = keys.len();
        keys.dedup();
        assert_eq!(before, keys.len(), "duplicate catalog key");
    }

    #[test]
    fn shapes_have_words() {
        for key in ["shape.location", "shape.guid", "shape.ipv4", "shape.subnet-id", "shape.key-uri"] {
            assert!(has(key), "{key}");
        }
    }

    #[test]
    fn placeholders_are_filled() {
        let msg = format(Locale::En, "problem.too-short", &[("min", "5".into()), ("len", "3".into())]);
        assert!(!msg.contains('{'), "{msg}");
    }
}
