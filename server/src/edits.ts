/** Applying fix edits to a text: in one pass, skipping edits whose text changed or that overlap an earlier one. */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Fix, FixEdit, Range } from './model';

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

/**
 * The fixes that can be applied together, in order, each whole or not at all: every edit still finds its
 * `expected` text (through `textOf`, by URI) and none conflicts with an edit already taken.
 */
export function compatibleFixes(fixes: readonly Fix[], textOf: (uri: string) => string | undefined): Fix[] {
  const taken: FixEdit[] = [];
  const docs = new Map<string, TextDocument | undefined>();
  const doc = (uri: string): TextDocument | undefined => {
    if (!docs.has(uri)) {
      const text = textOf(uri);
      docs.set(uri, text === undefined ? undefined : TextDocument.create(uri, 'plaintext', 0, text));
    }
    return docs.get(uri);
  };
  const out: Fix[] = [];
  for (const fix of fixes) {
    const current = fix.edits.every((e) => doc(e.uri)?.getText(e.range) === e.expected);
    const changes = fix.edits.some((e) => e.newText !== e.expected);
    const clash = fix.edits.some((e, i) => [...taken, ...fix.edits.slice(0, i)].some((t) => t.uri === e.uri && conflicts(t.range, e.range)));
    if (!current || !changes || clash) continue;
    taken.push(...fix.edits);
    out.push(fix);
  }
  return out;
}

/** Whether two edits' ranges overlap, or both start at one point (two insertions there would be ordered arbitrarily). */
export function conflicts(a: Range, b: Range): boolean {
  const cmp = (p: Range['start'], q: Range['start']): number => p.line - q.line || p.character - q.character;
  return cmp(a.start, b.start) === 0 || (cmp(a.start, b.end) < 0 && cmp(b.start, a.end) < 0);
}

