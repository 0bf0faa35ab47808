/** Shared by the recipe tests (APKBUILD, PKGBUILD, the scanner): fixtures, ranges and the repository root. */
import { repoRoot, sharedDir } from '../../paths';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Range } from '../../../server/src/model';

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

export { repoRoot, sharedDir };

/**
 * References without their `origins` runs, which map each character of a URL to its file offset: those are
 * checked where they matter, by the fixes they make (test/unit/engine/urlFixes.test.ts), not as offsets here.
 */
export function withoutOrigins<T extends object>(refs: readonly T[]): T[] {
  return refs.map((ref) => {
    if (!('origins' in ref)) return ref;
    const { origins: _origins, ...rest } = ref as T & { origins: unknown };
    return rest as T;
  });
}
