/**
 * The bash assignment scanner: a packaging recipe (APKBUILD, PKGBUILD, ebuild; all bash) → its assignments outside functions,
 * in order, with every value expanded against the variables assigned before it, and apart from them those in
 * function bodies, named by function. It walks bash's command structure (compound commands, function definitions,
 * `export`) rather than matching lines, so a `depends=` inside `package_foo() { ... }` is told apart from a
 * top-level one, and one inside a top-level `if` or `case` is kept but marked conditional.
 */
import { lineIndex } from '../textPositions';
import { expandBraces } from './braces';
import { expand, newBudget, valueOf, type Budget, type RChar, type Variable } from './bashExpand';
import { tokenize, type Token } from './tokens';
import { scanner } from './wordReader';
import type { TextPart, Word, WordPart } from './words';

/** One value as written: its expanded characters and its source span (quotes included). */
export interface RWord {
  chars: RChar[];
  start: number;
  end: number;
}

/** A top-level assignment `name=value`, `name+=value` or `name=(...)`. */
export interface Assignment {
  name: string;
  append: boolean;
  kind: 'scalar' | 'array';
  /** One word for a scalar; the elements for an array. */
  words: RWord[];
  /** Offset of the name. */
  start: number;
  /** 0-based line of the name. */
  line: number;
  /** Inside a top-level `if`, `case`, loop or subshell, or after `&&`/`||`: it may not run, so later expansions treat it as unknown. */
  conditional: boolean;
}

/** An assignment inside a function body, which runs when the build calls that function. */
export interface FunctionAssignment extends Assignment {
  /** The outermost function it is in. */
  fn: string;
}

/** A part of the recipe the scanner could not read, or stopped expanding, as offsets into the text. */
export interface RecipeProblem {
  reason: 'syntax' | 'limit';
  message: string;
  start: number;
  end: number;
}

/** What the scanner read from a recipe. */
export interface Recipe {
  assignments: Assignment[];
  /**
   * Assignments in function bodies that are not `local`, each expanded against the variables as the file leaves
   * them (bash runs a function after the whole file is read); they do not change `variables`. A split package's
   * function sets its own `depends` this way.
   */
  functionAssignments: FunctionAssignment[];
  /** Each variable's state after the last top-level assignment. */
  variables: Map<string, Variable>;
  /** Expansion limits reached and parts that could not be read, in the order met; empty for an ordinary recipe. */
  problems: RecipeProblem[];
}

/** A variable the file does not set but the build environment does, with a note for messages. */
export interface Seed {
  value: string;
  origin: string;
}

type FrameKind = 'brace' | 'paren' | 'if' | 'case' | 'loop';
/**
 * An open compound command. Each frame also sums up the frames below it, so that closing one and asking where a
 * command stands take constant time however deep the nesting: searching the stack each time was quadratic.
 */
interface Frame {
  kind: FrameKind;
  /** The name of the function whose body this frame opens, if it does. */
  fn: string | undefined;
  /** Whether what runs inside may not run: every compound but a plain `{ }` group, or one after `&&`/`||`. */
  conditional: boolean;
  /** The stack index of the innermost frame of each kind, this one included; -1 for none. */
  lastOf: Record<FrameKind, number>;
  /** The stack index of the outermost frame that opens a function body, this one included; -1 for none. */
  fnAt: number;
  /** How many conditional frames there are up to this one, this one included. */
  conditionals: number;
}

const noFrames: Record<FrameKind, number> = { brace: -1, paren: -1, if: -1, case: -1, loop: -1 };

const separators = new Set([';', '&', '&&', '||', '|', '|&', ';;', ';&', ';;&']);
const openers: Record<string, FrameKind> = { '{': 'brace', if: 'if', case: 'case', for: 'loop', while: 'loop', until: 'loop', select: 'loop' };
const closers: Record<string, FrameKind> = { '}': 'brace', fi: 'if', esac: 'case', done: 'loop' };
const declarations = new Set(['export', 'readonly', 'declare', 'typeset', 'local']);
const assignmentPrefix = /^([A-Za-z_][A-Za-z0-9_]*)(\+?)=/;

