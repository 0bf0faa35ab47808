import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PackageReference } from '../../../server/src/model';
import { extractLock, packageLock } from '../../../server/src/formats/packageLock';
import { repoRoot } from './packageLockHelpers';

const fixtures = join(repoRoot, 'test', 'fixtures', 'package-lock');
const lockPath = '/work/app/package-lock.json';

function fixture(name: string): string {
  return readFileSync(join(fixtures, name), 'utf8');
}

/** The reference a lockfile entry should give: its version on `line` from `start` to `end` (0-based). */
function ref(name: string, version: string, line: number, start: number, end: number): PackageReference {
  return {
    kind: 'package',
    ecosystem: 'npm',
    name,
    version,
    range: { start: { line, character: start }, end: { line, character: end } },
    context: 'package-lock.json',
    fix: { kind: 'npm-override', packageJson: '/work/app/package.json' },
  };
}

/** The fix of an entry installed under an npm alias: none, since an override of the real name may not reach it. */
function aliasFix(alias: string): { kind: 'none'; reason: string } {
  return { kind: 'none', reason: `It is installed under the alias ${alias}: change that alias's version in package.json, then run npm install.` };
}

test('reads the one package of a v3 lockfile and skips the root project', () => {
  assert.deepStrictEqual(packageLock.extract(fixture('one-package.v3.json'), lockPath), [ref('chalk', '5.6.1', 14, 18, 23)]);
});

test('names nested node_modules entries by their last segment, in document order', () => {
  assert.deepStrictEqual(packageLock.extract(fixture('nested-node-modules.v3.json'), lockPath), [
    ref('debug', '4.3.5', 15, 18, 23),
    ref('express', '4.19.2', 22, 18, 24),
    ref('debug', '4.4.2', 30, 18, 23),
    ref('ms', '2.1.3', 37, 18, 23),
    ref('ms', '2.1.2', 41, 18, 23),
  ]);
});

test('reads scoped packages from the packages map of a v2 lockfile, not its v1 copy', () => {
  assert.deepStrictEqual(packageLock.extract(fixture('scoped-packages.v2.json'), lockPath), [
    ref('@ctrl/tinycolor', '4.1.1', 15, 18, 23),
    ref('@nx/devkit', '21.4.1', 19, 18, 24),
    ref('@ctrl/tinycolor', '4.1.0', 23, 18, 23),
  ]);
});

test('names an alias by the real package, from its name field or its tarball URL', () => {
  assert.deepStrictEqual(packageLock.extract(fixture('alias.v3.json'), lockPath), [
    { ...ref('chalk', '5.6.1', 16, 18, 23), via: 'npm alias my-chalk', fix: aliasFix('my-chalk') },
    { ...ref('strip-ansi', '6.0.1', 21, 18, 23), via: 'npm alias strip-ansi-cjs', fix: aliasFix('strip-ansi-cjs') },
    { ...ref('@ctrl/tinycolor', '4.1.2', 26, 18, 23), via: 'npm alias tiny', fix: aliasFix('tiny') },
  ]);
});

test('walks the nested dependencies of a v1 lockfile, reads npm: aliases and skips git and file specs', () => {
  assert.deepStrictEqual(packageLock.extract(fixture('v1-dependencies.v1.json'), lockPath), [
    ref('chalk', '5.6.1', 7, 18, 23),
    ref('debug', '4.3.5', 11, 18, 23),
    ref('express', '4.19.2', 18, 18, 24),
    ref('debug', '4.4.2', 25, 22, 27),
    ref('ms', '2.1.2', 38, 18, 23),
    { ...ref('debug', '4.4.2', 42, 28, 33), via: 'npm alias old-debug', fix: aliasFix('old-debug') },
  ]);
});

test('skips workspace links, workspace folders and git dependencies, but reads what a workspace installs', () => {
  assert.deepStrictEqual(packageLock.extract(fixture('workspace-links.v3.json'), lockPath), [ref('chalk', '5.6.1', 28, 18, 23)]);
});

test('gives nothing for a lockfile with only the root project', () => {
  assert.deepStrictEqual(packageLock.extract(fixture('empty.v3.json'), lockPath), []);
});

test('gives nothing for text that is not JSON', () => {
  assert.deepStrictEqual(packageLock.extract(fixture('not-json.txt'), lockPath), []);
});

test('gives nothing for a truncated lockfile', () => {
  assert.deepStrictEqual(packageLock.extract(fixture('truncated.v3.json'), lockPath), []);
});

test('gives nothing for binary input, JSON that is not an object, or an object that is not a lockfile', () => {
  const binary = String.fromCharCode(...Array.from({ length: 256 }, (_, i) => (i * 37) % 256));
  for (const text of [binary, '', '[]', 'null', '"x"', '{"name": "not-a-lock"}', '{"packages": []}']) {
    assert.deepStrictEqual(extractLock(text, lockPath), [], JSON.stringify(text.slice(0, 20)));
  }
});

test('locates only the entries the filter keeps', () => {
  const text = fixture('nested-node-modules.v3.json');
  assert.deepStrictEqual(
    extractLock(text, lockPath, (name, version) => name === 'debug' && version === '4.4.2'),
    [ref('debug', '4.4.2', 30, 18, 23)],
  );
  assert.deepStrictEqual(extractLock(text, lockPath, () => false), []);
});

test('counts UTF-16 characters, CRLF line ends and a byte-order mark like the protocol', () => {
  const text = '\ufeff{\r\n  "name": "caf\u00e9 \ud83d\ude00",\r\n  "lockfileVersion": 3,\r\n  "packages": {"node_modules/chalk": {"note": "\ud83d\ude00", "version": "5.6.1"}}\r\n}\r\n';
  assert.deepStrictEqual(extractLock(text, lockPath), [ref('chalk', '5.6.1', 3, 64, 69)]);
});

test('reads an escaped key and keeps the last of two repeated keys, as JSON.parse does', () => {
  const text = '{"lockfileVersion": 3, "packages": {"node_modules/\\u0063halk": {"version": "5.6.0", "version": "5.6.1"}}}';
  assert.deepStrictEqual(extractLock(text, lockPath), [ref('chalk', '5.6.1', 0, 96, 101)]);
});

test('names the shrinkwrap file as the context and puts package.json beside a Windows path', () => {
  const text = fixture('one-package.v3.json');
  assert.deepStrictEqual(extractLock(text, 'C:\\app\\npm-shrinkwrap.json'), [
    { ...ref('chalk', '5.6.1', 14, 18, 23), context: 'npm-shrinkwrap.json', fix: { kind: 'npm-override', packageJson: 'C:\\app\\package.json' } },
  ]);
});
