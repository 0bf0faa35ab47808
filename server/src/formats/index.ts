/** The one ordered table of formats: the first whose patterns match a file's basename reads it. */
import type { Format } from '../model';
import { apkbuild } from './apkbuild';
import { bunLock } from './bunLock';
import { cargoLock } from './cargoLock';
import { dockerfile } from './dockerfile';
import { packageJson } from './packageJson';
import { packageLock } from './packageLock';
import { matchesPattern } from './patterns';
import { pkgbuild } from './pkgbuild';
import { pnpmLock } from './pnpmLock';
import { requirements } from './requirements';
import { yarnLock } from './yarnLock';

export const formats: readonly Format[] = [dockerfile, apkbuild, pkgbuild, packageLock, yarnLock, pnpmLock, bunLock, packageJson, requirements, cargoLock];

/** The format that reads a file, by its basename, or undefined when Pinwatch does not read it. */
export function formatFor(path: string): Format | undefined {
  const basename = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  return formats.find((format) => format.patterns.some((pattern) => matchesPattern(basename, pattern)));
}
