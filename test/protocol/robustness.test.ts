import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DidOpenTextDocumentNotification, HoverRequest, CodeActionRequest, ExecuteCommandRequest} from 'vscode-languageserver-protocol/node';
import { serverPath, start, type Session } from './client';

const lockUri = pathToFileURL('/tmp/pinwatch-robust/package-lock.json').href;
const dockerUri = pathToFileURL('/tmp/pinwatch-robust/Dockerfile').href;

let session: Session;
before(async () => {
  session = await start({ settings: { debounceMs: 0 } });
});
after(async () => {
  if (session.server.exitCode === null && !session.server.killed) await session.close();
});

/** The error a request is answered with, or undefined when it succeeded. */
async function errorOf(request: Promise<unknown>): Promise<{ code: number; message: string } | undefined> {
  try {
    await request;
    return undefined;
  } catch (error) {
    const { code, message } = error as { code: number; message: string };
    return { code, message };
  }
}

test('a didOpen with text null, or with no textDocument, is dropped, and the server goes on answering', { timeout: 10_000 }, async () => {
  for (const textDocument of [{ uri: dockerUri, languageId: 'dockerfile', version: 1, text: null }, null, { uri: 42 }]) {
    await session.connection.sendNotification('textDocument/didOpen', { textDocument });
  }
  await session.connection.sendNotification('textDocument/didChange', { textDocument: { uri: dockerUri, version: 2 }, contentChanges: [{ range: { start: 'x' }, text: 'y' }] });
  const published = session.nextDiagnostics(dockerUri);
  await session.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: dockerUri, languageId: 'dockerfile', version: 3, text: 'FROM debian:sid\nRUN apt-get install -y xz-utils=5.6.1-1\n' } });
  assert.deepStrictEqual((await published).diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character]), [['compromised-version', 1, 32]]);
  assert.equal(session.server.exitCode, null);
});

test('requests with invalid params answer -32602 with a readable message, not an internal error', { timeout: 10_000 }, async () => {
  assert.deepStrictEqual(await errorOf(session.connection.sendRequest(HoverRequest.method, { textDocument: { uri: dockerUri }, position: { line: -1, character: 0 } })), {
    code: -32602,
    message: 'Invalid hover params: position.line and position.character must be non-negative integers',
  });
  assert.deepStrictEqual(await errorOf(session.connection.sendRequest(CodeActionRequest.method, { textDocument: { uri: dockerUri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } })), {
    code: -32602,
    message: 'Invalid code action params: context.diagnostics must be an array',
  });
  assert.deepStrictEqual(await errorOf(session.connection.sendRequest(ExecuteCommandRequest.method, { command: 'pinwatch.nothing' })), { code: -32602, message: "Unknown command 'pinwatch.nothing'" });
  // An unknown method is answered too, with JSON-RPC's "method not found".
  assert.equal((await errorOf(session.connection.sendRequest('pinwatch/unknown', {})))?.code, -32601);
  assert.equal(session.server.exitCode, null);
});

test('a lockfile that is not fully read gets a warning where reading stopped, beside its findings', { timeout: 10_000 }, async () => {
  const published = session.nextDiagnostics(lockUri);
  const text = '{"lockfileVersion": 3, "packages": {"node_modules/chalk": {"version": "5.6.1"}, "node_modules/debug": {"version": "4.4';
  await session.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: lockUri, languageId: 'json', version: 1, text } });
  const { diagnostics } = await published;
  assert.deepStrictEqual(diagnostics.map((d) => ({ code: d.code, severity: d.severity, start: d.range.start.character, end: d.range.end.character })), [
    { code: 'compromised-version', severity: 1, start: 71, end: 76 },
    { code: 'incomplete-read', severity: 2, start: 114, end: 118 },
  ]);
  assert.match(String(diagnostics[1]!.message), /^package-lock\.json is not valid JSON here: an unterminated string\./);
});

test('a bad Content-Length header ends the server with a one-line reason on stderr and status 1', { timeout: 10_000 }, async () => {
  const server = spawn(process.execPath, [serverPath, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  // The server may exit before the client stops writing: that is the point of the test, not a failure.
  server.stdin.on('error', () => undefined);
  server.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => server.once('exit', (code) => done(code)));
  // The pipe stays open: the server must not wait for more input, deaf, as it did before.
  server.stdin.write('Content-Length: abc\r\n\r\n{}');
  assert.equal(await exited, 1);
  assert.equal(stderr, 'pinwatch-language-server: protocol error, exiting: Content-Length value must be a number. Got abc\n');
  server.stdin.destroy();
});

test('without a transport flag the server prints one line of usage and exits 2', () => {
  const run = spawnSync(process.execPath, [serverPath], { encoding: 'utf8', input: '' });
  assert.deepStrictEqual({ status: run.status, stdout: run.stdout, stderr: run.stderr }, {
    status: 2,
    stdout: '',
    stderr: 'Usage: pinwatch-language-server --stdio | --node-ipc   (a Language Server Protocol server; start it from an editor)\n',
  });
});

/** Sends framed JSON-RPC messages exactly as given, and resolves with the responses to the given ids. */
async function raw(messages: readonly object[], ids: readonly number[]): Promise<Map<number, unknown>> {
  const server = spawn(process.execPath, [serverPath, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  server.stdin.on('error', () => undefined);
  const answers = new Map<number, unknown>();
  let buffer = Buffer.alloc(0);
  const done = new Promise<void>((resolve) => {
    server.stdout.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const headerEnd = buffer.indexOf('\r\n\r\n');
        if (headerEnd < 0) break;
        const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString())![1]);
        if (buffer.length < headerEnd + 4 + length) break;
        const message = JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString()) as { id?: number };
        buffer = buffer.subarray(headerEnd + 4 + length);
        if (typeof message.id === 'number' && ids.includes(message.id)) answers.set(message.id, message);
        if (answers.size === ids.length) resolve();
      }
    });
  });
  for (const message of messages) {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }));
    server.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    server.stdin.write(body);
  }
  await done;
  server.kill();
  return answers;
}

test('params: null, as a client may send it, answers -32602 naming what is missing', { timeout: 10_000 }, async () => {
  const answers = await raw(
    [
      { id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } },
      { method: 'initialized', params: {} },
      { id: 2, method: 'textDocument/hover', params: null },
      { id: 3, method: 'textDocument/codeAction', params: null },
      { id: 4, method: 'workspace/executeCommand', params: null },
    ],
    [1, 2, 3, 4],
  );
  assert.deepStrictEqual([2, 3, 4].map((id) => answers.get(id)), [
    { jsonrpc: '2.0', id: 2, error: { code: -32602, message: 'Invalid hover params: params must be an object with textDocument' } },
    { jsonrpc: '2.0', id: 3, error: { code: -32602, message: 'Invalid code action params: params must be an object with textDocument' } },
    { jsonrpc: '2.0', id: 4, error: { code: -32602, message: 'Invalid executeCommand params: executeCommand needs a command string' } },
  ]);
});
