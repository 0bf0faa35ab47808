/**
 * The lexer of the recipe scanner: bash text → words, array assignments, operators and newlines, each with its
 * source offsets. It follows bash's quoting rules (single, double and ANSI-C quotes, backslashes, line
 * continuations), reads `${...}` expansions into a small tree, and steps over what it cannot evaluate
 * (`$(...)`, backticks, arithmetic, heredoc bodies) without losing its place, so braces or quotes inside a
 * function body never derail the scan. Total: every step consumes input, and malformed text ends at EOF.
 */
import { skipBraces, skipHeredocs, skipParens } from './skip';

/** A run of literal characters; `offsets[i]` is the source offset of `text[i]`. */
export interface Lit {
  kind: 'lit';
  text: string;
  offsets: number[];
  quoted: boolean;
}

/** What a `${name...}` expansion does with the variable's value. */
export type ParamOp =
  | { type: 'plain' }
  | { type: 'default'; colon: boolean; alternative: boolean; word: Seg[] }
  | { type: 'replace'; all: boolean; anchor: '' | '#' | '%'; pattern: Seg[]; replacement: Seg[] }
  | { type: 'strip'; suffix: boolean; longest: boolean; pattern: Seg[] }
  | { type: 'case'; upper: boolean; all: boolean }
  | { type: 'length' }
  | { type: 'unsupported' };

/** A parameter expansion `$name` or `${name...}` between `start` and `end`. */
export interface Param {
  kind: 'param';
  start: number;
  end: number;
  name: string;
  op: ParamOp;
}

/** Text whose value the scanner does not compute: command substitution, arithmetic, backticks. */
export interface Opaque {
  kind: 'opaque';
  start: number;
  end: number;
}

export type Seg = Lit | Param | Opaque;

/** One shell word as written: its segments and its source span (quotes included). */
export interface Word {
  start: number;
  end: number;
  segs: Seg[];
  /** A quote or expansion ran to the end of the text. */
  unterminated: boolean;
}

export type Token =
  | { type: 'word'; word: Word }
  | { type: 'array'; start: number; end: number; name: string; nameStart: number; append: boolean; elements: Word[]; unterminated: boolean }
  | { type: 'op'; value: string; start: number; end: number }
  | { type: 'newline'; start: number }
  /** The end of the tokens: the end of the text, or where lexing failed (`error` then says why). */
  | { type: 'eof'; start: number; error?: string };

const ops = [';;&', '<<<', '<<-', ';;', ';&', '&&', '||', '|&', '<<', '>>', '<&', '>&', '<>', '>|', ';', '&', '|', '(', ')', '<', '>'];
const blank = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\r';
const metaChars = new Set([' ', '\t', '\r', '\n', ';', '&', '|', '(', ')', '<', '>']);
const identStart = /[A-Za-z_]/;
const identChar = /[A-Za-z0-9_]/;
/** Nesting beyond this is treated as opaque, so hostile input cannot exhaust the stack. */
const maxDepth = 40;

/**
 * Splits bash text into tokens. Pure; never throws: should lexing fail all the same, the tokens read so far end with
 * an `eof` token at the failure, carrying its reason.
 */
export function lex(text: string): Token[] {
  const tokens: Token[] = [];
  const state = { pos: 0 };
  try {
    lexInto(text, tokens, state);
  } catch (error) {
    tokens.push({ type: 'eof', start: Math.min(state.pos, text.length), error: error instanceof Error ? error.message : String(error) });
    return tokens;
  }
  tokens.push({ type: 'eof', start: text.length });
  return tokens;
}

