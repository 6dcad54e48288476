"""The interpreter held to documented PowerShell behaviour: each test cites the doc that states
the output (PowerShell 7.4 reference, MicrosoftDocs/PowerShell-Docs reference/7.4/...).

Run from the repository root:
  .tools/pyps/bin/python -m unittest discover -s tests/support/powershell_runner -p 'test_interp.py'
"""

import glob
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, os.path.dirname(HERE))

from powershell_runner import commands  # noqa: E402
from powershell_runner.errors import ExitScript, PSError, Unmodelled  # noqa: E402
from powershell_runner.host import Host  # noqa: E402
from powershell_runner.interp import HANDLED, Interpreter, _PARSER  # noqa: E402
from powershell_runner.values import PSObject  # noqa: E402


def new_host(env=None, stdin=()):
    return Host({"clock": 0, "sleeps": [], "calls": []}, env=env or {}, stdin_lines=stdin)


def run(src, env=None, stdin=()):
    """Runs `src`; returns (stdout lines, stderr lines, host)."""
    h = new_host(env, stdin)
    Interpreter(h).run(src, "test.ps1")
    return h.stdout, h.stderr, h


def out(src, **kw):
    return run(src, **kw)[0]


class StrictMode(unittest.TestCase):
    # Set-StrictMode.md, Example 1: "The variable '$a' cannot be retrieved because it has not been set."
    # The error ends the statement and the script goes on (about_Error_Handling: statement-terminating);
    # with $ErrorActionPreference = 'Stop' it ends the script.
    def test_unset_variable(self):
        o, e, _ = run("Set-StrictMode -Version 1.0\n$a -gt 5\n'next'")
        self.assertEqual((o, e), (["next"], ["The variable '$a' cannot be retrieved because it has not been set."]))
        with self.assertRaises(PSError) as c:
            run("$ErrorActionPreference = 'Stop'\nSet-StrictMode -Version 1.0\n$a -gt 5")
        self.assertEqual(c.exception.error_id, "VariableIsUndefined")
        self.assertIn("The variable '$a' cannot be retrieved because it has not been set.", c.exception.message)

    # Set-StrictMode.md, Example 1: strict mode off, `$a -gt 5` is False
    def test_unset_variable_off(self):
        self.assertEqual(out("$a -gt 5"), ["False"])

    # Set-StrictMode.md, Example 2: `$null -eq $string.Month` is True when off, an error at 2.0
    def test_missing_property(self):
        self.assertEqual(out("Set-StrictMode -Off\n$string = 'This is a string.'\n$null -eq $string.Month"), ["True"])
        with self.assertRaises(PSError) as c:
            run("$ErrorActionPreference = 'Stop'\nSet-StrictMode -Version 2.0\n$string = 'This is a string.'\n$null -eq $string.Month")
        self.assertEqual(c.exception.message,
                         "The property 'Month' cannot be found on this object. Verify that the property exists.")

    def test_missing_property_of_pscustomobject(self):
        with self.assertRaises(PSError):
            run("$ErrorActionPreference = 'Stop'\nSet-StrictMode -Version Latest\n$o = [pscustomobject]@{ a = 1 }\n$o.b")

    # about_Hash_Tables: a missing key is $null (keys are not properties of an object)
    def test_missing_hashtable_key_is_null(self):
        self.assertEqual(out("Set-StrictMode -Version Latest\n$h = @{ a = 1 }\n$null -eq $h.b\n$null -eq $h['b']"),
                         ["True", "True"])

    # Set-StrictMode.md, Example 3: out of bounds index is an error at 3.0, $null when off
    def test_out_of_bounds(self):
        self.assertEqual(out("$a = @(1)\n$null -eq $a[2]"), ["True"])
        with self.assertRaises(PSError) as c:
            run("$ErrorActionPreference = 'Stop'\nSet-StrictMode -Version 3.0\n$a = @(1)\n$a[2]")
        self.assertEqual(c.exception.message, "Index was outside the bounds of the array.")

    # about_Intrinsic_Members: "$null is scalar and has an intrinsic Count and Length of 0";
    # 'string'.Count is 1
    def test_intrinsic_count(self):
        self.assertEqual(out("Set-StrictMode -Version Latest\n$x = $null\n$x.Count\n'string'.Count\n'string'.Length"),
                         ["0", "1", "6"])


