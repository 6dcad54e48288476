"""Tests of the Azure CLI stand-in (standin.py).

Run from the repository root:
  $STANDIN_PYTHON -m unittest discover -s tests/support/azure_standin -p 'test_*.py'
"""
import glob
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
STANDIN = os.path.join(HERE, "standin.py")
SUB = "00000000-0000-0000-0000-000000000000"


class Standin:
    """One state file; az() runs one simulated call in a fresh process, as bin/az does."""

    def __init__(self, seed=None):
        self.dir = tempfile.mkdtemp(prefix="standin-test-")
        self.state = os.path.join(self.dir, "state.json")
        with open(self.state, "w", encoding="utf-8") as f:
            json.dump({"seed": seed} if seed else {}, f)

    def env(self, extra=None):
        env = dict(os.environ)
        for k in ("STANDIN_RBAC_DELAY", "STANDIN_FAIL_CALL", "STANDIN_FAIL_MATCH"):
            env.pop(k, None)
        env["STANDIN_STATE"] = self.state
        env.update(extra or {})
        return env

    def run(self, args, env=None):
        p = subprocess.run([sys.executable, STANDIN] + list(args), env=self.env(env), capture_output=True,
                           text=True)
        return p.returncode, p.stdout, p.stderr

    def az(self, *args, env=None):
        return self.run(args, env)

    def ok(self, *args, env=None):
        rc, out, err = self.az(*args, env=env)
        if rc != 0:
            raise AssertionError("az {} failed ({}): {}".format(" ".join(args), rc, err))
        return json.loads(out) if out.strip() and "-o" not in args and "--output" not in args else out

    def sleep(self, n):
        return self.run(["--sleep", str(n)])

    def summary(self):
        rc, out, err = self.run(["summary"])
        assert rc == 0, err
        return json.loads(out)

    def raw(self):
        with open(self.state, encoding="utf-8") as f:
            return json.load(f)


def flatten(body):
    """What the CLI prints for an ARM resource it flattens: properties lifted to the top, plus resourceGroup."""
    out = {k: v for k, v in body.items() if k != "properties"}
    out.update(body.get("properties", {}))
    return out


DATA_MAPS = {"tags", "userAssignedIdentities"}


def shape_diff(recorded, actual, path="$"):
    """Keys of `recorded` missing from `actual`, or nesting that differs (dict vs list vs scalar)."""
    problems = []
    if recorded is None or actual is None:
        return problems
    if isinstance(recorded, dict):
        if not isinstance(actual, dict):
            return ["{}: recorded an object, got {}".format(path, type(actual).__name__)]
        if path.rsplit(".", 1)[-1] in DATA_MAPS:
            return problems  # keys are data (tag names, identity ids), not schema
        for k, v in recorded.items():
            if k not in actual:
                problems.append("{}.{}: missing".format(path, k))
            else:
                problems += shape_diff(v, actual[k], path + "." + k)
    elif isinstance(recorded, list):
        if not isinstance(actual, list):
            return ["{}: recorded a list, got {}".format(path, type(actual).__name__)]
        if recorded and actual:
            problems += shape_diff(recorded[0], actual[0], path + "[0]")
    elif isinstance(actual, (dict, list)):
        problems.append("{}: recorded a scalar, got {}".format(path, type(actual).__name__))
    return problems


def recorded(name):
    with open(os.path.join(HERE, "recorded", name), encoding="utf-8") as f:
        doc = json.load(f)
    assert doc["_source"]["repo"] and len(doc["_source"]["commit"]) == 40
    body = doc["body"]
    return flatten(body) if doc["_flatten"] else body


def cmk_world(s, rbac_delay=None):
    """Group, identity, RBAC vault with a key the identity may use; returns (identity id, versionless key uri)."""
    s.ok("group", "create", "-n", "rg", "-l", "eastus", "-o", "none")
    s.ok("identity", "create", "-n", "id1", "-g", "rg", "-o", "none")
    ident = s.ok("identity", "show", "-n", "id1", "-g", "rg")
    s.ok("keyvault", "create", "-n", "kv1", "-g", "rg", "-l", "eastus", "--enable-rbac-authorization", "true",
         "--enable-purge-protection", "true", "-o", "none")
    vault_id = s.ok("keyvault", "show", "-n", "kv1", "--query", "id", "-o", "tsv").strip()
    me = s.ok("ad", "signed-in-user", "show", "--query", "id", "-o", "tsv").strip()
    s.ok("role", "assignment", "create", "--assignee-object-id", me, "--assignee-principal-type", "User",
         "--role", "Key Vault Crypto Officer", "--scope", vault_id, "-o", "none")
    kid = s.ok("keyvault", "key", "create", "--vault-name", "kv1", "-n", "k1", "--kty", "RSA", "--size", "3072",
               "--query", "key.kid", "-o", "tsv").strip()
    return ident, vault_id, kid.rsplit("/", 1)[0]