function lexInto(text: string, tokens: Token[], state: { pos: number }): void {
  const heredocs: { delimiter: string; stripTabs: boolean }[] = [];
  let pos = 0;
  let expectDelimiter: boolean | undefined;
  while (pos < text.length) {
    state.pos = pos;
    const ch = text[pos]!;
    if (blank(ch)) { pos++; continue; }
    if (ch === '\\' && text[pos + 1] === '\n') { pos += 2; continue; }
    if (ch === '\\' && text[pos + 1] === '\r' && text[pos + 2] === '\n') { pos += 3; continue; }
    if (ch === '#') { while (pos < text.length && text[pos] !== '\n') pos++; continue; }
    if (ch === '\n') {
      tokens.push({ type: 'newline', start: pos });
      pos = skipHeredocs(text, pos + 1, heredocs.splice(0));
      continue;
    }
    const op = ops.find((o) => text.startsWith(o, pos));
    if (op) {
      tokens.push({ type: 'op', value: op, start: pos, end: pos + op.length });
      pos += op.length;
      if (op === '<<' || op === '<<-') expectDelimiter = op === '<<-';
      continue;
    }
    const array = lexArrayAssignment(text, pos);
    if (array) { tokens.push(array); pos = array.end; continue; }
    const word = lexWord(text, pos, 0);
    tokens.push({ type: 'word', word });
    pos = Math.max(word.end, pos + 1);
    if (expectDelimiter !== undefined) {
      heredocs.push({ delimiter: word.segs.map((s) => (s.kind === 'lit' ? s.text : '')).join(''), stripTabs: expectDelimiter });
      expectDelimiter = undefined;
    }
  }
}

/** Reads one unquoted shell word starting at `pos`, stopping at a blank or an operator character. */
export function lexWord(text: string, pos: number, depth: number): Word {
  const start = pos;
  const read = readSegs(text, pos, (ch) => metaChars.has(ch), depth);
  return { start, end: read.end, segs: read.segs, unterminated: read.unterminated };
}

/** `name=(` or `name+=(` at `pos`: the whole array up to its `)`, elements split on unquoted blanks and newlines. */
function lexArrayAssignment(text: string, pos: number): Extract<Token, { type: 'array' }> | undefined {
  if (!identStart.test(text[pos] ?? '')) return undefined;
  let at = pos + 1;
  while (identChar.test(text[at] ?? '')) at++;
  const name = text.slice(pos, at);
  const append = text[at] === '+';
  if (append) at++;
  if (text[at] !== '=' || text[at + 1] !== '(') return undefined;
  at += 2;
  const elements: Word[] = [];
  while (at < text.length) {
    const ch = text[at]!;
    if (blank(ch) || ch === '\n') { at++; continue; }
    if (ch === '\\' && text[at + 1] === '\n') { at += 2; continue; }
    if (ch === '#') { while (at < text.length && text[at] !== '\n') at++; continue; }
    if (ch === ')') return { type: 'array', start: pos, end: at + 1, name, nameStart: pos, append, elements, unterminated: false };
    // Bash rejects other operators inside an array; treating them as the array's end keeps the scan in step.
    if (metaChars.has(ch)) break;
    const word = lexWord(text, at, 0);
    elements.push(word);
    at = Math.max(word.end, at + 1);
    if (word.unterminated) break;
  }
  return { type: 'array', start: pos, end: Math.max(at, pos + 1), name, nameStart: pos, append, elements, unterminated: true };
}

interface Read {
  segs: Seg[];
  end: number;
  unterminated: boolean;
}

