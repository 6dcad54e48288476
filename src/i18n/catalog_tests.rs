//! The Korean and Traditional Chinese catalogs against the English one: every
//! key the page shows is translated, with the same placeholders, in words of
//! that language, citing the sources by their translated Learn titles.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::*;
use crate::rules::Rule;

fn catalog(locale: Locale) -> Map<String, Value> {
    let text = match locale {
        Locale::Ko => include_str!("ko.json"),
        Locale::ZhTw => include_str!("zh-TW.json"),
        Locale::En => unreachable!(),
    };
    match serde_json::from_str(text) {
        Ok(Value::Object(map)) => map,
        other => panic!("{}.json is not a JSON object: {other:?}", locale.code()),
    }
}

const OTHERS: [Locale; 2] = [Locale::Ko, Locale::ZhTw];

fn placeholders(text: &str) -> BTreeSet<&str> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else { break };
        found.insert(&rest[start..start + len + 1]);
        rest = &rest[start + len + 1..];
    }
    found
}

/// Titles of every document and section a rule cites.
fn source_titles() -> BTreeSet<&'static str> {
    Rule::ALL.iter().flat_map(|r| [r.source().document(), r.source().section()]).collect()
}

#[test]
fn every_text_of_the_page_is_translated() {
    for locale in OTHERS {
        let catalog = catalog(locale);
        let missing: Vec<_> = english_messages()
            .filter(|(key, _)| catalog.get(*key).and_then(Value::as_str).is_none_or(str::is_empty))
            .map(|(key, _)| key)
            .collect();
        assert!(missing.is_empty(), "{}.json lacks {} keys: {missing:?}", locale.code(), missing.len());
    }
}

#[test]
fn every_source_title_is_translated() {
    for locale in OTHERS {
        let catalog = catalog(locale);
        for title in source_titles() {
            assert!(catalog.contains_key(&format!("source:{title}")), "{}.json: no source:{title}", locale.code());
        }
    }
}

#[test]
fn catalogs_have_no_keys_the_page_does_not_use() {
    let page: BTreeSet<&str> = english_messages().map(|(k, _)| k).collect();
    let titles = source_titles();
    for locale in OTHERS {
        for key in catalog(locale).keys() {
            let known = match key.strip_prefix("source:") {
                Some(title) => titles.contains(title),
                None => page.contains(key.as_str()),
            };
            assert!(known, "{}.json: {key} is not a text of the page", locale.code());
        }
    }
}

#[test]
fn translations_have_the_placeholders_of_the_english() {
    for locale in OTHERS {
        let catalog = catalog(locale);
        for (key, english) in english_messages() {
            let Some(text) = catalog.get(key).and_then(Value::as_str) else { continue };
            assert_eq!(placeholders(text), placeholders(english), "{}.json: {key}: {text}", locale.code());
        }
    }
}

/// Words that stay in English in every language: Azure's product, resource
/// and role names, and the commands and parameters users type.
const UNTRANSLATED: &[&str] = &[
    "Azure", "Container", "Registry", "Key", "Vault", "Microsoft", "Managed", "HSM", "Entra", "ID", "RBAC",
    "CLI", "PowerShell", "ARM", "Bicep", "Terraform", "Premium", "Standard", "Basic", "ACR", "Tasks", "Task",
    "Defender", "Cloud", "Learn", "Private", "Link", "Compute", "Gallery", "Shared", "Image", "Crypto",
    "Service", "Encryption", "User", "Officer", "Contributor", "AcrPull", "AcrPush", "JSON", "URI", "URL",
    "GUID", "CIDR", "IPv", "IP", "LUN", "OS", "VM", "Event", "Grid", "Windows", "Linux", "Get", "Set",
    "Notation", "Notary", "Project",
    // Key permissions of an access policy.
    "get", "wrapKey", "unwrapKey",
];

fn untranslated(word: &str) -> bool {
    UNTRANSLATED.contains(&word) || crate::names::KNOWN_REGIONS.contains(&word)
}

/// A run of three or more English words that are not names or code is a
/// sentence left untranslated.
fn english_runs(text: &str) -> Vec<String> {
    // Code spans, quoted values, placeholders and commands are not prose.
    let mut prose = String::new();
    let mut skip_until: Option<char> = None;
    for c in text.chars() {
        match skip_until {
            Some(end) if c == end => skip_until = None,
            Some(_) => {}
            None => match c {
                '`' => skip_until = Some('`'),
                '{' => skip_until = Some('}'),
                '\'' | '"' => skip_until = Some(c),
                // Azure's own error messages are quoted verbatim, in English.
                '「' => skip_until = Some('」'),
                _ => prose.push(c),
            },
        }
    }
    let mut runs = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    let mut command = false;
    for token in prose.split(|c: char| c.is_whitespace() || "(),;，、（）：".contains(c)) {
        let word = token.trim_matches(|c: char| ".:!?".contains(c));
        let is_word = !word.is_empty() && word.chars().all(|c| c.is_ascii_alphabetic());
        // `az acr update ...`, `Set-AzKeyVaultKeyRotationPolicy -Name ...`: a command to its end.
        if word == "az" || word.contains("-Az") || word.starts_with("--") {
            command = true;
        }
        if !word.is_ascii() {
            command = false;
        }
        if is_word && !command && !untranslated(word) && word.chars().any(|c| c.is_ascii_lowercase()) {
            run.push(word);
        } else if !is_word || !untranslated(word) {
            if run.len() >= 3 {
                runs.push(run.join(" "));
            }
            run.clear();
        }
    }
    if run.len() >= 3 {
        runs.push(run.join(" "));
    }
    runs
}

