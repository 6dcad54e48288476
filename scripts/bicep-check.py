#!/usr/bin/env python3
"""Parses every example's Bicep (main.bicep, main.bicepparam) with
tree-sitter-bicep, a real Bicep grammar: no ERROR or MISSING node may be in
the tree. A known-bad file proves the check can fail. Syntax only: no Bicep
compiler can be installed here, so types and symbols are not checked.

usage: bicep-check.py REGISTRY_WIZARD_BIN
"""
import subprocess
import sys

import tree_sitter
import tree_sitter_bicep

PARSER = tree_sitter.Parser(tree_sitter.Language(tree_sitter_bicep.language()))
KNOWN_BAD = b"resource registry 'Microsoft.ContainerRegistry/registries@2025-11-01' = {\n  name: 'x'\n"


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
    source = b"\n".join(b"var " + l[6:] if l.startswith(b"param ") else l for l in out.split(b"\n"))
    if problems(source):
        return False
    stack, strings = [PARSER.parse(source).root_node], []
    while stack:
        node = stack.pop()
        if node.type == "string":
            strings.append(unescape(node.text.decode()))
        stack.extend(node.children)
    return HOSTILE in strings


def main():
    binary = sys.argv[1]
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
            # A day-2 change has no deployment: main.bicep says why, and
            # there are no parameters to write.
            if fmt == "bicepparam" and out.returncode == 1 and b"needs no such" in out.stderr:
                continue
            if out.returncode != 0:
                print(f"FAIL {name} {fmt}: emit exited {out.returncode}: {out.stderr.decode()[:200]}")
                failed += 1
                continue
            source = out.stdout
            if fmt == "bicepparam":
                # The grammar (tree-sitter-bicep 1.1.0) has no .bicepparam
                # assignments; `param NAME = EXPR` has the syntax of
                # `var NAME = EXPR`, which it parses, values and all.
                source = b"\n".join(b"var " + l[6:] if l.startswith(b"param ") else l for l in source.split(b"\n"))
            found = problems(source)
            if found:
                print(f"FAIL {name} {fmt}: " + "; ".join(found[:5]))
                failed += 1
            else:
                passed += 1
    print(f"bicep-check: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
