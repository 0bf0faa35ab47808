/**
 * The bindings of a Nix expression that Pinwatch reads: `name = "string";`, `name = [ "a" "b" ];` and
 * `inherit name;` in attribute sets and `let` blocks, each in its scope (the set or `let` that holds it, inside
 * its parents), so that `${version}` and `${finalAttrs.version}` in a URL resolve to the version beside it.
 * One pass over the tokens with a stack of open brackets.
 */
import type { StringPart, Token } from './lexer';

/** An attribute set or `let` block: its bindings by name, and the scope around it. */
export interface Scope {
  parent?: Scope;
  bindings: Map<string, Binding>;
  /** The name of the function a set is passed to (`fetchFromGitHub` in `fetchFromGitHub { … }`), when it is one identifier. */
  caller?: string;
}

/** A binding Pinwatch may read: a string, a list of strings, or a name inherited from the scope around. */
export type Binding =
  | { kind: 'string'; name: string; token: StringToken; scope: Scope }
  | { kind: 'list'; name: string; tokens: StringToken[]; scope: Scope }
  | { kind: 'inherit'; name: string; scope: Scope };

export type StringToken = Extract<Token, { kind: 'string' }>;

/** Every scope of the expression, outermost first. */
export function scopesOf(tokens: readonly Token[]): Scope[] {
  const scopes: Scope[] = [];
  const root: Scope = { bindings: new Map() };
  scopes.push(root);
  // Open brackets: `{` and `let` carry the scope they open; `[` and `(` only nest.
  const open: { ch: string; scope?: Scope }[] = [];
  const counts = new Map<string, number>();
  const push = (entry: { ch: string; scope?: Scope }): void => {
    open.push(entry);
    counts.set(entry.ch, (counts.get(entry.ch) ?? 0) + 1);
  };
  const close = (ch: string): void => {
    // A closer with nothing open of its kind pops nothing, without looking through the stack.
    if (!counts.get(ch)) return;
    for (let k = open.length - 1; k >= 0; k--) {
      if (open[k]!.ch !== ch) continue;
      for (let m = k; m < open.length; m++) counts.set(open[m]!.ch, counts.get(open[m]!.ch)! - 1);
      open.length = k;
      return;
    }
  };
  const current = (): Scope => {
    for (let k = open.length - 1; k >= 0; k--) if (open[k]!.scope) return open[k]!.scope!;
    return root;
  };
  let atBinding = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const top = open[open.length - 1];
    if (atBinding && (top?.ch === '{' || top?.ch === 'let')) {
      const taken = binding(tokens, i, current());
      if (taken) {
        if (taken.binding) current().bindings.set(taken.binding.name, taken.binding);
        for (const inherited of taken.inherited ?? []) current().bindings.set(inherited.name, inherited);
        i = taken.next - 1;
        atBinding = taken.closed;
        continue;
      }
    }
    atBinding = false;
    if (t.kind === 'punct' && t.text === '{') {
      const before = tokens[i - 1]?.text === 'rec' ? tokens[i - 2] : tokens[i - 1];
      const caller = before?.kind === 'id' && before.text !== 'rec' ? { caller: before.text } : {};
      const scope: Scope = { parent: current(), bindings: new Map(), ...caller };
      scopes.push(scope);
      push({ ch: '{', scope });
      atBinding = true;
    } else if (t.kind === 'id' && t.text === 'let' && tokens[i + 1]?.text !== '=') {
      const scope: Scope = { parent: current(), bindings: new Map() };
      scopes.push(scope);
      push({ ch: 'let', scope });
      atBinding = true;
    } else if (t.kind === 'id' && t.text === 'in') {
      // The body of a `let` sees its bindings: the scope stays open, for names only, until the body ends.
      const top = open[open.length - 1];
      if (top?.ch === 'let') {
        close('let');
        push({ ch: 'in', scope: top.scope });
      }
    } else if (t.kind === 'punct' && (t.text === '[' || t.text === '(')) {
      push({ ch: t.text });
    } else if (t.kind === 'punct' && (t.text === '}' || t.text === ']' || t.text === ')')) {
      close(t.text === '}' ? '{' : t.text === ']' ? '[' : '(');
    } else if (t.kind === 'punct' && t.text === ';') {
      // A `;` ends the binding a `let … in` body is the value of.
      while (open[open.length - 1]?.ch === 'in') close('in');
      atBinding = true;
    }
  }
  return scopes;
}

/**
 * The binding that starts at token `i`, when it is one Pinwatch reads: `name = "s";`, `name = [ "s" … ];` or
 * `inherit a b;`. `next` is the token after what was taken and `closed` whether that ended at a `;`.
 */
