/** The readable report: one line per finding (`path:line:col severity message [code]`), then a summary. */
import { countBySeverity, incompleteFiles, type ScanResult } from './types';

const colours = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m', incomplete: '\x1b[35m', dim: '\x1b[2m', reset: '\x1b[0m' } as const;

/** Renders a scan as text; `colour` adds ANSI colours (for a terminal). */
export function textReport(result: ScanResult, colour: boolean): string {
  const paint = (c: keyof typeof colours, s: string): string => (colour ? `${colours[c]}${s}${colours.reset}` : s);
  const lines: string[] = [];
  for (const file of result.files) {
    const entries: Array<{ line: number; character: number; text: string }> = [];
    for (const f of file.findings) {
      const { line, character } = f.reference.range.start;
      const fix = f.fixes[0] ? paint('dim', ` (fix: ${f.fixes[0].title})`) : '';
      entries.push({ line, character, text: `${paint(f.severity, f.severity)} ${f.message}${fix} ${paint('dim', `[${f.code}]`)}` });
    }
    for (const p of file.problems) {
      const { line, character } = p.range.start;
      entries.push({ line, character, text: `${paint('incomplete', 'incomplete')} ${p.message} ${paint('dim', '[incomplete-read]')}` });
    }
    // Findings and problems of a file in document order (a sort is stable, so a problem follows a finding at the same place).
    entries.sort((a, b) => a.line - b.line || a.character - b.character);
    for (const e of entries) lines.push(`${file.path}:${e.line + 1}:${e.character + 1}: ${e.text}`);
  }
  for (const note of result.notes) lines.push(paint('dim', `note: ${note}`));
  const counts = countBySeverity(result);
  const total = counts.error + counts.warning + counts.info;
  const withFindings = result.files.filter((f) => f.findings.length > 0).length;
  const incomplete = incompleteFiles(result).length;
  const unread = incomplete === 0 ? '' : ` ${plural(incomplete, 'file')} ${incomplete === 1 ? 'was' : 'were'} not fully read, so ${incomplete === 1 ? 'it' : 'they'} may hold more.`;
  lines.push(
    total === 0
      ? incomplete === 0
        ? `No compromised pins found in ${plural(result.filesScanned, 'file')}.`
        : `No compromised pins found in what was read of ${plural(result.filesScanned, 'file')}.${unread}`
      : `${plural(total, 'finding')} in ${plural(withFindings, 'file')} (${counts.error} error, ${counts.warning} warning, ${counts.info} info); ${plural(result.filesScanned, 'file')} scanned.${unread}`,
  );
  return `${lines.join('\n')}\n`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
