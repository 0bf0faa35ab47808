import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeFile } from '../../../server/src/engine';
import { bunLock } from '../../../server/src/formats/bunLock';
import { defaultSettings } from '../../../server/src/model';
import { jsFixture, lockRef, problem } from './jsLockHelpers';

const path = '/work/app/bun.lock';
const ref = (name: string, version: string, line: number, start: number, alias?: string) => lockRef('bun', 'bun.lock', name, version, line, start, alias);

test('packages: one reference per install, at the version inside its first string; workspace and git packages left out', () => {
  assert.deepStrictEqual(bunLock.extract(jsFixture('bun-lock/bun.lock'), path), [
    ref('@scope/widget', '2.0.1', 16, 37),
    ref('chalk', '5.6.1', 18, 21),
    ref('debug', '4.4.2', 22, 21),
    ref('ms', '2.1.3', 24, 15),
    ref('slice-ansi', '7.1.2', 26, 31),
    ref('strip-ansi', '7.1.1', 28, 35, 'strip-ansi-cjs'),
    ref('debug', '4.4.1', 30, 35),
  ]);
});

test('the engine flags exactly the compromised installs, and none of the look-alikes', () => {
  const flagged = analyzeFile(path, jsFixture('bun-lock/bun.lock'), defaultSettings, {}).findings.map((f) => [f.reference.range.start.line, f.reference.kind === 'package' ? `${f.reference.name}@${f.reference.version}` : '']);
  assert.deepStrictEqual(flagged, [[18, 'chalk@5.6.1'], [22, 'debug@4.4.2'], [28, 'strip-ansi@7.1.1']]);
});

test('a truncated file: the entries before the cut are checked, and a problem marks where reading stopped', () => {
  assert.deepStrictEqual(bunLock.extract(jsFixture('bun-lock/truncated.lock'), path), [
    ref('chalk', '5.6.1', 3, 21),
    ref('debug', '4.4.2', 4, 21),
    problem('syntax', 'bun.lock is not valid here (a string is not closed on its line). Pinwatch checked the entries before this point; entries after it may be missing.', 4, 59, 60),
  ]);
});

test('an unknown lockfileVersion, escapes, deep nesting and conflict markers', () => {
  assert.deepStrictEqual(bunLock.extract('{ "lockfileVersion": 7, "packages": { "a": ["chalk@5.6.\\u0031", ""], } }', path), [
    problem('syntax', 'lockfileVersion 7 is not one Pinwatch knows (0 and 1): it read the entries whose form it recognises, and others may be missing.', 0, 21, 22),
    // Written with an escape, the version is the whole string.
    { ...ref('chalk', '5.6.1', 0, 45, 'a'), range: { start: { line: 0, character: 45 }, end: { line: 0, character: 61 } } },
  ]);
  // An escape in the name only: the version is where it is written (fuzz bun-lock: token).
  const named = '{ "lockfileVersion": 1, "packages": { "chalk": ["ch\\u0061lk@5.6.1", ""] } }';
  assert.deepStrictEqual(bunLock.extract(named, path), [ref('chalk', '5.6.1', 0, named.indexOf('5.6.1'))]);
  const deep = `{ "x": ${'['.repeat(100_000)}`;
  assert.deepStrictEqual(bunLock.extract(deep, path), [problem('syntax', 'bun.lock is not valid here (nesting deeper than 500 levels, which Pinwatch does not read). Pinwatch checked the entries before this point; entries after it may be missing.', 0, 508, 509)]);
  const conflict = '{\n  "packages": {\n<<<<<<< ours\n    "chalk": ["chalk@5.6.0", "", {}, "sha512-A"],\n=======\n    "chalk": ["chalk@5.6.1", "", {}, "sha512-B"],\n>>>>>>> theirs\n  }\n}\n';
  assert.deepStrictEqual(bunLock.extract(conflict, path), [ref('chalk', '5.6.0', 3, 21), ref('chalk', '5.6.1', 5, 21)]);
});

test('bun.lockb is not read: one note that says so and how to get a text lockfile', () => {
  assert.deepStrictEqual(bunLock.extract('\u0000\u0001binary', '/work/app/bun.lockb'), [
    problem('limit', "bun.lockb is Bun's binary lockfile, which Pinwatch cannot read, so it was not checked. Run `bun install --save-text-lockfile` to write the text bun.lock, which Pinwatch checks.", 0, 0, 0),
  ]);
});
