// A scan's worker threads: the same report whichever thread read a file, workers really used for a big tree, and
// a worker that cannot do its part (it loaded other advisories, it cannot start) leaving its files to the main
// thread rather than out of the report.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadAdvisories } from '../../server/src/advisories/load';
import { bundledAdvisories } from '../../server/src/engine';
import { defaultSettings } from '../../server/src/model';
import { scanPaths, type ScanOutcome } from '../../server/src/scan';
import { loadedFingerprint } from '../../server/src/scanWorker';
import { cliPath, emptyCache, pinwatch, repoRoot } from './helpers';

/** A tree of a few hundred files: the examples five times over, a lockfile beside its package.json, and noise. */
function tree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pinwatch-pool-'));
  for (let i = 0; i < 5; i++) cpSync(join(repoRoot, 'examples'), join(dir, `copy${i}`), { recursive: true });
  mkdirSync(join(dir, 'src'));
  for (let i = 0; i < 200; i++) writeFileSync(join(dir, 'src', `m${i}.ts`), `export const x${i} = ${i};\n`);
  writeFileSync(join(dir, 'src', 'requirements.txt'), 'ultralytics==8.3.41\n');
  return dir;
}

const fingerprint = loadedFingerprint(loadAdvisories(bundledAdvisories(), {}));

async function scan(dir: string, pool?: { loaded?: string; script?: string; workers?: number }): Promise<ScanOutcome> {
  return scanPaths({
    paths: ['.'], cwd: dir, settings: defaultSettings, exclude: [], fix: false,
    ...(pool ? { pool: { script: pool.script ?? cliPath, workers: pool.workers ?? 2, minFiles: 1, load: { storeDir: emptyCache }, loaded: pool.loaded ?? fingerprint } } : {}),
  });
}

test('the built CLI the workers run is there (npm test builds it first)', () => {
  assert.ok(existsSync(cliPath), `${cliPath} is missing: run npm run build`);
});

test('a scan with worker threads reports exactly what one thread does, and the workers read part of the tree', async () => {
  const dir = tree();
  const alone = await scan(dir);
  const pooled = await scan(dir, {});
  assert.equal(alone.workerFiles, 0);
  assert.deepStrictEqual(pooled.result, alone.result);
  assert.ok(pooled.workerFiles > 0, 'no file was read by a worker');
  // The tree holds findings of several formats, so the comparison is of something.
  assert.ok(alone.result.files.filter((f) => f.findings.length > 0).length >= 20, `${alone.result.files.length} files with findings`);
});

test('workers that loaded other advisories, or cannot start, leave every file to the main thread', async () => {
  const dir = tree();
  const alone = await scan(dir);
  const refused = await scan(dir, { loaded: '{"other":true}' });
  assert.deepStrictEqual({ result: refused.result, workerFiles: refused.workerFiles }, { result: alone.result, workerFiles: 0 });
  const broken = join(dir, 'broken-worker.js');
  writeFileSync(broken, 'throw new Error("this worker cannot start");\n');
  const failed = await scan(dir, { script: broken });
  assert.deepStrictEqual({ result: failed.result, workerFiles: failed.workerFiles }, { result: alone.result, workerFiles: 0 });
});

test('the CLI gives the same report with --jobs 1 and --jobs 3, and refuses a bad --jobs', () => {
  const dir = tree();
  const one = pinwatch(['scan', '.', '--format', 'json', '--jobs', '1'], dir);
  const three = pinwatch(['scan', '.', '--format', 'json', '-j', '3'], dir);
  assert.equal(one.status, 1, one.stderr);
  assert.deepStrictEqual(three, one);
  assert.deepStrictEqual(pinwatch(['scan', '.', '--jobs', '0'], dir), {
    status: 2, stdout: '', stderr: "pinwatch: --jobs must be a whole number from 1 to 64 (got '0') (see 'pinwatch scan --help')\n",
  });
});
