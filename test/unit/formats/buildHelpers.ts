/** Shared by the C/C++ package manager and build file tests: fixtures, ranges found in the text, fixed texts. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyEdits } from '../../../server/src/edits';
import { analyzeFile } from '../../../server/src/engine';
import { defaultSettings, type Range } from '../../../server/src/model';
import { repoRoot } from '../../paths';

/** The text of `test/fixtures/buildfiles/<name>`. */
export function fixture(name: string): string {
  return readFileSync(join(repoRoot, 'test', 'fixtures', 'buildfiles', name), 'utf8');
}

/** The range of the `nth` occurrence of `needle` on 0-based line `line` (found in the text, never guessed). */
export function tok(text: string, line: number, needle: string, nth = 0): Range {
  const lines = text.split(/\r\n|\n/);
  let at = -1;
  for (let k = 0; k <= nth; k += 1) at = lines[line]!.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${JSON.stringify(needle)} is on line ${line}`);
  return { start: { line, character: at }, end: { line, character: at + needle.length } };
}

/** Each finding and problem of a file: line, severity, code, and the whole text after its first fix (when it has one). */
export function fixed(path: string, text: string, readFile?: (path: string) => string | undefined): Array<{ line: number; severity: string; code: string; text?: string }> {
  const { findings, problems } = analyzeFile(path, text, defaultSettings, readFile ? { readFile } : {});
  return [
    ...findings.map((f) => ({ line: f.reference.range.start.line, severity: f.severity, code: f.code, ...(f.fixes[0] ? { text: applyEdits(text, f.fixes[0].edits).text } : {}) })),
    ...problems.map((p) => ({ line: p.range.start.line, severity: 'problem', code: p.reason })),
  ];
}

/** The text with the `nth` occurrence of `from` replaced by `to`. */
export function replaced(text: string, from: string, to: string, nth = 0): string {
  let at = -1;
  for (let k = 0; k <= nth; k += 1) at = text.indexOf(from, at + 1);
  assert.ok(at >= 0, `${JSON.stringify(from)} is in the text`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/** References without `origins` (checked through the fixes they make). */
export function withoutOrigins<T extends object>(refs: readonly T[]): T[] {
  return refs.map((ref) => {
    if (!('origins' in ref)) return ref;
    const { origins: _origins, ...rest } = ref as T & { origins: unknown };
    return rest as T;
  });
}