class Pipelines(unittest.TestCase):
    # about_Assignment_Operators / about_Pipelines: one output object is assigned as itself
    def test_one_element_result_is_scalar(self):
        self.assertEqual(out("$x = @(1) | Where-Object { $true }\n$x -is [array]\n$x"), ["False", "1"])
        self.assertEqual(out("$x = @(@(1) | Where-Object { $true })\n$x -is [array]\n$x.Count"), ["True", "1"])

    # about_Arrays: @() is always an array; `,` builds one
    def test_array_subexpression(self):
        self.assertEqual(out("$a = @()\n$a.Count\n$b = ,1\n$b -is [array]\n@(@(1, 2)).Count"), ["0", "True", "2"])

    def test_out_null_and_foreach(self):
        self.assertEqual(out("1, 2 | ForEach-Object { $_ * 2 } | Out-Null\n1, 2 | ForEach-Object { $_ * 2 }"),
                         ["2", "4"])

    # about_Member-Access_Enumeration: a property of a collection is each element's property
    def test_member_enumeration(self):
        self.assertEqual(out("$a = @([pscustomobject]@{ N = 'x' }, [pscustomobject]@{ N = 'y' })\n$a.N -join ','"),
                         ["x,y"])

    # Select-Object.md: -Property makes a new object with those properties
    def test_select_object(self):
        self.assertEqual(out("[pscustomobject]@{ a = 1; b = 2; c = 3 } | Select-Object -Property 'a', 'c' | "
                             "ForEach-Object { $_.PSObject.Properties.Name -join ',' }"), ["a,c"])


class Comparison(unittest.TestCase):
    # about_Comparison_Operators: "-contains ... $null -contains" / "@($null) -contains $null"
    def test_contains_null(self):
        self.assertEqual(out("$null -contains 'a'\n@($null) -contains $null\n'abc', 'def' -contains 'DEF'"),
                         ["False", "True", "True"])

    # about_Comparison_Operators: case-insensitive by default; -ceq is case-sensitive
    def test_case(self):
        self.assertEqual(out("'abc' -eq 'ABC'\n'abc' -ceq 'ABC'\n'abc' -ieq 'ABC'"), ["True", "False", "True"])

    # about_Comparison_Operators: "When the left-hand side is a collection ... returns the matching members"
    def test_array_filter(self):
        self.assertEqual(out("$r = 1, 2, 3, 2 -eq 2\n$r.Count\n(1, 2, 3 -ne 2) -join ','"), ["2", "1,3"])

    # about_Comparison_Operators, "Equality with $null": put $null on the left
    def test_null_comparisons(self):
        self.assertEqual(out("$null -eq $null\n$a = @(1, $null, 2)\n($a -eq $null).Count\n$null -eq $a"),
                         ["True", "1", "False"])

    # about_Comparison_Operators: the right operand is converted to the left's type
    def test_conversion(self):
        self.assertEqual(out("'1' -eq 1\n1 -eq '1.0'\n'1.0' -eq 1"), ["True", "True", "False"])

    # about_Comparison_Operators: -match sets $Matches; -replace with $1
    def test_match_replace(self):
        self.assertEqual(out("'Sunday' -match 'sun(d)'\n$Matches[0]\n$Matches[1]\n'abc' -replace 'B', 'x'\n"
                             "'John Doe' -replace '(\\w+) (\\w+)', '$2, $1'"),
                         ["True", "Sund", "d", "axc", "Doe, John"])

    def test_like_split_join(self):
        self.assertEqual(out("'Registry' -like 'reg*'\n('a,b,c' -split ',').Count\n@('a', 'b') -join '-'"),
                         ["True", "3", "a-b"])


