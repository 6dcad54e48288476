"""Az.ContainerRegistry (AutoRest-generated: service errors are WriteError, see _common).

The registry object is the AutoRest model Registry, which flattens the REST resource into properties
(src/ContainerRegistry/ContainerRegistry.Autorest/generated/api/Models/Api202301Preview/Registry.cs
@f45b5ce0: IdentityPrincipalId, IdentityType, IdentityUserAssignedIdentity, EncryptionStatus,
KeyVaultPropertyIdentity, KeyVaultPropertyKeyIdentifier, NetworkRuleSetIPRule, ...). It is built here from
the REST shape the az path prints (standin.registry_obj), so both paths read the same record.
"""

from ..commands import Param, command
from ..errors import Unmodelled
from ..host import standin
from ..values import Hashtable, PSObject
from ._common import as_list, choice, ctx, deep, from_az, need, only, ps, service_error, tag_table, tags

MODULE = "Az.ContainerRegistry"
AR = "src/ContainerRegistry/ContainerRegistry.Autorest/"
MODELS = "Microsoft.Azure.PowerShell.Cmdlets.ContainerRegistry.Models.Api202301Preview."


def ip_rule(ip, action="Allow"):
    # IPRule (generated model): Action, IPAddressOrRange
    return ps({"Action": action, "IPAddressOrRange": ip}, MODELS + "IPRule")


def registry_ps(state, r):
    """The Registry model of a stand-in record. Enum values (SkuName, EncryptionStatus, ...) are strings here:
    AutoRest enums are string structs that compare as their string. MODEL CHOICE (unverified): the Az 16
    module's model namespace (the stored source has Api202301Preview); IdentityUserAssignedIdentity as a
    hashtable of resource ID -> {PrincipalId, ClientId}."""
    j = standin.registry_obj(state, r)
    ident = j["identity"] or {}
    enc = j["encryption"] or {}
    kvp = enc.get("keyVaultProperties") or {}
    nrs = j["networkRuleSet"]
    pol = j["policies"]
    uai = None
    if ident.get("userAssignedIdentities"):
        uai = Hashtable((k, ps({"PrincipalId": v["principalId"], "ClientId": v["clientId"]},
                               MODELS + "UserIdentityProperties"))
                        for k, v in ident["userAssignedIdentities"].items())
    return ps({
        "Id": j["id"], "Name": j["name"], "Location": j["location"], "ResourceGroupName": j["resourceGroup"],
        "Type": j["type"], "Tag": tag_table(j["tags"]), "SkuName": j["sku"]["name"], "SkuTier": j["sku"]["tier"],
        "LoginServer": j["loginServer"], "CreationDate": j["creationDate"], "ProvisioningState": j["provisioningState"],
        "AdminUserEnabled": j["adminUserEnabled"], "AnonymousPullEnabled": j["anonymousPullEnabled"],
        "DataEndpointEnabled": j["dataEndpointEnabled"], "DataEndpointHostName": list(j["dataEndpointHostNames"]),
        "EncryptionStatus": enc.get("status"), "KeyVaultPropertyIdentity": kvp.get("identity"),
        "KeyVaultPropertyKeyIdentifier": kvp.get("keyIdentifier"),
        "KeyVaultPropertyKeyRotationEnabled": kvp.get("keyRotationEnabled"),
        "KeyVaultPropertyLastKeyRotationTimestamp": kvp.get("lastKeyRotationTimestamp"),
        "KeyVaultPropertyVersionedKeyIdentifier": kvp.get("versionedKeyIdentifier"),
        "IdentityType": ident.get("type"), "IdentityPrincipalId": ident.get("principalId"),
        "IdentityTenantId": ident.get("tenantId"), "IdentityUserAssignedIdentity": uai,
        "NetworkRuleBypassOption": j["networkRuleBypassOptions"],
        "NetworkRuleSetDefaultAction": nrs["defaultAction"] if nrs else None,
        "NetworkRuleSetIPRule": [ip_rule(x["ipAddressOrRange"], x["action"]) for x in nrs["ipRules"]] if nrs else None,
        "PublicNetworkAccess": j["publicNetworkAccess"], "ZoneRedundancy": j["zoneRedundancy"],
        "PrivateEndpointConnection": [],
        "AzureAdAuthenticationAsArmPolicyStatus": pol["azureAdAuthenticationAsArmPolicy"]["status"],
        "ExportPolicyStatus": pol["exportPolicy"]["status"], "QuarantinePolicyStatus": pol["quarantinePolicy"]["status"],
        "RetentionPolicyDay": pol["retentionPolicy"]["days"], "RetentionPolicyStatus": pol["retentionPolicy"]["status"],
        "SoftDeletePolicyRetentionDay": pol["softDeletePolicy"]["retentionDays"],
        "SoftDeletePolicyStatus": pol["softDeletePolicy"]["status"],
        "TrustPolicyStatus": pol["trustPolicy"]["status"], "TrustPolicyType": pol["trustPolicy"]["type"],
    }, MODELS + "Registry")


