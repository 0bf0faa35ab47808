/**
 * The folder walker shared by the language server's workspace scan and the CLI: it finds the files a format
 * reads, skipping dependency and version-control folders, excluded paths and symlink loops, and naming what it
 * could not or would not read (oversized files, unlistable folders, links out of the roots).
 *
 *     for await (const entry of walk(['/repo'], { exclude: ['vendor'] })) {
 *       if (entry.skipped) console.warn(`${entry.path}: ${entry.skipped}`);
 *       else analyze(entry.path, readFileSync(entry.path, 'utf8'), settings);
 *     }
 */
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import type { Dirent, Stats } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isAbsolute, relative, sep } from 'node:path';
import { formatFor } from './formats/index';
import { isLibraryPath } from './libraries';

/** Folders never entered: installed dependencies and version-control metadata. */
export const skippedDirectories: readonly string[] = ['node_modules', '.git', '.hg', '.svn', '.bzr', '_darcs', 'CVS', '.jj', '.sl'];

/** The default size cap: a file larger than this is reported as skipped, not read. */
export const defaultMaxFileBytes = 50 * 1024 * 1024;

/** What `walk` may be told. */
export interface WalkOptions {
  /** Globs of paths to leave out (see `matchesGlob`), matched against the path relative to its root. */
  exclude?: readonly string[];
  /** Files larger than this many bytes are yielded as skipped (default 50 MB). */
  maxFileBytes?: number;
  /** Polled between entries; the walk stops quietly once it returns true. */
  isCancelled?: () => boolean;
  /** Also yield image archives (`.tar` files, and OCI layout folders, which are then not entered), marked `archive`. */
  archives?: boolean;
  /**
   * False when the caller applies the size cap as it reads (the CLI does, from the `fstat` its read makes anyway):
   * a file found in a listing is then yielded without a `stat` of its own, and without `size`.
   */
  checkSize?: boolean;
  /**
   * Told each folder's path and its entries (sorted by name) as it is listed, before its files are yielded (the
   * policy search looks for its file among them). The entries are the walk's own: not to be kept or changed.
   */
  onFolder?: (dir: string, entries: readonly { readonly name: string }[]) => void;
  /** Told of each symbolic link in a folder it lists (not excluded), followed or not: a scan with none knows every path it yields is real below its root. */
  onLink?: (path: string) => void;
}

/** A file the walk found: read it, or, when `skipped` is set, report why it was not. */
export interface WalkEntry {
  /** The file's path: a root joined with the relative path, not resolved through symlinks. */
  path: string;
  /** Its size in bytes (0 for a folder or link that was not entered); absent when `checkSize` is false. */
  size?: number;
  /**
   * Why the path is not to be read, when it is not: a file over the size cap, a folder that cannot be listed, a
   * broken link, or a link whose target lies outside every root.
   */
  skipped?: string;
  /** Set on an image archive (a `.tar` file or an OCI layout folder) that `archives` asked for. */
  archive?: true;
}

/** Whether a path names an archive the walk yields with `archives` (a `.tar`). */
export function isArchiveName(path: string): boolean {
  return path.toLowerCase().endsWith('.tar');
}

/**
 * The files under `roots` that a format reads, in a stable order (each folder's entries sorted by name). A root
 * that is itself such a file is yielded as is; a missing root yields nothing (the caller checks the names it was
 * given). Nothing the scan should read is passed over silently: a folder that cannot be listed, a broken link
 * named like a file a format reads, and a link that leads out of every root (so that neither reading nor `--fix`
 * goes outside the folders the user named) are yielded as skipped, with the reason. Links inside the roots are
 * followed once: a folder already visited (by its real path) is not entered again, which breaks loops.
 *
 * The walk itself is `walkSync`'s (synchronous calls are 4-8 times faster than their promise forms on a big
 * tree); this form gives the event loop a turn every `walkChunk` entries, so a language server stays responsive.
 */
