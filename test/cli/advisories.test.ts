import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { makeZip } from '../unit/advisories/zipWriter';
import { cliPath, pinwatch, type Run } from './helpers';

/** Runs the CLI without blocking this process (the test's HTTP server must keep answering). */
function pinwatchAsync(args: readonly string[], cwd: string, env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function mal(id: string, name: string, affected: Record<string, unknown>): string {
  return JSON.stringify({ id, modified: '2099-01-02T03:04:05Z', summary: `Malicious code in ${name} (npm)`, affected: [{ package: { ecosystem: 'npm', name }, ...affected }] });
}

const zip = makeZip([
  { name: 'MAL-2099-1.json', data: mal('MAL-2099-1', 'evil-pkg', { versions: ['1.0.1'] }) },
  { name: 'MAL-2099-2.json', data: mal('MAL-2099-2', 'whole-evil', { ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }] }) },
]);

const work = mkdtempSync(join(tmpdir(), 'pinwatch-feeds-'));
const project = join(work, 'project');
mkdirSync(project);
writeFileSync(join(project, 'package-lock.json'), JSON.stringify({
  name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true,
  packages: { '': { name: 'app', version: '1.0.0', dependencies: { 'evil-pkg': '1.0.1', 'whole-evil': '9.9.9', 'fine-pkg': '1.0.0' } }, 'node_modules/evil-pkg': { version: '1.0.1' }, 'node_modules/whole-evil': { version: '9.9.9' }, 'node_modules/fine-pkg': { version: '1.0.0' } },
}, null, 2));
const findings = [
  'package-lock.json:17:19: error evil-pkg 1.0.1 is a compromised release (MAL-2099-1). No safe release of it is known; remove it or move to another version the advisory does not list. [compromised-version]',
  'package-lock.json:20:19: error whole-evil 9.9.9 is a compromised release (MAL-2099-2). Every release of whole-evil is malware, so there is no fix but removing it. [compromised-version]',
];

