// The wizard in Debian's Chromium against the release build on 127.0.0.1.
// Outputs are compared with the native CLI's: one model, two front ends.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import {
  artifacts, axePath, catalog, chooseLanguage, cli, dist, root, download, example, exportSpec, fillGallery, fillRegistry, FORMATS,
  launch, nextNotice, openApp, speaks, textMatching,
  serve, shownOutput, tab,
} from './support.mjs';

let server, url, browser;
before(async () => {
  assert.ok(existsSync(join(dist, 'index.html')), 'dist/ is built (trunk build --release)');
  ({ server, url } = await serve());
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.kill();
});

/** Asserts that every output the UI shows is what the CLI emits for `specText`. */
async function assertOutputsMatchCli(page, specText) {
  for (const format of FORMATS) {
    const expected = cli(['emit', '--format', format, '-'], specText);
    assert.equal(await shownOutput(page, format), expected, `${format} shown = CLI emit`);
  }
}

for (const name of ['cmk-user-assigned', 'service-endpoint', 'trusted-services-disabled']) {
  test(`${name}: filled by hand, the UI shows what the CLI emits`, async () => {
    const app = await openApp(browser, url);
    const started = Date.now();
    await fillRegistry(app.page, example(name));
    const fillMs = Date.now() - started;
    await tab(app.page, 'review');
    const exported = await exportSpec(app.page);
    // The exported spec deploys exactly what the example does...
    for (const format of FORMATS) {
      assert.equal(
        cli(['emit', '--format', format, '-'], exported),
        cli(['emit', '--format', format, '-'], cli(['example', name])),
        `${format}: hand-filled spec = example`,
      );
    }
    // ...and every output the page shows is what the CLI emits for it.
    await assertOutputsMatchCli(app.page, exported);
    assert.equal(await app.page.locator('#outputs-blocked').count(), 0);
    assert.deepEqual(app.errors, []);
    assert.deepEqual(app.foreign(), [], 'no request leaves 127.0.0.1');
    console.log(`# ${name}: filled ${fillMs} ms`);
    await app.context.close();
  });
}

for (const name of ['gallery-cmk-two-regions', 'gallery-snapshots']) {
  const exampleName = name;
  test(`${exampleName}: the gallery wizard, filled by hand, shows what the CLI emits`, async () => {
    const app = await openApp(browser, url);
    await fillGallery(app.page, example(exampleName));
    await tab(app.page, 'review');
    const exported = await exportSpec(app.page);
    for (const format of FORMATS) {
      assert.equal(
        cli(['emit', '--format', format, '-'], exported),
        cli(['emit', '--format', format, '-'], cli(['example', exampleName])),
        `${format}: hand-filled spec = example`,
      );
    }
    await assertOutputsMatchCli(app.page, exported);
    // The registry tabs are gone; the gallery's are there, in the portal's order.
    const tabs = await app.page.$$eval('.tablist:not(.small) > [role="tab"]', (els) => els.map((e) => e.id));
    assert.deepEqual(tabs, ['tab-basics', 'tab-replication', 'tab-encryption', 'tab-tags', 'tab-review']);
    // A reload restores the gallery wizard exactly, kind and tabs included.
    await app.page.reload();
    await app.page.waitForSelector('#tab-replication');
    assert.equal(await exportSpec(app.page), exported);
    assert.deepEqual(app.errors, []);
    assert.deepEqual(app.foreign(), []);
    await app.context.close();
  });
}

