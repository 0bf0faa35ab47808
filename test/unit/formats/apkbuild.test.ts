import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apkbuild } from '../../../server/src/formats/apkbuild';
import type { Extracted, Range } from '../../../server/src/model';
import { fixture, on, rebuild, withoutOrigins } from './recipeHelpers';

/** The text under each reference's range, so a reader sees what the ranges cover. */
function under(text: string, refs: Extracted[]): string[] {
  const lines = text.split('\n');
  const slice = (r: Range): string =>
    r.start.line === r.end.line ? lines[r.start.line]!.slice(r.start.character, r.end.character) : `${lines[r.start.line]!.slice(r.start.character)}…`;
  return refs.map((ref) => slice(ref.range));
}

const digest = 'a1'.repeat(64);
const xzUrl = 'https://github.com/tukaani-project/xz/releases/download/v5.6.1/xz-5.6.1.tar.xz';

test('reads xz 5.6.1-r1: its own version once (the subpackage pin on it repeats it), the source URL and its sha512', () => {
  const { path, text } = fixture('apkbuild', 'xz-5.6.1-r1');
  const refs = withoutOrigins(apkbuild.extract(text, path));
  assert.deepStrictEqual(refs, [
    { kind: 'package', ecosystem: 'Alpine', name: 'xz', version: '5.6.1-r1', range: on(3, 7, 12), fix: rebuild, context: 'APKBUILD pkgver/pkgrel', builds: true },
    { kind: 'url', value: xzUrl, range: on(11, 8, 90), via: 'pkgver=5.6.1 (line 4)', context: 'source', guardedBy: [digest] },
    { kind: 'sha512', value: digest, range: on(40, 0, 128), context: 'sha512sums' },
  ]);
  assert.deepStrictEqual(under(text, refs), [
    '5.6.1',
    'https://github.com/tukaani-project/xz/releases/download/v$pkgver/xz-$pkgver.tar.xz',
    digest,
  ]);
});

test('gives the safe rebuild 5.6.1-r2 its own version, not 5.6.1-r1', () => {
  const { path, text } = fixture('apkbuild', 'xz-5.6.1-r2');
  const refs = withoutOrigins(apkbuild.extract(text, path));
  assert.deepStrictEqual(refs, [
    { kind: 'package', ecosystem: 'Alpine', name: 'xz', version: '5.6.1-r2', range: on(3, 7, 12), fix: rebuild, context: 'APKBUILD pkgver/pkgrel', builds: true },
    { kind: 'url', value: xzUrl, range: on(11, 8, 90), via: 'pkgver=5.6.1 (line 4)', context: 'source', guardedBy: [digest] },
    { kind: 'sha512', value: digest, range: on(46, 0, 128), context: 'sha512sums' },
  ]);
});

test('reads pinned and constrained dependencies, across lines, and skips those inside functions', () => {
  const { path, text } = fixture('apkbuild', 'depends-pinned');
  const refs = withoutOrigins(apkbuild.extract(text, path));
  assert.deepStrictEqual(refs, [
    { kind: 'package', ecosystem: 'Alpine', name: 'example-tool', version: '1.2.0-r0', range: on(2, 7, 12), fix: rebuild, context: 'APKBUILD pkgver/pkgrel', builds: true },
    { kind: 'package', ecosystem: 'Alpine', name: 'xz-libs', version: '5.6.1-r1', range: on(8, 17, 25), context: 'depends' },
    { kind: 'package', ecosystem: 'Alpine', name: 'xz-dev', constraint: '>=5.6.0', range: on(11, 9, 14), context: 'makedepends' },
    { kind: 'package', ecosystem: 'Alpine', name: 'xz', constraint: '<5.6.2', range: on(12, 4, 9), context: 'makedepends' },
    { kind: 'package', ecosystem: 'Alpine', name: 'xz', constraint: '~5.6', range: on(14, 17, 20), context: 'checkdepends' },
    { kind: 'url', value: 'https://example.org/tool/archive/v1.2.0.tar.gz', range: on(15, 33, 81), via: 'pkgver=1.2.0 (line 3)', context: 'source' },
  ]);
  assert.deepStrictEqual(under(text, refs), ['1.2.0', '5.6.1-r1', '5.6.0', '5.6.2', '5.6', 'https://example.org/tool/archive/v$pkgver.tar.gz']);
});

