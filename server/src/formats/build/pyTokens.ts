/**
 * A token scanner for Python and Starlark (conanfile.py, Bazel's WORKSPACE, MODULE.bazel and `.bzl` files), and
 * the two shapes Pinwatch reads from the tokens: calls whose arguments are string literals or lists of them
 * (`self.requires("xz_utils/5.6.1")`, `http_archive(urls = [...], sha256 = "...")`) and assignments of strings
 * (`requires = "a/1.0", "b/2.0"`). One pass over the text, one pass over the tokens, no recursion: a text of
 * 10,000 nested brackets is read in linear time.
 */

/** A token: a name, a string literal, a number, an operator or bracket, or the end of a logical line. */
export interface PyToken {
  kind: 'name' | 'string' | 'number' | 'op' | 'newline';
  start: number;
  end: number;
  /** The operator or bracket, or the name. */
  text: string;
  /** A string literal's value (escapes decoded); undefined for an f-string, whose value is not static. */
  value?: string;
  /** Where the value starts in the file, when every character of it is written as it reads (no escape). */
  valueStart?: number;
}

/** A place where the text does not scan (an unterminated string): tokens before it are still given. */
export interface PyProblem { start: number; end: number; message: string }

/** The tokens and problems of a text. */
export interface PyScan { tokens: PyToken[]; problems: PyProblem[] }

const simpleEscapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v' };

/** Scans Python or Starlark text into tokens. Total: an unterminated string ends the text with a problem. */
export function scanPython(text: string): PyScan {
  const tokens: PyToken[] = [];
  const problems: PyProblem[] = [];
  let depth = 0;
  let i = 0;
  const n = text.length;
  const newline = (at: number) => {
    const last = tokens[tokens.length - 1];
    if (depth === 0 && last && last.kind !== 'newline') tokens.push({ kind: 'newline', start: at, end: at, text: '' });
  };
  while (i < n) {
    const c = text[i]!;
    if (c === '\n') { newline(i); i++; continue; }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f') { i++; continue; }
    if (c === '#') {
      const br = text.indexOf('\n', i);
      i = br < 0 ? n : br;
      continue;
    }
    if (c === '\\' && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) { i += text[i + 1] === '\n' ? 2 : 3; continue; }
    const prefix = /^[rRbBuUfF]{0,2}/.exec(text.slice(i, i + 3))![0];
    const q = text[i + prefix.length];
    if ((q === '"' || q === "'") && /^(?:[rRbBuUfF]|[rR][bBfF]|[bBfF][rR])?$/.test(prefix)) {
      const end = stringToken(text, i, prefix, q, tokens, problems);
      i = end;
      continue;
    }
    if (isNameStart(c)) {
      let j = i + 1;
      while (j < n && isNamePart(text[j]!)) j++;
      tokens.push({ kind: 'name', start: i, end: j, text: text.slice(i, j) });
      i = j;
      continue;
    }
    if (c >= '0' && c <= '9') {
      let j = i + 1;
      while (j < n && /[0-9A-Za-z_.]/.test(text[j]!)) j++;
      tokens.push({ kind: 'number', start: i, end: j, text: text.slice(i, j) });
      i = j;
      continue;
    }
    const two = text.slice(i, i + 2);
    const op = ['==', '!=', '<=', '>=', '**', '//', '->', '+=', '-=', '*=', '/=', ':='].includes(two) ? two : c;
    if (op === '(' || op === '[' || op === '{') depth++;
    if ((op === ')' || op === ']' || op === '}') && depth > 0) depth--;
    tokens.push({ kind: 'op', start: i, end: i + op.length, text: op });
    i += op.length;
  }
  newline(n);
  return { tokens, problems };
}

