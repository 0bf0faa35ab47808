/**
 * CMake (`CMakeLists.txt`, `*.cmake`): the sources that `FetchContent_Declare`, `ExternalProject_Add` and
 * `file(DOWNLOAD …)` fetch: `URL` (with the `URL_HASH`/`EXPECTED_HASH` digest that guards it), `GIT_REPOSITORY`
 * with `GIT_TAG`. A tokenizer that follows CMake's grammar (bracket arguments `[=[…]=]`, quoted arguments with
 * escapes and line continuations, `#` and `#[[…]]` comments) feeds a grouping of commands by matching
 * parentheses (computed once, so an unbalanced file is still read in one pass); `${VAR}` takes the value of a
 * `set(VAR value)` written earlier in the same file, and a fix of such a URL edits that value.
 */
import type { Extracted, Format } from '../model';
import { digestReference, gitReference, isUrl, problemAt, urlReference, type Located } from './build/refs';
import { formatPatterns } from './patterns';
import { lineIndex, type LineIndex } from './textPositions';

/** The commands whose arguments are read; the others are only matched for their parentheses. */
const readCommands = new Set(['set', 'fetchcontent_declare', 'externalproject_add', 'cpmaddpackage', 'cpmdeclarepackage', 'file', 'vcpkg_from_github', 'vcpkg_from_git', 'vcpkg_download_distfile']);
/** The commands that declare sources with URL/GIT keywords (vcpkg's helpers with REPO, REF, URLS, SHA512). */
const sourceCommands = new Set(['fetchcontent_declare', 'externalproject_add', 'cpmaddpackage', 'cpmdeclarepackage', 'vcpkg_from_github', 'vcpkg_from_git', 'vcpkg_download_distfile']);

/** The CMake format. */
export const cmake: Format = {
  id: 'cmake/CMakeLists.txt',
  patterns: [...formatPatterns['cmake/CMakeLists.txt']],
  commentPrefix: '#',
  maxLength: 8 * 1024 * 1024,
  extract(text: string): Extracted[] {
    const lines = lineIndex(text);
    const { tokens, problems } = tokenize(text);
    const out: Extracted[] = [];
    const vars: Vars = { map: new Map(), left: maxExpansion, problems };
    for (const command of group(tokens, problems, (name) => readCommands.has(name.toLowerCase()))) {
      const name = command.name.toLowerCase();
      if (name === 'set') setVariable(command, vars);
      else if (sourceCommands.has(name)) sources(lines, command, vars, out);
      else if (name === 'file') download(lines, command, vars, out);
    }
    for (const p of problems) out.push(problemAt(lines, p.reason, p.start, p.end, p.message));
    return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  },
};

/** A token: a parenthesis, or an argument with its characters and the file offset of each. */
interface Token {
  kind: 'open' | 'close' | 'arg';
  start: number;
  end: number;
  /** For an argument: how it is written. A bracket argument is not expanded. */
  form?: 'bracket' | 'quoted' | 'unquoted';
  chars: string;
  /** The file offset of each character, when an escape or a continuation is in the way; else `base + i`. */
  offsets?: number[];
  base: number;
}

function offsetAt(token: Token, i: number): number {
  return token.offsets ? token.offsets[i]! : token.base + i;
}

interface Problem { reason: 'syntax' | 'limit'; start: number; end: number; message: string }

