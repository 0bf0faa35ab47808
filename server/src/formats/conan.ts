/**
 * Conan: `conanfile.txt` (`[requires]`, `[tool_requires]`, … sections), `conanfile.py` (`requires = …`,
 * `self.requires("name/version")` and the other requirement calls, read with the Python token scanner), and a
 * recipe's `conandata.yml` (the source URLs and checksums of each version). `conan.lock` is its own format
 * (`conanLock` below), since it is JSON and has no comments.
 */
import type { Extracted, Format, PackageReference } from '../model';
import { pyStatements, scanPython, type PyToken } from './build/pyTokens';
import { digestReference, isUrl, literalAt, problemAt, spanRange, urlReference, type Located } from './build/refs';
import { formatPatterns } from './patterns';
import { lineIndex, type LineIndex } from './textPositions';
import { asMap, asScalar, asSeq, pairsOf, parseYaml, valueOffsets, type YamlFile } from './yaml/document';
import { isScalar, type Document } from 'yaml';
import { parseTree, type Node, type ParseError } from 'jsonc-parser';

/** The Conan recipe and consumer files that have `#` comments. */
export const conanfile: Format = {
  id: 'conan/conanfile',
  patterns: [...formatPatterns['conan/conanfile']],
  commentPrefix: '#',
  maxLength: 8 * 1024 * 1024,
  extract(text: string, path: string): Extracted[] {
    const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
    if (base === 'conanfile.py') return conanfilePy(text);
    if (base === 'conandata.yml') return conandata(text);
    return conanfileTxt(text);
  },
};

/** `conan.lock`: the locked references (`requires`, `build_requires`, `python_requires`) of a v0.5 lockfile. */
export const conanLock: Format = {
  id: 'conan/conan.lock',
  patterns: [...formatPatterns['conan/conan.lock']],
  maxLength: 32 * 1024 * 1024,
  extract(text: string): Extracted[] {
    const lines = lineIndex(text);
    const errors: ParseError[] = [];
    if (deepest(text)) return [problemAt(lines, 'limit', 0, 0, 'This conan.lock nests deeper than 512 levels, which Pinwatch does not read, so it was not checked.')];
    const root = parseTree(text, errors, { allowTrailingComma: true });
    const out: Extracted[] = [];
    if (!root) {
      out.push(problemAt(lines, 'syntax', 0, 0, 'This conan.lock is not readable as JSON, so it was not checked.'));
      return out;
    }
    for (const child of root.type === 'object' ? root.children ?? [] : []) {
      const [key, value] = child.children ?? [];
      if (!key || !value || !['requires', 'build_requires', 'python_requires', 'config_requires'].includes(String(key.value))) continue;
      for (const item of value.type === 'array' ? value.children ?? [] : []) {
        if (item.type !== 'string' || !jsonPlain(text, item)) continue;
        const ref = conanReference(lines, literalAt(String(item.value), item.offset + 1), `conan.lock ${String(key.value)}`);
        if (ref) out.push({ ...ref, fix: { kind: 'none', reason: `conan.lock is written by conan: require a safe ${ref.name} in the conanfile and run conan lock create again.` } });
      }
    }
    // Conan 1's graph lock (`graph_lock.nodes.*.ref`), when it is the format.
    const nodes = findPath(root, ['graph_lock', 'nodes']);
    for (const node of nodes?.type === 'object' ? nodes.children ?? [] : []) {
      const ref = findPath(node.children?.[1], ['ref']);
      if (ref?.type !== 'string' || !jsonPlain(text, ref)) continue;
      const pkg = conanReference(lines, literalAt(String(ref.value), ref.offset + 1), 'conan.lock graph_lock');
      if (pkg) out.push({ ...pkg, fix: { kind: 'none', reason: `conan.lock is written by conan: require a safe ${pkg.name} in the conanfile and lock again.` } });
    }
    if (errors[0]) out.push(problemAt(lines, 'syntax', errors[0].offset, errors[0].offset + errors[0].length, 'Not valid JSON from here: references after it may not have been checked.'));
    return out;
  },
};

