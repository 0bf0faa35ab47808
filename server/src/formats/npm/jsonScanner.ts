/**
 * A small JSON scanner over raw text: it skips values and walks object members by offset, so that callers can
 * find the exact place of a few values after a fast `JSON.parse` has told them which ones matter. It never builds a
 * tree and never throws: every function returns -1 when the text does not continue as JSON should.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;

/** The offset of the first non-whitespace character at or after `at` (text.length when there is none). */
export function skipWhitespace(text: string, at: number): number {
  let i = at;
  for (;;) {
    const c = text.charCodeAt(i);
    // JSON whitespace is exactly space, tab, line feed and carriage return; NaN (past the end) stops too.
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
    else return i;
  }
}

/** The offset just past the closing quote of the string whose opening quote is at `at`, or -1. */
export function stringEnd(text: string, at: number): number {
  if (text.charCodeAt(at) !== QUOTE) return -1;
  let from = at + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) return -1;
    // A quote is escaped when an odd number of backslashes precede it.
    let slashes = 0;
    while (text.charCodeAt(quote - 1 - slashes) === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** The decoded value of the string token spanning [start, end), quotes included; undefined when it is not valid. */
export function decodeString(text: string, start: number, end: number): string | undefined {
  const raw = text.slice(start + 1, end - 1);
  if (raw.indexOf('\\') < 0) return raw;
  try {
    const value: unknown = JSON.parse(text.slice(start, end));
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The offset just past the value that starts at `at` (a string, object, array, number or literal), or -1. */
export function valueEnd(text: string, at: number): number {
  const first = text.charCodeAt(at);
  if (first === QUOTE) return stringEnd(text, at);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) return containerEnd(text, at);
  // Numbers and the literals true, false, null run until a delimiter; JSON.parse has already vetted their spelling.
  let i = at;
  for (;;) {
    const c = text.charCodeAt(i);
    if (Number.isNaN(c) || c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
      return i > at ? i : -1;
    }
    i++;
  }
}

/** The offset just past the object or array opened at `at`, skipping strings so that braces inside them don't count. */
function containerEnd(text: string, at: number): number {
  let depth = 0;
  let i = at;
  const length = text.length;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = stringEnd(text, i);
      if (i < 0) return -1;
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return -1;
}

/** One member of an object, by offsets: the key token (quotes included) and the value token. */
export interface Member {
  key: string;
  keyStart: number;
  keyEnd: number;
  valueStart: number;
  valueEnd: number;
}

/**
 * Walks the members of the object opened at `at`, in text order. `visit` may return the offset where the value
 * ends when it has scanned the value itself (to save a second pass), or undefined to let the walk skip it.
 * Returns the offset just past the closing brace, or -1 when the text is not a well-formed object.
 */
export function forEachMember(text: string, at: number, visit: (key: string, keyStart: number, keyEnd: number, valueStart: number) => number | undefined): number {
  if (text.charCodeAt(at) !== OPEN_BRACE) return -1;
  let i = skipWhitespace(text, at + 1);
  if (text.charCodeAt(i) === CLOSE_BRACE) return i + 1;
  for (;;) {
    const keyStart = i;
    const keyEnd = stringEnd(text, keyStart);
    if (keyEnd < 0) return -1;
    const key = decodeString(text, keyStart, keyEnd);
    if (key === undefined) return -1;
    i = skipWhitespace(text, keyEnd);
    if (text.charCodeAt(i) !== COLON) return -1;
    const valueStart = skipWhitespace(text, i + 1);
    const scanned = visit(key, keyStart, keyEnd, valueStart);
    const end = scanned ?? valueEnd(text, valueStart);
    if (end < 0) return -1;
    i = skipWhitespace(text, end);
    const c = text.charCodeAt(i);
    if (c === CLOSE_BRACE) return i + 1;
    if (c !== COMMA) return -1;
    i = skipWhitespace(text, i + 1);
  }
}

/** The members of the object opened at `at`, or undefined when it is not a well-formed object. */
export function members(text: string, at: number): Member[] | undefined {
  const out: Member[] = [];
  const end = forEachMember(text, at, (key, keyStart, keyEnd, valueStart) => {
    const valueStop = valueEnd(text, valueStart);
    if (valueStop >= 0) out.push({ key, keyStart, keyEnd, valueStart, valueEnd: valueStop });
    return valueStop;
  });
  return end < 0 ? undefined : out;
}
