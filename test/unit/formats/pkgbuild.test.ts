import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pkgbuild } from '../../../server/src/formats/pkgbuild';
import { fixture, on, rebuild, repoRoot, withoutOrigins } from './recipeHelpers';

const own = { kind: 'package', fix: rebuild, context: 'PKGBUILD pkgver/pkgrel', builds: true } as const;
const releaseGz = 'https://github.com/tukaani-project/xz/releases/download/v5.6.1/xz-5.6.1.tar.gz';
const releaseXz = 'https://github.com/tukaani-project/xz/releases/download/v5.6.1/xz-5.6.1.tar.xz';
const gzSha256 = '2398f4a8e53345325f44bdd9f0cc7401bd9025d736c6d43b372f4dea77bf75b8';
const xzSha256 = 'f334777310ca3ae9ba07206d78ed286a655aa3f44eec27854f740c26b2cd2ed0';

test('reads Arch xz 5.6.1-1: its version, the release tarball (not its signature) and the sha256', () => {
  const { path, text } = fixture('pkgbuild', 'xz-5.6.1-1');
  assert.deepStrictEqual(withoutOrigins(pkgbuild.extract(text, path)), [
    { ...own, ecosystem: 'Arch Linux', name: 'xz', version: '5.6.1-1', range: on(4, 7, 12) },
    { kind: 'url', value: releaseGz, range: on(13, 9, 103), via: 'pkgver=5.6.1 (line 5), pkgname=xz (line 4)', context: 'source', guardedBy: [gzSha256] },
    { kind: 'sha256', value: gzSha256, range: on(14, 13, 77), context: 'sha256sums' },
  ]);
});

test('reads the safe Arch xz 5.6.1-2 and its git tag source', () => {
  const { path, text } = fixture('pkgbuild', 'xz-5.6.1-2');
  assert.deepStrictEqual(withoutOrigins(pkgbuild.extract(text, path)), [
    { ...own, ecosystem: 'Arch Linux', name: 'xz', version: '5.6.1-2', range: on(4, 7, 12) },
    { kind: 'git-tag', value: 'github.com/tukaani-project/xz@v5.6.1', range: on(13, 59, 69), via: 'pkgver=5.6.1 (line 5)', context: 'source' },
  ]);
});

test('reads MSYS2 mingw-w64-xz 5.6.1-1 by its _realname, with the release tar.xz and its sha256', () => {
  const { path, text } = fixture('pkgbuild', 'mingw-w64-xz-5.6.1-1');
  assert.deepStrictEqual(withoutOrigins(pkgbuild.extract(text, path)), [
    { ...own, ecosystem: 'MSYS2', name: 'mingw-w64-xz', version: '5.6.1-1', range: on(6, 7, 12) },
    {
      kind: 'package', ecosystem: 'MSYS2', name: 'mingw-w64-gettext-tools', constraint: '>=0.22', range: on(16, 53, 57),
      via: 'MINGW_PACKAGE_PREFIX=mingw-w64 (MSYS2, for each environment)', context: 'makedepends',
    },
    { kind: 'url', value: releaseXz, range: on(17, 9, 105), via: 'pkgver=5.6.1 (line 7), _realname=xz (line 4)', context: 'source', guardedBy: [xzSha256] },
    { kind: 'sha256', value: xzSha256, range: on(18, 13, 77), context: 'sha256sums' },
  ]);
});

