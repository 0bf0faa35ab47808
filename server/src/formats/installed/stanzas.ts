/**
 * A scanner for the stanza files of package databases: dpkg's `status` (RFC 822-style `Field: value` lines with
 * continuation lines that start with a space or tab) and apk's `installed` (`P:value` lines). Stanzas are
 * separated by blank lines. One forward pass over the lines; each field keeps the offsets of its first line's value.
 */
import type { WantedFilter } from '../../model';

/** A field of a stanza: its name, its first line's value (trimmed), and that value's offsets in the text. */
export interface StanzaField {
  name: string;
  value: string;
  start: number;
  end: number;
}

/** A stanza: its fields by name (the first of a repeated name), and the offset of a line that is not a field. */
export interface Stanza {
  fields: Map<string, StanzaField>;
  /** The first line of the stanza that is neither a field nor a continuation, when there is one. */
  malformedAt?: number;
}

/**
 * The stanzas of a text. `separator` is `:` followed by optional blanks for dpkg (`Version: 1.0`), and `:` with the
 * value right after it for apk (`V:1.0`); either way the field name is what precedes the first `:` on the line.
 */
export function stanzas(text: string, options: { continuation: boolean }, from = 0, to = text.length): Stanza[] {
  const out: Stanza[] = [];
  let current: Stanza | undefined;
  // The next `:` at or after the line being read, kept between lines so that lines without one cost their length only.
  let colonAt = -2;
  let at = from === 0 && text.charCodeAt(0) === 0xfeff ? 1 : from;
  while (at < to) {
    let end = text.indexOf('\n', at);
    if (end < 0 || end > to) end = to;
    const next = end + 1;
    const lineEnd = end > at && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end;
    const first = text.charCodeAt(at);
    if (isBlankLine(text, at, lineEnd)) {
      current = undefined;
    } else if (options.continuation && (first === 0x20 || first === 0x09)) {
      // A continuation line belongs to the field above; a stanza that starts with one is malformed.
      if (!current) out.push((current = { fields: new Map(), malformedAt: at }));
    } else {
      current ??= (out.push({ fields: new Map() }), out[out.length - 1]!);
      if (colonAt !== -1 && colonAt < at) colonAt = text.indexOf(':', at);
      const colon = colonAt;
      if (colon < 0 || colon >= lineEnd || colon === at) {
        current.malformedAt ??= at;
      } else {
        const name = text.slice(at, colon);
        let start = colon + 1;
        while (start < lineEnd && (text.charCodeAt(start) === 0x20 || text.charCodeAt(start) === 0x09)) start++;
        let stop = lineEnd;
        while (stop > start && (text.charCodeAt(stop - 1) === 0x20 || text.charCodeAt(stop - 1) === 0x09)) stop--;
        if (!current.fields.has(name)) current.fields.set(name, { name, value: text.slice(start, stop), start, end: stop });
      }
    }
    at = next;
  }
  return out;
}

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

function isBlankLine(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09) return false;
  }
  return true;
}

/**
 * The fast path of a big database: the stanzas whose `field` (`Package`, `P`) value `pick` accepts, each read whole,
 * found by searching for the field at line starts so that the others cost only that search. A stanza is the run of
 * lines around the field up to the blank lines on either side. `quick`, when given, is asked first about the value's
 * characters in place: a value it rejects is not made a string, nor given to `pick`.
 */
export function pickedStanzas(text: string, field: string, options: { continuation: boolean }, pick: (value: string) => boolean, quick?: QuickTest): Stanza[] {
  const out: Stanza[] = [];
  const needle = `${field}:`;
  let from = 0;
  for (;;) {
    const at = text.indexOf(needle, from);
    if (at < 0) break;
    from = at + needle.length;
    if (at > 0 && text.charCodeAt(at - 1) !== 0x0a && !(at === 1 && text.charCodeAt(0) === 0xfeff)) continue;
    let lineEnd = text.indexOf('\n', from);
    if (lineEnd < 0) lineEnd = text.length;
    // The value's bounds as `stanzas` trims it (blanks, and a line's `\r`), so that only one string is made of it.
    let valueStart = from;
    while (valueStart < lineEnd && isBlank(text.charCodeAt(valueStart))) valueStart++;
    let valueEnd = lineEnd > from && text.charCodeAt(lineEnd - 1) === 0x0d ? lineEnd - 1 : lineEnd;
    while (valueEnd > valueStart && isBlank(text.charCodeAt(valueEnd - 1))) valueEnd--;
    if ((quick && !quick(text, valueStart, valueEnd)) || !pick(text.slice(valueStart, valueEnd))) continue;
    const start = blankBefore(text, at);
    const end = blankAfter(text, lineEnd);
    out.push(...stanzas(text, options, start, end));
    from = end;
  }
  return out;
}

/** The start of the line after the last blank line before `at` (or 0). */
function blankBefore(text: string, at: number): number {
  let lineStart = at;
  while (lineStart > 0) {
    const previousEnd = lineStart - 1;
    const previousStart = text.lastIndexOf('\n', previousEnd - 1) + 1;
    if (isBlankLine(text, previousStart, previousEnd > previousStart && text.charCodeAt(previousEnd - 1) === 0x0d ? previousEnd - 1 : previousEnd)) return lineStart;
    lineStart = previousStart;
  }
  return 0;
}

/** The offset of the first blank line at or after the line that ends at `lineEnd`'s next line (or the text's end). */
function blankAfter(text: string, lineEnd: number): number {
  let at = lineEnd + 1;
  while (at < text.length) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    if (isBlankLine(text, at, end > at && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end)) return at;
    at = end + 1;
  }
  return text.length;
}

/** A test of a value by its characters in a text (`start` to `end`), false only when `pick` would reject it. */
export type QuickTest = (text: string, start: number, end: number) => boolean;

/**
 * The quick test for values that `pick` accepts only when, lowercased, they are one of `names` (lowercase, as the
 * engine's filter gives them): a value whose length and first and last characters (lowercased) are no name's is
 * rejected, with no string made. A value whose first or last character is not ASCII is left to `pick`, and so are all
 * when a name is not printable ASCII. (Lowercasing keeps an ASCII character's place and, but for `İ`, whose lowercase
 * is not ASCII, a string's length.)
 */
export function quickNameTest(names: Iterable<string>): QuickTest | undefined {
  const keys = new Set<number>();
  for (const name of names) {
    if (!/^[\x21-\x7e]+$/.test(name)) return undefined;
    keys.add(nameKey(name.length, name.charCodeAt(0), name.charCodeAt(name.length - 1)));
  }
  return (text, start, end) => {
    if (end <= start) return true;
    const first = text.charCodeAt(start);
    const last = text.charCodeAt(end - 1);
    if (first > 0x7e || last > 0x7e) return true;
    return keys.has(nameKey(end - start, lowerAscii(first), lowerAscii(last)));
  };
}

function nameKey(length: number, first: number, last: number): number {
  return length * 0x4000 + first * 0x80 + last;
}

function lowerAscii(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
}

/** The quick test of a database's package names under the engine's filter: its names in `ecosystem`, and openssh-server's (read for the OpenSSH note). */
export function quickOf(wanted: WantedFilter, ecosystem: string): QuickTest | undefined {
  const names = wanted.names?.(ecosystem);
  return names && quickNameTest([...names, 'openssh-server']);
}
