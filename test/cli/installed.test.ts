// `pinwatch scan` on a folder of SBOMs of each kind and root filesystems of Debian, Ubuntu, distroless, Alpine,
// Arch and Fedora (whose rpmdb.sqlite is written here with sql.js): one finding per installed compromised package
// at its exact line, none for the look-alikes, and the bad purl as the one part not read.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pinwatch, repoRoot } from './helpers';
import { rpmdbBytes } from '../unit/formats/installed/rpmdbFixture';

async function fixtureFolder(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'pinwatch-installed-'));
  cpSync(join(repoRoot, 'test', 'fixtures', 'installed'), dir, { recursive: true });
  for (const [root, packages] of [
    ['fedora', [{ name: 'xz-libs', version: '5.6.0', release: '1.fc40' }, { name: 'xz', version: '5.6.0', release: '1.fc40' }, { name: 'openssh-server', version: '9.6p1', release: '1.fc40' }]],
    ['fedora-safe', [{ name: 'xz-libs', version: '5.4.6', release: '3.fc40' }]],
  ] as const) {
    mkdirSync(join(dir, root, 'etc'), { recursive: true });
    mkdirSync(join(dir, root, 'usr/lib/sysimage/rpm'), { recursive: true });
    writeFileSync(join(dir, root, 'etc/os-release'), 'NAME="Fedora Linux"\nVERSION_ID=40\nID=fedora\n');
    writeFileSync(join(dir, root, 'usr/lib/sysimage/rpm/rpmdb.sqlite'), await rpmdbBytes(packages));
  }
  return dir;
}

test('a folder of SBOMs and root filesystems: each compromised package once, at its line; the look-alikes clean', async () => {
  const dir = await fixtureFolder();
  const run = pinwatch(['scan', '.', '--format', 'json'], dir);
  assert.equal(run.status, 1, run.stderr);
  const report = JSON.parse(run.stdout);
  const rows = report.findings.map((f: { path: string; line: number; column: number; severity: string; reference: { name: string; version: string } }) => `${f.path}:${f.line}:${f.column} ${f.severity} ${f.reference.name} ${f.reference.version}`);
  assert.deepStrictEqual(rows, [
    'alpine/lib/apk/db/installed:13:3 error xz-libs 5.6.1-r1',
    'alpine/lib/apk/db/installed:23:3 error xz 5.6.1-r1',
    'arch/var/lib/pacman/local/xz-5.6.1-1/desc:5:1 error xz 5.6.1-1',
    'debian/var/lib/dpkg/status:23:10 error liblzma5 5.6.1-1',
    'debian/var/lib/dpkg/status:60:10 error xz-utils 5.6.1-1',
    'distroless/var/lib/dpkg/status.d/liblzma5:3:10 error liblzma5 5.6.0-0.2',
    'fedora/usr/lib/sysimage/rpm/rpmdb.sqlite:1:1 error xz-libs 5.6.0-1.fc40',
    'fedora/usr/lib/sysimage/rpm/rpmdb.sqlite:1:1 error xz 5.6.0-1.fc40',
    'sboms/app.cdx.xml:13:16 error xz 5.6.1-r1',
    'sboms/app.cdx.xml:26:30 error xz 5.6.0-1',
    'sboms/app.spdx:12:17 warning xz-libs 5.6.1-1.fc40',
    'sboms/app.spdx:23:17 error xz 5.6.0',
    'sboms/app.spdx.json:11:23 error liblzma5 5.6.0-0.2',
    'sboms/app.spdx.json:30:111 error debug 4.4.2',
    'sboms/bom.json:15:23 error xz-utils 5.6.1-1',
    'sboms/bom.json:31:19 error xz-libs 5.6.1-r1',
    'sboms/bom.json:43:19 error xz-libs 5.6.0-1.fc40',
    'sboms/bom.json:57:59 error chalk 5.6.1',
    'sboms/bom.json:62:61 error ultralytics 8.3.41',
    'sboms/bom.json:63:61 error rest-client 1.6.13',
    'sboms/bom.json:64:61 error liblzma-sys 0.3.2',
    'sboms/bom.json:65:76 error xz 5.6.1',
    'sboms/bom.json:68:58 error liblzma5 5.6.0-0.1',
  ]);
  assert.deepStrictEqual(report.problems.map((p: { path: string; line: number; message: string }) => `${p.path}:${p.line} ${p.message}`), [
    'sboms/bom.json:67 This package URL could not be read (Invalid purl: unable to decode "version" component), so its component was not checked.',
  ]);
  assert.equal(report.summary.filesScanned, 15);
  const fedora = report.findings.find((f: { path: string; reference: { name: string } }) => f.reference.name === 'xz-libs' && f.path.startsWith('fedora/'));
  assert.match(fedora.message, /openssh-server is installed here too: .* Upgrade it: dnf install xz-libs-5\.4\.6-3\.fc40\.$/);
  // The scan lists the pacman database's folder, so Arch's xz knows of the openssh beside it.
  const arch = report.findings.find((f: { path: string }) => f.path.startsWith('arch/'));
  assert.equal(
    arch.message,
    "xz 5.6.1-1 is a compromised release (xz-utils backdoor, CVE-2024-3094). xz 5.6.1-1 is installed in this root filesystem (var/lib/pacman/local); a package database records what is installed, so Pinwatch does not edit it. openssh is installed here too, but Arch's sshd does not link liblzma, so the backdoor is not loaded into sshd; upgrade all the same. The nearest safe release is 5.6.1-2. Upgrade it: pacman -Syu.",
  );
});