def lookup(call, name, rg):
    """GET .../registries/NAME: the service's 404s (the group first, then the registry)."""
    c = ctx(call)
    try:
        standin.need_group(c, rg)
    except standin.AzError as e:
        raise from_az(e, call, "ContainerRegistry")
    r = standin.get_resource(call.host.state, standin.res_id(c.sub, rg, "Microsoft.ContainerRegistry/registries/" +
                                                             name), "registry")
    if not r:
        raise service_error("ResourceNotFound", "The Resource 'Microsoft.ContainerRegistry/registries/{}' under "
                            "resource group '{}' was not found. For more details please go to "
                            "https://aka.ms/ARMResourceNotFoundFix".format(name, rg), call, "ContainerRegistry")
    return r


@command("Get-AzContainerRegistry", params=(Param("Name", aliases=("RegistryName", "ResourceName",
                                                                   "ContainerRegistryName")), "ResourceGroupName"),
         module=MODULE, source=AR + "custom/Get-AzContainerRegistry.ps1 -> generated/cmdlets/"
                                    "GetAzContainerRegistry_Get.cs @f45b5ce0 (a 404 is an "
                                    "UndeclaredResponseException, written with WriteError)")
def get_registry(call):
    if not call.has("Name"):
        # List1 (-ResourceGroupName): GET .../resourceGroups/RG/providers/Microsoft.ContainerRegistry/
        # registries, every registry of the group; a group that does not exist is the service's 404.
        # List2 (the subscription) is not modelled.
        need(call, "ResourceGroupName")
        c = ctx(call)
        rg = call.get("ResourceGroupName")
        try:
            standin.need_group(c, rg)
        except standin.AzError as e:
            raise from_az(e, call, "ContainerRegistry")
        regs = [r for r in standin.find(call.host.state, "registry")
                if r["subscription"].lower() == c.sub.lower() and r["resourceGroup"].lower() == rg.lower()]
        return [registry_ps(call.host.state, r) for r in sorted(regs, key=lambda r: r["id"].lower())]
    need(call, "Name", "ResourceGroupName")
    return [registry_ps(call.host.state, lookup(call, call.get("Name"), call.get("ResourceGroupName")))]


def ip_rules_arg(call):
    """-NetworkRuleSetIPRule: IPRule objects (New-AzContainerRegistryIPRuleObject or read from a registry)."""
    out = []
    for x in as_list(call.get("NetworkRuleSetIPRule")):
        if not isinstance(x, PSObject) or not x.has("IPAddressOrRange"):
            raise Unmodelled("{} -NetworkRuleSetIPRule item {!r} (IPRule objects are modelled)".format(call.name, x))
        if str(x.get("Action") or "Allow").lower() != "allow":
            raise Unmodelled("IP rule action {!r}".format(x.get("Action")))
        out.append(str(x.get("IPAddressOrRange")))
    dupes = sorted({ip for ip in out if out.count(ip) > 1})
    if dupes:
        # MODEL CHOICE (unverified), as on the az path (acr network-rule add)
        raise service_error("NetworkRuleValidationError", "The IP rule '{}' is specified more than once in the "
                            "network rule set.".format(dupes[0]), call, "ContainerRegistry")
    return out


def identity_ids(call, rg):
    """-UserAssignedIdentity: resource IDs of identities that exist."""
    out = []
    for i in as_list(call.get("UserAssignedIdentity")):
        if not isinstance(i, str) or not i.lower().startswith("/subscriptions/"):
            raise Unmodelled("{} -UserAssignedIdentity {!r} (resource IDs are modelled)".format(call.name, i))
        rec = standin.get_resource(call.host.state, i, "identity")
        if not rec:
            # MODEL CHOICE (unverified code and text), as the az path's `acr identity assign`
            raise service_error("BadRequest", "Resource '{}' was not found.".format(i), call, "ContainerRegistry")
        out.append(rec["id"])
    return out


COMMON_NET = ("NetworkRuleBypassOption", "NetworkRuleSetDefaultAction", "NetworkRuleSetIPRule", "PublicNetworkAccess")


