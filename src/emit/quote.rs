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

/// A Bicep string literal that is exactly `text`: `\`, `'` and `${` escaped,
/// control characters as escapes.
pub fn bicep(text: &str) -> String {
    let mut out = String::from("'");
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' if chars.peek() == Some(&'{') => out.push_str("\\$"),
            c if c.is_control() => {
                let _ = std::fmt::Write::write_fmt(&mut out, format_args!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// An HCL string literal that is exactly `text`: `\` and `"` escaped, control
/// characters as escapes, and the template sequences `${` and `%{` doubled
/// (`$${`, `%%{`), so that nothing in it is interpolated.
pub fn hcl(text: &str) -> String {
    let mut out = String::from("\"");
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => {
                let _ = std::fmt::Write::write_fmt(&mut out, format_args!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
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
    fn bicep_strings_are_escaped_whole() {
        assert_eq!(bicep("a'b\\c${d}\n"), "'a\\'b\\\\c\\${d}\\n'");
        assert_eq!(bicep("$x {y}"), "'$x {y}'");
    }

    #[test]
    fn hcl_strings_interpolate_nothing() {
        assert_eq!(hcl("a\"b\\c${d}%{e}\n"), r#""a\"b\\c$${d}%%{e}\n""#);
        assert_eq!(hcl("$x {y} 100%"), r#""$x {y} 100%""#);
        assert_eq!(hcl("\u{1}"), r#""\u0001""#);
    }

    #[test]
    fn arm_brackets() {
        assert_eq!(arm_literal("[concat('a')]"), "[[concat('a')]");
        assert_eq!(arm_literal("a[0]"), "a[0]");
    }
}
