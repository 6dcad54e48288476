#!/usr/bin/env python3
"""Checks every example's Terraform (main.tf, variables.tf, terraform.tfvars,
outputs.tf) as a second opinion on src/emit/terraform.rs, written from the
providers' attribute trees and the ARM template, not from the emitter:

1. parse: each file through python-hcl2 (a Lark grammar of HCL2); any error
   fails, naming the example and the file.
2. attributes: every resource, data source and provider block, argument and
   nested block, recursively, exists in the pinned providers' attribute trees
   (tests/fixtures/terraform/providers.json); block syntax where the tree has
   a block, an argument where it has an attribute; no computed-only attribute
   set; every required one set; values of the tree's type, in its `_values`,
   and passing the validators this script knows (`_validate`); meta-arguments
   and `lifecycle` checked on their own. `required_providers` pins
   hashicorp/azurerm and Azure/azapi with constraints that admit the
   fixture's versions. Every `var.X` main.tf and outputs.tf read is declared
   in variables.tf (of the value's type, its validation passing) and set in
   terraform.tfvars, and every variable declared or set is read.
3. same deployment: template.json + parameters.json and main.tf +
   terraform.tfvars are both evaluated to normalized ARM resources (type,
   canonical resource ID, body, dependencies), which must be the same set,
   equal one by one (the azurerm -> ARM mapping table is the map_*
   functions, its normalizations `normalize_pair`'s docstring), each
   Terraform resource depending (by reference or depends_on, transitively)
   on every resource its ARM one dependsOn or reference()s, and the same
   outputs (`compare_outputs`). Terraform may also declare what the template
   has no resource for (NON_ARM_RESOURCES, DATA_SOURCES), and the spec's
   resource group, subscription and cloud (`check_group`, `check_schema`).
   A day-2 change (a template with no resources) must have a main.tf that is
   only a comment, and other files that are declined or only a comment.
4. hostile values: a tag value with quotes, a backslash, `${x}`, `%{y}`,
   `$(z)`, backticks and Korean reads back from terraform.tfvars as itself,
   through python-hcl2's tree and its dict API, and the deployment holding
   it still compares equal to the template's.
5. every check can fail: self-tests run first and prove each of the checks
   above rejects a known-bad or tampered input.

No Terraform binary can be installed here: `terraform validate` and the
providers' own plan-time checks are not run.

usage: terraform-check.py REGISTRY_WIZARD_BIN
"""
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import hcl2
from lark import Token, Tree

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "terraform" / "providers.json"
EXAMPLES = ROOT / "examples"
# Specs no example is: resources created in other groups, access policies in
# another cloud, subnet rules with a key behind a vault firewall.
VARIANTS = ROOT / "tests" / "fixtures" / "specs"

# File name -> the `emit --format` that writes it.
FILES = {
    "main.tf": "terraform",
    "variables.tf": "terraform-variables",
    "terraform.tfvars": "terraform-tfvars",
    "outputs.tf": "terraform-outputs",
}
# What `emit` says for a file a deployment does not need (day-2 changes).
NOT_NEEDED = "needs no such file"

KNOWN_BAD = 'resource "azurerm_container_registry" "registry" {\n  name = "x"\n  sku = \n}\n'

SOURCES = {"azurerm": "hashicorp/azurerm", "azapi": "Azure/azapi", "time": "hashicorp/time"}
# Providers that deploy to a subscription (time_sleep only waits).
AZURE_PROVIDERS = {"azurerm", "azapi"}

# Built-in role names this checker knows, with their role definition GUIDs
# (Azure's list of built-in roles; the same GUID in every tenant).
BUILTIN_ROLES = {
    "Key Vault Crypto Service Encryption User": "e147488a-f6f5-4113-8e2d-b22465e65bf6",
    "Key Vault Crypto Officer": "14b46e9e-c2b7-41b4-b07b-48a6ebf60603",
    "Key Vault Administrator": "00482a5a-887f-4fb3-b363-3b7fe8e74483",
    "AcrPull": "7f951dda-4ed3-4680-a7ca-43fe172d538d",
}

# The spec's cloud -> both providers' `environment`.
ENVIRONMENTS = {"AzureCloud": "public", "AzureUSGovernment": "usgovernment", "AzureChinaCloud": "china"}

# ARM output name -> Terraform output name.
OUTPUT_NAMES = {
    "registryId": "registry_id",
    "loginServer": "login_server",
    "identityPrincipalId": "identity_principal_id",
    "keyUri": "key_uri",
    "imageVersionId": "image_version_id",
}

# Terraform's own arguments and blocks, allowed in any resource or data block.
META_ARGUMENTS = {"depends_on", "count", "for_each", "provider"}
LIFECYCLE = {"create_before_destroy", "prevent_destroy", "ignore_changes", "replace_triggered_by"}

COUNTS = {"files parsed": 0, "blocks checked": 0, "attributes checked": 0, "values validated": 0,
          "resources compared": 0, "properties compared": 0, "dependencies checked": 0,
          "outputs compared": 0, "variables checked": 0}


class CheckError(Exception):
    """An input this checker cannot read or evaluate: a failure, never a skip."""


class EvalError(CheckError):
    """A function Terraform would fail on its argument (what can() catches)."""


def cidrhost(prefix, hostnum, where):
    """Terraform's cidrhost() for IPv4: net.ParseCIDR needs the /n, and
    rejects octets with leading zeros as Go does since 1.17."""
    import ipaddress
    if not isinstance(prefix, str) or "/" not in prefix or not isinstance(hostnum, int):
        raise EvalError(f"{where}: cidrhost({prefix!r}, {hostnum!r}): invalid CIDR expression")
    try:
        net = ipaddress.IPv4Network(prefix, strict=False)
    except ValueError as e:
        raise EvalError(f"{where}: cidrhost({prefix!r}): {e}") from None
    if hostnum >= net.num_addresses:
        raise EvalError(f"{where}: cidrhost({prefix!r}, {hostnum}): prefix has no host {hostnum}")
    return str(net.network_address + hostnum)


# ---------------------------------------------------------------------------
# Tokens: values known only at deployment time, spelled the same on both sides
# ---------------------------------------------------------------------------

TENANT = "⟦tenantId⟧"
SUBSCRIPTION = "⟦subscriptionId⟧"


def ref_token(resource_id, prop):
    """A property of a deployed resource: ARM's reference(id).prop, a
    Terraform computed attribute."""
    return f"⟦ref {resource_id} {prop}⟧"


def call_token(name, args):
    """guid(...) and uniqueString(...): a name for their arguments (a digest,
    so that a name made of resource IDs holds no slash)."""
    digest = hashlib.sha256(json.dumps([name, args], sort_keys=True).encode()).hexdigest()[:16]
    return f"⟦{name}:{digest}⟧"


def assignment_name(role_definition_id, principal_id):
    """A role assignment's stand-in name: ARM's is a guid() of the template's
    choosing, azurerm's a random UUID; what identifies it is scope, role and
    principal (a digest of role and principal: an ID holds no slash in a name)."""
    return call_token("assignment", [role_definition_id, principal_id])


def canon(value):
    """Canonical resource IDs: the deployment's own subscription is dropped
    (ARM's resourceId() without a subscription, Terraform's
    `/subscriptions/${data.azurerm_client_config.current.subscription_id}`);
    an explicit subscription stays. Applied to every string, recursively."""
    if isinstance(value, str):
        prefix = "/subscriptions/" + SUBSCRIPTION
        return value[len(prefix):] if value.startswith(prefix + "/") else value
    if isinstance(value, list):
        return [canon(v) for v in value]
    if isinstance(value, dict):
        return {canon(k): canon(v) for k, v in value.items()}
    return value


def group_id(group):
    return f"/resourceGroups/{group}"


def child_id(parent_id, resource_type, name):
    """The ID of `name` of `resource_type` under a resource group or under its
    parent resource (whose type must be the type's parent)."""
    segments = resource_type.split("/")
    if re.fullmatch(r"(/subscriptions/[^/]+)?/resourceGroups/[^/]+", parent_id):
        names = name.split("/")
        if len(names) != len(segments) - 1:
            raise CheckError(f"name {name!r} does not fit type {resource_type}")
        path = segments[0] + "".join(f"/{t}/{n}" for t, n in zip(segments[1:], names))
        return f"{parent_id}/providers/{path}"
    parent_type = id_type(parent_id)
    if parent_type != "/".join(segments[:-1]):
        raise CheckError(f"parent {parent_id} (a {parent_type}) cannot hold a {resource_type}")
    return f"{parent_id}/{segments[-1]}/{name}"


def id_type(resource_id):
    """The resource type of a canonical ID (the last provider namespace's)."""
    rest = resource_id.rsplit("/providers/", 1)
    if len(rest) != 2:
        return None
    parts = rest[1].split("/")
    return "/".join([parts[0]] + parts[1::2])


# ---------------------------------------------------------------------------
# HCL: python-hcl2's Lark tree read into attributes, blocks and expressions
# ---------------------------------------------------------------------------


class Attr:
    def __init__(self, name, expr, line):
        self.name, self.expr, self.line = name, expr, line


class Block:
    def __init__(self, type_, labels, body, line):
        self.type, self.labels, self.body, self.line = type_, labels, body, line

    def attrs(self):
        return {i.name: i for i in self.body if isinstance(i, Attr)}

    def blocks(self, name=None):
        return [i for i in self.body if isinstance(i, Block) and (name is None or i.type == name)]


def parse_hcl(text, what):
    """Parses with python-hcl2 8.1.4: its Lark tree for everything this script
    reads, and its dict API too, so that both of its stages accept the file."""
    try:
        tree = hcl2.parses_to_tree(text)
        hcl2.loads(text)
    except Exception as e:  # lark.exceptions.* and the transformer's own
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise CheckError(f"{what}: parse error: {first}") from None
    COUNTS["files parsed"] += 1
    return read_body(tree.children[0])


def is_trivia(node):
    return isinstance(node, Token) or (isinstance(node, Tree) and node.data == "new_line_or_comment")


def line_of(node):
    meta = getattr(node, "meta", None)
    if meta is not None and not getattr(meta, "empty", True):
        return meta.line
    for tok in node.scan_values(lambda t: isinstance(t, Token)) if isinstance(node, Tree) else [node]:
        return tok.line
    return None


def name_of(node):
    """An identifier, keyword or literal used as a name."""
    return "".join(str(t) for t in node.scan_values(lambda t: isinstance(t, Token)))


def read_body(body):
    items = []
    for node in body.children:
        if not isinstance(node, Tree) or node.data == "new_line_or_comment":
            continue
        if node.data == "attribute":
            items.append(Attr(name_of(node.children[0]), to_ast(node.children[-1]), line_of(node)))
        elif node.data == "block":
            kids = [k for k in node.children if not is_trivia(k)]
            labels = []
            for k in kids[1:-1]:
                if k.data == "string":
                    labels.append(literal_string(to_ast(k), "block label"))
                else:
                    labels.append(name_of(k))
            items.append(Block(name_of(kids[0]), labels, read_body(kids[-1]), line_of(node)))
    return items


# HCL string escapes. python-hcl2 hands a quoted string over as its source
# parts: STRING_CHARS with the escapes still in them, `$${`/`%%{` kept doubled
# (its ESCAPED_INTERPOLATION and ESCAPED_DIRECTIVE tokens), interpolations as
# subtrees, and its dict API returns the same text with the quotes around it
# (see `read_dict_string`). Both conventions are undone here, once, by HCL's
# rules: \n \r \t \" \\ \uNNNN \UNNNNNNNN; anything else after a backslash is
# an error in HCL, so it is one here.
ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


def unescape(text):
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        n = text[i + 1] if i + 1 < len(text) else ""
        if n in ESCAPES:
            out.append(ESCAPES[n])
            i += 2
        elif n in ("u", "U"):
            width = 4 if n == "u" else 8
            digits = text[i + 2:i + 2 + width]
            if not re.fullmatch(r"[0-9A-Fa-f]{%d}" % width, digits):
                raise CheckError(f"bad escape \\{n}{digits} in a string")
            out.append(chr(int(digits, 16)))
            i += 2 + width
        else:
            raise CheckError(f"bad escape \\{n} in a string")
    return "".join(out)


def string_parts(node):
    parts = []
    for part in node.children:
        if isinstance(part, Token):  # the quotes
            continue
        inner = part.children[0]
        if isinstance(inner, Token):
            if inner.type in ("ESCAPED_INTERPOLATION", "ESCAPED_DIRECTIVE"):
                # `$${x}` is the text `${x}`; `%%{y}` is `%{y}`.
                parts.append(unescape(str(inner)[1:]))
            else:
                parts.append(unescape(str(inner)))
        elif inner.data == "interpolation":
            parts.append(("interp", to_ast([k for k in inner.children if not is_trivia(k)][0])))
        else:
            parts.append(("unsupported", f"template directive {inner.data}"))
    return parts


