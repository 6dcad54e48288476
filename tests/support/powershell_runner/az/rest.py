"""Invoke-AzRestMethod (Az.Accounts) and a small REST model of the resources the scripts send it to.

The cmdlet (src/Accounts/Accounts/Rest/InvokeAzRestMethodCommand.cs @0e6a444d): -Path is sent to Resource
Manager as given; the answer is written as a PSHttpResponse (src/Accounts/Accounts/Models/PSHttpResponse.cs
@1d88fb13: Headers, Version, StatusCode (int), Method, Content (the body as a string)) whatever its status: an
HTTP error is no PowerShell error. Without -WaitForCompletion a long-running operation is not waited for: the
first response is written (ExecuteCmdlet's last branch).

A body goes onto the SAME stand-in records the az path changes; an API version or a property name the model
does not know is refused as the service would (400), so a wrong name in a script shows.
"""

import json
import re

from ..commands import command
from ..errors import Unmodelled
from ..host import standin
from ..values import Hashtable
from ._common import need, ps

MODULE = "Az.Accounts"

# MODEL CHOICE (unverified): the API versions the stand-in's REST model answers, one list per type; the
# versions the emitters use were not checked against the services' lists. Any other version is refused.
API_VERSIONS = {
    # 2025-11-01: Azure's published schema (../shared/azure-schemas schemas/2025-11-01/
    # Microsoft.ContainerRegistry.json) has networkRuleBypassAllowedForTasks and roleAssignmentMode.
    "registry": {"2023-07-01", "2025-04-01", "2025-11-01", "2026-03-01-preview"},
    "run": {"2019-06-01-preview", "2025-03-01-preview"},
    "task": {"2019-06-01-preview", "2025-03-01-preview"},
    "subnet": {"2023-09-01", "2024-05-01"},
    "imageVersion": {"2023-07-03", "2024-03-03", "2025-12-03"},
}
PATTERNS = [
    ("scheduleRun", r"^/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\.ContainerRegistry/"
                    r"registries/([^/]+)/scheduleRun$"),
    ("run", r"^/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\.ContainerRegistry/registries/"
            r"([^/]+)/runs/([^/]+)$"),
    ("task", r"^/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\.ContainerRegistry/registries/"
             r"([^/]+)/tasks/([^/]+)$"),
    ("registry", r"^/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\.ContainerRegistry/registries/"
                 r"([^/]+)$"),
    ("subnet", r"^/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\.Network/virtualNetworks/"
               r"([^/]+)/subnets/([^/]+)$"),
    ("imageVersion", r"^/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\.Compute/galleries/"
                     r"([^/]+)/images/([^/]+)/versions/([^/]+)$"),
]
TYPES = {"registry": "registries", "task": "registries/tasks", "scheduleRun": "registries/scheduleRun",
         "run": "registries/runs", "subnet": "virtualNetworks/subnets",
         "imageVersion": "galleries/images/versions"}
NAMESPACES = {"registry": "Microsoft.ContainerRegistry", "task": "Microsoft.ContainerRegistry",
              "scheduleRun": "Microsoft.ContainerRegistry", "run": "Microsoft.ContainerRegistry",
              "subnet": "Microsoft.Network", "imageVersion": "Microsoft.Compute"}


class Reply(Exception):
    def __init__(self, status, body, headers=None):
        super().__init__(status)
        self.status, self.body, self.headers = status, body, headers or {}


def err(status, code, message):
    return Reply(status, {"error": {"code": code, "message": message}})


def unknown_member(path, name, type_name):
    # MODEL CHOICE (unverified text): Resource Manager's strict deserialization answer for an unknown member
    return err(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized: "
               "'Could not find member '{}' on object of type '{}'. Path '{}'.'.".format(name, type_name, path))


def check_members(obj, allowed, path, type_name):
    if not isinstance(obj, dict):
        raise err(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized: "
                  "'{}' is not an object.".format(path or "$"))
    for k in obj:
        if k not in allowed:  # the services' JSON names are camelCase and matched exactly here
            raise unknown_member((path + "." if path else "") + k, k, type_name)


