import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../../server/src/engine';
import { defaultSettings } from '../../../server/src/model';

const tarXz512 = 'a8b6d2e58eb61609a64b182e868c47aaf722d34f87bad3a9598c94ad96fb3357477959a95bb215c1dac59b8c84453cf00dc23669d13358f4aeb5123526f741f2';

/** Alpine's xz recipe as aports had it at 5.6.1-r1, trimmed to what Pinwatch reads. */
const alpineXz = [
  'pkgname=xz',
  'pkgver=5.6.1',
  'pkgrel=1',
  'depends_dev="$pkgname=$pkgver-r$pkgrel"',
  'subpackages="$pkgname-static $pkgname-dev $pkgname-doc $pkgname-libs"',
  'source="https://github.com/tukaani-project/xz/releases/download/v$pkgver/xz-$pkgver.tar.xz"',
  `sha512sums="\n${tarXz512}  xz-5.6.1.tar.xz\n"`,
  '',
].join('\n');

test("Alpine's xz 5.6.1-r1 recipe is one finding for its release, one for its tarball and one for its checksum", () => {
  const findings = analyze('/aports/main/xz/APKBUILD', alpineXz, defaultSettings);
  assert.deepStrictEqual(findings.map((f) => [f.code, f.severity, f.reference.kind, f.reference.range.start.line]), [
    ['compromised-version', 'error', 'package', 1],
    ['compromised-artifact', 'error', 'url', 5],
    ['compromised-artifact', 'error', 'sha512', 7],
  ]);
});
