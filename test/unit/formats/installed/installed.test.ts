import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Extracted, PackageReference } from '../../../../server/src/model';
import { dpkgStatus } from '../../../../server/src/formats/installed/dpkgStatus';
import { apkInstalled } from '../../../../server/src/formats/installed/apkInstalled';
import { pacmanDesc } from '../../../../server/src/formats/installed/pacmanDesc';
import { loadSqlite, rpmdb } from '../../../../server/src/formats/installed/rpmdb';
import { readRpmHeader, rpmTags, writeRpmHeader } from '../../../../server/src/formats/installed/rpmHeader';
import { distroOfOsRelease, parseOsRelease, rootOf } from '../../../../server/src/formats/installed/root';
import { quickNameTest } from '../../../../server/src/formats/installed/stanzas';
import { formatFor } from '../../../../server/src/formats/index';
import { analyzeBytes, analyzeFile, bundledAdvisories, npmWanted, packageWanted } from '../../../../server/src/engine';
import { defaultSettings } from '../../../../server/src/model';
import { repoRoot } from '../../../paths';
import { rpmdbBytes } from './rpmdbFixture';

const fixtures = join(repoRoot, 'test', 'fixtures', 'installed');
const read = (rel: string): string => readFileSync(join(fixtures, rel), 'utf8');
const readFile = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/** What an installed openssh-server adds to a liblzma of Debian, Ubuntu or Fedora, whose sshd loads it. */
const sshd =
  ' openssh-server is installed here too: this distribution patches sshd to notify systemd through libsystemd, which links liblzma, so sshd loads this library; upgrade, then restart sshd.';
/** The same on Arch, whose sshd does not link liblzma. */
const archSshd = " openssh is installed here too, but Arch's sshd does not link liblzma, so the backdoor is not loaded into sshd; upgrade all the same.";
/** The same on Alpine, whose sshd has no libsystemd. */
const alpineSshd = " openssh-server is installed here too, but Alpine's sshd does not link libsystemd, through which other distributions' sshd loads liblzma; upgrade all the same.";
/** The same where the reference does not say how sshd is built (openSUSE, Kali, …). */
const otherSshd =
  " openssh-server is installed here too: OpenSSH does not link liblzma itself, but Debian, Ubuntu, Fedora and others patch sshd to notify systemd through libsystemd, which links liblzma; if this system's sshd links libsystemd, it loads this library: upgrade, then restart sshd.";

/** The reference an installed package gives, written out. */
function installed(ecosystem: string, suite: string | undefined, name: string, version: string, line: number, character: number, where: string, upgrade: string, aside = ''): PackageReference {
  return {
    kind: 'package',
    ecosystem,
    ...(suite ? { suite } : {}),
    name,
    version,
    range: { start: { line, character }, end: { line, character: character + version.length } },
    context: where,
    fix: { kind: 'none', reason: `${name} ${version} is installed in this root filesystem (${where}); a package database records what is installed, so Pinwatch does not edit it.${aside}`, upgrade },
  };
}

test('a dpkg status gives each installed package at its Version value, not the config-files stanza, with the suite from os-release and the sshd aside on liblzma5', () => {
  const path = join(fixtures, 'debian/var/lib/dpkg/status');
  const where = 'var/lib/dpkg/status';
  assert.deepStrictEqual(dpkgStatus.extract(read('debian/var/lib/dpkg/status'), path, readFile), [
    installed('Debian', 'trixie', 'base-files', '13', 9, 9, where, 'apt-get install base-files={version}'),
    installed('Debian', 'trixie', 'liblzma5', '5.6.1-1', 22, 9, where, 'apt-get install liblzma5={version}', sshd),
    installed('Debian', 'trixie', 'openssh-server', '1:9.7p1-2', 48, 9, where, 'apt-get install openssh-server={version}'),
    installed('Debian', 'trixie', 'xz-utils', '5.6.1-1', 59, 9, where, 'apt-get install xz-utils={version}'),
    installed('Debian', 'trixie', 'libfoo-xz', '5.6.1-1', 66, 9, where, 'apt-get install libfoo-xz={version}'),
  ]);
});

