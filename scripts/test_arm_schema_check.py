"""Tests of scripts/arm-schema-check.py: the one recorded schema exception and
nothing more, enum and unknown-property rejection, template expressions where
the schemas allow them, and the skip/fail policy without the schema directory.

Needs jsonschema (.tools/pyschema) and the Azure schemas (../shared/azure-schemas);
without the schemas these tests are skipped, or fail when RW_REQUIRE_SCHEMAS=1.

run: .tools/pyschema/bin/python -m unittest discover -s scripts -p 'test_arm_schema_check.py'
"""
import copy
import importlib.util
import os
import pathlib
import subprocess
import sys
import tempfile
import unittest

HERE = pathlib.Path(__file__).resolve().parent
SPEC = importlib.util.spec_from_file_location("arm_schema_check", HERE / "arm-schema-check.py")
check = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(check)

SCHEMAS = os.environ.get("RW_AZURE_SCHEMAS") or str(HERE.parent.parent / "shared" / "azure-schemas")
HAVE_SCHEMAS = (pathlib.Path(SCHEMAS) / "schemas").is_dir()

REGISTRY = "Microsoft.ContainerRegistry/registries"
PREVIEW = "2026-03-01-preview"
STABLE = "2025-11-01"
SUBNET = "[resourceId('Microsoft.Network/virtualNetworks/subnets', parameters('vnet'), parameters('subnet'))]"


def registry(api_version, **properties):
    return {
        "type": REGISTRY, "apiVersion": api_version, "name": "[parameters('registryName')]",
        "location": "[parameters('location')]", "sku": {"name": "Premium"},
        "properties": {"adminUserEnabled": False, **properties},
    }


def vnet_registry(api_version, rule):
    return registry(api_version, networkRuleSet={"defaultAction": "Deny", "ipRules": [], "virtualNetworkRules": [rule]})


