import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeFile } from '../../../server/src/engine';
import { parseSpecs, yarnLock } from '../../../server/src/formats/yarnLock';
import { defaultSettings } from '../../../server/src/model';
import { jsFixture, lockRef, problem } from './jsLockHelpers';

const path = '/work/app/yarn.lock';
const ref = (name: string, version: string, line: number, start: number, alias?: string) => lockRef('yarn', 'yarn.lock', name, version, line, start, alias);

test('classic (v1): one reference per entry whatever the number of specs, at the version inside its quotes', () => {
  assert.deepStrictEqual(yarnLock.extract(jsFixture('yarn-lock/classic.lock'), path), [
    ref('@scope/widget', '2.0.1', 5, 11),
    ref('chalk', '5.6.1', 12, 11),
    ref('chalk', '5.6.2', 17, 11),
    // The dependency named `version` in the nested block is not the entry's version.
    ref('debug', '4.4.2', 22, 11),
    ref('debug', '4.4.1', 29, 11),
    ref('slice-ansi', '7.1.2', 37, 11),
    ref('strip-ansi', '7.1.1', 42, 11, 'strip-ansi-cjs'),
    ref('version', '1.0.0', 47, 11),
  ]);
});

test('Berry: the resolution names the package; workspace, patch and git entries are left out', () => {
  assert.deepStrictEqual(yarnLock.extract(jsFixture('yarn-lock/berry.lock'), path), [
    ref('@scope/widget', '2.0.1', 8, 11),
    ref('chalk', '5.6.1', 17, 11),
    ref('debug', '4.4.2', 30, 11),
    ref('debug', '4.4.3', 37, 11),
    ref('slice-ansi', '7.1.2', 52, 11),
    ref('strip-ansi', '7.1.1', 59, 11, 'strip-ansi-cjs'),
  ]);
});

test('the engine flags exactly the compromised entries of both syntaxes, and none of the look-alikes', () => {
  const flagged = (fixture: string) => analyzeFile(path, jsFixture(fixture), defaultSettings, {}).findings.map((f) => [f.reference.range.start.line, f.reference.kind === 'package' ? `${f.reference.name}@${f.reference.version}` : '', f.severity]);
  assert.deepStrictEqual(flagged('yarn-lock/classic.lock'), [[12, 'chalk@5.6.1', 'error'], [22, 'debug@4.4.2', 'error'], [42, 'strip-ansi@7.1.1', 'error']]);
  assert.deepStrictEqual(flagged('yarn-lock/berry.lock'), [[17, 'chalk@5.6.1', 'error'], [30, 'debug@4.4.2', 'error'], [59, 'strip-ansi@7.1.1', 'error']]);
});

test('specs: quoted or not, scoped, npm: aliases and protocols', () => {
  assert.deepStrictEqual(parseSpecs('chalk@^5.6.0, "chalk@>=5 <6"'), [{ name: 'chalk', real: 'chalk', range: '^5.6.0' }, { name: 'chalk', real: 'chalk', range: '>=5 <6' }]);
  assert.deepStrictEqual(parseSpecs('"@s/a@npm:^1.0.0, x@npm:@s/a@^1.0.0"'.slice(1, -1)), [{ name: '@s/a', real: '@s/a', range: 'npm:^1.0.0' }, { name: 'x', real: '@s/a', range: 'npm:^1.0.0' }]);
  assert.deepStrictEqual(parseSpecs('"a@workspace:."'), [{ name: 'a', real: 'a', range: 'workspace:.' }]);
  // Berry quotes the whole key, so no part has both quotes.
  assert.deepStrictEqual(parseSpecs('"b@npm:^1.0.0, a@npm:b@^1.0.0"'), [{ name: 'b', real: 'b', range: 'npm:^1.0.0' }, { name: 'a', real: 'b', range: 'npm:^1.0.0' }]);
});

test('Berry: a key naming an alias and the real name is installed under the real name, so the override fix applies', () => {
  const text = '__metadata:\n  version: 8\n\n"strip-ansi-cjs@npm:strip-ansi@^7.1.0, strip-ansi@npm:^7.1.0":\n  version: 7.1.1\n  resolution: "strip-ansi@npm:7.1.1"\n\n"my-debug@npm:debug@^4.4.0":\n  version: 4.4.2\n';
  assert.deepStrictEqual(yarnLock.extract(text, path), [ref('strip-ansi', '7.1.1', 4, 11), ref('debug', '4.4.2', 8, 11, 'my-debug')]);
});

test('tabs in the indentation and a cut last line are read problems; the rest is still checked', () => {
  assert.deepStrictEqual(yarnLock.extract(jsFixture('yarn-lock/tabs-truncated.lock'), path), [
    problem('syntax', 'yarn.lock has a tab in its indentation here where yarn expects spaces, so yarn cannot read it; Pinwatch read the entries it recognised.', 4, 0, 1),
    ref('chalk', '5.6.1', 4, 10),
    ref('debug', '4.4.2', 8, 11),
    problem('syntax', 'yarn.lock ends in the middle of a line, so it may have been cut short here: this last line was not checked.', 11, 0, 14),
  ]);
});

test('merge conflict markers: both sides are read, each at its own line', () => {
  const text = '# yarn lockfile v1\n\n\nchalk@^5.6.0:\n<<<<<<< ours\n  version "5.6.0"\n=======\n  version "5.6.1"\n>>>>>>> theirs\n  integrity sha512-A\n';
  assert.deepStrictEqual(yarnLock.extract(text, path), [ref('chalk', '5.6.0', 5, 11), ref('chalk', '5.6.1', 7, 11)]);
});

test('the __metadata versions of Yarn 4 (8, and 9 and 10 from its later releases) are known; 11 is not', () => {
  const entry = (version: string) => `__metadata:\n  version: ${version}\n  cacheKey: ${version}\n\n"debug@npm:^4.4.0":\n  version: 4.4.2\n  resolution: "debug@npm:4.4.2"\n  checksum: ${version}/9ada\n  languageName: node\n  linkType: hard\n`;
  for (const version of ['8', '9', '10']) assert.deepStrictEqual(yarnLock.extract(entry(version), path), [ref('debug', '4.4.2', 5, 11)], version);
  assert.deepStrictEqual(yarnLock.extract(entry('11'), path), [
    problem('syntax', '__metadata version 11 is not one Pinwatch knows (3 to 10): it read the entries whose form it recognises, and others may be missing.', 1, 11, 13),
    ref('debug', '4.4.2', 5, 11),
  ]);
});

test('an unknown __metadata version and a stray line are read problems', () => {
  const text = '__metadata:\n  version: 99\n\nnot a key\n"chalk@npm:^5.6.0":\n  version: 5.6.1\n  resolution: "chalk@npm:5.6.1"\n';
  assert.deepStrictEqual(yarnLock.extract(text, path), [
    problem('syntax', '__metadata version 99 is not one Pinwatch knows (3 to 10): it read the entries whose form it recognises, and others may be missing.', 1, 11, 13),
    problem('syntax', "yarn.lock is not what yarn writes here (an entry's key ends with a colon), so this line was not read.", 3, 0, 9),
    ref('chalk', '5.6.1', 5, 11),
  ]);
});
