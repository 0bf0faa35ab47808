// The CLI's entry point and its code cache: a cache from another build, a damaged one or none at all changes
// nothing but the start-up time, and the build's own cache is the one the build wrote for this bundle.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { Script } from 'node:vm';
import { cliPath, emptyCache, repoRoot } from './helpers';

const dist = dirname(cliPath);

/** A copy of the CLI in a folder of its own, with `cache` as its code cache (none when undefined). */
function copy(cache: Buffer | undefined): string {
  const dir = mkdtempSync(join(tmpdir(), 'pinwatch-launch-'));
  chmodSync(dir, 0o755);
  copyFileSync(join(dist, 'cli.js'), join(dir, 'cli.js'));
  copyFileSync(join(dist, 'cli-main.js'), join(dir, 'cli-main.js'));
  // SQLite's WebAssembly, for the examples' rpmdb.sqlite.
  copyFileSync(join(dist, 'sql-wasm.wasm'), join(dir, 'sql-wasm.wasm'));
  if (cache) writeFileSync(join(dir, 'cli-main.cache'), cache);
  return dir;
}

function run(cli: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, 'scan', 'examples', '--format', 'json', '--no-config'], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, PINWATCH_CACHE_DIR: emptyCache } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('the build writes a code cache for this very bundle', () => {
  const id = /\/\/# pinwatch-build=([0-9a-f]{16})\n$/.exec(readFileSync(join(dist, 'cli-main.js'), 'utf8'))?.[1];
  assert.ok(id !== undefined, 'the bundle has no build id');
  assert.equal(readFileSync(join(dist, 'cli-main.cache')).subarray(0, 32).toString('latin1'), `pinwatch-build=${id}\n`);
});

test('the bundle is ASCII, as launch.ts reads it (Latin-1), and this Node accepts the cache for it', () => {
  const bytes = readFileSync(join(dist, 'cli-main.js'));
  assert.equal(bytes.findIndex((b) => b >= 0x80), -1);
  const source = bytes.toString('latin1');
  const data = readFileSync(join(dist, 'cli-main.cache'));
  // The wrapper launch.ts compiles the bundle in (the cache is for that exact source).
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: join(dist, 'cli-main.js'), cachedData: data.subarray(data.indexOf(10) + 1) });
  assert.equal(script.cachedDataRejected, false);
});

test('with no cache, another build\'s cache or a damaged one, the CLI runs and reports the same', () => {
  const expected = run(cliPath);
  assert.equal(expected.status, 1, expected.stderr);
  const real = readFileSync(join(dist, 'cli-main.cache'));
  const header = real.subarray(0, real.indexOf(10) + 1);
  const damaged = Buffer.concat([header, Buffer.alloc(real.length - header.length, 0x5a)]);
  const other = Buffer.concat([Buffer.from('pinwatch-build=0000000000000000\n'), real.subarray(header.length)]);
  for (const cache of [undefined, damaged, other, Buffer.from('')]) {
    assert.deepStrictEqual(run(join(copy(cache), 'cli.js')), expected);
  }
});
