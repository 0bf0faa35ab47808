/**
 * Code actions for Pinwatch diagnostics: a quick fix per fix that a diagnostic carries in `data`, and
 * `source.fixAll.pinwatch`. An edit is offered only while the text at its range is still what was flagged.
 */
import {
  CodeActionKind,
  TextDocumentEdit,
  type CodeAction,
  type CodeActionContext,
  type Diagnostic,
  type Position,
  type Range,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { fileURLToPath } from 'node:url';
import type { Fix, FixEdit } from '../model';
import { ignoreAction, type IgnoreOptions } from './ignore';
import { isPinwatchDiagnostic, type PinwatchDiagnostic } from './diagnostics';
import { conflicts } from '../edits';

/** The kind of the fix-all source action, under `source.fixAll` so editors run it on save when asked to. */
export const fixAllKind = `${CodeActionKind.SourceFixAll}.pinwatch`;

/** What code actions need from their caller besides the document: client abilities and the other files. */
export interface CodeActionOptions {
  /** Whether the client accepts `WorkspaceEdit.documentChanges` (versioned edits). */
  documentChanges: boolean;
  /** The diagnostics last published for the document: fix-all uses them, and quick fixes when the client sent none of ours. */
  published?: readonly Diagnostic[];
  /** An open document by URI, to check and version an edit to another file. */
  openDocument?(uri: string): TextDocument | undefined;
  /** Reads a file that is not open, by URI; undefined when it cannot be read. */
  readFile?(uri: string): string | undefined;
  /** How *Ignore … here* is offered (see service/ignore.ts). */
  ignore?: IgnoreOptions;
}

/** The code actions for a request on `range` of `document`, honouring `context.only`. */
export function codeActions(
  document: TextDocument,
  range: Range,
  context: CodeActionContext,
  options: CodeActionOptions,
): CodeAction[] {
  const actions: CodeAction[] = [];
  if (wants(context.only, CodeActionKind.QuickFix)) {
    const sent = context.diagnostics.filter(isPinwatchDiagnostic);
    const candidates = sent.length > 0 ? sent : (options.published ?? []).filter(isPinwatchDiagnostic);
    for (const diagnostic of candidates.filter((d) => touches(d.range, range))) {
      diagnostic.data.fixes.forEach((fix, index) => {
        if (!isCurrent(fix, document, options)) return;
        actions.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: index === 0,
          edit: toWorkspaceEdit(fix.edits, document, options),
        });
      });
      // A diagnostic whose text changed since it was published is stale: no more actions for it.
      if (diagnostic.data.fixes.length > 0 && !diagnostic.data.fixes.some((fix) => isCurrent(fix, document, options))) continue;
      const ignore = ignoreAction(document, pathOfDocument(document), diagnostic, { ...options.ignore, readFile: options.ignore?.readFile ?? options.readFile });
      if (ignore) actions.push(ignore);
    }
  }
  // Without `only`, fix-all is offered only when it does more than the single quick fix would.
  const fixAllWanted = context.only ? wants(context.only, fixAllKind) : fixableCount(document, context, options) > 1;
  if (fixAllWanted) {
    const all = fixAll(document, documentDiagnostics(context, options), options);
    if (all) actions.push(all);
  }
  return actions;
}

/**
 * The `source.fixAll.pinwatch` action: the preferred fix of every Pinwatch diagnostic of the document that is
 * still current, in document order, skipping a fix whose edits overlap one already taken; undefined when none.
 */
