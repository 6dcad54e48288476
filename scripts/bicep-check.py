#!/usr/bin/env python3
"""Parses every example's Bicep (main.bicep, main.bicepparam and each module
file main.bicep uses) with tree-sitter-bicep, a real Bicep grammar: no ERROR
or MISSING node may be in the tree. Then main.bicep and its modules must
declare what template.json does (see same_deployment). A known-bad file and
tampered files prove that each check can fail. No Bicep compiler can be
installed here: Bicep's own type checks are not run, except that a file's
symbols must be unique (duplicate_names).

usage: bicep-check.py REGISTRY_WIZARD_BIN
"""
import json
import re
import subprocess
import sys
from collections import namedtuple

import tree_sitter
from pathlib import Path
import tree_sitter_bicep

ROOT = Path(__file__).resolve().parent.parent
PARSER = tree_sitter.Parser(tree_sitter.Language(tree_sitter_bicep.language()))
KNOWN_BAD = b"resource registry 'Microsoft.ContainerRegistry/registries@2025-11-01' = {\n  name: 'x'\n"
# The module files main.bicep may use: `emit --format bicep-module-NAME` prints modules/NAME.bicep.
MODULES = ("identity", "key-vault", "key-access", "key")
# A module's parameter for the group that deploys it (see compare_module).
DEPLOYMENT_GROUP = "deploymentResourceGroup"


def as_var_syntax(bicepparam: bytes) -> bytes:
    """The grammar (tree-sitter-bicep 1.1.0) has no .bicepparam assignments;
    `param NAME = EXPR` has the syntax of `var NAME = EXPR`, which it parses,
    values and all."""
    return b"\n".join(b"var " + l[6:] if l.startswith(b"param ") else l for l in bicepparam.split(b"\n"))


def problems(source: bytes):
    found, stack = [], [PARSER.parse(source).root_node]
    while stack:
        node = stack.pop()
        if node.type == "ERROR" or node.is_missing:
            found.append(f"line {node.start_point[0] + 1}: {'missing ' if node.is_missing else ''}{node.type}")
        stack.extend(node.children)
    return found


HOSTILE = "it's \\ ${x} $(y) `z` \"q\" — 엣지 팀 {0}"


def unescape(literal: str) -> str:
    out, i = [], 1
    while i < len(literal) - 1:
        c = literal[i]
        if c == "\\":
            n = literal[i + 1]
            if n == "u":
                end = literal.index("}", i)
                out.append(chr(int(literal[i + 3:end], 16)))
                i = end + 1
                continue
            out.append({"n": "\n", "r": "\r", "t": "\t"}.get(n, n))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def emit(binary, fmt, spec):
    return subprocess.run([binary, "emit", "--format", fmt, "-"], input=spec, capture_output=True)


def bicep_files(binary, spec):
    """main.bicep and the module files the emitter prints for a spec, by their
    path from main.bicep, and what went wrong emitting them. A module the
    deployment does not use is printed empty, or refused with "needs no such
    script"; any other refusal is a failure."""
    main = emit(binary, "bicep", spec)
    if main.returncode != 0:
        return {}, [f"main.bicep: emit exited {main.returncode}: {main.stderr.decode()[:200]}"]
    files, errors = {"main.bicep": main.stdout}, []
    for module in MODULES:
        out = emit(binary, f"bicep-module-{module}", spec)
        if out.returncode == 0 and out.stdout.strip():
            files[f"modules/{module}.bicep"] = out.stdout
        elif out.returncode != 0 and b"needs no such file" not in out.stderr:
            errors.append(f"modules/{module}.bicep: emit exited {out.returncode}: {out.stderr.decode()[:200]}")
    return files, errors


def hostile_value_survives(binary):
    """A tag value with quotes, a backslash, `${`, `$(...)`, backticks and
    Unicode is one Bicep string literal that reads back as itself."""
    spec = json.loads(subprocess.check_output([binary, "example", "ip-rules-selected-networks"]))
    spec["tags"] = {"owner": HOSTILE}
    out = subprocess.run([binary, "emit", "--format", "bicepparam", "-"], input=json.dumps(spec).encode(),
                         capture_output=True, check=True).stdout
    source = as_var_syntax(out)
    if problems(source):
        return False
    stack, strings = [PARSER.parse(source).root_node], []
    while stack:
        node = stack.pop()
        if node.type == "string":
            strings.append(unescape(node.text.decode()))
        stack.extend(node.children)
    return HOSTILE in strings


# Expressions, from either side, as trees of tuples: ("str", text), ("num", digits), ("id", name),
# ("call", name, args), ("member", of, name), ("index", of, expr), ("interp", parts) for a Bicep
# string with `${}` in it, ("raw", text) for anything else (compared as its text).
RG_NAME = ("member", ("call", "resourceGroup", ()), "name")


def parse_arm(text):
    """An ARM template expression (what is between `[` and `]`) as a tree;
    ("raw", text) when it does not parse."""
    tokens = re.findall(r"'(?:[^']|'')*'|-?\d+|[A-Za-z_][A-Za-z0-9_]*|\S", text)
    pos = 0

    def take(expected=None):
        nonlocal pos
        if pos >= len(tokens) or (expected and tokens[pos] != expected):
            raise ValueError(text)
        pos += 1
        return tokens[pos - 1]

    def peek():
        return tokens[pos] if pos < len(tokens) else None

    def expr():
        t = take()
        if len(t) > 1 and t[0] == t[-1] == "'":
            node = ("str", t[1:-1].replace("''", "'"))
        elif re.fullmatch(r"-?\d+", t):
            node = ("num", t)
        elif re.fullmatch(r"[A-Za-z_]\w*", t):
            take("(")
            args = []
            while peek() != ")":
                args.append(expr())
                if peek() != ")":
                    take(",")
            take(")")
            node = ("call", t, tuple(args))
        else:
            raise ValueError(text)
        while peek() in (".", "["):
            if take() == ".":
                node = ("member", node, take())
            else:
                node = ("index", node, expr())
                take("]")
        return node

    try:
        tree = expr()
        return tree if pos == len(tokens) else ("raw", text)
    except ValueError:
        return ("raw", text.replace(" ", ""))