def response(call, method, reply):
    headers = Hashtable((k, [v]) for k, v in reply.headers.items())
    content = json.dumps(reply.body, ensure_ascii=False, indent=2) if reply.body is not None else ""
    return ps({"Headers": headers, "Version": "1.1", "StatusCode": reply.status, "Method": method,
               "Content": content}, "Microsoft.Azure.Commands.Profile.Models.PSHttpResponse")


@command("Invoke-AzRestMethod", params=("Path", "Method", "Payload"), module=MODULE, mutating=True,
         source="src/Accounts/Accounts/Rest/InvokeAzRestMethodCommand.cs @0e6a444d (ByPath)")
def invoke(call):
    need(call, "Path")
    method = str(call.get("Method") or "GET").upper()
    if method not in ("GET", "PUT", "PATCH", "POST"):
        raise Unmodelled("Invoke-AzRestMethod -Method {}".format(method))
    path, _, query = str(call.get("Path")).partition("?")
    params = dict(p.partition("=")[::2] for p in query.split("&") if p)
    kind, groups = None, None
    for k, pat in PATTERNS:
        m = re.match(pat, path, re.I)
        if m:
            kind, groups = k, m.groups()
            break
    if not kind:
        raise Unmodelled("Invoke-AzRestMethod -Path {} (no REST model for this resource type)".format(path))
    try:
        version = params.get("api-version")
        version_kind = "run" if kind in ("scheduleRun", "run") else kind
        if not version:
            raise err(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is "
                      "required for all requests.")
        if version not in API_VERSIONS[version_kind]:
            raise err(400, "NoRegisteredProviderFound", "No registered resource provider found for location "
                      "'global' and API version '{}' for type '{}'. The supported api-versions are '{}'.".format(
                          version, TYPES[kind], ", ".join(sorted(API_VERSIONS[version_kind]))))
        body = None
        if method in ("PUT", "PATCH", "POST"):
            raw = call.get("Payload")
            if not isinstance(raw, str):
                raise Unmodelled("Invoke-AzRestMethod -Payload {!r} (a JSON string is modelled)".format(raw))
            try:
                body = json.loads(raw)
            except ValueError:
                raise err(400, "InvalidRequestContent", "The request content was invalid and could not be "
                          "deserialized.")
        handler = HANDLERS.get((kind, method))
        if not handler:
            raise Unmodelled("Invoke-AzRestMethod -Method {} on {}".format(method, TYPES[kind]))
        call.api_version = version  # the wire shape can differ by version (virtual network rules)
        reply = handler(call, groups, body)
    except Reply as r:
        reply = r
    return [response(call, method, reply)]


def sub_ctx(call, sub):
    if sub not in call.host.state["subscriptions"]:
        raise err(404, "SubscriptionNotFound", "The subscription '{}' could not be found.".format(sub))
    return standin.Ctx(call.host.state, {"subscription": sub})


def need_group_rest(call, sub, rg):
    if not standin.get_resource(call.host.state, standin.rg_id(sub, rg), "group"):
        raise err(404, "ResourceGroupNotFound", "Resource group '{}' could not be found.".format(rg))


def not_found(rtype, name, rg):
    return err(404, "ResourceNotFound", "The Resource '{}/{}' under resource group '{}' was not found. For more "
               "details please go to https://aka.ms/ARMResourceNotFoundFix".format(rtype, name, rg))


# ---------------------------------------------------------------------------------------------
# Microsoft.ContainerRegistry/registries
# ---------------------------------------------------------------------------------------------

TOP = ("id", "name", "type", "location", "tags", "sku", "identity", "systemData")


