/**
 * GitLab's code quality report (the `codequality` artifact of a job): a JSON array of issues, each with a
 * description, a check name, a fingerprint, a severity and a location. GitLab shows them in merge requests.
 * Findings, read problems and unread paths are all issues, so a file Pinwatch could not read is visible there too.
 */
import { crypto } from '../builtins';
import type { Severity } from '../model';
import { isBinaryFinding, type ScanResult } from './types';

const severities: Record<Severity, string> = { error: 'critical', warning: 'major', info: 'info' };

/** Renders a scan as a GitLab code quality report; paths as the scan displays them (relative to where it ran). */
export function gitlabReport(result: ScanResult): string {
  const issues: object[] = [];
  // GitLab merges issues with one fingerprint; the same pin twice in a file is two issues, told apart by count.
  const seen = new Map<string, number>();
  const fingerprint = (...parts: string[]): string => {
    const base = parts.join('\0');
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return hash(n === 1 ? base : `${base}\0${n}`);
  };
  for (const file of result.files) {
    for (const f of file.findings) {
      if (f.suppression) continue;
      const { start } = f.reference.range;
      const subject = f.reference.kind === 'package' ? `${f.reference.name}@${f.reference.version ?? f.reference.constraint ?? ''}` : f.reference.value;
      issues.push({
        type: 'issue',
        check_name: f.code,
        description: f.message,
        categories: ['Security'],
        severity: severities[f.severity],
        fingerprint: fingerprint(file.path, f.code, f.advisory.id, subject),
        // GitLab requires a line: a finding in a binary file (a library) is at line 1, without a position.
        location: isBinaryFinding(f) ? { path: file.path, lines: { begin: 1 } } : { path: file.path, lines: { begin: start.line + 1 }, positions: { begin: { line: start.line + 1, column: start.character + 1 } } },
      });
    }
    for (const p of file.problems) {
      issues.push({
        type: 'issue',
        check_name: 'incomplete-read',
        description: p.message,
        categories: ['Security'],
        severity: 'major',
        fingerprint: fingerprint(file.path, 'incomplete-read', String(p.range.start.line)),
        location: { path: file.path, lines: { begin: p.range.start.line + 1 } },
      });
    }
  }
  for (const u of result.unread ?? []) {
    issues.push({
      type: 'issue',
      check_name: 'not-read',
      description: `Pinwatch could not read this path: ${u.reason}.`,
      categories: ['Security'],
      severity: 'major',
      fingerprint: fingerprint(u.path, 'not-read'),
      location: { path: u.path, lines: { begin: 1 } },
    });
  }
  return `${JSON.stringify(issues, null, 2)}\n`;
}

/** A fingerprint that stays the same when lines move: it hashes what the finding is about, not where. */
function hash(text: string): string {
  return crypto().createHash('sha256').update(text).digest('hex').slice(0, 32);
}
