/**
 * GitHub Actions workflow commands: one `::error file=…,line=…::message` line per finding, which a workflow run
 * shows as an annotation on the file and line (and in the pull request's diff). Read problems and unread paths are
 * annotations too; a summary line ends the output.
 */
import type { Severity } from '../model';
import { isBinaryFinding, type ScanResult } from './types';

const levels: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

/** Renders a scan as workflow commands; paths as the scan displays them (relative to where it ran). */
export function githubReport(result: ScanResult): string {
  const lines: string[] = [];
  for (const file of result.files) {
    for (const f of file.findings) {
      if (f.suppression) continue;
      const { start, end } = f.reference.range;
      // A finding in a binary file (a library) annotates the file, not a line.
      const where: Record<string, string | number> = isBinaryFinding(f) ? { file: file.path, title: `Pinwatch: ${f.advisory.id}` } : { file: file.path, line: start.line + 1, endLine: end.line + 1, col: start.character + 1, endColumn: end.character + 1, title: `Pinwatch: ${f.advisory.id}` };
      const fix = f.fixes[0] ? ` Fix: ${f.fixes[0].title}.` : '';
      lines.push(command(levels[f.severity], where, `${f.message}${fix}`));
    }
    for (const p of file.problems) {
      lines.push(command('warning', { file: file.path, line: p.range.start.line + 1, col: p.range.start.character + 1, title: 'Pinwatch: not fully read' }, p.message));
    }
  }
  for (const u of result.unread ?? []) lines.push(command('error', { file: u.path, title: 'Pinwatch: not read' }, `Pinwatch could not read this path: ${u.reason}.`));
  for (const file of result.files) {
    for (const n of file.notices ?? []) lines.push(command(n.severity === 'info' ? 'notice' : 'warning', { file: file.path, line: n.range.start.line + 1, col: n.range.start.character + 1, title: `Pinwatch: ${n.code}` }, n.message));
  }
  const total = result.files.reduce((n, f) => n + f.findings.filter((x) => !x.suppression).length, 0);
  lines.push(`Pinwatch: ${total} finding${total === 1 ? '' : 's'} in ${result.filesScanned} file${result.filesScanned === 1 ? '' : 's'} scanned.`);
  return `${lines.join('\n')}\n`;
}

/** One workflow command, with its properties and message escaped as the runner expects. */
function command(name: string, properties: Record<string, string | number>, message: string): string {
  const props = Object.entries(properties).map(([key, value]) => `${key}=${escapeProperty(String(value))}`).join(',');
  return `::${name} ${props}::${escapeData(message)}`;
}

function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
