/**
 * RPM macro expansion for spec files, keeping where each character came from: `%name`, `%{name}`, `%%`,
 * conditionals `%{?x}`, `%{!?x:…}`, `%{?x:…}` (and the unbraced `%?x`), `%{expand:…}`, with `%global` values
 * expanded where they are defined and `%define` bodies where they are used, as rpm does. What Pinwatch cannot
 * compute (`%(shell)`, `%{lua:…}`, `%[expr]`, built-in macros, a macro the file never defines, one defined
 * inside `%if`) gives a poisoned character, so a value is either what rpm would compute from the file, or unknown.
 *
 * Bounded like the bash scanner: a macro that expands itself (`%define a %{a}`) stops at a nesting depth, one value
 * at 64 Ki characters, a file's expansions at 1 Mi characters and 20,000 macro uses in all; each bound reached is
 * a `Limit` at that macro, and the rest of the file is still read. Linear: braces are matched once for the text.
 */
import { maxExpandedTotal, maxValueLength, type Limit, type RChar } from '../shell/bashExpand';

/** A macro: its characters (a `%global` or a tag, expanded once), or its body (a `%define`), or unknown. */
export interface Macro {
  chars?: RChar[];
  body?: { from: number; to: number };
  /** Defined inside `%if` (or parametric): whether and how it is defined is not known. */
  unknown?: true;
  /** How it got its value, for messages ("%global ver 5.6.1, line 3"). */
  via: string;
}

/** The state of one spec's expansion: its text, its macros, and the bounds spent so far. */
export interface MacroContext {
  readonly text: string;
  readonly macros: Map<string, Macro>;
  /** For each `{` and `(` of the text, the index after its match; -1 when it has none. */
  readonly close: Int32Array;
  left: number;
  uses: number;
  /** Bounds reached (reason 'limit') and macros left open (reason 'syntax'), each reported once at its offset. */
  readonly problems: MacroProblem[];
  readonly reported: Set<number>;
  spent?: true;
}

/** A bound an expansion reached, or a macro that is never closed, at its span. */
export interface MacroProblem extends Limit { reason: 'syntax' | 'limit' }

/** Deepest nesting of macro bodies and conditionals expanded. */
const maxDepth = 16;
/** Most macro uses expanded in one file (a chain of `%define`s that each use the next twice is exponential). */
const maxUses = 20_000;

/** A fresh context for a spec's text: braces and parentheses are matched here, once. */
export function macroContext(text: string): MacroContext {
  const close = new Int32Array(text.length).fill(-1);
  const braces: number[] = [];
  const parens: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b) braces.push(i);
    else if (c === 0x7d) { const at = braces.pop(); if (at !== undefined) close[at] = i + 1; }
    else if (c === 0x28) parens.push(i);
    else if (c === 0x29) { const at = parens.pop(); if (at !== undefined) close[at] = i + 1; }
  }
  return { text, macros: new Map(), close, left: maxExpandedTotal, uses: 0, problems: [], reported: new Set() };
}

const nameChar = /[A-Za-z0-9_]/;

/** Expands the text between two offsets. Never throws. */
export function expandMacros(ctx: MacroContext, from: number, to: number, depth = 0): RChar[] {
  const { text } = ctx;
  const out: RChar[] = [];
  const push = (chars: readonly RChar[]): void => {
    for (const c of chars) out.push(c);
  };
  let i = from;
  while (i < to) {
    const ch = text[i]!;
    if (ch !== '%' || i + 1 >= to) {
      out.push({ ch, start: i, end: i + 1 });
      i += 1;
      continue;
    }
    const next = text[i + 1]!;
    if (next === '%') {
      out.push({ ch: '%', start: i, end: i + 2 });
      i += 2;
    } else if (next === '{' || next === '(' || next === '[') {
      const end = next === '[' ? bracketEnd(text, i + 1, to) : ctx.close[i + 1]!;
      if (end < 0 || end > to) {
        report(ctx, 'syntax', i, to, 'This macro is never closed, so Pinwatch did not read the rest of this value: what uses it was not checked.');
        out.push(poison(i, to));
        i = to;
      } else {
        push(next === '{' ? braced(ctx, i, end, depth) : [poison(i, end)]);
        i = end;
      }
    } else if (nameChar.test(next) || next === '?' || next === '!') {
      const { name, flags, end: j } = macroName(text, i + 1, to);
      if (name === undefined) { out.push(poison(i, Math.max(j, i + 2))); i = Math.max(j, i + 2); continue; }
      push(use(ctx, name, flags, i, j, undefined, depth));
      i = j;
    } else {
      out.push({ ch, start: i, end: i + 1 });
      i += 1;
    }
    if (out.length > maxValueLength) return [tooLong(ctx, from, to)];
  }
  return out;
}

