/**
 * The fuzzer's runner: makes the seeded inputs of each format, checks them in a pool of worker threads (a heap
 * limit each, a time limit per input: a worker past it is terminated and the input recorded as a hang), shrinks
 * a failing input to a small one that fails the same way and can write it as a regression fixture.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { fuzzFormats, seeds, type FormatKey, type Seed } from './corpus';
import { slowMs, isDefect, type Checked, type Invariant, type Violation } from './invariants';
import { hash32, mutate, random } from './mutate';

/** How to run. */
export interface FuzzOptions {
  /** The repository root (for the seeds, and for fixtures). */
  root: string;
  /** The path of the bundled worker (out/fuzz/worker.js). */
  workerPath: string;
  seed: number;
  perFormat: number;
  formats?: FormatKey[];
  workers: number;
  /** An input that takes longer is a hang: its worker is terminated. */
  hangMs: number;
  heapMb: number;
  /** Shrink at most this many failures per format and invariant (0: none). */
  shrinkPerKind: number;
  /** Where to write shrunk failures as fixtures (`<dir>/<format>/<invariant>-<hash>.txt`), or undefined. */
  fixtureDir?: string;
  log?: (line: string) => void;
}

/** One failing input: how to make it again, what broke, and its shrunk form. */
export interface Failure {
  key: FormatKey;
  index: number;
  seedName: string;
  violations: Violation[];
  length: number;
  shrunk?: string;
  fixture?: string;
}

/** The figures of one format's run. */
export interface FormatReport {
  key: FormatKey;
  inputs: number;
  /** Inputs that broke each invariant. */
  byInvariant: Partial<Record<Invariant, number>>;
  p50: number;
  p99: number;
  max: number;
  /** Inputs (under 64 KB, as all are) whose analysis took more than `slowMs`. */
  slow: number;
  /** The largest heap a worker had after an input of this format, in MB. */
  heapMaxMb: number;
  /** Caught exceptions by kind and place, designed ones included, with a count each. */
  thrown: Record<string, number>;
  failures: Failure[];
}

/** The whole run. */
export interface FuzzReport {
  seed: number;
  formats: FormatReport[];
  seconds: number;
}

/** An input to check and the answer, through one worker. */
interface Job {
  key: FormatKey;
  text: string;
  hangMs: number;
  done(result: Checked): void;
}

/** A pool of workers; `check` answers every input, a hang, heap exhaustion or crash as a violation. */
export function pool(workerPath: string, size: number, heapMb: number): { check(key: FormatKey, text: string, hangMs: number): Promise<Checked>; close(): Promise<void>; heapMb: number[] } {
  const heaps: number[] = [];
  const queue: Job[] = [];
  const idle: Worker[] = [];
  const all = new Set<Worker>();
  let closed = false;
  const spawnOne = (): void => {
    const worker = new Worker(workerPath, { resourceLimits: { maxOldGenerationSizeMb: heapMb, stackSizeMb: 4 } });
    all.add(worker);
    let job: Job | undefined;
    let timer: NodeJS.Timeout | undefined;
    const finish = (result: Checked, replace: boolean): void => {
      clearTimeout(timer);
      const j = job!;
      job = undefined;
      if (replace) {
        all.delete(worker);
        void worker.terminate();
        if (!closed) spawnOne();
      } else idle.push(worker);
      j.done(result);
      pump();
    };
    const fail = (invariant: Invariant, detail: string): Checked => ({ violations: [{ invariant, detail }], ms: Infinity, thrown: [] });
    worker.on('message', (message: { ready?: true; checked?: Checked; heapMb?: number }) => {
      if (message.heapMb !== undefined) heaps.push(message.heapMb);
      if (message.ready) {
        idle.push(worker);
        pump();
      } else if (job) finish(message.checked!, false);
    });
    worker.on('error', (error: Error & { code?: string }) => {
      if (!job) return;
      finish(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? fail('heap', `ran out of its ${heapMb} MB heap`) : fail('crash', String(error).slice(0, 200)), true);
    });
    worker.on('exit', () => {
      if (job) finish(fail('crash', 'the worker exited'), true);
    });
    (worker as Worker & { start(j: Job): void }).start = (j: Job) => {
      job = j;
      timer = setTimeout(() => finish(fail('hang', `no answer within ${j.hangMs} ms`), true), j.hangMs);
      worker.postMessage({ id: 0, key: j.key, text: j.text });
    };
  };
  const pump = (): void => {
    while (idle.length > 0 && queue.length > 0) (idle.pop() as Worker & { start(j: Job): void }).start(queue.shift()!);
  };
  for (let i = 0; i < size; i++) spawnOne();
  return {
    heapMb: heaps,
    check: (key, text, hangMs) =>
      new Promise((done) => {
        queue.push({ key, text, hangMs, done });
        pump();
      }),
    close: async () => {
      closed = true;
      await Promise.all([...all].map((w) => w.terminate()));
    },
  };
}

