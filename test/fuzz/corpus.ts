/**
 * The fuzzer's seeds: every fixture under test/fixtures/ and every file under examples/, by the format that reads
 * it (a fixture folder named for a format counts as that format, whatever its files are called), plus a few
 * written here so each format has seeds whose findings carry fixes.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { formatFor } from '../../server/src/formats/index';

/** The formats the fuzzer drives, by a short key, with the path each input is analysed as. */
export const fuzzFormats = {
  dockerfile: '/fuzz/app/Dockerfile',
  apkbuild: '/fuzz/app/APKBUILD',
  pkgbuild: '/fuzz/app/PKGBUILD',
  'package-lock': '/fuzz/app/package-lock.json',
  'package-json': '/fuzz/app/package.json',
  requirements: '/fuzz/app/requirements.txt',
  'cargo-lock': '/fuzz/app/Cargo.lock',
  'conanfile-txt': '/fuzz/app/conanfile.txt',
  'conanfile-py': '/fuzz/app/conanfile.py',
  conandata: '/fuzz/app/conandata.yml',
  'conan-lock': '/fuzz/app/conan.lock',
  vcpkg: '/fuzz/app/vcpkg.json',
  cmake: '/fuzz/app/CMakeLists.txt',
  'meson-wrap': '/fuzz/app/subprojects/xz.wrap',
  bazel: '/fuzz/app/WORKSPACE',
  makefile: '/fuzz/app/Makefile',
  'shell-script': '/fuzz/app/build.sh',
  gitmodules: '/fuzz/app/.gitmodules',
} as const;

export type FormatKey = keyof typeof fuzzFormats;

/** The format key of each format id. */
const keyOfId: Record<string, FormatKey> = {
  'docker/Dockerfile': 'dockerfile',
  'alpine/APKBUILD': 'apkbuild',
  'arch/PKGBUILD': 'pkgbuild',
  'npm/package-lock.json': 'package-lock',
  'npm/package.json': 'package-json',
  'pypi/requirements.txt': 'requirements',
  'cargo/Cargo.lock': 'cargo-lock',
  'conan/conan.lock': 'conan-lock',
  'vcpkg/vcpkg.json': 'vcpkg',
  'cmake/CMakeLists.txt': 'cmake',
  'meson/wrap': 'meson-wrap',
  'bazel/starlark': 'bazel',
  'make/Makefile': 'makefile',
  'shell/script': 'shell-script',
  'git/.gitmodules': 'gitmodules',
};

/** Formats that read files of different grammars, by basename. */
const keyOfBase: Record<string, FormatKey> = { 'conanfile.txt': 'conanfile-txt', 'conanfile.py': 'conanfile-py', 'conandata.yml': 'conandata' };

/** Fixture folders whose files are of one format whatever their names. */
const folderFormats: Record<string, FormatKey> = {
  dockerfile: 'dockerfile',
  apkbuild: 'apkbuild',
  pkgbuild: 'pkgbuild',
  'package-lock': 'package-lock',
  requirements: 'requirements',
  'cargo-lock': 'cargo-lock',
};

/** One seed: where it came from and its text. */
export interface Seed {
  name: string;
  text: string;
}

