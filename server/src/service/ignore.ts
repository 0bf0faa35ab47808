/**
 * *Ignore … here*: a suppression written for a finding, where it applies. In a file with comments it is a
 * `pinwatch-ignore` comment on the flagged line or above it; in a file without (a JSON lockfile) it is an `ignore:`
 * entry in the nearest `.pinwatch.yaml`. A client that can ask for the reason (VS Code says so in its
 * initialization options) gets a command whose arguments say where to write and what; the client asks for the
 * reason and an optional date and writes them (a suppression without a reason does not apply). Other clients get
 * the comment as an edit, with the reason left to type.
 */
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CodeActionKind, type CodeAction } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { isMap, isScalar, isSeq, type YAMLMap, type YAMLSeq } from 'yaml';
import { parseYamlDocuments } from '../formats/yaml/document';
import { formatFor } from '../formats/index';
import { policyFileName } from '../policy';
import { commentPlace } from '../suppressions';
import type { PinwatchDiagnostic } from './diagnostics';
import type { IgnoreRequest } from './ignoreRequest';

/** The client command that asks for the reason and writes the suppression. */
export const ignoreCommand = 'pinwatch.ignoreFinding';

/** What the ignore action needs to know of its caller. */
export interface IgnoreOptions {
  /** The client asks for the reason (the command is offered instead of an edit), and can write a policy entry. */
  prompt?: boolean;
  /** The workspace folders: a policy file is looked for up to the one holding the document, and created there. */
  folders?: readonly string[];
  /** A file's text by URI (open or on disk); undefined when it does not exist or cannot be read. */
  readFile?(uri: string): string | undefined;
}

/** The *Ignore … here* action for a diagnostic, or undefined where none can be written with certainty. */
export function ignoreAction(document: TextDocument, path: string | undefined, diagnostic: PinwatchDiagnostic, options: IgnoreOptions): CodeAction | undefined {
  const format = path === undefined ? undefined : formatFor(path);
  if (!format) return undefined;
  const id = diagnostic.data.aliases.find((a) => /^(CVE|MAL|GHSA)-/.test(a)) ?? diagnostic.data.advisoryId;
  if (format.commentPrefix) {
    const place = commentPlace(document.getText(), diagnostic.range.start.line, format.commentPrefix, format.multilineQuotes === true);
    if (!place) return undefined;
    const before = `${place.before}${format.commentPrefix} pinwatch-ignore ${id} `;
    const position = document.positionAt(place.offset);
    if (!options.prompt) {
      return {
        title: `Ignore ${id} here (write the reason after the comment)`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: false,
        edit: { changes: { [document.uri]: [{ range: { start: position, end: position }, newText: before + place.after }] } },
      };
    }
    return command(`Ignore ${id} here…`, diagnostic, { kind: 'comment', id, uri: document.uri, position, before, after: place.after, expected: lineOf(document, position.line) });
  }
  if (!options.prompt || path === undefined) return undefined;
  const request = policyRequest(path, id, diagnostic, options);
  return request && command(`Ignore ${id} for this file in ${policyFileName}…`, diagnostic, request);
}

function command(title: string, diagnostic: PinwatchDiagnostic, request: IgnoreRequest): CodeAction {
  return { title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: false, command: { title, command: ignoreCommand, arguments: [request] } };
}

/** The entry in the nearest policy file above `path` (up to its workspace folder), or a new one at the folder. */
function policyRequest(path: string, id: string, diagnostic: PinwatchDiagnostic, options: IgnoreOptions): IgnoreRequest | undefined {
  const folder = (options.folders ?? []).filter((f) => path.startsWith(f.endsWith(sep) ? f : f + sep)).sort((a, b) => b.length - a.length)[0];
  if (!folder) return undefined;
  let dir = dirname(path);
  for (;;) {
    const candidate = join(dir, policyFileName);
    const text = options.readFile?.(pathToFileURL(candidate).href);
    if (text !== undefined) return entryIn(text, candidate, path, id, diagnostic);
    if (relative(folder, dir) === '' || dirname(dir) === dir) break;
    dir = dirname(dir);
  }
  const policy = join(folder, policyFileName);
  const entry = entryLines(policy, path, id, diagnostic, '  ', '\n');
  return entry === undefined ? undefined : { kind: 'policy', id, uri: pathToFileURL(policy).href, position: { line: 0, character: 0 }, before: `ignore:\n${entry}`, after: '', indent: '    ', eol: '\n', create: true, expected: '' };
}

/** The insertion of an entry into an existing policy file's `ignore:` list (made when there is none). */
function entryIn(text: string, policy: string, path: string, id: string, diagnostic: PinwatchDiagnostic): IgnoreRequest | undefined {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const { docs, stops } = parseYamlDocuments(text, { uniqueKeys: true, forceDoc: true });
  const doc = docs[0]!;
  if (doc.errors.length > 0 || stops.length > 0 || docs.length > 1) return undefined;
  const document = TextDocument.create('file:///policy', 'yaml', 0, text);
  const uri = pathToFileURL(policy).href;
  const empty = doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null);
  if (!empty && !isMap(doc.contents)) return undefined;
  const pair = empty ? undefined : (doc.contents as YAMLMap).items.find((p) => isScalar(p.key) && p.key.value === 'ignore');
  const at = (offset: number) => document.positionAt(offset);
  if (!pair) {
    // A new `ignore:` key at the end of the file.
    const entry = entryLines(policy, path, id, diagnostic, '  ', eol);
    const lead = text === '' || text.endsWith('\n') ? '' : eol;
    return entry === undefined ? undefined : { kind: 'policy', id, uri, position: at(text.length), before: `${lead}ignore:${eol}${entry}`, after: '', indent: '    ', eol, expected: text };
  }
  const seq = pair.value;
  if (!isSeq(seq) || (seq as YAMLSeq).flow || !seq.range || (seq as YAMLSeq).items.length === 0) return undefined;
  const last = (seq as YAMLSeq).items.at(-1) as { range?: [number, number, number] };
  if (!last.range) return undefined;
  const end = last.range[2];
  const lineStart = text.lastIndexOf('\n', seq.range[0] - 1) + 1;
  const dash = ' '.repeat(seq.range[0] - lineStart);
  const entry = entryLines(policy, path, id, diagnostic, dash, eol);
  const lead = text.charCodeAt(end - 1) === 0x0a ? '' : eol;
  return entry === undefined ? undefined : { kind: 'policy', id, uri, position: at(end), before: lead + entry, after: '', indent: `${dash}  `, eol, expected: text };
}

/** The entry's lines up to its reason: `- id:`, the file's path, and the package when the finding is about one. */
function entryLines(policy: string, path: string, id: string, diagnostic: PinwatchDiagnostic, dash: string, eol: string): string | undefined {
  const rel = relative(dirname(policy), path).split(sep).join('/');
  // A name with glob characters would match other files, or not itself: no entry rather than a wrong one.
  if (rel.startsWith('..') || /[*?[\]{}]/.test(rel)) return undefined;
  const key = `${dash}  `;
  const subject = diagnostic.data.subject;
  const lines = [`${dash}- id: ${id}`, `${key}paths: [${JSON.stringify(rel)}]`, ...(subject.ecosystem ? [`${key}package: ${JSON.stringify(subject.name)}`] : [])];
  return lines.join(eol) + eol;
}

function lineOf(document: TextDocument, line: number): string {
  return document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
}

/** The path of a document's URI, or undefined for a URI that is not a file's. */
export function documentPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