/** Whether a JSON text nests deeper than the tolerant parser may descend (it recurses). */
function deepest(text: string): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) { if (++depth > 512) return true; } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** Whether a JSON string node is written as it reads (no escape), so its value's offsets are consecutive. */
function jsonPlain(text: string, node: Node): boolean {
  return node.length === String(node.value).length + 2 && !text.slice(node.offset, node.offset + node.length).includes('\\');
}

function findPath(node: Node | undefined, path: readonly string[]): Node | undefined {
  let at = node;
  for (const key of path) {
    if (at?.type !== 'object') return undefined;
    at = at.children?.find((p) => p.children?.[0]?.value === key)?.children?.[1];
  }
  return at;
}

/**
 * The package a Conan reference names (`xz_utils/5.6.1`, `xz_utils/5.6.1#rev%time`, `xz_utils/[>=5.6 <6]`),
 * from ConanCenter only: a reference with a user and channel (`@user/channel`) is another remote's package.
 */
export function conanReference(lines: LineIndex, located: Located, context: string): PackageReference | undefined {
  const text = located.value;
  const m = /^\s*([a-z0-9_][a-z0-9_+.-]*)\/(\[[^\]]*\]|[^@#/\s[\]]+)(@[^#\s]*)?(#\S*)?\s*$/i.exec(text);
  if (!m) return undefined;
  const [, name, version, user] = m;
  if (user !== undefined && user !== '@' && user !== '@_/_') return undefined;
  const from = text.indexOf('/') + 1;
  if (version!.startsWith('[')) {
    const inner = version!.slice(1, -1);
    const body = inner.split(',')[0]!.trim();
    if (body === '') return undefined;
    const start = from + 1 + inner.indexOf(body);
    return { kind: 'package', ecosystem: 'ConanCenter', name: name!.toLowerCase(), constraint: body, range: spanRange(lines, located, start, start + body.length), context };
  }
  return { kind: 'package', ecosystem: 'ConanCenter', name: name!.toLowerCase(), version: version!, range: spanRange(lines, located, from, from + version!.length), context };
}

const requirementSections = new Set(['requires', 'tool_requires', 'build_requires', 'test_requires', 'python_requires']);

/** conanfile.txt: one reference a line in the requirement sections; `#` comments. */
function conanfileTxt(text: string): Extracted[] {
  const lines = lineIndex(text);
  const out: Extracted[] = [];
  let section = '';
  let at = 0;
  while (at <= text.length) {
    const br = text.indexOf('\n', at);
    const end = br < 0 ? text.length : br;
    const line = text.slice(at, end).replace(/\r$/, '');
    const trimmed = line.trim();
    const header = /^\[([^\]]*)\]/.exec(trimmed);
    if (header) section = header[1]!.trim();
    else if (trimmed !== '' && !trimmed.startsWith('#') && requirementSections.has(section)) {
      const hash = line.indexOf('#');
      const body = hash >= 0 ? line.slice(0, hash) : line;
      const lead = body.length - body.trimStart().length;
      const ref = conanReference(lines, literalAt(body.trim(), at + lead), section);
      if (ref) out.push(ref);
    }
    if (br < 0) break;
    at = br + 1;
  }
  return out;
}

const requirementCalls = new Set(['requires', 'tool_requires', 'build_requires', 'test_requires', 'python_requires']);

