/**
 * Variable expansion over scanned shell words, keeping track of where each character of the result came from, so
 * that a substring of the expanded value (a version inside `xz-utils=${XZ_VER}`) maps back to the exact text to
 * flag and the exact text to edit.
 */
import type { Word } from './words';

/** A source span: start and end offsets (end exclusive) in the original text. */
export interface Span { start: number; end: number }

/** What a variable holds, and where that value is written (an ARG default, an assignment), when it is literal. */
export interface Binding {
  value: string;
  /** The source offset of each character of `value`, when the value is written literally in one place. */
  offsets?: readonly number[];
  /** How the value was resolved, for messages ("ARG XZ_VER, line 2"). */
  via?: string;
}

/** Resolves a variable name to its binding; undefined for a variable with no known value. */
export type Lookup = (name: string) => Binding | undefined;

/** One run of an expanded value: literal text of the word, or the value of one expansion. */
export interface Piece {
  from: number;
  to: number;
  /** Source offsets of each character, for literal text. */
  offsets?: readonly number[];
  /** The source offset just after each character, when it is not the next one's (see `TextPart.ends`). */
  ends?: readonly number[];
  /** For an expansion: the span of `$NAME`/`${…}` in the word, its name and what it resolved to. */
  param?: { span: Span; name: string; binding: Binding; /** Unquoted: the shell splits its value into fields. */ splits?: true };
}

/** A word's value after expansion. `known` is false when some part has no static value. */
export interface Expansion { value: string; known: boolean; pieces: Piece[] }

/** Where a substring of an expanded value is in the source, and where its value could be edited. */
export interface Located {
  /** The text to flag: the literal characters, or the `${VAR}` expansion(s) that produced them. */
  span: Span;
  /** Where the value is written literally, when that is not `span` (an ARG default). */
  edit?: Span;
  via?: string;
  /** The expansion that produced the whole substring, when one did. */
  param?: string;
  /** The names of the expansions involved, when literal text and expansions are mixed. */
  mixed?: string[];
  /** True when an expansion at either end also produced text outside the substring (so `span` covers more). */
  partial?: boolean;
}

/** Expands a word's parameters with `lookup`; command substitutions and unknown variables make it unknown. */
export function expandWord(word: Word, lookup: Lookup): Expansion {
  let value = '';
  let known = !word.unterminated;
  const pieces: Piece[] = [];
  for (const part of word.parts) {
    if (part.kind === 'text') {
      pieces.push({ from: value.length, to: value.length + part.value.length, offsets: part.offsets, ...(part.ends ? { ends: part.ends } : {}) });
      value += part.value;
      continue;
    }
    if (part.kind === 'command') { known = false; continue; }
    const binding = resolveParam(part.name, part.op, part.operand, lookup);
    if (!binding) { known = false; continue; }
    const param: NonNullable<Piece['param']> = { span: { start: part.start, end: part.end }, name: part.name, binding };
    if (!part.quoted) param.splits = true;
    pieces.push({ from: value.length, to: value.length + binding.value.length, param });
    value += binding.value;
  }
  return { value, known, pieces };
}

function resolveParam(name: string, op: string | undefined, operand: Word | undefined, lookup: Lookup): Binding | undefined {
  const bound = lookup(name);
  if (op === undefined) return bound;
  const unsetOrEmpty = !bound || (op.startsWith(':') && bound.value === '');
  if (op === ':-' || op === '-' || op === ':=' || op === '=') {
    if (!unsetOrEmpty) return bound;
    if (!operand) return { value: '' };
    const inner = expandWord(operand, lookup);
    if (!inner.known) return undefined;
    const only = inner.pieces.length === 1 ? inner.pieces[0]! : undefined;
    if (inner.pieces.length === 0) return { value: '' };
    if (only?.offsets) return { value: inner.value, offsets: only.offsets, via: `the default in \${${name}${op}…}` };
    if (only?.param) return only.param.binding;
    return { value: inner.value };
  }
  if (op === ':+' || op === '+') {
    if (unsetOrEmpty) return { value: '' };
    if (!operand) return { value: '' };
    const inner = expandWord(operand, lookup);
    return inner.known ? { value: inner.value } : undefined;
  }
  // Pattern removal and substitution (`#`, `%`, `/`) and `:?` are not evaluated: the value is left unknown.
  return undefined;
}

/** Locates the substring [from, to) of an expansion in the source; undefined when it is empty or unknown. */
export function locate(expansion: Expansion, from: number, to: number): Located | undefined {
  if (to <= from) return undefined;
  const hit = expansion.pieces.filter((p) => p.to > from && p.from < to);
  if (hit.length === 0) return undefined;
  const params = hit.filter((p) => p.param);
  if (params.length === 0) {
    const firstPiece = hit[0]!;
    const lastPiece = hit[hit.length - 1]!;
    const start = firstPiece.offsets![from - firstPiece.from]!;
    const end = endOf(lastPiece, to - 1);
    return { span: { start, end } };
  }
  const first = hit[0]!;
  const last = hit[hit.length - 1]!;
  const spanStart = first.param ? first.param.span.start : first.offsets![from - first.from]!;
  const spanEnd = last.param ? last.param.span.end : endOf(last, to - 1);
  const span = { start: spanStart, end: spanEnd };
  const partial = (!!first.param && first.from < from) || (!!last.param && last.to > to);
  if (hit.length === 1 && first.param) {
    const { binding } = first.param;
    const located: Located = { span, param: first.param.name };
    if (binding.via) located.via = binding.via;
    if (binding.offsets && binding.offsets.length === binding.value.length) {
      const a = from - first.from;
      const b = to - first.from;
      located.edit = { start: binding.offsets[a]!, end: binding.offsets[b - 1]! + 1 };
    }
    if (partial) located.partial = true;
    return located;
  }
  const names = [...new Set(params.map((p) => p.param!.name))];
  const located: Located = { span, mixed: names };
  const via = params.map((p) => p.param!.binding.via).filter((v): v is string => !!v);
  if (via.length > 0) located.via = [...new Set(via)].join('; ');
  if (partial) located.partial = true;
  return located;
}

/** Where the literal character at `index` of the expanded value ends in the source. */
function endOf(piece: Piece, index: number): number {
  const at = index - piece.from;
  return piece.ends?.[at] ?? piece.offsets![at]! + 1;
}

/** The literal source span of a binding's whole value, when it is written in one place. */
export function bindingSpan(binding: Binding): Span | undefined {
  const o = binding.offsets;
  if (!o || o.length === 0 || o.length !== binding.value.length) return undefined;
  return { start: o[0]!, end: o[o.length - 1]! + 1 };
}