test('reads a dependency spelled with variables, once, and leaves pins on its own version to the recipe', () => {
  // xz-libs is not declared as built here (no subpackages), so its pin is kept; `xz>=${pkgver%.*}` repeats the recipe.
  const text = 'pkgname=xz\npkgver=5.6.1\npkgrel=1\ndepends_dev="$pkgname-libs=$pkgver-r$pkgrel"\nmakedepends="$depends_dev xz>=${pkgver%.*}"\n';
  assert.deepStrictEqual(withoutOrigins(apkbuild.extract(text, '/r/xz/APKBUILD')), [
    { kind: 'package', ecosystem: 'Alpine', name: 'xz', version: '5.6.1-r1', range: on(1, 7, 12), fix: rebuild, context: 'APKBUILD pkgver/pkgrel', builds: true },
    {
      kind: 'package', ecosystem: 'Alpine', name: 'xz-libs', version: '5.6.1-r1', range: on(3, 27, 43),
      via: 'pkgname=xz (line 1), pkgver=5.6.1 (line 2), pkgrel=1 (line 3)', context: 'depends_dev', fix: rebuild,
    },
  ]);
});

test('edits a version held in one variable where it is set, and one built from parts where it is used', () => {
  const text = [
    'pkgname=tool', // 0
    'pkgver=2.0',
    'pkgrel=0',
    '_xzver="5.6.1-r1"',
    'depends="xz-libs=$_xzver"',
    'depends_dev="xz-dev=${_xzver}"', // 5
    '_xzbase=5.6.1',
    'makedepends="xz=$_xzbase-r0"',
    '[ "$CARCH" = x86_64 ] && _late=5.6.1-r0',
    'checkdepends="xz=$_late"',
  ].join('\n');
  const via = '_xzver=5.6.1-r1 (line 4)';
  assert.deepStrictEqual(withoutOrigins(apkbuild.extract(text, '/r/tool/APKBUILD')), [
    { kind: 'package', ecosystem: 'Alpine', name: 'tool', version: '2.0-r0', range: on(1, 7, 10), fix: rebuild, context: 'APKBUILD pkgver/pkgrel', builds: true },
    // Both pins change with the one assignment they share, inside its quotes.
    { kind: 'package', ecosystem: 'Alpine', name: 'xz-libs', version: '5.6.1-r1', range: on(4, 17, 24), via, edit: on(3, 8, 16), context: 'depends' },
    { kind: 'package', ecosystem: 'Alpine', name: 'xz-dev', version: '5.6.1-r1', range: on(5, 20, 29), via, edit: on(3, 8, 16), context: 'depends_dev' },
    { kind: 'package', ecosystem: 'Alpine', name: 'xz', version: '5.6.1-r0', range: on(7, 16, 27), via: '_xzbase=5.6.1 (line 7)', context: 'makedepends' },
  ]);
});

