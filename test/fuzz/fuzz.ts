/**
 * `npm run fuzz`: the fuzzer, from the command line. Options (or environment variables):
 *   --count N      inputs per format (FUZZ_COUNT, default 20000)
 *   --seed N       the run's seed (FUZZ_SEED, default 1)
 *   --format KEY   only this format (repeatable): dockerfile, apkbuild, pkgbuild, package-lock, package-json, requirements, cargo-lock
 *   --write        write shrunk failures under test/fixtures/fuzz/<format>/
 *   --workers N    worker threads (default: the machine's cores)
 *   --file PATH    check one file as the (one) --format, in this thread, and print what broke and the time
 * Exits 1 when an invariant was broken; see README.md beside this file.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../paths';
import type { FormatKey } from './corpus';
import { checkInput, slowMs } from './invariants';
import { formatReport, runFuzz } from './run';

const { values } = parseArgs({
  options: { count: { type: 'string' }, seed: { type: 'string' }, format: { type: 'string', multiple: true }, write: { type: 'boolean' }, workers: { type: 'string' }, file: { type: 'string' } },
});

async function main(): Promise<void> {
  if (values.file) {
    const key = (values.format?.[0] ?? 'dockerfile') as FormatKey;
    const checked = checkInput(key, readFileSync(values.file, 'utf8'));
    process.stdout.write(JSON.stringify({ violations: checked.violations, ms: Math.round(checked.ms) }, null, 2) + '\n');
    process.exitCode = checked.violations.length > 0 || checked.ms > slowMs ? 1 : 0;
    return;
  }
  const seed = Number(values.seed ?? process.env.FUZZ_SEED ?? 1);
  const report = await runFuzz({
    root: repoRoot,
    workerPath: join(repoRoot, 'out', 'fuzz', 'worker.js'),
    seed,
    perFormat: Number(values.count ?? process.env.FUZZ_COUNT ?? 20_000),
    formats: values.format as FormatKey[] | undefined,
    workers: Number(values.workers ?? availableParallelism()),
    hangMs: 5000,
    heapMb: 256,
    shrinkPerKind: 3,
    fixtureDir: values.write ? join(repoRoot, 'test', 'fixtures', 'fuzz') : undefined,
    log: (line) => process.stderr.write(line + '\n'),
  });
  process.stdout.write(formatReport(report) + '\n');
  const failed = report.formats.some((f) => f.failures.length > 0);
  if (failed) process.stdout.write(`invariants broken; rerun with --seed ${seed}\n`);
  process.exitCode = failed ? 1 : 0;
}

void main();