test('reads epoch, pkgbase, versioned and optional dependencies (=ver without pkgrel is a range), renamed sources and git commits', () => {
  const text = [
    'pkgbase=xz',
    "pkgname=('xz' 'xz-docs')",
    'epoch=1',
    'pkgver=5.6.1',
    'pkgrel=1',
    "depends=('xz=5.6.1-1' 'sh' 'liblzma>=5.6.0' 'xz-utils=5.6.1') # pins",
    "optdepends=('xz<5.6.2: for the CLI' 'bash: for scripts')",
    'source=("xz-$pkgver.tar.gz::https://example.org/xz-$pkgver.tar.gz"',
    '        "git+https://github.com/tukaani-project/xz.git#commit=fd1b975b7851e081ed6e5cf63df946cd5cbdbb94?signed")',
    "sha512sums=('" + 'b'.repeat(128) + "'",
    "            'SKIP')",
    "b2sums=('" + 'c'.repeat(128) + "' 'SKIP')",
  ].join('\n');
  const sha512 = 'b'.repeat(128);
  assert.deepStrictEqual(withoutOrigins(pkgbuild.extract(text, '/src/xz/PKGBUILD')), [
    { ...own, ecosystem: 'Arch Linux', name: 'xz', version: '1:5.6.1-1', range: on(3, 7, 12) },
    { kind: 'package', ecosystem: 'Arch Linux', name: 'xz', version: '5.6.1-1', range: on(5, 13, 20), context: 'depends' },
    { kind: 'package', ecosystem: 'Arch Linux', name: 'liblzma', constraint: '>=5.6.0', range: on(5, 37, 42), context: 'depends' },
    { kind: 'package', ecosystem: 'Arch Linux', name: 'xz-utils', constraint: '=5.6.1', range: on(5, 54, 59), context: 'depends' },
    { kind: 'package', ecosystem: 'Arch Linux', name: 'xz', constraint: '<5.6.2', range: on(6, 16, 21), context: 'optdepends' },
    { kind: 'url', value: 'https://example.org/xz-5.6.1.tar.gz', range: on(7, 28, 65), via: 'pkgver=5.6.1 (line 4)', context: 'source', guardedBy: [sha512] },
    {
      kind: 'git-tag', value: 'github.com/tukaani-project/xz@fd1b975b7851e081ed6e5cf63df946cd5cbdbb94', range: on(8, 62, 102),
      context: 'source', guardedBy: [sha512],
    },
    { kind: 'sha512', value: sha512, range: on(9, 13, 141), context: 'sha512sums' },
  ]);
});

test('treats a recipe under an MSYS2 packages folder as MSYS2', () => {
  const text = "pkgbase=xz\npkgname=('xz' 'liblzma')\npkgver=5.6.1\npkgrel=1\n";
  assert.deepStrictEqual(withoutOrigins(pkgbuild.extract(text, '/src/MSYS2-packages/xz/PKGBUILD')), [{ ...own, ecosystem: 'MSYS2', name: 'xz', version: '5.6.1-1', range: on(2, 7, 12) }]);
});

test('takes the distribution from the recipe repository: MINGW-packages, MSYS2-packages, mingw-w64- names, msys2 in the path or pkgbase', () => {
  const msys = "pkgname=('xz' 'liblzma' 'liblzma-devel')\npkgver=5.6.1\npkgrel=1\n";
  const mingw = 'pkgbase=mingw-w64-xz\npkgver=5.6.1\npkgrel=1\n';
  const shape = (text: string, path: string): Array<[string, string]> => pkgbuild.extract(text, path).flatMap((r) => (r.kind === 'package' ? [[r.ecosystem, r.name] as [string, string]] : []));
  assert.deepStrictEqual(
    [
      shape(msys, '/src/MSYS2-packages/xz/PKGBUILD'),
      shape(msys, '/home/me/clones/my-msys2-tree/xz/PKGBUILD'),
      shape(msys, 'C:\\Users\\me\\MSYS2-packages-master\\xz\\PKGBUILD'),
      shape(msys.replace('pkgname=', 'pkgbase=msys2-xz\npkgname='), '/tmp/PKGBUILD'),
      shape(mingw, '/tmp/PKGBUILD'),
      shape("pkgname=xz\npkgver=5.6.1\npkgrel=1\n", '/src/MINGW-packages/mingw-w64-xz/PKGBUILD'),
      shape("pkgname=xz\npkgver=5.6.1\npkgrel=1\n", '/work/mingw-w64-xz/PKGBUILD'),
      shape(msys, '/srv/archlinux/packaging/xz/PKGBUILD'),
    ],
    [
      [['MSYS2', 'xz']],
      [['MSYS2', 'xz']],
      [['MSYS2', 'xz']],
      [['MSYS2', 'msys2-xz']],
      [['MSYS2', 'mingw-w64-xz']],
      [['MSYS2', 'mingw-w64-xz']],
      [['MSYS2', 'mingw-w64-xz']],
      [['Arch Linux', 'xz']],
    ],
  );
});

