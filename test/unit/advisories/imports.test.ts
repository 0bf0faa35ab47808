import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readDump, readZip, type DumpCounts } from '../../../server/src/advisories/dumps';
import { normalizeRecord } from '../../../server/src/advisories/importRules';
import { loadAdvisories, staleWarning } from '../../../server/src/advisories/load';
import { commitSources, loadStore, readManifest, storeDir, writeSource } from '../../../server/src/advisories/store';
import { analyze, bundledAdvisories } from '../../../server/src/engine';
import { defaultSettings, type Finding } from '../../../server/src/model';
import { makeZip } from './zipWriter';

const rules = { includeVulnerabilities: false };

/** A malicious-packages record for a made-up npm package. */
function mal(id: string, name: string, affected: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { schema_version: '1.6.0', id, modified: '2099-01-02T03:04:05Z', summary: `Malicious code in ${name} (npm)`, affected: [{ package: { ecosystem: 'npm', name }, ...affected }], database_specific: { 'malicious-packages-origins': [{ source: 'test' }] }, ...extra };
}

const whole = { ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }] };

function lockfile(packages: Record<string, string>): string {
  const entries = Object.fromEntries(Object.entries(packages).map(([name, version]) => [`node_modules/${name}`, { version }]));
  return JSON.stringify({ name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': { name: 'app', version: '1.0.0', dependencies: Object.fromEntries(Object.entries(packages)) }, ...entries } }, null, 2);
}

/** What findings say, in short: code, severity, advisory id, message. */
function brief(findings: readonly Finding[]): Array<[string, string, string, string]> {
  return findings.map((f) => [f.code, f.severity, f.advisory.id, f.message]);
}

function tempDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `pinwatch-${name}-`));
}

/** Imports dumps into a fresh store the way `advisories import` does, and returns the store's folder. */
function importInto(dir: string, ...paths: string[]): DumpCounts[] {
  const counts: DumpCounts[] = [];
  const sources = paths.map((path) => {
    const writer = writeSource(dir);
    const c = readDump(path, rules, (r) => writer.add(r));
    counts.push(c);
    return writer.finish({ key: path, kind: c.kind, skipped: c.skipped });
  });
  commitSources(dir, sources);
  return counts;
}

function analyzeWith(dir: string | undefined, dumps: string[], path: string, text: string): Finding[] {
  const { index, problems } = loadAdvisories(bundledAdvisories(), { storeDir: dir, dumps });
  assert.deepStrictEqual(problems, []);
  return analyze(path, text, defaultSettings, { index });
}

