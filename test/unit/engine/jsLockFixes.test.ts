import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { applyEdits } from '../../../server/src/edits';
import { analyze } from '../../../server/src/engine';
import { defaultSettings, type Finding } from '../../../server/src/model';

const dir = '/work/app';
const yarnLock = '# yarn lockfile v1\n\n\nchalk@5.6.1:\n  version "5.6.1"\n  resolved "https://registry.yarnpkg.com/chalk/-/chalk-5.6.1.tgz"\n\ndebug@^4.4.0:\n  version "4.4.2"\n';
const pnpmLock = "lockfileVersion: '9.0'\n\npackages:\n\n  chalk@5.6.1:\n    resolution: {integrity: sha512-A}\n\n  '@ctrl/tinycolor@4.1.1':\n    resolution: {integrity: sha512-B}\n\nsnapshots:\n\n  chalk@5.6.1: {}\n\n  '@ctrl/tinycolor@4.1.1': {}\n";
const bunLock = '{\n  "lockfileVersion": 1,\n  "packages": {\n    "chalk": ["chalk@5.6.1", "", {}, "sha512-A"],\n  }\n}\n';

/** The findings of a lockfile in /work/app, with the given sibling files. */
function findings(lockName: string, lock: string, files: Record<string, string>): Finding[] {
  return analyze(`${dir}/${lockName}`, lock, defaultSettings, { readFile: (path) => (path.startsWith(`${dir}/`) ? files[path.slice(dir.length + 1)] : undefined) });
}

/**
 * Each sibling file after fixing the lockfile as `scan --fix` does: apply the preferred fix of the first finding
 * that has one, analyse again, and so on until no finding offers an edit.
 */
function fixAll(lockName: string, lock: string, files: Record<string, string>): Record<string, string> {
  const out = { ...files };
  for (let round = 0; round < 10; round++) {
    const fix = findings(lockName, lock, out).find((f) => f.fixes.length > 0)?.fixes[0];
    if (!fix) return out;
    for (const name of Object.keys(out)) {
      const uri = pathToFileURL(`${dir}/${name}`).href;
      out[name] = applyEdits(out[name]!, fix.edits.filter((e) => e.uri === uri)).text;
    }
  }
  throw new Error('the fixes did not settle');
}

const packageJson = '{\n  "name": "app",\n  "dependencies": {\n    "chalk": "5.6.1",\n    "debug": "^4.4.0"\n  }\n}\n';

test('yarn: resolutions in package.json, and the direct dependency pinned only to the compromised release is pinned too', () => {
  const files = { 'package.json': packageJson };
  const list = findings('yarn.lock', yarnLock, files);
  assert.deepStrictEqual(list.map((f) => [f.fixes.map((x) => x.title)[0], f.message.endsWith('Then run yarn install to rewrite the lockfile.')]), [
    ['Resolve chalk to 5.6.0 in package.json resolutions', true],
    ['Resolve debug to 4.4.1 in package.json resolutions', true],
  ]);
  assert.deepStrictEqual(fixAll('yarn.lock', yarnLock, files), {
    'package.json': '{\n  "name": "app",\n  "dependencies": {\n    "chalk": "5.6.0",\n    "debug": "^4.4.0"\n  },\n  "resolutions": {\n    "chalk": "5.6.0",\n    "debug": "4.4.1"\n  }\n}\n',
  });
});

test('yarn: once the resolution is in package.json, the finding says to run yarn install and offers no edit', () => {
  const files = { 'package.json': '{\n  "resolutions": {\n    "chalk": "5.6.0"\n  }\n}\n' };
  const [chalk] = findings('yarn.lock', yarnLock, files);
  assert.deepStrictEqual([chalk!.fixes, chalk!.message], [[], 'chalk 5.6.1 is a compromised release (npm chalk/debug maintainer hijack (2025-09-08), PINWATCH-NPM-2025-09-CHALK-DEBUG). package.json already overrides it with a safe release; run yarn install to rewrite the lockfile.']);
});

