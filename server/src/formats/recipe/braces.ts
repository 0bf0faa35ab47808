/**
 * Brace expansion for array elements: `"$url"{,.sig}` is two sources in a PKGBUILD. Bash expands braces in
 * words but not in scalar assignments, so the scanner applies this to array elements only. Sequences
 * (`{1..3}`) are not computed: the word is marked unresolved rather than read wrong.
 */
import { maxValueLength, newBudget, type Budget, type RChar } from './expand';

/** More alternatives than this leave the word unresolved, so a hostile word cannot blow up. */
const maxWords = 256;

/**
 * The words an array element expands to, each a list of characters keeping its source spans. Words that would add
 * up to more than `maxValueLength` characters (a long value before `{a,b,...}`) leave the element unresolved, and
 * are reported in the budget as a limit, over `word` (the element as written) when given.
 */
export function expandBraces(chars: readonly RChar[], budget: Budget = newBudget(), word?: { start: number; end: number }): RChar[][] {
  const start = word?.start ?? chars[0]?.start ?? 0;
  const end = word?.end ?? chars[chars.length - 1]?.end ?? 0;
  const room = { left: Math.min(maxValueLength, budget.left), passed: false };
  const out = braces(chars, 0, room);
  if (room.passed) {
    budget.limits.push({ start, end, message: `This word's brace expansion grows past ${maxValueLength} characters here, so Pinwatch did not expand it: what uses it was not checked.` });
    return [[{ ch: '', start: chars[0]?.start ?? start, end: chars[chars.length - 1]?.end ?? end, poison: true }]];
  }
  if (out) budget.left -= Math.min(maxValueLength, budget.left) - room.left;
  return out ?? [[...chars, { ch: '', start: chars[0]?.start ?? 0, end: chars[chars.length - 1]?.end ?? 0, poison: true }]];
}

/** `room` is how many characters the words may still take in all; `passed` is set when they would take more. */
function braces(chars: readonly RChar[], depth: number, room: { left: number; passed: boolean }): RChar[][] | undefined {
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
    if (close < 0) return [chars.slice()];
    const inner = chars.slice(open + 1, close);
    if (commas.length === 0) {
      if (inner.some((c, k) => isUnquoted(c, '.') && isUnquoted(inner[k + 1], '.'))) return undefined;
      continue;
    }
    const prefix = chars.slice(0, open);
    const bounds = [open, ...commas, close];
    const suffixes = braces(chars.slice(close + 1), depth + 1, room);
    if (!suffixes) return undefined;
    const out: RChar[][] = [];
    for (let k = 0; k + 1 < bounds.length; k++) {
      const alternatives = braces(chars.slice(bounds[k]! + 1, bounds[k + 1]), depth + 1, room);
      if (!alternatives) return undefined;
      for (const alternative of alternatives) {
        for (const suffix of suffixes) {
          room.left -= prefix.length + alternative.length + suffix.length;
          if (room.left < 0) {
            room.passed = true;
            return undefined;
          }
          out.push([...prefix, ...alternative, ...suffix]);
        }
      }
      if (out.length > maxWords) return undefined;
    }
    return out;
  }
  return [chars.slice()];
}

function isUnquoted(c: RChar | undefined, ch: string): boolean {
  return c !== undefined && c.unquoted === true && c.ch === ch;
}
