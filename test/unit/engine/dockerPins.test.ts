import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits } from '../../../server/src/edits';
import { analyze } from '../../../server/src/engine';
import { defaultSettings, type Finding } from '../../../server/src/model';

const path = '/work/Dockerfile';
const uri = 'file:///work/Dockerfile';

/** The text after applying a finding's preferred fix. */
function fixed(text: string, finding: Finding): string {
  const fix = finding.fixes[0];
  assert.ok(fix, `no fix for: ${finding.message}`);
  const result = applyEdits(text, fix.edits.filter((e) => e.uri === uri));
  assert.equal(result.skipped.length, 0);
  return result.text;
}

/** Each compromised pin, as a distribution shipped it, and the whole Dockerfile after the preferred fix. */
const compromised: Array<{ name: string; before: string; after: string; severity: string }> = [
  { name: 'Debian sid 5.6.1-1', before: 'FROM debian:sid\nRUN apt-get install -y xz-utils=5.6.1-1\n', after: 'FROM debian:sid\nRUN apt-get install -y xz-utils=5.6.1+really5.4.5-1\n', severity: 'error' },
  { name: 'Debian 5.6.0-0.2 via liblzma5', before: 'FROM debian:testing\nRUN apt-get install -y liblzma5=5.6.0-0.2\n', after: 'FROM debian:testing\nRUN apt-get install -y liblzma5=5.6.1+really5.4.5-1\n', severity: 'error' },
  { name: 'Debian experimental 5.5.1alpha-0.1', before: 'FROM debian:experimental\nRUN apt-get install -y liblzma-dev=5.5.1alpha-0.1\n', after: 'FROM debian:experimental\nRUN apt-get install -y liblzma-dev=5.6.1+really5.4.5-1\n', severity: 'error' },
  { name: 'Debian with an epoch written out', before: 'FROM debian:sid\nRUN apt-get install -y xz-utils=0:5.6.0-0.1\n', after: 'FROM debian:sid\nRUN apt-get install -y xz-utils=5.6.1+really5.4.5-1\n', severity: 'error' },
  { name: 'Alpine edge 5.6.1-r0', before: 'FROM alpine:edge\nRUN apk add --no-cache xz-libs=5.6.1-r0\n', after: 'FROM alpine:edge\nRUN apk add --no-cache xz-libs=5.6.1-r2\n', severity: 'error' },
  { name: 'Fedora 40 xz-libs-5.6.0-1.fc40', before: 'FROM fedora:40\nRUN dnf install -y xz-libs-5.6.0-1.fc40\n', after: 'FROM fedora:40\nRUN dnf install -y xz-libs-5.4.6-3.fc40\n', severity: 'error' },
  { name: 'openSUSE Tumbleweed liblzma5 5.6.1-1.1', before: 'FROM opensuse/tumbleweed\nRUN zypper install -y liblzma5=5.6.1-1.1\n', after: 'FROM opensuse/tumbleweed\nRUN zypper install -y liblzma5=5.6.1.revertto5.4-2.1\n', severity: 'error' },
  { name: 'Arch archive 5.6.1-1', before: 'FROM archlinux:base\nRUN pacman -U --noconfirm https://archive.archlinux.org/packages/x/xz/xz-5.6.1-1-x86_64.pkg.tar.zst\n', after: 'FROM archlinux:base\nRUN pacman -U --noconfirm https://archive.archlinux.org/packages/x/xz/xz-5.6.1-2-x86_64.pkg.tar.zst\n', severity: 'error' },
  { name: 'an ARG default, fixed at the ARG', before: 'ARG XZ=5.6.0-0.1\nFROM debian:sid\nARG XZ\nRUN apt-get install -y "xz-utils=${XZ}"\n', after: 'ARG XZ=5.6.1+really5.4.5-1\nFROM debian:sid\nARG XZ\nRUN apt-get install -y "xz-utils=${XZ}"\n', severity: 'error' },
  { name: 'Kali (versions unverified: a warning)', before: 'FROM kalilinux/kali-rolling\nRUN apt-get install -y xz-utils=5.6.1-1\n', after: 'FROM kalilinux/kali-rolling\nRUN apt-get install -y xz-utils=5.6.1+really5.4.5-1\n', severity: 'warning' },
];

for (const { name, before, after, severity } of compromised) {
  test(`flags and fixes ${name}`, () => {
    const findings = analyze(path, before, defaultSettings, { uri });
    assert.deepEqual(findings.map((f) => [f.code, f.severity, f.advisory.id]), [['compromised-version', severity, 'CVE-2024-3094']]);
    assert.equal(fixed(before, findings[0]!), after);
  });
}

