/**
 * The Pinwatch language server: LSP wiring only (connection, documents, settings, debounce, progress). Each
 * handler makes one service call; the logic lives in service/ and the engine. Run with `--stdio` or `--node-ipc`.
 */
import { pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  CodeActionRequest,
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
  HoverRequest,
  ErrorCodes,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  WorkDoneProgressReporter,
  type CancellationToken,
  type ClientCapabilities,
  type CodeActionParams,
  type Diagnostic,
  type ExecuteCommandParams,
  type HoverParams,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeBytes, analyzeFile, formatFor, type Analysis, type AnalyzeContext } from './engine';
import { formats } from './formats/index';
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { codeActions, fixAllKind } from './service/codeActions';
import { toDiagnostics } from './service/diagnostics';
import { hover } from './service/hover';
import { codeActionProblem, executeCommandProblem, hoverProblem } from './service/params';
import { incrementalDocuments } from './service/incrementalDocuments';
import { pathIndex } from './service/openDocuments';
import { scanCommand, scanWorkspace } from './service/scan';
import { defaultServerSettings, toServerSettings, type ServerSettings } from './service/settings';
import { serverPolicy } from './service/policy';
import { today } from './suppressions';
import { checkLibraryFile, isLibraryPath } from './libraries';
import { serverAdvisories } from './service/advisories';
import { connect, guardedDocuments } from './transport';
import { isExcluded, isWithin, pathOfUri, readTextFile } from './workspace';

const connection = connect(process.argv.slice(2));
const documents = new TextDocuments(TextDocument);
let client: ClientCapabilities = {};
let initialFolders: string[] = [];
/** Whether the client asks for a suppression's reason itself (VS Code's `pinwatch.ignoreFinding` command). */
let promptsForReason = false;
let settings: ServerSettings = defaultServerSettings;
const timers = new Map<string, NodeJS.Timeout>();
/** The analysis behind each open document's diagnostics, with the version it was computed on (for hovers). */
const analysed = new Map<string, { version: number; analysis: Analysis }>();
/** The diagnostics last published, by URI (open or not); absent when none. */
const published = new Map<string, Diagnostic[]>();
/** The files the last workspace scan flagged: closing one keeps its diagnostics, recomputed from disk. */
const scanned = new Set<string>();
/** Big lockfiles are re-analysed one entry at a time as the user types. */
const incremental = incrementalDocuments();
/** The open documents by path (see openDocumentAt). */
const openByPath = pathIndex(pathOfUri);
/** The bundled, stored and configured advisories; a change to the store re-reads the settings and re-checks documents. */
const policies = serverPolicy({ folders: () => initialFolders, today: () => settings.engine.today ?? today(), log: (m) => connection.console.error(m) });
const advisories = serverAdvisories({ warn: (m) => void connection.window.showWarningMessage(`Pinwatch: ${m}`), changed: () => void reloadSettings() });