class WithSchemas(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not HAVE_SCHEMAS:
            if os.environ.get("RW_REQUIRE_SCHEMAS") == "1":
                raise AssertionError(f"no Azure schemas at {SCHEMAS} and RW_REQUIRE_SCHEMAS=1")
            raise unittest.SkipTest(f"no Azure schemas at {SCHEMAS}")
        cls.schemas = check.Schemas(SCHEMAS)

    def errors(self, resource):
        uri = self.schemas.definition_uri(resource["type"], resource["apiVersion"])
        return self.schemas.errors(resource, uri)

    def paths(self, resource):
        return [p for p, _ in self.errors(resource)]


class VnetRuleSubnetId(WithSchemas):
    """A 2026-03-01-preview registry's virtual network rule names its subnet
    `virtualNetworkSubnetResourceId`; the older wire name `id` is refused."""

    RULE = "$.properties.networkRuleSet.virtualNetworkRules[0]"

    def test_no_exception_is_left(self):
        self.assertEqual(check.EXCEPTIONS, {})

    def test_the_subnet_id_is_accepted(self):
        self.assertEqual(self.errors(vnet_registry(PREVIEW, {"action": "Allow", "virtualNetworkSubnetResourceId": SUBNET})), [])

    def test_the_old_wire_name_is_refused(self):
        self.assertIn(self.RULE + ".id", self.paths(vnet_registry(PREVIEW, {"action": "Allow", "id": SUBNET,
                                                                             "virtualNetworkSubnetResourceId": SUBNET})))
        self.assertEqual(self.paths(vnet_registry(PREVIEW, {"action": "Allow"})), [self.RULE])

    def test_the_stable_registry_has_no_vnet_rules_at_all(self):
        self.assertEqual(self.paths(vnet_registry(STABLE, {"action": "Allow", "virtualNetworkSubnetResourceId": SUBNET})),
                         ["$.properties.networkRuleSet.virtualNetworkRules"])


class Rejections(WithSchemas):
    def test_bad_enum_values_are_rejected(self):
        bad_sku = registry(STABLE)
        bad_sku["sku"]["name"] = "Platinum"
        self.assertEqual(self.errors(bad_sku), [("$.sku.name", "'Platinum' is not one of ['Classic', 'Basic', 'Standard', 'Premium']")])
        self.assertEqual(self.paths(registry(STABLE, publicNetworkAccess="Sometimes")), ["$.properties.publicNetworkAccess"])
        vault = {"type": "Microsoft.KeyVault/vaults", "apiVersion": "2026-02-01", "name": "kv", "location": "westeurope",
                 "properties": {"tenantId": "[subscription().tenantId]", "sku": {"family": "A", "name": "gold"}}}
        self.assertEqual(self.paths(vault), ["$.properties.sku.name"])

    def test_unknown_properties_are_rejected_at_every_level(self):
        resource = registry(STABLE, adminUserEnabledd=True)
        resource["skus"] = {}
        self.assertEqual(self.paths(resource), ["$.properties.adminUserEnabledd", "$.skus"])

    def test_template_language_keys_are_allowed_on_every_resource(self):
        resource = registry(STABLE)
        resource.update(dependsOn=["[resourceId('Microsoft.KeyVault/vaults', 'kv')]"], condition="[parameters('deploy')]",
                        comments="c", copy={"name": "loop", "count": 2})
        self.assertEqual(self.errors(resource), [])
        resource["resourceGroup"] = "rg"  # a nested deployment's, not a registry's
        self.assertEqual(self.paths(resource), ["$.resourceGroup"])

    def test_a_type_or_api_version_without_a_schema_fails(self):
        with self.assertRaises(check.Fail):
            self.schemas.definition_uri(REGISTRY, "2019-01-01")
        with self.assertRaises(check.Fail):
            self.schemas.definition_uri("Microsoft.ContainerRegistry/noSuchType", STABLE)

    def test_the_self_test_passes(self):
        check.self_test(self.schemas)

    def test_the_self_test_fails_when_unknown_properties_pass(self):
        real = check._close_objects
        check._close_objects = lambda schema: None
        try:
            open_schemas = check.Schemas(SCHEMAS)
            with self.assertRaisesRegex(check.Fail, "unknown property"):
                check.self_test(open_schemas)
        finally:
            check._close_objects = real


class Expressions(WithSchemas):
    def test_expressions_pass_where_the_schema_offers_one(self):
        resource = registry(STABLE, adminUserEnabled="[parameters('admin')]",          # boolean
                            publicNetworkAccess="[parameters('access')]",              # enum
                            networkRuleSet="[variables('rules')]")                     # object
        resource["sku"] = {"name": "[parameters('sku')]"}                               # enum
        resource["tags"] = "[parameters('tags')]"                                        # object
        self.assertEqual(self.errors(resource), [])
        key = {"type": "Microsoft.KeyVault/vaults/keys", "apiVersion": "2026-02-01",
               "name": "[format('{0}/{1}', parameters('vault'), parameters('key'))]",
               "properties": {"kty": "RSA", "keySize": "[parameters('keySize')]"}}   # integer
        self.assertEqual(self.errors(key), [])

    def test_an_expression_passes_where_a_plain_branch_matches_it_too(self):
        # `template` is oneOf [{}, expression]: both match, which oneOf alone rejects.
        deployment = {"type": "Microsoft.Resources/deployments", "apiVersion": "2025-04-01", "name": "nested",
                      "properties": {"mode": "Incremental", "template": "[variables('inner')]"}}
        self.assertEqual(self.errors(deployment), [])

    def test_literals_and_escapes_are_not_expressions(self):
        self.assertEqual(self.paths(registry(STABLE, adminUserEnabled="true")), ["$.properties.adminUserEnabled"])
        self.assertEqual(self.paths(registry(STABLE, publicNetworkAccess="[[parameters('x')]")), ["$.properties.publicNetworkAccess"])
        self.assertFalse(check.is_expression("[[escaped]"))
        self.assertFalse(check.is_expression("[not closed"))
        self.assertTrue(check.is_expression("[parameters('x')]"))

    def test_no_expression_where_the_schema_offers_none(self):
        resource = registry(STABLE)
        resource["apiVersion"] = "[variables('api')]"
        with self.assertRaises(check.Fail):
            self.errors(resource)
        uri = self.schemas.definition_uri(REGISTRY, STABLE)
        self.assertEqual([p for p, _ in self.schemas.errors(resource, uri)], ["$.apiVersion"])

    def test_a_nested_deployments_inner_resources_are_checked(self):
        inner = registry(STABLE, publicNetworkAccess="Sometimes")
        template = {
            "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
            "contentVersion": "1.0.0.0",
            "resources": [{"type": "Microsoft.Resources/deployments", "apiVersion": "2025-04-01", "name": "nested",
                           "resourceGroup": "[parameters('rg')]",
                           "properties": {"mode": "Incremental", "template": {
                               "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                               "contentVersion": "1.0.0.0", "resources": [inner]}}}],
        }
        results = []
        check.check_template(self.schemas, template, [], results)
        failed = [(label, errs) for ok, label, errs in results if not ok]
        self.assertEqual(len(results), 4)  # two skeletons, two resources
        self.assertEqual(len(failed), 1)
        self.assertEqual([p for p, _ in failed[0][1]],
                         ["$.resources[0].properties.template.resources[0].properties.publicNetworkAccess"])


class WithoutSchemas(unittest.TestCase):
    def run_check(self, require):
        env = {k: v for k, v in os.environ.items() if k not in ("RW_REQUIRE_SCHEMAS", "RW_AZURE_SCHEMAS")}
        if require:
            env["RW_REQUIRE_SCHEMAS"] = "1"
        with tempfile.TemporaryDirectory() as tmp:
            return subprocess.run([sys.executable, str(HERE / "arm-schema-check.py"), "/no/such/registry-wizard",
                                   "--schemas", str(pathlib.Path(tmp) / "azure-schemas")],
                                  env=env, capture_output=True, text=True, timeout=60)

    def test_a_missing_schema_directory_skips(self):
        p = self.run_check(require=False)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("skipped", p.stdout)

    def test_a_missing_schema_directory_fails_when_required(self):
        p = self.run_check(require=True)
        self.assertEqual(p.returncode, 1, p.stdout)
        self.assertIn("RW_REQUIRE_SCHEMAS=1", p.stderr)


if __name__ == "__main__":
    unittest.main()
