// One build for everything: the extension, the server and the CLI into dist/, and with --tests or --bench the
// test and bench files into out/. Every bundle inlines the advisories in server/advisories/.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('.', import.meta.url).pathname;
const advisoryDir = join(root, 'server', 'advisories');

/** Resolves `pinwatch:advisories` to the parsed contents of every JSON file in server/advisories/, sorted by name. */
const advisoriesPlugin = {
  name: 'advisories',
  setup(build) {
    build.onResolve({ filter: /^pinwatch:advisories$/ }, () => ({ path: 'advisories', namespace: 'pinwatch' }));
    build.onLoad({ filter: /.*/, namespace: 'pinwatch' }, () => {
      const files = readdirSync(advisoryDir).filter((f) => f.endsWith('.json')).sort();
      const records = files.map((f) => JSON.parse(readFileSync(join(advisoryDir, f), 'utf8')));
      return { contents: `export default ${JSON.stringify(records)};`, loader: 'js', watchFiles: files.map((f) => join(advisoryDir, f)) };
    });
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // jsonc-parser's UMD build loads its parts with a dynamic require that a bundle cannot follow; its ESM build bundles.
  mainFields: ['module', 'main'],
  sourcemap: true,
  logLevel: 'warning',
  plugins: [advisoriesPlugin],
};

function walk(dir, pick) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'node_modules' && name !== 'fixtures' && !name.startsWith('.')) out.push(...walk(path, pick));
    } else if (pick(name)) out.push(path);
  }
  return out;
}

const args = new Set(process.argv.slice(2));
const production = args.has('--production');

await Promise.all([
  esbuild.build({ ...common, entryPoints: { extension: 'client/src/extension.ts' }, outdir: 'dist', external: ['vscode'], minify: production }),
  esbuild.build({ ...common, entryPoints: { server: 'server/src/server.ts', cli: 'server/src/launch.ts' }, outdir: 'dist', minify: production, banner: { js: '#!/usr/bin/env node' } }),
  // Its licence comments go to cli-main.js.LEGAL.txt, so that the bundle is ASCII and read as such (see launch.ts).
  esbuild.build({ ...common, entryPoints: { 'cli-main': 'server/src/cli.ts' }, outdir: 'dist', minify: production, minifyWhitespace: true, minifySyntax: true, legalComments: 'linked' }),
]);


// sql.js's WebAssembly module (SQLite, for rpm's rpmdb.sqlite) is loaded at run time from beside the bundle.
copyFileSync(join(root, 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm'), join(root, 'dist', 'sql-wasm.wasm'));

// The CLI bundle's build id, and its V8 code cache (see server/src/launch.ts), written by a run of the CLI itself
// on the examples; a run that fails leaves no cache, and the CLI then compiles as usual.
{
  const main = join(root, 'dist', 'cli-main.js');
  const text = readFileSync(main, 'utf8');
  // launch.ts reads the bundle as Latin-1, which is only right for ASCII (esbuild writes other characters as escapes).
  const wide = text.search(/[^\x00-\x7f]/);
  if (wide >= 0) throw new Error(`dist/cli-main.js is not ASCII at offset ${wide}: ${JSON.stringify(text.slice(Math.max(0, wide - 40), wide + 10))}`);
  const id = createHash('sha256').update(text).digest('hex').slice(0, 16);
  writeFileSync(main, `${text}//# pinwatch-build=${id}\n`);
  rmSync(join(root, 'dist', 'cli-main.cache'), { force: true });
  const run = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'scan', 'examples', '--fail-on', 'never', '--no-config', '--jobs', '1'], {
    cwd: root,
    env: { ...process.env, PINWATCH_WRITE_CODE_CACHE: '1', PINWATCH_CACHE_DIR: join(root, 'dist', '.no-store') },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (run.status !== 0) console.warn(`the CLI's code cache was not written: ${run.stderr}`);
}

if (args.has('--tests')) {
  rmSync(join(root, 'out', 'test'), { recursive: true, force: true });
  const entries = walk(join(root, 'test'), (n) => n.endsWith('.test.ts'));
  await esbuild.build({
    ...common,
    entryPoints: Object.fromEntries(entries.map((e) => [relative(root, e).replace(/\.ts$/, ''), e])),
    outdir: 'out',
    // Packages stay external so tests load the same modules a user's node would; our sources are bundled.
    packages: 'external',
    external: ['vscode'],
  });
}

// The fuzzer's worker is a file of its own (a worker thread loads it by path); the short run in `npm test` uses it too.
if (args.has('--fuzz') || args.has('--tests')) {
  const entries = { 'fuzz/worker': 'test/fuzz/worker.ts', ...(args.has('--fuzz') ? { 'fuzz/fuzz': 'test/fuzz/fuzz.ts' } : {}) };
  await esbuild.build({ ...common, entryPoints: entries, outdir: 'out', packages: 'external' });
}

if (args.has('--bench')) {
  await esbuild.build({ ...common, entryPoints: { 'bench/bench': 'bench/bench.ts', 'bench/growth': 'bench/growth.ts', 'bench/advisories': 'bench/advisories.ts' }, outdir: 'out', packages: 'external' });
}
