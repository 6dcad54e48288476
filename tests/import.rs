//! Day 2 starts from a registry's JSON: real responses recorded by the Azure
//! CLI's own tests (tests/fixtures/import, each naming its source) become the
//! spec they describe; malformed, truncated and foreign documents are clear
//! errors; no JSON value makes the importer panic.
#![cfg(feature = "day2")]

mod support;

use proptest::prelude::*;
use registry_wizard::import;
use registry_wizard::spec::{PublicAccess, Sku};
use serde_json::{json, Value};

/// A fixture's document without the `_source` note the fixture adds.
fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/import/{name}", env!("CARGO_MANIFEST_DIR"));
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    doc.as_object_mut().unwrap().remove("_source");
    doc
}

/// `az acr show` prints the same registry flattened: `properties` lifted to
/// the top, `resourceGroup` added (the CLI's `todict` of the SDK model).
fn flattened(arm: &Value) -> Value {
    let mut doc = arm.as_object().unwrap().clone();
    let properties = doc.remove("properties").unwrap();
    for (k, v) in properties.as_object().unwrap() {
        doc.insert(k.clone(), v.clone());
    }
    doc.insert("resourceGroup".into(), json!("clitest.rg000001"));
    Value::Object(doc)
}

/// `Get-AzContainerRegistry | ConvertTo-Json` prints the same registry as
/// the Az.ContainerRegistry model's flattened properties (names from its
/// generated Registry.cs: SkuName, KeyVaultPropertyKeyIdentifier,
/// NetworkRuleSetIPRule with Action and IPAddressOrRange, ...), enums as
/// strings (Az 16's module).
fn as_powershell(arm: &Value) -> Value {
    let p = &arm["properties"];
    let kv = &p["encryption"]["keyVaultProperties"];
    let users: serde_json::Map<String, Value> = arm["identity"]["userAssignedIdentities"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(id, u)| (id.clone(), json!({ "PrincipalId": u["principalId"], "ClientId": u["clientId"] })))
                .collect()
        })
        .unwrap_or_default();
    let rules: Vec<Value> = p["networkRuleSet"]["ipRules"]
        .as_array()
        .map(|r| r.iter().map(|r| json!({ "Action": r["action"], "IPAddressOrRange": r["value"] })).collect())
        .unwrap_or_default();
    json!({
        "Name": arm["name"], "Id": arm["id"], "Location": arm["location"], "ResourceGroupName": "clitest.rg000001",
        "Type": arm["type"], "SkuName": arm["sku"]["name"], "SkuTier": arm["sku"]["tier"],
        "EncryptionStatus": p["encryption"]["status"],
        "KeyVaultPropertyKeyIdentifier": kv["keyIdentifier"], "KeyVaultPropertyIdentity": kv["identity"],
        "IdentityType": arm["identity"]["type"], "IdentityPrincipalId": arm["identity"]["principalId"],
        "IdentityTenantId": arm["identity"]["tenantId"], "IdentityUserAssignedIdentity": users,
        "PublicNetworkAccess": p["publicNetworkAccess"], "NetworkRuleSetDefaultAction": p["networkRuleSet"]["defaultAction"],
        "NetworkRuleSetIPRule": rules, "NetworkRuleBypassOption": p["networkRuleBypassOptions"],
        "AdminUserEnabled": p["adminUserEnabled"], "ZoneRedundancy": p["zoneRedundancy"],
        "LoginServer": p["loginServer"], "CreationDate": p["creationDate"], "ProvisioningState": p["provisioningState"],
    })
}

#[test]
fn a_registry_from_powershell_is_the_same_spec() {
    let arm = fixture("registry-cmk-2021-08-01-preview.json");
    let from_arm = import::registry(&arm.to_string()).unwrap().spec;
    let ps = as_powershell(&arm);
    let imported = import::registry(&ps.to_string()).unwrap();
    assert_eq!(imported.spec, from_arm);
    assert!(imported.unmapped.contains(&"$.AdminUserEnabled".to_string()), "{:?}", imported.unmapped);
    // Az.ContainerRegistry 4.x prints enum values as {}: said, and the key
    // identifier still tells a customer-managed key.
    let mut old = ps.as_object().unwrap().clone();
    for name in ["EncryptionStatus", "PublicNetworkAccess", "NetworkRuleBypassOption"] {
        old.insert(name.into(), json!({}));
    }
    let imported = import::registry(&Value::Object(old).to_string()).unwrap();
    assert_eq!(imported.spec.change.existing.key_uri, from_arm.change.existing.key_uri);
    assert!(imported.assumed.iter().any(|a| a.contains("PublicNetworkAccess")), "{:?}", imported.assumed);
}