def to_ast(node):
    """An expression as a small tuple tree: ("lit", v), ("tmpl", parts),
    ("ref", [names]), ("getattr", base, name), ("index", base, expr),
    ("tuple", items), ("object", [(key, value)]), ("call", name, args),
    ("binop", op, l, r), ("unary", op, e), ("cond", c, a, b), ("unsupported", what)."""
    if isinstance(node, Token):
        return ("unsupported", f"token {node.type}")
    d = node.data
    kids = [k for k in node.children if not is_trivia(k)]
    if d == "expr_term":
        return to_ast(kids[0])
    if d == "string":
        parts = string_parts(node)
        return ("tmpl", parts)
    if d == "int_lit":
        return ("lit", int(str(node.children[0])))
    if d == "float_lit":
        return ("lit", float(str(node.children[0])))
    if d == "literal_value":
        return ("lit", {"true": True, "false": False, "null": None}[str(node.children[0])])
    if d == "identifier":
        return ("ref", [name_of(node)])
    if d == "get_attr_expr_term":
        base = to_ast(kids[0])
        name = name_of([k for k in kids[1].children if not is_trivia(k)][0])
        if base[0] == "ref":
            return ("ref", base[1] + [name])
        return ("getattr", base, name)
    if d == "index_expr_term":
        index = kids[1]
        if index.data == "short_index":
            key = ("lit", int(str(index.children[-1])))
        else:
            key = to_ast([k for k in index.children if not is_trivia(k)][0])
        return ("index", to_ast(kids[0]), key)
    if d == "tuple":
        return ("tuple", [to_ast(k) for k in kids])
    if d == "object":
        elems = []
        for elem in kids:
            key_node = [k for k in elem.children if not is_trivia(k)][0]
            key_expr = [k for k in key_node.children if not is_trivia(k)][0]
            key_ast = to_ast(key_expr) if isinstance(key_expr, Tree) and key_expr.data != "keyword" else None
            if key_ast is None or (key_ast[0] == "ref" and len(key_ast[1]) == 1):
                key = ("lit", name_of(key_expr))  # a bare name is the key itself
            else:
                key = key_ast
            elems.append((key, to_ast([k for k in elem.children if not is_trivia(k)][-1])))
        return ("object", elems)
    if d == "function_call":
        name = name_of(kids[0])
        args = [k for k in kids if isinstance(k, Tree) and k.data == "arguments"]
        return ("call", name, [to_ast(a) for a in (args[0].children if args else []) if not is_trivia(a)])
    if d == "binary_op":
        left, term = kids[0], kids[1]
        tk = [k for k in term.children if not is_trivia(k)]
        return ("binop", name_of(tk[0]), to_ast(left), to_ast(tk[1]))
    if d == "unary_op":
        return ("unary", str(node.children[0]), to_ast(node.children[1]))
    if d == "conditional":
        return ("cond", to_ast(kids[0]), to_ast(kids[1]), to_ast(kids[2]))
    return ("unsupported", d)


def literal_string(ast, what):
    if ast[0] == "tmpl" and all(isinstance(p, str) for p in ast[1]):
        return "".join(ast[1])
    raise CheckError(f"{what} is not a literal string")


def refs_in(ast, out=None):
    """Every reference (traversal) in an expression, as a list of names."""
    out = [] if out is None else out
    kind = ast[0]
    if kind == "ref":
        out.append(ast[1])
    elif kind == "tmpl":
        for p in ast[1]:
            if isinstance(p, tuple) and p[0] == "interp":
                refs_in(p[1], out)
    elif kind in ("getattr",):
        refs_in(ast[1], out)
    elif kind == "index":
        refs_in(ast[1], out)
        refs_in(ast[2], out)
    elif kind == "tuple":
        for i in ast[1]:
            refs_in(i, out)
    elif kind == "object":
        for k, v in ast[1]:
            refs_in(k, out)
            refs_in(v, out)
    elif kind == "call":
        for a in ast[2]:
            refs_in(a, out)
    elif kind == "binop":
        refs_in(ast[2], out)
        refs_in(ast[3], out)
    elif kind == "unary":
        refs_in(ast[2], out)
    elif kind == "cond":
        for a in ast[1:]:
            refs_in(a, out)
    return out


def body_refs(items):
    out = []
    for i in items:
        if isinstance(i, Attr):
            refs_in(i.expr, out)
        else:
            out.extend(body_refs(i.body))
    return out


def address_of(names):
    """The resource or data source a reference points into, or None."""
    if names[0] == "data" and len(names) >= 3:
        return f"data.{names[1]}.{names[2]}"
    if names[0] in ("var", "local", "each", "count", "self", "path", "terraform", "module"):
        return None
    if len(names) >= 2 and "_" in names[0]:
        return f"{names[0]}.{names[1]}"
    return None


# ---------------------------------------------------------------------------
# Terraform evaluation: main.tf with terraform.tfvars, to ARM values
# ---------------------------------------------------------------------------

# Computed attributes that stand for a property of the deployed resource
# (ARM's reference(id).property).
REFERENCE_ATTRIBUTES = {
    "azurerm_user_assigned_identity": {"principal_id": "principalId", "client_id": "clientId", "tenant_id": "tenantId"},
    "azurerm_container_registry": {"login_server": "loginServer"},
    "azurerm_key_vault": {"vault_uri": "vaultUri"},
    "azurerm_key_vault_key": {"versionless_id": "keyUri", "id": "keyUriWithVersion"},
}
# A resource's identity block (azurerm's commonschema identity on the
# registry, azapi's identity block: FACTS.md) has the system identity's
# computed principal_id and tenant_id: `X.identity[0].principal_id` is ARM's
# reference(id, api, 'full').identity.principalId. They exist only where the
# block's type includes SystemAssigned.
IDENTITY_ATTRIBUTES = {"principal_id": "principalId", "tenant_id": "tenantId"}
IDENTITY_RESOURCES = {"azurerm_container_registry", "azapi_resource"}
CLIENT_CONFIG = {"tenant_id": TENANT, "subscription_id": SUBSCRIPTION,
                 "object_id": "⟦callerObjectId⟧", "client_id": "⟦callerClientId⟧"}


class Terraform:
    """main.tf's blocks, evaluated with terraform.tfvars' values."""

    def __init__(self, main, tfvars, outputs):
        self.blocks = {}
        for b in main:
            if b.type in ("resource", "data") and isinstance(b, Block):
                if len(b.labels) != 2:
                    raise CheckError(f"main.tf line {b.line}: {b.type} block needs two labels")
                prefix = "data." if b.type == "data" else ""
                address = f"{prefix}{b.labels[0]}.{b.labels[1]}"
                if address in self.blocks:
                    raise CheckError(f"main.tf: {address} declared twice")
                self.blocks[address] = b
        self.tfvars = {}
        for item in tfvars:
            if not isinstance(item, Attr):
                raise CheckError(f"terraform.tfvars line {item.line}: a block ({item.type}) in a values file")
            if item.name in self.tfvars:
                raise CheckError(f"terraform.tfvars: {item.name} set twice")
            self.tfvars[item.name] = self.constant(item.expr, f"terraform.tfvars {item.name}")
        self.outputs = outputs
        self.memo = {}
        self.busy = set()

    def constant(self, ast, what):
        """A value in terraform.tfvars: literals only (Terraform refuses
        references and interpolations there)."""
        if refs_in(ast):
            raise CheckError(f"{what}: a reference in a values file")
        return self.ev(ast, what)

    # --- expressions ---------------------------------------------------------
    def ev(self, ast, where):
        kind = ast[0]
        if kind == "lit":
            return ast[1]
        if kind == "tmpl":
            parts = []
            for p in ast[1]:
                if isinstance(p, str):
                    parts.append(p)
                elif p[0] == "interp":
                    v = self.ev(p[1], where)
                    if isinstance(v, bool) or not isinstance(v, (str, int, float)):
                        raise CheckError(f"{where}: interpolates a {type(v).__name__}")
                    parts.append(str(v))
                else:
                    raise CheckError(f"{where}: {p[1]} not supported")
            # A template that is one interpolation keeps the value's type.
            if len(ast[1]) == 1 and isinstance(ast[1][0], tuple):
                return self.ev(ast[1][0][1], where)
            return "".join(parts)
        if kind == "ref":
            return self.ref(ast[1], where)
        if kind == "getattr":
            return self.member(self.ev(ast[1], where), ast[2], where)
        if kind == "index":
            base, key = self.ev(ast[1], where), self.ev(ast[2], where)
            try:
                return base[key]
            except (KeyError, IndexError, TypeError):
                raise CheckError(f"{where}: no [{key!r}] in {base!r}") from None
        if kind == "tuple":
            return [self.ev(i, where) for i in ast[1]]
        if kind == "object":
            out = {}
            for k, v in ast[1]:
                key = self.ev(k, where)
                if not isinstance(key, str):
                    raise CheckError(f"{where}: object key {key!r} is not a string")
                if key in out:
                    raise CheckError(f"{where}: object key {key!r} twice")
                out[key] = self.ev(v, where)
            return out
        if kind == "call" and ast[1] == "can" and len(ast[2]) == 1:
            try:
                self.ev(ast[2][0], where)
                return True
            except EvalError:
                return False
        if kind == "call":
            args = [self.ev(a, where) for a in ast[2]]
            if ast[1] == "cidrhost" and len(args) == 2:
                return cidrhost(args[0], args[1], where)
            if ast[1] == "length" and len(args) == 1 and isinstance(args[0], (str, list, dict)):
                return len(args[0])
            raise CheckError(f"{where}: function {ast[1]}() not supported")
        if kind == "binop":
            a, b = self.ev(ast[2], where), self.ev(ast[3], where)
            ops = {">=": lambda: a >= b, "<=": lambda: a <= b, ">": lambda: a > b, "<": lambda: a < b,
                   "==": lambda: a == b, "!=": lambda: a != b, "&&": lambda: a and b, "||": lambda: a or b}
            if ast[1] not in ops:
                raise CheckError(f"{where}: operator {ast[1]} not supported")
            return ops[ast[1]]()
        if kind == "unary" and ast[1] == "!":
            return not self.ev(ast[2], where)
        raise CheckError(f"{where}: {ast[1] if kind == 'unsupported' else kind} not supported")

    def member(self, value, name, where):
        if isinstance(value, dict) and name in value:
            return value[name]
        raise CheckError(f"{where}: no .{name} in {value!r}")

    def ref(self, names, where):
        if names[0] == "var":
            if len(names) < 2 or names[1] not in self.tfvars:
                raise CheckError(f"{where}: var.{names[1] if len(names) > 1 else ''} is not set in terraform.tfvars")
            value = self.tfvars[names[1]]
            for n in names[2:]:
                value = self.member(value, n, where)
            return value
        address = address_of(names)
        if address is None or address not in self.blocks:
            raise CheckError(f"{where}: {'.'.join(names)} refers to nothing declared in main.tf")
        rest = names[3:] if names[0] == "data" else names[2:]
        if not rest:
            raise CheckError(f"{where}: {'.'.join(names)} is a whole resource, not a value")
        return self.attribute(address, rest, where)

    # --- attributes of resources and data sources --------------------------
    def arg(self, address, name, where, default=None):
        attrs = self.blocks[address].attrs()
        if name not in attrs:
            if default is not None:
                return default
            raise CheckError(f"{where}: {address} has no {name}")
        key = (address, name)
        if key in self.busy:
            raise CheckError(f"{where}: {address}.{name} refers to itself")
        if key not in self.memo:
            self.busy.add(key)
            try:
                self.memo[key] = self.ev(attrs[name].expr, f"{address}.{name}")
            finally:
                self.busy.discard(key)
        return self.memo[key]

    def resource_id(self, address, where):
        block = self.blocks[address]
        ty = block.labels[0]
        a = lambda n: self.arg(address, n, where)  # noqa: E731
        if ty == "azurerm_resource_group":
            return group_id(a("name"))
        if ty == "azurerm_client_config":
            return "⟦clientConfig⟧"
        simple = {
            "azurerm_user_assigned_identity": "Microsoft.ManagedIdentity/userAssignedIdentities",
            "azurerm_key_vault": "Microsoft.KeyVault/vaults",
            "azurerm_container_registry": "Microsoft.ContainerRegistry/registries",
        }
        if ty in simple:
            return child_id(group_id(a("resource_group_name")), simple[ty], a("name"))
        if ty == "azurerm_shared_image_version":
            return child_id(group_id(a("resource_group_name")), "Microsoft.Compute/galleries/images/versions",
                            f"{a('gallery_name')}/{a('image_name')}/{a('name')}")
        if ty == "azurerm_shared_image":
            return child_id(group_id(a("resource_group_name")), "Microsoft.Compute/galleries/images",
                            f"{a('gallery_name')}/{a('name')}")
        if ty == "azurerm_subnet":
            return child_id(group_id(a("resource_group_name")), "Microsoft.Network/virtualNetworks/subnets",
                            f"{a('virtual_network_name')}/{a('name')}")
        if ty == "azurerm_role_assignment":
            return canon(a("scope")) + "/providers/Microsoft.Authorization/roleAssignments/" + assignment_name(
                role_definition(self, address, where), canon(a("principal_id")))
        if ty == "azapi_resource":
            resource_type, _ = azapi_type(a("type"), where)
            return child_id(canon(a("parent_id")), resource_type, a("name"))
        raise CheckError(f"{where}: the ID of a {ty} is not known to this checker")

    def attribute(self, address, rest, where):
        block = self.blocks[address]
        ty, head = block.labels[0], rest[0]
        if ty == "azurerm_client_config":
            if head not in CLIENT_CONFIG or len(rest) != 1:
                raise CheckError(f"{where}: data.azurerm_client_config has no {'.'.join(rest)} this checker knows")
            return CLIENT_CONFIG[head]
        if head in REFERENCE_ATTRIBUTES.get(ty, {}) and len(rest) == 1:
            return ref_token(self.resource_id(address, where), REFERENCE_ATTRIBUTES[ty][head])
        if head == "id" and len(rest) == 1:
            return self.resource_id(address, where)
        if head == "identity" and len(rest) == 1 and ty in IDENTITY_RESOURCES and block.type == "resource" \
                and head not in block.attrs():
            identity = self.args(address).get("identity") or [{}]
            kinds = [k.strip() for k in str(identity[0].get("type", "")).split(",")]
            if len(identity) != 1 or "SystemAssigned" not in kinds:
                raise CheckError(f"{where}: {address}.identity has no system-assigned identity "
                                 f"(type {identity[0].get('type')!r}), so no principal_id")
            rid = self.resource_id(address, where)
            return [{k: ref_token(rid, f"identity.{v}") for k, v in IDENTITY_ATTRIBUTES.items()}]
        if ty == "azapi_resource" and head == "output":
            path = ".".join(rest[1:])
            exported = self.arg(address, "response_export_values", where, default=[])
            if not isinstance(exported, list) or path not in exported:
                raise CheckError(f"{where}: {address}.output.{path} is read but not in its response_export_values")
            prop = path[len("properties."):] if path.startswith("properties.") else path
            return ref_token(self.resource_id(address, where), prop)
        if head in block.attrs():
            value = self.arg(address, head, where)
            for n in rest[1:]:
                value = self.member(value, n, where)
            return value
        raise CheckError(f"{where}: {address}.{'.'.join(rest)} is not an attribute this checker can evaluate")

    def args(self, address, items=None, top=True):
        """A block's arguments evaluated, nested blocks as lists of dicts;
        Terraform's meta-arguments left out."""
        block = self.blocks[address]
        items = block.body if items is None else items
        out = {}
        for i in items:
            if isinstance(i, Attr):
                if top and i.name in META_ARGUMENTS:
                    continue
                out[i.name] = self.arg(address, i.name, address) if top else self.ev(i.expr, f"{address}.{i.name}")
            else:
                if top and i.type == "lifecycle":
                    continue
                out.setdefault(i.type, []).append(self.args(address, i.body, top=False))
        return out

    def dependencies(self, address):
        """Addresses a block depends on: by reference or `depends_on`."""
        deps = set()
        body = [i for i in self.blocks[address].body if not (isinstance(i, Block) and i.type == "lifecycle")]
        for names in body_refs(body):
            dep = address_of(names)
            if dep and dep != address:
                if dep not in self.blocks:
                    raise CheckError(f"{address}: refers to {dep}, which main.tf does not declare")
                deps.add(dep)
        return deps


