/**
 * What a CLI scan worker does (see scanPool.ts): load the advisories as the main thread did, and analyse files
 * from disk within the scan's roots.
 */
import { loadAdvisories, type LoadedAdvisories } from './advisories/load';
import { bundledAdvisories, useAdvisories } from './engine';
import type { Settings } from './model';
import { analyzeFromDisk, withinRoots, type DiskAnalysis } from './scan';

/** What a set of loaded advisories is, for a worker to check that it loaded the same. */
export function loadedFingerprint(loaded: LoadedAdvisories): string {
  return JSON.stringify({ info: loaded.info, problems: loaded.problems.length });
}

/** A scan worker's advisories: the bundled set and the store, as `loadForRun` loads them for a scan without dumps. */
export function loadInWorker(data: unknown): string {
  const { storeDir: dir } = data as { storeDir?: string };
  const loaded = loadAdvisories(bundledAdvisories(), { ...(dir !== undefined ? { storeDir: dir } : {}) });
  useAdvisories(loaded.index);
  return loadedFingerprint(loaded);
}

/** A scan worker's analysis of one file, within the scan's roots. */
export function analyzeInWorker(path: string, roots: readonly string[], settings: Settings): DiskAnalysis {
  if (workerScope?.roots !== roots) workerScope = { roots, allowed: withinRoots(roots) };
  return analyzeFromDisk(path, settings, workerScope.allowed);
}

let workerScope: { roots: readonly string[]; allowed: (path: string) => boolean } | undefined;