#[test]
fn a_recorded_registry_becomes_its_day2_spec() {
    let arm = fixture("registry-cmk-2021-08-01-preview.json");
    for (shape, doc) in [("ARM resource", arm.clone()), ("az acr show", flattened(&arm))] {
        let imported = import::registry(&doc.to_string()).unwrap_or_else(|e| panic!("{shape}: {e}"));
        let spec = &imported.spec;
        assert!(spec.is_change(), "{shape}");
        assert_eq!(spec.registry.name, "testreg000006", "{shape}");
        assert_eq!(spec.resource_group.name, "clitest.rg000001", "{shape}");
        assert_eq!(spec.subscription_id, "00000000-0000-0000-0000-000000000000", "{shape}");
        assert_eq!(spec.location, "westus", "{shape}");
        let e = &spec.change.existing;
        assert_eq!(e.sku, Sku::Premium);
        assert_eq!(
            e.key_uri,
            "https://clitest000002.vault.azure.net/keys/testkey000003/482c3c34119042a9b7c998c0f70ea0a1"
        );
        assert_eq!(e.key_identity, "33b5bfe1-ff99-42ec-a264-a19d6bf8e4f7");
        assert_eq!(e.user_identities.len(), 1, "{shape}: the lower-camel-case 'userAssigned' identity type of 2021");
        assert!(e.system_principal_id.is_empty());
        assert_eq!(e.public_access, PublicAccess::All);
        assert!(e.allow_trusted_services);
        assert_eq!(spec.registry.encryption.key_vault.name, "clitest000002");
        assert!(imported.unmapped.iter().any(|p| p.contains("policies")), "{shape}: {:?}", imported.unmapped);
        assert!(!imported.unmapped.iter().any(|p| p.contains("keyIdentifier")), "{shape}: {:?}", imported.unmapped);
        assert!(!imported.assumed.is_empty(), "{shape}: the vault's permission model is an assumption, said");
        // The imported spec is ready for an operation: rotating its key checks
        // out and gives a script.
        let script = support::emit_ok(spec, registry_wizard::emit::Format::AzCli);
        assert!(script.contains("az acr encryption rotate-key"), "{shape}");
    }
}

/// The wizard imports into the change being composed: the registry and what
/// it has come from the JSON, the operation and its settings stay.
#[test]
fn importing_keeps_the_operation_being_composed() {
    use registry_wizard::spec::{Operation, RevokeMethod};
    let mut current = registry_wizard::spec_json::from_json(registry_wizard::examples::find("revoke-key-access").unwrap().json).unwrap();
    current.change.revoke = RevokeMethod::DisableKey;
    current.registry.networking.ip_rules = vec!["203.0.113.7".into()];
    current.registry.encryption.key_vault.name = "clitest000002".into();
    current.registry.encryption.key_vault.resource_group = "rg-vaults".into();
    assert!(current.change.acknowledged);
    let imported = import::registry(&fixture("registry-cmk-2021-08-01-preview.json").to_string()).unwrap();
    let existing = imported.spec.change.existing.clone();
    let spec = imported.onto(&current);
    assert_eq!(spec.registry.name, "testreg000006");
    assert_eq!(spec.resource_group.name, "clitest.rg000001");
    assert_eq!(spec.change.existing, existing);
    assert_eq!(spec.change.operation, Operation::RevokeKeyAccess);
    assert_eq!(spec.change.revoke, RevokeMethod::DisableKey);
    assert!(!spec.change.acknowledged, "an acknowledgement given for another registry is asked again");
    assert_eq!(spec.registry.networking.ip_rules, ["203.0.113.7"]);
    assert_eq!(spec.registry.encryption.key_vault.resource_group, "rg-vaults", "the vault the user described is the key's: kept");
    // A vault that is not the key's is replaced by the key's.
    current.registry.encryption.key_vault.name = "another-vault".into();
    let spec = import::registry(&fixture("registry-cmk-2021-08-01-preview.json").to_string()).unwrap().onto(&current);
    assert_eq!(spec.registry.encryption.key_vault.name, "clitest000002");
    assert!(spec.registry.encryption.key_vault.resource_group.is_empty());
}

