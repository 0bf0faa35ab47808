/**
 * The Pinwatch language server: LSP wiring only (connection, documents, settings, debounce, progress). Each
 * handler makes one service call; the logic lives in service/ and the engine. Run with `--stdio` or `--node-ipc`.
 */
import { pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  WorkDoneProgressReporter,
  type ClientCapabilities,
  type Diagnostic,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, formatFor, skipReason } from './engine';
import type { Finding } from './model';
import { codeActions, fixAllKind } from './service/codeActions';
import { toDiagnostics } from './service/diagnostics';
import { hover } from './service/hover';
import { scanCommand, scanWorkspace } from './service/scan';
import { defaultServerSettings, toServerSettings, type ServerSettings } from './service/settings';
import { isExcluded, pathOfUri, readTextFile } from './workspace';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let client: ClientCapabilities = {};
let initialFolders: string[] = [];
let settings: ServerSettings = defaultServerSettings;
const timers = new Map<string, NodeJS.Timeout>();
/** The findings behind each open document's diagnostics, with the version they were computed on (for hovers). */
const analysed = new Map<string, { version: number; findings: Finding[] }>();
/** The diagnostics last published, by URI (open or not); absent when none. */
const published = new Map<string, Diagnostic[]>();
/** The files the last workspace scan flagged: closing one keeps its diagnostics, recomputed from disk. */
const scanned = new Set<string>();

connection.onInitialize((params) => {
  client = params.capabilities;
  const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  initialFolders = folders.flatMap((uri) => pathOfUri(uri) ?? []);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, fixAllKind] },
      hoverProvider: true,
      executeCommandProvider: { commands: [scanCommand] },
      workspace: { workspaceFolders: { supported: true } },
    },
  };
});

connection.onInitialized(() => {
  if (client.workspace?.didChangeConfiguration?.dynamicRegistration) void connection.client.register(DidChangeConfigurationNotification.type, undefined);
  void reloadSettings();
});
connection.onDidChangeConfiguration((params) => void reloadSettings((params.settings as { pinwatch?: unknown } | null)?.pinwatch));

// Fired on open too: a document not yet analysed (or waiting) is analysed at once, later changes are debounced.
documents.onDidChangeContent(({ document }) => schedule(document, analysed.has(document.uri) || timers.has(document.uri) ? settings.debounceMs : 0));
documents.onDidClose(({ document: { uri } }) => {
  clearTimeout(timers.get(uri));
  timers.delete(uri);
  analysed.delete(uri);
  const path = scanned.has(uri) ? pathOfUri(uri) : undefined;
  publish(uri, path ? findingsOf(path, readTextFile(path)) ?? [] : []);
});

connection.onCodeAction(({ textDocument, range, context }) => {
  const document = documents.get(textDocument.uri);
  const options = {
    documentChanges: client.workspace?.workspaceEdit?.documentChanges === true,
    published: published.get(textDocument.uri) ?? [],
    openDocument: (uri: string) => documents.get(uri),
    readFile: (uri: string) => readTextFile(pathOfUri(uri)),
  };
  return document ? safely('code actions', [], () => codeActions(document, range, context, options)) : [];
});

connection.onHover(({ textDocument, position }) => {
  const document = documents.get(textDocument.uri);
  const last = analysed.get(textDocument.uri);
  return document && last?.version === document.version ? safely('hover', null, () => hover(last.findings, position)) : null;
});