/** The input `index` of a format: a function of the run's seed, the format and the index alone. */
export function inputFor(seed: number, key: FormatKey, index: number, corpus: readonly Seed[]): { text: string; seedName: string } {
  const rng = random(hash32(`${seed}:${key}:${index}`));
  const base = rng.pick(corpus);
  // The first inputs are the seeds as they are, so the seeds themselves are checked too.
  if (index < corpus.length) return { text: corpus[index]!.text, seedName: corpus[index]!.name };
  return { text: mutate(base.text, rng, rng.pick(corpus).text), seedName: base.name };
}

/** Whether a result shows the invariant a failure is being shrunk for. */
function fails(result: Checked, invariant: Invariant): boolean {
  if (invariant === 'slow' || invariant === 'hang') return result.ms > slowMs;
  return result.violations.some((v) => v.invariant === invariant);
}

/** Shrinks `text` while it still breaks `invariant`: deletes halves, quarters, ... single characters, within a budget. */
export async function shrink(check: (text: string) => Promise<Checked>, text: string, invariant: Invariant, budget = { evaluations: 400, ms: 60_000 }): Promise<string> {
  const started = Date.now();
  let evaluations = 0;
  let current = text;
  const within = (): boolean => evaluations < budget.evaluations && Date.now() - started < budget.ms;
  for (let chunk = Math.max(1, Math.floor(current.length / 2)); chunk >= 1 && within(); chunk = chunk === 1 ? 0 : Math.max(1, Math.floor(chunk / 2))) {
    for (let at = 0; at < current.length && within(); ) {
      const candidate = current.slice(0, at) + current.slice(at + chunk);
      evaluations++;
      if (candidate !== current && fails(await check(candidate), invariant)) current = candidate;
      else at += chunk;
    }
  }
  return current;
}

