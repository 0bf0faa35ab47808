/** The one ordered table of formats: the first whose patterns match a file's path reads it. */
import type { Format } from '../model';
import { apkbuild } from './apkbuild';
import { bunLock } from './bunLock';
import { cargoLock } from './cargoLock';
import { compose } from './compose';
import { devcontainer } from './devcontainer';
import { dockerfile } from './dockerfile';
import { ebuild, portageLists } from './gentoo';
import { githubActions } from './githubActions';
import { gitlabCi } from './gitlabCi';
import { helmValues } from './helmValues';
import { kubernetes } from './kubernetes';
import { packageJson } from './packageJson';
import { packageLock } from './packageLock';
import { matchesPath, matchesPattern } from './patterns';
import { pkgbuild } from './pkgbuild';
import { pnpmLock } from './pnpmLock';
import { requirements } from './requirements';
import { rpmSpec } from './rpmSpec';
import { yarnLock } from './yarnLock';

export const formats: readonly Format[] = [dockerfile, apkbuild, pkgbuild, packageLock, yarnLock, pnpmLock, bunLock, packageJson, requirements, cargoLock, rpmSpec, ebuild, portageLists, githubActions, gitlabCi, compose, helmValues, devcontainer, kubernetes];

/**
 * The format that reads a file, by its basename (or its last folders, for patterns such as
 * `.github/workflows/*.yml`), or undefined when Pinwatch does not read it.
 */
export function formatFor(path: string): Format | undefined {
  const basename = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  // Pinwatch's own policy file is configuration, not a manifest any format reads.
  if (basename === '.pinwatch.yaml') return undefined;
  // A walk asks for every name in a tree, and names repeat (index.ts, README.md): the answer by basename is kept,
  // for a bounded number of names. Path patterns (.github/workflows/*.yml) depend on the folders and are checked
  // each time, in table order before the basename's answer.
  let byBase = byName.get(basename);
  if (byBase === undefined) {
    byBase = formats.findIndex((f) => f.patterns.some((pattern) => !pattern.includes('/') && matchesPattern(basename, pattern)));
    if (byName.size >= 10_000) byName.clear();
    byName.set(basename, byBase);
  }
  const byPath = pathFormats.find((i) => (byBase < 0 || i < byBase) && formats[i]!.patterns.some((pattern) => pattern.includes('/') && matchesPath(path, pattern)));
  const at = byPath ?? byBase;
  return at < 0 ? undefined : formats[at];
}

const byName = new Map<string, number>();

/** The indexes of the formats that have path patterns. */
const pathFormats = formats.flatMap((f, i) => (f.patterns.some((p) => p.includes('/')) ? [i] : []));
