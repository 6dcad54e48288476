#!/usr/bin/env bash
# Sets up what is missing, then runs every test: the native core (rules, plan,
# emitters checked by bash, shellcheck, a PowerShell parser and a stub az), the
# release wasm build with its size, and the browser tests in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/setup.sh
source scripts/setup.sh

echo "== the Azure stand-in's own tests (shapes of recorded real responses, behaviour)"
.tools/azure-cli/bin/python -m unittest discover -s tests/support/azure_standin -p 'test_*.py'

echo "== the PowerShell runner's own tests (the language as its docs state it; Az cmdlet models)"
.tools/pyps/bin/python -m unittest discover -s tests/support/powershell_runner -t tests/support -p 'test_*.py'

echo "== native tests (cargo test; generated bash and PowerShell run against the Azure stand-in)"
# The stand-in needs the Azure CLI's Python (jmespath), the PowerShell runner
# tree-sitter's grammar (.tools/pyps): fail, never skip, here.
CALLS="$(mktemp)"
PS_LOG="$(mktemp)"
RW_REQUIRE_STANDIN=1 STANDIN_PYTHON="$PWD/.tools/azure-cli/bin/python" RW_PS_PYTHON="$PWD/.tools/pyps/bin/python" \
  RW_RECORD_CALLS="$CALLS" RW_PS_LOG="$PS_LOG" cargo test --locked --workspace
echo "PowerShell scripts run against the stand-in: $(wc -l < "$PS_LOG"), of which met something unmodelled: $(grep -c unmodelled "$PS_LOG" || true)"
rm -f "$PS_LOG"

echo "== generated az commands (every scenario's calls) through the real Azure CLI parser"
python3 scripts/az-parse-check.py target/debug/registry-wizard .tools/azure-cli/bin/az "$CALLS"
rm -f "$CALLS"

# Azure's resource schemas are in ../shared/azure-schemas on CI and developer
# machines (never copied here); a fresh clone without them skips this check
# and says so, CI (CI=true) fails instead.
echo "== ARM templates against Azure's published resource schemas"
RW_REQUIRE_SCHEMAS="${CI:+1}" .tools/pyschema/bin/python -m unittest discover -s scripts -p 'test_arm_schema_check.py'
RW_REQUIRE_SCHEMAS="${CI:+1}" .tools/pyschema/bin/python scripts/arm-schema-check.py target/debug/registry-wizard

echo "== generated PowerShell: Az 16 cmdlets, parameter names and mandatory parameters (tests/powershell_help)"
.tools/pyps/bin/python -m unittest discover -s scripts -p 'test_ps_cmdlet_check.py'
.tools/pyps/bin/python scripts/ps-cmdlet-check.py target/debug/registry-wizard

echo "== generated Bicep: main.bicep, main.bicepparam and modules through a Bicep grammar (tree-sitter-bicep)"
.tools/pyps/bin/python scripts/bicep-check.py target/debug/registry-wizard

echo "== generated Terraform: HCL parse (python-hcl2), provider attributes (tests/fixtures/terraform), same deployment as template.json"
.tools/pyps/bin/python scripts/terraform-check.py target/debug/registry-wizard

echo "== release build (trunk)"
small_std trunk build index.html --release --offline
bash scripts/bundle-size.sh

# E2E_RUNS=5 is the stress mode: the browser suite that many times in a row
# (a test that waits for a selector instead of the state it asserts fails
# sooner or later on a slower machine).
for run in $(seq "${E2E_RUNS:-1}"); do
  echo "== browser tests (Chromium), run ${run} of ${E2E_RUNS:-1}"
  node --test tests/e2e/
done
