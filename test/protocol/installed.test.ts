// The editor on SBOMs and package databases: an opened dpkg `status` shows its findings (the os-release beside it
// read from disk), and Scan Workspace includes every database and SBOM, rpm's binary rpmdb.sqlite too.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DidOpenTextDocumentNotification, ExecuteCommandRequest } from 'vscode-languageserver-protocol/node';
import { repoRoot, start } from './client';
import { rpmdbBytes } from '../unit/formats/installed/rpmdbFixture';

test('an opened status file shows its findings; Scan Workspace reads the databases and SBOMs, rpmdb.sqlite included', { timeout: 30_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pinwatch-installed-lsp-'));
  cpSync(join(repoRoot, 'test', 'fixtures', 'installed'), dir, { recursive: true });
  mkdirSync(join(dir, 'fedora/var/lib/rpm'), { recursive: true });
  writeFileSync(join(dir, 'fedora/var/lib/rpm/rpmdb.sqlite'), await rpmdbBytes([{ name: 'xz-libs', version: '5.6.1', release: '2.fc40' }]));
  const session = await start({ folder: dir });
  const status = join(dir, 'debian/var/lib/dpkg/status');
  const uri = pathToFileURL(status).href;
  const opened = session.nextDiagnostics(uri);
  await session.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'plaintext', version: 1, text: readFileSync(status, 'utf8') } });
  const diagnostics = await opened;
  assert.deepStrictEqual(diagnostics.diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.character} ${d.severity} ${d.code}`), ['22:9-16 1 compromised-version', '59:9-16 1 compromised-version']);
  const summary = await session.connection.sendRequest(ExecuteCommandRequest.type, { command: 'pinwatch.scanWorkspace', arguments: [] });
  assert.deepStrictEqual(summary, { filesScanned: 14, filesWithFindings: 9, findings: { error: 20, warning: 2, info: 0 }, cancelled: false, skipped: [], incomplete: [{ path: join(dir, 'sboms/bom.json'), reason: 'This package URL could not be read (Invalid purl: unable to decode "version" component), so its component was not checked.' }] });
  const rpm = session.published.find((p) => p.uri === pathToFileURL(join(dir, 'fedora/var/lib/rpm/rpmdb.sqlite')).href);
  assert.deepStrictEqual(rpm?.diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.code}`), ['0:0 compromised-version']);
  assert.equal(await session.close(), 0);
});