def apply_network(call, rec):
    """The network part of a PUT or PATCH body onto a record (changed in place)."""
    bypass = choice(call, "NetworkRuleBypassOption", ["AzureServices", "None"])
    action = choice(call, "NetworkRuleSetDefaultAction", ["Allow", "Deny"])
    public = choice(call, "PublicNetworkAccess", ["Enabled", "Disabled"])
    if (action or call.has("NetworkRuleSetIPRule")) and rec["sku"] != "Premium":
        # MODEL CHOICE (unverified): the service's answer for network rules on Basic/Standard is not modelled
        raise Unmodelled("{}: network rules on a {} registry".format(call.name, rec["sku"]))
    if bypass:
        rec["bypass"] = bypass
    if public:
        # Only publicNetworkAccess changes: the az path's --public-network-enabled false also sends
        # defaultAction Deny, which is the CLI's doing, not the service's.
        rec["publicNetworkAccess"] = public
    if action:
        rec["defaultAction"] = action
    if call.has("NetworkRuleSetIPRule"):
        # The body's networkRuleSet.ipRules replaces the list. MODEL CHOICE (unverified): a networkRuleSet without
        # defaultAction (the parameter not given) keeps the registry's default action and its virtual network
        # rules, as the az path's PATCH of defaultAction alone keeps the rules.
        rec["ipRules"] = ip_rules_arg(call)


@command("New-AzContainerRegistryIPRuleObject", params=("IPAddressOrRange", "Action"), module=MODULE, az=False,
         source=AR + "custom/autogen-model-cmdlets/New-AzContainerRegistryIPRuleObject.ps1 (an IPRule, no request)")
def new_ip_rule(call):
    need(call, "IPAddressOrRange")
    return [ip_rule(str(call.get("IPAddressOrRange")), choice(call, "Action", ["Allow"]) or "Allow")]


@command("New-AzContainerRegistry", params=(
        Param("Name", aliases=("RegistryName", "ResourceName", "ContainerRegistryName")), "ResourceGroupName",
        "Location", "Sku", "UserAssignedIdentity", Param("EnableSystemAssignedIdentity", switch=True),
        "EncryptionStatus", "KeyVaultPropertyKeyIdentifier", "KeyVaultPropertyIdentity",
        Param("EnableAdminUser", switch=True), "ZoneRedundancy", Param("Tag", aliases=("Tags",))) + COMMON_NET,
         module=MODULE, mutating=True,
         source=AR + "generated/cmdlets/NewAzContainerRegistry_CreateExpanded.cs (PUT); the service's rules as "
                     "the az path's acr create models them (standin.put_over_existing, check_cmk_allowed, check_cmk)")
def new_registry(call):
    need(call, "Name", "ResourceGroupName", "Location", "Sku")
    s = call.host.state
    c = ctx(call)
    name, rg = call.get("Name"), call.get("ResourceGroupName")
    sku = choice(call, "Sku", ["Basic", "Standard", "Premium"])
    if not (5 <= len(name) <= 50 and name.isascii() and name.isalnum()):
        # MODEL CHOICE (unverified text): the service's name rule (the az path checks it on the client)
        raise service_error("InvalidRegistryName", "Registry names may contain only alpha numeric characters and "
                            "must be between 5 and 50 characters", call, "ContainerRegistry")
    try:
        standin.need_group(c, rg)
        standin.need_provider(c, "Microsoft.ContainerRegistry")
        rid = standin.res_id(c.sub, rg, "Microsoft.ContainerRegistry/registries/" + name)
        existing = standin.check_registry_dns(c, rid, name)
        rec = standin.new_registry_record(call.get("Location"), sku)
        rec["adminUserEnabled"] = bool(call.get("EnableAdminUser"))
        zone = choice(call, "ZoneRedundancy", ["Enabled", "Disabled"])
        if zone:
            rec["zoneRedundancy"] = zone
        apply_network(call, rec)
        enc_status = choice(call, "EncryptionStatus", ["enabled", "disabled"])
        has_kek = enc_status == "enabled"
        if enc_status == "enabled" and not (call.get("KeyVaultPropertyKeyIdentifier") and
                                            call.get("KeyVaultPropertyIdentity")):
            raise Unmodelled("New-AzContainerRegistry -EncryptionStatus enabled without the key and its identity")
        if enc_status != "enabled" and (call.has("KeyVaultPropertyKeyIdentifier") or
                                        call.has("KeyVaultPropertyIdentity")):
            raise Unmodelled("New-AzContainerRegistry key vault properties without -EncryptionStatus enabled")
        standin.put_over_existing(rec, existing, has_kek, bool(zone))
        rec["userIdentities"] = identity_ids(call, rg) if call.has("UserAssignedIdentity") else \
            (rec["userIdentities"] if existing and not has_kek else [])
        rec["created"] = existing["created"] if existing else s["clock"]
        r = dict(rec, id=existing["id"] if existing else rid, name=name, resourceGroup=rg, subscription=c.sub,
                 kind="registry", tags=tags(call.get("Tag")) or {})
        if call.get("EnableSystemAssignedIdentity"):
            standin.enable_system_identity(s, r)
        if has_kek:
            standin.check_cmk_allowed(sku, existing)
            enc = {"keyUri": str(call.get("KeyVaultPropertyKeyIdentifier")),
                   "identity": str(call.get("KeyVaultPropertyIdentity"))}
            standin.check_registry_encryption(c, r, enc)
            r["encryption"] = enc
    except standin.AzError as e:
        raise from_az(e, call, "ContainerRegistry")
    r = standin.put_resource(s, "registry", r["id"], **{k: v for k, v in r.items() if k not in ("id", "kind")})
    return [registry_ps(s, r)]


