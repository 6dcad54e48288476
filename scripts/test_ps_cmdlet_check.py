"""Tests of scripts/ps-cmdlet-check.py on small scripts (run with the tree-sitter venv's python).

    .tools/pyps/bin/python -m unittest discover -s scripts -p 'test_ps_cmdlet_check.py'
"""
import importlib.util
import os
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("ps_cmdlet_check", os.path.join(HERE, "ps-cmdlet-check.py"))
check = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check)
CMDLETS = check.load_help()


def run(source):
    errors, warnings, calls = check.check_text(source, CMDLETS)
    return [m for _, _, m in errors], [m for _, _, m in warnings], calls


class Checker(unittest.TestCase):
    def test_valid_calls_pass(self):
        errors, warnings, calls = run(
            "$r = New-AzContainerRegistry `\n"
            "    -Name $n `\n    -ResourceGroupName $g `\n    -Location $l `\n    -Sku 'Premium' `\n"
            "    -UserAssignedIdentity @($id) -ErrorAction Stop\n"
            "Update-AzContainerRegistry -Name $n -ResourceGroupName $g -EnableSystemAssignedIdentity $true\n"
            "New-AzResourceGroup -Name $g -Location $l -Force | Out-Null\n")
        self.assertEqual(errors, [])
        self.assertEqual(warnings, [])
        self.assertEqual(calls, 3)

    def test_unknown_cmdlet(self):
        errors, _, _ = run("New-AzContainerRegistryFoo -Name x\n")
        self.assertEqual(len(errors), 1)
        self.assertIn("is not a cmdlet", errors[0])

    def test_unknown_parameter_old_name(self):
        errors, _, _ = run(check.SELF_TEST_BAD)
        self.assertTrue(any("-SkuName is not a parameter" in e for e in errors), errors)

    def test_missing_mandatory(self):
        errors, _, _ = run("New-AzContainerRegistry -Name x -ResourceGroupName y -Sku Basic\n")
        self.assertEqual(len(errors), 1)
        self.assertIn("missing mandatory parameter(s) -Location", errors[0])

    def test_no_set_takes_the_parameters(self):
        # -Scope and -ResourceGroupName are in different sets of New-AzRoleAssignment.
        errors, _, _ = run("New-AzRoleAssignment -ObjectId $o -RoleDefinitionName R -Scope $s -ResourceGroupName g\n")
        self.assertTrue(any("no parameter set takes" in e for e in errors), errors)

    def test_alias_is_valid(self):
        errors, warnings, _ = run("Get-AzContainerRegistry -RegistryName x -ResourceGroupName y\n"
                                  "Set-AzContext -SubscriptionId $s\n"
                                  "Get-AzKeyVault -Name v -ea SilentlyContinue\n")
        self.assertEqual(errors, [])
        self.assertEqual(warnings, [])

    def test_prefix_is_a_warning_and_ambiguous_prefix_an_error(self):
        errors, warnings, _ = run("Get-AzContainerRegistry -Name x -ResourceGroup y\n")
        self.assertEqual(errors, [])
        self.assertTrue(any("prefix of -ResourceGroupName" in w for w in warnings), warnings)
        errors, _, _ = run("New-AzContainerRegistry -Name x -ResourceGroupName y -Location z -Sku B -Ret 1\n")
        self.assertTrue(any("ambiguous" in e for e in errors), errors)

    def test_cmdlets_in_comments_and_strings_are_ignored(self):
        errors, _, calls = run(
            "# New-AzContainerRegistry -SkuName Premium\n"
            "<#\nNew-AzFoo -Bar 1\n#>\n"
            "Write-Host 'New-AzContainerRegistry -SkuName Premium'\n"
            "$t = @\"\nNew-AzFoo -Bar\n\"@\n")
        self.assertEqual(errors, [])
        self.assertEqual(calls, 0)

    def test_value_and_positional_checks(self):
        errors, _, _ = run("Update-AzContainerRegistry -Name x -ResourceGroupName y -EnableSystemAssignedIdentity\n")
        self.assertTrue(any("needs a value" in e for e in errors), errors)
        # A switch takes no value: what follows it is a positional argument.
        errors, _, _ = run("New-AzContainerRegistry -Name x -ResourceGroupName y -Location z -Sku B "
                           "-EnableSystemAssignedIdentity $true\n")
        self.assertTrue(any("positional argument" in e for e in errors), errors)
        errors, _, _ = run("New-AzResourceGroup rg eastus\n")
        self.assertTrue(any("positional argument" in e for e in errors), errors)

    def test_colon_form_and_splatting_and_pipeline(self):
        errors, warnings, _ = run("Get-AzResource -ResourceId:$id -ExpandProperties:$true\n")
        self.assertEqual((errors, warnings), ([], []))
        errors, warnings, _ = run("New-AzContainerRegistry -Name x @rest\n")
        self.assertEqual(errors, [])
        self.assertTrue(any("splatted @rest" in w for w in warnings), warnings)
        errors, warnings, _ = run("$reg | Update-AzContainerRegistry -Sku Premium\n")
        self.assertEqual(errors, [])
        self.assertTrue(any("pipeline input" in w for w in warnings), warnings)

    def test_duplicate_parameter(self):
        errors, _, _ = run("Get-AzContainerRegistry -Name x -RegistryName y -ResourceGroupName z\n")
        self.assertTrue(any("given twice" in e for e in errors), errors)

    def test_self_test_passes(self):
        self.assertTrue(check.self_test(CMDLETS))

    def test_every_cmdlet_the_emitter_knows_is_listed(self):
        # CMDLET_MODULES in src/emit/powershell.rs names every cmdlet the emitter writes;
        # those it writes only in comments or messages (the VM follow-up, the clean-up
        # hint) or no longer writes (Get-AzKeyVaultKey) may be absent.
        import re
        with open(os.path.join(HERE, "..", "src", "emit", "powershell.rs"), encoding="utf-8") as f:
            src = f.read()
        table = src.split("pub const CMDLET_MODULES", 1)[1].split("];", 1)[0]
        pairs = re.findall(r'\("([A-Za-z]+-Az[A-Za-z]+)", "(Az\.[A-Za-z]+)"\)', table)
        self.assertGreater(len(pairs), 20)
        not_run = {"Connect-AzAccount", "Remove-AzRoleAssignment", "Get-AzKeyVaultKey",
                        "New-AzVMConfig", "Set-AzVMSourceImage", "Set-AzVMOSDisk", "Add-AzVMDataDisk"}
        for cmdlet, module in pairs:
            entry = CMDLETS.get(cmdlet.lower())
            if entry is None:
                self.assertIn(cmdlet, not_run, f"{cmdlet} has no parameter list")
            else:
                self.assertEqual(entry["module"], module, cmdlet)


if __name__ == "__main__":
    unittest.main()
