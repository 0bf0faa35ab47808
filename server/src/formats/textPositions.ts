/**
 * Offsets to LSP positions in one forward walk over the text, so that locating many values costs one pass rather
 * than one pass per value.
 */
import type { Position } from 'vscode-languageserver-types';

/**
 * The LSP positions (0-based line, UTF-16 character) of the given offsets, in the order given. Line breaks are
 * `\n`, `\r\n` and a lone `\r`, as the protocol defines them; JavaScript string offsets are already UTF-16 units.
 */
export function positionsAt(text: string, offsets: readonly number[]): Position[] {
  const order = offsets.map((_, index) => index).sort((a, b) => offsets[a]! - offsets[b]!);
  const out: Position[] = new Array(offsets.length);
  let line = 0;
  let lineStart = 0;
  let i = 0;
  // The next `\n` at or after `i` (-1: none), kept between offsets so that a long line is searched once, not once per offset.
  let next = -2;
  const hasCarriageReturn = text.indexOf('\r') >= 0;
  for (const index of order) {
    const target = Math.min(Math.max(offsets[index]!, 0), text.length);
    if (hasCarriageReturn) {
      for (; i < target; i++) {
        const c = text.charCodeAt(i);
        if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) {
          line++;
          lineStart = i + 1;
        }
      }
    } else {
      // The common case: only `\n`, which indexOf finds far faster than a character loop.
      for (;;) {
        if (next === -2 || (next >= 0 && next < i)) next = text.indexOf('\n', i);
        if (next < 0 || next >= target) break;
        line++;
        lineStart = next + 1;
        i = next + 1;
      }
    }
    out[index] = { line, character: target - lineStart - (betweenCrLf(text, target) ? 1 : 0) };
  }
  return out;
}

/**
 * Whether an offset falls between the `\r` and the `\n` of a line break, which is no position in LSP: such an
 * offset (the end of a parse error that took the `\r`) is placed at the end of its line, as editors place it.
 */
function betweenCrLf(text: string, offset: number): boolean {
  return offset > 0 && text.charCodeAt(offset - 1) === 0x0d && text.charCodeAt(offset) === 0x0a;
}

/** Random-access conversion between offsets and LSP positions in one text (see `lineIndex`). */
export interface LineIndex {
  /** The 0-based line of an offset (clamped to the text). */
  line(offset: number): number;
  /** The LSP position of an offset (clamped to the text). */
  position(offset: number): Position;
  /** The range between two offsets. */
  range(start: number, end: number): { start: Position; end: Position };
}

/**
 * The line index of a text, for formats that convert offsets in no particular order: one pass to find the line
 * starts, then a binary search per lookup. Line breaks are `\n`, `\r\n` and a lone `\r`, as LSP defines them, so
 * every format reports the same lines an editor shows.
 */
export function lineIndex(text: string): LineIndex {
  const starts = [0];
  if (text.indexOf('\r') < 0) {
    // The common case: only `\n`, which indexOf finds far faster than a character loop.
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  } else {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) starts.push(i + 1);
    }
  }
  const line = (offset: number): number => {
    const target = Math.min(Math.max(offset, 0), text.length);
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= target) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const position = (offset: number): Position => {
    const target = Math.min(Math.max(offset, 0), text.length);
    const at = line(target);
    return { line: at, character: target - starts[at]! - (betweenCrLf(text, target) ? 1 : 0) };
  };
  return { line, position, range: (start, end) => ({ start: position(start), end: position(end) }) };
}