@command("Update-AzContainerRegistry", params=(
        Param("Name", aliases=("RegistryName", "ResourceName", "ContainerRegistryName")), "ResourceGroupName",
        "EnableSystemAssignedIdentity", "UserAssignedIdentity", "EncryptionStatus", "KeyVaultPropertyKeyIdentifier",
        "KeyVaultPropertyIdentity", Param("EnableAdminUser", switch=True), "Sku",
        Param("Tag", aliases=("Tags",))) + COMMON_NET,
         module=MODULE, mutating=True,
         source=AR + "generated/cmdlets/UpdateAzContainerRegistry_UpdateExpanded.cs @17f27c60 (PATCH: only the "
                     "properties given are sent); the encryption check is the az path's (standin.acr_rotate_key, "
                     "check_registry_encryption)")
def update_registry(call):
    need(call, "Name", "ResourceGroupName")
    s = call.host.state
    c = ctx(call)
    found = lookup(call, call.get("Name"), call.get("ResourceGroupName"))
    r = deep(found)
    try:
        if call.has("Sku"):
            r["sku"] = choice(call, "Sku", ["Basic", "Standard", "Premium"])
        if call.has("EnableAdminUser"):
            r["adminUserEnabled"] = bool(call.get("EnableAdminUser"))
        if call.has("Tag"):
            r["tags"] = tags(call.get("Tag")) or {}
        apply_network(call, r)
        # Identity. -EnableSystemAssignedIdentity is a bool here (a switch on New-). MODEL CHOICE (unverified: the
        # Az 16 generated code was not in the stored sources, which predate these parameters): the identity
        # type is computed from the two parameters as AutoRest's identity transform does (both -> "SystemAssigned,
        # UserAssigned"; $false with identities -> "UserAssigned"), and the user-assigned identities given are the
        # registry's after the call. A call that would drop identities the registry has, or that gives
        # -EnableSystemAssignedIdentity without -UserAssignedIdentity on a registry with user-assigned identities
        # (where the GET-based and the PATCH-only transforms differ), is not modelled.
        if call.has("EnableSystemAssignedIdentity") or call.has("UserAssignedIdentity"):
            sys_flag = call.get("EnableSystemAssignedIdentity")
            if call.has("EnableSystemAssignedIdentity") and not isinstance(sys_flag, bool):
                raise Unmodelled("Update-AzContainerRegistry -EnableSystemAssignedIdentity {!r}".format(sys_flag))
            if call.has("UserAssignedIdentity"):
                ids = identity_ids(call, r["resourceGroup"])
                dropped = [i for i in r["userIdentities"] if i.lower() not in (x.lower() for x in ids)]
                if dropped:
                    raise Unmodelled("Update-AzContainerRegistry -UserAssignedIdentity without the registry's "
                                     "identity {}".format(dropped[0]))
                r["userIdentities"] = ids
            elif r["userIdentities"]:
                raise Unmodelled("Update-AzContainerRegistry -EnableSystemAssignedIdentity without "
                                 "-UserAssignedIdentity on a registry with user-assigned identities")
            if sys_flag is True:
                standin.enable_system_identity(s, r)
            elif sys_flag is False:
                r["systemIdentity"] = None
        # Encryption: the PATCH's encryption block. It cannot be turned on after creation nor off (the az path's
        # MODEL CHOICEs); the identity it names must be the registry's and reach the key (check_cmk: the RBAC
        # grant, its delay, the vault firewall).
        enc_status = choice(call, "EncryptionStatus", ["enabled", "disabled"])
        if enc_status or call.has("KeyVaultPropertyKeyIdentifier") or call.has("KeyVaultPropertyIdentity"):
            if enc_status == "disabled":
                raise Unmodelled("Update-AzContainerRegistry -EncryptionStatus disabled")
            standin.check_cmk_allowed(r["sku"], r)
            enc = dict(r["encryption"])
            if call.has("KeyVaultPropertyKeyIdentifier"):
                enc["keyUri"] = str(call.get("KeyVaultPropertyKeyIdentifier"))
            if call.has("KeyVaultPropertyIdentity"):
                enc["identity"] = str(call.get("KeyVaultPropertyIdentity"))
            standin.check_registry_encryption(c, r, enc)
            r["encryption"] = enc
    except standin.AzError as e:
        raise from_az(e, call, "ContainerRegistry")
    found.clear()
    found.update(r)
    return [registry_ps(s, found)]
