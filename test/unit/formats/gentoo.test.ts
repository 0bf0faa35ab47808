import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../../server/src/engine';
import { ebuild, portageLists } from '../../../server/src/formats/gentoo';
import { formatFor } from '../../../server/src/formats/index';
import { dockerfile } from '../../../server/src/formats/dockerfile';
import { defaultSettings, type Extracted } from '../../../server/src/model';
import { on, rebuild, repoRoot, withoutOrigins } from './recipeHelpers';

const folder = join(repoRoot, 'test', 'fixtures', 'ebuild', 'app-arch', 'xz-utils');

test('an ebuild: its version from the file name, category from the folders, SRC_URI after ${PN}/${PV}/${MY_P}, versioned dependencies', () => {
  const path = join(folder, 'xz-utils-5.6.1.ebuild');
  const text = readFileSync(path, 'utf8');
  assert.deepStrictEqual(withoutOrigins(ebuild.extract(text, path)), [
    { kind: 'package', ecosystem: 'Gentoo', name: 'app-arch/xz-utils', version: '5.6.1', range: on(0, 0, 0), via: 'the ebuild file name', fix: rebuild, context: 'ebuild file name', builds: true },
    {
      kind: 'url', value: 'https://github.com/tukaani-project/xz/releases/download/v5.6.1/xz-5.6.1.tar.gz', range: on(8, 2, 81),
      via: 'PV=5.6.1 (the ebuild file name), MY_P=xz-5.6.1 (line 7)', context: 'SRC_URI',
    },
    { kind: 'url', value: 'mirror://sourceforge/lzmautils/xz-5.6.1.tar.gz', range: on(9, 2, 47), via: 'MY_P=xz-5.6.1 (line 7)', context: 'SRC_URI' },
    { kind: 'package', ecosystem: 'Gentoo', name: 'app-arch/xz-utils', constraint: '>=5.6.0', range: on(15, 29, 34), context: 'RDEPEND' },
  ] satisfies Extracted[]);
});

test('the safe revision is not flagged; the compromised one is, at its URL and as the release it builds', () => {
  const safe = join(folder, 'xz-utils-5.4.6-r1.ebuild');
  assert.deepStrictEqual(analyze(safe, readFileSync(safe, 'utf8'), defaultSettings), []);
  const bad = join(folder, 'xz-utils-5.6.1.ebuild');
  assert.deepStrictEqual(analyze(bad, readFileSync(bad, 'utf8'), defaultSettings).map((f) => [f.code, f.severity, f.reference.range.start.line]), [
    ['compromised-version', 'warning', 0],
    ['compromised-artifact', 'error', 8],
    ['compromised-artifact', 'error', 9],
    ['range-admits-compromised', 'warning', 15],
  ]);
});

test('a SRC_URI on a mirror:// group is the file it names: the 5.6.1 tarball from SourceForge\'s mirrors is an error, 5.4.6 nothing', () => {
  const path = '/g/app-arch/xz-utils/xz-utils-5.6.1.ebuild';
  const text = 'EAPI=8\nMY_P="xz-${PV/_}"\nSRC_URI="mirror://sourceforge/lzmautils/${MY_P}.tar.gz"\nSLOT="0"\n';
  assert.deepStrictEqual(analyze(path, text, defaultSettings).map((f) => [f.code, f.severity, f.reference.range.start.line, f.reference.range.start.character, f.reference.range.end.character]), [
    ['compromised-version', 'warning', 0, 0, 0],
    ['compromised-artifact', 'error', 2, 9, 54],
  ]);
  const older = '/g/app-arch/xz-utils/xz-utils-5.4.6.ebuild';
  assert.deepStrictEqual(analyze(older, text, defaultSettings), []);
});

test('Portage lists: accept_keywords and unmask atoms pin versions, a mask is the fix and is never flagged', () => {
  const text = '# keywords\n=app-arch/xz-utils-5.6.1 ~amd64\n~app-arch/xz-utils-5.6.0\n>=app-arch/xz-utils-5.4.6:0::gentoo amd64\napp-arch/xz-utils\n=dev-libs/foo-1.2* ~amd64\n';
  const refs = [
    { kind: 'package', ecosystem: 'Gentoo', name: 'app-arch/xz-utils', version: '5.6.1', range: on(1, 19, 24), context: 'package.accept_keywords' },
    { kind: 'package', ecosystem: 'Gentoo', name: 'app-arch/xz-utils', constraint: '>=5.6.0, <5.6.0-r99999999', range: on(2, 19, 24), context: 'package.accept_keywords' },
    { kind: 'package', ecosystem: 'Gentoo', name: 'app-arch/xz-utils', constraint: '>=5.4.6', range: on(3, 20, 25), context: 'package.accept_keywords' },
    { kind: 'package', ecosystem: 'Gentoo', name: 'dev-libs/foo', constraint: '~1.2', range: on(5, 14, 17), context: 'package.accept_keywords' },
  ];
  assert.deepStrictEqual(portageLists.extract(text, '/etc/portage/package.accept_keywords'), refs);
  assert.deepStrictEqual(portageLists.extract(text, '/etc/portage/package.accept_keywords/xz').map((r) => r.kind), ['package', 'package', 'package', 'package']);
  assert.deepStrictEqual(portageLists.extract(text, '/etc/portage/package.mask'), []);
  assert.deepStrictEqual(analyze('/etc/portage/package.mask/xz', '=app-arch/xz-utils-5.6.0\n=app-arch/xz-utils-5.6.1\n', defaultSettings), []);
  assert.deepStrictEqual(analyze('/etc/portage/package.unmask', '=app-arch/xz-utils-5.6.1\n', defaultSettings).map((f) => [f.code, f.severity]), [['compromised-version', 'warning']]);
  assert.deepStrictEqual(['/var/lib/portage/world', '/etc/portage/sets/tools', '/x/app-arch/xz-utils/xz-utils-5.6.1.ebuild'].map((p) => formatFor(p)?.id), ['gentoo/portage', 'gentoo/portage', 'gentoo/ebuild']);
});

test('emerge =cat/pkg-ver in a Dockerfile RUN is a Gentoo pin; --pretend and sets are not', () => {
  const text = 'FROM gentoo/stage3\nRUN emerge --oneshot =app-arch/xz-utils-5.6.1 @world && emerge -p =app-arch/xz-utils-5.6.0\n';
  assert.deepStrictEqual(dockerfile.extract(text, '/x/Dockerfile').filter((r) => r.kind === 'package'), [
    { kind: 'package', ecosystem: 'Gentoo', name: 'app-arch/xz-utils', range: on(1, 40, 45), context: 'emerge', version: '5.6.1' },
  ]);
});
