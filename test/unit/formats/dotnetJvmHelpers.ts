/**
 * Shared by the NuGet, Maven and Gradle tests: a test-only advisory set (no NuGet or Maven compromise is bundled, and
 * none is invented: these names are the tests' own), the findings of a text under it, and the text after `--fix`.
 */
import { buildIndex } from '../../../server/src/advisories/index';
import type { OsvRecord } from '../../../server/src/advisories/records';
import { applyEdits } from '../../../server/src/edits';
import { analyzeFile, type Analysis } from '../../../server/src/engine';
import { defaultSettings, type Range, type ReadProblem } from '../../../server/src/model';

/** A compromised-release record of the test set: `versions` affected, `safe` offered. */
function record(id: string, ecosystem: string, name: string, versions: string[], safe: string[]): OsvRecord {
  return {
    id,
    modified: '2026-12-01T00:00:00Z',
    summary: `${name} test compromise`,
    affected: [{ package: { ecosystem, name }, versions, database_specific: { safe, confidence: 'verified' } }],
    database_specific: { kind: 'compromised', incident: 'test incident' },
  } as OsvRecord;
}

/** The test advisories: NuGet Contoso.Evil 2.1.0 (safe 2.0.9, 2.1.1) and Maven com.example:evil 1.4.0 (safe 1.3.9, 1.4.1). */
export const testIndex = buildIndex([
  record('TEST-NUGET-1', 'NuGet', 'Contoso.Evil', ['2.1.0'], ['2.0.9', '2.1.1']),
  record('TEST-MAVEN-1', 'Maven', 'com.example:evil', ['1.4.0'], ['1.3.9', '1.4.1']),
]);

/** The analysis of a text under the test advisories. */
export function analyzed(path: string, text: string): Analysis {
  return analyzeFile(path, text, defaultSettings, { index: testIndex, uri: 'file:///test' });
}

/** What a finding says, in short: its code, severity, message, and the titles of its fixes. */
export function summary(path: string, text: string): Array<{ code: string; severity: string; message: string; fixes: string[]; range: Range }> {
  return analyzed(path, text).findings.map((f) => ({ code: f.code, severity: f.severity, message: f.message, fixes: f.fixes.map((x) => x.title), range: f.reference.range }));
}

/** The text after applying every finding's preferred fix, pass after pass, as `scan --fix` does. */
export function fixed(path: string, text: string): string {
  let out = text;
  for (let pass = 0; pass < 10; pass++) {
    const edits = analyzed(path, out).findings.flatMap((f) => f.fixes[0]?.edits ?? []);
    const next = applyEdits(out, edits).text;
    if (next === out) return out;
    out = next;
  }
  throw new Error('the fixes did not settle');
}

/** A range on one line (0-based), from `start` for `length` characters. */
export function at(line: number, start: number, length: number): Range {
  return { start: { line, character: start }, end: { line, character: start + length } };
}

/** A read problem at one position. */
export function problemAt(message: string, line: number, character: number, endLine = line, endCharacter = character): ReadProblem {
  return { kind: 'problem', reason: 'syntax', message, range: { start: { line, character }, end: { line: endLine, character: endCharacter } } };
}

/** The range of the first `token` on a line (0-based) of `text`, after `after` when given: where a test expects a finding. */
export function tokenAt(text: string, line: number, token: string, after = ''): Range {
  const row = text.split(/\r?\n/)[line] ?? '';
  const start = row.indexOf(token, after === '' ? 0 : row.indexOf(after) + after.length);
  if (start < 0) throw new Error(`'${token}' is not on line ${line}`);
  return at(line, start, token.length);
}