class ShapeTests(unittest.TestCase):
    """The stand-in prints what the real CLI prints: every key of a recorded response, same nesting."""

    def assertShape(self, rec, actual):
        problems = shape_diff(rec, actual)
        self.assertEqual(problems, [], json.dumps(actual, indent=1)[:3000])

    def test_recorded_files_name_their_source(self):
        files = glob.glob(os.path.join(HERE, "recorded", "*.json"))
        self.assertGreaterEqual(len(files), 5)
        for f in files:
            with open(f, encoding="utf-8") as fh:
                doc = json.load(fh)
            self.assertIn("_source", doc, f)
            self.assertTrue(doc["_source"]["path"].startswith("src/azure-cli/"), f)

    def test_acr_show_with_cmk(self):
        s = Standin()
        ident, vault_id, key_uri = cmk_world(s)
        s.ok("role", "assignment", "create", "--assignee-object-id", ident["principalId"],
             "--assignee-principal-type", "ServicePrincipal", "--role", "Key Vault Crypto Service Encryption User",
             "--scope", vault_id, "-o", "none")
        s.ok("acr", "create", "-n", "registry1", "-g", "rg", "--sku", "Premium", "--identity", ident["id"],
             "--key-encryption-key", key_uri, "-o", "none")
        out = s.ok("acr", "show", "-n", "registry1")
        rec = recorded("acr_registry_cmk.json")
        self.assertShape(rec, out)
        self.assertEqual(out["resourceGroup"], "rg")
        self.assertNotIn("properties", out)
        self.assertEqual(out["encryption"]["keyVaultProperties"]["identity"], ident["clientId"])
        self.assertEqual(out["encryption"]["keyVaultProperties"]["keyIdentifier"], key_uri)
        self.assertTrue(out["encryption"]["keyVaultProperties"]["versionedKeyIdentifier"].startswith(key_uri + "/"))

    def test_identity_show_is_flat(self):
        s = Standin()
        s.ok("group", "create", "-n", "rg", "-l", "westus", "-o", "none")
        s.ok("identity", "create", "-n", "id1", "-g", "rg", "-o", "none")
        out = s.ok("identity", "show", "-n", "id1", "-g", "rg")
        self.assertShape(recorded("identity.json"), out)
        self.assertNotIn("properties", out)

    def test_keyvault_show_keeps_properties(self):
        s = Standin()
        s.ok("group", "create", "-n", "rg", "-l", "westus", "-o", "none")
        s.ok("keyvault", "create", "-n", "kv1", "-g", "rg", "--enable-rbac-authorization", "false",
             "--enable-purge-protection", "true", "-o", "none")
        out = s.ok("keyvault", "show", "-n", "kv1", "-g", "rg")
        self.assertShape(recorded("keyvault_access_policies.json"), out)
        self.assertEqual(out["properties"]["accessPolicies"][0]["permissions"]["keys"], ["all"])

    def test_key_create(self):
        s = Standin()
        s.ok("group", "create", "-n", "rg", "-l", "westus", "-o", "none")
        s.ok("keyvault", "create", "-n", "kv1", "-g", "rg", "--enable-rbac-authorization", "false", "-o", "none")
        out = s.ok("keyvault", "key", "create", "--vault-name", "kv1", "-n", "k1", "--kty", "RSA")
        rec = recorded("key_create.json")
        rec["key"]["keyOps"] = rec["key"].pop("key_ops")  # the CLI's camelCase
        self.assertShape(rec, out)
        self.assertRegex(out["key"]["kid"], r"^https://kv1\.vault\.azure\.net/keys/k1/[0-9a-f]{32}$")

    def test_subnet_shapes(self):
        s = Standin({"vnets": [{"resourceGroup": "rg", "name": "v", "location": "westus",
                                "subnets": [{"name": "s"}]}]})
        out = s.ok("network", "vnet", "subnet", "show", "-g", "rg", "--vnet-name", "v", "-n", "s")
        self.assertShape(recorded("subnet_no_endpoints.json"), out)
        self.assertNotIn("serviceEndpoints", out)
        out = s.ok("network", "vnet", "subnet", "update", "-g", "rg", "--vnet-name", "v", "-n", "s",
                   "--service-endpoints", "Microsoft.ContainerRegistry")
        self.assertShape(recorded("subnet_with_endpoint.json"), out)
        self.assertEqual(out["serviceEndpoints"][0]["locations"], ["*"])

    def test_group_show(self):
        s = Standin()
        s.ok("group", "create", "-n", "rg", "-l", "westus", "--tags", "a=b", "-o", "none")
        self.assertShape(recorded("resource_group.json"), s.ok("group", "show", "-n", "rg"))


