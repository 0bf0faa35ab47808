/**
 * The character-level reader behind ./words.ts: words, quotes, escapes, `$` expansions, backquotes and
 * here-document bodies, each character kept with its source offset. Internal to the shell scanner.
 */
import type { Heredoc, ParamPart, ShellSource, Word, WordPart } from './words';

/** Blanks between words; `\r` counts so that CRLF text reads like LF text. */
export const blank = (c: string) => c === ' ' || c === '\t' || c === '\r';
/** Characters that end an unquoted word. */
export const operatorChars = new Set([';', '&', '|', '(', ')', '<', '>']);
const nameStart = /[A-Za-z_]/;
const nameChar = /[A-Za-z0-9_]/;
/** Nesting cap for `${a:-${b:-…}}` so hostile input cannot exhaust the stack. */
const maxDepth = 32;

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

/** Where a word ends: 'word' at a blank or operator, 'operand' at `}`, 'heredoc' and 'value' at the text's end. */
export type Mode = 'word' | 'operand' | 'heredoc' | 'value';

/** Reads one word from `s.i`: in 'operand' mode up to an unquoted `}`, in 'heredoc' mode to the end of the text. */
export function readWord(s: Scanner, mode: Mode, depth: number): Word {
  const { text } = s;
  const parts: WordPart[] = [];
  let first = -1;
  let last = -1;
  let open = false;
  const touch = (j: number) => { if (first < 0) first = j; last = j; };
  const lit = (ch: string, j: number, quoted: boolean) => {
    touch(j);
    const prev = parts[parts.length - 1];
    if (prev && prev.kind === 'text' && prev.quoted === quoted) { prev.value += ch; prev.offsets.push(s.at(j)); }
    else parts.push({ kind: 'text', value: ch, offsets: [s.at(j)], quoted });
  };
  const dollar = (quoted: boolean) => {
    const start = s.i;
    const part = readDollar(s, depth);
    // Inside double quotes an expansion is one field; unquoted, its value is split at blanks.
    if (part) { if (quoted && part.kind === 'param') part.quoted = true; touch(start); touch(s.i - 1); parts.push(part); } else { lit('$', start, quoted); s.i = start + 1; }
  };
  while (s.i < text.length) {
    const c = text[s.i]!;
    if (mode === 'word' && (blank(c) || c === '\n' || operatorChars.has(c))) break;
    if (mode === 'operand' && c === '}') break;
    if (c === '\\') {
      const next = text[s.i + 1];
      if (next === '\n') { s.i += 2; continue; }
      if (next === undefined) { lit(c, s.i, false); s.i += 1; continue; }
      if (mode === 'heredoc' && next !== '$' && next !== '`' && next !== '\\') { lit(c, s.i, false); s.i += 1; continue; }
      lit(next, s.i + 1, true);
      s.i += 2;
      continue;
    }
    if (c === '$') { dollar(false); continue; }
    if (c === '`') { readBackquote(s, parts, touch); continue; }
    if (mode !== 'heredoc' && c === "'") {
      touch(s.i);
      s.i += 1;
      while (s.i < text.length && text[s.i] !== "'") { lit(text[s.i]!, s.i, true); s.i += 1; }
      if (s.i < text.length) touch(s.i); else open = true;
      s.i += 1;
      continue;
    }
    if (mode !== 'heredoc' && c === '"') {
      touch(s.i);
      s.i += 1;
      while (s.i < text.length && text[s.i] !== '"') {
        const d = text[s.i]!;
        if (d === '\\' && '$`"\\\n'.includes(text[s.i + 1] ?? '')) {
          if (text[s.i + 1] !== '\n') lit(text[s.i + 1]!, s.i + 1, true);
          s.i += 2;
        } else if (d === '$') dollar(true);
        else if (d === '`') readBackquote(s, parts, touch);
        else { lit(d, s.i, true); s.i += 1; }
      }
      if (s.i < text.length) touch(s.i); else open = true;
      s.i += 1;
      continue;
    }
    lit(c, s.i, false);
    s.i += 1;
  }
  const start = first < 0 ? s.at(s.i) : s.at(first);
  const word: Word = { parts, start, end: last < 0 ? start : s.at(last) + 1 };
  if (open) word.unterminated = true;
  return word;
}

