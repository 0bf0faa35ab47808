/**
 * The fast pass over an npm lockfile: `JSON.parse`, then every installed registry package as (name, version, key
 * path), with npm's aliases resolved to the real package. No offsets are kept here; see locate.ts for those.
 */

/** One installed package in a lockfile: the real package name, its exact version, and the key path to its entry. */
export interface LockEntry {
  name: string;
  version: string;
  /** Keys from the root to the entry object: ['packages', 'node_modules/a'] or ['dependencies', 'a', 'dependencies', 'b']. */
  path: string[];
  /** The name it is installed under, when that is an alias of `name` ("my-chalk" for `npm:chalk@5.6.1`). */
  alias?: string;
  /** The package whose published tarball carries this one (`inBundle`, or v1's `bundled`), when it is bundled. */
  bundledBy?: string;
}

const NODE_MODULES = 'node_modules/';

/**
 * How deep v1's nested `dependencies` are followed. npm nests a copy only where versions conflict, so real trees
 * stay within a few dozen levels; the cap keeps a crafted file from exhausting the stack or copying long key paths.
 */
const MAX_V1_DEPTH = 200;

/**
 * The installed registry packages of a package-lock.json or npm-shrinkwrap.json (lockfileVersion 1, 2 or 3), in the
 * parser's key order; undefined when the text is not JSON or not an npm lockfile. The root project, workspace
 * folders and links, and packages that come from git, a repository's source archive or a local folder are left
 * out: none of them is a registry release that an advisory could name. A package from another tarball URL is kept,
 * named as its lockfile entry says.
 */
export function packageLockEntries(text: string): LockEntry[] | undefined {
  let root: unknown;
  try {
    // A byte-order mark is not JSON, but editors keep it; the located lookup skips it too.
    root = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    return undefined;
  }
  return lockEntriesOf(root);
}

/**
 * The installed registry packages of a parsed lockfile (see `packageLockEntries`); undefined when the value is not
 * an npm lockfile. Used as is for a value that a tolerant parser recovered from invalid JSON.
 */
export function lockEntriesOf(root: unknown): LockEntry[] | undefined {
  if (!isObject(root)) return undefined;
  // lockfileVersion 2 carries both shapes; `packages` is the complete one, `dependencies` is there for npm 6.
  if (isObject(root.packages)) {
    const out = packagesEntries(root.packages);
    // Each install is read once: from `packages`, or from `dependencies` when a hand-edited file lists it only there.
    // A loop, not push(...): a spread of a hundred thousand entries would overflow the stack.
    if (isObject(root.dependencies)) for (const entry of legacyOnly(root.packages, root.dependencies)) out.push(entry);
    return out;
  }
  if (isObject(root.dependencies)) {
    const out: LockEntry[] = [];
    dependenciesEntries(root.dependencies, ['dependencies'], 1, out);
    return out;
  }
  // A lockfile with nothing installed may have neither field; anything else without a version is not a lockfile.
  return typeof root.lockfileVersion === 'number' ? [] : undefined;
}

/**
 * The entries of a v2 lockfile's `dependencies` tree whose install path (`node_modules/a/node_modules/b` for
 * a → b) `packages` does not have. What sits under a git, file or link entry is left out: its install path is
 * the link's target, which `packages` keys differently (`packages/foo/node_modules/b`).
 */
function legacyOnly(packages: Record<string, unknown>, dependencies: Record<string, unknown>): LockEntry[] {
  const out: LockEntry[] = [];
  const walk = (tree: Record<string, unknown>, path: string[], installPath: string, depth: number, carrier?: string): void => {
    for (const key of Object.keys(tree)) {
      const entry = tree[key];
      if (!isObject(entry)) continue;
      const at = installPath === '' ? NODE_MODULES + key : `${installPath}/${NODE_MODULES}${key}`;
      // Most entries are in `packages` too; only the others are read in full.
      if (!Object.prototype.hasOwnProperty.call(packages, at)) dependenciesEntries({ [key]: entry }, path, MAX_V1_DEPTH, out, carrier);
      const spec = typeof entry.version === 'string' ? entry.version : '';
      const registry = isRegistryVersion(parseAlias(spec)?.version ?? spec);
      if (registry && isObject(entry.dependencies) && depth < MAX_V1_DEPTH) {
        walk(entry.dependencies, [...path, key, 'dependencies'], at, depth + 1, entry.bundled === true && carrier !== undefined ? carrier : key);
      }
    }
  };
  walk(dependencies, ['dependencies'], '', 1);
  return out;
}