test('gallery: a region paired with another region\'s disk encryption set is caught on the right tab', async () => {
  const app = await openApp(browser, url, undefined, { bypassCSP: true });
  const { page } = app;
  const spec = example('gallery-cmk-two-regions');
  await fillGallery(page, spec);
  // Seed 001's snapshot example pairs eastus with East US 2 sets, and reuses a set across regions.
  await tab(page, 'replication');
  await page.fill('#f-gallery-targetRegions-1-region', 'eastus');
  await tab(page, 'encryption');
  await page.fill('#f-gallery-targetRegions-1-osDiskEncryptionSetId', spec.gallery.targetRegions[0].osDiskEncryptionSetId);
  // The region's own check may already show a message here: wait for this one.
  await textMatching(page, '#m-gallery-targetRegions-1-osDiskEncryptionSetId [data-rule="GAL-DES-REGIONAL"]', /already used for westus/);
  assert.equal((await page.textContent('#tab-encryption .badge')).trim(), '1');
  assert.ok(await page.locator('#outputs-blocked').count());
  for (const slug of ['basics', 'replication', 'encryption', 'tags', 'review']) {
    await tab(page, slug);
    await page.addScriptTag({ path: axePath });
    const violations = await page.evaluate(async () => (await window.axe.run(document)).violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id));
    assert.deepEqual(violations, [], `gallery ${slug}`);
    await page.screenshot({ path: join(artifacts, `gallery-${slug}-desktop.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 360, height: 780 });
  await tab(page, 'encryption');
  await page.screenshot({ path: join(artifacts, 'gallery-encryption-360.png'), fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `gallery encryption (360) scrolls sideways by ${overflow} px`);
  await app.context.close();
});

test('an invalid registry name shows its message, marks the field and blocks the outputs', async () => {
  const app = await openApp(browser, url);
  const { page } = app;
  await fillRegistry(page, example('trusted-services-disabled'));
  await tab(page, 'basics');
  await page.fill('#f-registry-name', '');
  await page.locator('#f-registry-name').pressSequentially('my-Registry');
  // Each keystroke rewrites the message in place: wait for the last one's.
  await textMatching(page, '#m-registry-name [data-rule="NAME-REGISTRY"]', /Registry name 'my-Registry': it contains '-'/);
  assert.equal(await page.getAttribute('#f-registry-name', 'aria-invalid'), 'true');
  assert.equal(await page.getAttribute('#f-registry-name', 'aria-describedby'), 'm-registry-name');
  assert.equal((await page.textContent('#tab-basics .badge')).trim(), '1');
  assert.match(await page.textContent('#outputs-blocked'), /errors to fix first: 1\./);
  assert.equal(await page.locator('#code').count(), 0, 'no code while an error exists');
  // Review lists it under Basics and takes the user to the field.
  await tab(page, 'review');
  const item = page.locator('#panel-review li[data-rule="NAME-REGISTRY"]');
  assert.match(await item.textContent(), /Naming rules/);
  await item.locator('a', { hasText: 'Go to the field' }).click();
  await page.waitForSelector('#panel-basics:not([hidden])');
  await page.waitForFunction(() => document.activeElement?.id === 'f-registry-name');
  // Fixing it brings the code back.
  await page.fill('#f-registry-name', 'myregistry');
  await page.waitForSelector('#code');
  assert.equal(await page.locator('#tab-basics .badge:not([hidden])').count(), 0);
  await app.context.close();
});

test('a reload keeps every field, including hostile text, half-typed rows and tags', async () => {
  const app = await openApp(browser, url);
  const { page } = app;
  await fillRegistry(page, example('service-endpoint'));
  await tab(page, 'tags');
  const hostile = 'it\'s "$(touch /tmp/x)" `id` 한국어 繁體 — \\';
  for (const [name, value] of [['owner', hostile], ['', ''], ['Owner', 'dup']]) {
    await page.click('#add-tag');
    const i = await page.locator('#panel-tags .row').count() - 1;
    await page.fill(`#f-tags-${i}-name`, name);
    await page.fill(`#f-tags-${i}-value`, value);
  }
  await tab(page, 'networking');
  await page.click('#add-ip-rule');
  await page.fill('#f-registry-networking-ipRules-0', '10.0.0.');
  const before = await exportSpec(page);
  await page.reload();
  await page.waitForSelector('#tab-basics');
  const afterReload = await exportSpec(page);
  assert.equal(afterReload, before);
  assert.deepEqual(Object.keys(JSON.parse(afterReload).tags), ['owner', '', 'Owner']);
  assert.equal(JSON.parse(afterReload).tags.owner, hostile);
  await tab(page, 'networking');
  assert.equal(await page.inputValue('#f-registry-networking-ipRules-0'), '10.0.0.');
  assert.equal(await page.inputValue('#f-registry-networking-vnetRules-0-vnetName'), 'myDockerVMVNET');
  await tab(page, 'tags');
  assert.equal(await page.inputValue('#f-tags-0-value'), hostile);
  assert.ok(await page.locator('#m-tags-2-name [data-rule="NAME-TAG-DUPLICATE"]').count());
  await app.context.close();
});

test('importing a malformed file says why and changes nothing; a good file imports, Undo restores', async () => {
  const app = await openApp(browser, url);
  const { page } = app;
  await fillRegistry(page, example('trusted-services-disabled'));
  const before = await exportSpec(page);
  for (const [file, body, why] of [
    ['broken.json', '{"registry": {', /Could not import broken\.json: .*Nothing was changed/],
    ['gold.json', '{"registry": {"sku": "Gold"}}', /at \$\.registry\.sku: unknown variant `Gold`/],
    ['future.json', '{"version": 9}', /version/],
  ]) {
    // Each file's notice is waited for by its sequence number: the previous
    // file's error banner is still there, with the same class.
    const notice = await nextNotice(page, () =>
      page.setInputFiles('#import', { name: file, mimeType: 'application/json', buffer: Buffer.from(body) }));
    assert.ok(notice.isError, `${file}: an error notice`);
    assert.match(notice.text, why);
    assert.equal(await exportSpec(page), before, `${file} changed nothing`);
  }
  const good = cli(['example', 'cmk-user-assigned']);
  const imported = await nextNotice(page, () =>
    page.setInputFiles('#import', { name: 'cmk.json', mimeType: 'application/json', buffer: Buffer.from(good) }));
  assert.ok(!imported.isError, imported.text);
  await assertOutputsMatchCli(page, await exportSpec(page));
  assert.equal(cli(['emit', '--format', 'arm', '-'], await exportSpec(page)), cli(['emit', '--format', 'arm', '-'], good));
  await page.click('#undo');
  assert.equal(await exportSpec(page), before);
  await app.context.close();
});

test('copy, download and download-all deliver the shown code', async () => {
  const app = await openApp(browser, url);
  const { page } = app;
  await fillRegistry(page, example('cmk-user-assigned'));
  const spec = await exportSpec(page);
  const script = cli(['emit', '--format', 'azcli', '-'], spec);
  await shownOutput(page, 'azcli');
  await page.click('#copy');
  await page.waitForFunction(() => document.getElementById('status')?.textContent.includes('Copied'));
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), script);
  const one = await download(page, '#download');
  assert.equal(one.name, 'deploy.sh');
  assert.equal(one.bytes.toString(), script);
  const all = await download(page, '#download-all');
  assert.equal(all.name, 'contosocmkregistry-deployment.zip');
  const dir = mkdtempSync(join(tmpdir(), 'rw-zip-'));
  writeFileSync(join(dir, 'all.zip'), all.bytes);
  execFileSync('unzip', ['-q', join(dir, 'all.zip'), '-d', dir]);
  const files = {
    'deploy.sh': 'azcli', 'deploy.ps1': 'powershell', 'template.json': 'arm', 'parameters.json': 'arm-parameters',
    'main.bicep': 'bicep', 'main.bicepparam': 'bicepparam',
    'main.tf': 'terraform', 'variables.tf': 'terraform-variables', 'terraform.tfvars': 'terraform-tfvars',
    'outputs.tf': 'terraform-outputs',
  };
  for (const [file, format] of Object.entries(files)) {
    assert.equal(readFileSync(join(dir, file)).toString(), cli(['emit', '--format', format, '-'], spec), file);
  }
  assert.equal(readFileSync(join(dir, 'spec.json')).toString(), spec);
  await app.context.close();
});

