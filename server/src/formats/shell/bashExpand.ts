/**
 * bash's parameter expansion for the assignment scanner (./bashScan.ts): word parts plus the variables assigned so far → characters, each
 * tied to the source span it came from. It resolves `$v`, `${v}`, `${v:-d}` (and `-`, `:=`, `=`, `:+`, `+`),
 * `${v/p/r}` (`//`, `/#`, `/%`), `${v%p}` (`%%`, `#`, `##`), `${v^}` (`^^`, `,`, `,,`) and `${#v}`. Anything else
 * (command substitution, arithmetic, `${v:1:2}`, `${a[@]}`, a variable the file never assigns) yields a poisoned
 * character, so a value is either exactly what bash would compute from the file, or unresolved.
 */
import type { ParamPart, WordPart } from './words';

/** What a `${name...}` expansion does with the variable's value, from the operator the reader found. */
type ParamOp =
  | { type: 'plain' }
  | { type: 'default'; colon: boolean; alternative: boolean; word: readonly WordPart[] }
  | { type: 'replace'; all: boolean; anchor: '' | '#' | '%'; pattern: readonly WordPart[]; replacement: readonly WordPart[] }
  | { type: 'strip'; suffix: boolean; longest: boolean; pattern: readonly WordPart[] }
  | { type: 'case'; upper: boolean; all: boolean }
  | { type: 'length' }
  | { type: 'unsupported' };

const noParts: readonly WordPart[] = [];

/** The meaning of a parameter expansion's operator; special parameters (`$1`, `$@`) and `${v:?}`, `${v:1}` are not evaluated. */
function paramOp(param: ParamPart): ParamOp {
  const { op } = param;
  const operand = param.operand?.parts ?? noParts;
  if (!/^[A-Za-z_]/.test(param.name)) return op === 'length' ? { type: 'length' } : { type: 'unsupported' };
  if (op === undefined) return { type: 'plain' };
  if (op === 'length') return { type: 'length' };
  const sign = /^(:?)([-=+])$/.exec(op);
  if (sign) return { type: 'default', colon: sign[1] === ':', alternative: sign[2] === '+', word: operand };
  if (op.startsWith('/')) {
    const anchor = op === '/#' ? '#' : op === '/%' ? '%' : '';
    return { type: 'replace', all: op === '//', anchor, pattern: operand, replacement: param.replacement?.parts ?? noParts };
  }
  if (op[0] === '%' || op[0] === '#') return { type: 'strip', suffix: op[0] === '%', longest: op.length === 2, pattern: operand };
  if (op[0] === '^' || op[0] === ',') return operand.length === 0 ? { type: 'case', upper: op[0] === '^', all: op.length === 2 } : { type: 'unsupported' };
  return { type: 'unsupported' };
}

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

/**
 * The most characters one value may hold after expansion (64 Ki). Bash would go on (`a=$a$a` doubles a value on each
 * line), but no recipe needs a value this long, and each character costs the scanner an object: a value that would
 * pass it is left unresolved, and the expansion that passed it is reported as a limit.
 */
export const maxValueLength = 64 * 1024;

/**
 * The most characters that parameter expansions may produce in one recipe, in all (1 Mi): a recipe's expansions add
 * up to a few thousand, while a chain `a=$a.` repeated re-expands a growing value on every line, quadratic in the
 * length of the file. Past it, expansions are left unresolved, and the first one is reported as a limit.
 */
export const maxExpandedTotal = 1024 * 1024;

/** A bound an expansion reached, at the source span of the expansion (`$a`, `${a}`, a braced word). */
export interface Limit {
  start: number;
  end: number;
  message: string;
}

/** What is left of one scan's expansion budget, and the limits reached so far. Passed along, and updated, by `expand`. */
export interface Budget {
  left: number;
  limits: Limit[];
  /** Set once the budget has run out (and that was reported). */
  spent?: true;
}

/** A fresh budget for one scan. */
export function newBudget(): Budget {
  return { left: maxExpandedTotal, limits: [] };
}

/**
 * Expands word segments to characters. Never throws. A value that would pass `maxValueLength`, or an expansion past
 * the budget, gives a poisoned character instead and adds a `Limit` to the budget.
 */
export function expand(parts: readonly WordPart[], env: Env, budget: Budget = newBudget()): RChar[] {
  const out: RChar[] = [];
  for (const seg of parts) {
    if (seg.kind === 'text') {
      // Two literals rather than a spread: this runs once per character of the recipe's values.
      for (let i = 0; i < seg.value.length; i++) {
        const start = seg.offsets[i]!;
        out.push(seg.quoted ? { ch: seg.value[i]!, start, end: start + 1 } : { ch: seg.value[i]!, start, end: start + 1, unquoted: true });
      }
    } else if (seg.kind === 'command') out.push({ ch: '', start: seg.start, end: seg.end, poison: true });
    else {
      // One by one: spreading a long expansion into `push` overflows the stack.
      for (const c of expandParam(seg, env, budget, maxValueLength - out.length)) out.push(c);
    }
  }
  return out;
}

