/** Offsets to LSP positions for the recipe scanner: the shared line index, with LSP's line breaks. */
import type { Range } from '../../model';
import { lineIndex } from '../textPositions';

/** A converter from offsets in `text` to lines and ranges. */
export interface Positions {
  line(offset: number): number;
  range(start: number, end: number): Range;
}

/** Builds the converter for one text (one pass over it; lookups by binary search). */
export function positions(text: string): Positions {
  return lineIndex(text);
}
