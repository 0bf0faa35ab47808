/** The readable report: one line per finding (`path:line:col severity message [code]`), then a summary. */
import { countBySeverity, type ScanResult } from './types';

const colours = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m', dim: '\x1b[2m', reset: '\x1b[0m' } as const;

/** Renders a scan as text; `colour` adds ANSI colours (for a terminal). */
export function textReport(result: ScanResult, colour: boolean): string {
  const paint = (c: keyof typeof colours, s: string): string => (colour ? `${colours[c]}${s}${colours.reset}` : s);
  const lines: string[] = [];
  for (const file of result.files) {
    for (const f of file.findings) {
      const { line, character } = f.reference.range.start;
      const fix = f.fixes[0] ? paint('dim', ` (fix: ${f.fixes[0].title})`) : '';
      lines.push(`${file.path}:${line + 1}:${character + 1}: ${paint(f.severity, f.severity)} ${f.message}${fix} ${paint('dim', `[${f.code}]`)}`);
    }
  }
  for (const note of result.notes) lines.push(paint('dim', `note: ${note}`));
  const counts = countBySeverity(result);
  const total = counts.error + counts.warning + counts.info;
  const withFindings = result.files.filter((f) => f.findings.length > 0).length;
  lines.push(
    total === 0
      ? `No compromised pins found in ${plural(result.filesScanned, 'file')}.`
      : `${plural(total, 'finding')} in ${plural(withFindings, 'file')} (${counts.error} error, ${counts.warning} warning, ${counts.info} info); ${plural(result.filesScanned, 'file')} scanned.`,
  );
  return `${lines.join('\n')}\n`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