const written: Record<FormatKey, string[]> = {
  dockerfile: [
    'FROM debian:sid-20240330\nARG XZ_VER=5.6.1-1\nRUN apt-get update && apt-get install -y xz-utils=${XZ_VER} liblzma5=5.6.0-0.1\n',
    'FROM alpine:edge\nRUN apk add --no-cache xz=5.6.1-r1 xz-libs=5.6.1-r0\nADD https://github.com/tukaani-project/xz/releases/download/v5.6.1/xz-5.6.1.tar.gz /src/\nRUN npm install -g chalk@5.6.1 debug@4.4.2\n',
  ],
  apkbuild: ['pkgname=xz\npkgver=5.6.1\npkgrel=0\nsource="https://github.com/tukaani-project/xz/releases/download/v$pkgver/xz-$pkgver.tar.gz"\nsha512sums="00  xz-$pkgver.tar.gz"\n'],
  pkgbuild: ["pkgname=xz\npkgver=5.6.1\npkgrel=1\nsource=(\"https://github.com/tukaani-project/xz/releases/download/v${pkgver}/xz-${pkgver}.tar.gz\")\ndepends=('xz=5.6.1')\n"],
  'package-lock': [
    '{\n  "name": "app",\n  "lockfileVersion": 3,\n  "packages": {\n    "": { "dependencies": { "chalk": "^5.6.0" } },\n    "node_modules/chalk": { "version": "5.6.1" },\n    "node_modules/debug": { "version": "4.4.2" },\n    "node_modules/a/node_modules/ansi-styles": { "version": "6.2.2" }\n  }\n}\n',
  ],
  'package-json': [
    '{\n  "name": "app",\n  "dependencies": { "chalk": "5.6.1", "debug": "^4.4.0", "alias": "npm:ua-parser-js@0.7.29" },\n  "devDependencies": { "event-stream": "3.3.6" },\n  "overrides": { "nx": "21.5.0" }\n}\n',
  ],
  requirements: ['xz==5.6.1\nultralytics==8.3.41 --hash=sha256:00\nnum2words==0.5.15 ; python_version >= "3.8"\n-r other.txt\nrequests>=2.0\n'],
  'cargo-lock': ['version = 3\n\n[[package]]\nname = "liblzma-sys"\nversion = "0.3.2"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\nchecksum = "00"\n'],
  'conanfile-txt': ['[requires]\nxz_utils/5.6.1 # c\nzlib/1.3.1\n[tool_requires]\nxz_utils/[>=5.6.0 <5.7]\n'],
  'conanfile-py': ['class A(ConanFile):\n    requires = "xz_utils/5.6.0", ("zlib/1.3.1")\n    def requirements(self):\n        self.requires("xz_utils/5.6.1", force=True)  # x\n        self.tool_requires(\'\'\'xz_utils/5.6.0\'\'\')\n'],
  conandata: ['sources:\n  "5.6.1":\n    url:\n      - "https://tukaani.org/xz/xz-5.6.1.tar.gz"\n    sha256: "2398f4a8e53345325f44bdd9f0cc7401bd9025d736c6d43b372f4dea77bf75b8"\n  "5.6.0":\n    url: "https://tukaani.org/xz/xz-5.6.0.tar.gz"\n'],
  'conan-lock': ['{\n  "version": "0.5",\n  "requires": ["xz_utils/5.6.1#ee45ab04a1e1b5ec29b4ac1d3f46ea93%1710262853.72", "zlib/1.3.1"],\n  "build_requires": []\n}\n'],
  vcpkg: ['{\n  "dependencies": ["liblzma", { "name": "liblzma", "version>=": "5.6.0" }],\n  "overrides": [{ "name": "liblzma", "version": "5.6.0" }],\n  "builtin-baseline": "0ddcda32f1ebbeaea6df7e82024a19ea53192c11"\n}\n'],
  cmake: ['set(V 5.6.1)\nFetchContent_Declare(xz URL https://tukaani.org/xz/xz-${V}.tar.gz)\nExternalProject_Add(g GIT_REPOSITORY https://github.com/tukaani-project/xz.git GIT_TAG "v5.6.0") #[[ c ]]\nmessage([=[ x ]=])\n'],
  'meson-wrap': ['[wrap-file]\ndirectory = xz-5.6.0\nsource_url = https://tukaani.org/xz/xz-5.6.0.tar.gz\n\n[wrap-git]\nurl = https://github.com/tukaani-project/xz.git\nrevision = v5.6.1\n'],
  bazel: ['http_archive(\n    name = "xz",\n    urls = ["https://tukaani.org/xz/xz-5.6.1.tar.gz"],\n)\ngit_repository(name = "g", remote = "https://github.com/tukaani-project/xz.git", tag = "v5.6.0")  # c\n'],
  makefile: ['V := 5.6.1\nU = https://tukaani.org/xz/xz-$(V).tar.gz\nall:\n\tcurl -LO $(U) && \\\n\t  apt-get install -y xz-utils=5.6.1-1\n'],
  'shell-script': ['#!/bin/sh\nV=5.6.1\ncurl -LO "https://tukaani.org/xz/xz-${V}.tar.gz"\napk add xz=5.6.1-r1\ngit clone --branch v5.6.0 https://github.com/tukaani-project/xz.git\n'],
  gitmodules: ['[submodule "xz"]\n\tpath = xz\n\turl = https://github.com/tukaani-project/xz.git\n\tbranch = v5.6.1\n'],
};

/** Every seed of every format: the fixtures and examples that format reads, then the written ones. */
export function seeds(root: string): Record<FormatKey, Seed[]> {
  const out = Object.fromEntries(Object.keys(fuzzFormats).map((key) => [key, [] as Seed[]])) as Record<FormatKey, Seed[]>;
  const add = (path: string, key: FormatKey | undefined): void => {
    if (key) out[key].push({ name: relative(root, path), text: readFileSync(path, 'utf8') });
  };
  for (const path of files(join(root, 'test', 'fixtures'))) {
    const rel = relative(join(root, 'test', 'fixtures'), path).split('/');
    // Regression fixtures are checked by the fuzz test itself, not mutated.
    if (rel[0] === 'fuzz') continue;
    const id = formatFor(path)?.id;
    add(path, folderFormats[rel[0]!] ?? keyOfBase[rel[rel.length - 1]!] ?? (id === undefined ? undefined : keyOfId[id]));
  }
  for (const path of files(join(root, 'examples'))) {
    const id = formatFor(path)?.id;
    add(path, id === undefined ? undefined : keyOfId[id]);
  }
  for (const [key, texts] of Object.entries(written)) texts.forEach((text, i) => out[key as FormatKey].push({ name: `written:${key}:${i}`, text }));
  return out;
}

function files(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? files(path) : [path];
    });
}