#[test]
fn no_english_sentence_is_left() {
    for locale in OTHERS {
        let mut left = Vec::new();
        for (key, value) in catalog(locale) {
            let text = value.as_str().unwrap_or_default();
            for run in english_runs(text) {
                left.push(format!("{key}: \"{run}\""));
            }
        }
        assert!(left.is_empty(), "{}.json has English left:\n{}", locale.code(), left.join("\n"));
    }
}

/// The source documents are 2020-2021 machine translations with known
/// mistakes; the catalogs use Microsoft's current terms instead.
const MISTRANSLATIONS: &[(Locale, &str, &str)] = &[
    (Locale::ZhTw, "旋轉", "Rotate key is 輪替金鑰, not 旋轉鍵"),
    (Locale::Ko, "사용 하 여", "a verb split in two (사용하여)"),
    (Locale::Ko, "하 여", "a verb split in two"),
    (Locale::ZhTw, "金鑰庫", "Key Vault is 金鑰保存庫"),
];

#[test]
fn the_documents_mistranslations_are_not_repeated() {
    for (locale, wrong, why) in MISTRANSLATIONS {
        for (key, value) in catalog(*locale) {
            let text = value.as_str().unwrap_or_default();
            assert!(!text.contains(wrong), "{}.json {key}: '{wrong}': {why}", locale.code());
        }
    }
}

#[test]
fn the_english_check_can_fail() {
    assert_eq!(english_runs("레지스트리 it is not allowed here"), ["it is not allowed here"]);
    assert!(english_runs("`az acr update --name {registry} --default-action Deny`를 실행합니다").is_empty());
    assert!(english_runs("Key Vault Crypto Service Encryption User 역할").is_empty());
    assert!(english_runs("부여하세요(az keyvault role assignment create --hsm-name).").is_empty());
}

#[test]
fn no_text_says_seed() {
    for locale in OTHERS {
        for (key, value) in catalog(locale) {
            let text = value.as_str().unwrap_or_default().to_lowercase();
            for word in ["seed", "시드", "種子"] {
                assert!(!text.contains(word), "{}.json: {key}: {text}", locale.code());
            }
        }
    }
}

#[test]
fn installed_catalogs_answer_and_fall_back_to_english() {
    install_bundled();
    assert!(is_installed(Locale::Ko) && is_installed(Locale::ZhTw));
    for locale in OTHERS {
        let rotate = text(locale, "tab.encryption");
        assert_ne!(rotate, text(Locale::En, "tab.encryption"), "{}", locale.code());
        // A key only English has comes back in English, never blank.
        assert_eq!(text(locale, "app.title"), catalog(locale)["app.title"].as_str().unwrap());
    }
    assert_eq!(text(Locale::Ko, "no.such.key"), "(missing message)");
    assert_eq!(
        Rule::ALL[0].source().url_in(Locale::Ko),
        Rule::ALL[0].source().url().replace("learn.microsoft.com/azure", "learn.microsoft.com/ko-kr/azure")
    );
}

#[test]
fn a_broken_catalog_is_refused_whole() {
    for bad in ["", "[]", "{\"a\": 1}", "{\"a\": \"b\""] {
        assert!(parse_catalog(bad).is_err(), "{bad}");
    }
    let catalog = parse_catalog("{\"b\": \"2\", \"a\": \"1\"}").unwrap();
    assert_eq!(catalog, [("a", "1"), ("b", "2")]);
}

#[test]
fn the_browser_language_picks_the_catalog() {
    let cases: &[(&[&str], Locale)] = &[
        (&["ko-KR", "en-US"], Locale::Ko),
        (&["ko"], Locale::Ko),
        (&["zh-TW"], Locale::ZhTw),
        (&["zh-Hant-TW"], Locale::ZhTw),
        (&["zh-HK"], Locale::ZhTw),
        (&["zh-CN", "ko"], Locale::Ko),
        (&["zh-CN"], Locale::En),
        (&["fr-FR", "de"], Locale::En),
        (&["en-GB", "ko"], Locale::En),
        (&[], Locale::En),
    ];
    for (languages, expected) in cases {
        assert_eq!(Locale::from_browser(languages.iter().copied()), *expected, "{languages:?}");
    }
}
