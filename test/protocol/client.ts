/**
 * A real JSON-RPC client for the protocol tests: it spawns the bundled `dist/server.js --stdio`, answers the
 * server's requests (configuration, progress creation) and lets a test wait on notifications as events.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { after } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

import { repoRoot } from '../paths';

export { repoRoot };
export const serverPath = resolve(repoRoot, 'dist', 'server.js');

/** Capabilities of a capable client (VS Code-like, push diagnostics). */
export const fullCapabilities: ClientCapabilities = {
  workspace: { configuration: true, workspaceFolders: true, workspaceEdit: { documentChanges: true } },
  window: { workDoneProgress: true },
  textDocument: { publishDiagnostics: { versionSupport: true }, codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source'] } } } },
};

/** A running server and the client connected to it. */
export interface Session {
  connection: ProtocolConnection;
  server: ChildProcess;
  /** The settings the client answers `workspace/configuration` with (mutable between requests). */
  settings: Record<string, unknown>;
  /** Sections the server asked for, in order. */
  configurationRequests: string[];
  /** Resolves with the next diagnostics published for `uri` that satisfy `accept`. Call it before the action that triggers them. */
  nextDiagnostics(uri: string, accept?: (params: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams>;
  /** The progress tokens the server asked the client to create, in order. */
  progressCreated: (string | number)[];
  /** Called with each token the server asks to create, before the answer goes back. */
  onProgressCreated?: (token: string | number) => void;
  /** Every diagnostics notification received, in order. */
  published: PublishDiagnosticsParams[];
  initializeResult: InitializeResult;
  /** Shuts down and exits, resolving with the server's exit code. */
  close(): Promise<number | null>;
}

/** Servers still running; a test that fails before `close()` must not keep the test file alive. */
const running = new Set<ChildProcess>();
after(() => {
  for (const server of running) server.kill();
});

/** Starts the bundled server, initializes it with `capabilities` and the workspace folder, and sends initialized. */
export async function start(options: { capabilities?: ClientCapabilities; settings?: Record<string, unknown>; folder?: string } = {}): Promise<Session> {
  const server = spawn(process.execPath, [serverPath, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  running.add(server);
  server.once('exit', () => running.delete(server));
  const exited = new Promise<number | null>((done) => server.once('exit', (code) => done(code)));
  const connection = createProtocolConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
  const waiters: { uri: string; accept: (p: PublishDiagnosticsParams) => boolean; done: (p: PublishDiagnosticsParams) => void }[] = [];
  const session: Session = {
    connection,
    server,
    settings: options.settings ?? {},
    configurationRequests: [],
    published: [],
    progressCreated: [],
    initializeResult: { capabilities: {} },
    nextDiagnostics: (uri, accept = () => true) => new Promise((done) => waiters.push({ uri, accept, done })),
    close: async () => {
      await connection.sendRequest(ShutdownRequest.type);
      await connection.sendNotification(ExitNotification.type);
      const code = await exited;
      connection.dispose();
      return code;
    },
  };
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    session.published.push(params);
    for (const waiter of [...waiters]) {
      if (waiter.uri === params.uri && waiter.accept(params)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.done(params);
      }
    }
  });
  let answered: () => void = () => undefined;
  const configured = new Promise<void>((done) => (answered = done));
  connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) => {
    // The answer is written before anything the test sends next, so the server applies it first.
    setImmediate(answered);
    return params.items.map((item) => {
      session.configurationRequests.push(item.section ?? '');
      return item.section === 'pinwatch' ? session.settings : null;
    });
  });
  connection.onRequest('window/workDoneProgress/create', (params: { token: string | number }) => {
    session.progressCreated.push(params.token);
    session.onProgressCreated?.(params.token);
    return null;
  });
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('workspace/workspaceFolders', () =>
    options.folder ? [{ uri: pathToFileURL(options.folder).href, name: 'fixture' }] : null,
  );
  connection.listen();
  const folder = options.folder;
  const capabilities = options.capabilities ?? fullCapabilities;
  session.initializeResult = await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: folder ? pathToFileURL(folder).href : null,
    workspaceFolders: folder ? [{ uri: pathToFileURL(folder).href, name: 'fixture' }] : null,
    capabilities,
  });
  await connection.sendNotification(InitializedNotification.type, {});
  if (capabilities.workspace?.configuration) await configured;
  return session;
}