test('the certainty rules: an exact versions list, a whole malicious package, and nothing from other ranges', () => {
  const exact = normalizeRecord(mal('MAL-2099-1', 'evil-pkg', { versions: ['1.0.1', '1.0.2'], ranges: whole.ranges }), rules);
  assert.deepStrictEqual(exact.record?.affected, [{ package: { ecosystem: 'npm', name: 'evil-pkg' }, versions: ['1.0.1', '1.0.2'], database_specific: { confidence: 'verified' } }]);
  const all = normalizeRecord(mal('MAL-2099-2', 'whole-evil', whole), rules);
  assert.deepStrictEqual(all.record?.affected, [{ package: { ecosystem: 'npm', name: 'whole-evil' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }], database_specific: { all_versions: true, confidence: 'verified' } }]);
  assert.deepStrictEqual(
    [
      normalizeRecord(mal('MAL-2099-3', 'open', { ranges: [{ type: 'SEMVER', events: [{ introduced: '2.0.0' }] }] }), rules),
      normalizeRecord(mal('MAL-2099-4', 'closed', { ranges: [{ type: 'SEMVER', events: [{ introduced: '2.0.0' }, { fixed: '2.1.0' }] }] }), rules),
      normalizeRecord({ id: 'GHSA-aaaa-bbbb-cccc', modified: '2099-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: 'lib' }, versions: ['1.0.0'] }] }, rules),
      normalizeRecord({ ...mal('MAL-2099-5', 'gone', { versions: ['1.0.0'] }), withdrawn: '2099-02-01T00:00:00Z' }, rules),
      normalizeRecord({ id: 'MAL-2099-6', modified: '2099-01-01T00:00:00Z' }, rules),
      normalizeRecord([1, 2], rules),
    ],
    [
      { skipped: { 'open-range': 1 } },
      { skipped: { 'open-range': 1 } },
      { skipped: { vulnerability: 1 } },
      { skipped: { withdrawn: 1 } },
      { skipped: { 'no-affected': 1 } },
      { skipped: { 'not-a-record': 1 } },
    ],
  );
  // With --include-vulnerabilities a vulnerability record is kept, as a vulnerability.
  assert.deepStrictEqual(normalizeRecord({ id: 'GHSA-aaaa-bbbb-cccc', modified: '2099-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: 'lib' }, versions: ['1.0.0'] }] }, { includeVulnerabilities: true }).record?.database_specific, { kind: 'vulnerable' });
});

test('a GHSA-shaped record with an open-ended xz range never flags the safe 5.6.1+really5.4.5-1', () => {
  const dir = tempDir('xz-dump');
  // The shape of the public GHSA-rxwq-x6h5-x525 (CWE-506, introduced 5.6.0, no fixed), once without its CVE
  // alias (so the bundled Debian record does not absorb it) and once with only the range.
  const ghsa = (id: string, affected: Record<string, unknown>): Record<string, unknown> => ({
    id, modified: '2024-03-31T00:00:00Z', summary: 'Malicious code distributed via tarball archives of xz >= 5.6.0',
    affected: [{ package: { ecosystem: 'Debian:13', name: 'xz-utils' }, ...affected }], database_specific: { cwe_ids: ['CWE-506'], github_reviewed: false },
  });
  writeFileSync(join(dir, 'a.json'), JSON.stringify(ghsa('GHSA-test-0001-xz00', { ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '5.6.0' }] }], versions: ['5.6.0'] })));
  writeFileSync(join(dir, 'b.json'), JSON.stringify(ghsa('GHSA-test-0002-xz00', { ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '5.6.0' }] }] })));
  const counts = readDump(dir, rules, () => undefined);
  assert.deepStrictEqual(counts, { kind: 'folder', entries: 2, kept: 1, skipped: { 'open-range': 1 } });
  const docker = (version: string): string => `FROM debian:sid\nRUN apt-get install -y xz-utils=${version}\n`;
  assert.deepStrictEqual(analyzeWith(undefined, [dir], 'Dockerfile', docker('5.6.1+really5.4.5-1')), []);
  assert.deepStrictEqual(analyzeWith(undefined, [dir], 'Dockerfile', docker('5.6.2-2')), []);
  // 5.6.0 itself is listed by the record's versions; the bundled Debian record lists 5.6.0-0.1 and 5.6.0-0.2, not 5.6.0.
  assert.deepStrictEqual(brief(analyzeWith(undefined, [dir], 'Dockerfile', docker('5.6.0'))).map(([code, , id]) => [code, id]), [['compromised-version', 'GHSA-test-0001-xz00']]);
  rmSync(dir, { recursive: true, force: true });
});

