/**
 * The editor's side of incremental re-analysis: it remembers, per open document, the edits since the last
 * analysis (as one merged edit) and the snapshot of that analysis, and uses `updateLock` when it can. Big npm
 * lockfiles then cost one entry per keystroke instead of the whole file. Pure bookkeeping over the engine: the
 * server feeds it the change notifications and asks it for each analysis.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis, AnalyzeContext } from '../engine';
import { incrementalMinLength, mergeEdits, snapshotLock, updateLock, type Edit, type LockSnapshot } from '../incremental';
import type { Range, Settings } from '../model';

/** What a didChange notification carries (its params, as checked by service/params.ts). */
export interface ChangeParams {
  textDocument: { uri: string };
  contentChanges: ReadonlyArray<{ text: string; range?: Range }>;
}

/** The incremental state of the open documents. */
export interface IncrementalDocuments {
  /** Records a change notification; call it before the document store applies it (`before` is the old document). */
  noteChange(before: TextDocument | undefined, params: ChangeParams): void;
  /** The analysis of `document`: from the snapshot and the merged edit when possible, else from `full()`. */
  analyse(document: TextDocument, path: string, settings: Settings, context: AnalyzeContext, full: () => Analysis | undefined): Analysis | undefined;
  /** Forgets a document (closed) or every document (the settings changed). */
  forget(uri?: string): void;
}

/** Makes the bookkeeping for one server. */
export function incrementalDocuments(): IncrementalDocuments {
  const snapshots = new Map<string, LockSnapshot>();
  const pending = new Map<string, Edit | 'full'>();
  return {
    noteChange(before, { textDocument: { uri }, contentChanges }) {
      if (!snapshots.has(uri)) return;
      const change = contentChanges.length === 1 ? contentChanges[0]! : undefined;
      const previous = pending.get(uri);
      // Several changes in one notification are each relative to the text the previous one left: not tracked.
      if (!before || !change || change.range === undefined || previous === 'full') {
        pending.set(uri, 'full');
        return;
      }
      const start = before.offsetAt(change.range.start);
      const edit = { start, oldEnd: before.offsetAt(change.range.end), newEnd: start + change.text.length };
      pending.set(uri, mergeEdits(previous, edit));
    },
    analyse(document, path, settings, context, full) {
      const { uri } = document;
      const snapshot = snapshots.get(uri);
      const edit = pending.get(uri);
      pending.delete(uri);
      if (snapshot && edit && edit !== 'full') {
        const updated = updateLock(snapshot, document.getText(), edit, (offset) => document.positionAt(offset), settings, context);
        if (updated) {
          snapshots.set(uri, updated.snapshot);
          return updated.analysis;
        }
      }
      snapshots.delete(uri);
      const analysis = full();
      const text = document.getText();
      if (analysis && text.length >= incrementalMinLength) {
        const next = snapshotLock(path, text, analysis, (position) => document.offsetAt(position));
        if (next) snapshots.set(uri, next);
      }
      return analysis;
    },
    forget(uri) {
      if (uri === undefined) {
        snapshots.clear();
        pending.clear();
      } else {
        snapshots.delete(uri);
        pending.delete(uri);
      }
    },
  };
}
