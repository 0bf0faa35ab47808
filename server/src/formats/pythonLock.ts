/**
 * Python's TOML lockfiles: poetry.lock, uv.lock, pdm.lock and PEP 751's pylock.toml. Each lists one table per locked
 * package (`[[package]]`, or `[[packages]]` in pylock.toml) with its name and exact version; a package from an index
 * is a reference to that release at the characters inside its version's quotes. Packages from git, a local path or
 * a direct URL are not index releases and give nothing. A lockfile is fixed where its tool lets a version be forced:
 * uv's `constraint-dependencies` in pyproject.toml, a pin in Poetry's `[tool.poetry.dependencies]`; pdm.lock and
 * pylock.toml have no such place, so the message says what to run.
 */
import type { Extracted, Format, PackageReference } from '../model';
import { entryOf, readToml, samePath, stringOf, type TomlNode, type TomlStatement } from './python/toml';
import { normalizeName, positioned, siblingPath, type Found } from './python/references';
import { formatPatterns } from './patterns';

/** Which lockfile a text is, which decides its package table, its sources and its fix. */
type Locker = 'poetry' | 'uv' | 'pdm' | 'pylock';

/** The keys of a package table that decide whether it is an index release, per locker. */
const readKeys: Record<Locker, ReadonlySet<string>> = {
  poetry: new Set(['name', 'version']),
  uv: new Set(['name', 'version', 'source']),
  pdm: new Set(['name', 'version', 'git', 'path', 'url', 'editable', 'revision']),
  pylock: new Set(['name', 'version', 'vcs', 'directory', 'archive']),
};

/** A package table's values read so far. */
interface Package {
  values: Map<string, TomlNode>;
  /** Poetry's `[package.source]` type, when the package has one. */
  sourceType?: string;
  /** Whether something in the table says it is not from an index (pylock.toml's `[packages.vcs]`, …). */
  notIndex: boolean;
}

/** Reads one lockfile: its index packages, each at its version, with the fix its locker allows. */
function extractLock(locker: Locker, label: string, text: string, path: string): Extracted[] {
  const table = locker === 'pylock' ? 'packages' : 'package';
  const keys = readKeys[locker];
  const read = readToml(text, label, (at, key) => {
    if (key.length !== 1) return false;
    if (at.length === 1 && at[0] === table) return keys.has(key[0]!);
    // Poetry's `[package.source]` says where a package came from.
    return locker === 'poetry' && samePath(at, [table, 'source']) && key[0] === 'type';
  });
  const packages = new Map<number, Package>();
  let createdBy: string | undefined;
  for (const s of read.statements) {
    if (s.element < 0 || read.headers[s.element]!.path[0] !== table || read.headers[s.element]!.path.length !== 1) continue;
    const entry = packages.get(s.element) ?? { values: new Map<string, TomlNode>(), notIndex: false };
    packages.set(s.element, entry);
    if (s.table.length === 2) entry.sourceType ??= stringOf(s.value);
    else if (!entry.values.has(s.key[0]!)) entry.values.set(s.key[0]!, s.value);
  }
  // A sub-table under a package (`[packages.vcs]`, `[package.source]` of a git package) also says where it came from.
  read.headers.forEach((h, i) => {
    if (h.array || h.path.length !== 2 || h.path[0] !== table) return;
    const owner = elementOf(read.headers, i, table);
    if (owner < 0) return;
    const entry = packages.get(owner) ?? { values: new Map<string, TomlNode>(), notIndex: false };
    packages.set(owner, entry);
    if (locker === 'pylock' && (h.path[1] === 'vcs' || h.path[1] === 'directory' || h.path[1] === 'archive')) entry.notIndex = true;
  });
  if (locker === 'pylock') createdBy = createdByOf(text, label);
  const found: Found[] = [];
  for (const entry of packages.values()) {
    const name = stringOf(entry.values.get('name'));
    const version = entry.values.get('version');
    if (name === undefined || name === '' || version?.kind !== 'string' || !version.exact || version.value === '') continue;
    if (!fromIndex(locker, entry)) continue;
    const normalized = normalizeName(name);
    found.push({
      ref: { kind: 'package', ecosystem: 'PyPI', name: normalized, version: version.value, context: label, fix: lockFix(locker, path, normalized, createdBy) },
      start: version.start,
      end: version.end,
    });
  }
  return [...positioned(text, found), ...read.problems];
}

