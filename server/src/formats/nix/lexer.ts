/**
 * A tokenizer for the Nix expression language, as far as finding bindings and their strings needs: identifiers,
 * double-quoted strings and `''` indented strings (with their escapes and `${…}` interpolations, lexed as
 * code), URIs, paths, numbers and punctuation, skipping `#` and `/* … *\/` comments. One pass; an unterminated
 * string, indented string or comment ends the scan with a problem at its start, and the tokens before it stand.
 */

/**
 * A run of a string's characters: literal text written as it reads from file offset `at` (-1 for characters an
 * escape wrote), or an interpolation.
 */
export type StringPart = { kind: 'text'; text: string; at: number } | { kind: 'interpolation'; tokens: Token[]; start: number; end: number };

/** The parts of one string as they are read: runs of source text are kept as slices, not character by character. */
function partsBuilder(text: string): { literal(from: number, to: number): void; escaped(ch: string): void; interpolation(part: StringPart): void; parts: StringPart[] } {
  const parts: StringPart[] = [];
  return {
    parts,
    literal(from, to) {
      if (to > from) parts.push({ kind: 'text', text: text.slice(from, to), at: from });
    },
    escaped(ch) {
      parts.push({ kind: 'text', text: ch, at: -1 });
    },
    interpolation(part) {
      parts.push(part);
    },
  };
}

/** A token: its kind, its source span and, for a string, its parts. */
export type Token =
  | { kind: 'id' | 'uri' | 'path' | 'number' | 'punct'; text: string; start: number; end: number }
  | { kind: 'string'; text: string; start: number; end: number; parts: StringPart[]; indented: boolean };

/** Where the scan stopped short: an unterminated string or comment, or interpolations nested too deep. */
export interface LexProblem {
  reason: 'syntax' | 'limit';
  message: string;
  start: number;
  end: number;
}

/** The tokens of a Nix text, and the problem that ended the scan early, if any. */
export interface Lexed {
  tokens: Token[];
  problem?: LexProblem;
}

/** How deep `${ "${ … }" }` may nest before the scan stops: real expressions nest two or three levels. */
const maxDepth = 64;

/** Tokenizes a Nix text. */
export function lexNix(text: string): Lexed {
  const state: State = { text, i: 0 };
  const tokens = lexCode(state, false, 0);
  return state.problem ? { tokens, problem: state.problem } : { tokens };
}

interface State {
  text: string;
  i: number;
  problem?: LexProblem;
  /** The last run of path characters found (see `runEnd`). */
  run?: { from: number; end: number };
}

const punctuation2 = new Set(['==', '!=', '<=', '>=', '&&', '||', '->', '++', '//', '${', '...', '?']);

