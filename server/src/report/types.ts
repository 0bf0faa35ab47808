/** What every report is made from: the findings of each scanned file, and the notes on what was skipped. */
import type { Finding, Notice, ReadProblem } from '../model';

/** The findings of one file; `path` is as the user named it or relative to the scan root. */
export interface FileResult {
  path: string;
  /** The absolute path, for URIs. */
  absolutePath: string;
  findings: Finding[];
  /** The parts of the file that could not be read; non-empty means the file was not fully checked. */
  problems: ReadProblem[];
  /** Suppression comments that do not apply or match nothing. */
  notices?: Notice[];
}

/** A scan's outcome: results for every file with findings or problems, and one-line notes on files that were skipped. */
export interface ScanResult {
  files: FileResult[];
  filesScanned: number;
  notes: string[];
  /** Paths the scan should have read but could not, with the reason (not counted in `filesScanned`). */
  unread?: UnreadPath[];
}

/** A file or folder that was not read, and why ("permission denied", "binary content"). */
export interface UnreadPath {
  path: string;
  reason: string;
}

/** Whether a finding is in a binary file (a library): it has no line, and reports name the file alone. */
export function isBinaryFinding(finding: Finding): boolean {
  return finding.reference.kind !== 'package' && finding.reference.binary === true;
}

/** Counts of the active findings by severity (a suppressed finding counts for nothing). */
export function countBySeverity(result: ScanResult): { error: number; warning: number; info: number } {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const file of result.files) for (const f of file.findings) if (!f.suppression) counts[f.severity]++;
  return counts;
}

/** How many findings a suppression (inline, policy or baseline) dismisses. */
export function countSuppressed(result: ScanResult): number {
  let n = 0;
  for (const file of result.files) for (const f of file.findings) if (f.suppression) n++;
  return n;
}

/** The files that were read only in part. */
export function incompleteFiles(result: ScanResult): FileResult[] {
  return result.files.filter((file) => file.problems.length > 0);
}
