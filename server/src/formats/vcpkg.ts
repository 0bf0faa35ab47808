/**
 * vcpkg manifests (`vcpkg.json`) and registry configuration (`vcpkg-configuration.json`, or the manifest's
 * embedded `vcpkg-configuration`): `dependencies` with a `version>=` floor, `overrides` with an exact version, and
 * the baselines (`builtin-baseline`, `default-registry.baseline`, `registries[].baseline`) of the built-in
 * registry, which fix the version of every port that nothing else constrains. A baseline of the microsoft/vcpkg
 * commits that had liblzma 5.6.0 is reported as that version of liblzma when the manifest uses liblzma; it has no
 * edit (the message says to move the baseline).
 */
import { parseTree, type Node, type ParseError } from 'jsonc-parser';
import type { Extracted, Format, PackageReference } from '../model';
import { liblzma560Baselines } from './build/vcpkgBaselines';
import { literalAt, packageAt, problemAt, spanRange } from './build/refs';
import { formatPatterns } from './patterns';
import { schemeFor } from '../versions/index';
import { lineIndex, type LineIndex } from './textPositions';

const builtinRepos = /^(?:https?:\/\/|git@)github\.com[/:]microsoft\/vcpkg(?:\.git)?\/?$/i;

/** The vcpkg format: manifests and their registry configuration. */
export const vcpkg: Format = {
  id: 'vcpkg/vcpkg.json',
  patterns: [...formatPatterns['vcpkg/vcpkg.json']],
  maxLength: 8 * 1024 * 1024,
  extract(text: string, path: string, readFile?: (path: string) => string | undefined): Extracted[] {
    const lines = lineIndex(text);
    const errors: ParseError[] = [];
    if (tooDeep(text)) return [problemAt(lines, 'limit', 0, 0, 'This file nests deeper than 512 levels, which Pinwatch does not read, so it was not checked.')];
    const root = parseTree(text, errors, { allowTrailingComma: true });
    if (!root || root.type !== 'object') return [problemAt(lines, 'syntax', 0, 0, 'This file is not a vcpkg JSON object, so it was not checked.')];
    const cx: Cx = { text, lines, out: [] };
    const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
    let usesLiblzma: boolean;
    if (base === 'vcpkg-configuration.json') {
      const dir = path.slice(0, path.length - base.length);
      usesLiblzma = namesLiblzma(readFile?.(`${dir}vcpkg.json`));
      configuration(cx, root, usesLiblzma);
    } else {
      usesLiblzma = namesLiblzma(root);
      manifest(cx, root, usesLiblzma);
      const embedded = member(root, 'vcpkg-configuration');
      if (embedded?.type === 'object') configuration(cx, embedded, usesLiblzma);
    }
    const out: Extracted[] = cx.out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    if (errors[0]) out.push(problemAt(lines, 'syntax', errors[0].offset, errors[0].offset + errors[0].length, 'Not valid JSON from here: entries after it may not have been checked.'));
    return out;
  },
};

interface Cx { text: string; lines: LineIndex; out: PackageReference[] }

function manifest(cx: Cx, root: Node, usesLiblzma: boolean): void {
  for (const dep of items(member(root, 'dependencies'))) {
    if (dep.type !== 'object') continue;
    const name = stringValue(member(dep, 'name'));
    const floor = member(dep, 'version>=');
    if (name === undefined || !plainString(cx.text, floor)) continue;
    const ref = versionRef(cx, name.toLowerCase(), floor!, 'dependencies version>=');
    if (!ref) continue;
    const { version, ...rest } = ref;
    cx.out.push({ ...rest, constraint: `>=${version}` });
  }
  for (const o of items(member(root, 'overrides'))) {
    if (o.type !== 'object') continue;
    const name = stringValue(member(o, 'name'));
    const version = ['version', 'version-semver', 'version-string', 'version-date'].map((k) => member(o, k)).find((v) => v !== undefined);
    if (name === undefined || !plainString(cx.text, version)) continue;
    const ref = versionRef(cx, name.toLowerCase(), version!, 'overrides');
    if (ref) cx.out.push(ref);
  }
  baseline(cx, member(root, 'builtin-baseline'), 'builtin-baseline', usesLiblzma);
}

