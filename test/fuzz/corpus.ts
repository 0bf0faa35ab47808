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
  'yarn-lock': '/fuzz/app/yarn.lock',
  'pnpm-lock': '/fuzz/app/pnpm-lock.yaml',
  'bun-lock': '/fuzz/app/bun.lock',
  'github-workflow': '/fuzz/app/.github/workflows/ci.yml',
  'gitlab-ci': '/fuzz/app/.gitlab-ci.yml',
  compose: '/fuzz/app/compose.yaml',
  'helm-values': '/fuzz/app/values.yaml',
  devcontainer: '/fuzz/app/.devcontainer/devcontainer.json',
  kubernetes: '/fuzz/app/deployment.yaml',
  'cyclonedx-json': '/fuzz/app/bom.json',
  'cyclonedx-xml': '/fuzz/app/bom.xml',
  'spdx-json': '/fuzz/app/app.spdx.json',
  'spdx-tag': '/fuzz/app/app.spdx',
  'dpkg-status': '/fuzz/root/var/lib/dpkg/status',
  'apk-installed': '/fuzz/root/lib/apk/db/installed',
  'pacman-desc': '/fuzz/root/var/lib/pacman/local/xz-5.6.1-1/desc',
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
  pyproject: '/fuzz/app/pyproject.toml',
  'poetry-lock': '/fuzz/app/poetry.lock',
  'uv-lock': '/fuzz/app/uv.lock',
  'pdm-lock': '/fuzz/app/pdm.lock',
  pylock: '/fuzz/app/pylock.toml',
  pipfile: '/fuzz/app/Pipfile',
  'pipfile-lock': '/fuzz/app/Pipfile.lock',
  'setup-cfg': '/fuzz/app/setup.cfg',
  'conda-environment': '/fuzz/app/environment.yml',
  'debian-changelog': '/fuzz/app/debian/changelog',
  'debian-control': '/fuzz/app/debian/control',
  dsc: '/fuzz/app/xz-utils_5.6.1-1.dsc',
  nix: '/fuzz/app/package.nix',
  'flake-lock': '/fuzz/app/flake.lock',
  formula: '/fuzz/app/Formula/x/xz.rb',
  portfile: '/fuzz/app/Portfile',
  'cargo-toml': '/fuzz/app/Cargo.toml',
  'gemfile-lock': '/fuzz/app/Gemfile.lock',
  gemfile: '/fuzz/app/Gemfile',
  gemspec: '/fuzz/app/app.gemspec',
  'go-mod': '/fuzz/app/go.mod',
  'go-work': '/fuzz/app/go.work',
  'nuget-project': '/fuzz/app/App.csproj',
  'packages-config': '/fuzz/app/packages.config',
  'nuget-lock': '/fuzz/app/packages.lock.json',
  pom: '/fuzz/app/pom.xml',
  'gradle-lockfile': '/fuzz/app/gradle.lockfile',
  'version-catalog': '/fuzz/app/gradle/libs.versions.toml',
  'build-gradle': '/fuzz/app/build.gradle',
  'rpm-spec': '/fuzz/app/xz.spec',
  ebuild: '/fuzz/app-arch/xz-utils/xz-utils-5.6.1.ebuild',
  'portage-list': '/fuzz/etc/portage/package.accept_keywords',
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
  'yarn/yarn.lock': 'yarn-lock',
  'pnpm/pnpm-lock.yaml': 'pnpm-lock',
  'bun/bun.lock': 'bun-lock',
  'github/workflow': 'github-workflow',
  'gitlab/.gitlab-ci.yml': 'gitlab-ci',
  'docker/compose': 'compose',
  'helm/values.yaml': 'helm-values',
  'devcontainer/devcontainer.json': 'devcontainer',
  'kubernetes/manifest': 'kubernetes',
  'cyclonedx/json': 'cyclonedx-json',
  'cyclonedx/xml': 'cyclonedx-xml',
  'spdx/json': 'spdx-json',
  'spdx/tag-value': 'spdx-tag',
  'debian/dpkg-status': 'dpkg-status',
  'alpine/apk-installed': 'apk-installed',
  'arch/pacman-desc': 'pacman-desc',
  'conan/conan.lock': 'conan-lock',
  'vcpkg/vcpkg.json': 'vcpkg',
  'cmake/CMakeLists.txt': 'cmake',
  'meson/wrap': 'meson-wrap',
  'bazel/starlark': 'bazel',
  'make/Makefile': 'makefile',
  'shell/script': 'shell-script',
  'git/.gitmodules': 'gitmodules',
  'pypi/pyproject.toml': 'pyproject',
  'pypi/poetry.lock': 'poetry-lock',
  'pypi/uv.lock': 'uv-lock',
  'pypi/pdm.lock': 'pdm-lock',
  'pypi/pylock.toml': 'pylock',
  'pypi/Pipfile': 'pipfile',
  'pypi/Pipfile.lock': 'pipfile-lock',
  'pypi/setup.cfg': 'setup-cfg',
  'conda/environment.yml': 'conda-environment',
  'debian/changelog': 'debian-changelog',
  'debian/control': 'debian-control',
  'debian/dsc': 'dsc',
  'nix/expression': 'nix',
  'nix/flake.lock': 'flake-lock',
  'homebrew/formula': 'formula',
  'macports/Portfile': 'portfile',
  'cargo/Cargo.toml': 'cargo-toml',
  'ruby/Gemfile.lock': 'gemfile-lock',
  'ruby/Gemfile': 'gemfile',
  'ruby/gemspec': 'gemspec',
  'go/go.mod': 'go-mod',
  'go/go.work': 'go-work',
  'nuget/project': 'nuget-project',
  'nuget/packages.config': 'packages-config',
  'nuget/packages.lock.json': 'nuget-lock',
  'maven/pom.xml': 'pom',
  'gradle/gradle.lockfile': 'gradle-lockfile',
  'gradle/libs.versions.toml': 'version-catalog',
  'gradle/build.gradle': 'build-gradle',
  'rpm/spec': 'rpm-spec',
  'gentoo/ebuild': 'ebuild',
  'gentoo/portage': 'portage-list',
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
  'yarn-lock': 'yarn-lock',
  'pnpm-lock': 'pnpm-lock',
  'bun-lock': 'bun-lock',
  github: 'github-workflow',
  gitlab: 'gitlab-ci',
  compose: 'compose',
  helm: 'helm-values',
  devcontainer: 'devcontainer',
  kubernetes: 'kubernetes',
  rpm: 'rpm-spec',
  ebuild: 'ebuild',
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
  'yarn-lock': ['# yarn lockfile v1\n\n\nchalk@^5.6.0:\n  version "5.6.1"\n  resolved "https://registry.yarnpkg.com/chalk/-/chalk-5.6.1.tgz"\n\ndebug@4:\n  version "4.4.2"\n'],
  'pnpm-lock': ["lockfileVersion: '9.0'\n\nimporters:\n  .:\n    dependencies:\n      chalk:\n        specifier: ^5.6.0\n        version: 5.6.1\n\npackages:\n  chalk@5.6.1:\n    resolution: {integrity: sha512-00}\n\nsnapshots:\n  chalk@5.6.1: {}\n"],
  'bun-lock': ['{\n  "lockfileVersion": 1,\n  "workspaces": { "": { "name": "app", "dependencies": { "chalk": "^5.6.0" } } },\n  "packages": {\n    "chalk": ["chalk@5.6.1", "", {}, "sha512-00"],\n  }\n}\n'],
  'github-workflow': ['on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    container: debian:sid-20240330\n    steps:\n      - uses: tj-actions/changed-files@0e58ed8671d6b60d0890c21b07f8835ace038e67 # v44\n      - run: |\n          apt-get install -y xz-utils=5.6.1-1\n          npm install chalk@5.6.1\n'],
  'gitlab-ci': ['build:\n  image: alpine:edge\n  script:\n    - apk add xz=5.6.1-r1\n    - npm i debug@4.4.2\n'],
  compose: ['services:\n  app:\n    image: debian:sid-20240330\n    build:\n      context: .\n      args:\n        XZ_VER: 5.6.1-1\n'],
  'helm-values': ['image:\n  repository: debian\n  tag: sid-20240330\n'],
  devcontainer: ['{\n  // a comment\n  "image": "debian:sid-20240330",\n  "build": { "args": { "XZ_VER": "5.6.1-1" } }\n}\n'],
  kubernetes: ['apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n    - name: a\n      image: debian:sid-20240330\n---\napiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      initContainers:\n        - image: alpine:edge\n'],
  'rpm-spec': ['%global dist .fc40\nName: xz\nVersion: 5.6.0\nRelease: 1%{?dist}\nSource0: https://github.com/tukaani-project/xz/releases/download/v%{version}/xz-%{version}.tar.gz\nRequires: xz-libs = 5.6.0-2.fc40\n%build\ndnf install -y xz-devel-5.6.0-1.fc40\n'],
  ebuild: ['EAPI=8\nMY_P="${PN/-utils}-${PV}"\nSRC_URI="https://github.com/tukaani-project/xz/releases/download/v${PV}/${MY_P}.tar.gz"\nRDEPEND="=app-arch/xz-utils-5.6.0"\n'],
  'portage-list': ['=app-arch/xz-utils-5.6.1 ~amd64\n# a comment\n>=app-arch/xz-utils-5.6.0\napp-arch/xz-utils\n'],
  'cargo-lock': ['version = 3\n\n[[package]]\nname = "liblzma-sys"\nversion = "0.3.2"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\nchecksum = "00"\n'],
  'cyclonedx-json': ['{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [{"name": "xz-utils", "version": "5.6.1-1", "purl": "pkg:deb/debian/xz-utils@5.6.1-1?distro=debian-sid", "components": [{"purl": "pkg:npm/chalk@5.6.1"}]}]}\n'],
  'cyclonedx-xml': ['<bom xmlns="http://cyclonedx.org/schema/bom/1.5"><components><component><name>xz</name><version>5.6.1-r1</version><purl>pkg:apk/alpine/xz@5.6.1-r1</purl></component></components></bom>\n'],
  'spdx-json': ['{"spdxVersion": "SPDX-2.3", "packages": [{"name": "debug", "versionInfo": "4.4.2", "externalRefs": [{"referenceType": "purl", "referenceLocator": "pkg:npm/debug@4.4.2"}]}]}\n'],
  'spdx-tag': ['SPDXVersion: SPDX-2.3\nPackageName: xz-libs\nPackageVersion: 5.6.0-1.fc40\nExternalRef: PACKAGE-MANAGER purl pkg:rpm/fedora/xz-libs@5.6.0-1.fc40\n'],
  'dpkg-status': ['Package: liblzma5\nStatus: install ok installed\nVersion: 5.6.1-1\n\nPackage: xz-utils\nStatus: deinstall ok config-files\nVersion: 5.6.1-1\n'],
  'apk-installed': ['P:xz-libs\nV:5.6.1-r1\n\nP:xz\nV:5.6.1-r2\n'],
  'pacman-desc': ['%NAME%\nxz\n\n%VERSION%\n5.6.1-1\n'],
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
  pyproject: ['[project]\ndependencies = [\n  "ultralytics==8.3.41",\n  "requests>=2",\n]\n\n[tool.poetry.dependencies]\nultralytics = "8.3.42"\nctx = { version = "==0.2.6" }\n\n[tool.uv]\nconstraint-dependencies = ["ultralytics!=8.3.45"]\n'],
  'poetry-lock': ['[[package]]\nname = "ultralytics"\nversion = "8.3.45"\noptional = false\nfiles = [\n    {file = "ultralytics-8.3.45.tar.gz", hash = "sha256:00"},\n]\n\n[package.source]\ntype = "legacy"\nurl = "https://mirror.example/simple"\n'],
  'uv-lock': ['version = 1\n\n[[package]]\nname = "ultralytics"\nversion = "8.3.41"\nsource = { registry = "https://pypi.org/simple" }\nwheels = [\n    { url = "https://files.example/u.whl", hash = "sha256:00", size = 1 },\n]\n'],
  'pdm-lock': ['[metadata]\ngroups = ["default"]\n\n[[package]]\nname = "ultralytics"\nversion = "8.3.42"\nfiles = [\n    {file = "u.whl", hash = "sha256:00"},\n]\n'],
  pylock: ['lock-version = "1.0"\ncreated-by = "uv"\n\n[[packages]]\nname = "ultralytics"\nversion = "8.3.46"\nindex = "https://pypi.org/simple"\n'],
  pipfile: ['[packages]\nultralytics = "==8.3.41"\nctx = {version = "==0.2.6"}\n\n[dev-packages]\npytest = "*"\n'],
  'pipfile-lock': ['{\n  "_meta": {},\n  "default": {\n    "ultralytics": { "hashes": [], "version": "==8.3.41" }\n  },\n  "develop": {}\n}\n'],
  'setup-cfg': ['[options]\ninstall_requires =\n    ultralytics==8.3.41\n    requests>=2\n\n[options.extras_require]\nx = ctx==0.2.6; ultralytics==8.3.42\n'],
  'conda-environment': ['name: app\ndependencies:\n  - python=3.12\n  - pip\n  - pip:\n      - ultralytics==8.3.41\n'],
  'debian-changelog': ['xz-utils (5.6.1-1) unstable; urgency=medium\n\n  * Import 5.6.1.\n\n -- A <a@example.invalid>  Wed, 27 Mar 2024 10:00:00 +0100\n'],
  'debian-control': ['Source: tool\nBuild-Depends: liblzma-dev:any (= 5.6.1-1) [amd64] <!nocheck>,\n foo | xz-utils (= 5.6.0-0.2),\n liblzma-dev (>= 5.6.1-1)\n\nPackage: tool\nDepends: liblzma5 (= 5.6.1-1), ${misc:Depends}\n'],
  dsc: ['Format: 3.0 (quilt)\nSource: xz-utils\nVersion: 5.6.1-1\nBuild-Depends: liblzma-dev (= 5.6.0-0.1)\nChecksums-Sha256:\n f334777310ca3ae9ba07206d78ed286a655aa3f44eec27854f740c26b2cd2ed0 1642612 xz-utils_5.6.1.orig.tar.xz\n'],
  nix: [
    '{ lib, stdenv, fetchurl }:\nstdenv.mkDerivation (finalAttrs: {\n  pname = "xz";\n  version = "5.6.1";\n  src = fetchurl {\n    url = "https://github.com/tukaani-project/xz/releases/download/v${finalAttrs.version}/xz-${finalAttrs.version}.tar.bz2";\n    hash = "sha256-0wBCJkmgEksRIWML5VnIkM7t8yZn1wZLgSiTMWbCF8g=";\n  };\n  preCheck = \'\'\n    echo \'\'${x} \'\'\'\n  \'\';\n  /* c */ # d\n})\n',
  ],
  'flake-lock': ['{\n  "nodes": {\n    "nixpkgs": { "locked": { "owner": "NixOS", "repo": "nixpkgs", "rev": "1234567890abcdef1234567890abcdef12345678", "type": "github" } },\n    "root": { "inputs": { "nixpkgs": "nixpkgs" } }\n  },\n  "root": "root",\n  "version": 7\n}\n'],
  formula: [
    'class Xz < Formula\n  url "https://github.com/tukaani-project/xz/releases/download/v5.6.0/xz-5.6.0.tar.gz"\n  version "5.6.0"\n  sha256 "0f5c81f14171b74fcc9777d302304d964e63ffc2d7b634ef023a7249d9b5d875"\n  bottle do\n    sha256 cellar: :any, arm64_sonoma: "6dd426cf064ecc9ef5b832c81a307816efa1a8572964f126da173a5473c387ac"\n  end\n  test do\n    (testpath/"x").write <<~EOS\n      url "#{x}"\n    EOS\n  end\nend\n',
  ],
  portfile: ['PortSystem 1.0\nPortGroup github 1.0\ngithub.setup tukaani-project xz 5.6.1 v\nchecksums rmd160 00 \\\n  sha256 2398f4a8e53345325f44bdd9f0cc7401bd9025d736c6d43b372f4dea77bf75b8 \\\n  size 1\nif {${subport} eq ${name}} {\n  revision 0\n}\n'],
  'cargo-toml': ['[dependencies]\nliblzma-sys = "=0.3.1"\nlz = { package = "liblzma-sys", version = "=0.3.2", features = ["a"] }\n[target.\'cfg(unix)\'.dependencies]\nliblzma-sys.version = ">=0.3.0, <0.3.3"\n'],
  'gemfile-lock': ['GEM\n  remote: https://rubygems.org/\n  specs:\n    rest-client (1.6.13)\n      mime-types (~> 1.16)\n    strong_password (0.0.7)\n    nokogiri (1.16.0-x86_64-linux)\n\nPLATFORMS\n  ruby\n\nDEPENDENCIES\n  rest-client (~> 1.6)\n\nBUNDLED WITH\n   2.5.3\n'],
  gemfile: ['source "https://rubygems.org"\ngem "rest-client", "1.6.13" # pinned\ngem \'strong_password\', \'= 0.0.7\', require: false\ngem "rest-client", "~> 1.6.10", platforms: %i[mri]\n'],
  gemspec: ['Gem::Specification.new do |s|\n  s.add_runtime_dependency(%q<rest-client>.freeze, ["= 1.6.13"])\n  s.add_dependency "strong_password", "0.0.7"\nend\n'],
  'go-mod': ['module m\n\ngo 1.22\n\nrequire (\n\tgithub.com/ulikunitz/xz v0.5.11\n\texample.com/a v1.2.3 // indirect\n)\n\nreplace example.com/a => example.com/b v1.0.0\n'],
  'go-work': ['go 1.22\n\nuse ./app\n\nreplace example.com/a v1.0.0 => example.com/b v1.0.1\n'],
  // No NuGet or Maven compromise is bundled, so these seeds give references and no findings: they drive the readers.
  'nuget-project': [
    '<Project Sdk="Microsoft.NET.Sdk">\n  <PropertyGroup>\n    <JsonVersion>13.0.1</JsonVersion>\n    <Loop>$(Loop)</Loop>\n  </PropertyGroup>\n  <ItemGroup>\n    <PackageReference Include="Newtonsoft.Json" Version="$(JsonVersion)" />\n    <PackageReference Include="Serilog" Version="[2.10.0]" />\n    <PackageVersion Include="Polly" Version="[7.0,8.0)" />\n    <PackageReference Update="Dapper">\n      <Version>2.0.123</Version>\n    </PackageReference>\n  </ItemGroup>\n</Project>\n',
  ],
  'packages-config': ['<?xml version="1.0" encoding="utf-8"?>\n<packages>\n  <package id="Newtonsoft.Json" version="13.0.1" targetFramework="net48" />\n  <package id="jQuery" version="3.5.1" />\n</packages>\n'],
  'nuget-lock': ['{\n  "version": 1,\n  "dependencies": {\n    "net8.0": {\n      "Newtonsoft.Json": { "type": "Direct", "requested": "[13.0.1, )", "resolved": "13.0.1", "contentHash": "A" },\n      "App.Core": { "type": "Project" }\n    }\n  }\n}\n'],
  pom: [
    '<?xml version="1.0"?>\n<project>\n  <parent><groupId>org.example</groupId><artifactId>p</artifactId><version>1.0</version></parent>\n  <artifactId>app</artifactId>\n  <properties>\n    <jackson.version>2.15.0</jackson.version>\n    <self>${self}</self>\n  </properties>\n  <dependencyManagement><dependencies><dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId><version>${jackson.version}</version></dependency></dependencies></dependencyManagement>\n  <dependencies>\n    <dependency><groupId>org.example</groupId><artifactId>lib</artifactId><version>${project.version}</version></dependency>\n    <dependency><groupId>x</groupId><artifactId>y</artifactId><version>[1.0,2.0)</version></dependency>\n  </dependencies>\n  <build><plugins><plugin><artifactId>maven-compiler-plugin</artifactId><version>3.11.0</version></plugin></plugins></build>\n</project>\n',
  ],
  'gradle-lockfile': ['# This is a Gradle generated file for dependency locking.\ncom.google.guava:guava:32.1.2-jre=compileClasspath,runtimeClasspath\norg.slf4j:slf4j-api:2.0.9=runtimeClasspath\nempty=annotationProcessor\n'],
  'version-catalog': ['[versions]\nguava = "32.1.2-jre"\nkotlin = { strictly = "1.9.0" }\n\n[libraries]\nguava = { module = "com.google.guava:guava", version.ref = "guava" }\nkstd = { group = "org.jetbrains.kotlin", name = "kotlin-stdlib", version.ref = "kotlin" }\njunit = "junit:junit:4.13.2"\n'],
  'build-gradle': ['// "a:b:1.0"\ndependencies {\n    implementation \'com.google.guava:guava:32.1.2-jre\'\n    implementation "org.slf4j:slf4j-api:$slf4jVersion"\n    testImplementation("junit:junit:4.13.2")\n    /* \'a:b:1.0\' */\n    runtimeOnly \'x:y:1.0!!\'\n}\n'],
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
