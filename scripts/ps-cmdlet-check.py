#!/usr/bin/env python3
"""Checks every Az cmdlet call in the generated PowerShell against Az 16's parameter lists.

Usage:
  ps-cmdlet-check.py REGISTRY_WIZARD_BINARY          every example, every PowerShell output
  ps-cmdlet-check.py --files SCRIPT.ps1 ...           only these files

Each script is parsed with tree-sitter-powershell (a real PowerShell grammar, so
comments, strings and here-strings are never mistaken for commands). For every
`command` node whose name is Verb-Az*:
  * the cmdlet must be in tests/powershell_help/*.json (Az 16 parameter lists);
  * every -Parameter must be a parameter or alias of it (case-insensitive); an
    unambiguous prefix is legal PowerShell but is reported as a warning, an
    ambiguous one is an error;
  * a parameter that is not a switch must have a value; arguments that no named
    parameter takes (positional binding) are reported as errors: the scripts
    name every parameter;
  * some parameter set must accept every parameter given and have all of its
    mandatory parameters given.
Splatting (@args) and pipeline input are not resolved: the named parameters are
still checked, the "mandatory parameters given" check is skipped and a warning
says so. Exit status 1 on any error (or when the self-test fails), else 0.
"""
import json
import glob
import os
import re
import subprocess
import sys
import tempfile

import tree_sitter
import tree_sitter_powershell

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HELP_DIR = os.path.join(ROOT, "tests", "powershell_help")
FORMATS = ["powershell", "arm-pre-deploy-ps", "arm-post-deploy-ps"]
AZ_CMDLET = re.compile(r"^[A-Za-z]+-Az[A-Za-z0-9]+$")
SPLAT = re.compile(r"^@[A-Za-z_][A-Za-z0-9_]*$")
REDIRECTION = re.compile(r"^(\d|\*)?>>?(&\d)?")

_parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_powershell.language()))


def load_help(help_dir=HELP_DIR):
    """Cmdlet name (lower case) -> entry with its module, sets, aliases and switches."""
    cmdlets = {}
    for name in sorted(os.listdir(help_dir)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(help_dir, name), encoding="utf-8") as f:
            data = json.load(f)
        for cmdlet, entry in data["cmdlets"].items():
            params = {}
            for pset in entry["parameterSets"].values():
                for p in pset["mandatory"] + pset["optional"]:
                    params[p.lower()] = p
            cmdlets[cmdlet.lower()] = {
                "name": cmdlet,
                "module": data["module"],
                "sets": entry["parameterSets"],
                "default": entry.get("defaultParameterSet"),
                "params": params,  # lower -> canonical
                "aliases": {a.lower(): p for a, p in entry.get("aliases", {}).items()},
                "switches": {s.lower() for s in entry.get("switches", [])},
            }
    return cmdlets


def resolve(entry, token):
    """-Name -> (canonical name, warning or None) or (None, error)."""
    low = token.lower()
    if low in entry["params"]:
        return entry["params"][low], None
    if low in entry["aliases"]:
        return entry["aliases"][low], None
    names = {**entry["params"], **entry["aliases"]}
    hits = sorted({canon for full, canon in names.items() if full.startswith(low)})
    if len(hits) == 1:
        return hits[0], f"-{token} is a prefix of -{hits[0]}: spell it in full"
    if len(hits) > 1:
        return None, f"-{token} is ambiguous ({', '.join('-' + h for h in hits)})"
    return None, f"-{token} is not a parameter of {entry['name']} in Az 16"


def is_piped(node):
    prev = node.prev_sibling
    return prev is not None and prev.type == "|"


def check_command(node, entry):
    """Returns (errors, warnings, bound parameter names) for one command node."""
    errors, warnings = [], []
    elements = []
    for child in node.children:
        if child.type == "command_elements":
            elements = [e for e in child.children]
    bound = []
    splatted = False
    i = 0
    n = len(elements)
    while i < n:
        el = elements[i]
        text = el.text.decode()
        if el.type == "command_argument_sep":
            i += 1
            continue
        if el.type == "command_parameter":
            token = text[1:].rstrip(":")
            canon, msg = resolve(entry, token)
            # Is the value glued with a colon (-Name:$x)?
            colon = text.endswith(":") or (i + 1 < n and elements[i + 1].type == "command_argument_sep"
                                           and elements[i + 1].text.decode().strip() == ":")
            j = i + 1
            while j < n and elements[j].type == "command_argument_sep":
                j += 1
            has_value = j < n and elements[j].type != "command_parameter"
            if canon is None:
                errors.append(msg)
            else:
                if msg:
                    warnings.append(msg)
                if canon in bound:
                    errors.append(f"-{canon} is given twice")
                bound.append(canon)
                if canon.lower() in entry["switches"] and not colon:
                    has_value = False  # a switch takes no argument; the next one is positional
                elif not has_value:
                    errors.append(f"-{canon} needs a value")
            i = j + 1 if has_value else j
            continue
        if text and SPLAT.match(text):
            splatted = True
            warnings.append(f"splatted {text}: its parameters are not checked")
        elif el.type == "generic_token" and REDIRECTION.match(text):
            pass
        else:
            errors.append(f"positional argument {text[:40]!r}: name its parameter")
        i += 1

    if errors:
        return errors, warnings, bound
    given = {b.lower() for b in bound}
    sets = entry["sets"]
    accepting = {s: p for s, p in sets.items()
                 if given <= {x.lower() for x in p["mandatory"] + p["optional"]}}
    if not accepting:
        errors.append("no parameter set takes all of " + ", ".join("-" + b for b in bound)
                      + " (sets: " + "; ".join(f"{s}" for s in sets) + ")")
        return errors, warnings, bound
    if splatted or is_piped(node):
        if not splatted:
            warnings.append("pipeline input: mandatory parameters not checked")
        return errors, warnings, bound
    complete = [s for s, p in accepting.items() if {m.lower() for m in p["mandatory"]} <= given]
    if not complete:
        missing = {s: [m for m in p["mandatory"] if m.lower() not in given] for s, p in accepting.items()}
        best = min(missing.items(), key=lambda kv: len(kv[1]))
        errors.append(f"missing mandatory parameter(s) {', '.join('-' + m for m in best[1])} "
                      f"(parameter set {best[0]}; sets that take the given parameters: {', '.join(accepting)})")
    elif len(complete) > 1 and entry["default"] not in complete:
        # PowerShell resolves this only if one set is the default; say which ones compete.
        warnings.append(f"more than one parameter set fits ({', '.join(complete)})")
    return errors, warnings, bound