/** Code tokens up to the end, or (inside an interpolation) up to the `}` that closes it, which is consumed. */
function lexCode(s: State, interpolation: boolean, depth: number, into?: Token[]): Token[] {
  const { text } = s;
  const out: Token[] = into ?? [];
  let braces = 0;
  while (s.i < text.length && !s.problem) {
    const c = text[s.i]!;
    const start = s.i;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      s.i++;
    } else if (c === '#') {
      const end = text.indexOf('\n', s.i);
      s.i = end < 0 ? text.length : end;
    } else if (c === '/' && text[s.i + 1] === '*') {
      const end = text.indexOf('*/', s.i + 2);
      if (end < 0) return fail(s, out, 'syntax', 'This /* comment is not closed, so nothing after it was read.', start);
      s.i = end + 2;
    } else if (c === '"') {
      if (depth >= maxDepth) return fail(s, out, 'limit', `Strings are nested more than ${maxDepth} levels deep here, so nothing after this was read.`, start);
      const token = lexString(s, depth);
      if (token) out.push(token);
    } else if (c === "'" && text[s.i + 1] === "'") {
      if (depth >= maxDepth) return fail(s, out, 'limit', `Strings are nested more than ${maxDepth} levels deep here, so nothing after this was read.`, start);
      const token = lexIndented(s, depth);
      if (token) out.push(token);
    } else if (c === '<' && /^<[A-Za-z0-9._+-]+(?:\/[A-Za-z0-9._+-]+)*>/.test(text.slice(s.i, s.i + 256))) {
      const end = text.indexOf('>', s.i) + 1;
      out.push({ kind: 'path', text: text.slice(start, end), start, end });
      s.i = end;
    } else if (isPathChar(c) || c === '/' || c === '~') {
      // `'` inside an identifier (`foo'`) is read with it; `''` always starts an indented string (above).
      out.push(lexWord(s));
    } else if (c === '$' && text[s.i + 1] === '{') {
      // A dynamic attribute name, `${expr}` in code: its tokens are read as code, into this list (not copied up
      // from one level to the next, which was quadratic in the nesting).
      if (depth >= maxDepth) return fail(s, out, 'limit', `Interpolations are nested more than ${maxDepth} levels deep here, so nothing after this was read.`, start);
      s.i += 2;
      lexCode(s, true, depth + 1, out);
    } else if (c === '{') {
      braces++;
      s.i++;
      out.push({ kind: 'punct', text: c, start, end: s.i });
    } else if (c === '}') {
      s.i++;
      if (interpolation && braces === 0) return out;
      braces--;
      out.push({ kind: 'punct', text: c, start, end: s.i });
    } else {
      const three = text.slice(s.i, s.i + 3);
      const two = text.slice(s.i, s.i + 2);
      const op = three === '...' ? three : punctuation2.has(two) ? two : c;
      s.i += op.length;
      out.push({ kind: 'punct', text: op, start, end: s.i });
    }
  }
  if (interpolation && !s.problem) s.problem = { reason: 'syntax', message: 'This ${ is not closed, so nothing after it was read.', start: text.length, end: text.length };
  return out;
}

function fail(s: State, out: Token[], reason: LexProblem['reason'], message: string, start: number): Token[] {
  s.problem ??= { reason, message, start, end: start + 1 };
  s.i = s.text.length;
  return out;
}

function isPathChar(c: string | undefined): boolean {
  if (c === undefined) return false;
  const x = c.charCodeAt(0);
  return (x >= 0x61 && x <= 0x7a) || (x >= 0x41 && x <= 0x5a) || (x >= 0x30 && x <= 0x39) || c === '.' || c === '_' || c === '+' || c === '-';
}

function isIdStart(c: string | undefined): boolean {
  if (c === undefined) return false;
  const x = c.charCodeAt(0);
  return (x >= 0x61 && x <= 0x7a) || (x >= 0x41 && x <= 0x5a) || c === '_';
}

function isIdChar(c: string | undefined): boolean {
  return c !== undefined && (isIdStart(c) || (c >= '0' && c <= '9') || c === "'" || c === '-');
}

function isUriChar(c: string | undefined): boolean {
  return c !== undefined && (isPathChar(c) || "%/?:@&=$,!~*'".includes(c));
}

/**
 * The end of the run of path characters that `start` is in. Every position of a run has the same end, so it is
 * found once per run, not once per token of it (`a.b.c.d` is many tokens), which keeps the scan linear.
 */
function runEnd(s: State, start: number): number {
  if (s.run && start >= s.run.from && start < s.run.end) return s.run.end;
  let end = start;
  while (end < s.text.length && isPathChar(s.text[end])) end++;
  s.run = { from: start, end };
  return end;
}