test('the dpkg findings: one per installed compromised package, at its line, with the upgrade command', () => {
  const path = join(fixtures, 'debian/var/lib/dpkg/status');
  const { findings, problems } = analyzeFile(path, read('debian/var/lib/dpkg/status'), defaultSettings, { readFile });
  assert.deepStrictEqual(problems, []);
  assert.deepStrictEqual(
    findings.map((f) => [f.reference.range.start.line, f.severity, f.message]),
    [
      [22, 'error', `liblzma5 5.6.1-1 is a compromised release (xz-utils backdoor, CVE-2024-3094). liblzma5 5.6.1-1 is installed in this root filesystem (var/lib/dpkg/status); a package database records what is installed, so Pinwatch does not edit it.${sshd} The nearest safe release is 5.6.1+really5.4.5-1. Upgrade it: apt-get install liblzma5=5.6.1+really5.4.5-1.`],
      [59, 'error', 'xz-utils 5.6.1-1 is a compromised release (xz-utils backdoor, CVE-2024-3094). xz-utils 5.6.1-1 is installed in this root filesystem (var/lib/dpkg/status); a package database records what is installed, so Pinwatch does not edit it. The nearest safe release is 5.6.1+really5.4.5-1. Upgrade it: apt-get install xz-utils=5.6.1+really5.4.5-1.'],
    ],
  );
  assert.deepStrictEqual(findings.map((f) => f.fixes), [[], []]);
});

test('Ubuntu by os-release, and the safe 5.6.1+really5.4.5-1 gives no finding', () => {
  const path = join(fixtures, 'ubuntu-safe/var/lib/dpkg/status');
  const text = read('ubuntu-safe/var/lib/dpkg/status');
  assert.deepStrictEqual(dpkgStatus.extract(text, path, readFile), [
    installed('Ubuntu', 'noble', 'liblzma5', '5.6.1+really5.4.5-1', 4, 9, 'var/lib/dpkg/status', 'apt-get install liblzma5={version}'),
    installed('Ubuntu', 'noble', 'xz-utils', '5.6.1+really5.4.5-1', 10, 9, 'var/lib/dpkg/status', 'apt-get install xz-utils={version}'),
  ]);
  assert.deepStrictEqual(analyzeFile(path, text, defaultSettings, { readFile }), { findings: [], problems: [] });
});

test('a distroless status.d stanza (no Status field) is installed; its md5sums file is not a stanza', () => {
  const dir = join(fixtures, 'distroless/var/lib/dpkg/status.d');
  assert.deepStrictEqual(dpkgStatus.extract(read('distroless/var/lib/dpkg/status.d/liblzma5'), join(dir, 'liblzma5'), readFile), [
    installed('Debian', undefined, 'liblzma5', '5.6.0-0.2', 2, 9, 'var/lib/dpkg/status.d', 'apt-get install liblzma5={version}'),
  ]);
  assert.deepStrictEqual(dpkgStatus.extract(read('distroless/var/lib/dpkg/status.d/liblzma5.md5sums'), join(dir, 'liblzma5.md5sums'), readFile), []);
});

test('without a Status in var/lib/dpkg/status a stanza is not installed; a line that is not a field is a read problem beside what was read', () => {
  const text = 'Package: liblzma5\nVersion: 5.6.1-1\n\nPackage: xz-utils\nStatus: install ok installed\nthis is not a field\nVersion: 5.6.1-1\r\n';
  assert.deepStrictEqual(dpkgStatus.extract(text, '/r/var/lib/dpkg/status'), [
    { kind: 'problem', reason: 'syntax', message: 'This line is not a `Field: value` line of a dpkg status stanza; Pinwatch read the fields it could, but the stanza it belongs to may be incomplete.', range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } } },
    installed('Debian', undefined, 'xz-utils', '5.6.1-1', 6, 9, 'var/lib/dpkg/status', 'apt-get install xz-utils={version}'),
  ]);
});