class Values(unittest.TestCase):
    # about_Quoting_Rules: "$a.b" expands only $a; $() expands the expression
    def test_string_expansion(self):
        self.assertEqual(out("$a = @{ b = 'x' }\n\"$($a.b) $a.b\""), ["x System.Collections.Hashtable.b"])
        self.assertEqual(out("$n = 3\n\"n=`$n is $n`t!\"\n'it''s'\n\"say \"\"hi\"\"\""),
                         ["n=$n is 3\t!", "it's", 'say "hi"'])

    # about_Assignment_Operators: += on an array makes a new array with the element appended
    def test_plus_equals_array(self):
        self.assertEqual(out("$a = @(1)\n$a += 2\n$a += @(3, 4)\n$a.Count\n$h = @{ a = 1 }\n$h += @{ b = 2 }\n$h.Count"),
                         ["4", "2"])

    # about_Hash_Tables: keys are case-insensitive
    def test_hashtable_case_insensitive(self):
        self.assertEqual(out("$h = @{ Name = 'x' }\n$h.name\n$h['NAME']\n$h.ContainsKey('nAmE')"),
                         ["x", "x", "True"])

    # about_Booleans
    def test_truthiness(self):
        self.assertEqual(out("[bool]@()\n[bool]@(0)\n[bool]@(0, 0)\n[bool]'False'\n[bool]''\n-not $null"),
                         ["False", "False", "True", "True", "False", "True"])

    # about_Arithmetic_Operators: string + number concatenates, number + string converts
    def test_arithmetic(self):
        self.assertEqual(out("'a' + 1\n1 + '2'\n7 / 2\n6 / 3\n'{0}-{1}' -f 'x', 2"), ["a1", "3", "3.5", "2", "x-2"])

    # ConvertTo-Json.md: -Depth defaults to 2; 7.1+ warns when the input is deeper
    def test_convertto_json_default_depth(self):
        o, e, _ = run("@{ a = @{ b = @{ c = @{ d = 1 } } } } | ConvertTo-Json -Compress")
        self.assertEqual(o, ['{"a":{"b":{"c":"System.Collections.Hashtable"}}}'])
        self.assertEqual(e, ["WARNING: Resulting JSON is truncated as serialization has exceeded the set depth of 2."])
        self.assertEqual(out("@{ a = @(1) } | ConvertTo-Json"), ['{', '  "a": [', '    1', '  ]', '}'])

    # ConvertFrom-Json.md (7.4): -NoEnumerate sends an array as one object; by default each element
    def test_convertfrom_json(self):
        self.assertEqual(out("$o = '{\"a\": {\"b\": [1, 2]}}' | ConvertFrom-Json\n$o.a.b.Count"), ["2"])
        self.assertEqual(out("$n = 0\n'[1,2]' | ConvertFrom-Json | ForEach-Object { $n++ }\n$n\n"
                             "$m = 0\n'[1,2]' | ConvertFrom-Json -NoEnumerate | ForEach-Object { $m++ }\n$m"),
                         ["2", "1"])


class Errors(unittest.TestCase):
    # about_Try_Catch_Finally: try, then the catch, then finally
    def test_try_catch_finally_order(self):
        self.assertEqual(out("try { 'try'; throw 'x'; 'not' } catch { 'catch ' + $_ } finally { 'finally' }"),
                         ["try", "catch x", "finally"])

    # about_Try_Catch_Finally: typed catch by base type; $_.Exception.Message
    def test_typed_catch(self):
        self.assertEqual(out("try { throw 'boom' } catch [System.ArgumentException] { 'arg' } "
                             "catch [System.Exception] { $_.Exception.Message; $_.FullyQualifiedErrorId }"),
                         ["boom", "boom"])

    # about_Throw: a bare throw in a catch rethrows
    def test_rethrow(self):
        with self.assertRaises(PSError) as c:
            run("try { throw 'inner' } catch { throw }")
        self.assertEqual(c.exception.message, "inner")

    # about_Preference_Variables ($ErrorActionPreference), about_CommonParameters (-ErrorAction)
    def test_non_terminating_error(self):
        o, e, _ = run("Write-Error 'bad'\n'after'")
        self.assertEqual(o, ["after"])
        self.assertEqual(e, ["Write-Error: bad"])
        o, e, _ = run("Write-Error 'bad' -ErrorAction SilentlyContinue\n'after'\n$Error.Count")
        self.assertEqual((o, e), (["after", "1"], []))
        with self.assertRaises(PSError) as c:
            run("$ErrorActionPreference = 'Stop'\nWrite-Error 'bad'\n'after'")
        self.assertEqual(c.exception.message, "bad")
        self.assertEqual(out("$ErrorActionPreference = 'Stop'\ntry { Write-Error 'bad' } catch { \"caught $_\" }"),
                         ["caught bad"])

    def test_exit(self):
        with self.assertRaises(ExitScript) as c:
            run("exit 3")
        self.assertEqual(c.exception.code, 3)

    # Unmodelled is never caught by the script
    def test_unmodelled_not_caught(self):
        with self.assertRaises(Unmodelled) as c:
            run("try { Get-NoSuchThing } catch { 'caught' }")
        self.assertIn("test.ps1:1", str(c.exception))
        with self.assertRaises(Unmodelled):
            run("try { switch (1) { 1 { 'one' } } } catch { 'caught' }")
        with self.assertRaises(Unmodelled):
            run("try { 'abc'.GetHashCode() } catch { 'caught' }")
        with self.assertRaises(Unmodelled):
            run("Write-Warning 'x' -Verbose")