def vnet_rule_member(version):
    """The wire name of a virtual network rule's subnet: "id" up to the 2025 API versions (the swagger's
    x-ms-client-name virtualNetworkResourceId), "virtualNetworkSubnetResourceId" in 2026-03-01-preview
    (Azure's published schema of that version, ../shared/azure-schemas
    schemas/2026-03-01-preview/Microsoft.ContainerRegistry.json#/definitions/VirtualNetworkRule, where it is
    required; the Azure CLI 2.91 SDK's rest_field name; Azure/azure-cli#33660)."""
    return "virtualNetworkSubnetResourceId" if version == "2026-03-01-preview" else "id"


def registry_rest(state, r, version):
    """The REST resource: standin.registry_obj (az's print of the same GET) with its properties put back under
    "properties" and the SDK's attribute names turned back into the wire names (an IP rule's "value", a
    virtual network rule's subnet: vnet_rule_member)."""
    j = standin.registry_obj(state, r)
    out = {k: j[k] for k in TOP}
    props = {k: v for k, v in j.items() if k not in TOP and k != "resourceGroup"}
    if props.get("networkRuleSet"):
        n = props["networkRuleSet"]
        props["networkRuleSet"] = {"defaultAction": n["defaultAction"],
                                   "ipRules": [{"action": x["action"], "value": x["ipAddressOrRange"]}
                                               for x in n["ipRules"]],
                                   "virtualNetworkRules": [{"action": x["action"],
                                                             vnet_rule_member(version): x["virtualNetworkResourceId"]}
                                                           for x in n["virtualNetworkRules"]]}
    out["properties"] = props
    return out


def find_registry(call, g):
    sub, rg, name = g[:3]
    sub_ctx(call, sub)
    need_group_rest(call, sub, rg)
    r = standin.get_resource(call.host.state, standin.res_id(sub, rg, "Microsoft.ContainerRegistry/registries/" +
                                                             name), "registry")
    if not r:
        raise not_found("Microsoft.ContainerRegistry/registries", name, rg)
    return r


def registry_get(call, g, body):
    return Reply(200, registry_rest(call.host.state, find_registry(call, g), call.api_version))


REGISTRY_PATCH_PROPS = {"networkRuleSet", "publicNetworkAccess", "networkRuleBypassOptions", "adminUserEnabled",
                        "networkRuleBypassAllowedForTasks"}