export async function* walk(roots: readonly string[], options: WalkOptions = {}): AsyncGenerator<WalkEntry> {
  let count = 0;
  for (const entry of walkSync(roots, options)) {
    yield entry;
    if (++count % walkChunk === 0) await new Promise((resolve) => setImmediate(resolve));
  }
}

/** How many folder entries `walk` visits between turns of the event loop. */
const walkChunk = 256;

/** The walk of `walk`, synchronously: the same entries in the same order, for the CLI. */
export function* walkSync(roots: readonly string[], options: WalkOptions = {}): Generator<WalkEntry> {
  const maxFileBytes = options.maxFileBytes ?? defaultMaxFileBytes;
  const exclude = (options.exclude ?? []).map(globToRegExp);
  const isCancelled = options.isCancelled ?? (() => false);
  const visited = new Set<string>();
  const inside = scopeOf(roots);
  // Libraries and archives are streamed, never read whole, so the size cap is for the text formats only.
  const isStreamed = (path: string): boolean => isLibraryPath(path) || (options.archives === true && isArchiveName(path));
  const wanted = (path: string): boolean => formatFor(path) !== undefined || isStreamed(path);

  function* file(path: string): Generator<WalkEntry> {
    const info = statQuiet(path);
    if (!info?.isFile()) return;
    if (options.archives === true && isArchiveName(path)) yield { path, size: info.size, archive: true };
    else if (info.size > maxFileBytes && !isStreamed(path)) yield { path, size: info.size, skipped: overCap(info.size, maxFileBytes) };
    else yield { path, size: info.size };
  }

  // A folder reached from its parent by a plain (not linked) entry has the parent's real path joined with its
  // name, so only roots and link targets are resolved.
  function* folder(root: string, dir: string, known?: string): Generator<WalkEntry> {
    const real = known ?? realpathQuiet(dir);
    if (real === undefined || visited.has(real)) return;
    visited.add(real);
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      yield { path: dir, size: 0, skipped: describeError(error) };
      return;
    }
    if (options.archives === true && dir !== root && entries.some((e) => e.name === 'oci-layout' && e.isFile())) {
      yield { path: dir, size: 0, archive: true };
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    options.onFolder?.(dir, entries);
    // Listed names hold no separator and are never `.` or `..`, so joining is concatenation.
    const prefix = dir.endsWith(sep) ? dir : dir + sep;
    for (const entry of entries) {
      if (isCancelled()) return;
      const path = prefix + entry.name;
      if (exclude.length > 0) {
        const relativePath = relative(root, path).split(sep).join('/');
        if (exclude.some((glob) => glob.test(relativePath))) continue;
      }
      if (entry.isSymbolicLink()) {
        options.onLink?.(path);
        const target = realpathQuiet(path);
        const info = target === undefined ? undefined : statQuiet(target);
        const isDirectory = info?.isDirectory() === true;
        if (isDirectory ? skippedDirectories.includes(entry.name) : !wanted(path)) continue;
        if (target === undefined || info === undefined) yield { path, size: 0, skipped: 'broken symbolic link' };
        else if (!inside(target)) yield { path, size: 0, skipped: `symbolic link to ${target}, outside the scanned folders` };
        else if (isDirectory) yield* folder(root, path);
        else yield* file(path);
      } else if (entry.isDirectory()) {
        if (!skippedDirectories.includes(entry.name)) yield* folder(root, path, (real.endsWith(sep) ? real : real + sep) + entry.name);
      } else if (wanted(path)) {
        if (options.checkSize !== false) yield* file(path);
        else if (entry.isFile()) yield options.archives === true && isArchiveName(path) ? { path, archive: true } : { path };
      }
    }
  }

  for (const root of roots) {
    if (isCancelled()) return;
    const info = statQuiet(root);
    if (!info) continue;
    if (info.isDirectory()) yield* folder(root, root);
    else if (wanted(root)) yield* file(root);
  }
}