class BehaviourTests(unittest.TestCase):

    def test_keyvault_create_twice_fails(self):
        s = Standin()
        s.ok("group", "create", "-n", "rg", "-l", "westus", "-o", "none")
        s.ok("keyvault", "create", "-n", "kv1", "-g", "rg", "-o", "none")
        rc, out, err = s.az("keyvault", "create", "-n", "kv1", "-g", "rg", "-o", "none")
        self.assertEqual(rc, 1)
        self.assertEqual(err, "ERROR: The specified vault: kv1 already exists\n")

    def test_keyvault_create_soft_deleted_name_fails(self):
        s = Standin({"deletedVaults": ["kvgone"]})
        s.ok("group", "create", "-n", "rg", "-l", "westus", "-o", "none")
        rc, _, err = s.az("keyvault", "create", "-n", "kvgone", "-g", "rg")
        self.assertEqual(rc, 1)
        self.assertIn("deleted state", err)

    def test_keyvault_default_is_rbac(self):
        s = Standin()
        s.ok("group", "create", "-n", "rg", "-l", "westus", "-o", "none")
        s.ok("keyvault", "create", "-n", "kv1", "-g", "rg", "-o", "none")
        self.assertEqual(s.ok("keyvault", "show", "-n", "kv1", "--query", "properties.enableRbacAuthorization",
                              "-o", "tsv"), "true\n")
        rc, _, err = s.az("keyvault", "set-policy", "-n", "kv1", "--object-id", "x", "--key-permissions", "get")
        self.assertEqual(rc, 1)
        self.assertIn("Cannot set policies to a vault with '--enable-rbac-authorization' specified", err)

    def test_role_assignment_create_twice_is_one(self):
        s = Standin()
        s.ok("group", "create", "-n", "rg", "-l", "westus", "-o", "none")
        scope = "/subscriptions/{}/resourceGroups/rg".format(SUB)
        s.ok("identity", "create", "-n", "id1", "-g", "rg", "-o", "none")
        pid = s.ok("identity", "show", "-n", "id1", "-g", "rg", "--query", "principalId", "-o", "tsv").strip()
        args = ("role", "assignment", "create", "--assignee-object-id", pid,
                "--assignee-principal-type", "ServicePrincipal", "--role", "Key Vault Crypto Service Encryption User",
                "--scope", scope)
        a = s.ok(*args)
        b = s.ok(*args)
        self.assertEqual(a["id"], b["id"])
        self.assertEqual(len(s.raw()["roleAssignments"]), 1)
        listed = s.ok("role", "assignment", "list", "--scope", scope)
        self.assertEqual(len(listed), 1)
        self.assertEqual(listed[0]["roleDefinitionName"], "Key Vault Crypto Service Encryption User")
        rc, _, err = s.az("role", "assignment", "delete", "--assignee", "11111111-1111-1111-1111-111111111111",
                          "--scope", scope)
        self.assertEqual(rc, 1)  # a GUID unknown to Graph: role/custom.py _resolve_object_id_and_type
        self.assertIn("Cannot find user or service principal in graph database", err)
        s.ok("role", "assignment", "delete", "--assignee", pid,
             "--role", "Key Vault Crypto Service Encryption User", "--scope", scope)
        self.assertEqual(s.raw()["roleAssignments"], [])

    def test_rbac_delay_until_sleep(self):
        s = Standin()
        s.ok("group", "create", "-n", "rg", "-l", "westus", "-o", "none")
        s.ok("keyvault", "create", "-n", "kv1", "-g", "rg", "-o", "none")
        vault_id = s.ok("keyvault", "show", "-n", "kv1", "--query", "id", "-o", "tsv").strip()
        me = s.ok("ad", "signed-in-user", "show", "--query", "id", "-o", "tsv").strip()
        delay = {"STANDIN_RBAC_DELAY": "120"}
        s.ok("role", "assignment", "create", "--assignee-object-id", me, "--assignee-principal-type", "User",
             "--role", "Key Vault Crypto Officer", "--scope", vault_id, env=delay)
        rc, _, err = s.az("keyvault", "key", "create", "--vault-name", "kv1", "-n", "k", env=delay)
        self.assertEqual(rc, 1)
        self.assertIn("ForbiddenByRbac", err)
        self.assertIn("Caller is not authorized to perform action on resource.", err)
        for _ in range(3):
            s.sleep(30)
        rc, _, _ = s.az("keyvault", "key", "create", "--vault-name", "kv1", "-n", "k", env=delay)
        self.assertEqual(rc, 1)  # 2 s per call + 90 s of sleep < 120 s
        s.sleep(30)
        rc, out, err = s.az("keyvault", "key", "create", "--vault-name", "kv1", "-n", "k", "--query", "key.kty",
                            "-o", "tsv", env=delay)
        self.assertEqual((rc, out), (0, "RSA\n"), err)
        self.assertEqual(s.raw()["sleeps"], [30, 30, 30, 30])

    def test_signed_in_user_fails_as_service_principal(self):
        s = Standin({"login": {"type": "servicePrincipal", "appId": "22222222-2222-2222-2222-222222222222",
                               "objectId": "33333333-3333-3333-3333-333333333333"}})
        rc, out, err = s.az("ad", "signed-in-user", "show", "--query", "id", "-o", "tsv")
        self.assertEqual((rc, out), (1, ""))
        self.assertEqual(err, "ERROR: /me request is only valid with delegated authentication flow.\n")
        self.assertEqual(s.ok("account", "show", "--query", "user", "-o", "tsv"),
                         "22222222-2222-2222-2222-222222222222\tservicePrincipal\n")
        self.assertEqual(s.ok("ad", "sp", "show", "--id", "22222222-2222-2222-2222-222222222222", "--query", "id",
                              "-o", "tsv"), "33333333-3333-3333-3333-333333333333\n")

    def test_tsv_formatting(self):
        s = Standin()
        s.ok("group", "create", "-n", "rg", "-l", "westus", "-o", "none")
        s.ok("keyvault", "create", "-n", "kv1", "-g", "rg", "--enable-purge-protection", "true", "-o", "none")
        q = lambda query: s.ok("keyvault", "show", "-n", "kv1", "--query", query, "-o", "tsv")  # noqa: E731
        self.assertEqual(q("properties.enablePurgeProtection"), "true\n")       # top-level boolean: lowercase
        self.assertEqual(q("properties.enabledForDiskEncryption"), "")          # None: nothing at all
        self.assertEqual(q("[name, location]"), "kv1\nwestus\n")                 # list: one line per item
        self.assertEqual(q("{n: name, p: properties.enablePurgeProtection, x: properties.createMode, "
                           "l: properties.accessPolicies, s: properties.sku}"),
                         "kv1\tTrue\tNone\t1\t\n")  # row: query order; nested bool/None as Python str, list→len
        # (1 access policy: without --enable-rbac-authorization create_vault still adds the creator's policy)
        # without --query a dict row is in sorted key order
        out = s.ok("group", "show", "-n", "rg", "-o", "tsv")
        self.assertEqual(out.split("\t")[:2], ["/subscriptions/{}/resourceGroups/rg".format(SUB), "westus"])
        rc, out, _ = s.az("group", "show", "-n", "rg", "--query", "nothing", "-o", "json")
        self.assertEqual((rc, out), (0, ""))

    def test_tsv_matches_knack(self):
        """When knack is importable (the Azure CLI's python), compare with knack's own TSV formatter."""
        try:
            import collections
            import jmespath
            from knack.output import format_tsv
            from knack.util import CommandResultItem
        except ImportError:
            self.skipTest("knack not importable: run with STANDIN_PYTHON (the Azure CLI's python)")
        sys.path.insert(0, HERE)
        import standin
        cases = [True, False, 0, 1.5, "x", "", [True, None, "a"], {"b": True, "a": None, "c": [1, 2], "d": {"x": 1}},
                 [{"b": 1, "a": 2}, {"a": 3}], [[1, 2], [3]], {"k": False}]
        for c in cases:
            for q in ("@", "{z: @, a: `1`}", "[@, @]", "{b: b, a: a}"):
                try:
                    data = jmespath.search(q, c, jmespath.Options(collections.OrderedDict))
                except jmespath.exceptions.JMESPathError:
                    continue
                if data is not None:
                    self.assertEqual(standin.format_tsv(data), format_tsv(CommandResultItem(data)), (c, q))

    def test_fail_call_fails_exactly_once(self):
        s = Standin()
        env = {"STANDIN_FAIL_CALL": "2"}
        self.assertEqual(s.az("group", "create", "-n", "rg", "-l", "westus", env=env)[0], 0)
        rc, _, err = s.az("identity", "create", "-n", "id1", "-g", "rg", env=env)
        self.assertEqual(rc, 1)
        self.assertIn("ServiceUnavailable", err)
        self.assertEqual(s.summary()["identities"], {})
        self.assertEqual(s.az("identity", "create", "-n", "id1", "-g", "rg", env=env)[0], 0)
        self.assertEqual(s.az("identity", "create", "-n", "id2", "-g", "rg", env=env)[0], 0)
        self.assertEqual(len(s.raw()["calls"]), 4)
        rc, _, _ = s.az("acr", "create", "-n", "registry2", "-g", "rg", "--sku", "Basic", env={"STANDIN_FAIL_MATCH": "acr create"})
        self.assertEqual(rc, 1)

    def test_subnet_update_replaces_list(self):
        s = Standin({"vnets": [{"resourceGroup": "rg", "name": "v", "location": "westus",
                                "subnets": [{"name": "s", "serviceEndpoints": ["Microsoft.Storage"]}]}]})
        base = ("network", "vnet", "subnet")
        sel = ("-g", "rg", "--vnet-name", "v", "-n", "s")
        self.assertEqual(s.ok(*base, "show", *sel, "--query", "serviceEndpoints[].service", "-o", "tsv"),
                         "Microsoft.Storage\n")
        s.ok(*base, "update", *sel, "--service-endpoints", "Microsoft.ContainerRegistry", "-o", "none")
        sid = "/subscriptions/{}/resourcegroups/rg/providers/microsoft.network/virtualnetworks/v/subnets/s".format(SUB)
        self.assertEqual(s.summary()["subnets"][sid]["serviceEndpoints"], ["Microsoft.ContainerRegistry"])
        s.ok(*base, "update", *sel, "--service-endpoints", "Microsoft.Storage", "Microsoft.ContainerRegistry",
             "-o", "none")
        self.assertEqual(s.summary()["subnets"][sid]["serviceEndpoints"],
                         ["Microsoft.ContainerRegistry", "Microsoft.Storage"])

    def test_network_rule_add_subnet_without_endpoint_fails(self):
        s = Standin({"vnets": [{"resourceGroup": "rg", "name": "v", "location": "westus",
                                "subnets": [{"name": "s", "serviceEndpoints": ["Microsoft.Storage"]}]}]})
        s.ok("acr", "create", "-n", "registry1", "-g", "rg", "--sku", "Premium", "-o", "none")
        sid = s.ok("network", "vnet", "subnet", "show", "-g", "rg", "--vnet-name", "v", "-n", "s", "--query", "id",
                   "-o", "tsv").strip()
        rc, _, err = s.az("acr", "network-rule", "add", "-n", "registry1", "--subnet", sid)
        self.assertEqual(rc, 1)
        self.assertIn("Microsoft.ContainerRegistry", err)
        s.ok("network", "vnet", "subnet", "update", "--ids", sid, "--service-endpoints", "Microsoft.Storage",
             "Microsoft.ContainerRegistry", "-o", "none")
        s.ok("acr", "network-rule", "add", "-n", "registry1", "--subnet", sid, "-o", "none")
        self.assertEqual(s.summary()["registries"]["registry1"]["vnetRules"], [sid.lower()])
        # acr update --default-action keeps the rules (the CLI's own scenario test checks this)
        s.ok("acr", "update", "-n", "registry1", "--default-action", "Deny", "-o", "none")
        self.assertEqual(s.summary()["registries"]["registry1"]["vnetRules"], [sid.lower()])
        self.assertEqual(s.summary()["registries"]["registry1"]["defaultAction"], "Deny")

    def test_network_rule_needs_provider_in_subnet_subscription(self):
        other = "99999999-8888-7777-6666-555555555555"
        s = Standin({"subscriptions": [{"id": other, "name": "other", "providers": []}],
                     "vnets": [{"subscription": other, "resourceGroup": "rg2", "name": "v", "location": "westus",
                                "subnets": [{"name": "s", "serviceEndpoints": ["Microsoft.ContainerRegistry"]}]}]})
        s.ok("group", "create", "-n", "rg", "-l", "westus", "-o", "none")
        s.ok("acr", "create", "-n", "registry1", "-g", "rg", "--sku", "Premium", "-o", "none")
        sid = "/subscriptions/{}/resourceGroups/rg2/providers/Microsoft.Network/virtualNetworks/v/subnets/s".format(other)
        rc, _, err = s.az("acr", "network-rule", "add", "-n", "registry1", "--subnet", sid)
        self.assertEqual(rc, 1)
        self.assertIn("MissingSubscriptionRegistration", err)
        s.ok("provider", "register", "--namespace", "Microsoft.ContainerRegistry", "--subscription", other, "--wait")
        s.ok("acr", "network-rule", "add", "-n", "registry1", "--subnet", sid, "-o", "none")
        self.assertEqual(s.summary()["providers"][other], ["Microsoft.ContainerRegistry"])

    def test_acr_create_cmk_needs_effective_access(self):
        s = Standin()
        ident, vault_id, key_uri = cmk_world(s)
        args = ("acr", "create", "-n", "registry1", "-g", "rg", "--sku", "Premium", "--identity", ident["id"],
                "--key-encryption-key", key_uri, "-o", "none")
        rc, _, err = s.az(*args)
        self.assertEqual(rc, 1)
        self.assertIn("Failed to access KeyId '{}'".format(key_uri), err)
        self.assertEqual(s.summary()["registries"], {})
        delay = {"STANDIN_RBAC_DELAY": "60"}
        s.ok("role", "assignment", "create", "--assignee-object-id", ident["principalId"],
             "--assignee-principal-type", "ServicePrincipal", "--role", "Key Vault Crypto Service Encryption User",
             "--scope", vault_id, env=delay)
        self.assertEqual(s.az(*args, env=delay)[0], 1)  # not effective yet
        s.sleep(60)
        s.ok(*args, env=delay)
        reg = s.summary()["registries"]["registry1"]
        self.assertEqual(reg["encryption"], {"keyUri": key_uri, "identity": "identity:id1", "keyReachable": True})
        self.assertEqual(reg["identity"], {"system": False, "userAssigned": ["id1"]})
        access = s.summary()["keyAccess"]
        self.assertIn({"principal": "identity:id1", "vault": "kv1",
                       "via": "role:Key Vault Crypto Service Encryption User"}, access)
        self.assertIn({"principal": "signed-in", "vault": "kv1", "via": "role:Key Vault Crypto Officer"}, access)

    def test_firewalled_vault_admits_only_system_identity_with_bypass(self):
        s = Standin()
        ident, vault_id, key_uri = cmk_world(s)
        s.ok("role", "assignment", "create", "--assignee-object-id", ident["principalId"],
             "--assignee-principal-type", "ServicePrincipal", "--role", "Key Vault Crypto Service Encryption User",
             "--scope", vault_id, "-o", "none")
        s.ok("acr", "create", "-n", "registry1", "-g", "rg", "--sku", "Premium", "--identity", ident["id"],
             "--key-encryption-key", key_uri, "-o", "none")
        s.ok("keyvault", "update", "-n", "kv1", "-g", "rg", "--default-action", "Deny", "--bypass", "AzureServices",
             "-o", "none")
        rc, _, err = s.az("acr", "encryption", "rotate-key", "-n", "registry1", "--key-encryption-key", key_uri,
                          "--identity", ident["id"])
        self.assertEqual(rc, 1, err)  # user-assigned identity is not a trusted service
        s.ok("acr", "identity", "assign", "-n", "registry1", "--identities", "[system]", "-o", "none")
        pid = s.ok("acr", "identity", "show", "-n", "registry1", "--query", "principalId", "-o", "tsv").strip()
        rc, _, _ = s.az("acr", "encryption", "rotate-key", "-n", "registry1", "--key-encryption-key", key_uri,
                        "--identity", "[system]")
        self.assertEqual(rc, 1)  # no role yet
        s.ok("role", "assignment", "create", "--assignee-object-id", pid, "--assignee-principal-type",
             "ServicePrincipal", "--role", "Key Vault Crypto Service Encryption User", "--scope", vault_id,
             "-o", "none")
        s.ok("acr", "encryption", "rotate-key", "-n", "registry1", "--key-encryption-key", key_uri, "--identity",
             "[system]", "-o", "none")
        self.assertEqual(s.ok("acr", "encryption", "show", "-n", "registry1", "--query", "keyVaultProperties.identity",
                              "-o", "tsv"), "system\n")
        self.assertEqual(s.summary()["registries"]["registry1"]["encryption"]["identity"], "system")
        # the script itself is now outside the vault firewall
        rc, _, err = s.az("keyvault", "key", "list", "--vault-name", "kv1")
        self.assertEqual(rc, 1)
        self.assertIn("ForbiddenByFirewall", err)
        # ... but Resource Manager still reads the key (management plane), and a missing key is exit status 3
        uri = s.ok("resource", "show", "--ids", vault_id + "/keys/k1", "--query", "properties.keyUriWithVersion",
                   "-o", "tsv").strip()
        self.assertTrue(uri.startswith(key_uri + "/"))
        rc, out, err = s.az("resource", "show", "--ids", vault_id + "/keys/nokey", "--query", "id", "-o", "tsv")
        self.assertEqual((rc, out), (3, ""))
        self.assertIn("(ResourceNotFound)", err)

    def test_exit_codes_and_parse_errors(self):
        s = Standin()
        self.assertEqual(s.az("nonsense")[0], 2)
        rc, _, err = s.az("group", "create", "-n", "rg", "-l", "westus", "--bogus", "1")
        self.assertEqual(rc, 2)
        self.assertIn("unrecognized arguments: --bogus 1", err)
        self.assertEqual(s.az("group", "show", "-n", "nope")[0], 3)
        self.assertEqual(s.az("acr", "show", "-n", "nosuchregistry")[0], 1)  # acr's own ResourceNotFound is a CLIError
        self.assertEqual(s.az("acr", "show", "-n", "nosuchregistry", "-g", "rg")[0], 3)
        rc, _, err = s.az("account", "set", "--subscription", "nope")
        self.assertEqual(rc, 1)
        self.assertIn("doesn't exist in cloud 'AzureCloud'", err)
        rc, _, err = s.az("group", "create", "-n", "rg", "-l", "westus")
        rc, _, err = s.az("group", "create", "-n", "rg", "-l", "eastus")
        self.assertEqual(rc, 1)
        self.assertIn("Invalid resource group location 'eastus'", err)

    def test_gallery_version(self):
        des = "/subscriptions/{}/resourceGroups/rg/providers/Microsoft.Compute/diskEncryptionSets/{}"
        img = "/subscriptions/{}/resourceGroups/rg/providers/Microsoft.Compute/images/img".format(SUB)
        s = Standin({"galleries": [{"resourceGroup": "rg", "name": "g", "location": "westus",
                                    "imageDefinitions": [{"name": "d"}]}],
                     "images": [{"id": img, "location": "westus"}],
                     "diskEncryptionSets": [{"id": des.format(SUB, "w"), "location": "westus"},
                                            {"id": des.format(SUB, "e"), "location": "East US 2"}]})
        base = ("sig", "image-version", "create", "-g", "rg", "-r", "g", "-i", "d", "-e", "1.0.0", "-l", "westus",
                "--managed-image", img)
        rc, _, err = s.az(*base, "--target-regions", "westus", "eastus2", "--target-region-encryption",
                          des.format(SUB, "w"))
        self.assertEqual(rc, 1)
        self.assertIn("Length of --target-region-encryption should be as same as length of target regions", err)
        rc, _, err = s.az(*base, "--target-regions", "westus", "eastus2", "--target-region-encryption",
                          des.format(SUB, "e"), des.format(SUB, "w"))
        self.assertEqual(rc, 1)
        self.assertIn("region", err)
        s.ok(*base, "--target-regions", "westus=2=standard_lrs", "eastus2", "--target-region-encryption",
             des.format(SUB, "w") + ",0," + des.format(SUB, "w"), des.format(SUB, "e"), "-o", "none")
        v = s.summary()["imageVersions"]["g/d/1.0.0"]
        self.assertEqual(v["targetRegions"][0], {"name": "eastus2", "replicas": 1, "storage": "Standard_LRS",
                                                 "osDes": des.format(SUB, "e"), "dataDes": {}})
        self.assertEqual(v["targetRegions"][1]["dataDes"], {"0": des.format(SUB, "w")})
        shown = s.ok("sig", "image-version", "show", "-g", "rg", "-r", "g", "-i", "d", "-e", "1.0.0")
        t = shown["publishingProfile"]["targetRegions"][0]
        self.assertEqual(t["encryption"]["osDiskImage"]["diskEncryptionSetId"], des.format(SUB, "w"))
        self.assertEqual(t["encryption"]["dataDiskImages"][0]["lun"], 0)

    def test_summary_schema(self):
        s = Standin()
        ident, vault_id, key_uri = cmk_world(s)
        summ = s.summary()
        self.assertEqual(sorted(summ), ["identities", "imageVersions", "keyAccess", "providers", "registries",
                                        "resourceGroups", "subnets", "vaults"])
        self.assertEqual(summ["vaults"]["kv1"], {
            "resourceGroup": "rg", "rbac": True, "purgeProtection": True, "defaultAction": "Allow",
            "bypass": "AzureServices", "sku": "standard",
            "keys": {"k1": {"kty": "RSA", "size": 3072, "versions": 1, "enabled": True, "disabledVersions": 0,
                            "rotationFires": False, "rotationPolicy": None}}})
        self.assertEqual(summ["providers"], {SUB: ["Microsoft.ContainerRegistry"]})
        self.assertEqual(summ["resourceGroups"], {"rg": {"location": "eastus", "tags": {}}})

