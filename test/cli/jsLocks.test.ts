// `scan --fix` on a yarn, a pnpm (with and without pnpm-workspace.yaml) and a bun project: the override goes in
// the right place, the lockfile is untouched, and once the package manager has rewritten the lockfile (simulated
// here by editing the entry) a rescan is clean.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { copyFixture, fixtures, pinwatch } from './helpers';

interface Case {
  fixture: string;
  lockfile: string;
  /** The files the fix changes, with what each becomes. */
  changed: (before: (path: string) => string) => Record<string, string>;
  /** The text of fixed-up lockfile, as the package manager would write it after the fix. */
  reinstalled: (lock: string) => string;
  install: string;
}

const cases: Case[] = [
  {
    fixture: 'js-yarn',
    lockfile: 'yarn.lock',
    changed: (before) => ({
      'package.json': before('package.json')
        .replace('"chalk": "5.6.1"', '"chalk": "5.6.0"')
        .replace('\n  }\n}\n', '\n  },\n  "resolutions": {\n    "debug": "4.4.1",\n    "chalk": "5.6.0"\n  }\n}\n'),
    }),
    reinstalled: (lock) => lock.replace(/chalk@5\.6\.1:\n  version "5\.6\.1"/, 'chalk@5.6.0:\n  version "5.6.0"').replace('version "4.4.2"', 'version "4.4.1"'),
    install: 'yarn install',
  },
  {
    fixture: 'js-pnpm',
    lockfile: 'pnpm-lock.yaml',
    changed: (before) => ({
      'package.json': before('package.json').replace('\n  }\n}\n', '\n  },\n  "pnpm": {\n    "overrides": {\n      "chalk": "5.6.0"\n    }\n  }\n}\n'),
    }),
    reinstalled: (lock) => lock.replaceAll('chalk@5.6.1', 'chalk@5.6.0').replace('version: 5.6.1', 'version: 5.6.0'),
    install: 'pnpm install',
  },
  {
    fixture: 'js-pnpm-workspace',
    lockfile: 'pnpm-lock.yaml',
    changed: (before) => ({
      'pnpm-workspace.yaml': before('pnpm-workspace.yaml').replace('  left-pad: ^1.3.0\n', '  left-pad: ^1.3.0\n  chalk: 5.6.0\n'),
    }),
    reinstalled: (lock) => lock.replaceAll('chalk@5.6.1', 'chalk@5.6.0').replace('version: 5.6.1', 'version: 5.6.0'),
    install: 'pnpm install',
  },
  {
    fixture: 'js-bun',
    lockfile: 'bun.lock',
    changed: (before) => ({
      'package.json': before('package.json').replace('\n\t}\n}\n', '\n\t},\n\t"overrides": {\n\t\t"strip-ansi": "7.1.0"\n\t}\n}\n'),
    }),
    reinstalled: (lock) => lock.replace('strip-ansi@7.1.1', 'strip-ansi@7.1.0'),
    install: 'bun install',
  },
];

for (const c of cases) {
  test(`scan --fix on ${c.fixture}: the override in the manifest, the lockfile byte-identical, and a clean rescan after ${c.install}`, () => {
    const dir = copyFixture(c.fixture);
    const before = (p: string): string => readFileSync(join(fixtures, c.fixture, p), 'utf8');
    const after = (p: string): string => readFileSync(join(dir, p), 'utf8');
    const first = pinwatch(['scan', '.'], dir);
    assert.equal(first.status, 1, first.stdout + first.stderr);
    assert.match(first.stdout, new RegExp(`Then run ${c.install} to rewrite the lockfile\\.`));

    const run = pinwatch(['scan', '--fix'], dir);
    assert.equal(run.status, 1, 'the lockfile stays flagged until the package manager rewrites it');
    const expected = c.changed(before);
    for (const [path, text] of Object.entries(expected)) assert.equal(after(path), text, path);
    assert.ok(readFileSync(join(dir, c.lockfile)).equals(readFileSync(join(fixtures, c.fixture, c.lockfile))), 'the lockfile is byte-identical');
    for (const path of ['package.json', 'pnpm-workspace.yaml'].filter((p) => !(p in expected))) {
      try {
        assert.equal(after(path), before(path), `${path} is unchanged`);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    JSON.parse(after('package.json'));
    const again = pinwatch(['scan', '--fix'], dir);
    assert.match(again.stdout, /^0 fixes applied\.$/m, 'a second --fix changes nothing');
    assert.match(again.stdout, new RegExp(`already overrides it with a safe release; run ${c.install} to rewrite the lockfile\\.`));

    writeFileSync(join(dir, c.lockfile), c.reinstalled(after(c.lockfile)));
    const rescan = pinwatch(['scan', '.'], dir);
    assert.deepEqual([rescan.status, rescan.stderr], [0, ''], rescan.stdout);
    assert.match(rescan.stdout, /^No compromised pins found in \d+ files\.\n$/);
  });
}
