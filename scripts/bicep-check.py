#!/usr/bin/env python3
"""Parses every example's Bicep (main.bicep, main.bicepparam) with
tree-sitter-bicep, a real Bicep grammar: no ERROR or MISSING node may be in
the tree. Then main.bicep must declare what template.json does (see
same_deployment). A known-bad file and a tampered property prove that each
check can fail. No Bicep compiler can be installed here: Bicep's own type
checks are not run.

usage: bicep-check.py REGISTRY_WIZARD_BIN
"""
import subprocess
import sys

import tree_sitter
import tree_sitter_bicep

PARSER = tree_sitter.Parser(tree_sitter.Language(tree_sitter_bicep.language()))
KNOWN_BAD = b"resource registry 'Microsoft.ContainerRegistry/registries@2025-11-01' = {\n  name: 'x'\n"


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


def hostile_value_survives(binary):
    """A tag value with quotes, a backslash, `${`, `$(...)`, backticks and
    Unicode is one Bicep string literal that reads back as itself."""
    import json
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


def same_deployment(binary, name, tamper=None):
    """main.bicep declares what template.json does: the same parameters, the
    same resources in the same order (type, API version, every property, its
    dependencies and scope), the same outputs. Bicep is read back into JSON
    from its syntax tree; ARM expressions are compared as Bicep writes them
    (`parameters('x')` is `x`), keys and nested templates literally."""
    import json
    import re
    spec = subprocess.check_output([binary, "example", name])
    arm = json.loads(subprocess.run([binary, "emit", "--format", "arm", "-"], input=spec, capture_output=True, check=True).stdout)
    source = subprocess.run([binary, "emit", "--format", "bicep", "-"], input=spec, capture_output=True, check=True).stdout
    if tamper:
        source = tamper(source)
    root = PARSER.parse(source).root_node
    diffs = []
    # Not written as Bicep yet, and said: only a template with a nested deployment.
    if b"Not in Bicep yet" in source:
        nested = any(r["type"] == "Microsoft.Resources/deployments" for r in arm.get("resources", []))
        return [] if nested else ["main.bicep declines a template without a nested deployment"]

    def arm_expr(text):
        return re.sub(r"parameters\('([A-Za-z0-9_]+)'\)", r"\1", text).replace(" ", "")

    def arm_value(v, literal=False):
        if isinstance(v, str):
            if v.startswith("[[") or (literal and v.startswith("[")):
                return v[1:] if v.startswith("[[") and not literal else v
            if v.startswith("["):
                return {"expr": arm_expr(v[1:-1])}
            return v
        if isinstance(v, list):
            return [arm_value(i, literal) for i in v]
        if isinstance(v, dict):
            out = {}
            for k, x in v.items():
                key = ("expr:" + arm_expr(k[1:-1])) if k.startswith("[") and not literal else k
                out[key] = arm_value(x, literal or k == "template")
            return out
        return v

    def bicep_value(n):
        t = n.type
        if t == "string":
            if any(c.type == "interpolation" for c in n.children):
                inner = n.text.decode()[1:-1]
                m = re.fullmatch(r"\$\{(.*)\}", inner, re.S)
                return {"expr": m.group(1).replace(" ", "")} if m else {"expr": inner}
            return unescape(n.text.decode())
        if t == "number":
            return int(n.text.decode())
        if t == "boolean":
            return n.text.decode() == "true"
        if t == "null":
            return None
        if t == "array":
            return [bicep_value(c) for c in n.named_children]
        if t == "object":
            out = {}
            for prop in n.named_children:
                if prop.type != "object_property":
                    continue
                k, v = prop.named_children[0], prop.named_children[-1]
                key = bicep_value(k) if k.type == "string" else k.text.decode()
                if isinstance(key, dict):
                    key = "expr:" + key["expr"]
                out[key] = bicep_value(v)
            return out
        return {"expr": n.text.decode().replace(" ", "")}

    declared = [n for n in root.named_children if n.type == "resource_declaration"]
    symbols = {}
    existing = {}
    resources = []
    for d in declared:
        kids = d.named_children
        symbol = kids[0].text.decode()
        ty_api = unescape(kids[1].text.decode())
        body = bicep_value(kids[-1])
        if b" existing " in d.text:
            existing[symbol] = (ty_api.split("@")[0], body["name"]["expr"] if isinstance(body["name"], dict) else body["name"])
            continue
        resources.append((symbol, ty_api, body))
    for symbol, ty_api, body in resources:
        symbols[symbol] = (ty_api.split("@")[0], body.get("name"))

    def split_args(text):
        # Top-level commas only: not inside parentheses or quotes.
        args, depth, quoted, start = [], 0, False, 0
        for i, c in enumerate(text):
            if c == "'":
                quoted = not quoted
            elif not quoted and c == "(":
                depth += 1
            elif not quoted and c == ")":
                depth -= 1
            elif not quoted and depth == 0 and c == ",":
                args.append(text[start:i])
                start = i + 1
        args.append(text[start:])
        return args

    def name_of(expr_name):
        # A name's segments: format('{0}/add', a) is [a, 'add']; else the one expression.
        if isinstance(expr_name, dict):
            m = re.fullmatch(r"format\((.*)\)", expr_name["expr"])
            if m:
                pattern, *args = split_args(m.group(1))
                return [args[int(p[1:-1])] if p.startswith("{") else f"'{p}'" for p in pattern.strip("'").split("/")]
            return [expr_name["expr"]]
        return [f"'{p}'" for p in expr_name.split("/")]

    arm_resources = arm.get("resources", [])
    if len(arm_resources) != len(resources):
        diffs.append(f"{len(arm_resources)} resources in template.json, {len(resources)} in main.bicep")
    for a, (symbol, ty_api, body) in zip(arm_resources, resources):
        where = f"{symbol} ({a.get('type')})"
        if ty_api != f"{a['type']}@{a['apiVersion']}":
            diffs.append(f"{where}: {ty_api} is not {a['type']}@{a['apiVersion']}")
        want = {k: arm_value(v) for k, v in a.items() if k not in ("type", "apiVersion", "comments", "dependsOn", "scope")}
        got = {k: v for k, v in body.items() if k not in ("dependsOn", "scope")}
        if want != got:
            diffs.append(f"{where}: properties differ:\n  template.json {json.dumps(want, sort_keys=True)}\n  main.bicep    {json.dumps(got, sort_keys=True)}")
        # dependsOn: resourceId('Type', names...) against the symbols' types and names.
        want_deps = []
        for dep in a.get("dependsOn", []):
            m = re.fullmatch(r"resourceId\((.*)\)", arm_expr(dep[1:-1]))
            args = split_args(m.group(1)) if m else []
            at = next((i for i, x in enumerate(args) if x.startswith("'") and "/" in x), None)
            if at is not None:
                want_deps.append((args[at].strip("'"), args[at + 1:]))
        got_deps = []
        for d in body.get("dependsOn", []):
            ty, nm = symbols.get(d["expr"], ("?", None))
            got_deps.append((ty, name_of(nm) if nm is not None else []))
        if sorted(map(str, want_deps)) != sorted(map(str, got_deps)):
            diffs.append(f"{where}: dependsOn {want_deps} in template.json, {got_deps} in main.bicep")
        if "scope" in a:
            m = re.fullmatch(r"format\('(.*)/\{0\}',(\w+)\)", arm_expr(a["scope"][1:-1]))
            target = (m.group(1), m.group(2)) if m else None
            sym = body.get("scope", {}).get("expr")
            got = symbols.get(sym) or existing.get(sym)
            got = (got[0], name_of(got[1])[0] if isinstance(got[1], dict) else got[1]) if got else None
            if target != got:
                diffs.append(f"{where}: scope {target} in template.json, {got} in main.bicep")
    params = {n.named_children[0].text.decode(): n.named_children[1].text.decode()
              for n in root.named_children if n.type == "parameter_declaration"}
    want_params = {k: v["type"] for k, v in arm.get("parameters", {}).items()}
    if params != want_params:
        diffs.append(f"parameters {want_params} in template.json, {params} in main.bicep")
    outputs = {}
    for n in root.named_children:
        if n.type == "output_declaration":
            kids = n.named_children
            outputs[kids[0].text.decode()] = (kids[1].text.decode(), bicep_value(kids[-1]))
    want_out = {k: (v["type"], arm_value(v["value"])) for k, v in arm.get("outputs", {}).items()}
    if outputs != want_out:
        diffs.append(f"outputs {want_out} in template.json, {outputs} in main.bicep")
    return diffs


