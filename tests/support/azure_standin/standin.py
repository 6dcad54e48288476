#!/usr/bin/env python3
"""A stateful stand-in for the Azure CLI (`az`), used to run generated bash scripts end to end.

Entry points
------------
  bin/az ARGS...            -> standin.py ARGS...      (one simulated az call)
  bin/sleep N               -> standin.py --sleep N    (advances the virtual clock by N seconds)
  standin.py summary        -> prints the normalized summary of $STANDIN_STATE (sorted keys, 2-space indent)
  standin.py seed [FILE]    -> merges a seed document (FILE or stdin, format below) into $STANDIN_STATE
  standin.py state          -> prints the raw state

Environment
-----------
  STANDIN_STATE        (required) path of the JSON state file; missing or empty file = defaults.
  STANDIN_RBAC_DELAY   seconds of virtual time before a role assignment becomes effective (default 0).
  STANDIN_FAIL_CALL    N: the N-th az call over the life of the state file (1-based) fails once, transiently.
  STANDIN_FAIL_MATCH   e.g. "acr create": every call whose command words start with this fails transiently.
  STANDIN_CLIENT_IP    the script's public IP as key vault firewalls see it (default 203.0.113.250).

Virtual time: every az call advances state["clock"] by 2 s, `sleep N` by N s.

State file schema (everything optional; missing = default)
-----------------------------------------------------------
{
  "clock": 0,                                  # virtual seconds
  "calls": [["group", "create", ...], ...],    # argv of every az call, in order
  "sleeps": [30, ...],                         # arguments of every `sleep` call
  "cloud": "AzureCloud",
  "tenantId": "tttttttt-tttt-tttt-tttt-tttttttttttt",
  "currentSubscription": "00000000-0000-0000-0000-000000000000",
  "subscriptions": {"<id>": {"name": "...", "providers": ["Microsoft.ContainerRegistry", ...]}},
  "login": {"type": "user" | "servicePrincipal", "name": "alice@contoso.example" | "<appId>",
            "objectId": "<guid>", "appId": "<guid, service principals only>",
            "graph": true},                    # false: the principal may not read Microsoft Graph
  "principals": {"<objectId>": {"type": "User" | "ServicePrincipal", "displayName": "...", "appId": "..."}},
  "resources": {"<lowercase resource id>": {"kind": "...", "id": "<id as created>", "name": "...",
                 "subscription": "...", "resourceGroup": "...", "location": "...", "tags": {}, ...kind fields}},
       kinds and their fields:
         group          -
         identity       principalId, clientId
         vault          sku, rbac, purgeProtection, softDelete, defaultAction, bypass, ipRules[], vnetRules[],
                        accessPolicies [{objectId, keys:[...]}],
                        keys {<name>: {kty, size, versions:[32-hex...], enabled, rotationPolicy}}
         registry       sku, adminUserEnabled, zoneRedundancy, publicNetworkAccess, defaultAction, ipRules[],
                        vnetRules[], bypass, systemIdentity (principalId or null), userIdentities [ids],
                        encryption null | {keyUri, identity: "<client id>" | "system"},
                        tasksBypass (networkRuleBypassAllowedForTasks, default false),
                        roleAssignmentMode ("LegacyRegistryPermissions" | "AbacRepositoryPermissions"),
                        dnlScope ("Unsecure" | "TenantReuse" | ...: any other than Unsecure puts a hash in the
                                  login server, see login_server),
                        tasks {<name>: {principalId, authMode, credentials [login servers], sourceIdentity,
                                        runs [{runId, status, reason}]}}
         vnet           addressPrefixes
         subnet         vnet, serviceEndpoints [{service, locations}] (absent key = none)
         gallery        -
         imageDefinition gallery, osType, hyperVGeneration
         image, snapshot (managed image, snapshot) -
         des            encryptionType
         imageVersion   gallery, definition, version, source, dataSnapshots {lun: id}, endOfLifeDate,
                        excludeFromLatest, targetRegions [{name, replicas, storage, osDes, dataDes {lun: id}}]
  "deletedVaults": ["<name>", ...],            # soft-deleted vault names (block create)
  "roleAssignments": [{"id", "name", "principalId", "principalType", "roleDefinitionName",
                       "roleDefinitionId", "scope", "createdAt": <virtual seconds>}],
  "features": {"<sub>": ["Microsoft.Compute/SIGEncryption"]},
  "seed": {...}                                # applied (then removed) when the state is loaded, see below
}

Seed document (key "seed" in the state file, or `standin.py seed FILE`); all lists optional:
{
  "subscriptions": [{"id": "...", "name": "...", "providers": ["Microsoft.ContainerRegistry"], "current": false}],
  "login": {"type": "servicePrincipal", "appId": "...", "objectId": "...", "name": "<appId>"},
  "groups": [{"name": "rg", "location": "eastus", "subscription": "<id, default current>", "tags": {}}],
  "vnets": [{"subscription": "...", "resourceGroup": "...", "name": "vnet", "location": "...",
             "subnets": [{"name": "default", "serviceEndpoints": ["Microsoft.Storage"]}]}],
  "galleries": [{"subscription": "...", "resourceGroup": "...", "name": "g", "location": "...",
                 "imageDefinitions": [{"name": "def", "osType": "Linux"}]}],
  "images": [{"id": "/subscriptions/.../providers/Microsoft.Compute/images/x", "location": "..."}],
  "snapshots": [{"id": ".../Microsoft.Compute/snapshots/x", "location": "..."}],
  "diskEncryptionSets": [{"id": ".../Microsoft.Compute/diskEncryptionSets/x", "location": "...",
                          "encryptionType": "EncryptionAtRestWithCustomerKey",
                          "keyAccess": true}],        # false: its identity cannot reach its key (replication fails)
  "imageVersions": [{"resourceGroup": "...", "gallery": "g", "definition": "def", "version": "1.0.0",
                     "location": "...", "source": "<image or snapshot id>", "sourceKind": "image",
                     "dataSnapshots": {"0": "<snapshot id>"},
                     "targetRegions": [{"name": "Korea Central", "replicas": 1, "storage": "Standard_LRS",
                                        "osDes": "<id>", "dataDes": {"0": "<id>"}}]}],
  "identities": [{"subscription": "...", "resourceGroup": "...", "name": "...", "location": "..."}],
  "vaults": [{"subscription": "...", "resourceGroup": "...", "name": "...", "location": "...", "rbac": false,
              "purgeProtection": true, "sku": "standard", "defaultAction": "Allow", "bypass": "AzureServices",
              "ipRules": [], "accessPolicies": [{"objectId": "...", "keys": ["get", "wrapKey", "unwrapKey"]}],
              "keys": [{"name": "k", "kty": "RSA", "size": 2048, "versions": ["<32 hex>"], "enabled": true}]}],
  "deletedVaults": ["name"],
  "registries": [{"subscription": "...", "resourceGroup": "...", "name": "...", "location": "...",
                  "sku": "Premium", ...registry fields above}],
  "roleAssignments": [{"principalId": "<guid>" | "principal": "identity:<name>" | "signed-in",
                       "role": "Key Vault Crypto Service Encryption User", "scope": "<id>",
                       "principalType": "ServicePrincipal", "effective": true}]
}
Seeded role assignments are effective at once unless "effective": false (then they follow STANDIN_RBAC_DELAY).
Resource groups of seeded resources are created when missing (location = the resource's location).
"""

import hashlib
import json
import os
import sys

DEFAULT_SUB = "00000000-0000-0000-0000-000000000000"
DEFAULT_TENANT = "tttttttt-tttt-tttt-tttt-tttttttttttt"
DEFAULT_USER_OID = "aaaaaaaa-0000-4000-8000-000000000001"
DEFAULT_CLIENT_IP = "203.0.113.250"

ROLE_IDS = {
    "Key Vault Administrator": "00482a5a-887f-4fb3-b363-3b7fe8e74483",
    "Key Vault Crypto Officer": "14b46e9e-c2b7-41b4-b07b-48a6ebf60603",
    "Key Vault Crypto Service Encryption User": "e147488a-f6f5-4113-8e2d-b22465e65bf6",
    "Key Vault Crypto User": "12338af0-0e69-4776-bea7-57ae8d297424",
    "Key Vault Reader": "21090545-7ca7-4776-b22c-e363652d74d2",
    "Key Vault Secrets Officer": "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
    "Key Vault Secrets User": "4633458b-17de-408a-b874-0445c86b69e6",
    "Key Vault Certificates Officer": "a4417e6f-fecd-4de8-b567-7b0420556985",
    "Owner": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
    "Contributor": "b24988ac-6180-42a0-ab88-20f7382dd24c",
    "Reader": "acdd72a7-3385-48ef-bd42-f606fba81ae7",
    "AcrPull": "7f951dda-4ed3-4680-a7ca-43fe172d538d",
    "AcrPush": "8311e382-0749-4cb8-b61a-304f252e45ec",
    # ABAC-enabled registries (Learn: Azure built-in roles, Containers; checked 2026-12-09)
    "Container Registry Repository Reader": "b93aa761-3e63-49ed-ac28-beffa264f7ac",
    "Container Registry Repository Writer": "2a1e307c-b015-4ebd-883e-5b7698a07328",
    "Container Registry Repository Contributor": "2efddaa5-3f1f-4df3-97df-af3f13818f4c",
}
# The roles through which a task's identity pushes to its registry, per role assignment mode. In
# AbacRepositoryPermissions mode AcrPull/AcrPush/AcrDelete are not honoured (Learn: Azure attribute-based
# access control (ABAC) for repository permissions, "Role assignment permissions mode").
PUSH_ROLES = {"LegacyRegistryPermissions": {"acrpush", "owner", "contributor"},
              "AbacRepositoryPermissions": {"container registry repository writer",
                                            "container registry repository contributor"}}
# Roles whose data actions cover key create (data plane, for the script's own principal).
KEY_CREATE_ROLES = {"key vault administrator", "key vault crypto officer"}
# Roles whose data actions cover get + wrapKey + unwrapKey (what a CMK registry needs).
KEY_WRAP_ROLES = {"key vault administrator", "key vault crypto officer",
                  "key vault crypto service encryption user", "key vault crypto user"}
STORAGE_TYPES = {"standard_lrs": "Standard_LRS", "standard_zrs": "Standard_ZRS", "premium_lrs": "Premium_LRS"}


class AzError(Exception):
    def __init__(self, message, code=1):
        super().__init__(message)
        self.message = message
        self.code = code


def arm_error(code, message, exit_code=1):
    """An error the service returned, printed the way azure-cli prints an HttpResponseError."""
    return AzError("({}) {}\nCode: {}\nMessage: {}".format(code, message, code, message), exit_code)


def not_found(message):
    """A 404 from ARM: azure-cli maps it to ResourceNotFoundError, exit code 3 (core/util.py handle_exception)."""
    return arm_error("ResourceNotFound", message, 3)


def uuid5ish(text):
    h = hashlib.sha1(("standin:" + text.lower()).encode()).hexdigest()
    return "{}-{}-5{}-a{}-{}".format(h[0:8], h[8:12], h[13:16], h[17:20], h[20:32])


def hex32(text):
    return hashlib.sha1(("ver:" + text).encode()).hexdigest()[:32]


def norm_region(r):
    return (r or "").replace(" ", "").lower()


def tf(value, opt):
    v = str(value).lower()
    if v in ("true", "yes", "1", "enabled", "on"):
        return True
    if v in ("false", "no", "0", "disabled", "off"):
        return False
    raise AzError("argument {}: invalid three_state_flag value: '{}'".format(opt, value), 2)


def parse_tags(values):
    if values is None:
        return None
    tags = {}
    for item in values:
        if item == "":
            continue
        if "=" in item:
            k, v = item.split("=", 1)
        else:
            k, v = item, ""
        tags[k] = v
    return tags


# ---------------------------------------------------------------------------------------------
# State
# ---------------------------------------------------------------------------------------------

def default_state():
    return {
        "clock": 0, "calls": [], "sleeps": [], "cloud": "AzureCloud", "tenantId": DEFAULT_TENANT,
        "currentSubscription": DEFAULT_SUB,
        "subscriptions": {DEFAULT_SUB: {"name": "Contoso Subscription",
                                        "providers": ["Microsoft.ContainerRegistry"]}},
        "login": {"type": "user", "name": "alice@contoso.example", "objectId": DEFAULT_USER_OID},
        "principals": {DEFAULT_USER_OID: {"type": "User", "displayName": "Alice"}},
        "resources": {}, "deletedVaults": [], "roleAssignments": [], "features": {},
    }


def complete_state(state):
    base = default_state()
    for k, v in base.items():
        state.setdefault(k, v)
    login = state["login"]
    login.setdefault("type", "user")
    if login["type"] == "servicePrincipal":
        login.setdefault("appId", uuid5ish("app:" + login.get("name", "sp")))
        login.setdefault("name", login["appId"])
        login.setdefault("objectId", uuid5ish("spobj:" + login["appId"]))
        state["principals"].setdefault(login["objectId"], {"type": "ServicePrincipal",
                                                           "displayName": login.get("displayName", "automation"),
                                                           "appId": login["appId"]})
    else:
        login.setdefault("name", "alice@contoso.example")
        login.setdefault("objectId", DEFAULT_USER_OID)
        state["principals"].setdefault(login["objectId"], {"type": "User", "displayName": login["name"]})
    if "seed" in state:
        seed = state.pop("seed")
        apply_seed(state, seed)
    return state


def rid_parts(rid):
    """Parse /subscriptions/S/resourceGroups/G/providers/NS/type/name[/child/name...]."""
    parts = [p for p in rid.split("/") if p]
    out = {}
    if len(parts) >= 2 and parts[0].lower() == "subscriptions":
        out["subscription"] = parts[1]
    if len(parts) >= 4 and parts[2].lower() == "resourcegroups":
        out["resourceGroup"] = parts[3]
    if len(parts) >= 8:
        out["name"] = parts[-1]
    return out


def rg_id(sub, rg):
    return "/subscriptions/{}/resourceGroups/{}".format(sub, rg)


def res_id(sub, rg, provider_path):
    return "/subscriptions/{}/resourceGroups/{}/providers/{}".format(sub, rg, provider_path)


def put_resource(state, kind, rid, **fields):
    parts = rid_parts(rid)
    rec = {"kind": kind, "id": rid, "name": fields.pop("name", None) or parts.get("name") or rid.split("/")[-1],
           "subscription": parts.get("subscription"), "resourceGroup": parts.get("resourceGroup"),
           "tags": {}, "location": None}
    rec.update(fields)
    state["resources"][rid.lower()] = rec
    return rec


def get_resource(state, rid, kind=None):
    rec = state["resources"].get(rid.lower().rstrip("/"))
    if rec and kind and rec["kind"] != kind:
        return None
    return rec


def find(state, kind, **match):
    out = []
    for rec in state["resources"].values():
        if rec["kind"] != kind:
            continue
        ok = True
        for k, v in match.items():
            if v is None:
                continue
            if str(rec.get(k, "")).lower() != str(v).lower():
                ok = False
                break
        if ok:
            out.append(rec)
    return out


def ensure_group(state, sub, rg, location):
    rid = rg_id(sub, rg)
    if not get_resource(state, rid, "group"):
        put_resource(state, "group", rid, name=rg, location=location, resourceGroup=rg)


def identity_fields(rid):
    return {"principalId": uuid5ish("principal:" + rid), "clientId": uuid5ish("client:" + rid)}


def add_principal(state, oid, ptype, name, app_id=None):
    state["principals"][oid] = {"type": ptype, "displayName": name, "appId": app_id}