def registry_patch(call, g, body):
    s = call.host.state
    r = find_registry(call, g)
    check_members(body, {"properties", "tags"}, "", "RegistryUpdateParameters")
    props = body.get("properties") or {}
    check_members(props, REGISTRY_PATCH_PROPS, "properties", "RegistryPropertiesUpdateParameters")
    new = json.loads(json.dumps(r))  # validated on a copy: a refused body changes nothing
    if "tags" in body:
        new["tags"] = dict(body["tags"] or {})
    if "publicNetworkAccess" in props:
        if props["publicNetworkAccess"] not in ("Enabled", "Disabled"):
            raise err(400, "InvalidParameter", "Invalid publicNetworkAccess '{}'.".format(props["publicNetworkAccess"]))
        new["publicNetworkAccess"] = props["publicNetworkAccess"]
    if "networkRuleBypassOptions" in props:
        if props["networkRuleBypassOptions"] not in ("AzureServices", "None"):
            raise err(400, "InvalidParameter", "Invalid networkRuleBypassOptions.")
        new["bypass"] = props["networkRuleBypassOptions"]
    if "adminUserEnabled" in props:
        new["adminUserEnabled"] = bool(props["adminUserEnabled"])
    if "networkRuleBypassAllowedForTasks" in props:
        if call.api_version not in ("2025-11-01", "2026-03-01-preview"):
            raise unknown_member("properties.networkRuleBypassAllowedForTasks", "networkRuleBypassAllowedForTasks",
                                 "RegistryPropertiesUpdateParameters")  # MODEL CHOICE: the older versions lack it
        if not isinstance(props["networkRuleBypassAllowedForTasks"], bool):
            raise err(400, "InvalidRequestContent", "networkRuleBypassAllowedForTasks must be a boolean.")
        new["tasksBypass"] = props["networkRuleBypassAllowedForTasks"]
    if "networkRuleSet" in props:
        nrs = props["networkRuleSet"]
        check_members(nrs, {"defaultAction", "ipRules", "virtualNetworkRules"}, "properties.networkRuleSet",
                      "NetworkRuleSet")
        if r["sku"] != "Premium":
            raise Unmodelled("REST networkRuleSet on a {} registry".format(r["sku"]))
        if "defaultAction" in nrs:
            if nrs["defaultAction"] not in ("Allow", "Deny"):
                raise err(400, "InvalidParameter", "Invalid defaultAction '{}'.".format(nrs["defaultAction"]))
            new["defaultAction"] = nrs["defaultAction"]
        if "ipRules" in nrs:
            ips = []
            for i, x in enumerate(nrs["ipRules"] or []):
                check_members(x, {"action", "value"}, "properties.networkRuleSet.ipRules[{}]".format(i), "IPRule")
                ips.append(x.get("value"))
            new["ipRules"] = ips
        if "virtualNetworkRules" in nrs:
            subnets = []
            for i, x in enumerate(nrs["virtualNetworkRules"] or []):
                member = vnet_rule_member(call.api_version)
                check_members(x, {"action", member}, "properties.networkRuleSet.virtualNetworkRules[{}]".format(i),
                              "VirtualNetworkRule")
                sid = x.get(member) or ""
                sn = standin.get_resource(s, sid, "subnet")
                # the rules the az path's acr network-rule add checks (standin.acr_network_rule_add)
                if not sn:
                    raise err(400, "NetworkRuleValidationError", "Subnet '{}' could not be found.".format(sid))
                if not any(e["service"].lower() == "microsoft.containerregistry" for e in sn.get("serviceEndpoints", [])):
                    raise err(400, "NetworkRuleValidationError", "Subnet '{}' does not have the service endpoint "
                              "'Microsoft.ContainerRegistry' enabled. Enable the service endpoint on the subnet and "
                              "try again.".format(sid))
                try:
                    standin.need_provider(standin.Ctx(s, {}), "Microsoft.ContainerRegistry", sn["subscription"])
                except standin.AzError as e:
                    code, msg = _split(e)
                    raise err(400, code, msg)
                subnets.append(sn["id"])
            new["vnetRules"] = subnets
        for lst, what in ((new["ipRules"], "IP rule"), ([x.lower() for x in new["vnetRules"]], "virtual network rule")):
            dupes = sorted({x for x in lst if lst.count(x) > 1})
            if dupes:
                raise err(400, "NetworkRuleValidationError", "The {} '{}' is specified more than once in the "
                          "network rule set.".format(what, dupes[0]))
    r.clear()
    r.update(new)
    return Reply(200, registry_rest(s, r, call.api_version))


def _split(e):
    from ._common import split_az
    return split_az(e)


# ---------------------------------------------------------------------------------------------
# Microsoft.ContainerRegistry/registries/tasks (the az path's acr task records, standin.task_obj)
# ---------------------------------------------------------------------------------------------

def task_rest(state, r, t):
    j = standin.task_obj(state, r, t)
    return {"id": j["id"], "name": j["name"], "type": j["type"], "location": j["location"], "identity": j["identity"],
            "properties": {"provisioningState": "Succeeded", "status": "Enabled", "platform": t.get("platform"),
                           "step": t.get("step"), "credentials": j["credentials"]}}


def task_get(call, g, body):
    r = find_registry(call, g)
    t = r.setdefault("tasks", {}).get(g[3])
    if t is None:
        raise not_found("Microsoft.ContainerRegistry/registries/tasks", "{}/{}".format(g[2], g[3]), g[1])
    return Reply(200, task_rest(call.host.state, r, t))


TASK_PROPS = {"platform", "step", "credentials", "status", "trigger", "agentConfiguration", "timeout"}