/** The index of the `[[table]]` header a sub-table header at `i` belongs to, or -1. */
function elementOf(headers: ReturnType<typeof readToml>['headers'], i: number, table: string): number {
  for (let j = i - 1; j >= 0; j--) if (headers[j]!.array && headers[j]!.path.length === 1 && headers[j]!.path[0] === table) return j;
  return -1;
}

/** Whether a package table is a release from a package index, by what its locker writes for other sources. */
function fromIndex(locker: Locker, entry: Package): boolean {
  const has = (key: string): boolean => entry.values.has(key);
  switch (locker) {
    // Poetry writes a `[package.source]` for git, path, file and URL packages; `legacy` is another index.
    case 'poetry':
      return entry.sourceType === undefined || entry.sourceType === 'legacy';
    case 'uv': {
      const source = entry.values.get('source');
      return source !== undefined && entryOf(source, 'registry') !== undefined;
    }
    case 'pdm':
      return !has('git') && !has('path') && !has('url') && !has('editable') && !has('revision');
    case 'pylock':
      return !entry.notIndex && !has('vcs') && !has('directory') && !has('archive');
  }
}

/** pylock.toml's top-level `created-by`, named in the message of what to run. */
function createdByOf(text: string, label: string): string | undefined {
  const read = readToml(text.slice(0, Math.min(text.length, 64 * 1024)), label, (at, key) => at.length === 0 && samePath(key, ['created-by']));
  const s = read.statements.find((st: TomlStatement) => st.table.length === 0);
  return stringOf(s?.value);
}

/** How a locked package is fixed: in the manifest its locker reads, or no edit with the command to run. */
function lockFix(locker: Locker, path: string, name: string, createdBy: string | undefined): PackageReference['fix'] {
  switch (locker) {
    case 'uv':
      return { kind: 'python-manifest', manifest: siblingPath(path, 'pyproject.toml'), tool: 'uv' };
    case 'poetry':
      return { kind: 'python-manifest', manifest: siblingPath(path, 'pyproject.toml'), tool: 'poetry' };
    case 'pdm':
      return { kind: 'none', reason: `pdm.lock is written by pdm: require a safe release of ${name} in pyproject.toml, then run pdm update ${name}.` };
    case 'pylock':
      return { kind: 'none', reason: `pylock.toml is written by ${createdBy ? `${createdBy}` : 'the tool that locked the project'}: require a safe release of ${name} and regenerate it (${regenerate(createdBy)}).` };
  }
}

/** The command that rewrites a pylock.toml, by the tool its `created-by` names. */
function regenerate(createdBy: string | undefined): string {
  const tool = createdBy?.toLowerCase() ?? '';
  if (tool.startsWith('uv')) return 'uv lock --upgrade-package, then uv export --format pylock.toml';
  if (tool.startsWith('pdm')) return 'pdm update, then pdm export --format pylock';
  if (tool.startsWith('pip')) return 'pip lock';
  return 'pip lock, uv export --format pylock.toml or pdm export --format pylock';
}

function lockFormat(id: keyof typeof formatPatterns, locker: Locker, label: string): Format {
  return {
    id,
    patterns: [...formatPatterns[id]],
    commentPrefix: '#',
    // The lockfiles of the largest projects are a few MB (uv.lock lists every wheel's URL and hash); past 32 MB a
    // file is not a lockfile anyone maintains.
    maxLength: 32 * 1024 * 1024,
    extract(text: string, path: string): Extracted[] {
      return extractLock(locker, locker === 'pylock' ? basenameOf(path, label) : label, text, path);
    },
  };
}

/** A pylock file's own name (`pylock.dev.toml`), for its messages. */
function basenameOf(path: string, fallback: string): string {
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  return name === '' ? fallback : name;
}

/** poetry.lock: Poetry's lockfile; fixed by a pin in pyproject.toml's `[tool.poetry.dependencies]`. */
export const poetryLock = lockFormat('pypi/poetry.lock', 'poetry', 'poetry.lock');
/** uv.lock: uv's lockfile; fixed by `constraint-dependencies` in pyproject.toml's `[tool.uv]`. */
export const uvLock = lockFormat('pypi/uv.lock', 'uv', 'uv.lock');
/** pdm.lock: PDM's lockfile; no edit (pdm has no place that forces a version), the message says what to run. */
export const pdmLock = lockFormat('pypi/pdm.lock', 'pdm', 'pdm.lock');
/** pylock.toml and pylock.*.toml (PEP 751); no edit, the message says what to run. */
export const pylock = lockFormat('pypi/pylock.toml', 'pylock', 'pylock.toml');