test('edits a mingw dependency version held in one variable where it is set', () => {
  const text = "_realname=libarchive\npkgbase=mingw-w64-${_realname}\npkgver=3.7.2\npkgrel=1\n_xz='5.6.1-1'\ndepends=(\"${MINGW_PACKAGE_PREFIX}-xz=${_xz}\")\n";
  assert.deepStrictEqual(withoutOrigins(pkgbuild.extract(text, '/src/MINGW-packages/mingw-w64-libarchive/PKGBUILD')), [
    { ...own, ecosystem: 'MSYS2', name: 'mingw-w64-libarchive', version: '3.7.2-1', range: on(2, 7, 12) },
    {
      kind: 'package', ecosystem: 'MSYS2', name: 'mingw-w64-xz', version: '5.6.1-1', range: on(5, 37, 43), edit: on(4, 5, 12),
      via: 'MINGW_PACKAGE_PREFIX=mingw-w64 (MSYS2, for each environment), _xz=5.6.1-1 (line 5)', context: 'depends',
    },
  ]);
});

test('reads the dependencies package functions set, with the values the file ends with, and skips other functions', () => {
  const text = [
    'pkgbase=foo', // 0
    "pkgname=('foo' 'foo-xz')",
    'pkgver=1.0',
    'pkgrel=1',
    'build() {',
    "  depends=('xz=5.6.1-1')", // 5
    '  cat > x <<EOF',
    "} depends=('xz=5.6.0-1')",
    'EOF',
    '}',
    'package_foo() {', // 10
    "  local depends=('xz=5.6.1-1')",
    '}',
    'function package_foo-xz {',
    '  depends=("xz=$_xz" "${pkgbase}=${pkgver}-${pkgrel}")',
    "  optdepends+=('xz=5.6.0-1: faster')", // 15
    '}',
    "_xz='5.6.1-1'",
  ].join('\n');
  // `${pkgbase}=${pkgver}-${pkgrel}` pins the release the recipe builds: its own reference already reports it.
  assert.deepStrictEqual(withoutOrigins(pkgbuild.extract(text, '/src/foo/PKGBUILD')), [
    { ...own, ecosystem: 'Arch Linux', name: 'foo', version: '1.0-1', range: on(2, 7, 10) },
    {
      kind: 'package', ecosystem: 'Arch Linux', name: 'xz', version: '5.6.1-1', range: on(14, 15, 19), edit: on(17, 5, 12),
      via: "_xz=5.6.1-1 (line 18)", context: 'depends in package_foo-xz()',
    },
    { kind: 'package', ecosystem: 'Arch Linux', name: 'xz', version: '5.6.0-1', range: on(15, 19, 26), context: 'optdepends in package_foo-xz()' },
  ]);
});

test('reads what comes before an array that never closes, and the assignments after it', () => {
  const { path, text } = fixture('pkgbuild', 'unterminated-array');
  assert.deepStrictEqual(withoutOrigins(pkgbuild.extract(text, path)), [
    { ...own, ecosystem: 'Arch Linux', name: 'xz', version: '5.6.1-1', range: on(1, 7, 12) },
    { kind: 'sha256', value: gzSha256, range: on(5, 13, 77), context: 'sha256sums' },
  ]);
});

test('reads nothing from an empty or a binary file', () => {
  for (const name of ['empty', 'binary']) {
    const { path, text } = fixture('pkgbuild', name);
    assert.deepStrictEqual(withoutOrigins(pkgbuild.extract(text, path)), [], name);
  }
});

test('uses the release digests the shared reference records', (t) => {
  const reference = join(repoRoot, '..', 'shared', 'reference', 'compromised-releases.md');
  if (!existsSync(reference)) return t.skip('../shared is not beside the repository');
  const text = readFileSync(reference, 'utf8');
  assert.deepStrictEqual([gzSha256, xzSha256].map((digest) => text.includes(`\`${digest}\``)), [true, true]);
});