def apply_seed(state, seed):
    cur = state["currentSubscription"]
    for s in seed.get("subscriptions", []):
        state["subscriptions"][s["id"]] = {"name": s.get("name", s["id"]), "providers": list(s.get("providers", []))}
        if s.get("current"):
            state["currentSubscription"] = s["id"]
    cur = state["currentSubscription"]
    if "login" in seed:
        state["login"] = dict(seed["login"])
        complete_state(state)
    for g in seed.get("groups", []):
        sub = g.get("subscription", cur)
        put_resource(state, "group", rg_id(sub, g["name"]), name=g["name"], location=g["location"],
                     resourceGroup=g["name"], tags=g.get("tags", {}))
    for v in seed.get("vnets", []):
        sub = v.get("subscription", cur)
        ensure_group(state, sub, v["resourceGroup"], v["location"])
        vid = res_id(sub, v["resourceGroup"], "Microsoft.Network/virtualNetworks/" + v["name"])
        put_resource(state, "vnet", vid, location=v["location"],
                     addressPrefixes=v.get("addressPrefixes", ["10.0.0.0/16"]))
        for i, sn in enumerate(v.get("subnets", [])):
            fields = {"vnet": v["name"], "location": v["location"],
                      "addressPrefix": sn.get("addressPrefix", "10.0.{}.0/24".format(i))}
            if sn.get("serviceEndpoints"):
                fields["serviceEndpoints"] = [{"service": e, "locations": ["*"] if e.lower() ==
                                               "microsoft.containerregistry" else [norm_region(v["location"])]}
                                              for e in sn["serviceEndpoints"]]
            put_resource(state, "subnet", vid + "/subnets/" + sn["name"], **fields)
    for g in seed.get("galleries", []):
        sub = g.get("subscription", cur)
        ensure_group(state, sub, g["resourceGroup"], g["location"])
        gid = res_id(sub, g["resourceGroup"], "Microsoft.Compute/galleries/" + g["name"])
        put_resource(state, "gallery", gid, location=g["location"])
        for d in g.get("imageDefinitions", []):
            put_resource(state, "imageDefinition", gid + "/images/" + d["name"], gallery=g["name"],
                         location=g["location"], osType=d.get("osType", "Linux"),
                         hyperVGeneration=d.get("hyperVGeneration", "V2"),
                         osState=d.get("osState", "Generalized"))
    for key, kind in (("images", "image"), ("snapshots", "snapshot")):
        for x in seed.get(key, []):
            p = rid_parts(x["id"])
            ensure_group(state, p["subscription"], p["resourceGroup"], x["location"])
            put_resource(state, kind, x["id"], location=x["location"])
    for x in seed.get("diskEncryptionSets", []):
        p = rid_parts(x["id"])
        ensure_group(state, p["subscription"], p["resourceGroup"], x["location"])
        put_resource(state, "des", x["id"], location=x["location"],
                     encryptionType=x.get("encryptionType", "EncryptionAtRestWithCustomerKey"),
                     keyAccess=x.get("keyAccess", True))
    for x in seed.get("imageVersions", []):
        # A version that exists (day 2): its regions as Azure names them ("Korea Central").
        d_id = res_id(x.get("subscription", cur), x["resourceGroup"],
                      "Microsoft.Compute/galleries/{}/images/{}".format(x["gallery"], x["definition"]))
        put_resource(state, "imageVersion", d_id + "/versions/" + x["version"], name=x["version"],
                     location=x["location"], gallery=x["gallery"], definition=x["definition"], version=x["version"],
                     source=x["source"], sourceKind=x.get("sourceKind", "image"),
                     dataSnapshots=x.get("dataSnapshots", {}), endOfLifeDate=None, excludeFromLatest=False,
                     tags={}, targetRegions=[{"name": t["name"], "replicas": t.get("replicas", 1),
                                              "storage": t.get("storage", "Standard_LRS"), "osDes": t.get("osDes"),
                                              "dataDes": t.get("dataDes", {})} for t in x["targetRegions"]])
    for x in seed.get("identities", []):
        sub = x.get("subscription", cur)
        ensure_group(state, sub, x["resourceGroup"], x["location"])
        iid = res_id(sub, x["resourceGroup"], "Microsoft.ManagedIdentity/userAssignedIdentities/" + x["name"])
        fields = identity_fields(iid)
        # A test may pin the IDs an imported registry names (its key identity's client ID).
        fields.update({k: x[k] for k in ("clientId", "principalId") if k in x})
        rec = put_resource(state, "identity", iid, location=x["location"], tags=x.get("tags", {}), **fields)
        add_principal(state, rec["principalId"], "ServicePrincipal", x["name"], rec["clientId"])
    for x in seed.get("vaults", []):
        sub = x.get("subscription", cur)
        ensure_group(state, sub, x["resourceGroup"], x["location"])
        vid = res_id(sub, x["resourceGroup"], "Microsoft.KeyVault/vaults/" + x["name"])
        keys = {}
        for k in x.get("keys", []):
            versions = k.get("versions") or [hex32(vid + k["name"] + "seed")]
            disabled = list(versions) if k.get("enabled", True) is False else list(k.get("disabledVersions", []))
            keys[k["name"]] = {"kty": k.get("kty", "RSA"), "size": k.get("size", 2048), "versions": versions,
                               "disabled": disabled, "expires": dict(k.get("expires", {})),
                               "rotationPolicy": k.get("rotationPolicy")}
        put_resource(state, "vault", vid, location=x["location"], tags=x.get("tags", {}),
                     sku=x.get("sku", "standard"), rbac=x.get("rbac", True),
                     purgeProtection=x.get("purgeProtection", True), softDelete=True,
                     defaultAction=x.get("defaultAction", "Allow"), bypass=x.get("bypass", "AzureServices"),
                     ipRules=list(x.get("ipRules", [])), vnetRules=[],
                     accessPolicies=[{"objectId": p["objectId"], "keys": list(p.get("keys", []))}
                                     for p in x.get("accessPolicies", [])],
                     keys=keys)
    for n in seed.get("deletedVaults", []):
        state["deletedVaults"].append(n)
    for x in seed.get("registries", []):
        sub = x.get("subscription", cur)
        ensure_group(state, sub, x["resourceGroup"], x["location"])
        rid = res_id(sub, x["resourceGroup"], "Microsoft.ContainerRegistry/registries/" + x["name"])
        rec = new_registry_record(x["location"], x.get("sku", "Premium"))
        for k in list(rec):
            if k in x:
                rec[k] = x[k]
        put_resource(state, "registry", rid, name=x["name"], tags=x.get("tags", {}), **rec)
    for a in seed.get("roleAssignments", []):
        pid = a.get("principalId")
        principal = a.get("principal")
        if principal == "signed-in":
            pid = state["login"]["objectId"]
        elif principal and principal.startswith("identity:"):
            recs = find(state, "identity", name=principal.split(":", 1)[1])
            pid = recs[0]["principalId"]
        ptype = a.get("principalType") or (state["principals"].get(pid) or {}).get("type", "ServicePrincipal")
        add_assignment(state, pid, ptype, a["role"], a["scope"],
                       created=(-10 ** 9 if a.get("effective", True) else state["clock"]))


def new_registry_record(location, sku):
    return {"location": location, "sku": sku, "adminUserEnabled": False, "zoneRedundancy": "Disabled",
            "publicNetworkAccess": "Enabled", "defaultAction": "Allow", "ipRules": [], "vnetRules": [],
            "bypass": "AzureServices", "systemIdentity": None, "userIdentities": [], "encryption": None,
            "created": 0, "tasksBypass": False, "roleAssignmentMode": "LegacyRegistryPermissions",
            "dnlScope": "Unsecure"}


def login_server(r):
    """The registry's login server. With a domain name label scope other than Unsecure (az acr create
    --dnl-scope; acr/_params.py: "The resulting login server name will be in the format
    `registryname`-`hash`.azurecr.io") a hash follows the name, so NAME.azurecr.io does not reach it.
    MODEL CHOICE: the hash is 16 letters derived from the resource id (Azure's is not reproducible)."""
    scope = r.get("dnlScope") or "Unsecure"
    if scope.lower() == "unsecure":
        return r["name"].lower() + ".azurecr.io"
    h = hashlib.sha1(("dnl:" + r["id"].lower()).encode()).hexdigest()
    return "{}-{}.azurecr.io".format(r["name"].lower(), "".join(chr(ord("a") + int(c, 16)) for c in h[:16]))


def add_assignment(state, pid, ptype, role, scope, created):
    role_id = ROLE_IDS.get(role, uuid5ish("role:" + role))
    for a in state["roleAssignments"]:
        if a["principalId"].lower() == pid.lower() and a["roleDefinitionName"].lower() == role.lower() \
                and a["scope"].lower() == scope.lower():
            return a, False
    name = uuid5ish("ra:{}:{}:{}".format(pid, role, scope).lower())
    a = {"id": scope.rstrip("/") + "/providers/Microsoft.Authorization/roleAssignments/" + name, "name": name,
         "principalId": pid, "principalType": ptype, "roleDefinitionName": role,
         "roleDefinitionId": "/subscriptions/{}/providers/Microsoft.Authorization/roleDefinitions/{}".format(
             rid_parts(scope).get("subscription", DEFAULT_SUB), role_id),
         "scope": scope, "createdAt": created}
    state["roleAssignments"].append(a)
    return a, True


# ---------------------------------------------------------------------------------------------
# Access checks
# ---------------------------------------------------------------------------------------------

def scope_covers(scope, target):
    s = scope.lower().rstrip("/")
    t = target.lower().rstrip("/")
    return t == s or t.startswith(s + "/")


def rbac_delay():
    try:
        return float(os.environ.get("STANDIN_RBAC_DELAY", "0") or 0)
    except ValueError:
        return 0.0


def effective_roles(state, pid, target):
    delay = rbac_delay()
    out = set()
    for a in state["roleAssignments"]:
        if a["principalId"].lower() != (pid or "").lower():
            continue
        if not scope_covers(a["scope"], target):
            continue
        if state["clock"] >= a["createdAt"] + delay:
            out.add(a["roleDefinitionName"].lower())
    return out


def policy_perms(vault, pid):
    perms = set()
    for p in vault.get("accessPolicies", []):
        if p["objectId"].lower() == (pid or "").lower():
            perms |= {k.lower() for k in p.get("keys", [])}
    return perms


# A vault's data-plane host per cloud, fixed when it is created (a seeded
# vault without one is in Azure's public cloud).
VAULT_DNS = {"AzureCloud": "vault.azure.net", "AzureChinaCloud": "vault.azure.cn",
             "AzureUSGovernment": "vault.usgovcloudapi.net"}


def vault_host(v):
    return "{}.{}".format(v["name"], v.get("dnsSuffix", "vault.azure.net"))


def vault_by_uri(state, uri):
    """https://NAME.vault.azure.net/keys/KEY[/VERSION] -> (vault, key name, version)."""
    rest = uri.split("://", 1)[-1]
    host, _, path = rest.partition("/")
    vname = host.split(".")[0]
    segs = [p for p in path.split("/") if p]
    recs = find(state, "vault", name=vname)
    key = segs[1] if len(segs) > 1 and segs[0].lower() == "keys" else None
    version = segs[2] if len(segs) > 2 else None
    return (recs[0] if recs else None), key, version


def caller_string(state):
    login = state["login"]
    return "appid={};oid={};iss=https://sts.windows.net/{}/".format(
        login.get("appId") or "04b07795-8ddb-461a-bbee-02f9e1bf7b46", login["objectId"], state["tenantId"])


def check_data_plane(state, vault, action, perm, roles, target):
    """The script's own principal on the vault's data plane."""
    client_ip = os.environ.get("STANDIN_CLIENT_IP", DEFAULT_CLIENT_IP)
    vloc = "{};location={}".format(vault["name"], norm_region(vault["location"]))
    if vault["defaultAction"] == "Deny" and client_ip not in vault.get("ipRules", []):
        raise AzError("(Forbidden) Client address is not authorized and caller is not a trusted service.\r\n"
                      "Client address: {}\r\nCaller: {}\r\nVault: {}\nCode: Forbidden\n"
                      "Message: Client address is not authorized and caller is not a trusted service.\n"
                      "Inner error: {{\n    \"code\": \"ForbiddenByFirewall\"\n}}".format(
                          client_ip, caller_string(state), vloc))
    pid = state["login"]["objectId"]
    if vault["rbac"]:
        if not (effective_roles(state, pid, target) & roles):
            raise AzError(
                "(Forbidden) Caller is not authorized to perform action on resource.\r\n"
                "If role assignments, deny assignments or role definitions were changed recently, please observe "
                "propagation time.\r\nCaller: {}\r\nAction: '{}'\r\nResource: '{}'\r\nAssignment: (not found)\r\n"
                "DenyAssignmentId: null\r\nDecisionReason: null \r\nVault: {}\r\n\nCode: Forbidden\n"
                "Message: Caller is not authorized to perform action on resource.\n"
                "Inner error: {{\n    \"code\": \"ForbiddenByRbac\"\n}}".format(
                    caller_string(state), action, target.lower(), vloc))
    else:
        have = policy_perms(vault, pid)
        if perm not in have and "all" not in have:
            raise AzError(
                "(Forbidden) The user, group or application '{}' does not have keys {} permission on key vault "
                "'{}'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287\n"
                "Code: Forbidden\nInner error: {{\n    \"code\": \"AccessDenied\"\n}}".format(
                    caller_string(state), perm, vloc))


def identity_key_access(state, key_uri, principal_id, is_system, registry_bypass_ok=True):
    """None when the identity can get/wrap/unwrap the key; else a reason (for messages and tests)."""
    vault, key, version = vault_by_uri(state, key_uri)
    if not vault:
        return "vault not found"
    k = vault["keys"].get(key) if key else None
    if k is None:
        return "key not found"
    if version and version not in k["versions"]:
        return "key version not found"
    if not version_enabled(k, version):
        return "key disabled"
    if vault["defaultAction"] == "Deny":
        if not (is_system and vault.get("bypass") == "AzureServices"):
            return "firewall"
    if vault["rbac"]:
        target = vault["id"] + "/keys/" + key
        if not (effective_roles(state, principal_id, target) & KEY_WRAP_ROLES):
            return "no role"
    else:
        have = policy_perms(vault, principal_id)
        if "all" not in have and not {"get", "wrapkey", "unwrapkey"} <= have:
            return "no policy"
    return None


def version_enabled(k, version=None):
    """Key Vault's enabled attribute is a version's (KeyAttributes of one KeyBundle): disabling one version
    leaves the others usable. No version means the current (latest) one."""
    return (version or k["versions"][-1]) not in k.get("disabled", [])


def rotation_fires(k):
    """Whether the key's rotation policy will ever make a new version (Key Vault rotates on a Rotate action's
    trigger: timeAfterCreate counts from the current version's creation; timeBeforeExpiry from its expiry, so
    it never fires on a version without an expiry date. The policy's attributes.expiryTime is given to the
    versions the policy makes, not to the current one). Learn: Configure cryptographic key auto-rotation in
    Azure Key Vault (key-rotation)."""
    policy = k.get("rotationPolicy") or {}
    current = k["versions"][-1] if k["versions"] else None
    for a in policy.get("lifetimeActions") or []:
        if str((a.get("action") or {}).get("type", "")).lower() != "rotate":
            continue
        trigger = a.get("trigger") or {}
        if trigger.get("timeAfterCreate"):
            return True
        if trigger.get("timeBeforeExpiry") and current and k.get("expires", {}).get(current):
            return True
    return False


def cmk_error(key_uri, client_id):
    return arm_error(
        "KeyVaultAccessFailed",  # the code is a guess; the message is the service's (MicrosoftDocs/azure-docs#61015)
        "Failed to access KeyId '{0}'. Verify that identity '{1}' has 'Get, Wrap Key, Unwrap Key' permission on "
        "key '{0}'. For more information on bring your own key, please visit 'https://aka.ms/acr/cmk'.".format(
            key_uri, client_id))


# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------

def tsv_obj(data):
    if isinstance(data, list):
        return str(len(data))
    if isinstance(data, dict):
        return ""
    return data if isinstance(data, str) else str(data)


def tsv_row(data):
    from collections import OrderedDict
    if isinstance(data, (dict, list)):
        if isinstance(data, dict):
            # jmespath builds multiselect hashes ({a: x}) as OrderedDict (knack passes dict_cls); any other dict,
            # including one a query returns unchanged, is printed in sorted key order.
            values = list(data.values()) if isinstance(data, OrderedDict) else [v for _, v in sorted(data.items())]
        else:
            values = data
        return "\t".join(tsv_obj(v) for v in values) + "\n"
    if isinstance(data, bool):
        return str(data).lower() + "\n"
    return tsv_obj(data) + "\n"


def format_tsv(result):
    """knack/output.py _TsvOutput: one row per list item; dict values sorted by key unless the dict is an
    OrderedDict (a --query multiselect hash); nested lists print their length, nested dicts print nothing,
    nested booleans/None print Python's str() ("True", "None"); a top-level boolean prints lowercase."""
    items = result if isinstance(result, list) else [result]
    return "".join(tsv_row(i) for i in items)


def add_resource_group(obj):
    """azure/cli/core/commands/transform.py _add_resource_group: every dict (at any depth) whose 'id' parses as
    /subscriptions/S/resourceGroups/G/providers/NS/TYPE/NAME... gets resourceGroup = G, unless it has one."""
    if isinstance(obj, list):
        for item in obj:
            add_resource_group(item)
    elif isinstance(obj, dict):
        rid = obj.get("id")
        if isinstance(rid, str) and rid and "resourcegroup" not in (k.lower() for k in obj):
            parts = rid.split("/")
            if len(parts) > 8 and parts[3].lower() == "resourcegroups":
                obj["resourceGroup"] = parts[4]
        for k, v in obj.items():
            if k != "sourceVault":
                add_resource_group(v)
    return obj


def emit(result, query, output):
    result = add_resource_group(result)
    if query is not None:
        try:
            import jmespath
        except ImportError:
            raise AzError("The Azure CLI stand-in needs the 'jmespath' package for --query "
                          "(set STANDIN_PYTHON to the Azure CLI's python).", 1)
        try:
            expr = jmespath.compile(query)
        except Exception as ex:  # noqa
            raise AzError("argument --query: invalid jmespath_type value: {!r}".format(query), 2) from ex
        from collections import OrderedDict
        result = expr.search(result, jmespath.Options(dict_cls=OrderedDict))
    if result is None or output == "none":
        return
    if output == "tsv":
        sys.stdout.write(format_tsv(result))
    elif output in ("json", "jsonc", "yaml", "yamlc", "table"):
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2, sort_keys=True,
                                    separators=(",", ": ")) + "\n")
    else:
        raise AzError("argument --output/-o: invalid choice: '{}' (choose from 'json', 'jsonc', 'yaml', "
                      "'yamlc', 'table', 'tsv', 'none')".format(output), 2)


# ---------------------------------------------------------------------------------------------
# Argument parsing
# ---------------------------------------------------------------------------------------------

GLOBAL_OPTS = [("--only-show-errors", "only_show_errors", 0), ("--output -o", "output", 1),
               ("--query", "query", 1), ("--subscription", "subscription", 1), ("--debug", "debug", 0),
               ("--verbose", "verbose", 0)]

COMMANDS = {}
BOOL_WORDS = {"true", "false", "yes", "no", "on", "off", "1", "0", "enabled", "disabled"}


def command(path, *opts, required=()):
    def deco(fn):
        COMMANDS[tuple(path.split())] = (fn, opts, required)
        return fn
    return deco


def O(names, dest=None, n=1):  # noqa: E743
    return (names, dest or names.split()[0].lstrip("-").replace("-", "_"), n)


def parse_args(words, argv, opts, required):
    table = {}
    for names, dest, n in GLOBAL_OPTS + list(opts):
        for name in names.split():
            table[name] = (dest, n)
    args = {}
    unknown = []
    i = 0
    while i < len(argv):
        tok = argv[i]
        val = None
        if tok.startswith("--") and "=" in tok:
            tok, val = tok.split("=", 1)
        if tok in table:
            dest, n = table[tok]
            if n == 0:
                args[dest] = True
                i += 1
            elif n == "?":
                # three-state flags: a bare flag means true, or it takes a boolean word
                if val is None and i + 1 < len(argv) and argv[i + 1].lower() in BOOL_WORDS:
                    val = argv[i + 1]
                    i += 1
                args[dest] = "true" if val is None else val
                i += 1
            elif n == 1:
                if val is None:
                    if i + 1 >= len(argv):
                        raise AzError("argument {}: expected one argument".format(tok), 2)
                    val = argv[i + 1]
                    i += 2
                else:
                    i += 1
                args[dest] = val
            else:
                vals = [] if val is None else [val]
                i += 1
                while i < len(argv) and not (argv[i].startswith("--") or argv[i] in table):
                    vals.append(argv[i])
                    i += 1
                args[dest] = vals
        else:
            unknown.append(argv[i])
            i += 1
    if unknown:
        raise AzError("unrecognized arguments: " + " ".join(unknown), 2)
    missing = []
    for dest in required:
        if dest not in args:
            names = [n for n, d, _ in opts if d == dest]
            missing.append(names[0].replace(" ", "/") if names else "--" + dest)
    if missing:
        raise AzError("the following arguments are required: " + ", ".join(missing), 2)
    return args


