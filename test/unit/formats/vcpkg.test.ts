import assert from 'node:assert/strict';
import { test } from 'node:test';
import { vcpkg } from '../../../server/src/formats/vcpkg';
import type { PackageReference } from '../../../server/src/model';
import { fixed, fixture, replaced, tok } from './buildHelpers';

const baselineReason = { kind: 'none' as const, reason: 'That vcpkg commit\'s baseline has liblzma 5.6.0: move the baseline to a commit from 2024-03-30 (ce191640) or later, or override liblzma with a safe version.' };
const bad = '0ddcda32f1ebbeaea6df7e82024a19ea53192c11';

test('vcpkg.json: version>= floors are constraints, overrides are exact, and an override makes the baseline not matter', () => {
  const text = fixture('vcpkg/vcpkg.json');
  const pkg = (name: string, line: number, nth: number, context: string): PackageReference => ({ kind: 'package', ecosystem: 'vcpkg', name, version: '5.6.0', range: tok(text, line, '5.6.0', nth), context });
  const floor = (name: string, line: number): PackageReference => {
    const { version: _v, ...rest } = pkg(name, line, 0, 'dependencies version>=');
    return { ...rest, constraint: '>=5.6.0' };
  };
  assert.deepStrictEqual(vcpkg.extract(text, '/p/vcpkg.json'), [floor('liblzma', 4), floor('other', 5), pkg('liblzma', 8, 0, 'overrides'), pkg('other', 9, 0, 'overrides')]);
  assert.deepStrictEqual(fixed('/p/vcpkg.json', text), [
    { line: 4, severity: 'warning', code: 'range-admits-compromised' },
    { line: 8, severity: 'error', code: 'compromised-version', text: replaced(text, '"liblzma", "version": "5.6.0"', '"liblzma", "version": "5.6.2"') },
  ]);
});

test('a builtin-baseline of a commit whose baseline had liblzma 5.6.0 is reported when the manifest uses liblzma, with no edit', () => {
  const text = fixture('vcpkg/vcpkg-baseline.json');
  assert.deepStrictEqual(vcpkg.extract(text, '/p/vcpkg.json'), [
    { kind: 'package', ecosystem: 'vcpkg', name: 'liblzma', version: '5.6.0', range: tok(text, 3, bad), context: 'builtin-baseline', via: `builtin-baseline ${bad}`, fix: baselineReason },
  ]);
  assert.deepStrictEqual(fixed('/p/vcpkg.json', text), [{ line: 3, severity: 'error', code: 'compromised-version' }]);
  // The revert commit's baseline is 5.4.4; a manifest without liblzma, or with a floor above 5.6.0, is not affected.
  assert.deepStrictEqual(vcpkg.extract(replaced(text, bad, 'ce1916404fc6f2b645f419a6d47b7ebafe686582'), '/p/vcpkg.json'), []);
  assert.deepStrictEqual(vcpkg.extract(replaced(text, '"liblzma", ', ''), '/p/vcpkg.json'), []);
  assert.deepStrictEqual(fixed('/p/vcpkg.json', replaced(text, '"liblzma"', '{ "name": "liblzma", "version>=": "5.6.2" }')), []);
});

test('vcpkg-configuration.json: built-in registry baselines, judged with the vcpkg.json beside it; other registries are not', () => {
  const text = fixture('vcpkg/vcpkg-configuration.json');
  const manifest = fixture('vcpkg/vcpkg-baseline.json');
  const read = (path: string) => (path === '/p/vcpkg.json' ? manifest : undefined);
  assert.deepStrictEqual(vcpkg.extract(text, '/p/vcpkg-configuration.json', read), [
    { kind: 'package', ecosystem: 'vcpkg', name: 'liblzma', version: '5.6.0', range: tok(text, 7, bad), context: 'registries baseline', via: `registries baseline ${bad}`, fix: baselineReason },
  ]);
  assert.deepStrictEqual(vcpkg.extract(text, '/p/vcpkg-configuration.json', () => undefined), []);
});

test('damaged and hostile JSON: a problem where reading stopped, never a throw', () => {
  const text = fixture('vcpkg/vcpkg.json');
  const cut = text.slice(0, text.indexOf('"overrides"'));
  assert.deepStrictEqual(fixed('/p/vcpkg.json', cut), [{ line: 4, severity: 'warning', code: 'range-admits-compromised' }, { line: 7, severity: 'problem', code: 'syntax' }]);
  assert.deepStrictEqual(fixed('/p/vcpkg.json', '['.repeat(10_000)), [{ line: 0, severity: 'problem', code: 'limit' }]);
  assert.deepStrictEqual(fixed('/p/vcpkg.json', '"just a string"'), [{ line: 0, severity: 'problem', code: 'syntax' }]);
});
