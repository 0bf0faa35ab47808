/**
 * A forward walk over the lines of a text for the YAML-like lockfile readers: each line's start, end (before its
 * line break), indentation and first non-blank character, without splitting the text. Line breaks are `\n`,
 * `\r\n` and a lone `\r`, as LSP defines them.
 */

/** One line: `text.slice(start, end)` without its break; `content` is where its first non-blank character is. */
export interface Line {
  start: number;
  end: number;
  content: number;
  /** Leading blanks, a tab counted as two spaces. */
  indent: number;
  /** Where the first tab of the indentation is, or -1. */
  tab: number;
  /** Whether a line break follows the line (false only for a last line that the file does not end). */
  broken: boolean;
}

/** Calls `visit` for every line that is not blank and not a `#` comment, in order, reusing one Line object. */
export function forEachLine(text: string, visit: (line: Line) => void): void {
  const n = text.length;
  const loneCr = text.indexOf('\r') >= 0 && /\r(?!\n)/.test(text);
  const line: Line = { start: 0, end: 0, content: 0, indent: 0, tab: -1, broken: true };
  let at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (at < n) {
    let end: number;
    let next: number;
    if (!loneCr) {
      const lf = text.indexOf('\n', at);
      if (lf < 0) {
        end = n;
        next = n;
      } else {
        end = lf > at && text.charCodeAt(lf - 1) === 0x0d ? lf - 1 : lf;
        next = lf + 1;
      }
    } else {
      end = at;
      while (end < n && text.charCodeAt(end) !== 0x0a && text.charCodeAt(end) !== 0x0d) end++;
      next = end < n && text.charCodeAt(end) === 0x0d && text.charCodeAt(end + 1) === 0x0a ? end + 2 : end + 1;
    }
    let i = at;
    let indent = 0;
    let tab = -1;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x20) indent++;
      else if (c === 0x09) {
        if (tab < 0) tab = i;
        indent += 2;
      } else break;
      i++;
    }
    if (i < end && text.charCodeAt(i) !== 0x23) {
      line.start = at;
      line.end = end;
      line.content = i;
      line.indent = indent;
      line.tab = tab;
      line.broken = end < n;
      visit(line);
    }
    at = next;
  }
}

/** `text.slice(start, end)` without one pair of matching outer quotes (YAML's '…' or "…"). */
export function unquote(text: string, start: number, end: number): { start: number; end: number } {
  const c = text.charCodeAt(start);
  if (end - start >= 2 && (c === 0x27 || c === 0x22) && text.charCodeAt(end - 1) === c) return { start: start + 1, end: end - 1 };
  return { start, end };
}

/**
 * The colon that ends a YAML mapping key on a line: after a quoted key's closing quote, else the first `: ` (a
 * URL's `https:` is not followed by a space) or a colon that ends the line; -1 when there is none.
 */
export function keyColon(text: string, start: number, end: number): number {
  const c = text.charCodeAt(start);
  if (c === 0x27 || c === 0x22) {
    const close = text.indexOf(String.fromCharCode(c), start + 1);
    if (close < 0 || close >= end) return -1;
    return text.charCodeAt(close + 1) === 0x3a ? close + 1 : -1;
  }
  const colon = text.indexOf(': ', start);
  if (colon >= 0 && colon < end) return colon;
  return text.charCodeAt(end - 1) === 0x3a ? end - 1 : -1;
}

/** Offsets of the value after a key's colon, blanks trimmed (empty when the key opens a block). */
export function valueAfter(text: string, colon: number, end: number): { start: number; end: number } {
  let start = colon + 1;
  while (start < end && text.charCodeAt(start) === 0x20) start++;
  let stop = end;
  while (stop > start && (text.charCodeAt(stop - 1) === 0x20 || text.charCodeAt(stop - 1) === 0x09)) stop--;
  return { start, end: stop };
}