test('an apk database gives every package at its V: value, Alpine edge from a development os-release', () => {
  const path = join(fixtures, 'alpine/lib/apk/db/installed');
  const where = 'lib/apk/db/installed';
  assert.deepStrictEqual(apkInstalled.extract(read('alpine/lib/apk/db/installed'), path, readFile), [
    installed('Alpine', 'edge', 'musl', '1.2.5-r0', 2, 2, where, 'apk upgrade musl'),
    installed('Alpine', 'edge', 'xz-libs', '5.6.1-r1', 12, 2, where, 'apk upgrade xz-libs'),
    installed('Alpine', 'edge', 'xz', '5.6.1-r1', 22, 2, where, 'apk upgrade xz'),
  ]);
  const { findings } = analyzeFile(path, read('alpine/lib/apk/db/installed'), defaultSettings, { readFile });
  assert.deepStrictEqual(findings.map((f) => [f.reference.range.start.line, f.message]), [
    [12, 'xz-libs 5.6.1-r1 is a compromised release (xz-utils backdoor, CVE-2024-3094). xz-libs 5.6.1-r1 is installed in this root filesystem (lib/apk/db/installed); a package database records what is installed, so Pinwatch does not edit it. The nearest safe release is 5.6.1-r2. Upgrade it: apk upgrade xz-libs.'],
    [22, 'xz 5.6.1-r1 is a compromised release (xz-utils backdoor, CVE-2024-3094). xz 5.6.1-r1 is installed in this root filesystem (lib/apk/db/installed); a package database records what is installed, so Pinwatch does not edit it. The nearest safe release is 5.6.1-r2. Upgrade it: apk upgrade xz.'],
  ]);
  const safe = join(fixtures, 'alpine-safe/lib/apk/db/installed');
  assert.deepStrictEqual(analyzeFile(safe, read('alpine-safe/lib/apk/db/installed'), defaultSettings, { readFile }), { findings: [], problems: [] });
});

test('a pacman desc gives its package at the %VERSION% line; the rebuilt 5.6.1-2 gives no finding', () => {
  const path = join(fixtures, 'arch/var/lib/pacman/local/xz-5.6.1-1/desc');
  assert.deepStrictEqual(pacmanDesc.extract(read('arch/var/lib/pacman/local/xz-5.6.1-1/desc'), path), [
    installed('Arch Linux', undefined, 'xz', '5.6.1-1', 4, 0, 'var/lib/pacman/local', 'pacman -Syu'),
  ]);
  const safe = 'arch-safe/var/lib/pacman/local/xz-5.6.1-2/desc';
  assert.deepStrictEqual(analyzeFile(join(fixtures, safe), read(safe), defaultSettings), { findings: [], problems: [] });
  assert.deepStrictEqual(pacmanDesc.extract('%NAME%\nxz\n', '/r/var/lib/pacman/local/xz-1/desc'), [
    { kind: 'problem', reason: 'syntax', message: 'This pacman desc file has no %NAME% or no %VERSION%, so the package it describes was not checked.', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } },
  ]);
});

