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
import { tokenize, type HeredocSpan } from './tokens';
import { indices, literalOf, readWord, scanner, sub, type Scanner } from './wordReader';

export { literalOf };

/** Shell text to scan, with the source offset of each of its characters. */
export interface ShellSource {
  text: string;
  /** The source offset of each character of `text`; absent means `base + i`. */
  offsets?: readonly number[];
  base?: number;
}

/** Literal characters of a word, quotes and escapes removed, with the source offset of each. */
/**
 * Literal text: each character's source offset, and, where a character is written with more than one source
 * character after it (a JSON escape such as `\u0031`), the offset just after each (`ends`; else `offsets[i] + 1`).
 */
export interface TextPart { kind: 'text'; value: string; offsets: number[]; ends?: number[]; quoted: boolean }
/**
 * `$NAME`, `${NAME}` or `${NAME<op><operand>}`; `start`/`end` cover the whole expansion in the source. `op` is the
 * operator as written (`:-`, `-`, `:=`, `=`, `:+`, `+`, `:?`, `?`, `#`, `##`, `%`, `%%`, `/`, `//`, `/#`, `/%`, `^`,
 * `^^`, `,`, `,,`, `:`), or `length` for `${#NAME}`; `operand` is the word after it (the pattern, for `/`), and
 * `replacement` the word after a pattern's `/`.
 */
export interface ParamPart { kind: 'param'; name: string; op?: string; operand?: Word; replacement?: Word; start: number; end: number; quoted?: true }
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
  const tokens = tokenize(s);
  const commands: ShellCommand[] = [];
  let current: ShellCommand = { words: [], redirects: [], pipeline: 0 };
  let pipeline = 0;
  const heredocs: Array<{ redirect: Redirect; span: HeredocSpan }> = [];
  const finish = (samePipeline: boolean) => {
    if (current.words.length > 0 || current.redirects.length > 0) commands.push(current);
    if (!samePipeline) pipeline += 1;
    current = { words: [], redirects: [], pipeline };
  };
  for (let k = 0; k < tokens.length; k += 1) {
    const token = tokens[k]!;
    if (token.type === 'word') current.words.push(token.word);
    else if (token.type === 'newline' || token.type === 'eof') finish(false);
    else if (token.type === 'op' && /[<>]/.test(token.value)) {
      const next = tokens[k + 1];
      const redirect: Redirect = next?.type === 'word' ? { op: token.value, target: next.word } : { op: token.value };
      if (next?.type === 'word') k += 1;
      current.redirects.push(redirect);
      if (token.heredoc) heredocs.push({ redirect, span: token.heredoc });
    } else if (token.type === 'op') finish(token.value === '|');
  }
  // A heredoc whose line never ended still gets an (empty) body, so callers need not check.
  for (const { redirect, span } of heredocs) redirect.heredoc = heredocOf(s, span);
  return commands;
}

/** A here-document's body as a source, and as a word: literal when its delimiter is quoted, else with expansions. */
function heredocOf(s: Scanner, span: HeredocSpan): Heredoc {
  const { delimiter, quoted, stripTabs, from, to } = span;
  const body = sub(s, from, to);
  const bodyWord: Word = quoted
    ? { parts: body.text ? [{ kind: 'text', value: body.text, offsets: indices(s, from, to), quoted: true }] : [], start: s.at(from), end: to > from ? s.at(to - 1) + 1 : s.at(from) }
    : readWord(scanner(body), 'heredoc', 0);
  return { delimiter, quoted, stripTabs, body, bodyWord };
}

/** Whether a word is pure literal text (no expansion or substitution). */
export function isLiteral(word: Word): boolean {
  return word.parts.every((p) => p.kind === 'text');
}

/** Scans a here-document body (or any text) for expansions only: quotes are literal, `\` escapes `$`, `` ` ``, `\`. */
export function scanHereText(source: ShellSource): Word {
  return readWord(scanner(source), 'heredoc', 0);
}

/**
 * Scans a whole text as one word (quotes removed, expansions kept), blanks included: a Dockerfile's ARG, ENV or FROM
 * value, as BuildKit reads it (`$"…"` and `$'…'` are not bash's quotes there: the `$` stays).
 */
export function scanValue(source: ShellSource): Word {
  return readWord(scanner(source), 'value', 0);
}
