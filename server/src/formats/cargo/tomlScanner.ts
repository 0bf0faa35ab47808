/**
 * A small scanner for the TOML that Cargo.lock is written in: keys (bare, quoted, dotted), strings (basic, literal,
 * multi-line), arrays over many lines, inline tables, comments and the other scalars, each read from an offset and
 * returning where it ends. It checks structure, not every TOML rule: enough to know which string belongs to which key.
 */

/** A string value: its decoded text and the offsets of its characters inside the quotes. */
export interface TomlString {
  value: string;
  start: number;
  end: number;
  /** Whether the decoded text is exactly the text between `start` and `end` (no escapes, not multi-line). */
  exact: boolean;
}

/** A value read from `i`: where it ends, and the string when it is one; or the offset where it could not be read. */
export type TomlValue = { end: number; string?: TomlString } | { error: number };

// Deeper nesting than this is not a lockfile; the limit keeps a run of `[[[[` from exhausting the stack.
const maxDepth = 64;

/** Skips spaces and tabs. */
export function skipSpace(text: string, i: number): number {
  while (i < text.length && (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09)) i++;
  return i;
}

/** Skips whitespace, line breaks and comments, as between statements or between the items of an array. */
export function skipBlank(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
    else if (c === 0x23 /* # */) {
      while (i < text.length && text.charCodeAt(i) !== 0x0a && text.charCodeAt(i) !== 0x0d) i++;
    } else break;
  }
  return i;
}

/** A key at `i` (`name`, `"quoted"`, `a.b`), as its path of parts; undefined when none starts there. */
export function parseKey(text: string, i: number): { path: string[]; end: number } | undefined {
  const path: string[] = [];
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 0x22 || c === 0x27) {
      const s = parseString(text, i);
      if ('error' in s || s.multiline) return undefined;
      path.push(s.string.value);
      i = s.end;
    } else {
      const start = i;
      while (i < text.length && isBareKeyChar(text.charCodeAt(i))) i++;
      if (i === start) return undefined;
      path.push(text.slice(start, i));
    }
    const dot = skipSpace(text, i);
    if (text.charCodeAt(dot) !== 0x2e /* . */) return { path, end: i };
    i = skipSpace(text, dot + 1);
  }
}

/**
 * A value at `i`: a string, an array, an inline table, or another scalar (number, boolean, date). With `headers`, a
 * `[` that opens a line inside an unclosed array ends it there (see `parseArray`).
 */
export function parseValue(text: string, i: number, depth = 0, headers = false): TomlValue {
  if (depth > maxDepth || i >= text.length) return { error: i };
  const c = text.charCodeAt(i);
  if (c === 0x22 || c === 0x27) {
    const s = parseString(text, i);
    return 'error' in s ? s : { end: s.end, string: s.string };
  }
  if (c === 0x5b /* [ */) {
    if (depth > 0 || headers) return parseArray(text, i, depth, headers);
    // A statement's array is read as TOML first, where a `[` inside it is always a nested array (cargo-deb's
    // `assets = [\n  ["target/release/rg", "usr/bin/", "755"],\n]`). Only an array that is not TOML so read is read
    // again taking a `[` that opens a line for the next table's header: a lockfile cut inside `dependencies = [`
    // then still has its next `[[package]]` read. Two reads at most, so linear.
    const strict = parseArray(text, i, depth, false);
    return 'error' in strict ? parseArray(text, i, depth, true) : strict;
  }
  if (c === 0x7b /* { */) return parseInlineTable(text, i, depth, headers);
  let j = i;
  while (j < text.length && !isScalarEnd(text.charCodeAt(j))) j++;
  return j === i ? { error: i } : { end: j };
}

function parseArray(text: string, i: number, depth: number, headers: boolean): TomlValue {
  let j = i + 1;
  for (;;) {
    j = skipBlank(text, j);
    if (text.charCodeAt(j) === 0x5d /* ] */) return { end: j + 1 };
    // Reading a damaged array again: a `[` that opens a line inside it is then taken for the next `[[package]]`
    // header, and the array ends there, so that the header is read as one.
    if (headers && text.charCodeAt(j) === 0x5b && opensLine(text, j)) return { error: j };
    const item = parseValue(text, j, depth + 1, headers);
    if ('error' in item) return item;
    j = skipBlank(text, item.end);
    if (text.charCodeAt(j) === 0x2c /* , */) j++;
    else if (text.charCodeAt(j) === 0x5d) return { end: j + 1 };
    else return { error: j };
  }
}

