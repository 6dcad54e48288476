"""Az.KeyVault: vaults (management plane) and keys (data plane).

Vault cmdlets derive from KeyVaultManagementCmdletBase, key cmdlets from KeyVaultCmdletBase; both are
AzurePSCmdlet: a service error is written, not thrown (see _common)."""

from ..commands import Param, command
from ..errors import PSError, Unmodelled
from ..host import standin
from ._common import choice, ctx, need, ps, service_error, tag_table, tags

MODULE = "Az.KeyVault"
KV = "src/KeyVault/KeyVault/"


def vault_obj(state, v):
    """PSKeyVault (KV/Models/PSKeyVault.cs). EnablePurgeProtection is a bool? the service leaves unset (null)
    until purge protection is on. MODEL CHOICE (unverified): members the scripts do not read are left out."""
    rules = ps({"DefaultAction": v["defaultAction"], "Bypass": v["bypass"],
                "IpAddressRanges": list(v.get("ipRules", [])),
                "VirtualNetworkResourceIds": list(v.get("vnetRules", []))},
               "Microsoft.Azure.Commands.KeyVault.Models.PSKeyVaultNetworkRuleSet")
    policies = [ps({"ObjectId": p["objectId"], "TenantId": state["tenantId"],
                    "PermissionsToKeys": list(p.get("keys") or []), "PermissionsToSecrets": list(p.get("secrets") or []),
                    "PermissionsToCertificates": list(p.get("certificates") or [])},
                   "Microsoft.Azure.Commands.KeyVault.Models.PSKeyVaultAccessPolicy")
                for p in v.get("accessPolicies", [])]
    return ps({"VaultName": v["name"], "ResourceGroupName": v["resourceGroup"], "Location": v["location"],
               "ResourceId": v["id"], "VaultUri": "https://{}/".format(standin.vault_host(v)),
               "TenantId": state["tenantId"], "Sku": v["sku"].capitalize(),
               "EnabledForDeployment": False, "EnabledForTemplateDeployment": None, "EnabledForDiskEncryption": None,
               "EnableSoftDelete": True, "EnablePurgeProtection": True if v["purgeProtection"] else None,
               "EnableRbacAuthorization": bool(v["rbac"]),
               "SoftDeleteRetentionInDays": v.get("retentionDays", 90), "PublicNetworkAccess": "Enabled",
               "AccessPolicies": policies, "NetworkAcls": rules, "Tags": tag_table(v.get("tags"))},
              "Microsoft.Azure.Commands.KeyVault.Models.PSKeyVault")


def find_vault(call, name, rg):
    recs = [r for r in standin.find(call.host.state, "vault", name=name)
            if r["subscription"].lower() == ctx(call).sub.lower()]
    if rg:
        recs = [r for r in recs if r["resourceGroup"].lower() == rg.lower()]
    return recs[0] if recs else None


@command("Get-AzKeyVault", params=(Param("VaultName", aliases=("Name",)), "ResourceGroupName"), module=MODULE,
         source=KV + "Commands/GetAzureKeyVault.cs (GetVaultParameterSet: WriteObject(FilterByTag(GetVault(...))))")
def get_vault(call):
    if not call.has("VaultName"):
        # GetVaultByName with a group and no name lists the group's vaults (ListVaults), as
        # PSKeyVaultIdentityItem objects: name, ID, group, location and tags, not the vault's settings.
        need(call, "ResourceGroupName")
        rg = call.get("ResourceGroupName").lower()
        return [ps({"VaultName": v["name"], "ResourceId": v["id"], "ResourceGroupName": v["resourceGroup"],
                    "Location": v["location"], "Tags": tag_table(v.get("tags"))},
                   "Microsoft.Azure.Commands.KeyVault.Models.PSKeyVaultIdentityItem")
                for v in sorted(standin.find(call.host.state, "vault"), key=lambda v: v["id"].lower())
                if v["subscription"].lower() == ctx(call).sub.lower() and v["resourceGroup"].lower() == rg]
    # Not found: GetVault answers null for a 404 and the cmdlet writes nothing, no error (the scripts test
    # `-not $vault`). MODEL CHOICE (unverified): GetVault's null on NotFound was not read, only the call site.
    v = find_vault(call, call.get("VaultName"), call.get("ResourceGroupName"))
    return [vault_obj(call.host.state, v)] if v else []


