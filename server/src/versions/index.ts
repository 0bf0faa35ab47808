// The one table from ecosystem to version scheme, and the few helpers the rest of Pinwatch uses to compare
// versions of a named ecosystem.
import * as alpm from './alpm';
import * as apk from './apk';
import * as conda from './conda';
import * as dpkg from './dpkg';
import * as generic from './generic';
import * as gentoo from './gentoo';
import * as go from './go';
import * as maven from './maven';
import * as nuget from './nuget';
import * as pep440 from './pep440';
import * as rpm from './rpm';
import * as rubygems from './rubygems';
import type { Scheme } from './scheme';
import * as semver from './semver';

export type { Scheme } from './scheme';

/** Every scheme by its name. */
export const schemes = {
  dpkg: dpkg.scheme,
  rpm: rpm.scheme,
  apk: apk.scheme,
  alpm: alpm.scheme,
  semver: semver.scheme,
  pep440: pep440.scheme,
  gentoo: gentoo.scheme,
  rubygems: rubygems.scheme,
  go: go.scheme,
  conda: conda.scheme,
  nuget: nuget.scheme,
  maven: maven.scheme,
  generic: generic.scheme,
} as const;

/** The name of a version scheme. */
export type SchemeName = keyof typeof schemes;

/**
 * The ecosystem → scheme table, the only place that says which package manager orders which versions.
 *
 * Names are OSV's (https://ossf.github.io/osv-schema/, "affected[].package.ecosystem") where OSV has one, and
 * the project's own for the rest (Kali, Termux, Fedora, Arch Linux, MSYS2, Manjaro, Gentoo, Homebrew, nixpkgs,
 * vcpkg, MacPorts, conda, and "upstream" for a project's own release numbers). An OSV release suffix
 * ("Debian:13", "Alpine:v3.19") is not part of the name. ConanCenter and GitHub Actions have no comparison tool
 * that Pinwatch can agree with, so they use the documented generic order; so does any name not listed here.
 */
export const ecosystemSchemes: Readonly<Record<string, SchemeName>> = {
  Debian: 'dpkg',
  Ubuntu: 'dpkg',
  Kali: 'dpkg',
  Termux: 'dpkg',
  Alpine: 'apk',
  Wolfi: 'apk',
  Chainguard: 'apk',
  Fedora: 'rpm',
  'Red Hat': 'rpm',
  'Rocky Linux': 'rpm',
  AlmaLinux: 'rpm',
  openSUSE: 'rpm',
  SUSE: 'rpm',
  'Arch Linux': 'alpm',
  MSYS2: 'alpm',
  Manjaro: 'alpm',
  Gentoo: 'gentoo',
  npm: 'semver',
  'crates.io': 'semver',
  PyPI: 'pep440',
  RubyGems: 'rubygems',
  Go: 'go',
  conda: 'conda',
  NuGet: 'nuget',
  Maven: 'maven',
  ConanCenter: 'generic',
  'GitHub Actions': 'generic',
  Homebrew: 'generic',
  nixpkgs: 'generic',
  vcpkg: 'generic',
  MacPorts: 'generic',
  upstream: 'generic',
};

const byLowerCase = new Map(Object.entries(ecosystemSchemes).map(([name, scheme]) => [name.toLowerCase(), scheme]));

/** The table's scheme name for an ecosystem, ignoring an OSV `:suffix` and, failing an exact match, case. */
function lookup(ecosystem: string): SchemeName | undefined {
  const colon = ecosystem.indexOf(':');
  const name = (colon >= 0 ? ecosystem.slice(0, colon) : ecosystem).trim();
  return Object.hasOwn(ecosystemSchemes, name) ? ecosystemSchemes[name] : byLowerCase.get(name.toLowerCase());
}

/** The scheme that orders an ecosystem's versions ("Debian:13" → dpkg); the generic scheme for an unknown name. */
export function schemeFor(ecosystem: string): Scheme {
  return schemes[lookup(ecosystem) ?? 'generic'];
}

/** Whether an ecosystem name (with or without an OSV `:suffix`) is in the table. */
export function knownEcosystem(name: string): boolean {
  return lookup(name) !== undefined;
}

/**
 * Short names that `pinwatch compare` also accepts, lower-case, each for an ecosystem of the table. The name of
 * a version scheme (`dpkg`, `rpm`, `alpm`, `pep440`, …) is accepted as well, for that scheme.
 */
export const ecosystemAliases: Readonly<Record<string, string>> = {
  arch: 'Arch Linux',
  archlinux: 'Arch Linux',
  deb: 'Debian',
  apt: 'Debian',
  rhel: 'Red Hat',
  redhat: 'Red Hat',
  centos: 'Red Hat',
  rocky: 'Rocky Linux',
  alma: 'AlmaLinux',
  python: 'PyPI',
  pip: 'PyPI',
  cargo: 'crates.io',
  crates: 'crates.io',
  rust: 'crates.io',
  node: 'npm',
  ruby: 'RubyGems',
  gem: 'RubyGems',
  golang: 'Go',
  brew: 'Homebrew',
  nix: 'nixpkgs',
  dotnet: 'NuGet',
  mvn: 'Maven',
  gradle: 'Maven',
};

/**
 * The version scheme a user's name stands for: an ecosystem of the table (any case, with or without an OSV
 * `:suffix`), an alias from `ecosystemAliases`, or a scheme's own name; undefined for anything else.
 */
export function schemeNamed(name: string): SchemeName | undefined {
  const lower = name.trim().toLowerCase();
  const alias = Object.hasOwn(ecosystemAliases, lower) ? ecosystemAliases[lower] : undefined;
  return lookup(name) ?? (alias === undefined ? undefined : lookup(alias)) ?? (Object.hasOwn(schemes, lower) ? (lower as SchemeName) : undefined);
}

/** Whether two versions are the same version in an ecosystem ("0:1.0" and "1.0" in Debian); false when either is invalid. */
export function equal(ecosystem: string, a: string, b: string): boolean {
  const scheme = schemeFor(ecosystem);
  return scheme.invalid(a) === undefined && scheme.invalid(b) === undefined && scheme.compare(a, b) === 0;
}

/**
 * Compares `A B` lines for `pinwatch compare ECOSYSTEM --stdin`: one answer per line that is not blank, `<`, `=`
 * or `>`, or `?` when the line is not two versions or either version is invalid; each `?` has a one-line reason
 * in `errors` that names its line (1-based, counting blank lines). The ecosystem is any name `schemeNamed` takes.
 */
export function compareLines(ecosystem: string, lines: readonly string[]): { answers: string[]; errors: string[] } {
  const scheme = schemes[schemeNamed(ecosystem) ?? 'generic'];
  const answers: string[] = [];
  const errors: string[] = [];
  lines.forEach((line, index) => {
    const fields = line.trim().split(/\s+/).filter((f) => f !== '');
    if (fields.length === 0) return;
    const where = `line ${index + 1}`;
    if (fields.length !== 2) {
      answers.push('?');
      errors.push(`${where}: expected two versions 'A B', got ${fields.length} field${fields.length === 1 ? '' : 's'}`);
      return;
    }
    const [a, b] = fields as [string, string];
    const bad = [a, b].map((v) => [v, scheme.invalid(v)] as const).find(([, why]) => why !== undefined);
    if (bad) {
      answers.push('?');
      errors.push(`${where}: invalid ${scheme.name} version '${bad[0]}': ${bad[1]}`);
      return;
    }
    const r = scheme.compare(a, b);
    answers.push(r < 0 ? '<' : r > 0 ? '>' : '=');
  });
  return { answers, errors };
}
