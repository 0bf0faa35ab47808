/**
 * The exact offsets of chosen string values in a JSON text, by key path through objects and arrays
 * (`['components', 3, 'components', 0, 'version']`), found in one forward scan that descends only along the wanted
 * paths and skips everything else. The companion of a fast `JSON.parse`, which has already said which values matter.
 */
import { forEachMember, skipWhitespace, stringEnd, valueEnd } from '../npm/jsonScanner';

/** A step of a path: an object key, or an array index. */
export type PathStep = string | number;

interface Node {
  children: Map<PathStep, Node> | undefined;
  /** The indexes of the paths that end here. */
  ends: number[] | undefined;
}

/**
 * The offsets inside the quotes of the string at each path, keyed by the path's index; a path that does not lead to a
 * string has no entry. A repeated key: the last wins, as in `JSON.parse`. Never throws; malformed text gives what
 * was found before it. Iterative, so a deeply nested text cannot exhaust the stack.
 */
export function locateStrings(text: string, paths: readonly (readonly PathStep[])[]): Map<number, { start: number; end: number }> {
  const root: Node = { children: undefined, ends: undefined };
  paths.forEach((path, index) => {
    let node = root;
    for (const step of path) {
      node.children ??= new Map();
      let child = node.children.get(step);
      if (!child) node.children.set(step, (child = { children: undefined, ends: undefined }));
      node = child;
    }
    (node.ends ??= []).push(index);
  });
  const out = new Map<number, { start: number; end: number }>();
  const start = skipWhitespace(text, text.charCodeAt(0) === 0xfeff ? 1 : 0);
  // Each pending value: where it starts and the node of the path it is on. Members are pushed in document order,
  // so of two members with one key the later, the one `JSON.parse` keeps, is read first (with all below it): a path
  // takes the first span found.
  const stack: { at: number; node: Node }[] = [{ at: start, node: root }];
  while (stack.length > 0) {
    const { at, node } = stack.pop()!;
    if (node.ends) {
      const end = stringEnd(text, at);
      if (end >= 0) for (const index of node.ends) if (!out.has(index)) out.set(index, { start: at + 1, end: end - 1 });
    }
    if (!node.children) continue;
    const c = text.charCodeAt(at);
    if (c === 0x7b /* { */) {
      forEachMember(text, at, (key, _ks, _ke, valueStart) => {
        const child = node.children!.get(key);
        if (child) stack.push({ at: valueStart, node: child });
        return undefined;
      });
    } else if (c === 0x5b /* [ */) {
      forEachElement(text, at, (index, valueStart) => {
        const child = node.children!.get(index);
        if (child) stack.push({ at: valueStart, node: child });
      });
    }
  }
  return out;
}

/** Visits the elements of the array opened at `at` with their index and start offset; returns where it ends, or -1. */
export function forEachElement(text: string, at: number, visit: (index: number, valueStart: number) => void): number {
  let i = skipWhitespace(text, at + 1);
  if (text.charCodeAt(i) === 0x5d) return i + 1;
  for (let index = 0; ; index++) {
    visit(index, i);
    const end = valueEnd(text, i);
    if (end < 0) return -1;
    i = skipWhitespace(text, end);
    const c = text.charCodeAt(i);
    if (c === 0x5d) return i + 1;
    if (c !== 0x2c) return -1;
    i = skipWhitespace(text, i + 1);
  }
}

/** A member to locate: the parsed object that holds it and its key. */
export interface MemberPlace {
  owner: object;
  key: string;
}

/**
 * The offsets inside the quotes of the string values of chosen members of a parsed JSON text, found by counting:
 * the n-th member named `key` in document order of the parsed value is the n-th `"key":` token in the text. A quote
 * that is not escaped, followed by the key, a quote and a colon, can only be a key in valid JSON, so the tokens are
 * found with `indexOf` at native speed. Undefined when the count cannot be trusted: an object with integer-like keys
 * (which `JSON.parse` reorders), a key written with escapes or repeated in one object (the counts then differ).
 * Places whose value is not a string get no span.
 */
