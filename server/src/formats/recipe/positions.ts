/** Offsets to LSP positions for the recipe scanner: 0-based lines and UTF-16 columns, which JavaScript strings count. */
import type { Range } from '../../model';

/** A converter from offsets in `text` to lines and ranges. */
export interface Positions {
  line(offset: number): number;
  range(start: number, end: number): Range;
}

/** Builds the converter for one text (one pass over it; lookups by binary search). */
export function positions(text: string): Positions {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  const line = (offset: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const position = (offset: number) => {
    const at = line(offset);
    return { line: at, character: offset - starts[at]! };
  };
  return { line, range: (start, end) => ({ start: position(start), end: position(end) }) };
}