#[test]
fn network_rules_of_either_spelling_are_read() {
    let mut arm = fixture("registry-cmk-2021-08-01-preview.json");
    let p = arm["properties"].as_object_mut().unwrap();
    p.insert("networkRuleSet".into(), json!({
        "defaultAction": "Deny",
        "ipRules": [{ "action": "Allow", "value": "203.0.113.7" }],
        "virtualNetworkRules": [{ "action": "Allow", "id": "/subscriptions/0/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v/subnets/s" }],
    }));
    p.insert("networkRuleBypassOptions".into(), json!("None"));
    let spec = import::registry(&arm.to_string()).unwrap().spec;
    assert_eq!(spec.change.existing.public_access, PublicAccess::SelectedNetworks);
    assert_eq!(spec.change.existing.ip_rules, ["203.0.113.7"]);
    assert_eq!(spec.change.existing.vnet_rules.len(), 1);
    assert!(!spec.change.existing.allow_trusted_services);
    let flat = flattened(&arm);
    let mut flat = flat.as_object().unwrap().clone();
    flat.insert("networkRuleSet".into(), json!({
        "defaultAction": "Deny",
        "ipRules": [{ "action": "Allow", "ipAddressOrRange": "203.0.113.7" }],
        "virtualNetworkRules": [{ "action": "Allow", "virtualNetworkResourceId": "/subscriptions/0/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v/subnets/s" }],
    }));
    assert_eq!(
        import::registry(&Value::Object(flat).to_string()).unwrap().spec.change.existing.ip_rules,
        ["203.0.113.7"]
    );
    // 2026 previews name a rule's subnet `virtualNetworkSubnetResourceId`.
    let subnet = "/subscriptions/0/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v/subnets/new";
    arm["properties"]["networkRuleSet"]["virtualNetworkRules"] =
        json!([{ "action": "Allow", "virtualNetworkSubnetResourceId": subnet }]);
    assert_eq!(import::registry(&arm.to_string()).unwrap().spec.change.existing.vnet_rules, [subnet]);
}

#[test]
fn malformed_truncated_and_foreign_documents_are_clear_errors() {
    let arm = fixture("registry-cmk-2021-08-01-preview.json").to_string();
    let truncated = &arm[..arm.len() / 2];
    let cases: Vec<(String, &str)> = vec![
        (truncated.to_string(), "not JSON"),
        ("[1, 2]".into(), "at $: expected the registry's JSON object"),
        (fixture("identity-not-a-registry.json").to_string(), "at $.type"),
        (arm.replace("\"name\":\"testreg000006\"", "\"name\":6"), "at $.name"),
        (arm.replace("\"name\":\"Premium\"", "\"name\":\"Gold\""), "at $.sku.name"),
    ];
    for (text, says) in cases {
        let error = import::registry(&text).unwrap_err();
        assert!(error.contains(says), "{error}");
    }
}

/// An image version that exists: a real response (Azure names its target
/// regions for display), in its ARM shape and as `az sig image-version show`
/// prints it (properties lifted to the top); the version gets a region and
/// its scripts check the regions it has.
#[test]
fn a_recorded_image_version_becomes_its_day2_spec() {
    use registry_wizard::spec::{DataDiskEncryption, GalleryEncryption, Kind, Operation, TargetRegion};
    let arm = fixture("image-version-cmk-2021-10-01.json");
    for (shape, doc) in [("ARM resource", arm.clone()), ("az sig image-version show", flattened(&arm))] {
        let imported = import::resource(&doc.to_string()).unwrap_or_else(|e| panic!("{shape}: {e}"));
        let spec = &imported.spec;
        assert_eq!(spec.kind, Kind::GalleryImageVersion, "{shape}");
        assert!(spec.is_change());
        assert_eq!(spec.change.operation, Operation::GalleryAddRegions);
        assert_eq!(
            (spec.gallery.name.as_str(), spec.gallery.image_definition.as_str(), spec.gallery.version.as_str()),
            ("gallery_000003", "image1", "1.1.1")
        );
        assert_eq!(spec.resource_group.name, "clitest.rg000001");
        assert_eq!(spec.change.existing.target_regions, ["centraluseuap"], "{shape}: 'Central US EUAP' in the CLI's spelling");
        assert!(spec.change.existing.data_disk_luns.is_empty(), "{shape}: the recorded version has no data disk");
        assert_eq!(spec.gallery.encryption, GalleryEncryption::CustomerKey);
        assert!(spec.gallery.target_regions.is_empty(), "the regions to add are the user's");
        assert!(!imported.assumed.is_empty(), "{shape}: double encryption is an assumption, said");

        let mut spec = spec.clone();
        let des = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/clitest.rg000001/providers/Microsoft.Compute/diskEncryptionSets/des-eastus2";
        spec.gallery.target_regions.push(TargetRegion {
            region: "eastus2".into(),
            os_disk_encryption_set_id: des.into(),
            ..TargetRegion::default()
        });
        let script = support::emit_ok(&spec, registry_wizard::emit::Format::AzCli);
        assert!(script.contains("--add publishingProfile.targetRegions"), "{shape}");
        // A region it has already is an error before any script.
        spec.gallery.target_regions[0].region = "centraluseuap".into();
        spec.gallery.target_regions[0].data_disk_encryption_sets.push(DataDiskEncryption::default());
        let findings = registry_wizard::rules::check(&spec);
        assert!(findings.iter().any(|f| f.rule.id() == "CHG-GALLERY-REGION-EXISTS"), "{findings:?}");
    }
}

