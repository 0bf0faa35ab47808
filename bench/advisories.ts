/**
 * The advisory store at the scale of OSV's malicious-packages data, side by side with no store: importing a
 * generated 200,000-record all.zip (time, peak RSS), the CLI's start-up, the analysis of an npm lockfile, and the
 * language server's memory with the lockfile open. Each CLI figure is a separate process of the bundled dist/.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { loadAdvisories } from '../server/src/advisories/load';
import { analyze, bundledAdvisories } from '../server/src/engine';
import { defaultSettings } from '../server/src/model';
import { makeZip, type ZipEntry } from '../test/unit/advisories/zipWriter';
import { generateLockfile } from './lockfiles';

const dist = resolve(__dirname, '..', '..', 'dist');

/** A row of the table: what, without the store, with it, the target, and whether it is met. */
export type AdvisoryRow = [string, string, string, string, string];

/**
 * `count` generated MAL- records, one per zip entry. One in 20 of `realNames` (the lockfile's packages) also gets a
 * record, at a version no lockfile has, as a real lockfile shares a few names with malicious-package records
 * (compromised releases of real packages); every fifth record is a whole-package one.
 */
export function* generatedRecords(count: number, realNames: readonly string[]): Generator<ZipEntry> {
  const shared = realNames.filter((_, i) => i % 20 === 0);
  for (let i = 0; i < count; i++) {
    const real = i < shared.length ? shared[i] : undefined;
    const name = real ?? `bench-mal-${i.toString(36)}-${(i * 7919).toString(36)}`;
    const affected = i % 5 === 0 && !real
      ? { package: { ecosystem: 'npm', name }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }] }
      : { package: { ecosystem: 'npm', name }, versions: real ? ['999.0.0-mal'] : [`1.0.${i % 7}`, `1.1.${i % 3}`], ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }] };
    const id = `MAL-2099-${i}`;
    const record = {
      schema_version: '1.6.0', id, modified: `2099-01-${String(1 + (i % 28)).padStart(2, '0')}T00:00:00Z`, published: '2099-01-01T00:00:00Z',
      summary: `Malicious code in ${name} (npm)`,
      details: '\n---\n_-= Per source details. Do not edit below this line.=-_\n\n## Source: generated\nThe package downloads and runs a second stage from a remote host.\n',
      affected: [affected],
      database_specific: { 'malicious-packages-origins': [{ source: 'bench', sha256: 'a'.repeat(64), import_time: '2099-01-01T00:00:00Z', modified_time: '2099-01-01T00:00:00Z', versions: ['1.0.0'] }] },
    };
    yield { name: `${id}.json`, data: JSON.stringify(record) };
  }
}

