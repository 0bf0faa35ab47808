/**
 * Typing in a 5,000-package lockfile: the time from a didChange to the diagnostics for that version, with the
 * debounce set to 0 through the configuration, so what is measured is the server's own work plus the transport.
 * Run alone with: node --test out/test/protocol/latency.test.js (figures are printed as test diagnostics).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DidChangeTextDocumentNotification, DidOpenTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { start } from './client';

const edits = 60;

/** A v3 lockfile with `packageCount` packages, one of them chalk 5.6.1 (a compromised release), written by hand. */
function lockfile(packageCount: number): string {
  const packages: Record<string, unknown> = { '': { name: 'app', version: '1.0.0', dependencies: { chalk: '^5.6.0' } } };
  for (let i = 0; i < packageCount - 1; i++) {
    const name = `pkg-${String(i).padStart(5, '0')}`;
    packages[`node_modules/${name}`] = {
      version: '1.0.0',
      resolved: `https://registry.npmjs.org/${name}/-/${name}-1.0.0.tgz`,
      integrity: `sha512-${Buffer.from(name.repeat(8)).toString('base64').slice(0, 86)}==`,
      license: 'MIT',
    };
    if (i === 2500) packages['node_modules/chalk'] = { version: '5.6.1', resolved: 'https://registry.npmjs.org/chalk/-/chalk-5.6.1.tgz', license: 'MIT' };
  }
  return `${JSON.stringify({ name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Opens a generated lockfile, retypes versions in place, and returns the latency figures (asserting each result). */
async function typeInto(t: { diagnostic(message: string): void }, packageCount: number) {
  const session = await start({ settings: { debounceMs: 0 } });
  const uri = pathToFileURL('/tmp/pinwatch-latency/package-lock.json').href;
  const text = lockfile(packageCount);
  const lines = text.split('\n');
  const opened = session.nextDiagnostics(uri);
  const openedAt = performance.now();
  await session.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'json', version: 1, text } });
  const first = await opened;
  const openMs = performance.now() - openedAt;
  assert.deepStrictEqual(first.diagnostics.map((d) => [d.code, d.range.start.line]), [['compromised-version', lines.indexOf('    "node_modules/chalk": {') + 1]]);

  // Each edit retypes one package's version in place ("1.0.0" -> "1.0.1" and back), keeping the JSON valid.
  const versionLines = lines.flatMap((line, index) => (line === '      "version": "1.0.0",' ? [index] : []));
  const timings: number[] = [];
  for (let i = 0; i < edits; i++) {
    const version = i + 2;
    const line = versionLines[(i * 97) % versionLines.length]!;
    const published = session.nextDiagnostics(uri, (p) => p.version === version);
    const sentAt = performance.now();
    await session.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: { line, character: 22 }, end: { line, character: 23 } }, text: String(i % 2) }],
    });
    const result = await published;
    timings.push(performance.now() - sentAt);
    assert.equal(result.diagnostics.length, 1);
  }
  t.diagnostic(`raw ${timings.map((x) => Math.round(x)).join(" ")}`);
  timings.sort((a, b) => a - b);
  const figures = { bytes: text.length, openMs: Math.round(openMs), medianMs: Math.round(percentile(timings, 50) * 10) / 10, p95Ms: Math.round(percentile(timings, 95) * 10) / 10, maxMs: Math.round(timings.at(-1)! * 10) / 10 };
  t.diagnostic(`latency ${JSON.stringify(figures)}`);
  assert.equal(await session.close(), 0);
  return figures;
}

test('publishes diagnostics for a 5,000-package lockfile within a typing budget', { timeout: 120_000 }, async (t) => {
  const figures = await typeInto(t, 5000);
  // A generous bound: the point is to catch a regression to whole-file work that blocks typing.
  assert.ok(figures.p95Ms < 1000, `p95 ${figures.p95Ms} ms`);
});

test('keeps typing in a 20 MB lockfile responsive: an edit inside one entry re-reads that entry only', { timeout: 180_000 }, async (t) => {
  const figures = await typeInto(t, 72_000);
  assert.ok(figures.bytes > 20_000_000, `${figures.bytes} bytes`);
  // The budget: a whole re-analysis of this file takes about 200 ms, the incremental one a few.
  assert.ok(figures.medianMs <= 50, `median ${figures.medianMs} ms`);
});

/** A pnpm 9 lockfile with `packageCount` packages, one of them chalk 5.6.1, in packages and snapshots. */
function pnpmLockfile(packageCount: number): string {
  const names = Array.from({ length: packageCount - 1 }, (_, i) => `pkg-${String(i).padStart(5, '0')}`);
  names.splice(2500, 0, 'chalk');
  const version = (name: string): string => (name === 'chalk' ? '5.6.1' : '1.0.0');
  const out = ["lockfileVersion: '9.0'", '', 'importers:', '', '  .:', '    dependencies:', '      chalk:', '        specifier: ^5.6.0', '        version: 5.6.1', '', 'packages:', ''];
  for (const name of names) out.push(`  ${name}@${version(name)}:`, `    resolution: {integrity: sha512-${Buffer.from(name.repeat(8)).toString('base64').slice(0, 86)}==}`, "    engines: {node: '>=14'}", '');
  out.push('snapshots:', '');
  for (const name of names) out.push(`  ${name}@${version(name)}: {}`, '');
  return `${out.join('\n').trimEnd()}\n`;
}

test('publishes diagnostics within 20 ms (median) while typing in a 5,000-package pnpm-lock.yaml', { timeout: 120_000 }, async (t) => {
  const session = await start({ settings: { debounceMs: 0 } });
  const uri = pathToFileURL('/tmp/pinwatch-latency/pnpm-lock.yaml').href;
  const text = pnpmLockfile(5000);
  const lines = text.split('\n');
  const opened = session.nextDiagnostics(uri);
  await session.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  assert.deepStrictEqual((await opened).diagnostics.map((d) => [d.code, d.range.start.line]), [['compromised-version', lines.indexOf('  chalk@5.6.1:')]]);
  // Each edit retypes the last digit of a package key's version ("1.0.0" -> "1.0.1" and back).
  const keyLines = lines.flatMap((line, index) => (/^ {2}pkg-\d{5}@1\.0\.0:$/.test(line) ? [index] : []));
  const timings: number[] = [];
  for (let i = 0; i < edits; i++) {
    const version = i + 2;
    const line = keyLines[(i * 97) % keyLines.length]!;
    const published = session.nextDiagnostics(uri, (p) => p.version === version);
    const sentAt = performance.now();
    await session.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: { line, character: 17 }, end: { line, character: 18 } }, text: String(i % 2) }],
    });
    assert.equal((await published).diagnostics.length, 1);
    timings.push(performance.now() - sentAt);
  }
  timings.sort((a, b) => a - b);
  const figures = { bytes: text.length, medianMs: Math.round(percentile(timings, 50) * 10) / 10, p95Ms: Math.round(percentile(timings, 95) * 10) / 10 };
  t.diagnostic(`latency ${JSON.stringify(figures)}`);
  assert.equal(await session.close(), 0);
  assert.ok(figures.medianMs <= 20, `median ${figures.medianMs} ms`);
});