test('an example picked from the list loads; its PowerShell download has a BOM and keeps the Korean tag, its bash none', async () => {
  const app = await openApp(browser, url);
  const { page } = app;
  const name = 'ip-rules-selected-networks';
  await page.selectOption('#example', name);
  // The example is fetched from the page's origin, then loaded into the form.
  await page.waitForFunction((n) => document.getElementById('notice')?.textContent.includes(n), name);
  assert.equal(await page.inputValue('#f-registry-name'), example(name).registry.name);
  const spec = await exportSpec(page);
  for (const format of ['azcli', 'powershell']) {
    assert.equal(cli(['emit', '--format', format, '-'], spec), cli(['emit', '--format', format, '-'], cli(['example', name])));
  }
  await shownOutput(page, 'powershell');
  const ps = await download(page, '#download');
  assert.equal(ps.name, 'deploy.ps1');
  assert.deepEqual([...ps.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM for Windows PowerShell 5.1');
  const text = ps.bytes.subarray(3).toString('utf8');
  assert.equal(text, cli(['emit', '--format', 'powershell', '-'], spec));
  assert.ok(text.includes('엣지 팀'), 'the Korean tag value round-trips');
  await shownOutput(page, 'azcli');
  const sh = await download(page, '#download');
  assert.equal(sh.bytes[0], '#'.charCodeAt(0), 'bash starts with its shebang, no BOM');
  assert.ok(sh.bytes.toString('utf8').includes('엣지 팀'));
  await app.context.close();
});

test('a family shows the files this spec has: a Bicep module, the scripts around the ARM template', async () => {
  const app = await openApp(browser, url);
  const { page } = app;
  const pick = async (name) => {
    await page.selectOption('#example', name);
    await page.waitForFunction((n) => document.getElementById('notice')?.textContent.includes(n), name);
  };
  await pick('cmk-existing-versionless-key');
  const spec = await exportSpec(page);
  assert.equal(await shownOutput(page, 'bicep-module-key-access'), cli(['emit', '--format', 'bicep-module-key-access', '-'], spec));
  // It creates its resource group, which a resource-group deployment needs first: pre-deploy does.
  assert.equal(await shownOutput(page, 'arm-pre-deploy'), cli(['emit', '--format', 'arm-pre-deploy', '-'], spec));
  // No pre-deployment script where none is needed (the group exists, nothing else comes first).
  await pick('cmk-template');
  await page.waitForFunction(() => !document.getElementById('out-tab-arm-pre-deploy'));
  await pick('service-endpoint');
  await page.waitForFunction(() => !document.getElementById('out-tab-bicep-module-key-access'));
  const other = await exportSpec(page);
  assert.equal(await shownOutput(page, 'arm-pre-deploy'), cli(['emit', '--format', 'arm-pre-deploy', '-'], other));
  assert.equal(await shownOutput(page, 'terraform'), cli(['emit', '--format', 'terraform', '-'], other));
  assert.deepEqual(app.errors, []);
  await app.context.close();
});

test('the tab list works from the keyboard', async () => {
  const app = await openApp(browser, url);
  const { page } = app;
  await page.focus('#tab-basics');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.activeElement?.id === 'tab-encryption');
  assert.equal(await page.getAttribute('#tab-encryption', 'aria-selected'), 'true');
  assert.equal(await page.getAttribute('#tab-basics', 'tabindex'), '-1');
  await page.keyboard.press('End');
  await page.waitForFunction(() => document.activeElement?.id === 'tab-review');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.activeElement?.id === 'tab-basics');
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement?.id);
  assert.equal(focused, 'f-kind-registry', 'Tab from the tab list enters the panel');
  await app.context.close();
});

