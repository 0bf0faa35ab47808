/**
 * A small Ruby tokenizer for Gemfiles and gemspecs: strings (quoted, `%q()`-style, with their interpolations),
 * `%w[]`/`%i[]` word lists, symbols and labels, heredocs, comments (`#`, `=begin`…`=end`, `__END__`), regular
 * expressions, identifiers and punctuation, each with its offsets. It reads what a dependency declaration needs,
 * not all of Ruby: an operator is a one-character `punct`, and the scanner never looks back more than one token.
 */

/** A string literal: its text, where its characters are (inside the delimiters), and whether that text is the literal's. */
export interface StringToken {
  t: 'str';
  value: string;
  /** The offset of the opening delimiter (the quote, or the `%` of `%q(`) and just past the closing one. */
  open: number;
  close: number;
  /** The offsets of the characters between the delimiters. */
  start: number;
  end: number;
  /** No escapes and no interpolation: `value` is exactly the text between `start` and `end`. */
  exact: boolean;
  /** A `%w[]`/`%i[]` list (its `value` is the whole list's text). */
  words?: true;
}

/** A token: a string, an identifier (or keyword, or number), a symbol, a `label:`, a line break, or punctuation. */
export type Token =
  | StringToken
  | { t: 'ident' | 'sym' | 'label' | 'punct'; value: string; start: number; end: number }
  | { t: 'nl'; start: number; end: number };

/** The tokens of a Ruby text and, when it stopped early, where and why. */
export interface Tokens {
  tokens: Token[];
  problem?: { message: string; start: number; end: number };
}

const pairs: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}', '<': '>' };
const maxNesting = 32;

