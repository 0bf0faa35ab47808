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
}

/** Counts of findings by severity. */
export function countBySeverity(result: ScanResult): { error: number; warning: number; info: number } {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const file of result.files) for (const f of file.findings) counts[f.severity]++;
  return counts;
}