test('pnpm without pnpm-workspace.yaml: pnpm.overrides in package.json, inside an existing pnpm object, with tabs kept', () => {
  const files = { 'package.json': '{\n\t"name": "app",\n\t"pnpm": {\n\t\t"onlyBuiltDependencies": []\n\t}\n}\n' };
  const list = findings('pnpm-lock.yaml', pnpmLock, files);
  assert.deepStrictEqual(list.map((f) => f.fixes[0]?.title), ['Override chalk to 5.6.0 in package.json pnpm.overrides', 'Override @ctrl/tinycolor to 4.1.0 in package.json pnpm.overrides']);
  assert.deepStrictEqual(fixAll('pnpm-lock.yaml', pnpmLock, files), {
    'package.json': '{\n\t"name": "app",\n\t"pnpm": {\n\t\t"onlyBuiltDependencies": [],\n\t\t"overrides": {\n\t\t\t"chalk": "5.6.0",\n\t\t\t"@ctrl/tinycolor": "4.1.0"\n\t\t}\n\t}\n}\n',
  });
  const bare = { 'package.json': '{\n  "name": "app"\n}\n' };
  assert.deepStrictEqual(fixAll('pnpm-lock.yaml', pnpmLock, bare), {
    'package.json': '{\n  "name": "app",\n  "pnpm": {\n    "overrides": {\n      "chalk": "5.6.0",\n      "@ctrl/tinycolor": "4.1.0"\n    }\n  }\n}\n',
  });
});

test('pnpm with pnpm-workspace.yaml: overrides there (added, extended or replaced), the direct pin in package.json', () => {
  const workspace = "packages:\n  - 'packages/*'\n";
  const files = { 'package.json': packageJson, 'pnpm-workspace.yaml': workspace };
  const list = findings('pnpm-lock.yaml', pnpmLock, files);
  assert.deepStrictEqual(list.map((f) => [f.fixes[0]?.title, f.message.endsWith('Then run pnpm install to rewrite the lockfile.')]), [
    ['Override chalk to 5.6.0 in pnpm-workspace.yaml', true],
    ['Override @ctrl/tinycolor to 4.1.0 in pnpm-workspace.yaml', true],
  ]);
  assert.deepStrictEqual(fixAll('pnpm-lock.yaml', pnpmLock, files), {
    'package.json': packageJson.replace('"chalk": "5.6.1"', '"chalk": "5.6.0"'),
    'pnpm-workspace.yaml': `${workspace}overrides:\n  chalk: 5.6.0\n  '@ctrl/tinycolor': 4.1.0\n`,
  });
  const block = { 'package.json': '{}\n', 'pnpm-workspace.yaml': "overrides:\n    chalk: 5.6.1 # pinned\n    'left-pad': ^1.3.0\n\ncatalog:\n  react: ^18\n" };
  assert.deepStrictEqual(fixAll('pnpm-lock.yaml', pnpmLock, block), {
    'package.json': '{}\n',
    'pnpm-workspace.yaml': "overrides:\n    chalk: 5.6.0 # pinned\n    'left-pad': ^1.3.0\n    '@ctrl/tinycolor': 4.1.0\n\ncatalog:\n  react: ^18\n",
  });
  const flow = { 'package.json': '{}\n', 'pnpm-workspace.yaml': 'overrides: {}\r\n' };
  const [chalk] = findings('pnpm-lock.yaml', pnpmLock, flow);
  assert.deepStrictEqual(applyEdits(flow['pnpm-workspace.yaml'], chalk!.fixes[0]!.edits).text, 'overrides: { chalk: 5.6.0 }\r\n');
});

test('bun: overrides in package.json, then bun install', () => {
  const files = { 'package.json': '{ "name": "app", "dependencies": { "chalk": "=5.6.1" } }' };
  const list = findings('bun.lock', bunLock, files);
  assert.deepStrictEqual(list.map((f) => [f.fixes[0]?.title, f.message.endsWith('Then run bun install to rewrite the lockfile.')]), [['Override chalk to 5.6.0 in package.json', true]]);
  assert.deepStrictEqual(fixAll('bun.lock', bunLock, files), { 'package.json': '{ "name": "app", "dependencies": { "chalk": "5.6.0" }, "overrides": { "chalk": "5.6.0" } }' });
});

test('without a readable package.json there is no edit, and the finding stays an error', () => {
  const list = findings('yarn.lock', yarnLock, {});
  assert.deepStrictEqual(list.map((f) => [f.severity, f.fixes.length]), [['error', 0], ['error', 0]]);
});
