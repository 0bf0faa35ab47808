/**
 * The cross-file fix for an npm lockfile entry: a minimal edit to the package.json beside it that makes npm install
 * one version of a package everywhere in the tree, through the top-level `overrides` field (npm 8.3 and later).
 */
import type { Range } from 'vscode-languageserver-types';
import { members, skipWhitespace, valueEnd, type Member } from './jsonScanner';
import { positionsAt } from '../textPositions';

/** A text edit to package.json: replace `range` (whose text is `expected`) with `newText`. */
export interface OverrideEdit {
  range: Range;
  newText: string;
  /** The text at `range` now, so that a caller can refuse to apply the edit to a file that has changed since. */
  expected: string;
}

/**
 * The edit to `packageJsonText` that sets `overrides["<name>"]` to `version`: it adds the `overrides` object as the
 * last property of the root when there is none, adds the entry when it is missing, or replaces only the value
 * token when it is there (an object value, npm's nested form, gets its `"."` entry set instead). The file's
 * indentation and line endings are kept and nothing else changes. Undefined when the text is not a JSON object, or
 * when `overrides` is not an object.
 */
export function overrideEdit(packageJsonText: string, name: string, version: string): OverrideEdit | undefined {
  return forcingEdit(packageJsonText, ['overrides'], name, version);
}

/**
 * The edit to `packageJsonText` that sets `<field>["<name>"]` to `version`, where `field` is a path of objects from
 * the root (`['overrides']` for npm and bun, `['resolutions']` for yarn, `['pnpm', 'overrides']` for pnpm): the
 * missing objects are added as last members, an existing entry has only its value token replaced, and the file's
 * indentation and line endings are kept. Undefined when the text is not a JSON object or a field is not an object.
 */
export function forcingEdit(packageJsonText: string, field: readonly string[], name: string, version: string): OverrideEdit | undefined {
  const text = packageJsonText;
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  try {
    const parsed: unknown = JSON.parse(text.slice(bom));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  } catch {
    return undefined;
  }
  const rootStart = skipWhitespace(text, bom);
  const style = detectStyle(text, rootStart);
  const value = JSON.stringify(version);
  const edit = setPath(text, rootStart, field, name, value, style);
  if (!edit) return undefined;
  const [start, end] = positionsAt(text, [edit.start, edit.end]);
  return { range: { start: start!, end: end! }, newText: edit.newText, expected: text.slice(edit.start, edit.end) };
}

/** The root fields whose entries npm checks an override against ("conflicts with direct dependency"). */
const DIRECT_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const;

/**
 * The edits to `packageJsonText` that make npm install `version` of `name` everywhere, allowing for npm's rule that
 * an override of a direct dependency must match its spec (else `npm install` fails with EOVERRIDE): when `name` is
 * a direct registry dependency, its spec becomes `version` and the override refers to it as `"$<name>"`; otherwise
 * this is `[overrideEdit(…)]`. Edits are in text order and do not overlap; undefined when `overrideEdit` would be.
 */
export function overrideEdits(packageJsonText: string, name: string, version: string): OverrideEdit[] | undefined {
  const text = packageJsonText;
  const direct = directDependency(text, name);
  if (!direct) {
    const edit = overrideEdit(text, name, version);
    return edit && [edit];
  }
  const override = overrideEdit(text, name, `$${name}`);
  if (!override) return undefined;
  const [start, end] = positionsAt(text, [direct.valueStart, direct.valueEnd]);
  const spec: OverrideEdit = { range: { start: start!, end: end! }, newText: JSON.stringify(version), expected: text.slice(direct.valueStart, direct.valueEnd) };
  const before = (a: OverrideEdit, b: OverrideEdit): number => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
  return [spec, override].sort(before);
}

/** The member of a direct-dependency field that names `name` with a registry spec (not an alias, git, file or URL). */
export function directDependency(text: string, name: string): Member | undefined {
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const root = members(text, skipWhitespace(text, bom));
  for (const field of DIRECT_FIELDS) {
    const object = root?.filter((member) => member.key === field).pop();
    if (!object || text.charCodeAt(object.valueStart) !== 0x7b) continue;
    const entry = members(text, object.valueStart)?.filter((member) => member.key === name).pop();
    if (!entry || text.charCodeAt(entry.valueStart) !== 0x22) continue;
    const spec = text.slice(entry.valueStart + 1, entry.valueEnd - 1);
    if (!/[:/]/.test(spec)) return entry;
  }
  return undefined;
}

interface Style {
  /** One level of indentation: a tab or a run of spaces. */
  unit: string;
  eol: string;
}

interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
}

/** What to do with a member that exists (or, when undefined is passed, is missing). */
type MemberAction =
  | { kind: 'insert'; member: (indent: string | undefined) => string }
  | { kind: 'descend'; edit: OffsetEdit | undefined }
  | undefined;

