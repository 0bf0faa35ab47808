/**
 * Parameter expansion for the recipe scanner: word segments plus the variables assigned so far → characters, each
 * tied to the source span it came from. It resolves `$v`, `${v}`, `${v:-d}` (and `-`, `:=`, `=`, `:+`, `+`),
 * `${v/p/r}` (`//`, `/#`, `/%`), `${v%p}` (`%%`, `#`, `##`), `${v^}` (`^^`, `,`, `,,`) and `${#v}`. Anything else
 * (command substitution, arithmetic, `${v:1:2}`, `${a[@]}`, a variable the file never assigns) yields a poisoned
 * character, so a value is either exactly what bash would compute from the file, or unresolved.
 */
import type { Param, Seg } from './lexer';

/** One character of an expanded value and the source span that produced it. */
export interface RChar {
  ch: string;
  start: number;
  end: number;
  /** An unquoted literal character, which brace expansion and globs may treat as special. */
  unquoted?: true;
  /** Set when the value could not be computed; `ch` is then empty. */
  poison?: true;
  /** The variable whose value produced this character. */
  variable?: string;
  /** How the variables behind this character got their values: "pkgver=5.6.1 (line 3)". */
  via?: string[];
}

/** A variable's state: its value (undefined when unknown), its array elements, and where it was set. */
export interface Variable {
  value: string | undefined;
  /** Present for arrays; an undefined element is unknown. */
  elements?: (string | undefined)[];
  /** 0-based line of the assignment. */
  line: number;
  /** Replaces "line N" in `via` for variables that do not come from the file. */
  origin?: string;
}

export type Env = ReadonlyMap<string, Variable>;

/** Most stars a glob may have; more leave the value unresolved, to bound the backtracking. */
const maxStars = 3;

/** Longest value the glob operators work on; longer values are left unresolved to bound the work. */
const maxGlobValue = 256;

/** Expands word segments to characters. Pure; never throws. */
export function expand(segs: readonly Seg[], env: Env): RChar[] {
  const out: RChar[] = [];
  for (const seg of segs) {
    if (seg.kind === 'lit') {
      for (let i = 0; i < seg.text.length; i++) out.push({ ch: seg.text[i]!, start: seg.offsets[i]!, end: seg.offsets[i]! + 1, ...(seg.quoted ? {} : { unquoted: true as const }) });
    } else if (seg.kind === 'opaque') out.push({ ch: '', start: seg.start, end: seg.end, poison: true });
    else out.push(...expandParam(seg, env));
  }
  return out;
}

/** The string of expanded characters, or undefined when any is poisoned. */
export function valueOf(chars: readonly RChar[]): string | undefined {
  return chars.some((c) => c.poison) ? undefined : chars.map((c) => c.ch).join('');
}

function expandParam(param: Param, env: Env): RChar[] {
  const poison: RChar[] = [{ ch: '', start: param.start, end: param.end, poison: true }];
  const variable = env.get(param.name);
  const op = param.op;
  const value = variable && (variable.elements ? variable.elements[0] : variable.value);
  const known = variable !== undefined && value !== undefined;
  if (variable && !known && op.type !== 'default') return poison;
  const via = variable ? `${param.name}=${value ?? ''} (${variable.origin ?? `line ${variable.line + 1}`})` : undefined;
  const emit = (result: string, fromVariable: boolean, extraVia: string[] = []): RChar[] => {
    if (result === '') return [];
    const vias = [...(fromVariable && via ? [via] : []), ...extraVia];
    return result.split('').map((ch) => ({ ch, start: param.start, end: param.end, ...(fromVariable ? { variable: param.name } : {}), ...(vias.length ? { via: vias } : {}) }));
  };
  if (op.type === 'default') {
    if (variable && !known) return poison;
    const isSet = known && (!op.colon || value !== '');
    if (op.alternative && !isSet) return [];
    if (!op.alternative && isSet) return emit(value!, true);
    const word = expand(op.word, env);
    const text = valueOf(word);
    if (text === undefined) return poison;
    return emit(text, false, uniqueVias(word));
  }
  if (!known) return poison;
  switch (op.type) {
    case 'plain':
      return emit(value, true);
    case 'length':
      return emit(String([...value].length), true);
    case 'case': {
      const convert = (s: string): string => (op.upper ? s.toUpperCase() : s.toLowerCase());
      return emit(op.all ? convert(value) : convert(value.slice(0, 1)) + value.slice(1), true);
    }
    case 'strip':
    case 'replace': {
      if (value.length > maxGlobValue) return poison;
      const pattern = expand(op.pattern, env);
      const source = globSource(pattern, op.pattern);
      if (source === undefined) return poison;
      if (op.type === 'strip') return emit(strip(value, new RegExp(`^(?:${source})$`, 's'), op.suffix, op.longest), true, uniqueVias(pattern));
      const replacementChars = expand(op.replacement, env);
      const replacement = valueOf(replacementChars);
      if (replacement === undefined) return poison;
      const result = replace(value, source, replacement, op.all, op.anchor);
      return emit(result, true, [...uniqueVias(pattern), ...uniqueVias(replacementChars)]);
    }
    default:
      return poison;
  }
}

