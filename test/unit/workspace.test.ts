import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { isExcluded, matchesGlob, walk, type WalkEntry, type WalkOptions } from '../../server/src/workspace';
import { repoRoot } from '../paths';

const fixture = join(repoRoot, 'test', 'fixtures', 'workspace');

/** A temporary copy of the fixture with what git would not keep: dependency and VCS folders, a symlink loop. */
const root = mkdtempSync(join(tmpdir(), 'pinwatch-walk-'));
cpSync(fixture, root, { recursive: true });
for (const dir of ['node_modules/left-pad', '.git/objects', '.hg']) mkdirSync(join(root, dir), { recursive: true });
writeFileSync(join(root, 'node_modules/left-pad/package-lock.json'), '{}\n');
writeFileSync(join(root, '.git/objects/Dockerfile'), 'FROM debian:sid\n');
writeFileSync(join(root, '.hg/PKGBUILD'), 'pkgname=x\n');
symlinkSync(root, join(root, 'safe', 'loop'));
after(() => rmSync(root, { recursive: true, force: true }));

async function collect(roots: string[], options: WalkOptions = {}): Promise<WalkEntry[]> {
  const entries: WalkEntry[] = [];
  for await (const entry of walk(roots, options)) entries.push({ ...entry, path: entry.path.slice(root.length + 1) });
  return entries;
}

test('finds the files a format reads, sorted, skipping dependency and VCS folders and symlink loops', async () => {
  assert.deepStrictEqual(await collect([root]), [
    { path: 'Dockerfile', size: 74 },
    { path: 'alpine/APKBUILD', size: 135 },
    { path: 'app/package-lock.json', size: 384 },
    { path: 'app/package.json', size: 89 },
    { path: 'safe/Dockerfile', size: 86 },
    { path: 'vendor/base/build.Dockerfile', size: 76 },
  ]);
});

test('honours exclude globs on folders and files', async () => {
  assert.deepStrictEqual((await collect([root], { exclude: ['vendor'] })).map((e) => e.path), ['Dockerfile', 'alpine/APKBUILD', 'app/package-lock.json', 'app/package.json', 'safe/Dockerfile']);
  assert.deepStrictEqual((await collect([root], { exclude: ['**/*.Dockerfile', 'safe/**', 'app'] })).map((e) => e.path), ['Dockerfile', 'alpine/APKBUILD']);
  assert.deepStrictEqual((await collect([root], { exclude: ['/Dockerfile'] })).map((e) => e.path), ['alpine/APKBUILD', 'app/package-lock.json', 'app/package.json', 'safe/Dockerfile', 'vendor/base/build.Dockerfile']);
});

test('reports a file over the size cap as skipped, with the reason', async () => {
  assert.deepStrictEqual(await collect([root], { maxFileBytes: 85 }), [
    { path: 'Dockerfile', size: 74 },
    { path: 'alpine/APKBUILD', size: 135, skipped: 'larger than the 85 bytes cap (135 bytes)' },
    { path: 'app/package-lock.json', size: 384, skipped: 'larger than the 85 bytes cap (384 bytes)' },
    { path: 'app/package.json', size: 89, skipped: 'larger than the 85 bytes cap (89 bytes)' },
    { path: 'safe/Dockerfile', size: 86, skipped: 'larger than the 85 bytes cap (86 bytes)' },
    { path: 'vendor/base/build.Dockerfile', size: 76 },
  ]);
});

test('yields a root that is itself a readable file, and passes over a missing root', async () => {
  assert.deepStrictEqual(await collect([join(root, 'Dockerfile'), join(root, 'missing'), join(root, 'docs', 'README.md')]), [{ path: 'Dockerfile', size: 74 }]);
});

test('yields links out of the roots and broken links as skipped, and follows links that stay inside', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pinwatch-walk-links-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'outside', 'lib'), { recursive: true });
  mkdirSync(join(dir, 'root', 'real'), { recursive: true });
  writeFileSync(join(dir, 'outside', 'Dockerfile'), 'FROM alpine\n');
  writeFileSync(join(dir, 'root', 'real', 'PKGBUILD'), 'pkgname=x\n');
  symlinkSync(join(dir, 'outside', 'Dockerfile'), join(dir, 'root', 'Dockerfile'));
  symlinkSync(join(dir, 'outside', 'lib'), join(dir, 'root', 'lib'));
  symlinkSync(join(dir, 'outside', 'README.md'), join(dir, 'root', 'README.md'));
  symlinkSync(join(dir, 'missing'), join(dir, 'root', 'APKBUILD'));
  symlinkSync(join(dir, 'root', 'real'), join(dir, 'root', 'same'));
  const entries: WalkEntry[] = [];
  for await (const entry of walk([join(dir, 'root')])) entries.push({ ...entry, path: entry.path.slice(dir.length + 1) });
  assert.deepStrictEqual(entries, [
    { path: 'root/APKBUILD', size: 0, skipped: 'broken symbolic link' },
    { path: 'root/Dockerfile', size: 0, skipped: `symbolic link to ${join(dir, 'outside', 'Dockerfile')}, outside the scanned folders` },
    { path: 'root/lib', size: 0, skipped: `symbolic link to ${join(dir, 'outside', 'lib')}, outside the scanned folders` },
    { path: 'root/real/PKGBUILD', size: 10 },
  ]);
});

test('stops when cancelled', async () => {
  const paths: string[] = [];
  for await (const entry of walk([root], { isCancelled: () => paths.length > 0 })) paths.push(entry.path);
  assert.deepStrictEqual(paths, [join(root, 'Dockerfile')]);
});

test('matches globs: ** spans folders, * and ? stay within a name, a bare name matches at any depth', () => {
  const cases: [string, string, boolean][] = [
    ['vendor/base/build.Dockerfile', '**/vendor/**', true],
    ['vendor/base/build.Dockerfile', 'vendor/**', true],
    ['vendor', 'vendor/**', true],
    ['a/vendor/x', 'vendor/**', false],
    ['a/vendor/x', 'vendor', true],
    ['a/b/Dockerfile', '*/Dockerfile', false],
    ['b/Dockerfile', '*/Dockerfile', true],
    ['a/b/Dockerfile', '**/Dockerfile', true],
    ['Dockerfile', '**/Dockerfile', true],
    ['Dockerfile.dev', 'Dockerfile.???', true],
    ['Dockerfile.prod', 'Dockerfile.???', false],
    ['a.b/Dockerfile', 'a?b/*', true],
    ['Dockerfile', './Dockerfile', true],
    ['x/Dockerfile', '/Dockerfile', false],
    ['test/fixtures/x', 'test/fixtures', true],
  ];
  assert.deepStrictEqual(cases.map(([path, glob]) => [path, glob, matchesGlob(path, glob)]), cases);
});

test('applies exclude globs to an open file relative to its workspace folder', () => {
  assert.equal(isExcluded('/repo/vendor/Dockerfile', ['/repo'], ['/vendor']), true);
  assert.equal(isExcluded('/repo/app/vendor/Dockerfile', ['/repo'], ['/vendor']), false);
  assert.equal(isExcluded('/elsewhere/vendor/Dockerfile', ['/repo'], ['vendor']), true);
  assert.equal(isExcluded('/repo/Dockerfile', ['/repo'], []), false);
});
