/**
 * The Tcl command syntax of a MacPorts Portfile: commands end at a newline or `;` outside braces, brackets and
 * quotes; words are separated by blanks; `{…}` words are literal (nested), `"…"` words and bare words may hold
 * `$var`, `${var}` and `[cmd]`; a backslash-newline joins lines; `#` starts a comment where a command starts.
 * One pass; an unclosed brace or quote ends the scan with a problem at its start, and the commands before it stand.
 */

/** A word: its literal text (undefined when it substitutes a variable or a command), and its span. */
export interface TclWord {
  text: string;
  /** The value when the word is literal: a braced word's content, or a word with no `$` or `[`. */
  literal?: string;
  start: number;
  end: number;
  /** Where the literal value starts (after an opening brace or quote). */
  valueStart: number;
  braced: boolean;
}

/** A command: its words in order. */
export type TclCommand = TclWord[];

export interface TclProblem {
  message: string;
  start: number;
  end: number;
}

/** The commands of a Tcl script between `from` and `to` of `text`, and the problem that ended the scan, if any. */
export function scanTcl(text: string, from = 0, to = text.length): { commands: TclCommand[]; problem?: TclProblem } {
  const commands: TclCommand[] = [];
  let words: TclWord[] = [];
  let i = from;
  const endCommand = (): void => {
    if (words.length > 0) commands.push(words);
    words = [];
  };
  while (i < to) {
    const c = text[i]!;
    if (c === '\\' && text[i + 1] === '\n') {
      i += 2;
    } else if (c === '\\' && text[i + 1] === '\r' && text[i + 2] === '\n') {
      i += 3;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (c === '\n' || c === ';') {
      endCommand();
      i++;
    } else if (c === '#' && words.length === 0) {
      // A comment runs to the end of the line; a backslash-newline continues it.
      while (i < to && !(text[i] === '\n' && text[i - 1] !== '\\')) i++;
    } else if (c === '{') {
      const end = braceEnd(text, i, to);
      if (end < 0) return { commands, problem: { message: 'This { is not closed, so nothing after it was read.', start: i, end: i + 1 } };
      words.push({ text: text.slice(i, end + 1), literal: text.slice(i + 1, end), start: i, end: end + 1, valueStart: i + 1, braced: true });
      i = end + 1;
    } else if (c === '"') {
      const end = quoteEnd(text, i, to);
      if (end < 0) return { commands, problem: { message: 'This " is not closed, so nothing after it was read.', start: i, end: i + 1 } };
      const inner = text.slice(i + 1, end);
      words.push({ text: text.slice(i, end + 1), ...(/[$[\\]/.test(inner) ? {} : { literal: inner }), start: i, end: end + 1, valueStart: i + 1, braced: false });
      i = end + 1;
    } else {
      const start = i;
      let brackets = 0;
      while (i < to) {
        const d = text[i]!;
        if (d === '\\' && i + 1 < to && text[i + 1] !== '\n') i += 2;
        else if (d === '[') (brackets++, i++);
        else if (d === ']' && brackets > 0) (brackets--, i++);
        else if (brackets === 0 && (d === ' ' || d === '\t' || d === '\n' || d === '\r' || d === ';' || (d === '\\' && text[i + 1] === '\n'))) break;
        else if (d === '{' && text[i - 1] === '$') {
          // `${name}`: the name runs to its `}` (a name has no blank or line break).
          i++;
          while (i < to && text[i] !== '}' && text[i] !== '\n') i++;
          if (text[i] === '}') i++;
        } else i++;
      }
      const word = text.slice(start, i);
      words.push({ text: word, ...(/[$[\\]/.test(word) ? {} : { literal: word }), start, end: i, valueStart: start, braced: false });
    }
  }
  endCommand();
  return { commands };
}

/** The offset of the `}` that closes the brace at `at` (nested braces count; a backslash escapes one), or -1. */
function braceEnd(text: string, at: number, to: number): number {
  let depth = 0;
  for (let i = at; i < to; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

/** The offset of the `"` that closes the quote at `at`, past `[…]` substitutions and backslashes, or -1. */
function quoteEnd(text: string, at: number, to: number): number {
  for (let i = at + 1; i < to; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '"') return i;
  }
  return -1;
}
