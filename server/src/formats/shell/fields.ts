/**
 * Fields of a recipe value: the words a recipe tool sees when it loops over `$depends` or an array, each with
 * its value, its exact source span and how its variables were resolved.
 */
import { uniqueVias, type RChar } from './bashExpand';
import type { RWord } from './bashScan';

/** One field: its characters, its value (undefined when unresolved), its span and its `via` notes. */
export interface Field {
  chars: RChar[];
  value: string | undefined;
  start: number;
  end: number;
  via: string[];
}

/** Splits a scalar value on blanks and newlines, as `for i in $depends` does. */
export function splitFields(word: RWord): Field[] {
  const out: Field[] = [];
  let current: RChar[] = [];
  const flush = (): void => {
    if (current.length) out.push(fieldOf(current, word));
    current = [];
  };
  for (const c of word.chars) {
    if (!c.poison && /^\s$/.test(c.ch)) flush();
    else current.push(c);
  }
  flush();
  return out;
}

/** An array element as one field (quoted blanks stay inside it). */
export function wholeField(word: RWord): Field {
  return fieldOf(word.chars, word);
}

/** The characters `from`..`to` of a field, as a field of their own. */
export function sliceField(field: Field, from: number, to = field.chars.length): Field {
  return fieldOf(field.chars.slice(from, to), { start: field.start, end: field.start });
}

function fieldOf(chars: RChar[], fallback: { start: number; end: number }): Field {
  const value = chars.some((c) => c.poison) ? undefined : chars.map((c) => c.ch).join('');
  if (chars.length === 0) return { chars, value, start: fallback.start, end: fallback.end, via: [] };
  let start = Infinity;
  let end = -Infinity;
  for (const c of chars) {
    start = Math.min(start, c.start);
    end = Math.max(end, c.end);
  }
  return { chars, value, start, end, via: uniqueVias(chars) };
}
