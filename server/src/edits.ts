/** Applying fix edits to a text: in one pass, skipping edits whose text changed or that overlap an earlier one. */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { FixEdit } from './model';

/** The outcome of applying edits to one text. */
export interface Applied {
  text: string;
  applied: FixEdit[];
  /** Edits left out: stale (the text at the range is no longer `expected`) or overlapping an applied one. */
  skipped: FixEdit[];
}

/** Applies the edits that are still valid and do not overlap, in document order. */
export function applyEdits(text: string, edits: readonly FixEdit[]): Applied {
  const doc = TextDocument.create('pinwatch:edit', 'plaintext', 0, text);
  const located = edits
    .map((edit) => ({ edit, start: doc.offsetAt(edit.range.start), end: doc.offsetAt(edit.range.end) }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const applied: typeof located = [];
  const skipped: FixEdit[] = [];
  let last = -1;
  for (const item of located) {
    const stale = text.slice(item.start, item.end) !== item.edit.expected;
    const overlaps = item.start < last || (item.start === last && item.start === item.end);
    if (stale || overlaps || item.edit.newText === item.edit.expected) {
      skipped.push(item.edit);
      continue;
    }
    applied.push(item);
    last = item.end;
  }
  let out = text;
  for (const item of [...applied].reverse()) out = out.slice(0, item.start) + item.edit.newText + out.slice(item.end);
  return { text: out, applied: applied.map((a) => a.edit), skipped };
}