/** Reads word segments until `stop` matches an unquoted character (or EOF). */
function readSegs(text: string, pos: number, stop: (ch: string) => boolean, depth: number): Read {
  const segs: Seg[] = [];
  let unterminated = false;
  const lit = (ch: string, offset: number, quoted: boolean): void => {
    const last = segs[segs.length - 1];
    if (last && last.kind === 'lit' && last.quoted === quoted) {
      last.text += ch;
      last.offsets.push(offset);
    } else segs.push({ kind: 'lit', text: ch, offsets: [offset], quoted });
  };
  while (pos < text.length) {
    const ch = text[pos]!;
    if (stop(ch)) break;
    if (ch === '\\') {
      if (text[pos + 1] === '\n') { pos += 2; continue; }
      if (text[pos + 1] === '\r' && text[pos + 2] === '\n') { pos += 3; continue; }
      if (pos + 1 < text.length) lit(text[pos + 1]!, pos + 1, true);
      pos += 2;
      continue;
    }
    if (ch === "'") {
      const close = text.indexOf("'", pos + 1);
      const end = close < 0 ? text.length : close;
      for (let i = pos + 1; i < end; i++) lit(text[i]!, i, true);
      if (close < 0) { unterminated = true; pos = text.length; break; }
      if (close === pos + 1) segs.push({ kind: 'lit', text: '', offsets: [], quoted: true });
      pos = close + 1;
      continue;
    }
    if (ch === '$' && text[pos + 1] === "'") {
      const read = readAnsiC(text, pos + 2, lit);
      if (read.unterminated) { unterminated = true; pos = text.length; break; }
      pos = read.end;
      continue;
    }
    if (ch === '"' || (ch === '$' && text[pos + 1] === '"')) {
      const read = readDouble(text, pos + (ch === '"' ? 1 : 2), depth, lit, segs);
      pos = read.end;
      if (read.unterminated) { unterminated = true; break; }
      continue;
    }
    if (ch === '$' || ch === '`') {
      const read = readDollar(text, pos, depth);
      if (read) {
        segs.push(read.seg);
        pos = read.end;
        if (read.unterminated) { unterminated = true; break; }
        continue;
      }
    }
    lit(ch, pos, false);
    pos++;
  }
  return { segs, end: pos, unterminated };
}

/** The inside of `"..."` from `pos` (after the quote): backslash escapes only `$ \` " \\` and newline. */
function readDouble(text: string, pos: number, depth: number, lit: (ch: string, offset: number, quoted: boolean) => void, segs: Seg[]): { end: number; unterminated: boolean } {
  const before = segs.length;
  let sawChar = false;
  while (pos < text.length) {
    const ch = text[pos]!;
    if (ch === '"') {
      if (!sawChar && segs.length === before) segs.push({ kind: 'lit', text: '', offsets: [], quoted: true });
      return { end: pos + 1, unterminated: false };
    }
    sawChar = true;
    if (ch === '\\') {
      const next = text[pos + 1];
      if (next === '\n') { pos += 2; continue; }
      if (next === '$' || next === '`' || next === '"' || next === '\\') { lit(next, pos + 1, true); pos += 2; continue; }
      lit(ch, pos, true);
      pos++;
      continue;
    }
    if (ch === '$' || ch === '`') {
      const read = readDollar(text, pos, depth);
      if (read) {
        segs.push(read.seg);
        pos = read.end;
        if (read.unterminated) return { end: pos, unterminated: true };
        continue;
      }
    }
    lit(ch, pos, true);
    pos++;
  }
  return { end: text.length, unterminated: true };
}

/** The inside of `$'...'` from `pos`: the common C escapes; others keep their backslash. */
function readAnsiC(text: string, pos: number, lit: (ch: string, offset: number, quoted: boolean) => void): { end: number; unterminated: boolean } {
  const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', e: '\x1b', f: '\f', v: '\v' };
  while (pos < text.length) {
    const ch = text[pos]!;
    if (ch === "'") return { end: pos + 1, unterminated: false };
    if (ch === '\\' && pos + 1 < text.length) {
      const mapped = escapes[text[pos + 1]!];
      if (mapped !== undefined) lit(mapped, pos + 1, true);
      else { lit('\\', pos, true); lit(text[pos + 1]!, pos + 1, true); }
      pos += 2;
      continue;
    }
    lit(ch, pos, true);
    pos++;
  }
  return { end: text.length, unterminated: true };
}

