#!/usr/bin/env python3
"""Runs every tests/golden/*/deploy.sh against the stand-in and reports how each run ends.

  python3 tests/support/azure_standin/run_goldens.py [NAME...]

For each example: a first run from a fresh state (seeded from golden_seeds.json), a second run on the same
state, and a first run with STANDIN_RBAC_DELAY=600. Prints one line per run: exit code, az calls, virtual
seconds, and the last error line. Informational: the goldens are the old scripts, some failures are expected.
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))


def run(script, state, extra_env=None):
    env = dict(os.environ)
    env["PATH"] = os.path.join(HERE, "bin") + os.pathsep + env.get("PATH", "")
    env["STANDIN_STATE"] = state
    env.setdefault("STANDIN_PYTHON", sys.executable)
    env.pop("STANDIN_RBAC_DELAY", None)
    env.update(extra_env or {})
    p = subprocess.run(["bash", script], cwd=os.path.dirname(script), env=env, capture_output=True, text=True,
                       timeout=600)
    with open(state, encoding="utf-8") as f:
        st = json.load(f)
    errs = [l for l in p.stderr.splitlines() if l.startswith("ERROR") or "not in" in l or "has no" in l]
    return p.returncode, len(st.get("calls", [])), st.get("clock", 0), (errs[-1] if errs else ""), p


def main(names):
    with open(os.path.join(HERE, "golden_seeds.json"), encoding="utf-8") as f:
        seeds = json.load(f)
    golden = os.path.join(REPO, "tests", "golden")
    names = names or sorted(d for d in os.listdir(golden) if os.path.exists(os.path.join(golden, d, "deploy.sh")))
    tmp = tempfile.mkdtemp(prefix="standin-goldens-")
    results = {}
    for name in names:
        script = os.path.join(golden, name, "deploy.sh")
        for label, second, env in (("first", False, None), ("second", True, None),
                                   ("delay600", False, {"STANDIN_RBAC_DELAY": "600"})):
            state = os.path.join(tmp, "{}.{}.json".format(name, "delay" if env else "main"))
            if not second:
                with open(state, "w", encoding="utf-8") as f:
                    json.dump({"seed": seeds[name]} if name in seeds else {}, f)
            rc, calls, clock, err, _ = run(script, state, env)
            results[(name, label)] = rc
            print("{:34} {:8} rc={} calls={:3} t={:5}s {}".format(name, label, rc, calls, int(clock), err[:200]))
    return results


if __name__ == "__main__":
    main(sys.argv[1:])
