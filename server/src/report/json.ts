/** The JSON report: every finding with its file, exact range, advisory and fixes, and a summary. */
import { countBySeverity, countSuppressed, incompleteFiles, isBinaryFinding, type ScanResult } from './types';

/**
 * Renders a scan as a JSON document (stable key order, two-space indent); `advisories` (the data in use: its date,
 * counts and store) is added as its own key when given.
 */
export function jsonReport(result: ScanResult, version: string, advisories?: object): string {
  const findings = result.files.flatMap((file) =>
    file.findings.map((f) => ({
      path: file.path,
      // `range` is an LSP range (0-based lines, UTF-16 columns); `line` and `column` are 1-based, as in the text report.
      // A finding in a binary file (a library) has none of them, but `binary: true`.
      ...(isBinaryFinding(f) ? { binary: true } : { line: f.reference.range.start.line + 1, column: f.reference.range.start.character + 1, range: f.reference.range }),
      severity: f.severity,
      code: f.code,
      message: f.message,
      advisory: f.advisory,
      reference: f.reference,
      affected: f.affected,
      safe: f.safe,
      ...(f.note ? { note: f.note } : {}),
      fixes: f.fixes,
      ...(f.suppression ? { suppressed: f.suppression } : {}),
    })),
  );
  const notices = result.files.flatMap((file) => (file.notices ?? []).map((n) => ({ path: file.path, line: n.range.start.line + 1, column: n.range.start.character + 1, ...n })));
  // A file read only in part: where reading stopped and why, so a consumer never takes it for clean.
  const problems = result.files.flatMap((file) => file.problems.map((p) => ({ path: file.path, line: p.range.start.line + 1, column: p.range.start.character + 1, range: p.range, reason: p.reason, message: p.message })));
  const summary = {
    filesScanned: result.filesScanned,
    filesWithFindings: result.files.filter((f) => f.findings.length > 0).length,
    filesNotFullyRead: incompleteFiles(result).length,
    findings: countBySeverity(result),
    suppressed: countSuppressed(result),
  };
  return `${JSON.stringify({ tool: 'pinwatch', version, ...(advisories ? { advisories } : {}), summary, findings, problems, notices, notes: result.notes, unread: result.unread ?? [] }, null, 2)}\n`;
}