for (const lang of ['en', 'ko', 'zh-TW']) test(`axe-core finds no serious or critical violation on any tab (${lang}); screenshots at 1280 and 360 px`, async () => {
  for (const [size, viewport] of [['desktop', { width: 1280, height: 900 }], ['360', { width: 360, height: 780 }]]) {
    const label = lang === 'en' ? size : `${lang}-${size}`;
    const app = await openApp(browser, url, viewport, { bypassCSP: true, locale: lang });
    const { page } = app;
    await speaks(page, lang);
    await fillRegistry(page, example('service-endpoint'));
    // One error on purpose, so that the screenshots show a message and a badge.
    await tab(page, 'basics');
    await page.fill('#f-registry-name', 'my-Registry');
    for (const slug of ['basics', 'encryption', 'networking', 'tags', 'review']) {
      await tab(page, slug);
      if (slug === 'encryption') await page.check('#f-registry-encryption-customerManagedKey-customer');
      await page.addScriptTag({ path: axePath });
      const violations = await page.evaluate(async () => {
        const result = await window.axe.run(document, { resultTypes: ['violations'] });
        return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) }));
      });
      const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      assert.deepEqual(bad, [], `${slug} (${label})`);
      if (violations.length) console.log(`# ${slug} (${label}) minor axe findings: ${JSON.stringify(violations)}`);
      await page.screenshot({ path: join(artifacts, `${slug}-${label}.png`), fullPage: true });
      // Nothing may be wider than a 360 px screen.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${slug} (${label}) scrolls sideways by ${overflow} px`);
    }
    assert.deepEqual(app.foreign(), []);
    await app.context.close();
  }
});

