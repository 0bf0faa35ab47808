import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, relative } from 'node:path';
import { walkSync } from '../../../../server/src/workspace';
import { documentSelector } from '../../../../client/src/documentSelector';
import { repoRoot } from '../../../paths';

test('the walker enters var/, lib/ and usr/ and yields the databases and SBOMs, files without an extension included', () => {
  const root = join(repoRoot, 'test', 'fixtures', 'installed');
  assert.deepStrictEqual([...walkSync([root])].map((e) => relative(root, e.path)), [
    'alpine/lib/apk/db/installed',
    'alpine-safe/lib/apk/db/installed',
    'arch/var/lib/pacman/local/openssh-9.7p1-1/desc',
    'arch/var/lib/pacman/local/xz-5.6.1-1/desc',
    'arch-safe/var/lib/pacman/local/xz-5.6.1-2/desc',
    'debian/var/lib/dpkg/status',
    'distroless/var/lib/dpkg/status.d/liblzma5',
    'distroless/var/lib/dpkg/status.d/liblzma5.md5sums',
    'sboms/app.cdx.xml',
    'sboms/app.spdx',
    'sboms/app.spdx.json',
    'sboms/bom.json',
    'ubuntu-safe/var/lib/dpkg/status',
  ]);
});

test('the editor opens SBOMs and databases: the document selector has their patterns under any folder', () => {
  const patterns = documentSelector().map((e) => e.pattern);
  for (const p of ['**/bom.json', '**/*.cdx.json', '**/*.bom.json', '**/bom.xml', '**/*.cdx.xml', '**/*.spdx.json', '**/*.spdx', '**/var/lib/dpkg/status', '**/var/lib/dpkg/status.d/*', '**/lib/apk/db/installed', '**/var/lib/pacman/local/*/desc']) {
    assert.ok(patterns.includes(p), p);
  }
});
