// Gentoo package versions ordered by the algorithm of the Package Manager Specification (PMS §3.3): numeric
// components (a leading zero makes one compare as a string with trailing zeros dropped), an optional letter,
// suffixes _alpha < _beta < _pre < _rc < (none) < _p each with an optional number, and a revision -rN.
import { byteOrder, digitOrder, invalidOrder } from './bytes';
import type { Scheme } from './scheme';

/** A parsed Gentoo version. */
export interface GentooVersion {
  readonly numbers: readonly string[];
  /** The letter after the numbers, or ''. */
  readonly letter: string;
  readonly suffixes: ReadonlyArray<{ readonly name: SuffixName; readonly number: string }>;
  /** The revision's digits ('' when there is no -rN). */
  readonly revision: string;
}

/** A Gentoo version suffix, in PMS order. */
export type SuffixName = 'alpha' | 'beta' | 'pre' | 'rc' | 'p';
const suffixRank: Readonly<Record<SuffixName, number>> = { alpha: 0, beta: 1, pre: 2, rc: 3, p: 4 };

const GRAMMAR = /^([0-9]+(?:\.[0-9]+)*)([a-z]?)((?:_(?:alpha|beta|pre|rc|p)[0-9]*)*)(?:-r([0-9]+))?$/;

/** Parses a Gentoo version (without the package name), or throws an Error saying what PMS forbids. */
export function parse(version: string): GentooVersion {
  const m = GRAMMAR.exec(version);
  if (!m) throw new Error(`invalid Gentoo version '${version}': ${reason(version)}`);
  const suffixes = [...m[3]!.matchAll(/_(alpha|beta|pre|rc|p)([0-9]*)/g)].map((s) => ({ name: s[1] as SuffixName, number: s[2]! }));
  return { numbers: m[1]!.split('.'), letter: m[2]!, suffixes, revision: m[4] ?? '' };
}

/** Orders two Gentoo versions as PMS does; invalid ones sort first, among themselves by code unit. */
export function compare(a: string, b: string): number {
  const x = tryParse(a);
  const y = tryParse(b);
  if (!x || !y) return invalidOrder(!x, !y, a, b);
  return numbersOrder(x.numbers, y.numbers) || byteOrder(x.letter, y.letter) || suffixOrder(x, y) || digitOrder(x.revision || '0', y.revision || '0');
}

/** The gentoo scheme: Gentoo. */
export const scheme: Scheme = {
  name: 'gentoo',
  invalid: (version) => (GRAMMAR.test(version) ? undefined : reason(version)),
  compare,
};

function tryParse(version: string): GentooVersion | undefined {
  return GRAMMAR.test(version) ? parse(version) : undefined;
}

function numbersOrder(a: readonly string[], b: readonly string[]): number {
  const first = digitOrder(a[0]!, b[0]!);
  if (first) return first;
  for (let i = 1; i < a.length && i < b.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    // PMS algorithm 3.3: a leading zero means a decimal fraction, compared as a string without trailing zeros.
    const r = x[0] === '0' || y[0] === '0' ? byteOrder(withoutTrailingZeros(x), withoutTrailingZeros(y)) : digitOrder(x, y);
    if (r) return r;
  }
  return Math.sign(a.length - b.length);
}

function suffixOrder(x: GentooVersion, y: GentooVersion): number {
  const a = x.suffixes;
  const b = y.suffixes;
  for (let i = 0; i < a.length && i < b.length; i++) {
    const r = Math.sign(suffixRank[a[i]!.name] - suffixRank[b[i]!.name]) || digitOrder(a[i]!.number || '0', b[i]!.number || '0');
    if (r) return r;
  }
  // One more suffix: newer only when it is _p.
  if (a.length > b.length) return a[b.length]!.name === 'p' ? 1 : -1;
  if (b.length > a.length) return b[a.length]!.name === 'p' ? -1 : 1;
  return 0;
}

function reason(version: string): string {
  if (version === '') return 'version string is empty';
  if (!/^[0-9]/.test(version)) return 'must start with a digit';
  const suffix = /_([^_-]*)/.exec(version);
  if (suffix && !/^(alpha|beta|pre|rc|p)[0-9]*$/.test(suffix[1]!)) return `unknown suffix '_${suffix[1]}' (alpha, beta, pre, rc, p)`;
  if (/-(?!r[0-9]+$)/.test(version)) return "'-' may only start a final revision -rN";
  return 'expected N(.N)*[letter](_suffix[N])*[-rN]';
}

/** The digits without the zeros that end them; a loop, since `/0+$/` retries every zero of a long run. */
function withoutTrailingZeros(digits: string): string {
  let end = digits.length;
  while (end > 0 && digits.charCodeAt(end - 1) === 0x30) end--;
  return digits.slice(0, end);
}
