/** The words of a workspace scan's summary: pure, so that it is tested without VS Code. */

/** What the server's `pinwatch.scanWorkspace` returns. */
export interface ScanSummary {
  filesScanned: number;
  filesWithFindings: number;
  findings: { error: number; warning: number; info: number };
  cancelled: boolean;
  /** Files found but not read (too large, unreadable), with the reason; the server logs each. */
  skipped?: { path: string; reason: string }[];
  /** Files read only in part; each has a warning diagnostic where reading stopped. */
  incomplete?: { path: string; reason: string }[];
}

/** One sentence that says what a scan found, for the notification. */
export function describeSummary(summary: ScanSummary): string {
  const { error, warning, info } = summary.findings;
  const files = `${summary.filesScanned} file${summary.filesScanned === 1 ? '' : 's'}`;
  const prefix = summary.cancelled ? `Pinwatch scan cancelled after ${files}` : `Pinwatch scanned ${files}`;
  const skipped = summary.skipped?.length ?? 0;
  const incomplete = summary.incomplete?.length ?? 0;
  const unread = [skipped > 0 ? `${skipped} file${skipped === 1 ? '' : 's'} could not be read` : '', incomplete > 0 ? `${incomplete} ${incomplete === 1 ? 'was' : 'were'} read only in part` : '']
    .filter((s) => s !== '')
    .join(', and ');
  const tail = unread === '' ? '' : ` ${unread.charAt(0).toUpperCase()}${unread.slice(1)} (see the Pinwatch output).`;
  if (error + warning + info === 0) return `${prefix}: no compromised pins found${unread === '' ? '' : ' in what was read'}.${tail}`;
  const counts = [plural(error, 'error'), plural(warning, 'warning'), plural(info, 'note')].filter((s) => s !== '');
  return `${prefix}: ${counts.join(', ')} in ${plural(summary.filesWithFindings, 'file')}. See the Problems panel.${tail}`;
}

function plural(count: number, word: string): string {
  if (count === 0) return '';
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
