/** Where the repository and ../shared are, wherever a bundled test runs from (out/test/...). */
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

/** The repository root: the nearest folder above the running test that holds esbuild.mjs. */
export const repoRoot = findRoot(__dirname);

/** ../shared beside the repository: present in CI and on the project's machines, not in a user's clone. */
export const sharedDir = resolve(repoRoot, '..', 'shared');