class Functions(unittest.TestCase):
    # about_Scopes: a function reads its caller's variables; an assignment creates a local one
    def test_dynamic_scoping(self):
        self.assertEqual(out("function f { $x; $x = 2; $x }\nfunction g { $x = 1; f; $x }\ng"), ["1", "2", "1"])
        self.assertEqual(out("$n = 1\nfunction f { $script:n = 5 }\nf\n$n"), ["5"])

    # about_Functions: output is every statement's, not only return's
    def test_output(self):
        self.assertEqual(out("function f([string] $A, [int] $B = 2) { 'x'; return \"$A$B\" }\n(f -A 'a').Count\nf 'q' 3"),
                         ["2", "x", "q3"])

    # the golden scripts' Invoke-WithRetry: `return & $Action` inside try, in a for loop
    def test_invoke_with_retry(self):
        src = """
function Invoke-WithRetry([scriptblock] $Action) {
    for ($attempt = 1; ; $attempt++) {
        try { return & $Action }
        catch {
            if ($attempt -ge 3) { throw }
            Write-Warning "Attempt $attempt failed. $_"
            Start-Sleep -Seconds 30
        }
    }
}
$script:calls = 0
$r = Invoke-WithRetry { $script:calls++; if ($script:calls -lt 3) { throw "no $script:calls" }; 'done' }
"$r $calls"
"""
        o, e, h = run(src)
        self.assertEqual(o, ["done 3"])
        self.assertEqual(e, ["WARNING: Attempt 1 failed. no 1", "WARNING: Attempt 2 failed. no 2"])
        self.assertEqual(h.state["sleeps"], [30, 30])

    def test_env_and_read_host(self):
        o, _, _ = run("$env:X\n$null -eq $env:NOPE\n$a = Read-Host 'Name'\n\"got $a\"", env={"X": "1"}, stdin=["n"])
        self.assertEqual(o, ["1", "True", "Name: ", "got n"])


class GoldenScripts(unittest.TestCase):
    """Every node type in every golden PowerShell script is one the interpreter handles."""

    def test_node_types_handled(self):
        files = sorted(glob.glob(os.path.join(ROOT, "tests", "golden", "*", "*.ps1")))
        self.assertTrue(files)
        missing = {}
        for f in files:
            with open(f, "rb") as fh:
                tree = _PARSER.parse(fh.read())
            stack = [tree.root_node]
            while stack:
                n = stack.pop()
                if n.is_named and n.type not in HANDLED:
                    missing.setdefault(n.type, "{}:{}".format(os.path.relpath(f, ROOT), n.start_point[0] + 1))
                stack.extend(n.children)
        self.assertEqual(missing, {})

    def test_first_statements_run(self):
        """Each golden script runs up to its first Az cmdlet (stopped there by a stand-in command)."""
        class Stop(Exception):
            pass

        def stop(call):
            raise Stop(call.name)
        for f in sorted(glob.glob(os.path.join(ROOT, "tests", "golden", "*", "*.ps1"))):
            with open(f, encoding="utf-8") as fh:
                src = fh.read()
            saved = dict(commands.COMMANDS)
            try:
                import re
                for name in set(re.findall(r"\b[A-Z][a-z]+-Az[A-Za-z]+\b", src)):
                    # stands in for the Az models (if registered) for the length of this test
                    commands.COMMANDS[name.lower()] = commands.Command(
                        name, stop, _help_params(name), module="Az.Test", az=True, pipeline=True)
                try:
                    Interpreter(new_host()).run(src, f)
                except Stop:
                    pass
            finally:
                commands.COMMANDS.clear()
                commands.COMMANDS.update(saved)


def _help_params(name):
    """The cmdlet's parameters and switches from the Az 16 help (tests/powershell_help)."""
    import json
    for f in glob.glob(os.path.join(ROOT, "tests", "powershell_help", "*.json")):
        with open(f, encoding="utf-8") as fh:
            data = json.load(fh)
        for cmdlet, entry in data["cmdlets"].items():
            if cmdlet.lower() != name.lower():
                continue
            switches = {x.lower() for x in entry.get("switches", [])}
            table = {}
            for pset in entry["parameterSets"].values():
                for p in pset["mandatory"] + pset["optional"]:
                    table[p.lower()] = commands.Param(p, switch=p.lower() in switches)
            for alias, p in entry.get("aliases", {}).items():
                if p.lower() in table:
                    table[alias.lower()] = table[p.lower()]
            return table
    return {}  # named only in a comment (a real call would be Unmodelled on its first parameter)


if __name__ == "__main__":
    unittest.main()