connection.onExecuteCommand(async (params, token, workDone) => {
  if (params.command !== scanCommand) return null;
  // The client's token when it passed one; else a progress the server creates, when the client can show it.
  const progress = WorkDoneProgressReporter.isNullInstance(workDone) && client.window?.workDoneProgress ? await connection.window.createWorkDoneProgress() : workDone;
  const progressToken = 'token' in progress ? (progress.token as typeof token) : undefined;
  progress.begin('Pinwatch: scanning the workspace', 0, undefined, true);
  try {
    return await scanWorkspace({
      roots: await workspaceFolders(),
      exclude: settings.exclude,
      isCancelled: () => token.isCancellationRequested || progressToken?.isCancellationRequested === true,
      analyzeFile: (path) => {
        const document = openDocumentAt(path);
        return findingsOf(path, document ? document.getText() : readTextFile(path), document?.uri) ?? [];
      },
      publish: (path, findings) => {
        const document = openDocumentAt(path);
        const uri = document?.uri ?? pathToFileURL(path).href;
        if (findings.length > 0) scanned.add(uri);
        else scanned.delete(uri);
        if (document) analysed.set(uri, { version: document.version, findings });
        publish(uri, findings, document?.version);
      },
      progress: (percentage, message) => progress.report(percentage, message),
    });
  } finally {
    progress.done();
  }
});

documents.listen(connection);
connection.listen();

/** Reads the `pinwatch` section (or takes pushed settings) and re-validates every open document. */
async function reloadSettings(pushed?: unknown): Promise<void> {
  const section = client.workspace?.configuration
    ? await connection.workspace.getConfiguration('pinwatch').catch((error: unknown) => {
        connection.console.error(`Pinwatch: could not read settings, using the defaults: ${String(error)}`);
        return undefined;
      })
    : pushed;
  settings = toServerSettings(section);
  for (const document of documents.all()) schedule(document, 0);
}

// One timer per document, and each analysis in its own macrotask, so messages are read between documents.
function schedule(document: TextDocument, delay: number): void {
  const { uri, version } = document;
  // An unsaved Dockerfile has no file name: its language says what it is.
  const path = pathOfUri(uri) ?? (document.languageId === 'dockerfile' ? 'Dockerfile' : undefined);
  if (!path || !formatFor(path)) return;
  clearTimeout(timers.get(uri));
  timers.set(uri, setTimeout(() => {
    timers.delete(uri);
    const current = documents.get(uri);
    const findings = current?.version === version ? findingsOf(path, current.getText(), uri) : undefined;
    if (findings === undefined) return;
    analysed.set(uri, { version, findings });
    publish(uri, findings, version);
  }, delay));
}

/** The findings of one file under the current settings; undefined (logged) when the analysis failed. */
function findingsOf(path: string, text: string | undefined, uri = pathToFileURL(path).href): Finding[] | undefined {
  if (text === undefined || !settings.enable || isExcluded(path, initialFolders, settings.exclude)) return [];
  const skipped = skipReason(path, text);
  if (skipped !== undefined) connection.console.info(`Pinwatch: ${path}: ${skipped}`);
  const readFile = (sibling: string) => openDocumentAt(sibling)?.getText() ?? readTextFile(sibling);
  return safely(`analysing ${path}`, undefined, () => analyze(path, text, settings.engine, { uri, readFile }));
}

/** Runs a service call; a throw is logged and answered with `fallback`, never thrown out of a handler. */
function safely<T, F>(what: string, fallback: F, run: () => T): T | F {
  try {
    return run();
  } catch (error) {
    connection.console.error(`Pinwatch: ${what} failed: ${error instanceof Error ? error.stack : String(error)}`);
    return fallback;
  }
}

// An open document's diagnostics are always sent (with its version); another file's only when they change.
function publish(uri: string, findings: Finding[], version?: number): void {
  const diagnostics = toDiagnostics(findings);
  if (diagnostics.length === 0 && !published.has(uri) && version === undefined) return;
  if (diagnostics.length > 0) published.set(uri, diagnostics);
  else published.delete(uri);
  void connection.sendDiagnostics(version === undefined ? { uri, diagnostics } : { uri, version, diagnostics });
}

async function workspaceFolders(): Promise<string[]> {
  const folders = client.workspace?.workspaceFolders ? await connection.workspace.getWorkspaceFolders().catch(() => null) : null;
  return folders ? folders.flatMap((f) => pathOfUri(f.uri) ?? []) : initialFolders;
}

function openDocumentAt(path: string): TextDocument | undefined {
  return documents.all().find((document) => pathOfUri(document.uri) === path);
}
