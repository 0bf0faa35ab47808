import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  HoverRequest,
  type CodeAction,
  type Diagnostic,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { start, type Session } from './client';

const uri = pathToFileURL('/tmp/pinwatch-protocol/Dockerfile').href;
const flagged = 'FROM debian:sid\nRUN apt-get update && apt-get install -y xz-utils=5.6.1-1\n';
const fixed = 'FROM debian:sid\nRUN apt-get update && apt-get install -y xz-utils=5.6.1+really5.4.5-1\n';
const token = { start: { line: 1, character: 50 }, end: { line: 1, character: 57 } };

/** What the tests pin of a diagnostic: everything but the engine's wording. */
function shape(diagnostic: Diagnostic) {
  const data = diagnostic.data as { fixes: { edits: unknown[] }[]; advisoryId: string; aliases: string[] };
  return { range: diagnostic.range, severity: diagnostic.severity, code: diagnostic.code, source: diagnostic.source, alias: data.aliases[0], preferredEdits: data.fixes[0]?.edits };
}
const expectedXz = { range: token, severity: 1, code: 'compromised-version', source: 'pinwatch', alias: 'CVE-2024-3094', preferredEdits: [{ uri, range: token, newText: '5.6.1+really5.4.5-1', expected: '5.6.1-1' }] };

let session: Session;
before(async () => {
  session = await start({ settings: { debounceMs: 20 } });
});
after(async () => {
  if (session.server.exitCode === null && !session.server.killed) await session.close();
});

test('advertises push diagnostics sync, code actions, hover and the scan command', { timeout: 10_000 }, async () => {
  const other = await start();
  assert.deepStrictEqual(other.initializeResult.capabilities, {
    textDocumentSync: { openClose: true, change: 2 },
    codeActionProvider: { codeActionKinds: ['quickfix', 'source.fixAll.pinwatch'] },
    hoverProvider: true,
    executeCommandProvider: { commands: ['pinwatch.scanWorkspace'] },
    workspace: { workspaceFolders: { supported: true } },
  });
  assert.equal(await other.close(), 0);
});

test('publishes the xz-utils 5.6.1-1 pin on open, and clears it after the edit to the safe version', { timeout: 10_000 }, async () => {
  const opened = session.nextDiagnostics(uri);
  await session.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dockerfile', version: 1, text: flagged } });
  const first = await opened;
  assert.deepStrictEqual({ version: first.version, diagnostics: first.diagnostics.map(shape) }, { version: 1, diagnostics: [expectedXz] });

  const changed = session.nextDiagnostics(uri, (p) => p.version === 2);
  await session.connection.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version: 2 },
    contentChanges: [{ range: token, text: '5.6.1+really5.4.5-1' }],
  });
  assert.deepStrictEqual(await changed, { uri, version: 2, diagnostics: [] });

  const reverted = session.nextDiagnostics(uri, (p) => p.version === 3);
  await session.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 3 }, contentChanges: [{ text: flagged }] });
  assert.deepStrictEqual((await reverted).diagnostics.map(shape), [expectedXz]);
});

test('offers the quick fix whose edit pins the safe version, and nothing once the text changed', { timeout: 10_000 }, async () => {
  const published = session.published.filter((p) => p.uri === uri).at(-1)!;
  const actions = (await session.connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri },
    range: { start: token.start, end: token.start },
    context: { diagnostics: published.diagnostics, only: ['quickfix'] },
  })) as CodeAction[];
  assert.deepStrictEqual(actions.map((a) => [a.kind, a.isPreferred, a.diagnostics?.length]), [['quickfix', true, 1], ...actions.slice(1).map(() => ['quickfix', false, 1])]);
  const change = actions[0]!.edit!.documentChanges![0] as { textDocument: { uri: string; version: number }; edits: TextEdit[] };
  assert.deepStrictEqual(change.textDocument, { uri, version: 3 });
  assert.equal(TextDocument.applyEdits(TextDocument.create(uri, 'dockerfile', 3, flagged), change.edits), fixed);

  const fixAll = (await session.connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri },
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    context: { diagnostics: [], only: ['source.fixAll'] },
  })) as CodeAction[];
  assert.deepStrictEqual(fixAll.map((a) => [a.kind, a.title]), [['source.fixAll.pinwatch', 'Fix the Pinwatch finding']]);

  const changed = session.nextDiagnostics(uri, (p) => p.version === 4);
  await session.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 4 }, contentChanges: [{ range: token, text: '5.6.0-0.1' }] });
  const stale = await session.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: token, context: { diagnostics: published.diagnostics } });
  assert.deepStrictEqual(stale, []);
  await changed;
  const restored = session.nextDiagnostics(uri, (p) => p.version === 5);
  await session.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 5 }, contentChanges: [{ text: flagged }] });
  await restored;
});

test('hovers on the flagged token with the advisory, and not elsewhere', { timeout: 10_000 }, async () => {
  const hover = await session.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 1, character: 53 } });
  assert.ok(hover, 'a hover on the flagged token');
  const contents = hover.contents as { kind: string; value: string };
  const lines = contents.value.split('\n');
  assert.deepStrictEqual(
    { range: hover.range, kind: contents.kind, cve: lines[0]!.startsWith('**CVE-2024-3094**'), pin: lines[2], safe: lines.some((l) => l.startsWith('- Safe: `5.6.1+really5.4.5-1`')) },
    { range: token, kind: 'markdown', cve: true, pin: '`xz-utils` `5.6.1-1` (Debian sid)', safe: true },
  );
  assert.equal(await session.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 2 } }), null);
});

test('re-validates open documents when the configuration changes (ignore, enable)', { timeout: 10_000 }, async () => {
  session.settings = { debounceMs: 20, ignore: ['CVE-2024-3094'] };
  const ignored = session.nextDiagnostics(uri);
  await session.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  assert.deepStrictEqual((await ignored).diagnostics, []);

  session.settings = { debounceMs: 20 };
  const back = session.nextDiagnostics(uri);
  await session.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  assert.deepStrictEqual((await back).diagnostics.map(shape), [expectedXz]);

  session.settings = { enable: false };
  const disabled = session.nextDiagnostics(uri);
  await session.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  assert.deepStrictEqual((await disabled).diagnostics, []);

  session.settings = { exclude: ['/tmp/**'] };
  const excluded = session.nextDiagnostics(uri);
  await session.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  assert.deepStrictEqual((await excluded).diagnostics, []);
  session.settings = { debounceMs: 20 };
  const restored = session.nextDiagnostics(uri, (p) => p.diagnostics.length > 0);
  await session.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  await restored;
});

test('clears the diagnostics of a closed document', { timeout: 10_000 }, async () => {
  const cleared = session.nextDiagnostics(uri);
  await session.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  assert.deepStrictEqual(await cleared, { uri, diagnostics: [] });
});

test('analyses an unsaved Dockerfile by its language, with fixes on its untitled URI', { timeout: 10_000 }, async () => {
  const untitled = 'untitled:Untitled-1';
  const opened = session.nextDiagnostics(untitled);
  await session.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: untitled, languageId: 'dockerfile', version: 1, text: flagged } });
  const { diagnostics } = await opened;
  assert.deepStrictEqual(diagnostics.map(shape), [{ ...expectedXz, preferredEdits: [{ uri: untitled, range: token, newText: '5.6.1+really5.4.5-1', expected: '5.6.1-1' }] }]);
});

test('shuts down and exits with status 0', { timeout: 10_000 }, async () => {
  assert.equal(await session.close(), 0);
});
