// End-to-end test: the packaged .vsix installed in a real VS Code (code-server, installed on demand), driven in
// Debian's headless Chromium with playwright-core. Run with `npm run test:e2e` after `npm ci`.
// It opens the fixture Dockerfile, waits for the xz-utils problem, reads the hover, applies the quick fix, saves,
// checks the file on disk, suppresses a finding through *Ignore … here…*, then runs Scan Workspace and checks that unopened files get their problems too.
// Screenshots go to test/e2e/.work/screenshots/; PINWATCH_E2E_UPDATE_SCREENSHOT=1 also refreshes docs/screenshot*.png.
// PINWATCH_E2E_VSIX=path tests a prebuilt .vsix instead of running `npm run package`.
import { cpSync, copyFileSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { codeServerArgs, ensureAptPackages, ensureCodeServer, installExtension, packageExtension, workPaths } from './install.mjs';
import {
  freePort, goToPosition, openWorkbench, problemsWhen, quickOpen, runCommand, screenshot, selectWithArrows, startCodeServer,
  stepTimeout, stopCodeServer, waitFor,
} from './workbench.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');
const paths = workPaths(repoRoot);
const log = (message) => process.stderr.write(`[e2e] ${message}\n`);

const dockerfileBefore = 'FROM debian:sid\nRUN apt-get update && apt-get install -y xz-utils=5.6.1-1\n';
const dockerfileAfter = 'FROM debian:sid\nRUN apt-get update && apt-get install -y xz-utils=5.6.1+really5.4.5-1\n';
/** The fixture files that the workspace scan must report without them being opened. */
const unopenedFiles = ['APKBUILD', 'PKGBUILD', 'package-lock.json'];