def bicep_tree(node):
    """A Bicep expression's syntax node as a tree (strings unescaped)."""
    t = node.type
    kids = node.named_children
    if t == "identifier":
        return ("id", node.text.decode())
    if t == "number":
        return ("num", node.text.decode())
    if t == "parenthesized_expression" and len(kids) == 1:
        return bicep_tree(kids[0])
    if t == "call_expression" and kids[0].type == "identifier":
        args = kids[-1].named_children if kids[-1].type == "arguments" else []
        return ("call", kids[0].text.decode(), tuple(bicep_tree(a) for a in args))
    if t == "member_expression":
        return ("member", bicep_tree(kids[0]), kids[-1].text.decode())
    if t == "string":
        parts = []
        for c in node.children:
            if c.type == "interpolation":
                parts.append(bicep_tree(c.named_children[0]))
            elif c.type in ("string_content", "escape_sequence"):
                piece = unescape(f"'{c.text.decode()}'")
                if parts and parts[-1][0] == "str":
                    parts[-1] = ("str", parts[-1][1] + piece)
                else:
                    parts.append(("str", piece))
        if all(p[0] == "str" for p in parts):
            return ("str", "".join(p[1] for p in parts))
        return ("interp", tuple(parts))
    return ("raw", re.sub(r"\s+", "", node.text.decode()))


def text_of(e):
    """A tree as one canonical text, ARM's syntax: what is compared, and shown."""
    kind = e[0]
    if kind == "str":
        return "'" + e[1].replace("'", "''") + "'"
    if kind == "call":
        return f"{e[1]}({','.join(text_of(a) for a in e[2])})"
    if kind == "member":
        return f"{text_of(e[1])}.{e[2]}"
    if kind == "index":
        return f"{text_of(e[1])}[{text_of(e[2])}]"
    if kind == "interp":
        return "'" + "".join(p[1] if p[0] == "str" else "${" + text_of(p) + "}" for p in e[1]) + "'"
    return e[1]


def map_children(e, f):
    kind = e[0]
    if kind == "call":
        return ("call", e[1], tuple(f(a) for a in e[2]))
    if kind == "member":
        return ("member", f(e[1]), e[2])
    if kind == "index":
        return ("index", f(e[1]), f(e[2]))
    if kind == "interp":
        return ("interp", tuple(f(p) for p in e[1]))
    return e


def joined(e):
    """A string built of pieces, written one way on both sides: Bicep's
    interpolated string `'nested-${uniqueString(x)}'` is ARM's
    `concat('nested-', uniqueString(x))` (the emitter writes a template's
    concat() as an interpolation, as Bicep's prefer-interpolation rule
    wants), with adjacent literals as one literal and empty ones left out; a
    concat() of one literal is that literal."""
    if e[0] == "interp":
        e = ("call", "concat", e[1])
    if e[0] != "call" or e[1] != "concat":
        return e
    args = []
    for a in e[2]:
        if a == ("str", ""):
            continue
        if a[0] == "str" and args and args[-1][0] == "str":
            args[-1] = ("str", args[-1][1] + a[1])
        else:
            args.append(a)
    return args[0] if len(args) == 1 and args[0][0] == "str" else ("call", "concat", tuple(args))


def type_at(args):
    """Where the type is among resourceId()'s arguments: the first literal with a '/'."""
    return next((i for i, a in enumerate(args) if a[0] == "str" and "/" in a[1]), None)


def drop_api_version(e):
    """`reference(id, '2024-11-30')` is `reference(id)`: Bicep's
    `SYMBOL.properties` carries no API version (the symbol's declaration has
    one), so neither side's is compared. What this does not see: an
    `existing` declaration whose API version differs from the one the
    template's reference() reads with."""
    if e[0] == "call" and e[1] == "reference" and len(e[2]) in (2, 3) and e[2][1][0] == "str" \
            and re.fullmatch(r"\d{4}-\d{2}-\d{2}(-preview)?", e[2][1][1]):
        # reference(id, api, 'full') is the whole resource: Bicep's SYMBOL.identity
        return ("call", "reference", e[2][:1] + e[2][2:])
    return e


def own_group(e, home):
    """A resourceId() in the file's own resource group, written one way: in
    main.bicep without a group (`resourceId(resourceGroup().name, ...)` is
    the same id), in a module with the group it is deployed to (`home`)."""
    if e[0] != "call" or e[1] != "resourceId" or type_at(e[2]) is None:
        return e
    at = type_at(e[2])
    if home is None and e[2][:at] == (RG_NAME,):
        return ("call", "resourceId", e[2][at:])
    if home is not None and at == 0:
        return ("call", "resourceId", home + e[2])
    return e


def arm_normal(e, home=None):
    """An ARM expression as Bicep writes it: `parameters('x')` is `x`, and
    reference() without its API version, a concat() of strings as joined()
    writes it. In a nested deployment (`home`: its
    group), expressions are the outer template's: `resourceGroup().name`, and
    a resourceId() without a group, mean the group that deploys it, which a
    module names `deploymentResourceGroup`."""
    e = map_children(e, lambda c: arm_normal(c, home))
    if e[0] == "call" and e[1] == "parameters" and len(e[2]) == 1 and e[2][0][0] == "str":
        return ("id", e[2][0][1])
    if home is not None:
        if e == RG_NAME:
            return ("id", DEPLOYMENT_GROUP)
        if e[0] == "call" and e[1] == "resourceId" and type_at(e[2]) == 0:
            return ("call", "resourceId", (("id", DEPLOYMENT_GROUP),) + e[2])
    return own_group(drop_api_version(joined(e)), None)


