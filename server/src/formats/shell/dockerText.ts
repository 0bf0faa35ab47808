/**
 * The Dockerfile's own text rules around a RUN's command, applied before the shell scanner reads it: where the
 * command starts (past `--mount=…` flags), line continuations with the Dockerfile's escape character, and the
 * JSON strings of the exec form, each character kept at its offset in the Dockerfile.
 */
import type { ShellSource, Word } from './words';

/**
 * Where a RUN's command starts: past blanks, line continuations and `--mount=…`-style flags. (Computed here because
 * dockerfile-ast re-reads an instruction's arguments on every call, which dominated the time on long files.)
 */
export function commandStart(text: string, escape: string, from: number, end: number): number {
  let i = from;
  const skipBlanks = () => {
    for (;;) {
      while (i < end && (text[i] === ' ' || text[i] === '\t' || text[i] === '\r')) i += 1;
      if (text[i] !== escape) return;
      let j = i + 1;
      while (j < end && (text[j] === ' ' || text[j] === '\t' || text[j] === '\r')) j += 1;
      if (text[j] !== '\n') return;
      i = j + 1;
    }
  };
  skipBlanks();
  while (i < end && text.startsWith('--', i)) {
    while (i < end && !/[ \t\r\n]/.test(text[i]!)) i += 1;
    skipBlanks();
  }
  return i;
}

/**
 * The command text of a shell-form RUN as the shell sees it: Dockerfile line continuations (the escape character
 * at a line's end) joined, the comment and blank lines inside them dropped, here-document bodies left as written.
 */
export function joinContinuations(text: string, escape: string, start: number, end: number): ShellSource {
  // The text is kept in runs (slices between the continuations), not a character at a time: a string appended to
  // one character at a time is a chain of as many pieces, which cost 57 bytes a character on a RUN's command.
  const pieces: string[] = [];
  const offsets: number[] = [];
  const keep = (from: number, to: number): void => {
    if (to <= from) return;
    pieces.push(text.slice(from, to));
    for (let k = from; k < to; k += 1) offsets.push(k);
  };
  // `run` starts the text not yet kept; `lineEnd` is the end of the first logical line's current physical line.
  let run = start;
  let i = start;
  let lineEnd = lineEndFrom(text, start, end);
  while (i < end) {
    const at = text.indexOf(escape, i);
    if (at < 0 || at >= lineEnd) {
      // No escape character before the line's end: past the first logical line come only here-document bodies,
      // which keep their text (with the line end and all that follows).
      keep(run, end);
      run = end;
      break;
    }
    let j = at + 1;
    while (j < end && (text[j] === ' ' || text[j] === '\t' || text[j] === '\r')) j += 1;
    if (j < end && text[j] !== '\n') {
      // An escape character inside the line is the shell's to read.
      i = at + 1;
      continue;
    }
    keep(run, at);
    i = j + 1;
    // Docker drops comment lines and empty lines inside a continued instruction.
    while (i < end) {
      const next = lineEndFrom(text, i, end);
      const content = text.slice(i, next).trim();
      if (content !== '' && !content.startsWith('#')) break;
      i = next + 1;
    }
    run = i;
    lineEnd = lineEndFrom(text, i, end);
  }
  keep(run, end);
  offsets.push(end);
  return { text: pieces.join(''), offsets };
}

/** Where the line that holds offset `from` ends (its `\n`), or `end` when it goes past it. */
function lineEndFrom(text: string, from: number, end: number): number {
  const eol = text.indexOf('\n', from);
  return eol < 0 || eol > end ? end : eol;
}

