/**
 * Reading JSON that `JSON.parse` rejects, for the formats whose files are JSON (npm's lockfile and manifest): the
 * two sides of a git merge conflict, each read as the file it would be, and a truncated or damaged text read as far
 * as `jsonc-parser` (the error-tolerant parser VS Code uses) can recover it. Offsets always stay those of the
 * original text, so every range a format reports is exact.
 */
import { parseTree, type Node, type ParseError, ParseErrorCode } from 'jsonc-parser';

/** A JSON text read with tolerance: the recovered value, where each key path's node is, and the first error. */
export interface TolerantJson {
  value: unknown;
  /** The offsets inside the quotes of the string at a key path, when that string is whole and was read cleanly. */
  stringAt(path: readonly string[]): { start: number; end: number } | undefined;
  /** The first syntax error, as an offset and a few words, or undefined when the text was valid. */
  error?: { offset: number; length: number; message: string };
}

/**
 * Reads a JSON text as far as it goes. A string value cut off by the damage (`"version": "5.6` at the end of a
 * truncated file) is not whole: `stringAt` refuses it, since "5.6.1" cut from "5.6.12" would be another version.
 */
export function readTolerant(text: string): TolerantJson {
  const deep = nestingPast(text, MAX_PARSE_DEPTH);
  if (deep >= 0) {
    // The tolerant parser descends recursively; a text nested this deep would exhaust the stack, so it stops here.
    return { value: undefined, stringAt: () => undefined, error: { offset: deep, length: 1, message: `nesting deeper than ${MAX_PARSE_DEPTH} levels, which Pinwatch does not read` } };
  }
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  // Whether an error lies inside a node, by binary search over the errors' offsets: a scan of every error for
  // every string was quadratic in a damaged text (thousands of errors, thousands of strings).
  const offsets = errors.map((e) => e.offset).sort((a, b) => a - b);
  const damaged = (node: Node): boolean => {
    let lo = 0;
    let hi = offsets.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (offsets[mid]! < node.offset) lo = mid + 1;
      else hi = mid;
    }
    return lo < offsets.length && offsets[lo]! < node.offset + node.length;
  };
  const value = tree === undefined ? undefined : valueOf(tree, 0, damaged);
  return {
    value,
    stringAt(path) {
      const node = tree === undefined ? undefined : nodeAt(tree, path);
      if (!node || node.type !== 'string' || node.length < 2 || damaged(node)) return undefined;
      const end = node.offset + node.length - 1;
      return text.charCodeAt(node.offset) === 0x22 && text.charCodeAt(end) === 0x22 ? { start: node.offset + 1, end } : undefined;
    },
    ...(first ? { error: { offset: first.offset, length: first.length, message: describe(first.error) } } : {}),
  };
}

/** How deep a damaged text may nest before the tolerant parser is not run on it. */
const MAX_PARSE_DEPTH = 2000;

/** The offset where brackets outside strings first nest deeper than `limit`, or -1. Linear. */
function nestingPast(text: string, limit: number): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Skip the string: to the next quote not escaped, or to the end of the line (an unterminated string).
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22 || d === 0x0a) break;
      }
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return i;
    } else if (c === 0x7d || c === 0x5d) depth = Math.max(0, depth - 1);
  }
  return -1;
}

/** Each object node's members by key (the last of repeated keys, as JSON.parse keeps), built on first lookup. */
const membersOf = new WeakMap<Node, Map<string, Node>>();

/** The value node at a key path, in time proportional to the path's length. */
function nodeAt(root: Node, path: readonly string[]): Node | undefined {
  let node: Node | undefined = root;
  for (const key of path) {
    if (node?.type !== 'object') return undefined;
    let index = membersOf.get(node);
    if (!index) {
      index = new Map();
      for (const property of node.children ?? []) {
        const [k, v] = property.children ?? [];
        if (k?.type === 'string' && v !== undefined) index.set(String(k.value), v);
      }
      membersOf.set(node, index);
    }
    node = index.get(key);
  }
  return node;
}

/** How deep the recovered value goes; deeper containers are left out (v1 lockfiles nest about two levels per package). */
const MAX_DEPTH = 1000;

/**
 * The value of a recovered tree, without the strings the damage touched (a cut-off `"resolved": "https://r` would
 * make an entry look like it came from elsewhere) and without containers past MAX_DEPTH.
 */
