/** The readable report: one line per finding (`path:line:col severity message [code]`), then a summary. */
import { countBySeverity, countSuppressed, incompleteFiles, isBinaryFinding, type ScanResult } from './types';

const colours = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m', incomplete: '\x1b[35m', dim: '\x1b[2m', reset: '\x1b[0m' } as const;

/**
 * Renders a scan as text; `colour` adds ANSI colours (for a terminal). Suppressed findings are counted in the
 * summary and listed only with `showSuppressed`.
 */
export function textReport(result: ScanResult, colour: boolean, options: { showSuppressed?: boolean } = {}): string {
  const paint = (c: keyof typeof colours, s: string): string => (colour ? `${colours[c]}${s}${colours.reset}` : s);
  const lines: string[] = [];
  for (const file of result.files) {
    const entries: Array<{ line: number; character: number; text: string; binary?: boolean }> = [];
    for (const f of file.findings) {
      if (f.suppression && !options.showSuppressed) continue;
      const { line, character } = f.reference.range.start;
      const fix = f.fixes[0] && !f.suppression ? paint('dim', ` (fix: ${f.fixes[0].title})`) : '';
      const dismissed = f.suppression ? paint('dim', ` (suppressed: ${f.suppression.justification}${f.suppression.until ? `, until ${f.suppression.until}` : ''})`) : '';
      entries.push({ line, character, binary: isBinaryFinding(f), text: `${paint(f.severity, f.suppression ? 'suppressed' : f.severity)} ${f.message}${fix}${dismissed} ${paint('dim', `[${f.code}]`)}` });
    }
    for (const n of file.notices ?? []) {
      const { line, character } = n.range.start;
      entries.push({ line, character, text: `${paint(n.severity, n.severity)} ${n.message} ${paint('dim', `[${n.code}]`)}` });
    }
    for (const p of file.problems) {
      const { line, character } = p.range.start;
      entries.push({ line, character, text: `${paint('incomplete', 'incomplete')} ${p.message} ${paint('dim', '[incomplete-read]')}` });
    }
    // Findings and problems of a file in document order (a sort is stable, so a problem follows a finding at the same place).
    entries.sort((a, b) => a.line - b.line || a.character - b.character);
    // A finding in a binary file has no line: it names the file alone.
    for (const e of entries) lines.push(`${file.path}${e.binary ? '' : `:${e.line + 1}:${e.character + 1}`}: ${e.text}`);
  }
  for (const note of result.notes) lines.push(paint('dim', `note: ${note}`));
  const counts = countBySeverity(result);
  const total = counts.error + counts.warning + counts.info;
  const withFindings = result.files.filter((f) => f.findings.some((x) => !x.suppression)).length;
  const suppressed = countSuppressed(result);
  const dismissed = suppressed === 0 ? '' : ` ${suppressed} suppressed${options.showSuppressed ? '' : ' (list them with --show-suppressed)'}.`;
  const incomplete = incompleteFiles(result).length;
  const unread = incomplete === 0 ? '' : ` ${plural(incomplete, 'file')} ${incomplete === 1 ? 'was' : 'were'} not fully read, so ${incomplete === 1 ? 'it' : 'they'} may hold more.`;
  lines.push(
    total === 0
      ? incomplete === 0
        ? `No compromised pins found in ${plural(result.filesScanned, 'file')}.${dismissed}`
        : `No compromised pins found in what was read of ${plural(result.filesScanned, 'file')}.${unread}${dismissed}`
      : `${plural(total, 'finding')} in ${plural(withFindings, 'file')} (${counts.error} error, ${counts.warning} warning, ${counts.info} info); ${plural(result.filesScanned, 'file')} scanned.${unread}${dismissed}`,
  );
  return `${lines.join('\n')}\n`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
