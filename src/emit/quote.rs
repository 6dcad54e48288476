//! Quoting user text so that it stays one value in every output language.
//!
//! Every user value goes through one of these, once, where it is declared at
//! the top of a script; the body refers to the variable. Property tests and the
//! stub-`az` round trip check that any text survives intact.

/// A bash word that is exactly `value`: single quotes, in which nothing is
/// special but the single quote itself, written as `'\''`. Plain words that
/// bash reads literally anyway stay unquoted for readability.
pub fn bash(value: &str) -> String {
    let plain = !value.is_empty()
        && value.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:@,+%".contains(c))
        && !value.starts_with('-');
    if plain {
        return value.to_string();
    }
    format!("'{}'", value.replace('\'', r"'\''"))
}

/// The single-quote characters of PowerShell: besides `'`, the typographic
/// ‘ ’ ‚ ‛ also open and close verbatim strings.
const PS_SINGLE_QUOTES: [char; 5] = ['\'', '\u{2018}', '\u{2019}', '\u{201A}', '\u{201B}'];

/// A PowerShell verbatim string that is exactly `value`. Inside single quotes
/// nothing expands; a quote character is escaped by doubling it.
pub fn powershell(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        if PS_SINGLE_QUOTES.contains(&c) {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// An ARM template string literal that is exactly `value`: a string starting
/// with `[` is an expression, unless the bracket is doubled.
pub fn arm_literal(value: &str) -> String {
    if value.starts_with('[') {
        format!("[{value}")
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bash_quotes_what_bash_would_read() {
        assert_eq!(bash("koreacentral"), "koreacentral");
        assert_eq!(bash("it's"), r"'it'\''s'");
        assert_eq!(bash("$(rm -rf /)"), "'$(rm -rf /)'");
        assert_eq!(bash(""), "''");
        assert_eq!(bash("env=prod"), "'env=prod'");
        assert_eq!(bash("-x"), "'-x'");
    }

    #[test]
    fn powershell_doubles_every_kind_of_single_quote() {
        assert_eq!(powershell("it's"), "'it''s'");
        assert_eq!(powershell("a\u{2019}b"), "'a\u{2019}\u{2019}b'");
        assert_eq!(powershell("$env:PATH `n"), "'$env:PATH `n'");
    }

    #[test]
    fn arm_brackets() {
        assert_eq!(arm_literal("[concat('a')]"), "[[concat('a')]");
        assert_eq!(arm_literal("a[0]"), "a[0]");
    }
}
