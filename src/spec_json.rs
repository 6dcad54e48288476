//! Reading and writing spec documents, with errors that name the JSON path.
//!
//! Reading goes through `serde_json::Value` first so that the version can be
//! checked before the shape: a document from a newer tool gets "version 2 is
//! newer than this tool" rather than a confusing unknown-field error.

use std::fmt;

use serde_json::Value;

use crate::spec::{Spec, SPEC_VERSION};

/// Why a document is not a spec. `Display` is one line, for the CLI and the UI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpecError {
    /// Not JSON at all.
    Syntax { line: usize, column: usize, message: String },
    /// JSON, but a field has the wrong name, type or value.
    Shape { path: String, message: String },
    /// Written by a newer (or unknown) version of the format.
    Version { found: String },
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SpecError::Syntax { line, column, message } => {
                write!(f, "line {line}, column {column}: malformed JSON: {message}")
            }
            SpecError::Shape { path, message } => write!(f, "at {path}: {message}"),
            SpecError::Version { found } => {
                write!(f, "at $.version: spec version {found} is not supported; this tool reads version {SPEC_VERSION}")
            }
        }
    }
}

impl std::error::Error for SpecError {}

/// Parses a spec document. Never panics, whatever the input.
pub fn from_json(text: &str) -> Result<Spec, SpecError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| SpecError::Syntax {
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    })?;
    if !value.is_object() {
        return Err(SpecError::Shape { path: "$".into(), message: "a spec is a JSON object ({ ... })".into() });
    }
    if let Some(version) = value.get("version") {
        if version.as_u64() != Some(u64::from(SPEC_VERSION)) {
            return Err(SpecError::Version { found: version.to_string() });
        }
    }
    read(&value)
}

/// The spec in an already parsed document (the version aside).
pub fn read(value: &Value) -> Result<Spec, SpecError> {
    use crate::spec::read::{At, Read};
    Spec::read(value, &At::Root).map_err(|m| SpecError::Shape { path: m.path, message: m.message })
}

/// The canonical text of a spec: pretty, with every field, keys in a stable order.
pub fn to_json(spec: &Spec) -> String {
    let mut text = serde_json::to_string_pretty(spec).expect("a spec always serializes");
    text.push('\n');
    text
}

/// serde_json appends " at line X column Y" to its syntax errors; the error
/// has them as numbers.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_object_is_the_default_spec() {
        assert_eq!(from_json("{}").unwrap(), Spec::default());
    }

    #[test]
    fn round_trips() {
        let spec = Spec::default();
        assert_eq!(from_json(&to_json(&spec)).unwrap(), spec);
    }

    /// Tags being edited (an empty name, a name typed twice, rows out of
    /// alphabetical order) survive a save and a reload unchanged.
    #[test]
    fn tags_round_trip_as_typed() {
        let json = r#"{"tags": {"owner": "a", "": "", "Owner": "b", "cost": "c"}}"#;
        let spec = from_json(json).unwrap();
        let rows: Vec<_> = spec.tags.iter().collect();
        assert_eq!(rows, [("owner", "a"), ("", ""), ("Owner", "b"), ("cost", "c")]);
        assert_eq!(from_json(&to_json(&spec)).unwrap(), spec);
    }

    #[test]
    fn unknown_field_names_its_path() {
        let err = from_json(r#"{"registry": {"networking": {"ipRule": []}}}"#).unwrap_err();
        assert_eq!(err.to_string().split(':').next().unwrap(), "at $.registry.networking.ipRule");
        assert!(err.to_string().contains("unknown field `ipRule`"), "{err}");
    }

    #[test]
    fn wrong_type_names_its_path() {
        let err = from_json(r#"{"registry": {"networking": {"ipRules": ["1.2.3.4", 5]}}}"#).unwrap_err();
        assert!(err.to_string().starts_with("at $.registry.networking.ipRules[1]: invalid type"), "{err}");
    }

    #[test]
    fn nested_errors_name_the_innermost_field() {
        let err = from_json(r#"{"registry": {"networking": {"vnetRules": [{}, {"subnetId": 5}]}}}"#).unwrap_err();
        assert!(err.to_string().starts_with("at $.registry.networking.vnetRules[1].subnetId: invalid type"), "{err}");
        let err = from_json(r#"{"tags": {"ok": "x", "owner": 1}}"#).unwrap_err();
        assert!(err.to_string().starts_with("at $.tags.owner: invalid type: integer"), "{err}");
    }

    #[test]
    fn bad_key_size_says_what_is_allowed() {
        let err = from_json(r#"{"registry": {"encryption": {"key": {"size": 1024}}}}"#).unwrap_err();
        assert!(err.to_string().contains("2048, 3072 or 4096"), "{err}");
    }

    #[test]
    fn future_version_is_refused_before_shape() {
        let err = from_json(r#"{"version": 2, "newThing": true}"#).unwrap_err();
        assert!(matches!(err, SpecError::Version { .. }));
        assert!(err.to_string().contains("version 2"));
    }

    #[test]
    fn malformed_json_has_line_and_column() {
        let err = from_json("{\n  \"location\": \"x\",\n}").unwrap_err();
        assert!(matches!(err, SpecError::Syntax { line: 3, .. }), "{err:?}");
    }

    #[test]
    fn not_an_object() {
        assert!(from_json("[]").is_err());
        assert!(from_json("null").is_err());
    }
}
