/**
 * The image rows: `pinwatch scan` (the bundled CLI) on two generated 200 MB docker-save archives, each the median
 * of three runs, alternated with what it is compared to, and the scan's peak RSS (VmHWM of the CLI process).
 *
 * - As `docker save` writes it (Docker 25 and later: an OCI layout with manifest.json, layers as uncompressed tar
 *   blobs): five layers of a distribution's shape (thousands of small files, some 1 MB ones) and the files formats
 *   read (a dpkg status, os-release, a lockfile, a liblzma), against `tar -tf` of the same file (GNU tar seeks past
 *   member data) and against listing every layer (`tar -xOf image.tar BLOB | tar -tf -`).
 * - As a registry copy (skopeo, crane) has it: five gzip layers of incompressible 1 MB members, which must be
 *   decompressed to be read at all, against listing every layer (`tar -xOf image.tar LAYER | tar -tzf -`, the same
 *   decompression work) and `tar -tf` of the outer tar.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
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

/**
 * Writes an archive as `docker save` writes it since Docker 25 to `path`, a layer at a time: oci-layout, the layer
 * blobs (uncompressed tars), the config, the image manifest, index.json and manifest.json. Each layer holds
 * `smallFiles` files of 512 bytes to 8 KB and `bigFiles` of 1 MB; the first a dpkg status and etc/os-release,
 * later ones a lockfile, a Dockerfile and a liblzma; the last upgrades the status. Returns the layer blob paths
 * and how many files the scan reads.
 */
function writeDockerSave(path: string, layers: number, smallFiles: number, bigFiles: number): { blobs: string[]; read: number } {
  const fd = openSync(path, 'w');
  let offset = 0;
  const put = (data: Buffer): void => {
    writeSync(fd, data, 0, data.length, offset);
    offset += data.length;
  };
  const member = (name: string, data: Buffer): void => {
    put(headerBlock(name, data.length, '0'));
    put(data);
    put(Buffer.alloc((512 - (data.length % 512)) % 512));
  };
  const blob = (data: Buffer): { digest: string; size: number; name: string } => {
    const hex = createHash('sha256').update(data).digest('hex');
    member(`blobs/sha256/${hex}`, data);
    return { digest: `sha256:${hex}`, size: data.length, name: `blobs/sha256/${hex}` };
  };
  member('oci-layout', Buffer.from('{"imageLayoutVersion":"1.0.0"}'));
  const status = (xz: string): Buffer => Buffer.from(`Package: liblzma5\nStatus: install ok installed\nArchitecture: amd64\nSource: xz-utils\nVersion: ${xz}\n\nPackage: bash\nStatus: install ok installed\nArchitecture: amd64\nVersion: 5.2.15-2+b7\n`);
  const layerBlobs: Array<{ digest: string; size: number; name: string }> = [];
  for (let i = 0; i < layers; i++) {
    const entries: Array<{ name: string; data: Buffer }> = [];
    for (let m = 0; m < smallFiles; m++) entries.push({ name: `usr/share/layer-${i}/pkg-${m % 97}/file-${m}.dat`, data: randomBytes(512 + ((m * 7919) % 7680)) });
    for (let m = 0; m < bigFiles; m++) entries.push({ name: `opt/layer-${i}/blob-${m}.bin`, data: randomBytes(1024 * 1024) });
    if (i === 0) entries.push({ name: 'etc/os-release', data: Buffer.from('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n') }, { name: 'var/lib/dpkg/status', data: status('5.4.1-0.2') });
    else if (i === layers - 1) entries.push({ name: 'var/lib/dpkg/status', data: status('5.4.1-1') });
    else entries.push({ name: `srv/app-${i}/package-lock.json`, data: Buffer.from(JSON.stringify({ name: 'app', lockfileVersion: 3, packages: { '': { name: 'app' }, 'node_modules/left-pad': { version: '1.3.0' } } })) }, { name: `srv/app-${i}/Dockerfile`, data: Buffer.from(`FROM debian:12\nRUN apt-get install -y xz-utils=5.4.1-0.2\n`) }, { name: `usr/lib/x86_64-linux-gnu/liblzma.so.5.4.${i}`, data: randomBytes(2 * 1024 * 1024) });
    layerBlobs.push(blob(makeTar(entries)));
  }
  // The status the last layer leaves, and the three files of each middle layer.
  const read = 1 + 3 * (layers - 2);
  const config = blob(Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: layerBlobs.map((l) => l.digest) } })));
  const manifest = blob(Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: config.digest, size: config.size }, layers: layerBlobs.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: l.digest, size: l.size })) })));
  member('index.json', Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: manifest.digest, size: manifest.size, annotations: { 'io.containerd.image.name': 'docker.io/library/bench:latest', 'org.opencontainers.image.ref.name': 'latest' } }] })));
  member('manifest.json', Buffer.from(JSON.stringify([{ Config: config.name, RepoTags: ['bench:latest'], Layers: layerBlobs.map((l) => l.name) }])));
  put(Buffer.alloc(1024));
  closeSync(fd);
  return { blobs: layerBlobs.map((l) => l.name), read };
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

