/**
 * The edit to pnpm-workspace.yaml that forces a package's version through its top-level `overrides` map (pnpm 10
 * reads overrides there), made on the text: the entry's value is replaced when it is there, a new entry is added
 * after the last one with the same indentation, or the map is added at the end of the file. Comments, quoting and
 * the rest of the file are kept.
 */
import type { OverrideEdit } from '../npm/overrides';
import { positionsAt } from '../textPositions';

/** `name` as a YAML key: plain when it is a simple name, else single-quoted (`'@scope/pkg'`). */
function yamlKey(name: string): string {
  return /^[A-Za-z0-9][\w.-]*$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}

/** A version as a YAML scalar that stays a string: plain for `1.2.3` (two dots are never a number), else quoted. */
function yamlValue(version: string): string {
  return /^\d+\.\d+\.\d+[\w.+-]*$/.test(version) ? version : `'${version.replace(/'/g, "''")}'`;
}

/** A YAML key's text without its quotes. */
function keyText(raw: string): string {
  const t = raw.trim();
  if (t.length >= 2 && (t[0] === "'" || t[0] === '"') && t[t.length - 1] === t[0]) return t.slice(1, -1);
  return t;
}

interface YamlLine {
  start: number;
  end: number;
  indent: number;
  /** Blank or a comment only. */
  empty: boolean;
}

/**
 * The edit to a pnpm-workspace.yaml text that sets `overrides[name]` to `version`; undefined when the text has an
 * `overrides` that is not a block or `{}` map this can edit safely (a flow map with entries, an alias, a tab).
 */
export function workspaceOverrideEdit(text: string, name: string, version: string): OverrideEdit | undefined {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines: YamlLine[] = [];
  for (let at = 0; at < text.length;) {
    const lf = text.indexOf('\n', at);
    const next = lf < 0 ? text.length : lf + 1;
    const end = lf < 0 ? text.length : lf > at && text.charCodeAt(lf - 1) === 0x0d ? lf - 1 : lf;
    let i = at;
    while (i < end && text.charCodeAt(i) === 0x20) i++;
    if (i < end && text.charCodeAt(i) === 0x09) return undefined;
    lines.push({ start: at, end, indent: i - at, empty: i === end || text.charCodeAt(i) === 0x23 });
    at = next;
  }
  const entry = `${yamlKey(name)}: ${yamlValue(version)}`;
  const edit = (start: number, end: number, newText: string): OverrideEdit => {
    const [from, to] = positionsAt(text, [start, end]);
    return { range: { start: from!, end: to! }, newText, expected: text.slice(start, end) };
  };
  const head = lines.findIndex((line) => !line.empty && line.indent === 0 && /^overrides\s*:/.test(text.slice(line.start, line.end)));
  if (head < 0) {
    const lead = text.length === 0 || text.endsWith('\n') ? '' : eol;
    return edit(text.length, text.length, `${lead}overrides:${eol}  ${entry}${eol}`);
  }
  const headLine = lines[head]!;
  const colon = text.indexOf(':', headLine.start);
  const rest = text.slice(colon + 1, headLine.end).replace(/\s+#.*$/, '').trim();
  if (rest === '{}') {
    const at = text.indexOf('{}', colon);
    return edit(at, at + 2, `{ ${entry} }`);
  }
  if (rest !== '') return undefined;
  let indent = -1;
  let last = headLine;
  for (let k = head + 1; k < lines.length; k++) {
    const line = lines[k]!;
    if (line.empty) continue;
    if (line.indent === 0) break;
    if (indent < 0) indent = line.indent;
    last = line;
    if (line.indent !== indent) continue;
    const body = text.slice(line.start + indent, line.end);
    const quoted = body.startsWith("'") || body.startsWith('"');
    const colonAt = body.indexOf(':', quoted ? Math.max(1, body.indexOf(body[0]!, 1)) : 0);
    if (colonAt <= 0) continue;
    if (keyText(body.slice(0, colonAt)) !== name) continue;
    let valueStart = line.start + indent + colonAt + 1;
    while (valueStart < line.end && text.charCodeAt(valueStart) === 0x20) valueStart++;
    const comment = text.slice(valueStart, line.end).search(/\s+#/);
    let valueEnd = comment < 0 ? line.end : valueStart + comment;
    while (valueEnd > valueStart && text.charCodeAt(valueEnd - 1) === 0x20) valueEnd--;
    const current = keyText(text.slice(valueStart, valueEnd));
    if (current === version) return edit(valueStart, valueEnd, text.slice(valueStart, valueEnd));
    return edit(valueStart, valueEnd, yamlValue(version));
  }
  const unit = indent < 0 ? '  ' : ' '.repeat(indent);
  return edit(last.end, last.end, `${eol}${unit}${entry}`);
}
