import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PackageReference, ReadProblem } from '../../../server/src/model';
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

function problem(line: number, character: number, what: string): ReadProblem {
  const at = { line, character };
  return { kind: 'problem', reason: 'syntax', message: `package-lock.json is not valid JSON here: ${what}. Pinwatch checked the entries it could read; entries after this point may be missing.`, range: { start: at, end: at } };
}

test('reports text that is not JSON where it stops being JSON', () => {
  assert.deepStrictEqual(packageLock.extract(fixture('not-json.txt'), lockPath), [{ ...problem(0, 0, 'an unexpected character'), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 4 } } }]);
});

test('reads the whole entries of a truncated lockfile, and reports where it ends', () => {
  // The file ends inside chalk's entry, after its version: chalk 5.6.1 is installed, whatever followed.
  assert.deepStrictEqual(packageLock.extract(fixture('truncated.v3.json'), lockPath), [ref('chalk', '5.6.1', 14, 18, 23), { ...problem(15, 6, 'an unterminated string'), range: { start: { line: 15, character: 6 }, end: { line: 15, character: 8 } } }]);
});

test('never reads a version that the damage cut off: "5.6." is no version, "5.6.1" may be the start of "5.6.12"', () => {
  const head = '{"lockfileVersion": 3, "packages": {"node_modules/chalk": {"version": "5.6.1';
  assert.deepStrictEqual(extractLock(head, lockPath), [{ ...problem(0, 70, 'an unterminated string'), range: { start: { line: 0, character: 70 }, end: { line: 0, character: 76 } } }]);
  assert.deepStrictEqual(extractLock(`${head}2"`, lockPath), [{ ...ref('chalk', '5.6.12', 0, 71, 77) }, problem(0, 78, 'the file ends before a closing brace')]);
});

test('reads both sides of git conflict markers, each install once, at its own range', () => {
  const text = [
    '{',
    '  "lockfileVersion": 3,',
    '  "packages": {',
    '<<<<<<< HEAD',
    '    "node_modules/chalk": { "version": "5.6.1" },',
    '||||||| base',
    '    "node_modules/chalk": { "version": "5.5.0" },',
    '=======',
    '    "node_modules/chalk": { "version": "5.6.0" },',
    '>>>>>>> upgrade',
    '    "node_modules/debug": { "version": "4.4.2" }',
    '  }',
    '}',
  ].join('\n');
  assert.deepStrictEqual(extractLock(text, lockPath), [ref('chalk', '5.6.1', 4, 40, 45), ref('chalk', '5.6.0', 8, 40, 45), ref('debug', '4.4.2', 10, 40, 45)]);
});

