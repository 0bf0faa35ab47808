/**
 * The `pinwatch` command's entry point (dist/cli.js): it runs the CLI bundle beside it (dist/cli-main.js) as Node
 * would run it as a module, but compiled with the V8 code cache that the build wrote beside it
 * (dist/cli-main.cache), so that a run, and each scan worker thread, starts without compiling 2 MB of JavaScript
 * first. The cache is only a start-up cost: one that does not belong to this bundle (another build: its build id
 * differs) or to this V8 (V8 checks its version and flags, and rejects it) is not used, and the bundle is
 * compiled as usual. Nothing is written at run time, except by the build's own run with
 * `PINWATCH_WRITE_CODE_CACHE` set, which writes the cache after running a scan of the examples.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Script } from 'node:vm';

const mainFile = join(__dirname, 'cli-main.js');
const cacheFile = join(__dirname, 'cli-main.cache');
// The build makes the bundle ASCII (and checks it), so it is read as Latin-1, which needs no UTF-8 decoding.
const source = readFileSync(mainFile, 'latin1');
// The build appends `//# pinwatch-build=<id>` to the bundle and starts the cache with the same line.
const buildId = /\/\/# pinwatch-build=([0-9a-f]+)\s*$/.exec(source.slice(-200))?.[1];
const header = buildId === undefined ? undefined : `pinwatch-build=${buildId}\n`;

function cachedData(): Buffer | undefined {
  if (header === undefined || process.env.PINWATCH_WRITE_CODE_CACHE) return undefined;
  try {
    const data = readFileSync(cacheFile);
    return data.subarray(0, header.length).toString('latin1') === header ? data.subarray(header.length) : undefined;
  } catch {
    return undefined;
  }
}

const cache = cachedData();
// The same wrapper Node puts around a CommonJS module, so the bundle sees what it would as dist/cli.js.
const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: mainFile, ...(cache ? { cachedData: cache } : {}) });
const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: NodeJS.Module, filename: string, dirname: string) => void;
if (process.env.PINWATCH_WRITE_CODE_CACHE && header !== undefined) {
  // After the run, so that the functions it compiled (most of a scan's) are in the cache too.
  process.on('exit', () => writeFileSync(cacheFile, Buffer.concat([Buffer.from(header, 'latin1'), script.createCachedData()])));
}
run.call(module.exports, module.exports, createRequire(mainFile), module, __filename, __dirname);