/** Scans CMake text into parentheses and arguments; an unterminated bracket or quote ends it with a problem. */
function tokenize(text: string): { tokens: Token[]; problems: Problem[] } {
  const tokens: Token[] = [];
  const problems: Problem[] = [];
  const n = text.length;
  const nul = text.indexOf('\0');
  const end = nul >= 0 ? nul : n;
  if (nul >= 0) problems.push({ reason: 'syntax', start: nul, end: nul, message: 'A NUL character: this is not CMake text from here, so the rest was not read.' });
  let i = 0;
  while (i < end) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { i++; continue; }
    if (c === '#') {
      const bracket = bracketOpen(text, i + 1);
      if (bracket !== undefined) {
        const close = text.indexOf(`]${'='.repeat(bracket.level)}]`, bracket.end);
        if (close < 0 || close >= end) {
          problems.push({ reason: 'syntax', start: i, end: bracket.end, message: 'A bracket comment is not closed, so the rest of the file was not read.' });
          break;
        }
        i = close + bracket.level + 2;
        continue;
      }
      const br = text.indexOf('\n', i);
      i = br < 0 || br > end ? end : br;
      continue;
    }
    if (c === '(' || c === ')') {
      tokens.push({ kind: c === '(' ? 'open' : 'close', start: i, end: i + 1, chars: c, base: i });
      i++;
      continue;
    }
    if (c === '[') {
      const bracket = bracketOpen(text, i);
      if (bracket !== undefined) {
        const closer = `]${'='.repeat(bracket.level)}]`;
        const close = text.indexOf(closer, bracket.end);
        if (close < 0 || close >= end) {
          problems.push({ reason: 'syntax', start: i, end: bracket.end, message: 'A bracket argument is not closed, so the rest of the file was not read.' });
          break;
        }
        // A newline right after the opening bracket is not part of the argument.
        let from = bracket.end;
        if (text[from] === '\r' && text[from + 1] === '\n') from += 2;
        else if (text[from] === '\n') from++;
        tokens.push({ kind: 'arg', form: 'bracket', start: i, end: close + closer.length, chars: text.slice(from, close), base: from });
        i = close + closer.length;
        continue;
      }
    }
    if (c === '"') {
      let j = i + 1;
      while (j < end && text[j] !== '"' && text[j] !== '\\') j++;
      if (j < end && text[j] === '"') {
        tokens.push({ kind: 'arg', form: 'quoted', start: i, end: j + 1, chars: text.slice(i + 1, j), base: i + 1 });
        i = j + 1;
        continue;
      }
      j = i + 1;
      let chars = '';
      const offsets: number[] = [];
      while (j < end && text[j] !== '"') {
        if (text[j] === '\\') {
          const next = text[j + 1];
          if (next === '\n') { j += 2; continue; }
          if (next === '\r' && text[j + 2] === '\n') { j += 3; continue; }
          chars += escape(next);
          offsets.push(j + 1);
          j += 2;
          continue;
        }
        chars += text[j];
        offsets.push(j);
        j++;
      }
      if (j >= end) {
        problems.push({ reason: 'syntax', start: i, end: i + 1, message: 'A quoted argument is not closed, so the rest of the file was not read.' });
        break;
      }
      tokens.push({ kind: 'arg', form: 'quoted', start: i, end: j + 1, chars, offsets, base: i + 1 });
      i = j + 1;
      continue;
    }
    let j = i;
    let escaped = false;
    while (j < end) {
      const d = text[j]!;
      if (d === ' ' || d === '\t' || d === '\n' || d === '\r' || d === '(' || d === ')' || d === '#' || d === '"') break;
      if (d === '\\' && j + 1 < end) { escaped = true; j += 2; continue; }
      j++;
    }
    if (j === i) { i++; continue; }
    if (!escaped) {
      tokens.push({ kind: 'arg', form: 'unquoted', start: i, end: j, chars: text.slice(i, j), base: i });
      i = j;
      continue;
    }
    let chars = '';
    const offsets: number[] = [];
    for (let k = i; k < j; k++) {
      if (text[k] === '\\' && k + 1 < j) { chars += escape(text[k + 1]); offsets.push(k + 1); k++; continue; }
      chars += text[k];
      offsets.push(k);
    }
    tokens.push({ kind: 'arg', form: 'unquoted', start: i, end: j, chars, offsets, base: i });
    i = j;
  }
  return { tokens, problems };
}

function escape(c: string | undefined): string {
  return c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : (c ?? '');
}

/** `[[`, `[=[`, `[==[` … at `at`: the number of `=` and where the content starts. */
function bracketOpen(text: string, at: number): { level: number; end: number } | undefined {
  if (text[at] !== '[') return undefined;
  let j = at + 1;
  while (text[j] === '=') j++;
  return text[j] === '[' ? { level: j - at - 1, end: j + 1 } : undefined;
}

/** A command invocation: its name and arguments. */
interface Command { name: string; start: number; args: Token[] }

/**
 * Commands by matching parentheses, found once with a stack: a command whose `(` has no `)` is a problem, and the
 * tokens after it are read again as commands; a `)` with no `(` is a problem and is skipped.
 */