test('a pacman xz says what the openssh its database lists means on Arch, when the folder can be listed', () => {
  const path = join(fixtures, 'arch/var/lib/pacman/local/xz-5.6.1-1/desc');
  const text = read('arch/var/lib/pacman/local/xz-5.6.1-1/desc');
  const listed: string[] = [];
  const listFolder = (folder: string): readonly string[] | undefined => {
    listed.push(folder);
    return readdirSync(folder);
  };
  assert.deepStrictEqual(pacmanDesc.extract(text, path, readFile, listFolder), [
    installed('Arch Linux', undefined, 'xz', '5.6.1-1', 4, 0, 'var/lib/pacman/local', 'pacman -Syu', archSshd),
  ]);
  assert.deepStrictEqual(listed, [join(fixtures, 'arch/var/lib/pacman/local')]);
  const { findings, problems } = analyzeFile(path, text, defaultSettings, { readFile, listFolder });
  assert.deepStrictEqual(problems, []);
  assert.deepStrictEqual(findings.map((f) => [f.reference.range.start.line, f.severity, f.message]), [
    [4, 'error', `xz 5.6.1-1 is a compromised release (xz-utils backdoor, CVE-2024-3094). xz 5.6.1-1 is installed in this root filesystem (var/lib/pacman/local); a package database records what is installed, so Pinwatch does not edit it.${archSshd} The nearest safe release is 5.6.1-2. Upgrade it: pacman -Syu.`],
  ]);
  // A folder named like openssh whose desc names another package, and one that is openssh-askpass, are not openssh.
  const fake = (folder: string): readonly string[] | undefined => (folder.endsWith('local') ? ['openssh-askpass-3.0-1', 'openssh-9.7p1-1', 'xz-5.6.1-1'] : undefined);
  const otherName = (p: string): string | undefined => (p.endsWith('openssh-9.7p1-1/desc') ? '%NAME%\nopenssh-hpn\n\n%VERSION%\n9.7p1-1\n' : undefined);
  assert.deepStrictEqual(pacmanDesc.extract(text, path, otherName, fake), [installed('Arch Linux', undefined, 'xz', '5.6.1-1', 4, 0, 'var/lib/pacman/local', 'pacman -Syu')]);
  // The openssh desc itself, and a desc outside var/lib/pacman/local, say nothing of it.
  const openssh = join(fixtures, 'arch/var/lib/pacman/local/openssh-9.7p1-1/desc');
  assert.deepStrictEqual(pacmanDesc.extract(read('arch/var/lib/pacman/local/openssh-9.7p1-1/desc'), openssh, readFile, listFolder), [
    installed('Arch Linux', undefined, 'openssh', '9.7p1-1', 4, 0, 'var/lib/pacman/local', 'pacman -Syu'),
  ]);
});

test('an apk xz-libs says what an installed openssh-server means on Alpine', () => {
  const text = 'P:openssh-server\nV:9.7_p1-r0\n\nP:xz-libs\nV:5.6.1-r1\n\nP:xz\nV:5.6.1-r1\n';
  const path = '/img/lib/apk/db/installed';
  const osRelease = (p: string): string | undefined => (p === '/img/etc/os-release' ? 'ID=alpine\nVERSION_ID=3.20.0_alpha20240329\n' : undefined);
  const where = 'lib/apk/db/installed';
  assert.deepStrictEqual(apkInstalled.extract(text, path, osRelease), [
    installed('Alpine', 'edge', 'openssh-server', '9.7_p1-r0', 1, 2, where, 'apk upgrade openssh-server'),
    installed('Alpine', 'edge', 'xz-libs', '5.6.1-r1', 4, 2, where, 'apk upgrade xz-libs', alpineSshd),
    installed('Alpine', 'edge', 'xz', '5.6.1-r1', 7, 2, where, 'apk upgrade xz'),
  ]);
  const { findings } = analyzeFile(path, text, defaultSettings, { readFile: osRelease });
  assert.deepStrictEqual(findings.map((f) => [f.reference.range.start.line, f.message]), [
    [4, `xz-libs 5.6.1-r1 is a compromised release (xz-utils backdoor, CVE-2024-3094). xz-libs 5.6.1-r1 is installed in this root filesystem (lib/apk/db/installed); a package database records what is installed, so Pinwatch does not edit it.${alpineSshd} The nearest safe release is 5.6.1-r2. Upgrade it: apk upgrade xz-libs.`],
    [7, 'xz 5.6.1-r1 is a compromised release (xz-utils backdoor, CVE-2024-3094). xz 5.6.1-r1 is installed in this root filesystem (lib/apk/db/installed); a package database records what is installed, so Pinwatch does not edit it. The nearest safe release is 5.6.1-r2. Upgrade it: apk upgrade xz.'],
  ]);
});