/** The reference's false-positive traps: safe builds whose version strings look like the bad ones. */
const traps: Array<[string, string]> = [
  ['Debian 5.6.1+really5.4.5-1', 'FROM debian:sid\nRUN apt-get install -y xz-utils=5.6.1+really5.4.5-1 liblzma5=5.6.1+really5.4.5-1\n'],
  ['Ubuntu 5.6.1+really5.4.5-1ubuntu0.2', 'FROM ubuntu:noble\nRUN apt-get install -y liblzma5=5.6.1+really5.4.5-1ubuntu0.2\n'],
  ['Debian 5.6.2-2', 'FROM debian:trixie\nRUN apt-get install -y xz-utils=5.6.2-2\n'],
  ['Debian stable 5.4.1-0.2', 'FROM debian:bookworm\nRUN apt-get install -y xz-utils=5.4.1-0.2\n'],
  ['Alpine 5.6.1-r2 and r3', 'FROM alpine:edge\nRUN apk add xz=5.6.1-r2 xz-libs=5.6.1-r3\n'],
  ['Arch 5.6.1-2', 'FROM archlinux\nRUN pacman -U --noconfirm https://archive.archlinux.org/packages/x/xz/xz-5.6.1-2-x86_64.pkg.tar.zst\n'],
  ['openSUSE 5.6.1.revertto5.4-2.1', 'FROM opensuse/tumbleweed\nRUN zypper install -y liblzma5=5.6.1.revertto5.4-2.1 xz=5.6.1.revertto5.4-2.1\n'],
  ['Fedora 5.4.6-3.fc40', 'FROM fedora:40\nRUN dnf install -y xz-5.4.6-3.fc40 xz-libs-5.4.6-3.fc40\n'],
  ['a version only named in an echo and a comment', 'FROM debian:sid\n# xz-utils=5.6.1-1 was bad\nRUN echo "apt-get install xz-utils=5.6.1-1"\n'],
  ['an unpinned install', 'FROM debian:sid\nRUN apt-get install -y xz-utils liblzma5\n'],
  ['another package at 5.6.1', 'FROM debian:sid\nRUN apt-get install -y libfoo=5.6.1-1\n'],
];

for (const [name, text] of traps) {
  test(`does not flag ${name}`, () => {
    assert.deepEqual(analyze(path, text, defaultSettings, { uri }), []);
  });
}

test('offers no edit for a tarball URL its checksum guards, and says why', () => {
  const text = [
    'FROM debian:bookworm',
    'ARG V=5.6.0',
    'RUN curl -LO https://github.com/tukaani-project/xz/releases/download/v$V/xz-$V.tar.xz \\',
    ' && echo "cdafe1632f139c82937cc1ed824f7a60b7b0a0619dfbbd681dcac02b1ac28f5b  xz-$V.tar.xz" | sha256sum -c -',
    '',
  ].join('\n');
  const findings = analyze(path, text, defaultSettings, { uri });
  assert.deepEqual(findings.map((f) => [f.code, f.severity, f.reference.kind, f.fixes.length]), [
    ['compromised-artifact', 'error', 'url', 0],
    ['compromised-artifact', 'error', 'sha256', 0],
  ]);
  assert.match(findings[0]!.message, /Not fixed automatically: the checksum that guards it would no longer match/);
});

test('fixes an unguarded tarball URL at its ARG', () => {
  const before = 'FROM debian:bookworm\nARG V=5.6.1\nRUN wget https://github.com/tukaani-project/xz/releases/download/v${V}/xz-${V}.tar.gz\n';
  const findings = analyze(path, before, defaultSettings, { uri });
  assert.deepEqual(findings.map((f) => [f.code, f.severity]), [['compromised-artifact', 'error']]);
  assert.equal(fixed(before, findings[0]!), before.replace('ARG V=5.6.1', 'ARG V=5.6.2'));
});

test('warns about a base image dated into the sid window, and not about one dated after it', () => {
  const inside = analyze(path, 'FROM debian:sid-20240311-slim\n', defaultSettings, { uri });
  assert.deepEqual(inside.map((f) => [f.code, f.severity, f.reference.kind]), [['image-in-compromise-window', 'warning', 'image']]);
  assert.deepEqual(analyze(path, 'FROM debian:sid-20240330-slim\n', defaultSettings, { uri }), []);
  assert.deepEqual(analyze(path, 'FROM debian:sid-20240311-slim\n', { ...defaultSettings, imageWindows: false }, { uri }), []);
});

test('settings: ignored advisories are dropped and warnings take the configured severity', () => {
  const text = 'FROM kalilinux/kali-rolling\nRUN apt-get install -y xz-utils=5.6.1-1\n';
  assert.deepEqual(analyze(path, text, { ...defaultSettings, ignore: ['CVE-2024-3094'] }, { uri }), []);
  assert.deepEqual(analyze(path, text, { ...defaultSettings, warningSeverity: 'error' }, { uri }).map((f) => f.severity), ['error']);
});

