"""Az.Accounts: the session's context, and Invoke-AzRestMethod (in rest.py)."""

from ..commands import Param, command
from ..errors import PSError, Unmodelled
from ..host import standin
from ._common import need, only, ps

MODULE = "Az.Accounts"
ENVIRONMENTS = {"azurecloud": "AzureCloud", "azurechinacloud": "AzureChinaCloud",
                "azureusgovernment": "AzureUSGovernment"}


def context_obj(state):
    """PSAzureContext (src/Accounts/Authentication/Models/PSAzureContext.cs): Account (PSAzureRmAccount:
    Id = the user's sign-in name or the service principal's application ID, Type = AzureAccount.AccountType
    "User" | "ServicePrincipal"), Subscription (PSAzureSubscription: Id, Name, State, TenantId), Tenant,
    Environment. MODEL CHOICE (unverified): the members beyond those the scripts read are left out."""
    login = state["login"]
    sid = state["currentSubscription"]
    info = state["subscriptions"].get(sid, {})
    account = ps({"Id": login["name"] if login["type"] == "user" else login["appId"],
                  "Type": "User" if login["type"] == "user" else "ServicePrincipal",
                  "Tenants": [state["tenantId"]]}, "Microsoft.Azure.Commands.Profile.Models.PSAzureRmAccount")
    sub = ps({"Id": sid, "Name": info.get("name", sid), "State": "Enabled", "TenantId": state["tenantId"]},
             "Microsoft.Azure.Commands.Profile.Models.PSAzureSubscription")
    return ps({"Name": "{} ({}) - {}".format(info.get("name", sid), sid, account.get("Id")),
               "Account": account, "Subscription": sub,
               "Tenant": ps({"Id": state["tenantId"]}, "Microsoft.Azure.Commands.Profile.Models.PSAzureTenant"),
               "Environment": ps({"Name": state["cloud"]},
                                 "Microsoft.Azure.Commands.Profile.Models.PSAzureEnvironment")},
              "Microsoft.Azure.Commands.Profile.Models.Core.PSAzureContext")


@command("Get-AzContext", params=(), module=MODULE,
         source="src/Accounts/Accounts/Context/GetAzureRMContext.cs (the default context)")
def get_context(call):
    return [context_obj(call.host.state)]


@command("Set-AzContext", params=("Subscription",), module=MODULE, mutating=False,
         source="src/Accounts/Accounts/Context/SetAzureRMContext.cs (-Subscription: id or name)")
def set_context(call):
    # The context is the client's, not Azure's: it is the stand-in's currentSubscription, which the az path
    # also uses (az account set).
    need(call, "Subscription")
    s = call.get("Subscription")
    if not isinstance(s, str):
        raise Unmodelled("Set-AzContext -Subscription given a {}".format(type(s).__name__))
    try:
        sid = standin.lookup_subscription(call.host.state, s, for_flag=True)
    except standin.AzError:
        # MODEL CHOICE (unverified text): SetAzureRMContext throws when no subscription matches
        raise PSError("Please provide a valid tenant or a valid subscription.",
                      error_id="Microsoft.Azure.Commands.Profile.SetAzureRMContextCommand",
                      category="CloseError", exception_type="System.ArgumentException", terminating=False)
    call.host.state["currentSubscription"] = sid
    return [context_obj(call.host.state)]


@command("Connect-AzAccount", params=("Environment",), module=MODULE,
         source="src/Accounts/Accounts/Account/ConnectAzureRmAccount.cs (-Environment selects the cloud)")
def connect(call):
    # Only -Environment is modelled: the stand-in's login is given by the test; signing in again selects the
    # cloud, as `az cloud set` does on the az path.
    only(call, {"Environment"})
    env = call.get("Environment")
    if env is None:
        raise Unmodelled("Connect-AzAccount without -Environment (an interactive sign-in)")
    if str(env).lower() not in ENVIRONMENTS:
        raise Unmodelled("Connect-AzAccount -Environment {}".format(env))
    call.host.state["cloud"] = ENVIRONMENTS[str(env).lower()]
    return [context_obj(call.host.state)]