/** Runs the fuzzer and returns the figures; writes shrunk failures as fixtures when asked. */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const started = Date.now();
  const corpus = seeds(options.root);
  const workers = pool(options.workerPath, options.workers, options.heapMb);
  const reports: FormatReport[] = [];
  try {
    for (const key of options.formats ?? (Object.keys(fuzzFormats) as FormatKey[])) {
      const report: FormatReport = { key, inputs: options.perFormat, byInvariant: {}, p50: 0, p99: 0, max: 0, slow: 0, heapMaxMb: 0, thrown: {}, failures: [] };
      workers.heapMb.length = 0;
      const times: number[] = new Array(options.perFormat);
      const shrunkKinds = new Map<Invariant, number>();
      const failed: { index: number; violations: Violation[]; ms: number }[] = [];
      // A sliding window keeps every worker busy: an input is posted as soon as one is answered.
      let next = 0;
      const lane = async (): Promise<void> => {
        while (next < options.perFormat) {
          const index = next++;
          const input = inputFor(options.seed, key, index, corpus[key]);
          const result = await workers.check(key, input.text, options.hangMs);
          times[index] = result.ms;
          for (const t of result.thrown) {
            const kind = `${isDefect(t) ? 'DEFECT ' : ''}${t.error.split(':')[0]} at ${t.where}`;
            report.thrown[kind] = (report.thrown[kind] ?? 0) + 1;
          }
          const violations = [...result.violations];
          if (result.ms > slowMs && Number.isFinite(result.ms)) violations.push({ invariant: 'slow', detail: `${result.ms.toFixed(0)} ms on ${input.text.length} characters` });
          if (violations.length > 0) failed.push({ index, violations, ms: result.ms });
        }
      };
      await Promise.all(Array.from({ length: options.workers * 2 }, lane));
      // Failures in input order, so a run reports and shrinks the same ones whatever the timing.
      for (const { index, violations } of failed.sort((a, b) => a.index - b.index)) {
        const input = inputFor(options.seed, key, index, corpus[key]);
        const kinds = [...new Set(violations.map((v) => v.invariant))];
        for (const k of kinds) report.byInvariant[k] = (report.byInvariant[k] ?? 0) + 1;
        const failure: Failure = { key, index, seedName: input.seedName, violations, length: input.text.length };
        report.failures.push(failure);
        options.log?.(`seed ${options.seed} ${key} #${index} (from ${input.seedName}, ${input.text.length} chars): ${violations.map((v) => `${v.invariant}: ${v.detail}`).join('; ').slice(0, 400)}`);
        const kind = kinds[0]!;
        if ((shrunkKinds.get(kind) ?? 0) < options.shrinkPerKind) {
          shrunkKinds.set(kind, (shrunkKinds.get(kind) ?? 0) + 1);
          failure.shrunk = await shrink((text) => workers.check(key, text, Math.min(options.hangMs, 1000)), input.text, kind);
          options.log?.(`  shrunk to ${failure.shrunk.length} chars: ${JSON.stringify(failure.shrunk.slice(0, 200))}`);
          if (options.fixtureDir) failure.fixture = writeFixture(options.fixtureDir, key, kind, failure.shrunk);
        }
      }
      const sorted = times.filter(Number.isFinite).sort((a, b) => a - b);
      report.p50 = sorted[Math.floor(sorted.length * 0.5)] ?? 0;
      report.p99 = sorted[Math.floor(sorted.length * 0.99)] ?? 0;
      report.max = times.some((t) => !Number.isFinite(t)) ? Infinity : (sorted[sorted.length - 1] ?? 0);
      report.slow = times.filter((t) => t > slowMs).length;
      report.heapMaxMb = Math.round(Math.max(0, ...workers.heapMb));
      reports.push(report);
    }
  } finally {
    await workers.close();
  }
  return { seed: options.seed, formats: reports, seconds: (Date.now() - started) / 1000 };
}

function writeFixture(dir: string, key: FormatKey, invariant: Invariant, text: string): string {
  const name = `${invariant}-${createHash('sha256').update(text).digest('hex').slice(0, 8)}.txt`;
  mkdirSync(join(dir, key), { recursive: true });
  writeFileSync(join(dir, key, name), text);
  return join(key, name);
}

/** The report as lines of text: one line per format, then each failure kind with its count. */
export function formatReport(report: FuzzReport): string {
  const lines = [`seed ${report.seed}, ${report.seconds.toFixed(1)} s`];
  for (const f of report.formats) {
    const broken = Object.entries(f.byInvariant).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
    lines.push(`${f.key.padEnd(13)} ${String(f.inputs).padStart(6)} inputs  violations: ${broken}  ms p50 ${f.p50.toFixed(2)} p99 ${f.p99.toFixed(2)} max ${f.max.toFixed(1)}  over ${slowMs} ms: ${f.slow}  heap max ${f.heapMaxMb} MB`);
    for (const [kind, n] of Object.entries(f.thrown).sort((a, b) => b[1] - a[1])) lines.push(`    caught ${String(n).padStart(6)}× ${kind}`);
  }
  return lines.join('\n');
}
