/**
 * The fuzzer inside `npm test`: a short seeded run of every format (FUZZ_TEST_COUNT inputs each, by default 3,200 shared out; FUZZ_SEED), and
 * every regression fixture under test/fixtures/fuzz/<format>/ checked against all the invariants. A fixture
 * listed in test/fixtures/fuzz/open.json is a known defect not fixed yet: it is run and reported as todo.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { repoRoot } from '../paths';
import { fuzzFormats, type FormatKey } from './corpus';
import { slowMs } from './invariants';
import { formatReport, pool, runFuzz } from './run';

const workerPath = join(repoRoot, 'out', 'fuzz', 'worker.js');
const fixtureDir = join(repoRoot, 'test', 'fixtures', 'fuzz');
/**
 * Known defects not fixed yet, each with the reason: regression fixtures by path, and inputs of the short run
 * with the default seed by `format#index` (a run with another seed counts every failure).
 */
const open: { fixtures: Record<string, string>; shortRun: Record<string, string> } = existsSync(join(fixtureDir, 'open.json'))
  ? JSON.parse(readFileSync(join(fixtureDir, 'open.json'), 'utf8'))
  : { fixtures: {}, shortRun: {} };
const seed = Number(process.env.FUZZ_SEED ?? 1);
// About 3,200 inputs in all, however many formats there are (at least 60 each), so the run stays near 30 s.
const count = Number(process.env.FUZZ_TEST_COUNT ?? Math.max(60, Math.floor(3200 / Object.keys(fuzzFormats).length)));

test(`a short fuzz run (seed ${seed}, ${count} inputs per format) breaks no invariant`, { timeout: 120_000 }, async (t) => {
  const report = await runFuzz({ root: repoRoot, workerPath, seed, perFormat: count, workers: 2, hangMs: 2000, heapMb: 256, shrinkPerKind: 0 });
  const known = (x: { key: string; index: number }): string | undefined => (seed === 1 ? open.shortRun[`${x.key}#${x.index}`] : undefined);
  for (const x of report.formats.flatMap((f) => f.failures).filter(known)) t.diagnostic(`known open defect ${x.key}#${x.index}: ${known(x)}`);
  const failures = report.formats.flatMap((f) => f.failures.filter((x) => !known(x)).map((x) => ({ format: x.key, index: x.index, from: x.seedName, violations: x.violations.map((v) => `${v.invariant}: ${v.detail.slice(0, 200)}`), shrunk: x.shrunk?.slice(0, 300) })));
  assert.deepStrictEqual(failures, [], `seed ${seed}:\n${formatReport(report)}`);
});

const workers = pool(workerPath, 1, 256);
after(() => workers.close());

for (const key of Object.keys(fuzzFormats) as FormatKey[]) {
  const dir = join(fixtureDir, key);
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.txt')).sort()) {
    const id = `${key}/${name}`;
    test(`fuzz regression ${id}`, { todo: open.fixtures[id], timeout: 30_000 }, async () => {
      const checked = await workers.check(key, readFileSync(join(dir, name), 'utf8'), 2000);
      assert.deepStrictEqual(checked.violations, []);
      assert.ok(checked.ms <= slowMs, `${checked.ms.toFixed(0)} ms, over ${slowMs} ms`);
    });
  }
}
