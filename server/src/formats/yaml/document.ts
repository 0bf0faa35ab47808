/**
 * YAML files read with exact positions: the `yaml` library's documents (node ranges are file offsets), small
 * helpers to walk them by key without expanding aliases, and the read problems of what did not parse. CI and
 * orchestration files are small, so the whole node tree is fine here; lockfiles keep their own fast readers.
 */
import { Composer, isAlias, isMap, isScalar, isSeq, Lexer, Parser, visit, type Document, type LineCounter, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import type { ArtifactReference, Extracted, Range, ReadProblem } from '../../model';
import { lineIndex, type LineIndex } from '../textPositions';

/** A parsed YAML file: its documents, a line index for positions, and the problems met while reading. */
export interface YamlFile {
  text: string;
  docs: Document.Parsed[];
  lines: LineIndex;
  problems: ReadProblem[];
  /** Nodes reached through aliases so far; past `maxAliasVisits` a walk stops and reports it. */
  aliasVisits: number;
  /** Per document, each anchor's nodes in document order (built on first use: the library resolves by a walk). */
  anchors: Map<Document.Parsed, Map<string, Node[]>>;
}

/**
 * Alias resolutions a walk may make: a file that names one anchor many times (a billion-laughs bomb) would make
 * a walk over it exponential, so past this the rest is reported as not read.
 */
export const maxAliasVisits = 10_000;

/**
 * How many collections the library's parser may hold open at once (block nesting, `[[[…`, `a: b: c: …` on one
 * line) before the rest of that document is not read: the parser and the composer recurse once per level, and a
 * few thousand levels overflow the stack (the composer catches that itself, at a depth that depends on what the
 * JIT has compiled, so its answer is not even deterministic).
 */
export const maxYamlDepth = 128;

/**
 * How many syntax errors the library's parser may report outside any collection (text after a document's
 * top-level value, where every token is an error) before the rest of that document is not read: damaged text gives
 * one error per token, and nothing after the first thousand of them is readable.
 */
export const maxYamlErrors = 1000;

/** Where parsing stopped short of the end of a document, and why. */
interface Cut {
  offset: number;
  message: string;
}

/**
 * The documents of a YAML text, parsed with the library's lexer, parser and composer driven token by token, so that
 * parsing stops at `maxYamlDepth` open collections or `maxYamlErrors` errors: what is open there is closed and
 * composed (so every complete mapping before it is read), and parsing starts again at the next document marker line
 * (`---` or `...` at the start of a line, which YAML allows in no content), so later documents are read too.
 */
function parseStream(text: string, options: YamlStreamOptions = {}): { docs: Document.Parsed[]; cuts: Cut[] } {
  const composer = new Composer({ uniqueKeys: options.uniqueKeys ?? false, prettyErrors: false, strict: false });
  const onNewLine = options.lineCounter?.addNewLine;
  onNewLine?.(0);
  const docs: Document.Parsed[] = [];
  const cuts: Cut[] = [];
  const compose = (token: Parameters<Composer['next']>[0]): void => {
    for (const doc of composer.next(token)) docs.push(doc);
  };
  let from = 0;
  let errors = 0;
  for (;;) {
    const parser = new Parser(onNewLine);
    parser.offset = from;
    let cut: Cut | undefined;
    for (const lexeme of new Lexer().lex(from === 0 ? text : text.slice(from))) {
      const at = parser.offset;
      for (const token of parser.next(lexeme)) {
        if (token.type === 'error') errors++;
        compose(token);
      }
      if (parser.stack.length > maxYamlDepth) {
        cut = { offset: at, message: `Nested deeper than ${maxYamlDepth} levels here, so the rest of this document was not read.` };
        break;
      }
      if (errors > maxYamlErrors) {
        cut = { offset: at, message: `More than ${maxYamlErrors} YAML syntax errors by here, so the rest of this document was not read.` };
        break;
      }
    }
    for (const token of parser.end()) compose(token);
    if (!cut) break;
    cuts.push(cut);
    errors = 0;
    const next = nextDocumentMarker(text, cut.offset + 1);
    if (next <= from) break;
    from = next;
  }
  for (const doc of composer.end(options.forceDoc ?? false, text.length)) docs.push(doc);
  return { docs, cuts };
}

/** How to parse: the library's `uniqueKeys`, a line counter to fill, and whether an empty text still gives a document. */
export interface YamlStreamOptions {
  uniqueKeys?: boolean;
  lineCounter?: LineCounter;
  forceDoc?: boolean;
}

/**
 * The library's documents of a YAML text, parsed within `maxYamlDepth` and `maxYamlErrors` as `parseYaml` parses
 * (without stack traces on the library's errors), and where parsing stopped short: for readers that use the
 * documents directly, such as the policy file's. Throws nothing the library does not.
 */
export function parseYamlDocuments(text: string, options: YamlStreamOptions = {}): { docs: Document.Parsed[]; stops: { offset: number; message: string }[] } {
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const { docs, cuts } = parseStream(text, options);
    return { docs, stops: cuts };
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/** The offset of the next line at or after `from` that starts with a document marker (`---` or `...`), or -1. */
function nextDocumentMarker(text: string, from: number): number {
  const marker = /(?:^|[\r\n])((?:---|\.\.\.)(?=[ \t\r\n]|$))/g;
  marker.lastIndex = Math.max(0, from - 1);
  const found = marker.exec(text);
  return found ? found.index + found[0].length - 3 : -1;
}

/** Parses every document of a YAML text; syntax errors and limits become read problems (what parsed is still read). */
export function parseYaml(text: string): YamlFile {
  const lines = lineIndex(text);
  const problems: ReadProblem[] = [];
  let docs: Document.Parsed[] = [];
  let cuts: Cut[] = [];
  // The library makes an Error (with a stack trace) for each syntax error, and damaged text has thousands: without
  // the traces, which no problem message uses, it parses several times faster.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    ({ docs, cuts } = parseStream(text));
  } catch (error) {
    problems.push({ kind: 'problem', reason: 'syntax', message: `Not readable as YAML (${error instanceof Error ? error.message : String(error)}), so this file was not checked.`, range: lines.range(0, 0) });
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  const found: { at: number; problem: ReadProblem }[] = [];
  // Documents and cuts are both in text order: one pass over each.
  let next = 0;
  for (const doc of docs) {
    while (next < cuts.length && cuts[next]!.offset < doc.range[0]) next++;
    // Errors at or after the place where parsing stopped in this document come from the stop, not from the text.
    const cut = next < cuts.length && cuts[next]!.offset <= doc.range[2] ? cuts[next] : undefined;
    const first = doc.errors.find((e) => !cut || e.pos[0] < cut.offset);
    if (!first) continue;
    const [start, end] = first.pos;
    const message = first.message.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/, '');
    found.push({ at: start, problem: { kind: 'problem', reason: 'syntax', message: `Not valid YAML here (${message}): what follows in this document may not have been checked.`, range: lines.range(start, Math.max(start, end)) } });
  }
  for (const cut of cuts) found.push({ at: cut.offset, problem: { kind: 'problem', reason: 'limit', message: cut.message, range: lines.range(cut.offset, cut.offset) } });
  // In document order (a cut's problem after an error at the same place).
  problems.push(...found.sort((a, b) => a.at - b.at).map((f) => f.problem));
  return { text, docs, lines, problems, aliasVisits: 0, anchors: new Map() };
}

/** The node an alias names (once, counted), or the node itself; undefined past the alias budget. */
export function resolve(file: YamlFile, doc: Document.Parsed, node: unknown): Node | undefined {
  if (!isAlias(node)) return (node ?? undefined) as Node | undefined;
  file.aliasVisits++;
  if (file.aliasVisits === maxAliasVisits + 1) {
    const [start] = node.range ?? [0];
    file.problems.push({ kind: 'problem', reason: 'limit', message: `This file names its anchors more than ${maxAliasVisits} times, so what the rest of its aliases name was not checked.`, range: file.lines.range(start, start) });
  }
  if (file.aliasVisits > maxAliasVisits) return undefined;
  // An alias names the last node anchored with its name before it.
  const at = node.range?.[0] ?? 0;
  const candidates = anchorsOf(file, doc).get(node.source) ?? [];
  let lo = 0;
  let hi = candidates.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((candidates[mid]!.range?.[0] ?? 0) < at) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? candidates[lo - 1] : undefined;
}

function anchorsOf(file: YamlFile, doc: Document.Parsed): Map<string, Node[]> {
  let anchors = file.anchors.get(doc);
  if (anchors) return anchors;
  const found = new Map<string, Node[]>();
  visit(doc, (_key, node) => {
    // A pair's missing key or value (`: *` alone) is visited as null.
    const anchor = (node as { anchor?: string } | null)?.anchor;
    if (!anchor || isAlias(node)) return;
    const list = found.get(anchor);
    if (list) list.push(node as Node);
    else found.set(anchor, [node as Node]);
  });
  anchors = found;
  file.anchors.set(doc, anchors);
  return anchors;
}

/** A mapping node, or undefined. */
export function asMap(file: YamlFile, doc: Document.Parsed, node: unknown): YAMLMap | undefined {
  const n = resolve(file, doc, node);
  return isMap(n) ? n : undefined;
}

/** A sequence node, or undefined. */
export function asSeq(file: YamlFile, doc: Document.Parsed, node: unknown): YAMLSeq | undefined {
  const n = resolve(file, doc, node);
  return isSeq(n) ? n : undefined;
}

/** A scalar node, or undefined. */
export function asScalar(file: YamlFile, doc: Document.Parsed, node: unknown): Scalar | undefined {
  const n = resolve(file, doc, node);
  return isScalar(n) ? n : undefined;
}

/** The pairs of a mapping, with `<<: *anchor` merges followed (one level, as YAML 1.1 merges are written). */
export function pairsOf(file: YamlFile, doc: Document.Parsed, map: YAMLMap): Pair[] {
  const own: Pair[] = [];
  const merged: Pair[] = [];
  for (const pair of map.items) {
    const key = keyOf(pair);
    if (key === '<<') {
      const sources = isSeq(resolve(file, doc, pair.value)) ? (resolve(file, doc, pair.value) as YAMLSeq).items : [pair.value];
      for (const source of sources) {
        const m = asMap(file, doc, source);
        if (m) for (const p of m.items) if (keyOf(p) !== '<<') merged.push(p);
      }
    } else {
      own.push(pair);
    }
  }
  const seen = new Set(own.map(keyOf));
  return [...own, ...merged.filter((p) => !seen.has(keyOf(p)))];
}

/** The value of a key in a mapping (merges followed), unresolved. */
export function get(file: YamlFile, doc: Document.Parsed, map: YAMLMap | undefined, key: string): unknown {
  if (!map) return undefined;
  return pairsOf(file, doc, map).find((p) => keyOf(p) === key)?.value ?? undefined;
}

/** A pair's key as a string ('' for a complex key). */
export function keyOf(pair: Pair): string {
  const key = pair.key;
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' ? key : '';
}

/** A scalar's string value, when it is a string or number scalar. */
export function stringOf(file: YamlFile, doc: Document.Parsed, node: unknown): string | undefined {
  const s = asScalar(file, doc, node);
  if (!s) return undefined;
  return typeof s.value === 'string' ? s.value : typeof s.value === 'number' ? String(s.value) : undefined;
}

/**
 * The file offset of each character of a scalar's value, when its text spells the value character for
 * character apart from indentation, folding and quote escapes (plain, quoted and block scalars); a character
 * that no written character gives (an escape like `\n`) takes the offset of the last one that did.
 */
export function valueOffsets(text: string, scalar: Scalar): number[] | undefined {
  const value = typeof scalar.value === 'string' ? scalar.value : typeof scalar.value === 'number' ? String(scalar.value) : undefined;
  const range = scalar.range;
  if (value === undefined || !range) return undefined;
  let j = range[0];
  const end = range[1];
  const type = scalar.type;
  if (type === 'BLOCK_LITERAL' || type === 'BLOCK_FOLDED') {
    // The content starts on the line after the `|`/`>` header (and its comment).
    const br = text.indexOf('\n', j);
    j = br < 0 || br >= end ? end : br + 1;
  } else if (type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE') {
    j++;
  }
  const escape = type === 'QUOTE_DOUBLE' ? '\\' : type === 'QUOTE_SINGLE' ? "'" : undefined;
  const offsets = new Array<number>(value.length);
  let last = Math.max(range[0], j - 1);
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    let k = j;
    // Only whitespace (indentation, line breaks that folding turned into spaces) and quote escapes are skipped.
    while (k < end && text[k] !== c && (text[k] === ' ' || text[k] === '\t' || text[k] === '\r' || text[k] === '\n' || text[k] === escape)) k++;
    if (k < end && text[k] === c) {
      offsets[i] = k;
      last = k;
      j = k + 1;
    } else {
      offsets[i] = last;
    }
  }
  return offsets;
}

