import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pyproject } from '../../../server/src/formats/pyproject';
import { analyzeFile } from '../../../server/src/engine';
import { defaultSettings } from '../../../server/src/model';
import { constrained, findingsOf, fixedTexts, on, pin, problemAt, pyFixture } from './pythonHelpers';

const path = '/work/app/pyproject.toml';
const ctx = 'pyproject.toml';

test('every dependency table of a pyproject.toml, read as requirements.txt reads a line', () => {
  assert.deepStrictEqual(pyproject.extract(pyFixture('pyproject/pyproject.toml'), path), [
    constrained('setuptools', '>=61', on(1, 23, 27), ctx),
    pin('ctx', '0.2.6', on(1, 36, 41), ctx),
    pin('ultralytics', '8.3.41', on(6, 18, 24), ctx),
    pin('ultralytics-thop', '8.3.41', on(7, 23, 29), ctx),
    pin('ultralytics', '8.3.42', on(8, 28, 34), ctx),
    constrained('requests', '>=2.31', on(10, 13, 19), ctx),
    constrained('ultralytics', '>=8.3.41,<8.3.42', on(15, 19, 35), ctx),
    pin('ultralytics', '8.3.40', on(18, 21, 27), ctx),
    pin('ruff', '0.8.0', on(19, 15, 20), ctx),
    constrained('ultralytics', '!=8.3.45', on(22, 39, 47), ctx),
    pin('ultralytics', '8.3.46', on(23, 40, 46), ctx),
    pin('ultralytics', '8.3.45', on(27, 15, 21), ctx),
    pin('ctx', '0.2.6', on(28, 21, 26), ctx),
    constrained('numpy', '>=1.26,<1.27', on(30, 18, 22), ctx, { via: 'Poetry ~1.26' }),
    constrained('numpy', '>=2.1,<3', on(31, 18, 21), ctx, { via: 'Poetry ^2.1' }),
    constrained('ultralytics', '>=8.3.41,<9', on(35, 16, 22), ctx, { via: 'Poetry ^8.3.41' }),
  ]);
});

test('pyproject.toml: pins are errors with fixes; the trap 8.3.40 and ultralytics-thop give nothing', () => {
  const findings = findingsOf(path, pyFixture('pyproject/pyproject.toml'));
  assert.deepStrictEqual(findings.map((f) => [f.reference.range.start.line, f.code, f.severity, f.fixes.map((x) => x.title)]), [
    [1, 'compromised-version', 'error', []],
    [6, 'compromised-version', 'error', ['Pin ultralytics to 8.3.40']],
    [8, 'compromised-version', 'error', ['Pin ultralytics to 8.3.40']],
    [15, 'range-admits-compromised', 'warning', []],
    [23, 'compromised-version', 'error', ['Pin ultralytics to 8.3.40']],
    [27, 'compromised-version', 'error', ['Pin ultralytics to 8.3.40']],
    [28, 'compromised-version', 'error', []],
    [35, 'range-admits-compromised', 'warning', []],
  ]);
});

test('pyproject.toml: the fixes applied to the whole text', () => {
  const text = pyFixture('pyproject/pyproject.toml');
  const expected = text
    .replace('"ultralytics==8.3.41"', '"ultralytics==8.3.40"')
    .replace('(==8.3.42)', '(==8.3.40)')
    .replace('"ultralytics===8.3.46"', '"ultralytics===8.3.40"')
    .replace('ultralytics = "8.3.45"', 'ultralytics = "8.3.40"');
  assert.notEqual(expected, text);
  assert.deepStrictEqual(fixedTexts(path, text)[path], expected);
});

test('an unterminated array keeps its complete items, and the tables after it are read', () => {
  const text = '[project]\ndependencies = [\n  "ultralytics==8.3.41",\n  "ctx==0.2\n\n[tool.poetry.dependencies]\nultralytics = "8.3.42"\n';
  assert.deepStrictEqual(pyproject.extract(text, path), [
    pin('ultralytics', '8.3.41', on(2, 16, 22), ctx),
    pin('ultralytics', '8.3.42', on(6, 15, 21), ctx),
    problemAt('This pyproject.toml is not valid TOML here: what could not be read was not checked; the rest of the file was.', 3, 11),
  ]);
});

test('truncated TOML: every prefix reads without throwing and never gives a version cut short', () => {
  const text = pyFixture('pyproject/pyproject.toml');
  const whole = new Set(pyproject.extract(text, path).map((e) => JSON.stringify(e.kind === 'package' ? [e.name, e.version ?? e.constraint] : [])));
  for (let end = 0; end <= text.length; end += 3) {
    for (const e of pyproject.extract(text.slice(0, end), path)) {
      if (e.kind !== 'package') continue;
      // A constraint may lose clauses (`>=8.3.41,<8.3.42` cut after the comma is not a constraint): it is never read.
      assert.ok(whole.has(JSON.stringify([e.name, e.version ?? e.constraint])), `prefix ${end}: ${e.name} ${e.version ?? e.constraint}`);
    }
  }
});

test('a 10 MB pyproject.toml is reported as not read, and is not parsed', () => {
  const text = `[project]\ndependencies = [\n${'  "requests>=2.31",\n'.repeat(500_000)}]\n`;
  assert.ok(text.length > 9_000_000);
  const started = performance.now();
  const result = analyzeFile(path, text, defaultSettings);
  assert.ok(performance.now() - started < 5000);
  assert.deepStrictEqual([result.findings, result.problems.map((p) => p.reason)], [[], ['limit']]);
});