@command("New-AzKeyVault", params=(Param("Name", aliases=("VaultName",)), "ResourceGroupName", "Location", "Sku",
                                   Param("EnablePurgeProtection", switch=True),
                                   Param("DisableRbacAuthorization", switch=True), "Tag"),
         module=MODULE, mutating=True,
         source=KV + "Commands/NewAzureKeyVault.cs; Az.KeyVault 6.0 (Az 12) made Azure RBAC the default "
                     "(-DisableRbacAuthorization replaced -EnableRbacAuthorization: Azure/azure-powershell#24424, "
                     "noted in tests/powershell_help/Az.KeyVault.json); soft delete is always on")
def new_vault(call):
    need(call, "Name", "ResourceGroupName", "Location")
    s = call.host.state
    policies = []
    if call.get("DisableRbacAuthorization"):
        # An access-policy vault: ExecuteCmdlet gives the signed-in principal an access policy with the
        # default permissions (KeyVaultManagementCmdletBase: DefaultPermissionsToKeys = { KeyPerms.All },
        # "all but purge", and the same for secrets and certificates), reading its object ID from Microsoft
        # Graph (GetCurrentUsersObjectId); a Graph failure is only a warning, and the vault has no policy.
        # MODEL CHOICE (unverified): Az 16's DisableRbacAuthorization branch builds the policy as the stored
        # NewAzureKeyVault.cs (@08b2c9cd) does for every vault.
        if standin.graph_allowed(s):
            policies = [{"objectId": s["login"]["objectId"], "keys": ["all"], "secrets": ["all"],
                         "certificates": ["all"]}]
        else:
            call.host.write_warning("Insufficient privileges to complete the operation.")
    c = ctx(call)
    name = call.get("Name")
    try:
        standin.need_group(c, call.get("ResourceGroupName"))
    except standin.AzError as e:
        raise service_error("ResourceGroupNotFound", standin_msg(e), call)
    if name.lower() in (n.lower() for n in s["deletedVaults"]):
        raise service_error("ConflictError", "A vault with the same name already exists in deleted state. You need "
                            "to either recover or purge existing deleted vault.", call)
    if standin.find(s, "vault", name=name):
        # MODEL CHOICE (unverified): New-AzKeyVault checks the name first; the text is the service's
        # VaultAlreadyExists, as on the az path
        raise service_error("VaultAlreadyExists", "The vault name '{}' is already in use. Vault names are globally "
                            "unique so it is possible that the name is already taken.".format(name), call)
    sku = (choice(call, "Sku", ["Standard", "Premium"]) or "Standard").lower()
    # With RBAC (the default) the creator gets no access policy: nobody has key rights until a role is granted.
    # MODEL CHOICE (unverified): the RBAC default adds no policy (Az.KeyVault 6.0's ChangeLog).
    v = standin.put_resource(s, "vault", standin.res_id(c.sub, call.get("ResourceGroupName"),
                                                        "Microsoft.KeyVault/vaults/" + name),
                             location=call.get("Location"), tags=tags(call.get("Tag")) or {}, sku=sku, rbac=not call.get("DisableRbacAuthorization"),
                             purgeProtection=bool(call.get("EnablePurgeProtection")), softDelete=True,
                             retentionDays=90, defaultAction="Allow", bypass="AzureServices", ipRules=[],
                             vnetRules=[], accessPolicies=policies, keys={}, dnsSuffix=standin.VAULT_DNS[s["cloud"]])
    return [vault_obj(s, v)]


def standin_msg(e):
    from ._common import split_az
    return split_az(e)[1]


def vault_not_found(call, name, rg):
    # MODEL CHOICE (unverified text): the cmdlets' "cannot find vault" when the vault is not in the group
    return PSError("Cannot find vault '{}' in resource group '{}'.".format(name, rg or ""),
                   error_id="System.ArgumentException," + call.name, category="CloseError",
                   exception_type="System.ArgumentException", terminating=False)


