/**
 * A TOML reader for Python's manifests and lockfiles (pyproject.toml, Pipfile, poetry.lock, uv.lock, pdm.lock,
 * pylock.toml), built on the project's TOML scanner (cargo/tomlScanner.ts): it walks the statements in order, keeps
 * the ones a caller wants as small trees with exact offsets, and skips the others with the scanner alone. A statement
 * that does not parse is passed over line by line and reported; what could be read is kept, including the complete
 * items of an array that is never closed.
 */
import type { ReadProblem } from '../../model';
import { nextLine, parseKey, parseValue, readHeader, skipBlank, skipSpace } from '../cargo/tomlScanner';
import { positionsAt } from '../textPositions';

/**
 * A value with its offsets: a string (`start` and `end` bound the characters inside its quotes; `tokenEnd` is past
 * the closing quote), an array, an inline table, or another scalar (`end` is past the value).
 */
export type TomlNode =
  | { kind: 'string'; value: string; start: number; end: number; exact: boolean; tokenEnd: number }
  | { kind: 'array'; items: TomlNode[]; start: number; end: number }
  | { kind: 'table'; entries: TomlPair[]; start: number; end: number }
  | { kind: 'other'; start: number; end: number };

/** A key and its value inside an inline table. */
export interface TomlPair {
  key: string[];
  value: TomlNode;
}

/** A `[table]` or `[[array.of.tables]]` header: its key path and the offsets of its line. */
export interface TomlHeader {
  path: string[];
  array: boolean;
  start: number;
  /** The offset just past the header's line break. */
  end: number;
}

/** A `key = value` statement that the caller wanted, under the header before it. */
export interface TomlStatement {
  /** The index in `headers` of the header above it; -1 before the first header. */
  header: number;
  /** The index in `headers` of the last `[[...]]` header above it (a `[package.source]` belongs to it); -1 if none. */
  element: number;
  /** The table path: the header's path, or [] before any header. */
  table: string[];
  key: string[];
  keyStart: number;
  value: TomlNode;
}

/** What a read gives: the statements wanted, every header, where each header's statements end, and the problems. */
export interface TomlRead {
  statements: TomlStatement[];
  headers: TomlHeader[];
  /** Per header, the offset just past the line of its last statement (or of the header itself). */
  tableEnds: number[];
  /** The offset just past the last statement before any header (0 when there is none). */
  rootEnd: number;
  problems: ReadProblem[];
}

/** How deep arrays and inline tables may nest: deeper is not a manifest, and the bound keeps the stack safe. */
const maxDepth = 64;

/**
 * Reads the statements of a TOML text. `wanted` decides, from the table path and the key, which values are kept as
 * trees; the others are only skipped. `label` names the file in problem messages ("poetry.lock").
 */
