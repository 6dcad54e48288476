#!/usr/bin/env python3
"""Runs one PowerShell script against the Azure stand-in's state.

  run.py SCRIPT.ps1          STANDIN_STATE=<state file> (required), standard input for Read-Host

The state file is the one the stand-in's `az` uses (tests/support/azure_standin), locked
for the whole run. STANDIN_RBAC_DELAY, STANDIN_FAIL_CALL, STANDIN_FAIL_MATCH and
STANDIN_CLIENT_IP mean what they mean for `az`.

Exit status, as pwsh -File would end: 0 when the script ran to its end, 1 when a
terminating error stopped it (printed as PowerShell's error view does: the message,
then the error id), N for `exit N`; 97 when the script used something the runner does
not model (printed as "UNMODELLED: ..."): a test must never take that for a result.
RW_PS_LOG=FILE appends a line per run (its exit status, "ran" or "unmodelled").
"""

import fcntl
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from powershell_runner import az, builtins  # noqa: E402,F401  (registration)
from powershell_runner.errors import ExitScript, PSError, Unmodelled  # noqa: E402
from powershell_runner.host import Host, standin  # noqa: E402
from powershell_runner.interp import Interpreter  # noqa: E402

UNMODELLED_EXIT = 97


def main(argv):
    if len(argv) < 1:
        sys.stderr.write("usage: run.py SCRIPT.ps1 [ARGUMENT...]\n")
        return 2
    path = os.environ.get("STANDIN_STATE")
    if not path:
        sys.stderr.write("run.py needs STANDIN_STATE (the Azure stand-in's state file)\n")
        return 2
    with open(argv[0], encoding="utf-8-sig") as f:
        source = f.read()
    stdin_lines = sys.stdin.read().splitlines() if not sys.stdin.isatty() else []
    with open(path + ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        state = standin.load_state(path)
        host = Host(state, stdin_lines=stdin_lines)
        code = 0
        try:
            Interpreter(host).run(source, path=argv[0], args=argv[1:])
        except ExitScript as e:
            code = e.code
        except PSError as e:
            host.write_error(e.message)
            host.write_error("    + FullyQualifiedErrorId : " + (e.error_id or "RuntimeException"))
            code = 1
        except Unmodelled as e:
            host.write_error("UNMODELLED: " + str(e))
            code = UNMODELLED_EXIT
        finally:
            standin.save_state(path, state)
        log = os.environ.get("RW_PS_LOG")
        if log:  # the test command counts the runs and the unmodelled ones
            with open(log, "a", encoding="utf-8") as f:
                f.write("{}\t{}\n".format(code, "unmodelled" if code == UNMODELLED_EXIT else "ran"))
        for line in host.stdout:
            sys.stdout.write(line + "\n")
        for line in host.stderr:
            sys.stderr.write(line + "\n")
        return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
