// Bad input for the CI and orchestration formats: no crash, no hang, no silent pass.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeFile } from '../../../../server/src/engine';
import { compose } from '../../../../server/src/formats/compose';
import { defaultSettings } from '../../../../server/src/model';

function timed<T>(run: () => T): { value: T; ms: number } {
  const start = process.hrtime.bigint();
  const value = run();
  return { value, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

const summary = (path: string, text: string) => {
  const { findings, problems } = analyzeFile(path, text, defaultSettings);
  return { findings: findings.map((f) => [f.reference.range.start.line, f.code]), problems: problems.map((p) => [p.reason, p.range.start.line]) };
};

test('a billion-laughs alias bomb is read without expanding it', () => {
  const lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]'];
  for (let i = 1; i < 10; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
  const bomb = `${lines.join('\n')}\njobs:\n  j:\n    runs-on: self-hosted\n    steps: *j\n    container: *j\n`;
  const { value, ms } = timed(() => summary('/r/.github/workflows/bomb.yml', bomb));
  assert.deepStrictEqual(value, { findings: [], problems: [] });
  assert.ok(ms < 2000, `${ms} ms`);
  const manifest = timed(() => summary('/r/bomb.yaml', `apiVersion: v1\nkind: Pod\n${lines.join('\n')}\nspec:\n  containers: *j\n`));
  assert.deepStrictEqual(manifest.value, { findings: [], problems: [] });
  assert.ok(manifest.ms < 2000, `${manifest.ms} ms`);
});

test('aliases named past the budget are a limit problem, and what came before is still reported', () => {
  const steps = Array.from({ length: 100 }, () => '*s').join(', ');
  const jobs = Array.from({ length: 200 }, (_, i) => `  j${i}: {runs-on: self-hosted, steps: *l}`).join('\n');
  const text = `x: &s {uses: tj-actions/changed-files@v45}\ny: &l [${steps}]\njobs:\n${jobs}\n`;
  const { value, ms } = timed(() => summary('/r/.github/workflows/many.yml', text));
  assert.deepStrictEqual(value, { findings: [[0, 'compromised-version']], problems: [['limit', 1]] });
  assert.ok(ms < 5000, `${ms} ms`);
});

test('a run: block of 100,000 lines is read to its last line, in time proportional to its length', () => {
  const script = (n: number): string => {
    const lines = ['jobs:', '  a:', '    runs-on: self-hosted', '    steps:', '      - run: |'];
    for (let i = 0; i < n - 1; i++) lines.push(`          echo line ${i} && make -j4 target${i}`);
    lines.push('          apt-get install -y xz-utils=5.6.1-1');
    return `${lines.join('\n')}\n`;
  };
  const small = timed(() => summary('/r/.github/workflows/big.yml', script(10_000)));
  const big = timed(() => summary('/r/.github/workflows/big.yml', script(100_000)));
  assert.deepStrictEqual(big.value, { findings: [[100_004, 'compromised-version']], problems: [] });
  // Ten times the text: linear is 10; allow the noise of a shared machine.
  assert.ok(big.ms < 40 * Math.max(small.ms, 50), `10,000 lines: ${small.ms} ms, 100,000 lines: ${big.ms} ms`);
});

test('a Kubernetes file of 10,000 documents is read to its last document', () => {
  const docs = (n: number): string => Array.from({ length: n }, (_, i) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${i}\nspec:\n  containers:\n    - name: c\n      image: ${i === n - 1 ? 'debian:sid-20240320' : `nginx:1.${i}`}\n`).join('---\n');
  const small = timed(() => summary('/r/all.yaml', docs(1000)));
  const big = timed(() => summary('/r/all.yaml', docs(10_000)));
  assert.deepStrictEqual(big.value, { findings: [[89_998, 'image-in-compromise-window']], problems: [] });
  assert.ok(big.ms < 40 * Math.max(small.ms, 50), `1,000 documents: ${small.ms} ms, 10,000 documents: ${big.ms} ms`);
});

test('a workflow that is binary noise is a read problem', () => {
  assert.deepStrictEqual(summary('/r/.github/workflows/x.yml', '\u0000\u0001{{{: [ ] ] :: \t\t-\n').problems.length > 0, true);
});

test('list-form build.args with entries that have no value or are not strings are skipped, the others read', () => {
  const docker = 'FROM debian:sid\nARG V=5.4.5-0.3\nRUN apt-get install -y xz-utils=${V}\n';
  const text = 'services:\n  a:\n    build:\n      context: .\n      args:\n        - V\n        - 12\n        - {V: x}\n        - =5.6.1-1\n        - V=5.6.1-1\n';
  assert.deepStrictEqual(compose.extract(text, '/r/compose.yaml', () => docker).map((r) => ('version' in r ? [r.range.start.line, r.version] : r.kind)), [[9, '5.6.1-1']]);
});

test('a YAML file past 16 MB is a limit problem only when it looks like a manifest; other big YAML is not read at all', () => {
  const data = `items:\n${'  - name: x\n'.repeat(1_600_000)}`;
  assert.ok(data.length > 16 * 1024 * 1024);
  assert.deepStrictEqual(summary('/r/data.yaml', data), { findings: [], problems: [] });
  assert.deepStrictEqual(summary('/r/big.yaml', `apiVersion: v1\nkind: List\n${data}`).problems, [['limit', 0]]);
});