export function readToml(text: string, label: string, wanted: (table: readonly string[], key: readonly string[]) => boolean): TomlRead {
  const statements: TomlStatement[] = [];
  const headers: TomlHeader[] = [];
  const tableEnds: number[] = [];
  let rootEnd = 0;
  const failures: number[] = [];
  let header = -1;
  let element = -1;
  let table: string[] = [];
  // Where reading resumed inside the value a failed statement left open, or -1.
  let resumedAt = -1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const markEnd = (end: number): void => {
    if (header < 0) rootEnd = end;
    else tableEnds[header] = end;
  };
  for (;;) {
    i = skipBlank(text, i);
    if (i >= text.length) break;
    const statement = i;
    if (text.charCodeAt(i) === 0x5b /* [ */) {
      const read = readHeader(text, i);
      if (read) {
        headers.push({ path: read.path, array: read.array, start: i, end: read.end });
        header = headers.length - 1;
        tableEnds[header] = read.end;
        if (read.array) element = header;
        table = read.path;
        i = read.end;
        continue;
      }
      // A header that cannot be read leaves the table unknown: nothing below it is attributed until the next one.
      headers.push({ path: ['\0'], array: false, start: i, end: nextLine(text, i) });
      header = headers.length - 1;
      tableEnds[header] = headers[header]!.end;
      table = ['\0'];
      failures.push(i);
      i = nextLine(text, i);
      continue;
    }
    const key = parseKey(text, i);
    let failedAt = key ? -1 : i;
    if (key) {
      const equals = skipSpace(text, key.end);
      if (text.charCodeAt(equals) !== 0x3d /* = */) failedAt = equals;
      else {
        const at = skipSpace(text, equals + 1);
        if (wanted(table, key.path)) {
          const read = readNode(text, at, 0);
          statements.push({ header, element, table, key: key.path, keyStart: i, value: read.node });
          if (read.error >= 0) failedAt = read.error;
          else i = tokenEnd(read.node);
        } else {
          const end = skipValue(text, at, 0);
          if (end < 0) failedAt = -end - 1;
          else i = end;
        }
      }
    }
    if (failedAt >= 0) {
      // Resuming inside the damage (the line an unclosed value stopped on) is the same damage: counted once.
      if (statement !== resumedAt) failures.push(failedAt);
      // Resume at the line the error is on when it is past the statement's own line (an unclosed array runs into the
      // next header), else at the next line.
      const errorLine = lineStart(text, failedAt, statement);
      i = errorLine > statement ? errorLine : nextLine(text, failedAt);
      resumedAt = errorLine > statement ? skipBlank(text, i) : -1;
      markEnd(i);
      continue;
    }
    i = nextLine(text, i);
    markEnd(i);
  }
  return { statements, headers, tableEnds, rootEnd, problems: problemsAt(text, label, failures) };
}

/** One problem at the first place the text did not parse, saying how many statements were passed over. */
function problemsAt(text: string, label: string, failures: readonly number[]): ReadProblem[] {
  if (failures.length === 0) return [];
  const first = failures[0]!;
  const [position] = positionsAt(text, [first]);
  const more = failures.length > 1 ? ` (and ${failures.length - 1} more place${failures.length === 2 ? '' : 's'} after it)` : '';
  return [{
    kind: 'problem',
    reason: 'syntax',
    message: `This ${label} is not valid TOML here${more}: what could not be read was not checked; the rest of the file was.`,
    range: { start: position!, end: position! },
  }];
}

/** A value at `i` as a tree; `error` is the offset where it stopped being readable (-1 when it is whole). */
function readNode(text: string, i: number, depth: number): { node: TomlNode; error: number } {
  const c = text.charCodeAt(i);
  if (depth > maxDepth || i >= text.length) return { node: { kind: 'other', start: i, end: i }, error: i };
  if (c === 0x5b /* [ */) return readArray(text, i, depth);
  if (c === 0x7b /* { */) return readInlineTable(text, i, depth);
  const value = parseValue(text, i, depth);
  if ('error' in value) return { node: { kind: 'other', start: i, end: i }, error: value.error };
  if (value.string) return { node: { kind: 'string', value: value.string.value, start: value.string.start, end: value.string.end, exact: value.string.exact, tokenEnd: value.end }, error: -1 };
  return { node: { kind: 'other', start: i, end: value.end }, error: -1 };
}

function readArray(text: string, i: number, depth: number): { node: TomlNode; error: number } {
  const items: TomlNode[] = [];
  const node = { kind: 'array' as const, items, start: i, end: i };
  let j = i + 1;
  for (;;) {
    j = skipBlank(text, j);
    if (text.charCodeAt(j) === 0x5d /* ] */) {
      node.end = j + 1;
      return { node, error: -1 };
    }
    if (j >= text.length || opensHeader(text, j)) {
      node.end = j;
      return { node, error: j };
    }
    const item = readNode(text, j, depth + 1);
    if (item.error >= 0) {
      node.end = item.error;
      return { node, error: item.error };
    }
    items.push(item.node);
    j = skipBlank(text, tokenEnd(item.node));
    if (text.charCodeAt(j) === 0x2c /* , */) j++;
    else if (text.charCodeAt(j) === 0x5d) {
      node.end = j + 1;
      return { node, error: -1 };
    } else {
      node.end = j;
      return { node, error: j };
    }
  }
}

