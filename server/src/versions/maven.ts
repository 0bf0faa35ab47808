// Maven versions ordered as Maven 3.8's org.apache.maven.artifact.versioning.ComparableVersion does (the class
// that resolves dependency versions and ranges): the lower-cased text is split at `.`, at `-` (which opens a
// sub-list), and at every change between digits and other characters (which opens a sub-list too); numbers
// compare by value, qualifiers in the order alpha < beta < milestone < rc < snapshot < "" (a release) < sp < any
// other (by text), and null items at the end of each list (0, "", "ga", "final", "release") are dropped, so
// "1.0" == "1" == "1-ga". Every string is a Maven version, so nothing is invalid but the empty string.
import type { Scheme } from './scheme';

/**
 * One item of a parsed version: a number (its digits without leading zeros, and the width class Maven stores it
 * in: 0 int, 1 long, 2 BigInteger), a qualifier, or a sub-list.
 */
export type MavenItem =
  | { readonly kind: 'number'; readonly digits: string; readonly width: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'list'; readonly items: MavenItem[] };

const qualifiers = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const aliases: Readonly<Record<string, string>> = { ga: '', final: '', release: '', cr: 'rc' };
/** The comparable form of "" (a release): the index of "" in `qualifiers`. */
const releaseIndex = String(qualifiers.indexOf(''));

/** Parses a Maven version into ComparableVersion's item list. Total: every string parses. */
export function parse(version: string): MavenItem {
  const text = version.toLowerCase();
  const root: MavenItem & { kind: 'list' } = { kind: 'list', items: [] };
  let list = root;
  const stack = [root];
  const open = (): void => {
    const next: MavenItem & { kind: 'list' } = { kind: 'list', items: [] };
    list.items.push(next);
    list = next;
    stack.push(next);
  };
  let digit = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2e /* . */ || c === 0x2d /* - */) {
      list.items.push(i === start ? zero : item(digit, text.slice(start, i)));
      start = i + 1;
      if (c === 0x2d) open();
    } else if (c >= 0x30 && c <= 0x39) {
      if (!digit && i > start) {
        // A qualifier followed by a number ("rc1"): the qualifier and the number go in lists of their own.
        if (list.items.length > 0) open();
        list.items.push(stringItem(text.slice(start, i), true));
        start = i;
        open();
      }
      digit = true;
    } else {
      if (digit && i > start) {
        list.items.push(item(true, text.slice(start, i)));
        start = i;
        open();
      }
      digit = false;
    }
  }
  if (text.length > start) {
    if (!digit && list.items.length > 0) open();
    list.items.push(item(digit, text.slice(start)));
  }
  while (stack.length > 0) normalize(stack.pop()!);
  return root;
}

/** Orders two Maven versions as ComparableVersion#compareTo. */
export function compare(a: string, b: string): number {
  return compareItems(parse(a), parse(b));
}

/** The maven scheme: Maven Central (OSV's `Maven`). */
export const scheme: Scheme = {
  name: 'maven',
  invalid: (version) => (version.trim() === '' ? 'version string is empty' : /\s/.test(version) ? 'must not contain whitespace' : undefined),
  compare,
};

const zero: MavenItem = { kind: 'number', digits: '0', width: 0 };

function item(digit: boolean, text: string): MavenItem {
  if (!digit) return stringItem(text, false);
  // Maven strips leading zeros only when a digit other than 0 follows, and picks int, long or BigInteger by the
  // length of what is left: "00000000000" (eleven zeros) is a long 0, greater than any int.
  const stripped = text.replace(/^0+/, '');
  const kept = stripped === '' ? text : stripped;
  return { kind: 'number', digits: stripped === '' ? '0' : stripped, width: kept.length <= 9 ? 0 : kept.length <= 18 ? 1 : 2 };
}

function stringItem(text: string, followedByDigit: boolean): MavenItem {
  let value = text;
  if (followedByDigit && value.length === 1) {
    // "a1", "b2", "m3": the one-letter spellings of alpha, beta and milestone.
    value = value === 'a' ? 'alpha' : value === 'b' ? 'beta' : value === 'm' ? 'milestone' : value;
  }
  return { kind: 'string', value: Object.hasOwn(aliases, value) ? aliases[value]! : value };
}

/** A qualifier as a string that orders as ComparableVersion orders qualifiers. */
function comparable(value: string): string {
  const i = qualifiers.indexOf(value);
  return i < 0 ? `${qualifiers.length}-${value}` : String(i);
}

function isNull(x: MavenItem): boolean {
  if (x.kind === 'number') return x.digits === '0';
  if (x.kind === 'string') return comparable(x.value) === releaseIndex;
  return x.items.length === 0;
}

/** Drops the null items at the end of a list, looking past sub-lists (ListItem#normalize). */
function normalize(list: MavenItem & { kind: 'list' }): void {
  for (let i = list.items.length - 1; i >= 0; i--) {
    const last = list.items[i]!;
    if (isNull(last)) list.items.splice(i, 1);
    else if (last.kind !== 'list') break;
  }
}

