/**
 * Brace expansion for array elements: `"$url"{,.sig}` is two sources in a PKGBUILD. Bash expands braces in
 * words but not in scalar assignments, so the scanner applies this to array elements only. Sequences
 * (`{1..3}`) are not computed: the word is marked unresolved rather than read wrong.
 */
import { maxValueLength, newBudget, type Budget, type RChar } from './bashExpand';

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
  const room = { left: maxValueLength, passed: false };
  const out = braces(chars, 0, room);
  if (room.passed) {
    budget.limits.push({ start, end, message: `This word's brace expansion grows past ${maxValueLength} characters here, so Pinwatch did not expand it: what uses it was not checked.` });
    return [[{ ch: '', start: chars[0]?.start ?? start, end: chars[chars.length - 1]?.end ?? end, poison: true }]];
  }
  // The words reuse the characters already expanded, so they count against the budget without reaching its end:
  // the next expansion past it reports that.
  if (out) budget.left = Math.max(0, budget.left - (maxValueLength - room.left));
  return out ?? [[...chars, { ch: '', start: chars[0]?.start ?? 0, end: chars[chars.length - 1]?.end ?? 0, poison: true }]];
}

/** `room` is how many characters the words may still take in all; `passed` is set when they would take more. */
function braces(chars: readonly RChar[], depth: number, room: { left: number; passed: boolean }): RChar[][] | undefined {
  if (depth > 8) return undefined;
  const shape = braceShape(chars);
  for (let open = 0; open < chars.length; open++) {
    if (!isUnquoted(chars[open], '{')) continue;
    const close = shape.close[open]!;
    if (close < 0) return [chars.slice()];
    const commas = shape.commas.get(open) ?? [];
    if (commas.length === 0) {
      if (shape.hasDots(open + 1, close)) return undefined;
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

/**
 * The brace structure of a word in one pass: the `}` that closes each unquoted `{` (-1 for none), the commas at
 * each pair's own level, and whether a stretch holds `..` (a sequence). Finding each `{`'s close by scanning ahead,
 * and slicing its inside to look for `..`, was quadratic on `{{{…}}}`.
 */
function braceShape(chars: readonly RChar[]): { close: number[]; commas: Map<number, number[]>; hasDots(from: number, to: number): boolean } {
  const close = new Array<number>(chars.length).fill(-1);
  const commas = new Map<number, number[]>();
  const open: number[] = [];
  // dots[i]: how many `..` start before offset i.
  const dots = new Array<number>(chars.length + 1).fill(0);
  for (let i = 0; i < chars.length; i++) {
    dots[i + 1] = dots[i]! + (isUnquoted(chars[i], '.') && isUnquoted(chars[i + 1], '.') ? 1 : 0);
    if (isUnquoted(chars[i], '{')) open.push(i);
    else if (isUnquoted(chars[i], '}')) {
      const at = open.pop();
      if (at !== undefined) close[at] = i;
    } else if (isUnquoted(chars[i], ',') && open.length > 0) {
      const at = open[open.length - 1]!;
      const list = commas.get(at);
      if (list) list.push(i);
      else commas.set(at, [i]);
    }
  }
  // A `..` lies in [from, to) when one starts at from..to-2.
  return { close, commas, hasDots: (from, to) => to - 1 > from && dots[to - 1]! - dots[from]! > 0 };
}

function isUnquoted(c: RChar | undefined, ch: string): boolean {
  return c !== undefined && c.unquoted === true && c.ch === ch;
}