@command("Update-AzKeyVaultNetworkRuleSet", params=("VaultName", "ResourceGroupName", "DefaultAction", "Bypass"),
         module=MODULE, mutating=True,
         source=KV + "Commands/NetworkRule/UpdateAzureKeyVaultNetworkRuleSet.cs (parameters not given keep the "
                     "vault's values; writes the vault only with -PassThru)")
def update_network(call):
    need(call, "VaultName")
    v = find_vault(call, call.get("VaultName"), call.get("ResourceGroupName"))
    if not v:
        raise vault_not_found(call, call.get("VaultName"), call.get("ResourceGroupName"))
    action = choice(call, "DefaultAction", ["Allow", "Deny"])
    bypass = choice(call, "Bypass", ["AzureServices", "None"])
    if action:
        v["defaultAction"] = action
    if bypass:
        v["bypass"] = bypass
    return []


@command("Set-AzKeyVaultAccessPolicy", params=("VaultName", "ResourceGroupName", "ObjectId", "PermissionsToKeys",
                                               Param("BypassObjectIdValidation", switch=True)),
         module=MODULE, mutating=True,
         source=KV + "Commands/SetAzureKeyVaultAccessPolicy.cs (ByObjectId: the object's key permissions are "
                     "replaced by those given)")
def set_policy(call):
    need(call, "VaultName", "ObjectId")
    v = find_vault(call, call.get("VaultName"), call.get("ResourceGroupName"))
    if not v:
        raise vault_not_found(call, call.get("VaultName"), call.get("ResourceGroupName"))
    oid = str(call.get("ObjectId"))
    if not call.get("BypassObjectIdValidation") and not standin.graph_allowed(call.host.state):
        raise Unmodelled("Set-AzKeyVaultAccessPolicy -ObjectId without -BypassObjectIdValidation (a Graph lookup)")
    keys = call.get("PermissionsToKeys")
    keys = [str(k) for k in (keys if isinstance(keys, list) else [keys])] if keys is not None else None
    if v["rbac"]:
        # MODEL CHOICE (unverified): on an RBAC vault the policy is stored and has no effect (the az path's
        # set-policy refuses on the client; this cmdlet was not read to refuse)
        call.host.write_warning("Access policies are not used on an Azure RBAC vault.")
    for p in v["accessPolicies"]:
        if p["objectId"].lower() == oid.lower():
            if keys is not None:
                p["keys"] = sorted(set(keys), key=str.lower)
            break
    else:
        v["accessPolicies"].append({"objectId": oid, "keys": sorted(set(keys or []), key=str.lower)})
    return []


# ---------------------------------------------------------------------------------------------
# keys (data plane: the vault's firewall and the caller's RBAC role or access policy, standin.check_data_plane)
# ---------------------------------------------------------------------------------------------

def key_obj(v, name, k, version=None):
    """PSKeyVaultKey (KV/Models/PSKeyVaultKey.cs @ id 1665980330): Id is the Track 1 KeyIdentifier's, whose
    vault part is built with UriExtensions.FullAuthority, which appends the port: the Id reads
    https://VAULT.vault.azure.net:443/keys/NAME/VERSION (Microsoft.Azure.KeyVault UriExtensions.cs), while the
    service's kid (Key.Kid) and az's kid have no port."""
    version = version or k["versions"][-1]
    kid = "https://{}/keys/{}/{}".format(standin.vault_host(v), name, version)
    enabled = standin.version_enabled(k, version)
    attrs = ps({"Enabled": enabled, "Expires": k.get("expires", {}).get(version), "NotBefore": None,
                "KeyType": k["kty"], "KeyOps": ["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"],
                "RecoveryLevel": "Recoverable" if v["purgeProtection"] else "Recoverable+Purgeable", "Tags": None},
               "Microsoft.Azure.Commands.KeyVault.Models.PSKeyVaultKeyAttributes")
    return ps({"VaultName": v["name"], "Name": name, "Version": version,
               "Id": "https://{}:443/keys/{}/{}".format(standin.vault_host(v), name, version),
               "Key": ps({"Kid": kid, "Kty": k["kty"]}, "Microsoft.Azure.KeyVault.WebKey.JsonWebKey"),
               "KeyType": k["kty"], "KeySize": k["size"], "Attributes": attrs, "Enabled": enabled,
               "Expires": None, "NotBefore": None, "RecoveryLevel": attrs.get("RecoveryLevel"), "Tags": None},
              "Microsoft.Azure.Commands.KeyVault.Models.PSKeyVaultKey")


