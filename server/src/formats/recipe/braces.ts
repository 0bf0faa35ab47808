/**
 * Brace expansion for array elements: `"$url"{,.sig}` is two sources in a PKGBUILD. Bash expands braces in
 * words but not in scalar assignments, so the scanner applies this to array elements only. Sequences
 * (`{1..3}`) are not computed: the word is marked unresolved rather than read wrong.
 */
import type { RChar } from './expand';

/** More alternatives than this leave the word unresolved, so a hostile word cannot blow up. */
const maxWords = 256;

/** The words an array element expands to, each a list of characters keeping its source spans. */
export function expandBraces(chars: readonly RChar[]): RChar[][] {
  const out = braces(chars, 0);
  return out ?? [[...chars, { ch: '', start: chars[0]?.start ?? 0, end: chars[chars.length - 1]?.end ?? 0, poison: true }]];
}

function braces(chars: readonly RChar[], depth: number): RChar[][] | undefined {
  if (depth > 8) return undefined;
  for (let open = 0; open < chars.length; open++) {
    if (!isUnquoted(chars[open], '{')) continue;
    const commas: number[] = [];
    let level = 0;
    let close = -1;
    for (let j = open + 1; j < chars.length; j++) {
      if (isUnquoted(chars[j], '{')) level++;
      else if (isUnquoted(chars[j], '}')) {
        if (level === 0) { close = j; break; }
        level--;
      } else if (level === 0 && isUnquoted(chars[j], ',')) commas.push(j);
    }
    if (close < 0) return [[...chars]];
    const inner = chars.slice(open + 1, close);
    if (commas.length === 0) {
      if (inner.some((c, k) => isUnquoted(c, '.') && isUnquoted(inner[k + 1], '.'))) return undefined;
      continue;
    }
    const prefix = chars.slice(0, open);
    const bounds = [open, ...commas, close];
    const suffixes = braces(chars.slice(close + 1), depth + 1);
    if (!suffixes) return undefined;
    const out: RChar[][] = [];
    for (let k = 0; k + 1 < bounds.length; k++) {
      const alternatives = braces(chars.slice(bounds[k]! + 1, bounds[k + 1]), depth + 1);
      if (!alternatives) return undefined;
      for (const alternative of alternatives) for (const suffix of suffixes) out.push([...prefix, ...alternative, ...suffix]);
      if (out.length > maxWords) return undefined;
    }
    return out;
  }
  return [[...chars]];
}

function isUnquoted(c: RChar | undefined, ch: string): boolean {
  return c !== undefined && c.unquoted === true && c.ch === ch;
}
