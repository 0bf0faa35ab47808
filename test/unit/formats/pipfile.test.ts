import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pipfile, pipfileLock } from '../../../server/src/formats/pipfile';
import { constrained, findingsOf, fixedTexts, on, pin, pyFixture } from './pythonHelpers';

const lockPath = '/work/app/Pipfile.lock';
const manifest = '/work/app/Pipfile';
const pipenvFix = { kind: 'python-manifest', manifest, tool: 'pipenv' } as const;

test('Pipfile: every category, strings and tables with a version; git packages and * give nothing', () => {
  assert.deepStrictEqual(pipfile.extract(pyFixture('pipenv/Pipfile'), manifest), [
    pin('ultralytics', '8.3.41', on(6, 17, 23), 'Pipfile'),
    pin('ultralytics-thop', '8.3.41', on(8, 22, 28), 'Pipfile'),
    pin('ctx', '0.2.6', on(9, 20, 25), 'Pipfile'),
    constrained('pytest', '>=8', on(12, 10, 13), 'Pipfile'),
  ]);
});

test('Pipfile: the fix replaces the version after ==, in the whole text', () => {
  const text = pyFixture('pipenv/Pipfile');
  assert.deepStrictEqual(fixedTexts(manifest, text)[manifest], text.replace('ultralytics = "==8.3.41"', 'ultralytics = "==8.3.40"'));
});

test('Pipfile.lock: each category\'s index packages; a git package gives nothing', () => {
  assert.deepStrictEqual(pipfileLock.extract(pyFixture('pipenv/Pipfile.lock'), lockPath), [
    pin('ultralytics', '8.3.41', on(24, 26, 32), 'Pipfile.lock', { fix: pipenvFix }),
    pin('ultralytics-thop', '8.3.41', on(28, 26, 32), 'Pipfile.lock', { fix: pipenvFix }),
  ]);
});

test('Pipfile.lock: the fix pins the package in the Pipfile, where it is or in [packages]', () => {
  const lock = pyFixture('pipenv/Pipfile.lock');
  const text = pyFixture('pipenv/Pipfile');
  const findings = findingsOf(lockPath, lock, { [manifest]: text });
  assert.deepStrictEqual(findings.map((f) => [f.reference.range, f.fixes.map((x) => [x.title, x.followUp])]), [
    [on(24, 26, 32), [['Pin ultralytics to 8.3.40 in Pipfile [packages]', 'Then run pipenv lock to rewrite the lockfile.']]],
  ]);
  assert.deepStrictEqual(fixedTexts(lockPath, lock, { [manifest]: text })[manifest], text.replace('ultralytics = "==8.3.41"', 'ultralytics = "==8.3.40"'));
  const unnamed = '[packages]\nrequests = "*"\n\n[requires]\npython_version = "3.12"\n';
  assert.deepStrictEqual(fixedTexts(lockPath, lock, { [manifest]: unnamed })[manifest], '[packages]\nrequests = "*"\nultralytics = "==8.3.40"\n\n[requires]\npython_version = "3.12"\n');
  assert.deepStrictEqual(fixedTexts(lockPath, lock, { [manifest]: '' })[manifest], '[packages]\nultralytics = "==8.3.40"\n');
});

test('a truncated Pipfile.lock keeps its whole entries and reports where it stops', () => {
  const lock = pyFixture('pipenv/Pipfile.lock');
  const cut = lock.slice(0, lock.indexOf('"ultralytics-thop"') + 40);
  const out = pipfileLock.extract(cut, lockPath);
  assert.deepStrictEqual(out.map((e) => (e.kind === 'package' ? `${e.name}@${e.version}` : e.kind)), ['ultralytics@8.3.41', 'problem']);
  for (let end = 0; end <= lock.length; end += 5) {
    for (const e of pipfileLock.extract(lock.slice(0, end), lockPath)) if (e.kind === 'package') assert.equal(e.version, '8.3.41', `prefix ${end}`);
  }
});
