//! The message catalog: every word a user reads, by key.
//!
//! Finding messages are keyed by rule id; UI text and problem descriptions by
//! dotted keys. Messages carry `{name}` placeholders filled at run time. English
//! is complete; Korean and Traditional Chinese (the languages of the source
//! documents) get their own tables and fall back to English key by key.

mod en;

use crate::names::Problem;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Locale {
    #[default]
    En,
}

fn table(locale: Locale) -> &'static [(&'static str, &'static str)] {
    match locale {
        Locale::En => en::MESSAGES,
    }
}

/// The message for `key`, or the key itself (visibly wrong, never a panic).
/// A test proves every key the code uses exists in English.
pub fn text(locale: Locale, key: &str) -> &'static str {
    lookup(table(locale), key).or_else(|| english(key)).unwrap_or("(missing message)")
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

/// Whether the English catalog has `key`.
pub fn has(key: &str) -> bool {
    english(key).is_some()
}

/// The message for `key` with its `{placeholders}` replaced.
pub fn format(locale: Locale, key: &str, args: &[(&str, String)]) -> String {
    let mut out = text(locale, key).to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// A character as a user can read it, even a control character or a space.
fn shown(c: char) -> String {
    match c {
        ' ' => "a space".to_string(),
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
        Problem::BadChar(c) => format(locale, "problem.bad-char", &[("char", shown(*c))]),
        Problem::BadStart(c) => format(locale, "problem.bad-start", &[("char", shown(*c))]),
        Problem::BadEnd(c) => format(locale, "problem.bad-end", &[("char", shown(*c))]),
        Problem::DoubleHyphen => t("problem.double-hyphen"),
        Problem::Uppercase => t("problem.uppercase"),
        Problem::Shape { expected } => format(locale, "problem.shape", &[("expected", t(expected))]),
    }
}

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
        let all = en::MESSAGES.iter();
        #[cfg(feature = "day2")]
        let all = all.chain(en::DAY2_MESSAGES.iter());
        for (key, text) in all {
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
        let mut keys: Vec<_> = en::MESSAGES.iter().map(|(k, _)| *k).collect();
        #[cfg(feature = "day2")]
        keys.extend(en::DAY2_MESSAGES.iter().map(|(k, _)| *k));
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