def data_plane(call, action, perm, roles, key_name):
    """The vault behind -VaultName, after the data plane's checks."""
    s = call.host.state
    recs = standin.find(s, "vault", name=call.get("VaultName"))
    if not recs:
        # the data-plane host does not resolve; MODEL CHOICE (unverified text)
        raise PSError("No such host is known. ({}.vault.azure.net:443)".format(call.get("VaultName")),
                      error_id="System.Net.Http.HttpRequestException," + call.name, category="CloseError",
                      exception_type="System.Net.Http.HttpRequestException", terminating=False)
    v = recs[0]
    try:
        standin.check_data_plane(s, v, action, perm, roles, v["id"] + "/keys/" + key_name)
    except standin.AzError as e:
        # Azure.RequestFailedException: the service's message (the az path prints the same text after
        # "(Forbidden) "). MODEL CHOICE (unverified): the message's layout.
        msg = e.message[len("(Forbidden) "):] if e.message.startswith("(Forbidden) ") else e.message
        raise PSError(msg, error_id="Forbidden," + call.name, category="CloseError",
                      exception_type="Azure.RequestFailedException", terminating=False)
    return v


def key_of(call, v):
    k = v["keys"].get(call.get("Name"))
    if k is None:
        raise PSError("A key with (name/id) {} was not found in this key vault.".format(call.get("Name")),
                      error_id="KeyNotFound," + call.name, category="CloseError",
                      exception_type="Azure.RequestFailedException", terminating=False)
    return k


@command("Add-AzKeyVaultKey", params=("VaultName", "Name", "Destination", "KeyType", "Size"), module=MODULE,
         mutating=True, source=KV + "Commands/Key/AddAzureKeyVaultKey.cs (InteractiveCreate: -Destination "
                                    "Software|HSM, -KeyType RSA, -Size)")
def add_key(call):
    need(call, "VaultName", "Name", "Destination")
    dest = choice(call, "Destination", ["Software", "HSM"])
    kty = choice(call, "KeyType", ["RSA"]) or "RSA"
    size = int(call.get("Size") or 2048)
    v = data_plane(call, "Microsoft.KeyVault/vaults/keys/create/action", "create", standin.KEY_CREATE_ROLES,
                   call.get("Name"))
    kty = kty + "-HSM" if dest == "HSM" else kty
    if kty.endswith("-HSM") and v["sku"] != "premium":
        raise PSError("Property 'kty' ({}) is not supported by this vault's SKU (standard); use a premium "
                      "vault.".format(kty), error_id="BadParameter," + call.name, category="CloseError",
                      exception_type="Azure.RequestFailedException", terminating=False)
    k = standin.create_key(v, call.get("Name"), kty, size)
    return [key_obj(v, call.get("Name"), k)]


@command("Invoke-AzKeyVaultKeyRotation", params=("VaultName", "Name"), module=MODULE, mutating=True,
         source=KV + "Commands/Key/InvokeAzureKeyVaultKeyRotation.cs (the service's rotate: a new version)")
def rotate_key(call):
    need(call, "VaultName", "Name")
    v = data_plane(call, "Microsoft.KeyVault/vaults/keys/rotate/action", "rotate", standin.KEY_CREATE_ROLES,
                   call.get("Name"))
    k = key_of(call, v)
    standin.add_key_version(v, call.get("Name"), k)
    return [key_obj(v, call.get("Name"), k)]


@command("Get-AzKeyVaultKey", params=("VaultName", "Name"), module=MODULE,
         source=KV + "Commands/Key/GetAzureKeyVaultKey.cs (by name: the current version)")
def get_key(call):
    need(call, "VaultName", "Name")
    v = data_plane(call, "Microsoft.KeyVault/vaults/keys/read", "get", standin.KEY_WRAP_ROLES | {"key vault reader"},
                   call.get("Name"))
    k = v["keys"].get(call.get("Name"))
    # MODEL CHOICE (unverified): a missing key is written as nothing, not as an error
    return [key_obj(v, call.get("Name"), k)] if k else []


