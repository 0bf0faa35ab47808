/**
 * How a Gemfile.lock spec is fixed: in the Gemfile it is written from, never in the lockfile. The gem's `gem`
 * line gets the safe version as its one requirement (its requirement strings replaced, or one added after the
 * name), and `bundle update NAME --conservative` then rewrites the lockfile.
 */
import { gemDeclarations } from './gemfileScan';

/** An edit to the Gemfile, by offsets, with the text it replaces. */
export interface GemfileEdit {
  start: number;
  end: number;
  newText: string;
  expected: string;
}

/** The edit that pins `name` to `version` in a Gemfile's text; undefined when its `gem` line cannot be edited safely. */
export function gemfilePinEdit(gemfileText: string, name: string, version: string): GemfileEdit | undefined {
  const declaration = gemDeclarations(gemfileText, 'gem').find((d) => d.name === name);
  if (!declaration || declaration.dynamic || declaration.requirements.some((r) => !r.exact)) return undefined;
  const { nameToken, requirements } = declaration;
  const quote = gemfileText[nameToken.open] === "'" ? "'" : '"';
  if (requirements.length === 0) return { start: nameToken.close, end: nameToken.close, newText: `, ${quote}${version}${quote}`, expected: '' };
  if (requirements.length === 1) {
    const only = requirements[0]!;
    return { start: only.start, end: only.end, newText: version, expected: gemfileText.slice(only.start, only.end) };
  }
  const first = requirements[0]!;
  const last = requirements[requirements.length - 1]!;
  const own = gemfileText[first.open] === "'" ? "'" : '"';
  return { start: first.open, end: last.close, newText: `${own}${version}${own}`, expected: gemfileText.slice(first.open, last.close) };
}