test('reads the dependencies a split function gives its subpackage, but not those of the build steps or locals', () => {
  const text = [
    'pkgname=tool', // 0
    'pkgver=2.0',
    'pkgrel=0',
    'subpackages="$pkgname-dev $pkgname-libs:_libs"',
    'package() {',
    '\tdepends="xz=5.6.1-r0"', // 5
    '}',
    'dev() {',
    '\tdefault_dev',
    '\tdepends="$depends xz-dev=5.6.1-r1"',
    '\tcat <<-EOF', // 10
    '\t} depends="xz=5.6.1-r0"',
    '\tEOF',
    '}',
    '_libs() {',
    '\tlocal depends="xz-libs=5.6.1-r0"', // 15
    '\t[ "$CARCH" = x86_64 ] && depends="xz-libs=$_xzver"',
    '}',
    '_xzver=5.6.1-r1',
  ].join('\n');
  assert.deepStrictEqual(withoutOrigins(apkbuild.extract(text, '/r/tool/APKBUILD')), [
    { kind: 'package', ecosystem: 'Alpine', name: 'tool', version: '2.0-r0', range: on(1, 7, 10), fix: rebuild, context: 'APKBUILD pkgver/pkgrel', builds: true },
    { kind: 'package', ecosystem: 'Alpine', name: 'xz-dev', version: '5.6.1-r1', range: on(9, 26, 34), context: 'depends in dev()' },
    // A function runs after the whole file is read, so it sees _xzver although the file sets it last.
    {
      kind: 'package', ecosystem: 'Alpine', name: 'xz-libs', version: '5.6.1-r1', range: on(16, 43, 50),
      via: '_xzver=5.6.1-r1 (line 19)', edit: on(18, 7, 15), context: 'depends in _libs()',
    },
  ]);
});

test('gives no version when pkgver cannot be resolved, rather than a wrong one', () => {
  const text = 'pkgname=xz\npkgver=$(cat VERSION)\npkgrel=1\ndepends="xz-libs=$_unknown"\n';
  assert.deepStrictEqual(withoutOrigins(apkbuild.extract(text, '/r/xz/APKBUILD')), []);
});

test('follows the quotes as bash does when one is left open', () => {
  const { path, text } = fixture('apkbuild', 'unterminated-quote');
  assert.deepStrictEqual(withoutOrigins(apkbuild.extract(text, path)), [
    { kind: 'package', ecosystem: 'Alpine', name: 'xz', version: '5.6.1-r1', range: on(1, 7, 12), fix: rebuild, context: 'APKBUILD pkgver/pkgrel', builds: true },
  ]);
});

test('reads nothing from an empty or a binary file', () => {
  for (const name of ['empty', 'binary']) {
    const { path, text } = fixture('apkbuild', name);
    assert.deepStrictEqual(withoutOrigins(apkbuild.extract(text, path)), [], name);
  }
});

test('a pin on the release the recipe builds is its own reference, not a second one', () => {
  const own = (version: string): Extracted => ({ kind: 'package', ecosystem: 'Alpine', name: 'xz', version, range: on(1, 7, 12), fix: rebuild, context: 'APKBUILD pkgver/pkgrel', builds: true });
  const recipe = (pkgrel: number, depends: string): string =>
    `pkgname=xz\npkgver=5.6.1\npkgrel=${pkgrel}\ndepends_dev="${depends}"\nsubpackages="$pkgname-dev $pkgname-libs:libs"\n`;
  assert.deepStrictEqual(
    [
      apkbuild.extract(recipe(1, '$pkgname=$pkgver-r$pkgrel'), '/aports/main/xz/APKBUILD'),
      apkbuild.extract(recipe(1, '$pkgname-libs=$pkgver-r$pkgrel'), '/aports/main/xz/APKBUILD'),
      apkbuild.extract(recipe(0, '$pkgname-dev>=$pkgver'), '/aports/main/xz/APKBUILD'),
    ],
    [[own('5.6.1-r1')], [own('5.6.1-r1')], [own('5.6.1-r0')]],
  );
});

test("a pin written with the recipe's own version on a package it does not build is kept", () => {
  const text = 'pkgname=foo\npkgver=5.6.1\npkgrel=1\ndepends="xz-libs=$pkgver-r$pkgrel"\n';
  assert.deepStrictEqual(apkbuild.extract(text, '/aports/foo/APKBUILD'), [
    { kind: 'package', ecosystem: 'Alpine', name: 'foo', version: '5.6.1-r1', range: on(1, 7, 12), fix: rebuild, context: 'APKBUILD pkgver/pkgrel', builds: true },
    { kind: 'package', ecosystem: 'Alpine', name: 'xz-libs', version: '5.6.1-r1', range: on(3, 17, 33), via: 'pkgver=5.6.1 (line 2), pkgrel=1 (line 3)', context: 'depends', fix: rebuild },
  ]);
});
