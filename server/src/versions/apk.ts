// Alpine package versions ordered exactly as apk-tools 3's version.c does: the scheme of Alpine, Wolfi and
// Chainguard. Grammar: digit{.digit}...{letter}{_suffix{number}}...{~hash}{-rN}.
import { asBytes, byteOrder } from './bytes';
import type { Scheme } from './scheme';

/** The kinds of token apk reads, in apk's order: the order is the grammar (a token may only follow smaller ones). */
export const tokenKinds = ['initial-digit', 'digit', 'letter', 'suffix', 'suffix-number', 'commit-hash', 'revision', 'end', 'invalid'] as const;
/** One kind of token in an apk version. */
export type TokenKind = (typeof tokenKinds)[number];

/** One token of an apk version: its kind and its text (without the `.`, `_`, `~` or `-r` that introduced it). */
export interface ApkToken {
  readonly kind: TokenKind;
  readonly text: string;
}

/** Suffix ranks: pre-releases below NONE (the pivot), post-releases above it. */
const suffixRank: Readonly<Record<string, number>> = { alpha: 1, beta: 2, pre: 3, rc: 4, cvs: 6, svn: 7, git: 8, hg: 9, p: 10 };
const NONE = 5;

const INITIAL = 0;
const DIGIT = 1;
const LETTER = 2;
const SUFFIX = 3;
const SUFFIX_NO = 4;
const HASH = 5;
const REVISION = 6;
const END = 7;
const INVALID = 8;

/** A cursor over a version: the current token's kind and text, and where the next one starts. */
interface Cursor {
  kind: number;
  text: string;
  suffix: number;
  at: number;
}

/**
 * Splits an apk version into its tokens, or throws an Error saying where apk's grammar breaks
 * ("invalid apk version '0.1_foobar': unknown suffix '_foobar' at offset 3").
 */
export function parse(version: string): ApkToken[] {
  const { tokens, problem } = tokenize(version);
  if (problem !== undefined) throw new Error(`invalid apk version '${version}': ${problem}`);
  return tokens;
}

/** A version's tokens, and where apk's grammar breaks when it does (no exception: a scan meets many such versions). */
function tokenize(version: string): { tokens: ApkToken[]; problem?: string } {
  const s = asBytes(version);
  const tokens: ApkToken[] = [];
  const t = first(s);
  for (; t.kind < END; next(t, s)) tokens.push({ kind: tokenKinds[t.kind]!, text: t.text });
  return t.kind === INVALID ? { tokens, problem: describe(s, tokens) } : { tokens };
}

/**
 * Orders two apk versions as apk_version_compare() does. Tokens are compared in turn while both sides have the
 * same kind; invalid versions need no rule of ours, apk's own applies: an invalid token ends the comparison,
 * two versions that turn invalid at the same point are equal, and an invalid tail sorts below anything valid.
 * Only the empty string, for which apk answers "any order", is ours: it sorts first.
 */
export function compare(a: string, b: string): number {
  return compareFuzzy(a, b, false);
}

/**
 * apk's comparison with fuzzy matching (`~` in a dependency): when fuzzy, `b` matches every `a` it is a
 * token prefix of ("3.6.9" ~ "3.6").
 */
export function compareFuzzy(left: string, right: string, fuzzy: boolean): number {
  if (left === '' || right === '') return left === right ? 0 : left === '' ? -1 : 1;
  const a = asBytes(left);
  const b = asBytes(right);
  const ta = first(a);
  const tb = first(b);
  while (ta.kind === tb.kind && ta.kind < END) {
    const r = tokenOrder(ta, tb);
    if (r) return r;
    next(ta, a);
    next(tb, b);
  }
  if (ta.kind === tb.kind) return 0;
  if (tb.kind === END && fuzzy) return 0;
  // The longer version is newer, unless what it has more is a pre-release suffix.
  if (ta.kind === SUFFIX && ta.suffix < NONE) return -1;
  if (tb.kind === SUFFIX && tb.suffix < NONE) return 1;
  return ta.kind > tb.kind ? -1 : 1;
}

/** apk's dependency operators, as in `apk add 'xz<5.6'` or an APKBUILD `depends`: `<`, `<=`, `=`, `>=`, `>`, `~`, `<~`, `>~`, and any of them after `!`. */
export function satisfies(version: string, operator: string, target: string): boolean {
  const negate = operator.startsWith('!');
  const op = negate ? operator.slice(1) : operator;
  const fuzzy = op.includes('~');
  const r = compareFuzzy(version, target, fuzzy);
  const ok = (r < 0 && op.includes('<')) || (r > 0 && op.includes('>')) || (r === 0 && (op.includes('=') || fuzzy));
  return negate ? !ok : ok;
}

/** The apk scheme: Alpine, Wolfi, Chainguard. */
export const scheme: Scheme = {
  name: 'apk',
  invalid(version) {
    return tokenize(version).problem;
  },
  compare,
};

