//! Secrets never belong in a spec: the wizard asks for none. A value that
//! looks like one (pasted into the wrong field, or a whole connection string
//! where a name was meant) is a warning on that field, and
//! [`without_secrets`] is what the browser stores instead of the spec.
//!
//! The shapes are deliberately narrow, to warn without crying wolf on names:
//! a SAS token's `sig=`, `AccountKey=` / `SharedAccessKey=` of a connection
//! string, a PEM private key, a storage account key (88 base64 characters
//! ending in `==`), and a Microsoft Entra client secret (40 characters with
//! `Q~` after four characters, as Entra generates them).

use serde_json::Value;

use super::{Finding, Rule};
use crate::spec::Spec;

/// Whether `value` looks like a credential.
pub fn looks_like_secret(value: &str) -> bool {
    // Every shape below has '=', "-----" or "Q~": most names and IDs have
    // none, and are done with here (this runs on every field, every keystroke).
    if !value.contains('=') && !value.contains("-----") && !value.contains("Q~") {
        return false;
    }
    let lower = value.to_ascii_lowercase();
    let markers = ["sig=", "accountkey=", "sharedaccesskey=", "-----begin", "private key-----", "client_secret="];
    if markers.iter().any(|m| lower.contains(m)) {
        return true;
    }
    value.split(|c: char| c.is_whitespace() || c == ';' || c == '&' || c == '"' || c == '\'').any(|word| {
        let storage_key = word.len() == 88
            && word.ends_with("==")
            && word.chars().all(|c| c.is_ascii_alphanumeric() || "+/=".contains(c));
        let entra_secret = word.len() == 40
            && word.get(4..6) == Some("Q~")
            && word.chars().all(|c| c.is_ascii_alphanumeric() || "~_.-".contains(c));
        storage_key || entra_secret
    })
}

/// A warning on every field whose value looks like a secret.
pub(super) fn check(spec: &Spec, out: &mut Vec<Finding>) {
    for (field, value) in text_fields(spec) {
        if looks_like_secret(&value) {
            out.push(Finding::new(Rule::SecretInField, field));
        }
    }
}

/// The spec as the browser may store it: values that look like secrets are
/// emptied (the field's warning stays on screen until the page is left).
pub fn without_secrets(spec: &Spec) -> Spec {
    if !text_fields(spec).iter().any(|(_, v)| looks_like_secret(v)) {
        return spec.clone();
    }
    let mut clean = spec.clone();
    clean.tags.0.iter_mut().for_each(|(name, value)| {
        for text in [name, value] {
            if looks_like_secret(text) {
                text.clear();
            }
        }
    });
    // Through the JSON text and `&Value`, as spec_json reads specs: the
    // wasm then carries no second copy of the spec's serde code.
    let Ok(mut json) = serde_json::from_str::<Value>(&crate::spec_json::to_json(&clean)) else { return clean };
    scrub(&mut json);
    crate::spec_json::read(&json).unwrap_or(clean)
}

fn scrub(value: &mut Value) {
    match value {
        Value::String(s) if looks_like_secret(s) => s.clear(),
        Value::Array(items) => items.iter_mut().for_each(scrub),
        Value::Object(map) => map.values_mut().for_each(scrub),
        _ => {}
    }
}

/// Every text value of the spec with its field path (`registry.name`,
/// `registry.networking.ipRules[2]`, `tags[0].value`), as findings name them.
fn text_fields(spec: &Spec) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, (name, value)) in spec.tags.iter().enumerate() {
        out.push((format!("tags[{i}].name"), name.to_string()));
        out.push((format!("tags[{i}].value"), value.to_string()));
    }
    if let Ok(Value::Object(mut map)) = serde_json::from_str::<Value>(&crate::spec_json::to_json(spec)) {
        map.remove("tags");
        for (key, value) in map {
            walk(&value, &key, &mut out);
        }
    }
    out
}

fn walk(value: &Value, path: &str, out: &mut Vec<(String, String)>) {
    match value {
        Value::String(s) => out.push((path.to_string(), s.clone())),
        Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| walk(v, &format!("{path}[{i}]"), out)),
        Value::Object(map) => map.iter().for_each(|(k, v)| walk(v, &format!("{path}.{k}"), out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_recognized_and_names_are_not() {
        let storage_key = format!("{}==", "A1b2".repeat(21) + "xy");
        assert_eq!(storage_key.len(), 88);
        for secret in &[
            &"sv=2022-11-02&ss=b&srt=sco&sp=rl&se=2027-01-01&sig=abc%2Bdef".to_string(),
            &"DefaultEndpointsProtocol=https;AccountName=x;AccountKey=abc==;EndpointSuffix=core.windows.net"
                .to_string(),
            &"-----BEGIN RSA PRIVATE KEY-----\nMIIE".to_string(),
            &storage_key,
            &format!("abc8Q~{}", "a".repeat(34)),
            &"Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=a;SharedAccessKey=b".to_string(),
        ] {
            assert!(looks_like_secret(secret), "{secret}");
        }
        for name in [
            "contosocmkregistry",
            "https://kv-registry-cmk-01.vault.azure.net/keys/registry-cmk",
            "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Compute/diskEncryptionSets/des",
            "Team \"Edge\" — 엣지 팀",
            "203.0.113.0/24",
        ] {
            assert!(!looks_like_secret(name), "{name}");
        }
    }

    #[test]
    fn stored_spec_has_no_secret() {
        let mut spec = Spec::default();
        spec.registry.name = "contosoregistry".into();
        spec.tags.0.push(("owner".into(), "DefaultEndpointsProtocol=https;AccountKey=abc==".into()));
        spec.registry.networking.ip_rules.push("sig=abc".into());
        let clean = without_secrets(&spec);
        assert_eq!(clean.registry.name, "contosoregistry");
        assert_eq!(clean.tags.0[0], ("owner".to_string(), String::new()));
        assert_eq!(clean.registry.networking.ip_rules, [""]);
    }
}