def azapi_type(value, where):
    m = re.fullmatch(r"([A-Za-z0-9.]+/[A-Za-z0-9/]+)@(\d{4}-\d{2}-\d{2}(-preview)?)", value or "")
    if not m:
        raise CheckError(f"{where}: azapi type {value!r} is not TYPE@API-VERSION")
    return m.group(1), m.group(2)


def role_definition(tf, address, where):
    attrs = tf.blocks[address].attrs()
    if "role_definition_name" in attrs:
        name = tf.arg(address, "role_definition_name", where)
        if name not in BUILTIN_ROLES:
            raise CheckError(f"{where}: role {name!r} is not in this checker's table of built-in roles")
        return f"/providers/Microsoft.Authorization/roleDefinitions/{BUILTIN_ROLES[name]}"
    return canon(tf.arg(address, "role_definition_id", where))


# ---------------------------------------------------------------------------
# azurerm and azapi resources -> the ARM resources they stand for
# ---------------------------------------------------------------------------


def put(body, path, value):
    *parents, last = path.split(".")
    for p in parents:
        body = body.setdefault(p, {})
    body[last] = value


def one(args, name, where):
    blocks = args.pop(name, None) or []
    if len(blocks) > 1:
        raise CheckError(f"{where}: more than one {name} block")
    return blocks[0] if blocks else None


def enabled(flag):
    return "Enabled" if flag else "Disabled"


def identity_of(block):
    """identity { type, identity_ids } -> ARM's identity."""
    identity = {"type": block.pop("type")}
    ids = block.pop("identity_ids", None)
    if ids:
        identity["userAssignedIdentities"] = {canon(i): {} for i in ids}
    return identity


def take(args, mapping, body):
    """Moves the arguments named in `mapping` (argument -> (ARM path,
    conversion)) from args into the ARM body."""
    for name, (path, convert) in mapping.items():
        if name in args:
            put(body, path, convert(args.pop(name)))


SAME = lambda v: v  # noqa: E731


def map_registry(args, where):
    body = {}
    take(args, {
        "location": ("location", SAME),
        "sku": ("sku.name", SAME),
        "admin_enabled": ("properties.adminUserEnabled", SAME),
        "zone_redundancy_enabled": ("properties.zoneRedundancy", enabled),
        "public_network_access_enabled": ("properties.publicNetworkAccess", enabled),
        "network_rule_bypass_option": ("properties.networkRuleBypassOptions", SAME),
        # azurerm 5.2 container_registry_resource.go:262 (tests/fixtures/terraform/providers.json)
        "network_rule_bypass_for_tasks_enabled": ("properties.networkRuleBypassAllowedForTasks", SAME),
        "tags": ("tags", SAME),
    }, body)
    rules = one(args, "network_rule_set", where)
    if rules is not None:
        ruleset = {}
        if "default_action" in rules:
            ruleset["defaultAction"] = rules.pop("default_action")
        ip_rules = []
        for r in rules.pop("ip_rule", []) or []:
            # Compared in the form Azure stores: it drops the /32 azurerm
            # sends (see READ_BACK), and the template sends a bare address.
            value = r.pop("ip_range")
            value = value[:-3] if isinstance(value, str) and value.endswith("/32") else value
            ip_rules.append({"action": r.pop("action"), "value": value})
            leftover(r, f"{where} ip_rule")
        # ip_rule is a set in azurerm: compared in the order of their values.
        ruleset["ipRules"] = sorted(ip_rules, key=lambda r: json.dumps(r, sort_keys=True))
        leftover(rules, f"{where} network_rule_set")
        put(body, "properties.networkRuleSet", ruleset)
    identity = one(args, "identity", where)
    if identity is not None:
        body["identity"] = identity_of(identity)
        leftover(identity, f"{where} identity")
    encryption = one(args, "encryption", where)
    if encryption is not None:
        # azurerm sends status Enabled with the block (expandEncryption).
        put(body, "properties.encryption", {
            "status": "enabled",
            "keyVaultProperties": {"keyIdentifier": encryption.pop("key_vault_key_id"),
                                   "identity": encryption.pop("identity_client_id")},
        })
        leftover(encryption, f"{where} encryption")
    return "Microsoft.ContainerRegistry/registries", body


def map_vault(args, where):
    body = {}
    take(args, {
        "location": ("location", SAME),
        "tenant_id": ("properties.tenantId", SAME),
        # azurerm sends family A with either SKU name.
        "sku_name": ("properties.sku", lambda v: {"family": "A", "name": v}),
        "rbac_authorization_enabled": ("properties.enableRbacAuthorization", SAME),
        "soft_delete_retention_days": ("properties.softDeleteRetentionInDays", SAME),
        "purge_protection_enabled": ("properties.enablePurgeProtection", SAME),
        "public_network_access_enabled": ("properties.publicNetworkAccess", enabled),
        "enabled_for_disk_encryption": ("properties.enabledForDiskEncryption", SAME),
        "enabled_for_deployment": ("properties.enabledForDeployment", SAME),
        "enabled_for_template_deployment": ("properties.enabledForTemplateDeployment", SAME),
        "tags": ("tags", SAME),
    }, body)
    acls = one(args, "network_acls", where)
    if acls is not None:
        out = {"defaultAction": acls.pop("default_action"), "bypass": acls.pop("bypass")}
        ips = acls.pop("ip_rules", None) or []
        subnets = acls.pop("virtual_network_subnet_ids", None) or []
        if ips:
            out["ipRules"] = sorted(({"value": v} for v in ips), key=lambda r: r["value"])
        if subnets:
            out["virtualNetworkRules"] = sorted(({"id": canon(v)} for v in subnets), key=lambda r: r["id"])
        leftover(acls, f"{where} network_acls")
        put(body, "properties.networkAcls", out)
    policies = args.pop("access_policy", None)
    if policies:
        put(body, "properties.accessPolicies", [access_policy_entry(p, f"{where} access_policy") for p in policies])
    return "Microsoft.KeyVault/vaults", body


def access_policy_entry(args, where):
    entry = {"tenantId": args.pop("tenant_id"), "objectId": args.pop("object_id")}
    if args.get("application_id"):
        entry["applicationId"] = args.pop("application_id")
    args.pop("application_id", None)
    permissions = {}
    for tf_name, arm_name in (("key_permissions", "keys"), ("secret_permissions", "secrets"),
                              ("certificate_permissions", "certificates"), ("storage_permissions", "storage")):
        if args.get(tf_name):
            permissions[arm_name] = args.pop(tf_name)
        args.pop(tf_name, None)
    entry["permissions"] = permissions
    leftover(args, where)
    return entry


def map_identity(args, where):
    body = {}
    take(args, {"location": ("location", SAME), "tags": ("tags", SAME)}, body)
    return "Microsoft.ManagedIdentity/userAssignedIdentities", body


def map_role_assignment(args, where, role):
    body = {"properties": {"roleDefinitionId": role}}
    args.pop("role_definition_name", None)  # as its role definition ID (role_definition)
    args.pop("role_definition_id", None)
    take(args, {"principal_id": ("properties.principalId", SAME),
                "principal_type": ("properties.principalType", SAME),
                "description": ("properties.description", SAME),
                "condition": ("properties.condition", SAME),
                "condition_version": ("properties.conditionVersion", SAME)}, body)
    args.pop("scope", None)  # in the ID
    return "Microsoft.Authorization/roleAssignments", body


def map_image_version(args, where):
    body = {}
    take(args, {
        "location": ("location", SAME),
        "exclude_from_latest": ("properties.publishingProfile.excludeFromLatest", SAME),
        "end_of_life_date": ("properties.publishingProfile.endOfLifeDate", SAME),
        "os_disk_snapshot_id": ("properties.storageProfile.osDiskImage.source.id", SAME),
        "replication_mode": ("properties.publishingProfile.replicationMode", SAME),
        "tags": ("tags", SAME),
    }, body)
    if "managed_image_id" in args:
        source = args.pop("managed_image_id")
        # azurerm sends a virtual machine's ID as virtualMachineId (its expand).
        key = "virtualMachineId" if "/providers/Microsoft.Compute/virtualMachines/" in source else "id"
        put(body, f"properties.storageProfile.source.{key}", source)
    regions = []
    for r in args.pop("target_region", None) or []:
        region = {"name": r.pop("name"), "regionalReplicaCount": r.pop("regional_replica_count")}
        if "storage_account_type" in r:
            region["storageAccountType"] = r.pop("storage_account_type")
        if r.get("disk_encryption_set_id") is not None:
            region["encryption"] = {"osDiskImage": {"diskEncryptionSetId": r.pop("disk_encryption_set_id")}}
        if "exclude_from_latest_enabled" in r:
            region["excludeFromLatest"] = r.pop("exclude_from_latest_enabled")
        leftover(r, f"{where} target_region")
        regions.append(region)
    put(body, "properties.publishingProfile.targetRegions", regions)
    return "Microsoft.Compute/galleries/images/versions", body


def map_azapi(args, where):
    """azapi_resource: the ARM body in the API's own shape, compared as is."""
    resource_type, api = azapi_type(args.pop("type"), where)
    body = dict(args.pop("body", {}) or {})
    if not isinstance(body, dict):
        raise CheckError(f"{where}: body is not an object")
    for name in ("location", "tags"):
        if name in args:
            body[name] = args.pop(name)
    identity = one(args, "identity", where)
    if identity is not None:
        body["identity"] = identity_of(identity)
        leftover(identity, f"{where} identity")
    # Read by the outputs' references (checked there), not part of the resource.
    args.pop("response_export_values", None)
    return resource_type, body, api


MAPPERS = {
    "azurerm_container_registry": map_registry,
    "azurerm_key_vault": map_vault,
    "azurerm_user_assigned_identity": map_identity,
    "azurerm_shared_image_version": map_image_version,
}
# The arguments that make a resource's ID (compared through it).
ID_ARGUMENTS = {"name", "resource_group_name", "gallery_name", "image_name", "parent_id"}