for (const [lang, how] of [['ko', 'the picker'], ['zh-TW', "the browser's language"]]) {
  test(`${lang}, chosen by ${how}: the customer-managed key flow through labelled controls; outputs = CLI; kept on reload`, async () => {
    const words = catalog(lang);
    const app = await openApp(browser, url, undefined, { locale: how === 'the picker' ? 'en-US' : lang });
    const { page } = app;
    if (how === 'the picker') await chooseLanguage(page, lang);
    else await speaks(page, lang);
    const spec = example('cmk-user-assigned');
    await fillRegistry(page, spec);
    // The controls filled are the ones the language's labels name.
    await tab(page, 'basics');
    assert.equal(await page.getByLabel(words['field.registry.name'], { exact: true }).inputValue(), spec.registry.name);
    assert.equal(await page.getByLabel(words['field.resourceGroup.name'], { exact: true }).inputValue(), spec.resourceGroup.name);
    await tab(page, 'encryption');
    const e = spec.registry.encryption;
    assert.equal(await page.getByLabel(words['field.identity.name'], { exact: true }).inputValue(), e.identity.name);
    assert.equal(await page.getByLabel(words['field.keyVault.name'], { exact: true }).inputValue(), e.keyVault.name);
    assert.equal(await page.getByLabel(words['field.key.name'], { exact: true }).inputValue(), e.key.name);
    // The tab list and the outputs heading speak the language, not English.
    assert.equal((await page.textContent('#tab-encryption')).includes('Encryption'), false);
    await tab(page, 'review');
    const exported = await exportSpec(page);
    assert.equal(
      cli(['emit', '--format', 'azcli', '-'], exported),
      cli(['emit', '--format', 'azcli', '-'], cli(['example', 'cmk-user-assigned'])),
      'hand-filled spec = example',
    );
    await assertOutputsMatchCli(page, exported);
    // Source links open Microsoft Learn in the same language.
    const links = await page.$$eval('a[href^="https://learn.microsoft.com/"]', (as) => as.map((a) => a.href));
    assert.ok(links.length > 0, 'Review links its sources');
    assert.deepEqual(links.filter((h) => !h.startsWith(`https://learn.microsoft.com/${lang.toLowerCase() === 'ko' ? 'ko-kr' : 'zh-tw'}/`)), []);
    // A reload keeps the language and the form.
    await page.reload();
    await speaks(page, lang);
    await tab(page, 'basics');
    assert.equal(await page.getByLabel(words['field.registry.name'], { exact: true }).inputValue(), spec.registry.name);
    assert.deepEqual(app.errors, []);
    assert.deepEqual(app.foreign(), []);
    await app.context.close();
  });
}

test('a catalog that cannot be fetched: the page stays in English and says so', async () => {
  const app = await openApp(browser, url);
  const { page } = app;
  await page.route(/\/i18n\/ko\.json$/, (route) => route.fulfill({ status: 200, body: '{ "app.language": ' }));
  await page.selectOption('#language', 'ko');
  await page.waitForSelector('#notice[role="alert"]');
  assert.match(await page.textContent('#notice'), /한국어/);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await page.inputValue('#language'), 'en');
  await page.fill('#f-registry-name', 'stillworks');
  await app.context.close();
});

