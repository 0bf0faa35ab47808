/**
 * A Ruby token scanner for Homebrew formulae: identifiers, labels (`arm64_sonoma:`), symbols, numbers,
 * punctuation and string literals with their value and span, each marked when it starts its line; comments,
 * `=begin`/`=end` blocks, heredoc bodies, regular expressions and `%w[]`-style literals are skipped as Ruby
 * reads them, so nothing inside them is taken for a stanza. One pass; an unterminated literal ends the scan with a
 * problem at its start, and the tokens before it stand.
 */

/** A token; a string's `value` is set only when it has no interpolation (`#{…}`). */
export interface RubyToken {
  kind: 'id' | 'label' | 'symbol' | 'number' | 'string' | 'punct' | 'newline';
  text: string;
  start: number;
  end: number;
  /** For a string: its value, when it is plain (no interpolation), and where that value starts in the file. */
  value?: string;
  valueStart?: number;
}

/** Where the scan stopped short. */
export interface RubyProblem {
  message: string;
  start: number;
  end: number;
}

/** The tokens of a Ruby text (with `newline` tokens that end statements), and the problem that ended the scan, if any. */
export function scanRuby(text: string): { tokens: RubyToken[]; problem?: RubyProblem } {
  const tokens: RubyToken[] = [];
  const heredocs: { id: string; squiggly: boolean; start: number }[] = [];
  let i = 0;
  let depth = 0;
  const n = text.length;
  const fail = (message: string, start: number): { tokens: RubyToken[]; problem: RubyProblem } => ({ tokens, problem: { message, start, end: start + 1 } });
  const last = (): RubyToken | undefined => tokens[tokens.length - 1];
  while (i < n) {
    const c = text[i]!;
    const start = i;
    const lineStart = i === 0 || text[i - 1] === '\n';
    if (c === '\n') {
      i++;
      if (depth === 0 && last()?.kind !== 'newline' && last()?.text !== '\\') tokens.push({ kind: 'newline', text: '\n', start, end: i });
      // Heredoc bodies start on the line after their opener, in order.
      while (heredocs.length > 0) {
        const doc = heredocs.shift()!;
        const end = heredocEnd(text, i, doc.id, doc.squiggly);
        if (end < 0) return fail(`This heredoc (<<${doc.id}) is not closed, so nothing after it was read.`, doc.start);
        i = end;
      }
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (c === '\\' && text[i + 1] === '\n') {
      i += 2;
    } else if (c === '#') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? n : end;
    } else if (lineStart && text.startsWith('=begin', i)) {
      const end = text.indexOf('\n=end', i);
      if (end < 0) return fail('This =begin comment is not closed, so nothing after it was read.', start);
      const after = text.indexOf('\n', end + 1);
      i = after < 0 ? n : after;
    } else if (lineStart && text.startsWith('__END__', i) && (text[i + 7] === '\n' || i + 7 === n)) {
      break;
    } else if (c === '"' || c === "'" || c === '`') {
      const s = quoted(text, i, c, c, c !== "'");
      if (!s) return fail('This string is not closed, so nothing after it was read.', start);
      tokens.push({ kind: 'string', text: text.slice(start, s.end), start, end: s.end, ...(s.plain ? { value: s.value, valueStart: start + 1 } : {}) });
      i = s.end;
    } else if (c === '%' && /[qQwWiIr]?[^\sA-Za-z0-9]/.test(text.slice(i + 1, i + 3)) && percentLiteralAllowed(last())) {
      const kind = /[qQwWiIr]/.test(text[i + 1]!) ? text[i + 1]! : 'Q';
      const open = text[i + (kind === text[i + 1] ? 2 : 1)]!;
      const close = closing[open] ?? open;
      const s = quoted(text, i + (kind === text[i + 1] ? 2 : 1), open, close, kind !== 'q' && kind !== 'w' && kind !== 'i');
      if (!s) return fail('This % literal is not closed, so nothing after it was read.', start);
      tokens.push({ kind: kind === 'q' || kind === 'Q' ? 'string' : 'punct', text: text.slice(start, s.end), start, end: s.end, ...((kind === 'q' || kind === 'Q') && s.plain ? { value: s.value, valueStart: start + (kind === text[i + 1] ? 3 : 2) } : {}) });
      i = s.end;
    } else if (c === '/' && regexAllowed(last(), text, i)) {
      const s = quoted(text, i, '/', '/', true);
      if (!s) return fail('This regular expression is not closed, so nothing after it was read.', start);
      i = s.end;
      while (/[a-z]/.test(text[i] ?? '')) i++;
      tokens.push({ kind: 'punct', text: text.slice(start, i), start, end: i });
    } else if (c === '<' && text[i + 1] === '<' && /^<<[~-]?(["'`]?)[A-Za-z_]\w*\1/.test(text.slice(i, i + 128)) && heredocAllowed(last(), text, i)) {
      const m = /^<<([~-]?)(["'`]?)([A-Za-z_]\w*)\2/.exec(text.slice(i, i + 128))!;
      heredocs.push({ id: m[3]!, squiggly: m[1] !== '', start });
      i += m[0].length;
      tokens.push({ kind: 'string', text: m[0], start, end: i });
    } else if (c === ':' && text[i + 1] === '"') {
      const s = quoted(text, i + 1, '"', '"', true);
      if (!s) return fail('This symbol is not closed, so nothing after it was read.', start);
      tokens.push({ kind: 'symbol', text: text.slice(start, s.end), start, end: s.end });
      i = s.end;
    } else if (c === ':' && /[A-Za-z_]/.test(text[i + 1] ?? '') && text[i - 1] !== ':') {
      let k = i + 1;
      while (/[\w?!=]/.test(text[k] ?? '')) k++;
      tokens.push({ kind: 'symbol', text: text.slice(start, k), start, end: k });
      i = k;
    } else if (/[A-Za-z_]/.test(c)) {
      let k = i;
      while (/[\w]/.test(text[k] ?? '')) k++;
      if (text[k] === '?' || text[k] === '!') k++;
      if (text[k] === ':' && text[k + 1] !== ':') {
        tokens.push({ kind: 'label', text: text.slice(start, k), start, end: k + 1 });
        i = k + 1;
      } else {
        tokens.push({ kind: 'id', text: text.slice(start, k), start, end: k });
        i = k;
      }
    } else if (/[0-9]/.test(c)) {
      let k = i;
      while (/[\w.]/.test(text[k] ?? '') && !(text[k] === '.' && !/[0-9]/.test(text[k + 1] ?? ''))) k++;
      tokens.push({ kind: 'number', text: text.slice(start, k), start, end: k });
      i = k;
    } else {
      if (c === '(' || c === '[' || c === '{') depth++;
      else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
      i++;
      tokens.push({ kind: 'punct', text: c, start, end: i });
    }
  }
  if (heredocs.length > 0) return fail(`This heredoc (<<${heredocs[0]!.id}) is not closed, so nothing after it was read.`, heredocs[0]!.start);
  return { tokens };
}

const closing: Record<string, string> = { '(': ')', '[': ']', '{': '}', '<': '>' };

/**
 * A literal from its opening delimiter at `at` to its closing one (nested for bracket pairs): its end and, when
 * no `#{…}` interpolates it, its value with `\\` escapes of the delimiter and backslash resolved.
 */
function quoted(text: string, at: number, open: string, close: string, interpolates: boolean): { end: number; value: string; plain: boolean } | undefined {
  let depth = 1;
  let value = '';
  let plain = true;
  // The value is built from slices of the text between escapes, not character by character.
  let run = at + 1;
  for (let i = at + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      const next = text[i + 1];
      if (next === undefined) return undefined;
      value += text.slice(run, i);
      if (next === close || next === open || next === '\\') value += next;
      else if (interpolates) plain = false;
      else value += c + next;
      i++;
      run = i + 1;
    } else if (interpolates && c === '#' && text[i + 1] === '{') {
      plain = false;
      // An interpolation is code: it ends at its own `}`, past strings inside it.
      const end = interpolationEnd(text, i + 2);
      if (end < 0) return undefined;
      i = end;
    } else if (c === close && (open === close || --depth === 0)) {
      return { end: i + 1, value: value + text.slice(run, i), plain };
    } else if (c === open && open !== close) {
      depth++;
    }
  }
  return undefined;
}

/** The offset of the `}` that closes an interpolation whose code starts at `at`, or -1. */
function interpolationEnd(text: string, at: number): number {
  let depth = 0;
  for (let i = at; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      const s = quoted(text, i, c, c, c === '"');
      if (!s) return -1;
      i = s.end - 1;
    } else if (c === '{') {
      depth++;
    } else if (c === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/** The offset after a heredoc body that starts at `at` and ends at a line that is its terminator (indented, for `<<~`/`<<-`), or -1. */
function heredocEnd(text: string, at: number, id: string, indented: boolean): number {
  for (let line = at; line <= text.length; ) {
    const end = text.indexOf('\n', line);
    const content = text.slice(line, end < 0 ? text.length : end).replace(/\r$/, '');
    if ((indented ? content.trim() : content) === id) return end < 0 ? text.length : end + 1;
    if (end < 0) return -1;
    line = end + 1;
  }
  return -1;
}

/** Whether a `/` here starts a regular expression rather than dividing: after an operator, or a method name and a blank. */
function regexAllowed(before: RubyToken | undefined, text: string, at: number): boolean {
  if (!before || before.kind === 'newline' || before.kind === 'label') return true;
  if (before.kind === 'punct') return !/^[)\]}]$/.test(before.text);
  if (before.kind === 'id') return text[at - 1] === ' ' && text[at + 1] !== ' ' && text[at + 1] !== '=';
  return false;
}

function percentLiteralAllowed(before: RubyToken | undefined): boolean {
  return regexAllowedKinds(before);
}

function heredocAllowed(before: RubyToken | undefined, text: string, at: number): boolean {
  return regexAllowedKinds(before) || (before?.kind === 'id' && text[at - 1] === ' ');
}

function regexAllowedKinds(before: RubyToken | undefined): boolean {
  return !before || before.kind === 'newline' || before.kind === 'label' || (before.kind === 'punct' && !/^[)\]}]$/.test(before.text)) || (before.kind === 'id' && /^(?:puts|print|p|system|return|and|or|not|if|unless|when|in|then|do)$/.test(before.text));
}
