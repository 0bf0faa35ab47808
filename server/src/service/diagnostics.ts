/**
 * Findings as LSP diagnostics. Everything a quick fix or a hover needs travels in `Diagnostic.data`, so a code
 * action request is answered from the diagnostic the client sends back: no side table, no command round-trip.
 */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import type { Finding, FindingCode, Fix, Notice, ReadProblem, Severity } from '../model';

/** The `source` of every Pinwatch diagnostic; code actions ignore diagnostics from any other source. */
export const diagnosticSource = 'pinwatch';

/** What a Pinwatch diagnostic carries in `data`: its fixes (preferred first) and the advisory facts. */
export interface PinwatchDiagnosticData {
  fixes: Fix[];
  advisoryId: string;
  aliases: string[];
  affected: string[];
  safe: string[];
  /** The package (or artifact value) the finding is about, and its version when it has one. */
  subject: { name: string; version?: string; ecosystem?: string };
}

/** A diagnostic Pinwatch published, with its data typed. */
export type PinwatchDiagnostic = Omit<Diagnostic, 'code' | 'data'> & { code: FindingCode; data: PinwatchDiagnosticData };

const severities: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** The code of the diagnostic that marks where a file was not fully read. */
export const incompleteReadCode = 'incomplete-read';

/**
 * The diagnostics for one file: its findings in order, then a warning for each part that could not be read, so
 * an editor never shows such a file as clean. The problem diagnostics carry no data, so no quick fix uses them.
 */
export function toDiagnostics(findings: readonly Finding[], problems: readonly ReadProblem[] = [], notices: readonly Notice[] = []): Diagnostic[] {
  // A suppressed finding is not a problem to show; the notices say which suppressions do not apply.
  return [...findings.filter((f) => !f.suppression).map(toDiagnostic), ...problems.map(problemDiagnostic), ...notices.map(noticeDiagnostic)];
}

/** The diagnostic for a notice about a suppression comment: at the comment, with its code. */
export function noticeDiagnostic(notice: Notice): Diagnostic {
  return { range: notice.range, severity: severities[notice.severity], code: notice.code, source: diagnosticSource, message: notice.message };
}

/** The diagnostic for a part of a file that was not read: a warning at the place reading stopped. */
export function problemDiagnostic(problem: ReadProblem): Diagnostic {
  return { range: problem.range, severity: DiagnosticSeverity.Warning, code: incompleteReadCode, source: diagnosticSource, message: problem.message };
}

/** The diagnostic for one finding: the range of its token, its severity and code, and its fixes in `data`. */
export function toDiagnostic(finding: Finding): PinwatchDiagnostic {
  const { reference, advisory } = finding;
  const subject =
    reference.kind === 'package'
      ? { name: reference.name, version: reference.version ?? reference.constraint, ecosystem: reference.ecosystem }
      : { name: reference.value };
  return {
    range: reference.range,
    severity: severities[finding.severity],
    code: finding.code,
    codeDescription: { href: advisory.url },
    source: diagnosticSource,
    message: finding.message,
    data: {
      fixes: finding.fixes,
      advisoryId: advisory.id,
      aliases: advisory.aliases,
      affected: finding.affected,
      safe: finding.safe,
      subject: dropUndefined(subject),
    },
  };
}

/** Whether a diagnostic (as a client sends it back) is one of ours and still carries its fixes. */
export function isPinwatchDiagnostic(diagnostic: Diagnostic): diagnostic is PinwatchDiagnostic {
  const data = diagnostic.data as Partial<PinwatchDiagnosticData> | undefined;
  return diagnostic.source === diagnosticSource && typeof data === 'object' && data !== null && Array.isArray(data.fixes);
}

/** The count of findings per severity, as the scan summary and the status bar report it. */
export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const finding of findings) if (!finding.suppression) counts[finding.severity] += 1;
  return counts;
}

// JSON drops undefined members anyway; dropping them here keeps deepStrictEqual in tests honest.
function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
