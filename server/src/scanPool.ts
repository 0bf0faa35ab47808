/**
 * Worker threads for a big CLI scan: the main thread walks the tree and hands out chunks of file paths; each worker
 * reads and analyses its chunks exactly as the main thread would (`analyzeFromDisk`) and posts the analyses back.
 * The main thread takes chunks too once it has walked, so a scan uses every core it is given, and the results are
 * put back in the walk's order, so the report does not depend on which thread read what.
 *
 * A worker loads the advisories itself (the bundle's `runScanWorker`, from the same sources as the main thread)
 * and says what it loaded; a worker that loaded something else, fails to start or dies gives its chunks back to
 * the queue, and the main thread analyses them.
 */
import type { Worker } from 'node:worker_threads';
import { workerThreads } from './builtins';
import type { Settings } from './model';
import type { DiskAnalysis } from './scan';

/** How a scan may use worker threads. */
export interface PoolPlan {
  /** The script a worker runs: a bundle that calls `runScanWorker` when `workerData.pinwatch` is `scan-worker`. */
  script: string;
  /** How many worker threads to start. */
  workers: number;
  /** Start them only once the walk has found this many files to hand out (threads cost a start of their own). */
  minFiles: number;
  /** Passed to the worker's `load`: how to load the advisories the main thread uses. */
  load: unknown;
  /** What the main thread's `load` reported; a worker whose load reports anything else is not used. */
  loaded: string;
}

/** What a worker is started with. */
interface WorkerInput {
  pinwatch: 'scan-worker';
  load: unknown;
  loaded: string;
  roots: string[];
  settings: Settings;
}

/** A message from a worker. */
type WorkerMessage =
  | { type: 'ready' }
  | { type: 'refused'; reason: string }
  | { type: 'done'; chunk: number; results: Array<DiskAnalysis | null> };

/**
 * What a worker sends for a file that has nothing to say (no finding, problem or notice, nothing else read, read
 * in full): null, and the main thread puts this in its place. Most files of a big scan are such files, and the
 * main thread, which walks the tree meanwhile, then neither copies nor builds anything for them.
 */
const cleanAnalysis: DiskAnalysis = Object.freeze({
  // Shared by every such file: frozen all through, so that nothing can add to one file's analysis for all of them.
  analysis: Object.freeze({ findings: Object.freeze([]), problems: Object.freeze([]) }) as unknown as DiskAnalysis['analysis'],
  reads: Object.freeze([]) as unknown as string[],
});

function isClean({ analysis, reads, unread }: DiskAnalysis): boolean {
  return unread === undefined && reads.length === 0 && analysis.findings.length === 0 && analysis.problems.length === 0 && (analysis.notices?.length ?? 0) === 0;
}

/** The main thread's side of a pool: chunks go in, analyses come out through `onResult`. */
export interface ScanPool {
  /** Queues paths to analyse; they are handed to an idle worker, or to the main thread in `finish`. */
  add(paths: readonly string[]): void;
  /** Analyses what is left with the workers and on this thread (`analyzeHere`), then stops the workers. */
  finish(analyzeHere: (path: string) => DiskAnalysis): Promise<void>;
  /** Stops the workers now (the scan failed); what they held is dropped. */
  stop(): void;
  /** How many files the workers analysed (the rest were read on the main thread). */
  readonly workerFiles: number;
}

/** How many paths a chunk holds: small enough to balance the threads, big enough that messages stay cheap. */
const chunkSize = 32;
/** Chunks a worker holds at once, so that it never waits for the main thread between two. */
const inFlight = 8;

/**
 * Starts a pool: `onResult` is called once per added path, with the analysis of whichever thread read it. The
 * workers start at once and run while the caller goes on walking; the caller should give the event loop a turn now
 * and then (a worker's results arrive as events).
 */