/** Java's String#compareTo sign (by UTF-16 code unit). */
function stringOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Item#compareTo, with `undefined` for Java's null (a missing item). */
function compareItems(x: MavenItem, y: MavenItem | undefined): number {
  if (x.kind === 'number') {
    if (y === undefined) return x.digits === '0' ? 0 : 1;
    if (y.kind !== 'number') return 1;
    // An int is less than any long, a long than any BigInteger, whatever the values (they cannot overlap).
    const w = x.width - y.width;
    if (w !== 0) return Math.sign(w);
    return x.digits.length !== y.digits.length ? (x.digits.length < y.digits.length ? -1 : 1) : stringOrder(x.digits, y.digits);
  }
  if (x.kind === 'string') {
    if (y === undefined) return stringOrder(comparable(x.value), releaseIndex);
    if (y.kind === 'number') return -1;
    if (y.kind === 'string') return stringOrder(comparable(x.value), comparable(y.value));
    return -1;
  }
  if (y === undefined) {
    // Against a missing item, a list is its first item that is not null.
    for (const item of x.items) {
      const result = compareItems(item, undefined);
      if (result !== 0) return result;
    }
    return 0;
  }
  if (y.kind === 'number') return -1;
  if (y.kind === 'string') return 1;
  for (let i = 0; i < x.items.length || i < y.items.length; i++) {
    const l = x.items[i];
    const r = y.items[i];
    const result = l === undefined ? (r === undefined ? 0 : -compareItems(r, undefined)) : compareItems(l, r);
    if (result !== 0) return result;
  }
  return 0;
}

/** A parsed Maven version range or requirement: the intervals it allows (a soft requirement is its exact version). */
export interface MavenRange {
  /** The intervals, any of which admits a version; a soft requirement (`1.0`) gives one exact interval. */
  intervals: Array<{ lower?: string; lowerInclusive: boolean; upper?: string; upperInclusive: boolean }>;
  /** Whether the text was a bare version (a soft requirement) rather than a range in brackets. */
  soft: boolean;
}

/**
 * Parses a Maven version requirement as VersionRange.createFromVersionSpec reads it: `1.0` (soft: Maven picks
 * 1.0 unless another path asks otherwise, so for a pin it is exactly 1.0), `[1.0]` (exactly), `[1.0,2.0)`,
 * `(,1.0]`, `[1.5,)`, and unions `(,1.0],[1.2,)`. Undefined when malformed.
 */
export function parseRange(spec: string): MavenRange | undefined {
  const text = spec.trim();
  if (text === '') return undefined;
  if (!/^[[(]/.test(text)) return /[[\](),\s]/.test(text) ? undefined : { soft: true, intervals: [{ lower: text, lowerInclusive: true, upper: text, upperInclusive: true }] };
  const intervals: MavenRange['intervals'] = [];
  let i = 0;
  while (i < text.length) {
    const open = text[i];
    if (open !== '[' && open !== '(') return undefined;
    const close = text.slice(i + 1).search(/[\])]/);
    if (close < 0) return undefined;
    const end = i + 1 + close;
    const body = text.slice(i + 1, end);
    const lowerInclusive = open === '[';
    const upperInclusive = text[end] === ']';
    const comma = body.indexOf(',');
    if (comma < 0) {
      // `[1.0]` is an exact version; `(1.0)` is malformed, as in Maven.
      const v = body.trim();
      if (!lowerInclusive || !upperInclusive || v === '' || /[[(]/.test(v)) return undefined;
      intervals.push({ lower: v, lowerInclusive: true, upper: v, upperInclusive: true });
    } else {
      const lower = body.slice(0, comma).trim();
      const upper = body.slice(comma + 1).trim();
      if (upper.includes(',') || /[[(]/.test(body)) return undefined;
      if (lower !== '' && upper !== '' && compare(upper, lower) < 0) return undefined;
      intervals.push({ lowerInclusive, upperInclusive, ...(lower === '' ? {} : { lower }), ...(upper === '' ? {} : { upper }) });
    }
    i = end + 1;
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i < text.length) {
      if (text[i] !== ',') return undefined;
      i++;
      while (i < text.length && /\s/.test(text[i]!)) i++;
      if (i >= text.length) return undefined;
    }
  }
  return intervals.length > 0 ? { soft: false, intervals } : undefined;
}

/** Whether a Maven range admits a version; false for a malformed range. */
export function rangeAdmits(spec: string, version: string): boolean {
  const range = parseRange(spec);
  if (!range) return false;
  return range.intervals.some((r) => {
    if (r.lower !== undefined) {
      const c = compare(version, r.lower);
      if (c < 0 || (c === 0 && !r.lowerInclusive)) return false;
    }
    if (r.upper !== undefined) {
      const c = compare(version, r.upper);
      if (c > 0 || (c === 0 && !r.upperInclusive)) return false;
    }
    return true;
  });
}

/** The lowest version a Maven range allows, when its first interval has an inclusive floor. */
export function rangeFloor(spec: string): string | undefined {
  const range = parseRange(spec);
  const first = range?.intervals[0];
  return first?.lower !== undefined && first.lowerInclusive ? first.lower : undefined;
}
