/**
 * From scanned commands to invocations: the program a command runs and its expanded arguments, past reserved
 * words (`if`, `then`, `{`), wrappers (`sudo`, `env`, `xargs`) and prefix assignments (`DEBIAN_FRONTEND=… apt-get`).
 * Plain assignments (`XZ_VER=5.6.1; …`, `export XZ_VER=…`) become variables for the later commands of the script.
 */
import { expandWord, type Binding, type Expansion, type Lookup, type Piece, type Span } from './expand';
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
    const all = command.words;
    // An index, not repeated `slice(1)`: a command of many reserved words or assignments is read in one pass.
    let at = 0;
    while (at < all.length && reserved.has(plain(all[at]!) ?? '')) at += 1;
    const first = at < all.length ? plain(all[at]!) : undefined;
    if (first === 'for' || first === 'case' || first === 'function') continue;
    const assignsFrom = at;
    while (at < all.length && isAssignment(all[at]!)) at += 1;
    if (at === all.length) {
      for (let i = assignsFrom; i < at; i += 1) assign(all[i]!, lookup, locals, describe);
      continue;
    }
    if (declarers.has(plain(all[at]!) ?? '')) {
      for (let i = at + 1; i < all.length; i += 1) if (isAssignment(all[i]!)) assign(all[i]!, lookup, locals, describe);
      continue;
    }
    const words = at === 0 ? all : all.slice(at);
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
  const { pieces, value } = exp;
  const fields: Arg[] = [];
  // Pieces are in order and do not overlap, so one forward sweep finds the piece under each character (`under`) and
  // the first piece of each field (`first`); scanning every piece for every character was quadratic on `$P$P…`.
  let under = 0;
  let first = 0;
  let start = 0;
  for (let i = 0; i <= value.length; i += 1) {
    if (i < value.length) {
      while (under < pieces.length && pieces[under]!.to <= i) under += 1;
      const piece = pieces[under];
      const splits = piece !== undefined && piece.from <= i && piece.param?.splits === true;
      if (!splits || !/[ \t\n]/.test(value[i]!)) continue;
    }
    if (i > start) {
      while (first < pieces.length && pieces[first]!.to <= start) first += 1;
      const own: Piece[] = [];
      for (let j = first; j < pieces.length && pieces[j]!.from < i; j += 1) {
        const p = pieces[j]!;
        if (p.to > start) own.push({ ...p, from: p.from - start, to: p.to - start });
      }
      fields.push({ word: arg.word, exp: { value: value.slice(start, i), known: true, pieces: own } });
    }
    start = i + 1;
  }
  return fields;
}

/** The words an `echo a b` or `printf '%s\n' a b` prints, one argument each; undefined for anything else. */
function echoed(args: readonly Arg[]): Arg[] | undefined {
  const program = args[0]?.exp.value;
  let from = 1;
  if (program === 'echo') while (from < args.length && /^-[neE]+$/.test(args[from]!.exp.value)) from += 1;
  else if (program === 'printf' && args[1]?.exp.known && /^%s(?:\\n| )?$/.test(args[1].exp.value)) from = 2;
  else return undefined;
  const rest = args.slice(from);
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