test('first visit: navigation to a usable wizard; the code generator comes with the first edit', async () => {
  const app = await openApp(browser, url);
  const { page } = app;
  const ms = await page.evaluate(() => performance.now());
  console.log(`# navigation to interactive wizard: ${Math.round(ms)} ms`);
  // A fresh form says what to fill in, shows no error, and fetches no generator.
  await page.waitForSelector('#outputs-fill-in li');
  assert.equal(await page.locator('[aria-invalid="true"]').count(), 0, 'no field is marked invalid before it is touched');
  assert.equal(await page.locator('#outputs-blocked').count(), 0);
  assert.ok((await page.locator('[aria-required="true"]').count()) > 0, 'required fields are marked');
  // Leaving an empty required field shows its error.
  await page.focus('#f-registry-name');
  await page.focus('#f-location');
  await page.waitForSelector('#f-registry-name[aria-invalid="true"]');
  const generator = (r) => /\/emitter-[0-9a-f]+\/emitter(_bg\.wasm|\.js)$/.test(r);
  assert.deepEqual(app.requests().filter(generator), [], 'no code generator on a first visit');
  // The first keystroke fetches it, and the code appears once the form is complete.
  await page.fill('#f-registry-name', 'm');
  await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => /emitter_bg\.wasm$/.test(e.name)));
  await fillRegistry(page, example('cmk-user-assigned'));
  await page.waitForSelector('#code');
  assert.equal(await shownOutput(page, 'azcli'), cli(['emit', '--format', 'azcli', '-'], cli(['example', 'cmk-user-assigned'])));
  assert.deepEqual(app.errors, []);
  await app.context.close();
});

test('a code generator that cannot be fetched is said, never a blank panel, and the form keeps working', async () => {
  const app = await openApp(browser, url);
  const { page } = app;
  await page.route(/\/emitter-[0-9a-f]+\//, (route) => route.abort());
  await fillRegistry(page, example('cmk-user-assigned'));
  await page.waitForSelector('#outputs-preparing[data-failed="true"]');
  assert.match(await page.textContent('#outputs-preparing'), /could not be loaded.*Reload the page/);
  assert.equal(await page.getAttribute('#outputs-preparing', 'role'), 'alert');
  await tab(page, 'review');
  await app.context.close();
});

test('the Content-Security-Policy allows the whole wizard and nothing else', async () => {
  const app = await openApp(browser, url);
  const { page } = app;
  const policy = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert.match(policy, /default-src 'none'/);
  assert.match(policy, /script-src 'self' 'wasm-unsafe-eval' 'sha256-/);
  assert.doesNotMatch(policy, /unsafe-inline|\*/);
  // A full run: every tab, every output, export, download all, copy.
  await fillRegistry(page, example('service-endpoint'));
  for (const slug of ['basics', 'encryption', 'networking', 'tags', 'review']) await tab(page, slug);
  for (const format of FORMATS) await shownOutput(page, format);
  await exportSpec(page);
  await download(page, '#download-all');
  await page.click('#copy');
  await page.waitForFunction(() => document.getElementById('status')?.textContent.includes('Copied'));
  // The policy is enforced: an inline script of ours would be refused.
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__injected = true';
    document.body.append(s);
  });
  await page.waitForFunction(() => window.__cspViolations.length > 0);
  const violations = await app.cspViolations();
  assert.deepEqual(violations, ['script-src-elem inline'], 'only the planted script was refused');
  assert.equal(await page.evaluate(() => window.__injected), undefined);
  assert.deepEqual(app.errors.filter((e) => !e.includes('Content Security Policy')), []);
  assert.deepEqual(app.foreign(), [], 'no request leaves 127.0.0.1');
  await page.evaluate(() => { window.__cspViolations = []; });
  await app.context.close();
});

test('a pasted secret is flagged on its field and never written to the browser\'s storage', async () => {
  const app = await openApp(browser, url);
  const { page } = app;
  await fillRegistry(page, example('ip-rules-selected-networks'));
  await tab(page, 'tags');
  const secret = 'DefaultEndpointsProtocol=https;AccountName=contoso;AccountKey=abc123==;EndpointSuffix=core.windows.net';
  await page.fill('#f-tags-0-value', secret);
  await textMatching(page, '#m-tags-0-value [data-rule="SECRET-IN-FIELD"]', /looks like a secret/);
  const stored = await page.evaluate(() => Object.values(localStorage).join('\n'));
  assert.ok(!stored.includes('AccountKey'), 'the secret is not in localStorage');
  await page.reload();
  await page.waitForSelector('#tab-basics');
  await tab(page, 'tags');
  assert.equal(await page.inputValue('#f-tags-0-value'), '', 'after a reload the field is empty');
  assert.equal(await page.inputValue('#f-tags-0-name'), 'cost-center', 'the rest is kept');
  await app.context.close();
});

