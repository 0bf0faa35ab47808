// Semantic versions (semver.org 2.0.0) ordered by the `semver` package that npm itself uses: the scheme of npm
// and crates.io. Build metadata (`+build`) does not take part in the order, as the specification says.
import * as semverLib from 'semver';
import { invalidOrder } from './bytes';
import type { Scheme } from './scheme';

/** A parsed semantic version. */
export interface SemverVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly prerelease: ReadonlyArray<string | number>;
  readonly build: readonly string[];
}

/** Parses a strict semantic version (an optional leading `v` is accepted, as npm does), or throws. */
export function parse(version: string): SemverVersion {
  const parsed = semverLib.parse(version);
  if (!parsed) throw new Error(`invalid semver version '${version}': ${reason(version)}`);
  return { major: parsed.major, minor: parsed.minor, patch: parsed.patch, prerelease: [...parsed.prerelease], build: [...parsed.build] };
}

/** Orders two semantic versions by semver precedence; invalid ones sort first, among themselves by code unit. */
export function compare(a: string, b: string): number {
  const x = semverLib.parse(a);
  const y = semverLib.parse(b);
  if (!x || !y) return invalidOrder(!x, !y, a, b);
  return x.compare(y);
}

/** The semver scheme: npm, crates.io. */
export const scheme: Scheme = {
  name: 'semver',
  invalid: (version) => (semverLib.parse(version) ? undefined : reason(version)),
  compare,
};

function reason(version: string): string {
  if (version.trim() === '') return 'version string is empty';
  if (semverLib.parse(version, { loose: true })) return 'not strict semver (it parses only loosely)';
  if (!/^v?\d+\.\d+\.\d+/.test(version.trim())) return 'expected MAJOR.MINOR.PATCH';
  return 'pre-release or build identifiers are malformed (leading zeros, empty or non [0-9A-Za-z-] identifiers)';
}
