"""Az.Resources: resource groups, generic resources, providers and features, role assignments, and
Microsoft Graph principals."""

from ..commands import Param, command
from ..errors import PSError, Unmodelled
from ..host import standin
from ..values import Hashtable
from ._common import ctx, from_az, need, only, ps, service_error, tag_table, tags, to_ps

MODULE = "Az.Resources"
AUTH = "src/Resources/Resources/Models.Authorization/"


# ---------------------------------------------------------------------------------------------
# Resource groups, resources, providers
# ---------------------------------------------------------------------------------------------

def group_obj(g):
    # PSResourceGroup (src/Resources/ResourceManager/SdkModels/PSResourceGroup.cs)
    return ps({"ResourceGroupName": g["name"], "Location": g["location"], "ProvisioningState": "Succeeded",
               "Tags": tag_table(g.get("tags")) if g.get("tags") else None, "ResourceId": g["id"],
               "ManagedBy": None}, "Microsoft.Azure.Commands.ResourceManager.Cmdlets.SdkModels.PSResourceGroup")


@command("New-AzResourceGroup", params=("Name", "Location", "Tag", Param("Force", switch=True)), module=MODULE,
         mutating=True, source="src/Resources/ResourceManager/Implementation/ResourceGroups/"
                               "NewAzureResourceGroupCmdlet.cs (CreateOrUpdate: a PUT)")
def new_group(call):
    need(call, "Name", "Location")
    s = call.host.state
    exists = standin.get_resource(s, standin.rg_id(ctx(call).sub, call.get("Name")), "group")
    if exists and not call.get("Force"):
        # ConfirmAction asks "Provided resource group already exists. Are you sure you want to update it?"
        raise Unmodelled("New-AzResourceGroup on an existing group without -Force (a confirmation prompt)")
    t = tags(call.get("Tag")) or {}
    # The same PUT as `az group create` (standin.group_create): a different location is refused, the
    # tags are replaced.
    c = standin.Ctx(s, {"name": call.get("Name"), "location": call.get("Location"),
                        "tags": ["{}={}".format(k, v) for k, v in t.items()]})
    try:
        standin.group_create(c)
    except standin.AzError as e:
        raise from_az(e, call)
    return [group_obj(standin.get_resource(s, standin.rg_id(c.sub, call.get("Name")), "group"))]


def resource_obj(res, expand):
    # PSResource (src/Resources/ResourceManager/SdkModels/PSResource.cs): Name, ResourceId, ResourceName,
    # ResourceType, ResourceGroupName, Location, SubscriptionId, Tags, Properties (the REST properties).
    parts = standin.rid_parts(res["id"])
    return ps({"Name": res["name"], "ResourceId": res["id"], "ResourceName": res["name"], "ResourceType": res["type"],
               "ResourceGroupName": parts.get("resourceGroup"), "Location": res.get("location"),
               "SubscriptionId": parts.get("subscription"), "Tags": tag_table(res.get("tags")) if res.get("tags")
               else None, "Properties": to_ps(res.get("properties")) if expand else None,
               "Identity": None, "Kind": None, "Sku": None},
              "Microsoft.Azure.Commands.ResourceManager.Cmdlets.SdkModels.PSResource")


@command("Get-AzResource", params=("ResourceId", Param("ExpandProperties", switch=True)), module=MODULE,
         source="src/Resources/ResourceManager/Implementation/Resources/GetAzureResourceCmdlet.cs (-ResourceId: "
                "a GET of that resource)")
def get_resource(call):
    need(call, "ResourceId")
    # The same read as `az resource show --ids` (standin.resource_show): key vault keys as ARM child
    # resources (keyUri, keyUriWithVersion), disk encryption sets with their encryptionType.
    # MODEL CHOICE (unverified): without -ExpandProperties, Properties is $null (the cmdlet's list calls leave
    # it out; whether a -ResourceId GET fills it was not read).
    try:
        res = standin.resource_show(standin.Ctx(call.host.state, {"ids": [call.get("ResourceId")]}))
    except standin.AzError as e:
        code, message = standin_split(e)
        # MODEL CHOICE (unverified text layout): the ResourceManager client's ErrorResponseMessageException
        # reads "Code : Message".
        raise service_error(code, "{} : {}".format(code, message), call)
    return [resource_obj(res, call.get("ExpandProperties"))]


