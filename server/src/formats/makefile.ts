/**
 * Makefiles (`Makefile`, `makefile`, `GNUmakefile`, `*.mk`): each recipe line (a tab-indented line after a rule,
 * with its continuation lines, or the part after a rule's `;`) is read as shell with the shell reader Dockerfile
 * RUN instructions use. Make's own variables (`VAR = value`, `VAR := value`, `VAR ?= value`) are substituted in
 * `$(VAR)` and `${VAR}`: the reference stays at the use, and a fix edits the variable's value where it is written
 * literally. `$$` is the shell's `$`; make functions (`$(shell …)`, `$(VAR:a=b)`) have no static value.
 */
import type { ArtifactReference, Extracted, Format, ReadProblem } from '../model';
import { guardUrls, shellBlock } from './build/shellBlock';
import { problemAt } from './build/refs';
import { formatPatterns } from './patterns';
import type { Binding } from './shell/expand';
import { lineIndex, type LineIndex } from './textPositions';

/** The Makefile format. */
export const makefile: Format = {
  id: 'make/Makefile',
  patterns: [...formatPatterns['make/Makefile']],
  commentPrefix: '#',
  maxLength: 8 * 1024 * 1024,
  extract(text: string): Extracted[] {
    const lines = lineIndex(text);
    const acc = { out: [] as Extracted[], urls: [] as ArtifactReference[], checksums: [] as string[] };
    const vars = new Map<string, Definition>();
    const problems: ReadProblem[] = [];
    const budget: Budget = { left: maxExpansion, reported: false };
    const lookup = (name: string): Binding | undefined => binding(lines, vars, name, budget, problems);
    let inRule = false;
    let at = 0;
    while (at < text.length) {
      const { end, next } = logicalLine(text, at);
      const first = text[at];
      if (first === '\t' && inRule) {
        recipe(lines, text, at + 1, end, lookup, acc);
      } else {
        const line = text.slice(at, end);
        const trimmed = line.trimStart();
        if (trimmed === '' || trimmed.startsWith('#')) {
          // Blank and comment lines do not end a rule's recipe.
        } else {
          const assignment = /^[ \t]*((?:(?:export|override|private)[ \t]+)*)([A-Za-z0-9_.-]+)[ \t]*(:::=|::=|:=|\?=|\+=|!=|=)/.exec(line);
          if (assignment) {
            inRule = false;
            define(vars, assignment[2]!, assignment[3]!, text, at + assignment[0].length, end);
          } else if (/^[ \t]*(?:ifn?eq|ifn?def|else|endif|include|-include|sinclude|define|endef|export|unexport|vpath)\b/.test(line)) {
            // Conditionals and directives: a recipe may continue after them.
          } else if (ruleColon(line) >= 0) {
            inRule = true;
            const semi = line.indexOf(';', ruleColon(line));
            if (semi >= 0) recipe(lines, text, at + semi + 1, end, lookup, acc);
          } else {
            inRule = false;
          }
        }
      }
      at = next;
    }
    guardUrls(acc);
    return [...acc.out, ...problems];
  },
};

/** The longest expansion of make variables in one file, in characters: past it, a `limit` problem. */
const maxExpansion = 1024 * 1024;

interface Definition {
  /** The raw text of the value, and the offset where it starts. */
  raw: string;
  at: number;
  /** For `:=`, the value is expanded when it is defined. */
  simple?: Binding;
  /** A `:=` value whose expansion reached a bound. */
  limited?: true;
}

/** Where a logical line ends (before its newline) and where the next starts, following backslash continuations. */
function logicalLine(text: string, at: number): { end: number; next: number } {
  let i = at;
  for (;;) {
    const br = text.indexOf('\n', i);
    if (br < 0) return { end: text.length, next: text.length };
    let bs = 0;
    for (let k = (text[br - 1] === '\r' ? br - 2 : br - 1); k >= at && text[k] === '\\'; k--) bs++;
    if (bs % 2 === 1) { i = br + 1; continue; }
    return { end: text[br - 1] === '\r' ? br - 1 : br, next: br + 1 };
  }
}

/** The offset of a rule's `:` (not part of `:=` or a drive letter), or -1. */
function ruleColon(line: string): number {
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '#') return -1;
    if (c === '=') return -1;
    if (c === ':' && line[i + 1] !== '=' && !(line[i + 1] === ':' && line[i + 2] === '=')) return i;
  }
  return -1;
}