function configuration(cx: Cx, root: Node, usesLiblzma: boolean): void {
  const registry = member(root, 'default-registry');
  if (registry?.type === 'object' && builtin(registry)) baseline(cx, member(registry, 'baseline'), 'default-registry baseline', usesLiblzma);
  for (const r of items(member(root, 'registries'))) {
    if (r.type !== 'object' || !builtin(r)) continue;
    const packages = items(member(r, 'packages')).map(stringValue);
    // A registry is used for the ports it lists; `*` and patterns are not followed here, the name must be listed.
    if (!packages.some((p) => p === 'liblzma' || p === '*')) continue;
    baseline(cx, member(r, 'baseline'), 'registries baseline', usesLiblzma);
  }
}

/** Whether a registry is the built-in one, or a git registry of the microsoft/vcpkg repository. */
function builtin(registry: Node): boolean {
  const kind = stringValue(member(registry, 'kind'));
  if (kind === 'builtin') return true;
  const repository = stringValue(member(registry, 'repository'));
  return kind === 'git' && repository !== undefined && builtinRepos.test(repository);
}

function baseline(cx: Cx, node: Node | undefined, what: string, usesLiblzma: boolean): void {
  if (!usesLiblzma || !plainString(cx.text, node)) return;
  const commit = String(node!.value);
  if (!liblzma560Baselines.has(commit.toLowerCase())) return;
  const located = literalAt(commit, node!.offset + 1);
  cx.out.push({
    kind: 'package', ecosystem: 'vcpkg', name: 'liblzma', version: '5.6.0', range: spanRange(cx.lines, located), context: what,
    via: `${what} ${commit}`,
    fix: { kind: 'none', reason: 'That vcpkg commit\'s baseline has liblzma 5.6.0: move the baseline to a commit from 2024-03-30 (ce191640) or later, or override liblzma with a safe version.' },
  });
}

/** A package reference at a version string (`5.6.0`, or `5.6.0#1` with its port version). */
function versionRef(cx: Cx, name: string, node: Node, context: string): PackageReference | undefined {
  const value = String(node.value);
  const hash = value.indexOf('#');
  const version = hash >= 0 ? value.slice(0, hash) : value;
  if (version === '') return undefined;
  return packageAt(cx.lines, 'vcpkg', name, literalAt(version, node.offset + 1), context);
}

/**
 * Whether a manifest (a node, or a text that is read) depends on liblzma with nothing but the baseline choosing its
 * version: an override decides it, and so does a `version>=` above 5.6.0 (vcpkg takes the highest of the floors
 * and the baseline).
 */
function namesLiblzma(source: Node | string | undefined): boolean {
  const root = typeof source === 'string' ? (tooDeep(source) ? undefined : parseTree(source, [], { allowTrailingComma: true })) : source;
  if (!root || root.type !== 'object') return false;
  const isLiblzma = (n: Node) => (n.type === 'string' ? String(n.value) : stringValue(member(n, 'name')))?.toLowerCase() === 'liblzma';
  if (items(member(root, 'overrides')).some(isLiblzma)) return false;
  const deps = items(member(root, 'dependencies')).filter(isLiblzma);
  const scheme = schemeFor('vcpkg');
  return deps.length > 0 && deps.every((d) => {
    const floor = stringValue(member(d, 'version>='))?.split('#')[0];
    return floor === undefined || scheme.compare(floor, '5.6.0') <= 0;
  });
}

function member(node: Node | undefined, key: string): Node | undefined {
  if (node?.type !== 'object') return undefined;
  return node.children?.find((p) => p.children?.[0]?.value === key)?.children?.[1];
}

function items(node: Node | undefined): Node[] {
  return node?.type === 'array' ? node.children ?? [] : [];
}

function stringValue(node: Node | undefined): string | undefined {
  return node?.type === 'string' ? String(node.value) : undefined;
}

/** A string node written as it reads (no escapes), so that its characters are at consecutive offsets. */
function plainString(text: string, node: Node | undefined): boolean {
  return node?.type === 'string' && node.length === String(node.value).length + 2 && !text.slice(node.offset, node.offset + node.length).includes('\\');
}

/** Whether a JSON text nests deeper than the recursive parser should descend. */
function tooDeep(text: string): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) { if (++depth > 512) return true; } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