class Day2KeyModelTests(unittest.TestCase):
    """role assignment delete/list as role/custom.py has them; key versions; rotation-policy triggers."""

    def test_role_delete_without_a_match_fails_and_list_includes_inherited(self):
        s = Standin()
        ident, vault_id, _ = cmk_world(s)
        pid = ident["principalId"]
        rg_scope = vault_id.split("/providers/")[0]
        s.ok("role", "assignment", "create", "--assignee-object-id", pid, "--assignee-principal-type",
             "ServicePrincipal", "--role", "Key Vault Crypto User", "--scope", rg_scope, "-o", "none")
        rc, _, err = s.az("role", "assignment", "delete", "--assignee-object-id", pid, "--role",
                          "Key Vault Crypto User", "--scope", vault_id)
        self.assertEqual(rc, 1)
        self.assertIn("No matched assignments were found to delete", err)
        exact = s.ok("role", "assignment", "list", "--assignee-object-id", pid, "--scope", vault_id + "/keys/k1")
        self.assertEqual(exact, [])
        inherited = s.ok("role", "assignment", "list", "--assignee-object-id", pid, "--scope",
                         vault_id + "/keys/k1", "--include-inherited")
        self.assertEqual([a["scope"] for a in inherited], [rg_scope])

    def test_set_attributes_disables_one_version(self):
        s = Standin()
        _, _, uri = cmk_world(s)
        first = s.ok("keyvault", "key", "show", "--vault-name", "kv1", "-n", "k1", "--query", "key.kid",
                     "-o", "tsv").strip().rsplit("/", 1)[1]
        s.ok("keyvault", "key", "rotate", "--vault-name", "kv1", "-n", "k1", "-o", "none")
        s.ok("keyvault", "key", "set-attributes", "--vault-name", "kv1", "-n", "k1", "--version", first,
             "--enabled", "false", "-o", "none")
        old = s.ok("keyvault", "key", "show", "--vault-name", "kv1", "-n", "k1", "--version", first)
        new = s.ok("keyvault", "key", "show", "--vault-name", "kv1", "-n", "k1")
        self.assertFalse(old["attributes"]["enabled"])
        self.assertTrue(new["attributes"]["enabled"])
        rc, _, err = s.az("keyvault", "key", "set-attributes", "--vault-name", "kv1", "-n", "k1", "--version",
                          "0" * 32, "--enabled", "false")
        self.assertEqual(rc, 3, err)

    def test_a_time_before_expiry_trigger_never_fires_on_a_key_without_expiry(self):
        s = Standin()
        cmk_world(s)
        before = {"lifetimeActions": [{"trigger": {"timeBeforeExpiry": "P30D"}, "action": {"type": "Rotate"}}],
                  "attributes": {"expiryTime": "P1Y"}}
        s.ok("keyvault", "key", "rotation-policy", "update", "--vault-name", "kv1", "-n", "k1", "--value",
             json.dumps(before), "-o", "none")
        self.assertFalse(s.summary()["vaults"]["kv1"]["keys"]["k1"]["rotationFires"])
        after = {"lifetimeActions": [{"trigger": {"timeAfterCreate": "P335D"}, "action": {"type": "Rotate"}}],
                 "attributes": {"expiryTime": "P1Y"}}
        s.ok("keyvault", "key", "rotation-policy", "update", "--vault-name", "kv1", "-n", "k1", "--value",
             json.dumps(after), "-o", "none")
        self.assertTrue(s.summary()["vaults"]["kv1"]["keys"]["k1"]["rotationFires"])
        # the policy's expiryTime is given to the versions it makes, so a later timeBeforeExpiry fires
        s.ok("keyvault", "key", "rotation-policy", "update", "--vault-name", "kv1", "-n", "k1", "--value",
             json.dumps(before), "-o", "none")
        s.ok("keyvault", "key", "rotate", "--vault-name", "kv1", "-n", "k1", "-o", "none")
        self.assertTrue(s.summary()["vaults"]["kv1"]["keys"]["k1"]["rotationFires"])


if __name__ == "__main__":
    unittest.main()