/** Scans one string literal from `at` (its prefix), pushes its token, and returns where it ends. */
function stringToken(text: string, at: number, prefix: string, q: string, tokens: PyToken[], problems: PyProblem[]): number {
  const raw = /[rR]/.test(prefix);
  const format = /[fF]/.test(prefix);
  const open = at + prefix.length;
  const triple = text.startsWith(q.repeat(3), open);
  const quote = triple ? q.repeat(3) : q;
  let j = open + quote.length;
  const bodyStart = j;
  let value = '';
  let plain = true;
  for (;;) {
    if (j >= text.length || (!triple && text[j] === '\n')) {
      problems.push({ start: at, end: j, message: 'A string is not closed here, so the rest of the file was not read' });
      return text.length;
    }
    if (text.startsWith(quote, j)) break;
    const c = text[j]!;
    if (c === '\\') {
      plain = false;
      const next = text[j + 1] ?? '';
      if (raw) { value += c + next; j += 2; continue; }
      if (next === '\n') { j += 2; continue; }
      value += simpleEscapes[next] ?? `\\${next}`;
      j += 2;
      continue;
    }
    value += c;
    j++;
  }
  const end = j + quote.length;
  const token: PyToken = { kind: 'string', start: at, end, text: text.slice(at, end) };
  if (!format) {
    token.value = value;
    if (plain) token.valueStart = bodyStart;
  }
  tokens.push(token);
  return end;
}

function isNameStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c > '\x7f';
}

function isNamePart(c: string): boolean {
  return isNameStart(c) || (c >= '0' && c <= '9');
}

/** An argument of a call: its keyword (undefined when positional) and its string values. */
export interface PyArg {
  keyword?: string;
  /** The strings of the value when it is a string, or a list or tuple of strings; else empty. */
  strings: PyToken[];
  /** The keyword's token, for ranges of whole arguments. */
  start: number;
}

/** A call: the dotted name called (`self.requires`, `http_archive`), where it is, and its arguments. */
export interface PyCall { callee: string; start: number; end: number; args: PyArg[] }

/** An assignment of a string, or of strings (a tuple, a list), to a single name: `requires = "a/1", "b/2"`. */
export interface PyAssignment { name: string; start: number; strings: PyToken[] }

interface Frame {
  callee: string | undefined;
  start: number;
  args: PyArg[];
  arg: PyArg;
  /** Whether the current argument is only strings so far (inside at most one list or tuple). */
  simple: boolean;
  /** Brackets opened inside the current argument. */
  inner: number;
}

/**
 * The calls and assignments of a token list, in the order they end. A call's argument that is anything but
 * strings (a variable, a concatenation, a call) has no strings; a call inside an argument is given on its own.
 */