function valueOf(node: Node, depth: number, damaged: (node: Node) => boolean): unknown {
  switch (node.type) {
    case 'string':
      return damaged(node) ? undefined : node.value;
    case 'number':
    case 'boolean':
    case 'null':
      return node.value;
    case 'array': {
      if (depth >= MAX_DEPTH) return undefined;
      return (node.children ?? []).map((child) => valueOf(child, depth + 1, damaged));
    }
    case 'object': {
      if (depth >= MAX_DEPTH) return undefined;
      const out: Record<string, unknown> = {};
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? [];
        if (key?.type !== 'string' || damaged(key) || value === undefined) continue;
        const v = valueOf(value, depth + 1, damaged);
        if (v !== undefined) Object.defineProperty(out, String(key.value), { value: v, enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    default:
      return undefined;
  }
}

const descriptions: Partial<Record<ParseErrorCode, string>> = {
  [ParseErrorCode.InvalidSymbol]: 'an unexpected character',
  [ParseErrorCode.InvalidNumberFormat]: 'a malformed number',
  [ParseErrorCode.PropertyNameExpected]: 'a property name was expected',
  [ParseErrorCode.ValueExpected]: 'a value was expected',
  [ParseErrorCode.ColonExpected]: 'a colon was expected',
  [ParseErrorCode.CommaExpected]: 'a comma was expected',
  [ParseErrorCode.CloseBraceExpected]: 'the file ends before a closing brace',
  [ParseErrorCode.CloseBracketExpected]: 'the file ends before a closing bracket',
  [ParseErrorCode.EndOfFileExpected]: 'text after the end of the JSON value',
  [ParseErrorCode.InvalidCommentToken]: 'a comment, which JSON does not allow',
  [ParseErrorCode.UnexpectedEndOfComment]: 'an unterminated comment',
  [ParseErrorCode.UnexpectedEndOfString]: 'an unterminated string',
  [ParseErrorCode.UnexpectedEndOfNumber]: 'an unterminated number',
  [ParseErrorCode.InvalidUnicode]: 'an invalid \\u escape',
  [ParseErrorCode.InvalidEscapeCharacter]: 'an invalid escape',
  [ParseErrorCode.InvalidCharacter]: 'a control character inside a string',
};

function describe(code: ParseErrorCode): string {
  return descriptions[code] ?? 'invalid JSON';
}

/** A git merge conflict's two versions of a text, each with the other side and the marker lines blanked out. */
export interface ConflictSides {
  ours: string;
  theirs: string;
  /** The offset of the first conflict marker. */
  firstMarker: number;
}

type Side = 'both' | 'ours' | 'base' | 'theirs';

/**
 * The two sides of the git conflict markers in a text (`<<<<<<<`, the diff3 `|||||||` base, `=======`,
 * `>>>>>>>`, each at the start of a line), or undefined when it has none. Blanked characters become spaces and line
 * breaks stay, so both texts have the original's length, lines and columns.
 */
export function conflictSides(text: string): ConflictSides | undefined {
  if (!/^(<{7}|>{7})/m.test(text)) return undefined;
  const ours: string[] = [];
  const theirs: string[] = [];
  let state: Side = 'both';
  let firstMarker = -1;
  let at = 0;
  while (at < text.length) {
    let end = at;
    while (end < text.length && text.charCodeAt(end) !== 0x0a && text.charCodeAt(end) !== 0x0d) end++;
    let breakEnd = end;
    if (text.charCodeAt(breakEnd) === 0x0d) breakEnd++;
    if (text.charCodeAt(breakEnd) === 0x0a) breakEnd++;
    const line = text.slice(at, end);
    const lineBreak = text.slice(end, breakEnd);
    const blank = ' '.repeat(line.length) + lineBreak;
    const marker: Side | undefined = line.startsWith('<<<<<<<') ? 'ours' : line.startsWith('|||||||') && state !== 'both' ? 'base' : line === '=======' && state !== 'both' ? 'theirs' : line.startsWith('>>>>>>>') && state !== 'both' ? 'both' : undefined;
    if (marker !== undefined) {
      if (firstMarker < 0) firstMarker = at;
      state = marker;
      ours.push(blank);
      theirs.push(blank);
    } else {
      const whole = line + lineBreak;
      ours.push(state === 'both' || state === 'ours' ? whole : blank);
      theirs.push(state === 'both' || state === 'theirs' ? whole : blank);
    }
    at = breakEnd;
  }
  return firstMarker < 0 ? undefined : { ours: ours.join(''), theirs: theirs.join(''), firstMarker };
}

/** Whether a text is JSON as `JSON.parse` reads it (a byte-order mark, which editors keep, is allowed). */
export function isJson(text: string): boolean {
  try {
    JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    return true;
  } catch {
    return false;
  }
}
