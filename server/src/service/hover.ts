/**
 * Hover on a flagged token: the advisory, the package and version, the affected and safe versions, and links,
 * answered from the findings the server kept for the document (no re-analysis).
 */
import { MarkupKind, type Hover, type Position, type Range } from 'vscode-languageserver-types';
import type { Finding } from '../model';

/** The hover for `position`: every finding whose token contains it, as markdown; null when there is none. */
export function hover(findings: readonly Finding[], position: Position, advisories?: string): Hover | null {
  // On a suppression comment: what it suppresses, why and until when.
  const suppressing = findings.filter((f) => f.suppression?.range && contains(f.suppression.range, position));
  if (suppressing.length > 0) {
    return { contents: { kind: MarkupKind.Markdown, value: suppressing.map(describeSuppression).join('\n\n---\n\n') }, range: suppressing[0]!.suppression!.range! };
  }
  const here = findings.filter((finding) => contains(finding.reference.range, position));
  if (here.length === 0) return null;
  // The date of the data in use, when the server knows it: `advisories of 2026-11-30 (38 bundled, 1000 imported)`.
  const footer = advisories ? `\n\n---\n\n_Pinwatch ${advisories}_` : '';
  return {
    contents: { kind: MarkupKind.Markdown, value: here.map(describe).join('\n\n---\n\n') + footer },
    range: here[0]!.reference.range,
  };
}

/** The markdown that describes one finding, as the hover shows it. */
export function describe(finding: Finding): string {
  const { advisory, reference } = finding;
  const displayId = advisory.aliases[0] ?? advisory.id;
  const lines = [`**${displayId}**${displayId === advisory.id ? '' : ` (${advisory.id})`}: ${advisory.summary}`, ''];
  if (reference.kind === 'package') {
    const pinned = reference.version ?? reference.constraint;
    lines.push(`\`${reference.name}\`${pinned ? ` \`${pinned}\`` : ''} (${reference.ecosystem}${reference.suite ? ` ${reference.suite}` : ''})`);
  } else {
    lines.push(`${reference.kind === 'image' ? 'Image' : 'Artifact'} \`${reference.value}\``);
  }
  if (reference.via) lines.push(`(${reference.via})`);
  lines.push('');
  if (finding.affected.length > 0) lines.push(`- Affected: ${codeList(finding.affected)}`);
  lines.push(`- Safe: ${finding.safe.length > 0 ? codeList(finding.safe) : 'none listed'}`);
  lines.push('', finding.message, ...(finding.note ? ['', finding.note] : []), '', links(finding).join(' · '));
  return lines.join('\n');
}

/** The markdown for a suppression comment: the finding it dismisses, its reason and its date. */
export function describeSuppression(finding: Finding): string {
  const { reference, advisory, suppression } = finding;
  const subject = reference.kind === 'package' ? `\`${reference.name}\` \`${reference.version ?? reference.constraint ?? ''}\`` : `\`${reference.value}\``;
  const until = suppression?.until ? ` until ${suppression.until}` : '';
  return `**Suppresses ${advisory.aliases[0] ?? advisory.id}** for ${subject} on line ${reference.range.start.line + 1}${until}: ${suppression?.justification ?? ''}`;
}

function links(finding: Finding): string[] {
  const { advisory } = finding;
  const out = [`[Advisory](${advisory.url})`];
  for (const alias of advisory.aliases) {
    if (alias.startsWith('CVE-')) out.push(`[${alias}](https://www.cve.org/CVERecord?id=${alias})`);
    else if (alias.startsWith('GHSA-')) out.push(`[${alias}](https://github.com/advisories/${alias})`);
  }
  return out;
}

function codeList(values: readonly string[]): string {
  return values.map((v) => `\`${v}\``).join(', ');
}

// The end is exclusive, as for characters under the mouse; an empty range still answers at its position.
function contains(range: Range, position: Position): boolean {
  const afterStart = position.line > range.start.line || (position.line === range.start.line && position.character >= range.start.character);
  const beforeEnd = position.line < range.end.line || (position.line === range.end.line && position.character < range.end.character);
  const atEmpty = range.start.line === range.end.line && range.start.character === range.end.character && position.line === range.start.line && position.character === range.start.character;
  return (afterStart && beforeEnd) || atEmpty;
}