/** v2/v3: `packages` keyed by install path ("node_modules/a/node_modules/@s/b"); "" is the project itself. */
function packagesEntries(packages: Record<string, unknown>): LockEntry[] {
  const out: LockEntry[] = [];
  for (const key of Object.keys(packages)) {
    const entry = packageEntryAt(packages, key);
    if (entry) out.push(entry);
  }
  return out;
}

/**
 * The installed registry package at one key of a lockfile's `packages` object, or undefined when that entry is
 * the project itself, a workspace folder, a link or not a registry release.
 */
export function packageEntryAt(packages: Record<string, unknown>, key: string): LockEntry | undefined {
  const entry = packages[key];
  if (!isObject(entry) || entry.link === true) return undefined;
  const at = key.lastIndexOf(NODE_MODULES);
  // Keys without node_modules/ are the root and workspace folders: the project's own code.
  if (at < 0 || (at > 0 && key.charCodeAt(at - 1) !== 0x2f)) return undefined;
  const version = entry.version;
  if (typeof version !== 'string' || !isRegistryVersion(version) || !fromRegistry(entry.resolved)) return undefined;
  const installedAs = key.slice(at + NODE_MODULES.length);
  // An alias (`"x": "npm:real@1.2.3"`) is installed under its alias; `name` (or the tarball URL) names the real one.
  const name = typeof entry.name === 'string' && entry.name !== '' ? entry.name : nameFromResolved(entry.resolved, installedAs);
  if (name === '') return undefined;
  const bundledBy = entry.inBundle === true ? bundlerOf(packages, key) : undefined;
  return { name, version, path: ['packages', key], ...(name === installedAs ? {} : { alias: installedAs }), ...(bundledBy ? { bundledBy } : {}) };
}

/** v1: a tree of `dependencies`, keyed by the name each package is installed under. */
function dependenciesEntries(dependencies: Record<string, unknown>, path: string[], depth: number, out: LockEntry[], parent?: string): void {
  for (const key of Object.keys(dependencies)) {
    const entry = dependencies[key];
    if (!isObject(entry)) continue;
    const entryPath = [...path, key];
    const spec = entry.version;
    if (typeof spec === 'string') {
      const alias = parseAlias(spec);
      const version = alias ? alias.version : spec;
      if (isRegistryVersion(version) && fromRegistry(entry.resolved)) {
        const name = alias?.name ?? nameFromResolved(entry.resolved, key);
        // v1 marks each bundled package `bundled`, under the package whose tarball carries it.
        const bundledBy = entry.bundled === true && parent !== undefined ? parent : undefined;
        out.push({ name, version, path: entryPath, ...(name === key ? {} : { alias: key }), ...(bundledBy ? { bundledBy } : {}) });
      }
    }
    if (isObject(entry.dependencies) && depth < MAX_V1_DEPTH) {
      // Packages bundled inside a bundled package are carried by the same outermost tarball.
      const carrier = entry.bundled === true && parent !== undefined ? parent : key;
      dependenciesEntries(entry.dependencies, [...entryPath, 'dependencies'], depth + 1, out, carrier);
    }
  }
}

/**
 * The package whose tarball carries a bundled entry: the nearest enclosing install path that is not itself in a
 * bundle (`node_modules/b` for `node_modules/b/node_modules/c/node_modules/chalk` when c is bundled too).
 */