test('a recipe that builds the release its distribution lists as fixed reports its tarball as information only', () => {
  const recipe = (pkgrel: number): string => [
    'pkgname=xz',
    'pkgver=5.6.1',
    `pkgrel=${pkgrel}`,
    'source="https://github.com/tukaani-project/xz/releases/download/v$pkgver/xz-$pkgver.tar.xz"',
    'sha256sums="f334777310ca3ae9ba07206d78ed286a655aa3f44eec27854f740c26b2cd2ed0  xz-5.6.1.tar.xz"',
    '',
  ].join('\n');
  const shape = (text: string): string[][] => analyze('/aports/xz/APKBUILD', text, defaultSettings).map((f) => [f.code, f.severity, f.reference.kind]);
  assert.deepEqual(shape(recipe(1)), [
    ['compromised-version', 'error', 'package'],
    ['compromised-artifact', 'error', 'url'],
    ['compromised-artifact', 'error', 'sha256'],
  ]);
  for (const pkgrel of [2, 3]) {
    assert.deepEqual(shape(recipe(pkgrel)), [
      ['compromised-artifact', 'info', 'url'],
      ['compromised-artifact', 'info', 'sha256'],
    ], `pkgrel=${pkgrel}`);
  }
});

test('a git commit pin is reported without an edit: a commit names no release to move to', () => {
  const text = 'pkgname=xz\npkgver=5.6.1\npkgrel=9\nsource=("git+https://github.com/tukaani-project/xz.git#commit=fd1b975b7851e081ed6e5cf63df946cd5cbdbb94")\nsha256sums=(\'SKIP\')\n';
  const findings = analyze('/arch/xz/PKGBUILD', text, defaultSettings);
  assert.deepEqual(findings.map((f) => [f.code, f.severity, f.reference.kind, f.fixes.length]), [['compromised-artifact', 'info', 'git-tag', 0]]);
});

test('a range is reported only when its floor is compromised or it admits no safe release', () => {
  const manifest = (deps: Record<string, string>): string => JSON.stringify({ name: 'm', dependencies: deps }, null, 2);
  const shape = (deps: Record<string, string>): string[][] =>
    analyze('/m/package.json', manifest(deps), defaultSettings).map((f) => [(f.reference as { name: string }).name, f.code, f.severity]);
  assert.deepEqual(shape({ chalk: '^5.6.1', debug: '^4.4.2' }), [['chalk', 'range-admits-compromised', 'warning'], ['debug', 'range-admits-compromised', 'warning']]);
  // Each admits a compromised release, but resolves to a safe one today (debug names no safe release at all).
  assert.deepEqual(shape({ chalk: '^5.0.0', debug: '^4.4.1', 'ua-parser-js': '~0.7.20' }), []);
  assert.deepEqual(shape({ 'ua-parser-js': '>=0.7.29 <0.7.30' }), [['ua-parser-js', 'range-admits-compromised', 'warning']]);
});

test('safe versions are offered nearest first: same release line, then the smallest upgrade, then the largest downgrade', () => {
  const lock = (name: string, version: string): string => JSON.stringify({ lockfileVersion: 3, packages: { '': {}, [`node_modules/${name}`]: { version } } });
  const safeOf = (name: string, version: string): string[][] => analyze('/p/package-lock.json', lock(name, version), defaultSettings).map((f) => f.safe);
  assert.deepEqual(safeOf('node-ipc', '11.0.0'), [['10.1.0', '9.2.1']]);
  assert.deepEqual(safeOf('ua-parser-js', '1.0.0'), [['1.0.1', '0.8.1', '0.7.30']]);
  assert.deepEqual(safeOf('event-stream', '3.3.6'), [['3.3.4', '4.0.0']]);
  assert.deepEqual(safeOf('flatmap-stream', '0.1.0'), [[]], 'every flatmap-stream release is malicious');
});

test('any constraint on flatmap-stream is reported: every release of it is malicious', () => {
  const findings = analyze('/m/package.json', JSON.stringify({ dependencies: { 'flatmap-stream': '^0.1.0', other: '*' } }), defaultSettings);
  assert.deepEqual(findings.map((f) => [(f.reference as { name: string }).name, f.code, f.severity]), [['flatmap-stream', 'range-admits-compromised', 'warning']]);
});

test('Cargo.lock and requirements.txt pins reach the engine; their traps stay silent', () => {
  const lock = (version: string): string => `version = 3\n\n[[package]]\nname = "liblzma-sys"\nversion = "${version}"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n`;
  assert.deepEqual(analyze('/r/Cargo.lock', lock('0.3.1'), defaultSettings).map((f) => [f.code, f.severity, f.safe]), [['compromised-version', 'error', ['0.3.3']]]);
  assert.deepEqual(analyze('/r/Cargo.lock', lock('0.3.3'), defaultSettings), []);
  assert.deepEqual(analyze('/p/requirements.txt', 'ultralytics==8.3.41\n', defaultSettings).map((f) => [f.code, f.severity]), [['compromised-version', 'error']]);
  assert.deepEqual(analyze('/p/requirements.txt', 'ultralytics==8.3.47\ntorchtriton==2.0.0\n', defaultSettings), []);
});
