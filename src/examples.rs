//! Named example specs: one per scenario of the source documents. Each has a
//! golden output set under `tests/golden/NAME/` and runs through every check.

pub struct Example {
    pub name: &'static str,
    /// Catalog key of a one-line description.
    pub description: &'static str,
    /// The spec document, `examples/NAME.json`. Not in the page's wasm: the
    /// page fetches the same file from its own origin when the user picks an
    /// example (15 KB of JSON, ~2.8 KB gzip, off every first visit).
    #[cfg(not(target_arch = "wasm32"))]
    pub json: &'static str,
}

macro_rules! examples {
    ($($name:literal,)* day2: $($change:literal,)*) => {
        pub const EXAMPLES: &[Example] = &[
            $(Example {
                name: $name,
                description: concat!("example.", $name),
                #[cfg(not(target_arch = "wasm32"))]
                json: include_str!(concat!("../examples/", $name, ".json")),
            },)*
            $(#[cfg(feature = "day2")]
            Example {
                name: $change,
                description: concat!("example.", $change),
                #[cfg(not(target_arch = "wasm32"))]
                json: include_str!(concat!("../examples/", $change, ".json")),
            },)*
        ];
    };
}

examples! {
    "cmk-user-assigned",
    "cmk-template",
    "cmk-system-assigned-kv-firewall",
    "cmk-existing-versionless-key",
    "service-endpoint",
    "trusted-services-disabled",
    "ip-rules-selected-networks",
    "gallery-cmk-two-regions",
    "gallery-snapshots",
    "gallery-double-encryption",
    day2:
    "rotate-key-new-version",
    "rotate-to-system-identity-kv-firewall",
    "auto-rotation-policy",
    "revoke-key-access",
    "restore-key-access",
    "trusted-services-off-existing",
    "trusted-service-task-identity",
    "network-add-rules-existing",
    "restore-default-network-access",
    "show-registry-status",
    "gallery-add-region",
    "gallery-show-status",
}

pub fn find(name: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.name == name)
}
