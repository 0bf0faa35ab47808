/**
 * Generated source trees for the scan benchmark: deterministic folders of files, most of them sources Pinwatch
 * does not read, the rest the files it does (Dockerfiles, APKBUILDs, package.json with its lockfile,
 * requirements.txt), some of them under node_modules (which the walk skips), and a few with compromised pins
 * written by hand, so that a scan has something to find and much to walk past.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateDockerfile } from './dockerfiles';
import { generateLockfile } from './lockfiles';

/** What a generated tree holds. */
export interface GeneratedTree {
  root: string;
  files: number;
  /** Files a format reads, outside node_modules: what the scan analyses. */
  read: number;
}

/**
 * Writes a tree of `files` files under `root`: 70 % unrelated sources, the rest files a format reads (a tenth of
 * those under node_modules), in folders of about 20 entries. The same text for the same count.
 */
export function generateTree(root: string, files: number): GeneratedTree {
  let written = 0;
  let read = 0;
  let folder = 0;
  const lock = withCompromised(generateLockfile(300));
  while (written < files) {
    const dir = join(root, `pkg${Math.floor(folder / 50)}`, `mod${folder}`);
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < 20 && written < files; i++, written++) {
      const n = written;
      if (n % 10 < 7) {
        writeFileSync(join(dir, `file${i}.${['ts', 'js', 'md', 'py', 'c', 'go', 'json'][n % 7]}`), sourceText(n));
        continue;
      }
      // The files a format reads are numbered on their own, so that the few compromised pins (every few
      // hundred of them) land in files of each kind.
      const k = read;
      const kind = n % 30;
      const inModules = n % 97 === 7;
      const target = inModules ? join(dir, 'node_modules', `dep${i}`) : join(dir, `app${i}`);
      mkdirSync(target, { recursive: true });
      if (!inModules) read++;
      if (kind < 10) {
        writeFileSync(join(target, 'Dockerfile'), dockerfile(k));
      } else if (kind < 20) {
        writeFileSync(join(target, 'APKBUILD'), apkbuild(k));
      } else if (kind < 25) {
        writeFileSync(join(target, 'package.json'), packageJson(k));
      } else if (kind < 28) {
        // A lockfile beside its manifest: two files a format reads.
        // One lockfile in a few hundred is a real-sized one (300 entries, with compromised pins).
        writeFileSync(join(target, 'package-lock.json'), k % 300 === 7 ? lock.lockfile : smallLock(k));
        writeFileSync(join(target, 'package.json'), k % 300 === 7 ? lock.packageJson : packageJson(k));
        written++;
        if (!inModules) read++;
      } else {
        writeFileSync(join(target, 'requirements.txt'), requirements(k));
      }
    }
    folder++;
  }
  return { root, files: written, read };
}

