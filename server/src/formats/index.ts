/** The one ordered table of formats: the first whose patterns match a file's path reads it. */
import type { Format } from '../model';
import { apkbuild } from './apkbuild';
import { bazel } from './bazel';
import { bunLock } from './bunLock';
import { cargoLock } from './cargoLock';
import { cmake } from './cmake';
import { compose } from './compose';
import { conanfile, conanLock } from './conan';
import { debianChangelog } from './debian/changelog';
import { debianControl } from './debian/control';
import { debianDsc } from './debian/dsc';
import { devcontainer } from './devcontainer';
import { dockerfile } from './dockerfile';
import { ebuild, portageLists } from './gentoo';
import { githubActions } from './githubActions';
import { gitmodules } from './gitmodules';
import { gitlabCi } from './gitlabCi';
import { helmValues } from './helmValues';
import { homebrewFormula } from './homebrew/formula';
import { kubernetes } from './kubernetes';
import { makefile } from './makefile';
import { mesonWrap } from './mesonWrap';
import { packageJson } from './packageJson';
import { packageLock } from './packageLock';
import { flakeLock } from './nix/flakeLock';
import { nix } from './nix/nix';
import { portfile } from './macports/portfile';
import { buildGradle, gradleLockfile, versionCatalog } from './gradle';
import { mavenPom } from './maven';
import { nugetLock, nugetProject, packagesConfig } from './nuget';
import { matchesPath, matchesPattern } from './patterns';
import { pkgbuild } from './pkgbuild';
import { pnpmLock } from './pnpmLock';
import { requirements } from './requirements';
import { shellScript } from './shellScript';
import { vcpkg } from './vcpkg';
import { rpmSpec } from './rpmSpec';
import { yarnLock } from './yarnLock';
import { cyclonedxJson, spdxJson } from './sbom/jsonSboms';
import { cyclonedxXml } from './sbom/cyclonedxXml';
import { spdxTag } from './sbom/spdxTag';
import { dpkgStatus } from './installed/dpkgStatus';
import { apkInstalled } from './installed/apkInstalled';
import { pacmanDesc } from './installed/pacmanDesc';
import { rpmdb } from './installed/rpmdb';

import { pyproject } from './pyproject';
import { pdmLock, poetryLock, pylock, uvLock } from './pythonLock';
import { pipfile, pipfileLock } from './pipfile';
import { setupCfg } from './setupCfg';
import { condaEnvironment } from './condaEnvironment';

import { gemfile } from './gemfile';
import { gemfileLock } from './gemfileLock';
import { gemspec } from './gemspec';
import { goMod } from './goMod';
import { goWork } from './goWork';
import { cargoToml } from './cargoToml';

export const formats: readonly Format[] = [
  dockerfile, apkbuild, pkgbuild,
  packageLock, yarnLock, pnpmLock, bunLock, packageJson, requirements,
  pyproject, poetryLock, uvLock, pdmLock, pylock, pipfile, pipfileLock, setupCfg, condaEnvironment,
  cargoLock,
  githubActions, gitlabCi, compose, helmValues, devcontainer,
  cyclonedxJson, cyclonedxXml, spdxJson, spdxTag, dpkgStatus, apkInstalled, pacmanDesc, rpmdb,
  conanfile, conanLock, vcpkg, cmake, mesonWrap, bazel, makefile, shellScript, gitmodules,
  debianChangelog, debianControl, debianDsc, flakeLock, nix, homebrewFormula, portfile,
  cargoToml, gemfileLock, gemfile, gemspec, goMod, goWork,
  nugetProject, packagesConfig, nugetLock, mavenPom, gradleLockfile, versionCatalog, buildGradle,
  rpmSpec, ebuild, portageLists,
  // Last: it reads any YAML file that the formats above do not.
  kubernetes,
];

/**
 * The format that reads a file, by its basename (or its last folders, for patterns such as
 * `.github/workflows/*.yml`), or undefined when Pinwatch does not read it.
 */
export function formatFor(path: string): Format | undefined {
  const basename = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  // Pinwatch's own policy file is configuration, not a manifest any format reads.
  if (basename === '.pinwatch.yaml') return undefined;
  // A walk asks for every name in a tree, and names repeat (index.ts, README.md): the answer by basename is kept,
  // for a bounded number of names. Path patterns (.github/workflows/*.yml) depend on the folders and are checked
  // each time, in table order before the basename's answer.
  let byBase = byName.get(basename);
  if (byBase === undefined) {
    byBase = formats.findIndex((f) => f.patterns.some((pattern) => !pattern.includes('/') && matchesPattern(basename, pattern)));
    if (byName.size >= 10_000) byName.clear();
    byName.set(basename, byBase);
  }
  const byPath = pathFormats.find((i) => (byBase < 0 || i < byBase) && formats[i]!.patterns.some((pattern) => pattern.includes('/') && matchesPath(path, pattern)));
  const at = byPath ?? byBase;
  return at < 0 ? undefined : formats[at];
}

const byName = new Map<string, number>();

/** The indexes of the formats that have path patterns. */
const pathFormats = formats.flatMap((f, i) => (f.patterns.some((p) => p.includes('/')) ? [i] : []));