function statQuiet(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function realpathQuiet(path: string): string | undefined {
  try {
    // The native call, as `fs.promises.realpath` makes.
    return realpathSync.native(path);
  } catch {
    return undefined;
  }
}

/**
 * Whether a real path lies within the scan's roots: under a folder root, or a file root itself (each by its real
 * path, so a root the user named through a link still counts).
 */
function scopeOf(roots: readonly string[]): (real: string) => boolean {
  const folders: string[] = [];
  const files: string[] = [];
  for (const root of roots) {
    const real = realpathQuiet(root);
    const info = real === undefined ? undefined : statQuiet(real);
    if (info?.isDirectory()) folders.push(real!);
    else if (info) files.push(real!);
  }
  return (real) => files.includes(real) || folders.some((folder) => isWithin(folder, real));
}

/** Whether `path` is `folder` or below it (both absolute and resolved). */
export function isWithin(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** A one-line reason for a file system error: the errno's meaning ("permission denied"), else its message. */
export function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const known: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ENOENT: 'no such file or directory',
    ENOTDIR: 'not a directory',
    EISDIR: 'is a directory',
    ELOOP: 'too many levels of symbolic links',
    EMFILE: 'too many open files',
    EIO: 'input/output error',
  };
  return (code !== undefined && known[code]) || (error instanceof Error ? error.message : String(error));
}

/**
 * Whether a path (relative, `/`-separated) matches an exclude glob. `**` matches any number of whole segments
 * (none too), `*` any run of characters within a segment, `?` one character within a segment. A glob without `/`
 * matches a file or folder name at any depth, as `.gitignore` does; a leading `/` or `./` anchors at the root.
 */
export function matchesGlob(path: string, glob: string): boolean {
  return globToRegExp(glob).test(path);
}

/**
 * Whether exclude globs leave out a file, as the walker would: matched against its path relative to each root
 * that contains it, or, outside every root, against its absolute path (where only unanchored globs can match).
 */
export function isExcluded(path: string, roots: readonly string[], exclude: readonly string[]): boolean {
  if (exclude.length === 0) return false;
  const globs = exclude.map(globToRegExp);
  const inside = roots.map((root) => relative(root, path)).filter((r) => r !== '' && !r.startsWith('..') && !isAbsolute(r));
  const candidates = inside.length > 0 ? inside : [path.replace(/^[/\\]+/, '')];
  return candidates.some((candidate) => globs.some((glob) => glob.test(candidate.split(sep).join('/'))));
}

/** The regular expression for an exclude glob (see `matchesGlob`). */
export function globToRegExp(glob: string): RegExp {
  let pattern = glob.trim().replace(/\\/g, '/');
  const anchored = pattern.startsWith('/') || pattern.startsWith('./');
  pattern = pattern.replace(/^\.?\/+/, '');
  // Trailing slashes are trimmed by hand: `/\/+$/` retries every slash of a long run.
  while (pattern.endsWith('/')) pattern = pattern.slice(0, -1);
  if (!anchored && !pattern.includes('/')) pattern = `**/${pattern}`;
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (pattern.startsWith('**/', i)) {
      source += '(?:.*/)?';
      i += 2;
    } else if (pattern.startsWith('/**', i) && i + 3 === pattern.length) {
      source += '(?:/.*)?';
      i += 2;
    } else if (pattern.startsWith('**', i)) {
      source += '.*';
      i += 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  // A matched folder excludes everything below it.
  return new RegExp(`^${source}(?:/.*)?$`);
}

/** Why a file of `size` bytes is not read under a cap of `cap` bytes. */
export function overCap(size: number, cap: number = defaultMaxFileBytes): string {
  return `larger than the ${formatBytes(cap)} cap (${formatBytes(size)})`;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB` : `${bytes} bytes`;
}

/** The file system path of a `file:` URI; undefined for any other scheme (an untitled buffer) or a malformed URI. */
export function pathOfUri(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

/** A file's text as UTF-8; undefined when there is no path or the file cannot be read. */
export function readTextFile(path: string | undefined): string | undefined {
  try {
    return path === undefined ? undefined : readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
