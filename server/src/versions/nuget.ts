// NuGet versions ordered as NuGet.Versioning's VersionComparer.Default does: SemVer 2.0 widened to one to four
// numeric parts (a missing part is 0, so "1.0" == "1.0.0" == "1.0.0.0"; leading zeros are allowed and ignored),
// then release labels (a version without labels is greater; labels compare one by one, numeric ones by value
// and below any other, the others case-insensitively; more labels is greater when the rest are equal); build
// metadata after `+` is ignored.
import type { Scheme } from './scheme';

/** A parsed NuGet version. */
export interface NuGetVersion {
  /** Major, minor, patch and revision; missing parts are 0. */
  readonly parts: readonly [number, number, number, number];
  readonly release: readonly string[];
  readonly metadata?: string;
}

const maxInt = 2147483647;
const identifier = /^[0-9A-Za-z-]+$/;

/** Parses a NuGet version (NuGetVersion.TryParse, surrounding blanks trimmed), or throws with the reason. */
export function parse(version: string): NuGetVersion {
  const why = reason(version);
  if (why !== undefined) throw new Error(`invalid NuGet version '${version}': ${why}`);
  return split(version.trim());
}

/** Orders two NuGet versions as VersionComparer.Default; invalid ones sort first, among themselves by code unit. */
export function compare(a: string, b: string): number {
  const x = reason(a) === undefined ? split(a.trim()) : undefined;
  const y = reason(b) === undefined ? split(b.trim()) : undefined;
  if (!x || !y) return !x && !y ? (a < b ? -1 : a > b ? 1 : 0) : !x ? -1 : 1;
  for (let i = 0; i < 4; i++) if (x.parts[i] !== y.parts[i]) return x.parts[i]! < y.parts[i]! ? -1 : 1;
  if (x.release.length === 0 || y.release.length === 0) return x.release.length === y.release.length ? 0 : x.release.length === 0 ? 1 : -1;
  for (let i = 0; i < x.release.length && i < y.release.length; i++) {
    const order = compareLabel(x.release[i]!, y.release[i]!);
    if (order !== 0) return order;
  }
  return Math.sign(x.release.length - y.release.length);
}

/** The nuget scheme: NuGet (OSV's `NuGet`). */
export const scheme: Scheme = {
  name: 'nuget',
  invalid: reason,
  compare,
};

function split(text: string): NuGetVersion {
  const plus = text.indexOf('+');
  const main = plus < 0 ? text : text.slice(0, plus);
  const dash = main.indexOf('-');
  const numbers = (dash < 0 ? main : main.slice(0, dash)).split('.').map(Number);
  const parts = [0, 1, 2, 3].map((i) => numbers[i] ?? 0) as [number, number, number, number];
  return { parts, release: dash < 0 ? [] : main.slice(dash + 1).split('.'), ...(plus < 0 ? {} : { metadata: text.slice(plus + 1) }) };
}

/** A label's numeric value when NuGet reads it as a number (Int32.TryParse), else undefined. */
function numeric(label: string): number | undefined {
  if (!/^-?[0-9]+$/.test(label)) return undefined;
  const n = Number(label);
  return n >= -maxInt - 1 && n <= maxInt ? n : undefined;
}

function compareLabel(a: string, b: string): number {
  const x = numeric(a);
  const y = numeric(b);
  if (x !== undefined && y !== undefined) return Math.sign(x - y);
  if (x !== undefined || y !== undefined) return x !== undefined ? -1 : 1;
  // String.Compare(..., OrdinalIgnoreCase): both sides upper-cased, then by code unit.
  const l = a.toUpperCase();
  const r = b.toUpperCase();
  return l < r ? -1 : l > r ? 1 : 0;
}

/** Why a string is not a NuGet version, or undefined when it is one. */
function reason(version: string): string | undefined {
  const text = version.trim();
  if (text === '') return 'version string is empty';
  const plus = text.indexOf('+');
  const main = plus < 0 ? text : text.slice(0, plus);
  if (plus >= 0 && !text.slice(plus + 1).split('.').every((m) => identifier.test(m))) return 'build metadata must be dot-separated [0-9A-Za-z-] identifiers';
  const dash = main.indexOf('-');
  const numbers = (dash < 0 ? main : main.slice(0, dash)).split('.');
  if (numbers.length > 4 || !numbers.every((n) => /^[0-9]+$/.test(n))) return 'expected one to four numbers separated by dots';
  if (!numbers.every((n) => Number(n) <= maxInt)) return 'a numeric part is larger than 2147483647';
  if (dash >= 0) {
    const labels = main.slice(dash + 1).split('.');
    if (!labels.every((l) => identifier.test(l))) return 'release labels must be dot-separated [0-9A-Za-z-] identifiers';
    if (labels.some((l) => /^0[0-9]+$/.test(l))) return 'a numeric release label must not have leading zeros';
  }
  return undefined;
}

