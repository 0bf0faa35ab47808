/**
 * A small scanner for POSIX shell command text that keeps source offsets: it splits a script into simple commands
 * (on `&&`, `||`, `;`, `&`, `|`, parentheses and newlines), each into words, and each word into literal text,
 * parameter expansions and command substitutions. It follows the grammar only as far as finding packages, URLs
 * and checksums needs: no alias, arithmetic or glob expansion, and reserved words are left as plain words.
 *
 * Reuse: `scanShell({ text })` on a recipe's shell text, then `expandWord` (./expand.ts) to resolve variables.
 * Every offset is a source offset: `source.offsets[i]` (or `source.base + i`) for character i of `source.text`,
 * so a caller that joined continuation lines itself still gets offsets in the original file.
 */
import { blank, operatorChars, readHeredoc, readWord, scanner } from './wordReader';

/** Shell text to scan, with the source offset of each of its characters. */
export interface ShellSource {
  text: string;
  /** The source offset of each character of `text`; absent means `base + i`. */
  offsets?: readonly number[];
  base?: number;
}

/** Literal characters of a word, quotes and escapes removed, with the source offset of each. */
export interface TextPart { kind: 'text'; value: string; offsets: number[]; quoted: boolean }
/** `$NAME`, `${NAME}` or `${NAME<op><operand>}`; `start`/`end` cover the whole expansion in the source. */
export interface ParamPart { kind: 'param'; name: string; op?: string; operand?: Word; start: number; end: number; quoted?: true }
/** `$(...)`, backquotes or `$((...))`: never expanded (its value is unknown). */
export interface CommandPart { kind: 'command'; start: number; end: number }
export type WordPart = TextPart | ParamPart | CommandPart;

/** One shell word: its parts in order, and the source span from its first to its last character. */
export interface Word {
  parts: WordPart[];
  start: number;
  end: number;
  /** Set when a quote is left open: the shell rejects the command, so the word has no value. */
  unterminated?: true;
}

/** A here-document: its delimiter, and its body as raw text (to scan again) and as a word (with expansions). */
export interface Heredoc { delimiter: string; quoted: boolean; stripTabs: boolean; body: ShellSource; bodyWord: Word }

/** A redirection: the operator (`>`, `<<<`, `2>&`, …), its target word, and the body of a here-document. */
export interface Redirect { op: string; target?: Word; heredoc?: Heredoc }

/** A simple command: its words (assignments and reserved words included), redirections and pipeline. */
export interface ShellCommand {
  words: Word[];
  redirects: Redirect[];
  /** Commands joined by `|` share this number; any other separator starts a new pipeline. */
  pipeline: number;
}

/** Scans shell text into simple commands. Total: unterminated quotes, expansions and heredocs end at the text's end. */
export function scanShell(source: ShellSource): ShellCommand[] {
  const s = scanner(source);
  const commands: ShellCommand[] = [];
  let current: ShellCommand = { words: [], redirects: [], pipeline: 0 };
  let pipeline = 0;
  let pending: Array<{ redirect: Redirect; delimiter: string; quoted: boolean; stripTabs: boolean }> = [];
  const finish = (samePipeline: boolean) => {
    if (current.words.length > 0 || current.redirects.length > 0) commands.push(current);
    if (!samePipeline) pipeline += 1;
    current = { words: [], redirects: [], pipeline };
  };
  const { text } = source;
  while (s.i < text.length) {
    const c = text[s.i]!;
    if (blank(c)) { s.i += 1; continue; }
    if (c === '\\' && text[s.i + 1] === '\n') { s.i += 2; continue; }
    if (c === '#') { while (s.i < text.length && text[s.i] !== '\n') s.i += 1; continue; }
    if (c === '\n') {
      s.i += 1;
      finish(false);
      for (const p of pending) p.redirect.heredoc = readHeredoc(s, p.delimiter, p.quoted, p.stripTabs);
      pending = [];
      continue;
    }
    const redirect = /^(\d*)(<<<|<<-|<<|<&|<>|<|>>|>&|>\||>|&>>|&>)/.exec(text.slice(s.i, s.i + 8));
    if (redirect) {
      s.i += redirect[0].length;
      while (s.i < text.length && blank(text[s.i]!)) s.i += 1;
      const op = redirect[0];
      const target = s.i < text.length && !operatorChars.has(text[s.i]!) && text[s.i] !== '\n' ? readWord(s, 'word', 0) : undefined;
      const entry: Redirect = target ? { op, target } : { op };
      current.redirects.push(entry);
      if ((redirect[2] === '<<' || redirect[2] === '<<-') && target) {
        const raw = text.slice(s.index(target.start), s.i);
        pending.push({ redirect: entry, delimiter: literalOf(target), quoted: /['"\\]/.test(raw), stripTabs: redirect[2] === '<<-' });
      }
      continue;
    }
    if (operatorChars.has(c)) {
      const two = text.slice(s.i, s.i + 2);
      if (two === '&&' || two === '||' || two === ';;' || two === '|&') { s.i += 2; finish(false); continue; }
      s.i += 1;
      finish(c === '|');
      continue;
    }
    current.words.push(readWord(s, 'word', 0));
  }
  finish(false);
  // A heredoc whose line never ended still gets an (empty) body, so callers need not check.
  for (const p of pending) p.redirect.heredoc = readHeredoc(s, p.delimiter, p.quoted, p.stripTabs);
  return commands;
}

/** The literal text of a word when it has no expansions (`'EOF'` → `EOF`); expansions count as empty. */
export function literalOf(word: Word): string {
  return word.parts.map((p) => (p.kind === 'text' ? p.value : '')).join('');
}

/** Whether a word is pure literal text (no expansion or substitution). */
export function isLiteral(word: Word): boolean {
  return word.parts.every((p) => p.kind === 'text');
}

/** Scans a here-document body (or any text) for expansions only: quotes are literal, `\` escapes `$`, `` ` ``, `\`. */
export function scanHereText(source: ShellSource): Word {
  return readWord(scanner(source), 'heredoc', 0);
}

/** Scans a whole text as one word (quotes removed, expansions kept), blanks included: an ARG or ENV value. */
export function scanValue(source: ShellSource): Word {
  return readWord(scanner(source), 'value', 0);
}
