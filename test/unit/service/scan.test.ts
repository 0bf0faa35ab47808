import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import type { Analysis } from '../../../server/src/engine';
import { scanWorkspace, type ScanHooks } from '../../../server/src/service/scan';
import { debianFinding } from './findings';
import { repoRoot } from '../../paths';

const fixture = join(repoRoot, 'test', 'fixtures', 'workspace');

/** Hooks that flag the top-level Dockerfile and record every call. */
function recording(isCancelled: () => boolean = () => false) {
  const calls: string[] = [];
  const hooks: ScanHooks = {
    roots: [fixture],
    isCancelled,
    analyzeFile: (path): Analysis => ({ findings: path === resolve(fixture, 'Dockerfile') ? [debianFinding('xz-utils', 1)] : [], problems: [] }),
    publish: (path, analysis) => calls.push(`publish ${path.slice(fixture.length + 1)} ${analysis.findings.length}`),
    progress: (percentage, message) => calls.push(`progress ${percentage} ${message}`),
  };
  return { calls, hooks };
}

test('analyses every file, publishes each result, reports progress and sums the findings', async () => {
  const { calls, hooks } = recording();
  assert.deepStrictEqual(await scanWorkspace({ ...hooks, exclude: ['vendor', 'app'], maxFileBytes: 100 }), {
    filesScanned: 2,
    filesWithFindings: 1,
    findings: { error: 1, warning: 0, info: 0 },
    cancelled: false,
    skipped: [{ path: resolve(fixture, 'alpine/APKBUILD'), reason: 'larger than the 100 bytes cap (135 bytes)' }],
    incomplete: [],
  });
  assert.deepStrictEqual(calls, ['progress 0 Finding files', 'progress 0 0/2 files', 'publish Dockerfile 1', 'progress 50 1/2 files', 'publish safe/Dockerfile 0']);
});

test('stops and says so when cancelled between files', async () => {
  let published = 0;
  const { calls, hooks } = recording(() => published > 0);
  const summary = await scanWorkspace({ ...hooks, publish: (path, analysis) => { published += 1; hooks.publish(path, analysis); } });
  assert.deepStrictEqual(summary, { filesScanned: 1, filesWithFindings: 1, findings: { error: 1, warning: 0, info: 0 }, cancelled: true, skipped: [], incomplete: [] });
  assert.deepStrictEqual(calls, ['progress 0 Finding files', 'progress 0 0/6 files', 'publish Dockerfile 1']);
});

test('a file that cannot be read is listed as skipped, not counted as clean', async () => {
  const { hooks } = recording();
  const summary = await scanWorkspace({ ...hooks, exclude: ['vendor', 'app', 'alpine'], analyzeFile: (path) => (path.endsWith('safe/Dockerfile') ? undefined : hooks.analyzeFile(path)) });
  assert.deepStrictEqual(summary, {
    filesScanned: 1,
    filesWithFindings: 1,
    findings: { error: 1, warning: 0, info: 0 },
    cancelled: false,
    skipped: [{ path: resolve(fixture, 'safe/Dockerfile'), reason: 'could not be read' }],
    incomplete: [],
  });
});