/** Writes `count` APKBUILDs under `root/main/<name>/APKBUILD`, as aports lays them out. */
export function generateAports(root: string, count: number): GeneratedTree {
  for (let n = 0; n < count; n++) {
    const dir = join(root, ['main', 'community', 'testing'][n % 3]!, `pkg-${n}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'APKBUILD'), apkbuild(n));
  }
  return { root, files: count, read: count };
}

/**
 * Writes `count` packaging specs, a third each: RPM specs (`rpms/<name>/<name>.spec`), Gentoo ebuilds
 * (`<category>/<name>/<name>-<version>.ebuild`) and Homebrew formulae (`Formula/<letter>/<name>.rb`), as the
 * distributions lay them out (each under a folder of its own); one in 301 is xz at a compromised release.
 */
export function generateSpecs(root: string, count: number): GeneratedTree {
  for (let n = 0; n < count; n++) {
    const xz = n % 301 === 17;
    const name = xz ? 'xz' : `lib${['foo', 'bar', 'baz', 'qux', 'zap'][n % 5]}${n}`;
    const version = xz ? '5.6.1' : `${1 + (n % 9)}.${n % 23}.${n % 7}`;
    const kind = n % 3;
    // Each under a folder of its own number, so that the xz packages never share a path.
    const dir = kind === 0 ? join(root, 'rpms', String(n), name) : kind === 1 ? join(root, 'portage', String(n), ['app-arch', 'dev-libs', 'sys-apps'][n % 3]!, name) : join(root, 'homebrew', String(n), 'Formula', name[0]!);
    mkdirSync(dir, { recursive: true });
    const file = kind === 0 ? `${name}.spec` : kind === 1 ? `${name}-${version}.ebuild` : `${name}.rb`;
    writeFileSync(join(dir, file), kind === 0 ? rpmSpec(name, version, n) : kind === 1 ? ebuild(name, version, n) : formula(name, version, n));
  }
  return { root, files: count, read: count };
}

function hexOf(seed: number, length: number): string {
  return Array.from({ length }, (_, i) => '0123456789abcdef'[(seed * 31 + i * 7) % 16]).join('');
}

function rpmSpec(name: string, version: string, n: number): string {
  return `%global debug_package %{nil}
Name:           ${name}
Version:        ${version}
Release:        ${1 + (n % 3)}%{?dist}
Summary:        A generated package for the scan benchmark
License:        MIT
URL:            https://example.org/%{name}
Source0:        https://example.org/releases/%{name}-%{version}.tar.xz
BuildRequires:  gcc make autoconf
Requires:       glibc >= 2.${n % 40}

%description
A generated package for the scan benchmark, number ${n}.

%prep
%autosetup -n %{name}-%{version}

%build
%configure --disable-static
%make_build

%install
%make_install
rm -f %{buildroot}%{_libdir}/*.la

%files
%license COPYING
%{_libdir}/lib%{name}.so.*

%changelog
* Mon Jan 01 2024 Someone <someone@example.org> - ${version}-1
- Generated
`;
}

function ebuild(name: string, _version: string, n: number): string {
  return `# Copyright 2024 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

EAPI=8

DESCRIPTION="A generated package for the scan benchmark"
HOMEPAGE="https://example.org/${name}"
SRC_URI="https://example.org/releases/\${P}.tar.xz"

LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64 ~arm64"
IUSE="static-libs"

DEPEND=">=sys-libs/zlib-1.${n % 3}"
RDEPEND="\${DEPEND}"

src_configure() {
	econf $(use_enable static-libs static)
}
`;
}

function formula(name: string, version: string, n: number): string {
  const cls = name.replace(/(^|[-_])(\w)/g, (_m, _p, c: string) => c.toUpperCase());
  return `class ${cls} < Formula
  desc "A generated package for the scan benchmark"
  homepage "https://example.org/${name}"
  url "https://example.org/releases/${name}-${version}.tar.gz"
  sha256 "${hexOf(n, 64)}"
  license "MIT"

  bottle do
    sha256 cellar: :any, arm64_sonoma: "${hexOf(n + 1, 64)}"
    sha256 cellar: :any, x86_64_linux: "${hexOf(n + 2, 64)}"
  end

  depends_on "pkgconf" => :build

  def install
    system "./configure", *std_configure_args
    system "make", "install"
  end

  test do
    system bin/"${name}", "--version"
  end
end
`;
}

/**
 * The files a generated tree holds that a format reads, in memory: `count` of each kind (Dockerfile, APKBUILD,
 * package.json, package-lock.json, requirements.txt), each under its own folder name, for tests.
 */
export function generatedFiles(count: number): Array<{ path: string; text: string }> {
  const files: Array<{ path: string; text: string }> = [];
  for (let n = 0; n < count; n++) {
    files.push(
      { path: `/tree/d${n}/Dockerfile`, text: dockerfile(n) },
      { path: `/tree/a${n}/APKBUILD`, text: apkbuild(n) },
      { path: `/tree/p${n}/package.json`, text: packageJson(n) },
      { path: `/tree/l${n}/package-lock.json`, text: smallLock(n) },
      { path: `/tree/r${n}/requirements.txt`, text: requirements(n) },
    );
  }
  return files;
}

/**
 * The lockfile with eight releases of the chalk/debug hijack planted in it: `--fix` adds one override to its
 * package.json per pass, so it takes eight passes.
 */
function withCompromised(lock: { packageJson: string; lockfile: string }): { packageJson: string; lockfile: string } {
  const parsed = JSON.parse(lock.lockfile) as { packages: Record<string, unknown> };
  const bad = { debug: '4.4.2', chalk: '5.6.1', 'ansi-styles': '6.2.2', 'supports-color': '10.2.1', 'strip-ansi': '7.1.1', 'ansi-regex': '6.2.1', 'wrap-ansi': '9.0.1', 'color-convert': '3.1.1' };
  for (const [name, version] of Object.entries(bad)) parsed.packages[`node_modules/${name}`] = { version, resolved: `https://registry.npmjs.org/${name}/-/${name}-${version}.tgz`, license: 'MIT' };
  return { packageJson: lock.packageJson, lockfile: `${JSON.stringify(parsed, null, 2)}\n` };
}

function sourceText(n: number): string {
  const lines: string[] = [`// generated source ${n}`];
  for (let i = 0; i < 40 + (n % 60); i++) lines.push(`export function f${i}(x: number): number { return x * ${i} + ${n % 13}; } // xz lzma curl`);
  return `${lines.join('\n')}\n`;
}

const DOCKER_SNIPPETS = [
  'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates\n',
  'FROM node:20-alpine\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nCMD ["node", "server.js"]\n',
  'FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.txt\n',
  'FROM alpine:3.19\nRUN apk add --no-cache bash curl git\n',
  'FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /app\nFROM gcr.io/distroless/base\nCOPY --from=build /app /app\n',
];

function dockerfile(n: number): string {
  if (n % 200 === 3) return 'FROM debian:sid\nRUN apt-get update && apt-get install -y xz-utils=5.6.0-0.2 liblzma5=5.6.0-0.2\n';
  if (n % 50 === 1) return generateDockerfile(40 + (n % 80));
  return DOCKER_SNIPPETS[n % DOCKER_SNIPPETS.length]!;
}

function apkbuild(n: number): string {
  const name = n % 300 === 11 ? 'xz' : `lib${['foo', 'bar', 'baz', 'qux', 'zap'][n % 5]}${n}`;
  const version = name === 'xz' ? '5.6.1' : `${1 + (n % 9)}.${n % 23}.${n % 7}`;
  // As in aports, many sources are xz-compressed tarballs: a file name that holds `xz` though the package is not xz.
  const ext = n % 5 < 2 ? 'xz' : 'gz';
  const hash = (seed: number): string => Array.from({ length: 128 }, (_, i) => '0123456789abcdef'[(seed * 31 + i * 7) % 16]).join('');
  return `# Contributor: Someone <someone@example.org>
# Maintainer: Someone <someone@example.org>
pkgname=${name}
pkgver=${version}
pkgrel=${n % 4}
pkgdesc="A generated package for the scan benchmark"
url="https://example.org/${name}"
arch="all"
license="MIT"
depends="musl"
makedepends="autoconf automake libtool linux-headers"
subpackages="$pkgname-dev $pkgname-doc"
source="https://example.org/releases/$pkgname-$pkgver.tar.${ext}
	fix-build.patch
	"
builddir="$srcdir/$pkgname-$pkgver"

prepare() {
	default_prepare
	update_config_sub
}

build() {
	./configure \\
		--build=$CBUILD \\
		--host=$CHOST \\
		--prefix=/usr \\
		--sysconfdir=/etc \\
		--disable-static
	make
}

check() {
	make check
}

package() {
	make DESTDIR="$pkgdir" install
}

sha512sums="
${hash(n)}  $pkgname-$pkgver.tar.${ext}
${hash(n + 1)}  fix-build.patch
"
`;
}

function packageJson(n: number): string {
  const deps: Record<string, string> = {};
  const names = ['react', 'lodash', 'express', 'typescript', 'vite', 'zod', 'axios', 'commander', 'debug', 'chalk', 'semver', 'yargs'];
  for (let i = 0; i < 8 + (n % 30); i++) deps[`${names[i % names.length]}${i >= names.length ? `-${i}` : ''}`] = i % 3 === 0 ? `${1 + (i % 5)}.${i}.0` : `^${1 + (i % 5)}.${i}.0`;
  if (n % 150 === 21) deps['chalk'] = '5.6.1';
  return `${JSON.stringify({ name: `app-${n}`, version: '1.0.0', private: true, dependencies: deps, devDependencies: { eslint: '^9.0.0', prettier: '3.3.3' } }, null, 2)}\n`;
}

function smallLock(n: number): string {
  const packages: Record<string, unknown> = { '': { name: `app-${n}`, version: '1.0.0', dependencies: { react: '^1.0.0' } } };
  for (let i = 0; i < 20; i++) packages[`node_modules/dep-${n}-${i}`] = { version: `1.${i}.0`, resolved: `https://registry.npmjs.org/dep-${n}-${i}/-/dep-${n}-${i}-1.${i}.0.tgz`, integrity: 'sha512-AAAA' };
  return `${JSON.stringify({ name: `app-${n}`, version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`;
}

function requirements(n: number): string {
  const lines = ['# generated', 'requests==2.32.3', 'flask>=3.0', 'numpy==1.26.4', `django==${4 + (n % 2)}.2.${n % 10}`, 'pyyaml~=6.0'];
  if (n % 100 === 29) lines.push('ultralytics==8.3.41');
  return `${lines.join('\n')}\n`;
}