function tokenOrder(a: Cursor, b: Cursor): number {
  switch (a.kind) {
    case DIGIT:
      // A leading zero makes the component a string, as in Gentoo: "1.02" < "1.1".
      if (a.text[0] === '0' || b.text[0] === '0') return byteOrder(a.text, b.text);
      return numberOrder(a.text, b.text);
    case INITIAL:
    case SUFFIX_NO:
    case REVISION:
      return numberOrder(a.text, b.text);
    case LETTER:
      return byteOrder(a.text, b.text);
    case SUFFIX:
      return Math.sign(a.suffix - b.suffix);
    default:
      return byteOrder(a.text, b.text);
  }
}

/** Orders digit runs as apk's uint64 values (a run too long for 64 bits wraps, as in C). */
function numberOrder(a: string, b: string): number {
  if (a.length < 16 && b.length < 16) return Math.sign(Number(a) - Number(b));
  const x = BigInt.asUintN(64, BigInt(a));
  const y = BigInt.asUintN(64, BigInt(b));
  return x < y ? -1 : x > y ? 1 : 0;
}

function digitsAt(s: string, at: number): number {
  let end = at;
  while (end < s.length && s.charCodeAt(end) >= 48 && s.charCodeAt(end) <= 57) end++;
  return end;
}

/** The end of a run of characters in an apk character class; bytes ≥ 0x80 are in every class, as in apk's ctype.c. */
function spanAt(s: string, at: number, inClass: (c: number) => boolean): number {
  let end = at;
  while (end < s.length && (s.charCodeAt(end) >= 128 || inClass(s.charCodeAt(end)))) end++;
  return end;
}

const isLower = (c: number): boolean => c >= 97 && c <= 122;
const isHex = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 97 && c <= 102);

function digits(t: Cursor, s: string, kind: number): void {
  const end = digitsAt(s, t.at);
  t.kind = end === t.at ? INVALID : kind;
  t.text = s.slice(t.at, end);
  t.at = end;
}

function first(s: string): Cursor {
  const t: Cursor = { kind: INITIAL, text: '', suffix: 0, at: 0 };
  digits(t, s, INITIAL);
  return t;
}

/** apk's token_next(): reads the token at `t.at`, checking that it may follow the current one. */
function next(t: Cursor, s: string): void {
  if (t.at >= s.length) {
    t.kind = END;
    return;
  }
  const c = s.charCodeAt(t.at);
  if (isLower(c)) {
    if (t.kind > DIGIT) return invalid(t);
    t.kind = LETTER;
    t.text = s[t.at]!;
    t.at++;
  } else if (c === 46 || (c >= 48 && c <= 57)) {
    if (c === 46) {
      if (t.kind > DIGIT) return invalid(t);
      t.at++;
    }
    if (t.kind === INITIAL || t.kind === DIGIT) digits(t, s, DIGIT);
    else if (t.kind === SUFFIX) digits(t, s, SUFFIX_NO);
    else invalid(t);
  } else if (c === 95) {
    if (t.kind > SUFFIX_NO) return invalid(t);
    const end = spanAt(s, t.at + 1, isLower);
    t.text = s.slice(t.at + 1, end);
    t.at = end;
    t.suffix = suffixRank[t.text] ?? 0;
    t.kind = t.suffix ? SUFFIX : INVALID;
  } else if (c === 126) {
    if (t.kind >= HASH) return invalid(t);
    const end = spanAt(s, t.at + 1, isHex);
    t.text = s.slice(t.at + 1, end);
    t.at = end;
    t.kind = t.text ? HASH : INVALID;
  } else if (c === 45) {
    if (t.kind >= REVISION || s[t.at + 1] !== 'r') return invalid(t);
    t.at += 2;
    digits(t, s, REVISION);
  } else invalid(t);
}

function invalid(t: Cursor): void {
  t.kind = INVALID;
}

/** Says where a version stops following the grammar, for parse()'s error. */
function describe(s: string, valid: readonly ApkToken[]): string {
  if (s === '') return 'version string is empty';
  let at = 0;
  for (const [index, token] of valid.entries()) at += token.text.length + prefixLength(token, index);
  const rest = s.slice(at);
  if (valid.length === 0) return `must start with a digit, not '${rest[0]}'`;
  const m = /^_([a-z\x80-\xff]*)/.exec(rest);
  if (m) return m[1] ? `unknown suffix '_${m[1]}' at offset ${at} (alpha, beta, pre, rc, cvs, svn, git, hg, p)` : `empty suffix at offset ${at}`;
  if (rest.startsWith('-') && !rest.startsWith('-r')) return `'-' at offset ${at} must start a revision '-rN'`;
  if (/^(-r|\.)(\D|$)/.test(rest)) return `missing number after '${rest.startsWith('.') ? '.' : '-r'}' at offset ${at}`;
  if (rest.startsWith('~')) return `'~' at offset ${at} must be followed by a lowercase hex commit hash, before any '-rN'`;
  return `'${rest[0]}' at offset ${at} is out of place (digit{.digit}...{letter}{_suffix{N}}...{~hash}{-rN})`;
}

function prefixLength(token: ApkToken, index: number): number {
  if (index === 0 || token.kind === 'letter') return 0;
  if (token.kind === 'revision') return 2;
  // A suffix number follows its suffix directly; a digit after a letter cannot occur in a valid version.
  return token.kind === 'suffix-number' ? 0 : 1;
}