@command("Update-AzKeyVaultKey", params=("VaultName", "Name", "Version", Param("Enable")), module=MODULE,
         mutating=True, source=KV + "Commands/Key/UpdateAzureKeyVaultKey.cs (-Enable $true|$false; -Version: "
                                    "that version's attributes, else the current version's)")
def update_key(call):
    need(call, "VaultName", "Name")
    v = data_plane(call, "Microsoft.KeyVault/vaults/keys/write", "update", standin.KEY_CREATE_ROLES,
                   call.get("Name"))
    k = key_of(call, v)
    if call.has("Enable"):
        if not isinstance(call.get("Enable"), bool):
            raise Unmodelled("Update-AzKeyVaultKey -Enable {!r}".format(call.get("Enable")))
        version = str(call.get("Version") or k["versions"][-1])
        if version not in k["versions"]:
            raise PSError("A key with (name/id) {}/{} was not found in this key vault.".format(
                call.get("Name"), version), error_id="KeyNotFound," + call.name, category="CloseError",
                exception_type="Azure.RequestFailedException", terminating=False)
        disabled = [x for x in k.get("disabled", []) if x != version]
        if not call.get("Enable"):
            disabled.append(version)
        k["disabled"] = disabled
    return []  # the key is written only with -PassThru


@command("Set-AzKeyVaultKeyRotationPolicy", params=("VaultName", "Name", "ExpiresIn", "KeyRotationLifetimeAction"),
         module=MODULE, mutating=True,
         source=KV + "Commands/Key/SetAzKeyVaultKeyRotationPolicy.cs (-KeyRotationLifetimeAction: hashtables "
                     "with Action and TimeAfterCreate or TimeBeforeExpiry)")
def set_rotation_policy(call):
    need(call, "VaultName", "Name")
    v = data_plane(call, "Microsoft.KeyVault/vaults/keys/rotationpolicies/write", "update", standin.KEY_CREATE_ROLES,
                   call.get("Name"))
    k = key_of(call, v)
    actions = []
    raw = call.get("KeyRotationLifetimeAction")
    for a in (raw if isinstance(raw, list) else [raw] if raw is not None else []):
        if not hasattr(a, "get") or not hasattr(a, "keys"):
            raise Unmodelled("Set-AzKeyVaultKeyRotationPolicy -KeyRotationLifetimeAction item {!r}".format(a))
        known = {"action", "timebeforeexpiry", "timeaftercreate"}
        extra = [x for x in a.keys() if str(x).lower() not in known]
        if extra:
            raise Unmodelled("Set-AzKeyVaultKeyRotationPolicy lifetime action key {}".format(extra[0]))
        act = str(a.get("Action") or "")
        if act.lower() not in ("rotate", "notify"):
            raise Unmodelled("Set-AzKeyVaultKeyRotationPolicy lifetime action {!r}".format(act))
        trigger = {}
        if a.get("TimeBeforeExpiry") is not None:
            trigger["timeBeforeExpiry"] = str(a.get("TimeBeforeExpiry"))
        if a.get("TimeAfterCreate") is not None:
            trigger["timeAfterCreate"] = str(a.get("TimeAfterCreate"))
        actions.append({"trigger": trigger, "action": {"type": act.capitalize()}})
    # The policy in the service's JSON shape: the same record `az keyvault key rotation-policy update --value`
    # leaves for the same policy, so the two paths can be compared.
    policy = {"lifetimeActions": actions}
    if call.get("ExpiresIn") is not None:
        policy["attributes"] = {"expiryTime": str(call.get("ExpiresIn"))}
    k["rotationPolicy"] = policy
    return [ps({"Id": "https://{}/keys/{}/rotationpolicy".format(standin.vault_host(v), call.get("Name")),
                "VaultName": v["name"], "KeyName": call.get("Name"), "ExpiresIn": call.get("ExpiresIn"),
                "LifetimeActions": actions},
               "Microsoft.Azure.Commands.KeyVault.Models.PSKeyRotationPolicy")]