function group(tokens: readonly Token[], problems: Problem[], wanted: (name: string) => boolean): Command[] {
  const match = new Int32Array(tokens.length).fill(-1);
  const stack: number[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind === 'open') stack.push(k);
    else if (t.kind === 'close') {
      const open = stack.pop();
      if (open === undefined) problems.push({ reason: 'syntax', start: t.start, end: t.end, message: 'A closing parenthesis without an opening one: CMake would reject this file.' });
      else match[open] = k;
    }
  }
  const commands: Command[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    const next = tokens[k + 1];
    if (t.kind !== 'arg' || t.form !== 'unquoted' || next?.kind !== 'open' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(t.chars)) continue;
    const close = match[k + 1]!;
    if (close < 0) {
      problems.push({ reason: 'syntax', start: t.start, end: next.end, message: `The parenthesis of ${t.chars}( is not closed: this command was not read, and what follows was read as commands.` });
      continue;
    }
    if (wanted(t.chars)) {
      const args: Token[] = [];
      for (let a = k + 2; a < close; a++) if (tokens[a]!.kind === 'arg') args.push(tokens[a]!);
      commands.push({ name: t.chars, start: t.start, args });
    }
    k = close;
  }
  return commands;
}

/** The variables `set()` so far, and how many characters expansions may still produce in this file. */
interface Vars { map: Map<string, Located>; left: number; problems: Problem[] }

/**
 * The most characters that `${VAR}` expansions may produce in one file: a chain `set(A ${A}x)` re-expands a growing
 * value, so past this bound a `limit` problem is reported and later expansions have no value.
 */
const maxExpansion = 1024 * 1024;

/** `set(VAR value)`: a variable of one literal value (a list, CACHE and PARENT_SCOPE forms are not followed). */
function setVariable(command: Command, vars: Vars): void {
  const [name, value, ...rest] = command.args;
  if (!name) return;
  const key = name.chars;
  if (!value || (rest.length > 0 && rest[0]!.chars !== 'CACHE' && rest[0]!.chars !== 'PARENT_SCOPE')) {
    vars.map.delete(key);
    return;
  }
  const expanded = expand(value, vars);
  if (expanded) vars.map.set(key, expanded);
  else vars.map.delete(key);
}

/**
 * An argument's value with `${VAR}` replaced by the variables set so far (each character keeps the offset it is
 * written at, in the argument or in the `set`); undefined when a variable is unknown or the value is a list.
 */
function expand(token: Token, vars: Vars): Located | undefined {
  if (token.form === 'bracket') {
    const offsets = Array.from({ length: token.chars.length }, (_, i) => token.base + i);
    return { value: token.chars, offsets, span: { start: token.base, end: token.base + token.chars.length } };
  }
  let value = '';
  const offsets: number[] = [];
  const s = token.chars;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '$' && s[i + 1] === '{') {
      const close = s.indexOf('}', i + 2);
      const name = close < 0 ? '' : s.slice(i + 2, close);
      if (!/^[A-Za-z0-9_.+/-]+$/.test(name)) return undefined;
      const bound = vars.map.get(name);
      if (!bound) return undefined;
      vars.left -= bound.value.length;
      if (vars.left < 0) {
        if (vars.left + bound.value.length >= 0) vars.problems.push({ reason: 'limit', start: token.start, end: token.end, message: `Variables expand to more than ${maxExpansion} characters in all here: this and later uses of variables were not read.` });
        return undefined;
      }
      value += bound.value;
      for (const o of bound.offsets) offsets.push(o);
      i = close;
      continue;
    }
    if (s[i] === '$' && /^\$(?:ENV|CACHE)\{/.test(s.slice(i, i + 7))) return undefined;
    value += s[i];
    offsets.push(offsetAt(token, i));
  }
  if (token.form === 'unquoted' && value.includes(';')) return undefined;
  const span = token.form === 'quoted' ? { start: token.start + 1, end: token.end - 1 } : { start: token.start, end: token.end };
  return { value, offsets, span };
}

const keywords = /^[A-Z][A-Z0-9_]*$/;

