import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits } from '../../../server/src/edits';
import { analyze, analyzeFile } from '../../../server/src/engine';
import { defaultSettings } from '../../../server/src/model';
import { lineIndex, positionsAt } from '../../../server/src/formats/textPositions';
import { compare as pep440Compare, scheme as pep440 } from '../../../server/src/versions/pep440';

/** The text each finding's range covers, with its code. */
function covered(text: string, path: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  return analyze(path, text, defaultSettings).map((f) => `${f.code} ${lines[f.reference.range.start.line]!.slice(f.reference.range.start.character, f.reference.range.end.character)}`);
}

test('a PyPI release number past 2^53 is not a version Pinwatch can compare, and the rest of the file is still checked', () => {
  const text = 'ultralytics==1000000000000000000000\nultralytics==8.3.41\n';
  const analysis = analyzeFile('/p/requirements.txt', text, defaultSettings);
  assert.deepStrictEqual(analysis.problems, []);
  assert.deepStrictEqual(covered(text, '/p/requirements.txt'), ['compromised-version 8.3.41']);
  assert.equal(pep440.invalid('1000000000000000000000'), 'a number in it is larger than 2^53, which Pinwatch cannot compare exactly');
  // Ordered as an invalid version: before every valid one, never a throw.
  assert.equal(pep440Compare('1000000000000000000000', '8.3.41'), -1);
  assert.equal(pep440Compare('8.3.41', '1!1000000000000000000000.0'), 1);
});

test('a lone \\r ends a recipe line as it does in the editor, and the fix edits the pin itself', () => {
  const text = '# old mac line end\rpkgname=foo\npkgver=1.0\npkgrel=0\ndepends="xz-libs=5.6.1-r1"\n';
  const [finding] = analyze('/a/APKBUILD', text, defaultSettings).filter((f) => f.reference.kind === 'package' && f.reference.name === 'xz-libs');
  assert.ok(finding);
  assert.deepStrictEqual(finding.reference.range, { start: { line: 4, character: 17 }, end: { line: 4, character: 25 } });
  assert.equal(applyEdits(text, finding.fixes[0]!.edits).text, '# old mac line end\rpkgname=foo\npkgver=1.0\npkgrel=0\ndepends="xz-libs=5.6.1-r2"\n');
});

test('positions of many offsets on one long line are found in one pass', () => {
  const text = 'x'.repeat(2_000_000);
  const offsets = Array.from({ length: 100_000 }, (_, i) => i * 20);
  const start = process.hrtime.bigint();
  const positions = positionsAt(text, offsets);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  assert.deepStrictEqual(positions[99_999], { line: 0, character: 1_999_980 });
  // Quadratic, this took 4 s (100,000 searches to the end of a 2 MB line); linear, a few milliseconds.
  assert.ok(ms < 1000, `${ms} ms`);
});

test('a 1.5 MB Dockerfile is read to its end, and one past the 8 MB cap is reported as not read, never passed as clean', () => {
  const filler = Array.from({ length: 30_000 }, (_, i) => `RUN echo step ${i} >> /log\n`).join('');
  const big = `FROM debian:sid\n${filler.repeat(2)}RUN apt-get install -y xz-utils=5.6.1-1\n`;
  assert.ok(big.length > 1.5 * 1024 * 1024, String(big.length));
  assert.deepStrictEqual(analyzeFile('/d/Dockerfile', big, defaultSettings).findings.map((f) => [f.code, f.reference.range.start.line]), [['compromised-version', 60_001]]);
  const huge = `FROM debian:sid\n${'#'.repeat(8 * 1024 * 1024)}\nRUN apt-get install -y xz-utils=5.6.1-1\n`;
  assert.deepStrictEqual(analyzeFile('/d/Dockerfile', huge, defaultSettings), {
    findings: [],
    problems: [{ kind: 'problem', reason: 'limit', message: 'This file is longer than the 8 MB that Pinwatch reads of a docker/Dockerfile file, so it was not checked.', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }],
  });
});

test('a run of zeros in a Gentoo version component and a run of slashes in an exclude glob are read in linear time', async () => {
  const { scheme } = await import('../../../server/src/versions/gentoo');
  const { globToRegExp } = await import('../../../server/src/workspace');
  const zeros = `1.0${'0'.repeat(200_000)}1`;
  const start = process.hrtime.bigint();
  assert.equal(Math.sign(scheme.compare(zeros, `1.0${'0'.repeat(200_000)}2`)), -1);
  assert.equal(globToRegExp(`vendor${'/'.repeat(200_000)}`).test('vendor'), true);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  // Quadratic, each took tens of seconds at this size.
  assert.ok(ms < 2000, `${ms} ms`);
});

test('an offset between the \\r and \\n of a line break is placed at the end of its line, and so is a lockfile problem ending there', () => {
  const text = 'ab\r\ncd';
  assert.deepStrictEqual(positionsAt(text, [2, 3, 4]), [{ line: 0, character: 2 }, { line: 0, character: 2 }, { line: 1, character: 0 }]);
  assert.deepStrictEqual(lineIndex(text).range(3, 4), { start: { line: 0, character: 2 }, end: { line: 1, character: 0 } });
  // Found by the fuzzer: jsonc-parser's unterminated string takes the \r of `\\\r\n` as an escaped character.
  const lock = '{\n  "lockfileVersion": 3, "packages": {"x": "ab\\\r\n}}\n';
  const problems = analyzeFile('/app/package-lock.json', lock, defaultSettings).problems;
  assert.deepStrictEqual(problems.map((p) => p.range), [{ start: { line: 1, character: 42 }, end: { line: 1, character: 46 } }]);
});

test('a lockfile with thousands of syntax errors among thousands of strings is read in linear time (the fuzzer found a 5 s hang)', () => {
  // jsonc-parser reports an error for each bad escape, and every string was checked against every error.
  const entries = Array.from({ length: 3000 }, (_, i) => `"node_modules/p${i}": {"version": "1.0.${i}"}`).join(',\n');
  const text = `{"lockfileVersion": 3, "bad": "${'\\q'.repeat(20_000)}", "packages": {\n${entries}\n}}\n`;
  const started = performance.now();
  const { problems } = analyzeFile('/app/package-lock.json', text, defaultSettings);
  const ms = performance.now() - started;
  assert.deepStrictEqual(problems.map((p) => [p.reason, p.range.start.line]), [['syntax', 0]]);
  assert.ok(ms < 500, `${ms.toFixed(0)} ms`);
});
