/**
 * Shell text → tokens: words, `name=(…)` arrays (when asked for), operators (redirections with their fd digits),
 * newlines, and the end. Comments and line continuations are stepped over; the bodies of here-documents are found
 * at the newline that ends their operator's line, and recorded on that operator, so a quote or brace inside one never
 * derails what follows. `scanShell` (./words.ts) builds commands from these tokens, and the bash assignment scanner
 * (./bashScan.ts) walks them for recipes, ebuilds and spec sections. Every offset is a source offset.
 */
import { blank, heredocEnd, literalOf, operatorChars, readWord, type Scanner } from './wordReader';
import type { Word } from './words';

/** A here-document an operator opens: its delimiter and its body as text indices of the scanner (`to` exclusive). */
export interface HeredocSpan { delimiter: string; quoted: boolean; stripTabs: boolean; from: number; to: number }

export type Token =
  | { type: 'word'; word: Word }
  | { type: 'array'; start: number; end: number; name: string; append: boolean; elements: Word[]; unterminated: boolean }
  /** A separator, a parenthesis or a redirection; `<<` and `<<-` carry the body they open once it is found. */
  | { type: 'op'; value: string; start: number; end: number; heredoc?: HeredocSpan }
  | { type: 'newline'; start: number }
  /** The end of the tokens: the end of the text, or where reading failed (`error` then says why). */
  | { type: 'eof'; start: number; error?: string };

/** What to recognise beyond POSIX words. */
export interface TokenOptions {
  /** bash's `name=(…)` and `name+=(…)` array assignments. */
  arrays?: boolean;
}

const separators = [';;&', ';;', ';&', '&&', '||', '|&', ';', '&', '|', '(', ')'];
const redirection = /^(\d*)(<<<|<<-|<<|<&|<>|<|>>|>&|>\||>|&>>|&>)/;
const identStart = /[A-Za-z_]/;
const identChar = /[A-Za-z0-9_]/;

/**
 * Splits the scanner's text into tokens. Pure; never throws: should reading fail all the same, the tokens read so
 * far end with an `eof` token at the failure, carrying its reason.
 */
export function tokenize(s: Scanner, options: TokenOptions = {}): Token[] {
  const tokens: Token[] = [];
  try {
    tokensInto(s, tokens, options);
  } catch (error) {
    tokens.push({ type: 'eof', start: s.at(Math.min(s.i, s.text.length)), error: error instanceof Error ? error.message : String(error) });
    return tokens;
  }
  tokens.push({ type: 'eof', start: s.at(s.text.length) });
  return tokens;
}

function tokensInto(s: Scanner, tokens: Token[], options: TokenOptions): void {
  const { text } = s;
  let pending: HeredocSpan[] = [];
  while (s.i < text.length) {
    const c = text[s.i]!;
    if (blank(c)) { s.i += 1; continue; }
    const continuation = text.startsWith('\\\n', s.i) ? 2 : text.startsWith('\\\r\n', s.i) ? 3 : 0;
    if (continuation > 0) { s.i += continuation; continue; }
    if (c === '#') { while (s.i < text.length && text[s.i] !== '\n') s.i += 1; continue; }
    if (c === '\n') {
      tokens.push({ type: 'newline', start: s.at(s.i) });
      s.i += 1;
      for (const doc of pending) {
        const { bodyEnd, next } = heredocEnd(text, s.i, doc.delimiter, doc.stripTabs);
        doc.from = s.i;
        doc.to = bodyEnd;
        s.i = next;
      }
      pending = [];
      continue;
    }
    const redirect = (c >= '0' && c <= '9') || c === '<' || c === '>' || c === '&' ? redirection.exec(text.slice(s.i, s.i + 8)) : null;
    if (redirect) {
      const token: Extract<Token, { type: 'op' }> = { type: 'op', value: redirect[0], start: s.at(s.i), end: s.at(s.i + redirect[0].length - 1) + 1 };
      tokens.push(token);
      s.i += redirect[0].length;
      if (redirect[2] === '<<' || redirect[2] === '<<-') {
        while (s.i < text.length && blank(text[s.i]!)) s.i += 1;
        if (s.i < text.length && !operatorChars.has(text[s.i]!) && text[s.i] !== '\n') {
          const from = s.i;
          const word = readWord(s, 'word', 0);
          tokens.push({ type: 'word', word });
          token.heredoc = { delimiter: literalOf(word), quoted: /['"\\]/.test(text.slice(from, s.i)), stripTabs: redirect[2] === '<<-', from: text.length, to: text.length };
          pending.push(token.heredoc);
        }
      }
      continue;
    }
    if (operatorChars.has(c)) {
      const op = separators.find((o) => text.startsWith(o, s.i)) ?? c;
      tokens.push({ type: 'op', value: op, start: s.at(s.i), end: s.at(s.i + op.length - 1) + 1 });
      s.i += op.length;
      continue;
    }
    const array = options.arrays ? readArray(s) : undefined;
    if (array) { tokens.push(array); continue; }
    const before = s.i;
    tokens.push({ type: 'word', word: readWord(s, 'word', 0) });
    if (s.i === before) s.i += 1;
  }
}

/** `name=(` or `name+=(` at `s.i`: the whole array up to its `)`, elements split on unquoted blanks and newlines. */
function readArray(s: Scanner): Extract<Token, { type: 'array' }> | undefined {
  const { text } = s;
  const from = s.i;
  if (!identStart.test(text[from] ?? '')) return undefined;
  let at = from + 1;
  while (identChar.test(text[at] ?? '')) at++;
  const name = text.slice(from, at);
  const append = text[at] === '+';
  if (append) at++;
  if (text[at] !== '=' || text[at + 1] !== '(') return undefined;
  s.i = at + 2;
  const elements: Word[] = [];
  const done = (unterminated: boolean): Extract<Token, { type: 'array' }> => ({ type: 'array', start: s.at(from), end: s.at(Math.max(s.i, from + 1) - 1) + 1, name, append, elements, unterminated });
  while (s.i < text.length) {
    const ch = text[s.i]!;
    if (blank(ch) || ch === '\n') { s.i++; continue; }
    if (ch === '\\' && text[s.i + 1] === '\n') { s.i += 2; continue; }
    if (ch === '#') { while (s.i < text.length && text[s.i] !== '\n') s.i++; continue; }
    if (ch === ')') { s.i++; return done(false); }
    // Bash rejects other operators inside an array; treating them as the array's end keeps the scan in step.
    if (operatorChars.has(ch)) break;
    const before = s.i;
    const word = readWord(s, 'word', 0);
    elements.push(word);
    if (s.i === before) s.i++;
    if (word.unterminated) break;
  }
  return done(true);
}