/**
 * Three alternating runs of a scan of `archive` (with its peak RSS), `tar -tf` of it, and `layerList` (the shell
 * command that lists every layer): the medians, and the highest RSS.
 */
function timeImage(dir: string, archive: string, layerList: string, hook: string, out: string): { scan: number; outer: number; layers: number; rss: number } {
  const runs = { scan: [] as number[], rss: [] as number[], outer: [] as number[], layers: [] as number[] };
  for (let i = 0; i < 3; i++) {
    const run = scanRun(dir, archive, hook, out);
    runs.scan.push(run.ms);
    runs.rss.push(run.rss);
    runs.outer.push(timed('tar', ['-tf', archive], dir));
    runs.layers.push(timed('sh', ['-c', layerList], dir));
  }
  return { scan: median(runs.scan), outer: median(runs.outer), layers: median(runs.layers), rss: Math.max(...runs.rss) };
}

/** The scan's wall time and peak RSS (MB) for the archive `name` in `dir`, through the hook that records VmHWM. */
function scanRun(dir: string, name: string, hook: string, out: string): { ms: number; rss: number } {
  const ms = timed(process.execPath, ['--require', hook, join(dist, 'cli.js'), 'scan', name, '--fail-on', 'never', '--no-config'], dir);
  return { ms, rss: Number(readFileSync(out, 'utf8')) / 1024 };
}

