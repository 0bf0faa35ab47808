/**
 * The located lookup: the exact ranges of chosen `version` values in a JSON text, found in one forward scan that
 * descends only into the keys on the wanted paths and skips everything else.
 */
import type { Range } from 'vscode-languageserver-types';
import { forEachMember, skipWhitespace, stringEnd } from './jsonScanner';
import { positionsAt } from '../textPositions';

/** A node of the wanted key paths; `entry` marks an object whose `version` is wanted. */
interface PathNode {
  /** Made on first use: most nodes are entries with no children, and a lockfile can have a hundred thousand. */
  children: Map<string, PathNode> | undefined;
  entry: boolean;
}

/**
 * The offsets of the characters inside the quotes of `version` in each object at the given key paths
 * (`['packages', 'node_modules/a']`), keyed by the paths' index. A path whose object or `version` string is missing
 * has no entry. When a key repeats, the last one wins, as in `JSON.parse`.
 */
export function locateVersionOffsets(text: string, paths: readonly (readonly string[])[]): Map<number, { start: number; end: number }> {
  const root: PathNode = { children: undefined, entry: false };
  const nodes = paths.map((path) => {
    let node = root;
    for (const key of path) {
      node.children ??= new Map();
      let child = node.children.get(key);
      if (!child) {
        child = { children: undefined, entry: false };
        node.children.set(key, child);
      }
      node = child;
    }
    node.entry = true;
    return node;
  });
  const found = new Map<PathNode, { start: number; end: number }>();
  walk(text, skipWhitespace(text, skipBom(text)), root, found);
  const out = new Map<number, { start: number; end: number }>();
  nodes.forEach((node, index) => {
    const span = found.get(node);
    if (span) out.set(index, span);
  });
  return out;
}

/**
 * The ranges of `version` values (inside the quotes) of the objects at the given key paths, in the order given;
 * undefined for a path that does not lead to an object with a string `version`.
 */
export function locateVersions(text: string, paths: readonly (readonly string[])[]): Array<Range | undefined> {
  const spans = locateVersionOffsets(text, paths);
  const offsets: number[] = [];
  for (const span of spans.values()) offsets.push(span.start, span.end);
  const positions = positionsAt(text, offsets);
  const rangeOf = new Map<number, Range>();
  let k = 0;
  for (const index of spans.keys()) {
    rangeOf.set(index, { start: positions[k]!, end: positions[k + 1]! });
    k += 2;
  }
  return paths.map((_, index) => rangeOf.get(index));
}

/**
 * The range of the `version` value (the characters inside its quotes) of the object at key path `path`
 * (`['packages', 'node_modules/chalk']`), or undefined when there is none or the text is not JSON.
 */
export function locateVersion(text: string, path: readonly string[]): Range | undefined {
  return locateVersions(text, [path])[0];
}

/** Scans the value at `at` along the wanted paths, recording version spans; returns where the value ends, or -1. */
function walk(text: string, at: number, node: PathNode, found: Map<PathNode, { start: number; end: number }>): number {
  return forEachMember(text, at, (key, _keyStart, _keyEnd, valueStart) => {
    if (node.entry && key === 'version') {
      const end = stringEnd(text, valueStart);
      if (end >= 0) found.set(node, { start: valueStart + 1, end: end - 1 });
      return end >= 0 ? end : undefined;
    }
    const child = node.children?.get(key);
    if (!child || text.charCodeAt(valueStart) !== 0x7b) return undefined;
    return walk(text, valueStart, child, found);
  });
}

/** Where the JSON starts: after a byte-order mark, which editors may keep at the front of the text. */
function skipBom(text: string): number {
  return text.charCodeAt(0) === 0xfeff ? 1 : 0;
}