def values_fit_decorators(binary, name):
    """Every @minLength/@maxLength that main.bicep declares (from the naming
    rules) admits the example's value in main.bicepparam: a decorator that
    drifted from the rules would refuse a deployment the wizard calls valid."""
    import re
    spec = subprocess.check_output([binary, "example", name])
    bicep = subprocess.run([binary, "emit", "--format", "bicep", "-"], input=spec, capture_output=True, check=True).stdout
    params = subprocess.run([binary, "emit", "--format", "bicepparam", "-"], input=spec, capture_output=True,
                            check=True).stdout.decode()
    bounds, pending = {}, {}
    for node in PARSER.parse(bicep).root_node.named_children:
        if node.type == "decorators":
            pending = {m.group(1): int(m.group(2))
                       for m in re.finditer(r"@(minLength|maxLength)\((\d+)\)", node.text.decode())}
        elif node.type == "parameter_declaration":
            if pending:
                bounds[node.named_children[0].text.decode()] = pending
            pending = {}
    problems = []
    for param, b in bounds.items():
        m = re.search(rf"^param {param} = ('(?:[^'\\]|\\.)*')$", params, re.M)
        if not m:
            continue
        length = len(unescape(m.group(1)))
        if not b.get("minLength", 0) <= length <= b.get("maxLength", 10**9):
            problems.append(f"{param}: {length} characters, outside @minLength({b.get('minLength')}) "
                            f"@maxLength({b.get('maxLength')})")
    return problems, len(bounds)