def resolve_command(argv):
    words = []
    for tok in argv:
        if tok.startswith("-"):
            break
        words.append(tok)
    best = None
    for n in range(len(words), 0, -1):
        if tuple(words[:n]) in COMMANDS:
            best = n
            break
    if best is None:
        # find the deepest known group to name in the error
        groups = {p[:k] for p in COMMANDS for k in range(1, len(p))}
        depth = 0
        while depth < len(words) and tuple(words[:depth + 1]) in groups:
            depth += 1
        if depth < len(words):
            bad = words[depth]
        else:
            bad = None
        if bad is None:
            raise AzError("the following arguments are required: _subcommand" if depth else
                          "az: error: the following arguments are required: _command", 2)
        raise AzError("'{}' is misspelled or not recognized by the system.".format(bad), 2)
    return tuple(words[:best]), argv[best:]


# ---------------------------------------------------------------------------------------------
# Helpers used by the commands
# ---------------------------------------------------------------------------------------------

class Ctx:
    def __init__(self, state, args):
        self.state = state
        self.args = args
        sub = args.get("subscription")
        if sub:
            self.sub = lookup_subscription(state, sub, for_flag=True)
        else:
            self.sub = state["currentSubscription"]

    def a(self, key, default=None):
        return self.args.get(key, default)


def lookup_subscription(state, s, for_flag=False):
    for sid, info in state["subscriptions"].items():
        if s.lower() in (sid.lower(), info.get("name", "").lower()):
            return sid
    if for_flag:
        raise AzError("Subscription '{}' not found. Check the spelling and casing and try again.".format(s))
    raise AzError("The subscription of '{}' doesn't exist in cloud '{}'.".format(s.lower(), state["cloud"]))


def need_group(ctx, rg):
    g = get_resource(ctx.state, rg_id(ctx.sub, rg), "group")
    if not g:
        raise arm_error("ResourceGroupNotFound", "Resource group '{}' could not be found.".format(rg), 3)
    return g


def need_provider(ctx, namespace, sub=None):
    sub = sub or ctx.sub
    provs = [p.lower() for p in ctx.state["subscriptions"].get(sub, {}).get("providers", [])]
    if namespace.lower() not in provs:
        raise arm_error("MissingSubscriptionRegistration",
                        "The subscription is not registered to use namespace '{}'. See https://aka.ms/rps-not-found "
                        "for how to register subscriptions.".format(namespace))


def system_data(state):
    return {"createdAt": "2026-11-29T00:00:00+00:00", "createdBy": state["login"]["name"],
            "createdByType": "User" if state["login"]["type"] == "user" else "Application",
            "lastModifiedAt": "2026-11-29T00:00:00+00:00", "lastModifiedBy": state["login"]["name"],
            "lastModifiedByType": "User" if state["login"]["type"] == "user" else "Application"}


# ---------------------------------------------------------------------------------------------
# account, cloud, ad
# ---------------------------------------------------------------------------------------------

@command("account set", O("--subscription -s --name -n", "subscription_target"), required=("subscription_target",))
def account_set(ctx):
    ctx.state["currentSubscription"] = lookup_subscription(ctx.state, ctx.a("subscription_target"))


def account_obj(state, sid):
    info = state["subscriptions"][sid]
    login = state["login"]
    return {"environmentName": state["cloud"], "homeTenantId": state["tenantId"], "id": sid,
            "isDefault": sid == state["currentSubscription"], "managedByTenants": [],
            "name": info.get("name", sid), "state": "Enabled", "tenantId": state["tenantId"],
            "user": {"name": login["name"], "type": login["type"]}}


@command("account show", O("--name -n", "name"))
def account_show(ctx):
    sid = lookup_subscription(ctx.state, ctx.a("name"), for_flag=True) if ctx.a("name") else ctx.sub
    return account_obj(ctx.state, sid)


@command("account list", O("--all", "all", 0), O("--refresh", "refresh", 0))
def account_list(ctx):
    return [account_obj(ctx.state, s) for s in ctx.state["subscriptions"]]


@command("cloud set", O("--name -n", "name"), O("--profile", "profile"), required=("name",))
def cloud_set(ctx):
    known = {"azurecloud": "AzureCloud", "azurechinacloud": "AzureChinaCloud",
             "azureusgovernment": "AzureUSGovernment"}
    n = ctx.a("name")
    if n.lower() not in known:
        raise AzError("Unable to find cloud '{}'.".format(n))
    ctx.state["cloud"] = known[n.lower()]


GRAPH_DENIED = "Insufficient privileges to complete the operation."


def graph_allowed(state):
    """Whether the signed-in principal may read Microsoft Graph (a pipeline's service principal often may not:
    login.graph false). Graph answers 403 Authorization_RequestDenied with GRAPH_DENIED."""
    return state["login"].get("graph", True) is not False


def need_graph(state):
    if not graph_allowed(state):
        raise AzError(GRAPH_DENIED)


@command("ad signed-in-user show")
def signed_in_user_show(ctx):
    login = ctx.state["login"]
    if login["type"] != "user":
        # Microsoft Graph's answer to GET /me with an app-only token.
        raise AzError("/me request is only valid with delegated authentication flow.")
    need_graph(ctx.state)
    return {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users/$entity",
            "businessPhones": [], "displayName": login.get("displayName", "Alice"), "givenName": None,
            "id": login["objectId"], "jobTitle": None, "mail": login["name"], "mobilePhone": None,
            "officeLocation": None, "preferredLanguage": None, "surname": None,
            "userPrincipalName": login["name"]}


@command("ad sp show", O("--id", "id"), required=("id",))
def ad_sp_show(ctx):
    need_graph(ctx.state)
    key = ctx.a("id").lower()
    for oid, p in ctx.state["principals"].items():
        if p.get("type") != "ServicePrincipal":
            continue
        if key in (oid.lower(), (p.get("appId") or "").lower()):
            return {"@odata.type": "#microsoft.graph.servicePrincipal", "accountEnabled": True,
                    "appDisplayName": p.get("displayName"), "appId": p.get("appId"),
                    "displayName": p.get("displayName"), "id": oid,
                    "servicePrincipalNames": [p.get("appId")],
                    "servicePrincipalType": p.get("servicePrincipalType",
                                                  "ManagedIdentity" if p.get("managed") else "Application")}
    raise arm_error("Request_ResourceNotFound",
                    "Resource '{}' does not exist or one of its queried reference-property objects are not "
                    "present.".format(ctx.a("id")), 3)


# ---------------------------------------------------------------------------------------------
# group
# ---------------------------------------------------------------------------------------------

def group_obj(g):
    return {"id": g["id"], "location": g["location"], "managedBy": None, "name": g["name"],
            "properties": {"provisioningState": "Succeeded"}, "tags": g.get("tags") or None,
            "type": "Microsoft.Resources/resourceGroups"}


@command("group create", O("--name -n --resource-group -g", "name"), O("--location -l", "location"),
         O("--tags", "tags", "*"), O("--managed-by", "managed_by"), required=("name", "location"))
def group_create(ctx):
    rid = rg_id(ctx.sub, ctx.a("name"))
    g = get_resource(ctx.state, rid, "group")
    if g and norm_region(g["location"]) != norm_region(ctx.a("location")):
        raise arm_error("InvalidResourceGroupLocation",
                        "Invalid resource group location '{}'. The Resource group already exists in location "
                        "'{}'.".format(norm_region(ctx.a("location")), norm_region(g["location"])))
    tags = parse_tags(ctx.a("tags")) or {}
    if g:
        g["tags"] = tags
    else:
        g = put_resource(ctx.state, "group", rid, name=ctx.a("name"), location=ctx.a("location"),
                         resourceGroup=ctx.a("name"), tags=tags)
    return group_obj(g)


@command("group show", O("--name -n --resource-group -g", "name"), required=("name",))
def group_show(ctx):
    g = get_resource(ctx.state, rg_id(ctx.sub, ctx.a("name")), "group")
    if not g:
        raise arm_error("ResourceGroupNotFound", "Resource group '{}' could not be found.".format(ctx.a("name")), 3)
    return group_obj(g)


@command("group exists", O("--name -n --resource-group -g", "name"), required=("name",))
def group_exists(ctx):
    return bool(get_resource(ctx.state, rg_id(ctx.sub, ctx.a("name")), "group"))


# ---------------------------------------------------------------------------------------------
# identity
# ---------------------------------------------------------------------------------------------

def identity_obj(state, r):
    return {"clientId": r["clientId"], "id": r["id"], "location": r["location"], "name": r["name"],
            "principalId": r["principalId"], "resourceGroup": r["resourceGroup"],
            "systemData": None, "tags": r.get("tags") or {}, "tenantId": state["tenantId"],
            "type": "Microsoft.ManagedIdentity/userAssignedIdentities"}


@command("identity create", O("--name -n", "name"), O("--resource-group -g", "rg"), O("--location -l", "location"),
         O("--tags", "tags", "*"), required=("name", "rg"))
def identity_create(ctx):
    g = need_group(ctx, ctx.a("rg"))
    rid = res_id(ctx.sub, ctx.a("rg"), "Microsoft.ManagedIdentity/userAssignedIdentities/" + ctx.a("name"))
    existing = get_resource(ctx.state, rid, "identity")
    fields = identity_fields(existing["id"] if existing else rid)
    r = put_resource(ctx.state, "identity", existing["id"] if existing else rid,
                     location=ctx.a("location") or g["location"], tags=parse_tags(ctx.a("tags")) or {}, **fields)
    add_principal(ctx.state, r["principalId"], "ServicePrincipal", r["name"], r["clientId"])
    ctx.state["principals"][r["principalId"]]["managed"] = True
    return identity_obj(ctx.state, r)


@command("identity show", O("--name -n", "name"), O("--resource-group -g", "rg"), O("--ids", "ids", "*"))
def identity_show(ctx):
    if ctx.a("ids"):
        r = get_resource(ctx.state, ctx.a("ids")[0], "identity")
        label = ctx.a("ids")[0]
    else:
        if not ctx.a("name") or not ctx.a("rg"):
            raise AzError("the following arguments are required: --name/-n, --resource-group/-g", 2)
        r = get_resource(ctx.state, res_id(ctx.sub, ctx.a("rg"), "Microsoft.ManagedIdentity/userAssignedIdentities/"
                                           + ctx.a("name")), "identity")
        label = ctx.a("name")
        if not r and not get_resource(ctx.state, rg_id(ctx.sub, ctx.a("rg")), "group"):
            raise arm_error("ResourceGroupNotFound", "Resource group '{}' could not be found.".format(ctx.a("rg")), 3)
    if not r:
        raise not_found("The Resource 'Microsoft.ManagedIdentity/userAssignedIdentities/{}' under resource group "
                        "'{}' was not found. For more details please go to "
                        "https://aka.ms/ARMResourceNotFoundFix".format(label, ctx.a("rg")))
    return identity_obj(ctx.state, r)


# ---------------------------------------------------------------------------------------------
# keyvault
# ---------------------------------------------------------------------------------------------

def vault_obj(state, v):
    return {
        "id": v["id"], "location": v["location"], "name": v["name"], "resourceGroup": v["resourceGroup"],
        "systemData": system_data(state), "tags": v.get("tags") or {}, "type": "Microsoft.KeyVault/vaults",
        "properties": {
            "accessPolicies": [{"applicationId": None, "objectId": p["objectId"],
                                "permissions": {"certificates": p.get("certificates"), "keys": p.get("keys"),
                                                "secrets": p.get("secrets"), "storage": p.get("storage")},
                                "tenantId": state["tenantId"]} for p in v.get("accessPolicies", [])],
            "createMode": None, "enablePurgeProtection": True if v["purgeProtection"] else None,
            "enableRbacAuthorization": v["rbac"], "enableSoftDelete": True,
            "enabledForDeployment": False, "enabledForDiskEncryption": None,
            "enabledForTemplateDeployment": None, "hsmPoolResourceId": None,
            "networkAcls": {"bypass": v["bypass"], "defaultAction": v["defaultAction"],
                            "ipRules": [{"value": ip} for ip in v.get("ipRules", [])],
                            "virtualNetworkRules": [{"id": s, "ignoreMissingVnetServiceEndpoint": None}
                                                    for s in v.get("vnetRules", [])]},
            "privateEndpointConnections": None, "provisioningState": "Succeeded",
            "publicNetworkAccess": "Enabled",
            "sku": {"family": "A", "name": v["sku"]}, "softDeleteRetentionInDays": v.get("retentionDays", 90),
            "tenantId": state["tenantId"], "vaultUri": "https://{}/".format(vault_host(v)),
        },
    }


def find_vault(ctx, name, rg=None, required=True):
    recs = [r for r in find(ctx.state, "vault", name=name) if r["subscription"].lower() == ctx.sub.lower()]
    if rg:
        recs = [r for r in recs if r["resourceGroup"].lower() == rg.lower()]
    if not recs:
        if not required:
            return None
        if rg:
            raise not_found("The Resource 'Microsoft.KeyVault/vaults/{}' under resource group '{}' was not found. "
                            "For more details please go to https://aka.ms/ARMResourceNotFoundFix".format(name, rg))
        # keyvault show without -g looks the vault up in the subscription's resource list
        raise arm_error("ResourceNotFound", "The Resource 'Microsoft.KeyVault/vaults/{}' was not found in the "
                        "current subscription.".format(name), 3)
    return recs[0]


@command("keyvault create", O("--name -n", "name"), O("--resource-group -g", "rg"), O("--location -l", "location"),
         O("--sku"), O("--enable-rbac-authorization", "rbac", "?"), O("--enable-purge-protection", "purge", "?"),
         O("--retention-days"), O("--tags", "tags", "*"), O("--default-action"), O("--bypass"),
         O("--no-self-perms", "no_self_perms", "?"), O("--public-network-access"),
         O("--enabled-for-disk-encryption"), O("--enabled-for-deployment"), O("--enabled-for-template-deployment"),
         O("--network-acls-ips", "acl_ips", "*"), required=("name", "rg"))
def keyvault_create(ctx):
    name = ctx.a("name")
    g = need_group(ctx, ctx.a("rg"))
    # create_vault first GETs the vault in this resource group and refuses an existing one.
    if find_vault(ctx, name, ctx.a("rg"), required=False):
        raise AzError("The specified vault: {} already exists".format(name))
    if name.lower() in (n.lower() for n in ctx.state["deletedVaults"]):
        raise arm_error("ConflictError", "A vault with the same name already exists in deleted state. You need to "
                        "either recover or purge existing deleted vault.")
    if find(ctx.state, "vault", name=name):
        raise arm_error("VaultAlreadyExists", "The vault name '{}' is already in use. Vault names are globally "
                        "unique so it is possible that the name is already taken. If you are sure that the vault "
                        "name was not taken then it is possible that a vault with the same name was recently "
                        "deleted but not purged after being placed in a recoverable state. If the vault is in a "
                        "recoverable state then the vault will need to be purged before reusing the name. For more "
                        "information on soft delete and purging a vault follow this link "
                        "https://go.microsoft.com/fwlink/?linkid=2147740.".format(name))
    rbac_arg = ctx.a("rbac")
    rbac_flag = None if rbac_arg is None else tf(rbac_arg, "--enable-rbac-authorization")
    rbac = True if rbac_flag is None else rbac_flag  # the service's default is RBAC (help of the flag, CLI 2.61+)
    no_self = ctx.a("no_self_perms") is not None and tf(ctx.a("no_self_perms"), "--no-self-perms")
    policies = []
    if not (no_self or rbac_flag):
        # create_vault: unless --no-self-perms or --enable-rbac-authorization true, the CLI adds an all-permissions
        # policy for the signed-in principal, even when the flag is absent (that vault is RBAC: the policy is inert).
        policies = [{"objectId": ctx.state["login"]["objectId"], "keys": ["all"], "secrets": ["all"],
                     "certificates": ["all"], "storage": ["all"]}]
    purge = tf(ctx.a("purge"), "--enable-purge-protection") if ctx.a("purge") is not None else False
    sku = (ctx.a("sku") or "standard").lower()
    v = put_resource(ctx.state, "vault", res_id(ctx.sub, ctx.a("rg"), "Microsoft.KeyVault/vaults/" + name),
                     location=ctx.a("location") or g["location"], tags=parse_tags(ctx.a("tags")) or {},
                     sku=sku, rbac=rbac, purgeProtection=purge, softDelete=True,
                     retentionDays=int(ctx.a("retention_days") or 90),
                     defaultAction=ctx.a("default_action") or "Allow", bypass=ctx.a("bypass") or "AzureServices",
                     ipRules=list(ctx.a("acl_ips") or []), vnetRules=[], accessPolicies=policies, keys={},
                     dnsSuffix=VAULT_DNS[ctx.state["cloud"]])
    return vault_obj(ctx.state, v)


@command("keyvault show", O("--name -n", "name"), O("--resource-group -g", "rg"), required=("name",))
def keyvault_show(ctx):
    return vault_obj(ctx.state, find_vault(ctx, ctx.a("name"), ctx.a("rg")))


@command("keyvault list", O("--resource-group -g", "rg"), O("--resource-type"))
def keyvault_list(ctx):
    recs = [r for r in find(ctx.state, "vault", resourceGroup=ctx.a("rg"))
            if r["subscription"].lower() == ctx.sub.lower()]
    return [{"id": r["id"], "location": r["location"], "name": r["name"], "resourceGroup": r["resourceGroup"],
             "tags": r.get("tags") or {}, "type": "Microsoft.KeyVault/vaults"} for r in recs]


@command("keyvault update", O("--name -n", "name"), O("--resource-group -g", "rg"), O("--default-action"),
         O("--bypass"), O("--enable-purge-protection", "purge", "?"), O("--enable-rbac-authorization", "rbac", "?"),
         O("--public-network-access"), O("--retention-days"), required=("name",))
