/** Shared by the Python format tests: fixtures, references with ranges, and fixes applied to whole texts. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeFile } from '../../../server/src/engine';
import { applyEdits } from '../../../server/src/edits';
import { defaultSettings, type Finding, type PackageReference, type ReadProblem } from '../../../server/src/model';
import { repoRoot } from '../../paths';

/** The text of a fixture under test/fixtures/python/. */
export function pyFixture(path: string): string {
  return readFileSync(join(repoRoot, 'test', 'fixtures', 'python', path), 'utf8');
}

/** A range on one line, from `start` to `end` (0-based). */
export function on(line: number, start: number, end: number): PackageReference['range'] {
  return { start: { line, character: start }, end: { line, character: end } };
}

/** A PyPI reference with an exact version. */
export function pin(name: string, version: string, range: PackageReference['range'], context: string, more: Partial<PackageReference> = {}): PackageReference {
  return { kind: 'package', ecosystem: 'PyPI', name, version, range, context, ...more };
}

/** A PyPI reference with a constraint. */
export function constrained(name: string, constraint: string, range: PackageReference['range'], context: string, more: Partial<PackageReference> = {}): PackageReference {
  return { kind: 'package', ecosystem: 'PyPI', name, constraint, range, context, ...more };
}

/** A read problem at one position. */
export function problemAt(message: string, line: number, character: number): ReadProblem {
  return { kind: 'problem', reason: 'syntax', message, range: { start: { line, character }, end: { line, character } } };
}

/** The findings of a file analysed with sibling files (by absolute path) readable. */
export function findingsOf(path: string, text: string, files: Record<string, string> = {}): Finding[] {
  return analyzeFile(path, text, defaultSettings, { readFile: (p) => files[p] }).findings;
}

/**
 * Each file's whole text after applying the preferred fix of every finding (each fix whole), by path: the analysed
 * file's and the siblings' the fixes edit.
 */
export function fixedTexts(path: string, text: string, files: Record<string, string> = {}): Record<string, string> {
  const all: Record<string, string> = { ...files, [path]: text };
  const edits = findingsOf(path, text, files).flatMap((f) => f.fixes[0]?.edits ?? []);
  const out: Record<string, string> = {};
  for (const [file, before] of Object.entries(all)) {
    const mine = edits.filter((e) => fileURLToPath(e.uri) === file);
    out[file] = applyEdits(before, mine).text;
  }
  return out;
}
