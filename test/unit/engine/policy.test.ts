import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { findPolicy, parsePolicy, PolicyError } from '../../../server/src/policy';
import { policyScan } from '../../../server/src/policyScan';
import { globToRegExp, walkSync } from '../../../server/src/workspace';

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

test('a scan\'s policies: each file walked has the nearest policy file at or above it, as a search on disk gives, with the walk\'s listings in place of looks', () => {
  const base = mkdtempSync(join(tmpdir(), 'pinwatch-policy-'));
  try {
    // Policy k excludes the Dockerfile-pk of the folders it governs, so what a scan keeps shows which policy applies.
    const policy = (k: number): string => `exclude: ["**/Dockerfile-p${k}"]\n`;
    mkdirSync(join(base, '.git'));
    writeFileSync(join(base, '.pinwatch.yaml'), policy(0));
    const root = join(base, 'root');
    const sibling = `${root}x`;
    const folders = ['root', 'root/sub', 'root/sub/deep', 'root/other', 'root/other/x', 'rootx', 'lone'];
    for (const folder of folders) {
      mkdirSync(join(base, folder), { recursive: true });
      for (const k of [0, 1, 2]) writeFileSync(join(base, folder, `Dockerfile-p${k}`), 'FROM scratch\n');
    }
    writeFileSync(join(root, 'sub', '.pinwatch.yaml'), policy(1));
    // A folder named like the policy file is no policy: the search passes over it.
    mkdirSync(join(root, 'other', '.pinwatch.yaml'));
    writeFileSync(join(sibling, '.pinwatch.yaml'), policy(2));
    // Listed through the link first (by name), so sub's files are walked as link/…, with sub's policy.
    symlinkSync(join(root, 'sub'), join(root, 'link'));
    const paths = [root, sibling, join(base, 'lone', 'Dockerfile-p0')];
    const scanned = (): { kept: string[]; dropped: string[] } => {
      const scan = policyScan(paths, base);
      const kept: string[] = [];
      const dropped: string[] = [];
      for (const entry of walkSync(paths, { onFolder: scan.folder })) (scan.keep(entry.path) ? kept : dropped).push(relative(base, entry.path));
      return { kept, dropped };
    };
    // The same as each file's own search from its folder, without the walk.
    const fresh = (path: string): boolean => {
      const found = findPolicy(dirname(path), base);
      return found !== undefined && found.exclude.some((glob) => globToRegExp(glob).test(relative(dirname(found.path), path).split(sep).join('/')));
    };
    const expected = ['root/Dockerfile-p0', 'root/link/Dockerfile-p1', 'root/link/deep/Dockerfile-p1', 'root/other/Dockerfile-p0', 'root/other/x/Dockerfile-p0', 'rootx/Dockerfile-p2', 'lone/Dockerfile-p0'];
    const first = scanned();
    assert.deepStrictEqual(first.dropped, expected);
    assert.deepStrictEqual([...first.kept, ...first.dropped].filter((p) => fresh(join(base, p))).sort(), [...expected].sort());
    assert.equal(first.kept.length, 12);
    // With more policy files than are compared one by one, a file's folders are looked up from it upwards.
    for (let i = 0; i < 40; i++) {
      mkdirSync(join(root, 'many', `m${i}`, 'below'), { recursive: true });
      writeFileSync(join(root, 'many', `m${i}`, '.pinwatch.yaml'), policy(2));
      writeFileSync(join(root, 'many', `m${i}`, 'below', 'Dockerfile-p2'), 'FROM scratch\n');
    }
    const second = scanned();
    const many = Array.from({ length: 40 }, (_, i) => `root/many/m${i}/below/Dockerfile-p2`).sort();
    assert.deepStrictEqual(second.dropped.filter((p) => p.startsWith('root/many/')).sort(), many);
    assert.deepStrictEqual(second.dropped.filter((p) => !p.startsWith('root/many/')), expected);
    assert.deepStrictEqual(second.kept, first.kept);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});