def keyvault_update(ctx):
    v = find_vault(ctx, ctx.a("name"), ctx.a("rg"))
    if ctx.a("purge") is not None:
        p = tf(ctx.a("purge"), "--enable-purge-protection")
        if v["purgeProtection"] and not p:
            raise arm_error("BadRequest", "Once enabled, the purge protection cannot be disabled.")
        v["purgeProtection"] = p
    if ctx.a("rbac") is not None:
        v["rbac"] = tf(ctx.a("rbac"), "--enable-rbac-authorization")
    if ctx.a("default_action"):
        v["defaultAction"] = ctx.a("default_action")
    if ctx.a("bypass"):
        v["bypass"] = ctx.a("bypass")
    return vault_obj(ctx.state, v)


@command("keyvault set-policy", O("--name -n", "name"), O("--resource-group -g", "rg"), O("--object-id", "oid"),
         O("--spn"), O("--upn"), O("--key-permissions", "keys", "*"), O("--secret-permissions", "secrets", "*"),
         O("--certificate-permissions", "certs", "*"), required=("name",))
def keyvault_set_policy(ctx):
    v = find_vault(ctx, ctx.a("name"), ctx.a("rg"))
    oid = ctx.a("oid")
    if not oid:
        raise AzError("argument --object-id: expected one argument" if ctx.a("oid") == "" else
                      "Usage error: --object-id | --spn | --upn", 1)
    if v["rbac"]:
        # keyvault/custom.py set_policy refuses before any request.
        raise AzError("Cannot set policies to a vault with '--enable-rbac-authorization' specified")
    for p in v["accessPolicies"]:
        if p["objectId"].lower() == oid.lower():
            if ctx.a("keys") is not None:
                p["keys"] = sorted(set(ctx.a("keys")), key=str.lower)
            break
    else:
        v["accessPolicies"].append({"objectId": oid, "keys": sorted(set(ctx.a("keys") or []), key=str.lower)})
    return vault_obj(ctx.state, v)


@command("keyvault delete-policy", O("--name -n", "name"), O("--resource-group -g", "rg"), O("--object-id", "oid"),
         O("--spn"), O("--upn"), required=("name",))
def keyvault_delete_policy(ctx):
    v = find_vault(ctx, ctx.a("name"), ctx.a("rg"))
    if v["rbac"]:
        raise AzError("Cannot delete policies to a vault with '--enable-rbac-authorization' specified")
    before = len(v["accessPolicies"])
    v["accessPolicies"] = [p for p in v["accessPolicies"] if p["objectId"].lower() != (ctx.a("oid") or "").lower()]
    if len(v["accessPolicies"]) == before:
        raise AzError("No matching policies found")
    return vault_obj(ctx.state, v)


def key_obj(v, name, k, version=None):
    version = version or k["versions"][-1]
    n = hashlib.sha256((v["id"] + name + version).encode()).hexdigest()
    return {
        "attributes": {"created": "2026-11-29T00:00:00+00:00", "enabled": version_enabled(k, version),
                       "expires": k.get("expires", {}).get(version),
                       "exportable": False, "hsmPlatform": "2" if k["kty"].endswith("HSM") else None,
                       "keySize": k["size"], "notBefore": None, "recoverableDays": v.get("retentionDays", 90),
                       "recoveryLevel": "Recoverable" if v["purgeProtection"] else "Recoverable+Purgeable",
                       "updated": "2026-11-29T00:00:00+00:00"},
        "key": {"crv": None, "d": None, "dp": None, "dq": None, "e": "AQAB", "k": None,
                "keyOps": ["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"],
                "kid": "https://{}/keys/{}/{}".format(vault_host(v), name, version),
                "kty": k["kty"], "n": n, "p": None, "q": None, "qi": None, "t": None, "x": None, "y": None},
        "managed": None, "releasePolicy": None, "tags": None,
    }


def find_vault_for_data(ctx, vault_name):
    recs = find(ctx.state, "vault", name=vault_name)
    if not recs:
        # the data plane host does not resolve
        raise AzError("Failed to resolve 'https://{}.vault.azure.net/': name or service not known".format(vault_name))
    return recs[0]


@command("keyvault key create", O("--vault-name", "vault"), O("--name -n", "name"), O("--kty"), O("--size"),
         O("--protection -p", "protection"), O("--ops", "ops", "*"), O("--tags", "tags", "*"),
         O("--disabled", None, "?"), O("--hsm-name"), required=("vault", "name"))
def key_create(ctx):
    v = find_vault_for_data(ctx, ctx.a("vault"))
    name = ctx.a("name")
    check_data_plane(ctx.state, v, "Microsoft.KeyVault/vaults/keys/create/action", "create", KEY_CREATE_ROLES,
                     v["id"] + "/keys/" + name)
    kty = ctx.a("kty") or "RSA"
    if kty.endswith("-HSM") and v["sku"] != "premium":
        raise AzError("(BadParameter) Property 'kty' ({}) is not supported by this vault's SKU (standard); "
                      "use a premium vault.".format(kty))
    size = int(ctx.a("size") or 2048)
    return key_obj(v, name, create_key(v, name, kty, size))


def create_key(v, name, kty, size):
    """A key create on the data plane: a new key, or a new version of the key with that name."""
    k = v["keys"].get(name)
    if k is None:
        k = v["keys"][name] = {"kty": kty, "size": size, "versions": [], "disabled": [], "expires": {},
                               "rotationPolicy": None}
    k["kty"], k["size"] = kty, size
    add_key_version(v, name, k)
    return k


def add_key_version(v, name, k):
    """A new version, enabled; it expires after the rotation policy's expiryTime (an ISO 8601 duration the
    service adds to the creation time; kept as "created+DURATION", the stand-in has no calendar)."""
    version = hex32("{}/{}/{}".format(v["id"], name, len(k["versions"])))
    k["versions"].append(version)
    expiry = ((k.get("rotationPolicy") or {}).get("attributes") or {}).get("expiryTime")
    if expiry:
        k.setdefault("expires", {})[version] = "created+" + expiry


@command("keyvault key list", O("--vault-name", "vault"), O("--maxresults"), O("--include-managed", None, "?"),
         O("--id"), O("--hsm-name"), required=("vault",))
def key_list(ctx):
    v = find_vault_for_data(ctx, ctx.a("vault"))
    check_data_plane(ctx.state, v, "Microsoft.KeyVault/vaults/keys/read", "list",
                     KEY_WRAP_ROLES | {"key vault reader"}, v["id"] + "/keys")
    out = []
    for name, k in sorted(v["keys"].items()):
        full = key_obj(v, name, k)
        out.append({"attributes": full["attributes"], "kid": "https://{}/keys/{}".format(
            vault_host(v), name), "managed": None, "name": name, "tags": None})
    return out


def get_key(ctx, v, name):
    k = v["keys"].get(name)
    if not k:
        raise AzError("(KeyNotFound) A key with (name/id) {} was not found in this key vault. If you recently "
                      "deleted this key you may be able to recover it using the correct recovery command. For help "
                      "resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182\n"
                      "Code: KeyNotFound".format(name), 3)
    return k


@command("keyvault key show", O("--vault-name", "vault"), O("--name -n", "name"), O("--version -v", "version"),
         O("--id"), required=())
def key_show(ctx):
    vault, name, version = ctx.a("vault"), ctx.a("name"), ctx.a("version")
    if ctx.a("id"):
        vrec, name, version = vault_by_uri(ctx.state, ctx.a("id"))
        vault = vrec["name"] if vrec else ctx.a("id").split("://")[-1].split(".")[0]
    v = find_vault_for_data(ctx, vault)
    check_data_plane(ctx.state, v, "Microsoft.KeyVault/vaults/keys/read", "get",
                     KEY_WRAP_ROLES | {"key vault reader"}, v["id"] + "/keys/" + name)
    k = get_key(ctx, v, name)
    if version and version not in k["versions"]:
        raise AzError("(KeyNotFound) A key with (name/id) {}/{} was not found in this key vault.".format(
            name, version), 3)
    return key_obj(v, name, k, version)


@command("keyvault key set-attributes", O("--vault-name", "vault"), O("--name -n", "name"), O("--enabled", None, "?"),
         O("--version -v", "version"), O("--expires"), O("--tags", "tags", "*"), required=("vault", "name"))
def key_set_attributes(ctx):
    # keyvault/custom.py update_key_properties: client.update_key_properties(name, version=version, ...): the
    # attributes of that version; without --version, of the current (latest) one.
    v = find_vault_for_data(ctx, ctx.a("vault"))
    check_data_plane(ctx.state, v, "Microsoft.KeyVault/vaults/keys/write", "update", KEY_CREATE_ROLES,
                     v["id"] + "/keys/" + ctx.a("name"))
    k = get_key(ctx, v, ctx.a("name"))
    version = ctx.a("version") or k["versions"][-1]
    if version not in k["versions"]:
        raise AzError("(KeyNotFound) A key with (name/id) {}/{} was not found in this key vault.".format(
            ctx.a("name"), version), 3)
    if ctx.a("enabled") is not None:
        disabled = [x for x in k.get("disabled", []) if x != version]
        if not tf(ctx.a("enabled"), "--enabled"):
            disabled.append(version)
        k["disabled"] = disabled
    if ctx.a("expires"):
        k.setdefault("expires", {})[version] = ctx.a("expires")
    return key_obj(v, ctx.a("name"), k, version)


@command("keyvault key rotate", O("--vault-name", "vault"), O("--name -n", "name"), O("--id"), O("--hsm-name"),
         required=("vault", "name"))
def key_rotate(ctx):
    # keyvault/custom.py rotate_key: the service's rotate operation, a new
    # version with the key's own type and size (needs the rotate permission).
    v = find_vault_for_data(ctx, ctx.a("vault"))
    name = ctx.a("name")
    check_data_plane(ctx.state, v, "Microsoft.KeyVault/vaults/keys/rotate/action", "rotate", KEY_CREATE_ROLES,
                     v["id"] + "/keys/" + name)
    k = get_key(ctx, v, name)
    add_key_version(v, name, k)
    return key_obj(v, name, k)


@command("keyvault key rotation-policy update", O("--vault-name", "vault"), O("--name -n", "name"),
         O("--value"), O("--id"), required=("value",))
def key_rotation_policy_update(ctx):
    v = find_vault_for_data(ctx, ctx.a("vault"))
    check_data_plane(ctx.state, v, "Microsoft.KeyVault/vaults/keys/rotationpolicies/write", "update",
                     KEY_CREATE_ROLES, v["id"] + "/keys/" + ctx.a("name"))
    k = get_key(ctx, v, ctx.a("name"))
    raw = ctx.a("value")
    if raw.startswith("@"):
        with open(raw[1:], encoding="utf-8") as f:
            raw = f.read()
    try:
        policy = json.loads(raw)
    except ValueError:
        raise AzError("Failed to parse JSON: {}".format(raw))
    # keyvault/custom.py update_key_rotation_policy reads lifetimeActions[].trigger.timeAfterCreate /
    # timeBeforeExpiry and action.type, and attributes.expiryTime (camelCase or snake_case); anything else
    # in the document is not sent. MODEL CHOICE (unverified): the service's refusal of a Rotate action
    # without a trigger is not modelled; such a policy is refused here.
    for a in policy.get("lifetimeActions") or []:
        trig = {x: y for x, y in (a.get("trigger") or {}).items() if y}
        if str((a.get("action") or {}).get("type", "")).lower() not in ("rotate", "notify") or not trig:
            raise AzError("(BadParameter) Invalid lifetime action: {}".format(json.dumps(a)))
    k["rotationPolicy"] = policy
    out = {"attributes": policy.get("attributes", {}), "id": "https://{}/keys/{}/rotationpolicy"
           .format(vault_host(v), ctx.a("name")), "lifetimeActions": policy.get("lifetimeActions", [])}
    return out


# ---------------------------------------------------------------------------------------------
# role assignments
# ---------------------------------------------------------------------------------------------

def role_obj(state, a, listing=False):
    out = {"condition": None, "conditionVersion": None, "createdBy": None, "createdOn": "2026-11-29T00:00:00+00:00",
           "delegatedManagedIdentityResourceId": None, "description": None, "id": a["id"], "name": a["name"],
           "principalId": a["principalId"], "principalType": a["principalType"],
           "roleDefinitionId": a["roleDefinitionId"], "scope": a["scope"],
           "type": "Microsoft.Authorization/roleAssignments", "updatedBy": None,
           "updatedOn": "2026-11-29T00:00:00+00:00"}
    if listing:
        # role/custom.py list_role_assignments: _role_assignment_to_dict keeps only non-null values, then adds
        # roleDefinitionName and principalName ('' when Graph does not know the principal)
        out = {k: v for k, v in out.items() if v is not None}
        p = state["principals"].get(a["principalId"], {})
        out["principalName"] = p.get("appId") or p.get("displayName") or ""
        out["roleDefinitionName"] = a["roleDefinitionName"]
    else:
        out["systemData"] = None
    return out


def check_role(role):
    for known in ROLE_IDS:
        if known.lower() == role.lower():
            return known
    if len(role) == 36:
        for known, rid in ROLE_IDS.items():
            if rid == role.lower():
                return known
    raise AzError("Role '{}' doesn't exist.".format(role))


def check_scope_exists(ctx, scope):
    parts = [p for p in scope.split("/") if p]
    if len(parts) < 2 or parts[0].lower() != "subscriptions":
        raise AzError("Invalid scope '{}'".format(scope))
    if parts[1] not in ctx.state["subscriptions"]:
        raise arm_error("SubscriptionNotFound", "The subscription '{}' could not be found.".format(parts[1]), 3)


@command("role assignment create", O("--assignee"), O("--assignee-object-id", "oid"),
         O("--assignee-principal-type", "ptype"), O("--role"), O("--scope"), O("--resource-group -g", "rg"),
         O("--description"), O("--condition"), O("--condition-version"), O("--name"), required=("role",))
def role_create(ctx):
    if bool(ctx.a("assignee")) == bool(ctx.a("oid")):
        raise AzError("usage error: --assignee STRING | --assignee-object-id GUID")
    if ctx.a("ptype") and not ctx.a("oid"):
        raise AzError("usage error: --assignee-object-id GUID --assignee-principal-type TYPE")
    role = check_role(ctx.a("role"))
    scope = ctx.a("scope") or (rg_id(ctx.sub, ctx.a("rg")) if ctx.a("rg") else "/subscriptions/" + ctx.sub)
    check_scope_exists(ctx, scope)
    pid = ctx.a("oid") or resolve_assignee(ctx, ctx.a("assignee"))
    known = ctx.state["principals"].get(pid) or next(
        (p for o, p in ctx.state["principals"].items() if o.lower() == pid.lower()), None)
    ptype = ctx.a("ptype")
    if known and ptype and ptype.lower() != known["type"].lower():
        raise arm_error("UnmatchedPrincipalType", "The PrincipalId '{}' has type '{}' , which is different from "
                        "specified PrincipalType '{}'.".format(pid.replace("-", ""), known["type"], ptype))
    if not known and not ptype:
        raise arm_error("PrincipalNotFound", "Principal {} does not exist in the directory {}. Check that you have "
                        "the correct principal ID. If you are creating this principal and then immediately "
                        "assigning a role, this error might be related to a replication delay. In this case, set "
                        "the role assignment principalType property to a value, such as ServicePrincipal, User, or "
                        "Group.  See https://aka.ms/docs-principaltype".format(pid.replace("-", ""),
                                                                                ctx.state["tenantId"]))
    ptype = ptype or known["type"]
    a, created = add_assignment(ctx.state, pid, ptype, role, scope, ctx.state["clock"])
    # RoleAssignmentExists: create_role_assignment returns list_role_assignments(...)[0] (the listing shape)
    return role_obj(ctx.state, a, listing=not created)


def resolve_assignee(ctx, assignee):
    for oid, p in ctx.state["principals"].items():
        if assignee.lower() in (oid.lower(), (p.get("appId") or "").lower(), (p.get("displayName") or "").lower()):
            return oid
    if ctx.state["login"]["name"].lower() == assignee.lower():
        return ctx.state["login"]["objectId"]
    raise AzError("Cannot find user or service principal in graph database for '{}'. If the assignee is an appId, "
                  "make sure the corresponding service principal is created with 'az ad sp create --id {}'."
                  .format(assignee, assignee))


def select_assignments(ctx):
    """role/custom.py _search_role_assignments: with --scope, atScope() (assignments at and above the scope),
    then only those at exactly the scope unless --include-inherited; the role and the principal (exact object
    ID) filtered on the client."""
    out = []
    if ctx.a("assignee") and ctx.a("oid"):
        raise AzError("Usage error: Provide only one of --assignee or --assignee-object-id.")
    pid = ctx.a("oid") or (resolve_assignee(ctx, ctx.a("assignee")) if ctx.a("assignee") else None)
    role = check_role(ctx.a("role")) if ctx.a("role") else None
    for a in ctx.state["roleAssignments"]:
        if pid and a["principalId"].lower() != pid.lower():
            continue
        if role and a["roleDefinitionName"].lower() != role.lower():
            continue
        if ctx.a("scope") and ctx.a("inherited"):
            if not scope_covers(a["scope"], ctx.a("scope")):
                continue
        elif ctx.a("scope") and a["scope"].lower().rstrip("/") != ctx.a("scope").lower().rstrip("/"):
            continue
        if not ctx.a("scope") and not ctx.a("all") and not a["scope"].lower().startswith(
                "/subscriptions/" + ctx.sub.lower()):
            continue
        out.append(a)
    return out


@command("role assignment list", O("--assignee"), O("--assignee-object-id", "oid"), O("--role"), O("--scope"), O("--all", "all", 0),
         O("--include-inherited", "inherited", 0), O("--resource-group -g", "rg"))
def role_list(ctx):
    return [role_obj(ctx.state, a, listing=True) for a in select_assignments(ctx)]


@command("role assignment delete", O("--assignee"), O("--assignee-object-id", "oid"), O("--role"), O("--scope"),
         O("--ids", "ids", "*"), O("--include-inherited", "inherited", 0), O("--yes -y", "yes", 0),
         O("--resource-group -g", "rg"))