Declaration = namedtuple("Declaration", "kind symbol target body")


class BicepFile:
    """A Bicep file's declarations: parameters (name: type), resources,
    `existing` resources and modules in order (kind, symbol, type@api or
    module path, body), outputs (name: (type, value)), and every symbol
    declared, for duplicate_names."""

    def __init__(self, source):
        self.params, self.declarations, self.outputs, self.names = {}, [], {}, []
        for n in PARSER.parse(source).root_node.named_children:
            kids = n.named_children
            if n.type == "parameter_declaration":
                self.params[kids[0].text.decode()] = kids[1].text.decode()
                self.names.append(kids[0].text.decode())
            elif n.type in ("resource_declaration", "module_declaration"):
                existing = any(c.type == "existing" for c in n.children)
                kind = "module" if n.type == "module_declaration" else "existing" if existing else "resource"
                self.declarations.append(Declaration(kind, kids[0].text.decode(), unescape(kids[1].text.decode()),
                                                     fields(kids[-1])))
                self.names.append(kids[0].text.decode())
            elif n.type == "variable_declaration":
                self.names.append(kids[0].text.decode())
            elif n.type == "output_declaration":
                self.outputs[kids[0].text.decode()] = (kids[1].text.decode(), kids[-1])

    def deployed(self):
        return [d for d in self.declarations if d.kind != "existing"]


def properties(obj):
    """An object node's (key node, value node) pairs."""
    return [(p.named_children[0], p.named_children[-1]) for p in obj.named_children if p.type == "object_property"]


def fields(obj):
    """An object node's properties by their keys' text."""
    return {unescape(k.text.decode()) if k.type == "string" else k.text.decode(): v for k, v in properties(obj)}


def duplicate_names(file, where):
    """Bicep's parameters, variables, resources and modules share one
    namespace (outputs do not): a symbol declared twice does not compile
    (BCP028), and which one `X.id` names would be a guess."""
    seen = [n for i, n in enumerate(file.names) if n in file.names[:i]]
    return [f"{where}: {n} is declared more than once" for n in dict.fromkeys(seen)]


def segments(name):
    """A resource name's segments, as resourceId() takes them:
    `format('{0}/{1}', a, b)`, `'${a}/${b}'` and `'a/b'` are [a, b]; any
    other expression is one segment."""
    if name[0] == "str":
        return [("str", p) for p in name[1].split("/")]
    if name[0] == "call" and name[1] == "format" and name[2] and name[2][0][0] == "str":
        out = []
        for piece in name[2][0][1].split("/"):
            m = re.fullmatch(r"\{(\d+)\}", piece)
            if m and int(m.group(1)) + 1 < len(name[2]):
                out.append(name[2][int(m.group(1)) + 1])
            elif "{" in piece:
                return [name]
            else:
                out.append(("str", piece))
        return out
    if name[0] == "interp":
        parts = [[]]
        for p in name[1]:
            pieces = p[1].split("/") if p[0] == "str" else [p]
            for i, piece in enumerate(pieces):
                if i:
                    parts.append([])
                if piece != "":
                    parts[-1].append(("str", piece) if isinstance(piece, str) else piece)
        if all(len(p) == 1 for p in parts):
            return [p[0] for p in parts]
    return [name]