/** Runs the bundled CLI and returns its wall time and peak RSS (through a preload that reports it at exit). */
function timedCli(args: readonly string[], env: Record<string, string>, work: string): { ms: number; rssMb: number; status: number | null; stderr: string } {
  const hook = join(work, 'rss-hook.js');
  const out = join(work, 'rss.txt');
  // VmHWM, not resourceUsage().maxRSS: on Linux a child's maxRSS starts at its parent's mark at fork (this
  // process holds the generated zip), while VmHWM belongs to the child's own address space.
  writeFileSync(hook, `process.on('exit', () => { let kb = process.resourceUsage().maxRSS; try { kb = Number(/VmHWM:\\s+(\\d+)/.exec(require('fs').readFileSync('/proc/self/status', 'utf8'))[1]); } catch {} require('fs').writeFileSync(${JSON.stringify(out)}, String(kb)); });\n`);
  const started = performance.now();
  const child = spawnSync(process.execPath, ['--require', hook, join(dist, 'cli.js'), ...args], { env: { ...process.env, ...env }, encoding: 'utf8', cwd: work });
  const ms = performance.now() - started;
  return { ms, rssMb: Number(readFileSync(out, 'utf8')) / 1024, status: child.status, stderr: child.stderr };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

/** The language server's resident memory (VmRSS, VmHWM in MB) once it has published diagnostics for `lockfile`. */
async function serverMemory(env: Record<string, string>, lockfile: string): Promise<{ rssMb: number; hwmMb: number }> {
  const child = spawn(process.execPath, [join(dist, 'server.js'), '--stdio'], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'ignore'] });
  const send = (message: object): void => {
    const body = JSON.stringify({ jsonrpc: '2.0', ...message });
    child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  };
  const uri = `file://${lockfile}`;
  const done = new Promise<void>((resolveDone) => {
    let buffer = Buffer.alloc(0);
    child.stdout.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const head = buffer.indexOf('\r\n\r\n');
        if (head < 0) return;
        const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, head).toString())?.[1]);
        if (buffer.length < head + 4 + length) return;
        const message = JSON.parse(buffer.subarray(head + 4, head + 4 + length).toString()) as { method?: string; id?: number; params?: { uri?: string } };
        buffer = buffer.subarray(head + 4 + length);
        if (message.id === 1 && message.method === undefined) {
          send({ method: 'initialized', params: {} });
          send({ method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'json', version: 1, text: readFileSync(lockfile, 'utf8') } } });
        }
        if (message.method === 'textDocument/publishDiagnostics' && message.params?.uri === uri) resolveDone();
      }
    });
  });
  send({ id: 1, method: 'initialize', params: { processId: process.pid, rootUri: null, capabilities: {} } });
  await done;
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  child.kill();
  return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
}

/**
 * The rows of the advisories table, measured in `work`: `lockfile` is the npm lockfile analysed (the real one
 * when the corpus is there), `count` the number of generated records.
 */
export async function benchAdvisories(work: string, lockfile: string, count = 200_000): Promise<AdvisoryRow[]> {
  const dir = join(work, 'advisories');
  mkdirSync(dir, { recursive: true });
  const lockText = readFileSync(lockfile, 'utf8');
  const realNames = Object.keys((JSON.parse(lockText) as { packages?: Record<string, unknown> }).packages ?? {}).filter((k) => k.startsWith('node_modules/')).map((k) => k.slice(k.lastIndexOf('node_modules/') + 13));
  const zipPath = join(dir, 'all.zip');
  writeFileSync(zipPath, makeZip(generatedRecords(count, realNames)));
  const empty = { PINWATCH_CACHE_DIR: join(dir, 'empty') };
  const loaded = { PINWATCH_CACHE_DIR: join(dir, 'store') };
  const imported = timedCli(['advisories', 'import', zipPath], loaded, dir);
  if (imported.status !== 0) throw new Error(`advisories import failed: ${imported.stderr}`);
  const rows: AdvisoryRow[] = [];
  const zipMb = readFileSync(zipPath).length / 1024 / 1024;
  rows.push([`import ${count.toLocaleString('en-US')} records (${zipMb.toFixed(0)} MB zip): time`, '', `${(imported.ms / 1000).toFixed(2)} s`, '≤ 10 s', imported.ms <= 10_000 ? 'met' : 'NOT met']);
  rows.push(['import: peak RSS', '', `${imported.rssMb.toFixed(0)} MB`, '≤ 400 MB', imported.rssMb <= 400 ? 'met' : 'NOT met']);

  // Start-up: a scan of one small lockfile, median of 9 runs each, alternated.
  const small = join(dir, 'small');
  mkdirSync(small, { recursive: true });
  writeFileSync(join(small, 'package-lock.json'), JSON.stringify({ name: 'a', version: '1.0.0', lockfileVersion: 3, packages: { '': { name: 'a', version: '1.0.0' }, 'node_modules/left-pad': { version: '1.3.0' } } }));
  const without: number[] = [];
  const withStore: number[] = [];
  for (let i = 0; i < 9; i++) {
    without.push(timedCli(['scan', small], empty, dir).ms);
    withStore.push(timedCli(['scan', small], loaded, dir).ms);
  }
  const startDelta = median(withStore) - median(without);
  rows.push(['CLI start-up (scan of a small lockfile), median', `${median(without).toFixed(0)} ms`, `${median(withStore).toFixed(0)} ms`, '≤ +100 ms', startDelta <= 100 ? 'met' : 'NOT met']);

  // Analysis of the lockfile in this process: the bundled index against the store's, alternated.
  const bundledIndex = bundledAdvisories();
  const storeIndex = loadAdvisories(bundledIndex, { storeDir: loaded.PINWATCH_CACHE_DIR }).index;
  const plain: number[] = [];
  const stored: number[] = [];
  for (let i = 0; i < 3; i++) {
    analyze(lockfile, lockText, defaultSettings, { index: bundledIndex });
    analyze(lockfile, lockText, defaultSettings, { index: storeIndex });
  }
  // Alternated, each going first in turn, so that neither gets the other's garbage collections more often.
  for (let i = 0; i < 30; i++) {
    for (const [index, times] of (i % 2 === 0 ? [[bundledIndex, plain], [storeIndex, stored]] : [[storeIndex, stored], [bundledIndex, plain]]) as Array<[typeof storeIndex, number[]]>) {
      const t = performance.now();
      analyze(lockfile, lockText, defaultSettings, { index });
      times.push(performance.now() - t);
    }
  }
  const ratio = median(stored) / median(plain);
  rows.push([`analyze ${lockfile.includes('npm-real') ? 'the real' : 'a generated'} npm lockfile (${Math.round(lockText.length / 1024)} KB), median`, `${median(plain).toFixed(1)} ms`, `${median(stored).toFixed(1)} ms (${ratio.toFixed(2)}×)`, '≤ 1.2×', ratio <= 1.2 ? 'met' : 'NOT met']);

  const serverWithout = await serverMemory(empty, lockfile);
  const serverWith = await serverMemory(loaded, lockfile);
  rows.push(['language server with the lockfile open: RSS (peak)', `${serverWithout.rssMb.toFixed(0)} MB (${serverWithout.hwmMb.toFixed(0)})`, `${serverWith.rssMb.toFixed(0)} MB (${serverWith.hwmMb.toFixed(0)})`, '≤ 200 MB', serverWith.hwmMb <= 200 ? 'met' : 'NOT met']);
  rmSync(dir, { recursive: true, force: true });
  return rows;
}