def role_delete(ctx):
    if ctx.a("ids"):
        ids = {i.lower() for i in ctx.a("ids")}
        victims = [a for a in ctx.state["roleAssignments"] if a["id"].lower() in ids]
    else:
        victims = select_assignments(ctx)
    if not victims and not ctx.a("ids"):
        # role/custom.py delete_role_assignments: raise CLIError('No matched assignments were found to delete')
        # (exit status 1); with --ids each is deleted by ID, and a missing one is no error (204).
        raise AzError("No matched assignments were found to delete")
    ctx.state["roleAssignments"] = [a for a in ctx.state["roleAssignments"] if a not in victims]
    return None


# ---------------------------------------------------------------------------------------------
# container registry
# ---------------------------------------------------------------------------------------------

def validate_registry_name(name):
    # acr/_validators.py validate_registry_name (runs before any request, every acr command with --name)
    if not (5 <= len(name) <= 50 and name.isascii() and name.isalnum()):
        raise AzError("Registry names may contain only alpha numeric characters and must be between 5 and 50 "
                      "characters")


def find_registry(ctx, name, rg=None):
    validate_registry_name(name)
    recs = [r for r in find(ctx.state, "registry", name=name) if r["subscription"].lower() == ctx.sub.lower()]
    if rg:
        recs = [r for r in recs if r["resourceGroup"].lower() == rg.lower()]
        if not recs:
            raise not_found("The Resource 'Microsoft.ContainerRegistry/registries/{}' under resource group '{}' was "
                            "not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix"
                            .format(name, rg))
    if not recs:
        # acr/_utils.py _arm_get_resource_by_name raises its own ResourceNotFound(CLIError): exit code 1, not 3.
        info = ctx.state["subscriptions"].get(ctx.sub, {})
        raise AzError("The resource with name '{}' and type 'Microsoft.ContainerRegistry/registries' could not be "
                      "found in subscription '{} ({})'.".format(name, info.get("name", ctx.sub), ctx.sub))
    return recs[0]


def identity_by_ref(ctx, ref, rg):
    rid = ref if ref.startswith("/") else res_id(ctx.sub, rg, "Microsoft.ManagedIdentity/userAssignedIdentities/"
                                                 + ref)
    return rid, get_resource(ctx.state, rid, "identity")


def registry_obj(state, r):
    ident = None
    uai = {}
    for i in r["userIdentities"]:
        rec = get_resource(state, i, "identity")
        uai[i] = {"clientId": rec["clientId"] if rec else None, "principalId": rec["principalId"] if rec else None}
    types = []
    if r["systemIdentity"]:
        types.append("SystemAssigned")
    if uai:
        types.append("UserAssigned")
    if types:
        ident = {"principalId": r["systemIdentity"], "tenantId": state["tenantId"] if r["systemIdentity"] else None,
                 "type": ", ".join(types), "userAssignedIdentities": uai or None}
    enc = {"keyVaultProperties": None, "status": "disabled"}
    if r["encryption"]:
        e = r["encryption"]
        versioned = e["keyUri"]
        vault, key, version = vault_by_uri(state, e["keyUri"])
        if vault and key in vault["keys"] and not version:
            versioned = e["keyUri"].rstrip("/") + "/" + vault["keys"][key]["versions"][-1]
        enc = {"keyVaultProperties": {"identity": e["identity"], "keyIdentifier": e["keyUri"],
                                      "keyRotationEnabled": version is None, "lastKeyRotationTimestamp": None,
                                      "versionedKeyIdentifier": versioned},
               "status": "enabled"}
    return {
        "adminUserEnabled": r["adminUserEnabled"], "anonymousPullEnabled": False,
        "autoGeneratedDomainNameLabelScope": r.get("dnlScope") or "Unsecure", "creationDate": "2026-11-29T00:00:00+00:00",
        "dataEndpointEnabled": False, "dataEndpointHostNames": [], "encryption": enc, "endpointProtocol": None,
        "id": r["id"], "identity": ident, "location": r["location"],
        "loginServer": login_server(r), "metadataSearch": "Disabled", "name": r["name"],
        "networkRuleBypassAllowedForTasks": bool(r.get("tasksBypass")), "networkRuleBypassOptions": r["bypass"],
        "networkRuleSet": {"defaultAction": r["defaultAction"],
                           "ipRules": [{"action": "Allow", "ipAddressOrRange": ip} for ip in r["ipRules"]],
                           "virtualNetworkRules": [{"action": "Allow", "virtualNetworkResourceId": s}
                                                   for s in r["vnetRules"]]}
        if r["sku"] == "Premium" else None,
        "policies": {"azureAdAuthenticationAsArmPolicy": {"status": "enabled"},
                     "exportPolicy": {"status": "enabled"},
                     "quarantinePolicy": {"status": "disabled"},
                     "retentionPolicy": {"days": 7, "lastUpdatedTime": None, "status": "disabled"},
                     "softDeletePolicy": {"lastUpdatedTime": None, "retentionDays": 7, "status": "disabled"},
                     "trustPolicy": {"status": "disabled", "type": "Notary"}},
        "privateEndpointConnections": [], "provisioningState": "Succeeded",
        "publicNetworkAccess": r["publicNetworkAccess"], "regionalEndpointHostNames": None,
        "regionalEndpoints": None, "resourceGroup": r["resourceGroup"],
        "roleAssignmentMode": r.get("roleAssignmentMode") or "LegacyRegistryPermissions",
        "sku": {"name": r["sku"], "tier": r["sku"]}, "status": None, "systemData": system_data(state),
        "tags": r.get("tags") or {}, "type": "Microsoft.ContainerRegistry/registries",
        "writableCacheRepos": None, "zoneRedundancy": r["zoneRedundancy"],
    }


def check_cmk(ctx, r, key_uri, principal_id, client_id, is_system):
    reason = identity_key_access(ctx.state, key_uri, principal_id, is_system)
    if reason in ("vault not found",):
        raise arm_error("KeyVaultAccessFailed",
                        "Failed to access KeyId '{}'. The key vault could not be found.".format(key_uri))
    if reason:
        raise cmk_error(key_uri, client_id)


@command("acr create", O("--name -n", "name"), O("--resource-group -g", "rg"), O("--location -l", "location"),
         O("--sku"), O("--admin-enabled", "admin", "?"), O("--zone-redundancy", "zone"), O("--identity"),
         O("--key-encryption-key", "kek"), O("--public-network-enabled", "public", "?"), O("--default-action"),
         O("--allow-trusted-services", "trusted", "?"), O("--tags", "tags", "*"), O("--workspace"),
         O("--allow-exports"), O("--allow-metadata-search"), O("--dnl-scope"), O("--role-assignment-mode"),
         required=("name", "rg", "sku"))
def acr_create(ctx):
    name, rg, sku = ctx.a("name"), ctx.a("rg"), ctx.a("sku")
    sku = {"basic": "Basic", "standard": "Standard", "premium": "Premium"}.get(sku.lower())
    if not sku:
        raise AzError("argument --sku: invalid choice: '{}' (choose from 'Basic', 'Standard', 'Premium')"
                      .format(ctx.a("sku")), 2)
    validate_registry_name(name)
    if ctx.a("default_action") and sku != "Premium":
        raise AzError("Network rules are only supported for managed registries in Premium SKU.")
    if any(c.isupper() for c in name):
        raise AzError("argument error: Registry name must use only lowercase.")
    if "-" in name:
        raise AzError("argument error: Registry name cannot contain dashes.")
    if bool(ctx.a("identity")) != bool(ctx.a("kek")):
        raise AzError("Usage error: --identity and --key-encryption-key must be both supplied")
    g = need_group(ctx, rg)
    need_provider(ctx, "Microsoft.ContainerRegistry")
    rid = res_id(ctx.sub, rg, "Microsoft.ContainerRegistry/registries/" + name)
    existing = check_registry_dns(ctx, rid, name)
    rec = new_registry_record(ctx.a("location") or g["location"], sku)
    rec["adminUserEnabled"] = tf(ctx.a("admin"), "--admin-enabled") if ctx.a("admin") is not None else False
    if ctx.a("zone"):
        rec["zoneRedundancy"] = "Enabled" if ctx.a("zone").lower() == "enabled" else "Disabled"
    if ctx.a("default_action"):
        rec["defaultAction"] = ctx.a("default_action")
    if ctx.a("public") is not None and not tf(ctx.a("public"), "--public-network-enabled"):
        rec["publicNetworkAccess"] = "Disabled"
        rec["defaultAction"] = "Deny"
        sys.stderr.write("WARNING: Disabling the public endpoint overrides all firewall configurations.\n")
    if ctx.a("trusted") is not None:
        rec["bypass"] = "AzureServices" if tf(ctx.a("trusted"), "--allow-trusted-services") else "None"
    if ctx.a("dnl_scope"):
        rec["dnlScope"] = ctx.a("dnl_scope")
    if ctx.a("role_assignment_mode"):
        # acr/custom.py _configure_role_assignment_mode: rbac-abac -> AbacRepositoryPermissions, else Legacy
        rec["roleAssignmentMode"] = ("AbacRepositoryPermissions" if ctx.a("role_assignment_mode") == "rbac-abac"
                                     else "LegacyRegistryPermissions")
    put_over_existing(rec, existing, bool(ctx.a("kek")), bool(ctx.a("zone")))
    if ctx.a("kek"):
        check_cmk_allowed(sku, existing)
        iid, ident = identity_by_ref(ctx, ctx.a("identity"), rg)
        if not ident:
            # _configure_cmk resolves the identity's client id with a GET first
            raise not_found("The Resource 'Microsoft.ManagedIdentity/userAssignedIdentities/{}' under resource "
                            "group '{}' was not found. For more details please go to "
                            "https://aka.ms/ARMResourceNotFoundFix".format(iid.split("/")[-1],
                                                                           rid_parts(iid).get("resourceGroup")))
        check_cmk(ctx, rec, ctx.a("kek"), ident["principalId"], ident["clientId"], False)
        rec["encryption"] = {"keyUri": ctx.a("kek"), "identity": ident["clientId"]}
        rec["userIdentities"] = [ident["id"]]
    rec["created"] = existing["created"] if existing else ctx.state["clock"]
    r = put_resource(ctx.state, "registry", existing["id"] if existing else rid, name=name,
                     tags=parse_tags(ctx.a("tags")) or {}, **rec)
    return registry_obj(ctx.state, r)


def check_registry_dns(ctx, rid, name):
    """A registry PUT: the existing record at rid (or None); the name is global (its DNS name)."""
    others = [x for x in find(ctx.state, "registry", name=name) if x["id"].lower() != rid.lower()]
    if others:
        raise arm_error("AlreadyInUse", "The registry DNS name {}.azurecr.io is already in use. You can check if "
                        "the name is already claimed using following API: https://docs.microsoft.com/en-us/rest/"
                        "api/containerregistry/registries/check-name-availability".format(name.lower()))
    return get_resource(ctx.state, rid, "registry")


def put_over_existing(rec, existing, has_kek, zone_given):
    """A registry PUT over an existing registry (rec: the new record, changed in place)."""
    if not existing:
        return
    rec["systemIdentity"] = None  # PUT replaces the identity block
    if existing["encryption"] and not has_kek:
        # MODEL CHOICE (unverified): encryption cannot be disabled, so a PUT without it keeps it
        rec["encryption"] = existing["encryption"]
        rec["userIdentities"] = existing["userIdentities"]
    if existing["zoneRedundancy"] != rec["zoneRedundancy"] and zone_given:
        raise arm_error("ZoneRedundancyCannotBeUpdated", "Zone redundancy cannot be changed on an existing "
                        "registry.")
    rec["zoneRedundancy"] = existing["zoneRedundancy"]


def check_cmk_allowed(sku, existing):
    if sku != "Premium":
        raise arm_error("EncryptionNotSupported", "Customer-managed key encryption is only supported for "
                        "registries in Premium SKU. For more information on customer-managed keys, please "
                        "visit 'https://aka.ms/acr/cmk'.")
    if existing and not existing["encryption"]:
        # MODEL CHOICE (unverified code and text): CMK can only be set when the registry is created
        raise arm_error("EncryptionCannotBeEnabled", "Encryption can only be enabled when the registry is "
                        "created. For more information on customer-managed keys, please visit "
                        "'https://aka.ms/acr/cmk'.")


@command("acr show", O("--name -n", "name"), O("--resource-group -g", "rg"), required=("name",))
def acr_show(ctx):
    return registry_obj(ctx.state, find_registry(ctx, ctx.a("name"), ctx.a("rg")))


@command("acr list", O("--resource-group -g", "rg"))
def acr_list(ctx):
    return [registry_obj(ctx.state, r) for r in find(ctx.state, "registry", resourceGroup=ctx.a("rg"))
            if r["subscription"].lower() == ctx.sub.lower()]


@command("acr update", O("--name -n", "name"), O("--resource-group -g", "rg"), O("--default-action"),
         O("--public-network-enabled", "public", "?"), O("--allow-trusted-services", "trusted", "?"),
         O("--admin-enabled", "admin", "?"), O("--sku"), O("--tags", "tags", "*"), O("--anonymous-pull-enabled"),
         O("--set", "set", "*"), required=("name",))
def acr_update(ctx):
    r = find_registry(ctx, ctx.a("name"), ctx.a("rg"))
    for item in ctx.a("set") or []:
        # A generic update (acr/commands.py generic_update_command 'update'): --set PATH=VALUE on the
        # RegistryUpdateParameters the CLI PATCHes (acr_update_get). Azure CLI 2.91 has no flag for the tasks'
        # network bypass; its SDK model has networkRuleBypassAllowedForTasks (azure/mgmt/containerregistry
        # models RegistryUpdateParameters), which azure.cli.core.commands.arm.set_properties reaches by that
        # camelCase name. Only this path is modelled.
        path, _, value = item.partition("=")
        if path not in ("networkRuleBypassAllowedForTasks", "properties.networkRuleBypassAllowedForTasks"):
            raise AzError("Couldn't find '{}' in ''. Available options: []".format(path))  # MODEL CHOICE
        if value.lower() not in ("true", "false"):
            raise AzError("MODEL CHOICE: --set networkRuleBypassAllowedForTasks takes true or false")
        r["tasksBypass"] = value.lower() == "true"
    if ctx.a("sku"):
        r["sku"] = ctx.a("sku").capitalize()
    if ctx.a("admin") is not None:
        r["adminUserEnabled"] = tf(ctx.a("admin"), "--admin-enabled")
    if ctx.a("tags") is not None:
        r["tags"] = parse_tags(ctx.a("tags"))
    if ctx.a("public") is not None:
        if tf(ctx.a("public"), "--public-network-enabled"):
            r["publicNetworkAccess"] = "Enabled"
        else:
            r["publicNetworkAccess"] = "Disabled"
            # _configure_default_action PATCHes networkRuleSet {defaultAction: Deny}; existing rules are kept
            r["defaultAction"] = "Deny"
            sys.stderr.write("WARNING: Disabling the public endpoint overrides all firewall configurations.\n")
    if ctx.a("default_action"):
        if r["sku"] != "Premium":
            raise AzError("Network rules are only supported for managed registries in Premium SKU.")
        # acr_update_custom PATCHes networkRuleSet {defaultAction} only; the service keeps the existing IP and
        # VNet rules (verified: acr/tests/latest/test_acr_network_rule_commands.py, `acr update --default-action
        # Allow` then checks networkRuleSet.ipRules[0] and virtualNetworkRules[0] are still there).
        r["defaultAction"] = ctx.a("default_action")
    if ctx.a("trusted") is not None:
        r["bypass"] = "AzureServices" if tf(ctx.a("trusted"), "--allow-trusted-services") else "None"
    return registry_obj(ctx.state, r)


def network_rule_view(r):
    return {"ipRules": [{"action": "Allow", "ipAddressOrRange": ip} for ip in r["ipRules"]],
            "virtualNetworkRules": [{"action": "Allow", "virtualNetworkResourceId": s,
                                     "virtualNetworkSubnetResourceId": s} for s in r["vnetRules"]]}


def premium_registry(ctx):
    r = find_registry(ctx, ctx.a("name"), ctx.a("rg"))
    if r["sku"] != "Premium":
        raise AzError("Network rules are only supported for managed registries in Premium SKU.")
    return r


def subnet_id_arg(ctx, r):
    subnet, vnet = ctx.a("subnet"), ctx.a("vnet_name")
    is_id = bool(subnet) and subnet.lower().startswith("/subscriptions/")
    if is_id and not vnet:
        return subnet
    if subnet and not is_id and vnet:
        return res_id(ctx.sub, r["resourceGroup"] if not ctx.a("rg") else ctx.a("rg"),
                      "Microsoft.Network/virtualNetworks/{}/subnets/{}".format(vnet, subnet))
    raise AzError("Usage error: [--subnet ID | --subnet NAME --vnet-name NAME]")


def deprecated_subnet_warning(ctx):
    if ctx.a("subnet") is not None:
        sys.stderr.write("WARNING: Argument 'subnet' has been deprecated and will be removed in a future release.\n")
    if ctx.a("vnet_name") is not None:
        sys.stderr.write("WARNING: Argument 'vnet_name' has been deprecated and will be removed in a future "
                         "release.\n")


@command("acr network-rule add", O("--name -n", "name"), O("--resource-group -g", "rg"), O("--subnet"),
         O("--vnet-name", "vnet_name"), O("--ip-address", "ip"), required=("name",))
def acr_network_rule_add(ctx):
    deprecated_subnet_warning(ctx)
    r = premium_registry(ctx)
    new_ips, new_subnets = list(r["ipRules"]), list(r["vnetRules"])
    if ctx.a("subnet") or ctx.a("vnet_name"):
        sid = subnet_id_arg(ctx, r)
        sn = get_resource(ctx.state, sid, "subnet")
        if not sn:
            raise arm_error("NetworkRuleValidationError",
                            "Subnet '{}' could not be found.".format(sid))
        # MODEL CHOICE (unverified code and text): the service validates the subnet's endpoint
        if not any(e["service"].lower() == "microsoft.containerregistry" for e in sn.get("serviceEndpoints", [])):
            raise arm_error("NetworkRuleValidationError",
                            "Subnet '{}' does not have the service endpoint 'Microsoft.ContainerRegistry' enabled. "
                            "Enable the service endpoint on the subnet and try again.".format(sid))
        need_provider(ctx, "Microsoft.ContainerRegistry", sn["subscription"])
        # The CLI appends without looking for an existing rule (acr/network_rule.py acr_network_rule_add).
        new_subnets.append(sn["id"])
    if ctx.a("ip"):
        new_ips.append(ctx.a("ip"))
    # MODEL CHOICE (unverified): the service rejects a rule set holding the same rule twice.
    for lst, what in ((new_ips, "IP rule"), ([s.lower() for s in new_subnets], "virtual network rule")):
        dupes = sorted({x for x in lst if lst.count(x) > 1})
        if dupes:
            raise arm_error("NetworkRuleValidationError",
                            "The {} '{}' is specified more than once in the network rule set.".format(
                                what, dupes[0]))
    r["ipRules"], r["vnetRules"] = new_ips, new_subnets
    return {"name": r["name"], "networkRuleSet": dict(network_rule_view(r), defaultAction=r["defaultAction"]),
            "provisioningState": "Succeeded"}