/**
 * Skips the value at `i` without building it: the offset past it, or `-(error offset) - 1`. Arrays are walked here
 * (nested arrays may open lines, as tox's `commands` do); everything else is the shared scanner's.
 */
function skipValue(text: string, i: number, depth: number): number {
  if (text.charCodeAt(i) !== 0x5b /* [ */ || depth > maxDepth) {
    const value = parseValue(text, i, depth);
    return 'error' in value ? -value.error - 1 : value.end;
  }
  let j = i + 1;
  for (;;) {
    j = skipBlank(text, j);
    if (text.charCodeAt(j) === 0x5d /* ] */) return j + 1;
    if (j >= text.length || opensHeader(text, j)) return -j - 1;
    const end = skipValue(text, j, depth + 1);
    if (end < 0) return end;
    j = skipBlank(text, end);
    if (text.charCodeAt(j) === 0x2c /* , */) j++;
    else if (text.charCodeAt(j) === 0x5d) return j + 1;
    else return -j - 1;
  }
}

/**
 * Whether a `[` inside an unclosed array is the next header rather than a nested array: it opens its line and the
 * line reads as a header (`[tool.uv]`, `[[package]]`). The array then ends there, with the items read so far, and
 * the header is read as one.
 */
function opensHeader(text: string, j: number): boolean {
  return text.charCodeAt(j) === 0x5b && opensLine(text, j) && readHeader(text, j) !== undefined;
}

function readInlineTable(text: string, i: number, depth: number): { node: TomlNode; error: number } {
  const entries: TomlPair[] = [];
  const node = { kind: 'table' as const, entries, start: i, end: i };
  const fail = (at: number): { node: TomlNode; error: number } => {
    node.end = at;
    return { node, error: at };
  };
  let j = skipSpace(text, i + 1);
  if (text.charCodeAt(j) === 0x7d /* } */) {
    node.end = j + 1;
    return { node, error: -1 };
  }
  for (;;) {
    const key = parseKey(text, j);
    if (!key) return fail(j);
    j = skipSpace(text, key.end);
    if (text.charCodeAt(j) !== 0x3d /* = */) return fail(j);
    const value = readNode(text, skipSpace(text, j + 1), depth + 1);
    if (value.error >= 0) return fail(value.error);
    entries.push({ key: key.path, value: value.node });
    j = skipSpace(text, tokenEnd(value.node));
    if (text.charCodeAt(j) === 0x7d) {
      node.end = j + 1;
      return { node, error: -1 };
    }
    if (text.charCodeAt(j) !== 0x2c) return fail(j);
    j = skipSpace(text, j + 1);
  }
}


/** The offset just past a value as written (past a string's closing quote). */
export function tokenEnd(node: TomlNode): number {
  return node.kind === 'string' ? node.tokenEnd : node.end;
}

/** The value of a key in an inline table, when the key is exactly `name`. */
export function entryOf(node: TomlNode | undefined, name: string): TomlNode | undefined {
  if (node?.kind !== 'table') return undefined;
  return node.entries.find((e) => e.key.length === 1 && e.key[0] === name)?.value;
}

/** The string a node holds, when it is one. */
export function stringOf(node: TomlNode | undefined): string | undefined {
  return node?.kind === 'string' ? node.value : undefined;
}

/** Whether two key paths are equal. */
export function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((part, i) => part === b[i]);
}

/** Whether only spaces and tabs stand between the start of `i`'s line and `i`. */
function opensLine(text: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && (text.charCodeAt(j) === 0x20 || text.charCodeAt(j) === 0x09)) j--;
  return j < 0 || text.charCodeAt(j) === 0x0a || text.charCodeAt(j) === 0x0d;
}

/** The start of the line `i` is on, looking back no further than `floor` (so each malformed line costs its own text). */
function lineStart(text: string, i: number, floor: number): number {
  for (let j = i - 1; j >= floor; j--) {
    const c = text.charCodeAt(j);
    if (c === 0x0a || c === 0x0d) return j + 1;
  }
  return floor;
}

