/** Shared by the package-lock tests: where the repository is, wherever the bundled test runs from. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

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

/** The shared corpus beside the repository, present in CI and on the project's machines but not in a user's clone. */
export const sharedDir = resolve(repoRoot, '..', 'shared');