export function startPool(plan: PoolPlan, roots: readonly string[], settings: Settings, onResult: (path: string, result: DiskAnalysis) => void): ScanPool {
  const queue: string[][] = [];
  let pending: string[] = [];
  const chunks = new Map<number, string[]>();
  let nextChunk = 0;
  let outstanding = 0;
  let workerFiles = 0;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };

  interface Slot {
    worker: Worker;
    ready: boolean;
    alive: boolean;
    held: Set<number>;
  }
  const slots: Slot[] = [];
  const input: WorkerInput = { pinwatch: 'scan-worker', load: plan.load, loaded: plan.loaded, roots: [...roots], settings };

  const feed = (slot: Slot): void => {
    while (slot.alive && slot.ready && slot.held.size < inFlight && queue.length > 0) {
      const paths = queue.shift()!;
      const id = nextChunk++;
      chunks.set(id, paths);
      slot.held.add(id);
      outstanding++;
      slot.worker.postMessage({ chunk: id, paths });
    }
  };
  const retire = (slot: Slot): void => {
    if (!slot.alive) return;
    slot.alive = false;
    // What it held goes back to the front of the queue, in order.
    const back = [...slot.held].sort((a, b) => a - b).map((id) => chunks.get(id)!);
    for (const id of slot.held) chunks.delete(id);
    outstanding -= slot.held.size;
    slot.held.clear();
    queue.unshift(...back);
    void slot.worker.terminate();
    notify();
  };

  for (let i = 0; i < plan.workers; i++) {
    let worker: Worker;
    try {
      worker = new (workerThreads().Worker)(plan.script, { workerData: input, argv: [workerFlag], stdout: false, stderr: true });
    } catch {
      break;
    }
    const slot: Slot = { worker, ready: false, alive: true, held: new Set() };
    slots.push(slot);
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'ready') {
        slot.ready = true;
        feed(slot);
      } else if (message.type === 'refused') {
        retire(slot);
      } else if (message.type === 'done' && slot.held.has(message.chunk)) {
        const paths = chunks.get(message.chunk)!;
        slot.held.delete(message.chunk);
        chunks.delete(message.chunk);
        outstanding--;
        workerFiles += paths.length;
        for (const [i, path] of paths.entries()) onResult(path, message.results[i] ?? cleanAnalysis);
        feed(slot);
        notify();
      }
    });
    worker.on('error', () => retire(slot));
    worker.on('exit', () => retire(slot));
    // A worker's own output (a crash's stack) is not the scan's report.
    worker.stderr?.resume();
    // Nor does it keep the process alive: the scan waits for what it needs.
    worker.unref();
  }

  return {
    add(paths) {
      for (const path of paths) {
        pending.push(path);
        if (pending.length === chunkSize) {
          queue.push(pending);
          pending = [];
        }
      }
      for (const slot of slots) feed(slot);
    },
    async finish(analyzeHere) {
      if (pending.length > 0) queue.push(pending);
      pending = [];
      for (const slot of slots) feed(slot);
      for (;;) {
        const chunk = queue.shift();
        if (chunk) {
          // This thread takes a chunk too, then lets the workers' results in before the next one.
          for (const path of chunk) onResult(path, analyzeHere(path));
          await new Promise<void>((resolve) => setImmediate(resolve));
          continue;
        }
        if (outstanding === 0) break;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
      await Promise.all(slots.map((slot) => (slot.alive ? ((slot.alive = false), slot.worker.terminate()) : undefined)));
    },
    get workerFiles() {
      return workerFiles;
    },
    stop() {
      for (const slot of slots) {
        slot.alive = false;
        void slot.worker.terminate();
      }
    },
  };
}

/**
 * The worker's side: loads the advisories with `load` (which returns what it loaded, to compare with the main
 * thread's), then analyses each chunk it is sent with `analyze` and posts the results.
 */
export function runScanWorker(load: (data: unknown) => string, analyze: (path: string, roots: readonly string[], settings: Settings) => DiskAnalysis): void {
  const input = workerThreads().workerData as WorkerInput;
  const port = workerThreads().parentPort!;
  let loaded: string;
  try {
    loaded = load(input.load);
  } catch (error) {
    port.postMessage({ type: 'refused', reason: (error as Error).message } satisfies WorkerMessage);
    return;
  }
  if (loaded !== input.loaded) {
    port.postMessage({ type: 'refused', reason: `loaded ${loaded}, not ${input.loaded}` } satisfies WorkerMessage);
    return;
  }
  port.on('message', ({ chunk, paths }: { chunk: number; paths: string[] }) => {
    const results = paths.map((path) => {
      const result = analyze(path, input.roots, input.settings);
      return isClean(result) ? null : result;
    });
    port.postMessage({ type: 'done', chunk, results } satisfies WorkerMessage);
  });
  port.postMessage({ type: 'ready' } satisfies WorkerMessage);
}

/**
 * Whether this thread is a scan worker (the bundle's entry point asks before it runs the CLI). The pool starts each
 * worker with `workerFlag` among its arguments, so that a run on the main thread (every run but a pool's workers)
 * tells without loading worker_threads; the thread's own data is what decides.
 */
export function isScanWorker(): boolean {
  if (!process.argv.includes(workerFlag)) return false;
  const { parentPort, workerData } = workerThreads();
  return parentPort !== null && (workerData as Partial<WorkerInput> | undefined)?.pinwatch === 'scan-worker';
}

/** The argument a scan worker is started with (after its script, as `process.argv` shows it). */
const workerFlag = '--pinwatch-scan-worker';
