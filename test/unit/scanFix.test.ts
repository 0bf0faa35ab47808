import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { applyEdits, compatibleFixes } from '../../server/src/edits';
import { defaultSettings, type FixEdit } from '../../server/src/model';
import { scanPaths, type ScanOptions } from '../../server/src/scan';
import { repoRoot } from '../paths';

/** `--fix` as it was: a whole scan per pass, until a pass changes nothing. The reference the incremental passes must match. */
async function fixByRescans(dir: string): Promise<number> {
  let applied = 0;
  for (let pass = 0; pass < 20; pass++) {
    const { result } = await scanPaths(options(dir, false));
    const preferred = result.files.flatMap((file) => file.findings.flatMap((f) => (f.fixes[0] ? [f.fixes[0]] : [])));
    const chosen = compatibleFixes(preferred, (uri) => readFileSync(fileURLToPath(uri), 'utf8'));
    if (chosen.length === 0) break;
    const byUri = new Map<string, FixEdit[]>();
    for (const edit of chosen.flatMap((fix) => fix.edits)) byUri.set(edit.uri, [...(byUri.get(edit.uri) ?? []), edit]);
    for (const [uri, edits] of byUri) writeFileSync(fileURLToPath(uri), applyEdits(readFileSync(fileURLToPath(uri), 'utf8'), edits).text);
    applied += chosen.flatMap((fix) => fix.edits).length;
  }
  return applied;
}

function options(dir: string, fix: boolean): ScanOptions {
  return { paths: ['.'], cwd: dir, settings: defaultSettings, exclude: [], fix };
}

/** Every file under a folder with its text (links as the text they lead to). */
function contents(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(join(dir, prefix)).sort()) {
    const rel = join(prefix, name);
    if (statSync(join(dir, rel)).isDirectory()) Object.assign(out, contents(dir, rel));
    else out[rel] = readFileSync(join(dir, rel), 'utf8');
  }
  return out;
}

/**
 * A folder to fix: the CLI's mixed fixture, a lockfile with eight compromised entries (one override per pass), and
 * links, which have the passes compare files by their real paths: with `dockerfile`, a linked Dockerfile; with
 * `manifest`, the lockfile's package.json is a link to a manifest the scan also reads by its own name (each pass's
 * override, written through the link, changes that file too). The manifest's own finding has no fix: it is read again
 * only because a pass edited it.
 */
function tree(links: 'dockerfile' | 'manifest' | 'none' = 'dockerfile'): string {
  const dir = mkdtempSync(join(tmpdir(), 'pinwatch-fix-'));
  cpSync(join(repoRoot, 'test', 'fixtures', 'cli', 'mixed'), join(dir, 'mixed'), { recursive: true });
  const bad: Record<string, string> = { debug: '4.4.2', chalk: '5.6.1', 'ansi-styles': '6.2.2', 'supports-color': '10.2.1', 'strip-ansi': '7.1.1', 'ansi-regex': '6.2.1', 'wrap-ansi': '9.0.1', 'color-convert': '3.1.1' };
  const packages: Record<string, unknown> = { '': { name: 'eight', version: '1.0.0', dependencies: { chalk: '^5.0.0' } } };
  for (const [name, version] of Object.entries(bad)) packages[`node_modules/${name}`] = { version, resolved: `https://registry.npmjs.org/${name}/-/${name}-${version}.tgz` };
  cpSync(join(repoRoot, 'examples', 'debian-sid'), join(dir, 'linked'), { recursive: true });
  if (links === 'dockerfile') symlinkSync('Dockerfile', join(dir, 'linked', 'Dockerfile.prod'));
  const eight = join(dir, 'eight');
  cpSync(join(repoRoot, 'examples', 'node-app'), eight, { recursive: true });
  // The overrides come before the dependencies, so that each pass's override moves the lines below it; flatmap-stream
  // has no fix, so the manifest takes part in a pass only by being edited, and must then be read again.
  const manifest = `${JSON.stringify({ name: 'eight', version: '1.0.0', overrides: {}, dependencies: { chalk: '^5.0.0', 'flatmap-stream': '0.1.1' } }, null, 2)}\n`;
  if (links === 'manifest') {
    mkdirSync(join(dir, 'shared'));
    writeFileSync(join(dir, 'shared', 'package.json'), manifest);
    rmSync(join(eight, 'package.json'));
    symlinkSync(join('..', 'shared', 'package.json'), join(eight, 'package.json'));
  } else writeFileSync(join(eight, 'package.json'), manifest);
  writeFileSync(join(eight, 'package-lock.json'), `${JSON.stringify({ name: 'eight', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`);
  return dir;
}

for (const links of ['dockerfile', 'manifest', 'none'] as const) test(`--fix re-analysing only what a pass edited ends where whole rescans end: the same files, the same findings (links: ${links})`, async () => {
  const incremental = tree(links);
  const reference = tree(links);
  try {
    const outcome = await scanPaths(options(incremental, true));
    const applied = await fixByRescans(reference);
    assert.deepStrictEqual(contents(incremental), contents(reference));
    assert.equal(outcome.fixed.length, applied);
    assert.ok(applied >= 12, `${applied} edits`);
    const rescan = await scanPaths(options(incremental, false));
    const strip = (files: typeof rescan.result.files) => files.map((f) => ({ path: f.path, findings: f.findings.map((x) => ({ ...x, fixes: x.fixes.map((fix) => fix.title) })), problems: f.problems }));
    // The report after --fix is the one a fresh scan of the fixed files gives.
    assert.deepStrictEqual(strip(outcome.result.files), strip(rescan.result.files));
  } finally {
    rmSync(incremental, { recursive: true, force: true });
    rmSync(reference, { recursive: true, force: true });
  }
});
