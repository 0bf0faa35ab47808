/**
 * Checks the bundled advisory data in server/advisories/: OSV schema validity (when ../shared is present), the
 * project's conventions (docs/advisories.md) always, and that no known safe look-alike is ever listed as affected.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import type { ArtifactEntry, OsvAffected, OsvRecord } from '../../../server/src/advisories/records';

/** Ecosystem names OSV defines, as the bundled data uses them (suffixes such as `:edge` come after a colon). */
const osvEcosystems = ['Debian', 'Ubuntu', 'Alpine', 'openSUSE', 'crates.io', 'ConanCenter', 'npm', 'PyPI', 'RubyGems', 'GitHub Actions'];
/** The project's own names for ecosystems OSV has none for (the table in docs/advisories.md). */
const projectEcosystems = [
  'upstream', 'Fedora', 'Kali', 'Arch Linux', 'Gentoo', 'nixpkgs', 'Homebrew', 'MSYS2', 'vcpkg', 'conda', 'Termux',
  'MacPorts', 'MXE', 'Lunar Linux', 'OpenIndiana',
];

const xzIncident = 'xz-utils backdoor (CVE-2024-3094)';

interface Loaded {
  file: string;
  record: OsvRecord;
}

/** The repository root: the nearest directory above this file whose package.json is Pinwatch's (tests run bundled from out/). */
function findRepoRoot(): string {
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'pinwatch') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no pinwatch package.json above ${__dirname}`);
    dir = parent;
  }
}

const repoRoot = findRepoRoot();
const advisoryDir = path.join(repoRoot, 'server', 'advisories');
const loaded: Loaded[] = readdirSync(advisoryDir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({ file, record: JSON.parse(readFileSync(path.join(advisoryDir, file), 'utf8')) as OsvRecord }));

const base = (ecosystem: string): string => ecosystem.split(':')[0]!;
const hex = (n: number): RegExp => new RegExp(`^[0-9a-f]{${n}}$`);
const timestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const day = /^\d{4}-\d{2}-\d{2}$/;
const aliasPattern = /^(CVE-\d{4}-\d{4,}|GHSA(-[23456789cfghjmpqrvwx]{4}){3}|MAL-\d{4}-\d+|PYSEC-\d{4}-\d+|DSA-\d+-\d+)$/;
const referenceTypes = ['ADVISORY', 'ARTICLE', 'DETECTION', 'DISCUSSION', 'REPORT', 'FIX', 'INTRODUCED', 'GIT', 'PACKAGE', 'EVIDENCE', 'WEB'];

function isHttpsUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

function isStringList(value: unknown, allowEmpty = false): value is string[] {
  return Array.isArray(value) && (allowEmpty || value.length > 0) && value.every((v) => typeof v === 'string' && v.length > 0 && v.trim() === v) && new Set(value).size === value.length;
}

function isOneLine(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0 && !/[\r\n]/.test(value);
}

/** Every affected entry, with where it comes from. */
function allAffected(): Array<{ file: string; record: OsvRecord; affected: OsvAffected; at: string }> {
  return loaded.flatMap(({ file, record }) => (record.affected ?? []).map((affected, i) => ({ file, record, affected, at: `${file} affected[${i}]` })));
}

test('every file is named after its id, and ids are unique', () => {
  const problems: string[] = [];
  for (const { file, record } of loaded) {
    const expected = `x_PINWATCH-${path.basename(file, '.json').toUpperCase()}`;
    if (record.id !== expected) problems.push(`${file}: id ${record.id} should be ${expected}`);
  }
  const ids = loaded.map((l) => l.record.id);
  assert.deepStrictEqual(problems, []);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(loaded.length > 0, 'no advisory files found');
});

test('every record follows the project conventions', () => {
  const problems: string[] = [];
  for (const { file, record } of loaded) {
    const say = (what: string): void => void problems.push(`${file}: ${what}`);
    if (record.schema_version !== '1.6.0') say('schema_version is not 1.6.0');
    if (!timestamp.test(record.modified ?? '')) say('modified is not an RFC 3339 UTC timestamp');
    if (record.published !== undefined && !timestamp.test(record.published)) say('published is not an RFC 3339 UTC timestamp');
    if (!isOneLine(record.summary)) say('summary must be one non-empty line');
    if (typeof record.details !== 'string' || record.details.length === 0) say('details is empty');
    const aliases = record.aliases ?? [];
    if (!isStringList(aliases, true)) say('aliases must be unique strings');
    for (const alias of aliases) if (!aliasPattern.test(alias)) say(`alias ${alias} is not a CVE, GHSA, MAL, PYSEC or DSA id`);
    // The first alias is the id users see, so a CVE, when there is one, comes first.
    if (aliases.some((a) => a.startsWith('CVE-')) && !aliases[0]!.startsWith('CVE-')) say('a CVE alias must come first');
    const refs = record.references ?? [];
    if (refs.length === 0) say('no references');
    for (const ref of refs) {
      if (!referenceTypes.includes(ref.type)) say(`reference type ${ref.type} is not an OSV type`);
      if (!isHttpsUrl(ref.url)) say(`reference ${ref.url} is not an https URL`);
    }
    const ds = record.database_specific;
    if (ds?.kind !== 'compromised') say('database_specific.kind is not "compromised"');
    if (!isOneLine(ds?.incident)) say('database_specific.incident is missing');
    if (!isStringList(ds?.sources)) say('database_specific.sources is missing or has duplicates');
    if (!Array.isArray(record.affected)) say('affected is not an array');
    if ((record.affected ?? []).length === 0 && ds?.images === undefined) say('affected is empty in a record without image windows');
    if (ds?.artifacts !== undefined && !file.endsWith('-upstream.json')) say('artifacts belong in an upstream file');
    if (ds?.images !== undefined && !file.endsWith('-images.json')) say('image windows belong in an images file');
  }
  assert.deepStrictEqual(problems, []);
});

test('every affected entry lists exact versions or a range that ends with a fixed event', () => {
  const known = new Set([...osvEcosystems, ...projectEcosystems]);
  const problems: string[] = [];
  for (const { affected, at } of allAffected()) {
    const say = (what: string): void => void problems.push(`${at}: ${what}`);
    const ecosystem = affected.package?.ecosystem ?? '';
    if (!known.has(base(ecosystem))) say(`ecosystem ${ecosystem} is not in the documented table`);
    if (!isOneLine(affected.package?.name)) say('package name is missing');
    const versions = affected.versions ?? [];
    if (!isStringList(versions, true)) say('versions must be unique, trimmed, non-empty strings');
    const ranges = affected.ranges ?? [];
    const ds = affected.database_specific;
    for (const range of ranges) {
      if (range.type !== 'ECOSYSTEM' && range.type !== 'SEMVER') say(`range type ${range.type} is not ECOSYSTEM or SEMVER`);
      // An open-ended range flags every later release, including safe look-alikes such as 5.6.1+really5.4.5-1.
      // The one exception is a package whose every version is malicious, marked all_versions and with no safe list.
      const allVersions = ds?.all_versions === true && ds.safe === undefined && range.events.length === 1 && 'introduced' in range.events[0]! && range.events[0].introduced === '0';
      if (!range.events.some((e) => 'fixed' in e) && !allVersions) say('a range without a fixed event is open-ended');
      if (range.events.some((e) => 'last_affected' in e || 'limit' in e)) say('ranges use introduced and fixed only');
    }
    if (versions.length === 0 && ranges.length === 0) say('neither versions nor a range');
    if (ds?.confidence !== 'verified' && ds?.confidence !== 'unverified') say('confidence must be "verified" or "unverified"');
    if (ds?.safe !== undefined && !isStringList(ds.safe)) say('safe, when present, must be a non-empty list of unique versions');
    if (ds?.note !== undefined && !isOneLine(ds.note)) say('note must be one line');
    const extra = Object.keys(ds ?? {}).filter((k) => !['safe', 'unlisted', 'confidence', 'note', 'all_versions', 'repointed_tags'].includes(k));
    if (extra.length > 0) say(`unknown database_specific keys ${extra.join(', ')}`);
    const binaries = affected.ecosystem_specific?.binaries;
    if (binaries !== undefined && !isStringList(binaries)) say('binaries, when present, must be a non-empty list of unique names');
  }
  assert.deepStrictEqual(problems, []);
});

test('safe versions are never affected versions of the same package', () => {
  const affectedVersions = new Map<string, Set<string>>();
  const names = (a: OsvAffected): string[] => [a.package.name, ...(a.ecosystem_specific?.binaries ?? [])].map((n) => `${base(a.package.ecosystem)}\0${n.toLowerCase()}`);
  for (const { affected } of allAffected()) {
    for (const key of names(affected)) {
      const set = affectedVersions.get(key) ?? new Set<string>();
      for (const v of affected.versions ?? []) set.add(v);
      affectedVersions.set(key, set);
    }
  }
  const problems: string[] = [];
  for (const { affected, at } of allAffected()) {
    for (const safe of affected.database_specific?.safe ?? []) {
      for (const key of names(affected)) {
        if (affectedVersions.get(key)?.has(safe)) problems.push(`${at}: safe ${safe} is affected for ${key.replace('\0', ' ')}`);
      }
    }
  }
  assert.deepStrictEqual(problems, []);
});

test('artifacts are well-formed', () => {
  const problems: string[] = [];
  const digests: string[] = [];
  for (const { file, record } of loaded) {
    (record.database_specific?.artifacts ?? []).forEach((entry: ArtifactEntry, i) => {
      const say = (what: string): void => void problems.push(`${file} artifacts[${i}]: ${what}`);
      if (!['error', 'warning', 'info'].includes(entry.severity)) say('severity must be error, warning or info');
      if (!isOneLine(entry.note)) say('note is missing');
      switch (entry.kind) {
        case 'file':
          if (!hex(64).test(entry.sha256 ?? '')) say('sha256 must be 64 lowercase hex digits');
          else digests.push(entry.sha256!);
          if (entry.sha512 !== undefined) {
            if (!hex(128).test(entry.sha512)) say('sha512 must be 128 lowercase hex digits');
            else digests.push(entry.sha512);
          }
          if (!isOneLine(entry.version)) say('version is missing');
          if (!isStringList(entry.urls) || !entry.urls.every(isHttpsUrl)) say('urls must be https URLs');
          for (const url of entry.urls ?? []) if (!url.endsWith(`/${entry.name}`)) say(`${url} does not end with ${entry.name}`);
          break;
        case 'url':
          if (!isStringList(entry.urls) || !entry.urls.every(isHttpsUrl)) say('urls must be https URLs');
          if (entry.sha256 !== undefined) {
            if (!hex(64).test(entry.sha256)) say('sha256 must be 64 lowercase hex digits');
            else digests.push(entry.sha256);
          }
          break;
        case 'git-tag':
          if (!isOneLine(entry.repo) || entry.repo.includes('://')) say('repo must be host/owner/name');
          if (!isStringList(entry.tags)) say('tags missing');
          if (!isStringList(entry.commits) || !entry.commits.every((c) => hex(40).test(c))) say('commits must be full 40-digit lowercase shas');
          break;
        case 'sha256':
        case 'sha512':
          if (!hex(entry.kind === 'sha256' ? 64 : 128).test(entry.value)) say(`${entry.kind} value must be lowercase hex of the right length`);
          else digests.push(entry.value);
          break;
        case 'host':
          if (!/^[a-z0-9.-]+\.[a-z]{2,}$/.test(entry.host)) say('host is not a lowercase host name');
          break;
        default:
          say(`unknown kind ${(entry as { kind: string }).kind}`);
      }
    });
  }
  assert.deepStrictEqual(problems, []);
  assert.equal(new Set(digests).size, digests.length, 'a digest is listed twice');
});

test('image windows are well-formed', () => {
  const problems: string[] = [];
  for (const { file, record } of loaded) {
    (record.database_specific?.images ?? []).forEach((w, i) => {
      const say = (what: string): void => void problems.push(`${file} images[${i}]: ${what}`);
      if (!isStringList(w.repositories)) say('repositories missing');
      if (!Array.isArray(w.suites) || w.suites.length === 0 || !w.suites.every((s) => typeof s === 'string')) say('suites must list tag prefixes ("" for none)');
      const valid = (d: string): boolean => day.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`));
      if (!valid(w.from) || !valid(w.to)) say('from and to must be YYYY-MM-DD dates');
      else if (w.from > w.to) say('from is after to');
      if (w.confidence !== 'verified' && w.confidence !== 'unverified') say('confidence missing');
      if (!isOneLine(w.note)) say('note missing');
    });
  }
  assert.deepStrictEqual(problems, []);
});