/** The feed server: raw HTTP on 127.0.0.1, answering as `mode` says, and logging each request's path and validator. */
type Mode = 'ok' | '500' | 'truncated' | 'reset';
let mode = 'ok' as Mode;
const requests: Array<[string, string | undefined]> = [];
const server = createServer((socket: Socket) => {
  let head = '';
  socket.on('data', (chunk: Buffer) => {
    head += chunk.toString('latin1');
    if (!head.includes('\r\n\r\n')) return;
    const [line, ...headers] = head.split('\r\n');
    const path = line!.split(' ')[1]!;
    const etag = headers.find((h) => h.toLowerCase().startsWith('if-none-match:'))?.slice(14).trim();
    requests.push([path, etag]);
    head = '';
    const send = (status: string, extra: string[], body: Buffer = Buffer.alloc(0), length = body.length): void => {
      socket.write(`HTTP/1.1 ${status}\r\n${[...extra, `Content-Length: ${length}`, 'Connection: close'].join('\r\n')}\r\n\r\n`);
      socket.end(body);
    };
    if (path !== '/feed/npm/all.zip') return send('404 Not Found', []);
    if (mode === '500') return send('500 Internal Server Error', []);
    if (mode === 'reset') return void socket.resetAndDestroy();
    // A changed feed whose download is cut: the validator no longer matches.
    if (mode === 'truncated') return send('200 OK', ['ETag: "v2"'], zip.subarray(0, zip.length >> 1), zip.length);
    if (etag === '"v1"') return send('304 Not Modified', ['ETag: "v1"']);
    send('200 OK', ['ETag: "v1"', 'Last-Modified: Wed, 01 Jan 2099 00:00:00 GMT'], zip);
  });
  socket.on('error', () => undefined);
});
let source = '';

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  source = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/feed/`;
});

after(() => {
  server.close();
  rmSync(work, { recursive: true, force: true });
});

/** The text report's last line with the store of `env` loaded. */
function using(env: Record<string, string>): string {
  return `Using advisories of 2099-01-02 (38 bundled, 2 imported; store ${env.PINWATCH_CACHE_DIR}).\n`;
}

function freshCache(name: string): Record<string, string> {
  const dir = join(work, name);
  rmSync(dir, { recursive: true, force: true });
  return { PINWATCH_CACHE_DIR: dir };
}

test('a package only an imported MAL- record lists: no finding before import, the right ones after', () => {
  const env = freshCache('import');
  const dumps = join(work, 'dumps');
  mkdirSync(dumps, { recursive: true });
  writeFileSync(join(dumps, 'all.zip'), zip);
  assert.deepStrictEqual(pinwatch(['scan', '.'], project, undefined, env), { status: 0, stdout: 'No compromised pins found in 1 file.\n', stderr: '' });
  assert.deepStrictEqual(pinwatch(['advisories', 'import', join(dumps, 'all.zip')], project, undefined, env), { status: 0, stdout: `imported 2 records from ${join(dumps, 'all.zip')}\nstore: ${env.PINWATCH_CACHE_DIR}\n`, stderr: '' });
  const scanned = pinwatch(['scan', '.', '--offline'], project, undefined, env);
  assert.deepStrictEqual(scanned, { status: 1, stdout: `${findings.join('\n')}\n2 findings in 1 file (2 error, 0 warning, 0 info); 1 file scanned.\n${using(env)}`, stderr: '' });
  const status = pinwatch(['advisories', 'status'], project, undefined, env);
  assert.equal(status.status, 0);
  assert.match(status.stdout, new RegExp(`^bundled: 38 records, newest modified \\d{4}-\\d{2}-\\d{2}\\nstore: ${env.PINWATCH_CACHE_DIR}\\nsource: ${join(dumps, 'all.zip')} \\(zip, imported \\d{4}-\\d{2}-\\d{2}\\)\\n  2 records \\(npm 2\\), newest modified 2099-01-02\\nnewest modified: 2099-01-02\\n$`));
  assert.match(pinwatch(['--version'], project, undefined, env).stdout, /^\d+\.\d+\.\d+\nadvisories of 2099-01-02 \(38 bundled, 2 imported; store .*\)\n$/);
});

test('scan --advisories uses a dump for one scan without importing it', () => {
  const env = freshCache('dump');
  const dumps = join(work, 'dumps2');
  mkdirSync(join(dumps, 'osv', 'malicious', 'npm', 'evil-pkg'), { recursive: true });
  mkdirSync(join(dumps, 'osv', 'malicious', 'npm', 'whole-evil'), { recursive: true });
  writeFileSync(join(dumps, 'osv', 'malicious', 'npm', 'evil-pkg', 'MAL-2099-1.json'), mal('MAL-2099-1', 'evil-pkg', { versions: ['1.0.1'] }));
  writeFileSync(join(dumps, 'osv', 'malicious', 'npm', 'whole-evil', 'MAL-2099-2.json'), mal('MAL-2099-2', 'whole-evil', { ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }] }));
  assert.deepStrictEqual(pinwatch(['scan', '.', '--advisories', dumps], project, undefined, env), { status: 1, stdout: `${findings.join('\n')}\n2 findings in 1 file (2 error, 0 warning, 0 info); 1 file scanned.\nUsing advisories of 2099-01-02 (38 bundled, 2 imported).\n`, stderr: '' });
  assert.deepStrictEqual(pinwatch(['scan', '.'], project, undefined, env), { status: 0, stdout: 'No compromised pins found in 1 file.\n', stderr: '' });
  assert.deepStrictEqual(pinwatch(['scan', '.', '--advisories', join(work, 'missing.zip')], project, undefined, env), { status: 2, stdout: '', stderr: `pinwatch: cannot read ${join(work, 'missing.zip')}: no such file or folder\n` });
});

test('a dump that cannot be read and a damaged store exit 2 with one line, and leave the store as it was', () => {
  const env = freshCache('bad');
  const bad = join(work, 'bad.zip');
  writeFileSync(bad, zip.subarray(0, 100));
  writeFileSync(join(work, 'good.zip'), zip);
  assert.equal(pinwatch(['advisories', 'import', join(work, 'good.zip')], project, undefined, env).status, 0);
  const manifest = readFileSync(join(env.PINWATCH_CACHE_DIR!, 'manifest.json'), 'utf8');
  assert.deepStrictEqual(pinwatch(['advisories', 'import', bad], project, undefined, env), { status: 2, stdout: '', stderr: `pinwatch: ${bad} is not a whole zip file (no end-of-archive record: truncated, or not a zip); the store was not changed\n` });
  assert.equal(readFileSync(join(env.PINWATCH_CACHE_DIR!, 'manifest.json'), 'utf8'), manifest);
  const source = (JSON.parse(manifest) as { sources: Array<{ data: { file: string } }> }).sources[0]!;
  const data = join(env.PINWATCH_CACHE_DIR!, source.data.file);
  writeFileSync(data, readFileSync(data, 'utf8').replace('evil-pkg', 'evil-pkh'));
  const status = pinwatch(['advisories', 'status'], project, undefined, env);
  assert.deepStrictEqual([status.status, status.stderr], [2, `pinwatch: the advisory store in ${env.PINWATCH_CACHE_DIR} is damaged (${source.data.file} fails its checksum); import ${join(work, 'good.zip')} again\n`]);
  assert.deepStrictEqual(pinwatch(['advisories', 'update', '--offline'], project, undefined, env), { status: 2, stdout: '', stderr: 'pinwatch: advisories update needs the network, and --offline forbids it\n' });
});

test('update downloads from a mirror with conditional requests; a 404 is skipped; failures keep the old store and say why', async () => {
  const env = freshCache('update');
  const run = (...args: string[]): Promise<Run> => pinwatchAsync(args, project, env);
  const update = ['advisories', 'update', '--source', source, '--ecosystem', 'npm', '--ecosystem', 'PyPI'];
  assert.deepStrictEqual(await run('scan', '.'), { status: 0, stdout: 'No compromised pins found in 1 file.\n', stderr: '' });
  mode = 'ok';
  assert.deepStrictEqual(await run(...update), { status: 0, stdout: `npm: updated, 2 records\nstore: ${env.PINWATCH_CACHE_DIR}\n`, stderr: 'pinwatch: PyPI: the source does not serve it (404), skipped\n' });
  const scanned = { status: 1, stdout: `${findings.join('\n')}\n2 findings in 1 file (2 error, 0 warning, 0 info); 1 file scanned.\n${using(env)}`, stderr: '' };
  assert.deepStrictEqual(await run('scan', '.'), scanned);
  assert.deepStrictEqual(await run(...update), { status: 0, stdout: `npm: unchanged\nstore: ${env.PINWATCH_CACHE_DIR}\n`, stderr: 'pinwatch: PyPI: the source does not serve it (404), skipped\n' });
  assert.deepStrictEqual(requests.slice(-2), [['/feed/npm/all.zip', '"v1"'], ['/feed/PyPI/all.zip', undefined]]);
  const manifest = readFileSync(join(env.PINWATCH_CACHE_DIR!, 'manifest.json'), 'utf8');
  const failures: Array<[Mode, string]> = [
    ['500', 'HTTP 500 Internal Server Error'],
    ['truncated', 'the download was cut short (the connection closed before its end)'],
    ['reset', 'connection reset'],
  ];
  const outcomes: Array<[number | null, string]> = [];
  for (const [failure] of failures) {
    mode = failure;
    const result = await run('advisories', 'update', '--source', source, '--ecosystem', 'npm');
    outcomes.push([result.status, result.stderr]);
    assert.equal(readFileSync(join(env.PINWATCH_CACHE_DIR!, 'manifest.json'), 'utf8'), manifest);
  }
  assert.deepStrictEqual(outcomes, failures.map(([, reason]) => [2, `pinwatch: npm: ${reason}; its previous data is kept\n`]));
  assert.deepStrictEqual(await run('scan', '.'), scanned);
});

test('update goes through the proxy HTTPS_PROXY or HTTP_PROXY names', async () => {
  const connects: string[] = [];
  const proxy = createServer((client: Socket) => {
    client.once('data', (chunk: Buffer) => {
      const line = chunk.toString('latin1').split('\r\n')[0]!;
      const [method, target] = line.split(' ');
      connects.push(`${method} ${target}`);
      if (method !== 'CONNECT') return void client.end('HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n');
      const [host, port] = target!.split(':');
      const upstream = new Socket();
      upstream.connect(Number(port), host!, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const address = proxy.address();
  const proxyUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const env: Record<string, string> = { ...freshCache('proxy'), HTTP_PROXY: proxyUrl, HTTPS_PROXY: proxyUrl, NO_PROXY: '', no_proxy: '' };
  mode = 'ok';
  const result = await pinwatchAsync(['advisories', 'update', '--source', source, '--ecosystem', 'npm'], project, env);
  proxy.close();
  assert.deepStrictEqual([result, connects], [{ status: 0, stdout: `npm: updated, 2 records\nstore: ${env.PINWATCH_CACHE_DIR}\n`, stderr: '' }, [`CONNECT ${new URL(source).host}`]]);
});
