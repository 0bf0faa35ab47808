/**
 * How a Python lockfile entry is fixed in the manifest its tool reads, in that manifest's own syntax (never the
 * lockfile itself): uv's `[tool.uv] constraint-dependencies` (or the `override-dependencies` that already names the
 * package), a pin in Poetry's `[tool.poetry.dependencies]` (or the group that already names it), a pin in the
 * Pipfile's `[packages]` (or the category that already names it). A direct requirement pinned to the compromised
 * release is re-pinned too, since the locker would refuse a constraint that contradicts it.
 */
import type { PythonLocker } from '../../model';
import type { ManifestEdit, ManifestFix } from '../js/manifestFix';
import { lineIndex } from '../textPositions';
import { normalizeName, requirementAt } from './references';
import { readToml, samePath, type TomlNode, type TomlRead, type TomlStatement } from './toml';

/** The command that rewrites the lockfile once the manifest changed. */
export function lockCommand(tool: PythonLocker): string {
  return tool === 'uv' ? 'uv lock' : tool === 'poetry' ? 'poetry lock' : 'pipenv lock';
}

/**
 * The edits that force `good` for `name` (locked at `bad`) in the manifest at `manifest`, reading it through
 * `readFile`; undefined when it cannot be read whole or has no place to write the pin. Edits whose text is already
 * there are kept, so that a caller can tell the pin is in place.
 */
export function pythonManifestFix(tool: PythonLocker, manifest: string, name: string, bad: string | undefined, good: string, readFile: ((path: string) => string | undefined) | undefined): ManifestFix | undefined {
  const text = readFile?.(manifest);
  if (text === undefined) return undefined;
  const planned = tool === 'pipenv' ? pipfileEdits(text, name, good) : tool === 'uv' ? uvEdits(text, name, bad, good) : poetryEdits(text, name, bad, good);
  if (!planned) return undefined;
  const lines = lineIndex(text);
  const edits: ManifestEdit[] = planned.edits
    .sort((a, b) => a.start - b.start)
    .map((e) => ({ path: manifest, range: lines.range(e.start, e.end), newText: e.newText, expected: text.slice(e.start, e.end) }));
  return { title: planned.title, edits, file: tool === 'pipenv' ? 'Pipfile' : 'pyproject.toml' };
}

/** An edit by offsets. */
interface Edit {
  start: number;
  end: number;
  newText: string;
}

/** The PEP 508 requirement arrays of a pyproject.toml that a project's own dependencies are in. */
function isRequirementArray(path: readonly string[]): boolean {
  if (samePath(path, ['project', 'dependencies'])) return true;
  if (path.length === 3 && path[0] === 'project' && path[1] === 'optional-dependencies') return true;
  if (path.length === 2 && path[0] === 'dependency-groups') return true;
  return samePath(path, ['tool', 'uv', 'dev-dependencies']);
}

/** The full key path of a statement: its table's path and its own key. */
function fullPath(s: TomlStatement): string[] {
  return [...s.table, ...s.key];
}

/** Reads a manifest whole, or undefined when any of it does not parse: an edit to a damaged file could go anywhere. */
function readWhole(text: string, label: string, wanted: (path: readonly string[]) => boolean): TomlRead | undefined {
  const read = readToml(text, label, (table, key) => wanted([...table, ...key]));
  return read.problems.length > 0 ? undefined : read;
}

/** The name a requirement string starts with, normalised; undefined when it does not start with one. */
function requirementName(value: string): string | undefined {
  const name = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)/.exec(value)?.[1];
  return name === undefined ? undefined : normalizeName(name);
}

/** Edits that re-pin each direct `name==bad` requirement string to `good`. */
function directPins(read: TomlRead, name: string, bad: string | undefined, good: string): Edit[] {
  if (bad === undefined) return [];
  const edits: Edit[] = [];
  for (const s of read.statements) {
    if (!isRequirementArray(fullPath(s)) || s.value.kind !== 'array') continue;
    for (const item of s.value.items) {
      if (item.kind !== 'string' || !item.exact) continue;
      const found = requirementAt(item.value, item.start, '');
      if (found && found.ref.name === name && found.ref.version === bad) edits.push({ start: found.start, end: found.end, newText: good });
    }
  }
  return edits;
}

/** The string item of an array that names `name`, if any. */
function itemNaming(array: TomlNode, name: string): Extract<TomlNode, { kind: 'string' }> | undefined {
  if (array.kind !== 'array') return undefined;
  for (const item of array.items) if (item.kind === 'string' && requirementName(item.value) === name) return item;
  return undefined;
}

/** The edit that adds a quoted item to an array, after its last item (on its own line when the array spans lines). */
function appendItem(text: string, array: Extract<TomlNode, { kind: 'array' }>, item: string): Edit | undefined {
  const last = array.items[array.items.length - 1];
  if (!last) return { start: array.start + 1, end: array.start + 1, newText: item };
  // Only a single-line string ends one character before its closing quote; anything else is left to the user.
  if (last.kind !== 'string' || !last.exact) return undefined;
  const at = last.tokenEnd;
  const multiline = /[\r\n]/.test(text.slice(array.start, array.end));
  if (!multiline) return { start: at, end: at, newText: `, ${item}` };
  const lineAt = Math.max(text.lastIndexOf('\n', last.start), text.lastIndexOf('\r', last.start)) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineAt, last.start))?.[0] ?? '';
  return { start: at, end: at, newText: `,${newline(text)}${indent}${item}` };
}