/** A parsed NuGet version range: its bounds, or a floating version (`1.*`, `1.0.0-beta*`). */
export interface NuGetRange {
  lower?: string;
  lowerInclusive: boolean;
  upper?: string;
  upperInclusive: boolean;
  /** A floating range's fixed prefix ("1." for `1.*`), when the range floats: it admits the versions that start with it. */
  float?: { prefix: string; prerelease: boolean };
}

/**
 * Parses a NuGet version range as VersionRange.Parse reads it: `1.0` (at least 1.0; restore picks the lowest
 * version that exists, so a pin of an existing release resolves to it), `[1.0]` (exactly), `[1.0,2.0)`, `(,1.0]`,
 * `(1.0,)`, and floating versions `1.*`, `1.0.*`, `*`, `1.0.0-*`, `1.0.0-beta*`. Undefined when malformed.
 */
export function parseRange(spec: string): NuGetRange | undefined {
  const text = spec.trim();
  if (text === '') return undefined;
  const first = text[0]!;
  if (first !== '[' && first !== '(') {
    if (text.includes('*')) return parseFloat(text);
    return reason(text) === undefined ? { lower: text, lowerInclusive: true, upperInclusive: false } : undefined;
  }
  const last = text[text.length - 1];
  if (last !== ']' && last !== ')') return undefined;
  const body = text.slice(1, -1);
  const lowerInclusive = first === '[';
  const upperInclusive = last === ']';
  const parts = body.split(',');
  if (parts.length > 2) return undefined;
  if (parts.length === 1) {
    const v = parts[0]!.trim();
    return lowerInclusive && upperInclusive && reason(v) === undefined ? { lower: v, lowerInclusive: true, upper: v, upperInclusive: true } : undefined;
  }
  const lower = parts[0]!.trim();
  const upper = parts[1]!.trim();
  if ((lower !== '' && reason(lower) !== undefined) || (upper !== '' && reason(upper) !== undefined)) return undefined;
  if (lower === '' && upper === '') return undefined;
  if (lower !== '' && upper !== '' && compare(lower, upper) > 0) return undefined;
  return { lowerInclusive: lower !== '' && lowerInclusive, upperInclusive: upper !== '' && upperInclusive, ...(lower === '' ? {} : { lower }), ...(upper === '' ? {} : { upper }) };
}

/** `1.*`, `1.0.*`, `*`, `1.0.0-*`, `1.0.0-beta*`, `*-*`: a prefix and a `*` at the end. */
function parseFloat(text: string): NuGetRange | undefined {
  if (text.indexOf('*') !== text.length - 1 && text !== '*-*') return undefined;
  const prerelease = text.includes('-');
  const prefix = text === '*-*' ? '' : text.slice(0, -1);
  const numeric = prefix.split('-')[0]!;
  if (numeric !== '' && !/^([0-9]+\.){0,3}$/.test(numeric) && !(prerelease && reason(numeric) === undefined)) return undefined;
  return { lowerInclusive: false, upperInclusive: false, float: { prefix, prerelease } };
}

/** Whether a NuGet range admits a version; false for a malformed range or an invalid version. */
export function rangeAdmits(spec: string, version: string): boolean {
  const range = parseRange(spec);
  if (!range || reason(version) !== undefined) return false;
  if (range.float) {
    const { prefix, prerelease } = range.float;
    const v = split(version.trim());
    if (v.release.length > 0 && !prerelease) return false;
    const normalized = `${v.parts.join('.')}${v.release.length > 0 ? `-${v.release.join('.')}` : ''}`;
    const written = version.trim().split('+')[0]!;
    return written.toLowerCase().startsWith(prefix.toLowerCase()) || normalized.toLowerCase().startsWith(prefix.toLowerCase());
  }
  if (range.lower !== undefined) {
    const c = compare(version, range.lower);
    if (c < 0 || (c === 0 && !range.lowerInclusive)) return false;
  }
  if (range.upper !== undefined) {
    const c = compare(version, range.upper);
    if (c > 0 || (c === 0 && !range.upperInclusive)) return false;
  }
  return true;
}

/** The lowest version a NuGet range allows, when it has an inclusive floor (`1.0`, `[1.0,2.0)`, `[1.0]`). */
export function rangeFloor(spec: string): string | undefined {
  const range = parseRange(spec);
  return range && !range.float && range.lower !== undefined && range.lowerInclusive ? range.lower : undefined;
}
