// Shared pieces of the browser tests: a static server for dist/ on
// 127.0.0.1, Debian's Chromium through playwright-core, the native CLI (the
// reference the UI is compared with), and a form filler that drives the
// wizard the way a person does: tab by tab, through labelled controls.
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

export const root = resolve(import.meta.dirname, '../..');
export const dist = join(root, 'dist');
export const artifacts = join(root, 'artifacts', 'e2e');
mkdirSync(artifacts, { recursive: true });
const cliPath = process.env.RW_BIN ?? join(root, 'target', 'debug', 'registry-wizard');
export const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export const FORMATS = [
  'azcli', 'powershell', 'arm', 'arm-parameters', 'bicep', 'bicepparam',
  'terraform', 'terraform-variables', 'terraform-tfvars', 'terraform-outputs',
];

/** Runs the native CLI; returns stdout as text. */
export function cli(args, input) {
  return execFileSync(cliPath, args, { input }).toString();
}

export function example(name) {
  return JSON.parse(cli(['example', name]));
}

export async function serve() {
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

export async function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    // Playwright starts headless with a fresh temporary profile; the rest keep
    // Chromium from calling home, which this machine's closed network refuses.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A page on the served app that records every request and page error.
 * `foreign()` lists requests to any origin but the app's own.
 */
export async function openApp(browser, url, viewport = { width: 1280, height: 900 }, { bypassCSP = false, locale = 'en-US' } = {}) {
  // bypassCSP only for tests that inject axe-core: the page's policy refuses
  // any script but its own, which is the point. `locale` is the browser's
  // language (navigator.languages), which picks the wizard's on a first visit.
  const context = await browser.newContext({ viewport, acceptDownloads: true, bypassCSP, locale });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  // Every Content-Security-Policy violation the page reports, as it happens.
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(url);
  await page.waitForSelector('#tab-basics');
  // Every test ends with context.close(): it fails there on any policy violation.
  const close = context.close.bind(context);
  context.close = async () => {
    const violations = await page.evaluate(() => window.__cspViolations).catch(() => []);
    await close();
    if (violations.length) throw new Error(`Content-Security-Policy violations: ${violations.join('; ')}`);
  };
  return {
    page,
    context,
    errors,
    requests: () => [...requests],
    foreign: () => requests.filter((r) => !r.startsWith(url)),
    cspViolations: () => page.evaluate(() => window.__cspViolations),
  };
}

export async function tab(page, slug) {
  await page.click(`#tab-${slug}`);
  await page.waitForSelector(`#panel-${slug}:not([hidden])`);
}

/** The file a click downloads: { name, bytes }. */
export async function download(page, selector) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return { name: dl.suggestedFilename(), bytes: readFileSync(await dl.path()) };
}

/**
 * Waits until the element `selector` exists and its text matches `pattern`,
 * and returns that text. For messages that change in place (a finding whose
 * text follows the value), where waiting for the element alone could return
 * the text of an earlier state.
 */
export async function textMatching(page, selector, pattern) {
  const handle = await page.waitForFunction(
    ([sel, source, flags]) => {
      const text = document.querySelector(sel)?.textContent;
      return text !== undefined && new RegExp(source, flags).test(text) && text;
    },
    [selector, pattern.source, pattern.flags],
  );
  return handle.jsonValue();
}

/**
 * Runs `action` and waits for the notice it causes: the banner's `data-seq`
 * counts notices, so a new one is told apart from the one already shown
 * (which may have the same class, or even the same text).
 * Returns { text, isError } of the new notice.
 */
export async function nextNotice(page, action) {
  const seq = await page.evaluate(() => Number(document.getElementById('notice')?.dataset.seq ?? 0));
  await action();
  const handle = await page.waitForFunction(
    (before) => {
      const notice = document.getElementById('notice');
      return notice && Number(notice.dataset.seq) > before
        && { text: notice.textContent, isError: notice.classList.contains('error') };
    },
    seq,
  );
  return handle.jsonValue();
}

export async function exportSpec(page) {
  return (await download(page, '#export')).bytes.toString();
}

/** The code the outputs panel shows for a format. */
/** The family tab of an output format, as src/emit/mod.rs groups them. */
export function familyOf(format) {
  return ['arm', 'bicep', 'terraform'].find((f) => format.startsWith(f)) ?? format;
}

/** Shows one output (its family's tab, then its file's) and returns its code. */
export async function shownOutput(page, format) {
  const family = familyOf(format);
  await page.click(`#out-family-${family}`);
  await page.waitForSelector(`#out-family-${family}[aria-selected="true"]`);
  if (format !== family) await page.click(`#out-tab-${format}`);
  // The panel says which file it shows: wait for that, not for a tab that may already match.
  await page.waitForSelector(`#out-panel[data-format="${format}"]`);
  return page.textContent('#code');
}

