/** The one ordered table of formats: the first whose patterns match a file's path reads it. */
import type { Format } from '../model';
import { apkbuild } from './apkbuild';
import { cargoLock } from './cargoLock';
import { compose } from './compose';
import { devcontainer } from './devcontainer';
import { dockerfile } from './dockerfile';
import { githubActions } from './githubActions';
import { gitlabCi } from './gitlabCi';
import { helmValues } from './helmValues';
import { kubernetes } from './kubernetes';
import { packageJson } from './packageJson';
import { packageLock } from './packageLock';
import { matchesPath, matchesPattern } from './patterns';
import { pkgbuild } from './pkgbuild';
import { requirements } from './requirements';

export const formats: readonly Format[] = [dockerfile, apkbuild, pkgbuild, packageLock, packageJson, requirements, cargoLock, githubActions, gitlabCi, compose, helmValues, devcontainer, kubernetes];

/**
 * The format that reads a file, by its basename (or its last folders, for patterns such as
 * `.github/workflows/*.yml`), or undefined when Pinwatch does not read it.
 */
export function formatFor(path: string): Format | undefined {
  const basename = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  // Pinwatch's own policy file is configuration, not a manifest any format reads.
  if (basename === '.pinwatch.yaml') return undefined;
  return formats.find((format) => format.patterns.some((pattern) => (pattern.includes('/') ? matchesPath(path, pattern) : matchesPattern(basename, pattern))));
}