/** Versions that look compromised but are safe (compromised-releases.md §6); no xz record may list any of them. */
const xzLookAlikes = [
  '5.6.1+really5.4.5-1', '5.6.1+really5.4.5-1ubuntu0.2', '5.6.1+really5.4.5-1ubuntu0.3', '5.6.1+really5.4.5',
  '5.6.1.revertto5.4', '5.6.1.revertto5.4-2.1', '5.6.1-2', '5.6.1-r2', '5.6.1-r3', '5.6.0r529',
  '5.6.2', '5.6.2-1', '5.6.2-2', '5.6.3', '5.6.4', '5.8.0', '5.8.1', '5.4.4', '5.4.5', '5.4.6', '5.4.7', '5.2.9', '5.2.12',
  '5.4.6-1.fc40', '5.4.6-3.fc40', '5.2.5-8.el9_0',
];
/** Safe versions of particular packages that sit next to compromised ones. */
const packageLookAlikes: Array<[ecosystem: string, name: string, version: string]> = [
  ['crates.io', 'liblzma-sys', '0.3.3'], ['crates.io', 'liblzma-sys', '0.3.4'], ['crates.io', 'liblzma', '0.3.1'],
  // liblzma 0.3.0 is compromised only through the liblzma-sys its lockfile resolves it to, which is flagged itself.
  ['crates.io', 'liblzma', '0.3.0'],
  ['npm', 'slice-ansi', '7.1.2'], ['npm', 'chalk', '5.6.0'], ['npm', 'event-stream', '3.3.4'], ['npm', 'event-stream', '4.0.0'],
  ['npm', 'node-ipc', '10.1.3'], ['npm', 'ua-parser-js', '0.7.30'], ['RubyGems', 'rest-client', '1.7.0'], ['RubyGems', 'rest-client', '1.6.9'],
  ['RubyGems', 'strong_password', '0.0.8'], ['GitHub Actions', 'reviewdog/action-setup', '3f401fe1d58fe77e10d665ab713057375e39b887'],
];
/** Packages that share a name or purpose with xz but were never affected: none may appear at all. */
const neverAffected = ['github.com/ulikunitz/xz', 'github.com/xi2/xz', 'lzma-native', 'lzma-sys', 'org.tukaani:xz', 'lzma-rs', 'torchtriton', 'pytorch-triton'];
/** Ecosystems the reference says were not affected by the xz backdoor. */
const xzNotAffected = ['Red Hat', 'AlmaLinux', 'Rocky Linux', 'conda', 'FreeBSD', 'Termux', 'Ubuntu:22.04:LTS', 'Debian:10', 'Debian:11', 'Debian:12'];