/** Tokenizes a Ruby text; an unterminated string, heredoc or comment block ends it with a problem. */
export function tokenize(text: string): Tokens {
  const tokens: Token[] = [];
  // Heredocs opened on the current line, whose bodies start after its line break.
  const heredocs: Array<{ id: string; indented: boolean; start: number }> = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  const valueBefore = (): boolean => {
    const last = tokens[tokens.length - 1];
    if (!last) return false;
    if (last.t === 'str' || last.t === 'sym') return true;
    if (last.t === 'ident') return !/^(if|unless|while|until|and|or|not|when|in|return|then|do|else|elsif)$/.test(last.value);
    return last.t === 'punct' && (last.value === ')' || last.value === ']' || last.value === '}');
  };
  const atLineStart = (at: number): boolean => at === 0 || text.charCodeAt(at - 1) === 0x0a || text.charCodeAt(at - 1) === 0x0d;
  while (i < n) {
    const c = text[i]!;
    if (c === '\n' || c === '\r') {
      const end = c === '\r' && text[i + 1] === '\n' ? i + 2 : i + 1;
      tokens.push({ t: 'nl', start: i, end });
      i = end;
      // Heredoc bodies follow the line that opened them, in order.
      while (heredocs.length > 0) {
        const doc = heredocs.shift()!;
        const after = skipHeredoc(text, i, doc.id, doc.indented);
        if (after < 0) return { tokens, problem: { message: `The heredoc <<${doc.id} is not closed, so the rest of this file was not read`, start: doc.start, end: doc.start } };
        i = after;
      }
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\f' || c === '\v') {
      i++;
      continue;
    }
    if (c === '\\' && (text[i + 1] === '\n' || text[i + 1] === '\r')) {
      // A line continuation: the break is not a statement's end.
      i += text[i + 1] === '\r' && text[i + 2] === '\n' ? 3 : 2;
      continue;
    }
    if (c === '#') {
      while (i < n && text[i] !== '\n' && text[i] !== '\r') i++;
      continue;
    }
    if (atLineStart(i) && text.startsWith('=begin', i) && !/[A-Za-z0-9_]/.test(text[i + 6] ?? ' ')) {
      const end = findLineStarting(text, i + 6, '=end');
      if (end < 0) return { tokens, problem: { message: 'The =begin comment is not closed by =end, so the rest of this file was not read', start: i, end: i + 6 } };
      i = end;
      continue;
    }
    if (atLineStart(i) && text.startsWith('__END__', i) && /^(\r|\n|$)/.test(text.slice(i + 7, i + 8))) break;
    if (c === '"' || c === "'" || c === '`') {
      const s = quoted(text, i, c, c, c !== "'", 0);
      if ('error' in s) return { tokens, problem: s.error };
      i = s.close;
      if (text[i] === ':' && text[i + 1] !== ':') {
        tokens.push({ t: 'label', value: s.value, start: s.open, end: i + 1 });
        i++;
      } else tokens.push(s);
      continue;
    }
    if (c === '%') {
      const literal = percentLiteral(text, i, valueBefore());
      if (literal) {
        if ('error' in literal) return { tokens, problem: literal.error };
        tokens.push(literal);
        i = literal.close;
        continue;
      }
    }
    if (c === '<' && text[i + 1] === '<' && !valueBefore()) {
      const m = /^<<([~-]?)(?:(['"`])([^'"`\r\n]*)\2|([A-Za-z_][A-Za-z0-9_]*))/.exec(text.slice(i, i + 256));
      if (m) {
        heredocs.push({ id: m[3] ?? m[4]!, indented: m[1] !== '', start: i });
        // The heredoc stands for a string whose text is not on this line: a value that is not a literal here.
        tokens.push({ t: 'str', value: '', open: i, close: i + m[0].length, start: i, end: i, exact: false });
        i += m[0].length;
        continue;
      }
    }
    if (c === '/' && !valueBefore()) {
      const s = quoted(text, i, '/', '/', true, 0);
      if ('error' in s) return { tokens, problem: s.error };
      tokens.push({ t: 'sym', value: s.value, start: s.open, end: s.close });
      i = s.close;
      while (/[a-z]/.test(text[i] ?? '')) i++;
      continue;
    }
    if (c === ':' && text[i + 1] === ':') {
      tokens.push({ t: 'punct', value: '::', start: i, end: i + 2 });
      i += 2;
      continue;
    }
    if (c === ':' && (text[i + 1] === '"' || text[i + 1] === "'")) {
      const s = quoted(text, i + 1, text[i + 1]!, text[i + 1]!, text[i + 1] === '"', 0);
      if ('error' in s) return { tokens, problem: s.error };
      tokens.push({ t: 'sym', value: s.value, start: i, end: s.close });
      i = s.close;
      continue;
    }
    if (c === ':' && /[A-Za-z_]/.test(text[i + 1] ?? '')) {
      let j = i + 1;
      while (j < n && isIdentChar(text.charCodeAt(j))) j++;
      if (text[j] === '?' || text[j] === '!' || text[j] === '=') j++;
      tokens.push({ t: 'sym', value: text.slice(i + 1, j), start: i, end: j });
      i = j;
      continue;
    }
    if (c === '?' && /[A-Za-z0-9_]/.test(text[i + 1] ?? '') && !isIdentChar(text.charCodeAt(i + 2)) && !valueBefore()) {
      // A character literal (?a).
      tokens.push({ t: 'str', value: text[i + 1]!, open: i, close: i + 2, start: i + 1, end: i + 2, exact: false });
      i += 2;
      continue;
    }
    if (isIdentChar(text.charCodeAt(i)) || c === '@' || c === '$') {
      let j = i + 1;
      while (j < n && (isIdentChar(text.charCodeAt(j)) || (text[j] === '.' && /[0-9]/.test(text[i]!) && /[0-9]/.test(text[j + 1] ?? '')))) j++;
      if ((text[j] === '?' || text[j] === '!') && text[j + 1] !== '=') j++;
      const value = text.slice(i, j);
      if (text[j] === ':' && text[j + 1] !== ':' && /^[A-Za-z_]/.test(value)) {
        tokens.push({ t: 'label', value, start: i, end: j + 1 });
        i = j + 1;
      } else {
        tokens.push({ t: 'ident', value, start: i, end: j });
        i = j;
      }
      continue;
    }
    if (c === '=' && text[i + 1] === '>') {
      tokens.push({ t: 'punct', value: '=>', start: i, end: i + 2 });
      i += 2;
      continue;
    }
    tokens.push({ t: 'punct', value: c, start: i, end: i + 1 });
    i++;
  }
  if (heredocs.length > 0) return { tokens, problem: { message: `The heredoc <<${heredocs[0]!.id} is not closed, so the rest of this file was not read`, start: heredocs[0]!.start, end: heredocs[0]!.start } };
  return { tokens };
}

/**
 * A delimited literal whose opening delimiter is at `i`: up to the matching `close` (nested pairs counted when
 * open and close differ), with backslash escapes, and with `#{…}` interpolations when `interpolates`.
 */
function quoted(text: string, i: number, open: string, close: string, interpolates: boolean, depth: number): StringToken | { error: { message: string; start: number; end: number } } {
  const unclosed = { error: { message: 'This string is not closed, so the rest of this file was not read', start: i, end: i + 1 } };
  if (depth > maxNesting) return unclosed;
  let value = '';
  let exact = true;
  let nest = 0;
  let j = i + 1;
  while (j < text.length) {
    const c = text[j]!;
    if (c === '\\') {
      exact = false;
      const next = text[j + 1];
      if (next === undefined) return unclosed;
      value += next === close || next === '\\' || next === open ? next : interpolates ? unescape(next) : `\\${next}`;
      j += 2;
      continue;
    }
    if (open !== close && c === open) nest++;
    else if (c === close) {
      if (nest === 0) return { t: 'str', value, open: i, close: j + 1, start: i + 1, end: j, exact };
      nest--;
    } else if (interpolates && c === '#' && text[j + 1] === '{') {
      exact = false;
      const end = interpolation(text, j + 2, depth + 1);
      if (end < 0) return unclosed;
      j = end;
      continue;
    }
    value += c;
    j++;
  }
  return unclosed;
}

/** Just past the `}` that ends an interpolation whose code starts at `i`; -1 when it is not closed. */
function interpolation(text: string, i: number, depth: number): number {
  if (depth > maxNesting) return -1;
  let braces = 0;
  for (let j = i; j < text.length; j++) {
    const c = text[j]!;
    if (c === '"' || c === "'" || c === '`') {
      const s = quoted(text, j, c, c, c !== "'", depth + 1);
      if ('error' in s) return -1;
      j = s.close - 1;
    } else if (c === '{') braces++;
    else if (c === '}') {
      if (braces === 0) return j + 1;
      braces--;
    }
  }
  return -1;
}

/** A `%q(...)`, `%w[...]`, `%(...)` literal at `i`, undefined when the `%` is the modulo operator. */
function percentLiteral(text: string, i: number, afterValue: boolean): StringToken | { error: { message: string; start: number; end: number } } | undefined {
  let kind = text[i + 1] ?? '';
  let at = i + 1;
  if (/^[qQwWiIrsx]$/.test(kind)) at = i + 2;
  else if (afterValue) return undefined;
  else kind = 'Q';
  const open = text[at] ?? '';
  if (open === '' || /[A-Za-z0-9\s]/.test(open) || (kind === 'Q' && at === i + 1 && !/[([{<|!/^]/.test(open))) return undefined;
  const close = pairs[open] ?? open;
  const s = quoted(text, at, open, close, kind === 'Q' || kind === 'W' || kind === 'I' || kind === 'r' || kind === 'x', 0);
  if ('error' in s) return s;
  const words = kind === 'w' || kind === 'W' || kind === 'i' || kind === 'I';
  return { ...s, open: i, ...(words ? { words: true as const } : {}), exact: s.exact && !words };
}

/** Just past a heredoc's terminator line, the body starting at `i`; -1 when there is none. */
function skipHeredoc(text: string, i: number, id: string, indented: boolean): number {
  let at = i;
  while (at < text.length) {
    let end = at;
    while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
    const line = text.slice(at, end);
    const next = end + (text[end] === '\r' && text[end + 1] === '\n' ? 2 : end < text.length ? 1 : 0);
    if ((indented ? line.trim() : line) === id) return next;
    if (end >= text.length) return -1;
    at = next;
  }
  return -1;
}

/** The offset just past the line that starts with `word` at or after `i`, or -1. */
function findLineStarting(text: string, i: number, word: string): number {
  for (let at = text.indexOf(`\n${word}`, i); at >= 0; at = text.indexOf(`\n${word}`, at + 1)) {
    const after = text[at + 1 + word.length];
    if (after === undefined || !/[A-Za-z0-9_]/.test(after)) {
      let end = at + 1;
      while (end < text.length && text[end] !== '\n') end++;
      return end;
    }
  }
  return -1;
}

const simpleEscapes: Readonly<Record<string, string>> = { n: '\n', t: '\t', s: ' ', r: '\r', '0': '\0', e: '\x1b', a: '\x07', b: '\b', f: '\f', v: '\v' };

function unescape(c: string): string {
  return simpleEscapes[c] ?? c;
}

function isIdentChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c >= 0x80;
}