export function pyStatements(tokens: readonly PyToken[]): { calls: PyCall[]; assignments: PyAssignment[] } {
  const calls: PyCall[] = [];
  const assignments: PyAssignment[] = [];
  const stack: Frame[] = [];
  let assignment: { name: string; start: number; strings: PyToken[]; simple: boolean; depth: number } | undefined;
  const newArg = (start: number): PyArg => ({ strings: [], start });
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    const top = stack[stack.length - 1];
    if (t.kind === 'newline') {
      if (assignment && assignment.simple && assignment.strings.length > 0) assignments.push({ name: assignment.name, start: assignment.start, strings: assignment.strings });
      assignment = undefined;
      stack.length = 0;
      continue;
    }
    if (t.kind === 'op' && (t.text === '(' || t.text === '[' || t.text === '{')) {
      const prev = tokens[k - 1];
      const callee = t.text === '(' && prev?.kind === 'name' ? dottedName(tokens, k - 1) : undefined;
      if (top) {
        // A list or tuple as the argument itself keeps it simple; deeper nesting or a call does not.
        if (callee !== undefined || top.inner > 0 || top.arg.strings.length > 0 || t.text === '{') top.simple = false;
        top.inner++;
      }
      if (assignment) {
        if (callee !== undefined || assignment.depth > 0 || t.text === '{') assignment.simple = false;
        assignment.depth++;
      }
      stack.push({ callee, start: t.start, args: [], arg: newArg(t.end), simple: true, inner: 0 });
      continue;
    }
    if (t.kind === 'op' && (t.text === ')' || t.text === ']' || t.text === '}')) {
      const frame = stack.pop();
      if (assignment && assignment.depth > 0) assignment.depth--;
      if (!frame) continue;
      finishArg(frame);
      if (frame.callee !== undefined) calls.push({ callee: frame.callee, start: frame.start, end: t.end, args: frame.args });
      const outer = stack[stack.length - 1];
      if (outer) {
        outer.inner = Math.max(0, outer.inner - 1);
        // A list closed at the argument's own level: its strings are the argument's.
        if (frame.callee === undefined && outer.inner === 0 && outer.simple && frame.simple) {
          for (const a of frame.args) outer.arg.strings.push(...a.strings);
        } else if (outer.inner === 0 || frame.callee !== undefined) {
          outer.simple = false;
        }
      } else if (assignment && frame.callee === undefined && frame.simple && assignment.simple) {
        for (const a of frame.args) assignment.strings.push(...a.strings);
      }
      continue;
    }
    if (!top) {
      // An assignment starts with a single name at the start of a logical line, followed by `=`.
      const prev = tokens[k - 1];
      if (t.kind === 'name' && (!prev || prev.kind === 'newline') && tokens[k + 1]?.kind === 'op' && tokens[k + 1]!.text === '=') {
        assignment = { name: t.text, start: t.start, strings: [], simple: true, depth: 0 };
        k++;
        continue;
      }
      if (assignment) {
        if (t.kind === 'string') {
          if (t.value === undefined || prevIsString(tokens, k)) assignment.simple = false;
          else assignment.strings.push(t);
        } else if (!(t.kind === 'op' && t.text === ',')) {
          assignment.simple = false;
        }
      }
      continue;
    }
    if (t.kind === 'op' && t.text === ',') {
      if (top.inner === 0) {
        finishArg(top);
        top.arg = newArg(t.end);
        top.simple = true;
      } else if (top.inner > 1) {
        top.simple = false;
      }
      continue;
    }
    if (t.kind === 'name' && top.inner === 0 && top.arg.strings.length === 0 && top.arg.keyword === undefined && tokens[k + 1]?.kind === 'op' && tokens[k + 1]!.text === '=') {
      top.arg.keyword = t.text;
      top.arg.start = t.start;
      k++;
      continue;
    }
    if (t.kind === 'string' && top.inner === 0 && t.value !== undefined && !prevIsString(tokens, k)) {
      top.arg.strings.push(t);
      continue;
    }
    // A string inside a list or tuple argument is collected by that list's own frame.
    if (t.kind === 'string' && top.inner > 0) continue;
    top.simple = false;
  }
  return { calls, assignments };
}

/** Closes the current argument of a frame: it keeps its strings only when it was nothing else. */
function finishArg(frame: Frame): void {
  const arg = frame.arg;
  if (!frame.simple) arg.strings = [];
  if (arg.keyword !== undefined || arg.strings.length > 0 || !frame.simple) frame.args.push(arg);
}

/** Whether the string before token `k` is another string (implicit concatenation: the value is both). */
function prevIsString(tokens: readonly PyToken[], k: number): boolean {
  return tokens[k - 1]?.kind === 'string' || tokens[k + 1]?.kind === 'string';
}

/** The dotted name ending at token `k` (`self.requires`), read backwards over `name . name`. */
function dottedName(tokens: readonly PyToken[], k: number): string {
  let name = tokens[k]!.text;
  let j = k - 1;
  while (j >= 1 && tokens[j]!.kind === 'op' && tokens[j]!.text === '.' && tokens[j - 1]!.kind === 'name') {
    name = `${tokens[j - 1]!.text}.${name}`;
    j -= 2;
  }
  return name;
}
