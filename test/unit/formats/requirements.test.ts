import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildIndex, matchPackage } from '../../../server/src/advisories/index';
import { bundled } from '../../../server/src/advisories/records';
import { requirements } from '../../../server/src/formats/requirements';
import type { Extracted, PackageReference, Range } from '../../../server/src/model';
import { repoRoot } from '../../paths';

const on = (line: number, from: number, to: number): Range => ({ start: { line, character: from }, end: { line, character: to } });
const across = (line: number, from: number, endLine: number, to: number): Range => ({ start: { line, character: from }, end: { line: endLine, character: to } });
const read = (name: string): Extracted[] => {
  const path = join(repoRoot, 'test', 'fixtures', 'requirements', name);
  return requirements.extract(readFileSync(path, 'utf8'), path);
};
const pin = (name: string, version: string, range: Range, more: Partial<PackageReference> = {}): PackageReference => ({ kind: 'package', ecosystem: 'PyPI', name, version, context: 'requirements.txt', ...more, range });
const constrained = (name: string, constraint: string, range: Range, more: Partial<PackageReference> = {}): PackageReference => ({ kind: 'package', ecosystem: 'PyPI', name, constraint, context: 'requirements.txt', ...more, range });
const hashed = { fix: { kind: 'none', reason: 'The line pins hashes of this release: regenerate it (pip-compile --generate-hashes) with a safe version.' } } as const;

test('reads == and === pins at the exact range of the version text, keeping the name as written', () => {
  assert.deepEqual(read('pinned.txt'), [
    pin('ultralytics', '8.3.41', on(0, 13, 19)),
    pin('requests', '2.31.0', on(1, 11, 17)),
    pin('Django', '4.2.1', on(2, 10, 15)),
    pin('ctx', '0.2.6', on(3, 5, 10)),
  ]);
});

test('other specifiers, parenthesised ones and == wildcards are constraints over the whole specifier', () => {
  assert.deepEqual(read('ranges.txt'), [
    constrained('ultralytics', '>=8.3.40,<8.3.47', on(0, 11, 27)),
    constrained('numpy', '~= 1.26', on(1, 6, 13)),
    constrained('flask', '>=2.0, <3', on(2, 7, 16)),
    constrained('pandas', '==2.1.*', on(3, 6, 13)),
    constrained('attrs', '!=23.1.0', on(4, 5, 13)),
  ]);
});

test('extras and environment markers are passed over; a name without a specifier pins nothing', () => {
  assert.deepEqual(read('extras-markers.txt'), [
    pin('ultralytics', '8.3.42', on(0, 21, 27)),
    constrained('ULTRALYTICS', '>= 8.3.45', on(1, 19, 28)),
    pin('ctx', '0.2.6', on(2, 5, 10)),
  ]);
});

test('continued lines keep exact ranges; hashed lines and split versions get no edit, with the reason', () => {
  assert.deepEqual(read('continuation-hashes.txt'), [
    pin('ultralytics', '8.3.45', on(1, 13, 19), hashed),
    pin('numpy', '1.26.4', on(5, 7, 13), hashed),
    pin('ultralytics', '8.3.46', across(8, 2, 9, 2), { fix: { kind: 'none', reason: 'The version is split across a line continuation: write a safe version by hand.' } }),
  ]);
});

test('comments, option lines and options after a requirement are not requirements; a # inside a word is no comment', () => {
  assert.deepEqual(read('comments-options.txt'), [pin('ultralytics', '8.3.41', on(7, 13, 19)), pin('requests', '2.31.0', on(10, 10, 16))]);
});

test('URLs, paths, archives, editables, direct references, variables and malformed specifiers give nothing', () => {
  assert.deepEqual(read('skipped.txt'), []);
});

test('CRLF line ends and a continuation over CRLF keep exact ranges', () => {
  assert.deepEqual(read('crlf.txt'), [
    pin('numpy', '1.26.4', on(0, 7, 13)),
    pin('ultralytics', '8.3.41', on(1, 13, 19)),
    constrained('ctx', '>=0.2, <0.3', on(2, 3, 14), hashed),
  ]);
});

test('a byte order mark, a lone backslash line, a lone CR and a trailing backslash at the end are read', () => {
  const text = '\ufeffultralytics==8.3.41\r\\\nctx==\\\n\\\n0.2.6\nnumpy==1.26.4 \\';
  assert.deepEqual(requirements.extract(text, 'requirements.txt'), [
    pin('ultralytics', '8.3.41', on(0, 14, 20)),
    pin('ctx', '0.2.6', on(4, 0, 5)),
    pin('numpy', '1.26.4', on(5, 7, 13)),
  ]);
});

test('malformed input gives what could be read and never throws', () => {
  for (const text of ['', '\\', '\\\\\\', '#', ' - ', '[', 'a[', 'a (', 'a (>=1', 'a==1,', 'a ; ;', '==1.0', '\u0000\u0001binary', 'x'.repeat(10000) + '==1', 'a==1.0\\'.repeat(1000)]) {
    assert.doesNotThrow(() => requirements.extract(text, 'requirements.txt'), JSON.stringify(text.slice(0, 40)));
  }
  assert.deepEqual(requirements.extract('a (>=1\nb==2', 'requirements.txt'), [pin('b', '2', on(1, 3, 4))]);
});

const index = buildIndex(bundled);
const matches = (refs: Extracted[]): Array<{ name: string; id: string; how: string; versions: string[] }> =>
  refs.flatMap((ref) => (ref.kind === 'package' ? matchPackage(index, ref).map((m) => ({ name: ref.name, id: m.record.id, how: m.how, versions: m.versions })) : []));

test('the bundled PyPI advisories match the pins, by the normalised name', () => {
  assert.deepEqual(matches(read('pinned.txt')), [
    { name: 'ultralytics', id: 'x_PINWATCH-PYPI-2024-12-ULTRALYTICS', how: 'exact', versions: ['8.3.41'] },
    { name: 'ctx', id: 'x_PINWATCH-PYPI-2022-CTX', how: 'exact', versions: ['0.2.6'] },
  ]);
  assert.deepEqual(matches(read('extras-markers.txt')), [
    { name: 'ultralytics', id: 'x_PINWATCH-PYPI-2024-12-ULTRALYTICS', how: 'exact', versions: ['8.3.42'] },
    { name: 'ULTRALYTICS', id: 'x_PINWATCH-PYPI-2024-12-ULTRALYTICS', how: 'range', versions: ['8.3.45', '8.3.46'] },
    { name: 'ctx', id: 'x_PINWATCH-PYPI-2022-CTX', how: 'exact', versions: ['0.2.6'] },
  ]);
});

test('the traps: ultralytics 8.3.40 and 8.3.47, torchtriton 2.0.0 and the other project ultra_lytics match nothing', () => {
  const refs = read('trap.txt');
  assert.deepEqual(refs, [
    pin('ultralytics', '8.3.40', on(0, 13, 19)),
    pin('ultralytics', '8.3.47', on(1, 13, 19)),
    pin('torchtriton', '2.0.0', on(2, 13, 18)),
    constrained('ultralytics', '>=8.3.47', on(3, 11, 19)),
    pin('ultra_lytics', '8.3.41', on(4, 14, 20)),
  ]);
  assert.deepEqual(matches(refs), []);
});

test('the format names itself and its file patterns', () => {
  assert.equal(requirements.id, 'pypi/requirements.txt');
  assert.deepEqual(requirements.patterns, ['requirements.txt', 'requirements-*.txt', 'requirements_*.txt', '*-requirements.txt', 'constraints.txt']);
});