def main():
    binary = sys.argv[1]
    tampered = same_deployment(binary, "cmk-user-assigned",
                               lambda b: b.replace(b"enablePurgeProtection: true", b"enablePurgeProtection: false"))
    if not tampered:
        sys.exit("bicep-check: a changed property went unnoticed: the comparison with template.json cannot fail")
    if values_fit_decorators(binary, "cmk-user-assigned")[1] == 0:
        sys.exit("bicep-check: no @minLength/@maxLength found: the decorator check would check nothing")
    if not hostile_value_survives(binary):
        sys.exit("bicep-check: a hostile tag value did not come back whole from main.bicepparam")
    if not problems(KNOWN_BAD):
        sys.exit("bicep-check: the known-bad file parsed without errors: the check cannot fail")
    names = [line.split()[0] for line in subprocess.check_output([binary, "example", "--list"], text=True).splitlines()]
    failed = passed = 0
    for name in names:
        spec = subprocess.check_output([binary, "example", name])
        for fmt in ("bicep", "bicepparam"):
            out = subprocess.run([binary, "emit", "--format", fmt, "-"], input=spec, capture_output=True)
            if out.returncode != 0:
                print(f"FAIL {name} {fmt}: emit exited {out.returncode}: {out.stderr.decode()[:200]}")
                failed += 1
                continue
            source = out.stdout if fmt == "bicep" else as_var_syntax(out.stdout)
            found = problems(source)
            if fmt == "bicep" and not found:
                found = same_deployment(binary, name) + values_fit_decorators(binary, name)[0]
            if found:
                print(f"FAIL {name} {fmt}: " + "; ".join(found[:5]))
                failed += 1
            else:
                passed += 1
    print(f"bicep-check: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