test('no safe look-alike is listed as affected', () => {
  const problems: string[] = [];
  for (const { record, affected, at } of allAffected()) {
    const versions = affected.versions ?? [];
    const isXz = record.database_specific?.incident === xzIncident;
    if (isXz) {
      for (const v of versions) if (xzLookAlikes.includes(v)) problems.push(`${at}: ${v} is a safe look-alike`);
      // xz versions are discrete everywhere; a range would have to be proven not to admit a look-alike.
      if ((affected.ranges ?? []).length > 0) problems.push(`${at}: xz data must not use ranges`);
      if (xzNotAffected.includes(affected.package.ecosystem) || xzNotAffected.includes(base(affected.package.ecosystem))) problems.push(`${at}: ${affected.package.ecosystem} was not affected`);
    }
    for (const [ecosystem, name, version] of packageLookAlikes) {
      if (base(affected.package.ecosystem) === ecosystem && affected.package.name === name && versions.includes(version)) problems.push(`${at}: ${name} ${version} is safe`);
    }
    if (neverAffected.includes(affected.package.name)) problems.push(`${at}: ${affected.package.name} was never affected`);
  }
  const cleanTarballDigests = [
    'aeba3e03bf8140ddedf62a0a367158340520f6b384f75ca6045ccc6c0d43fd5c', // xz-5.4.6.tar.gz
    'b92d4e3a438affcf13362a1305cd9d94ed47ddda22e456a42791e630a5644f5c', // xz-5.4.6.tar.xz
    '18dc7a88a9fa95f519a979114034a7bc6c2e327bc90eab856c5ab8bddb6108fd', // xz-5.5.1alpha.tar.xz
    'f4d16da7fd21f228b31abbaf03d8d0fd174bbe6ddaaab01edf97fbb3ce51360c', // xz-5.5.2beta.tar.xz
  ];
  for (const { file, record } of loaded) {
    for (const entry of record.database_specific?.artifacts ?? []) {
      const text = JSON.stringify(entry);
      for (const digest of cleanTarballDigests) if (text.includes(digest)) problems.push(`${file}: clean tarball digest ${digest} listed`);
      if (/5\.6\.[2-9]|5\.4\.|5\.5\.\d(alpha|beta)|5\.8\./.test([...('urls' in entry && entry.urls ? entry.urls : []), 'name' in entry ? entry.name : ''].join(' '))) problems.push(`${file}: artifact names a clean release: ${text}`);
      if (entry.kind === 'git-tag') for (const tag of entry.tags ?? []) if (tag !== 'v5.6.0' && tag !== 'v5.6.1') problems.push(`${file}: tag ${tag} is clean`);
    }
    // Image tags the reference dates on either side of a window must stay outside it.
    const outside: Array<[suite: string, date: string]> = [['sid', '2024-02-11'], ['sid', '2024-03-30'], ['', '2024-03-28'], ['base', '2024-03-29']];
    for (const w of record.database_specific?.images ?? []) {
      for (const [suite, date] of outside) {
        const repoMatches = suite !== '' || w.repositories.some((r) => r.includes('tumbleweed'));
        if (repoMatches && w.suites.includes(suite) && w.from <= date && date <= w.to) problems.push(`${file}: window ${w.from}..${w.to} admits ${suite}-${date}`);
      }
    }
  }
  assert.deepStrictEqual(problems, []);
});