/**
 * Prints the table: `node out/bench/advisories.js [COUNT [LOCKFILE]]` after `node esbuild.mjs --bench` (bench.ts
 * runs it so). Without LOCKFILE, the real one of ../shared/corpus/npm-real, else a generated one of 1,500 packages.
 */
if (require.main === module) {
  const work = mkdtempSync(join(tmpdir(), 'pinwatch-bench-advisories-'));
  let lockfile = process.argv[3] ?? resolve(__dirname, '..', '..', '..', 'shared', 'corpus', 'npm-real', 'package-lock.json');
  if (!existsSync(lockfile)) {
    lockfile = join(work, 'generated', 'package-lock.json');
    mkdirSync(dirname(lockfile), { recursive: true });
    writeFileSync(lockfile, generateLockfile(1500).lockfile);
  }
  const count = Number(process.argv[2] ?? 200_000);
  void benchAdvisories(work, lockfile, count).then((rows) => {
    console.log(`\nThe advisory store (${count.toLocaleString('en-US')} generated MAL- records), without and with it:`);
    printRows(['measure', 'without the store', 'with the store', 'target', 'verdict'], rows);
    rmSync(work, { recursive: true, force: true });
  });
}

function printRows(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  for (const row of [header, widths.map((w) => '-'.repeat(w)), ...rows]) console.log(row.map((cell, i) => (cell ?? '').padEnd(widths[i]!)).join('  ').trimEnd());
}

/** Writes the generated zip alone (for profiling an import): `count` records, sharing no lockfile's names. */
export function writeBenchZip(path: string, count: number): void {
  writeFileSync(path, makeZip(generatedRecords(count, [])));
}
