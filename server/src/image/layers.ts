/**
 * The files of an image as its layers leave them: per member path of interest, what the last layer that wrote it
 * left (its analysis, or why it was not read), with whiteouts (`.wh.name`, `.wh..wh..opq`) removing what lower
 * layers wrote. Paths live in a tree of segments, so removing a folder touches only what lies below it.
 */
import type { Analysis } from '../engine';

/** What a member came to: its analysis, or the reason it was not read. */
export type MemberResult = { analysis: Analysis } | { unread: string };

/** A member some format or check reads, as a layer left it (or, with another `T`, what else is kept of it). */
export interface Kept<T = MemberResult> {
  layer: number;
  result: T;
}

interface Node<T> {
  children?: Map<string, Node<T>>;
  kept?: Kept<T>;
}

/** The most member paths an image may keep: beyond it the rest of the image is reported as not read. */
export const maxKept = 200_000;

/** The image's files of interest, changed layer by layer. */
export interface LayerState<T = MemberResult> {
  /** The member at `path` (normalised), if one is kept. */
  get(path: string): Kept<T> | undefined;
  /** Keeps a member; false when the state is full (`maxKept`). */
  set(path: string, kept: Kept<T>): boolean;
  /** A non-file (link, device) or a folder was written at `path` in `layer`: a file kept there is gone. */
  replace(path: string, layer: number, isFolder: boolean): void;
  /** A whiteout in `layer` for `path`: it and everything below it, from lower layers, are gone. */
  whiteout(path: string, layer: number): void;
  /** An opaque whiteout in `layer` for the folder `dir` ('' for the root): everything below it from lower layers is gone. */
  opaque(dir: string, layer: number): void;
  /** Every kept member, by path in sorted order. */
  entries(): Array<[string, Kept<T>]>;
}

/** An empty state. */
export function layerState<T = MemberResult>(): LayerState<T> {
  const root: Node<T> = {};
  let count = 0;
  // Removing what lies below a folder again in the same layer changes nothing (the layer's own files stay), so
  // each folder is cleared once per layer.
  let clearedLayer = -1;
  let cleared = new Set<string>();

  const find = (path: string, create: boolean): Node<T> | undefined => {
    let node = root;
    if (path === '') return node;
    for (const segment of path.split('/')) {
      let next = node.children?.get(segment);
      if (!next) {
        if (!create) return undefined;
        next = {};
        (node.children ??= new Map()).set(segment, next);
      }
      node = next;
    }
    return node;
  };
  const drop = (node: Node<T>): void => {
    if (node.kept) {
      node.kept = undefined;
      count--;
    }
  };
  /** Removes what lower layers kept below `node` (and at it, with `self`), without recursion. */
  const clearBelow = (path: string, node: Node<T>, layer: number, self: boolean): void => {
    if (self && node.kept && node.kept.layer < layer) drop(node);
    if (!node.children) return;
    if (clearedLayer !== layer) {
      clearedLayer = layer;
      cleared = new Set();
    }
    if (cleared.has(path)) return;
    cleared.add(path);
    const stack = [...node.children.values()];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (next.kept && next.kept.layer < layer) drop(next);
      if (next.children) for (const child of next.children.values()) stack.push(child);
    }
  };

  return {
    get: (path) => find(path, false)?.kept,
    set(path, kept) {
      const node = find(path, true)!;
      if (node.children) clearBelow(path, node, kept.layer, false);
      if (!node.kept) {
        if (count >= maxKept) return false;
        count++;
      }
      node.kept = kept;
      return true;
    },
    replace(path, layer, isFolder) {
      const node = find(path, false);
      if (!node) return;
      drop(node);
      if (!isFolder) clearBelow(path, node, layer, false);
    },
    whiteout(path, layer) {
      const node = find(path, false);
      if (node) clearBelow(path, node, layer, true);
    },
    opaque(dir, layer) {
      const node = find(dir, false);
      if (node) clearBelow(dir, node, layer, false);
    },
    entries() {
      const out: Array<[string, Kept<T>]> = [];
      const stack: Array<[string, Node<T>]> = [['', root]];
      while (stack.length > 0) {
        const [path, node] = stack.pop()!;
        if (node.kept && path !== '') out.push([path, node.kept]);
        if (node.children) for (const [name, child] of node.children) stack.push([path === '' ? name : `${path}/${name}`, child]);
      }
      return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    },
  };
}
