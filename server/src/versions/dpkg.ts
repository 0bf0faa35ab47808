// Debian version numbers ([epoch:]upstream[-revision]) ordered exactly as dpkg 1.21's parseversion() and
// verrevcmp() do: the scheme of Debian, Ubuntu, Kali and Termux.
import { asBytes, invalidOrder, isAlpha, isDigit } from './bytes';
import type { Scheme } from './scheme';

/** A Debian version split as dpkg splits it. */
export interface DpkgVersion {
  readonly epoch: number;
  readonly upstream: string;
  /** '' when the version has no `-revision`. */
  readonly revision: string;
  /** dpkg's warning for a version it still compares ("version number does not start with digit"), if any. */
  readonly warning?: string;
}

const INT_MAX = 2147483647;

/**
 * Parses a Debian version as dpkg does, or throws an Error naming dpkg's reason ("epoch in version is not number").
 * Versions that dpkg only warns about (an upstream part not starting with a digit, an unusual character) parse,
 * with the warning kept in `warning`, because `dpkg --compare-versions` still orders them.
 */
export function parse(version: string): DpkgVersion {
  const reason = parseOrReason(version);
  if (typeof reason === 'string') throw new Error(`invalid dpkg version '${version}': ${reason}`);
  return reason;
}

/** Orders two Debian versions as `dpkg --compare-versions` does; versions dpkg rejects sort first (see bytes.ts). */
export function compare(a: string, b: string): number {
  const x = parseOrReason(a);
  const y = parseOrReason(b);
  if (typeof x === 'string' || typeof y === 'string') return invalidOrder(typeof x === 'string', typeof y === 'string', a, b);
  return compareParsed(x, y);
}

/** Orders two parsed Debian versions: epoch, then upstream, then revision, each with verrevcmp. */
export function compareParsed(x: DpkgVersion, y: DpkgVersion): number {
  if (x.epoch !== y.epoch) return x.epoch < y.epoch ? -1 : 1;
  return verrevcmp(x.upstream, y.upstream) || verrevcmp(x.revision, y.revision);
}

/** The dpkg scheme: Debian, Ubuntu, Kali, Termux. */
export const scheme: Scheme = {
  name: 'dpkg',
  invalid(version) {
    const reason = parseOrReason(version);
    return typeof reason === 'string' ? reason : undefined;
  },
  compare,
};

/** A character's weight in verrevcmp: `~` before the end of the string, letters before everything else. */
function order(c: number): number {
  if (isDigit(c)) return 0;
  if (isAlpha(c)) return c;
  if (c === 126) return -1;
  // dpkg's `char` is signed: a byte ≥ 0x80 is negative and `c + 256` brings it back to the byte's value.
  if (c) return c >= 128 ? c : c + 256;
  return 0;
}

/** dpkg's verrevcmp(): alternating non-digit runs (by `order`) and digit runs (by value); -1, 0 or 1. */
export function verrevcmp(left: string, right: string): number {
  const a = asBytes(left);
  const b = asBytes(right);
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !isDigit(a.charCodeAt(i))) || (j < b.length && !isDigit(b.charCodeAt(j)))) {
      const ac = order(i < a.length ? a.charCodeAt(i) : 0);
      const bc = order(j < b.length ? b.charCodeAt(j) : 0);
      if (ac !== bc) return Math.sign(ac - bc);
      i++;
      j++;
    }
    while (a.charCodeAt(i) === 48) i++;
    while (b.charCodeAt(j) === 48) j++;
    while (isDigit(a.charCodeAt(i)) && isDigit(b.charCodeAt(j))) {
      if (!firstDiff) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (isDigit(a.charCodeAt(i))) return 1;
    if (isDigit(b.charCodeAt(j))) return -1;
    if (firstDiff) return Math.sign(firstDiff);
  }
  return 0;
}

const isBlank = (c: string): boolean => c === ' ' || c === '\t';

/** dpkg's parseversion(): the parsed version, or the text of the error that makes dpkg refuse it. */
function parseOrReason(input: string): DpkgVersion | string {
  let start = 0;
  while (start < input.length && isBlank(input[start]!)) start++;
  if (start === input.length) return 'version string is empty';
  let end = start;
  while (end < input.length && !isBlank(input[end]!)) end++;
  let rest = end;
  while (rest < input.length && isBlank(input[rest]!)) rest++;
  if (rest < input.length) return 'version string has embedded spaces';

  let epoch = 0;
  let body = input.slice(start, end);
  const colon = input.indexOf(':', start);
  if (colon >= 0) {
    // strtol(): optional sign, then digits; the epoch must end exactly at the first colon.
    const m = /^[+-]?[0-9]+/.exec(input.slice(start));
    if (!m) return 'epoch in version is empty';
    if (start + m[0].length !== colon) return 'epoch in version is not number';
    const value = Number(m[0]);
    if (value < 0) return 'epoch in version is negative';
    if (value > INT_MAX) return 'epoch in version is too big';
    if (colon + 1 >= input.length) return 'nothing after colon in version number';
    epoch = value === 0 ? 0 : value;
    body = input.slice(colon + 1, end);
  }
  const hyphen = body.lastIndexOf('-');
  const upstream = hyphen >= 0 ? body.slice(0, hyphen) : body;
  const revision = hyphen >= 0 ? body.slice(hyphen + 1) : '';
  if (hyphen >= 0 && revision === '') return 'revision number is empty';
  if (upstream === '') return 'version number is empty';
  const warning = !isDigit(upstream.charCodeAt(0))
    ? 'version number does not start with digit'
    : /[^0-9A-Za-z.+~:-]/.test(upstream)
      ? 'invalid character in version number'
      : /[^0-9A-Za-z.+~]/.test(revision)
        ? 'invalid character in revision number'
        : undefined;
  return warning ? { epoch, upstream, revision, warning } : { epoch, upstream, revision };
}