test('Pinwatch in a real VS Code (code-server in headless Chromium)', { timeout: 20 * 60_000 }, async (t) => {
  const started = Date.now();
  const missing = ensureAptPackages(log);
  if (missing) {
    if (process.env.CI) assert.fail(`cannot run the end-to-end test: ${missing}`);
    t.skip(missing);
    return;
  }
  packageExtension(repoRoot, paths, log);
  ensureCodeServer(paths, log);
  installExtension(paths, log);
  mkdirSync(paths.screenshots, { recursive: true });
  log(`set up in ${Math.round((Date.now() - started) / 1000)} s`);

  // A fresh copy of the fixture workspace, so that the quick fix and save never touch the repository.
  const scratch = mkdtempSync(join(tmpdir(), 'pinwatch-e2e-'));
  const folder = join(scratch, 'example-project');
  cpSync(join(here, 'workspace'), folder, { recursive: true });
  assert.equal(readFileSync(join(folder, 'Dockerfile'), 'utf8'), dockerfileBefore);

  let server;
  let browser;
  t.after(async () => {
    await browser?.close().catch(() => {});
    await stopCodeServer(server?.child);
    rmSync(scratch, { recursive: true, force: true });
    log(`finished in ${Math.round((Date.now() - started) / 1000)} s`);
  });

  const port = await freePort();
  const logFile = openSync(join(paths.work, 'code-server.log'), 'w');
  server = await startCodeServer({ entry: paths.codeServerEntry, args: codeServerArgs(paths), folder, port, logFile });
  log(`code-server listening on ${server.url}`);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  const page = await openWorkbench(browser, server.url);
  await screenshot(page, paths.screenshots, '01-workbench');

  // Later steps build on earlier ones: once one fails, the rest say so instead of timing out one by one.
  let failed = '';
  const step = (name, fn) => t.test(name, async (st) => {
    if (failed) return st.skip(`an earlier step failed: ${failed}`);
    try { await fn(); } catch (error) {
      failed = name;
      await screenshot(page, paths.screenshots, 'failure').catch(() => {});
      throw error;
    }
  });

  const column = dockerfileBefore.split('\n')[1].indexOf('5.6.1-1') + 1;

  await step('opening the Dockerfile shows the compromised xz-utils pin in the Problems panel', async () => {
    await quickOpen(page, 'Dockerfile');
    const rows = await problemsWhen(page, (r) => r.some((row) => row.includes('xz-utils') && row.includes('pinwatch')), 60_000);
    await screenshot(page, paths.screenshots, '02-problem');
    assert.ok(rows.some((row) => row.includes('Dockerfile')), `Problems rows: ${JSON.stringify(rows)}`);
    // The status bar item counts what Pinwatch reports; the Dockerfile is the only file analysed so far.
    await page.locator('.statusbar-item', { hasText: /Pinwatch: 1$/ }).waitFor({ timeout: stepTimeout });
  });

  await step('the hover on the flagged version names CVE-2024-3094', async () => {
    await goToPosition(page, 2, column);
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    // The problem's own hover comes first; 'Safe:' is in the server's hover, which says what to pin instead.
    const hover = page.locator('.monaco-hover:visible').filter({ hasText: 'CVE-2024-3094' }).filter({ hasText: 'Safe:' });
    await hover.first().waitFor({ timeout: stepTimeout });
    const shot = await screenshot(page, paths.screenshots, '03-hover');
    if (process.env.PINWATCH_E2E_UPDATE_SCREENSHOT) copyFileSync(shot, join(repoRoot, 'docs', 'screenshot.png'));
    await page.keyboard.press('Escape');
  });

  await step('the quick fix pins 5.6.1+really5.4.5-1 and saving writes exactly that to disk', async () => {
    await goToPosition(page, 2, column);
    await page.keyboard.press('Control+.');
    const action = page.locator('.action-widget .monaco-list-row', { hasText: '5.6.1+really5.4.5-1' }).first();
    await action.waitFor({ timeout: stepTimeout });
    await screenshot(page, paths.screenshots, '04-quick-fix');
    // Chosen with the keyboard: while the menu is open, a pointer block covers the page and takes clicks.
    await selectWithArrows(page, '.action-widget .monaco-list-row', '5.6.1+really5.4.5-1');
    await page.keyboard.press('Enter');
    await page.locator('.view-lines', { hasText: 'really5.4.5-1' }).first().waitFor({ timeout: stepTimeout });
    await page.keyboard.press('Control+S');
    await page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached', timeout: stepTimeout });
    const onDisk = await waitFor(() => {
      const text = readFileSync(join(folder, 'Dockerfile'), 'utf8');
      return text === dockerfileBefore ? undefined : text;
    }, stepTimeout, 'the saved Dockerfile');
    await screenshot(page, paths.screenshots, '05-fixed');
    assert.equal(onDisk, dockerfileAfter);
  });

  await step('opening a pnpm-lock.yaml and a yarn.lock shows their compromised entries', async () => {
    for (const [file, finding] of [['pnpm/pnpm-lock.yaml', 'debug 4.4.2'], ['yarn/yarn.lock', 'chalk 5.6.1']]) {
      await quickOpen(page, file);
      const rows = await problemsWhen(page, (r) => r.some((row) => row.includes(finding) && row.includes('pinwatch')), 60_000);
      assert.ok(rows.some((row) => row.includes(finding)), `Problems rows: ${JSON.stringify(rows)}`);
    }
    await screenshot(page, paths.screenshots, '06-js-lockfiles');
    // Back to an editor, as after the quick fix: the Problems shortcut then shows the panel rather than hiding it.
    await quickOpen(page, 'Dockerfile');
  });

  await step('Ignore … here… asks for the reason and a date, writes the comment, and the problem goes away', async () => {
    await quickOpen(page, 'ignore/requirements.txt');
    await problemsWhen(page, (r) => r.some((row) => row.includes('ultralytics 8.3.41')), 60_000);
    await goToPosition(page, 1, 14);
    await page.keyboard.press('Control+.');
    await page.locator('.action-widget .monaco-list-row', { hasText: 'here…' }).first().waitFor({ timeout: stepTimeout });
    await selectWithArrows(page, '.action-widget .monaco-list-row', 'here…');
    await page.keyboard.press('Enter');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    // The reason is required: Enter on an empty box keeps it open with the message.
    await page.locator('.quick-input-widget', { hasText: 'Why is this finding accepted?' }).waitFor({ timeout: stepTimeout });
    await input.fill('a pinned fixture, never installed');
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget', { hasText: 'Until when' }).waitFor({ timeout: stepTimeout });
    await input.fill('2099-12-31');
    await page.keyboard.press('Enter');
    await page.locator('.view-lines', { hasText: 'pinwatch-ignore' }).first().waitFor({ timeout: stepTimeout });
    await problemsWhen(page, (r) => !r.some((row) => row.includes('ultralytics 8.3.41')), 60_000);
    await screenshot(page, paths.screenshots, '06-ignored');
    await quickOpen(page, 'ignore/requirements.txt');
    await page.keyboard.press('Control+S');
    await page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached', timeout: stepTimeout });
    assert.equal(
      readFileSync(join(folder, 'ignore', 'requirements.txt'), 'utf8'),
      'ultralytics==8.3.41 # pinwatch-ignore PINWATCH-PYPI-2024-12-ULTRALYTICS until=2099-12-31 a pinned fixture, never installed\n',
    );
    await quickOpen(page, 'Dockerfile');
  });

  await step('Scan Workspace reports the problems of files that were never opened', async () => {
    await runCommand(page, 'Pinwatch: Scan Workspace');
    await page.locator('.notification-toast', { hasText: 'Pinwatch scanned' }).first().waitFor({ timeout: 60_000 });
    // The progress notification (with its Cancel button) closes when the scan's request settles.
    await page.locator('.notification-toast', { hasText: 'Cancel' }).waitFor({ state: 'detached', timeout: stepTimeout });
    const rows = await problemsWhen(page, (r) => unopenedFiles.every((name) => r.some((row) => row.startsWith(name))), 60_000);
    await screenshot(page, paths.screenshots, '06-scan');
    assert.deepEqual(unopenedFiles.filter((name) => !rows.some((row) => row.startsWith(name))), []);
  });

  await step('APKBUILD and PKGBUILD open in their own languages (the contributed grammars)', async () => {
    for (const [file, language] of [['alpine/xz/APKBUILD', 'APKBUILD'], ['arch/xz/PKGBUILD', 'PKGBUILD']]) {
      await quickOpen(page, file);
      // The language mode indicator shows the language's first alias.
      await page.locator('.statusbar-item[id$="editor.mode"]', { hasText: language }).waitFor({ timeout: stepTimeout });
      const shot = await screenshot(page, paths.screenshots, `07-${language}`);
      if (language === 'APKBUILD' && process.env.PINWATCH_E2E_UPDATE_SCREENSHOT) copyFileSync(shot, join(repoRoot, 'docs', 'screenshot-scan.png'));
    }
  });
});
