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
import { matchesPattern } from './patterns';
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
  // A scan asks about the same path several times in a row (the walk, the reader, the engine): the last answer is kept.
  if (path === lastPath) return lastFormat;
  lastFormat = formatOf(path);
  lastPath = path;
  return lastFormat;
}

let lastPath: string | undefined;
let lastFormat: Format | undefined;

function formatOf(path: string): Format | undefined {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  const basename = path.slice(cut + 1);
  // Pinwatch's own policy file is configuration, not a manifest any format reads.
  if (basename === '.pinwatch.yaml') return undefined;
  // A walk asks for every name in a tree, and names repeat (index.ts, README.md): what a basename decides is kept,
  // for a bounded number of names: the format its basename patterns give, and the path patterns whose last segment
  // it matches (most names match none). Only those are checked against the folders, each time, in table order
  // before the basename's answer.
  let byBase = byName.get(basename);
  if (byBase === undefined) {
    byBase = { format: basenameFormat(basename), paths: pathPatterns.filter((p) => matchesPattern(basename, p.last)) };
    if (byName.size >= 10_000) byName.clear();
    byName.set(basename, byBase);
  }
  const { format, paths } = byBase;
  let at = format;
  for (const p of paths) {
    if (format >= 0 && p.format >= format) break;
    if (parentMay(path, cut, p.parent) && foldersMatch(path, cut, p.folders)) {
      at = p.format;
      break;
    }
  }
  return at < 0 ? undefined : formats[at];
}

/**
 * Whether the folder that ends at offset `cut` of `path` can be `parent`, a pattern's last folder when it has no
 * `*` (undefined: any can): a test of a few characters in place, which turns away most paths before their folders
 * are cut out and matched (every name matches the last segment of `var/lib/dpkg/status.d/*`).
 */
function parentMay(path: string, cut: number, parent: string | undefined): boolean {
  if (parent === undefined) return true;
  const start = cut - parent.length;
  if (start < 0 || !path.startsWith(parent, start)) return false;
  const before = start === 0 ? 0x2f : path.charCodeAt(start - 1);
  return before === 0x2f || before === 0x5c;
}

const byName = new Map<string, { format: number; paths: readonly PathPattern[] }>();

/**
 * The index of the first format whose basename patterns match a name, or -1: an exact name is one map lookup, and
 * only the patterns with a `*` (a few dozen, most a plain suffix) are tried one by one, and only those of formats
 * before the exact name's (a tree of unique names, as a ports tree is, asks this for every file).
 */
function basenameFormat(basename: string): number {
  const exact = exactNames.get(basename) ?? -1;
  for (const { format, pattern, suffix } of starPatterns) {
    if (exact >= 0 && format >= exact) break;
    if (suffix !== undefined ? basename.endsWith(suffix) : matchesPattern(basename, pattern)) return format;
  }
  return exact;
}

/** Each basename pattern without a `*`, with the first format it names. */
const exactNames = new Map<string, number>();
/** Each basename pattern with a `*`, in table order; `suffix` is set for a pattern that is `*` and a literal tail. */
const starPatterns: Array<{ format: number; pattern: string; suffix?: string }> = [];
for (const [format, f] of formats.entries()) {
  for (const pattern of f.patterns) {
    if (pattern.includes('/')) continue;
    if (!pattern.includes('*')) {
      if (!exactNames.has(pattern)) exactNames.set(pattern, format);
    } else starPatterns.push(pattern.lastIndexOf('*') === 0 ? { format, pattern, suffix: pattern.slice(1) } : { format, pattern });
  }
}

/** A pattern with folders (`.github/workflows/*.yml`), split: its format's index, the folders, the last segment. */
interface PathPattern {
  format: number;
  folders: string[];
  last: string;
  /** The last folder, when it is a plain name (no `*`). */
  parent: string | undefined;
}

/** Every path pattern, in table order. */
const pathPatterns: PathPattern[] = formats.flatMap((f, format) =>
  f.patterns.filter((p) => p.includes('/')).map((p) => {
    const segments = p.split('/');
    const parent = segments[segments.length - 2]!;
    return { format, folders: segments.slice(0, -1), last: segments[segments.length - 1]!, parent: parent.includes('*') ? undefined : parent };
  }),
);

/** Whether the folders that end just before offset `cut` of `path` match `folders`, last to first (as `matchesPath`). */
function foldersMatch(path: string, cut: number, folders: readonly string[]): boolean {
  let end = cut;
  for (let k = folders.length - 1; k >= 0; k--) {
    if (end < 0) return false;
    let start = end - 1;
    while (start >= 0 && path.charCodeAt(start) !== 0x2f && path.charCodeAt(start) !== 0x5c) start--;
    if (!matchesPattern(path.slice(start + 1, end), folders[k]!)) return false;
    end = start;
  }
  return true;
}
