// pacman versions ([epoch:]pkgver[-pkgrel]) ordered exactly as libalpm's alpm_pkg_vercmp() (pacman's `vercmp`)
// does: the scheme of Arch Linux, MSYS2 and Manjaro. Its segment rules look like rpm's but differ: no `~` or
// `^`, separator runs of different lengths decide, and a trailing letter run is older than the end.
import { asBytes, byteOrder, digitOrder, isAlpha, isDigit } from './bytes';
import type { Scheme } from './scheme';

/** A pacman version split as libalpm splits it. */
export interface AlpmVersion {
  /** The epoch as written, "0" when absent or empty. */
  readonly epoch: string;
  readonly pkgver: string;
  /** The part after the last `-`; undefined when there is none, and then pkgrels are not compared. */
  readonly pkgrel: string | undefined;
}

/**
 * Splits a pacman version as libalpm's parseEVR() does, or throws for the empty string. `vercmp` orders any
 * string, but a package's version is never empty (makepkg refuses an empty pkgver).
 */
export function parse(version: string): AlpmVersion {
  if (version === '') throw new Error("invalid pacman version '': version string is empty");
  return split(version);
}

/** Orders two versions exactly as pacman's `vercmp` does, including the empty string. */
export function compare(a: string, b: string): number {
  if (a === b) return 0;
  const x = split(a);
  const y = split(b);
  return (
    segmentCompare(x.epoch, y.epoch) ||
    segmentCompare(x.pkgver, y.pkgver) ||
    (x.pkgrel !== undefined && y.pkgrel !== undefined ? segmentCompare(x.pkgrel, y.pkgrel) : 0)
  );
}

/** The alpm scheme: Arch Linux, MSYS2, Manjaro. */
export const scheme: Scheme = {
  name: 'alpm',
  invalid: (version) => (version === '' ? 'version string is empty' : undefined),
  compare,
};

function split(version: string): AlpmVersion {
  let s = 0;
  while (s < version.length && isDigit(version.charCodeAt(s))) s++;
  const hyphen = version.lastIndexOf('-');
  const se = hyphen >= s ? hyphen : -1;
  const hasEpoch = version[s] === ':';
  const start = hasEpoch ? s + 1 : 0;
  return {
    // Unlike rpm, a missing epoch is always 0.
    epoch: hasEpoch ? version.slice(0, s) || '0' : '0',
    pkgver: se >= 0 ? version.slice(start, se) : version.slice(start),
    pkgrel: se >= 0 ? version.slice(se + 1) : undefined,
  };
}

const isAlnum = (c: number): boolean => isDigit(c) || isAlpha(c);

/** libalpm's rpmvercmp() on one field; -1, 0 or 1. */
export function segmentCompare(left: string, right: string): number {
  if (left === right) return 0;
  const a = asBytes(left);
  const b = asBytes(right);
  let i = 0;
  let j = 0;
  let pi = 0;
  let pj = 0;
  while (i < a.length && j < b.length) {
    while (i < a.length && !isAlnum(a.charCodeAt(i))) i++;
    while (j < b.length && !isAlnum(b.charCodeAt(j))) j++;
    if (i >= a.length || j >= b.length) break;
    // Separator runs of different lengths decide: "1.0" < "1..0".
    if (i - pi !== j - pj) return i - pi < j - pj ? -1 : 1;
    const numeric = isDigit(a.charCodeAt(i));
    const same = numeric ? isDigit : isAlpha;
    pi = i;
    pj = j;
    while (pi < a.length && same(a.charCodeAt(pi))) pi++;
    while (pj < b.length && same(b.charCodeAt(pj))) pj++;
    if (pj === j) return numeric ? 1 : -1;
    const sa = a.slice(i, pi);
    const sb = b.slice(j, pj);
    const rc = numeric ? digitOrder(sa, sb) : byteOrder(sa, sb);
    if (rc) return rc;
    i = pi;
    j = pj;
  }
  if (i >= a.length && j >= b.length) return 0;
  // A remaining letter run never beats the end ("1.0a" < "1.0"), anything else left over does.
  return (i >= a.length && !isAlpha(b.charCodeAt(j))) || isAlpha(a.charCodeAt(i)) ? -1 : 1;
}
