import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  CancellationTokenSource,
  DidOpenTextDocumentNotification,
  ExecuteCommandRequest,
  WorkDoneProgress,
  WorkDoneProgressCancelNotification,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
} from 'vscode-languageserver-protocol/node';
import { repoRoot, start } from './client';

type Progress = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;
const fixture = join(repoRoot, 'test', 'fixtures', 'workspace');
const uriOf = (relativePath: string) => pathToFileURL(join(fixture, relativePath)).href;

/** A folder of many small Dockerfiles, so that a scan is still running when a cancellation arrives. */
const many = mkdtempSync(join(tmpdir(), 'pinwatch-many-'));
for (let d = 0; d < 40; d++) {
  mkdirSync(join(many, `service-${d}`));
  for (let f = 0; f < 50; f++) writeFileSync(join(many, `service-${d}`, `app-${f}.Dockerfile`), 'FROM debian:sid\nRUN apt-get install -y xz-utils=5.6.1+really5.4.5-1\n');
}
after(() => rmSync(many, { recursive: true, force: true }));

test('scans the workspace folder, publishes for unopened files and reports progress on the client token', { timeout: 20_000 }, async () => {
  const session = await start({ folder: fixture });
  const progress: Progress[] = [];
  session.connection.onProgress(WorkDoneProgress.type, 'scan-1', (value) => {
    progress.push(value);
  });
  const summary = await session.connection.sendRequest(ExecuteCommandRequest.type, { command: 'pinwatch.scanWorkspace', arguments: [], workDoneToken: 'scan-1' });
  assert.deepStrictEqual(summary, { filesScanned: 6, filesWithFindings: 3, findings: { error: 3, warning: 0, info: 0 }, cancelled: false, skipped: [], incomplete: [] });
  assert.deepStrictEqual(progress, [
    { kind: 'begin', title: 'Pinwatch: scanning the workspace', percentage: 0, cancellable: true },
    { kind: 'report', percentage: 0, message: 'Finding files' },
    { kind: 'report', percentage: 0, message: '0/6 files' },
    { kind: 'report', percentage: 16, message: '1/6 files' },
    { kind: 'report', percentage: 33, message: '2/6 files' },
    { kind: 'report', percentage: 50, message: '3/6 files' },
    { kind: 'report', percentage: 66, message: '4/6 files' },
    { kind: 'report', percentage: 83, message: '5/6 files' },
    { kind: 'end' },
  ]);
  assert.deepStrictEqual(
    session.published.map((p) => [p.uri, p.diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.code}`)]),
    [
      [uriOf('Dockerfile'), ['1:50 compromised-version']],
      [uriOf('app/package-lock.json'), ['14:18 compromised-version']],
      [uriOf('vendor/base/build.Dockerfile'), ['1:50 compromised-version']],
    ],
  );
  assert.deepStrictEqual(session.progressCreated, []);
  assert.equal(await session.close(), 0);
});

test('an open document is scanned from its editor text, not from disk', { timeout: 20_000 }, async () => {
  const session = await start({ folder: fixture, settings: { exclude: ['vendor', 'app'] } });
  const uri = uriOf('Dockerfile');
  const opened = session.nextDiagnostics(uri);
  await session.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dockerfile', version: 4, text: 'FROM debian:sid\n' } });
  await opened;
  const summary = await session.connection.sendRequest(ExecuteCommandRequest.type, { command: 'pinwatch.scanWorkspace', arguments: [] });
  assert.deepStrictEqual(summary, { filesScanned: 3, filesWithFindings: 0, findings: { error: 0, warning: 0, info: 0 }, cancelled: false, skipped: [], incomplete: [] });
  assert.deepStrictEqual(session.published.at(-1), { uri, version: 4, diagnostics: [] });
  assert.equal(await session.close(), 0);
});

test('stops when the request is cancelled after the first progress report', { timeout: 20_000 }, async () => {
  const session = await start({ folder: many });
  const source = new CancellationTokenSource();
  session.connection.onProgress(WorkDoneProgress.type, 'scan-2', (value) => {
    if (value.kind === 'report') source.cancel();
  });
  const summary = await session.connection.sendRequest(ExecuteCommandRequest.type, { command: 'pinwatch.scanWorkspace', arguments: [], workDoneToken: 'scan-2' }, source.token);
  assert.deepStrictEqual({ ...(summary as object), filesScanned: undefined }, { filesScanned: undefined, filesWithFindings: 0, findings: { error: 0, warning: 0, info: 0 }, cancelled: true, skipped: [], incomplete: [] });
  assert.ok((summary as { filesScanned: number }).filesScanned < 2000);
  assert.equal(await session.close(), 0);
});

test('creates its own progress when the client passes no token, and stops when that progress is cancelled', { timeout: 20_000 }, async () => {
  const session = await start({ folder: many });
  const kinds: string[] = [];
  // Registered as the create request is answered, so no notification on the new token can be missed.
  session.onProgressCreated = (token) => {
    session.connection.onProgress(WorkDoneProgress.type, token, (value) => {
      kinds.push(value.kind);
      if (value.kind === 'report' && kinds.filter((k) => k === 'report').length === 1) void session.connection.sendNotification(WorkDoneProgressCancelNotification.type, { token });
    });
  };
  const running = session.connection.sendRequest(ExecuteCommandRequest.type, { command: 'pinwatch.scanWorkspace', arguments: [] });
  const summary = (await running) as { cancelled: boolean };
  assert.deepStrictEqual({ cancelled: summary.cancelled, created: session.progressCreated.length, first: kinds[0], last: kinds.at(-1) }, { cancelled: true, created: 1, first: 'begin', last: 'end' });
  assert.equal(await session.close(), 0);
});

test('a client without pull diagnostics, configuration or progress support still gets pushed diagnostics and a scan', { timeout: 20_000 }, async () => {
  const session = await start({ folder: fixture, capabilities: {} });
  const uri = uriOf('app/package-lock.json');
  const opened = session.nextDiagnostics(uri);
  await session.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'json', version: 1, text: '{"lockfileVersion":3,"packages":{"node_modules/chalk":{"version":"5.6.1"}}}' } });
  const published = await opened;
  assert.deepStrictEqual(published.diagnostics.map((d) => [d.range, d.code, d.severity]), [[{ start: { line: 0, character: 66 }, end: { line: 0, character: 71 } }, 'compromised-version', 1]]);
  const summary = await session.connection.sendRequest(ExecuteCommandRequest.type, { command: 'pinwatch.scanWorkspace', arguments: [] });
  assert.deepStrictEqual((summary as { filesScanned: number }).filesScanned, 6);
  assert.deepStrictEqual([session.configurationRequests, session.progressCreated], [[], []]);
  assert.equal(await session.close(), 0);
});

test('the workspace scan checks a liblzma by its bytes and publishes the finding at the file, never reading it as text', { timeout: 20_000 }, async () => {
  const folder = mkdtempSync(join(tmpdir(), 'pinwatch-lib-'));
  after(() => rmSync(folder, { recursive: true, force: true }));
  const bytes = Buffer.alloc(3 * 1024 * 1024, 0x90);
  Buffer.from('f30f1efa554889f54c89ce5389fb81e7000000804883ec28488954241848894c2410', 'hex').copy(bytes, 1024 * 1024 - 10);
  mkdirSync(join(folder, 'lib'));
  writeFileSync(join(folder, 'lib', 'liblzma.so.5.6.1'), bytes);
  writeFileSync(join(folder, 'lib', 'liblzma.so.5.4.6'), Buffer.alloc(1024, 0x90));
  const session = await start({ folder });
  const summary = await session.connection.sendRequest(ExecuteCommandRequest.type, { command: 'pinwatch.scanWorkspace', arguments: [] });
  assert.deepStrictEqual(summary, { filesScanned: 2, filesWithFindings: 1, findings: { error: 1, warning: 0, info: 0 }, cancelled: false, skipped: [], incomplete: [] });
  const uri = pathToFileURL(join(folder, 'lib', 'liblzma.so.5.6.1')).href;
  assert.deepStrictEqual(
    session.published.filter((p) => p.diagnostics.length > 0).map((p) => [p.uri, p.diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.severity} ${d.code}`)]),
    [[uri, ['0:0-0:0 1 compromised-artifact']]],
  );
  assert.equal(await session.close(), 0);
});