test('flags every verified compromised pin the reference lists', () => {
  // [ecosystem base, package or binary name, exact version]: one or more per verified ecosystem of the reference.
  const expected: Array<[string, string, string]> = [
    ['upstream', 'xz', '5.6.0'], ['upstream', 'xz', '5.6.1'],
    ['Debian', 'xz-utils', '5.5.1alpha-0.1'], ['Debian', 'liblzma5', '5.6.0-0.1'], ['Debian', 'xz-utils', '5.6.0-0.2'], ['Debian', 'liblzma5', '5.6.1-1'],
    ['Fedora', 'xz-libs', '5.6.0-1.fc40'], ['Fedora', 'xz', '5.6.0-2.fc40'], ['Fedora', 'xz-libs', '5.6.1-1.fc41'],
    ['openSUSE', 'liblzma5', '5.6.0-1.1'], ['openSUSE', 'xz', '5.6.1-1.1'], ['openSUSE', 'liblzma5-32bit', '5.6.1-1.1'],
    ['Arch Linux', 'xz', '5.6.0-1'], ['Arch Linux', 'xz', '5.6.1-1'],
    ['Alpine', 'xz', '5.6.1-r0'], ['Alpine', 'xz-libs', '5.6.1-r1'],
    // Gentoo's versions are only "VERIFIED-weak" in the reference: shipped as unverified (below).
    ['nixpkgs', 'xz', '5.6.0'], ['nixpkgs', 'xz', '5.6.1'], ['Homebrew', 'xz', '5.6.0'],
    ['MSYS2', 'mingw-w64-x86_64-xz', '5.6.0-1'], ['MSYS2', 'mingw-w64-ucrt-x86_64-xz', '5.6.1-1'], ['MSYS2', 'liblzma', '5.6.1-1'],
    ['ConanCenter', 'xz_utils', '5.6.0'], ['ConanCenter', 'xz_utils', '5.6.1'], ['vcpkg', 'liblzma', '5.6.0'],
    // liblzma 0.3.0 is not here: its caret requirement on liblzma-sys also admits the clean 0.3.3 (the lockfile decides).
    ['crates.io', 'liblzma-sys', '0.3.0'], ['crates.io', 'liblzma-sys', '0.3.2'],
    ['MacPorts', 'xz', '5.6.1'], ['MXE', 'xz', '5.6.1'], ['Lunar Linux', 'xz', '5.6.0'], ['OpenIndiana', 'compress/xz', '5.6.1'],
    ['npm', 'event-stream', '3.3.6'], ['npm', 'flatmap-stream', '0.1.1'], ['npm', 'ua-parser-js', '1.0.0'], ['npm', 'coa', '3.1.3'],
    ['npm', 'rc', '2.3.9'], ['npm', 'node-ipc', '10.1.2'], ['npm', 'node-ipc', '11.1.0'], ['npm', 'colors', '1.4.44-liberty-2'],
    ['npm', 'faker', '6.6.6'], ['npm', 'chalk', '5.6.1'], ['npm', 'debug', '4.4.2'], ['npm', 'error-ex', '1.3.3'],
    ['npm', '@ctrl/tinycolor', '4.1.2'], ['npm', 'koa2-swagger-ui', '5.11.2'], ['npm', 'ngx-bootstrap', '18.1.4'],
    ['npm', 'nx', '20.12.0'], ['npm', '@nx/enterprise-cloud', '3.2.0'], ['npm', 'axios', '1.14.1'], ['npm', 'is', '3.3.1'],
    ['PyPI', 'ultralytics', '8.3.41'], ['PyPI', 'ctx', '0.2.6'], ['RubyGems', 'rest-client', '1.6.13'], ['RubyGems', 'cron_parser', '1.0.14'],
    ['RubyGems', 'strong_password', '0.0.7'],
    ['GitHub Actions', 'tj-actions/changed-files', '0e58ed8671d6b60d0890c21b07f8835ace038e67'],
    ['GitHub Actions', 'reviewdog/action-setup', 'f0d342d24037bb11d26b9bd8496e0808ba32e9ec'],
  ];
  const verified = allAffected().filter(({ affected }) => affected.database_specific?.confidence === 'verified');
  const missing = expected.filter(([ecosystem, name, version]) => !verified.some(({ affected }) =>
    base(affected.package.ecosystem) === ecosystem &&
    [affected.package.name, ...(affected.ecosystem_specific?.binaries ?? [])].includes(name) &&
    (affected.versions ?? []).includes(version)));
  assert.deepStrictEqual(missing, []);
});

