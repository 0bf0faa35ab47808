// RPM versions ([epoch:]version[-release]) ordered exactly as rpm ≥ 4.15's rpmverCmp() and rpmvercmp() do,
// with `~` (sorts before everything, even the end) and `^` (sorts after the end, before anything else):
// the scheme of Fedora, RHEL and its rebuilds, openSUSE and SUSE.
import { asBytes, byteOrder, digitOrder, invalidOrder, isAlpha, isDigit } from './bytes';
import type { Scheme } from './scheme';

/** An RPM EVR split as rpm splits it. */
export interface RpmVersion {
  /** The epoch as written ("0" when the version has `:` with nothing before it); undefined when absent. */
  readonly epoch: string | undefined;
  readonly version: string;
  /** The part after the last `-`; undefined when there is none (and then any release, even '', is newer). */
  readonly release: string | undefined;
}

/**
 * Splits an RPM EVR as rpm's parseEVR() does, or throws for the empty string, the one input `rpm.vercmp` rejects.
 * rpm itself accepts any other string: the epoch is the leading digits when a `:` follows them, the release is
 * what follows the last `-` after them.
 */
export function parse(evr: string): RpmVersion {
  if (evr === '') throw new Error("invalid rpm version '': version string is empty");
  let s = 0;
  while (s < evr.length && isDigit(evr.charCodeAt(s))) s++;
  const hyphen = evr.lastIndexOf('-');
  const se = hyphen >= s ? hyphen : -1;
  const hasEpoch = evr[s] === ':';
  const versionStart = hasEpoch ? s + 1 : 0;
  return {
    epoch: hasEpoch ? evr.slice(0, s) || '0' : undefined,
    version: se >= 0 ? evr.slice(versionStart, se) : evr.slice(versionStart),
    release: se >= 0 ? evr.slice(se + 1) : undefined,
  };
}

/**
 * Orders two RPM EVRs as `rpm.vercmp` (rpm 4.18's rpmverCmp) does: epoch (missing = 0), version, then release,
 * where a version without a release is older than the same version with any release: `1.0` < `1.0-1`, and even
 * `1.0` < `1.0-`. (Dependency matching is different: there `= 1.0` matches every release of 1.0.) The empty
 * string, which rpm rejects, sorts first (see bytes.ts).
 */
export function compare(a: string, b: string): number {
  if (a === '' || b === '') return invalidOrder(a === '', b === '', a, b);
  const x = parse(a);
  const y = parse(b);
  return (
    rpmvercmp(x.epoch ?? '0', y.epoch ?? '0') ||
    rpmvercmp(x.version, y.version) ||
    releaseOrder(x.release, y.release)
  );
}

function releaseOrder(a: string | undefined, b: string | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  return rpmvercmp(a, b);
}

/** The rpm scheme: Fedora, Red Hat, Rocky Linux, AlmaLinux, openSUSE, SUSE. */
export const scheme: Scheme = {
  name: 'rpm',
  invalid: (version) => (version === '' ? 'version string is empty' : undefined),
  compare,
};

const TILDE = 126;
const CARET = 94;
const isAlnum = (c: number): boolean => isDigit(c) || isAlpha(c);

/** rpm's rpmvercmp() on one field: alphabetic and numeric segments, `~` and `^` handled apart; -1, 0 or 1. */
export function rpmvercmp(left: string, right: string): number {
  if (left === right) return 0;
  const a = asBytes(left);
  const b = asBytes(right);
  let i = 0;
  let j = 0;
  // Past the end charCodeAt gives NaN, which no test below matches: it plays C's terminating NUL.
  while (i < a.length || j < b.length) {
    while (i < a.length && !isAlnum(a.charCodeAt(i)) && a.charCodeAt(i) !== TILDE && a.charCodeAt(i) !== CARET) i++;
    while (j < b.length && !isAlnum(b.charCodeAt(j)) && b.charCodeAt(j) !== TILDE && b.charCodeAt(j) !== CARET) j++;
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    if (ca === TILDE || cb === TILDE) {
      if (ca !== TILDE) return 1;
      if (cb !== TILDE) return -1;
      i++;
      j++;
      continue;
    }
    if (ca === CARET || cb === CARET) {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (ca !== CARET) return 1;
      if (cb !== CARET) return -1;
      i++;
      j++;
      continue;
    }
    if (i >= a.length || j >= b.length) break;
    const numeric = isDigit(ca);
    const same = numeric ? isDigit : isAlpha;
    let ei = i;
    let ej = j;
    while (ei < a.length && same(a.charCodeAt(ei))) ei++;
    while (ej < b.length && same(b.charCodeAt(ej))) ej++;
    // A numeric segment against an alphabetic one: the numeric one is newer.
    if (ej === j) return numeric ? 1 : -1;
    const sa = a.slice(i, ei);
    const sb = b.slice(j, ej);
    const rc = numeric ? digitOrder(sa, sb) : byteOrder(sa, sb);
    if (rc) return rc;
    i = ei;
    j = ej;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}