/** `overrides["<name>"] = value`, inside the overrides object opened at `objectStart`. */
function setPackage(text: string, objectStart: number, name: string, value: string, style: Style): OffsetEdit | undefined {
  return setMember(text, objectStart, name, style, (existing) => {
    if (!existing) return { kind: 'insert', member: () => `${JSON.stringify(name)}: ${value}` };
    if (text.charCodeAt(existing.valueStart) === 0x7b) {
      // The nested form `"name": { ".": "1.2.3", "dep": "…" }` keeps its rules for dependencies; "." is the package itself.
      return { kind: 'descend', edit: setPackage(text, existing.valueStart, '.', value, style) };
    }
    return { kind: 'descend', edit: { start: existing.valueStart, end: existing.valueEnd, newText: value } };
  });
}

/**
 * The edit that acts on member `key` of the object opened at `objectStart`: `decide` sees the last such member
 * (the one `JSON.parse` keeps) or undefined, and says whether to insert a new last member or what edit to make.
 */
function setMember(text: string, objectStart: number, key: string, style: Style, decide: (existing: Member | undefined) => MemberAction): OffsetEdit | undefined {
  const list = members(text, objectStart);
  if (!list) return undefined;
  const existing = list.filter((member) => member.key === key).pop();
  const action = decide(existing);
  if (!action) return undefined;
  if (action.kind === 'descend') return action.edit;
  const objectEnd = valueEnd(text, objectStart);
  const last = list[list.length - 1];
  if (!last) {
    // An empty object: open it onto its own lines, one level deeper than the line it is on.
    const outer = leadingWhitespace(text, objectStart);
    const inner = outer + style.unit;
    return { start: objectStart + 1, end: objectEnd - 1, newText: `${style.eol}${inner}${action.member(inner)}${style.eol}${outer}` };
  }
  const indent = lineIndent(text, last.keyStart);
  // A member that does not start its line means a one-line object: stay on the line.
  const newText = indent === undefined ? `, ${action.member(undefined)}` : `,${style.eol}${indent}${action.member(indent)}`;
  return { start: last.valueEnd, end: last.valueEnd, newText };
}

/** `<path[0]>["<name>"] = value` (through the nested objects of `path`) inside the object opened at `objectStart`. */
function setPath(text: string, objectStart: number, path: readonly string[], name: string, value: string, style: Style): OffsetEdit | undefined {
  const [field, ...rest] = path;
  if (field === undefined) return setPackage(text, objectStart, name, value, style);
  return setMember(text, objectStart, field, style, (existing) => {
    if (!existing) return { kind: 'insert', member: (indent) => objectText(path, JSON.stringify(name), value, indent, style) };
    if (text.charCodeAt(existing.valueStart) !== 0x7b) return undefined;
    return { kind: 'descend', edit: setPath(text, existing.valueStart, rest, name, value, style) };
  });
}

/** `"key": { "<entry>": <value> }` (nested for each key of `path`), spread over lines at `indent` like the rest of the file, or on one line. */
function objectText(path: readonly string[], entryKey: string, value: string, indent: string | undefined, style: Style): string {
  const [field, ...rest] = path;
  const inner = indent === undefined ? undefined : indent + style.unit;
  const body = rest.length > 0 ? objectText(rest, entryKey, value, inner, style) : `${entryKey}: ${value}`;
  if (indent === undefined) return `${JSON.stringify(field)}: { ${body} }`;
  return `${JSON.stringify(field)}: {${style.eol}${inner}${body}${style.eol}${indent}}`;
}

/** The whitespace before `offset` on its line when only whitespace precedes it there; undefined otherwise. */
function lineIndent(text: string, offset: number): string | undefined {
  let i = offset;
  while (i > 0 && (text.charCodeAt(i - 1) === 0x20 || text.charCodeAt(i - 1) === 0x09)) i--;
  const before = text.charCodeAt(i - 1);
  if (i > 0 && before !== 0x0a && before !== 0x0d && before !== 0xfeff) return undefined;
  return text.slice(i, offset);
}

/** The whitespace that starts the line `offset` is on. */
function leadingWhitespace(text: string, offset: number): string {
  // Back to the line break by hand: lastIndexOf('\r') would search to the start of a file that has none.
  let lineStart = offset;
  while (lineStart > 0 && text.charCodeAt(lineStart - 1) !== 0x0a && text.charCodeAt(lineStart - 1) !== 0x0d) lineStart--;
  let i = lineStart;
  while (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09) i++;
  return text.slice(lineStart, i);
}

/** The file's indentation unit (from the first indented member of the root) and line ending. */
function detectStyle(text: string, rootStart: number): Style {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const first = members(text, rootStart)?.[0];
  const indent = first ? lineIndent(text, first.keyStart) : undefined;
  const unit = indent && indent.startsWith('\t') ? '\t' : indent ? indent : '  ';
  return { unit, eol };
}
