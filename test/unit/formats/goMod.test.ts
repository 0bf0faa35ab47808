import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { applyEdits } from '../../../server/src/edits';
import { analyzeFile, bundledAdvisories } from '../../../server/src/engine';
import { buildIndex, matchPackage } from '../../../server/src/advisories/index';
import type { OsvRecord } from '../../../server/src/advisories/records';
import { goMod } from '../../../server/src/formats/goMod';
import { goWork } from '../../../server/src/formats/goWork';
import { defaultSettings, type PackageReference, type ReadProblem } from '../../../server/src/model';
import { repoRoot } from '../../paths';

const fixture = (path: string): string => readFileSync(join(repoRoot, 'test', 'fixtures', 'go', path), 'utf8');
const modPath = '/work/app/go.mod';

/** A Go reference on `line` (0-based) from `start`. */
function mod(name: string, version: string, line: number, start: number, context = 'go.mod', via?: string): PackageReference {
  return {
    kind: 'package', ecosystem: 'Go', name, version,
    range: { start: { line, character: start }, end: { line, character: start + version.length } },
    ...(via ? { via } : {}),
    context,
  };
}

function problem(message: string, line: number, start: number, end: number, endLine = line): ReadProblem {
  return { kind: 'problem', reason: 'syntax', message, range: { start: { line, character: start }, end: { line: endLine, character: end } } };
}

// No Go advisory is bundled: the tests bring their own, as a store or `--advisories` would.
const goAdvisory: OsvRecord = {
  schema_version: '1.6.0',
  id: 'x_TEST-GO-EVIL',
  modified: '2026-12-01T00:00:00Z',
  summary: 'example.com/evil v1.2.3 is a test compromise',
  affected: [{ package: { ecosystem: 'Go', name: 'example.com/evil' }, versions: ['v1.2.3'], database_specific: { safe: ['v1.2.5'], confidence: 'verified' } }],
  database_specific: { kind: 'compromised', incident: 'test incident' },
} as OsvRecord;
const index = buildIndex([goAdvisory, ...bundledAdvisories().records]);

test('go.mod: required modules at their version tokens; replaced ones give their target, directories and excludes nothing', () => {
  assert.deepStrictEqual(goMod.extract(fixture('module/go.mod'), modPath), [
    mod('github.com/ulikunitz/xz', 'v0.5.11', 8, 25),
    mod('example.com/evil', 'v1.2.3', 9, 18, 'go.mod (indirect)'),
    mod('example.com/quoted', 'v2.0.0+incompatible', 11, 23),
    mod('golang.org/x/sys', 'v0.0.0-20240301000000-abcdefabcdef', 12, 18, 'go.mod (indirect)'),
    mod('example.com/fork', 'v1.2.3', 19, 49, 'go.mod', 'replace of example.com/replaced'),
    mod('example.com/single', 'v1.2.5', 23, 49, 'go.mod', 'replace of example.com/single v1.2.3'),
  ]);
});

test('go.mod: a compromised module version is an error fixed in its token, indirect or not; a pseudo-version and +incompatible compare as Go does', () => {
  const text = fixture('module/go.mod');
  const findings = analyzeFile(modPath, text, defaultSettings, { index }).findings;
  assert.deepStrictEqual(findings.map((f) => ({ range: f.reference.range, severity: f.severity, message: f.message, fixed: f.fixes.map((x) => applyEdits(text, x.edits).text) })), [{
    range: { start: { line: 9, character: 18 }, end: { line: 9, character: 24 } },
    severity: 'error',
    message: 'example.com/evil v1.2.3 is a compromised release (test incident, TEST-GO-EVIL). Pin v1.2.5 instead.',
    fixed: [text.replace('example.com/evil v1.2.3 // indirect', 'example.com/evil v1.2.5 // indirect')],
  }]);
});

test('github.com/ulikunitz/xz is pure Go, not XZ Utils: never flagged, whatever its version', () => {
  const text = 'module m\n\nrequire github.com/ulikunitz/xz v5.6.1+incompatible\nrequire github.com/ulikunitz/xz/lzma v0.5.6\n';
  const refs = goMod.extract(text, modPath) as PackageReference[];
  assert.deepStrictEqual(refs.map((r) => [r.name, r.version]), [['github.com/ulikunitz/xz', 'v5.6.1+incompatible'], ['github.com/ulikunitz/xz/lzma', 'v0.5.6']]);
  for (const ref of refs) assert.deepStrictEqual(matchPackage(bundledAdvisories(), ref), []);
  assert.deepStrictEqual(analyzeFile(modPath, text, defaultSettings, { index }), { findings: [], problems: [] });
  assert.deepStrictEqual(analyzeFile(modPath, fixture('module/go.mod'), defaultSettings, {}), { findings: [], problems: [] });
});

