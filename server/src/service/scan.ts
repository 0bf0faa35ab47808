/**
 * The workspace scan behind `pinwatch.scanWorkspace`: walk the folders, analyse every file a format reads, hand
 * each result to the caller, report progress, stop when cancelled. The caller supplies every effect (reading,
 * publishing, progress), so the scan is tested without a connection.
 */
import type { Analysis } from '../engine';
import type { Severity } from '../model';
import { walk, type WalkOptions } from '../workspace';
import { countBySeverity } from './diagnostics';

/** The command that runs a workspace scan. */
export const scanCommand = 'pinwatch.scanWorkspace';

/** What a scan returns to the client. */
export interface ScanSummary {
  filesScanned: number;
  filesWithFindings: number;
  findings: Record<Severity, number>;
  cancelled: boolean;
  /** Paths found but not read (a file over the size cap, a folder that cannot be listed, a link out of the roots), with the reason. */
  skipped: { path: string; reason: string }[];
  /** Files read only in part (a truncated lockfile, a limit reached), with the first problem's message. */
  incomplete: { path: string; reason: string }[];
}

/** What the scan asks of its caller. */
export interface ScanHooks {
  roots: readonly string[];
  exclude?: readonly string[];
  maxFileBytes?: number;
  isCancelled(): boolean;
  /**
   * The analysis of one file (the caller reads open documents from the editor, others from disk), or undefined
   * when the file could not be read; never throws.
   */
  analyzeFile(path: string): Analysis | undefined;
  /** Called for every file scanned, with its analysis (possibly empty, so stale diagnostics can be cleared). */
  publish(path: string, analysis: Analysis): void;
  /** Progress, as a whole percentage and a message. */
  progress(percentage: number, message: string): void;
}

/**
 * Runs a scan: finds the files first (so progress has a total), then analyses them one at a time, yielding to
 * the event loop between files so the connection keeps answering (hovers, the cancellation itself).
 */
export async function scanWorkspace(hooks: ScanHooks): Promise<ScanSummary> {
  const summary: ScanSummary = { filesScanned: 0, filesWithFindings: 0, findings: { error: 0, warning: 0, info: 0 }, cancelled: false, skipped: [], incomplete: [] };
  const options: WalkOptions = { isCancelled: hooks.isCancelled };
  if (hooks.exclude) options.exclude = hooks.exclude;
  if (hooks.maxFileBytes !== undefined) options.maxFileBytes = hooks.maxFileBytes;
  const paths: string[] = [];
  hooks.progress(0, 'Finding files');
  for await (const entry of walk(hooks.roots, options)) {
    if (entry.skipped) summary.skipped.push({ path: entry.path, reason: entry.skipped });
    else paths.push(entry.path);
  }
  if (hooks.isCancelled()) return { ...summary, cancelled: true };
  let reported = -1;
  for (const [index, path] of paths.entries()) {
    if (hooks.isCancelled()) return { ...summary, cancelled: true };
    const percentage = Math.floor((index / paths.length) * 100);
    if (percentage !== reported) hooks.progress((reported = percentage), `${index}/${paths.length} files`);
    const read = hooks.analyzeFile(path);
    if (read === undefined) summary.skipped.push({ path, reason: 'could not be read' });
    const analysis = read ?? { findings: [], problems: [] };
    const { findings, problems } = analysis;
    hooks.publish(path, analysis);
    if (read !== undefined) summary.filesScanned += 1;
    if (findings.length > 0) summary.filesWithFindings += 1;
    if (problems.length > 0) summary.incomplete.push({ path, reason: problems[0]!.message });
    const counts = countBySeverity(findings);
    for (const severity of ['error', 'warning', 'info'] as const) summary.findings[severity] += counts[severity];
    await new Promise((resolve) => setImmediate(resolve));
  }
  return summary;
}