def standin_split(e):
    from ._common import split_az
    return split_az(e)


def provider_obj(state, sub, ns):
    provs = [p.lower() for p in state["subscriptions"].get(sub, {}).get("providers", [])]
    # PSResourceProvider (src/Resources/ResourceManager/SdkModels/PSResourceProvider.cs)
    return ps({"ProviderNamespace": ns, "RegistrationState": "Registered" if ns.lower() in provs else "NotRegistered",
               "ResourceTypes": [], "Locations": []},
              "Microsoft.Azure.Commands.ResourceManager.Cmdlets.SdkModels.PSResourceProvider")


@command("Register-AzResourceProvider", params=("ProviderNamespace",), module=MODULE, mutating=True,
         source="src/Resources/ResourceManager/Implementation/Providers/RegisterAzureProviderCmdlet.cs")
def register_provider(call):
    need(call, "ProviderNamespace")
    c = ctx(call)
    try:
        standin.provider_register(standin.Ctx(call.host.state, {"namespace": call.get("ProviderNamespace")}))
    except standin.AzError as e:
        raise from_az(e, call)
    # MODEL CHOICE (unverified): registration completes at once, as on the stand-in's az path; the real
    # service answers "Registering" first (the scripts poll Get-AzResourceProvider).
    return [provider_obj(call.host.state, c.sub, call.get("ProviderNamespace"))]


@command("Get-AzResourceProvider", params=("ProviderNamespace",), module=MODULE,
         source="src/Resources/ResourceManager/Implementation/Providers/GetAzureProviderCmdlet.cs")
def get_provider(call):
    need(call, "ProviderNamespace")
    return [provider_obj(call.host.state, ctx(call).sub, call.get("ProviderNamespace"))]


@command("Register-AzProviderFeature", params=("FeatureName", "ProviderNamespace"), module=MODULE, mutating=True,
         source="src/Resources/ResourceManager/Implementation/Features/RegisterAzureProviderFeatureCmdlet.cs")
def register_feature(call):
    need(call, "FeatureName", "ProviderNamespace")
    standin.feature_register(standin.Ctx(call.host.state, {"namespace": call.get("ProviderNamespace"),
                                                         "name": call.get("FeatureName")}))
    # PSProviderFeature; MODEL CHOICE (unverified): registered at once, as on the az path.
    return [ps({"FeatureName": call.get("FeatureName"), "ProviderName": call.get("ProviderNamespace"),
                "RegistrationState": "Registered"},
               "Microsoft.Azure.Commands.ResourceManager.Cmdlets.SdkModels.PSProviderFeature")]


# ---------------------------------------------------------------------------------------------
# Microsoft Graph (Az.Resources' MSGraph cmdlets are AutoRest-generated: errors are WriteError)
# ---------------------------------------------------------------------------------------------

def graph_denied(call):
    # Graph's 403 Authorization_RequestDenied, "Insufficient privileges to complete the operation."
    return PSError(standin.GRAPH_DENIED, error_id="Authorization_RequestDenied," + call.name,
                   category="InvalidOperation",
                   exception_type="Microsoft.Azure.PowerShell.Cmdlets.Resources.MSGraph.Runtime.RestException",
                   terminating=False)


def sp_obj(oid, p):
    # MicrosoftGraphServicePrincipal (src/Resources/MSGraph.Autorest, generated model ApiV10)
    return ps({"Id": oid, "AppId": p.get("appId"), "DisplayName": p.get("displayName"),
               "AppDisplayName": p.get("displayName"), "AccountEnabled": True,
               "ServicePrincipalName": [p.get("appId")],
               "ServicePrincipalType": "ManagedIdentity" if p.get("managed") else "Application"},
              "Microsoft.Azure.PowerShell.Cmdlets.Resources.MSGraph.Models.ApiV10.MicrosoftGraphServicePrincipal")


