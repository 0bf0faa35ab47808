// The language server reads the files an analysis needs besides its own (a root filesystem's etc/os-release) only
// inside the workspace folders: an absolute link out of the tree would make the host machine's distribution the
// tree's, and hide what the tree has installed.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DidOpenTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { start } from './client';

const status = 'Package: liblzma5\nStatus: install ok installed\nArchitecture: amd64\nSource: xz-utils\nVersion: 5.6.1-1\nDescription: XZ-format compression library\n';

test('an etc/os-release that links out of the workspace is not read: the tree is judged as what it says it is', { timeout: 20_000 }, async () => {
  const outside = mkdtempSync(join(tmpdir(), 'pinwatch-host-'));
  writeFileSync(join(outside, 'os-release'), 'NAME="Ubuntu"\nID=ubuntu\nVERSION_ID="24.04"\nVERSION_CODENAME=noble\n');
  const folder = mkdtempSync(join(tmpdir(), 'pinwatch-rootfs-'));
  mkdirSync(join(folder, 'etc'));
  mkdirSync(join(folder, 'var', 'lib', 'dpkg'), { recursive: true });
  symlinkSync(join(outside, 'os-release'), join(folder, 'etc', 'os-release'));
  writeFileSync(join(folder, 'var', 'lib', 'dpkg', 'status'), status);
  const session = await start({ folder, settings: { debounceMs: 20 } });
  const uri = pathToFileURL(join(folder, 'var', 'lib', 'dpkg', 'status')).href;
  const published = session.nextDiagnostics(uri);
  await session.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'plaintext', version: 1, text: status } });
  const diagnostics = (await published).diagnostics;
  assert.deepStrictEqual(diagnostics.map((d) => ({ line: d.range.start.line, code: d.code, severity: d.severity })), [{ line: 4, code: 'compromised-version', severity: 1 }]);
  assert.equal(await session.close(), 0);
});