test('ships as unverified exactly what the reference leaves unverified', () => {
  const unverified = allAffected()
    .filter(({ affected }) => affected.database_specific?.confidence === 'unverified')
    .map(({ affected }) => `${affected.package.ecosystem} ${affected.package.name} ${(affected.versions ?? []).join(' ')}`);
  assert.deepStrictEqual(unverified, [
    'Debian xz-utils 5.5.2beta-0.1',
    'Fedora:40 xz 5.6.1-1.fc40 5.6.1-2.fc40',
    'Fedora:41 xz 5.6.0-1.fc41 5.6.0-2.fc41 5.6.1-2.fc41',
    'Gentoo app-arch/xz-utils 5.6.0 5.6.1',
    'Homebrew xz 5.6.1',
    'Kali xz-utils 5.6.0-0.2 5.6.1-1',
    'Ubuntu:24.04:LTS xz-utils 5.6.0-0.2',
  ]);
});

test('validates against the OSV schema (ecosystem names widened only for the project names)', (t) => {
  const schemaPath = path.resolve(repoRoot, '..', 'shared', 'reference', 'schemas', 'osv-schema.json');
  if (!existsSync(schemaPath)) {
    if (process.env.CI) assert.fail(`${schemaPath} is missing; CI checks out ../shared beside the repository`);
    t.skip(`${schemaPath} not present: OSV schema validation skipped`);
    return;
  }
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as { $defs: Record<string, unknown> & { ecosystemName: { enum: string[] } } };
  // The project's own ecosystem names must really be outside OSV's list, and the OSV ones inside it.
  assert.deepStrictEqual(osvEcosystems.filter((e) => !schema.$defs.ecosystemName.enum.includes(e)), []);
  assert.deepStrictEqual(projectEcosystems.filter((e) => schema.$defs.ecosystemName.enum.includes(e)), []);

  // The only change: an ecosystem may also be one of the project's documented names (with an optional suffix).
  const widened = structuredClone(schema);
  const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  widened.$defs.ecosystemWithSuffix = {
    anyOf: [schema.$defs.ecosystemWithSuffix, { type: 'string', pattern: `^(${projectEcosystems.map(escape).join('|')})(:.+)?$` }],
  };
  const compile = (s: object) => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    ajv.addFormat('date-time', timestamp);
    ajv.addFormat('uri', { validate: (value: string) => URL.canParse(value) });
    return ajv.compile(s);
  };
  const strict = compile(schema);
  const loose = compile(widened);
  const failures: string[] = [];
  for (const { file, record } of loaded) {
    const onlyOsv = (record.affected ?? []).every((a) => osvEcosystems.includes(base(a.package.ecosystem)));
    const validate = onlyOsv ? strict : loose;
    if (!validate(record)) failures.push(`${file} (${onlyOsv ? 'OSV schema' : 'widened schema'}): ${JSON.stringify(validate.errors)}`);
  }
  assert.deepStrictEqual(failures, []);
});
