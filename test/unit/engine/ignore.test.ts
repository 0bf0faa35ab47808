import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../../server/src/engine';
import { bundled, isIgnored, knownIds } from '../../../server/src/advisories/records';
import { defaultSettings } from '../../../server/src/model';

const lockPath = '/work/web/package-lock.json';
const lock = JSON.stringify({
  name: 'web', lockfileVersion: 3, requires: true,
  packages: { '': { name: 'web' }, 'node_modules/chalk': { version: '5.6.1' } },
}, null, 2);

const chalkDebug = bundled.find((r) => r.id === 'x_PINWATCH-NPM-2025-09-CHALK-DEBUG')!;

test('an advisory is known by its stored id, its displayed id and its aliases', () => {
  const xz = bundled.find((r) => r.id === 'x_PINWATCH-XZ-2024-3094-UPSTREAM')!;
  assert.deepStrictEqual(knownIds(chalkDebug), ['x_PINWATCH-NPM-2025-09-CHALK-DEBUG', 'PINWATCH-NPM-2025-09-CHALK-DEBUG']);
  assert.deepStrictEqual(knownIds(xz), ['x_PINWATCH-XZ-2024-3094-UPSTREAM', 'PINWATCH-XZ-2024-3094-UPSTREAM', 'CVE-2024-3094', 'GHSA-rxwq-x6h5-x525']);
});

test('ignore accepts any id an advisory is known by, in any case, and nothing else', () => {
  assert.deepStrictEqual(
    ['PINWATCH-NPM-2025-09-CHALK-DEBUG', 'x_PINWATCH-NPM-2025-09-CHALK-DEBUG', 'pinwatch-npm-2025-09-chalk-debug', ' PINWATCH-NPM-2025-09-CHALK-DEBUG ', 'PINWATCH-NPM-2025-09', 'CVE-2024-3094']
      .map((id) => isIgnored(chalkDebug, [id])),
    [true, true, true, true, false, false],
  );
  assert.equal(isIgnored(chalkDebug, []), false);
});

test('the engine drops findings of an advisory ignored by the id findings display', () => {
  const all = analyze(lockPath, lock, defaultSettings);
  assert.deepStrictEqual(all.map((f) => f.advisory.id), ['PINWATCH-NPM-2025-09-CHALK-DEBUG']);
  assert.deepStrictEqual(analyze(lockPath, lock, { ...defaultSettings, ignore: [all[0]!.advisory.id] }), []);
  assert.deepStrictEqual(analyze(lockPath, lock, { ...defaultSettings, ignore: ['x_PINWATCH-NPM-2025-09-CHALK-DEBUG'] }), []);
});

test('the engine drops an xz finding ignored by any alias or the displayed upstream id', () => {
  const recipe = 'pkgname=foo\npkgver=1\nsource="https://github.com/tukaani-project/xz/releases/download/v5.6.1/xz-5.6.1.tar.xz"\n';
  const at = '/aports/foo/APKBUILD';
  assert.equal(analyze(at, recipe, defaultSettings).length, 1);
  for (const id of ['CVE-2024-3094', 'GHSA-rxwq-x6h5-x525', 'PINWATCH-XZ-2024-3094-UPSTREAM']) {
    assert.deepStrictEqual(analyze(at, recipe, { ...defaultSettings, ignore: [id] }), [], id);
  }
});
