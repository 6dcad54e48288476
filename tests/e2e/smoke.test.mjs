// Browser truth for the core in wasm: the release build, served on 127.0.0.1,
// renders in Debian's Chromium, generates the same Azure CLI script as the
// native CLI, and requests nothing from any other origin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '../..');
const dist = join(root, 'dist');
const artifacts = join(root, 'artifacts', 'e2e');
const cli = process.env.RW_BIN ?? join(root, 'target', 'debug', 'registry-wizard');

async function serve() {
  const port = 18000 + Math.floor(Math.random() * 2000);
  const server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', dist], { stdio: 'ignore' });
  for (let i = 0; i < 50; i++) {
    try {
      await fetch(`http://127.0.0.1:${port}/`);
      return { server, url: `http://127.0.0.1:${port}/` };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  server.kill();
  throw new Error('static server did not start');
}

async function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    // Playwright starts headless with a fresh temporary profile; the rest keep
    // Chromium from calling home, which this machine's closed network refuses.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

test('the wasm core renders the same script as the CLI, offline', async () => {
  assert.ok(existsSync(join(dist, 'index.html')), 'dist/ is built (trunk build --release)');
  mkdirSync(artifacts, { recursive: true });
  const { server, url } = await serve();
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requests = [];
    const errors = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(String(e)));
    const started = Date.now();
    await page.goto(url);
    await page.waitForSelector('#azcli');
    const ms = Date.now() - started;
    const shown = await page.textContent('#azcli');
    const spec = execFileSync(cli, ['example', 'cmk-user-assigned']);
    const expected = execFileSync(cli, ['emit', '--format', 'azcli', '-'], { input: spec }).toString();
    assert.equal(shown, expected);
    assert.deepEqual(errors, []);
    const foreign = requests.filter((r) => !r.startsWith(url));
    assert.deepEqual(foreign, [], 'no request leaves 127.0.0.1');
    await page.screenshot({ path: join(artifacts, 'placeholder-desktop.png'), fullPage: false });
    await page.setViewportSize({ width: 360, height: 800 });
    await page.screenshot({ path: join(artifacts, 'placeholder-360.png'), fullPage: false });
    console.log(`# navigation to rendered output: ${ms} ms`);
  } finally {
    await browser.close();
    server.kill();
  }
});