@command("acr network-rule remove", O("--name -n", "name"), O("--resource-group -g", "rg"), O("--subnet"),
         O("--vnet-name", "vnet_name"), O("--ip-address", "ip"), required=("name",))
def acr_network_rule_remove(ctx):
    deprecated_subnet_warning(ctx)
    r = premium_registry(ctx)
    if ctx.a("subnet") or ctx.a("vnet_name"):
        sid = subnet_id_arg(ctx, r).lower()
        r["vnetRules"] = [s for s in r["vnetRules"] if s.lower() != sid]
    if ctx.a("ip"):
        r["ipRules"] = [ip for ip in r["ipRules"] if ip != ctx.a("ip")]
    return {"name": r["name"], "networkRuleSet": dict(network_rule_view(r), defaultAction=r["defaultAction"]),
            "provisioningState": "Succeeded"}


@command("acr network-rule list", O("--name -n", "name"), O("--resource-group -g", "rg"), required=("name",))
def acr_network_rule_list(ctx):
    return network_rule_view(premium_registry(ctx))


@command("acr identity assign", O("--name -n", "name"), O("--resource-group -g", "rg"),
         O("--identities", "identities", "*"), required=("name", "identities"))
def acr_identity_assign(ctx):
    r = find_registry(ctx, ctx.a("name"), ctx.a("rg"))
    for i in ctx.a("identities"):
        if i == "[system]":
            enable_system_identity(ctx.state, r)
        else:
            iid, ident = identity_by_ref(ctx, i, r["resourceGroup"])
            if not ident:
                raise arm_error("BadRequest",
                                "Resource '{}' was not found.".format(iid))
            if ident["id"] not in r["userIdentities"]:
                r["userIdentities"].append(ident["id"])
    return registry_obj(ctx.state, r)  # assign_identity returns the updated registry


def enable_system_identity(state, r):
    """The registry gets a system-assigned identity (a new service principal), unless it has one."""
    if not r["systemIdentity"]:
        r["systemIdentity"] = uuid5ish("system:{}:{}".format(r["id"], state["clock"]))
        add_principal(state, r["systemIdentity"], "ServicePrincipal", r["name"],
                      uuid5ish("sysapp:" + r["systemIdentity"]))
        state["principals"][r["systemIdentity"]]["managed"] = True


@command("acr identity show", O("--name -n", "name"), O("--resource-group -g", "rg"), required=("name",))
def acr_identity_show(ctx):
    return registry_obj(ctx.state, find_registry(ctx, ctx.a("name"), ctx.a("rg")))["identity"]


@command("acr encryption show", O("--name -n", "name"), O("--resource-group -g", "rg"), required=("name",))
def acr_encryption_show(ctx):
    return registry_obj(ctx.state, find_registry(ctx, ctx.a("name"), ctx.a("rg")))["encryption"]


@command("acr encryption rotate-key", O("--name -n", "name"), O("--resource-group -g", "rg"),
         O("--key-encryption-key", "kek"), O("--identity"), required=("name",))
def acr_rotate_key(ctx):
    r = find_registry(ctx, ctx.a("name"), ctx.a("rg"))
    if not r["encryption"]:
        raise AzError("usage error: key rotation is only applicable to registries with CMK enabled")
    enc = dict(r["encryption"])
    if ctx.a("kek"):
        enc["keyUri"] = ctx.a("kek")
    ident = ctx.a("identity")
    if ident:
        if ident == "[system]":
            enc["identity"] = "system"
        elif len(ident) == 36 and ident.count("-") == 4:
            enc["identity"] = ident
        else:
            iid, rec = identity_by_ref(ctx, ident, r["resourceGroup"])
            if not rec:
                raise not_found("The Resource 'Microsoft.ManagedIdentity/userAssignedIdentities/{}' under resource "
                                "group '{}' was not found.".format(iid.split("/")[-1],
                                                                   rid_parts(iid).get("resourceGroup")))
            enc["identity"] = rec["clientId"]
    check_registry_encryption(ctx, r, enc)
    r["encryption"] = enc
    return registry_obj(ctx.state, r)


def check_registry_encryption(ctx, r, enc):
    """The service's check of a registry's (new) encryption: the identity it names ("system" or a client ID)
    must be the registry's, and must reach the key (check_cmk)."""
    if enc["identity"] == "system":
        if not r["systemIdentity"]:
            raise arm_error("BadRequest",
                            "The registry does not have a system-assigned identity. For more information on bring "
                            "your own key, please visit 'https://aka.ms/acr/cmk'.")
        pid, client, is_system = r["systemIdentity"], "system", True
    else:
        recs = [x for x in find(ctx.state, "identity") if x["clientId"].lower() == enc["identity"].lower()]
        if not recs or recs[0]["id"] not in r["userIdentities"]:
            raise arm_error("BadRequest", "The identity '{}' is not assigned to the registry. For more information "
                            "on bring your own key, please visit 'https://aka.ms/acr/cmk'.".format(enc["identity"]))
        pid, client, is_system = recs[0]["principalId"], recs[0]["clientId"], False
    check_cmk(ctx, r, enc["keyUri"], pid, client, is_system)


# ---------------------------------------------------------------------------------------------
# network
# ---------------------------------------------------------------------------------------------

def subnet_obj(sn):
    out = {"addressPrefix": sn.get("addressPrefix", "10.0.0.0/24"), "delegations": [],
           "etag": "W/\"00000000-0000-0000-0000-000000000000\"", "id": sn["id"], "name": sn["name"],
           "privateEndpointNetworkPolicies": "Disabled", "privateLinkServiceNetworkPolicies": "Enabled",
           "provisioningState": "Succeeded", "resourceGroup": sn["resourceGroup"],
           "type": "Microsoft.Network/virtualNetworks/subnets"}
    if sn.get("serviceEndpoints"):
        # aaz omits properties the service did not return; the service returns serviceEndpoints only when set.
        out["serviceEndpoints"] = [{"locations": e.get("locations", ["*"]), "provisioningState": "Succeeded",
                                    "service": e["service"]} for e in sn["serviceEndpoints"]]
    return out


def find_subnet(ctx):
    if ctx.a("ids"):
        sid = ctx.a("ids")[0]
    else:
        missing = [n for n, k in (("--name/-n", "name"), ("--vnet-name", "vnet"), ("--resource-group/-g", "rg"))
                   if not ctx.a(k)]
        if missing:
            raise AzError("the following arguments are required: " + ", ".join(missing), 2)
        sid = res_id(ctx.sub, ctx.a("rg"), "Microsoft.Network/virtualNetworks/{}/subnets/{}".format(
            ctx.a("vnet"), ctx.a("name")))
    sn = get_resource(ctx.state, sid, "subnet")
    if not sn:
        p = [x for x in sid.split("/") if x]
        vnet_rec = get_resource(ctx.state, "/".join([""] + p[:8]), "vnet") if len(p) >= 8 else None
        if not vnet_rec:
            raise not_found("The Resource 'Microsoft.Network/virtualNetworks/{}' under resource group '{}' was not "
                            "found. For more details please go to https://aka.ms/ARMResourceNotFoundFix".format(
                                p[7] if len(p) > 7 else "", p[3] if len(p) > 3 else ""))
        raise arm_error("NotFound", "Resource '{}' not found.".format(sid), 3)
    return sn


SUBNET_OPTS = (O("--name -n", "name"), O("--vnet-name", "vnet"), O("--resource-group -g", "rg"), O("--ids", "ids", "*"))


@command("network vnet subnet show", *SUBNET_OPTS)
def subnet_show(ctx):
    return subnet_obj(find_subnet(ctx))


@command("network vnet subnet update", *SUBNET_OPTS, O("--service-endpoints", "endpoints", "*"),
         O("--network-security-group --nsg", "nsg"), O("--route-table"), O("--delegations", "delegations", "*"))
def subnet_update(ctx):
    sn = find_subnet(ctx)
    if ctx.a("endpoints") is not None:
        vnet = get_resource(ctx.state, sn["id"].rsplit("/subnets/", 1)[0], "vnet")
        loc = norm_region(vnet["location"]) if vnet else "*"
        eps = []
        for e in ctx.a("endpoints"):
            if e == "":
                continue
            if e.lower() not in (x["service"].lower() for x in eps):
                eps.append({"service": e, "locations": ["*"] if e.lower() == "microsoft.containerregistry" else [loc]})
        if eps:
            sn["serviceEndpoints"] = eps
        else:
            sn.pop("serviceEndpoints", None)
    return subnet_obj(sn)


@command("network vnet show", O("--name -n", "name"), O("--resource-group -g", "rg"), O("--ids", "ids", "*"))
def vnet_show(ctx):
    vid = ctx.a("ids")[0] if ctx.a("ids") else res_id(ctx.sub, ctx.a("rg"),
                                                      "Microsoft.Network/virtualNetworks/" + ctx.a("name"))
    v = get_resource(ctx.state, vid, "vnet")
    if not v:
        raise not_found("The Resource 'Microsoft.Network/virtualNetworks/{}' under resource group '{}' was not "
                        "found.".format(ctx.a("name"), ctx.a("rg")))
    subs = [subnet_obj(s) for s in find(ctx.state, "subnet") if s["id"].lower().startswith(v["id"].lower() + "/")]
    return {"addressSpace": {"addressPrefixes": v.get("addressPrefixes", [])}, "id": v["id"],
            "location": v["location"], "name": v["name"], "provisioningState": "Succeeded",
            "resourceGroup": v["resourceGroup"], "subnets": subs, "type": "Microsoft.Network/virtualNetworks"}


# ---------------------------------------------------------------------------------------------
# resource (generic ARM reads)
# ---------------------------------------------------------------------------------------------

ARM_TYPES = {"group": "Microsoft.Resources/resourceGroups", "identity": "Microsoft.ManagedIdentity/userAssignedIdentities",
             "vault": "Microsoft.KeyVault/vaults", "registry": "Microsoft.ContainerRegistry/registries",
             "vnet": "Microsoft.Network/virtualNetworks", "subnet": "Microsoft.Network/virtualNetworks/subnets",
             "gallery": "Microsoft.Compute/galleries", "imageDefinition": "Microsoft.Compute/galleries/images",
             "imageVersion": "Microsoft.Compute/galleries/images/versions", "image": "Microsoft.Compute/images",
             "snapshot": "Microsoft.Compute/snapshots", "des": "Microsoft.Compute/diskEncryptionSets"}


def generic_resource(rid, rtype, name, location, tags, properties):
    return {"extendedLocation": None, "id": rid, "identity": None, "kind": None, "location": location,
            "managedBy": None, "name": name, "plan": None, "properties": properties, "sku": None,
            "tags": tags, "type": rtype}


@command("resource show", O("--ids", "ids", "*"), O("--name -n", "name"), O("--resource-group -g", "rg"),
         O("--resource-type", "rtype"), O("--namespace"), O("--parent"), O("--api-version"),
         O("--include-response-body", None, "?"))
def resource_show(ctx):
    if ctx.a("ids"):
        rid = ctx.a("ids")[0]
    else:
        if not (ctx.a("name") and ctx.a("rg") and ctx.a("rtype")):
            raise AzError("(--name --resource-type | --ids) and --resource-group are required")
        rtype = ctx.a("rtype") if "/" in ctx.a("rtype") else "{}/{}".format(ctx.a("namespace"), ctx.a("rtype"))
        parent = (ctx.a("parent") + "/") if ctx.a("parent") else ""
        rid = res_id(ctx.sub, ctx.a("rg"), "{}/{}{}".format(rtype.split("/")[0], parent,
                                                           "/".join(rtype.split("/")[1:]) + "/" + ctx.a("name")))
    parts = [p for p in rid.split("/") if p]
    # ARM child resource: a key vault key is readable through Resource Manager (no data plane, no vault firewall)
    if len(parts) >= 10 and parts[5].lower() == "microsoft.keyvault" and parts[8].lower() == "keys":
        vault = get_resource(ctx.state, "/" + "/".join(parts[:8]), "vault")
        key = vault["keys"].get(parts[9]) if vault else None
        if not vault or key is None or len(parts) > 10:
            raise not_found("The Resource 'Microsoft.KeyVault/vaults/{}/keys/{}' under resource group '{}' was not "
                            "found. For more details please go to https://aka.ms/ARMResourceNotFoundFix".format(
                                parts[7], parts[9], parts[3]))
        uri = "https://{}/keys/{}".format(vault_host(vault), parts[9])
        props = {"attributes": {"created": 1795996800, "enabled": key.get("enabled", True), "exportable": False,
                                "recoveryLevel": "Recoverable" if vault["purgeProtection"] else
                                "Recoverable+Purgeable", "updated": 1795996800},
                 "keyOps": ["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"], "keySize": key["size"],
                 "keyUri": uri, "keyUriWithVersion": uri + "/" + key["versions"][-1], "kty": key["kty"]}
        return generic_resource(vault["id"] + "/keys/" + parts[9], "Microsoft.KeyVault/vaults/keys", parts[9],
                                vault["location"], None, props)
    r = get_resource(ctx.state, rid)
    if not r:
        rtype = "/".join(parts[5:6] + parts[6::2]) if len(parts) > 6 else rid
        raise not_found("The Resource '{}/{}' under resource group '{}' was not found. For more details please go to "
                        "https://aka.ms/ARMResourceNotFoundFix".format(rtype, parts[-1] if parts else "",
                                                                       parts[3] if len(parts) > 3 else ""))
    props = {k: v for k, v in r.items() if k not in ("kind", "id", "name", "subscription", "resourceGroup", "tags",
                                                      "location")}
    return generic_resource(r["id"], ARM_TYPES.get(r["kind"], r["kind"]), r["name"], r.get("location"),
                            r.get("tags") or {}, props)


# ---------------------------------------------------------------------------------------------
# providers and features
# ---------------------------------------------------------------------------------------------

@command("provider register", O("--namespace -n", "namespace"), O("--wait", "wait", 0),
         O("--consent-to-permissions", "consent", 0), O("--accept-terms", "terms", 0), required=("namespace",))
def provider_register(ctx):
    if ctx.sub not in ctx.state["subscriptions"]:
        raise AzError("Subscription '{}' not found.".format(ctx.sub))
    provs = ctx.state["subscriptions"][ctx.sub].setdefault("providers", [])
    if ctx.a("namespace").lower() not in (p.lower() for p in provs):
        provs.append(ctx.a("namespace"))
    return None


@command("provider show", O("--namespace -n", "namespace"), O("--expand"), required=("namespace",))
def provider_show(ctx):
    provs = [p.lower() for p in ctx.state["subscriptions"].get(ctx.sub, {}).get("providers", [])]
    ns = ctx.a("namespace")
    return {"id": "/subscriptions/{}/providers/{}".format(ctx.sub, ns), "namespace": ns,
            "registrationPolicy": "RegistrationRequired",
            "registrationState": "Registered" if ns.lower() in provs else "NotRegistered",
            "resourceTypes": []}


@command("feature register", O("--namespace", "namespace"), O("--name -n", "name"), required=("namespace", "name"))
def feature_register(ctx):
    feats = ctx.state["features"].setdefault(ctx.sub, [])
    fid = "{}/{}".format(ctx.a("namespace"), ctx.a("name"))
    if fid not in feats:
        feats.append(fid)
    return {"id": "/subscriptions/{}/providers/Microsoft.Features/providers/{}/features/{}".format(
        ctx.sub, ctx.a("namespace"), ctx.a("name")), "name": fid,
        "properties": {"state": "Registered"}, "type": "Microsoft.Features/providers/features"}


# ---------------------------------------------------------------------------------------------
# compute: gallery, disk encryption sets
# ---------------------------------------------------------------------------------------------

def image_definition(ctx, rg, gallery, definition):
    gid = res_id(ctx.sub, rg, "Microsoft.Compute/galleries/" + gallery)
    d = get_resource(ctx.state, gid + "/images/" + definition, "imageDefinition")
    if not d:
        if not get_resource(ctx.state, gid, "gallery"):
            raise not_found("The Resource 'Microsoft.Compute/galleries/{}' under resource group '{}' was not "
                            "found. For more details please go to https://aka.ms/ARMResourceNotFoundFix".format(
                                gallery, rg))
        raise not_found("The Resource 'Microsoft.Compute/galleries/{}/images/{}' under resource group '{}' was not "
                        "found. For more details please go to https://aka.ms/ARMResourceNotFoundFix".format(
                            gallery, definition, rg))
    return d


SIG_OPTS = (O("--resource-group -g", "rg"), O("--gallery-name -r", "gallery"),
            O("--gallery-image-definition -i", "definition"))


@command("sig image-definition show", *SIG_OPTS, required=("rg", "gallery", "definition"))
def sig_definition_show(ctx):
    d = image_definition(ctx, ctx.a("rg"), ctx.a("gallery"), ctx.a("definition"))
    return {"architecture": "x64", "description": None, "disallowed": None, "endOfLifeDate": None, "eula": None,
            "features": None, "hyperVGeneration": d.get("hyperVGeneration", "V2"), "id": d["id"],
            "identifier": {"offer": "offer", "publisher": "publisher", "sku": "sku"}, "location": d["location"],
            "name": d["name"], "osState": d.get("osState", "Generalized"), "osType": d.get("osType", "Linux"),
            "privacyStatementUri": None, "provisioningState": "Succeeded", "purchasePlan": None,
            "recommended": None, "releaseNoteUri": None, "resourceGroup": d["resourceGroup"], "tags": {},
            "type": "Microsoft.Compute/galleries/images"}