/** How a scan treats what may not run. */
export interface ScanOptions {
  /**
   * A conditional top-level assignment sets its variable as if it ran (an ebuild's `if [[ ${PV} == 9999 ]]; then
   * … else MY_P=…; SRC_URI=…; fi`, whose test depends only on the file name); it is still marked conditional.
   */
  conditionalsApply?: boolean;
}

/** Scans a recipe's text. Pure and total: malformed text gives the assignments that could be read. */
export function scanRecipe(text: string, seeds: Readonly<Record<string, Seed>> = {}, options: ScanOptions = {}): Recipe {
  const tokens = tokenize(scanner({ text }), { arrays: true });
  const lines = lineIndex(text).line;
  const variables = new Map<string, Variable>(Object.entries(seeds).map(([name, seed]) => [name, { value: seed.value, line: -1, origin: seed.origin }]));
  const budget = newBudget();
  const failures: RecipeProblem[] = [];
  // One assignment that cannot be read must not hide the others: it leaves its variable unknown, and is reported.
  const read = (token: Token, conditional: boolean, apply: boolean): Assignment | undefined => {
    try {
      const assignment = toAssignment(token, variables, lines, conditional, budget);
      if (assignment && apply) assign(variables, options.conditionalsApply && assignment.conditional ? { ...assignment, conditional: false } : assignment);
      return assignment;
    } catch (error) {
      const start = token.type === 'word' ? token.word.start : token.type === 'array' ? token.start : 0;
      const end = token.type === 'word' ? token.word.end : token.type === 'array' ? token.end : 0;
      failures.push({ reason: 'syntax', message: `Pinwatch could not read this assignment (internal error: ${errorText(error)}), so what uses it was not checked.`, start, end });
      const name = token.type === 'array' ? token.name : token.type === 'word' ? assignmentParts(token.word)?.name : undefined;
      if (name !== undefined && apply) variables.set(name, { value: undefined, line: lines(start) });
      return undefined;
    }
  };
  const assignments: Assignment[] = [];
  const inFunctions: { token: Token; fn: string; conditional: boolean }[] = [];
  const stack: Frame[] = [];
  let commandStart = true;
  let pendingFunction: string | undefined;
  let afterAndOr = false;
  let i = 0;
  const push = (kind: FrameKind): void => {
    const below = stack[stack.length - 1];
    const at = stack.length;
    const conditional = kind !== 'brace' || afterAndOr;
    const fnAt = below && below.fnAt >= 0 ? below.fnAt : pendingFunction !== undefined ? at : -1;
    const lastOf = { ...(below?.lastOf ?? noFrames), [kind]: at };
    stack.push({ kind, fn: pendingFunction, conditional, lastOf, fnAt, conditionals: (below?.conditionals ?? 0) + (conditional ? 1 : 0) });
    pendingFunction = undefined;
  };
  const pop = (kind: FrameKind): void => {
    const at = stack[stack.length - 1]?.lastOf[kind] ?? -1;
    if (at >= 0) stack.length = at;
  };
  while (i < tokens.length) {
    const token = tokens[i]!;
    if (token.type === 'eof') {
      if (token.error !== undefined) {
        failures.push({ reason: 'syntax', message: `Pinwatch could not read this recipe from here (internal error: ${token.error}), so what follows was not checked.`, start: token.start, end: token.start });
      }
      break;
    }
    if (token.type === 'newline' || (token.type === 'op' && separators.has(token.value))) {
      // After `&&` or `||` a command may not run: `[ "$X" ] && pkgname=other`.
      afterAndOr = token.type === 'op' && (token.value === '&&' || token.value === '||' || token.value === '|' || token.value === '|&');
      commandStart = true;
      i++;
      continue;
    }
    if (token.type === 'op') {
      if (token.value === '(' || token.value === ')') {
        if (token.value === '(') push('paren');
        // A `)` with no open subshell ends a case pattern.
        else if (stack[stack.length - 1]?.kind === 'paren') stack.pop();
        commandStart = true;
        i++;
      } else {
        // A redirection: its target word is not a command.
        i += tokens[i + 1]?.type === 'word' ? 2 : 1;
      }
      continue;
    }
    if (!commandStart) {
      i++;
      continue;
    }
    const keyword = token.type === 'word' ? bare(token.word) : undefined;
    if (keyword !== undefined && keyword in openers) {
      push(openers[keyword]!);
      commandStart = keyword === '{' || keyword === 'if' || keyword === 'while' || keyword === 'until';
      i++;
      continue;
    }
    if (keyword !== undefined && keyword in closers) {
      pop(closers[keyword]!);
      commandStart = false;
      i++;
      continue;
    }
    if (keyword === 'then' || keyword === 'do' || keyword === 'else' || keyword === 'elif' || keyword === '!' || keyword === 'in') {
      i++;
      continue;
    }
    if (keyword === 'function') {
      const name = tokens[i + 1]?.type === 'word' ? bare((tokens[i + 1] as { word: Word }).word) : undefined;
      pendingFunction = name ?? '';
      i += 2;
      if (isOp(tokens[i], '(') && isOp(tokens[i + 1], ')')) i += 2;
      continue;
    }
    if (token.type === 'word' && isOp(tokens[i + 1], '(') && isOp(tokens[i + 2], ')')) {
      pendingFunction = bare(token.word) ?? '';
      i += 3;
      continue;
    }
    // In a function, `local` and `declare` (without -g) make the variable the function's own.
    const localDeclaration = keyword === 'local' || keyword === 'declare' || keyword === 'typeset';
    if (keyword !== undefined && declarations.has(keyword)) {
      i++;
      while (tokens[i]?.type === 'word' && bare((tokens[i] as { word: Word }).word)?.startsWith('-')) i++;
    }
    const found: Token[] = [];
    while (tokens[i] && (tokens[i]!.type === 'array' || (tokens[i]!.type === 'word' && assignmentParts((tokens[i] as { word: Word }).word)))) found.push(tokens[i++]!);
    // Assignments before a command only set its environment.
    const prefixesCommand = found.length > 0 && tokens[i]?.type === 'word';
    const top = stack[stack.length - 1];
    const fnFrame = top?.fnAt ?? -1;
    if (!prefixesCommand && fnFrame >= 0 && !localDeclaration) {
      const fn = stack[fnFrame]!.fn!;
      // Inside the function, what may not run is what sits in a compound of its own (the body is a plain group).
      const conditional = afterAndOr || top!.conditionals > stack[fnFrame]!.conditionals;
      for (const t of found) inFunctions.push({ token: t, fn, conditional });
    }
    if (!prefixesCommand && fnFrame < 0) {
      const conditional = afterAndOr || (top?.conditionals ?? 0) > 0;
      for (const t of found) {
        const assignment = read(t, conditional, true);
        if (assignment) assignments.push(assignment);
      }
    }
    commandStart = false;
    if (found.length === 0) i++;
  }
  const functionAssignments = inFunctions.flatMap(({ token, fn, conditional }) => {
    const assignment = read(token, conditional, false);
    return assignment ? [{ ...assignment, fn }] : [];
  });
  const limits = budget.limits.map((l): RecipeProblem => ({ reason: 'limit', ...l }));
  return { assignments, functionAssignments, variables, problems: [...failures, ...limits].sort((a, b) => a.start - b.start) };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isOp(token: Token | undefined, value: string): boolean {
  return token?.type === 'op' && token.value === value;
}

/** The text of a word made of one unquoted literal (a keyword candidate), else undefined. */
function bare(word: Word): string | undefined {
  const only = word.parts.length === 1 ? word.parts[0]! : undefined;
  return only && only.kind === 'text' && !only.quoted ? only.value : undefined;
}

/** `name=`/`name+=` at the start of a word: the name, whether it appends, and the value's segments. */
function assignmentParts(word: Word): { name: string; append: boolean; value: WordPart[]; valueStart: number } | undefined {
  const first = word.parts[0];
  if (!first || first.kind !== 'text' || first.quoted) return undefined;
  const match = assignmentPrefix.exec(first.value);
  if (!match) return undefined;
  const cut = match[0].length;
  const rest: TextPart = { kind: 'text', value: first.value.slice(cut), offsets: first.offsets.slice(cut), quoted: false };
  const value = [...(rest.value ? [rest] : []), ...word.parts.slice(1)];
  return { name: match[1]!, append: match[2] === '+', value, valueStart: first.offsets[cut - 1]! + 1 };
}

function toAssignment(token: Token, variables: Map<string, Variable>, lines: (offset: number) => number, conditional: boolean, budget: Budget): Assignment | undefined {
  if (token.type === 'array') {
    if (token.unterminated) return undefined;
    const words = token.elements.flatMap((w) => expandBraces(expand(w.parts, variables, budget), budget, w).map((chars) => ({ chars, start: w.start, end: w.end })));
    return { name: token.name, append: token.append, kind: 'array', words, start: token.start, line: lines(token.start), conditional };
  }
  if (token.type !== 'word' || token.word.unterminated) return undefined;
  const parts = assignmentParts(token.word)!;
  const word = { chars: expand(parts.value, variables, budget), start: parts.valueStart, end: token.word.end };
  return { name: parts.name, append: parts.append, kind: 'scalar', words: [word], start: token.word.start, line: lines(token.word.start), conditional };
}

/**
 * Updates the variables after an assignment; a conditional one leaves the variable unknown unless it changes nothing.
 * Appending to an array extends the variable's own element list in place: copying it on each `a+=(x)` was quadratic.
 * No one else holds that list, since every other assignment gives the variable a new one.
 */
function assign(variables: Map<string, Variable>, a: Assignment): void {
  const previous = variables.get(a.name);
  const unknown: Variable = { value: undefined, line: a.line };
  if (a.kind === 'array') {
    const elements = a.words.map((w) => valueOf(w.chars));
    if (a.append && previous) {
      const list = previous.elements;
      // Only appending nothing to a known array leaves it as it was.
      if (a.conditional) {
        variables.set(a.name, list && elements.length === 0 && previous.value !== undefined ? { value: list[0], elements: list, line: a.line } : unknown);
        return;
      }
      const all = list ?? [previous.value];
      for (const e of elements) all.push(e);
      variables.set(a.name, { value: all[0], elements: all, line: a.line });
      return;
    }
    const next: Variable = { value: elements[0], elements, line: a.line };
    variables.set(a.name, a.conditional && !(previous && sameValue(previous, next)) ? unknown : next);
    return;
  }
  const value = valueOf(a.words[0]!.chars);
  if (previous?.elements && a.append) {
    // A scalar appended to an array is one more element, which always changes it.
    if (a.conditional) {
      variables.set(a.name, unknown);
      return;
    }
    previous.elements.push(value);
    variables.set(a.name, { value: previous.elements[0], elements: previous.elements, line: a.line });
    return;
  }
  const joined = a.append && previous ? (previous.value === undefined || value === undefined ? undefined : previous.value + value) : value;
  const next: Variable = { value: joined, line: a.line };
  variables.set(a.name, a.conditional && !(previous && sameValue(previous, next)) ? unknown : next);
}

function sameValue(a: Variable, b: Variable): boolean {
  return a.value !== undefined && a.value === b.value && JSON.stringify(a.elements) === JSON.stringify(b.elements);
}