/// A registry pasted while an image version is being changed, and the other
/// way round: each takes the operation its kind has.
#[test]
fn importing_the_other_kind_takes_its_operation() {
    use registry_wizard::spec::{Kind, Operation};
    let gallery = registry_wizard::spec_json::from_json(registry_wizard::examples::find("gallery-add-region").unwrap().json).unwrap();
    let spec = import::resource(&fixture("registry-cmk-2021-08-01-preview.json").to_string()).unwrap().onto(&gallery);
    assert_eq!((spec.kind, spec.change.operation), (Kind::Registry, Operation::RotateKey));
    let registry = registry_wizard::spec_json::from_json(registry_wizard::examples::find("revoke-key-access").unwrap().json).unwrap();
    let spec = import::resource(&fixture("image-version-cmk-2021-10-01.json").to_string()).unwrap().onto(&registry);
    assert_eq!((spec.kind, spec.change.operation), (Kind::GalleryImageVersion, Operation::GalleryAddRegions));
    // Into an image version being changed: its new regions stay.
    let spec = import::resource(&fixture("image-version-cmk-2021-10-01.json").to_string()).unwrap().onto(&gallery);
    assert_eq!(spec.gallery.target_regions, gallery.gallery.target_regions);
}

#[test]
fn malformed_and_foreign_image_versions_are_clear_errors() {
    let arm = fixture("image-version-cmk-2021-10-01.json").to_string();
    let cases: Vec<(String, &str)> = vec![
        (arm[..arm.len() / 2].to_string(), "not JSON"),
        (arm.replace("\"targetRegions\"", "\"targetRegionz\""), "target regions are missing"),
        (arm.replace("/versions/1.1.1", "/versionz/1.1.1"), "at $.id"),
        (arm.replace("\"name\":\"Central US EUAP\"", "\"name\":5"), "expected a target region with a name"),
    ];
    for (text, says) in cases {
        let error = import::image_version(&text).unwrap_err();
        assert!(error.contains(says), "{says}: {error}");
    }
    let error = import::image_version(&fixture("identity-not-a-registry.json").to_string()).unwrap_err();
    assert!(error.contains("is not a gallery image version"), "{error}");
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        ".{0,12}".prop_map(Value::String),
        prop_oneof![Just("name"), Just("type"), Just("sku"), Just("properties"), Just("encryption"), Just("Premium")]
            .prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("name".to_string()),
                    Just("sku".into()),
                    Just("properties".into()),
                    Just("identity".into()),
                    Just("networkRuleSet".into()),
                    Just("ipRules".into()),
                    Just("publishingProfile".into()),
                    Just("targetRegions".into()),
                    ".{0,6}".prop_map(|s| s)
                ],
                inner,
                0..5
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    /// Never panics: every document is a spec or an error.
    #[test]
    fn any_json_is_a_spec_or_an_error(doc in any_json()) {
        let _ = import::registry(&doc.to_string());
        let _ = import::image_version(&doc.to_string());
        let _ = import::resource(&doc.to_string());
    }
}
