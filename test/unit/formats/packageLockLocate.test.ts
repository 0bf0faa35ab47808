import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PackageReference } from '../../../server/src/model';
import { extractLock, locateVersion, locateVersions, packageLockEntries } from '../../../server/src/formats/packageLock';
import { parseAlias, tarballName } from '../../../server/src/formats/npm/lockEntries';
import { generateLockfile, generateLockfileOfSize } from '../../../bench/lockfiles';
import { repoRoot, sharedDir } from './packageLockHelpers';

const fixtures = join(repoRoot, 'test', 'fixtures', 'package-lock');

/** The text a range covers, for checks that every range holds its version. */
function textAt(lines: string[], reference: PackageReference): string {
  const { start, end } = reference.range;
  return start.line === end.line ? lines[start.line]!.slice(start.character, end.character) : '';
}

test('lists every entry with its real name, version and key path', () => {
  const text = readFileSync(join(fixtures, 'alias.v3.json'), 'utf8');
  assert.deepStrictEqual(packageLockEntries(text), [
    { name: 'chalk', version: '5.6.1', path: ['packages', 'node_modules/my-chalk'], alias: 'my-chalk' },
    { name: 'strip-ansi', version: '6.0.1', path: ['packages', 'node_modules/strip-ansi-cjs'], alias: 'strip-ansi-cjs' },
    { name: '@ctrl/tinycolor', version: '4.1.2', path: ['packages', 'node_modules/tiny'], alias: 'tiny' },
  ]);
});

test('gives v1 entries the key path through the dependencies tree', () => {
  const text = readFileSync(join(fixtures, 'v1-dependencies.v1.json'), 'utf8');
  assert.deepStrictEqual(packageLockEntries(text)?.map((entry) => entry.path), [
    ['dependencies', 'chalk'],
    ['dependencies', 'debug'],
    ['dependencies', 'express'],
    ['dependencies', 'express', 'dependencies', 'debug'],
    ['dependencies', 'ms'],
    ['dependencies', 'old-debug'],
  ]);
});

test('tells a lockfile with nothing installed from text that is not a lockfile', () => {
  assert.deepStrictEqual(packageLockEntries('{"lockfileVersion": 3}'), []);
  assert.deepStrictEqual(
    ['{"name": "x"}', '[1]', 'not json', '{"packages": {"node_modules/a": {"version": "1.0.0"}'].map(packageLockEntries),
    [undefined, undefined, undefined, undefined],
  );
});

test('locates the version inside its quotes, and nothing for a missing entry or bad text', () => {
  const text = readFileSync(join(fixtures, 'nested-node-modules.v3.json'), 'utf8');
  assert.deepStrictEqual(locateVersion(text, ['packages', 'node_modules/express/node_modules/debug']), {
    start: { line: 30, character: 18 },
    end: { line: 30, character: 23 },
  });
  assert.deepStrictEqual(locateVersions(text, [['packages', 'node_modules/nope'], ['packages'], ['packages', 'node_modules/ms']]), [
    undefined,
    undefined,
    { start: { line: 41, character: 18 }, end: { line: 41, character: 23 } },
  ]);
  assert.deepStrictEqual(locateVersion(text.slice(0, 700), ['packages', 'node_modules/ms']), undefined);
  assert.deepStrictEqual(locateVersion('{"packages": {"node_modules/a": {"version": 5}}}', ['packages', 'node_modules/a']), undefined);
});

test('reads the real name from registry tarball URLs, scoped, encoded or behind a mirror prefix', () => {
  assert.deepStrictEqual(
    [
      'https://registry.npmjs.org/chalk/-/chalk-5.6.1.tgz',
      'https://registry.npmjs.org/@ctrl/tinycolor/-/tinycolor-4.1.1.tgz',
      'https://registry.npmjs.org/@ctrl%2ftinycolor/-/tinycolor-4.1.1.tgz',
      'https://mirror.example.com/api/npm/npm-remote/@nx/devkit/-/devkit-21.5.0.tgz',
      'https://example.com/downloads/chalk-5.6.1.tgz',
      'https://registry.npmjs.org/chalk/-/other-5.6.1.tgz',
      'git+ssh://git@github.com/chalk/chalk.git#abc',
      undefined,
    ].map(tarballName),
    ['chalk', '@ctrl/tinycolor', '@ctrl/tinycolor', '@nx/devkit', undefined, undefined, undefined, undefined],
  );
});

