/**
 * From scanned commands to invocations: the program a command runs and its expanded arguments, past reserved
 * words (`if`, `then`, `{`), wrappers (`sudo`, `env`, `xargs`) and prefix assignments (`DEBIAN_FRONTEND=… apt-get`).
 * Plain assignments (`XZ_VER=5.6.1; …`, `export XZ_VER=…`) become variables for the later commands of the script.
 */
import { expandWord, type Binding, type Expansion, type Lookup, type Span } from './expand';
import type { ShellCommand, Word } from './words';

/** An argument: the word as written and its value after expansion. */
export interface Arg { word: Word; exp: Expansion }

/** A program run with its arguments, and the scanned command it came from. */
export interface Invocation {
  /** The program's base name (`/usr/bin/apt-get` → `apt-get`); '' when unknown. */
  program: string;
  args: Arg[];
  command: ShellCommand;
  /** The lookup in force for this command (the caller's, plus earlier assignments in the script). */
  lookup: Lookup;
}

const reserved = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', '}', 'fi', 'done', 'esac', 'time']);
const declarers = new Set(['export', 'readonly', 'local', 'declare', 'typeset']);
/** Wrappers that run their arguments as a command, with the options of theirs that take a value. */
const wrappers: Record<string, Set<string>> = {
  sudo: new Set(['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U', '--user', '--group']),
  env: new Set(['-u', '--unset', '-C', '--chdir', '-S', '--split-string']),
  command: new Set(),
  exec: new Set(['-a']),
  nohup: new Set(),
  nice: new Set(['-n', '--adjustment']),
  xargs: new Set(['-n', '-I', '-i', '-L', '-l', '-P', '-s', '-d', '-E', '-a', '--max-args', '--max-procs', '--delimiter', '--arg-file']),
  busybox: new Set(),
};
const assignment = /^[A-Za-z_][A-Za-z0-9_]*=/;

/**
 * Turns a script's commands into invocations, in order. `describe` names where a shell assignment was made, for
 * messages (for example "XZ_VER=… in the RUN, line 4"); it receives the variable name and the value's span.
 */
export function invocations(commands: readonly ShellCommand[], outer: Lookup, describe: (name: string, at: Span) => string): Invocation[] {
  const locals = new Map<string, Binding | undefined>();
  const lookup: Lookup = (name) => (locals.has(name) ? locals.get(name) : outer(name));
  const out: Invocation[] = [];
  // What the previous command of the same pipeline prints, when it is `echo`/`printf '%s\n'` with known words.
  let piped: { pipeline: number; words: Arg[] | undefined } | undefined;
  for (const command of commands) {
    let words = command.words;
    while (words.length > 0 && reserved.has(plain(words[0]!) ?? '')) words = words.slice(1);
    const first = words[0] ? plain(words[0]) : undefined;
    if (first === 'for' || first === 'case' || first === 'function') continue;
    const assigns: Word[] = [];
    while (words.length > 0 && isAssignment(words[0]!)) { assigns.push(words[0]!); words = words.slice(1); }
    if (words.length === 0) {
      for (const a of assigns) assign(a, lookup, locals, describe);
      continue;
    }
    if (declarers.has(plain(words[0]!) ?? '')) {
      for (const a of words.slice(1)) if (isAssignment(a)) assign(a, lookup, locals, describe);
      continue;
    }
    const expanded = words.flatMap((word) => splitFields({ word, exp: expandWord(word, lookup) }));
    const fed = piped?.pipeline === command.pipeline ? xargsInput(expanded, piped.words) : undefined;
    piped = { pipeline: command.pipeline, words: echoed(expanded) };
    const args = fed ?? stripWrappers(expanded);
    if (args.length === 0) continue;
    const program = args[0]!.exp.known ? args[0]!.exp.value.slice(args[0]!.exp.value.lastIndexOf('/') + 1) : '';
    out.push({ program, args: args.slice(1), command, lookup });
  }
  return out;
}

/**
 * Field splitting: an unquoted expansion whose value holds blanks (`ARG PKGS="xz-utils=5.6.1-1 curl"`, then
 * `apt-get install $PKGS`) gives one argument per field. Each field keeps the pieces it overlaps, shifted and
 * not clipped, so `locate` still sees that an expansion produced more than the field (and edits its source).
 */