export function fixAll(
  document: TextDocument,
  diagnostics: readonly Diagnostic[],
  options: CodeActionOptions,
): CodeAction | undefined {
  const ours = diagnostics.filter(isPinwatchDiagnostic).slice().sort((a, b) => compare(a.range.start, b.range.start));
  const taken: FixEdit[] = [];
  const fixed: PinwatchDiagnostic[] = [];
  for (const diagnostic of ours) {
    const fix = diagnostic.data.fixes[0];
    if (!fix || !isCurrent(fix, document, options)) continue;
    // An edit identical to one already taken (two findings asking for the same override) is merged, not a conflict.
    const fresh = fix.edits.filter((edit) => !taken.some((t) => sameEdit(t, edit)));
    if (fresh.some((edit) => taken.some((t) => t.uri === edit.uri && conflicts(t.range, edit.range)))) continue;
    taken.push(...fresh);
    fixed.push(diagnostic);
  }
  if (fixed.length === 0) return undefined;
  return {
    title: fixed.length === 1 ? 'Fix the Pinwatch finding' : `Fix all ${fixed.length} Pinwatch findings`,
    kind: fixAllKind,
    diagnostics: fixed,
    edit: toWorkspaceEdit(taken, document, options),
  };
}

function pathOfDocument(document: TextDocument): string | undefined {
  if (document.uri.startsWith('file:')) {
    try {
      return fileURLToPath(document.uri);
    } catch {
      return undefined;
    }
  }
  // An unsaved Dockerfile has no file name: its language says what it is.
  return document.languageId === 'dockerfile' ? 'Dockerfile' : undefined;
}

/** Whether every edit of a fix still finds the text it was computed against. */
export function isCurrent(fix: Fix, document: TextDocument, options: Pick<CodeActionOptions, 'openDocument' | 'readFile'>): boolean {
  return fix.edits.every((edit) => {
    const target = edit.uri === document.uri ? document : documentAt(edit.uri, options);
    return target !== undefined && isWithin(edit.range, target) && target.getText(edit.range) === edit.expected;
  });
}

/** A workspace edit for `edits`, versioned for open documents when the client supports `documentChanges`. */
export function toWorkspaceEdit(edits: readonly FixEdit[], document: TextDocument, options: CodeActionOptions): WorkspaceEdit {
  const byUri = new Map<string, TextEdit[]>();
  for (const { uri, range, newText } of edits) byUri.set(uri, [...(byUri.get(uri) ?? []), { range, newText }]);
  if (!options.documentChanges) return { changes: Object.fromEntries(byUri) };
  return {
    documentChanges: [...byUri].map(([uri, textEdits]) => {
      const open = uri === document.uri ? document : options.openDocument?.(uri);
      return TextDocumentEdit.create({ uri, version: open ? open.version : null }, textEdits);
    }),
  };
}

function documentAt(uri: string, options: Pick<CodeActionOptions, 'openDocument' | 'readFile'>): TextDocument | undefined {
  const open = options.openDocument?.(uri);
  if (open) return open;
  const text = options.readFile?.(uri);
  return text === undefined ? undefined : TextDocument.create(uri, 'plaintext', 0, text);
}

// The server's published diagnostics cover the whole document; the client's context only the request's range.
function documentDiagnostics(context: CodeActionContext, options: CodeActionOptions): readonly Diagnostic[] {
  return options.published && options.published.length > 0 ? options.published : context.diagnostics;
}

function fixableCount(document: TextDocument, context: CodeActionContext, options: CodeActionOptions): number {
  const diagnostics = documentDiagnostics(context, options).filter(isPinwatchDiagnostic);
  return diagnostics.filter((d) => d.data.fixes[0] && isCurrent(d.data.fixes[0], document, options)).length;
}

// `getText` clamps a range that runs past the end, which could make a stale edit look current.
function isWithin(range: Range, document: TextDocument): boolean {
  const { start, end } = range;
  return [start, end].every((p) => p.line < document.lineCount && document.offsetAt(p) === document.offsetAt({ line: p.line, character: 0 }) + p.character);
}

function wants(only: readonly string[] | undefined, kind: string): boolean {
  return only === undefined || only.some((o) => kind === o || kind.startsWith(`${o}.`));
}

// Inclusive at both ends: a cursor just after a flagged token still asks about it.
function touches(a: Range, b: Range): boolean {
  return compare(a.start, b.end) <= 0 && compare(b.start, a.end) <= 0;
}

function sameEdit(a: FixEdit, b: FixEdit): boolean {
  return a.uri === b.uri && a.newText === b.newText && compare(a.range.start, b.range.start) === 0 && compare(a.range.end, b.range.end) === 0;
}

function compare(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}
