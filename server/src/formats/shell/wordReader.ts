/**
 * The one character-level shell reader: words, single, double and ANSI-C quotes, backslashes, line continuations,
 * `$` expansions (with their operators and operand words), backquotes and here-document bodies, each character
 * kept with its source offset. ./tokens.ts builds on it for commands and arrays; Dockerfile RUN text, recipes
 * (APKBUILD, PKGBUILD, ebuilds), RPM spec sections and CI scripts are all read through it. Total: every step
 * consumes input, and an unterminated construct ends at the text's end with its word marked `unterminated`.
 */
import type { ParamPart, ShellSource, TextPart, Word, WordPart } from './words';

/** Blanks between words; `\r` counts so that CRLF text reads like LF text. */
export const blank = (c: string): boolean => c === ' ' || c === '\t' || c === '\r';
/** Characters that end an unquoted word. */
export const operatorChars = new Set([';', '&', '|', '(', ')', '<', '>']);
const nameStart = /[A-Za-z_]/;
const nameChar = /[A-Za-z0-9_]/;
const specialParam = /[0-9@*?$!#-]/;
/** Nesting cap for `${a:-${b:-…}}`: deeper expansions are opaque, so hostile input cannot exhaust the stack. */
const maxDepth = 40;

/** A cursor over shell text that maps text indices to source offsets. */
export interface Scanner {
  readonly text: string;
  i: number;
  /** The source offset of text index j. */
  at(j: number): number;
  /** The text index of a source offset (inverse of `at`, for offsets this scanner produced). */
  index(offset: number): number;
}

/** A scanner at the start of a source. */
export function scanner(source: ShellSource): Scanner {
  const base = source.base ?? 0;
  const offsets = source.offsets;
  return {
    text: source.text,
    i: 0,
    at: offsets ? (j) => offsets[Math.min(j, offsets.length - 1)] ?? base + j : (j) => base + j,
    index: offsets ? (o) => lowerBound(offsets, o) : (o) => o - base,
  };
}

function lowerBound(a: readonly number[], v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < v) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/**
 * Where a word ends: 'word' at a blank or operator, 'operand' at `}`, 'pattern' at `/` or `}` (the pattern of
 * `${v/p/r}`), 'heredoc' and 'value' at the text's end. In 'heredoc' mode quotes are literal. 'value' reads a
 * Dockerfile's ARG, ENV or FROM value, as BuildKit does: a `$` before a quote is a plain `$`.
 */
export type Mode = 'word' | 'operand' | 'pattern' | 'heredoc' | 'value';

/** The word being read: its parts, the text indices of its first and last characters, and whether it was left open. */
interface Building { parts: WordPart[]; first: number; last: number; open: boolean }

/** Reads one word from `s.i` in the given mode. */
export function readWord(s: Scanner, mode: Mode, depth: number): Word {
  const { text } = s;
  const w: Building = { parts: [], first: -1, last: -1, open: false };
  while (s.i < text.length && !w.open) {
    const c = text[s.i]!;
    if (endsWord(c, mode)) break;
    if (c === '\\') {
      const next = text[s.i + 1];
      if (next === '\n') { s.i += 2; continue; }
      if (next === '\r' && text[s.i + 2] === '\n') { s.i += 3; continue; }
      if (next === undefined) { lit(s, w, c, s.i, false); s.i += 1; continue; }
      if (mode === 'heredoc' && next !== '$' && next !== '`' && next !== '\\') { lit(s, w, c, s.i, false); s.i += 1; continue; }
      lit(s, w, next, s.i + 1, true);
      s.i += 2;
      continue;
    }
    if (mode !== 'heredoc' && c === "'") { readSingle(s, w); continue; }
    // `$'…'` and `$"…"` are bash's; in a Dockerfile's value (BuildKit's lexer) that `$` is a plain `$`.
    if (mode !== 'heredoc' && mode !== 'value' && c === '$' && text[s.i + 1] === "'") { readAnsiC(s, w); continue; }
    if (mode !== 'heredoc' && (c === '"' || (mode !== 'value' && c === '$' && text[s.i + 1] === '"'))) { readDouble(s, w, depth); continue; }
    if (c === '$' || c === '`') { if (dollar(s, w, depth, false)) continue; }
    // A plain character, and the plain ones after it, are taken at once.
    let j = s.i + 1;
    while (j < text.length && isPlain(text[j]!, mode)) j += 1;
    litRun(s, w, s.i, j);
    s.i = j;
  }
  const start = w.first < 0 ? s.at(s.i) : s.at(w.first);
  const word: Word = { parts: w.parts, start, end: w.last < 0 ? start : s.at(w.last) + 1 };
  if (w.open) word.unterminated = true;
  return word;
}

function touch(w: Building, j: number): void {
  if (w.first < 0) w.first = j;
  w.last = j;
}

/** Whether a character ends the word `readWord` reads in a mode. */
function endsWord(c: string, mode: Mode): boolean {
  if (mode === 'word') return blank(c) || c === '\n' || operatorChars.has(c);
  if (mode === 'operand') return c === '}';
  if (mode === 'pattern') return c === '}' || c === '/';
  return false;
}

/** Whether `readWord` takes a character as it is, in a mode: not one that ends a word, quotes, escapes or expands. */
function isPlain(c: string, mode: Mode): boolean {
  if (c === '\\' || c === '$' || c === '`') return false;
  if (mode !== 'heredoc' && (c === "'" || c === '"')) return false;
  return !endsWord(c, mode);
}

/** The unquoted characters of text indices [from, to) into the word, as `lit` would add them one by one. */
function litRun(s: Scanner, w: Building, from: number, to: number): void {
  touch(w, from);
  touch(w, to - 1);
  const value = s.text.slice(from, to);
  const prev = w.parts[w.parts.length - 1];
  const part: TextPart = prev && prev.kind === 'text' && !prev.quoted ? prev : { kind: 'text', value: '', offsets: [], quoted: false };
  if (part !== prev) w.parts.push(part);
  part.value += value;
  for (let j = from; j < to; j += 1) part.offsets.push(s.at(j));
}

function lit(s: Scanner, w: Building, ch: string, j: number, quoted: boolean): void {
  touch(w, j);
  const prev = w.parts[w.parts.length - 1];
  if (prev && prev.kind === 'text' && prev.quoted === quoted) { prev.value += ch; prev.offsets.push(s.at(j)); }
  else w.parts.push({ kind: 'text', value: ch, offsets: [s.at(j)], quoted } satisfies TextPart);
}

/** `$…` or a backquote at `s.i` into the word; false (nothing consumed) when the `$` is literal. */
function dollar(s: Scanner, w: Building, depth: number, quoted: boolean): boolean {
  const start = s.i;
  const read = readDollar(s, depth);
  if (!read) return false;
  // Inside double quotes an expansion is one field; unquoted, its value is split at blanks.
  if (quoted && read.part.kind === 'param') read.part.quoted = true;
  touch(w, start);
  touch(w, Math.min(s.i, s.text.length) - 1);
  w.parts.push(read.part);
  if (read.open) w.open = true;
  return true;
}

function readSingle(s: Scanner, w: Building): void {
  const { text } = s;
  touch(w, s.i);
  const close = text.indexOf("'", s.i + 1);
  const end = close < 0 ? text.length : close;
  for (let j = s.i + 1; j < end; j += 1) lit(s, w, text[j]!, j, true);
  if (close < 0) { w.open = true; s.i = text.length; return; }
  touch(w, close);
  s.i = close + 1;
}

const ansiEscapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', e: '\x1b', f: '\f', v: '\v' };

/** `$'…'` at `s.i`: the common C escapes; others keep their backslash. */
function readAnsiC(s: Scanner, w: Building): void {
  const { text } = s;
  touch(w, s.i);
  let j = s.i + 2;
  while (j < text.length) {
    const ch = text[j]!;
    if (ch === "'") { touch(w, j); s.i = j + 1; return; }
    if (ch === '\\' && j + 1 < text.length) {
      const mapped = ansiEscapes[text[j + 1]!];
      if (mapped !== undefined) lit(s, w, mapped, j + 1, true);
      else { lit(s, w, '\\', j, true); lit(s, w, text[j + 1]!, j + 1, true); }
      j += 2;
      continue;
    }
    lit(s, w, ch, j, true);
    j += 1;
  }
  w.open = true;
  s.i = text.length;
}

/** `"…"` (or `$"…"`) at `s.i`: a backslash escapes only `$`, `` ` ``, `"`, `\` and a newline. */
function readDouble(s: Scanner, w: Building, depth: number): void {
  const { text } = s;
  touch(w, s.i);
  s.i += text[s.i] === '$' ? 2 : 1;
  while (s.i < text.length) {
    const d = text[s.i]!;
    if (d === '"') { touch(w, s.i); s.i += 1; return; }
    // A backslash at the end of the text escapes nothing (and `''` is in every string, so it is tested first).
    if (d === '\\' && s.i + 1 < text.length && '$`"\\\n'.includes(text[s.i + 1]!)) {
      if (text[s.i + 1] !== '\n') lit(s, w, text[s.i + 1]!, s.i + 1, true);
      s.i += 2;
      continue;
    }
    if ((d === '$' || d === '`') && dollar(s, w, depth, true)) {
      if (w.open) return;
      continue;
    }
    lit(s, w, d, s.i, true);
    s.i += 1;
  }
  w.open = true;
}

/** An expansion read at `s.i`, and whether it ran to the end of the text unclosed. */
interface DollarRead { part: WordPart; open: boolean }

/** Reads `$name`, `${…}`, `$(…)`, `$((…))` or a backquote at `s.i`; undefined (nothing consumed) for a literal `$`. */
function readDollar(s: Scanner, depth: number): DollarRead | undefined {
  const { text } = s;
  const start = s.i;
  if (text[start] === '`') {
    let j = start + 1;
    while (j < text.length && text[j] !== '`') j += text[j] === '\\' ? 2 : 1;
    return opaque(s, start, j < text.length ? j + 1 : undefined);
  }
  const next = text[start + 1] ?? '';
  if (next === '(') return opaque(s, start, skipNested(text, start + 1, '(', ')'));
  if (next === '{') return readBraced(s, depth);
  if (nameStart.test(next)) {
    let j = start + 2;
    while (nameChar.test(text[j] ?? '')) j += 1;
    s.i = j;
    return { part: { kind: 'param', name: text.slice(start + 1, j), start: s.at(start), end: s.at(j - 1) + 1 }, open: false };
  }
  if (specialParam.test(next)) {
    s.i = start + 2;
    return { part: { kind: 'param', name: next, start: s.at(start), end: s.at(start + 1) + 1 }, open: false };
  }
  return undefined;
}

/** A part with no static value from `start` to the text index `end` (exclusive); undefined `end`: open to the text's end. */
function opaque(s: Scanner, start: number, end: number | undefined): DollarRead {
  const to = end ?? s.text.length;
  s.i = to;
  return { part: { kind: 'command', start: s.at(start), end: s.at(to - 1) + 1 }, open: end === undefined };
}

const braceOps = /^(:-|:=|:\+|:\?|-|=|\+|\?|##|#|%%|%|\/\/|\/#|\/%|\/|\^\^|\^|,,|,|:)/;

/** `${…}` at `s.i`: a name, then an operator and its operand word (and for `/` a replacement word). */
function readBraced(s: Scanner, depth: number): DollarRead {
  const { text } = s;
  const start = s.i;
  const toClose = (): DollarRead => opaque(s, start, skipNested(text, start + 1, '{', '}'));
  if (depth >= maxDepth) return toClose();
  let j = start + 2;
  // `${#NAME}` is a length; `${#}` the number of arguments.
  const length = text[j] === '#' && text[j + 1] !== '}';
  if (length) j += 1;
  const nameFrom = j;
  if (nameStart.test(text[j] ?? '')) while (nameChar.test(text[j] ?? '')) j += 1;
  else if (specialParam.test(text[j] ?? '')) j += 1;
  const name = text.slice(nameFrom, j);
  if (name === '' || (length && text[j] !== '}')) return toClose();
  const part: ParamPart = { kind: 'param', name, start: s.at(start), end: 0 };
  const close = (at: number): DollarRead => {
    s.i = at + 1;
    part.end = s.at(at) + 1;
    return { part, open: false };
  };
  if (length) { part.op = 'length'; return close(j); }
  if (text[j] === '}') return close(j);
  const op = braceOps.exec(text.slice(j, j + 2))?.[0];
  if (op === undefined) return toClose();
  part.op = op;
  s.i = j + op.length;
  const operand = readWord(s, op.startsWith('/') ? 'pattern' : 'operand', depth + 1);
  part.operand = operand;
  if (op.startsWith('/') && text[s.i] === '/' && !operand.unterminated) {
    s.i += 1;
    part.replacement = readWord(s, 'operand', depth + 1);
  }
  const inner = part.replacement ?? operand;
  // An operand left open swallows the rest of the text, and the shell rejects it: no static value.
  if (inner.unterminated || text[s.i] !== '}') return { part: { kind: 'command', start: s.at(start), end: s.at(text.length - 1) + 1 }, open: true };
  return close(s.i);
}

/**
 * The text index after the closer matching the opener at `pos` (`(` or `{`), stepping over quotes and escapes;
 * undefined when it is never closed.
 */
export function skipNested(text: string, pos: number, open: string, close: string): number | undefined {
  let depth = 0;
  for (let at = pos; at < text.length; at++) {
    const ch = text[at]!;
    if (ch === '\\') { at++; continue; }
    if (ch === "'") {
      const end = text.indexOf("'", at + 1);
      if (end < 0) return undefined;
      at = end;
      continue;
    }
    if (ch === '"') {
      let end = at + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      if (end >= text.length) return undefined;
      at = end;
      continue;
    }
    if (ch === open) depth++;
    else if (ch === close && --depth === 0) return at + 1;
  }
  return undefined;
}

/**
 * Where a here-document body that starts at text index `from` ends: `bodyEnd` before its delimiter line, `next`
 * after it (both the text's end when the delimiter never comes).
 */
export function heredocEnd(text: string, from: number, delimiter: string, stripTabs: boolean): { bodyEnd: number; next: number } {
  let j = from;
  while (j < text.length) {
    let eol = text.indexOf('\n', j);
    if (eol < 0) eol = text.length;
    let line = text.slice(j, eol);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (stripTabs) line = line.replace(/^\t+/, '');
    if (line === delimiter) return { bodyEnd: j, next: Math.min(eol + 1, text.length) };
    j = eol + 1;
  }
  return { bodyEnd: text.length, next: text.length };
}

/** The literal text of a word when it has no expansions (`'EOF'` → `EOF`); expansions count as empty. */
export function literalOf(word: Word): string {
  return word.parts.map((p) => (p.kind === 'text' ? p.value : '')).join('');
}

/** The part of a scanner's text between two text indices, as a source with offsets. */
export function sub(s: Scanner, from: number, to: number): ShellSource {
  return { text: s.text.slice(from, to), offsets: [...indices(s, from, to), s.at(to)] };
}

/** The source offsets of text indices `from`..`to`. */
export function indices(s: Scanner, from: number, to: number): number[] {
  const out: number[] = [];
  for (let j = from; j < to; j += 1) out.push(s.at(j));
  return out;
}