test('a dpkg liblzma5 on Kali, whose sshd the reference does not describe, says only what OpenSSH and the other distributions do', () => {
  const text = 'Package: liblzma5\nStatus: install ok installed\nVersion: 5.6.1-1\n\nPackage: openssh-server\nStatus: install ok installed\nVersion: 1:9.7p1-2\n';
  const path = '/k/var/lib/dpkg/status';
  const osRelease = (p: string): string | undefined => (p === '/k/etc/os-release' ? 'ID=kali\nVERSION_CODENAME=kali-rolling\n' : undefined);
  const where = 'var/lib/dpkg/status';
  assert.deepStrictEqual(dpkgStatus.extract(text, path, osRelease), [
    installed('Kali', 'kali-rolling', 'liblzma5', '5.6.1-1', 2, 9, where, 'apt-get install liblzma5={version}', otherSshd),
    installed('Kali', 'kali-rolling', 'openssh-server', '1:9.7p1-2', 6, 9, where, 'apt-get install openssh-server={version}'),
  ]);
  // The fast path (the engine's filter) reads the openssh-server stanza too, and says the same.
  assert.deepStrictEqual(dpkgStatus.extractWanted!(text, path, (name) => name === 'liblzma5', osRelease), [
    installed('Kali', 'kali-rolling', 'liblzma5', '5.6.1-1', 2, 9, where, 'apt-get install liblzma5={version}', otherSshd),
  ]);
});

test('the databases are found by their place under any folder, and nowhere else', () => {
  const ids = ['/img/var/lib/dpkg/status', '/img/var/lib/dpkg/status.d/libc6', '/img/lib/apk/db/installed', '/img/var/lib/pacman/local/xz-5.6.1-1/desc', '/img/var/lib/rpm/rpmdb.sqlite', '/img/usr/lib/sysimage/rpm/rpmdb.sqlite', '/img/status', '/img/var/lib/dpkg/status-old', '/img/etc/apk/installed', 'var\\lib\\dpkg\\status']
    .map((p) => formatFor(p)?.id);
  assert.deepStrictEqual(ids, ['debian/dpkg-status', 'debian/dpkg-status', 'alpine/apk-installed', 'arch/pacman-desc', 'rpm/rpmdb.sqlite', 'rpm/rpmdb.sqlite', undefined, undefined, undefined, 'debian/dpkg-status']);
});

test('roots and os-release', () => {
  assert.deepStrictEqual([rootOf('/img/var/lib/dpkg/status', 'var/lib/dpkg/status'), rootOf('var/lib/dpkg/status', 'var/lib/dpkg/status'), rootOf('/x/status', 'var/lib/dpkg/status'), rootOf('/i/var/lib/dpkg/status.d/a', 'var/lib/dpkg/status.d/*')], ['/img/', '', undefined, '/i/']);
  const fields = parseOsRelease('# c\nID="fedora"\nVERSION_ID=40\nNAME=\'Fedora Linux\'\nBAD\n');
  assert.deepStrictEqual([...fields], [['ID', 'fedora'], ['VERSION_ID', '40'], ['NAME', 'Fedora Linux']]);
  assert.deepStrictEqual(
    ['ID=debian\nVERSION_ID="12"', 'ID=alpine\nVERSION_ID=3.19.1', 'ID=fedora\nVERSION_ID=40', 'ID=opensuse-tumbleweed', 'ID=arch', 'ID=gentoo'].map((t) => distroOfOsRelease(parseOsRelease(t))),
    [{ ecosystem: 'Debian', suite: 'bookworm' }, { ecosystem: 'Alpine', suite: '3.19' }, { ecosystem: 'Fedora', suite: 'fc40' }, { ecosystem: 'openSUSE', suite: 'tumbleweed' }, { ecosystem: 'Arch Linux' }, undefined],
  );
});

