import { test } from 'node:test';
import assert from 'node:assert/strict';
import { condaEnvironment } from '../../../server/src/formats/condaEnvironment';
import { formatFor } from '../../../server/src/formats/index';
import type { PackageReference } from '../../../server/src/model';
import { findingsOf, fixedTexts, on, pin, pyFixture } from './pythonHelpers';

const path = '/work/app/environment.yml';

function conda(name: string, spec: { version: string } | { constraint: string }, range: PackageReference['range']): PackageReference {
  return { kind: 'package', ecosystem: 'conda', name, ...spec, range, context: 'environment.yml' };
}

test('environment.yml and environment.yaml are conda environments, not Kubernetes manifests', () => {
  assert.deepStrictEqual(['/a/environment.yml', '/a/environment.yaml', '/a/env.yml'].map((p) => formatFor(p)?.id), ['conda/environment.yml', 'conda/environment.yml', 'kubernetes/manifest']);
});

test('conda match specs under the conda scheme, and the pip list under PyPI', () => {
  assert.deepStrictEqual(condaEnvironment.extract(pyFixture('conda/environment.yml'), path), [
    conda('python', { version: '3.12' }, on(4, 11, 15)),
    conda('numpy', { version: '2.1.3' }, on(5, 10, 15)),
    conda('xz', { version: '5.4.6' }, on(6, 21, 26)),
    conda('ultralytics', { version: '8.3.41' }, on(7, 16, 22)),
    conda('pandas', { constraint: '>=2.2' }, on(8, 10, 15)),
    pin('ultralytics', '8.3.41', on(11, 21, 27), 'environment.yml pip'),
    pin('ctx', '0.2.6', on(12, 14, 19), 'environment.yml pip'),
    pin('ultralytics-thop', '8.3.41', on(13, 26, 32), 'environment.yml pip'),
  ]);
});

test('only the pip entries match the PyPI advisories; the fix edits the pip line in the whole text', () => {
  const text = pyFixture('conda/environment.yml');
  assert.deepStrictEqual(findingsOf(path, text).map((f) => [f.reference.range.start.line, f.severity, f.fixes.map((x) => x.title)]), [[11, 'error', ['Pin ultralytics to 8.3.40']], [12, 'error', []]]);
  assert.deepStrictEqual(fixedTexts(path, text)[path], text.replace('      - ultralytics==8.3.41\n', '      - ultralytics==8.3.40\n'));
});

test('broken YAML gives a read problem beside what was read', () => {
  const out = condaEnvironment.extract('dependencies:\n  - pip:\n      - ultralytics==8.3.41\n  - [unclosed\n', path);
  assert.deepStrictEqual(out.map((e) => (e.kind === 'package' ? `${e.name}@${e.version}` : e.kind)), ['ultralytics@8.3.41', 'problem']);
});
