/**
 * The image row: `pinwatch scan image.tar` (the bundled CLI) on a generated 200 MB docker-save archive (five gzip
 * layers of incompressible 1 MB members, plus a few files formats read and a liblzma), against `tar -tf` of the
 * same file and against listing every layer (`tar -xOf image.tar LAYER | tar -tzf -`, the same decompression
 * work), each the median of three runs, alternated; and the scan's peak RSS (VmHWM of the CLI process).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { headerBlock, makeTar } from '../test/unit/image/tarWriter';

const dist = resolve(__dirname, '..', '..', 'dist');

/** Writes the archive to `path` a layer at a time (never the whole archive in memory); its layer names. */
function writeImage(path: string, layers: number, membersPerLayer: number): string[] {
  const names = Array.from({ length: layers }, (_, i) => `${String(i).repeat(64).slice(0, 64)}/layer.tar`);
  const fd = openSync(path, 'w');
  let offset = 0;
  const put = (data: Buffer): void => {
    writeSync(fd, data, 0, data.length, offset);
    offset += data.length;
  };
  const manifest = Buffer.from(JSON.stringify([{ Config: 'config.json', RepoTags: ['bench:latest'], Layers: names }]));
  put(makeTar([{ name: 'manifest.json', data: manifest }, { name: 'config.json', data: '{}' }], false));
  for (const [i, name] of names.entries()) {
    const entries = Array.from({ length: membersPerLayer }, (_, m) => ({ name: `opt/data-${i}/blob-${m}.bin`, data: randomBytes(1024 * 1024) }));
    entries.push(
      { name: 'etc/Dockerfile', data: Buffer.from(`FROM alpine:3.${19 + i}\nRUN apk add --no-cache xz-libs=5.6.${i % 2 === 0 ? '2' : '1'}-r${i}\n`) },
      { name: `srv/app-${i}/package-lock.json`, data: Buffer.from(JSON.stringify({ name: 'app', lockfileVersion: 3, packages: { '': { name: 'app' }, 'node_modules/left-pad': { version: '1.3.0' } } })) },
      { name: 'usr/lib/liblzma.so.5.6.1', data: randomBytes(2 * 1024 * 1024) },
    );
    const layer = gzipSync(makeTar(entries), { level: 1 });
    put(headerBlock(name, layer.length, '0'));
    put(layer);
    put(Buffer.alloc((512 - (layer.length % 512)) % 512));
  }
  put(Buffer.alloc(1024));
  closeSync(fd);
  return names;
}

/** Runs a command and returns its wall time. */
function timed(command: string, args: readonly string[], cwd: string): number {
  const started = performance.now();
  const run = spawnSync(command, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], shell: false });
  if (run.status !== 0 && run.status !== 1) throw new Error(`${command} ${args.join(' ')} failed: ${run.stderr?.toString()}`);
  return performance.now() - started;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

/** Prints the image table, measured in `work`. */
export function benchImages(work: string): void {
  const dir = join(work, 'images');
  mkdirSync(dir, { recursive: true });
  try {
    const image = join(dir, 'image.tar');
    const names = writeImage(image, 5, 38);
    const mb = readFileSync(image).length / 1024 / 1024;
    const hook = join(dir, 'rss-hook.js');
    const out = join(dir, 'rss.txt');
    writeFileSync(hook, `process.on('exit', () => { const kb = Number(/VmHWM:\\s+(\\d+)/.exec(require('fs').readFileSync('/proc/self/status', 'utf8'))[1]); require('fs').writeFileSync(${JSON.stringify(out)}, String(kb)); });\n`);
    // The scan reads every layer: the five lockfiles, the last Dockerfile and the library are what it analyses.
    const check = spawnSync(process.execPath, [join(dist, 'cli.js'), 'scan', 'image.tar', '--format', 'json', '--no-config'], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const summary = (JSON.parse(check.stdout) as { summary: { filesScanned: number } }).summary;
    if (summary.filesScanned !== names.length + 2) throw new Error(`the image scan read ${summary.filesScanned} files, not ${names.length + 2}: ${check.stderr}`);
    const layerList = names.map((n) => `tar -xOf image.tar ${n} | tar -tzf - > /dev/null`).join(' && ');
    const runs = { scan: [] as number[], rss: [] as number[], outer: [] as number[], layers: [] as number[] };
    for (let i = 0; i < 3; i++) {
      runs.scan.push(timed(process.execPath, ['--require', hook, join(dist, 'cli.js'), 'scan', 'image.tar', '--fail-on', 'never', '--no-config'], dir));
      runs.rss.push(Number(readFileSync(out, 'utf8')) / 1024);
      runs.outer.push(timed('tar', ['-tf', 'image.tar'], dir));
      runs.layers.push(timed('sh', ['-c', layerList], dir));
    }
    const scan = median(runs.scan);
    const layers = median(runs.layers);
    const outer = median(runs.outer);
    const rss = Math.max(...runs.rss);
    console.log(`\nImage archives (a generated ${mb.toFixed(0)} MB docker save archive: 5 gzip layers of incompressible members; median of 3):`);
    const rows = [
      ['pinwatch scan image.tar', `${scan.toFixed(0)} ms`, `${(scan / layers).toFixed(2)}× the layer listing, ${(scan / outer).toFixed(1)}× tar -tf`],
      ['tar -tf image.tar (the outer tar only)', `${outer.toFixed(0)} ms`, ''],
      ['tar -tzf of every layer (tar -xOf | tar -tzf -)', `${layers.toFixed(0)} ms`, ''],
      ['pinwatch scan: peak RSS', `${rss.toFixed(0)} MB`, ''],
    ];
    const width = Math.max(...rows.map((r) => r[0]!.length));
    for (const [what, value, note] of rows) console.log(`${what!.padEnd(width)}  ${value!.padStart(8)}  ${note}`);
    console.log(`target: scan ≤ 2× tar -tf of the same file: ${scan <= 2 * outer ? 'met' : 'NOT met'} against the outer listing, ${scan <= 2 * layers ? 'met' : 'NOT met'} against the layer listing; peak RSS ≤ 150 MB: ${rss <= 150 ? 'met' : 'NOT met'}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