function splitFields(arg: Arg): Arg[] {
  const { exp } = arg;
  if (!exp.known || !exp.pieces.some((p) => p.param?.splits && /[ \t\n]/.test(p.param.binding.value))) return [arg];
  const blank = (i: number) => /[ \t\n]/.test(exp.value[i]!) && exp.pieces.some((p) => p.param?.splits && p.from <= i && i < p.to);
  const fields: Arg[] = [];
  let start = 0;
  for (let i = 0; i <= exp.value.length; i += 1) {
    if (i < exp.value.length && !blank(i)) continue;
    if (i > start) {
      const pieces = exp.pieces.filter((p) => p.to > start && p.from < i).map((p) => ({ ...p, from: p.from - start, to: p.to - start }));
      fields.push({ word: arg.word, exp: { value: exp.value.slice(start, i), known: true, pieces } });
    }
    start = i + 1;
  }
  return fields;
}

/** The words an `echo a b` or `printf '%s\n' a b` prints, one argument each; undefined for anything else. */
function echoed(args: readonly Arg[]): Arg[] | undefined {
  const program = args[0]?.exp.value;
  let rest = args.slice(1);
  if (program === 'echo') while (rest[0] && /^-[neE]+$/.test(rest[0].exp.value)) rest = rest.slice(1);
  else if (program === 'printf' && rest[0]?.exp.known && /^%s(?:\\n| )?$/.test(rest[0].exp.value)) rest = rest.slice(1);
  else return undefined;
  return rest.every((a) => a.exp.known) ? rest : undefined;
}

/**
 * `echo xz-utils=5.6.1-1 | xargs apt-get install -y`: the command xargs runs, with the echoed words appended as
 * its last arguments. Undefined when this is not a plain xargs (replacement strings or an input file change that).
 */
function xargsInput(args: readonly Arg[], input: Arg[] | undefined): Arg[] | undefined {
  if (!input || args[0]?.exp.value.replace(/^.*\//, '') !== 'xargs') return undefined;
  if (args.some((a) => /^-[IiaE]|^--(?:replace|arg-file|eof)/.test(a.exp.value))) return undefined;
  const command = stripWrappers([...args]);
  return command.length > 0 ? [...command, ...input] : undefined;
}

function stripWrappers(args: Arg[]): Arg[] {
  let rest = args;
  for (let guard = 0; guard < 8 && rest.length > 0; guard += 1) {
    const name = rest[0]!.exp.value.slice(rest[0]!.exp.value.lastIndexOf('/') + 1);
    const valued = wrappers[name];
    if (!valued) return rest;
    let i = 1;
    while (i < rest.length) {
      const v = rest[i]!.exp.value;
      if (valued.has(v)) { i += 2; continue; }
      if (v.startsWith('-') || (name === 'env' && assignment.test(v))) { i += 1; continue; }
      break;
    }
    // `busybox wget …` names the applet; `sudo -s`-style forms with no command leave nothing to analyse.
    rest = rest.slice(i);
  }
  return rest;
}

/** The literal text of a word that has no expansion and no quotes, else undefined. */
function plain(word: Word): string | undefined {
  return word.parts.length === 1 && word.parts[0]!.kind === 'text' && !word.parts[0]!.quoted ? word.parts[0]!.value : undefined;
}

function isAssignment(word: Word): boolean {
  const head = word.parts[0];
  return !!head && head.kind === 'text' && !head.quoted && assignment.test(head.value);
}

function assign(word: Word, lookup: Lookup, locals: Map<string, Binding | undefined>, describe: (name: string, at: Span) => string): void {
  const head = word.parts[0];
  if (!head || head.kind !== 'text') return;
  const eq = head.value.indexOf('=');
  const name = head.value.slice(0, eq);
  const valueWord: Word = {
    parts: [{ ...head, value: head.value.slice(eq + 1), offsets: head.offsets.slice(eq + 1) }, ...word.parts.slice(1)],
    start: head.offsets[eq + 1] ?? word.end,
    end: word.end,
  };
  const exp = expandWord(valueWord, lookup);
  if (!exp.known) { locals.set(name, undefined); return; }
  const pieces = exp.pieces.filter((p) => p.to > p.from);
  const only = pieces.length === 1 ? pieces[0]! : undefined;
  const binding: Binding = { value: exp.value, via: describe(name, { start: valueWord.start, end: valueWord.end }) };
  if (only?.offsets) binding.offsets = only.offsets;
  else if (only?.param) { locals.set(name, only.param.binding); return; }
  locals.set(name, binding);
}