connection.onInitialize((params) => {
  client = params.capabilities;
  const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  initialFolders = folders.flatMap((uri) => pathOfUri(uri) ?? []);
  promptsForReason = (params.initializationOptions as { promptForIgnoreReason?: unknown } | null | undefined)?.promptForIgnoreReason === true;
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
// A policy file changed (the client watches `.pinwatch.yaml`): its suppressions and advisories apply anew.
connection.onDidChangeWatchedFiles(() => {
  incremental.forget();
  for (const document of documents.all()) schedule(document, 0);
});
connection.onDidChangeConfiguration((params) => void reloadSettings((params.settings as { pinwatch?: unknown } | null)?.pinwatch));

// Fired on open too: a document not yet analysed (or waiting) is analysed at once, later changes are debounced.
documents.onDidChangeContent(({ document }) => schedule(document, analysed.has(document.uri) || timers.has(document.uri) ? settings.debounceMs : 0));
documents.onDidOpen(({ document }) => openByPath.open(document.uri));
documents.onDidClose(({ document: { uri } }) => {
  openByPath.close(uri, documents.keys());
  clearTimeout(timers.get(uri));
  timers.delete(uri);
  analysed.delete(uri);
  incremental.forget(uri);
  const path = scanned.has(uri) ? pathOfUri(uri) : undefined;
  publish(uri, (path ? analysisOf(path, readTextFile(path)) : undefined) ?? empty);
});

// Requests are registered by method, so their params are checked here before the library reads any of them.
checkedRequest<CodeActionParams>(CodeActionRequest.method, 'code action', codeActionProblem, (params) => {
  const { textDocument, range, context } = params;
  const document = documents.get(textDocument.uri);
  const options = {
    documentChanges: client.workspace?.workspaceEdit?.documentChanges === true,
    published: published.get(textDocument.uri) ?? [],
    openDocument: (uri: string) => documents.get(uri),
    readFile: (uri: string) => readTextFile(pathOfUri(uri)),
    ignore: { prompt: promptsForReason, folders: initialFolders },
  };
  return document ? safely('code actions', [], () => codeActions(document, range, context, options)) : [];
});

checkedRequest<HoverParams>(HoverRequest.method, 'hover', hoverProblem, (params) => {
  const document = documents.get(params.textDocument.uri);
  const last = analysed.get(params.textDocument.uri);
  return document && last?.version === document.version ? safely('hover', null, () => hover(last.analysis.findings, params.position, advisories.describe())) : null;
});

checkedRequest<ExecuteCommandParams>(ExecuteCommandRequest.method, 'executeCommand', executeCommandProblem, async (params, token) => {
  const workDone = connection.languages.attachWorkDoneProgress(params);
  if (params.command !== scanCommand) return new ResponseError(ErrorCodes.InvalidParams, `Unknown command '${params.command}'`);
  // The client's token when it passed one; else a progress the server creates, when the client can show it.
  const progress = WorkDoneProgressReporter.isNullInstance(workDone) && client.window?.workDoneProgress ? await connection.window.createWorkDoneProgress() : workDone;
  const progressToken = 'token' in progress ? (progress.token as typeof token) : undefined;
  progress.begin('Pinwatch: scanning the workspace', 0, undefined, true);
  try {
    // Formats that read binary files (rpmdb.sqlite) load what they need first.
    await Promise.all(formats.map((format) => format.prepare?.()));
    const summary = await scanWorkspace({
      roots: await workspaceFolders(),
      exclude: settings.exclude,
      isCancelled: () => token.isCancellationRequested || progressToken?.isCancellationRequested === true,
      analyzeFile: (path) => {
        // A library is checked by its bytes, streamed; it is never opened as a text document.
        if (isLibraryPath(path) && !formatFor(path)) {
          const checked = checkLibraryFile(path, settings.engine);
          return 'analysis' in checked ? policies.apply(path, checked.analysis) : undefined;
        }
        const document = openDocumentAt(path);
        if (!document && formatFor(path)?.extractBytes) return bytesAnalysisOf(path) ?? empty;
        const text = document ? document.getText() : readTextFile(path);
        return text === undefined ? undefined : (analysisOf(path, text, document?.uri) ?? empty);
      },
      publish: (path, analysis) => {
        const document = openDocumentAt(path);
        const uri = document?.uri ?? pathToFileURL(path).href;
        if (analysis.findings.length > 0 || analysis.problems.length > 0) scanned.add(uri);
        else scanned.delete(uri);
        if (document) analysed.set(uri, { version: document.version, analysis });
        publish(uri, analysis, document?.version);
      },
      progress: (percentage, message) => progress.report(percentage, message),
    });
    for (const { path, reason } of summary.skipped) connection.console.warn(`Pinwatch: ${path}: not read: ${reason}`);
    for (const { path, reason } of summary.incomplete) connection.console.warn(`Pinwatch: ${path}: read only in part: ${reason}`);
    return summary;
  } finally {
    progress.done();
  }
});

/** Registers a request handler that runs only on params `check` accepts; others are answered with -32602. */
function checkedRequest<P>(method: string, name: string, check: (params: unknown) => string | undefined, handler: (params: P, token: CancellationToken) => unknown): void {
  connection.onRequest(method, (params: unknown, token: CancellationToken) => {
    const invalid = check(params);
    return invalid ? new ResponseError(ErrorCodes.InvalidParams, `Invalid ${name} params: ${invalid}`) : handler(params as P, token);
  });
}

documents.listen(guardedDocuments(connection, (message) => connection.console.error(`Pinwatch: ${message}`), (params) => incremental.noteChange(documents.get(params.textDocument.uri), params)));
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
  advisories.apply(settings.advisories);
  void connection.sendNotification('pinwatch/advisories', { description: advisories.describe() });
  incremental.forget();
  for (const document of documents.all()) schedule(document, 0);
}

// One timer per document, and each analysis in its own macrotask, so messages are read between documents.
function schedule(document: TextDocument, delay: number): void {
  const { uri, version } = document;
  // An unsaved Dockerfile has no file name: its language says what it is.
  const path = pathOfUri(uri) ?? (document.languageId === 'dockerfile' ? 'Dockerfile' : undefined);
  if (!path || !formatFor(path)) return;
  clearTimeout(timers.get(uri));
  timers.set(uri, setTimeout(() => safely(`analysing ${uri}`, undefined, () => {
    timers.delete(uri);
    const current = documents.get(uri);
    const analysis = current?.version === version ? currentAnalysis(current, path) : undefined;
    if (analysis === undefined) return;
    analysed.set(uri, { version, analysis });
    publish(uri, analysis, version);
  }), delay));
}

const empty: Analysis = { findings: [], problems: [] };

/** An open document's analysis: incremental for a big lockfile after an edit inside one entry, else whole. */
function currentAnalysis(document: TextDocument, path: string): Analysis | undefined {
  if (!settings.enable || isExcluded(path, initialFolders, settings.exclude)) {
    incremental.forget(document.uri);
    return analysisOf(path, document.getText(), document.uri);
  }
  const readFile = readSibling;
  return policies.analyse(path, (index) => {
    const context = { uri: document.uri, readFile, listFolder: listSibling, ...(index ? { index } : {}) };
    const full = () => rawAnalysis(path, document.getText(), context);
    return safely(`analysing ${path}`, undefined, () => incremental.analyse(document, path, settings.engine, context, full));
  });
}

/** The analysis of one file under the current settings and its policy; undefined (logged) when the analysis failed. */
function analysisOf(path: string, text: string | undefined, uri = pathToFileURL(path).href): Analysis | undefined {
  if (text === undefined || !settings.enable || isExcluded(path, initialFolders, settings.exclude)) return empty;
  const readFile = readSibling;
  return policies.analyse(path, (index) => rawAnalysis(path, text, { uri, readFile, listFolder: listSibling, ...(index ? { index } : {}) }));
}

/** The engine's analysis of one file, its read problems logged; undefined (logged) when the analysis failed. */
function rawAnalysis(path: string, text: string, context: AnalyzeContext): Analysis | undefined {
  const analysis = safely(`analysing ${path}`, undefined, () => analyzeFile(path, text, settings.engine, context));
  for (const problem of analysis?.problems ?? []) connection.console.info(`Pinwatch: ${path}:${problem.range.start.line + 1}: ${problem.message}`);
  return analysis;
}

/** The analysis of a binary file a format reads from its bytes (rpmdb.sqlite), under its policy; undefined when it cannot be read. */
function bytesAnalysisOf(path: string): Analysis | undefined {
  if (!settings.enable || isExcluded(path, initialFolders, settings.exclude)) return empty;
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch {
    return undefined;
  }
  const readFile = readSibling;
  return policies.analyse(path, (index) => safely(`analysing ${path}`, undefined, () => analyzeBytes(path, bytes, settings.engine, { readFile, ...(index ? { index } : {}) })));
}

/**
 * A file an analysis reads besides its own (a lockfile's package.json, a root filesystem's etc/os-release): the
 * open document, else the file on disk when its real path is inside a workspace folder, as the CLI reads only
 * inside its roots. A link out of the workspace (an image's absolute `etc/os-release` link) would read this
 * machine's file instead of the tree's, so it is not read.
 */
function readSibling(sibling: string): string | undefined {
  const open = openDocumentAt(sibling);
  if (open) return open.getText();
  if (initialFolders.length === 0) return readTextFile(sibling);
  const real = realQuiet(sibling);
  if (real === undefined || !initialFolders.some((folder) => isWithin(realQuiet(folder) ?? folder, real))) return undefined;
  return readTextFile(sibling);
}

/** The names in a folder an analysis lists besides its file (a pacman database), under the same rule as `readSibling`. */
function listSibling(folder: string): readonly string[] | undefined {
  const real = realQuiet(folder);
  if (real === undefined || (initialFolders.length > 0 && !initialFolders.some((f) => isWithin(realQuiet(f) ?? f, real)))) return undefined;
  try {
    return readdirSync(folder);
  } catch {
    return undefined;
  }
}

function realQuiet(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
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
function publish(uri: string, analysis: Analysis, version?: number): void {
  const diagnostics = toDiagnostics(analysis.findings, analysis.problems, analysis.notices);
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
  const uri = openByPath.uriAt(path);
  return uri === undefined ? undefined : documents.get(uri);
}
