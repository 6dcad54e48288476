#!/usr/bin/env python3
"""Runs every `az` call of every example's generated bash through the real
Azure CLI parser, without a login.

Each script is first executed with the stub `az` of tests/support (which
records each call's argv); then each recorded call is given to the real `az`
with an empty config dir. A valid call stops at "Please run 'az login'" (exit
1); an unknown flag, bad enum value, missing argument or misspelled command
exits 2 before that. A known-bad call proves the check can fail.

Calls recorded by the Azure stand-in's scenarios (tests/scripts_run.rs with
RW_RECORD_CALLS=FILE: second runs, service principals, pre- and
post-deployment scripts) are checked too, each distinct call once, and so
are the commands the scripts print for the user to run later.

usage: az-parse-check.py REGISTRY_WIZARD_BIN AZ_BIN [RECORDED_CALLS_FILE]
"""
import json
import concurrent.futures
import os
import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
BAD = ["unrecognized arguments", "invalid choice", "is not a valid value",
       "the following arguments are required", "misspelled", "error: argument"]
KNOWN_BAD = ["acr", "create", "--name", "x", "--resource-group", "y", "--sku", "Premium", "--no-such-flag", "1"]


def stub_source():
    text = (ROOT / "tests/support/mod.rs").read_text()
    return text.split('const STUB_AZ: &str = r#"')[1].split('"#;')[0]


def recorded_calls(binary):
    names = [line.split()[0] for line in subprocess.check_output([binary, "example", "--list"], text=True).splitlines()]
    # Then the specs no example is (tests/fixtures/specs).
    cases = [(name, None) for name in names]
    cases += [(p.stem, p.read_bytes()) for p in sorted((ROOT / "tests/fixtures/specs").glob("*.json"))]
    calls = []
    for name, spec in cases:
        spec = spec or subprocess.check_output([binary, "example", name])
        script = subprocess.check_output([binary, "emit", "--format", "azcli", "-"], input=spec)
        with tempfile.TemporaryDirectory() as tmp:
            d = pathlib.Path(tmp)
            (d / "bin").mkdir()
            (d / "log").mkdir()
            (d / "bin" / "az").write_text(stub_source())
            (d / "bin" / "az").chmod(0o755)
            (d / "deploy.sh").write_bytes(script)
            # Destructive day-2 scripts ask first: answer as automation does.
            registry = next((l.split("=", 1)[1] for l in script.decode().splitlines() if l.startswith("REGISTRY_NAME=")), "")
            env = dict(os.environ, PATH=f"{d / 'bin'}:{os.environ['PATH']}", AZ_LOG_DIR=str(d / "log"),
                       CONFIRM_REGISTRY=registry)
            subprocess.run(["bash", str(d / "deploy.sh")], env=env, check=True, cwd=d, capture_output=True)
            for f in sorted((d / "log").iterdir()):
                calls.append((name, f.read_bytes().decode().split("\0")[:-1]))
    return calls


def parse(az, argv):
    with tempfile.TemporaryDirectory() as config:
        env = dict(os.environ, AZURE_CONFIG_DIR=config, AZURE_CORE_COLLECT_TELEMETRY="no", AZURE_CORE_NO_COLOR="true")
        p = subprocess.run([az] + argv, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=180)
    rejected = p.returncode == 2 or any(b in p.stderr for b in BAD)
    return rejected, p.returncode, (p.stderr.strip().splitlines() or [""])[0]


def main():
    binary, az = sys.argv[1], sys.argv[2]
    rejected, _, first = parse(az, KNOWN_BAD)
    if not rejected:
        print(f"the check cannot fail: a known-bad call was accepted ({first})")
        return 1
    calls = recorded_calls(binary)
    if len(sys.argv) > 3:
        seen = {tuple(argv) for _, argv in calls}
        for line in pathlib.Path(sys.argv[3]).read_text().splitlines():
            argv = json.loads(line)
            if tuple(argv) not in seen:
                seen.add(tuple(argv))
                calls.append(("stand-in scenario", argv))
    # Printed for the user (the signed-in account's standing role), not run.
    calls.append(("printed", ["role", "assignment", "delete", "--assignee", "00000000-0000-0000-0000-000000000001",
                              "--role", "Key Vault Crypto Officer", "--scope",
                              "/subscriptions/0/resourceGroups/g/providers/Microsoft.KeyVault/vaults/v"]))
    passed = failed = 0
    with concurrent.futures.ThreadPoolExecutor(3) as pool:
        for (name, argv), (bad, code, first) in zip(calls, pool.map(lambda c: parse(az, c[1]), calls)):
            command = " ".join(a for a in argv[:4] if not a.startswith("-"))
            print(f"{'FAIL' if bad else 'ok  '} {name}: az {command} (exit {code}) {first[:120]}")
            failed += bad
            passed += not bad
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