@command("Get-AzADServicePrincipal", params=("ApplicationId", "ObjectId"), module=MODULE,
         source="src/Resources/MSGraph.Autorest/custom/Get-AzADServicePrincipal.ps1 (-ApplicationId: "
                "GET /servicePrincipals?$filter=appId eq '...'; -ObjectId: GET /servicePrincipals/{id})")
def get_sp(call):
    if call.has("ApplicationId") == call.has("ObjectId"):
        raise Unmodelled("Get-AzADServicePrincipal: exactly one of -ApplicationId, -ObjectId is modelled")
    s = call.host.state
    if not standin.graph_allowed(s):
        raise graph_denied(call)
    key = str(call.get("ApplicationId") or call.get("ObjectId")).lower()
    by_app = call.has("ApplicationId")
    for oid, p in s["principals"].items():
        if p.get("type") != "ServicePrincipal":
            continue
        if (by_app and (p.get("appId") or "").lower() == key) or (not by_app and oid.lower() == key):
            return [sp_obj(oid, p)]
    if by_app:
        return []  # a $filter query that matches nothing answers an empty list: no error, no output
    raise PSError("[Request_ResourceNotFound] : Resource '{}' does not exist or one of its queried reference-property "
                  "objects are not present.".format(call.get("ObjectId")), error_id="Request_ResourceNotFound," +
                  call.name, category="InvalidOperation", terminating=False)


@command("Get-AzADUser", params=(Param("SignedIn", switch=True),), module=MODULE,
         source="src/Resources/MSGraph.Autorest/custom/Get-AzADUser.ps1 (-SignedIn: GET /me)")
def get_user(call):
    if not call.get("SignedIn"):
        raise Unmodelled("Get-AzADUser without -SignedIn")
    s = call.host.state
    login = s["login"]
    if login["type"] != "user":
        # Graph refuses /me for an application token (the az stand-in's `ad signed-in-user show` says the same)
        raise PSError("/me request is only valid with delegated authentication flow.",
                      error_id="BadRequest," + call.name, category="InvalidOperation", terminating=False)
    if not standin.graph_allowed(s):
        raise graph_denied(call)
    return [ps({"Id": login["objectId"], "DisplayName": login.get("displayName", "Alice"),
                "UserPrincipalName": login["name"], "Mail": login["name"]},
               "Microsoft.Azure.PowerShell.Cmdlets.Resources.MSGraph.Models.ApiV10.MicrosoftGraphUser")]


# ---------------------------------------------------------------------------------------------
# Role assignments (AuthorizationClient.cs, AuthorizationClientExtensions.cs)
# ---------------------------------------------------------------------------------------------

PRINCIPAL_TYPES = {"user": "User", "group": "Group", "serviceprincipal": "ServicePrincipal"}


def graph_principal(state, pid):
    """What ToPSRoleAssignments learns from Graph about a principal: its record, None when Graph does not know
    it, or "denied" without Graph read rights."""
    if not standin.graph_allowed(state):
        return "denied"
    for oid, p in state["principals"].items():
        if oid.lower() == (pid or "").lower():
            return p
    return None


def assignment_obj(state, a):
    """PSRoleAssignment (AUTH/PSRoleAssignment.cs), built as ToPSRoleAssignments does
    (AUTH/AuthorizationClientExtensions.cs @05f78a9f): RoleDefinitionId is the role's GUID, ObjectType and
    DisplayName come from Graph, and an assignment whose principal Graph does not find is left out (None).
    MODEL CHOICE (unverified): without Graph read rights the assignment is kept, its DisplayName $null and its
    ObjectType the assignment's principalType."""
    p = graph_principal(state, a["principalId"])
    if p is None:
        return None
    denied = p == "denied"
    ptype = a["principalType"] if denied else p.get("type", a["principalType"])
    return ps({"RoleAssignmentName": a["name"], "RoleAssignmentId": a["id"], "Scope": a["scope"],
               "DisplayName": None if denied else p.get("displayName"),
               "SignInName": sign_in_name(state, a["principalId"]) if ptype == "User" and not denied else None,
               "RoleDefinitionName": a["roleDefinitionName"],
               "RoleDefinitionId": a["roleDefinitionId"].rstrip("/").split("/")[-1],
               "ObjectId": a["principalId"], "ObjectType": ptype, "CanDelegate": False, "Description": None,
               "ConditionVersion": None, "Condition": None},
              "Microsoft.Azure.Commands.Resources.Models.Authorization.PSRoleAssignment")