def task_put(call, g, body):
    r = find_registry(call, g)
    check_members(body, {"location", "identity", "properties", "tags"}, "", "Task")
    props = body.get("properties") or {}
    check_members(props, TASK_PROPS, "properties", "TaskProperties")
    check_members(props.get("step") or {}, {"type", "contextPath", "dockerFilePath", "imageNames", "isPushEnabled",
                                            "noCache", "arguments", "target"}, "properties.step", "DockerBuildStep")
    creds = props.get("credentials") or {}
    check_members(creds, {"sourceRegistry", "customRegistries"}, "properties.credentials", "Credentials")
    ident = body.get("identity") or {}
    check_members(ident, {"type", "userAssignedIdentities"}, "identity", "IdentityProperties")
    if ident.get("type") not in (None, "SystemAssigned"):
        raise Unmodelled("REST task identity type {!r}".format(ident.get("type")))
    trig = props.get("trigger") or {}
    check_members(trig, {"sourceTriggers", "baseImageTrigger", "timerTriggers"}, "properties.trigger",
                  "TriggerProperties")
    for i, st in enumerate(trig.get("sourceTriggers") or []):
        # MODEL CHOICE: a source trigger needs the repository's access token, as the Azure CLI demands before it
        # sends one (acr/task.py acr_task_create: "--git-access-token must be provided")
        auth = ((st or {}).get("sourceRepository") or {}).get("sourceControlAuthProperties") or {}
        if not auth.get("token"):
            raise err(400, "InvalidRequestContent", "properties.trigger.sourceTriggers[{}]: a source trigger needs "
                      "sourceRepository.sourceControlAuthProperties.token.".format(i))
    source = creds.get("sourceRegistry") or {}
    check_members(source, {"loginMode", "identity"}, "properties.credentials.sourceRegistry",
                  "SourceRegistryCredentials")
    name = g[3]
    tasks = r.setdefault("tasks", {})
    existed = name in tasks
    system = ident.get("type") == "SystemAssigned"
    # the record `az acr task create --assign-identity [system] --auth-mode ...` leaves
    tasks[name] = {"name": name, "principalId": standin.uuid5ish("task:" + r["id"] + "/" + name) if system else None,
                   "authMode": (creds.get("sourceRegistry") or {}).get("loginMode") or "Default",
                   "credentials": list((creds.get("customRegistries") or {}).keys()),
                   "platform": props.get("platform"), "step": props.get("step"),
                   "sourceIdentity": source.get("identity"), "push": True,
                   "runs": (tasks.get(name) or {}).get("runs", []) if existed else []}
    return Reply(200 if existed else 201, task_rest(call.host.state, r, tasks[name]))


# ---------------------------------------------------------------------------------------------
# Microsoft.ContainerRegistry/registries/scheduleRun and runs (the Azure CLI's acr_task_run: POST scheduleRun
# with a TaskRunRequest, then GET runs/{runId} until the run ends; azure/mgmt/containerregistrytasks
# operations, api-version 2025-03-01-preview). The run's outcome is the az path's (standin.task_run_outcome).
# ---------------------------------------------------------------------------------------------

def schedule_run(call, g, body):
    r = find_registry(call, g)
    check_members(body, {"type", "taskId", "overrideTaskStepProperties", "agentPoolName", "logTemplate",
                         "isArchiveEnabled"}, "", "TaskRunRequest")
    if body.get("type") != "TaskRunRequest":
        raise Unmodelled("REST scheduleRun of type {!r}".format(body.get("type")))
    task_id = str(body.get("taskId") or "")
    prefix = r["id"].lower() + "/tasks/"
    if not task_id.lower().startswith(prefix):
        raise err(400, "InvalidParameter", "The taskId '{}' is not a task of the registry.".format(task_id))
    t = r.setdefault("tasks", {}).get(task_id[len(prefix):])
    if t is None:
        raise not_found("Microsoft.ContainerRegistry/registries/tasks", task_id.split("/")[-1], g[1])
    run = standin.schedule_task_run(call.host.state, r, t)
    j = standin.run_obj(r, t, run)
    return Reply(200, {"id": j["id"], "name": j["name"], "type": j["type"],
                       "properties": {"runId": run["runId"], "status": "Queued", "runType": j["runType"],
                                      "task": t["name"], "provisioningState": "Succeeded"}})


