/** Shared by the version tests: where the repository is, and the `A op B` notation the tests and vectors use. */
import { repoRoot, sharedDir } from '../../paths';

/** The sign of a comparison as the operator the tests write: `<`, `=` or `>`. */
export function opOf(r: number): '<' | '=' | '>' {
  return r < 0 ? '<' : r > 0 ? '>' : '=';
}

/**
 * Rewrites each `A op B` case with the operator `compare` gives, so a test asserts
 * `deepStrictEqual(ordered(compare, cases), cases)` and a failure shows the lines that differ. The reverse
 * comparison is checked too: `B op A` must be the mirror, or the line gets `!asymmetric`.
 */
export function ordered(compare: (a: string, b: string) => number, cases: readonly string[]): string[] {
  return cases.map((line) => {
    const [a, , b] = splitCase(line);
    const forward = opOf(compare(a, b));
    const backward = opOf(compare(b, a));
    const mirrored = forward === '<' ? '>' : forward === '>' ? '<' : '=';
    const quote = (v: string): string => (v === '' ? "''" : v);
    return `${quote(a)} ${backward === mirrored ? forward : `${forward}!asymmetric`} ${quote(b)}`;
  });
}

/** Splits an `A op B` case; an empty version is written `''`. */
export function splitCase(line: string): [string, string, string] {
  const parts = line.split(' ');
  if (parts.length !== 3) throw new Error(`test case '${line}' is not 'A op B'`);
  const unquote = (v: string): string => (v === "''" ? '' : v);
  return [unquote(parts[0]!), parts[1]!, unquote(parts[2]!)];
}

export { repoRoot, sharedDir };
