"""What the Az models share: the stand-in's context, service errors as Az writes them, value helpers.

Error handling, verified:
  * Cmdlets on AzurePSCmdlet (Az.Accounts, Az.Resources, Az.KeyVault, Az.Compute's handwritten
    ones): ProcessRecord catches every exception but a bare PipelineStoppedException and calls
    WriteExceptionError: a non-terminating error (Azure/azure-powershell-common
    src/Common/AzurePSCmdlet.cs @00f74ae3, ProcessRecord / IsTerminatingError).
  * AutoRest-generated cmdlets (Az.ContainerRegistry, Az.ManagedServiceIdentity): a response
    the operation does not declare becomes an UndeclaredResponseException, written with
    WriteError (ErrorId = the HTTP status name, category InvalidOperation, ErrorDetails = the
    service's message) (src/ContainerRegistry/ContainerRegistry.Autorest/generated/cmdlets/
    GetAzContainerRegistry_Get.cs @f45b5ce0, ProcessRecordAsync).
So every service error here is PSError(terminating=False).
"""

import copy
import re

from ..errors import PSError, Unmodelled
from ..host import standin
from ..values import Hashtable, PSObject

AUTOREST_EXCEPTION = "Microsoft.Azure.PowerShell.Cmdlets.{}.Runtime.UndeclaredResponseException"
CLOUD_EXCEPTION = "Microsoft.Rest.Azure.CloudException"

HTTP_STATUS = {"ResourceNotFound": ("NotFound", 404), "ResourceGroupNotFound": ("NotFound", 404),
               "NotFound": ("NotFound", 404), "Request_ResourceNotFound": ("NotFound", 404),
               "Forbidden": ("Forbidden", 403), "Conflict": ("Conflict", 409)}


def ctx(call):
    """The stand-in's command context in the session's current subscription (Set-AzContext)."""
    return standin.Ctx(call.host.state, {})


def state(call):
    return call.host.state


def split_az(e):
    """A stand-in AzError "(Code) message\\nCode: ...\\nMessage: ..." -> (code, message)."""
    m = re.match(r"^\((\w+)\) (.*?)(\nCode: .*)?$", e.message, re.S)
    if m:
        return m.group(1), m.group(2)
    return "", e.message


def service_error(code, message, call, autorest_module=None, status=None):
    """A service error as the cmdlet writes it (non-terminating)."""
    status_name = status or HTTP_STATUS.get(code, ("BadRequest", 400))[0]
    if autorest_module:
        return PSError(message, error_id="{},{}".format(status_name, call.name), category="InvalidOperation",
                       exception_type=AUTOREST_EXCEPTION.format(autorest_module), terminating=False)
    return PSError(message, error_id="{},{}".format(code or "CloudException", call.name),
                   category="CloseError", exception_type=CLOUD_EXCEPTION, terminating=False)


def from_az(e, call, autorest_module=None):
    """A stand-in AzError (the service's answer on the az path) as the cmdlet writes it."""
    code, message = split_az(e)
    return service_error(code, message, call, autorest_module)


def need(call, *names):
    """Mandatory parameters: PowerShell prompts for a missing one; a script run has no one to answer."""
    for n in names:
        if call.get(n) in (None, ""):
            raise Unmodelled("{}: mandatory parameter -{} missing (PowerShell would prompt)".format(call.name, n))


def only(call, allowed):
    """Fail closed on a parameter the model was declared with but does not model in this combination."""
    extra = [p for p in call.params if p not in allowed]
    if extra:
        raise Unmodelled("{}: -{} is not modelled with {}".format(call.name, extra[0],
                                                                 " ".join("-" + p for p in call.params)))


def choice(call, name, options):
    """An enum parameter: PowerShell's binder compares case-insensitively and keeps the canonical spelling."""
    v = call.get(name)
    if v is None:
        return None
    if not isinstance(v, str):
        raise Unmodelled("{}: -{} given a {} (only strings are modelled)".format(call.name, name, type(v).__name__))
    for o in options:
        if o.lower() == v.lower():
            return o
    raise Unmodelled("{}: -{} '{}' (modelled: {})".format(call.name, name, v, ", ".join(options)))


def as_list(v):
    if v is None:
        return []
    return list(v) if isinstance(v, list) else [v]


def tags(v):
    """-Tag @{...} -> the stand-in's {name: value}."""
    if v is None:
        return None
    if not isinstance(v, Hashtable):
        raise Unmodelled("-Tag given a {} (only a hashtable is modelled)".format(type(v).__name__))
    return {str(k): "" if val is None else str(val) for k, val in v.items()}


def tag_table(d):
    return Hashtable((d or {}).items())


def ps(props, type_name, methods=None):
    return PSObject(props, type_names=(type_name, "System.Object"), methods=methods)


def to_ps(value):
    """REST JSON as ConvertFrom-Json would give it (objects -> PSCustomObject, arrays -> lists)."""
    if isinstance(value, dict):
        return PSObject([(k, to_ps(v)) for k, v in value.items()])
    if isinstance(value, list):
        return [to_ps(v) for v in value]
    return value


def deep(x):
    return copy.deepcopy(x)