function bundlerOf(packages: Record<string, unknown>, key: string): string | undefined {
  let at = key.lastIndexOf(`/${NODE_MODULES}`);
  while (at > 0) {
    const outer = key.slice(0, at);
    const entry = packages[outer];
    const start = outer.lastIndexOf(NODE_MODULES);
    // A workspace folder or the project itself is installed from source, so its bundled packages come from the registry.
    if (start < 0) return undefined;
    if (!isObject(entry) || entry.inBundle !== true) return outer.slice(start + NODE_MODULES.length);
    at = outer.lastIndexOf(`/${NODE_MODULES}`);
  }
  return undefined;
}

/** The real name behind an install path, from the tarball URL when it names another package (an alias). */
function nameFromResolved(resolved: unknown, installedAs: string): string {
  // The common case, checked first because decoding every URL is most of this pass's cost on big lockfiles.
  if (typeof resolved !== 'string') return installedAs;
  const dash = resolved.lastIndexOf('/-/');
  if (dash > installedAs.length && resolved.charCodeAt(dash - installedAs.length - 1) === 0x2f && resolved.startsWith(installedAs, dash - installedAs.length)) {
    return installedAs;
  }
  return tarballName(resolved) ?? installedAs;
}

/** `npm:real-name@1.2.3` (v1's spelling of an alias) as name and version; undefined for anything else. */
export function parseAlias(spec: string): { name: string; version: string } | undefined {
  if (!spec.startsWith('npm:')) return undefined;
  // The separator is the last "@" that is not the first character of the name (a scope's "@").
  const at = spec.lastIndexOf('@');
  if (at <= 4) return undefined;
  return { name: spec.slice(4, at), version: spec.slice(at + 1) };
}

/**
 * The real package name in a registry tarball URL (`…/<name>/-/<basename>-<version>.tgz`, with an optional
 * `@scope/` or `@scope%2f` before the name and any registry prefix before that); undefined for other URLs.
 */
export function tarballName(resolved: unknown): string | undefined {
  if (typeof resolved !== 'string') return undefined;
  const dash = resolved.lastIndexOf('/-/');
  if (dash < 0 || !resolved.endsWith('.tgz')) return undefined;
  const before = resolved.slice(0, dash);
  const nameStart = before.lastIndexOf('/') + 1;
  let name = safeDecode(before.slice(nameStart));
  if (name === undefined || name === '') return undefined;
  if (!name.startsWith('@')) {
    const scopeStart = before.lastIndexOf('/', nameStart - 2) + 1;
    const scope = before.slice(scopeStart, nameStart - 1);
    if (scope.startsWith('@') && scopeStart > 0) name = `${scope}/${name}`;
  }
  // The file name repeats the unscoped name; when it does not, this is not a registry tarball.
  const file = resolved.slice(dash + 3);
  const unscoped = name.slice(name.indexOf('/') + 1);
  return file.startsWith(`${unscoped}-`) ? name : undefined;
}

/**
 * Whether a lockfile version is a registry release rather than a git, file, link or URL spec (which v1 writes in
 * `version`): a semver-like string that starts with a digit.
 */
function isRegistryVersion(version: string): boolean {
  const c = version.charCodeAt(0);
  return c >= 0x30 && c <= 0x39 && version.indexOf(':') < 0 && version.indexOf('/') < 0;
}

/** Hosts that serve a repository's source as a tarball (`https://codeload.github.com/o/r/tar.gz/<sha>`), never a registry release. */
const sourceHosts = /^https?:\/\/(?:codeload\.github\.com|github\.com|gitlab\.com|bitbucket\.org)\//i;

/**
 * Whether `resolved` (when present) points at a registry tarball, not at git, a repository's source archive or
 * the local disk: a compromised release is the tarball published to the registry, not the repository's source.
 */
function fromRegistry(resolved: unknown): boolean {
  if (typeof resolved !== 'string') return true;
  return (resolved.startsWith('https://') || resolved.startsWith('http://')) && !sourceHosts.test(resolved);
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
