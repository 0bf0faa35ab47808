import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeFile } from '../../../server/src/engine';
import { pnpmLock } from '../../../server/src/formats/pnpmLock';
import { defaultSettings } from '../../../server/src/model';
import { jsFixture, lockRef, problem } from './jsLockHelpers';

const path = '/work/app/pnpm-lock.yaml';
const ref = (name: string, version: string, line: number, start: number, alias?: string) => lockRef('pnpm', 'pnpm-lock.yaml', name, version, line, start, alias);

test('9.x: one reference per installed package, at the version inside its packages key; snapshots, importers, links and tarballs add none', () => {
  assert.deepStrictEqual(pnpmLock.extract(jsFixture('pnpm-lock/v9.yaml'), path), [
    ref('@scope/widget', '2.0.1', 35, 17),
    ref('chalk', '5.6.1', 40, 8),
    ref('debug', '4.4.1', 44, 8),
    ref('debug', '4.4.2', 48, 8),
    ref('slice-ansi', '7.1.2', 51, 13),
    ref('string-width', '4.2.3', 54, 15),
  ]);
});

test('6.x: /name@version keys with peer suffixes, the root dependencies, and a git entry left out', () => {
  assert.deepStrictEqual(pnpmLock.extract(jsFixture('pnpm-lock/v6.yaml'), path), [
    ref('@babel/core', '7.24.0', 19, 15),
    ref('chalk', '5.6.1', 25, 9),
    ref('debug', '4.4.3', 30, 9),
    ref('strip-ansi', '7.1.1', 34, 14),
  ]);
});

test('5.4: /name/version keys, scoped, with _peer suffixes', () => {
  assert.deepStrictEqual(pnpmLock.extract(jsFixture('pnpm-lock/v5.yaml'), path), [
    ref('@types/debug', '4.1.12', 14, 16),
    ref('chalk', '5.6.2', 18, 9),
    ref('debug', '4.4.2', 23, 9),
    ref('@ctrl/tinycolor', '4.1.1', 29, 19),
  ]);
});

test('an importer version is the reference when the packages section lacks the package', () => {
  const text = "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      chalk:\n        specifier: ^5.6.0\n        version: 5.6.1\n      alias-strip:\n        specifier: npm:strip-ansi@7.1.1\n        version: strip-ansi@7.1.1\n      local:\n        specifier: workspace:*\n        version: link:../local\n";
  assert.deepStrictEqual(pnpmLock.extract(text, path), [ref('chalk', '5.6.1', 8, 17), ref('strip-ansi', '7.1.1', 11, 28, 'alias-strip')]);
});

test('the engine flags exactly the compromised entries of each version, and none of the look-alikes', () => {
  const flagged = (fixture: string) => analyzeFile(path, jsFixture(fixture), defaultSettings, {}).findings.map((f) => [f.reference.range.start.line, `${f.reference.kind === 'package' ? f.reference.name : ''}@${f.reference.kind === 'package' ? f.reference.version : ''}`, f.severity]);
  assert.deepStrictEqual(flagged('pnpm-lock/v9.yaml'), [[40, 'chalk@5.6.1', 'error'], [48, 'debug@4.4.2', 'error']]);
  assert.deepStrictEqual(flagged('pnpm-lock/v6.yaml'), [[25, 'chalk@5.6.1', 'error'], [34, 'strip-ansi@7.1.1', 'error']]);
  assert.deepStrictEqual(flagged('pnpm-lock/v5.yaml'), [[23, 'debug@4.4.2', 'error'], [29, '@ctrl/tinycolor@4.1.1', 'error']]);
});

test('merge conflict markers: both sides are read, each install once at its own line', () => {
  assert.deepStrictEqual(pnpmLock.extract(jsFixture('pnpm-lock/conflict.yaml'), path), [ref('chalk', '5.6.0', 5, 8), ref('chalk', '5.6.1', 8, 8), ref('debug', '4.4.2', 12, 8)]);
});

test('an unknown lockfileVersion and a cut last line are read problems, and what could be read is still checked', () => {
  assert.deepStrictEqual(pnpmLock.extract(jsFixture('pnpm-lock/unknown-version-truncated.yaml'), path), [
    problem('syntax', 'lockfileVersion 10.0 is not one Pinwatch knows (5.x, 6.x and 9.x): it read the entries whose form it recognises, and others may be missing.', 0, 18, 22),
    ref('chalk', '5.6.1', 4, 8),
    ref('debug', '4.4.2', 7, 8),
    problem('syntax', 'pnpm-lock.yaml ends in the middle of a line, so it may have been cut short here: this last line was not checked.', 8, 0, 9),
  ]);
});

test('tabs in the indentation, a stray top-level line, a missing lockfileVersion, CRLF and lone CR line breaks', () => {
  assert.deepStrictEqual(pnpmLock.extract('packages:\n\t/chalk@5.6.1:\njunk\n', path), [
    problem('syntax', 'pnpm-lock.yaml has no lockfileVersion, so it may not be a pnpm lockfile; Pinwatch read the entries it recognised.', 0, 0, 0),
    problem('syntax', 'pnpm-lock.yaml has a tab in its indentation here, which YAML does not allow, so pnpm cannot read it; Pinwatch read the entries it recognised.', 1, 0, 1),
    ref('chalk', '5.6.1', 1, 8),
    problem('syntax', 'pnpm-lock.yaml is not YAML that pnpm writes here (a top-level line without a key), so this part was not read.', 2, 0, 4),
  ]);
  for (const eol of ['\r\n', '\r']) {
    const text = ["lockfileVersion: '9.0'", '', 'packages:', '', '  chalk@5.6.1:', '    resolution: {integrity: sha512-A}', ''].join(eol);
    assert.deepStrictEqual(pnpmLock.extract(text, path), [ref('chalk', '5.6.1', 4, 8)], JSON.stringify(eol));
  }
});

test('extractWanted locates only the wanted entries', () => {
  assert.deepStrictEqual(pnpmLock.extractWanted!(jsFixture('pnpm-lock/v9.yaml'), path, (name, version) => name === 'debug' && version === '4.4.2'), [ref('debug', '4.4.2', 48, 8)]);
});