# Declared by Terraform with no resource in template.json, and allowed:
# - azurerm_resource_group: the deployment's group, which the ARM deployment
#   command creates (`az group create`) or deploys into (check_group);
# - data sources: lookups of what exists (the caller's tenant and
#   subscription, the group, an identity, vault, key, subnet or image
#   definition), which ARM reaches by resourceId() or reference() instead;
#   a lookup of something the template creates is refused
#   (compare_resources).
NON_ARM_RESOURCES = {"azurerm_resource_group", "time_sleep"}
DATA_SOURCES = {"azurerm_client_config", "azurerm_resource_group", "azurerm_user_assigned_identity",
                "azurerm_key_vault", "azurerm_key_vault_key", "azurerm_subnet", "azurerm_shared_image"}


def leftover(args, where):
    if args:
        raise CheckError(f"{where}: {', '.join(sorted(args))} not in this checker's mapping table")


class Resource:
    def __init__(self, type_, id_, api, body, deps, source):
        self.type, self.id, self.api, self.body, self.deps, self.source = type_, id_, api, body, deps, source


def terraform_resources(tf):
    """Every resource main.tf declares, as the ARM resource it stands for."""
    out, key_of = [], {}
    policies = {}
    for address, block in tf.blocks.items():
        ty = block.labels[0]
        if block.type == "data":
            if ty not in DATA_SOURCES:
                raise CheckError(f"{address}: a lookup this checker does not know")
            continue
        if ty in NON_ARM_RESOURCES:
            continue
        args = tf.args(address)
        where = address
        if ty != "azurerm_role_assignment":  # its optional name is no part of its ID here
            for name in ID_ARGUMENTS:
                args.pop(name, None)
        if ty == "azurerm_key_vault_access_policy":
            # One ARM accessPolicies/add per vault holds every entry.
            vault = canon(args.pop("key_vault_id"))
            if id_type(vault) != "Microsoft.KeyVault/vaults":
                raise CheckError(f"{where}: key_vault_id {vault} is not a key vault's ID")
            policies.setdefault(vault, []).append((address, access_policy_entry(args, where)))
            continue
        if ty == "azapi_resource":
            resource_type, body, api = map_azapi(args, where)
        elif ty == "azurerm_role_assignment":
            resource_type, body = map_role_assignment(args, where, role_definition(tf, address, where))
            api = None
        elif ty in MAPPERS:
            resource_type, body = MAPPERS[ty](args, where)
            api = None
        else:
            raise CheckError(f"{where}: {ty} is not in this checker's mapping table")
        leftover(args, where)
        rid = canon(tf.resource_id(address, where))
        if id_type(rid) != resource_type:
            raise CheckError(f"{where}: its ID {rid} is not a {resource_type}")
        key_of[address] = (resource_type, rid)
        out.append(Resource(resource_type, rid, api, canon(body), set(), address))
    for vault, entries in policies.items():
        rid = f"{vault}/accessPolicies/add"
        body = {"properties": {"accessPolicies": [e for _, e in entries]}}
        res = Resource("Microsoft.KeyVault/vaults/accessPolicies", rid, None, canon(body), set(),
                       ", ".join(a for a, _ in entries))
        for a, _ in entries:
            key_of[a] = (res.type, rid)
        out.append(res)
    # Dependencies: transitive through every block, kept where they land on
    # an ARM resource.
    closure = {}

    def reach(address, seen):
        for dep in tf.dependencies(address):
            if dep in tf.blocks and dep not in seen:
                seen.add(dep)
                reach(dep, seen)
        return seen

    for address in key_of:
        closure[address] = reach(address, set())
    for res in out:
        for address in res.source.split(", "):
            res.deps |= {key_of[d] for d in closure[address] if d in key_of and key_of[d] != (res.type, res.id)}
    return out


# ---------------------------------------------------------------------------
# ARM: template.json with parameters.json, evaluated
# ---------------------------------------------------------------------------


class RefObject:
    """reference(id): its properties are tokens."""

    def __init__(self, resource_id, full):
        self.id, self.full = resource_id, full


ARM_TOKEN = re.compile(r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>-?\d+)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<p>[().,\[\]]))")


def arm_parse(text):
    tokens, pos = [], 0
    text = text.strip()
    while pos < len(text):
        m = ARM_TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise CheckError(f"ARM expression {text!r}: cannot read at {pos}")
        pos = m.end()
        kind = m.lastgroup
        tokens.append((kind, m.group(kind)))
    tokens.append(("end", None))
    i = 0

    def peek():
        return tokens[i]

    def take_tok(kind=None, value=None):
        nonlocal i
        t = tokens[i]
        if (kind and t[0] != kind) or (value and t[1] != value):
            raise CheckError(f"ARM expression {text!r}: expected {value or kind}, found {t[1]!r}")
        i += 1
        return t

    def expr():
        t = take_tok()
        if t[0] == "str":
            node = ("lit", t[1][1:-1].replace("''", "'"))
        elif t[0] == "num":
            node = ("lit", int(t[1]))
        elif t[0] == "name":
            take_tok("p", "(")
            args = []
            if peek() != ("p", ")"):
                args.append(expr())
                while peek() == ("p", ","):
                    take_tok()
                    args.append(expr())
            take_tok("p", ")")
            node = ("call", t[1], args)
        else:
            raise CheckError(f"ARM expression {text!r}: unexpected {t[1]!r}")
        while peek() in (("p", "."), ("p", "[")):
            if take_tok()[1] == ".":
                node = ("prop", node, take_tok("name")[1])
            else:
                node = ("idx", node, expr())
                take_tok("p", "]")
        return node

    node = expr()
    take_tok("end")
    return node


class Arm:
    def __init__(self, template, parameters, group, where="template.json"):
        self.template = template
        declared = template.get("parameters", {})
        self.params = {}
        for name, p in (parameters.get("parameters") or {}).items():
            if name not in declared:
                raise CheckError(f"parameters.json: {name} is not a parameter of template.json")
            self.params[name] = p["value"]
        for name, p in declared.items():
            if name not in self.params:
                if "defaultValue" not in p:
                    raise CheckError(f"template.json: parameter {name} has no value")
                self.params[name] = p["defaultValue"]
        self.group = group
        self.refs = set()  # resource IDs reference() read

    def value(self, v):
        if isinstance(v, str):
            if v.startswith("[["):
                return v[1:]
            if v.startswith("[") and v.endswith("]"):
                return self.ev(arm_parse(v[1:-1]))
            return v
        if isinstance(v, list):
            return [self.value(x) for x in v]
        if isinstance(v, dict):
            out = {}
            for k, x in v.items():
                key = self.value(k)
                out[canon(key)] = self.value(x)
            return out
        return v

    def ev(self, node):
        kind = node[0]
        if kind == "lit":
            return node[1]
        if kind == "prop":
            base = self.ev(node[1])
            if isinstance(base, RefObject):
                prop = node[2]
                if base.full:
                    return RefObject(base.id, False) if prop == "properties" else {"⟦full⟧": (base.id, prop)}
                return ref_token(base.id, prop)
            if isinstance(base, dict) and "⟦full⟧" in base:
                rid, top = base["⟦full⟧"]
                return ref_token(rid, f"{top}.{node[2]}")
            if isinstance(base, dict) and node[2] in base:
                return base[node[2]]
            raise CheckError(f"ARM: no .{node[2]} in {base!r}")
        if kind == "idx":
            base, key = self.ev(node[1]), self.ev(node[2])
            try:
                return base[key]
            except (KeyError, IndexError, TypeError):
                raise CheckError(f"ARM: no [{key!r}] in {base!r}") from None
        name, args = node[1].lower(), [self.ev(a) for a in node[2]]
        if name == "parameters":
            if args[0] not in self.params:
                raise CheckError(f"ARM: parameters('{args[0]}') is not declared")
            return self.params[args[0]]
        if name == "variables":
            variables = self.template.get("variables", {})
            if args[0] not in variables:
                raise CheckError(f"ARM: variables('{args[0]}') is not declared")
            return self.value(variables[args[0]])
        if name == "resourcegroup":
            return {"name": self.group, "id": group_id(self.group), "location": "⟦resourceGroupLocation⟧"}
        if name == "subscription":
            return {"tenantId": TENANT, "subscriptionId": SUBSCRIPTION, "id": "/subscriptions/" + SUBSCRIPTION}
        if name == "resourceid":
            at = next((i for i, a in enumerate(args) if isinstance(a, str) and "/" in a), None)
            if at is None or at > 2:
                raise CheckError(f"ARM: resourceId{tuple(args)} has no resource type")
            scope = args[:at]
            sub = scope[0] if len(scope) == 2 else None
            rg = scope[-1] if scope else self.group
            rid = child_id(group_id(rg), args[at], "/".join(args[at + 1:]))
            return canon(f"/subscriptions/{sub}{rid}") if sub else rid
        if name == "subscriptionresourceid":
            at = 1 if len(args) > 1 and "/" not in args[0] else 0
            rid = "/providers/" + interleave(args[at], args[at + 1:])
            return canon(f"/subscriptions/{args[0]}{rid}") if at else rid
        if name == "extensionresourceid":
            return f"{args[0]}/providers/" + interleave(args[1], args[2:])
        if name == "reference":
            rid = canon(args[0])
            if not isinstance(rid, str) or not rid.startswith("/"):
                raise CheckError(f"ARM: reference({rid!r}) is not a resource ID")
            self.refs.add(rid)
            return RefObject(rid, len(args) > 2 and str(args[2]).lower() == "full")
        if name == "format":
            def sub(m):
                if m.group(0) in ("{{", "}}"):
                    return m.group(0)[0]
                return str(args[1 + int(m.group(1))])
            return re.sub(r"\{\{|\}\}|\{(\d+)\}", sub, args[0])
        if name == "concat":
            if all(isinstance(a, list) for a in args):
                return [x for a in args for x in a]
            return "".join(str(a) for a in args)
        if name in ("guid", "uniquestring"):
            return call_token(node[1], args)
        if name == "tolower":
            return args[0].lower()
        if name == "toupper":
            return args[0].upper()
        if name == "string":
            return args[0] if isinstance(args[0], str) else json.dumps(args[0])
        if name in ("true", "false"):
            return name == "true"
        raise CheckError(f"ARM: function {node[1]}() not supported by this checker")


def interleave(resource_type, names):
    segments = resource_type.split("/")
    names = [n for name in names for n in name.split("/")]
    if len(names) != len(segments) - 1:
        raise CheckError(f"ARM: {len(names)} names for type {resource_type}")
    return segments[0] + "".join(f"/{t}/{n}" for t, n in zip(segments[1:], names))


# ARM-only keys of a resource: its type, version and name are the compared
# identity; comments are prose; dependsOn is compared as dependencies; scope
# and resourceGroup are in the ID.
ARM_FRAME = {"type", "apiVersion", "name", "comments", "dependsOn", "scope", "resourceGroup", "subscriptionId"}


def arm_resources(arm):
    """template.json's resources, each with its canonical ID, body and
    dependencies; nested deployments contribute their inner resources in
    their group."""
    aliases = {}  # an ID as dependsOn names it -> the keys of what it stands for
    found = []  # (resource, explicit dependsOn IDs, IDs reference() read)

    def walk(resources, group, outer_deps):
        keys = []
        for r in resources:
            if "condition" in r or "copy" in r:
                raise CheckError(f"template.json: {r.get('type')} with condition/copy not supported by this checker")
            rtype = r["type"]
            name = arm.value(r["name"])
            depends = {canon(arm.value(d)) for d in r.get("dependsOn", [])} | outer_deps
            if rtype == "Microsoft.Resources/deployments":
                if "subscriptionId" in r:
                    raise CheckError("template.json: a nested deployment to another subscription is not supported")
                props = r.get("properties", {})
                if (props.get("expressionEvaluationOptions") or {}).get("scope", "outer").lower() != "outer":
                    raise CheckError("template.json: a nested template with inner scope is not supported")
                if "template" not in props:
                    raise CheckError("template.json: a linked template is not supported")
                inner_group = arm.value(r.get("resourceGroup", "")) or group
                # An outer-scope nested template's expressions are the
                # parent's; its resources go to the deployment's group.
                inner = walk(props["template"].get("resources", []), inner_group, depends)
                aliases[child_id(group_id(inner_group), rtype, name)] = inner
                keys.extend(inner)
                continue
            arm.refs = set()
            body = {k: arm.value(v) for k, v in r.items() if k not in ARM_FRAME}
            if "scope" in r:
                scope = arm.value(r["scope"])
                scope = scope if scope.startswith("/") else f"{group_id(group)}/providers/{scope}"
                raw_id = f"{canon(scope)}/providers/{interleave(rtype, [name])}"
            else:
                raw_id = child_id(group_id(group), rtype, name)
            rid = canon(raw_id)
            if rtype == "Microsoft.Authorization/roleAssignments":
                props = body.get("properties", {})
                rid = rid.rsplit("/", 1)[0] + "/" + assignment_name(
                    canon(props.get("roleDefinitionId")), canon(props.get("principalId")))
            res = Resource(rtype, rid, r.get("apiVersion"), canon(body), set(), "template.json")
            aliases[canon(raw_id)] = [(rtype, rid)]
            found.append((res, depends, set(arm.refs)))
            keys.append((rtype, rid))
        return keys

    walk(arm.template.get("resources", []), arm.group, set())
    for res, depends, refs in found:
        for dep in depends:
            if dep not in aliases:
                raise CheckError(f"template.json: {res.type} {res.id} dependsOn {dep}, no resource of the template")
            res.deps |= set(aliases[dep])
        # reference() to a resource of the template is a dependency too (one
        # to an existing resource is not).
        for dep in refs:
            res.deps |= set(aliases.get(dep, []))
        res.deps.discard((res.type, res.id))
    return [res for res, _, _ in found]


