// RubyGems versions ordered as Gem::Version#<=> does: segments are runs of digits (compared as integers) and of
// letters (compared as strings, and older than any number); a segment of letters marks a pre-release; trailing
// zeros of the release part and of the pre-release part are dropped, so "1.0" == "1" and "1.0.a" == "1.a".
import { byteOrder, digitOrder, invalidOrder } from './bytes';
import type { Scheme } from './scheme';

/** A parsed gem version: its segments, digit runs as digit strings, letter runs as letter strings. */
export interface GemVersion {
  readonly segments: ReadonlyArray<{ readonly numeric: boolean; readonly text: string }>;
  readonly prerelease: boolean;
}

const GRAMMAR = /^\s*([0-9]+(\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?)?\s*$/;

/** Parses a gem version (Gem::Version.correct?), or throws. An empty or blank string is version "0", as in RubyGems. */
export function parse(version: string): GemVersion {
  if (!GRAMMAR.test(version)) throw new Error(`invalid RubyGems version '${version}': ${reason(version)}`);
  // Gem::Version turns "-" into ".pre." before splitting into segments.
  const text = version.trim() === '' ? '0' : version.trim().replace(/-/g, '.pre.');
  const segments = [...text.matchAll(/[0-9]+|[a-z]+/gi)].map(([s]) => ({ numeric: /^[0-9]/.test(s), text: s }));
  return { segments, prerelease: /[a-zA-Z]/.test(text) };
}

/** Orders two gem versions as Gem::Version#<=>; invalid ones sort first, among themselves by code unit. */
export function compare(a: string, b: string): number {
  const x = canonicalOf(a);
  const y = canonicalOf(b);
  if (!x || !y) return invalidOrder(!x, !y, a, b);
  for (let i = 0; i < x.length || i < y.length; i++) {
    const l = x[i] ?? { numeric: true, text: '0' };
    const r = y[i] ?? { numeric: true, text: '0' };
    if (l.numeric !== r.numeric) return l.numeric ? 1 : -1;
    const order = l.numeric ? digitOrder(l.text, r.text) : byteOrder(l.text, r.text);
    if (order) return order;
  }
  return 0;
}

/** The rubygems scheme: RubyGems. */
export const scheme: Scheme = {
  name: 'rubygems',
  invalid: (version) => (GRAMMAR.test(version) ? undefined : reason(version)),
  compare,
};

type Segment = GemVersion['segments'][number];

// Matching a Gemfile's requirements compares the same few advisory versions again and again: their canonical
// segments are kept, for a bounded number of versions.
const canonicalCache = new Map<string, Segment[] | undefined>();

/** The canonical segments of a version, or undefined when it is invalid. */
function canonicalOf(version: string): Segment[] | undefined {
  let found = canonicalCache.get(version);
  if (found === undefined && !canonicalCache.has(version)) {
    found = GRAMMAR.test(version) ? canonical(parse(version)) : undefined;
    if (canonicalCache.size >= 4096) canonicalCache.clear();
    canonicalCache.set(version, found);
  }
  return found;
}

/** Gem::Version#canonical_segments: the release and pre-release parts, each without trailing zeros. */
function canonical(version: GemVersion): Segment[] {
  const split = version.segments.findIndex((s) => !s.numeric);
  const release = split < 0 ? [...version.segments] : version.segments.slice(0, split);
  const pre = split < 0 ? [] : version.segments.slice(split);
  return [...dropTrailingZeros(release), ...dropTrailingZeros(pre)];
}

function dropTrailingZeros(segments: Segment[]): Segment[] {
  let end = segments.length;
  while (end > 0 && segments[end - 1]!.numeric && /^0+$/.test(segments[end - 1]!.text)) end--;
  return segments.slice(0, end);
}

function reason(version: string): string {
  if (!/^\s*[0-9]/.test(version)) return 'must start with a digit';
  if (/\S\s+\S/.test(version)) return 'must not contain spaces';
  return 'expected N(.segment)*[-pre(.segment)*] with segments of [0-9A-Za-z]';
}
