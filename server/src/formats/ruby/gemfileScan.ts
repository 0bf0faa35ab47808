/**
 * The dependency declarations of a Gemfile (`gem "name", "~> 1.6", require: false`) and of a gemspec
 * (`spec.add_dependency "name", ">= 1", "< 2"`, `s.add_runtime_dependency(%q<name>.freeze, ["= 1.6.13"])`), read
 * from the tokens of `rubyTokens.ts`: the name, the requirement strings and the option keys of each call.
 */
import { tokenize, type StringToken, type Token } from './rubyTokens';

/** One declaration: the gem's name and where it is written, its requirement strings, and its options. */
export interface GemDeclaration {
  name: string;
  nameToken: StringToken;
  /** The requirement strings, in order (from a list `["= 1.0"]` too). */
  requirements: StringToken[];
  /** Set when a requirement is not a literal string (a variable, a method call): nothing is known of it. */
  dynamic: boolean;
  /** The option keys (`require`, `git`, `path`, `platforms`, …). */
  options: string[];
  /** Which call declared it (`gem`, `add_dependency`, …). */
  call: string;
}

/** What a scan found, and where it stopped reading when it did. */
export interface GemScan {
  declarations: GemDeclaration[];
  problem?: { message: string; start: number; end: number };
}

const gemspecCalls: ReadonlySet<string> = new Set(['add_dependency', 'add_runtime_dependency', 'add_development_dependency']);

/** The declarations of a Gemfile (`gem`) or a gemspec (`add_dependency` and its kin), in document order. */
export function scanGems(text: string, kind: 'gem' | 'gemspec'): GemScan {
  const { tokens, problem } = tokenize(text);
  const declarations: GemDeclaration[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.t !== 'ident') continue;
    const before = tokens[i - 1];
    const isCall = kind === 'gem' ? token.value === 'gem' && !(before && before.t === 'punct' && (before.value === '.' || before.value === '::')) : gemspecCalls.has(token.value);
    if (!isCall) continue;
    const found = readCall(tokens, i + 1, token.value);
    if (!found) continue;
    if (found.declaration) declarations.push(found.declaration);
    // Declarations do not nest (a `gem` inside another's arguments is not a call of its own): the next one starts
    // after this one's arguments, read or not, which keeps the scan linear.
    i = Math.max(i, found.end - 1);
  }
  return { declarations, ...(problem ? { problem } : {}) };
}

/** The declarations alone (see `scanGems`). */
export function gemDeclarations(text: string, kind: 'gem' | 'gemspec'): GemDeclaration[] {
  return scanGems(text, kind).declarations;
}

/**
 * Reads a call's arguments from `i` (just after its name): the declaration when its first argument is a literal
 * name, and where its arguments end; undefined when no string follows the name (`gem` is then not this call).
 */
function readCall(tokens: readonly Token[], i: number, call: string): { declaration?: GemDeclaration; end: number } | undefined {
  const paren = tokens[i]?.t === 'punct' && (tokens[i] as { value: string }).value === '(' && tokens[i]!.start === tokens[i - 1]!.end;
  if (tokens[paren ? i + 1 : i]?.t !== 'str') return undefined;
  const args = splitArgs(tokens, paren ? i + 1 : i, paren);
  const first = args.list[0];
  const name = first && stringArg(first);
  if (!name || name.length !== 1 || !name[0]!.exact || name[0]!.value === '') return { end: args.end };
  const requirements: StringToken[] = [];
  const options: string[] = [];
  let dynamic = false;
  for (const arg of args.list.slice(1)) {
    const key = optionKey(arg);
    if (key !== undefined) {
      options.push(key);
      continue;
    }
    const strings = options.length === 0 ? stringArg(arg) : undefined;
    if (strings && strings.every((s) => !s.words)) requirements.push(...strings);
    else if (options.length === 0) dynamic = true;
  }
  return { declaration: { name: name[0]!.value, nameToken: name[0]!, requirements, dynamic, options, call }, end: args.end };
}

/** The arguments from `i`, split at top-level commas, up to the closing parenthesis or the statement's end. */
function splitArgs(tokens: readonly Token[], i: number, paren: boolean): { list: Token[][]; end: number } {
  const list: Token[][] = [];
  let current: Token[] = [];
  let depth = 0;
  let j = i;
  for (; j < tokens.length; j++) {
    const token = tokens[j]!;
    if (depth === 0 && !paren && token.t === 'ident' && /^(if|unless|do|and|or|while|until)$/.test(token.value)) break;
    if (token.t === 'nl') {
      if (depth > 0 || paren) continue;
      const last = current[current.length - 1];
      // A statement continues after a comma or an operator that needs its right-hand side.
      if (current.length === 0 && list.length > 0) continue;
      if (last && last.t === 'punct' && /^(,|=>|\+|\|\||&&|\.)$/.test(last.value)) continue;
      break;
    }
    if (token.t === 'punct') {
      const v = token.value;
      if (v === '(' || v === '[' || v === '{') depth++;
      else if (v === ')' || v === ']' || v === '}') {
        if (depth === 0) break;
        depth--;
      } else if (v === ';' && depth === 0) break;
      else if (v === ',' && depth === 0) {
        list.push(current);
        current = [];
        continue;
      }
    }
    current.push(token);
  }
  if (current.length > 0) list.push(current);
  return { list, end: j };
}

/** The strings of an argument that is a literal string or a list of them (each maybe `.freeze`d); undefined otherwise. */
function stringArg(arg: readonly Token[]): StringToken[] | undefined {
  const items = withoutFreeze(arg);
  if (items.length === 1 && items[0]!.t === 'str') return [items[0]!];
  const open = items[0];
  const close = items[items.length - 1];
  if (!open || open.t !== 'punct' || open.value !== '[' || !close || close.t !== 'punct' || close.value !== ']') return undefined;
  const out: StringToken[] = [];
  const inner = items.slice(1, -1);
  for (let k = 0; k < inner.length; k++) {
    const item = inner[k]!;
    if (item.t === 'nl') continue;
    if (k % 2 === 1 || item.t !== 'str') {
      if (item.t === 'punct' && item.value === ',' && k % 2 === 1) continue;
      return undefined;
    }
    out.push(item);
  }
  return out;
}

/** The tokens of an argument without `.freeze` calls and line breaks. */
function withoutFreeze(arg: readonly Token[]): Token[] {
  const out: Token[] = [];
  for (let k = 0; k < arg.length; k++) {
    const t = arg[k]!;
    const next = arg[k + 1];
    if (t.t === 'nl') continue;
    if (t.t === 'punct' && t.value === '.' && next?.t === 'ident' && next.value === 'freeze') {
      k++;
      continue;
    }
    out.push(t);
  }
  return out;
}

/** The key of an option argument (`require: false`, `:git => "…"`, `"path" => "…"`), or undefined. */
function optionKey(arg: readonly Token[]): string | undefined {
  const first = arg[0];
  if (!first) return undefined;
  if (first.t === 'label') return first.value;
  const second = arg[1];
  if ((first.t === 'sym' || first.t === 'str') && second?.t === 'punct' && second.value === '=>') return first.t === 'sym' ? first.value : first.value;
  return undefined;
}
