// Driving VS Code's web workbench (code-server) from playwright-core: start and stop the server, and the few
// gestures the test needs. Every wait waits on a DOM selector or a condition, and every wait is bounded.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** How long one UI step may take before the test fails (the workbench is slow only on its first start). */
export const stepTimeout = 30_000;

/** A free TCP port on the loopback interface. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts code-server on `folder` in its own process group (so that stopping it also ends the extension host and the
 * language server it started) and resolves once it answers HTTP; rejects if it exits or does not answer in time.
 */
export async function startCodeServer({ entry, args, folder, port, logFile }) {
  const child = spawn(process.execPath, [entry, ...args, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, folder], {
    detached: true,
    stdio: ['ignore', logFile, logFile],
  });
  const url = `http://127.0.0.1:${port}/`;
  const exited = new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`code-server exited early (${code})`))));
  exited.catch(() => {});
  try {
    await Promise.race([exited, waitFor(async () => (await fetch(url).catch(() => undefined))?.ok, 60_000, 'code-server to answer')]);
  } catch (error) {
    await stopCodeServer(child);
    throw error;
  }
  return { child, url: `${url}?folder=${encodeURIComponent(folder)}` };
}

/** Ends a process group started by startCodeServer; safe to call twice or after it exited. */
export function stopCodeServer(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const done = new Promise((resolve) => child.once('exit', resolve));
  try { process.kill(-child.pid, 'SIGTERM'); } catch { return Promise.resolve(); }
  const force = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ } }, 5_000);
  return done.finally(() => clearTimeout(force));
}

/** Resolves when `check` returns a truthy value (which it returns), polling every 100 ms; rejects after `timeout` ms. */
export async function waitFor(check, timeout, what) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Opens the workbench and waits until the explorer shows the folder, i.e. the window is ready for input. */
export async function openWorkbench(browser, url) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(url, { timeout: 60_000 });
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60_000 });
  return page;
}

/** Runs a command by its palette title, e.g. 'Pinwatch: Scan Workspace'. */
export async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: stepTimeout });
  await input.fill(`>${title}`);
  // Wait for the row whose label is exactly the title, so that Enter cannot pick a near match.
  await page.locator('.quick-input-list .monaco-list-row', { has: page.getByText(title, { exact: true }) }).first()
    .waitFor({ timeout: stepTimeout });
  await page.locator('.quick-input-list .monaco-list-row.focused', { has: page.getByText(title, { exact: true }) })
    .waitFor({ timeout: stepTimeout });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: stepTimeout });
}

/** Opens a workspace file through Quick Open and waits until its editor tab is the active one. */
export async function quickOpen(page, relativePath) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: stepTimeout });
  await input.fill(relativePath);
  const name = relativePath.split('/').pop();
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: name }).waitFor({ timeout: stepTimeout });
  await page.keyboard.press('Enter');
  await page.locator(`.tabs-container .tab.active[aria-label^="${name}"]`).waitFor({ timeout: stepTimeout });
  await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ timeout: stepTimeout });
}

/** Moves the cursor with Go to Line/Column (1-based line and column, as the palette takes them). */
export async function goToPosition(page, line, column) {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: stepTimeout });
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: stepTimeout });
}

/** Moves the focus down a list (a quick-fix menu) until the focused row contains `text`; at most one pass. */
export async function selectWithArrows(page, rowSelector, text) {
  const rows = await page.locator(rowSelector).count();
  for (let i = 0; i <= rows; i++) {
    const focused = await page.locator(`${rowSelector}.focused`).first().innerText().catch(() => '');
    if (focused.includes(text)) return;
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`no row containing ${JSON.stringify(text)} in ${rowSelector}`);
}

/** Opens the Problems panel and returns the text of its rows once `expect(rows)` holds. */
export async function problemsWhen(page, expect, timeout = stepTimeout) {
  await page.keyboard.press('Control+Shift+M');
  await page.locator('.markers-panel').waitFor({ state: 'visible', timeout: stepTimeout });
  return waitFor(async () => {
    const rows = await page.locator('.markers-panel .monaco-list-row').allInnerTexts();
    return expect(rows) ? rows : undefined;
  }, timeout, 'the Problems panel to list the expected problems');
}

/** Saves a screenshot under the screenshots folder and returns its path. */
export async function screenshot(page, folder, name) {
  const path = join(folder, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
