#!/usr/bin/env bash
# Trunk post-build hook: builds the code generator (emitter/) as a wasm module
# of its own, beside the page's, and names it in index.html.
#
# The page fetches it on first need (src/app/generator.rs), so it is not part
# of a first visit. Its files go in a directory named by their hash, like
# Trunk's own hashed names: a new build is never served from a stale cache.
set -euo pipefail
cd "$(dirname "$0")/.."
staging="${TRUNK_STAGING_DIR:-dist}"
profile="${TRUNK_PROFILE:-release}"
flags=()
[ "$profile" = release ] && flags+=(--release)
cargo build --quiet --offline -p registry-wizard-emitter --target wasm32-unknown-unknown "${flags[@]}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name emitter \
  "target/wasm32-unknown-unknown/$profile/registry_wizard_emitter.wasm"
if [ "$profile" = release ]; then
  wasm-opt -Oz "$out/emitter_bg.wasm" -o "$out/emitter_bg.wasm"
fi
hash="$(cat "$out/emitter.js" "$out/emitter_bg.wasm" | sha256sum | cut -c1-16)"
rm -rf "$staging"/emitter-*
mkdir "$staging/emitter-$hash"
cp "$out/emitter.js" "$out/emitter_bg.wasm" "$staging/emitter-$hash/"
# The page reads the module's address from this tag (no request until needed).
meta="<meta name=\"registry-wizard-generator\" content=\"emitter-$hash/emitter.js\" />"
# After `<meta charset>`, as written in index.html or as Trunk's minifier left it.
sed -i "s|\s*<meta name=\"registry-wizard-generator\"[^>]*>||; s|<meta charset=[^>]*>|&$meta|" "$staging/index.html"
grep -q 'name="registry-wizard-generator"' "$staging/index.html" || { echo "emitter.sh: no <meta charset> in index.html" >&2; exit 1; }