def run_get(call, g, body):
    r = find_registry(call, g)
    for t in r.setdefault("tasks", {}).values():
        for run in t.get("runs", []):
            if run["runId"] == g[3]:
                j = standin.run_obj(r, t, run)
                return Reply(200, {"id": j["id"], "name": j["name"], "type": j["type"],
                                   "properties": {"runId": run["runId"], "status": run["status"],
                                                  "runType": j["runType"], "task": t["name"],
                                                  "provisioningState": "Succeeded"}})
    raise not_found("Microsoft.ContainerRegistry/registries/runs", "{}/{}".format(g[2], g[3]), g[1])


def task_patch(call, g, body):
    r = find_registry(call, g)
    t = r.setdefault("tasks", {}).get(g[3])
    if t is None:
        raise not_found("Microsoft.ContainerRegistry/registries/tasks", "{}/{}".format(g[2], g[3]), g[1])
    check_members(body, {"properties", "identity", "tags"}, "", "TaskUpdateParameters")
    props = body.get("properties") or {}
    check_members(props, TASK_PROPS, "properties", "TaskPropertiesUpdateParameters")
    creds = props.get("credentials") or {}
    check_members(creds, {"sourceRegistry", "customRegistries"}, "properties.credentials", "Credentials")
    for ls, c in (creds.get("customRegistries") or {}).items():
        check_members(c or {}, {"identity", "userName", "password"},
                      "properties.credentials.customRegistries." + ls, "CustomRegistryCredentials")
        if (c or {}).get("identity") != "[system]":
            raise Unmodelled("REST task credential for {} other than identity [system]".format(ls))
        if ls not in t["credentials"]:  # a map in a PATCH merges: the same login server is set again, no error
            t["credentials"].append(ls)
    return Reply(200, task_rest(call.host.state, r, t))


# ---------------------------------------------------------------------------------------------
# Microsoft.Network/virtualNetworks/subnets (the az path's subnet records, standin.subnet_obj)
# ---------------------------------------------------------------------------------------------

def find_subnet(call, g):
    sub, rg, vnet, name = g
    sub_ctx(call, sub)
    need_group_rest(call, sub, rg)
    vid = standin.res_id(sub, rg, "Microsoft.Network/virtualNetworks/" + vnet)
    v = standin.get_resource(call.host.state, vid, "vnet")
    if not v:
        raise not_found("Microsoft.Network/virtualNetworks", vnet, rg)
    sn = standin.get_resource(call.host.state, vid + "/subnets/" + name, "subnet")
    if not sn:
        raise err(404, "NotFound", "Resource '{}/subnets/{}' not found.".format(vid, name))
    return v, sn


def subnet_rest(sn):
    j = standin.subnet_obj(sn)
    props = {k: v for k, v in j.items() if k not in ("id", "name", "etag", "type", "resourceGroup")}
    return {"id": j["id"], "name": j["name"], "etag": j["etag"], "type": j["type"], "properties": props}


def subnet_get(call, g, body):
    return Reply(200, subnet_rest(find_subnet(call, g)[1]))


SUBNET_PROPS = {"addressPrefix", "addressPrefixes", "serviceEndpoints", "delegations", "provisioningState",
                "privateEndpointNetworkPolicies", "privateLinkServiceNetworkPolicies", "networkSecurityGroup",
                "routeTable", "ipConfigurations", "purpose", "defaultOutboundAccess", "serviceEndpointPolicies"}