/** A word for one JSON string of an exec-form instruction, decoded from its source (escapes included). */
export function jsonWord(text: string, start: number, end: number): Word {
  let value = '';
  const offsets: number[] = [];
  const ends: number[] = [];
  let escaped = false;
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '/': '/', '\\': '\\', '"': '"' };
  for (let i = start; i < end; i += 1) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < end) {
      const e = text[i + 1]!;
      const hex = e === 'u' ? /^[0-9a-fA-F]{4}/.exec(text.slice(i + 2, i + 6)) : null;
      value += hex ? String.fromCharCode(parseInt(hex[0], 16)) : simple[e] ?? e;
      // A two-character escape is placed at its second character, as the shell reader places `\x`, so a token that
      // ends with one ends after it (`5.6.\u` with no hex digits is "5.6.u", written up to the `u`); a `\uXXXX`
      // escape at its backslash, and it ends after its last hex digit.
      offsets.push(hex ? i : i + 1);
      ends.push(hex ? i + 6 : i + 2);
      escaped ||= hex !== null;
      i += hex ? 5 : 1;
      continue;
    }
    value += c;
    offsets.push(i);
    ends.push(i + 1);
  }
  return { parts: value ? [{ kind: 'text', value, offsets, ...(escaped ? { ends } : {}), quoted: true }] : [], start, end };
}

/** One instruction of a Dockerfile, by offsets: its keyword as written, where it starts, where the keyword ends, where it ends. */
export interface InstructionSpan {
  keyword: string;
  start: number;
  keywordEnd: number;
  end: number;
}

/**
 * A Dockerfile's instructions, split by the rules dockerfile-ast splits them by (which follow BuildKit's): an
 * instruction starts at a line's first character that is not blank and not `#`, its keyword runs to the first blank
 * or line end, and it goes on past each line that ends with the escape character (blanks may follow it), skipping the
 * comment lines inside, to the first line end that is not escaped. Undefined for a text this reader leaves to
 * dockerfile-ast, because splitting it needs more than these rules: an `escape` parser directive, a here-document
 * (`<<` or `<\\` anywhere: dockerfile-ast reads a heredoc wherever an argument starts with `<<`), or an escape
 * character inside a keyword. Linear: each character is looked at a bounded number of times.
 */
export function splitInstructions(text: string): InstructionSpan[] | undefined {
  // (An `escape` directive is looked for anywhere, a byte-order mark or a blank before it or not; an argument that
  // starts with `<<` may be written `<\<`, or with a line continuation between its two `<`.)
  if (text.includes('<<') || text.includes('<\\') || /#[ \t]*escape[ \t]*=/i.test(text)) return undefined;
  const escape = '\\';
  const out: InstructionSpan[] = [];
  const n = text.length;
  const lineEnd = (from: number): number => {
    for (let k = from; k < n; k++) {
      const c = text.charCodeAt(k);
      if (c === 10 || c === 13) return k;
    }
    return n;
  };
  // A byte-order mark is not the start of an instruction.
  for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < n; i++) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') continue;
    if (c === '#') {
      i = lineEnd(i + 1);
      continue;
    }
    const start = i;
    // The keyword: to the first blank or line end.
    let k = i + 1;
    for (; k < n; k++) {
      const d = text[k]!;
      if (d === ' ' || d === '\t' || d === '\r' || d === '\n') break;
      if (d === escape) return undefined;
    }
    const keyword = text.slice(start, k);
    if (k >= n || text[k] === '\r' || text[k] === '\n') {
      out.push({ keyword, start, keywordEnd: k, end: k });
      i = k;
      continue;
    }
    // The arguments, from the blank after the keyword, to the first line end that is not escaped.
    let escaped = false;
    let end = n;
    let j = k + 1;
    for (; j < n; j++) {
      const d = text[j]!;
      if (d === '\r' || d === '\n') {
        if (escaped) continue;
        end = j;
        break;
      }
      if (d === escape) {
        const next = text[j + 1];
        if (next === '\n' || next === '\r') {
          escaped = true;
          j++;
        } else if (next === ' ' || next === '\t') {
          // Blanks after the escape: a line end after them continues the line; any other character is taken as
          // read (and skipped, as dockerfile-ast skips it).
          let m = j + 2;
          while (m < n && (text[m] === ' ' || text[m] === '\t')) m++;
          if (m >= n) break;
          if (text[m] === '\r' || text[m] === '\n') escaped = true;
          j = m;
        }
        continue;
      }
      if (d === '#') {
        // A comment line inside a continued instruction is skipped, and the instruction goes on after it.
        if (escaped) j = lineEnd(j + 1);
        continue;
      }
      if (d !== ' ' && d !== '\t') escaped = false;
    }
    out.push({ keyword, start, keywordEnd: k, end: j >= n ? n : end });
    i = j >= n ? n : end;
  }
  return out;
}
