/** Shared by the recipe tests (APKBUILD, PKGBUILD, the scanner): fixtures, ranges and the repository root. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Range } from '../../../server/src/model';

function findRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'esbuild.mjs'))) {
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

/** The repository root: the nearest folder above this file that holds esbuild.mjs. */
export const repoRoot = findRoot(__dirname);

/** A fixture's path and text: `test/fixtures/<format>/<case>/<file>`. */
export function fixture(format: 'apkbuild' | 'pkgbuild', name: string): { path: string; text: string } {
  const path = join(repoRoot, 'test', 'fixtures', format, name, format === 'apkbuild' ? 'APKBUILD' : 'PKGBUILD');
  return { path, text: readFileSync(path, 'utf8') };
}

/** A range on one line, 0-based. */
export function on(line: number, start: number, end: number): Range {
  return { start: { line, character: start }, end: { line, character: end } };
}

/** The reason every recipe's own version carries instead of an edit. */
export const rebuild = {
  kind: 'none',
  reason: 'This recipe builds the package from its source; change the source to a safe release and update its checksums rather than its version number.',
} as const;