/** `$name`, `${...}`, `$(...)`, `$((...))` or a backtick substitution at `pos`; undefined for a lone `$`. */
function readDollar(text: string, pos: number, depth: number): { seg: Seg; end: number; unterminated: boolean } | undefined {
  if (text[pos] === '`') {
    let at = pos + 1;
    while (at < text.length && text[at] !== '`') at += text[at] === '\\' ? 2 : 1;
    const unterminated = at >= text.length;
    const end = Math.min(at + 1, text.length);
    return { seg: { kind: 'opaque', start: pos, end }, end, unterminated };
  }
  const next = text[pos + 1] ?? '';
  if (next === '(') {
    const end = skipParens(text, pos + 1);
    return { seg: { kind: 'opaque', start: pos, end: end ?? text.length }, end: end ?? text.length, unterminated: end === undefined };
  }
  if (next === '{') return readBraced(text, pos, depth);
  if (identStart.test(next)) {
    let at = pos + 2;
    while (identChar.test(text[at] ?? '')) at++;
    return { seg: { kind: 'param', start: pos, end: at, name: text.slice(pos + 1, at), op: { type: 'plain' } }, end: at, unterminated: false };
  }
  if (/[0-9@*#?$!-]/.test(next)) {
    return { seg: { kind: 'param', start: pos, end: pos + 2, name: next, op: { type: 'unsupported' } }, end: pos + 2, unterminated: false };
  }
  return undefined;
}

/** `${...}` at `pos`: a name, then an operator and its operand words. */
function readBraced(text: string, pos: number, depth: number): { seg: Seg; end: number; unterminated: boolean } {
  const opaqueToClose = (): { seg: Seg; end: number; unterminated: boolean } => {
    const end = skipBraces(text, pos + 1);
    return { seg: { kind: 'opaque', start: pos, end: end ?? text.length }, end: end ?? text.length, unterminated: end === undefined };
  };
  if (depth > maxDepth) return opaqueToClose();
  let at = pos + 2;
  const length = text[at] === '#' && text[at + 1] !== '}';
  if (length) at++;
  const nameStart = at;
  if (identStart.test(text[at] ?? '')) while (identChar.test(text[at] ?? '')) at++;
  else if (/[0-9@*#?$!-]/.test(text[at] ?? '')) at++;
  const name = text.slice(nameStart, at);
  const param = (op: ParamOp, end: number, unterminated = false) => ({ seg: { kind: 'param' as const, start: pos, end, name, op }, end, unterminated });
  if (!name || (length && text[at] !== '}')) return opaqueToClose();
  if (length) return param({ type: 'length' }, at + 1);
  const rest = text.slice(at, at + 2);
  const untilClose = (from: number): Read => readSegs(text, from, (ch) => ch === '}', depth + 1);
  const closed = (read: Read, op: ParamOp) =>
    read.unterminated || text[read.end] !== '}' ? param({ type: 'unsupported' }, text.length, true) : param(op, read.end + 1);
  if (text[at] === '}') return param(/^[A-Za-z_]/.test(name) ? { type: 'plain' } : { type: 'unsupported' }, at + 1);
  const defaultOp = /^(:?)([-=+?])/.exec(rest);
  if (defaultOp) {
    const read = untilClose(at + defaultOp[0].length);
    const sign = defaultOp[2];
    const op: ParamOp = sign === '?' ? { type: 'unsupported' } : { type: 'default', colon: defaultOp[1] === ':', alternative: sign === '+', word: read.segs };
    return closed(read, op);
  }
  if (text[at] === '/') {
    let from = at + 1;
    let all = false;
    let anchor: '' | '#' | '%' = '';
    if (text[from] === '/') { all = true; from++; } else if (text[from] === '#' || text[from] === '%') { anchor = text[from] as '#' | '%'; from++; }
    const pattern = readSegs(text, from, (ch) => ch === '/' || ch === '}', depth + 1);
    if (pattern.unterminated) return param({ type: 'unsupported' }, text.length, true);
    if (text[pattern.end] === '}') return param({ type: 'replace', all, anchor, pattern: pattern.segs, replacement: [] }, pattern.end + 1);
    const replacement = untilClose(pattern.end + 1);
    return closed(replacement, { type: 'replace', all, anchor, pattern: pattern.segs, replacement: replacement.segs });
  }
  if (text[at] === '%' || text[at] === '#') {
    const longest = text[at + 1] === text[at];
    const read = untilClose(at + (longest ? 2 : 1));
    return closed(read, { type: 'strip', suffix: text[at] === '%', longest, pattern: read.segs });
  }
  if (text[at] === '^' || text[at] === ',') {
    const all = text[at + 1] === text[at];
    const read = untilClose(at + (all ? 2 : 1));
    return closed(read, read.segs.length === 0 ? { type: 'case', upper: text[at] === '^', all } : { type: 'unsupported' });
  }
  return opaqueToClose();
}