/** The line break the text uses. */
function newline(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** The edit that adds `lines` at the end of a table's statements, or as a new table at the end of the file. */
function addToTable(text: string, read: TomlRead, table: readonly string[], lines: string): Edit {
  const nl = newline(text);
  const header = read.headers.findIndex((h) => !h.array && samePath(h.path, table));
  if (header >= 0) {
    const at = read.tableEnds[header]!;
    const before = at > 0 && text[at - 1] !== '\n' && text[at - 1] !== '\r' ? nl : '';
    return { start: at, end: at, newText: `${before}${lines}${nl}` };
  }
  const end = text.length;
  const before = end === 0 ? '' : /(?:\r?\n){2}$/.test(text) ? '' : /\r?\n$/.test(text) ? nl : nl + nl;
  return { start: end, end, newText: `${before}[${table.join('.')}]${nl}${lines}${nl}` };
}

/** uv: `constraint-dependencies` in `[tool.uv]` (or the `override-dependencies` that names the package already). */
function uvEdits(text: string, name: string, bad: string | undefined, good: string): { title: string; edits: Edit[] } | undefined {
  const uv = ['tool', 'uv'];
  const read = readWhole(text, 'pyproject.toml', (p) => isRequirementArray(p) || samePath(p, [...uv, 'constraint-dependencies']) || samePath(p, [...uv, 'override-dependencies']));
  if (!read) return undefined;
  const pin = `${name}==${good}`;
  const direct = directPins(read, name, bad, good);
  const array = (key: string): TomlStatement | undefined => read.statements.find((s) => samePath(fullPath(s), [...uv, key]) && s.value.kind === 'array');
  for (const key of ['override-dependencies', 'constraint-dependencies']) {
    const statement = array(key);
    const item = statement && itemNaming(statement.value, name);
    if (item) {
      if (!item.exact) return undefined;
      return { title: `Constrain ${name} to ${good} in pyproject.toml [tool.uv] ${key}`, edits: [...direct, { start: item.start, end: item.end, newText: pin }] };
    }
  }
  const title = `Constrain ${name} to ${good} in pyproject.toml [tool.uv] constraint-dependencies`;
  const constraints = array('constraint-dependencies');
  if (constraints && constraints.value.kind === 'array') {
    const edit = appendItem(text, constraints.value, JSON.stringify(pin));
    return edit && { title, edits: [...direct, edit] };
  }
  // A `[tool.uv]` written as dotted keys elsewhere cannot take a second `constraint-dependencies`: leave it.
  if (read.statements.some((s) => samePath(fullPath(s), [...uv, 'constraint-dependencies']))) return undefined;
  return { title, edits: [...direct, addToTable(text, read, uv, `constraint-dependencies = [${JSON.stringify(pin)}]`)] };
}

/** The tables of a pyproject.toml that list Poetry dependencies. */
function isPoetryTable(table: readonly string[]): boolean {
  if (table.length < 3 || table[0] !== 'tool' || table[1] !== 'poetry') return false;
  if (table.length === 3) return table[2] === 'dependencies' || table[2] === 'dev-dependencies';
  return table.length === 5 && table[2] === 'group' && table[4] === 'dependencies';
}

/** Poetry: re-pin the entry that names the package, else add `name = "good"` to `[tool.poetry.dependencies]`. */
function poetryEdits(text: string, name: string, bad: string | undefined, good: string): { title: string; edits: Edit[] } | undefined {
  const read = readToml(text, 'pyproject.toml', (table, key) => isRequirementArray([...table, ...key]) || (isPoetryTable(table) && key.length === 1));
  if (read.problems.length > 0) return undefined;
  const direct = directPins(read, name, bad, good);
  const main = ['tool', 'poetry', 'dependencies'];
  const existing = read.statements.find((s) => isPoetryTable(s.table) && normalizeName(s.key[0]!) === name);
  if (existing) {
    const value = existing.value.kind === 'table' ? existing.value.entries.find((e) => samePath(e.key, ['version']))?.value : existing.value;
    if (value?.kind !== 'string' || !value.exact) return undefined;
    const where = existing.table.length === 5 ? `[tool.poetry.group.${existing.table[3]}.dependencies]` : `[${existing.table.join('.')}]`;
    return { title: `Pin ${name} to ${good} in pyproject.toml ${where}`, edits: [...direct, { start: value.start, end: value.end, newText: good }] };
  }
  if (!read.headers.some((h) => !h.array && samePath(h.path, main))) return undefined;
  return { title: `Pin ${name} to ${good} in pyproject.toml [tool.poetry.dependencies]`, edits: [...direct, addToTable(text, read, main, `${name} = ${JSON.stringify(good)}`)] };
}

/** The Pipfile tables that are not package categories. */
const pipfileOther: ReadonlySet<string> = new Set(['source', 'requires', 'scripts', 'pipenv']);

/** pipenv: re-pin the entry that names the package, else add `name = "==good"` to `[packages]`. */
function pipfileEdits(text: string, name: string, good: string): { title: string; edits: Edit[] } | undefined {
  const read = readToml(text, 'Pipfile', (table, key) => table.length === 1 && !pipfileOther.has(table[0]!) && key.length === 1);
  if (read.problems.length > 0) return undefined;
  const pin = `==${good}`;
  const existing = read.statements.find((s) => s.table.length === 1 && !pipfileOther.has(s.table[0]!) && normalizeName(s.key[0]!) === name);
  if (existing) {
    const value = existing.value.kind === 'table' ? existing.value.entries.find((e) => samePath(e.key, ['version']))?.value : existing.value;
    if (value?.kind !== 'string' || !value.exact) return undefined;
    return { title: `Pin ${name} to ${good} in Pipfile [${existing.table[0]}]`, edits: [{ start: value.start, end: value.end, newText: pin }] };
  }
  return { title: `Pin ${name} to ${good} in Pipfile [packages]`, edits: [addToTable(text, read, ['packages'], `${name} = ${JSON.stringify(pin)}`)] };
}