class Symbols:
    """What a Bicep file's expressions mean, to compare them with the
    template's: `SYMBOL.id` is the resourceId() of the resource SYMBOL
    declares (its type, its name's segments, the group of an existing's
    `scope: resourceGroup([sub,] g)`, the symbol of an extension resource's
    `scope:`; a child's `parent:` chain, see child_id) and
    `SYMBOL.properties.X` is `reference(that id).X`. `home`
    is a module's group (main.bicep's `scope: resourceGroup(...)` for it), in
    which its own resources are. An identifier that is neither a parameter
    nor a symbol is an error."""

    def __init__(self, file, home=None, where="main.bicep"):
        self.file, self.home, self.where, self.errors, self.resolving = file, home, where, [], set()
        self.declared = {d.symbol: d for d in file.declarations}

    def error(self, text):
        if f"{self.where}: {text}" not in self.errors:
            self.errors.append(f"{self.where}: {text}")

    def resource_id(self, symbol):
        d = self.declared.get(symbol)
        if d is None:
            self.error(f"{symbol}: unknown symbol")
            return ("raw", symbol)
        if symbol in self.resolving:
            self.error(f"{symbol}: its name refers to itself")
            return ("raw", symbol)
        self.resolving.add(symbol)
        try:
            ty = "Microsoft.Resources/deployments" if d.kind == "module" else d.target.split("@")[0]
            names = tuple(self.normal(s) for s in segments(bicep_tree(d.body["name"]))) if "name" in d.body else ()
            if "parent" in d.body:
                return self.child_id(d, ty, names)
            scope = bicep_tree(d.body["scope"]) if "scope" in d.body else None
            if scope and scope[0] == "id":
                return ("call", "extensionResourceId", (self.resource_id(scope[1]), ("str", ty)) + names)
            group = self.group_of(scope) if scope else self.home or ()
            return own_group(("call", "resourceId", group + (("str", ty),) + names), self.home)
        finally:
            self.resolving.discard(symbol)

    def child_id(self, d, ty, names):
        """A child resource's id, rebuilt from its parent chain as the
        template names it: `parent: P` with `name: n` is the resource named
        P's name segments and then n (`format('{0}/{1}', vault, key)`), in
        P's group (or on P's scope). It must be a child of P's type (P's
        type and one segment more), its own name one segment (Bicep's
        BCP170), with no scope of its own (BCP164), and P a resource or an
        `existing` of the file."""
        parent = bicep_tree(d.body["parent"])
        p = self.declared.get(parent[1]) if parent[0] == "id" else None
        if p is None or p.kind == "module":
            self.error(f"{d.symbol}: parent {text_of(parent)} is not a resource of the file")
            return ("raw", d.symbol)
        parent_ty = p.target.split("@")[0]
        if ty.rpartition("/")[0].lower() != parent_ty.lower():
            self.error(f"{d.symbol}: {ty} is not a child of its parent {p.symbol} ({parent_ty})")
        if len(names) != 1:
            self.error(f"{d.symbol}: with a parent, its name {[text_of(n) for n in names]} is not one segment")
        if "scope" in d.body:
            self.error(f"{d.symbol}: a scope and a parent (a child is in its parent's scope)")
        pid = self.resource_id(p.symbol)
        at = 1 if pid[:2] == ("call", "extensionResourceId") else type_at(pid[2]) if pid[0] == "call" else None
        if at is None:
            return pid  # what is wrong with the parent is said
        return ("call", pid[1], pid[2][:at] + (("str", ty),) + pid[2][at + 1:] + names)

    def group_of(self, scope):
        """The arguments of `scope: resourceGroup([sub,] g)`, normalized."""
        if scope[0] == "call" and scope[1] == "resourceGroup" and scope[2]:
            return tuple(self.normal(a) for a in scope[2])
        self.error(f"scope {text_of(scope)} is not resourceGroup(...)")
        return (scope,)

    def normal(self, e):
        """A Bicep expression in the template's terms (see the class)."""
        if e[0] == "member" and e[1][0] == "id" and e[1][1] not in self.file.params:
            symbol, member = e[1][1], e[2]
            if member not in ("id", "properties", "identity") and symbol in self.declared:
                self.error(f"{symbol}.{member}: only .id, .properties and .identity are compared")
            target = self.resource_id(symbol)
            if member == "identity":
                # The resource's identity: the template's reference(id, api, 'full').identity
                # (the API version dropped, as for .properties).
                return ("member", ("call", "reference", (target, ("str", "full"))), "identity")
            return target if member != "properties" else ("call", "reference", (target,))
        if e[0] == "id" and e[1] not in self.file.params:
            self.error(f"{e[1]}: unknown symbol" if e[1] not in self.declared else f"{e[1]}: a symbol as a value")
            return e
        e = joined(map_children(e, self.normal))
        if self.home is not None and e == RG_NAME:
            return self.home[-1]
        return own_group(drop_api_version(e), self.home)


def arm_tree(v, home=None):
    """A template string as a tree: an expression `[...]`, normalized
    (arm_normal), or a literal."""
    if v.startswith("[") and not v.startswith("[["):
        return arm_normal(parse_arm(v[1:-1]), home)
    return ("str", v[1:] if v.startswith("[[") else v)


def arm_value(v, home=None, literal=False):
    """A template value in the terms of bicep_value: an expression `[...]`
    is {"expr": its text}, `[[` a literal `[`; a nested template is literal."""
    if isinstance(v, str):
        if v.startswith("[[") or (literal and v.startswith("[")):
            return v[1:] if v.startswith("[[") and not literal else v
        if v.startswith("["):
            return {"expr": text_of(arm_tree(v, home))}
        return v
    if isinstance(v, list):
        return [arm_value(i, home, literal) for i in v]
    if isinstance(v, dict):
        out = {}
        for k, x in v.items():
            key = ("expr:" + text_of(arm_tree(k, home))) if k.startswith("[") and not literal else k
            out[key] = arm_value(x, home, literal or k == "template")
        return out
    return v


def bicep_value(n, symbols):
    """A Bicep value read back into JSON from its syntax tree; an expression
    is {"expr": its text in the template's terms} (Symbols.normal), a key
    `'${expr}'` is "expr:" and that text."""
    t = n.type
    if t == "string":
        tree = bicep_tree(n)
        if tree[0] == "str":
            return tree[1]
        parts = tree[1]
        return {"expr": text_of(symbols.normal(parts[0] if len(parts) == 1 else tree))}
    if t == "number":
        return int(n.text.decode())
    if t == "boolean":
        return n.text.decode() == "true"
    if t == "null":
        return None
    if t == "array":
        return [bicep_value(c, symbols) for c in n.named_children if c.type != "comment"]
    if t == "object":
        out = {}
        for k, v in properties(n):
            key = bicep_value(k, symbols) if k.type == "string" else k.text.decode()
            out["expr:" + key["expr"] if isinstance(key, dict) else key] = bicep_value(v, symbols)
        return out
    return {"expr": text_of(symbols.normal(bicep_tree(n)))}


def arm_scope(scope, home):
    """An extension resource's `scope`, `format('Type/{0}', name)`, as the
    id of the resource it names (in the file's own group)."""
    e = arm_tree(scope, home)
    if e[0] == "call" and e[1] == "format" and len(e[2]) == 2 and e[2][0][0] == "str" \
            and e[2][0][1].endswith("/{0}"):
        return own_group(("call", "resourceId", (home or ()) + (("str", e[2][0][1][:-4]), e[2][1])), home)
    return e


def names_of(e):
    """The name segments of an id (what Symbols.resource_id builds)."""
    if e[0] == "call" and e[1] == "extensionResourceId":
        return e[2][2:]
    if e[0] == "call" and e[1] == "resourceId" and type_at(e[2]) is not None:
        return e[2][type_at(e[2]) + 1:]
    return (e,)


def references(body, symbols):
    """The symbols a resource's or module's values name, dependsOn aside:
    its `scope:` and `parent:`, and `SYMBOL.x` anywhere (in keys, in
    interpolations), in the order they come."""
    found = []
    for key, value in body.items():
        if key == "dependsOn":
            continue
        stack = [value]
        while stack:
            node = stack.pop()
            kids = node.named_children
            if node.type == "identifier" and key in ("scope", "parent") and node == value:
                found.append(node.text.decode())
            elif node.type == "member_expression" and kids[0].type == "identifier":
                found.append(kids[0].text.decode())
            stack.extend(reversed(node.children))
    return [f for f in dict.fromkeys(found) if f in symbols.declared and f not in symbols.file.params]