def subnet_put(call, g, body):
    v, sn = find_subnet(call, g)
    check_members(body, {"properties", "id", "name", "etag", "type"}, "", "Subnet")
    props = body.get("properties") or {}
    check_members(props, SUBNET_PROPS, "properties", "SubnetPropertiesFormat")
    for k in ("networkSecurityGroup", "routeTable", "ipConfigurations", "serviceEndpointPolicies"):
        if props.get(k):
            raise Unmodelled("REST subnet PUT with {}".format(k))
    if props.get("delegations"):
        raise Unmodelled("REST subnet PUT with delegations")
    eps = []
    for i, e in enumerate(props.get("serviceEndpoints") or []):
        check_members(e, {"service", "locations", "provisioningState"}, "properties.serviceEndpoints[{}]".format(i),
                      "ServiceEndpointPropertiesFormat")
        svc = e.get("service") or ""
        if svc.lower() not in (x["service"].lower() for x in eps):
            # the locations the az path's subnet update gives (standin.subnet_update)
            eps.append({"service": svc, "locations": ["*"] if svc.lower() == "microsoft.containerregistry"
                        else [standin.norm_region(v["location"])]})
    # a PUT replaces the subnet: no serviceEndpoints in the body, none on the subnet
    if eps:
        sn["serviceEndpoints"] = eps
    else:
        sn.pop("serviceEndpoints", None)
    if props.get("addressPrefix"):
        sn["addressPrefix"] = props["addressPrefix"]
    return Reply(200, subnet_rest(sn), {"Azure-AsyncOperation": "https://management.azure.com/subscriptions/{}/"
                                        "providers/Microsoft.Network/locations/{}/operations/0".format(
                                            g[0], standin.norm_region(v["location"]))})


# ---------------------------------------------------------------------------------------------
# Microsoft.Compute/galleries/images/versions (the az path's image version records)
# ---------------------------------------------------------------------------------------------

def find_version_rest(call, g):
    sub, rg, gallery, definition, version = g
    c = sub_ctx(call, sub)
    need_group_rest(call, sub, rg)
    d_id = standin.res_id(sub, rg, "Microsoft.Compute/galleries/{}/images/{}".format(gallery, definition))
    v = standin.get_resource(call.host.state, d_id + "/versions/" + version, "imageVersion")
    if not v:
        raise not_found("Microsoft.Compute/galleries/images/versions", "{}/{}/{}".format(gallery, definition, version),
                        rg)
    return c, v


def version_rest(c, v):
    j = standin.image_version_obj(c, v)
    props = {k: j[k] for k in ("publishingProfile", "storageProfile", "provisioningState", "replicationStatus",
                               "safetyProfile", "securityProfile")}
    return {"id": j["id"], "name": j["name"], "type": j["type"], "location": j["location"], "tags": j["tags"],
            "properties": props}


def version_get(call, g, body):
    c, v = find_version_rest(call, g)
    return Reply(200, version_rest(c, v))


