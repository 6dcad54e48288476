"""What a run shares with the world: the Azure stand-in's state, the virtual clock,
standard input, the environment, and what the script writes.

The state is the stand-in's (tests/support/azure_standin/standin.py): the same
file `az` reads and writes, so a PowerShell run and a bash run of the same spec
can be compared resource by resource. Every Az cmdlet call is a call in the
state's log (`state["calls"]`, as ["Cmdlet-Name", "-Param", "value", ...]) and
advances the clock by 2 s, as an az call does; `STANDIN_FAIL_CALL=N` and
`STANDIN_FAIL_MATCH=Cmdlet-Name` fail one call transiently, as they do for az.
"""

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "azure_standin"))
import standin  # noqa: E402  (the Azure stand-in's model: shared state and helpers)

from .errors import PSError  # noqa: E402


class Host:
    def __init__(self, state, env=None, stdin_lines=()):
        self.state = state
        self.env = dict(os.environ if env is None else env)
        self._stdin = list(stdin_lines)
        self.stdout = []   # lines written to the output stream (Write-Output, Format-List, Write-Host)
        self.stderr = []   # warnings and errors, as the console shows them
        self.cache = {}    # per-run caches of the Az models (e.g. a session's context)
        # [Console]::IsInputRedirected: the runs read standard input from a pipe, not a terminal
        self.input_redirected = True

    # -- streams -------------------------------------------------------------------------------
    def write_out(self, text):
        self.stdout.append(text)

    def write_warning(self, text):
        self.stderr.append("WARNING: " + text)

    def write_error(self, text):
        self.stderr.append(text)

    def read_line(self):
        """Read-Host: the next line of standard input, or "" at its end (as a redirected console)."""
        return self._stdin.pop(0) if self._stdin else ""

    # -- time ----------------------------------------------------------------------------------
    def sleep(self, seconds):
        self.state["clock"] += seconds
        self.state["sleeps"].append(seconds)

    # -- Azure calls ---------------------------------------------------------------------------
    def begin_az_call(self, name, argv):
        """Logs an Az cmdlet call and applies the stand-in's failure injection: the N-th call
        (over the life of the state, az and cmdlet calls together) or every call of a cmdlet
        fails once, as a 503 that Az's retries did not overcome would."""
        self.state["calls"].append([name] + list(argv))
        self.state["clock"] += 2
        n = len(self.state["calls"])
        fail_call = self.env.get("STANDIN_FAIL_CALL", "").strip()
        fail_match = self.env.get("STANDIN_FAIL_MATCH", "").strip()
        if (fail_call.isdigit() and int(fail_call) == n) or (fail_match and fail_match.lower() == name.lower()):
            raise PSError("The service is temporarily unavailable. Please retry.",
                          error_id="ServiceUnavailable," + name, category="ConnectionError",
                          exception_type="Microsoft.Rest.Azure.CloudException", terminating=False)

    def snapshot(self):
        return json.dumps({k: v for k, v in self.state.items() if k not in ("calls", "clock", "sleeps")})

    def restore(self, snap):
        """A failed call leaves Azure as it was (the stand-in's az path does the same)."""
        restored = json.loads(snap)
        for k in list(self.state):
            if k not in ("calls", "clock", "sleeps"):
                del self.state[k]
        self.state.update(restored)
