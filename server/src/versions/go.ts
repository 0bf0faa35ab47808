// Go module versions ordered as golang.org/x/mod/semver does: a `v` prefix, semantic versions where `v1` and
// `v1.2` are shorthands for `v1.0.0` and `v1.2.0`, build metadata such as `+incompatible` ignored, and
// pseudo-versions (v0.0.0-20240101120000-abcdef123456) ordered as the pre-releases they are.
import { byteOrder, digitOrder } from './bytes';
import type { Scheme } from './scheme';

/** A parsed Go module version. */
export interface GoVersion {
  readonly major: string;
  readonly minor: string;
  readonly patch: string;
  /** Pre-release identifiers, without the leading `-`; empty for a release. */
  readonly prerelease: readonly string[];
  /** Build metadata without the `+` ("incompatible"), or ''. */
  readonly build: string;
}

const NUM = '(0|[1-9][0-9]*)';
const IDENT = '[0-9A-Za-z-]+';
const GRAMMAR = new RegExp(`^v${NUM}(?:\\.${NUM}(?:\\.${NUM}(?:-(${IDENT}(?:\\.${IDENT})*))?(?:\\+(${IDENT}(?:\\.${IDENT})*))?)?)?$`);

/** Parses a Go module version, or throws an Error saying why Go would reject it. */
export function parse(version: string): GoVersion {
  const m = GRAMMAR.exec(version);
  const pre = m?.[4]?.split('.') ?? [];
  if (!m || pre.some((id) => /^0[0-9]+$/.test(id))) throw new Error(`invalid Go module version '${version}': ${reason(version)}`);
  return { major: m[1]!, minor: m[2] ?? '0', patch: m[3] ?? '0', prerelease: pre, build: m[5] ?? '' };
}

/**
 * Orders two Go module versions as semver.Compare does. Go's own rule covers invalid versions: an invalid
 * version is less than every valid one, and all invalid versions are equal.
 */
export function compare(a: string, b: string): number {
  const x = tryParse(a);
  const y = tryParse(b);
  if (!x || !y) return x ? 1 : y ? -1 : 0;
  return (
    digitOrder(x.major, y.major) ||
    digitOrder(x.minor, y.minor) ||
    digitOrder(x.patch, y.patch) ||
    prereleaseOrder(x.prerelease, y.prerelease)
  );
}

/** Whether a version is a pseudo-version (a commit, not a tag): vX.Y.Z-[pre.]yyyymmddhhmmss-abcdef123456. */
export function isPseudoVersion(version: string): boolean {
  return /^v[0-9]+\.(0\.0-|\d+\.\d+-([^+]*\.)?0\.)\d{14}-[A-Za-z0-9]+(\+[0-9A-Za-z-.]+)?$/.test(version) && tryParse(version) !== undefined;
}

/** The go scheme: Go modules. */
export const scheme: Scheme = {
  name: 'go',
  invalid: (version) => (tryParse(version) ? undefined : reason(version)),
  compare,
};

function tryParse(version: string): GoVersion | undefined {
  try {
    return parse(version);
  } catch {
    return undefined;
  }
}

function prereleaseOrder(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 0 : a.length === 0 ? 1 : -1;
  for (let i = 0; i < a.length && i < b.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    const xn = /^[0-9]+$/.test(x);
    const yn = /^[0-9]+$/.test(y);
    // Numeric identifiers sort before alphanumeric ones.
    const r = xn && yn ? digitOrder(x, y) : xn ? -1 : yn ? 1 : byteOrder(x, y);
    if (r) return r;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

function reason(version: string): string {
  if (version === '') return 'version string is empty';
  if (!version.startsWith('v')) return "must start with 'v' (v1.2.3)";
  if (/^v[0-9]+(\.[0-9]+)?[-+]/.test(version)) return 'pre-release or build suffix needs a full vMAJOR.MINOR.PATCH';
  if (/(^v|\.)0[0-9]/.test(version.split(/[-+]/)[0]!)) return 'numbers must not have leading zeros';
  return 'expected vMAJOR[.MINOR[.PATCH]][-pre][+build] with identifiers of [0-9A-Za-z-]';
}