def compare_depends(a, d, symbols, home, where):
    """dependsOn: the template's ids against the dependencies Bicep
    compiles, its implicit ones and the listed ones. Bicep makes a resource
    depend on every resource or module it references (`scope:`, `parent:`,
    `SYMBOL.x` in any value, see references) without a dependsOn, and the
    emitter leaves such an entry out (the linter calls it unnecessary): so
    the template's dependsOn is compared with the union of the listed
    symbols and the referenced ones, as ids, and must be a subset of it.
    An `existing` symbol is left out of that union: nothing deploys it, so
    Bicep makes no dependency on it, and a template dependency that only an
    existing one meets is one Bicep would not order. Every dependsOn listed
    must be one the template has, and not one a reference already implies
    (no-unnecessary-dependson). What this does not see: a dependency that an
    `existing` declaration passes on from what its own name or scope
    references (none does here)."""
    want = {text_of(arm_tree(dep, home)) for dep in a.get("dependsOn", [])}
    listed = {}
    items = d.body["dependsOn"].named_children if "dependsOn" in d.body else []
    for item in (i for i in items if i.type != "comment"):
        tree = bicep_tree(item)
        listed[text_of(symbols.resource_id(tree[1]) if tree[0] == "id" else tree)] = tree
    referenced = references(d.body, symbols)
    implied = {text_of(symbols.resource_id(s)) for s in referenced if symbols.declared[s].kind != "existing"}
    diffs = []
    if want - set(listed) - implied:
        diffs.append(f"{where}: dependsOn {sorted(want - set(listed) - implied)} in template.json, neither listed "
                     f"in Bicep's dependsOn {sorted(listed)} nor referenced {sorted(implied)}")
    if set(listed) - want:
        diffs.append(f"{where}: dependsOn {sorted(set(listed) - want)} in Bicep, not in template.json")
    unnecessary = [text_of(t) for t in listed.values() if t[0] == "id" and t[1] in referenced]
    if unnecessary:
        diffs.append(f"{where}: dependsOn {unnecessary}: referenced already, an unnecessary dependsOn "
                     f"(no-unnecessary-dependson)")
    return diffs


def compare_resource(a, d, symbols, home=None):
    """A template resource and a Bicep resource: type and API version, every
    property, dependsOn, and the scope of an extension resource."""
    where = f"{symbols.where}: {d.symbol} ({a.get('type')})"
    if d.kind != "resource":
        return [f"{where}: a {d.kind}, not a resource"]
    diffs = []
    if d.target != f"{a['type']}@{a['apiVersion']}":
        diffs.append(f"{where}: {d.target} is not {a['type']}@{a['apiVersion']}")
    skip = ("type", "apiVersion", "comments", "dependsOn", "scope")
    want = {k: arm_value(v, home) for k, v in a.items() if k not in skip}
    got = {k: bicep_value(v, symbols) for k, v in d.body.items() if k not in ("dependsOn", "scope", "parent")}
    # A child's name, with or without `parent:`: its segments (the parent chain's, then its own).
    arm_names = segments(arm_tree(a["name"], home)) if isinstance(a.get("name"), str) else []
    if "parent" in d.body or len(arm_names) > 1:
        want["name"] = {"segments": [text_of(n) for n in arm_names]}
        got["name"] = {"segments": [text_of(n) for n in names_of(symbols.resource_id(d.symbol))]}
    if want != got:
        diffs.append(f"{where}: properties differ:\n  template.json {json.dumps(want, sort_keys=True)}\n"
                     f"  Bicep         {json.dumps(got, sort_keys=True)}")
    diffs += compare_depends(a, d, symbols, home, where)
    want_scope = text_of(arm_scope(a["scope"], home)) if "scope" in a else None
    scope = bicep_tree(d.body["scope"]) if "scope" in d.body else None
    got_scope = text_of(symbols.resource_id(scope[1]) if scope and scope[0] == "id" else scope) if scope else None
    if want_scope != got_scope:
        diffs.append(f"{where}: scope {want_scope} in template.json, {got_scope} in Bicep")
    return diffs


def unnamed_parents(symbols):
    """A child resource (or `existing`) named with its parent's name
    segments, `'${vaultName}/${keyName}'`, while the file declares that
    parent: it is written `parent: vault` and its own last segment (the
    linter's use-parent-property). A child of a parent the file does not
    declare (an `existing` image definition's gallery) keeps its full name."""
    found = []
    for d in symbols.file.declarations:
        if d.kind == "module" or "parent" in d.body or "name" not in d.body:
            continue
        names = names_of(symbols.resource_id(d.symbol))
        parent_ty = d.target.split("@")[0].rpartition("/")[0].lower()
        for p in symbols.file.declarations:
            if len(names) > 1 and p.kind != "module" and p.target.split("@")[0].lower() == parent_ty \
                    and names_of(symbols.resource_id(p.symbol)) == names[:-1]:
                found.append(f"{symbols.where}: {d.symbol} is named {[text_of(n) for n in names]}, in its parent "
                             f"{p.symbol}, which the file declares: not `parent: {p.symbol}` (use-parent-property)")
    return found


def is_nested_deployment(a):
    return a.get("type") == "Microsoft.Resources/deployments" and "resourceGroup" in a


