import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPolicy, parsePolicy, PolicyError, type Policy } from '../../../server/src/policy';

test('reads a policy file: ignore entries with their place, exclude, severity; a YAML date is a date', () => {
  const text = [
    'ignore:',
    '  - id: MAL-2025-46969',
    '    paths: ["fixtures/**"]',
    '    package: chalk',
    '    until: 2027-01-31',
    '    reason: test fixture, never installed',
    'exclude: ["vendor/**"]',
    'severity:',
    '  range-admits-compromised: error',
    'advisories: ["./security/advisories"]',
  ].join('\n');
  assert.deepStrictEqual(parsePolicy(text, '/r/.pinwatch.yaml'), {
    path: '/r/.pinwatch.yaml',
    ignore: [{ id: 'MAL-2025-46969', reason: 'test fixture, never installed', until: '2027-01-31', package: 'chalk', paths: ['fixtures/**'], range: { start: { line: 1, character: 4 }, end: { line: 6, character: 0 } } }],
    exclude: ['vendor/**'],
    severity: { 'range-admits-compromised': 'error' },
    advisories: ['./security/advisories'],
  });
  assert.deepStrictEqual(parsePolicy('', '/r/.pinwatch.yaml').ignore, []);
});

test('anything unclear in a policy file is an error at its line, never a policy half applied', () => {
  const cases: Array<[string, string]> = [
    ['ignores: []', "1: unknown key 'ignores' (the keys are ignore, exclude, severity, advisories)"],
    ['ignore:\n  - id: X', '2: an ignore entry needs a reason: why the finding is accepted'],
    ['ignore:\n  - reason: because', '2: an ignore entry needs an id'],
    ['ignore:\n  - id: X\n    reason: r\n    until: next week', "4: until must be a date written YYYY-MM-DD (got 'next week')"],
    ['ignore:\n  - id: X\n    reason: r\n    until: 2027-02-30', "4: until must be a date written YYYY-MM-DD (got '2027-02-30')"],
    ['ignore:\n  - id: X\n    reason: r\n    path: a', "4: unknown key 'path' in an ignore entry (the keys are id, paths, package, until, reason)"],
    ['severity:\n  compromised-version: fatal', '2: severity of compromised-version must be error, warning or info'],
    ['exclude: vendor', '1: exclude must be a list of strings'],
    ['ignore: [', '1: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]'],
    ['- a\n- b', '1: the policy must be a mapping of ignore, exclude, severity and advisories'],
    ['ignore: []\nignore: []', '1: not valid YAML: Map keys must be unique'],
    // The library's parser recursed once per level and threw a RangeError here, not a PolicyError.
    [`ignore:\n  - id: X\n    reason: ${'['.repeat(20_000)}`, '3: not read: Nested deeper than 128 levels here, so the rest of this document was not read.'],
    ['ignore: []\n---\nexclude: []', '2: not valid YAML: a policy file is one document, and this one has more'],
  ];
  const got = cases.map(([text]) => {
    try {
      parsePolicy(text, 'p.yaml');
      return 'no error';
    } catch (error) {
      assert.ok(error instanceof PolicyError);
      return error.message.replace(/^p\.yaml:/, '');
    }
  });
  assert.deepStrictEqual(got, cases.map(([, message]) => message));
  assert.throws(() => parsePolicy(`ignore: []\n# ${'x'.repeat(1024 * 1024)}`, 'p.yaml'), /larger than 1024 KB/);
});

test('the shipped JSON schema for the policy file names exactly the keys the reader takes', async () => {
  const { readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { repoRoot } = await import('../../paths');
  const schema = JSON.parse(readFileSync(join(repoRoot, 'schemas', 'pinwatch-policy.schema.json'), 'utf8'));
  assert.deepStrictEqual(Object.keys(schema.properties), ['ignore', 'exclude', 'severity', 'advisories']);
  assert.deepStrictEqual(Object.keys(schema.properties.ignore.items.properties), ['id', 'paths', 'package', 'until', 'reason']);
  assert.deepStrictEqual(Object.keys(schema.properties.severity.properties), ['compromised-version', 'compromised-artifact', 'range-admits-compromised', 'image-in-compromise-window', 'suspicious-source']);
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  assert.deepStrictEqual(manifest.contributes.yamlValidation, [{ fileMatch: '.pinwatch.yaml', url: './schemas/pinwatch-policy.schema.json' }]);
});

test('findPolicy with the walk\'s listings and a shared cache answers as a fresh search, also for a sibling folder whose name starts with the root\'s', () => {
  const base = mkdtempSync(join(tmpdir(), 'pinwatch-policy-'));
  try {
    const root = join(base, 'root');
    const dirs = ['', 'sub', 'sub/deep', 'other', 'other/x'].map((d) => join(root, d));
    const sibling = `${root}x`;
    for (const d of [...dirs, join(sibling, 'y')]) mkdirSync(d, { recursive: true });
    writeFileSync(join(root, '.pinwatch.yaml'), 'exclude: ["a/**"]\n');
    writeFileSync(join(root, 'other', '.pinwatch.yaml'), 'exclude: ["b/**"]\n');
    writeFileSync(join(sibling, '.pinwatch.yaml'), 'exclude: ["c/**"]\n');
    const cache = new Map<string, Policy | undefined>();
    const listedWithout = new Set([join(root, 'sub'), join(root, 'sub', 'deep'), join(root, 'other', 'x'), join(sibling, 'y')]);
    // The sibling's own policy is in the cache first (a scan of both), then each folder is asked about in walk order.
    findPolicy(sibling, sibling, cache, listedWithout);
    const asked = [...dirs, join(sibling, 'y')];
    const shared = asked.map((d) => findPolicy(d, root, cache, listedWithout)?.exclude);
    const fresh = asked.map((d) => findPolicy(d, root)?.exclude);
    assert.deepStrictEqual(shared, fresh);
    assert.deepStrictEqual(shared, [['a/**'], ['a/**'], ['a/**'], ['b/**'], ['b/**'], undefined]);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});