def sign_in_name(state, pid):
    # PSADUser.UserPrincipalName; the stand-in knows it for the signed-in user only
    login = state["login"]
    return login["name"] if login["type"] == "user" and login["objectId"].lower() == pid.lower() else None


def role_and_scope(call):
    """The role by name (GetSingleRoleDefinitionByName) and the scope (AuthorizationClient.ValidateScope)."""
    need(call, "RoleDefinitionName", "Scope")
    scope = call.get("Scope")
    if not isinstance(scope, str) or not scope.lower().startswith("/subscriptions/"):
        raise Unmodelled("{}: -Scope {!r} (only a /subscriptions/... scope is modelled)".format(call.name, scope))
    try:
        role = standin.check_role(call.get("RoleDefinitionName"))
    except standin.AzError:
        # KeyNotFoundException(ProjectResources.RoleDefinitionNotFound); MODEL CHOICE (unverified text)
        raise PSError("Cannot find role definition with name '{}'.".format(call.get("RoleDefinitionName")),
                      error_id="System.Collections.Generic.KeyNotFoundException," + call.name,
                      category="CloseError", exception_type="System.Collections.Generic.KeyNotFoundException",
                      terminating=False)
    try:
        standin.check_scope_exists(standin.Ctx(call.host.state, {}), scope)
    except standin.AzError as e:
        raise from_az(e, call)
    return role, scope


@command("New-AzRoleAssignment", params=("ObjectId", "ObjectType", "RoleDefinitionName", "Scope"), module=MODULE,
         mutating=True, source="src/Resources/Resources/RoleAssignments/NewAzureRoleAssignmentCommand.cs @03bc37a4; "
                               + AUTH + "AuthorizationClient.cs CreateRoleAssignment")
def new_assignment(call):
    need(call, "ObjectId")
    s = call.host.state
    role, scope = role_and_scope(call)
    pid = str(call.get("ObjectId"))
    ptype = call.get("ObjectType")
    if ptype is not None:
        if str(ptype).lower() not in PRINCIPAL_TYPES:
            # the argument completer offers "Service Principal"; the service's PrincipalType enum has no space
            raise Unmodelled("New-AzRoleAssignment -ObjectType {!r}".format(ptype))
        ptype = PRINCIPAL_TYPES[str(ptype).lower()]
    else:
        # CreateRoleAssignment asks Graph for the object's type when -ObjectType is not given; a Graph error is
        # swallowed when -ObjectId is given (then the service is sent no principalType).
        p = graph_principal(s, pid)
        ptype = p.get("type") if isinstance(p, dict) else None
    known = next((p for o, p in s["principals"].items() if o.lower() == pid.lower()), None)
    if known and ptype and ptype.lower() != known["type"].lower():
        raise service_error("UnmatchedPrincipalType", "The PrincipalId '{}' has type '{}' , which is different from "
                            "specified PrincipalType '{}'.".format(pid.replace("-", ""), known["type"], ptype), call)
    if not known and not ptype:
        raise service_error("PrincipalNotFound", "Principal {} does not exist in the directory {}.".format(
            pid.replace("-", ""), s["tenantId"]), call)
    for a in s["roleAssignments"]:
        if a["principalId"].lower() == pid.lower() and a["roleDefinitionName"].lower() == role.lower() \
                and a["scope"].lower().rstrip("/") == scope.lower().rstrip("/"):
            # The service answers 409 RoleAssignmentExists "The role assignment already exists."; the
            # Authorization SDK's ErrorResponseException carries that in its Body, its Message is the status
            # line, which is what the error record shows (Azure/azure-powershell#14424 "expected behaviour";
            # Azure/enterprise-azure-policy-as-code#23 and #137 show the message with Az.Resources 5-6).
            # MODEL CHOICE (unverified for Az 16): the message and the exception type.
            raise PSError("Operation returned an invalid status code 'Conflict'",
                          error_id="Microsoft.Azure.Management.Authorization.Models.ErrorResponseException,"
                                   "Microsoft.Azure.Commands.Resources.NewAzureRoleAssignmentCommand",
                          category="CloseError",
                          exception_type="Microsoft.Azure.Management.Authorization.Models.ErrorResponseException",
                          terminating=False)
    a, _ = standin.add_assignment(s, pid, ptype or known["type"], role, scope, s["clock"])
    out = assignment_obj(s, a)
    return [out] if out is not None else []  # ToPSRoleAssignment's SingleOrDefault: $null for an unknown principal


