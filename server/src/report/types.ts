/** What every report is made from: the findings of each scanned file, and the notes on what was skipped. */
import type { Finding } from '../model';

/** The findings of one file; `path` is as the user named it or relative to the scan root. */
export interface FileResult {
  path: string;
  /** The absolute path, for URIs. */
  absolutePath: string;
  findings: Finding[];
}

/** A scan's outcome: results for every file read, and one-line notes on files that were skipped. */
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

/** Counts of findings by severity. */
export function countBySeverity(result: ScanResult): { error: number; warning: number; info: number } {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const file of result.files) for (const f of file.findings) counts[f.severity]++;
  return counts;
}
