/** What the Debian source-package formats share: relationship fields as references, the build's own version, read problems. */
import type { Extracted, PackageReference, ReadProblem } from '../../model';
import type { LineIndex } from '../textPositions';
import type { Deb822, Deb822Field } from './deb822';
import { relations } from './relations';

/** The relationship fields whose versions Pinwatch checks. */
export const relationFields = ['Build-Depends', 'Build-Depends-Indep', 'Build-Depends-Arch', 'Pre-Depends', 'Depends', 'Recommends'];

/** Why the version a source package builds gets no edit: the number alone would rebuild the same source. */
export const ownVersionReason =
  'This is the version this source package builds; a new number alone would rebuild the same source: import a safe upstream release and add a changelog entry for it.';

/** The versioned relations of a field as references, each at its version token; `=` pins, other operators constrain. */
export function relationReferences(field: Deb822Field, ecosystem: string, lines: LineIndex): PackageReference[] {
  return relations(field.value).map((r) => ({
    kind: 'package',
    ecosystem,
    name: r.name,
    ...(r.op === '=' ? { version: r.version } : { constraint: `${r.op} ${r.version}` }),
    range: valueRange(field, r.start, r.end, lines),
    context: field.name,
  }));
}

/** The file range of `value.slice(start, end)` of a field (a token never spans a line break). */
export function valueRange(field: Deb822Field, start: number, end: number, lines: LineIndex): PackageReference['range'] {
  return lines.range(field.offsets[start]!, field.offsets[end - 1]! + 1);
}

/** The lines of a deb822 text that could not be read, as read problems. */
export function deb822Problems(scanned: Deb822, file: string, lines: LineIndex): ReadProblem[] {
  return scanned.problems.map((p) => ({ kind: 'problem', reason: 'syntax', message: `This line of the ${file} is ${p.message}, so it was not read.`, range: lines.range(p.start, p.end) }));
}

/** Two lists already in document order (references, problems) merged into one, in one pass. */
export function byPosition(a: readonly Extracted[], b: readonly Extracted[]): Extracted[] {
  const out: Extracted[] = [];
  let i = 0;
  let j = 0;
  const before = (x: Extracted, y: Extracted): boolean => x.range.start.line < y.range.start.line || (x.range.start.line === y.range.start.line && x.range.start.character <= y.range.start.character);
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && before(a[i]!, b[j]!))) out.push(a[i++]!);
    else out.push(b[j++]!);
  }
  return out;
}

/** The problem for a file that could not be read at all (an internal error), so it is never passed as clean. */
export function unreadableFile(file: string, error: unknown): ReadProblem {
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return { kind: 'problem', reason: 'syntax', message: `Pinwatch could not read this ${file} (internal error: ${error instanceof Error ? error.message : String(error)}), so it was not checked.`, range };
}
