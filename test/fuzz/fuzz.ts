/**
 * `npm run fuzz`: the fuzzer, from the command line. Options (or environment variables):
 *   --count N      inputs per format (FUZZ_COUNT, default 20000)
 *   --seed N       the run's seed (FUZZ_SEED, default 1)
 *   --format KEY   only this format (repeatable): a key of `fuzzFormats` in corpus.ts (dockerfile, apkbuild, cargo-toml,
 *                  yarn-lock, …); an unknown key, like an unknown option, prints them and exits 2
 *   --shrink N     shrink at most N failures per format and invariant (default 3)
 *   --write        write shrunk failures under test/fixtures/fuzz/<format>/
 *   --workers N    worker threads (default: the machine's cores)
 *   --dump N       print input N of the (one) --format for the seed, and exit
 *   --file PATH    check one file as the (one) --format, in this thread, and print what broke and the time (best of 5)
 * Exits 1 when an invariant was broken; see README.md beside this file.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../paths';
import { fuzzFormats, seeds, type FormatKey } from './corpus';
import { checkInput, slowMs } from './invariants';
import { formatReport, inputFor, runFuzz } from './run';

/** A usage error: one line on stderr and exit status 2, as the CLI gives. */
function usage(message: string): never {
  process.stderr.write(`fuzz: ${message} (options: --count, --seed, --format KEY, --shrink, --write, --workers, --dump, --file; see the header of test/fuzz/fuzz.ts)\n`);
  process.exit(2);
}

const options = { count: { type: 'string' }, seed: { type: 'string' }, format: { type: 'string', multiple: true }, write: { type: 'boolean' }, workers: { type: 'string' }, file: { type: 'string' }, shrink: { type: 'string' }, dump: { type: 'string' } } as const;
let parsed;
try {
  parsed = parseArgs({ options });
} catch (error) {
  usage((error as Error).message);
}
const { values } = parsed;
const unknownFormat = values.format?.find((key) => !Object.hasOwn(fuzzFormats, key));
if (unknownFormat !== undefined) usage(`unknown format ${JSON.stringify(unknownFormat)}; the keys are ${Object.keys(fuzzFormats).join(', ')}`);

async function main(): Promise<void> {
  if (values.dump !== undefined) {
    const key = (values.format?.[0] ?? 'dockerfile') as FormatKey;
    process.stdout.write(inputFor(Number(values.seed ?? process.env.FUZZ_SEED ?? 1), key, Number(values.dump), seeds(repoRoot)[key]).text);
    return;
  }
  if (values.file) {
    const key = (values.format?.[0] ?? 'dockerfile') as FormatKey;
    const text = readFileSync(values.file, 'utf8');
    const checked = checkInput(key, text);
    // The first run pays for compiling; the time that counts is the best of five after it.
    const times = Array.from({ length: 5 }, () => checkInput(key, text).ms);
    process.stdout.write(JSON.stringify({ violations: checked.violations, ms: Math.round(Math.min(...times)), first: Math.round(checked.ms) }, null, 2) + '\n');
    process.exitCode = checked.violations.length > 0 || Math.min(...times) > slowMs ? 1 : 0;
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
    shrinkPerKind: Number(values.shrink ?? 3),
    fixtureDir: values.write ? join(repoRoot, 'test', 'fixtures', 'fuzz') : undefined,
    log: (line) => process.stderr.write(line + '\n'),
  });
  process.stdout.write(formatReport(report) + '\n');
  const failed = report.formats.some((f) => f.failures.length > 0);
  if (failed) process.stdout.write(`invariants broken; rerun with --seed ${seed}\n`);
  process.exitCode = failed ? 1 : 0;
}

void main();