# ---------------------------------------------------------------------------
# Comparison
# ---------------------------------------------------------------------------


def drop_if(body, path, expected):
    """Removes `path` from the body when it holds `expected` (left in place,
    and so reported, when it holds anything else)."""
    *parents, last = path.split(".")
    node = body
    for p in parents:
        node = node.get(p) if isinstance(node, dict) else None
        if node is None:
            return
    if isinstance(node, dict) and last in node and node[last] == expected:
        del node[last]


def normalize_pair(arm, tf, rtype, tf_type):
    """Normalizations, on copies, before a resource's bodies are compared.

    On both sides and for every resource already: resource IDs are canonical
    (`canon`: the deployment's own subscription dropped); whatever is known
    at deployment only is a token naming it (reference(id).principalId and
    azurerm's principal_id are the same token, likewise clientId, keyUri,
    keyUriWithVersion, loginServer; subscription().tenantId and
    data.azurerm_client_config.current.tenant_id are one token); the ARM
    keys type, apiVersion and name are the compared identity (type and
    canonical ID; the API version where main.tf states one, azapi's), scope
    and resourceGroup are in the ID, `comments` is prose and is not
    compared, and `dependsOn` is compared as dependencies: the Terraform
    resource must depend, by reference or depends_on, transitively, on each
    resource its ARM one dependsOn or reads with reference() (the registry on
    the key-access grant above all, which it does not otherwise refer to).

    Then, for resources that azurerm declares (azapi bodies are compared as
    is):

    - every resource: ARM's empty `properties: {}` is no properties at all;
    - Microsoft.KeyVault/vaults: `enableSoftDelete: true` has no azurerm
      argument (azurerm 3.0 removed it: soft delete is always on), so it is
      dropped when true (false would be reported); an empty
      `accessPolicies: []` is azurerm's default with no access_policy blocks
      (the vault is created with none);
    - Microsoft.ContainerRegistry/registries: an empty `ipRules: []` is no
      ip_rule blocks (azurerm sends the empty list); `ipRules` are compared
      in the order of their values (ip_rule is a set in azurerm);
      `encryption.status` is compared case-insensitively (azurerm sends
      `Enabled`);
    - Microsoft.KeyVault/vaults/accessPolicies: the entries are a set, and
      each entry's permissions a case-insensitive set (ARM spells `get`,
      azurerm `Get`);
    - Microsoft.Authorization/roleAssignments: ARM's `name` (a guid() the
      template chooses) is not compared: scope, role definition and principal
      identify the assignment (they make its canonical ID on both sides).

    Other differences of spelling are made by the mapping table itself
    (azurerm's booleans to ARM's Enabled/Disabled, sku_name to a SKU object
    with family A, ip_range to value, and so on: see map_*)."""
    arm, tf = json.loads(json.dumps(arm)), json.loads(json.dumps(tf))
    if tf_type == "azapi_resource":
        if rtype == "Microsoft.Compute/galleries/images/versions":
            # The same region and instant in the forms Azure returns (READ_BACK):
            # Azure takes a region's display name as its name, and +00:00 is Z.
            for body in (arm, tf):
                publishing = (body.get("properties") or {}).get("publishingProfile") or {}
                for region in publishing.get("targetRegions") or []:
                    if isinstance(region.get("name"), str):
                        region["name"] = region_as_returned(region["name"])
                if isinstance(publishing.get("endOfLifeDate"), str):
                    publishing["endOfLifeDate"] = date_as_returned(publishing["endOfLifeDate"])
        return arm, tf
    for body in (arm, tf):
        if body.get("properties") == {}:
            del body["properties"]
    if rtype == "Microsoft.KeyVault/vaults":
        drop_if(arm, "properties.enableSoftDelete", True)
        drop_if(arm, "properties.accessPolicies", [])
    if rtype == "Microsoft.ContainerRegistry/registries":
        for body in (arm, tf):
            rules = ((body.get("properties") or {}).get("networkRuleSet") or {})
            if "ipRules" in rules:
                if rules["ipRules"] == []:
                    del rules["ipRules"]
                else:
                    rules["ipRules"] = sorted(rules["ipRules"], key=lambda r: json.dumps(r, sort_keys=True))
            enc = (body.get("properties") or {}).get("encryption")
            if isinstance(enc, dict) and isinstance(enc.get("status"), str):
                enc["status"] = enc["status"].lower()
    if rtype == "Microsoft.KeyVault/vaults/accessPolicies":
        for body in (arm, tf):
            entries = (body.get("properties") or {}).get("accessPolicies") or []
            for e in entries:
                perms = e.get("permissions") or {}
                for k in list(perms):
                    perms[k] = sorted({p.lower() for p in perms[k]})
                    if not perms[k]:
                        del perms[k]
            entries.sort(key=lambda e: json.dumps(e, sort_keys=True))
    return arm, tf


def diff(a, b, path=""):
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b)):
            p = f"{path}.{k}" if path else k
            if k not in a:
                out.append(f"{p}: not in template.json, main.tf has {short(b[k])}")
            elif k not in b:
                out.append(f"{p}: template.json has {short(a[k])}, not in main.tf")
            else:
                out.extend(diff(a[k], b[k], p))
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in diff(x, y, f"{path}[{i}]")]
    COUNTS["properties compared"] += 1
    if type(a) is type(b) and a == b:
        return []
    return [f"{path}: template.json {short(a)}, main.tf {short(b)}"]


def short(v):
    text = json.dumps(v, ensure_ascii=False, sort_keys=True)
    return text if len(text) < 300 else text[:300] + "…"


def compare_resources(arm_list, tf_list, tf):
    problems = []
    arm_by = {(r.type, r.id): r for r in arm_list}
    tf_by = {}
    for r in tf_list:
        if (r.type, r.id) in tf_by:
            problems.append(f"{r.type} {r.id}: declared twice in main.tf ({tf_by[(r.type, r.id)].source}, {r.source})")
        tf_by[(r.type, r.id)] = r
    for key in arm_by:
        if key not in tf_by:
            problems.append(f"{key[0]} {key[1]}: in template.json, not in main.tf")
    for key in tf_by:
        if key not in arm_by:
            problems.append(f"{key[0]} {key[1]}: in main.tf ({tf_by[key].source}), not in template.json")
    for key, a in arm_by.items():
        t = tf_by.get(key)
        if t is None:
            continue
        COUNTS["resources compared"] += 1
        where = f"{t.source} ({key[0]} {key[1]})"
        if t.api is not None and t.api != a.api:
            problems.append(f"{where}: API version {a.api} in template.json, {t.api} in main.tf")
        tf_type = tf.blocks[t.source.split(", ")[0]].labels[0]
        left, right = normalize_pair(a.body, t.body, a.type, tf_type)
        problems.extend(f"{where}: {d}" for d in diff(left, right))
        for dep in sorted(a.deps):
            COUNTS["dependencies checked"] += 1
            if dep not in t.deps:
                problems.append(f"{where}: template.json's dependsOn {dep[0]} {dep[1]}, main.tf's {t.source} "
                                f"neither refers to it nor depends_on it")
    # Data sources must look up what exists, not what the template creates.
    for address, block in tf.blocks.items():
        if block.type != "data" or block.labels[0] in ("azurerm_client_config", "azurerm_resource_group"):
            continue
        try:
            rid = canon(tf.resource_id(address, address))
        except CheckError:
            continue
        if any(rid == k[1] for k in arm_by):
            problems.append(f"{address}: looks up {rid}, which template.json creates")
    return problems


def compare_outputs(arm, tf, outputs):
    """ARM's outputs and outputs.tf's: the same names (OUTPUT_NAMES), each
    evaluating to the same canonical ID or token (reference(id).loginServer
    is login_server, reference(id).keyUri azapi's output.properties.keyUri)."""
    problems = []
    want = arm.template.get("outputs", {})
    got = {}
    for b in outputs:
        if not isinstance(b, Block) or b.type != "output" or len(b.labels) != 1:
            problems.append(f"outputs.tf line {b.line}: only output blocks belong here")
            continue
        if "value" not in b.attrs():
            problems.append(f"outputs.tf: output {b.labels[0]} has no value")
            continue
        got[b.labels[0]] = b.attrs()["value"].expr
    names = {OUTPUT_NAMES.get(k) or re.sub(r"(?<!^)([A-Z])", r"_\1", k).lower(): k for k in want}
    for name in sorted(set(names) | set(got)):
        if name not in got:
            problems.append(f"output {names[name]} in template.json, no {name} in outputs.tf")
            continue
        if name not in names:
            problems.append(f"output {name} in outputs.tf, not in template.json")
            continue
        COUNTS["outputs compared"] += 1
        a = canon(arm.value(want[names[name]]["value"]))
        try:
            t = canon(tf.ev(got[name], f"output {name}"))
        except CheckError as e:
            problems.append(str(e))
            continue
        if a != t:
            problems.append(f"output {name}: template.json {a!r}, outputs.tf {t!r}")
    return problems


# ---------------------------------------------------------------------------
# Attribute trees of the pinned providers
# ---------------------------------------------------------------------------


def load_fixture():
    if not FIXTURE.exists():
        sys.exit(f"terraform-check: {FIXTURE.relative_to(ROOT)} is missing: no attribute trees to check against")
    return json.loads(FIXTURE.read_text())


def schema_children(tree):
    return {k: v for k, v in tree.items() if not k.startswith("_")}


def validate_value(node, value, where):
    """The tree's type, `_values` and the validators this checker knows,
    for values known now (tokens are strings known at deployment only)."""
    problems = []
    ty = node.get("type")
    kinds = {"string": (str,), "bool": (bool,), "number": (int, float), "list": (list,), "set": (list,),
             "map": (dict,), "object": (dict,)}
    if ty in kinds and not (isinstance(value, kinds[ty]) and not (ty == "number" and isinstance(value, bool))):
        return [f"{where}: a {type(value).__name__}, the provider's type is {ty}"]
    if ty == "dynamic" and "HCL object only" in node.get("_note", "") and not isinstance(value, dict):
        return [f"{where}: must be an HCL object (the provider refuses a string)"]
    if ty in ("list", "set", "map") and node.get("elem") == "string":
        items = value.values() if isinstance(value, dict) else value
        if not all(isinstance(i, str) for i in items):
            problems.append(f"{where}: elements must be strings")
    known = isinstance(value, str) and "⟦" not in value
    if "_values" in node and known:
        COUNTS["values validated"] += 1
        if value not in node["_values"]:
            problems.append(f"{where}: {value!r} is not one of {node['_values']}")
    if "_pattern" in node and known:
        COUNTS["values validated"] += 1
        if not re.fullmatch(node["_pattern"], value):
            problems.append(f"{where}: {value!r} does not match the provider's {node['_pattern']}")
    check = node.get("_validate", "")
    if known or isinstance(value, int):
        m = re.fullmatch(r"validation\.IntBetween\((-?\d+), (-?\d+)\)", check)
        rules = {
            "validation.IsUUID": lambda v: re.fullmatch(r"[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}", v),
            "validation.IsRFC3339Time": lambda v: re.fullmatch(
                r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})", v),
            "validate.CIDR": lambda v: re.fullmatch(r"([0-9]{1,3}\.){3}[0-9]{1,3}(/([0-9]|[1-2][0-9]|3[0-2]))?", v),
            "validation.StringIsNotEmpty": lambda v: v != "",
        }
        if check in rules and isinstance(value, str):
            COUNTS["values validated"] += 1
            if not rules[check](value):
                problems.append(f"{where}: {value!r} fails the provider's {check}")
        elif m and isinstance(value, int) and not isinstance(value, bool):
            COUNTS["values validated"] += 1
            if not int(m.group(1)) <= value <= int(m.group(2)):
                problems.append(f"{where}: {value} fails the provider's {check}")
    return problems


