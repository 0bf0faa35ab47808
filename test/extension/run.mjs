// Runs the extension-host suite (test/extension/suite.ts) in a real VS Code and reports each case as a node:test
// subtest. Default: code-server (installed on demand, as the e2e test does) with the repository as the extension
// under development, through the web workbench's URL payload; `--electron`: a VS Code downloaded by
// @vscode/test-electron (needs internet, so not here).
import { cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import * as esbuild from 'esbuild';
import { codeServerArgs, ensureAptPackages, ensureCodeServer, workPaths } from '../e2e/install.mjs';
import { freePort, startCodeServer, stopCodeServer } from '../e2e/workbench.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');
const paths = workPaths(repoRoot);
// Not under out/test/: `node --test out/test/` would pick the suite up, and `esbuild.mjs --tests` empties that folder.
const outDir = join(repoRoot, 'out', 'extension');
const resultsFile = join(outDir, 'results.json');
const electron = process.argv.includes('--electron');
const log = (message) => process.stderr.write(`[extension] ${message}\n`);

test(`extension-host tests (${electron ? 'VS Code via @vscode/test-electron' : 'code-server'})`, { timeout: 15 * 60_000 }, async (t) => {
  if (!electron) {
    const missing = ensureAptPackages(log);
    if (missing) {
      if (process.env.CI) assert.fail(`cannot run the extension tests: ${missing}`);
      t.skip(missing);
      return;
    }
    ensureCodeServer(paths, log);
  }
  build();
  const folder = mkdtempSync(join(tmpdir(), 'pinwatch-ext-'));
  cpSync(join(repoRoot, 'test', 'e2e', 'workspace'), folder, { recursive: true });
  t.after(() => rmSync(folder, { recursive: true, force: true }));

  const exitCode = electron ? await runInElectron(folder) : await runInCodeServer(folder, t);
  assert.ok(existsSync(resultsFile), `the suite wrote no results (exit code ${exitCode})`);
  const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
  assert.ok(results.length > 0, 'the suite ran no case');
  for (const result of results) {
    await t.test(result.name, () => {
      if (!result.ok) assert.fail(result.error);
    });
  }
  assert.equal(exitCode, results.every((r) => r.ok) ? 0 : 1);
});

/** Builds the extension (dist/) and the suite (out/extension/suite.js, with `vscode` left to the host). */
function build() {
  log('node esbuild.mjs');
  const result = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: ['ignore', 2, 2] });
  assert.equal(result.status, 0, 'node esbuild.mjs failed');
  rmSync(outDir, { recursive: true, force: true });
  esbuild.buildSync({
    entryPoints: [join(here, 'suite.ts')], outfile: join(outDir, 'suite.js'),
    bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: ['vscode'], sourcemap: true, logLevel: 'warning',
  });
}

/**
 * code-server's web workbench takes extensionDevelopmentPath and extensionTestsPath from its URL payload, as
 * VS Code's own browser integration tests use it. The remote extension host loads both from this machine's disk
 * (`vscode-remote://host:port/path`) and, when the suite settles, the workbench calls `window.codeAutomationExit`.
 */
async function runInCodeServer(folder, t) {
  const { chromium } = await import('playwright-core');
  const port = await freePort();
  const userDataDir = join(paths.work, 'ext-user-data');
  rmSync(userDataDir, { recursive: true, force: true });
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ 'security.workspace.trust.enabled': false, 'workbench.startupEditor': 'none' }));
  mkdirSync(paths.work, { recursive: true });
  writeFileSync(join(paths.work, 'code-server.yaml'), 'auth: none\ncert: false\n');
  // No installed copy of the extension: the one under development is the repository itself.
  const args = codeServerArgs({ ...paths, userDataDir, extensionsDir: join(paths.work, 'ext-extensions') });
  const logFile = openSync(join(paths.work, 'code-server-ext.log'), 'w');
  const server = await startCodeServer({ entry: paths.codeServerEntry, args, folder, port, logFile });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  t.after(async () => {
    await browser.close().catch(() => {});
    await stopCodeServer(server.child);
  });
  const remote = (path) => `vscode-remote://127.0.0.1:${port}${path}`;
  const payload = [
    ['extensionDevelopmentPath', remote(repoRoot)],
    ['extensionTestsPath', remote(join(outDir, 'suite.js'))],
    ['skipWelcome', 'true'],
  ];
  const page = await browser.newPage();
  page.on('console', (message) => { if (/pinwatch|extension tests|Error/i.test(message.text())) log(`console: ${message.text()}`); });
  const exited = new Promise((resolveExit) => page.exposeFunction('codeAutomationExit', (code) => resolveExit(code)));
  await page.exposeFunction('codeAutomationLog', (type, args) => log(`${type}: ${args.join(' ')}`));
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('the suite did not finish in 5 minutes')), 5 * 60_000); });
  try {
    return await Promise.race([exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function runInElectron(folder) {
  const { runTests } = await import('@vscode/test-electron');
  try {
    return await runTests({
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: join(outDir, 'suite.js'),
      launchArgs: [folder, '--disable-extensions', '--disable-workspace-trust'],
    });
  } catch (error) {
    log(String(error));
    return 1;
  }
}
