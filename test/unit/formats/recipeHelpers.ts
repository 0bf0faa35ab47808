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