def check_body(items, tree, where, evaluate, top=False):
    """A block's body against its attribute tree, recursively."""
    problems = []
    children = schema_children(tree)
    seen = {}
    for item in items:
        name = item.name if isinstance(item, Attr) else item.type
        seen[name] = seen.get(name, 0) + 1
        here = f"{where}.{name}"
        if top and isinstance(item, Attr) and name in META_ARGUMENTS:
            if name == "depends_on":
                refs = item.expr[1] if item.expr[0] == "tuple" else None
                if refs is None or any(r[0] != "ref" or address_of(r[1]) is None for r in refs):
                    problems.append(f"{here}: must be a list of resources")
            continue
        if top and isinstance(item, Block) and name == "lifecycle":
            problems.extend(check_lifecycle(item, tree, here))
            continue
        node = children.get(name)
        if node is None:
            problems.append(f"{here}: no such {'block' if isinstance(item, Block) else 'argument'} "
                            f"in the provider's attribute tree")
            continue
        COUNTS["attributes checked"] += 1
        if node.get("_deprecated"):
            problems.append(f"{here}: deprecated in the pinned provider: {node['_deprecated']}")
        syntax = node.get("_syntax", "block" if "block" in node else "attribute")
        if not node.get("required") and not node.get("optional") and node.get("computed"):
            problems.append(f"{here}: computed only, cannot be set")
        if isinstance(item, Block):
            if syntax not in ("block", "block_or_attribute"):
                problems.append(f"{here}: written as a block, the provider has an attribute")
                continue
            problems.extend(check_body(item.body, node["block"], here, evaluate))
        else:
            if syntax == "block":
                problems.append(f"{here}: written as an argument, the provider has a block")
                continue
            try:
                value = evaluate(item)
            except CheckError as e:
                problems.append(str(e))
                continue
            if "block" in node:
                # A nested attribute (`name = { ... }` or a list of them):
                # its keys are the block's children.
                values = value if isinstance(value, list) else [value]
                inner = schema_children(node["block"])
                for v in values:
                    if not isinstance(v, dict):
                        problems.append(f"{here}: elements must be objects")
                        continue
                    problems.extend(f"{here}.{k}: no such argument in the provider's attribute tree"
                                    for k in v if k not in inner)
                    problems.extend(f"{here}: required {k} is not set"
                                    for k, n in inner.items() if n.get("required") and k not in v)
            else:
                problems.extend(validate_value(node, value, here))
    for name, node in children.items():
        count = seen.get(name, 0)
        if node.get("required") and not count:
            problems.append(f"{where}: required {name} is not set")
        if "block" in node:
            if count < node.get("min_items", 0):
                problems.append(f"{where}: {name} needs at least {node['min_items']} block(s)")
            if "max_items" in node and count > node["max_items"]:
                problems.append(f"{where}: {name} takes at most {node['max_items']} block(s)")
        elif count > 1:
            problems.append(f"{where}: {name} set twice")
        group = node.get("_exactly_one_of")
        if group and name == sorted(group)[0]:
            set_ = [g for g in group if seen.get(g)]
            if len(set_) != 1:
                problems.append(f"{where}: exactly one of {', '.join(sorted(group))} must be set, found {set_}")
        group = node.get("_at_least_one_of")
        if group and name == sorted(group)[0] and not any(seen.get(g) for g in group):
            problems.append(f"{where}: at least one of {', '.join(sorted(group))} must be set")
        if count:
            for other in node.get("_conflicts_with", []):
                if seen.get(other.split(".")[-1]):
                    problems.append(f"{where}: {name} conflicts with {other}")
            for other in node.get("_required_with", []):
                if not seen.get(other.split(".")[-1]):
                    problems.append(f"{where}: {name} needs {other}")
    COUNTS["blocks checked"] += 1
    return problems


def check_lifecycle(block, tree, where):
    problems = []
    for item in block.body:
        if isinstance(item, Block) or item.name not in LIFECYCLE:
            problems.append(f"{where}.{getattr(item, 'name', getattr(item, 'type', '?'))}: not a lifecycle argument")
            continue
        if item.name == "ignore_changes":
            entries = item.expr[1] if item.expr[0] == "tuple" else None
            if entries is None:
                problems.append(f"{where}.ignore_changes: must be a list of attributes")
                continue
            for e in entries:
                names = e[1] if e[0] == "ref" else None
                children = schema_children(tree)
                if not names or names[0] not in children:
                    problems.append(f"{where}.ignore_changes: {names} is not an attribute of the resource")
                elif names[0] != "body" and len(names) > 1:
                    # A path into a nested block: each step an attribute of it.
                    node = children[names[0]]
                    for n in names[1:]:
                        node = schema_children(node.get("block", {})).get(n)
                        if node is None:
                            problems.append(f"{where}.ignore_changes: {'.'.join(names)} is not an attribute path")
                            break
                COUNTS["attributes checked"] += 1
        elif item.name == "prevent_destroy" and item.expr != ("lit", True) and item.expr != ("lit", False):
            problems.append(f"{where}.prevent_destroy: must be true or false")
    return problems


def version_tuple(text):
    parts = text.split(".")
    if not all(p.isdigit() for p in parts):
        raise CheckError(f"version {text!r} is not numeric")
    return tuple(int(p) for p in parts)


def admits(constraint, version):
    """Terraform's version constraint syntax: comma-separated `op version`
    with =, !=, >, >=, <, <= and ~> (~> 1.2 admits >= 1.2, < 2.0; ~> 1.2.3
    admits >= 1.2.3, < 1.3.0)."""
    v = version_tuple(version)
    for part in constraint.split(","):
        m = re.fullmatch(r"\s*(~>|>=|<=|!=|=|>|<)?\s*([0-9][0-9.]*)\s*", part)
        if not m:
            raise CheckError(f"version constraint {constraint!r} cannot be read")
        op, want = m.group(1) or "=", version_tuple(m.group(2))
        pad = lambda t: t + (0,) * (3 - len(t))  # noqa: E731
        if op == "~>":
            upper = want[:-1]
            upper = upper[:-1] + (upper[-1] + 1,) if upper else (want[0] + 1,)
            ok = pad(v) >= pad(want) and pad(v) < pad(upper)
        else:
            ok = {"=": pad(v) == pad(want), "!=": pad(v) != pad(want), ">": pad(v) > pad(want),
                  ">=": pad(v) >= pad(want), "<": pad(v) < pad(want), "<=": pad(v) <= pad(want)}[op]
        if not ok:
            return False
    return True


def check_schema(main, tf, fixture, spec):
    problems = []
    used_providers = set()
    provider_blocks = {}
    for b in main:
        if isinstance(b, Attr):
            problems.append(f"main.tf line {b.line}: a top-level argument {b.name}")
            continue
        if b.type in ("resource", "data"):
            ty = b.labels[0]
            provider = ty.split("_")[0]
            kind = "resources" if b.type == "resource" else "data_sources"
            where = f"{'data.' if b.type == 'data' else ''}{ty}.{b.labels[1]}"
            tree = fixture.get(provider, {}).get(kind, {}).get(ty)
            if tree is None:
                problems.append(f"{where}: {ty} is not a {kind[:-1].replace('_', ' ')} of the pinned providers")
                continue
            used_providers.add(provider)
            address = where

            def evaluate(item, address=address):
                return tf.ev(item.expr, f"{address}.{item.name}")

            problems.extend(check_body(b.body, tree, where, evaluate, top=True))
            if ty == "azapi_resource":
                attrs = b.attrs()
                # Required unless the provider sets default_name; parent_id
                # unless the type is a resource group (the tree's notes).
                for name in ("name", "parent_id"):
                    if name not in attrs:
                        problems.append(f"{where}: {name} is not set")
        elif b.type == "provider":
            name = b.labels[0] if b.labels else "?"
            if name not in fixture or name.startswith("_"):
                problems.append(f"provider {name}: not a pinned provider")
                continue
            provider_blocks[name] = b
            evaluate = lambda item: tf.ev(item.expr, f"provider {name}.{item.name}")  # noqa: E731
            items = [i for i in b.body if not (isinstance(i, Attr) and i.name == "alias")]
            problems.extend(check_body(items, fixture[name]["provider"], f"provider {name}", evaluate))
        elif b.type == "terraform":
            problems.extend(check_terraform_block(b, fixture))
        else:
            problems.append(f"main.tf line {b.line}: unexpected top-level block {b.type}")
    required = required_providers(main)
    if set(required) != used_providers:
        problems.append(f"required_providers {sorted(required)}, resources of {sorted(used_providers)}")
    if "azurerm" in used_providers and "azurerm" not in provider_blocks:
        problems.append("no provider \"azurerm\" block (its features {} block is required)")
    # The subscription and cloud the ARM deployment goes to (the spec's).
    want_sub = spec.get("subscriptionId") or None
    want_env = ENVIRONMENTS[spec.get("cloud") or "AzureCloud"]
    for name, block in provider_blocks.items():
        attrs = block.attrs()
        try:
            sub = tf.ev(attrs["subscription_id"].expr, name) if "subscription_id" in attrs else None
            env = tf.ev(attrs["environment"].expr, name) if "environment" in attrs else "public"
        except CheckError as e:
            problems.append(str(e))
            continue
        if sub != want_sub:
            problems.append(f"provider {name}: subscription_id {sub!r}, the spec deploys to {want_sub!r}")
        if env != want_env:
            problems.append(f"provider {name}: environment {env!r}, the spec's cloud is {want_env!r}")
    for name in (used_providers & AZURE_PROVIDERS) - set(provider_blocks):
        if want_sub or want_env != "public":
            problems.append(f"no provider \"{name}\" block: it would not deploy to the spec's subscription and cloud")
    return problems


def required_providers(main):
    out = {}
    for b in main:
        if isinstance(b, Block) and b.type == "terraform":
            for rp in b.blocks("required_providers"):
                for a in rp.body:
                    if isinstance(a, Attr):
                        out[a.name] = a
    return out


def check_terraform_block(block, fixture):
    problems = []
    for item in block.body:
        if isinstance(item, Attr):
            if item.name != "required_version":
                problems.append(f"terraform.{item.name}: not expected")
            continue
        if item.type != "required_providers":
            problems.append(f"terraform.{item.type}: not expected")
            continue
        for a in item.body:
            if not isinstance(a, Attr) or a.expr[0] != "object":
                problems.append(f"required_providers: {getattr(a, 'name', '?')} must be an object")
                continue
            fields = {k[1]: literal_string(v, f"required_providers.{a.name}") for k, v in a.expr[1]}
            COUNTS["attributes checked"] += 1
            if a.name not in SOURCES:
                problems.append(f"required_providers: {a.name} is not a pinned provider")
                continue
            if fields.get("source") != SOURCES[a.name]:
                problems.append(f"required_providers.{a.name}: source {fields.get('source')!r}, "
                                f"the fixture's is {SOURCES[a.name]!r}")
            version = fixture[a.name]["version"]
            try:
                if not admits(fields.get("version", ""), version):
                    problems.append(f"required_providers.{a.name}: version {fields.get('version')!r} does not "
                                    f"admit {version}, the version the fixture was read from")
            except CheckError as e:
                problems.append(f"required_providers.{a.name}: {e}")
    return problems


# ---------------------------------------------------------------------------
# Variables
# ---------------------------------------------------------------------------


def check_variables(main, variables, outputs, tf):
    problems = []
    declared = {}
    for b in variables:
        if not isinstance(b, Block) or b.type != "variable" or len(b.labels) != 1:
            problems.append(f"variables.tf line {b.line}: only variable blocks belong here")
            continue
        if b.labels[0] in declared:
            problems.append(f"variables.tf: variable {b.labels[0]} declared twice")
        declared[b.labels[0]] = b
    used = set()
    for names in body_refs(main) + body_refs(outputs):
        if names[0] == "var":
            used.add(names[1])
    for name in sorted(used - set(declared)):
        problems.append(f"var.{name}: read by main.tf/outputs.tf, not declared in variables.tf")
    for name in sorted(set(declared) - used):
        problems.append(f"variable {name}: declared, never read by main.tf or outputs.tf")
    for name in sorted(used - set(tf.tfvars)):
        problems.append(f"var.{name}: not set in terraform.tfvars")
    for name in sorted(set(tf.tfvars) - set(declared)):
        problems.append(f"terraform.tfvars: {name} is not a declared variable")
    types = {"string": str, "map(string)": dict, "list(string)": list}
    for name, b in declared.items():
        COUNTS["variables checked"] += 1
        attrs = b.attrs()
        if "type" not in attrs:
            problems.append(f"variable {name}: no type")
            continue
        ty = attrs["type"].expr
        text = ty[1][0] if ty[0] == "ref" and len(ty[1]) == 1 else (
            f"{ty[1]}({ty[2][0][1][0]})" if ty[0] == "call" and len(ty[2]) == 1 and ty[2][0][0] == "ref" else None)
        if text not in types:
            problems.append(f"variable {name}: type {text} not known to this checker")
            continue
        if name in tf.tfvars:
            value = tf.tfvars[name]
            if not isinstance(value, types[text]) or (text != "string" and not all(
                    isinstance(v, str) for v in (value.values() if isinstance(value, dict) else value))):
                problems.append(f"terraform.tfvars {name}: {value!r} is not a {text}")
            for v in b.blocks("validation"):
                cond = v.attrs().get("condition")
                if cond is None:
                    problems.append(f"variable {name}: validation without condition")
                    continue
                try:
                    ok = tf.ev(cond.expr, f"variable {name} validation")
                except CheckError as e:
                    problems.append(str(e))
                    continue
                if ok is not True:
                    problems.append(f"terraform.tfvars {name}: {value!r} fails its validation in variables.tf")
    return problems


# ---------------------------------------------------------------------------
# One example
# ---------------------------------------------------------------------------


def emit(binary, fmt, spec):
    out = subprocess.run([binary, "emit", "--format", fmt, "-"], input=spec, capture_output=True)
    return out.returncode, out.stdout.decode(), out.stderr.decode()