/** The source keywords of FetchContent_Declare, ExternalProject_Add and CPM: URL, URL_HASH, GIT_REPOSITORY, GIT_TAG. */
function sources(lines: LineIndex, command: Command, vars: Vars, out: Extracted[]): void {
  const context = command.name;
  const urls: Located[] = [];
  const digests: Extracted[] = [];
  let repository: string | undefined;
  let tag: Located | undefined;
  const args = command.args;
  for (let k = 0; k < args.length; k++) {
    const word = args[k]!.form === 'unquoted' ? args[k]!.chars : '';
    const lower = command.name.toLowerCase();
    if (word === 'URL' && lower === 'vcpkg_from_git') {
      // vcpkg_from_git's URL is the git repository, with REF the commit.
      repository = args[k + 1] ? expand(args[k + 1]!, vars)?.value : undefined;
      k++;
    } else if (word === 'REPO' && lower === 'vcpkg_from_github') {
      const v = args[k + 1] ? expand(args[k + 1]!, vars)?.value : undefined;
      repository = v === undefined ? undefined : `https://github.com/${v}`;
      k++;
    } else if (word === 'REF' && lower.startsWith('vcpkg_from_')) {
      tag = args[k + 1] ? expand(args[k + 1]!, vars) : undefined;
      k++;
    } else if (word === 'SHA512' && lower.startsWith('vcpkg_')) {
      const v = args[k + 1] && expand(args[k + 1]!, vars);
      k++;
      const ref = v && digestReference(lines, v, `${context} SHA512`);
      if (ref) digests.push(ref);
    } else if (word === 'URL' || word === 'URLS') {
      for (; k + 1 < args.length && !(args[k + 1]!.form === 'unquoted' && keywords.test(args[k + 1]!.chars)); k++) {
        const v = expand(args[k + 1]!, vars);
        if (v && isUrl(v.value)) urls.push(v);
      }
    } else if (word === 'URL_HASH' || word === 'EXPECTED_HASH') {
      const v = args[k + 1] && expand(args[k + 1]!, vars);
      k++;
      const m = v && /^(SHA256|SHA512)=/i.exec(v.value);
      const ref = m && digestReference(lines, v, `${context} ${word}`, m[0].length);
      if (ref) digests.push(ref);
    } else if (word === 'GIT_REPOSITORY' || word === 'GITHUB_REPOSITORY') {
      const v = args[k + 1] ? expand(args[k + 1]!, vars)?.value : undefined;
      repository = v !== undefined && word === 'GITHUB_REPOSITORY' ? `https://github.com/${v}` : v;
      k++;
    } else if (word === 'GIT_TAG') {
      tag = args[k + 1] ? expand(args[k + 1]!, vars) : undefined;
      k++;
    }
  }
  const guards = digests.map((d) => (d.kind === 'sha256' || d.kind === 'sha512' ? d.value : '')).filter((d) => d !== '');
  for (const url of urls) out.push(urlReference(lines, url, `${context} URL`, guards));
  out.push(...digests);
  if (repository && tag) {
    const ref = gitReference(lines, repository, tag, `${context} ${context.startsWith('vcpkg_') ? 'REF' : 'GIT_TAG'}`);
    if (ref) out.push(ref);
  }
}

/** `file(DOWNLOAD <url> <file> [EXPECTED_HASH ALGO=hex])`. */
function download(lines: LineIndex, command: Command, vars: Vars, out: Extracted[]): void {
  const [sub, urlArg] = command.args;
  if (sub?.chars !== 'DOWNLOAD' || !urlArg) return;
  const url = expand(urlArg, vars);
  const digests: Extracted[] = [];
  const args = command.args;
  for (let k = 2; k < args.length; k++) {
    if (args[k]!.chars !== 'EXPECTED_HASH') continue;
    const v = args[k + 1] && expand(args[k + 1]!, vars);
    const m = v && /^(SHA256|SHA512)=/i.exec(v.value);
    const ref = m && digestReference(lines, v, 'file(DOWNLOAD) EXPECTED_HASH', m[0].length);
    if (ref) digests.push(ref);
  }
  const guards = digests.map((d) => (d.kind === 'sha256' || d.kind === 'sha512' ? d.value : '')).filter((d) => d !== '');
  if (url && isUrl(url.value)) out.push(urlReference(lines, url, 'file(DOWNLOAD)', guards));
  out.push(...digests);
}
