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
    const args = stripWrappers(words.map((word) => ({ word, exp: expandWord(word, lookup) })));
    if (args.length === 0) continue;
    const program = args[0]!.exp.known ? args[0]!.exp.value.slice(args[0]!.exp.value.lastIndexOf('/') + 1) : '';
    out.push({ program, args: args.slice(1), command, lookup });
  }
  return out;
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