/** conanfile.py: `requires = …` class attributes and `self.requires(…)` calls with literal references. */
function conanfilePy(text: string): Extracted[] {
  const lines = lineIndex(text);
  const { tokens, problems } = scanPython(text);
  const { calls, assignments } = pyStatements(tokens);
  const found: Array<{ at: number; ref: PackageReference }> = [];
  const add = (token: PyToken, context: string) => {
    if (token.valueStart === undefined || token.value === undefined) return;
    const ref = conanReference(lines, literalAt(token.value, token.valueStart), context);
    if (ref) found.push({ at: token.start, ref });
  };
  for (const a of assignments) if (requirementCalls.has(a.name)) for (const s of a.strings) add(s, a.name);
  for (const call of calls) {
    const method = call.callee.startsWith('self.') ? call.callee.slice(5) : undefined;
    if (method === undefined || !requirementCalls.has(method)) continue;
    const first = call.args.find((arg) => arg.keyword === undefined || arg.keyword === 'ref' || arg.keyword === 'reference');
    if (first && first.strings.length === 1) add(first.strings[0]!, `self.${method}`);
  }
  found.sort((a, b) => a.at - b.at);
  const out: Extracted[] = found.map((f) => f.ref);
  for (const p of problems) out.push(problemAt(lines, 'syntax', p.start, p.end, `${p.message}.`));
  return out;
}

/** conandata.yml: every `url` (a string or a list) and `sha256` under `sources`, at any depth of versions and platforms. */
function conandata(text: string): Extracted[] {
  const file = parseYaml(text);
  const out: Extracted[] = [...file.problems];
  for (const doc of file.docs) {
    const root = asMap(file, doc, doc.contents);
    if (!root) continue;
    for (const pair of pairsOf(file, doc, root)) {
      if (keyText(pair.key) !== 'sources') continue;
      const stack: unknown[] = [pair.value];
      let visits = 0;
      while (stack.length > 0) {
        if (++visits > 100_000) {
          out.push({ kind: 'problem', reason: 'limit', message: 'conandata.yml has more than 100,000 source entries: the rest was not checked.', range: file.lines.range(0, 0) });
          break;
        }
        const node = stack.pop();
        const seq = asSeq(file, doc, node);
        if (seq) { for (let i = seq.items.length - 1; i >= 0; i--) stack.push(seq.items[i]); continue; }
        const map = asMap(file, doc, node);
        if (!map) continue;
        const pairs = pairsOf(file, doc, map);
        const digests = pairs.filter((p) => ['sha256', 'sha512'].includes(keyText(p.key))).flatMap((p) => scalarLocated(file, doc, p.value) ?? []);
        const guards = digests.flatMap((d) => digestReference(file.lines, d, 'conandata.yml') ?? []);
        for (const p of pairs) {
          const key = keyText(p.key);
          if (key === 'url') {
            const values = asSeq(file, doc, p.value)?.items ?? [p.value];
            for (const v of values) {
              const located = scalarLocated(file, doc, v);
              if (located && isUrl(located.value)) out.push(urlReference(file.lines, located, 'conandata.yml url', guards.map((g) => g.value)));
            }
          } else if (key === 'sha256' || key === 'sha512') {
            const located = scalarLocated(file, doc, p.value);
            const ref = located && digestReference(file.lines, located, `conandata.yml ${key}`);
            if (ref) out.push(ref);
          } else if (key !== 'patches') {
            stack.push(p.value);
          }
        }
      }
    }
  }
  return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/** A mapping key's text: a scalar's value; '' for a collection (never stringified: that is slow on nested flow maps). */
function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' ? key : '';
}

/** A string scalar's value and the offset of each of its characters. */
function scalarLocated(file: YamlFile, doc: Document.Parsed, node: unknown): Located | undefined {
  const scalar = asScalar(file, doc, node);
  if (!scalar || typeof scalar.value !== 'string') return undefined;
  const offsets = valueOffsets(file.text, scalar);
  if (!offsets || !scalar.range) return undefined;
  // A double-quoted value with escapes is not read: no URL or digest needs one, and a bad escape changes the value.
  if (scalar.type === 'QUOTE_DOUBLE' && file.text.slice(scalar.range[0], scalar.range[1]).includes('\\')) return undefined;
  // A value with escapes is reported at the whole scalar, quotes included, which reads as the value.
  return { value: scalar.value, offsets, span: { start: scalar.range[0], end: scalar.range[1] } };
}