test('an rpm header blob round-trips, and a damaged one says what is wrong', () => {
  const blob = writeRpmHeader([{ tag: rpmTags.NAME, value: 'xz-libs' }, { tag: rpmTags.EPOCH, value: 1 }, { tag: rpmTags.VERSION, value: '5.6.0' }, { tag: rpmTags.RELEASE, value: '1.fc40' }, { tag: rpmTags.ARCH, value: 'x86_64' }]);
  assert.deepStrictEqual(readRpmHeader(blob), { name: 'xz-libs', epoch: 1, version: '5.6.0', release: '1.fc40', arch: 'x86_64' });
  assert.deepStrictEqual(
    [readRpmHeader(blob.subarray(0, 5)), readRpmHeader(blob.subarray(0, 40)), readRpmHeader(writeRpmHeader([{ tag: rpmTags.NAME, value: 'a' }]))],
    ['the header is shorter than its 8-byte preamble', "the header's 5 entries and 32 bytes of data do not fit in its 40 bytes", 'the header has no NAME, VERSION or RELEASE'],
  );
});

test('an rpmdb.sqlite made with sql.js: each package, the sshd aside on xz-libs, a damaged row as a problem, and the trap 5.4.6-3.fc40 clean', async () => {
  await loadSqlite();
  const bytes = await rpmdbBytes(
    [
      { name: 'xz-libs', version: '5.6.0', release: '2.fc40' },
      { name: 'openssh-server', version: '9.6p1', release: '1.fc40', epoch: 0 },
      { name: 'xz', version: '5.4.6', release: '3.fc40' },
      { name: 'bash', version: '5.2.26', release: '3.fc40', epoch: 2 },
    ],
    [new Uint8Array([0, 0, 0, 9, 0, 0, 0, 1])],
  );
  const path = '/img/usr/lib/sysimage/rpm/rpmdb.sqlite';
  const osRelease = (p: string): string | undefined => (p === '/img/etc/os-release' ? 'ID=fedora\nVERSION_ID=40\n' : undefined);
  const at = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const ref = (name: string, version: string, aside = ''): PackageReference => ({ ...installed('Fedora', 'fc40', name, version, 0, 0, 'rpmdb.sqlite', `dnf install ${name}-{version}`, aside), range: at });
  const problem: Extracted = { kind: 'problem', reason: 'syntax', message: "1 package header of this rpm database could not be read (the header's 9 entries and 1 bytes of data do not fit in its 8 bytes), so that package was not checked.", range: at };
  assert.deepStrictEqual(rpmdb.extractBytes!(bytes, path, osRelease), [ref('xz-libs', '5.6.0-2.fc40', sshd), ref('openssh-server', '9.6p1-1.fc40'), ref('xz', '5.4.6-3.fc40'), ref('bash', '2:5.2.26-3.fc40'), problem]);
  const { findings, problems } = analyzeBytes(path, bytes, defaultSettings, { readFile: osRelease });
  assert.deepStrictEqual(findings.map((f) => [f.reference.kind === 'package' && f.reference.name, f.severity, f.message]), [
    ['xz-libs', 'error', `xz-libs 5.6.0-2.fc40 is a compromised release (xz-utils backdoor, CVE-2024-3094). xz-libs 5.6.0-2.fc40 is installed in this root filesystem (rpmdb.sqlite); a package database records what is installed, so Pinwatch does not edit it.${sshd} The nearest safe release is 5.4.6-3.fc40. Upgrade it: dnf install xz-libs-5.4.6-3.fc40.`],
  ]);
  assert.deepStrictEqual(problems, [problem]);
  // Not SQLite at all, and SQLite without a Packages table.
  assert.deepStrictEqual(rpmdb.extractBytes!(new TextEncoder().encode('not a database'), path).map((e) => e.kind === 'problem' && e.message.replace(/\(.*\)/, '(…)')), ['This rpm database could not be read as SQLite with a Packages table (…), so it was not checked.']);
});

