// The policy file's `advisories:` key: OSV folders or dumps, relative to the policy file, that judge the files it
// governs, and no others; one that cannot be read stops the scan (exit 2) rather than passing what it lists.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { emptyCache, pinwatch } from './helpers';

const env = { PINWATCH_CACHE_DIR: emptyCache };

function lockfile(name: string, version: string): string {
  return JSON.stringify({
    name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true,
    packages: { '': { name: 'app', version: '1.0.0', dependencies: { [name]: version } }, [`node_modules/${name}`]: { version } },
  }, null, 2) + '\n';
}

/** A repository whose `team/` folder has a policy naming `./security/advisories`, and a sibling folder without one. */
function tree(advisories = '["./security/advisories"]'): string {
  const dir = mkdtempSync(join(tmpdir(), 'pinwatch-policy-advisories-'));
  mkdirSync(join(dir, '.git'));
  mkdirSync(join(dir, 'team', 'security', 'advisories'), { recursive: true });
  mkdirSync(join(dir, 'other'));
  writeFileSync(join(dir, 'team', '.pinwatch.yaml'), `advisories: ${advisories}\n`);
  writeFileSync(join(dir, 'team', 'security', 'advisories', 'MAL-2099-7.json'), JSON.stringify({
    id: 'MAL-2099-7', modified: '2099-01-02T03:04:05Z', summary: 'Malicious code in team-evil (npm)',
    affected: [{ package: { ecosystem: 'npm', name: 'team-evil' }, versions: ['2.0.1'] }],
  }));
  writeFileSync(join(dir, 'team', 'package-lock.json'), lockfile('team-evil', '2.0.1'));
  writeFileSync(join(dir, 'other', 'package-lock.json'), lockfile('team-evil', '2.0.1'));
  return dir;
}

const finding = 'team/package-lock.json:15:19: error team-evil 2.0.1 is a compromised release (MAL-2099-7). No safe release of it is known; remove it or move to another version the advisory does not list. [compromised-version]';

test('a policy\'s advisories judge the files under it, and only those', () => {
  const dir = tree();
  assert.deepStrictEqual(pinwatch(['scan', '.'], dir, undefined, env), {
    status: 1, stderr: '',
    stdout: `${finding}\n1 finding in 1 file (1 error, 0 warning, 0 info); 2 files scanned.\n`,
  });
  // Scanning the folder alone finds the same policy; --no-config leaves its advisories out too.
  assert.equal(pinwatch(['scan', 'team'], dir, undefined, env).stdout.split('\n')[0], finding);
  assert.deepStrictEqual(pinwatch(['scan', '.', '--no-config'], dir, undefined, env), { status: 0, stderr: '', stdout: 'No compromised pins found in 2 files.\n' });
});

test('a policy naming advisories that cannot be read is an error at the policy file, exit 2', () => {
  const dir = tree('["./missing"]');
  const run = pinwatch(['scan', '.'], dir, undefined, env);
  assert.deepStrictEqual({ status: run.status, stdout: run.stdout }, { status: 2, stdout: '' });
  assert.equal(run.stderr, `pinwatch: team/.pinwatch.yaml: advisories: cannot read ${join(dir, 'team', 'missing')}: no such file or folder\n`);
});