def version_patch(call, g, body):
    """PATCH publishingProfile.targetRegions: the list replaces the version's. A long-running operation: the
    answer is 200 with provisioningState Updating and an Azure-AsyncOperation header, and the replication runs
    after it. MODEL CHOICE (unverified): a new region whose disk encryption sets do not fit (the az path's
    check_region_des: subscription, existence, region) is accepted here and fails later: the version ends
    provisioningState Failed and its replicationStatus names the region, which only a script that polls sees.
    Changing an existing region's encryption is refused at once, as on the az path."""
    c, v = find_version_rest(call, g)
    check_members(body, {"properties", "tags"}, "", "GalleryImageVersionUpdate")
    props = body.get("properties") or {}
    check_members(props, {"publishingProfile"}, "properties", "GalleryImageVersionProperties")
    pp = props.get("publishingProfile") or {}
    check_members(pp, {"targetRegions", "endOfLifeDate", "excludeFromLatest", "replicaCount", "storageAccountType"},
                  "properties.publishingProfile", "GalleryImageVersionPublishingProfile")
    for k in ("endOfLifeDate", "excludeFromLatest", "replicaCount", "storageAccountType"):
        if k in pp:
            raise Unmodelled("REST image version PATCH of publishingProfile.{}".format(k))
    if "tags" in body:
        raise Unmodelled("REST image version PATCH of tags")
    if "targetRegions" not in pp:
        return Reply(200, version_rest(c, v))
    old = {standin.norm_region(t["name"]): t for t in v["targetRegions"]}
    new, failures = [], []
    for i, t in enumerate(pp["targetRegions"] or []):
        where = "properties.publishingProfile.targetRegions[{}]".format(i)
        check_members(t, {"name", "regionalReplicaCount", "storageAccountType", "encryption", "excludeFromLatest"},
                      where, "TargetRegion")
        enc = t.get("encryption") or {}
        check_members(enc, {"osDiskImage", "dataDiskImages"}, where + ".encryption", "EncryptionImages")
        osd = enc.get("osDiskImage") or {}
        check_members(osd, {"diskEncryptionSetId", "securityProfile"}, where + ".encryption.osDiskImage",
                      "OSDiskImageEncryption")
        data = {}
        for j, d in enumerate(enc.get("dataDiskImages") or []):
            check_members(d, {"lun", "diskEncryptionSetId"}, where + ".encryption.dataDiskImages[{}]".format(j),
                          "DataDiskImageEncryption")
            data[str(int(d["lun"]))] = d.get("diskEncryptionSetId")
        rec = {"name": t.get("name"), "replicas": int(t.get("regionalReplicaCount") or 1),
               "storage": standin.STORAGE_TYPES.get((t.get("storageAccountType") or "Standard_LRS").lower(),
                                                    t.get("storageAccountType")),
               "osDes": osd.get("diskEncryptionSetId"), "dataDes": data}
        prev = old.get(standin.norm_region(rec["name"]))
        if prev:
            if (prev["osDes"] or None) != (rec["osDes"] or None) or dict(prev["dataDes"]) != rec["dataDes"]:
                raise err(409, "PropertyChangeNotAllowed", "Changing property 'targetRegion.encryption' is not "
                          "allowed for region '{}'.".format(rec["name"]))
        else:
            for des in ([rec["osDes"]] if rec["osDes"] else []) + list(data.values()):
                try:
                    standin.check_region_des(c, rec["name"], des, g[0])
                except standin.AzError as e:
                    failures.append((rec["name"], _split(e)[1]))
            for lun in data:
                if v["sourceKind"] == "snapshot" and lun not in v["dataSnapshots"]:
                    failures.append((rec["name"], "Data disk image encryption LUN {} does not match any data disk of "
                                                  "the source.".format(lun)))
        new.append(rec)
    v["targetRegions"] = new
    if failures:
        v["provisioningState"] = "Failed"
        v["replicationStatus"] = {"aggregatedState": "Failed", "summary": [
            {"region": name, "state": "Failed", "details": msg, "progress": 0} for name, msg in failures]}
    else:
        v["provisioningState"] = "Succeeded"
        v.pop("replicationStatus", None)
    answer = version_rest(c, v)
    answer["properties"]["provisioningState"] = "Updating"
    return Reply(200, answer, {"Azure-AsyncOperation": "https://management.azure.com/subscriptions/{}/providers/"
                               "Microsoft.Compute/locations/{}/capsOperations/0".format(
                                   g[0], standin.norm_region(v["location"]))})


HANDLERS = {("registry", "GET"): registry_get, ("registry", "PATCH"): registry_patch,
            ("task", "GET"): task_get, ("task", "PUT"): task_put, ("task", "PATCH"): task_patch,
            ("scheduleRun", "POST"): schedule_run, ("run", "GET"): run_get,
            ("subnet", "GET"): subnet_get, ("subnet", "PUT"): subnet_put,
            ("imageVersion", "GET"): version_get, ("imageVersion", "PATCH"): version_patch}
