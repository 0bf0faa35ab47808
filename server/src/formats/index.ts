/** The one ordered table of formats: the first whose patterns match a file's basename reads it. */
import type { Format } from '../model';
import { apkbuild } from './apkbuild';
import { cargoLock } from './cargoLock';
import { dockerfile } from './dockerfile';
import { packageJson } from './packageJson';
import { packageLock } from './packageLock';
import { matchesPattern } from './patterns';
import { pkgbuild } from './pkgbuild';
import { requirements } from './requirements';

export const formats: readonly Format[] = [dockerfile, apkbuild, pkgbuild, packageLock, packageJson, requirements, cargoLock];

/** The format that reads a file, by its basename, or undefined when Pinwatch does not read it. */
export function formatFor(path: string): Format | undefined {
  const basename = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  // A walk asks for every name in a tree, and names repeat (index.ts, README.md): answers are kept, a bounded number.
  if (byName.has(basename)) return byName.get(basename);
  const format = formats.find((f) => f.patterns.some((pattern) => matchesPattern(basename, pattern)));
  if (byName.size >= 10_000) byName.clear();
  byName.set(basename, format);
  return format;
}

const byName = new Map<string, Format | undefined>();
