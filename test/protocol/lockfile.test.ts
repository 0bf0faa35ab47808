import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  type CodeAction,
  type TextDocumentEdit,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { repoRoot, start } from './client';

const app = join(repoRoot, 'test', 'fixtures', 'workspace', 'app');
const lockUri = pathToFileURL(join(app, 'package-lock.json')).href;
const packageJsonUri = pathToFileURL(join(app, 'package.json')).href;
const lockText = readFileSync(join(app, 'package-lock.json'), 'utf8');

test('a lockfile quick fix edits the package.json on disk beside it, unversioned', { timeout: 10_000 }, async () => {
  const session = await start();
  const opened = session.nextDiagnostics(lockUri);
  await session.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: lockUri, languageId: 'json', version: 1, text: lockText } });
  const { diagnostics } = await opened;
  assert.deepStrictEqual(diagnostics.map((d) => [d.range, d.code]), [[{ start: { line: 14, character: 18 }, end: { line: 14, character: 23 } }, 'compromised-version']]);
  const actions = (await session.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: lockUri }, range: diagnostics[0]!.range, context: { diagnostics } })) as CodeAction[];
  const changes = actions[0]!.edit!.documentChanges as TextDocumentEdit[];
  assert.deepStrictEqual(changes.map((c) => c.textDocument), [{ uri: packageJsonUri, version: null }]);
  const packageJson = TextDocument.create(packageJsonUri, 'json', 0, readFileSync(join(app, 'package.json'), 'utf8'));
  assert.equal(
    TextDocument.applyEdits(packageJson, changes[0]!.edits as TextEdit[]),
    '{\n  "name": "app",\n  "version": "1.0.0",\n  "dependencies": {\n    "chalk": "5.6.0"\n  },\n  "overrides": {\n    "chalk": "$chalk"\n  }\n}\n',
  );
  assert.equal(await session.close(), 0);
});

test('debounces typing: only the last of quick successive versions is analysed and published', { timeout: 10_000 }, async () => {
  const session = await start({ settings: { debounceMs: 150 } });
  const opened = session.nextDiagnostics(lockUri);
  await session.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: lockUri, languageId: 'json', version: 1, text: lockText } });
  await opened;
  const last = session.nextDiagnostics(lockUri, (p) => p.version === 4);
  // Retype the flagged version 5.6.1 -> 5.6.0 -> 5.6.1 -> 5.6.0, one character at a time.
  for (const [version, digit] of [[2, '0'], [3, '1'], [4, '0']] as const) {
    await session.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: lockUri, version },
      contentChanges: [{ range: { start: { line: 14, character: 22 }, end: { line: 14, character: 23 } }, text: digit }],
    });
  }
  assert.deepStrictEqual(await last, { uri: lockUri, version: 4, diagnostics: [] });
  assert.deepStrictEqual(session.published.map((p) => p.version), [1, 4]);
  assert.equal(await session.close(), 0);
});