/** The distinct `via` notes of some characters, in order. */
export function uniqueVias(chars: readonly RChar[]): string[] {
  const seen: string[] = [];
  for (const c of chars) for (const v of c.via ?? []) if (!seen.includes(v)) seen.push(v);
  return seen;
}

/**
 * A glob pattern as a regular-expression source: unquoted `*`, `?` and `[...]` are wildcards, everything else is
 * literal. Quoting is read from the segments, since `${v%"*"}` strips a literal star.
 */
function globSource(chars: readonly RChar[], segs: readonly Seg[]): string | undefined {
  if (chars.some((c) => c.poison)) return undefined;
  const unquoted = new Set<number>();
  for (const seg of segs) if (seg.kind === 'lit' && !seg.quoted) for (const offset of seg.offsets) unquoted.add(offset);
  let source = '';
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const wild = unquoted.has(c.start) && c.variable === undefined && c.end === c.start + 1;
    if (wild && c.ch === '*') source += '[^]*';
    else if (wild && c.ch === '?') source += '[^]';
    else if (wild && c.ch === '[') {
      let j = i + 1;
      let body = '';
      if (chars[j]?.ch === '!' || chars[j]?.ch === '^') { body += '^'; j++; }
      if (chars[j]?.ch === ']') { body += '\\]'; j++; }
      while (j < chars.length && chars[j]!.ch !== ']') { body += chars[j]!.ch === '\\' ? '\\\\' : chars[j]!.ch; j++; }
      if (j >= chars.length || body === '' || body === '^') source += '\\[';
      else { source += `[${body}]`; i = j; }
    } else source += escapeRegExp(c.ch);
  }
  // Each unanchored star multiplies the backtracking; recipes use one or two.
  return source.split('[^]*').length - 1 > maxStars ? undefined : source;
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

/** `${v#p}`, `${v##p}`, `${v%p}`, `${v%%p}`. */
function strip(value: string, pattern: RegExp, suffix: boolean, longest: boolean): string {
  const n = value.length;
  for (let k = 0; k <= n; k++) {
    const length = longest ? n - k : k;
    const part = suffix ? value.slice(n - length) : value.slice(0, length);
    if (pattern.test(part)) return suffix ? value.slice(0, n - length) : value.slice(length);
  }
  return value;
}

/**
 * `${v/p/r}` and friends: the longest match at each leftmost position, as bash does. A glob has no alternation,
 * so the first match JavaScript's backtracking finds at a position (greedy stars) is also the longest there.
 */
function replace(value: string, pattern: string, replacement: string, all: boolean, anchor: '' | '#' | '%'): string {
  if (pattern === '') return anchor === '#' ? replacement + value : anchor === '%' ? value + replacement : value;
  if (anchor === '#') {
    const match = new RegExp(`^(?:${pattern})`, 's').exec(value);
    return match && match[0] !== '' ? replacement + value.slice(match[0].length) : value;
  }
  if (anchor === '%') {
    const whole = new RegExp(`^(?:${pattern})$`, 's');
    for (let i = 0; i < value.length; i++) if (whole.test(value.slice(i))) return value.slice(0, i) + replacement;
    return value;
  }
  const search = new RegExp(pattern, 'gs');
  let out = '';
  let last = 0;
  for (let match = search.exec(value); match; match = search.exec(value)) {
    if (match[0] === '') {
      search.lastIndex++;
      continue;
    }
    out += value.slice(last, match.index) + replacement;
    last = match.index + match[0].length;
    if (!all) break;
  }
  return out + value.slice(last);
}