def filter_assignments(call, pid, role, scope, at_scope_only):
    """FilterRoleAssignments with -ObjectId: ListForScope(scope, principalId eq ...) returns the principal's
    assignments at, above and below the scope; then the role name filter; then ToPSRoleAssignments, which
    drops the ones whose principal Graph does not find."""
    s = call.host.state
    out = []
    for a in s["roleAssignments"]:
        if a["principalId"].lower() != pid.lower():
            continue
        if role and a["roleDefinitionName"].lower() != role.lower():
            continue
        if at_scope_only:
            if a["scope"].lower().rstrip("/") != scope.lower().rstrip("/"):
                continue
        elif not (standin.scope_covers(a["scope"], scope) or standin.scope_covers(scope, a["scope"])):
            continue
        o = assignment_obj(s, a)
        if o is not None:
            out.append((a, o))
    return out


@command("Remove-AzRoleAssignment", params=("ObjectId", "RoleDefinitionName", "Scope"), module=MODULE,
         mutating=True, source="src/Resources/Resources/RoleAssignments/RemoveAzureRoleAssignmentCommand.cs; "
                               + AUTH + "AuthorizationClient.cs @05a8664a RemoveRoleAssignment")
def remove_assignment(call):
    need(call, "ObjectId")
    s = call.host.state
    role, scope = role_and_scope(call)
    # RemoveRoleAssignment keeps only the assignments at exactly -Scope (Scope.TrimEnd('/') equal, ignoring case):
    # an inherited assignment is not removed.
    found = [(a, o) for a, o in filter_assignments(call, str(call.get("ObjectId")), role, scope, False)
             if a["scope"].lower().rstrip("/") == scope.lower().rstrip("/")]
    if not found:
        raise PSError("The provided information does not map to a role assignment.",
                      error_id="System.Collections.Generic.KeyNotFoundException,"
                               "Microsoft.Azure.Commands.Resources.RemoveAzureRoleAssignmentCommand",
                      category="CloseError", exception_type="System.Collections.Generic.KeyNotFoundException",
                      terminating=False)
    victims = [a for a, _ in found]
    s["roleAssignments"] = [a for a in s["roleAssignments"] if a not in victims]
    return []  # the removed assignments are written only with -PassThru


@command("Get-AzRoleAssignment", params=("ObjectId", "RoleDefinitionName", "Scope"),
         module=MODULE, source="src/Resources/Resources/RoleAssignments/GetAzureRoleAssignmentCommand.cs; "
                               + AUTH + "AuthorizationClient.cs FilterRoleAssignments")
def get_assignment(call):
    # The principal's assignments at, above and below the scope (the service's filter by principal on a
    # scope); -AtScope, which newer sources read, is not in the Az 16 help lists and not modelled.
    need(call, "ObjectId", "Scope")
    role = None
    if call.has("RoleDefinitionName"):
        role, scope = role_and_scope(call)
    scope = call.get("Scope")
    if not isinstance(scope, str) or not scope.lower().startswith("/subscriptions/"):
        raise Unmodelled("Get-AzRoleAssignment -Scope {!r}".format(scope))
    found = filter_assignments(call, str(call.get("ObjectId")), role, scope, False)
    return [o for _, o in found]
