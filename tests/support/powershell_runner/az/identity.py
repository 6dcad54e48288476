"""Az.ManagedServiceIdentity (AutoRest-generated: service errors are WriteError)."""

from ..commands import command
from ..host import standin
from ._common import from_az, need, ps, tag_table, tags

MODULE = "Az.ManagedServiceIdentity"
SRC = "src/ManagedServiceIdentity/ManagedServiceIdentity.Autorest (generated UserAssignedIdentities_CreateOrUpdate/_Get)"


def identity_obj(state, r):
    # IIdentity (generated model Api20230131.Identity): Id, Name, Location, ResourceGroupName (custom), Type,
    # Tag, PrincipalId, ClientId, TenantId.
    return ps({"Id": r["id"], "Name": r["name"], "Location": r["location"], "ResourceGroupName": r["resourceGroup"],
               "Type": "Microsoft.ManagedIdentity/userAssignedIdentities", "Tag": tag_table(r.get("tags")),
               "PrincipalId": r["principalId"], "ClientId": r["clientId"], "TenantId": state["tenantId"]},
              "Microsoft.Azure.PowerShell.Cmdlets.ManagedServiceIdentity.Models.Api20230131.Identity")


@command("New-AzUserAssignedIdentity", params=("Name", "ResourceGroupName", "Location", "Tag"), module=MODULE,
         mutating=True, source=SRC + "; the PUT `az identity create` sends (standin.identity_create)")
def new_identity(call):
    need(call, "Name", "ResourceGroupName", "Location")
    t = tags(call.get("Tag")) or {}
    c = standin.Ctx(call.host.state, {"name": call.get("Name"), "rg": call.get("ResourceGroupName"),
                                      "location": call.get("Location"),
                                      "tags": ["{}={}".format(k, v) for k, v in t.items()]})
    try:
        out = standin.identity_create(c)
    except standin.AzError as e:
        raise from_az(e, call, "ManagedServiceIdentity")
    return [identity_obj(call.host.state, standin.get_resource(call.host.state, out["id"], "identity"))]


@command("Get-AzUserAssignedIdentity", params=("Name", "ResourceGroupName"), module=MODULE, source=SRC)
def get_identity(call):
    need(call, "Name", "ResourceGroupName")
    c = standin.Ctx(call.host.state, {"name": call.get("Name"), "rg": call.get("ResourceGroupName")})
    try:
        out = standin.identity_show(c)
    except standin.AzError as e:
        raise from_az(e, call, "ManagedServiceIdentity")
    return [identity_obj(call.host.state, standin.get_resource(call.host.state, out["id"], "identity"))]