def emit_all(binary, spec):
    """The four Terraform files and the template, as the binary writes them
    (None for a file it declines as not needed)."""
    files, errors = {}, []
    for name, fmt in FILES.items():
        rc, out, err = emit(binary, fmt, spec)
        if rc == 0:
            files[name] = out
        elif name != "main.tf" and NOT_NEEDED in err:
            files[name] = None
        else:
            errors.append(f"{name}: emit --format {fmt} exited {rc}: {err.strip()[:200]}")
    arm = {}
    for fmt in ("arm", "arm-parameters"):
        rc, out, err = emit(binary, fmt, spec)
        if rc != 0:
            errors.append(f"emit --format {fmt} exited {rc}: {err.strip()[:200]}")
        else:
            arm[fmt] = json.loads(out)
    return files, arm, errors


def check_example(spec_text, files, arm_docs, fixture):
    """All checks of one example's files. Returns {check: [problems]}."""
    result = {"parse": [], "attributes": [], "variables": [], "deployment": [], "outputs": [], "read-back": [], "replacement": []}
    spec = json.loads(spec_text)
    parsed = {}
    for name, text in files.items():
        if text is None:
            continue
        try:
            parsed[name] = parse_hcl(text, name)
        except CheckError as e:
            result["parse"].append(str(e))
    if result["parse"]:
        return result
    template = arm_docs["arm"]
    declined = [n for n, t in files.items() if t is None]
    main = parsed.get("main.tf", [])
    if not template.get("resources") and not template.get("outputs"):
        # A day-2 change: the template deploys nothing; main.tf is only a
        # comment saying why, and each other file is declined by `emit`
        # ("needs no such file") or only a comment too.
        if not files["main.tf"].strip():
            result["deployment"].append("main.tf is empty: it should say why there is no deployment")
        for name, items in parsed.items():
            if items:
                result["deployment"].append(f"{name} declares {len(items)} blocks or arguments, "
                                            "template.json deploys nothing")
        return result
    if declined:
        result["deployment"].append(f"{', '.join(declined)} declined by emit, template.json deploys resources")
        return result
    if not template.get("resources"):
        result["deployment"].append("template.json deploys nothing, main.tf declares blocks")
    try:
        tf = Terraform(main, parsed["terraform.tfvars"], parsed["outputs.tf"])
    except CheckError as e:
        result["deployment"].append(str(e))
        return result
    result["attributes"] = check_schema(main, tf, fixture, spec)
    result["variables"] = check_variables(main, parsed["variables.tf"], parsed["outputs.tf"], tf)
    try:
        group = spec["resourceGroup"]["name"]
        arm = Arm(template, arm_docs["arm-parameters"], group)
        arm_list = arm_resources(arm)
        tf_list = terraform_resources(tf)
        result["deployment"] = (compare_resources(arm_list, tf_list, tf) + check_group(tf, spec)
                                + check_registration(main, tf, arm_list) + check_first_apply(tf))
        result["outputs"] = compare_outputs(arm, tf, parsed["outputs.tf"])
        result["read-back"] = check_read_back(tf)
        result["replacement"] = check_replacement(tf, fixture)
    except CheckError as e:
        result["deployment"].append(str(e))
    return result


# What azurerm reads back for an attribute, where it differs from what Azure
# was sent, and no DiffSuppressFunc hides it: a configured value not already
# in its read-back form shows a change on every plan after the first apply.
# (resource type, block path, attribute) -> (read-back function, source).
# For azapi, the resource type is "azapi_resource TYPE" and the path runs
# through the body's objects and lists: azapi keeps the response's value
# wherever its text differs from the body's (v2.12.0 utils/json.go:206-216,
# applied to the body in Read at internal/services/azapi_resource.go:1249);
# only the top-level location is compared normalised (:1179).
def region_display_names():
    """CLI region name -> display name, read from the product's own catalog
    (`region.<name>` in src/i18n/en.rs), not a second table."""
    text = (ROOT / "src" / "i18n" / "en.rs").read_text()
    return dict(re.findall(r'\("region\.([a-z0-9]+)", "([^"]+)"\)', text))


REGION_DISPLAY = region_display_names()
AZAPI_IMAGE_VERSION = "azapi_resource Microsoft.Compute/galleries/images/versions"
AZAPI_SOURCE = "azapi v2.12.0 utils/json.go:206-216 (a string is the response's unless ignore_casing and equal but for case)"


def region_as_returned(value):
    return REGION_DISPLAY.get(value.replace(" ", "").lower(), value)


def date_as_returned(value):
    return value[:-1] + "+00:00" if value.endswith("Z") else value


READ_BACK = {
    ("azurerm_container_registry", ("network_rule_set", "ip_rule"), "ip_range"): (
        lambda v: v if "/" in v else v + "/32",
        "azurerm v5.2.0 internal/services/containers/container_registry_resource.go:1053-1056 "
        "(flattenNetworkRuleSet appends /32; ip_range :192-196 has no DiffSuppressFunc)"),
    # Azure returns target regions by display name (the REST specification's
    # GalleryImageVersion_Get examples: "name": "West US").
    (AZAPI_IMAGE_VERSION, ("body", "properties", "publishingProfile", "targetRegions"), "name"): (
        region_as_returned, AZAPI_SOURCE + "; Azure returns display names"),
    (AZAPI_IMAGE_VERSION, ("body", "properties", "publishingProfile"), "endOfLifeDate"): (
        date_as_returned, AZAPI_SOURCE + "; Azure returns the date with +00:00"),
}


def check_read_back(tf):
    """The second plan: every value azurerm reads back differently is
    configured in its read-back form (READ_BACK)."""
    problems = []
    for address, block in tf.blocks.items():
        if block.type != "resource":
            continue
        args = None
        for (rtype, path, name), (read_back, source) in READ_BACK.items():
            kind, _, azapi = rtype.partition(" ")
            if block.labels[0] != kind:
                continue
            args = tf.args(address) if args is None else args
            if azapi and azapi_type(args.get("type"), address)[0] != azapi:
                continue
            bodies = [args]
            for step in path:
                values = [body.get(step) for body in bodies if isinstance(body, dict)]
                bodies = [b for v in values for b in (v if isinstance(v, list) else [v] if v is not None else [])]
            for body in bodies:
                value = body.get(name)
                if isinstance(value, str) and read_back(value) != value:
                    problems.append(f"{address} {'.'.join(path)}.{name} = {value!r} reads back as "
                                    f"{read_back(value)!r}: every later plan shows a change ({source})")
    return problems


# Replacing these deletes what they hold (a registry's images; with a
# customer-managed key they cannot come back): they are declared with
# prevent_destroy, and no argument that forces replacement is set on them
# but the ones that name them (a change of those is a new resource anyway).
# Which arguments force replacement: `_force_new` in providers.json.
GUARDED = {"azurerm_container_registry": {"name", "resource_group_name", "location"}}


def check_replacement(tf, fixture):
    problems = []
    for address, block in tf.blocks.items():
        rtype = block.labels[0]
        registry = rtype in GUARDED or (rtype == "azapi_resource" and block.labels[1] == "registry")
        if block.type != "resource" or not registry:
            continue
        lifecycle = [b for b in block.blocks("lifecycle")]
        guard = lifecycle and lifecycle[0].attrs().get("prevent_destroy")
        if not guard or guard.expr != ("lit", True):
            problems.append(f"{address}: no lifecycle prevent_destroy = true (a replacement deletes its content)")
        tree = fixture["azurerm"]["resources"].get(rtype, {})
        for name in block.attrs():
            if tree.get(name, {}).get("_force_new") and name not in GUARDED.get(rtype, set()):
                problems.append(f"{address}.{name}: forces replacement ({tree['_file']}:{tree[name].get('_line')}), "
                                "and a wizard choice drives it")
    return problems


# Registered in every subscription (Learn: "Azure resource providers and
# types": these are registered by default).
ALWAYS_REGISTERED = {"Microsoft.Resources", "Microsoft.Authorization"}


def check_registration(main, tf, arm_list):
    """azurerm 5 registers no resource provider unless told
    (resource_provider_registrations defaults to none: azurerm v5.2.0
    internal/provider/provider.go:345-357): the provider block registers the
    namespace of every resource template.json deploys, as ARM does."""
    need = {r.type.split("/")[0] for r in arm_list} - ALWAYS_REGISTERED
    blocks = [b for b in main if isinstance(b, Block) and b.type == "provider" and b.labels == ["azurerm"]]
    have = set()
    for b in blocks:
        registrations = b.attrs().get("resource_provider_registrations")
        if registrations is not None and tf.ev(registrations.expr, "provider azurerm") != "none":
            return []  # a named set: not what the emitter writes, checked by the schema
        listed = b.attrs().get("resource_providers_to_register")
        if listed is not None:
            have |= set(tf.ev(listed.expr, "provider azurerm resource_providers_to_register"))
    return [f"provider azurerm: {ns} is not in resource_providers_to_register: a subscription that never "
            "used it fails to apply" for ns in sorted(need - have)]


# How long an Azure RBAC grant can take to reach Key Vault (plan.rs
# RBAC_PROPAGATION_MINUTES; the scripts retry 20 times 30 s apart).
RBAC_PROPAGATION_SECONDS = 600


def duration_seconds(text):
    m = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)", text or "")
    if not m:
        raise CheckError(f"time_sleep duration {text!r} cannot be read")
    return float(m.group(1)) * {"ms": 0.001, "s": 1, "m": 60, "h": 3600}[m.group(2)]


def check_first_apply(tf):
    """A registry created after an Azure RBAC key grant of the same apply
    waits for it: through a time_sleep that depends on the grant and lasts
    as long as the grant can take to reach Key Vault."""
    problems = []

    def closure(address, seen=None):
        seen = set() if seen is None else seen
        for dep in tf.dependencies(address):
            if dep not in seen:
                seen.add(dep)
                closure(dep, seen)
        return seen

    for address, block in tf.blocks.items():
        registry = block.labels[0] in ("azurerm_container_registry", "azapi_resource") and block.labels[1] == "registry"
        if block.type != "resource" or not registry:
            continue
        before = closure(address)
        grants = {a for a in before if a.startswith("azurerm_role_assignment.")}
        if not grants:
            continue
        sleeps = [a for a in before if a.startswith("time_sleep.") and grants <= closure(a)
                  and duration_seconds(tf.args(a).get("create_duration")) >= RBAC_PROPAGATION_SECONDS]
        if not sleeps:
            problems.append(f"{address}: created right after {', '.join(sorted(grants))} with no time_sleep of "
                            f"{RBAC_PROPAGATION_SECONDS // 60} minutes between: the first apply can fail on the key")
    return problems


def check_group(tf, spec):
    """The resource group: created by main.tf when the spec creates it (the
    ARM deployment command does, with `az group create`), looked up when it
    exists; either way the spec's group."""
    problems = []
    groups = [(a, b) for a, b in tf.blocks.items() if b.labels[0] == "azurerm_resource_group"]
    want = spec["resourceGroup"]["name"]
    creates = bool(spec["resourceGroup"].get("create"))
    for address, block in groups:
        try:
            name = tf.arg(address, "name", address)
        except CheckError as e:
            problems.append(str(e))
            continue
        if name != want:
            problems.append(f"{address}: name {name!r}, the spec's group is {want!r}")
        if (block.type == "resource") != creates:
            problems.append(f"{address}: {'created' if block.type == 'resource' else 'looked up'}, "
                            f"the spec's group has create={creates}")
    return problems


# ---------------------------------------------------------------------------
# Hostile values
# ---------------------------------------------------------------------------

# Every kind of character HCL quoting must get right. A line break is not
# here: the spec refuses control characters in every free-text field (tag
# values: NAME-TAG-VALUE; names, IDs and key URIs have stricter rules), so no
# emitted file can hold one; `unescape` reads \n as HCL does, and the
# self-test of the reader proves it. Nor is a `${` without its `}`: the
# emitter writes it `$${` as HCL wants, but python-hcl2 8.1.4's lexer takes
# `$${` only with a closing brace (ESCAPED_INTERPOLATION is /\$\$\{[^}]*\}/)
# and fails on it, a limitation of the parser, not of the file.
HOSTILE = "it's \\ ${x} %{y} $(z) `w` \"q\" — 엣지 팀 $${v} %%{u} \\n $"


def read_dict_string(text):
    """A string as python-hcl2's dict API returns it: with its quotes, its
    escapes as written and `$${`/`%%{` still doubled. Undone here: quotes
    off, then one pass of HCL's escapes with the doubled introducers."""
    if not (len(text) >= 2 and text[0] == '"' and text[-1] == '"'):
        raise CheckError(f"{text!r} is not a quoted string")
    body = re.sub(r"([$%])\1\{", r"\1{", text[1:-1])
    return unescape(body)


def hostile_value_read(tfvars_text):
    """The tags value read from terraform.tfvars both ways: the Lark tree
    (as the rest of this script reads) and python-hcl2's dict API."""
    items = parse_hcl(tfvars_text, "terraform.tfvars")
    tags = {i.name: i for i in items if isinstance(i, Attr)}["tags"].expr
    from_tree = {}
    for k, v in tags[1]:
        from_tree[literal_string(k, "tag name") if k[0] == "tmpl" else k[1]] = literal_string(v, "tag value")
    from_dict = {read_dict_string(k): read_dict_string(v) for k, v in hcl2.loads(tfvars_text)["tags"].items()}
    return from_tree, from_dict


