#!/usr/bin/env python3
"""Trunk post-build hook: gives the built index.html a Content-Security-Policy.

The policy allows only the app's own origin: its script, its stylesheet, its
wasm (compiled with 'wasm-unsafe-eval'), and the inline scripts Trunk writes
(the module loader; with `trunk serve`, also its live-reload client), each by
the SHA-256 of its exact text (they name the hashed file names, so the hashes
are computed here, after each build). Nothing may be fetched from, framed by
or posted to anywhere else.
"""
import base64
import hashlib
import os
import pathlib
import re
import sys

POLICY = ("default-src 'none'; script-src 'self' 'wasm-unsafe-eval' {inline}; style-src 'self'; "
          "img-src 'self' data:; connect-src 'self'; manifest-src 'self'; base-uri 'none'; "
          "form-action 'none'; object-src 'none'")


def main():
    staging = pathlib.Path(os.environ.get("TRUNK_STAGING_DIR") or (sys.argv[1] if len(sys.argv) > 1 else "dist"))
    page = staging / "index.html"
    html = page.read_text()
    scripts = re.findall(r"<script(?: [^>]*)?>(.*?)</script>", html, re.S)
    if not scripts:
        sys.exit(f"csp.py: no inline loader script in {page}")
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'" for s in scripts)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{POLICY.format(inline=hashes)}" />'
    html = re.sub(r'\s*<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
    # After `<meta charset>`, as written in index.html or as Trunk's minifier left it.
    html, found = re.subn(r"<meta charset=[^>]*>", lambda m: m.group(0) + meta, html, count=1)
    if not found:
        sys.exit(f"csp.py: no <meta charset> in {page}")
    page.write_text(html)


if __name__ == "__main__":
    main()
