#!/usr/bin/env python3
"""Runs every tests/golden/*/deploy.sh against the stand-in and reports how each run ends.

  python3 tests/support/azure_standin/run_goldens.py [NAME...]

For each example: a first run from a fresh state (seeded from golden_seeds.json), a second run on the same
state, a first run with STANDIN_RBAC_DELAY=600 (GOLDEN_DELAY=N to change), and a first run signed in as a
service principal. post-deploy.sh runs on the end state of deploy.sh (no ARM template evaluation here). Prints one line per run: exit code, az calls, virtual
seconds, and the last error line. Informational: the goldens are the old scripts, some failures are expected.
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))


SP_LOGIN = {"type": "servicePrincipal", "appId": "22222222-2222-2222-2222-222222222222",
            "objectId": "33333333-3333-3333-3333-333333333333", "displayName": "deploy-bot"}


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
    scripts = []
    for name in names:
        for script in ("deploy.sh", "pre-deploy.sh", "post-deploy.sh"):
            if os.path.exists(os.path.join(golden, name, script)):
                scripts.append((name, script))
    tmp = tempfile.mkdtemp(prefix="standin-goldens-")
    results = {}
    for name, script_name in scripts:
        script = os.path.join(golden, name, script_name)
        delay = os.environ.get("GOLDEN_DELAY", "600")
        for label, second, env in (("first", False, None), ("second", True, None),
                                   ("delay" + delay, False, {"STANDIN_RBAC_DELAY": delay}),
                                   ("sp-login", False, None)):
            state = os.path.join(tmp, "{}.{}.{}.json".format(name, script_name, label if label != "second" else "first"))
            if not second and script_name == "post-deploy.sh":
                # post-deploy.sh starts from a deployed registry: take the end state of deploy.sh's same run
                # (the stand-in does not evaluate ARM templates).
                import shutil
                shutil.copy(os.path.join(tmp, "{}.deploy.sh.{}.json".format(name, label)), state)
            elif not second:
                seed = dict(seeds.get(name, {}))
                if label == "sp-login":
                    seed["login"] = SP_LOGIN
                with open(state, "w", encoding="utf-8") as f:
                    json.dump({"seed": seed}, f)
            rc, calls, clock, err, _ = run(script, state, env)
            results[(name, script_name, label)] = rc
            shown = name if script_name == "deploy.sh" else name + "/" + script_name
            print("{:46} {:8} rc={} calls={:3} t={:5}s {}".format(shown, label, rc, calls, int(clock), err[:200]))
    return results


if __name__ == "__main__":
    main(sys.argv[1:])