@command("disk-encryption-set show", O("--name -n", "name"), O("--resource-group -g", "rg"), O("--ids", "ids", "*"))
def des_show(ctx):
    did = ctx.a("ids")[0] if ctx.a("ids") else res_id(ctx.sub, ctx.a("rg") or "",
                                                      "Microsoft.Compute/diskEncryptionSets/" + (ctx.a("name") or ""))
    d = get_resource(ctx.state, did, "des")
    if not d:
        p = rid_parts(did)
        raise not_found("The Resource 'Microsoft.Compute/diskEncryptionSets/{}' under resource group '{}' was not "
                        "found. For more details please go to https://aka.ms/ARMResourceNotFoundFix".format(
                            did.rstrip("/").split("/")[-1], p.get("resourceGroup")))
    return {"activeKey": {"keyUrl": "https://des-kv.vault.azure.net/keys/des-key/" + hex32(d["id"]),
                          "sourceVault": None},
            "autoKeyRotationError": None, "encryptionType": d["encryptionType"], "federatedClientId": None, "id": d["id"],
            "identity": {"principalId": uuid5ish("des:" + d["id"]), "tenantId": ctx.state["tenantId"],
                         "type": "SystemAssigned", "userAssignedIdentities": None},
            "lastKeyRotationTimestamp": None, "location": d["location"], "name": d["name"],
            "previousKeys": [], "provisioningState": "Succeeded", "resourceGroup": d["resourceGroup"],
            "rotationToLatestKeyVersionEnabled": None, "tags": {}, "type": "Microsoft.Compute/diskEncryptionSets"}


def parse_target_regions(values, encryption):
    # vm/_validators.py process_gallery_image_version_namespace
    if encryption and len(values) != len(encryption):
        raise AzError("usage error: Length of --target-region-encryption should be as same as length of target "
                      "regions")
    kinds = ["standard_lrs", "standard_zrs", "premium_lrs"]
    out = []
    for i, t in enumerate(values):
        parts = t.split("=", 2)
        replicas, storage = None, None
        if len(parts) == 2:
            try:
                replicas = int(parts[1])
            except ValueError:
                storage = parts[1]
                if parts[1].lower() not in kinds:
                    raise AzError("usage error: {} is an invalid target region argument. The second part is neither "
                                  "an integer replica count or a valid storage account type. Storage account types "
                                  "must be one of {}.".format(t, ", ".join(kinds)))
        elif len(parts) == 3:
            try:
                replicas = int(parts[1])
            except ValueError:
                raise AzError("usage error: {} is an invalid target region argument. The second part must be a "
                              "valid integer replica count.".format(t))
            storage = parts[2]
            if storage.lower() not in kinds:
                raise AzError("usage error: {} is an invalid target region argument. The third part is not a valid "
                              "storage account type. Storage account types must be one of {}.".format(
                                  t, ", ".join(kinds)))
        os_des, data_des = None, {}
        if encryption:
            terms = encryption[i].split(",")
            if terms[0] != "null":
                os_des = terms[0]
            rest = terms[1:]
            if len(rest) % 2:
                raise AzError("usage error: LUN and disk encryption set for data disk should appear in pair in "
                              "--target-region-encryption. Example: osdes,0,datades0,1,datades1")
            for j in range(0, len(rest), 2):
                try:
                    data_des[str(int(rest[j]))] = rest[j + 1]
                except ValueError:
                    raise AzError("usage error: {} is an invalid target region encryption argument. LUN and disk "
                                  "encryption set for data disk should appear in pair in --target-region-encryption. "
                                  "Example: osdes,0,datades0,1,datades1".format(encryption[i]))
        out.append({"name": parts[0], "replicas": replicas, "storage": storage, "osDes": os_des, "dataDes": data_des})
    return out


def check_region_des(ctx, region, des_id, sub):
    # MODEL CHOICE (unverified codes and texts): the service's rules (same subscription, same region) are modelled,
    # its exact messages are not known here.
    d = get_resource(ctx.state, des_id, "des")
    if rid_parts(des_id).get("subscription", "").lower() != sub.lower():
        raise arm_error("InvalidParameter", "The disk encryption set '{}' must be in the same subscription '{}' as "
                        "the gallery image version.".format(des_id, sub))
    if not d:
        raise arm_error("NotFound", "The disk encryption set '{}' could not be found.".format(des_id))
    if norm_region(d["location"]) != norm_region(region):
        raise arm_error("InvalidParameter", "The disk encryption set '{}' is in region '{}', which differs from the "
                        "target region '{}'. A target region needs a disk encryption set in that region.".format(
                            des_id, norm_region(d["location"]), norm_region(region)))
    if not d.get("keyAccess", True):
        # A set whose own identity cannot reach its key (a revoked grant, a disabled key): nothing a script
        # reads about the set shows it, and only the replication into its region fails. MODEL CHOICE
        # (unverified code and text).
        raise arm_error("KeyVaultAccessForbidden", "The disk encryption set '{}' does not have access to its key "
                        "vault key. Grant its identity get, wrapKey and unwrapKey on the key.".format(des_id))


def image_version_obj(ctx, v):
    regions = []
    for t in v["targetRegions"]:
        enc = None
        if t["osDes"] or t["dataDes"]:
            enc = {"dataDiskImages": [{"diskEncryptionSetId": d, "lun": int(l)}
                                      for l, d in sorted(t["dataDes"].items(), key=lambda x: int(x[0]))] or None,
                   "osDiskImage": {"diskEncryptionSetId": t["osDes"], "securityProfile": None}
                   if t["osDes"] else None}
        regions.append({"encryption": enc, "excludeFromLatest": False, "name": t["name"],
                        "regionalReplicaCount": t["replicas"], "storageAccountType": t["storage"]})
    storage_profile = {"dataDiskImages": [{"hostCaching": "None", "lun": int(l), "sizeInGb": 32,
                                           "source": {"id": s}} for l, s in sorted(v["dataSnapshots"].items())],
                       "osDiskImage": {"hostCaching": "ReadWrite", "sizeInGb": 30,
                                       "source": {"id": v["source"]} if v["sourceKind"] == "snapshot" else None},
                       "source": {"id": v["source"]} if v["sourceKind"] == "image" else None}
    # provisioningState / replicationStatus: set only by a long-running update that failed after it was accepted
    # (the REST path of the PowerShell runner; the az path waits and reports instead)
    return {"id": v["id"], "location": v["location"], "name": v["name"],
            "provisioningState": v.get("provisioningState", "Succeeded"),
            "publishingProfile": {"endOfLifeDate": v["endOfLifeDate"], "excludeFromLatest": v["excludeFromLatest"],
                                  "publishedDate": "2026-11-29T00:00:00+00:00",
                                  "replicaCount": v.get("replicaCount", 1), "replicationMode": None,
                                  "storageAccountType": v.get("storageAccountType", "Standard_LRS"),
                                  "targetExtendedLocations": None, "targetRegions": regions},
            "replicationStatus": v.get("replicationStatus"), "resourceGroup": v["resourceGroup"], "safetyProfile": None,
            "securityProfile": None,
            "storageProfile": storage_profile, "tags": v.get("tags") or {},
            "type": "Microsoft.Compute/galleries/images/versions"}


IV_OPTS = SIG_OPTS + (O("--gallery-image-version -e", "version"),)


def fix_gallery_image_date_info(date):
    """A bare date gets the time of day the CLI gives it (vm/custom.py fix_gallery_image_date_info), so that the
    service accepts it: what the image version then holds is that instant."""
    if date and "t" not in date.lower():
        date += "T12:59:59Z"
    return date


@command("sig image-version create", *IV_OPTS, O("--location -l", "location"), O("--managed-image", "image"),
         O("--os-snapshot", "os_snapshot"), O("--data-snapshots", "data_snapshots", "*"),
         O("--data-snapshot-luns", "data_luns", "*"), O("--target-regions", "regions", "*"),
         O("--target-region-encryption", "encryption", "*"), O("--replica-count", "replica_count"),
         O("--storage-account-type", "storage"), O("--end-of-life-date", "eol"),
         O("--exclude-from-latest", "exclude", "?"), O("--tags", "tags", "*"), O("--no-wait", "no_wait", 0),
         O("--virtual-machine", "vm"), O("--block-deletion-before-end-of-life", "block_deletion", "?"),
         required=("rg", "gallery", "definition", "version"))
def sig_version_create(ctx):
    # printed by the 2.91 CLI on every create (checked with the real az)
    sys.stderr.write("WARNING: The default value of '--end-of-life-date' will be changed to '6 months from publish "
                     "date' from 'None' in a future release.\n"
                     "WARNING: The default value of '--block-deletion-before-end-of-life' will be changed to 'True' "
                     "from 'None' in a future release.\n")
    rg = ctx.a("rg")
    regions = parse_target_regions(ctx.a("regions") or [], ctx.a("encryption"))
    if ctx.a("encryption") and not ctx.a("regions"):
        raise AzError("usage error: --target-region-encryption needs --target-regions")
    d = image_definition(ctx, rg, ctx.a("gallery"), ctx.a("definition"))
    location = ctx.a("location") or get_resource(ctx.state, rg_id(ctx.sub, rg), "group")["location"]
    if ctx.a("vm"):
        source, kind = ctx.a("vm"), "vm"
    elif ctx.a("image"):
        source, kind = ctx.a("image"), "image"
    elif ctx.a("os_snapshot"):
        source, kind = ctx.a("os_snapshot"), "snapshot"
    else:
        raise AzError("usage error: --managed-image | --os-snapshot [--data-snapshots --data-snapshot-luns] | "
                      "--virtual-machine")
    if kind in ("image", "snapshot") and not get_resource(ctx.state, source, kind):
        raise arm_error("InvalidParameter", "The source resource '{}' could not be found.".format(source))
    data = {}
    snaps, luns = ctx.a("data_snapshots") or [], ctx.a("data_luns") or []
    if len(snaps) != len(luns):
        raise AzError("usage error: --data-snapshot-luns must have the same number of items as --data-snapshots")
    for lun, s in zip(luns, snaps):
        if not get_resource(ctx.state, s, "snapshot"):
            raise arm_error("InvalidParameter", "The source resource '{}' could not be found.".format(s))
        data[str(int(lun))] = s
    default_replicas = int(ctx.a("replica_count") or 1)
    default_storage = STORAGE_TYPES.get((ctx.a("storage") or "Standard_LRS").lower(), ctx.a("storage"))
    if not regions:
        regions = [{"name": location, "replicas": None, "storage": None, "osDes": None, "dataDes": {}}]
    # MODEL CHOICE (unverified text): the version's own region must be one of its target regions
    if norm_region(location) not in [norm_region(t["name"]) for t in regions]:
        raise arm_error("InvalidParameter", "The gallery image version's location '{}' must be one of its target "
                        "regions.".format(location))
    for t in regions:
        t["replicas"] = t["replicas"] if t["replicas"] is not None else default_replicas
        t["storage"] = STORAGE_TYPES.get((t["storage"] or default_storage).lower(), t["storage"])
        if t["osDes"]:
            check_region_des(ctx, t["name"], t["osDes"], ctx.sub)
        for lun, des in t["dataDes"].items():
            check_region_des(ctx, t["name"], des, ctx.sub)
            if lun not in data and kind == "snapshot":
                raise arm_error("InvalidParameter", "Data disk image encryption LUN {} does not match any data disk "
                                "of the source.".format(lun))
    vid = d["id"] + "/versions/" + ctx.a("version")
    existing = get_resource(ctx.state, vid, "imageVersion")
    if existing and existing["source"].lower() != source.lower():
        raise arm_error("PropertyChangeNotAllowed", "Changing property 'galleryImageVersion.properties.storageProfile."
                        "source.id' is not allowed.")
    v = put_resource(ctx.state, "imageVersion", vid, name=ctx.a("version"), location=location,
                     gallery=ctx.a("gallery"), definition=ctx.a("definition"), version=ctx.a("version"),
                     source=source, sourceKind=kind, dataSnapshots=data, endOfLifeDate=fix_gallery_image_date_info(ctx.a("eol")),
                     excludeFromLatest=tf(ctx.a("exclude"), "--exclude-from-latest")
                     if ctx.a("exclude") is not None else False,
                     tags=parse_tags(ctx.a("tags")) or {}, targetRegions=regions,
                     replicaCount=default_replicas, storageAccountType=default_storage)
    return None if ctx.a("no_wait") else image_version_obj(ctx, v)


def find_version(ctx):
    d = image_definition(ctx, ctx.a("rg"), ctx.a("gallery"), ctx.a("definition"))
    v = get_resource(ctx.state, d["id"] + "/versions/" + ctx.a("version"), "imageVersion")
    if not v:
        raise not_found("The Resource 'Microsoft.Compute/galleries/{}/images/{}/versions/{}' under resource group "
                        "'{}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix"
                        .format(ctx.a("gallery"), ctx.a("definition"), ctx.a("version"), ctx.a("rg")))
    return v


@command("sig image-version show", *IV_OPTS, O("--expand"), required=("rg", "gallery", "definition", "version"))
def sig_version_show(ctx):
    return image_version_obj(ctx, find_version(ctx))


@command("sig image-version update", *IV_OPTS, O("--target-regions", "regions", "*"),
         O("--replica-count", "replica_count"), O("--set", "set", "*"), O("--add", "add", "*"),
         O("--remove", "remove", "*"), O("--no-wait", "no_wait", 0), O("--allow-replicated-location-deletion", "ard"),
         required=("rg", "gallery", "definition", "version"))
def sig_version_update(ctx):
    v = find_version(ctx)
    if ctx.a("regions"):
        # update_image_version rebuilds the target regions from --target-regions: encryption is not kept
        # for regions it lists (there is no --target-region-encryption on update).
        new = parse_target_regions(ctx.a("regions"), None)
        old = {norm_region(t["name"]): t for t in v["targetRegions"]}
        for t in new:
            t["replicas"] = t["replicas"] if t["replicas"] is not None else int(ctx.a("replica_count") or 1)
            t["storage"] = STORAGE_TYPES.get((t["storage"] or "Standard_LRS").lower(), t["storage"])
            prev = old.get(norm_region(t["name"]))
            if prev and (prev["osDes"] or prev["dataDes"]):
                raise arm_error("PropertyChangeNotAllowed", "Changing property 'targetRegion.encryption' is not "
                                "allowed for region '{}'.".format(t["name"]))
        v["targetRegions"] = new
    # the generic update's --add: appends to a list of the version as shown (camelCase keys, aaz reads them
    # as its snake_case arguments); only publishingProfile.targetRegions is modelled
    add = ctx.a("add") or []
    if add:
        if add[0] != "publishingProfile.targetRegions":
            raise AzError("Couldn't find '{}' in ''. Available options: the stand-in models only "
                          "publishingProfile.targetRegions".format(add[0]))
        have = [norm_region(t["name"]) for t in v["targetRegions"]]
        for item in add[1:]:
            try:
                t = json.loads(item)
            except ValueError:
                raise AzError("the stand-in models --add with JSON objects only: {}".format(item))
            name = t.get("name") or ""
            if norm_region(name) in have:
                # MODEL CHOICE (unverified text): a region listed twice
                raise arm_error("InvalidParameter", "The target region '{}' is listed more than once.".format(name))
            enc = t.get("encryption") or {}
            os_des = (enc.get("osDiskImage") or {}).get("diskEncryptionSetId")
            data_des = {str(int(d["lun"])): d["diskEncryptionSetId"] for d in enc.get("dataDiskImages") or []}
            for des in ([os_des] if os_des else []) + list(data_des.values()):
                check_region_des(ctx, name, des, ctx.sub)
            for lun in data_des:
                if v["sourceKind"] == "snapshot" and lun not in v["dataSnapshots"]:
                    raise arm_error("InvalidParameter", "Data disk image encryption LUN {} does not match any data "
                                    "disk of the source.".format(lun))
            v["targetRegions"].append({"name": name, "replicas": int(t.get("regionalReplicaCount") or 1),
                                       "storage": STORAGE_TYPES.get((t.get("storageAccountType") or
                                                                     "Standard_LRS").lower()),
                                       "osDes": os_des, "dataDes": data_des})
            have.append(norm_region(name))
    # the generic update's --set: only the publishing-profile fields a script would change are modelled
    for item in ctx.a("set") or []:
        path, _, value = item.partition("=")
        key = path.lower()
        if key == "publishingprofile.endoflifedate":
            v["endOfLifeDate"] = value
        elif key == "publishingprofile.excludefromlatest":
            v["excludeFromLatest"] = tf(value, "--set")
        elif key == "tags" or key.startswith("tags."):
            v.setdefault("tags", {})[path.split(".", 1)[1] if "." in path else ""] = value
        else:
            raise AzError("Couldn't find '{}' in ''. Available options: the stand-in models only "
                          "publishingProfile.endOfLifeDate, publishingProfile.excludeFromLatest, tags.NAME".format(path))
    return image_version_obj(ctx, v)


# ---------------------------------------------------------------------------------------------
# Summary
# ---------------------------------------------------------------------------------------------

def principal_label(state, pid):
    if not pid:
        return None
    if pid.lower() == state["login"]["objectId"].lower():
        return "signed-in"
    for r in state["resources"].values():
        if r["kind"] == "identity" and r["principalId"].lower() == pid.lower():
            return "identity:" + r["name"]
        if r["kind"] == "registry" and (r.get("systemIdentity") or "").lower() == pid.lower():
            return "registry:" + r["name"]
    return pid


# ---------------------------------------------------------------------------------------------
# ACR tasks (acr/task.py): a task with a system-assigned identity and its custom-registry
# credentials. Stored on the registry record under "tasks".
# ---------------------------------------------------------------------------------------------

def task_obj(state, r, t):
    return {"name": t["name"], "id": r["id"] + "/tasks/" + t["name"], "location": r["location"],
            "identity": {"type": "SystemAssigned", "principalId": t["principalId"],
                         "tenantId": state["tenantId"], "userAssignedIdentities": None},
            "credentials": {"customRegistries": {ls: {"identity": "[system]", "password": None, "userName": None}
                                                 for ls in t["credentials"]} or None,
                            "sourceRegistry": {"loginMode": t["authMode"]}},
            "resourceGroup": r["resourceGroup"], "status": "Enabled", "provisioningState": "Succeeded",
            "type": "Microsoft.ContainerRegistry/registries/tasks"}


