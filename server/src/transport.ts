/**
 * How the language server talks to its client: the transport named on the command line (`--stdio` or
 * `--node-ipc`), a protocol error that ends the process loudly rather than leaving it deaf, and a view of the
 * connection that drops malformed document notifications before the document store sees them.
 */
import {
  createConnection,
  IPCMessageReader,
  IPCMessageWriter,
  ProposedFeatures,
  StreamMessageReader,
  StreamMessageWriter,
  type Connection,
  type DidChangeTextDocumentParams,
  type MessageReader,
  type MessageWriter,
} from 'vscode-languageserver/node';
import { didChangeProblem, didOpenProblem, documentProblem } from './service/params';

/** The one line printed when the server is started without a transport. */
export const serverUsage = 'Usage: pinwatch-language-server --stdio | --node-ipc   (a Language Server Protocol server; start it from an editor)';

/**
 * The connection for the transport in `argv`. Without one it prints the usage line and exits with status 2. A
 * stream that does not follow the protocol (a bad `Content-Length` header) cannot be resynchronised, since the
 * length of what follows is unknown: the error is logged on stderr and the process exits with status 1, so the
 * client sees the failure and can restart it.
 */
export function connect(argv: readonly string[]): Connection {
  let reader: MessageReader;
  let writer: MessageWriter;
  if (argv.includes('--stdio')) {
    reader = new StreamMessageReader(process.stdin);
    writer = new StreamMessageWriter(process.stdout);
  } else if (argv.includes('--node-ipc') && process.send !== undefined) {
    reader = new IPCMessageReader(process);
    writer = new IPCMessageWriter(process);
  } else {
    process.stderr.write(`${serverUsage}\n`);
    process.exit(2);
  }
  reader.onError((error) => {
    process.stderr.write(`pinwatch-language-server: protocol error, exiting: ${error.message.split('\n')[0]}\n`);
    process.exit(1);
  });
  const connection = createConnection(ProposedFeatures.all, reader, writer);
  // No message may end the process: what escapes a handler is logged and the server goes on.
  process.on('uncaughtException', (error) => connection.console.error(`Pinwatch: unexpected error: ${error.stack ?? String(error)}`));
  process.on('unhandledRejection', (error) => connection.console.error(`Pinwatch: unexpected error: ${error instanceof Error ? error.stack : String(error)}`));
  return connection;
}

type DocumentEvents = Pick<Connection, 'onDidOpenTextDocument' | 'onDidChangeTextDocument' | 'onDidCloseTextDocument' | 'onWillSaveTextDocument' | 'onWillSaveTextDocumentWaitUntil' | 'onDidSaveTextDocument'>;

/**
 * The document notifications of `connection`, each checked before the handler runs: a `didOpen` without text or a
 * `didChange` with a malformed range is logged through `log` and dropped, instead of throwing inside the document
 * store. `beforeChange` sees each valid change before the store applies it. Pass the result to `TextDocuments.listen`.
 */
export function guardedDocuments(connection: Connection, log: (message: string) => void, beforeChange?: (params: DidChangeTextDocumentParams) => void): Connection {
  const guard = (name: string, check: (params: unknown) => string | undefined) =>
    <P>(handler: (params: P) => void) => (params: P): void => {
      const problem = check(params);
      if (problem) log(`ignored a malformed ${name} notification: ${problem}`);
      else handler(params);
    };
  const events: DocumentEvents = {
    onDidOpenTextDocument: (handler) => connection.onDidOpenTextDocument(guard('didOpen', didOpenProblem)(handler)),
    onDidChangeTextDocument: (handler) =>
      connection.onDidChangeTextDocument(guard('didChange', didChangeProblem)((params: DidChangeTextDocumentParams) => {
        beforeChange?.(params);
        handler(params);
      })),
    onDidCloseTextDocument: (handler) => connection.onDidCloseTextDocument(guard('didClose', documentProblem)(handler)),
    onWillSaveTextDocument: (handler) => connection.onWillSaveTextDocument(guard('willSave', documentProblem)(handler)),
    onWillSaveTextDocumentWaitUntil: (handler) => connection.onWillSaveTextDocumentWaitUntil((params, token) => (documentProblem(params) ? [] : handler(params, token))),
    onDidSaveTextDocument: (handler) => connection.onDidSaveTextDocument(guard('didSave', documentProblem)(handler)),
  };
  // The document store also sets a private field on what it is given; keep it on the real connection.
  return new Proxy(connection, { get: (target, key, receiver) => (key in events ? events[key as keyof DocumentEvents] : Reflect.get(target, key, receiver)), set: (target, key, value) => Reflect.set(target, key, value) });
}