def hostile_value_survives(binary, fixture):
    spec = json.loads((EXAMPLES / "ip-rules-selected-networks.json").read_text())
    spec["tags"] = {"owner": HOSTILE, "cost-center": "platform"}
    spec_text = json.dumps(spec, ensure_ascii=False).encode()
    files, arm, errors = emit_all(binary, spec_text)
    if errors:
        return [f"hostile spec: {e}" for e in errors]
    problems = []
    try:
        from_tree, from_dict = hostile_value_read(files["terraform.tfvars"])
    except CheckError as e:
        return [f"hostile spec: {e}"]
    for how, tags in (("the Lark tree", from_tree), ("python-hcl2's dict", from_dict)):
        if tags.get("owner") != HOSTILE:
            problems.append(f"hostile tag value read back through {how} as {tags.get('owner')!r}, not {HOSTILE!r}")
    # And the whole deployment stays the template's with that value in it.
    result = check_example(spec_text, files, arm, fixture)
    problems.extend(f"hostile spec {k}: {p}" for k, ps in result.items() for p in ps)
    return problems


# ---------------------------------------------------------------------------
# Self-tests: each check fails on a known-bad or tampered input
# ---------------------------------------------------------------------------


def self_tests(binary, fixture):
    failures = []
    cache = {}

    def example(name):
        if name not in cache:
            spec = (EXAMPLES / f"{name}.json").read_bytes()
            files, arm, errors = emit_all(binary, spec)
            if errors:
                sys.exit(f"terraform-check: self-test example {name}: {errors[0]}")
            cache[name] = (spec, files, arm)
        return cache[name]

    def expect(label, name, check, tamper, file="main.tf", arm_tamper=None):
        spec, files, arm = example(name)
        files = dict(files)
        before = files[file]
        files[file] = tamper(before)
        if files[file] == before:
            failures.append(f"{label}: the tampering changed nothing in {name}'s {file} (the emitter changed?)")
            return
        arm = json.loads(json.dumps(arm))
        result = check_example(spec, files, arm, fixture)
        if not result[check]:
            failures.append(f"{label}: {name}'s tampered {file} passed the {check} check: it cannot fail")

    def sub(old, new, count=1):
        def apply(text):
            return text.replace(old, new, count)
        return apply

    def drop_block(head):
        def apply(text):
            start = text.index(head)
            end = text.index("\n}\n", start) + 3
            return text[:start] + text[end:]
        return apply

    # 1. parsing
    try:
        parse_hcl(KNOWN_BAD, "known-bad")
        failures.append("parse: the known-bad file parsed: the parse check cannot fail")
    except CheckError:
        pass
    expect("parse", "cmk-user-assigned", "parse", sub('sku                           = "Premium"', 'sku = "Premium'))
    # 2. attributes against the provider trees
    expect("unknown argument", "cmk-user-assigned", "attributes",
           sub('  sku                           = "Premium"\n', '  sku = "Premium"\n  bogus_argument = true\n'))
    expect("unknown nested argument", "cmk-user-assigned", "attributes",
           sub('    default_action = "Allow"\n  }\n\n  identity', '    default_action = "Allow"\n    virtual_network {}\n  }\n\n  identity'))
    expect("unknown resource type", "cmk-user-assigned", "attributes",
           sub('resource "azurerm_user_assigned_identity" "registry"', 'resource "azurerm_user_assigned_identities" "registry"'))
    expect("argument as a block", "cmk-user-assigned", "attributes", sub("  features {}", "  features = {}"))
    expect("missing required argument", "cmk-user-assigned", "attributes",
           sub('  rbac_authorization_enabled = true\n', ''))
    expect("value outside the provider's values", "trusted-services-disabled", "attributes",
           sub('network_rule_bypass_option    = "None"', 'network_rule_bypass_option    = "Nothing"'))
    expect("unknown provider argument", "cmk-user-assigned", "attributes",
           sub('provider "azapi" {}', 'provider "azapi" {\n  no_such_setting = true\n}'))
    expect("the system identity's grant to another principal", "cmk-system-assigned-kv-firewall", "deployment",
           sub("principal_id         = azurerm_container_registry.registry.identity[0].principal_id",
               "principal_id         = azurerm_user_assigned_identity.registry.principal_id"))
    expect("a principal_id of a registry without a system identity", "cmk-system-assigned-kv-firewall", "attributes",
           sub('type         = "SystemAssigned, UserAssigned"', 'type         = "UserAssigned"'))
    expect("ignore_changes of no attribute", "cmk-system-assigned-kv-firewall", "attributes",
           sub("= [encryption]", "= [encryption_settings]"))
    expect("provider version", "cmk-user-assigned", "attributes", sub('"~> 5.2"', '"~> 5.3"'))
    expect("provider source", "cmk-user-assigned", "attributes", sub('"hashicorp/azurerm"', '"hashicorp/azure"'))
    expect("subscription", "service-endpoint", "attributes",
           sub('subscription_id = "11111111-2222-3333-4444-555555555555"', 'subscription_id = "11111111-2222-3333-4444-555555555556"'),
           file="terraform.tfvars")
    # 3. variables
    expect("unused variable", "cmk-user-assigned", "variables",
           lambda t: t + '\nvariable "unused" {\n  type = string\n}\n', file="variables.tf")
    expect("unset variable", "cmk-user-assigned", "variables",
           sub('key_name       = "registry-cmk"\n', ''), file="terraform.tfvars")
    expect("value failing its validation", "cmk-user-assigned", "variables",
           sub('registry_name  = "contosocmkregistry"', 'registry_name  = "acr"'), file="terraform.tfvars")
    # 4. the same deployment
    expect("tampered SKU", "cmk-user-assigned", "deployment",
           sub('sku                           = "Premium"', 'sku                           = "Standard"'))
    expect("tampered key URI reference", "cmk-user-assigned", "deployment",
           sub("key_vault_key_id   = azapi_resource.key.output.properties.keyUri",
               "key_vault_key_id   = azapi_resource.key.output.properties.keyUriWithVersion"))
    expect("tampered region", "ip-rules-selected-networks", "deployment",
           sub('  location                              = var.location',
               '  location                              = "westus"'))
    expect("tampered value in terraform.tfvars", "cmk-template", "deployment",
           sub("/keys/mykey/", "/keys/otherkey/"), file="terraform.tfvars")
    expect("tampered key permissions", "cmk-template", "deployment", sub('"UnwrapKey", ', ''))
    expect("tampered azapi body", "gallery-snapshots", "deployment", sub("regionalReplicaCount = 1", "regionalReplicaCount = 3"))
    expect("tampered azapi API version", "gallery-snapshots", "deployment", sub("@2025-12-03", "@2024-03-03"))
    expect("tampered image region", "gallery-double-encryption", "deployment",
           sub("regional_replica_count = 1", "regional_replica_count = 2"))
    expect("missing resource", "cmk-user-assigned", "deployment",
           lambda t: drop_block('# Wait ')(drop_block('# Grant the identity')(t)).replace(
               "  depends_on = [time_sleep.key_access]\n", ""))
    expect("extra resource", "trusted-services-disabled", "deployment",
           lambda t: t + '\nresource "azurerm_user_assigned_identity" "extra" {\n  name                = "id-extra"\n'
                         '  resource_group_name = azurerm_resource_group.main.name\n  location            = var.location\n}\n')
    expect("missing dependency", "cmk-user-assigned", "deployment",
           sub("  depends_on = [time_sleep.key_access]\n", ""))
    expect("existing looked up for a created one", "cmk-user-assigned", "deployment",
           lambda t: t + '\ndata "azurerm_key_vault" "again" {\n  name                = var.key_vault_name\n'
                         '  resource_group_name = azurerm_resource_group.main.name\n}\n')
    expect("resource group", "trusted-services-disabled", "deployment",
           sub('resource_group = "rg-registry-private"', 'resource_group = "rg-other"'), file="terraform.tfvars")
    expect("day-2 main.tf with a resource", "rotate-key-new-version", "deployment",
           lambda t: t + '\nresource "azurerm_resource_group" "main" {\n  name     = "x"\n  location = "y"\n}\n')
    expect("value not in the CIDR form its validation asks", "ip-rules-selected-networks", "variables",
           sub('"203.0.113.7/32"', '"203.0.113.7"'), file="terraform.tfvars")
    # 5. outputs
    expect("tampered output", "cmk-user-assigned", "outputs",
           sub("value = azapi_resource.key.output.properties.keyUri", "value = azurerm_key_vault.cmk.id"),
           file="outputs.tf")
    expect("missing output", "ip-rules-selected-networks", "outputs",
           drop_block('output "login_server"'), file="outputs.tf")
    # 6. the second plan: a bare address reads back with /32
    expect("value not in its read-back form", "ip-rules-selected-networks", "read-back",
           sub('"203.0.113.7/32"', '"203.0.113.7"'), file="terraform.tfvars")
    # azapi: a target region by its CLI name, an end-of-life date with Z (the
    # output before they were written as Azure returns them)
    expect("azapi target region not as Azure returns it", "gallery-cmk-two-regions", "read-back",
           sub('"East US 2"', '"eastus2"'), file="terraform.tfvars")
    expect("azapi end-of-life date not as Azure returns it", "gallery-snapshots", "read-back",
           sub("T12:59:59+00:00", "T12:59:59Z"))
    expect("azapi target region of another region", "gallery-cmk-two-regions", "deployment",
           sub('"East US 2"', '"East US"'), file="terraform.tfvars")
    if region_as_returned("westus") != "West US" or len(REGION_DISPLAY) < 40:
        failures.append(f"read-back: the region table from src/i18n/en.rs was not read ({len(REGION_DISPLAY)} names)")
    expect("resource provider not registered", "cmk-user-assigned", "deployment",
           sub('"Microsoft.KeyVault", ', ''))
    expect("registry not waiting for its grant", "cmk-user-assigned", "deployment",
           sub("depends_on = [time_sleep.key_access]", "depends_on = [azurerm_role_assignment.key_access]"))
    expect("a wait shorter than the grant's delay", "cmk-user-assigned", "deployment", sub('"10m"', '"2m"'))
    expect("a wait the provider refuses", "cmk-user-assigned", "attributes", sub('"10m"', '"10 minutes"'))
    # 7. no replacement of the registry
    expect("registry without prevent_destroy", "ip-rules-selected-networks", "replacement",
           sub("\n  lifecycle {\n    prevent_destroy = true\n  }\n", ""))
    expect("registry argument that forces replacement", "ip-rules-selected-networks", "replacement",
           sub("\n  admin_enabled", "\n  zone_redundancy_enabled = true\n  admin_enabled"))
    # 8. the hostile value's reader: an unescaped `${x}` is an interpolation,
    # a mangled escape another text, and \n a line break.
    good = 'tags = {\n  "owner" = "a $${x} %%{y} \\\\ \\" \\n b"\n}\n'
    if hostile_value_read(good) != ({"owner": 'a ${x} %{y} \\ " \n b'},) * 2:
        failures.append(f"hostile reader: {good!r} did not read back as HCL reads it")
    for bad in ('tags = {\n  "owner" = "a ${x}"\n}\n', 'tags = {\n  "owner" = "a \\q"\n}\n'):
        try:
            hostile_value_read(bad)
            failures.append(f"hostile reader: {bad!r} was read as a plain string")
        except CheckError:
            pass
    return failures, len(cache)


# ---------------------------------------------------------------------------


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip().splitlines()[-1])
    binary = sys.argv[1]
    fixture = load_fixture()
    failures, _ = self_tests(binary, fixture)
    if failures:
        for f in failures:
            print(f"terraform-check: self-test: {f}")
        sys.exit("terraform-check: a check could not fail: its results would mean nothing")
    for k in COUNTS:
        COUNTS[k] = 0
    hostile = hostile_value_survives(binary, fixture)
    for k in COUNTS:
        COUNTS[k] = 0
    passed = failed = 0
    if hostile:
        failed += 1
        print("FAIL hostile value: " + "; ".join(hostile[:5]))
    else:
        passed += 1
    listed = {line.split()[0] for line in subprocess.check_output([binary, "example", "--list"], text=True).splitlines()}
    examples = sorted(EXAMPLES.glob("*.json"))
    if {p.stem for p in examples} != listed:
        print(f"FAIL examples/: {sorted({p.stem for p in examples} ^ listed)} not both in examples/ and example --list")
        failed += 1
    day2 = 0
    variants = sorted(VARIANTS.glob("*.json"))
    for path in examples + variants:
        spec = path.read_bytes()
        files, arm, errors = emit_all(binary, spec)
        if errors:
            print(f"FAIL {path.stem}: " + "; ".join(errors))
            failed += 1
            continue
        result = check_example(spec, files, arm, fixture)
        day2 += not arm["arm"].get("resources")
        bad = [f"{k}: {p}" for k, ps in result.items() for p in ps]
        if bad:
            print(f"FAIL {path.stem}:\n  " + "\n  ".join(bad[:20]))
            failed += 1
        else:
            passed += 1
    print("terraform-check: " + ", ".join(f"{v} {k}" for k, v in COUNTS.items())
          + f"; {len(examples)} examples ({day2} day-2 changes with nothing to deploy), {len(variants)} variants")
    print(f"terraform-check: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