export function locateMembers(text: string, root: unknown, places: readonly MemberPlace[]): (Span | undefined)[] | undefined {
  if (places.length === 0) return [];
  const keys = [...new Set(places.map((p) => p.key))];
  const byOwner = new Map<object, number[]>();
  places.forEach((p, i) => {
    const list = byOwner.get(p.owner);
    if (list) list.push(i);
    else byOwner.set(p.owner, [i]);
  });
  const counts = new Map<string, number>(keys.map((k) => [k, 0]));
  const ordinals: number[] = new Array<number>(places.length).fill(-1);
  // In document order, each member's key before its value; no allocation per node. False when the order cannot be
  // trusted (integer-like keys) or the nesting is deeper than the walk goes (then the caller's slower locator reads it).
  const walk = (value: unknown, depth: number): boolean => {
    if (typeof value !== 'object' || value === null) return true;
    if (depth > maxWalkDepth) return false;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) if (!walk(value[i], depth + 1)) return false;
      return true;
    }
    const owned = byOwner.get(value);
    for (const key in value) {
      const c = key.charCodeAt(0);
      if (c >= 0x30 && c <= 0x39 && /^(?:0|[1-9]\d*)$/.test(key) && Number(key) < 4294967295) return false;
      const n = counts.get(key);
      if (n !== undefined) {
        counts.set(key, n + 1);
        if (owned) for (const index of owned) if (places[index]!.key === key) ordinals[index] = n;
      }
      if (!walk((value as Record<string, unknown>)[key], depth + 1)) return false;
    }
    return true;
  };
  if (!walk(root, 0)) return undefined;
  const out: (Span | undefined)[] = new Array<Span | undefined>(places.length).fill(undefined);
  for (const key of keys) {
    const wantedAt = new Map<number, number[]>();
    places.forEach((p, index) => {
      if (p.key !== key || ordinals[index]! < 0) return;
      const list = wantedAt.get(ordinals[index]!);
      if (list) list.push(index);
      else wantedAt.set(ordinals[index]!, [index]);
    });
    const needle = JSON.stringify(key);
    let seen = 0;
    let from = 0;
    for (;;) {
      const at = text.indexOf(needle, from);
      if (at < 0) break;
      from = at + needle.length;
      let slashes = 0;
      while (text.charCodeAt(at - 1 - slashes) === 0x5c) slashes++;
      if (slashes % 2 === 1) continue;
      const colon = skipWhitespace(text, from);
      if (text.charCodeAt(colon) !== 0x3a) continue;
      const indexes = wantedAt.get(seen++);
      if (!indexes) continue;
      const valueStart = skipWhitespace(text, colon + 1);
      const end = stringEnd(text, valueStart);
      if (end >= 0) for (const index of indexes) out[index] = { start: valueStart + 1, end: end - 1 };
    }
    if (seen !== counts.get(key)) return undefined;
  }
  return out;
}

/** How deep `locateMembers` walks a parsed value (recursively); deeper texts take the path walk. */
const maxWalkDepth = 2000;

/** Offsets in a text. */
interface Span {
  start: number;
  end: number;
}

/**
 * The offsets inside the quotes of a member's string value, found by the text of the member itself (`"key": "value"`
 * with the value as `JSON.stringify` writes it): only when the text holds exactly one such member and the caller knows
 * of exactly one (`known`), which makes it that one, whatever else the document holds. Undefined otherwise (a value
 * written with other escapes, or repeated): the caller then counts (`locateMembers`).
 */
export function locateUniqueMember(text: string, key: string, value: string, known: number): Span | undefined {
  if (known !== 1) return undefined;
  const token = JSON.stringify(value);
  const keyToken = JSON.stringify(key);
  // Every occurrence of the token holds its anchor at `skip`: a few characters from its rarest one, which the search
  // stops at far less often than at a quote (V8 finds a short needle by its first character; a long one is slower here).
  const skip = rarestAt(text, token);
  const anchor = token.slice(skip, skip + anchorLength);
  let found: Span | undefined;
  let from = skip;
  for (;;) {
    const hit = text.indexOf(anchor, from);
    if (hit < 0) break;
    from = hit + 1;
    const at = hit - skip;
    if (!text.startsWith(token, at)) continue;
    // Back over `"key" :` (white space either side of the colon): the quote before the value is then a delimiter.
    let i = at - 1;
    while (isSpace(text.charCodeAt(i))) i--;
    if (text.charCodeAt(i) !== 0x3a) continue;
    i--;
    while (isSpace(text.charCodeAt(i))) i--;
    const keyStart = i + 1 - keyToken.length;
    if (keyStart < 0 || !text.startsWith(keyToken, keyStart)) continue;
    let slashes = 0;
    while (text.charCodeAt(keyStart - 1 - slashes) === 0x5c) slashes++;
    if (slashes % 2 === 1) continue;
    if (found) return undefined;
    found = { start: at + 1, end: at + token.length - 1 };
  }
  return found;
}

/** How long the needle of `locateUniqueMember` is: V8 searches needles this short by their first character. */
const anchorLength = 6;

/**
 * Where in `token` the needle starts: at the character that a sample of `text` (64 Ki from its middle, past the
 * header a document opens with) holds least often, among those that leave a needle of `anchorLength` (a character
 * beyond ASCII counts as rare).
 */
function rarestAt(text: string, token: string): number {
  const last = Math.max(0, token.length - anchorLength);
  const counts = new Uint32Array(128);
  const from = Math.max(0, (text.length >> 1) - 32768);
  const to = Math.min(text.length, from + 65536);
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 128) counts[c]!++;
  }
  let best = 0;
  let bestCount = Infinity;
  for (let k = 0; k <= last; k++) {
    const c = token.charCodeAt(k);
    const n = c < 128 ? counts[c]! : 0;
    if (n < bestCount) (best = k), (bestCount = n);
  }
  return best;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}