function binding(tokens: readonly Token[], i: number, scope: Scope): { binding?: Binding; inherited?: Binding[]; next: number; closed: boolean } | undefined {
  const t = tokens[i]!;
  if (t.kind === 'id' && t.text === 'inherit') {
    if (tokens[i + 1]?.text === '(') return undefined;
    const inherited: Binding[] = [];
    let j = i + 1;
    while (tokens[j]?.kind === 'id') inherited.push({ kind: 'inherit', name: tokens[j++]!.text, scope });
    return tokens[j]?.text === ';' ? { inherited, next: j + 1, closed: true } : undefined;
  }
  if (t.kind !== 'id' || tokens[i + 1]?.text !== '=') return undefined;
  const value = tokens[i + 2];
  if (value?.kind === 'string' && tokens[i + 3]?.text === ';') {
    return { binding: { kind: 'string', name: t.text, token: value, scope }, next: i + 4, closed: true };
  }
  if (value?.text === '[' && value.kind === 'punct') {
    const list: StringToken[] = [];
    let j = i + 3;
    while (tokens[j]?.kind === 'string') list.push(tokens[j++] as StringToken);
    if (tokens[j]?.text === ']' && tokens[j + 1]?.text === ';') return { binding: { kind: 'list', name: t.text, tokens: list, scope }, next: j + 2, closed: true };
  }
  // Another value (a call, a set): read on as code, from after the `=`.
  return { next: i + 2, closed: false };
}

/** A string's value with each character's origin: its file offset, or the variable it was interpolated from ('' when unknown). */
export interface Resolved {
  value: string;
  origins: (number | string)[];
}

/** The string binding that gives a name its value in a scope (through `inherit`), or undefined. */
export function definition(scope: Scope | undefined, name: string): Extract<Binding, { kind: 'string' }> | undefined {
  let walked = 0;
  for (let s = scope; s && walked < maxScopeWalk; s = s.parent, walked++) {
    const b = s.bindings.get(name);
    if (!b || b.kind === 'inherit') continue;
    return b.kind === 'string' ? b : undefined;
  }
  return undefined;
}

/** The longest value resolved: past it the value is not read, and the format says so. */
export const maxResolvedLength = 64 * 1024;

/** How many names deep a value is resolved (`${a}` where `a = "${b}"`…). */
const maxResolveDepth = 32;

/** How many scopes out a name is looked for. */
const maxScopeWalk = 64;

/** Resolves strings of one file: each binding once (its value is kept), with the strings whose value grew past the limit. */
export interface Resolver {
  string(token: StringToken, scope: Scope): Resolved | undefined;
  /** The strings that were not resolved because a value would pass `maxResolvedLength`. */
  limited: StringToken[];
}

/**
 * A resolver: literal text as written, `${name}` and `${x.name}` from the string binding of `name` in the scope
 * or the scopes around it (through `inherit`); undefined when an interpolation is anything else or loops.
 */
export function resolver(): Resolver {
  const memo = new Map<StringToken, Resolved | undefined | 'pending'>();
  const limited: StringToken[] = [];
  let depth = 0;
  let truncated = 0;
  const lookup = (scope: Scope | undefined, name: string): Resolved | undefined => {
    const b = definition(scope, name);
    return b ? bindingValue(b.token, b.scope) : undefined;
  };
  const bindingValue = (token: StringToken, scope: Scope): Resolved | undefined => {
    const known = memo.get(token);
    if (known === 'pending') return undefined;
    if (memo.has(token)) return known as Resolved | undefined;
    // A chain of names deeper than real files have is not followed (and not remembered as unresolved).
    if (depth >= maxResolveDepth) {
      truncated++;
      return undefined;
    }
    memo.set(token, 'pending');
    const before = truncated;
    depth++;
    const value = compute(token, scope);
    depth--;
    if (truncated > before) memo.delete(token);
    else memo.set(token, value);
    return value;
  };
  const compute = (token: StringToken, scope: Scope): Resolved | undefined => {
    let value = '';
    const origins: (number | string)[] = [];
    for (const part of token.parts) {
      if (part.kind === 'text') {
        value += part.text;
        for (let k = 0; k < part.text.length; k++) origins.push(part.at < 0 ? '' : part.at + k);
      } else {
        const name = interpolatedName(part);
        const inner = name === undefined ? undefined : lookup(scope, name);
        if (inner === undefined) return undefined;
        value += inner.value;
        for (let k = 0; k < inner.value.length; k++) origins.push(name!);
      }
      if (value.length > maxResolvedLength) {
        limited.push(token);
        return undefined;
      }
    }
    return { value, origins };
  };
  return { string: bindingValue, limited };
}

/** `version` for `${version}`, `${finalAttrs.version}` or `${self.version}`; undefined for any other expression. */
function interpolatedName(part: Extract<StringPart, { kind: 'interpolation' }>): string | undefined {
  const t = part.tokens;
  if (t.length === 1 && t[0]!.kind === 'id') return t[0]!.text;
  if (t.length === 3 && t[0]!.kind === 'id' && t[1]!.text === '.' && t[2]!.kind === 'id') return t[2]!.text;
  return undefined;
}