/** Reads `$…` at `s.i`; undefined (nothing consumed) when the `$` is literal. */
function readDollar(s: Scanner, depth: number): WordPart | undefined {
  const { text } = s;
  const start = s.i;
  const next = text[s.i + 1] ?? '';
  if (next === '(') {
    skipBalanced(s, s.i + 2, '(', ')');
    return { kind: 'command', start: s.at(start), end: s.at(s.i - 1) + 1 };
  }
  if (next === '{') {
    let j = s.i + 2;
    if (text[j] === '#' || text[j] === '!') {
      // `${#NAME}` (a length) and `${!NAME}` (indirection) have no static value.
      skipBalanced(s, s.i + 2, '{', '}');
      return { kind: 'command', start: s.at(start), end: s.at(s.i - 1) + 1 };
    }
    const nameFrom = j;
    if (nameStart.test(text[j] ?? '')) while (nameChar.test(text[j] ?? '')) j += 1;
    else if (/[0-9@*?$!#-]/.test(text[j] ?? '')) j += 1;
    const name = text.slice(nameFrom, j);
    if (name === '') return undefined;
    const op = /^(:-|:=|:\+|:\?|-|=|\+|\?|##|#|%%|%|\/\/|\/|:)/.exec(text.slice(j, j + 2))?.[0];
    let operand: Word | undefined;
    s.i = j + (op?.length ?? 0);
    if (op !== undefined) {
      if (depth >= maxDepth) skipBalanced(s, s.i, '{', '}', 1);
      else operand = readWord(s, 'operand', depth + 1);
    }
    if (text[s.i] === '}') s.i += 1;
    else if (op === undefined) { s.i = start; return undefined; }
    // An operand left open swallows the rest of the text, and the shell rejects it: no static value.
    else return { kind: 'command', start: s.at(start), end: s.at(text.length - 1) + 1 };
    const end = s.at(Math.min(s.i, text.length) - 1) + 1;
    const part: ParamPart = { kind: 'param', name, start: s.at(start), end };
    if (op !== undefined) part.op = op;
    if (operand) part.operand = operand;
    return part;
  }
  if (nameStart.test(next)) {
    let j = s.i + 1;
    while (nameChar.test(text[j] ?? '')) j += 1;
    s.i = j;
    return { kind: 'param', name: text.slice(start + 1, j), start: s.at(start), end: s.at(j - 1) + 1 };
  }
  if (/[0-9@*?$!#-]/.test(next)) {
    s.i += 2;
    return { kind: 'param', name: next, start: s.at(start), end: s.at(start + 1) + 1 };
  }
  if (next === "'") {
    // $'…' (ANSI-C quoting) is rare in recipes; its value is taken as unknown rather than half-decoded.
    let j = s.i + 2;
    while (j < text.length && text[j] !== "'") j += text[j] === '\\' ? 2 : 1;
    s.i = Math.min(j + 1, text.length);
    return { kind: 'command', start: s.at(start), end: s.at(s.i - 1) + 1 };
  }
  return undefined;
}

/** Moves `s.i` past the closer matching an opener already consumed before `from`, respecting quotes. */
function skipBalanced(s: Scanner, from: number, open: string, close: string, level = 1): void {
  const { text } = s;
  let j = from;
  let depth = level;
  while (j < text.length && depth > 0) {
    const c = text[j]!;
    if (c === '\\') { j += 2; continue; }
    if (c === "'") { const k = text.indexOf("'", j + 1); j = k < 0 ? text.length : k + 1; continue; }
    if (c === '"') {
      j += 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      j += 1;
      continue;
    }
    if (c === open) depth += 1;
    else if (c === close) depth -= 1;
    j += 1;
  }
  s.i = Math.min(j, text.length);
}

function readBackquote(s: Scanner, parts: WordPart[], touch: (j: number) => void): void {
  const { text } = s;
  const start = s.i;
  let j = s.i + 1;
  while (j < text.length && text[j] !== '`') j += text[j] === '\\' ? 2 : 1;
  s.i = Math.min(j + 1, text.length);
  touch(start);
  touch(s.i - 1);
  parts.push({ kind: 'command', start: s.at(start), end: s.at(s.i - 1) + 1 });
}

/** Reads a heredoc body from `s.i` (the start of the line after the operator) through its delimiter line. */
export function readHeredoc(s: Scanner, delimiter: string, quoted: boolean, stripTabs: boolean): Heredoc {
  const { text } = s;
  const bodyStart = s.i;
  let bodyEnd = text.length;
  let j = s.i;
  while (j < text.length) {
    let eol = text.indexOf('\n', j);
    if (eol < 0) eol = text.length;
    let line = text.slice(j, eol);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (stripTabs) line = line.replace(/^\t+/, '');
    if (line === delimiter) { bodyEnd = j; j = Math.min(eol + 1, text.length); break; }
    j = eol + 1;
  }
  s.i = Math.min(j, text.length);
  const body = sub(s, bodyStart, bodyEnd);
  const bodyWord = quoted
    ? { parts: body.text ? [{ kind: 'text' as const, value: body.text, offsets: indices(s, bodyStart, bodyEnd), quoted: true }] : [], start: s.at(bodyStart), end: bodyEnd > bodyStart ? s.at(bodyEnd - 1) + 1 : s.at(bodyStart) }
    : readWord(scanner(body), 'heredoc', 0);
  return { delimiter, quoted, stripTabs, body, bodyWord };
}

function indices(s: Scanner, from: number, to: number): number[] {
  const out: number[] = [];
  for (let j = from; j < to; j += 1) out.push(s.at(j));
  return out;
}

function sub(s: Scanner, from: number, to: number): ShellSource {
  return { text: s.text.slice(from, to), offsets: [...indices(s, from, to), s.at(to)] };
}