test('the fast path (extractWanted) reads only the stanzas of packages the advisories name, and gives their references as extract does', () => {
  const index = bundledAdvisories();
  const wanted = npmWanted(index);
  for (const [format, rel] of [[dpkgStatus, 'debian/var/lib/dpkg/status'], [apkInstalled, 'alpine/lib/apk/db/installed']] as const) {
    const path = join(fixtures, rel);
    const text = read(rel);
    const all = format.extract(text, path, readFile).filter((e) => e.kind === 'package' && wanted(e.name, e.version ?? '', e.ecosystem));
    assert.deepStrictEqual(format.extractWanted!(text, path, wanted, readFile), all);
  }
  assert.deepStrictEqual(
    dpkgStatus.extractWanted!(read('debian/var/lib/dpkg/status'), join(fixtures, 'debian/var/lib/dpkg/status'), wanted, readFile).map((e) => e.kind === 'package' && `${e.name} ${e.version}`),
    ['liblzma5 5.6.1-1', 'xz-utils 5.6.1-1'],
  );
});

test('an rpmdb.sqlite of openSUSE: liblzma5 says only what OpenSSH and the other distributions do, since the reference does not describe its sshd', async () => {
  await loadSqlite();
  const bytes = await rpmdbBytes([
    { name: 'liblzma5', version: '5.6.1', release: '1.1' },
    { name: 'openssh-server', version: '9.6p1', release: '3.1' },
  ]);
  const path = '/s/usr/lib/sysimage/rpm/rpmdb.sqlite';
  const osRelease = (p: string): string | undefined => (p === '/s/etc/os-release' ? 'ID="opensuse-tumbleweed"\nVERSION_ID="20240321"\n' : undefined);
  const at = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const ref = (name: string, version: string, aside = ''): PackageReference => ({ ...installed('openSUSE', 'tumbleweed', name, version, 0, 0, 'rpmdb.sqlite', `zypper install --oldpackage ${name}-{version}`, aside), range: at });
  assert.deepStrictEqual(rpmdb.extractBytes!(bytes, path, osRelease), [ref('liblzma5', '5.6.1-1.1', otherSshd), ref('openssh-server', '9.6p1-3.1')]);
});

test("Termux's dpkg database is Termux's, not Debian's: by its prefix, or by a package's GNU CPU name; so Debian's advisories do not judge it", () => {
  const text = 'Package: xz-utils\nArchitecture: aarch64\nStatus: install ok installed\nVersion: 5.6.1-1\n\nPackage: liblzma5\nArchitecture: amd64\nStatus: install ok installed\nVersion: 5.6.1-1\n';
  const where = 'var/lib/dpkg/status';
  assert.deepStrictEqual(dpkgStatus.extract(text, '/r/var/lib/dpkg/status'), [
    installed('Termux', undefined, 'xz-utils', '5.6.1-1', 3, 9, where, 'apt-get install xz-utils={version}'),
    installed('Debian', undefined, 'liblzma5', '5.6.1-1', 8, 9, where, 'apt-get install liblzma5={version}'),
  ]);
  assert.deepStrictEqual(dpkgStatus.extract(text, '/data/data/com.termux/files/usr/var/lib/dpkg/status').map((r) => r.kind === 'package' && r.ecosystem), ['Termux', 'Termux']);
  assert.deepStrictEqual(analyzeFile('/r/var/lib/dpkg/status', text, defaultSettings).findings.map((f) => f.reference.kind === 'package' && `${f.reference.ecosystem} ${f.reference.name}`), ['Debian liblzma5']);
});

