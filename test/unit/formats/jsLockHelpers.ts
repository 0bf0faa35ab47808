/** Shared by the yarn, pnpm and bun lockfile tests: fixtures and the references they should give. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PackageManager, PackageReference, ReadProblem } from '../../../server/src/model';
import { repoRoot } from '../../paths';

/** The text of a fixture under test/fixtures/js/. */
export function jsFixture(path: string): string {
  return readFileSync(join(repoRoot, 'test', 'fixtures', 'js', path), 'utf8');
}

/** The reference an installed registry package gives: its version on `line` (0-based) from `start`. */
export function lockRef(manager: PackageManager, context: string, name: string, version: string, line: number, start: number, alias?: string): PackageReference {
  return {
    kind: 'package',
    ecosystem: 'npm',
    name,
    version,
    range: { start: { line, character: start }, end: { line, character: start + version.length } },
    ...(alias === undefined ? {} : { via: `npm alias ${alias}` }),
    context,
    fix: alias === undefined
      ? { kind: 'npm-override', packageJson: '/work/app/package.json', manager }
      : { kind: 'none', reason: `It is installed under the alias ${alias}: change that alias's version in package.json, then run ${manager} install.` },
  };
}

/** A read problem on one line, from `start` to `end`. */
export function problem(reason: ReadProblem['reason'], message: string, line: number, start: number, end: number, endLine = line): ReadProblem {
  return { kind: 'problem', reason, message, range: { start: { line, character: start }, end: { line: endLine, character: end } } };
}