test('an imported all.zip flags exactly its listed versions and every version of a whole-package record', () => {
  const cache = tempDir('cache');
  const work = tempDir('zip');
  const zip = join(work, 'all.zip');
  writeFileSync(zip, makeZip([
    { name: 'MAL-2099-1.json', data: JSON.stringify(mal('MAL-2099-1', 'evil-pkg', { versions: ['1.0.1'] })) },
    { name: 'MAL-2099-2.json', data: JSON.stringify(mal('MAL-2099-2', 'whole-evil', whole)) },
    { name: 'README.txt', data: 'not a record' },
    { name: 'broken.json', data: '{"id": "MAL-' },
    { name: 'MAL-2099-3.json', data: JSON.stringify({ id: 'MAL-2099-3', modified: '2099-01-01T00:00:00Z' }) },
  ]));
  const path = join(work, 'package-lock.json');
  const text = lockfile({ 'evil-pkg': '1.0.1', 'whole-evil': '3.2.1', 'fine-pkg': '1.0.0' });
  assert.deepStrictEqual(analyzeWith(cache, [], path, text), []);
  assert.deepStrictEqual(importInto(cache, zip), [{ kind: 'zip', entries: 5, kept: 2, skipped: { 'not-json': 2, 'no-affected': 1 } }]);
  const expected = [
    ['compromised-version', 'error', 'MAL-2099-1', 'evil-pkg 1.0.1 is a compromised release (MAL-2099-1). No safe release of it is known; remove it or move to another version the advisory does not list.'],
    ['compromised-version', 'error', 'MAL-2099-2', 'whole-evil 3.2.1 is a compromised release (MAL-2099-2). Every release of whole-evil is malware, so there is no fix but removing it.'],
  ];
  assert.deepStrictEqual(brief(analyzeWith(cache, [], path, text)), expected);
  // The same from the dump itself, without importing it.
  assert.deepStrictEqual(brief(analyzeWith(undefined, [zip], path, text)), expected);
  // A version the record does not list is not flagged.
  assert.deepStrictEqual(analyzeWith(cache, [], path, lockfile({ 'evil-pkg': '1.0.2' })), []);
  const manifest = readManifest(cache)!;
  assert.deepStrictEqual(manifest.sources.map((s) => [s.key, s.kind, s.records, s.ecosystems, s.skipped, s.newest]), [[zip, 'zip', 2, { npm: 2 }, { 'not-json': 2, 'no-affected': 1 }, '2099-01-02']]);
  rmSync(cache, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

test('a malicious-packages checkout is read from osv/malicious, and importing it again replaces it', () => {
  const cache = tempDir('cache');
  const repo = tempDir('malicious-packages');
  const put = (name: string, record: Record<string, unknown>): void => {
    mkdirSync(join(repo, 'osv', 'malicious', 'npm', name), { recursive: true });
    writeFileSync(join(repo, 'osv', 'malicious', 'npm', name, `${record.id as string}.json`), JSON.stringify(record));
  };
  put('evil-pkg', mal('MAL-2099-1', 'evil-pkg', { versions: ['1.0.1'] }));
  mkdirSync(join(repo, 'osv', 'withdrawn', 'npm', 'x'), { recursive: true });
  writeFileSync(join(repo, 'osv', 'withdrawn', 'npm', 'x', 'MAL-2000-1.json'), JSON.stringify(mal('MAL-2000-1', 'x', whole)));
  writeFileSync(join(repo, 'package.json'), '{"name": "not a record"}');
  assert.deepStrictEqual(importInto(cache, repo), [{ kind: 'folder', entries: 1, kept: 1, skipped: {} }]);
  put('other-evil', mal('MAL-2099-7', 'other-evil', { versions: ['0.0.1'] }));
  importInto(cache, repo);
  const manifest = readManifest(cache)!;
  assert.deepStrictEqual(manifest.sources.map((s) => [s.key, s.records]), [[repo, 2]]);
  // Only the files of the current generation stay.
  assert.deepStrictEqual(readdirSync(cache).sort(), ['manifest.json', manifest.sources[0]!.data.file, manifest.sources[0]!.index.file].sort());
  const path = join(repo, 'package-lock.json');
  assert.deepStrictEqual(brief(analyzeWith(cache, [], path, lockfile({ 'other-evil': '0.0.1', 'evil-pkg': '1.0.1' }))).map(([, , id]) => id), ['MAL-2099-7', 'MAL-2099-1']);
  rmSync(cache, { recursive: true, force: true });
  rmSync(repo, { recursive: true, force: true });
});

test('a record that shares an alias with a bundled one is merged into it: one finding, the bundled fix', () => {
  const dir = tempDir('chalk');
  writeFileSync(join(dir, 'MAL-2025-46969.json'), JSON.stringify(mal('MAL-2025-46969', 'chalk', { versions: ['5.6.1'] }, { aliases: ['GHSA-2v46-p5h4-248w'] })));
  // The same package and version under an unrelated id is a duplicate too (the bundled entry covers it).
  writeFileSync(join(dir, 'MAL-2099-9.json'), JSON.stringify(mal('MAL-2099-9', 'debug', { versions: ['4.4.2'] })));
  const path = join(dir, 'package-lock.json');
  const text = lockfile({ chalk: '5.6.1', debug: '4.4.2' });
  const bundledOnly = analyze(path, text, defaultSettings, { index: bundledAdvisories() });
  const withDump = analyzeWith(undefined, [dir], path, text);
  assert.deepStrictEqual(withDump, bundledOnly);
  assert.deepStrictEqual(withDump.map((f) => [f.reference.kind === 'package' ? f.reference.name : '', f.safe[0]]), [['chalk', '5.6.0'], ['debug', '4.4.1']]);
  rmSync(dir, { recursive: true, force: true });
});

test('bad dumps are rejected whole: a zip bomb, a .. path, a truncated zip, a file that is not a zip', () => {
  const work = tempDir('bad');
  const limits = { maxEntryBytes: 1024 * 1024, maxTotalBytes: 64 * 1024 * 1024, maxZipBytes: 64 * 1024 * 1024 };
  const good = makeZip([{ name: 'MAL-2099-1.json', data: JSON.stringify(mal('MAL-2099-1', 'evil-pkg', { versions: ['1.0.1'] })) }]);
  const attempt = (data: Buffer): string => {
    try {
      readZip(data, 'x.zip', rules, () => undefined, limits);
      return 'read';
    } catch (error) {
      return (error as Error).message;
    }
  };
  // A bomb that lies: its headers claim 100 bytes, it expands to 8 MB.
  const liar = makeZip([{ name: 'liar.json', data: Buffer.alloc(8 * 1024 * 1024) }]);
  liar.writeUInt32LE(100, 22);
  liar.writeUInt32LE(100, liar.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 24);
  assert.deepStrictEqual(
    [
      attempt(liar),
      attempt(makeZip([{ name: 'bomb.json', data: Buffer.alloc(8 * 1024 * 1024) }])),
      attempt(makeZip([{ name: '../../etc/MAL-1.json', data: '{}' }])),
      attempt(good.subarray(0, good.length - 30)),
      attempt(Buffer.from('this is not a zip file at all')),
      attempt(good),
    ],
    [
      'x.zip: entry "liar.json" expands past the 100 bytes it declares (a zip bomb?)',
      'x.zip: entry "bomb.json" expands past 1048576 bytes (a zip bomb?)',
      'x.zip has an entry with an unsafe name ("../../etc/MAL-1.json")',
      'x.zip is not a whole zip file (no end-of-archive record: truncated, or not a zip)',
      'x.zip is not a whole zip file (no end-of-archive record: truncated, or not a zip)',
      'read',
    ],
  );
  rmSync(work, { recursive: true, force: true });
});

test('a failed write (a full disk) leaves the previous store intact and no files behind', () => {
  const cache = tempDir('cache');
  const dump = tempDir('dump');
  writeFileSync(join(dump, 'MAL-2099-1.json'), JSON.stringify(mal('MAL-2099-1', 'evil-pkg', { versions: ['1.0.1'] })));
  importInto(cache, dump);
  const before = readdirSync(cache).sort();
  const manifest = readFileSync(join(cache, 'manifest.json'), 'utf8');
  const full = { writeSync: (): number => { throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }); } };
  const writer = writeSource(cache, full);
  writer.add(normalizeRecord(mal('MAL-2099-2', 'whole-evil', whole), rules).record!);
  assert.throws(() => writer.finish({ key: dump, kind: 'folder', skipped: {} }), { message: `cannot write the advisory store in ${cache}: ENOSPC: no space left on device, write` });
  assert.throws(() => commitSources(cache, [], full), { message: `cannot write the advisory store in ${cache}: ENOSPC: no space left on device, write` });
  assert.deepStrictEqual([readdirSync(cache).sort(), readFileSync(join(cache, 'manifest.json'), 'utf8')], [before, manifest]);
  rmSync(cache, { recursive: true, force: true });
  rmSync(dump, { recursive: true, force: true });
});

test('a store damaged on disk is detected by its checksums and reported, and the bundled set still works', () => {
  const cache = tempDir('cache');
  const dump = tempDir('dump');
  writeFileSync(join(dump, 'MAL-2099-1.json'), JSON.stringify(mal('MAL-2099-1', 'evil-pkg', { versions: ['1.0.1'] })));
  importInto(cache, dump);
  const source = readManifest(cache)!.sources[0]!;
  const indexPath = join(cache, source.index.file);
  writeFileSync(indexPath, readFileSync(indexPath, 'utf8').replace('1.0.1', '1.0.2'));
  const loaded = loadAdvisories(bundledAdvisories(), { storeDir: cache });
  assert.deepStrictEqual(loaded.problems, [`the advisory store in ${cache} is damaged (${source.index.file} fails its checksum); import ${dump} again`]);
  assert.deepStrictEqual(analyze(join(dump, 'package-lock.json'), lockfile({ 'evil-pkg': '1.0.2', chalk: '5.6.1' }), defaultSettings, { index: loaded.index }).map((f) => f.advisory.id), ['PINWATCH-NPM-2025-09-CHALK-DEBUG']);
  writeFileSync(join(cache, 'manifest.json'), '{"format": 1, "sources": [');
  assert.deepStrictEqual(loadAdvisories(bundledAdvisories(), { storeDir: cache }).problems, [`the advisory store in ${cache} is damaged (its manifest is not JSON); import again to rebuild it`]);
  // Importing again rebuilds it.
  importInto(cache, dump);
  assert.deepStrictEqual(loadStore(cache)?.problems, []);
  rmSync(cache, { recursive: true, force: true });
  rmSync(dump, { recursive: true, force: true });
});

test('the store folder: PINWATCH_CACHE_DIR, else the platform cache folder', () => {
  assert.deepStrictEqual(
    [
      storeDir({ PINWATCH_CACHE_DIR: '/c' }, 'linux', '/home/u'),
      storeDir({ XDG_CACHE_HOME: '/x' }, 'linux', '/home/u'),
      storeDir({}, 'linux', '/home/u'),
      storeDir({}, 'darwin', '/Users/u'),
      storeDir({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32', 'C:\\Users\\u'),
    ],
    ['/c', '/x/pinwatch', '/home/u/.cache/pinwatch', '/Users/u/Library/Caches/pinwatch', join('C:\\Users\\u\\AppData\\Local', 'pinwatch')],
  );
});

test('a store older than the maximum age gives a warning', () => {
  const info = { date: '2099-01-01', bundled: 38, imported: 1, store: '/c', storeUpdated: '2026-11-01T00:00:00.000Z', dumps: [] };
  assert.deepStrictEqual(
    [staleWarning(info, 7, new Date('2026-11-05T00:00:00Z')), staleWarning(info, 7, new Date('2026-11-10T00:00:00Z')), staleWarning({ ...info, storeUpdated: undefined }, 7)],
    [undefined, "the advisory store in /c was last updated 9 days ago (2026-11-01), more than 7; run 'pinwatch advisories update' to refresh it", undefined],
  );
});

test('--ignore and the settings take an imported record by its id or any alias', () => {
  const dir = tempDir('ignore');
  writeFileSync(join(dir, 'MAL-2099-1.json'), JSON.stringify(mal('MAL-2099-1', 'evil-pkg', { versions: ['1.0.1'] }, { aliases: ['GHSA-test-0003-evil'] })));
  const { index } = loadAdvisories(bundledAdvisories(), { dumps: [dir] });
  const path = join(dir, 'package-lock.json');
  const text = lockfile({ 'evil-pkg': '1.0.1' });
  assert.deepStrictEqual(
    [[], ['MAL-2099-1'], ['mal-2099-1'], ['GHSA-test-0003-evil']].map((ignore) => analyze(path, text, { ...defaultSettings, ignore }, { index }).map((f) => f.advisory.id)),
    [['MAL-2099-1'], [], [], []],
  );
  rmSync(dir, { recursive: true, force: true });
});