/** `%{…}` from `at` to `end` (after its `}`). */
function braced(ctx: MacroContext, at: number, end: number, depth: number): RChar[] {
  const { text } = ctx;
  const inner = end - 1;
  const { name, flags, end: j } = macroName(text, at + 2, inner);
  if (name === undefined) return [poison(at, end)];
  if (j === inner) return use(ctx, name, flags, at, end, undefined, depth);
  if (text[j] !== ':') return [poison(at, end)];
  const body = { from: j + 1, to: inner };
  if (!flags.conditional) return name === 'expand' && !flags.negate ? nested(ctx, body.from, body.to, at, end, depth) : [poison(at, end)];
  return use(ctx, name, flags, at, end, body, depth);
}

/** `!`, `?` and a macro name from `from` (before `to`); the name is undefined when there is none (or it is `%1`). */
function macroName(text: string, from: number, to: number): { name: string | undefined; flags: { negate: boolean; conditional: boolean }; end: number } {
  let j = from;
  const negate = text[j] === '!';
  if (negate) j += 1;
  const conditional = text[j] === '?';
  if (conditional) j += 1;
  const nameFrom = j;
  while (j < to && nameChar.test(text[j]!)) j += 1;
  const name = text.slice(nameFrom, j);
  return { name: name === '' || /^[0-9]/.test(name) ? undefined : name, flags: { negate, conditional }, end: j };
}

/** A macro used at [at, end): its value, or for a conditional the body or nothing. */
function use(ctx: MacroContext, name: string, flags: { negate: boolean; conditional: boolean }, at: number, end: number, body: { from: number; to: number } | undefined, depth: number): RChar[] {
  ctx.uses += 1;
  if (ctx.uses > maxUses) return [spend(ctx, at, end, `This spec uses more than ${maxUses} macros in all here, so Pinwatch stopped expanding them: values from here on that use them were not checked.`)];
  const macro = ctx.macros.get(name);
  if (macro?.unknown) return [poison(at, end)];
  if (flags.conditional) {
    const applies = flags.negate ? macro === undefined : macro !== undefined;
    if (!applies) return [];
    if (body) return nested(ctx, body.from, body.to, at, end, depth);
  }
  if (!macro) return [poison(at, end)];
  if (macro.chars) return retag(ctx, macro.chars, name, macro.via, at, end);
  const value = nested(ctx, macro.body!.from, macro.body!.to, at, end, depth);
  return retag(ctx, value, name, macro.via, at, end);
}

/** Expands a body one level deeper; past the depth, a limit at the macro that uses it. */
function nested(ctx: MacroContext, from: number, to: number, at: number, end: number, depth: number): RChar[] {
  if (depth + 1 > maxDepth) {
    report(ctx, 'limit', at, end, `This macro nests deeper than ${maxDepth} levels here (or expands itself), so Pinwatch stopped expanding it: what uses it was not checked.`);
    return [poison(at, end)];
  }
  return expandMacros(ctx, from, to, depth + 1);
}

/** A macro's value as characters of its use: each tied to the use's span, named and with how it got its value. */
function retag(ctx: MacroContext, value: readonly RChar[], name: string, via: string, at: number, end: number): RChar[] {
  if (value.some((c) => c.poison)) return [poison(at, end)];
  if (value.length > ctx.left) return [spend(ctx, at, end, `Macro expansions in this spec pass ${maxExpandedTotal} characters in all here, so Pinwatch stopped expanding macros: values from here on that use them were not checked.`)];
  ctx.left -= value.length;
  const vias = [via];
  return value.map((c) => ({ ch: c.ch, start: at, end, variable: name, via: vias }));
}

function spend(ctx: MacroContext, at: number, end: number, message: string): RChar {
  if (!ctx.spent) {
    ctx.spent = true;
    ctx.left = 0;
    report(ctx, 'limit', at, end, message);
  }
  ctx.uses = maxUses + 1;
  return poison(at, end);
}

function tooLong(ctx: MacroContext, from: number, to: number): RChar {
  report(ctx, 'limit', from, to, `This value grows past ${maxValueLength} characters here, so Pinwatch stopped expanding it: what uses it was not checked.`);
  return poison(from, to);
}

/** Records a problem once for its offset: a macro body expanded at each use reports its fault once. */
function report(ctx: MacroContext, reason: 'syntax' | 'limit', start: number, end: number, message: string): void {
  if (ctx.reported.has(start)) return;
  ctx.reported.add(start);
  ctx.problems.push({ reason, start, end, message });
}

function poison(start: number, end: number): RChar {
  return { ch: '', start, end, poison: true };
}

/** The index after the `]` that closes a `%[` expression (nesting counted), or -1. */
function bracketEnd(text: string, open: number, to: number): number {
  let depth = 0;
  for (let i = open; i < to; i++) {
    if (text[i] === '[') depth++;
    else if (text[i] === ']' && --depth === 0) return i + 1;
  }
  return -1;
}
