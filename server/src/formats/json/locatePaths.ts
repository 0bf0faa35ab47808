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
  // Each pending value: where it starts and the node of the path it is on.
  const stack: { at: number; node: Node }[] = [{ at: start, node: root }];
  while (stack.length > 0) {
    const { at, node } = stack.pop()!;
    if (node.ends) {
      const end = stringEnd(text, at);
      if (end >= 0) for (const index of node.ends) out.set(index, { start: at + 1, end: end - 1 });
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