function define(vars: Map<string, Definition>, name: string, op: string, text: string, from: number, end: number): void {
  if (op === '+=' || op === '!=') { vars.delete(name); return; }
  if (op === '?=' && vars.has(name)) return;
  let start = from;
  while (start < end && (text[start] === ' ' || text[start] === '\t')) start++;
  let stop = end;
  const hash = text.indexOf('#', start);
  if (hash >= 0 && hash < stop && text[hash - 1] !== '\\') stop = hash;
  while (stop > start && (text[stop - 1] === ' ' || text[stop - 1] === '\t')) stop--;
  const raw = text.slice(start, stop);
  if (raw.includes('\\\n') || raw.includes('\\\r\n')) { vars.delete(name); return; }
  const def: Definition = { raw, at: start };
  vars.set(name, def);
  if (op !== '=') {
    // Expanded now, with the variables as they are at this line.
    const bound = expandValue(vars, def, { left: maxExpansion, reported: true }, 0);
    if (bound === 'limit') def.limited = true;
    else if (bound) def.simple = bound;
    else vars.delete(name);
  }
}

/** A make variable's value for the shell reader: its text, and its offsets when it is written literally. */
function binding(lines: LineIndex, vars: ReadonlyMap<string, Definition>, name: string, budget: Budget, problems: ReadProblem[]): Binding | undefined {
  const def = vars.get(name);
  if (!def) return undefined;
  const bound = def.limited ? 'limit' : (def.simple ?? expandValue(vars, def, budget, 0));
  if (bound === 'limit') {
    if (!budget.reported) {
      budget.reported = true;
      problems.push(problemAt(lines, 'limit', def.at, def.at + def.raw.length, `Make variables here expand to more than ${maxExpansion} characters in all, or nest deeper than ${maxDepth} levels: the uses of such variables were not read.`));
    }
    return undefined;
  }
  return bound ? { ...bound, via: `make variable ${name}, line ${lines.line(def.at) + 1}` } : undefined;
}

interface Budget { left: number; reported: boolean }

/** How deep make variables may name one another. */
const maxDepth = 16;

/**
 * A definition's value with `$(X)`/`${X}` expanded, bounded in depth and in total length ('limit' past either);
 * undefined when it has no static value.
 */
function expandValue(vars: ReadonlyMap<string, Definition>, def: Definition, budget: Budget, depth: number): Binding | undefined | 'limit' {
  if (depth > maxDepth || budget.left < 0) return 'limit';
  if (def.simple) return def.simple;
  let value = '';
  const offsets: number[] = [];
  let literal = true;
  const s = def.raw;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '$') { value += c; offsets.push(def.at + i); continue; }
    const open = s[i + 1];
    if (open === '$') { value += '$'; offsets.push(def.at + i); i++; continue; }
    if (open !== '(' && open !== '{') return undefined;
    const close = s.indexOf(open === '(' ? ')' : '}', i + 2);
    const name = close < 0 ? '' : s.slice(i + 2, close);
    const inner = /^[A-Za-z0-9_.-]+$/.test(name) ? vars.get(name) : undefined;
    if (!inner || inner === def) return undefined;
    const bound = expandValue(vars, inner, budget, depth + 1);
    if (bound === undefined || bound === 'limit') return bound;
    value += bound.value;
    budget.left -= bound.value.length;
    if (budget.left < 0) return 'limit';
    if (bound.offsets) for (const o of bound.offsets) offsets.push(o);
    else literal = false;
    i = close;
  }
  return literal && offsets.length === value.length ? { value, offsets } : { value };
}

/**
 * One recipe line as the shell gets it: prefixes `@`, `-`, `+` removed, `$$` as `$`, make's `$(X)` as the shell's
 * `${X}` (so the lookup gives make's value and the reference stays at the use), a continuation line's leading
 * tab removed. Each character keeps the offset it is written at.
 */
function recipe(lines: LineIndex, text: string, from: number, end: number, lookup: (name: string) => Binding | undefined, acc: Parameters<typeof shellBlock>[3]): void {
  let i = from;
  while (i < end && (text[i] === '@' || text[i] === '-' || text[i] === '+' || text[i] === ' ' || text[i] === '\t')) i++;
  let out = '';
  const offsets: number[] = [];
  while (i < end) {
    const c = text[i]!;
    if (c === '$') {
      const open = text[i + 1];
      if (open === '$') { out += '$'; offsets.push(i); i += 2; continue; }
      if (open === '(' || open === '{') {
        const close = text.indexOf(open === '(' ? ')' : '}', i + 2);
        const name = close < 0 || close > end ? '' : text.slice(i + 2, close);
        if (/^[A-Za-z0-9_]+$/.test(name)) {
          out += '${';
          offsets.push(i, i + 1);
          for (let k = i + 2; k < close; k++) { out += text[k]; offsets.push(k); }
          out += '}';
          offsets.push(close);
          i = close + 1;
          continue;
        }
      }
    }
    if (c === '\n' && text[i + 1] === '\t') {
      out += '\n';
      offsets.push(i);
      i += 2;
      continue;
    }
    out += c;
    offsets.push(i);
    i++;
  }
  if (out.trim() === '') return;
  offsets.push((offsets[offsets.length - 1] ?? from) + 1);
  shellBlock(lines, { text: out, offsets }, lookup, acc);
}