test('a stored spec the wizard cannot read is kept aside, never over an earlier one, and the user is told', async () => {
  const app = await openApp(browser, url);
  const { page } = app;
  await page.evaluate(() => {
    localStorage.setItem('registry-wizard.spec.unreadable', 'kept from before');
    localStorage.setItem('registry-wizard.spec', '{"registry": {');
  });
  const notice = await nextNotice(page, () => page.reload());
  assert.ok(notice.isError);
  assert.match(notice.text, /registry-wizard\.spec\.unreadable\.2/);
  const stored = await page.evaluate(() => ({
    first: localStorage.getItem('registry-wizard.spec.unreadable'),
    second: localStorage.getItem('registry-wizard.spec.unreadable.2'),
  }));
  assert.deepEqual(stored, { first: 'kept from before', second: '{"registry": {' });
  await app.context.close();
});

test('benchmark: keystroke to updated code, in Chromium (reported, not asserted)', async () => {
  const app = await openApp(browser, url);
  const { page } = app;
  await fillRegistry(page, example('cmk-user-assigned'));
  await tab(page, 'basics');
  await shownOutput(page, 'azcli');
  // In the page: change the registry name by one character and time until
  // the code panel shows it (one input event, the reactive update, the DOM).
  const times = await page.evaluate(async () => {
    const input = document.getElementById('f-registry-name');
    const code = () => document.getElementById('code')?.textContent ?? '';
    const samples = [];
    for (let i = 0; i < 40; i++) {
      const name = `contosoregistry${i}`;
      // A MutationObserver reports the DOM change as soon as it happens
      // (a timer would round it up to its own clamp).
      const shown = new Promise((resolve) => {
        const observer = new MutationObserver(() => {
          if (code().includes(`REGISTRY_NAME=${name}\n`)) {
            observer.disconnect();
            resolve(performance.now());
          }
        });
        observer.observe(document.body, { subtree: true, childList: true, characterData: true });
      });
      const t0 = performance.now();
      input.value = name;
      input.dispatchEvent(new Event('input', { bubbles: true }));
      samples.push((await shown) - t0);
    }
    return samples.sort((a, b) => a - b);
  });
  const median = times[Math.floor(times.length / 2)];
  console.log(`# keystroke to updated code (cmk-user-assigned): median ${median.toFixed(2)} ms, max ${times.at(-1).toFixed(2)} ms`);
  await app.context.close();
});

test('day 2: a registry pasted as JSON, an operation chosen, the UI shows what the CLI emits', async () => {
  const app = await openApp(browser, url);
  const { page } = app;
  await page.check('#f-mode-change');
  await page.waitForSelector('#existing-json');
  await page.selectOption('#f-change-operation', 'revokeKeyAccess');
  // A registry as Resource Manager returned it in the Azure CLI's own test recordings.
  const recorded = JSON.parse(readFileSync(join(root, 'tests/fixtures/import/registry-cmk-2021-08-01-preview.json')));
  delete recorded._source;
  await page.fill('#existing-json', JSON.stringify(recorded, null, 2));
  const read = await nextNotice(page, () => page.click('#read-existing'));
  assert.ok(!read.isError, read.text);
  assert.match(read.text, /testreg000006/);
  assert.equal(await page.inputValue('#f-registry-name'), 'testreg000006');
  assert.equal(await page.inputValue('#f-change-existing-keyUri'), recorded.properties.encryption.keyVaultProperties.keyIdentifier);
  // Revoking takes access away: no code until it is acknowledged.
  await page.waitForSelector('#outputs-blocked');
  await page.check('#f-change-acknowledged');
  await page.waitForSelector('#code');
  await tab(page, 'encryption');
  assert.equal(await page.inputValue('#f-registry-encryption-keyVault-name'), 'clitest000002');
  const exported = await exportSpec(page);
  assert.equal(JSON.parse(exported).change.operation, 'revokeKeyAccess');
  await assertOutputsMatchCli(page, exported);
  assert.match(await shownOutput(page, 'azcli'), /CONFIRM_REGISTRY/);
  await page.screenshot({ path: join(artifacts, 'day2-revoke.png'), fullPage: true });
  await app.context.close();
});