function parseInlineTable(text: string, i: number, depth: number, headers: boolean): TomlValue {
  let j = skipSpace(text, i + 1);
  if (text.charCodeAt(j) === 0x7d /* } */) return { end: j + 1 };
  for (;;) {
    const key = parseKey(text, j);
    if (!key) return { error: j };
    j = skipSpace(text, key.end);
    if (text.charCodeAt(j) !== 0x3d /* = */) return { error: j };
    const value = parseValue(text, skipSpace(text, j + 1), depth + 1, headers);
    if ('error' in value) return value;
    j = skipSpace(text, value.end);
    if (text.charCodeAt(j) === 0x7d) return { end: j + 1 };
    if (text.charCodeAt(j) !== 0x2c) return { error: j };
    j = skipSpace(text, j + 1);
  }
}

/** A string at `i` (at its opening quote). A single-line string that meets a line break or the end is an error. */
function parseString(text: string, i: number): { string: TomlString; end: number; multiline: boolean } | { error: number } {
  const quote = text.charCodeAt(i);
  const basic = quote === 0x22;
  if (text.charCodeAt(i + 1) === quote && text.charCodeAt(i + 2) === quote) {
    const close = basic ? '"""' : "'''";
    let j = i + 3;
    for (;;) {
      const at = text.indexOf(close, j);
      if (at < 0) return { error: text.length };
      // In a basic string `\"""` is an escaped quote followed by two more; count the backslashes before it.
      let slashes = 0;
      while (basic && text.charCodeAt(at - 1 - slashes) === 0x5c && at - 1 - slashes >= j) slashes++;
      if (slashes % 2 === 1) {
        j = at + 1;
        continue;
      }
      // A closing delimiter may be followed by up to two more quotes, which belong to the string.
      let end = at + 3;
      while (end < at + 5 && text.charCodeAt(end) === quote) end++;
      return { string: { value: text.slice(i + 3, end - 3), start: i + 3, end: end - 3, exact: false }, end, multiline: true };
    }
  }
  let value = '';
  let exact = true;
  let j = i + 1;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c === quote) return { string: { value, start: i + 1, end: j, exact }, end: j + 1, multiline: false };
    if (c === 0x0a || c === 0x0d) break;
    if (basic && c === 0x5c /* \ */) {
      const escape = readEscape(text, j);
      if (!escape) return { error: j };
      value += escape.value;
      exact = false;
      j = escape.end;
      continue;
    }
    value += text[j];
    j++;
  }
  return { error: j };
}

const simpleEscapes: Readonly<Record<string, string>> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', e: '\x1b', '"': '"', '\\': '\\' };

/** The escape sequence at `i` (at its backslash) in a basic string; undefined when it is not a valid one. */
function readEscape(text: string, i: number): { value: string; end: number } | undefined {
  const letter = text[i + 1];
  if (letter === undefined) return undefined;
  const simple = simpleEscapes[letter];
  if (simple !== undefined) return { value: simple, end: i + 2 };
  const width = letter === 'u' ? 4 : letter === 'U' ? 8 : 0;
  const hex = text.slice(i + 2, i + 2 + width);
  if (width === 0 || !/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== width) return undefined;
  const code = parseInt(hex, 16);
  if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return undefined;
  return { value: String.fromCodePoint(code), end: i + 2 + width };
}

/** Whether only spaces and tabs stand between the start of `i`'s line and `i`. */
function opensLine(text: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && (text.charCodeAt(j) === 0x20 || text.charCodeAt(j) === 0x09)) j--;
  return j < 0 || text.charCodeAt(j) === 0x0a || text.charCodeAt(j) === 0x0d;
}

function isBareKeyChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x2d;
}

/** Where an unquoted scalar ends: whitespace, a separator, a comment or a line break. */
function isScalarEnd(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x2c || c === 0x5d || c === 0x7d || c === 0x23;
}

/** A header at `i`: its key path, whether it is an array of tables, and where its line ends; undefined if malformed. */
export function readHeader(text: string, i: number): { path: string[]; array: boolean; end: number } | undefined {
  const array = text.charCodeAt(i + 1) === 0x5b;
  const key = parseKey(text, skipSpace(text, i + (array ? 2 : 1)));
  if (!key) return undefined;
  let j = skipSpace(text, key.end);
  if (text.charCodeAt(j) !== 0x5d /* ] */ || (array && text.charCodeAt(j + 1) !== 0x5d)) return undefined;
  j = skipSpace(text, j + (array ? 2 : 1));
  const c = text.charCodeAt(j);
  if (j < text.length && c !== 0x23 /* # */ && c !== 0x0a && c !== 0x0d) return undefined;
  return { path: key.path, array, end: nextLine(text, j) };
}

/** The offset of the start of the line after the one `i` is on (LSP's line breaks), or the end of the text. */
export function nextLine(text: string, i: number): number {
  for (let j = i; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x0a) return j + 1;
    if (c === 0x0d) return text.charCodeAt(j + 1) === 0x0a ? j + 2 : j + 1;
  }
  return text.length;
}
