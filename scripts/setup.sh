#!/usr/bin/env bash
# Installs what the build and the tests need, and nothing that is already there.
# Idempotent and offline-safe: every tool comes from rustup, crates.io, Debian or npm,
# never from a download of a prebuilt binary. Sourced by serve.sh and test.sh.
# SETUP_FOR=serve (serve.sh) installs only what building the page needs: the
# wasm target, Trunk, wasm-bindgen, wasm-opt and terser. The test command adds
# Chromium, shellcheck, the Azure CLI and the checkers of the generated code.
set -euo pipefail
SETUP_FOR="${SETUP_FOR:-test}"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION="0.21.14"
# wasm-bindgen-cli must equal the wasm-bindgen crate in Cargo.lock, byte for byte.
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")"

log() { printf '\033[1msetup:\033[0m %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The release wasm rebuilds the standard library for size (see small_std below).
# Trunk builds offline (Trunk.toml), so the standard library's own crates are
# fetched now (a no-op once cached). Without them the build falls back to the
# stock library: the same app, ~24 KB gzip heavier.
if [ "${SMALL_STD:-1}" != 0 ]; then
  if ! rustup component list --installed | grep -q '^rust-src'; then
    log "adding the rust-src component"
    rustup component add rust-src || true
  fi
  if ! RUSTC_BOOTSTRAP=1 cargo fetch --locked --quiet \
    --manifest-path "$(rustc --print sysroot)/lib/rustlib/src/rust/library/Cargo.toml"; then
    log "no rust-src or its crates: building the wasm with the stock standard library"
    export SMALL_STD=0
  fi
fi

missing_debs=()
if [ "$SETUP_FOR" = test ]; then
    command -v shellcheck >/dev/null || missing_debs+=(shellcheck)
    [ -x /usr/bin/chromium ] || missing_debs+=(chromium)
  # Korean and Chinese glyphs, so that the browser tests measure real text
  # widths (overflow at 360 px) and their screenshots can be read.
  [ -d /usr/share/fonts/opentype/noto ] && fc-list ':lang=ko' | grep -q . || missing_debs+=(fonts-noto-cjk)
  fi
  if [ "${#missing_debs[@]}" -gt 0 ]; then
    log "installing Debian packages: ${missing_debs[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing_debs[@]}" >/dev/null
  fi

  if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
    # trunk 0.22 needs a newer rustc than this machine has; pin and lock.
    log "installing trunk $TRUNK_VERSION (takes ~6 minutes once)"
    cargo install "trunk@$TRUNK_VERSION" --locked --quiet
  fi

  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
    # Without --locked: the registry mirror lacks one of its locked dependencies.
    log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
    cargo install "wasm-bindgen-cli@$WASM_BINDGEN_VERSION" --force --quiet
  fi

  # npm tools (package-lock.json pins them): to build, wasm-opt (from binaryen;
  # Debian's binaryen 108 breaks the app at run time) and terser (package.json's
  # dependencies); for the browser tests, playwright-core and axe-core as well
  # (its devDependencies).
  npm_scope=()
  [ "$SETUP_FOR" = serve ] && npm_scope=(--omit=dev)
  if ! (cd "$ROOT" && npm ls "${npm_scope[@]}" --silent >/dev/null 2>&1); then
    log "installing npm packages${npm_scope[*]:+ (to build only)}"
    (cd "$ROOT" && npm ci "${npm_scope[@]}" --no-audit --no-fund --silent)
  fi

  if [ "$SETUP_FOR" = test ]; then

  # The real Azure CLI, only to parse the generated commands (no login, no calls
  # to Azure): a virtualenv from PyPI, ~730 MB, ~90 s once.
  AZ_VENV="$ROOT/.tools/azure-cli"
  if [ ! -x "$AZ_VENV/bin/az" ]; then
    log "installing azure-cli into $AZ_VENV (takes ~90 seconds once)"
    python3 -m venv "$AZ_VENV"
    "$AZ_VENV/bin/pip" install --quiet --disable-pip-version-check azure-cli
  fi

  # Two small virtualenvs from PyPI for checks of the generated code:
  # jsonschema (ARM templates against Azure's resource schemas) and tree-sitter's
  # PowerShell and Bicep grammars (Az cmdlets and parameters against their help;
  # the Bicep outputs' syntax).
  SCHEMA_VENV="$ROOT/.tools/pyschema"
  if ! "$SCHEMA_VENV/bin/python" -c 'import jsonschema' 2>/dev/null; then
    log "installing jsonschema into $SCHEMA_VENV"
    python3 -m venv "$SCHEMA_VENV"
    "$SCHEMA_VENV/bin/pip" install --quiet --disable-pip-version-check 'jsonschema==4.26.0'
  fi
  PYPS_VENV="$ROOT/.tools/pyps"
  if ! "$PYPS_VENV/bin/python" -c 'import tree_sitter, tree_sitter_powershell, tree_sitter_bicep, hcl2' 2>/dev/null; then
    log "installing tree-sitter with its PowerShell and Bicep grammars, and python-hcl2, into $PYPS_VENV"
    python3 -m venv "$PYPS_VENV"
    "$PYPS_VENV/bin/pip" install --quiet --disable-pip-version-check 'tree-sitter==0.26.1' 'tree-sitter-powershell==0.26.4' 'tree-sitter-bicep==1.1.0' 'python-hcl2==8.1.4' 'lark==1.3.1'
  fi
fi

# Runs a command (trunk build / serve) so that the release wasm is built with a
# standard library compiled for size: panics abort without formatting a message
# or recording where they happened, Debug formatting compiles to nothing, and
# core picks its small algorithms (sort, formatting). Measured: -24 KB gzip of
# wasm (ARCHITECTURE.md, "Bundle weight"). This needs unstable cargo and rustc
# flags, which RUSTC_BOOTSTRAP unlocks on the pinned stable toolchain; it
# applies to wasm32 builds only, and SMALL_STD=0 builds with the stock library.
# Cargo appends these flags to .cargo/config.toml's (erase_components stays).
small_std() {
  if [ "${SMALL_STD:-1}" = 0 ]; then
    "$@"
    return
  fi
  RUSTC_BOOTSTRAP=1 \
    CARGO_UNSTABLE_BUILD_STD=std,panic_abort \
    CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none" \
    "$@"
}