test('day 2: an image version pasted as JSON gets one more region with its disk encryption sets; the UI shows what the CLI emits', async () => {
  for (const [label, viewport] of [['desktop', { width: 1280, height: 900 }], ['360', { width: 360, height: 780 }]]) {
    const app = await openApp(browser, url, viewport, { bypassCSP: true });
    const { page } = app;
    await page.check('#f-kind-galleryImageVersion');
    await page.check('#f-mode-change');
    await page.waitForSelector('#existing-json');
    // An image version as Resource Manager returned it in the Azure CLI's own test recordings.
    const recorded = JSON.parse(readFileSync(join(root, 'tests/fixtures/import/image-version-cmk-2021-10-01.json')));
    delete recorded._source;
    await page.fill('#existing-json', JSON.stringify(recorded, null, 2));
    const read = await nextNotice(page, () => page.click('#read-existing'));
    assert.ok(!read.isError, read.text);
    assert.match(read.text, /gallery_000003\/image1\/1\.1\.1/);
    assert.equal(await page.inputValue('#f-gallery-name'), 'gallery_000003');
    assert.equal(await page.inputValue('#f-change-existing-targetRegions-0'), 'centraluseuap');
    // The tabs of this operation, in order.
    const tabs = await page.$$eval('.tablist:not(.small) > [role="tab"]', (els) => els.map((e) => e.id));
    assert.deepEqual(tabs, ['tab-basics', 'tab-replication', 'tab-encryption', 'tab-review']);
    // The one row a new form has is the region to add.
    await tab(page, 'replication');
    assert.equal(await page.locator('[id^="f-gallery-targetRegions-"][id$="-region"]').count(), 1);
    await page.fill('#f-gallery-targetRegions-0-region', 'eastus2');
    await tab(page, 'encryption');
    const des = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/clitest.rg000001/providers/Microsoft.Compute/diskEncryptionSets/des-eastus2';
    await page.fill('#f-gallery-targetRegions-0-osDiskEncryptionSetId', des);
    await page.waitForSelector('#code');
    const exported = await exportSpec(page);
    const spec = JSON.parse(exported);
    assert.equal(spec.change.operation, 'galleryAddRegions');
    assert.deepEqual(spec.change.existing.targetRegions, ['centraluseuap']);
    await assertOutputsMatchCli(page, exported);
    assert.match(await shownOutput(page, 'azcli'), /--add publishingProfile\.targetRegions/);
    for (const slug of ['basics', 'replication', 'encryption', 'review']) {
      await tab(page, slug);
      await page.addScriptTag({ path: axePath });
      const violations = await page.evaluate(async () => {
        const result = await window.axe.run(document, { resultTypes: ['violations'] });
        return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) }));
      });
      assert.deepEqual(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'), [], `${slug} (${label})`);
      await page.screenshot({ path: join(artifacts, `day2-gallery-${slug}-${label}.png`), fullPage: true });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${slug} (${label}) scrolls sideways by ${overflow} px`);
    }
    assert.deepEqual(app.errors, []);
    await app.context.close();
  }
});

test('day 2: rotate the key of a registry pasted as az acr show prints it; the UI shows what the CLI emits', async () => {
  const app = await openApp(browser, url);
  const { page } = app;
  await page.check('#f-mode-change');
  await page.waitForSelector('#existing-json');
  // `az acr show` prints the recorded resource flattened: properties at the top, resourceGroup added.
  const recorded = JSON.parse(readFileSync(join(root, 'tests/fixtures/import/registry-cmk-2021-08-01-preview.json')));
  delete recorded._source;
  const { properties, ...rest } = recorded;
  const shown = { ...rest, ...properties, resourceGroup: 'clitest.rg000001' };
  await page.selectOption('#f-change-operation', 'rotateKey');
  await page.fill('#existing-json', JSON.stringify(shown, null, 2));
  const read = await nextNotice(page, () => page.click('#read-existing'));
  assert.ok(!read.isError, read.text);
  assert.equal(await page.inputValue('#f-change-existing-keyUri'), properties.encryption.keyVaultProperties.keyIdentifier);
  await page.waitForSelector('#code');
  const exported = await exportSpec(page);
  assert.equal(JSON.parse(exported).change.operation, 'rotateKey');
  await assertOutputsMatchCli(page, exported);
  assert.match(await shownOutput(page, 'azcli'), /az acr encryption rotate-key/);
  assert.deepEqual(app.errors, []);
  await app.context.close();
});