def compare_module(a, d, main, symbols, files, parameters):
    """A nested deployment into another group (one resource, its expressions
    evaluated in the template's scope) and the module that replaces it: the
    same name, `scope: resourceGroup(g)` for `resourceGroup: g`, the same
    dependsOn; each module parameter is the main parameter of its name, but
    `deploymentResourceGroup: resourceGroup().name` (what meant the outer
    group in the nested template); the module file declares exactly those
    parameters, with the template's types, and one resource, the nested one
    (compare_resource, in the module's group)."""
    where = f"main.bicep: {d.symbol} ({a['type']})"
    if d.kind != "module":
        return [f"{where}: a {d.kind}, not a module"]
    diffs = []
    inner = a["properties"].get("template", {})
    if set(a["properties"]) != {"mode", "template"} or a["properties"]["mode"] != "Incremental" \
            or len(inner.get("resources", [])) != 1 or set(inner) - {"$schema", "contentVersion", "resources"}:
        return [f"{where}: not an Incremental deployment of one resource, without parameters, variables, "
                f"outputs or inner scope: not comparable to a module"]
    if bicep_value(d.body["name"], symbols) != arm_value(a["name"]):
        diffs.append(f"{where}: name {bicep_value(d.body['name'], symbols)} is not {arm_value(a['name'])}")
    home = tuple(arm_tree(a[k]) for k in ("subscriptionId", "resourceGroup") if k in a)
    want_scope = text_of(("call", "resourceGroup", home))
    scope = bicep_tree(d.body["scope"]) if "scope" in d.body else None
    got_scope = text_of(symbols.normal(scope)) if scope else None
    if want_scope != got_scope:
        diffs.append(f"{where}: scope {want_scope} in template.json, {got_scope} in main.bicep")
    diffs += compare_depends(a, d, symbols, None, where)
    if set(d.body) - {"name", "scope", "params", "dependsOn"}:
        diffs.append(f"{where}: module fields {sorted(d.body)}")
    passed = fields(d.body["params"]) if "params" in d.body else {}
    for name, value in passed.items():
        tree = bicep_tree(value)
        if name == DEPLOYMENT_GROUP:
            if tree != RG_NAME:
                diffs.append(f"{where}: params: {name}: {text_of(tree)}, not resourceGroup().name")
        elif tree != ("id", name) or name not in main.params:
            diffs.append(f"{where}: params: {name}: {text_of(tree)}, not the main parameter {name}")
    path = d.target
    if path not in files:
        return diffs  # said by modules_used
    module = BicepFile(files[path])
    diffs += duplicate_names(module, path)
    if sorted(module.params) != sorted(passed):
        diffs.append(f"{path}: parameters {sorted(module.params)}, passed {sorted(passed)}")
    for name, ty in module.params.items():
        want_ty = "string" if name == DEPLOYMENT_GROUP else parameters.get(name, {}).get("type")
        if ty != want_ty:
            diffs.append(f"{path}: param {name} {ty}, {want_ty} in template.json")
    if module.outputs:
        diffs.append(f"{path}: outputs {sorted(module.outputs)}, none in the nested template")
    deployed = module.deployed()
    if len(deployed) != 1:
        return diffs + [f"{path}: {len(deployed)} resources or modules, 1 in the nested deployment"]
    # The module's own group, in main.bicep's terms; without a scope, main.bicep's.
    module_symbols = Symbols(module, symbols.group_of(scope) if scope else (RG_NAME,), path)
    diffs += compare_resource(inner["resources"][0], deployed[0], module_symbols, home)
    return diffs + unnamed_parents(module_symbols) + module_symbols.errors


def modules_used(main, files):
    """The module files main.bicep names and the ones emitted are the same."""
    used = {d.target for d in main.declarations if d.kind == "module"}
    emitted = set(files) - {"main.bicep"}
    return ([f"main.bicep uses {p}, which is not emitted" for p in sorted(used - emitted)]
            + [f"{p} is emitted, but main.bicep does not use it" for p in sorted(emitted - used)])


def same_deployment(binary, name, tamper=None, spec=None):
    """main.bicep (with its modules) declares what template.json does: the
    same parameters, the same resources in the same order (type, API version,
    every property, its dependencies and scope; a nested deployment into
    another group is a module, compare_module), the same outputs. Bicep is
    read back into JSON from its syntax tree; expressions are compared in one
    canonical text, ARM's, after the normalizations Symbols and arm_normal
    describe: `parameters('x')` is `x`, `SYMBOL.id` is its resourceId()
    (a child's rebuilt from its `parent:` chain, Symbols.child_id),
    `SYMBOL.properties` is reference(that id), reference()'s API version
    is dropped on both sides, and an interpolated string is the concat() of
    its pieces (joined). A child's name is compared as its segments; the
    template's dependsOn as what Bicep orders by, its references and its
    dependsOn (compare_depends). Keys and nested templates are compared
    literally. `tamper(path, source)` may change a file first; `spec`, if
    given, is compared instead of the example's."""
    spec = spec or subprocess.check_output([binary, "example", name])
    arm = json.loads(subprocess.run([binary, "emit", "--format", "arm", "-"], input=spec, capture_output=True,
                                    check=True).stdout)
    files, diffs = bicep_files(binary, spec)
    if "main.bicep" not in files:
        return diffs
    if tamper:
        files = {path: tamper(path, source) for path, source in files.items()}
    main = BicepFile(files["main.bicep"])
    symbols = Symbols(main)
    diffs += duplicate_names(main, "main.bicep") + modules_used(main, files)
    want_params = {k: v["type"] for k, v in arm.get("parameters", {}).items()}
    if main.params != want_params:
        diffs.append(f"parameters {want_params} in template.json, {main.params} in main.bicep")
    arm_resources, deployed = arm.get("resources", []), main.deployed()
    if len(arm_resources) != len(deployed):
        diffs.append(f"{len(arm_resources)} resources in template.json, {len(deployed)} in main.bicep")
    for a, d in zip(arm_resources, deployed):
        if is_nested_deployment(a):
            diffs += compare_module(a, d, main, symbols, files, arm.get("parameters", {}))
        else:
            diffs += compare_resource(a, d, symbols)
    outputs = {k: (ty, bicep_value(v, symbols)) for k, (ty, v) in main.outputs.items()}
    want_out = {k: (v["type"], arm_value(v["value"])) for k, v in arm.get("outputs", {}).items()}
    if outputs != want_out:
        diffs.append(f"outputs {want_out} in template.json, {outputs} in main.bicep")
    return diffs + unnamed_parents(symbols) + symbols.errors