// The id of a spec field's control, as src/tabs.rs derives it.
const id = (path) => '#f-' + path.replace(/\]/g, '').replace(/[.[]/g, '-');

async function type(page, path, value) {
  // Typed key by key for the registry name (the live path), filled elsewhere.
  if (path === 'registry.name') {
    await page.fill(id(path), '');
    await page.locator(id(path)).pressSequentially(value);
  } else {
    await page.fill(id(path), value);
  }
}

const radio = (page, path, value) => page.check(`${id(path)}-${value}`);
const check = (page, path, on) => page.setChecked(id(path), on);
const select = (page, path, value) => page.selectOption(id(path), String(value));

/**
 * Fills the wizard from an empty page with the choices of a registry spec,
 * tab by tab. Fields the spec leaves out keep the wizard's defaults, which
 * are the spec format's defaults.
 */
export async function fillRegistry(page, spec) {
  await tab(page, 'basics');
  if (spec.cloud) await select(page, 'cloud', spec.cloud);
  if (spec.subscriptionId) await type(page, 'subscriptionId', spec.subscriptionId);
  await type(page, 'resourceGroup.name', spec.resourceGroup.name);
  if (spec.resourceGroup.create === false) await check(page, 'resourceGroup.create', false);
  if (spec.location) await type(page, 'location', spec.location);
  const r = spec.registry;
  await type(page, 'registry.name', r.name);
  if (r.sku) await select(page, 'registry.sku', r.sku);
  if (r.zoneRedundancy) await check(page, 'registry.zoneRedundancy', true);
  if (r.adminUserEnabled) await check(page, 'registry.adminUserEnabled', true);

  const e = r.encryption;
  if (e?.customerManagedKey) {
    await page.click('#next');
    await radio(page, 'registry.encryption.customerManagedKey', 'customer');
    const p = 'registry.encryption';
    if (e.identity?.create === false) await radio(page, `${p}.identity.create`, 'existing');
    await type(page, `${p}.identity.name`, e.identity.name);
    if (e.identity?.resourceGroup) await type(page, `${p}.identity.resourceGroup`, e.identity.resourceGroup);
    if (e.useSystemAssignedAfterCreate) await check(page, `${p}.useSystemAssignedAfterCreate`, true);
    const v = e.keyVault;
    if (v.create === false) await radio(page, `${p}.keyVault.create`, 'existing');
    await type(page, `${p}.keyVault.name`, v.name);
    if (v.resourceGroup) await type(page, `${p}.keyVault.resourceGroup`, v.resourceGroup);
    if (v.permissionModel) await select(page, `${p}.keyVault.permissionModel`, v.permissionModel);
    if (v.firewall) await check(page, `${p}.keyVault.firewall`, true);
    const k = e.key;
    if (k.create === false) {
      await radio(page, `${p}.key.create`, 'existing');
      await type(page, `${p}.key.keyId`, k.keyId);
    } else {
      await type(page, `${p}.key.name`, k.name);
      if (k.kty) await select(page, `${p}.key.kty`, k.kty);
      if (k.size) await select(page, `${p}.key.size`, k.size);
      if (k.versionless === false) await check(page, `${p}.key.versionless`, false);
    }
  }

  const n = r.networking;
  if (n) {
    await tab(page, 'networking');
    const p = 'registry.networking';
    if (n.publicAccess && n.publicAccess !== 'all') await radio(page, `${p}.publicAccess`, n.publicAccess);
    for (const [i, rule] of (n.ipRules ?? []).entries()) {
      await page.click('#add-ip-rule');
      await type(page, `${p}.ipRules[${i}]`, rule);
    }
    for (const [i, rule] of (n.vnetRules ?? []).entries()) {
      await page.click('#add-vnet-rule');
      for (const key of ['subnetId', 'vnetName', 'subnetName', 'resourceGroup', 'subscriptionId']) {
        if (rule[key]) await type(page, `${p}.vnetRules[${i}].${key}`, rule[key]);
      }
      if (rule.addServiceEndpoint === false) await check(page, `${p}.vnetRules[${i}].addServiceEndpoint`, false);
    }
    if (n.allowTrustedServices === false) await check(page, `${p}.allowTrustedServices`, false);
  }

  const tags = Object.entries(spec.tags ?? {});
  if (tags.length) {
    await tab(page, 'tags');
    for (const [i, [name, value]] of tags.entries()) {
      await page.click('#add-tag');
      await type(page, `tags[${i}].name`, name);
      await type(page, `tags[${i}].value`, value);
    }
  }
}

/**
 * Fills the gallery image version wizard (seed 001) from an empty page:
 * Basics (kind, project, image, source), Replication, Encryption, Tags.
 */
export async function fillGallery(page, spec) {
  await tab(page, 'basics');
  await radio(page, 'kind', 'galleryImageVersion');
  await page.waitForSelector('#tab-replication');
  if (spec.subscriptionId) await type(page, 'subscriptionId', spec.subscriptionId);
  await type(page, 'resourceGroup.name', spec.resourceGroup.name);
  if (spec.resourceGroup.create === false) await check(page, 'resourceGroup.create', false);
  if (spec.location) await type(page, 'location', spec.location);
  const g = spec.gallery;
  await type(page, 'gallery.name', g.name);
  await type(page, 'gallery.imageDefinition', g.imageDefinition);
  await type(page, 'gallery.version', g.version);
  if (g.endOfLifeDate) await type(page, 'gallery.endOfLifeDate', g.endOfLifeDate);
  if (g.excludeFromLatest) await check(page, 'gallery.excludeFromLatest', true);
  const source = g.source ?? {};
  if (source.kind && source.kind !== 'managedImage') await radio(page, 'gallery.source.kind', source.kind);
  if (source.managedImageId) await type(page, 'gallery.source.managedImageId', source.managedImageId);
  if (source.virtualMachineId) await type(page, 'gallery.source.virtualMachineId', source.virtualMachineId);
  if (source.osSnapshotId) await type(page, 'gallery.source.osSnapshotId', source.osSnapshotId);
  for (const [i, d] of (source.dataSnapshots ?? []).entries()) {
    await page.click('#add-data-snapshot');
    await type(page, `gallery.source.dataSnapshots[${i}].lun`, String(d.lun));
    await type(page, `gallery.source.dataSnapshots[${i}].snapshotId`, d.snapshotId);
  }

  await page.click('#next');
  await page.waitForSelector('#panel-replication:not([hidden])');
  for (const [i, r] of g.targetRegions.entries()) {
    if (i > 0) await page.click('#add-target-region');
    const p = `gallery.targetRegions[${i}]`;
    await type(page, `${p}.region`, r.region);
    if (r.replicaCount !== undefined) await type(page, `${p}.replicaCount`, String(r.replicaCount));
    if (r.storageAccountType) await select(page, `${p}.storageAccountType`, r.storageAccountType);
  }

  await page.click('#next');
  await page.waitForSelector('#panel-encryption:not([hidden])');
  if (g.encryption && g.encryption !== 'customerKey') await radio(page, 'gallery.encryption', g.encryption);
  for (const [i, r] of g.targetRegions.entries()) {
    const p = `gallery.targetRegions[${i}]`;
    if (r.osDiskEncryptionSetId) await type(page, `${p}.osDiskEncryptionSetId`, r.osDiskEncryptionSetId);
    for (const [j, d] of (r.dataDiskEncryptionSets ?? []).entries()) {
      await page.click(`#add-data-des-${i}`);
      await type(page, `${p}.dataDiskEncryptionSets[${j}].lun`, String(d.lun));
      await type(page, `${p}.dataDiskEncryptionSets[${j}].diskEncryptionSetId`, d.diskEncryptionSetId);
    }
  }
  if (g.registerPreviewFeature) await check(page, 'gallery.registerPreviewFeature', true);

  const tags = Object.entries(spec.tags ?? {});
  if (tags.length) {
    await tab(page, 'tags');
    for (const [i, [name, value]] of tags.entries()) {
      await page.click('#add-tag');
      await type(page, `tags[${i}].name`, name);
      await type(page, `tags[${i}].value`, value);
    }
  }
}

/** A language's catalog (src/i18n/<code>.json), as the page fetches it. */
export function catalog(code) {
  return JSON.parse(readFileSync(join(root, 'src', 'i18n', `${code}.json`)).toString());
}

/** Chooses a language with the header's picker and waits for the page to speak it. */
export async function chooseLanguage(page, code) {
  await page.selectOption('#language', code);
  await speaks(page, code);
}

/** Waits until the page is in a language: `<html lang>` and its own words. */
export async function speaks(page, code) {
  await page.waitForSelector(`html[lang="${code}"]`);
  const word = code === 'en' ? 'Language' : catalog(code)['app.language'];
  await page.waitForFunction((w) => document.querySelector('label.language span')?.textContent === w, word);
}