def check_source(source, cmdlets):
    """Yields (severity, line, cmdlet, message) for every problem in a script's text."""
    tree = _parser.parse(source.encode("utf-8"))
    if tree.root_node.has_error:
        yield ("error", 1, "-", "the PowerShell parser reports a syntax error")
    stack = [tree.root_node]
    calls = 0
    while stack:
        node = stack.pop()
        stack.extend(reversed(node.children))
        if node.type != "command":
            continue
        names = [c for c in node.children if c.type == "command_name"]
        if not names:
            continue
        name = names[0].text.decode()
        if not AZ_CMDLET.match(name):
            continue
        calls += 1
        line = node.start_point[0] + 1
        entry = cmdlets.get(name.lower())
        if entry is None:
            yield ("error", line, name, f"{name} is not a cmdlet of the Az 16 modules in tests/powershell_help")
            continue
        if entry["name"] != name:
            yield ("warning", line, name, f"spelled {name}, Az spells it {entry['name']}")
        errors, warnings, _ = check_command(node, entry)
        for e in errors:
            yield ("error", line, name, e)
        for w in warnings:
            yield ("warning", line, name, w)
    yield ("calls", 0, "-", str(calls))


def check_text(source, cmdlets):
    """(errors, warnings, number of Az calls) of one script."""
    errors, warnings, calls = [], [], 0
    for sev, line, cmdlet, msg in check_source(source, cmdlets):
        if sev == "calls":
            calls = int(msg)
        elif sev == "error":
            errors.append((line, cmdlet, msg))
        else:
            warnings.append((line, cmdlet, msg))
    return errors, warnings, calls


SELF_TEST_BAD = "New-AzContainerRegistry -Name x -ResourceGroupName y -Location z -SkuName Premium\n"
SELF_TEST_GOOD = "New-AzContainerRegistry -Name x -ResourceGroupName y -Location z -Sku Premium\n"


def self_test(cmdlets):
    bad, _, _ = check_text(SELF_TEST_BAD, cmdlets)
    good, _, _ = check_text(SELF_TEST_GOOD, cmdlets)
    if not any("SkuName" in m for _, _, m in bad):
        print("ps-cmdlet-check: SELF-TEST FAILED: the old parameter -SkuName was not rejected", file=sys.stderr)
        return False
    if good:
        print(f"ps-cmdlet-check: SELF-TEST FAILED: a valid call was rejected: {good}", file=sys.stderr)
        return False
    return True


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True)


def example_scripts(binary):
    """Yields (example, format, script text) for every non-empty PowerShell output."""
    listing = run([binary, "example", "--list"])
    if listing.returncode != 0:
        sys.exit(f"ps-cmdlet-check: {binary} example --list failed: {listing.stderr}")
    names = [line.split()[0] for line in listing.stdout.splitlines() if line.strip()]
    # Then the specs no example is (tests/fixtures/specs).
    variants = sorted(glob.glob(os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "specs", "*.json")))
    with tempfile.TemporaryDirectory() as tmp:
        for name in names + variants:
            if name.endswith(".json"):
                path, name = name, os.path.basename(name)[:-5]
            else:
                spec = run([binary, "example", name])
                if spec.returncode != 0:
                    sys.exit(f"ps-cmdlet-check: {binary} example {name} failed: {spec.stderr}")
                path = os.path.join(tmp, name + ".json")
                with open(path, "w", encoding="utf-8") as f:
                    f.write(spec.stdout)
            for fmt in FORMATS:
                out = run([binary, "emit", "--format", fmt, path])
                if out.stdout.strip():
                    yield name, fmt, out.stdout
                else:
                    yield name, fmt, None


def main(argv):
    cmdlets = load_help()
    if not self_test(cmdlets):
        return 1
    if len(argv) >= 1 and argv[0] == "--files":
        items = []
        for path in argv[1:]:
            with open(path, encoding="utf-8") as f:
                items.append((os.path.basename(path), "file", f.read()))
    elif len(argv) == 1:
        items = example_scripts(argv[0])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    passed = failed = 0
    for example, fmt, text in items:
        if text is None:
            continue  # this script does not exist for this spec
        errors, warnings, calls = check_text(text, cmdlets)
        where = f"{example} {fmt}"
        for line, cmdlet, msg in warnings:
            print(f"WARN {where}:{line}: {cmdlet}: {msg}")
        for line, cmdlet, msg in errors:
            print(f"FAIL {where}:{line}: {cmdlet}: {msg}")
        if errors:
            failed += 1
        else:
            passed += 1
            print(f"ok   {where}: {calls} Az calls")
    print(f"ps-cmdlet-check: {passed} passed, {failed} failed")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