test('the quick name test rejects only values that, lowercased, are none of the names; the fast path reads what the full read does', () => {
  const quick = quickNameTest(['liblzma5', 'xz-utils'])!;
  const text = 'liblzma5|LIBLZMA5|liblzmaX|libpkg15|xz-utils|Xz-UtilS|xz-utilz|xz|İiblzma5|liblzmaİ|liblzİa5';
  const values = text.split('|');
  let at = 0;
  const answers = values.map((v) => {
    const answer = quick(text, at, at + v.length);
    at += v.length + 1;
    return answer;
  });
  // The same length and ends are left to the full test (libpkg15, liblzİa5 are not wanted, but the quick test
  // cannot tell), and so is a value that starts or ends beyond ASCII.
  assert.deepStrictEqual(answers, [true, true, false, true, true, true, false, false, true, true, true]);
  assert.equal(quickNameTest(['liblzma5', 'xz utils']), undefined, 'a name with a blank or beyond ASCII turns the quick test off');

  const index = bundledAdvisories();
  const wanted = packageWanted(index, 'Debian');
  const names = ['liblzma5', 'LibLZMA5', 'xz-utils', 'XZ-UTILS', 'libpkg1', 'liblzma-dev', 'xzdec', 'İiblzma5', 'openssh-server', 'liblzma5 '];
  const status = names.map((name, i) => `Package: ${name}\nStatus: install ok installed\nVersion: ${i % 2 ? '5.6.1-1' : '5.6.0-0.2'}\n`).join('\n');
  const path = '/q/var/lib/dpkg/status';
  const full = dpkgStatus.extract(status, path).filter((e) => e.kind === 'package' && wanted(e.name, e.version ?? '', e.ecosystem));
  assert.deepStrictEqual(dpkgStatus.extractWanted!(status, path, wanted), full);
  assert.deepStrictEqual(full.map((e) => e.kind === 'package' && e.name), ['liblzma5', 'LibLZMA5', 'xz-utils', 'XZ-UTILS', 'liblzma-dev', 'xzdec', 'liblzma5']);
  const apk = names.map((name, i) => `P:${name}\nV:${i % 2 ? '5.6.1-r1' : '5.6.1-r0'}\n`).join('\n');
  const apkPath = '/q/lib/apk/db/installed';
  const alpine = packageWanted(index, 'Alpine');
  assert.deepStrictEqual(apkInstalled.extractWanted!(apk, apkPath, alpine), apkInstalled.extract(apk, apkPath).filter((e) => e.kind === 'package' && alpine(e.name, e.version ?? '', e.ecosystem)));
});

test('a dpkg package whose files are unpacked but not yet configured or triggered is installed; a half-installed, removed or purged one is not', () => {
  const states = ['install ok triggers-pending', 'install ok triggers-awaited', 'install ok half-configured', 'install ok unpacked', 'install reinstreq half-installed', 'deinstall ok config-files', 'purge ok not-installed'];
  const text = states.map((status, i) => `Package: liblzma5\nStatus: ${status}\nVersion: 5.6.1-${i + 1}\n`).join('\n');
  const where = 'var/lib/dpkg/status';
  assert.deepStrictEqual(dpkgStatus.extract(text, '/u/var/lib/dpkg/status'), [1, 2, 3, 4].map((n) => installed('Debian', undefined, 'liblzma5', `5.6.1-${n}`, 4 * n - 2, 9, where, 'apt-get install liblzma5={version}')));
  const one = 'Package: liblzma5\nStatus: install ok triggers-pending\nVersion: 5.6.1-1\n';
  assert.deepStrictEqual(analyzeFile('/u/var/lib/dpkg/status', one, defaultSettings).findings.map((f) => [f.reference.range.start.line, f.severity]), [[2, 'error']]);
});