test('go.mod: an unterminated require block is a read problem, and what was read in it and before it is reported', () => {
  const text = 'module m\n\nrequire example.com/a v1.0.0\nrequire (\n\texample.com/evil v1.2.3\n\texample.com/b v1.1.0 // indirect\n';
  assert.deepStrictEqual(goMod.extract(text, modPath), [
    mod('example.com/a', 'v1.0.0', 2, 22),
    mod('example.com/evil', 'v1.2.3', 4, 18),
    mod('example.com/b', 'v1.1.0', 5, 15, 'go.mod (indirect)'),
    problem('The require ( block is not closed at the end of the file; its entries were read, but the file is cut short or damaged.', 3, 8, 9),
  ]);
  const next = 'require (\n\texample.com/evil v1.2.3\nreplace example.com/evil => example.com/evil v1.2.5\n';
  assert.deepStrictEqual(goMod.extract(next, modPath), [
    mod('example.com/evil', 'v1.2.5', 2, 45, 'go.mod', 'replace of example.com/evil'),
    problem('The require ( block is not closed before this line; its entries above were read.', 2, 0, 0),
  ]);
});

test('go.mod: malformed lines are one read problem with their count; unclosed strings and a binary file too', () => {
  const text = 'module m\nrequire example.com/a\nrequire "example.com/b v1.0.0\nfrobnicate x\nrequire example.com/c v1.0.0\n';
  assert.deepStrictEqual(goMod.extract(text, modPath), [
    mod('example.com/c', 'v1.0.0', 4, 22),
    problem('This require line of go.mod is not a module path and a version, so it was not read (and 2 more lines).', 1, 0, 21),
  ]);
  assert.deepStrictEqual(goMod.extract('module m\u0000\nrequire a v1.0.0\n', modPath), [problem('This go.mod holds binary data (a NUL byte), not the text Go reads, so it was not checked.', 0, 0, 0)]);
});

test('go.mod: a 10 MB file is not read, and says so', () => {
  const text = `module m\n${'require example.com/a v1.0.0\n'.repeat(360_000)}`;
  assert.ok(text.length > 10_000_000);
  assert.deepStrictEqual(analyzeFile(modPath, text, defaultSettings, { index }), {
    findings: [],
    problems: [{ kind: 'problem', reason: 'limit', message: 'This file is longer than the 8 MB that Pinwatch reads of a go/go.mod file, so it was not checked.', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }],
  });
});

test('go.mod: CRLF line endings and comments give the same lines and characters', () => {
  const text = '// c\r\nmodule m // x\r\nrequire (\r\n\texample.com/evil v1.2.3 // indirect\r\n)\r\n';
  assert.deepStrictEqual(goMod.extract(text, modPath), [mod('example.com/evil', 'v1.2.3', 3, 18, 'go.mod (indirect)')]);
});

test('go.work: replace targets that are module versions; use and directory targets give nothing', () => {
  const text = fixture('workspace/go.work');
  assert.deepStrictEqual(goWork.extract(text, '/work/go.work'), [mod('example.com/evil', 'v1.2.5', 7, 52, 'go.work', 'replace of example.com/evil v1.2.3')]);
  const bad = 'go 1.22\nreplace example.com/x => example.com/evil v1.2.3\nrequire example.com/y v1.0.0\n';
  assert.deepStrictEqual(goWork.extract(bad, '/work/go.work'), [
    mod('example.com/evil', 'v1.2.3', 1, 42, 'go.work', 'replace of example.com/x'),
    problem('go.work has no statement "require", so this line was not read.', 2, 0, 28),
  ]);
  const findings = analyzeFile('/work/go.work', bad, defaultSettings, { index }).findings;
  assert.deepStrictEqual(findings.map((f) => [f.severity, f.fixes.map((x) => applyEdits(bad, x.edits).text)]), [['error', [bad.replace('evil v1.2.3', 'evil v1.2.5')]]]);
});

test('go.mod: every prefix is read without throwing', () => {
  const text = fixture('module/go.mod');
  for (let end = 0; end <= text.length; end += 3) goMod.extract(text.slice(0, end), modPath);
});

test('go.mod: white space other than spaces and tabs (U+00A0, U+2028) separates words and never stalls the scan', () => {
  const text = 'module m\nrequire\u00a0example.com/evil\u2028v1.2.3\nrequire example.com/a v1.0.0\n';
  assert.deepStrictEqual(goMod.extract(text, modPath), [mod('example.com/evil', 'v1.2.3', 1, 25), mod('example.com/a', 'v1.0.0', 2, 22)]);
});
