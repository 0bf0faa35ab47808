// The language server honours a workspace's policy file: its `advisories:` judge the files under it, and
// advisories it names that cannot be read are a warning on the file, never a clean result.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DidOpenTextDocumentNotification, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { start } from './client';

const lockfile = JSON.stringify({
  name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true,
  packages: { '': { name: 'app', version: '1.0.0', dependencies: { 'team-evil': '2.0.1' } }, 'node_modules/team-evil': { version: '2.0.1' } },
}, null, 2) + '\n';

function workspace(advisories: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pinwatch-protocol-policy-'));
  mkdirSync(join(dir, 'advisories'));
  writeFileSync(join(dir, '.pinwatch.yaml'), `advisories: ${advisories}\n`);
  writeFileSync(join(dir, 'advisories', 'MAL-2099-7.json'), JSON.stringify({
    id: 'MAL-2099-7', modified: '2099-01-02T03:04:05Z', summary: 'Malicious code in team-evil (npm)',
    affected: [{ package: { ecosystem: 'npm', name: 'team-evil' }, versions: ['2.0.1'] }],
  }));
  writeFileSync(join(dir, 'package-lock.json'), lockfile);
  return dir;
}

const shape = (d: Diagnostic) => ({ range: d.range, severity: d.severity, code: d.code, message: String(d.message) });

test('a policy\'s advisories flag the open lockfile; unreadable ones are a warning at the top of it', { timeout: 20_000 }, async () => {
  for (const [advisories, expected] of [
    ['["./advisories"]', [{ range: { start: { line: 14, character: 18 }, end: { line: 14, character: 23 } }, severity: 1, code: 'compromised-version', message: 'team-evil 2.0.1 is a compromised release (MAL-2099-7). No safe release of it is known; remove it or move to another version the advisory does not list.' }]],
    ['["./gone"]', [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 2, code: 'incomplete-read' }]],
  ] as const) {
    const dir = workspace(advisories);
    const session = await start({ folder: dir, settings: { debounceMs: 20 } });
    const uri = pathToFileURL(join(dir, 'package-lock.json')).href;
    const published = session.nextDiagnostics(uri);
    await session.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'json', version: 1, text: lockfile } });
    const diagnostics = (await published).diagnostics.map(shape);
    if (advisories === '["./gone"]') {
      assert.match(diagnostics[0]!.message, /^The advisories of .*\.pinwatch\.yaml cannot be read, so this file was not checked against them: cannot read .*gone: no such file or folder/);
      assert.deepStrictEqual(diagnostics.map(({ message: _m, ...rest }) => rest), expected);
    } else assert.deepStrictEqual(diagnostics, expected);
    assert.equal(await session.close(), 0);
  }
});