def values_fit_decorators(bicep, params):
    """Every @minLength/@maxLength that a Bicep file declares (from the naming
    rules) admits the example's value in main.bicepparam: a decorator that
    drifted from the rules would refuse a deployment the wizard calls valid.
    A module's parameters hold the main parameters of their names."""
    bounds, pending = {}, {}
    for node in PARSER.parse(bicep).root_node.named_children:
        if node.type == "decorators":
            pending = {m.group(1): int(m.group(2))
                       for m in re.finditer(r"@(minLength|maxLength)\((\d+)\)", node.text.decode())}
        elif node.type == "parameter_declaration":
            if pending:
                bounds[node.named_children[0].text.decode()] = pending
            pending = {}
    found = []
    for param, b in bounds.items():
        m = re.search(rf"^param {param} = ('(?:[^'\\]|\\.)*')$", params, re.M)
        if not m:
            continue
        length = len(unescape(m.group(1)))
        if not b.get("minLength", 0) <= length <= b.get("maxLength", 10**9):
            found.append(f"{param}: {length} characters, outside @minLength({b.get('minLength')}) "
                         f"@maxLength({b.get('maxLength')})")
    return found, len(bounds)


def replacing(path, old, new, *more):
    """A tamper for same_deployment: `old` becomes `new` in one file, which
    must hold `old` (else the self-test would prove nothing); `more` are
    further (old, new) pairs, replaced in turn."""
    def tamper(p, source):
        if p != path:
            return source
        for o, n in [(old, new)] + list(zip(more[::2], more[1::2])):
            if o not in source:
                sys.exit(f"bicep-check: self-test: {o!r} is not in {path}: the self-test must be updated")
            source = source.replace(o, n, 1)
        return source
    return tamper


# Each check of same_deployment can fail: (example, tamper, what the failure must say).
SELF_TESTS = [
    ("cmk-user-assigned", replacing("main.bicep", b"enablePurgeProtection: true", b"enablePurgeProtection: false"),
     '"enablePurgeProtection": false'),
    # The system identity's grant names the registry's own identity.
    ("cmk-system-assigned-kv-firewall", replacing("main.bicep", b"principalId: registry.identity.principalId",
                                                  b"principalId: identity.properties.principalId"),
     "'Microsoft.ManagedIdentity/userAssignedIdentities',identityName)).principalId"),
    ("cmk-user-assigned", replacing("main.bicep", b"identity: identity.properties.clientId",
                                    b"identity: identitty.properties.clientId"), "identitty: unknown symbol"),
    ("cmk-user-assigned", replacing("main.bicep", b"param tags object", b"param tags object\nparam registry string"),
     "registry is declared more than once"),
    ("service-endpoint", replacing("main.bicep", b"name: '${vnetName0}/${subnetName0}'",
                                   b"name: '${subnetName0}/${vnetName0}'"),
     "'Microsoft.Network/virtualNetworks/subnets',subnetName0,vnetName0)"),
    ("cmk-existing-versionless-key", replacing("main.bicep", b"existing = {\n  name: identityName",
                                               b"existing = {\n  name: keyVaultName"),
     "'Microsoft.ManagedIdentity/userAssignedIdentities',keyVaultName)"),
    ("cmk-existing-versionless-key", replacing("main.bicep", b"keyVaultName: keyVaultName", b"keyVaultName: identityName"),
     "keyVaultName: identityName, not the main parameter keyVaultName"),
    ("cmk-existing-versionless-key", replacing("main.bicep", b"scope: resourceGroup(keyVaultResourceGroup)\n  params",
                                               b"scope: resourceGroup(identityResourceGroup)\n  params"),
     "scope resourceGroup(keyVaultResourceGroup) in template.json, resourceGroup(identityResourceGroup)"),
    ("cmk-existing-versionless-key", replacing("modules/key-access.bicep", b"existing = {\n  name: keyVaultName\n}",
                                               b"existing = {\n  name: identityName\n}"),
     "'Microsoft.KeyVault/vaults',identityName) in Bicep"),
    ("cmk-existing-versionless-key", replacing("main.bicep", b"'modules/key-access.bicep'", b"'modules/key.bicep'"),
     "main.bicep uses modules/key.bicep, which is not emitted"),
    # A child is its parent's: the type, and the name segments, come from the parent chain.
    ("cmk-user-assigned", replacing("main.bicep", b"parent: vault", b"parent: registry"),
     "key: Microsoft.KeyVault/vaults/keys is not a child of its parent registry "
     "(Microsoft.ContainerRegistry/registries)"),
    ("gallery-cmk-two-regions", replacing("main.bicep", b"name: '${galleryName}/${imageDefinitionName}'",
                                          b"name: '${imageDefinitionName}/${galleryName}'"),
     "'Microsoft.Compute/galleries/images/versions',imageDefinitionName,galleryName,imageVersion)"),
    ("cmk-user-assigned", replacing("main.bicep", b"parent: vault\n  name: keyName",
                                    b"name: '${keyVaultName}/${keyName}'"),
     "key is named ['keyVaultName', 'keyName'], in its parent vault, which the file declares"),
    # dependsOn: what the template needs and the resource neither lists nor references is missing (the
    # registry does not reference the role assignment); a listed one the template lacks, or one it references,
    # is wrong.
    ("cmk-user-assigned", replacing("main.bicep", b"  dependsOn: [\n    roleAssignment\n  ]\n", b""),
     "registry (Microsoft.ContainerRegistry/registries): dependsOn [\"extensionResourceId(resourceId("
     "'Microsoft.KeyVault/vaults',keyVaultName),'Microsoft.Authorization/roleAssignments'"),
    ("cmk-template", replacing("main.bicep", b"dependsOn: [\n    accessPolicy\n",
                               b"dependsOn: [\n    accessPolicy\n    vault\n"),
     "dependsOn [\"resourceId('Microsoft.KeyVault/vaults',keyVaultName)\"] in Bicep, not in template.json"),
    ("cmk-user-assigned", replacing("main.bicep", b"dependsOn: [\n    roleAssignment\n",
                                    b"dependsOn: [\n    roleAssignment\n    identity\n"),
     "registry (Microsoft.ContainerRegistry/registries): dependsOn ['identity']: referenced already"),
    # An `existing` parent is no dependency: the key under an existing vault of the same name is not
    # ordered after the vault the template creates first.
    ("cmk-user-assigned", replacing("main.bicep", b"resource vault 'Microsoft.KeyVault/vaults@",
                                    b"resource vaultAgain 'Microsoft.KeyVault/vaults@2026-02-01' existing = {\n"
                                    b"  name: keyVaultName\n}\n\nresource vault 'Microsoft.KeyVault/vaults@",
                                    b"parent: vault\n", b"parent: vaultAgain\n"),
     "key (Microsoft.KeyVault/vaults/keys): dependsOn [\"resourceId('Microsoft.KeyVault/vaults',keyVaultName)\"] "
     "in template.json, neither listed"),
    # An interpolated module name is compared as the template's concat().
    ("cmk-existing-versionless-key", replacing("main.bicep", b"name: 'nested-${", b"name: 'nested-x${"),
     "concat('nested-x',uniqueString("),
    # No example's module reads deploymentResourceGroup: these use identity_here_vault_there.
    ("identity_here_vault_there", replacing("main.bicep", b"deploymentResourceGroup: resourceGroup().name",
                                            b"deploymentResourceGroup: keyVaultResourceGroup"),
     "params: deploymentResourceGroup: keyVaultResourceGroup, not resourceGroup().name"),
    ("identity_here_vault_there", replacing("modules/key-access.bicep", b"  scope: resourceGroup(deploymentResourceGroup)\n",
                                            b""),
     "resourceId(keyVaultResourceGroup,'Microsoft.ManagedIdentity/userAssignedIdentities',identityName)"),
]


