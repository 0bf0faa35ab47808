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
  let out = '';
  const offsets: number[] = [];
  let i = start;
  while (i < end) {
    const c = text[i]!;
    if (c === escape) {
      let j = i + 1;
      while (j < end && (text[j] === ' ' || text[j] === '\t' || text[j] === '\r')) j += 1;
      if (j >= end || text[j] === '\n') {
        i = j + 1;
        // Docker drops comment lines and empty lines inside a continued instruction.
        while (i < end) {
          const eol = text.indexOf('\n', i);
          const lineEnd = eol < 0 || eol > end ? end : eol;
          const content = text.slice(i, lineEnd).trim();
          if (content !== '' && !content.startsWith('#')) break;
          i = lineEnd + 1;
        }
        continue;
      }
    }
    if (c === '\n') {
      // Past the first logical line come only here-document bodies, which keep their text.
      out += text.slice(i, end);
      for (let k = i; k < end; k += 1) offsets.push(k);
      i = end;
      break;
    }
    out += c;
    offsets.push(i);
    i += 1;
  }
  offsets.push(end);
  return { text: out, offsets };
}

/** A word for one JSON string of an exec-form instruction, decoded from its source (escapes included). */
export function jsonWord(text: string, start: number, end: number): Word {
  let value = '';
  const offsets: number[] = [];
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '/': '/', '\\': '\\', '"': '"' };
  for (let i = start; i < end; i += 1) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < end) {
      const e = text[i + 1]!;
      const hex = e === 'u' ? /^[0-9a-fA-F]{4}/.exec(text.slice(i + 2, i + 6)) : null;
      value += hex ? String.fromCharCode(parseInt(hex[0], 16)) : simple[e] ?? e;
      // A two-character escape is placed at its second character, as the shell reader places `\x`, so a token that
      // ends with one ends after it (`5.6.\u` with no hex digits is "5.6.u", written up to the `u`).
      offsets.push(hex ? i : i + 1);
      i += hex ? 5 : 1;
      continue;
    }
    value += c;
    offsets.push(i);
  }
  return { parts: value ? [{ kind: 'text', value, offsets, quoted: true }] : [], start, end };
}