def find_task(ctx, r, name):
    t = r.setdefault("tasks", {}).get(name)
    if t is None:
        raise not_found("The Resource 'Microsoft.ContainerRegistry/registries/{}/tasks/{}' under resource group "
                        "'{}' was not found.".format(r["name"], name, r["resourceGroup"]))
    return t


@command("acr task create", O("--registry -r", "registry"), O("--resource-group -g", "rg"), O("--name -n", "name"),
         O("--image -t", "image", "*"), O("--context -c", "context"), O("--file -f", "file"), O("--cmd"),
         O("--assign-identity", "assign_identity", "*"), O("--auth-mode", "auth_mode"),
         O("--commit-trigger-enabled", "commit_trigger", "?"), O("--pull-request-trigger-enabled", "pr_trigger", "?"),
         O("--base-image-trigger-enabled", "base_trigger", "?"), O("--git-access-token", "git_token"),
         O("--source-acr-auth-id", "source_acr_auth_id"), required=("registry", "name"))
def task_create(ctx):
    r = find_registry(ctx, ctx.a("registry"), ctx.a("rg"))
    # acr/task.py acr_task_create, in its order: --context is needed; /dev/null and oci:// contexts turn the
    # source triggers off; a source trigger (the commit trigger is on by default) needs --git-access-token.
    context = ctx.a("context")
    if not context:
        raise AzError("If the task is not a System Task, --context must be provided.")
    commit = tf(ctx.a("commit_trigger"), "--commit-trigger-enabled") if ctx.a("commit_trigger") is not None else True
    pr = tf(ctx.a("pr_trigger"), "--pull-request-trigger-enabled") if ctx.a("pr_trigger") is not None else False
    if context.lower() == "/dev/null" or context.lower().startswith("oci://"):
        commit = pr = False
    if (commit or pr) and not ctx.a("git_token"):
        raise AzError("If source control trigger is enabled [--commit-trigger-enabled] or "
                      "[--pull-request-trigger-enabled] --git-access-token must be provided.")
    source_id = ctx.a("source_acr_auth_id")
    abac = r.get("roleAssignmentMode") == "AbacRepositoryPermissions"
    if source_id and not abac and (ctx.a("auth_mode") or "").lower() == "none":
        # acr/_utils.py get_source_and_custom_registry_credentials
        raise AzError('Error: Conflicting Authentication Parameters for Task Access to Source Registry. Task '
                      'authentication mode for source registry access is set to "None", but an identity was '
                      'provided for authentication. Remove the identity or update the authentication mode to '
                      'resolve this conflict.')
    if source_id and source_id not in ("[system]", "[caller]", "none") and not source_id.startswith("/subscriptions/"):
        raise AzError("Error: Invalid value for --source-acr-auth-id.")
    name = ctx.a("name")
    tasks = r.setdefault("tasks", {})
    system = "[system]" in (ctx.a("assign_identity") or [])
    tasks[name] = {"name": name, "principalId": uuid5ish("task:" + r["id"] + "/" + name) if system else None,
                   "authMode": ctx.a("auth_mode") or "Default", "credentials": [],
                   "sourceIdentity": source_id if source_id and source_id != "none" else None,
                   "push": True, "runs": []}
    return task_obj(ctx.state, r, tasks[name])


@command("acr task show", O("--registry -r", "registry"), O("--resource-group -g", "rg"), O("--name -n", "name"),
         required=("registry", "name"))
def task_show(ctx):
    r = find_registry(ctx, ctx.a("registry"), ctx.a("rg"))
    return task_obj(ctx.state, r, find_task(ctx, r, ctx.a("name")))


@command("acr task list", O("--registry -r", "registry"), O("--resource-group -g", "rg"), required=("registry",))
def task_list(ctx):
    r = find_registry(ctx, ctx.a("registry"), ctx.a("rg"))
    return [task_obj(ctx.state, r, t) for t in r.setdefault("tasks", {}).values()]


@command("acr task credential add", O("--registry -r", "registry"), O("--resource-group -g", "rg"),
         O("--name -n", "name"), O("--login-server", "login_server"), O("--use-identity", "use_identity"),
         O("--username -u"), O("--password -p"), required=("registry", "name", "login_server"))
def task_credential_add(ctx):
    r = find_registry(ctx, ctx.a("registry"), ctx.a("rg"))
    t = find_task(ctx, r, ctx.a("name"))
    ls = ctx.a("login_server")
    if ls in t["credentials"]:
        # acr/task.py acr_task_credential_add: "Login server '...' already exists. You cannot add it again."
        raise AzError("Login server '{}' already exists. You cannot add it again.".format(ls))
    t["credentials"].append(ls)
    return {x: {"identity": "[system]"} for x in t["credentials"]}


@command("acr task credential list", O("--registry -r", "registry"), O("--resource-group -g", "rg"),
         O("--name -n", "name"), required=("registry", "name"))
def task_credential_list(ctx):
    r = find_registry(ctx, ctx.a("registry"), ctx.a("rg"))
    t = find_task(ctx, r, ctx.a("name"))
    return {x: {"identity": "[system]", "password": None, "userName": None} for x in t["credentials"]}


def registry_key_reason(state, r):
    """Why the registry's encryption identity cannot use its key (None: it can), as the service checks it."""
    ident = r["encryption"]["identity"]
    if ident == "system":
        return identity_key_access(state, r["encryption"]["keyUri"], r["systemIdentity"], True) \
            if r["systemIdentity"] else "no system identity"
    recs = [x for x in find(state, "identity") if x["clientId"].lower() == ident.lower()]
    if not recs:
        return "identity not found"
    return identity_key_access(state, r["encryption"]["keyUri"], recs[0]["principalId"], False)


def task_run_outcome(state, r, t):
    """How a run of the task ends. MODEL CHOICE (the service's checks as Learn describes them, not its code):
    - a network-restricted registry (public access disabled, or default action Deny) refuses a task's
      system-assigned identity token with 403 unless networkRuleBypassAllowedForTasks is true (Learn: Manage
      network bypass policy for tasks: "As of June 1, 2025 ... network bypass for tasks using System-Assigned
      Managed Identity (SAMI) tokens will be denied by default"); trusted services no longer let tasks in;
    - the task logs in to its registry with its identity: a custom-registry credential for the registry's
      login server with identity [system] (az acr task credential add --use-identity [system]), or, on an
      ABAC registry, the source registry identity (--source-acr-auth-id [system]);
    - the identity needs an effective push role on the registry: AcrPush (or Owner/Contributor) in legacy
      mode, a Container Registry Repository Writer/Contributor in ABAC mode, where AcrPush is not honoured.
    Returns (status, reason)."""
    if not t.get("principalId"):
        return "Failed", "the task has no system-assigned identity"
    restricted = r["publicNetworkAccess"] == "Disabled" or r["defaultAction"] == "Deny"
    if restricted and not r.get("tasksBypass"):
        return "Failed", ("403 Forbidden: client with IP is not allowed access; the registry's network rules "
                          "deny the task (networkRuleBypassAllowedForTasks is false)")
    mode = r.get("roleAssignmentMode") or "LegacyRegistryPermissions"
    via_credential = login_server(r) in t["credentials"]
    via_source = mode == "AbacRepositoryPermissions" and t.get("sourceIdentity") == "[system]"
    if not (via_credential or via_source):
        return "Failed", "unauthorized: the task has no credential for {}".format(login_server(r))
    if not (effective_roles(state, t["principalId"], r["id"]) & PUSH_ROLES[mode]):
        return "Failed", "denied: requested access to the resource is denied (the task identity has no push role)"
    return "Succeeded", None


def run_obj(r, t, run):
    return {"runId": run["runId"], "status": run["status"], "runType": "QueuedBuild",
            "task": t["name"], "id": r["id"] + "/runs/" + run["runId"], "name": run["runId"],
            "resourceGroup": r["resourceGroup"], "provisioningState": "Succeeded",
            "type": "Microsoft.ContainerRegistry/registries/runs"}


def schedule_task_run(state, r, t):
    """Queues a run of the task and lets it finish at once (the virtual clock does not wait for agents)."""
    t.setdefault("runs", [])
    run_id = "ca{}".format(1 + sum(len(x.get("runs", [])) for x in r.get("tasks", {}).values()))
    status, reason = task_run_outcome(state, r, t)
    run = {"runId": run_id, "status": status, "reason": reason}
    t["runs"].append(run)
    return run


@command("acr task run", O("--registry -r", "registry"), O("--resource-group -g", "rg"), O("--name -n", "name"),
         O("--no-logs", "no_logs", 0), O("--no-wait", "no_wait", 0), required=("registry", "name"))
def task_run(ctx):
    # acr/task.py acr_task_run: queue the run ("Queued a run with ID: ..."), then with --no-logs poll it
    # (_run_polling.RunPolling.run), which raises for any end state but Succeeded. Streaming the logs (without
    # --no-logs) reads a blob the stand-in does not have: not modelled.
    r = find_registry(ctx, ctx.a("registry"), ctx.a("rg"))
    t = find_task(ctx, r, ctx.a("name"))
    if not (ctx.a("no_logs") or ctx.a("no_wait")):
        raise AzError("MODEL CHOICE: acr task run streams its logs from storage; the stand-in models --no-logs")
    run = schedule_task_run(ctx.state, r, t)
    sys.stderr.write("WARNING: Queued a run with ID: {}\n".format(run["runId"]))
    if ctx.a("no_wait"):
        return dict(run_obj(r, t, run), status="Queued")
    sys.stderr.write("WARNING: Waiting for an agent...\n")
    if run["status"] != "Succeeded":
        sys.stderr.write("MODEL: the run's log would end: {}\n".format(run["reason"]))
        raise AzError("The run with ID '{0}' finished with unsuccessful status '{1}'. Show run details by "
                      "'az acr task show-run -r {2} --run-id {0}'. Show run logs by 'az acr task logs -r {2} "
                      "--run-id {0}'.".format(run["runId"], run["status"], r["name"]))
    return run_obj(r, t, run)


def summary(state):
    res = list(state["resources"].values())
    by = lambda kind: sorted((r for r in res if r["kind"] == kind), key=lambda r: r["id"].lower())  # noqa: E731
    out = {"resourceGroups": {}, "identities": {}, "vaults": {}, "keyAccess": [], "registries": {}, "subnets": {},
           "providers": {}, "imageVersions": {}}
    for g in by("group"):
        out["resourceGroups"][g["name"]] = {"location": norm_region(g["location"]), "tags": g.get("tags") or {}}
    for i in by("identity"):
        out["identities"][i["name"]] = {"resourceGroup": i["resourceGroup"], "tags": i.get("tags") or {}}
    access = set()
    for v in by("vault"):
        out["vaults"][v["name"]] = {
            "resourceGroup": v["resourceGroup"], "rbac": v["rbac"], "purgeProtection": bool(v["purgeProtection"]),
            "defaultAction": v["defaultAction"], "bypass": v["bypass"], "sku": v["sku"],
            "keys": {n: {"kty": k["kty"], "size": k["size"], "versions": len(k["versions"]),
                         "enabled": version_enabled(k), "disabledVersions": len(k.get("disabled", [])),
                         "rotationFires": rotation_fires(k), "rotationPolicy": k.get("rotationPolicy")}
                     for n, k in sorted(v["keys"].items())}}
        for p in v.get("accessPolicies", []):
            if p.get("keys"):
                access.add((principal_label(state, p["objectId"]), v["name"],
                            "policy:" + ",".join(sorted(p["keys"], key=lambda s: (s.lower(), s)))))
        for a in state["roleAssignments"]:
            if scope_covers(v["id"], a["scope"]):
                access.add((principal_label(state, a["principalId"]), v["name"], "role:" + a["roleDefinitionName"]))
    out["keyAccess"] = [{"principal": p, "vault": v, "via": via} for p, v, via in sorted(access)]
    for r in by("registry"):
        enc = None
        if r["encryption"]:
            ident = r["encryption"]["identity"]
            if ident == "system":
                label = "system"
            else:
                recs = [x for x in res if x["kind"] == "identity" and x["clientId"].lower() == ident.lower()]
                label = "identity:" + recs[0]["name"] if recs else ident
            enc = {"keyUri": r["encryption"]["keyUri"], "identity": label,
                   "keyReachable": registry_key_reason(state, r) is None}
        uai = []
        for i in r["userIdentities"]:
            rec = get_resource(state, i, "identity")
            uai.append(rec["name"] if rec else i.split("/")[-1])
        out["registries"][r["name"]] = {
            "resourceGroup": r["resourceGroup"], "location": norm_region(r["location"]), "sku": r["sku"],
            "adminUserEnabled": r["adminUserEnabled"], "zoneRedundancy": r["zoneRedundancy"],
            "publicNetworkAccess": r["publicNetworkAccess"], "defaultAction": r["defaultAction"],
            "ipRules": sorted(r["ipRules"]), "vnetRules": sorted(s.lower() for s in r["vnetRules"]),
            "trustedServices": r["bypass"] == "AzureServices", "tasksBypass": bool(r.get("tasksBypass")),
            "roleAssignmentMode": r.get("roleAssignmentMode") or "LegacyRegistryPermissions",
            "tasks": {t["name"]: {"lastRun": (t.get("runs") or [{}])[-1].get("status")}
                      for t in r.get("tasks", {}).values()},
            "identity": {"system": bool(r["systemIdentity"]), "userAssigned": sorted(uai)},
            "encryption": enc, "tags": r.get("tags") or {}}
    for s in by("subnet"):
        out["subnets"][s["id"].lower()] = {"serviceEndpoints": sorted(e["service"]
                                                                      for e in s.get("serviceEndpoints", []))}
    for sid, info in sorted(state["subscriptions"].items()):
        out["providers"][sid] = sorted(info.get("providers", []), key=lambda s: (s.lower(), s))
    for v in by("imageVersion"):
        out["imageVersions"]["{}/{}/{}".format(v["gallery"], v["definition"], v["version"])] = {
            "resourceGroup": v["resourceGroup"], "location": norm_region(v["location"]), "source": v["source"],
            "dataSnapshots": dict(v["dataSnapshots"]), "endOfLifeDate": v["endOfLifeDate"],
            "excludeFromLatest": v["excludeFromLatest"], "tags": v.get("tags") or {},
            "targetRegions": sorted(({"name": norm_region(t["name"]), "replicas": t["replicas"],
                                      "storage": t["storage"], "osDes": t["osDes"], "dataDes": dict(t["dataDes"])}
                                     for t in v["targetRegions"]), key=lambda t: t["name"])}
        if v.get("provisioningState", "Succeeded") != "Succeeded":
            out["imageVersions"]["{}/{}/{}".format(v["gallery"], v["definition"], v["version"])][
                "provisioningState"] = v["provisioningState"]
    return out


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------

def load_state(path):
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except FileNotFoundError:
        text = ""
    state = json.loads(text) if text.strip() else {}
    return complete_state(state)


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(state, f, ensure_ascii=False, indent=1)
    os.replace(tmp, path)


def run_az(state, argv):
    """Runs one az call against state (mutated in place). Returns the exit code."""
    state["calls"].append(list(argv))
    state["clock"] += 2
    n = len(state["calls"])
    fail_call = os.environ.get("STANDIN_FAIL_CALL", "")
    words = []
    for tok in argv:
        if tok.startswith("-"):
            break
        words.append(tok)
    fail_match = os.environ.get("STANDIN_FAIL_MATCH", "").split()
    if (fail_call.strip().isdigit() and int(fail_call) == n) or \
            (fail_match and words[:len(fail_match)] == fail_match):
        sys.stderr.write("ERROR: (ServiceUnavailable) The service is temporarily unavailable. Please retry.\n"
                         "Code: ServiceUnavailable\n"
                         "Message: The service is temporarily unavailable. Please retry.\n")
        return 1
    snapshot = json.dumps({k: v for k, v in state.items() if k not in ("calls", "clock", "sleeps")})
    try:
        if not argv:
            raise AzError("the following arguments are required: _command", 2)
        path, rest = resolve_command(argv)
        fn, opts, required = COMMANDS[path]
        args = parse_args(path, rest, opts, required)
        output = (args.get("output") or "json").lower()
        if output not in ("json", "jsonc", "yaml", "yamlc", "table", "tsv", "none"):
            raise AzError("argument --output/-o: invalid choice: '{}' (choose from 'json', 'jsonc', 'yaml', "
                          "'yamlc', 'table', 'tsv', 'none')".format(output), 2)
        ctx = Ctx(state, args)
        result = fn(ctx)
        emit(result, args.get("query"), output)
        return 0
    except AzError as e:
        restored = json.loads(snapshot)
        for k in list(state):
            if k not in ("calls", "clock", "sleeps"):
                del state[k]
        state.update(restored)
        sys.stderr.write("ERROR: " + e.message + "\n")
        return e.code


def main(argv):
    path = os.environ.get("STANDIN_STATE")
    if not path:
        sys.stderr.write("ERROR: the Azure CLI stand-in needs STANDIN_STATE (path of its JSON state file)\n")
        return 1
    import fcntl
    with open(path + ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        state = load_state(path)
        if argv[:1] == ["summary"]:
            sys.stdout.write(json.dumps(summary(state), ensure_ascii=False, indent=2, sort_keys=True) + "\n")
            return 0
        if argv[:1] == ["state"]:
            sys.stdout.write(json.dumps(state, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
            return 0
        if argv[:1] == ["seed"]:
            if len(argv) > 1:
                with open(argv[1], encoding="utf-8") as f:
                    seed = json.load(f)
            else:
                seed = json.load(sys.stdin)
            apply_seed(state, seed)
            save_state(path, state)
            return 0
        if argv[:1] == ["--sleep"]:
            total = 0.0
            for a in argv[1:]:
                mult = {"s": 1, "m": 60, "h": 3600, "d": 86400}.get(a[-1:], None)
                try:
                    total += float(a[:-1]) * mult if mult else float(a)
                except ValueError:
                    sys.stderr.write("sleep: invalid time interval '{}'\n".format(a))
                    return 1
            state["clock"] += int(total) if float(total).is_integer() else total
            state["sleeps"].append(total)
            save_state(path, state)
            return 0
        code = run_az(state, argv)
        sys.stdout.flush()
        save_state(path, state)
        return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