/** An identifier, a number, a path (`./a/b`, `a/b`, `/nix/store`, `~/x`) or a URI (`https://x/y`). */
function lexWord(s: State): Token {
  const { text } = s;
  const start = s.i;
  const c = text[start]!;
  const end = c === '~' ? start + 1 : runEnd(s, start);
  // A URI: a scheme, `:` and a URI character (Nix reads `x:y` as a URI, `x: y` as a lambda).
  if (isIdStart(c) && text[end] === ':' && isUriChar(text[end + 1])) {
    let k = end + 1;
    while (isUriChar(text[k])) k++;
    s.i = k;
    return { kind: 'uri', text: text.slice(start, k), start, end: k };
  }
  // A path has a `/` followed by a path character: `a/b`, `./b`, `/nix/store`; `/*` starts a comment instead.
  if (text[end] === '/' && isPathChar(text[end + 1])) {
    let k = end;
    while (text[k] === '/' && isPathChar(text[k + 1])) {
      k++;
      while (isPathChar(text[k])) k++;
    }
    s.i = k;
    return { kind: 'path', text: text.slice(start, k), start, end: k };
  }
  if (isIdStart(c)) {
    let k = start;
    while (isIdChar(text[k])) k++;
    s.i = k;
    return { kind: 'id', text: text.slice(start, k), start, end: k };
  }
  if (c >= '0' && c <= '9') {
    let k = start;
    while (text[k] !== undefined && text[k]! >= '0' && text[k]! <= '9') k++;
    s.i = k;
    return { kind: 'number', text: text.slice(start, k), start, end: k };
  }
  // A lone `.`, `-`, `+`, `/`, `~`, or the `//` update operator.
  s.i = start + (text.slice(start, start + 2) === '//' ? 2 : 1);
  return { kind: 'punct', text: text.slice(start, s.i), start, end: s.i };
}

/** A double-quoted string: `\` escapes, `${…}` interpolates, `$${` is literal. */
function lexString(s: State, depth: number): Token | undefined {
  const { text } = s;
  const start = s.i;
  s.i++;
  const b = partsBuilder(text);
  let run = s.i;
  while (s.i < text.length) {
    const c = text[s.i]!;
    if (c === '"') {
      b.literal(run, s.i);
      s.i++;
      return { kind: 'string', text: text.slice(start, s.i), start, end: s.i, parts: b.parts, indented: false };
    }
    if (c === '\\' && s.i + 1 < text.length) {
      b.literal(run, s.i);
      const e = text[s.i + 1]!;
      b.escaped(escaped(e));
      s.i += 2;
      run = s.i;
    } else if (c === '$' && text[s.i + 1] === '$') {
      s.i += 2;
    } else if (c === '$' && text[s.i + 1] === '{') {
      b.literal(run, s.i);
      if (!interpolate(s, b, depth)) return undefined;
      run = s.i;
    } else {
      s.i++;
    }
  }
  s.problem ??= { reason: 'syntax', message: 'This string is not closed, so nothing after it was read.', start, end: start + 1 };
  return undefined;
}

/** Reads the `${…}` at `s.i` into the string's parts; false when reading stopped inside it (`s.problem`). */
function interpolate(s: State, b: ReturnType<typeof partsBuilder>, depth: number): boolean {
  const from = s.i;
  s.i += 2;
  const tokens = lexCode(s, true, depth + 1);
  if (s.problem) return false;
  b.interpolation({ kind: 'interpolation', tokens, start: from, end: s.i });
  return true;
}

/** What a backslash escape of `c` stands for in a Nix string. */
function escaped(c: string): string {
  return c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c;
}

/** An indented string: `''$`, `'''` and `''\x` escape, `${…}` interpolates, `''` ends it. Indentation is kept as written. */
function lexIndented(s: State, depth: number): Token | undefined {
  const { text } = s;
  const start = s.i;
  s.i += 2;
  const b = partsBuilder(text);
  let run = s.i;
  while (s.i < text.length) {
    const c = text[s.i]!;
    if (c === "'" && text[s.i + 1] === "'") {
      const e = text[s.i + 2];
      b.literal(run, s.i);
      if (e === '$') {
        b.escaped('$');
        s.i += 3;
      } else if (e === "'") {
        b.escaped("''");
        s.i += 3;
      } else if (e === '\\' && s.i + 3 < text.length) {
        const x = text[s.i + 3]!;
        b.escaped(escaped(x));
        s.i += 4;
      } else {
        s.i += 2;
        return { kind: 'string', text: text.slice(start, s.i), start, end: s.i, parts: b.parts, indented: true };
      }
      run = s.i;
    } else if (c === '$' && text[s.i + 1] === '{') {
      b.literal(run, s.i);
      if (!interpolate(s, b, depth)) return undefined;
      run = s.i;
    } else {
      s.i++;
    }
  }
  s.problem ??= { reason: 'syntax', message: "This '' string is not closed, so nothing after it was read.", start, end: start + 2 };
  return undefined;
}