/** Checks that the scan of `name` read `expected` files (so the figures are of a scan that read every layer). */
function checkScan(dir: string, name: string, expected: number): void {
  const check = spawnSync(process.execPath, [join(dist, 'cli.js'), 'scan', name, '--format', 'json', '--no-config'], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const summary = (JSON.parse(check.stdout) as { summary: { filesScanned: number } }).summary;
  if (summary.filesScanned !== expected) throw new Error(`the scan of ${name} read ${summary.filesScanned} files, not ${expected}: ${check.stderr}`);
}

function printRows(rows: ReadonlyArray<readonly [string, string, string]>): void {
  const width = Math.max(...rows.map((r) => r[0].length));
  for (const [what, value, note] of rows) console.log(`${what.padEnd(width)}  ${value.padStart(8)}  ${note}`);
}

/** Prints the image tables, measured in `work`. */
export function benchImages(work: string): void {
  const dir = join(work, 'images');
  mkdirSync(dir, { recursive: true });
  try {
    const hook = join(dir, 'rss-hook.js');
    const out = join(dir, 'rss.txt');
    writeFileSync(hook, `process.on('exit', () => { const kb = Number(/VmHWM:\\s+(\\d+)/.exec(require('fs').readFileSync('/proc/self/status', 'utf8'))[1]); require('fs').writeFileSync(${JSON.stringify(out)}, String(kb)); });\n`);
    const startup = median([0, 1, 2].map(() => timed(process.execPath, [join(dist, 'cli.js'), '--version'], dir)));

    // As docker save writes it: uncompressed layers, read in place.
    const saved = join(dir, 'saved.tar');
    const { blobs, read } = writeDockerSave(saved, 5, 5000, 14);
    const savedMb = statSync(saved).size / 1024 / 1024;
    checkScan(dir, 'saved.tar', read);
    const savedList = blobs.map((n) => `tar -xOf saved.tar ${n} | tar -tf - > /dev/null`).join(' && ');
    const { scan: plainScan, outer: plainOuter, layers: plainLayers, rss: plainRss } = timeImage(dir, 'saved.tar', savedList, hook, out);
    console.log(`\nImage archives as docker save writes them (a generated ${savedMb.toFixed(0)} MB archive, Docker 25 form: 5 uncompressed layers of ${(5000).toLocaleString('en-US')} small and 14 1 MB files each; median of 3):`);
    printRows([
      ['pinwatch scan saved.tar', `${plainScan.toFixed(0)} ms`, `${(plainScan / plainOuter).toFixed(1)}× tar -tf, ${(plainScan / plainLayers).toFixed(2)}× the layer listing`],
      ['tar -tf saved.tar (the outer tar only, seeking)', `${plainOuter.toFixed(0)} ms`, ''],
      ['tar -tf of every layer (tar -xOf | tar -tf -)', `${plainLayers.toFixed(0)} ms`, ''],
      ['node dist/cli.js --version (start-up alone)', `${startup.toFixed(0)} ms`, `the scan less start-up: ${(plainScan - startup).toFixed(0)} ms`],
      ['pinwatch scan: peak RSS', `${plainRss.toFixed(0)} MB`, ''],
    ]);
    console.log(`target: scan ≤ 2× tar -tf of the same file: ${plainScan <= 2 * plainOuter ? 'met' : 'NOT met'} (${(plainScan / plainOuter).toFixed(1)}×; the CLI's start-up alone is ${(startup / plainOuter).toFixed(1)}×); peak RSS ≤ 150 MB: ${plainRss <= 150 ? 'met' : 'NOT met'}`);
    rmSync(saved, { force: true });

    // As a registry copy has it: gzip layers, which must be decompressed.
    const image = join(dir, 'image.tar');
    const names = writeImage(image, 5, 38);
    const mb = statSync(image).size / 1024 / 1024;
    // The scan reads every layer: the five lockfiles, the last Dockerfile and the library are what it analyses.
    checkScan(dir, 'image.tar', names.length + 2);
    const layerList = names.map((n) => `tar -xOf image.tar ${n} | tar -tzf - > /dev/null`).join(' && ');
    const { scan, outer, layers, rss } = timeImage(dir, 'image.tar', layerList, hook, out);
    console.log(`\nImage archives with gzip layers, as a registry copy has them (a generated ${mb.toFixed(0)} MB archive: 5 gzip layers of incompressible members; median of 3). They must be decompressed to be read, so tar -tf of the outer tar is no fair floor:`);
    printRows([
      ['pinwatch scan image.tar', `${scan.toFixed(0)} ms`, `${(scan / layers).toFixed(2)}× the layer listing, ${(scan / outer).toFixed(1)}× tar -tf`],
      ['tar -tf image.tar (the outer tar only)', `${outer.toFixed(0)} ms`, ''],
      ['tar -tzf of every layer (tar -xOf | tar -tzf -)', `${layers.toFixed(0)} ms`, ''],
      ['pinwatch scan: peak RSS', `${rss.toFixed(0)} MB`, ''],
    ]);
    console.log(`target: scan ≤ 2× the layer listing (the same decompression): ${scan <= 2 * layers ? 'met' : 'NOT met'}; ≤ 2× tar -tf of the same file: ${scan <= 2 * outer ? 'met' : 'NOT met'}; peak RSS ≤ 150 MB: ${rss <= 150 ? 'met' : 'NOT met'}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