test('splits npm: aliases at the version separator, not the scope', () => {
  assert.deepStrictEqual(
    ['npm:debug@4.4.2', 'npm:@ctrl/tinycolor@4.1.1', 'npm:@ctrl/tinycolor', '4.4.2'].map(parseAlias),
    [{ name: 'debug', version: '4.4.2' }, { name: '@ctrl/tinycolor', version: '4.1.1' }, undefined, undefined],
  );
});

test('every prefix of a lockfile that is not yet JSON gives a problem and only whole entries; the whole text gives the whole result', () => {
  const text = readFileSync(join(fixtures, 'one-package.v3.json'), 'utf8');
  const whole = extractLock(text, '/app/package-lock.json');
  const versionEnd = text.indexOf('"5.6.1"', text.indexOf('node_modules/chalk')) + '"5.6.1"'.length;
  const wrong: number[] = [];
  for (let length = 0; length <= text.length; length++) {
    const prefix = text.slice(0, length);
    const got = extractLock(prefix, '/app/package-lock.json');
    // Once chalk's version string is closed, chalk is found; before, nothing is; and a problem until the text is JSON.
    const expected = length >= text.trimEnd().length ? whole : [...(length >= versionEnd ? whole : []), 'problem'];
    if (JSON.stringify(got.map((e) => (e.kind === 'problem' ? 'problem' : e))) !== JSON.stringify(expected)) wrong.push(length);
    locateVersion(prefix, ['packages', 'node_modules/chalk']);
  }
  assert.deepStrictEqual(wrong, []);
});

test('reads deep nesting without exhausting the stack, following v1 trees 200 levels down', () => {
  let v1 = '{"version": "4.4.2"}';
  for (let depth = 0; depth < 100_000; depth++) v1 = `{"version": "1.0.${depth % 10}", "dependencies": {"d": ${v1}}}`;
  const references = extractLock(`{"lockfileVersion": 1, "dependencies": {"d": ${v1}}}`, '/app/package-lock.json');
  assert.deepStrictEqual(references.length, 200);
  const array = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
  const v3 = `{"lockfileVersion": 3, "packages": {"node_modules/a": {"x": ${array}, "version": "1.0.0"}}}`;
  assert.deepStrictEqual(extractLock(v3, '/app/package-lock.json').map((reference) => reference.range), [
    { start: { line: 0, character: 200_074 }, end: { line: 0, character: 200_079 } },
  ]);
});

test('gives one reference per installed entry of a generated lockfile, each range holding its version', () => {
  const generated = generateLockfile(2000);
  const references = extractLock(generated.lockfile, '/app/package-lock.json') as PackageReference[];
  const lines = generated.lockfile.split('\n');
  assert.deepStrictEqual(
    { count: references.length, mismatched: references.filter((reference) => textAt(lines, reference) !== reference.version).length },
    { count: generated.entries, mismatched: 0 },
  );
});

test('reads a 5 MB lockfile and locates a planted entry by filter', () => {
  const generated = generateLockfileOfSize(5_000_000);
  const planted = generated.lockfile.replace('"node_modules/pkg-4": {\n      "version": "5.4.1"', '"node_modules/pkg-4": {\n      "version": "5.6.1"');
  const line = planted.split('\n').indexOf('    "node_modules/pkg-4": {') + 1;
  assert.deepStrictEqual(extractLock(planted, '/app/package-lock.json', (name, version) => name === 'pkg-4' && version === '5.6.1'), [
    {
      kind: 'package',
      ecosystem: 'npm',
      name: 'pkg-4',
      version: '5.6.1',
      range: { start: { line, character: 18 }, end: { line, character: 23 } },
      context: 'package-lock.json',
      fix: { kind: 'npm-override', packageJson: '/app/package.json' },
    },
  ]);
});

test('gives one reference per installed entry of the real npm corpus lockfile, each range holding its version', (t) => {
  const lockPath = join(sharedDir, 'corpus', 'npm-real', 'package-lock.json');
  if (!existsSync(lockPath)) {
    if (process.env.CI) assert.fail(`${lockPath} is missing`);
    t.skip('../shared/corpus/npm-real is not beside the repository');
    return;
  }
  const text = readFileSync(lockPath, 'utf8');
  const packages = (JSON.parse(text) as { packages: Record<string, { link?: boolean }> }).packages;
  const expected = Object.entries(packages).filter(([key, entry]) => key !== '' && entry.link !== true).length;
  const references = extractLock(text, lockPath) as PackageReference[];
  const lines = text.split('\n');
  assert.deepStrictEqual(
    { count: references.length, mismatched: references.filter((reference) => textAt(lines, reference) !== reference.version).length },
    { count: expected, mismatched: 0 },
  );
});