test('gives nothing for JSON that is not an object or not a lockfile, and reports binary or empty input', () => {
  for (const text of ['[]', 'null', '"x"', '{"name": "not-a-lock"}', '{"packages": []}']) {
    assert.deepStrictEqual(extractLock(text, lockPath), [], JSON.stringify(text.slice(0, 20)));
  }
  const binary = String.fromCharCode(...Array.from({ length: 256 }, (_, i) => (i * 37) % 256));
  for (const text of [binary, '']) {
    assert.deepStrictEqual(extractLock(text, lockPath).map((e) => e.kind), ['problem'], JSON.stringify(text.slice(0, 20)));
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

/** The fix of a bundled entry: none, since its parent's published tarball carries it and an override cannot reach it. */
function bundledFix(parent: string): { kind: 'none'; reason: string } {
  return { kind: 'none', reason: `It is bundled inside the published package ${parent}, which an override cannot change: update ${parent} to a release that bundles a safe version.` };
}

/** The reference for the entry on `line` of `lines`, whose range is the value of its `"version"` member. */
function versionOn(lines: string[], line: number, name: string, version: string): PackageReference {
  const start = lines[line]!.indexOf('"version": "') + '"version": "'.length;
  return ref(name, version, line, start, start + version.length);
}

test('offers no override for a package bundled in another, naming the outermost package whose tarball carries it', () => {
  const lines = [
    '{"lockfileVersion": 3, "packages": {',
    '"": {"bundleDependencies": ["debug"]},',
    '"node_modules/debug": {"version": "4.4.2", "inBundle": true},',
    '"node_modules/b": {"version": "1.0.0", "bundleDependencies": ["c"]},',
    '"node_modules/b/node_modules/c": {"version": "1.0.0", "inBundle": true},',
    '"node_modules/b/node_modules/c/node_modules/chalk": {"version": "5.6.1", "inBundle": true},',
    '"packages/w/node_modules/strip-ansi": {"version": "7.1.1", "inBundle": true}',
    '}}',
  ];
  assert.deepStrictEqual(extractLock(lines.join('\n'), lockPath), [
    // Bundled by the project itself, or by a workspace: installed from the registry, so an override reaches it.
    versionOn(lines, 2, 'debug', '4.4.2'),
    versionOn(lines, 3, 'b', '1.0.0'),
    { ...versionOn(lines, 4, 'c', '1.0.0'), fix: bundledFix('b') },
    { ...versionOn(lines, 5, 'chalk', '5.6.1'), fix: bundledFix('b') },
    versionOn(lines, 6, 'strip-ansi', '7.1.1'),
  ]);
});

test('offers no override for a v1 entry marked bundled under another package', () => {
  const lines = [
    '{"lockfileVersion": 1, "dependencies": {',
    '"coa": {"version": "2.0.3", "bundled": true},',
    '"b": {"version": "1.0.0", "dependencies": {',
    '"c": {"version": "1.0.0", "bundled": true, "dependencies": {',
    '"chalk": {"version": "5.6.1", "bundled": true}}}}}',
    '}}',
  ];
  assert.deepStrictEqual(extractLock(lines.join('\n'), lockPath), [
    // Marked bundled at the top: the project bundles it, and installs it from the registry.
    versionOn(lines, 1, 'coa', '2.0.3'),
    versionOn(lines, 2, 'b', '1.0.0'),
    { ...versionOn(lines, 3, 'c', '1.0.0'), fix: bundledFix('b') },
    { ...versionOn(lines, 4, 'chalk', '5.6.1'), fix: bundledFix('b') },
  ]);
});

test('reads a version written with JSON escapes, over the whole string', () => {
  const text = '{"lockfileVersion": 3, "packages": {"node_modules/chalk": {"version": "5.6.\\u0031"}}}';
  assert.deepStrictEqual(extractLock(text, lockPath), [ref('chalk', '5.6.1', 0, 71, 81)]);
});

test('reads each install of a v2 lockfile once: from packages, or from dependencies when only that lists it', () => {
  const lines = [
    '{"lockfileVersion": 2, "packages": {',
    '"": {"workspaces": ["packages/*"]},',
    '"node_modules/chalk": {"version": "5.6.1"},',
    '"node_modules/foo": {"resolved": "packages/foo", "link": true},',
    '"packages/foo/node_modules/debug": {"version": "4.4.2"}',
    '}, "dependencies": {',
    '"chalk": {"version": "5.6.1"},',
    '"foo": {"version": "file:packages/foo", "dependencies": {"debug": {"version": "4.4.2"}}},',
    '"a": {"version": "1.0.0", "dependencies": {',
    '"slice-ansi": {"version": "7.1.1"}}}',
    '}}',
  ];
  assert.deepStrictEqual(extractLock(lines.join('\n'), lockPath), [
    versionOn(lines, 2, 'chalk', '5.6.1'),
    versionOn(lines, 4, 'debug', '4.4.2'),
    // Only in the legacy tree: a, and slice-ansi under it. What the workspace link holds is in packages already.
    versionOn(lines, 8, 'a', '1.0.0'),
    versionOn(lines, 9, 'slice-ansi', '7.1.1'),
  ]);
});

test('skips a package installed from a repository source archive, which is not the registry release', () => {
  const lines = [
    '{"lockfileVersion": 3, "packages": {',
    '"node_modules/chalk": {"version": "5.6.1", "resolved": "https://codeload.github.com/chalk/chalk/tar.gz/0123456789abcdef0123456789abcdef01234567"},',
    '"node_modules/debug": {"version": "4.4.2", "resolved": "https://github.com/debug-js/debug/archive/refs/tags/4.4.2.tar.gz"},',
    '"node_modules/slice-ansi": {"version": "7.1.1", "resolved": "git+https://github.com/chalk/slice-ansi.git#0123456789abcdef0123456789abcdef01234567"},',
    '"node_modules/strip-ansi": {"version": "7.1.1", "resolved": "https://registry.npmjs.org/strip-ansi/-/strip-ansi-7.1.1.tgz"}',
    '}}',
  ];
  assert.deepStrictEqual(extractLock(lines.join('\n'), lockPath), [versionOn(lines, 4, 'strip-ansi', '7.1.1')]);
});