def identity_here_vault_there(binary):
    """A spec no example is: cmk-existing-versionless-key with the identity
    created in the registry's group, and the vault (access policies) in its
    own. The module reads the identity in the group that deploys it."""
    spec = json.loads(subprocess.check_output([binary, "example", "cmk-existing-versionless-key"]))
    encryption = spec["registry"]["encryption"]
    encryption["identity"] = {"name": encryption["identity"]["name"], "create": True}
    encryption["keyVault"]["permissionModel"] = "accessPolicy"
    return json.dumps(spec).encode()


def self_test(binary):
    for name, tamper, says in SELF_TESTS:
        spec = identity_here_vault_there(binary) if name == "identity_here_vault_there" else None
        found = same_deployment(binary, name, tamper, spec)
        if not any(says in f for f in found):
            sys.exit(f"bicep-check: a tampered {name} went unnoticed (no {says!r} in {found}): "
                     "the comparison with template.json cannot fail")
    spec = subprocess.check_output([binary, "example", "cmk-user-assigned"])
    if values_fit_decorators(emit(binary, "bicep", spec).stdout, emit(binary, "bicepparam", spec).stdout.decode())[1] == 0:
        sys.exit("bicep-check: no @minLength/@maxLength found: the decorator check would check nothing")
    if not hostile_value_survives(binary):
        sys.exit("bicep-check: a hostile tag value did not come back whole from main.bicepparam")
    if not problems(KNOWN_BAD):
        sys.exit("bicep-check: the known-bad file parsed without errors: the check cannot fail")


def check_example(binary, name, spec=None):
    """Each file of an example (or of a variant spec, given) and what is wrong
    with it: parse problems, and for main.bicep same_deployment; decorators in
    every Bicep file."""
    spec = spec or subprocess.check_output([binary, "example", name])
    files, errors = bicep_files(binary, spec)
    params = emit(binary, "bicepparam", spec)
    results = {"bicep": errors, "bicepparam": problems(as_var_syntax(params.stdout))}
    if params.returncode != 0:
        results["bicepparam"] = [f"emit exited {params.returncode}: {params.stderr.decode()[:200]}"]
    for path, source in files.items():
        found = problems(source)
        if not found:
            found = values_fit_decorators(source, params.stdout.decode())[0]
            if path == "main.bicep":
                found = same_deployment(binary, name, spec=spec) + found  # with what bicep_files said
        elif path == "main.bicep":
            found = errors + found
        results["bicep" if path == "main.bicep" else path] = found
    return results


def main():
    binary = sys.argv[1]
    self_test(binary)
    names = [line.split()[0] for line in subprocess.check_output([binary, "example", "--list"], text=True).splitlines()]
    # Specs no example is (tests/fixtures/specs): resources created in other
    # groups, access policies in another cloud, subnet rules with a key.
    variants = sorted((ROOT / "tests" / "fixtures" / "specs").glob("*.json"))
    cases = [(n, None) for n in names] + [(p.stem, p.read_bytes()) for p in variants]
    failed = passed = 0
    for name, spec in cases:
        for what, found in check_example(binary, name, spec).items():
            if found:
                print(f"FAIL {name} {what}: " + "; ".join(found[:5]))
                failed += 1
            else:
                passed += 1
    print(f"bicep-check: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