/** The string of expanded characters, or undefined when any is poisoned. */
export function valueOf(chars: readonly RChar[]): string | undefined {
  return chars.some((c) => c.poison) ? undefined : chars.map((c) => c.ch).join('');
}

/** A value as `via` shows it: long ones are cut, since a note names a value rather than spelling it out. */
function shown(value: string): string {
  return value.length > 80 ? `${value.slice(0, 80)}…` : value;
}

/** `room` is how many characters the value being expanded may still take. */
function expandParam(param: ParamPart, env: Env, budget: Budget, room: number): RChar[] {
  const poison: RChar[] = [{ ch: '', start: param.start, end: param.end, poison: true }];
  const variable = env.get(param.name);
  const op = paramOp(param);
  const value = variable && (variable.elements ? variable.elements[0] : variable.value);
  const known = variable !== undefined && value !== undefined;
  if (variable && !known && op.type !== 'default') return poison;
  const via = variable ? `${param.name}=${shown(value ?? '')} (${variable.origin ?? `line ${variable.line + 1}`})` : undefined;
  const tooLong = (): RChar[] => limit(budget, param, false);
  const emit = (result: string, fromVariable: boolean, extraVia: string[] = []): RChar[] => {
    if (result === '') return [];
    if (result.length > room) return tooLong();
    if (result.length > budget.left) return limit(budget, param, true);
    budget.left -= result.length;
    const vias = [...(fromVariable && via ? [via] : []), ...extraVia];
    const chars: RChar[] = new Array(result.length);
    for (let i = 0; i < result.length; i++) {
      const c: RChar = { ch: result[i]!, start: param.start, end: param.end };
      if (fromVariable) c.variable = param.name;
      if (vias.length) c.via = vias;
      chars[i] = c;
    }
    return chars;
  };
  if (op.type === 'default') {
    if (variable && !known) return poison;
    const isSet = known && (!op.colon || value !== '');
    if (op.alternative && !isSet) return [];
    if (!op.alternative && isSet) return emit(value!, true);
    const word = expand(op.word, env, budget);
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
      const pattern = expand(op.pattern, env, budget);
      const source = globSource(pattern, op.pattern);
      if (source === undefined) return poison;
      if (op.type === 'strip') return emit(strip(value, new RegExp(`^(?:${source})$`, 's'), op.suffix, op.longest), true, uniqueVias(pattern));
      const replacementChars = expand(op.replacement, env, budget);
      const replacement = valueOf(replacementChars);
      if (replacement === undefined) return poison;
      // Each of up to 256 matches may insert a long replacement: stop building past the room the value has.
      const result = replace(value, source, replacement, op.all, op.anchor, Math.max(room, 0));
      if (result === undefined) return tooLong();
      return emit(result, true, [...uniqueVias(pattern), ...uniqueVias(replacementChars)]);
    }
    default:
      return poison;
  }
}

/** A poisoned character for an expansion past a bound: the value's length, or (reported once) the whole budget. */
function limit(budget: Budget, param: ParamPart, spent: boolean): RChar[] {
  const { start, end } = param;
  if (!spent) {
    budget.limits.push({ start, end, message: `This value grows past ${maxValueLength} characters here, so Pinwatch stopped expanding it: what uses it was not checked.` });
  } else if (!budget.spent) {
    budget.spent = true;
    budget.left = 0;
    budget.limits.push({ start, end, message: `Expansions in this recipe pass ${maxExpandedTotal} characters in all here, so Pinwatch stopped expanding variables: values from here on that use them were not checked.` });
  }
  return [{ ch: '', start, end, poison: true }];
}

/** The distinct `via` notes of some characters, in order. */
export function uniqueVias(chars: readonly RChar[]): string[] {
  // A set, not `includes` on the list: a word of thousands of distinct variables was quadratic. Characters of one
  // expansion share one `via` list, so a run of them is looked at once.
  const seen = new Set<string>();
  let last: string[] | undefined;
  for (const c of chars) {
    if (c.via === undefined || c.via === last) continue;
    last = c.via;
    for (const v of c.via) seen.add(v);
  }
  return [...seen];
}

/**
 * A glob pattern as a regular-expression source: unquoted `*`, `?` and `[...]` are wildcards, everything else is
 * literal. Quoting is read from the segments, since `${v%"*"}` strips a literal star.
 */
function globSource(chars: readonly RChar[], parts: readonly WordPart[]): string | undefined {
  if (chars.some((c) => c.poison)) return undefined;
  const unquoted = new Set<number>();
  for (const seg of parts) if (seg.kind === 'text' && !seg.quoted) for (const offset of seg.offsets) unquoted.add(offset);
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
 * `${v/p/r}` and friends: the longest match at each leftmost position, as bash does; undefined once the result
 * passes `maxLength`. A glob has no alternation,
 * so the first match JavaScript's backtracking finds at a position (greedy stars) is also the longest there.
 */
function replace(value: string, pattern: string, replacement: string, all: boolean, anchor: '' | '#' | '%', maxLength: number): string | undefined {
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
    if (out.length > maxLength) return undefined;
    if (!all) break;
  }
  return out + value.slice(last);
}