/** The range of a scalar's value in the file: the value's own characters, without quotes. */
export function scalarRange(file: YamlFile, scalar: Scalar, from = 0, to?: number): Range | undefined {
  const offsets = valueOffsets(file.text, scalar);
  if (!offsets || offsets.length === 0) return undefined;
  const stop = Math.min(to ?? offsets.length, offsets.length);
  if (from >= stop) return undefined;
  return file.lines.range(offsets[from]!, offsets[stop - 1]! + 1);
}

/** Whether the characters `from..to` of a scalar's value are written in one piece in the file. */
export function writtenInOnePiece(file: YamlFile, scalar: Scalar, from: number, to: number): boolean {
  const offsets = valueOffsets(file.text, scalar);
  if (!offsets) return false;
  for (let i = from + 1; i < to; i++) if (offsets[i] !== offsets[i - 1]! + 1) return false;
  return true;
}

/**
 * The image reference of an `image:` value (`debian:sid-20240311`, `docker.io/library/debian:…`) as the
 * Dockerfile format gives a `FROM` line's, with the range of the tag; undefined without a tag or when the tag
 * is not written as it reads (an escape), or when it holds an unexpanded `${…}`.
 */
export function imageReference(file: YamlFile, scalar: Scalar, image: string, offset: number, context: string): ArtifactReference | undefined {
  const at = image.indexOf('@');
  const named = at >= 0 ? image.slice(0, at) : image;
  const colon = named.lastIndexOf(':');
  if (colon <= named.lastIndexOf('/')) return undefined;
  const repository = named.slice(0, colon);
  const tag = named.slice(colon + 1);
  if (tag === '' || repository === '' || /[\s${}]/.test(named)) return undefined;
  const from = offset + colon + 1;
  const to = offset + named.length;
  if (!writtenInOnePiece(file, scalar, from, to)) return undefined;
  const range = scalarRange(file, scalar, from, to);
  if (!range) return undefined;
  const shortRepo = repository.replace(/^(?:index\.)?docker\.io\//, '').replace(/^library\//, '');
  return { kind: 'image', value: `${shortRepo}:${tag}`, range, context };
}

/** The repository and tag of an image name, for the distribution of a job's shell. */
export function imageParts(image: string): { repository: string; tag?: string } {
  const named = image.split('@')[0]!;
  const colon = named.lastIndexOf(':');
  return colon > named.lastIndexOf('/') ? { repository: named.slice(0, colon), tag: named.slice(colon + 1) } : { repository: named };
}

/** References sorted in document order, each range once (an anchored node read through several aliases). */
export function inOrder(file: YamlFile, refs: readonly Extracted[]): Extracted[] {
  const seen = new Set<string>();
  const out: Extracted[] = [];
  for (const ref of refs) {
    const key = `${ref.kind}\0${ref.kind === 'problem' ? ref.message : ref.kind === 'package' ? `${ref.name}@${ref.version}` : ref.value}\0${ref.range.start.line}:${ref.range.start.character}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(ref);
  }
  const all = [...out, ...file.problems];
  return all
    .map((ref, index) => ({ ref, index }))
    .sort((a, b) => a.ref.range.start.line - b.ref.range.start.line || a.ref.range.start.character - b.ref.range.start.character || a.index - b.index)
    .map((e) => e.ref);
}

/** How deep `walkMaps` goes before it reports a limit problem. */
const maxWalkDepth = 100;

/**
 * Every mapping under `node`, depth first in document order (aliases are not followed: what they name is walked
 * where it is written): `map` is called on each mapping, then `pair` on each of its pairs before the walk goes into
 * that pair's value. Past 100 levels a `limit` problem is recorded and what is inside is not walked.
 */
export function walkMaps(file: YamlFile, node: Node, visit: { map?(map: YAMLMap): void; pair?(pair: Pair): void }, depth = 0): void {
  if (depth > maxWalkDepth) {
    const [start] = node.range ?? [0];
    file.problems.push({ kind: 'problem', reason: 'limit', message: `Nested deeper than ${maxWalkDepth} levels: what is inside was not checked.`, range: file.lines.range(start, start) });
    return;
  }
  if (isSeq(node)) {
    for (const item of node.items) if (isMap(item) || isSeq(item)) walkMaps(file, item as Node, visit, depth + 1);
    return;
  }
  if (!isMap(node)) return;
  visit.map?.(node);
  for (const pair of node.items) {
    visit.pair?.(pair as Pair);
    const value = pair.value;
    if (isMap(value) || isSeq(value)) walkMaps(file, value as Node, visit, depth + 1);
  }
}
