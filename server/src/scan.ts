/**
 * The CLI's scan: walks the given paths, analyses each file from disk, and with `fix` applies each finding's
 * preferred fix in place, re-analysing until nothing more can be fixed (an npm override is added per pass).
 */
import { closeSync, existsSync, fstatSync, openSync, readdirSync, readFileSync, readSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { AdvisoryIndex } from './advisories/index';
import { analyzeBytes, analyzeFile as analyzeText, type Analysis } from './engine';
import { applyEdits, compatibleFixes } from './edits';
import type { Finding, Fix, FixEdit, Settings } from './model';
import type { FileResult, ScanResult, UnreadPath } from './report/types';
import { defaultMaxFileBytes, describeError, isWithin, overCap, walkSync } from './workspace';
import { fileText } from './fileText';
import { formatFor } from './formats/index';
import { isOciFolder, looksLikeTar } from './image/archive';
import { scanImage } from './image/image';
import { checkLibraryFile, isLibraryPath } from './libraries';
import { startPool, type PoolPlan, type ScanPool } from './scanPool';

/** What the scan is asked to do. */
export interface ScanOptions {
  paths: string[];
  cwd: string;
  settings: Settings;
  exclude: string[];
  fix: boolean;
  /** Leaves out the files it returns false for (a policy file's `exclude`), before anything reads them; with `member`, a member of the image at `path`. */
  keep?: (path: string, member?: string) => boolean;
  /** Changes a file's findings before `--fix` and the report see them (a policy file's suppressions and severities); with `member`, as for `keep`. */
  adjust?: (path: string, findings: Finding[], member?: string) => Finding[];
  /** The advisory index a file is judged by, when it is not the run's default (a policy file's `advisories`). */
  index?: (path: string) => AdvisoryIndex | undefined;
  /** Also open the image archives (`.tar` files, OCI layout folders) a folder holds; a PATH that is one is always read. */
  archives?: boolean;
  /** Told of each folder the walk lists, with its entries (a policy search uses them instead of looking again). */
  folder?: (dir: string, entries: readonly { readonly name: string }[]) => void;
  /** Worker threads for a big scan (see scanPool.ts); without it, every file is read on this thread. */
  pool?: PoolPlan;
}

/** One change `--fix` made. */
export interface AppliedFix {
  path: string;
  line: number;
  title: string;
  oldText: string;
  newText: string;
}

/** A scan's result and, with `fix`, what it changed. */
export interface ScanOutcome {
  /** The report's input; `result.unread` lists what could not be read, and `filesScanned` does not count it. */
  result: ScanResult & { unread: UnreadPath[] };
  fixed: AppliedFix[];
  /** How many files worker threads analysed (0 without a pool). */
  workerFiles: number;
}

/** An error the user must fix (a path that cannot be read, a bad flag): the CLI exits 2 with its message. */
export interface UserError extends Error {
  userError: true;
}

/** Makes a UserError with a one-line message. */
export function userError(message: string): UserError {
  return Object.assign(new Error(message), { userError: true as const });
}

/** Whether a thrown value is a UserError. */
export function isUserError(error: unknown): error is UserError {
  return error instanceof Error && (error as Partial<UserError>).userError === true;
}

/**
 * Scans paths (files or folders); throws a UserError for a named path that does not exist. Files and folders it
 * should read but cannot (permissions, binary content, the size cap, links out of the roots) are listed in
 * `result.unread`. It reads nothing outside the roots and writes nothing outside them, but for the package.json
 * beside a lockfile named as a root (where that lockfile's fix goes).
 */
export async function scanPaths(options: ScanOptions): Promise<ScanOutcome> {
  const roots = options.paths.map((p) => resolve(options.cwd, p));
  const unread = new Map<string, string>();
  const walked: string[] = [];
  for (const [i, root] of roots.entries()) {
    try {
      statSync(root);
    } catch (error) {
      // A name that does not exist is a usage error; one that exists but cannot be reached is a path not read.
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') throw userError(`cannot read ${options.paths[i]}: ${describeError(error)}`);
      walked.push(root);
      unread.set(root, describeError(error));
    }
  }
  const notes: string[] = [];
  const files: string[] = [];
  // A PATH that is an image (a tar file no format reads, or an OCI layout folder) is read as one, not walked.
  const images = roots.filter(isImageRoot);
  const walkedRoots = roots.filter((root) => !images.includes(root));
  const allowed = withinRoots(roots);
  // Each file's analysis, and the files it read besides itself (a lockfile reads its package.json).
  const analyses = new Map<string, { analysis: Analysis; reads: ReadonlySet<string> }>();
  const record = (path: string, { analysis, reads, unread: reason }: DiskAnalysis): void => {
    if (reason !== undefined) unread.set(path, reason);
    // A policy changes findings only: a file without any keeps its analysis (most files of a big scan).
    const adjusted = options.adjust && analysis.findings.length > 0 ? { ...analysis, findings: options.adjust(path, analysis.findings) } : analysis;
    analyses.set(path, { analysis: adjusted, reads: reads.length === 0 ? readsNothing : new Set(reads) });
  };
  // The files judged by an index of their own (a policy's `advisories`), asked as the walk finds each file: its
  // policy is then the one of the folder just listed.
  const indexes = new Map<string, AdvisoryIndex>();
  const analyzeHere = (path: string): DiskAnalysis => analyzeFromDisk(path, options.settings, allowed, indexes.get(path));
  const analyzeFile = (path: string): void => record(path, analyzeHere(path));
  // With a pool, the files a worker can read as this thread would (the run's own advisories, a text format) are
  // handed out while the walk goes on; the rest are read here afterwards.
  const plan = options.pool;
  let pool: ScanPool | undefined;
  const toPool: string[] = [];
  const here: string[] = [];
  const poolable = (path: string): boolean => {
    const format = formatFor(path);
    return format !== undefined && format.extractBytes === undefined && !indexes.has(path);
  };
  // The size cap is applied as each file is read (readCapped), from what the read finds.
  // Whether the walk met a symbolic link below a root (see `realOf`).
  let linked = false;
  const walkOptions = { exclude: options.exclude, archives: options.archives === true, checkSize: false, onLink: () => (linked = true), ...(options.folder ? { onFolder: options.folder } : {}) };
  let count = 0;
  try {
    for (const entry of walkSync(walkedRoots, walkOptions)) {
      walked.push(entry.path);
      if (entry.skipped) unread.set(entry.path, entry.skipped);
      else if (entry.archive) images.push(entry.path);
      else if (!options.keep || options.keep(entry.path)) {
        files.push(entry.path);
        const index = options.index?.(entry.path);
        if (index !== undefined) indexes.set(entry.path, index);
        if (plan && poolable(entry.path)) {
          toPool.push(entry.path);
          if (!pool && toPool.length >= plan.minFiles) pool = startPool(plan, roots, options.settings, record);
          if (pool && toPool.length % 64 === 0) {
            pool.add(toPool.splice(0));
            // The workers' results arrive as events: let them in.
            await new Promise<void>((resolve) => setImmediate(resolve));
          }
        } else here.push(entry.path);
      }
      if (pool && ++count % 1024 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (pool) pool.add(toPool.splice(0));
    else here.push(...toPool.splice(0));
    // Formats that read bytes load what they need first (sql.js's WebAssembly module), only when such a file is there.
    await Promise.all([...new Set(here.map((path) => formatFor(path)))].map((format) => format?.prepare?.()));
    for (const path of here) analyzeFile(path);
    if (pool) await pool.finish(analyzeHere);
  } catch (error) {
    pool?.stop();
    throw error;
  }
  const fixed: AppliedFix[] = [];
  const realPaths = new Map<string, string>();
  // A file the walk found is its own real path when no root is reached through a link and the walk met none below
  // them (every part of its path is then a folder or file, not a link): a fix of a big tree asks this of every file,
  // which would otherwise be a system call each.
  let walkedReal: ReadonlySet<string> | undefined;
  const realOf = (path: string): string => {
    walkedReal ??= !linked && walkedRoots.every((root) => realQuiet(root) === root) ? new Set(files) : new Set();
    if (walkedReal.has(path)) return path;
    if (!realPaths.has(path)) realPaths.set(path, realQuiet(path) ?? path);
    return realPaths.get(path)!;
  };
  if (options.fix) {
    // Each pass applies the non-conflicting preferred fixes; conflicts (two overrides added to one package.json)
    // resolve in the next pass. Bounded, since every pass must change something. A pass re-analyses only the
    // files whose analysis can have changed: those it edited, those that read an edited file, and those whose
    // fixes edit one; every other analysis (and so its preferred fix) is what a full re-analysis would give.
    // An edit's file by its URI, and whether it is inside the roots, asked once per URI rather than per pass: the
    // passes write file contents only, so no path becomes a link or stops being one between two passes.
    const uriPaths = new Map<string, string>();
    const pathOf = (uri: string): string => {
      let path = uriPaths.get(uri);
      if (path === undefined) uriPaths.set(uri, (path = resolve(fileURLToPath(uri))));
      return path;
    };
    const allowedPaths = new Map<string, boolean>();
    const allowedUri = (uri: string): boolean => {
      const path = pathOf(uri);
      let is = allowedPaths.get(path);
      if (is === undefined) allowedPaths.set(path, (is = allowed(path)));
      return is;
    };
    // Whether a file can take part in a pass other than by being edited: it has a fix, or it reads another file. Most
    // files of a big tree have neither, and a pass looks at those only to ask whether it edited them.
    const involved = (path: string): boolean => {
      const { analysis, reads } = analyses.get(path)!;
      return reads.size > 0 || analysis.findings.some((f) => f.fixes.length > 0);
    };
    const takesPart = Uint8Array.from(files, (path) => (involved(path) ? 1 : 0));
    for (let pass = 0; pass < 20; pass++) {
      const preferred: Fix[] = [];
      for (let i = 0; i < files.length; i++) {
        if (takesPart[i] === 0) continue;
        for (const f of analyses.get(files[i]!)!.analysis.findings) if (f.fixes[0] && !f.suppression) preferred.push(f.fixes[0]);
      }
      const { applied, edited } = applyFixes(preferred.filter((fix) => fix.edits.every((e) => allowedUri(e.uri))), options.cwd);
      if (applied.length === 0) break;
      fixed.push(...applied);
      // Compared by real path: a file linked under two names is edited under both.
      const editedReal = new Set([...edited].map(realOf));
      const isEdited = (p: string): boolean => edited.has(p) || editedReal.has(realOf(p));
      const touches = (i: number): boolean => {
        const path = files[i]!;
        if (isEdited(path)) return true;
        if (takesPart[i] === 0) return false;
        const { analysis, reads } = analyses.get(path)!;
        for (const read of reads) if (isEdited(read)) return true;
        return analysis.findings.some((f) => f.fixes.some((fix) => fix.edits.some((e) => isEdited(pathOf(e.uri)))));
      };
      const again: number[] = [];
      for (let i = 0; i < files.length; i++) if (touches(i)) again.push(i);
      for (const i of again) {
        analyzeFile(files[i]!);
        takesPart[i] = involved(files[i]!) ? 1 : 0;
      }
    }
  }
  // Only a file with something to say is in the report, so only those are named.
  const results: FileResult[] = files.flatMap((path) => {
    const { analysis } = analyses.get(path)!;
    return analysis.findings.length > 0 || analysis.problems.length > 0 || (analysis.notices?.length ?? 0) > 0 ? [{ path: display(options.cwd, path), absolutePath: path, ...analysis }] : [];
  });
  const readCount = files.filter((path) => !unread.has(path)).length;
  const scannedImages = [];
  for (const image of images) scannedImages.push(await scanImage(image, display(options.cwd, image), options.settings, { keep: options.keep, adjust: options.adjust, index: options.index, exclude: options.exclude, roots }));
  return {
    result: {
      files: [...results, ...scannedImages.flatMap((s) => s.files)],
      filesScanned: readCount + scannedImages.reduce((n, s) => n + s.filesScanned, 0),
      notes: [...new Set(notes)],
      unread: [
        ...[...new Set(walked)].filter((path) => unread.has(path)).map((path) => ({ path: display(options.cwd, path), reason: unread.get(path)! })),
        ...scannedImages.flatMap((s) => s.unread),
      ],
    },
    fixed,
    workerFiles: pool?.workerFiles ?? 0,
  };
}

/** The reads of a file that read nothing besides itself (shared: nobody adds to it). */
const readsNothing: ReadonlySet<string> = new Set();

/** Whether a PATH is read as an image: an OCI layout folder, or a file that no format reads and that is a tar. */
function isImageRoot(root: string): boolean {
  let info;
  try {
    info = statSync(root);
  } catch {
    return false;
  }
  if (info.isDirectory()) return isOciFolder(root);
  return info.isFile() && !formatFor(root) && !isLibraryPath(root) && looksLikeTar(root);
}

/** Applies the fixes that fit together, each whole, and writes the files they touch (`edited`, by absolute path). */
function applyFixes(fixes: readonly Fix[], cwd: string): { applied: AppliedFix[]; edited: Set<string> } {
  const texts = new Map<string, string | undefined>();
  const textOf = (uri: string): string | undefined => {
    if (!texts.has(uri)) texts.set(uri, mapDefined(readQuiet(fileURLToPath(uri)), withoutBom));
    return texts.get(uri);
  };
  const chosen = compatibleFixes(fixes, textOf);
  const byUri = new Map<string, FixEdit[]>();
  for (const e of chosen.flatMap((fix) => fix.edits)) byUri.set(e.uri, [...(byUri.get(e.uri) ?? []), e]);
  for (const [uri, edits] of byUri) {
    const path = fileURLToPath(uri);
    const raw = readQuiet(path)!;
    writeFileSync(path, (raw.startsWith(bom) ? bom : '') + applyEdits(textOf(uri)!, edits).text);
  }
  const applied = chosen.flatMap((fix) =>
    fix.edits.map((edit) => ({ path: display(cwd, fileURLToPath(edit.uri)), line: edit.range.start.line + 1, title: fix.title, oldText: edit.expected, newText: edit.newText })),
  );
  return { applied, edited: new Set([...byUri.keys()].map((uri) => resolve(fileURLToPath(uri)))) };
}

/** One file's analysis from disk, the other files it read (absolute paths), and why it was not read, if it was not. */
export interface DiskAnalysis {
  analysis: Analysis;
  reads: string[];
  unread?: string;
}

/**
 * Reads and analyses one file as the scan does (a library by its bytes' signature, a binary database by its
 * format's `extractBytes`, anything else as text), before the policy's adjustments; `allowed` says which other
 * files it may read (a lockfile's package.json). The same on the main thread and in a scan worker.
 */
export function analyzeFromDisk(path: string, settings: Settings, allowed: (path: string) => boolean, index?: AdvisoryIndex): DiskAnalysis {
  const empty = { findings: [], problems: [] };
  const format = formatFor(path);
  if (!format && isLibraryPath(path)) {
    const checked = checkLibraryFile(path, settings);
    return 'unread' in checked ? { analysis: empty, reads: [], unread: checked.unread } : { analysis: checked.analysis, reads: [] };
  }
  const reads = new Set<string>();
  const readFile = (sibling: string): string | undefined => (reads.add(resolve(sibling)), allowed(sibling) ? mapDefined(readQuiet(sibling), withoutBom) : undefined);
  const listFolder = (folder: string): readonly string[] | undefined => (allowed(folder) ? listQuiet(folder) : undefined);
  const context = { readFile, listFolder, ...(index ? { index } : {}) };
  // A text is decoded at once, so its bytes may stay in the read buffer; a binary database keeps its own.
  const bytes = readBytes(path, format?.extractBytes === undefined);
  if (typeof bytes === 'string') return { analysis: empty, reads: [], unread: bytes };
  // A binary database (rpmdb.sqlite) is read by its format from its bytes.
  if (format?.extractBytes) return { analysis: analyzeBytes(path, bytes, settings, context), reads: [...reads] };
  const text = fileText(bytes);
  if (typeof text !== 'string') {
    // bun's old binary lockfile: beside a bun.lock (which bun writes too since 1.2) it adds nothing; alone, the
    // reason says how to get one Pinwatch reads.
    if (basename(path) !== 'bun.lockb') return { analysis: empty, reads: [], unread: text.unread };
    if (existsSync(join(dirname(path), 'bun.lock'))) return { analysis: empty, reads: [] };
    return { analysis: empty, reads: [], unread: 'bun.lockb is binary; run `bun install --save-text-lockfile` to write bun.lock, which Pinwatch reads' };
  }
  return { analysis: analyzeText(path, text, settings, context), reads: [...reads] };
}

/** A file's bytes, or why it is not read (it cannot be, or it is over the size cap). */
function readBytes(path: string, borrow: boolean): Buffer | string {
  try {
    const read = readCapped(path, defaultMaxFileBytes, borrow);
    return typeof read === 'number' ? overCap(read) : read;
  } catch (error) {
    return describeError(error);
  }
}

/** Most files fit this buffer: `readCapped` reads into it first, and copies out what it read (unless asked to lend it). */
const scratch = Buffer.allocUnsafeSlow(64 * 1024);

/**
 * A file's bytes, or its size when that is over `cap` (then nothing more is read); throws what the file system
 * throws. With `borrow`, the bytes of a small file may be a view of a buffer that the next call reuses: for a caller
 * that is done with them first (one that decodes them).
 */
export function readCapped(path: string, cap: number, borrow = false): Buffer | number {
  const fd = openSync(path, 'r');
  try {
    // A file that fits the scratch buffer (most) is read to its end, the read that returns nothing, with no fstat:
    // its Stats object cost about as much as the read.
    let length = 0;
    for (;;) {
      const n = readSync(fd, scratch, length, scratch.length - length, null);
      if (n === 0) return length > cap ? length : borrow ? scratch.subarray(0, length) : Buffer.from(scratch.subarray(0, length));
      length += n;
      if (length === scratch.length) break;
    }
    // A bigger one: the size fstat gives, read in as few reads as the kernel needs (no read to find the end).
    const size = fstatSync(fd).size;
    if (size > cap) return size;
    if (size > length) {
      const exact = Buffer.allocUnsafe(size);
      scratch.copy(exact, 0, 0, length);
      while (length < size) {
        const n = readSync(fd, exact, length, size - length, null);
        if (n === 0) break;
        length += n;
      }
      return length === size ? exact : exact.subarray(0, length);
    }
    // A size the kernel does not know (procfs gives 0), or one that shrank: read to its end, up to the cap.
    let buffer = Buffer.allocUnsafe(scratch.length * 2);
    scratch.copy(buffer, 0, 0, length);
    for (;;) {
      if (length === buffer.length) {
        if (length > cap) return length;
        const bigger = Buffer.allocUnsafe(Math.min(cap + 1, buffer.length * 2));
        buffer.copy(bigger, 0, 0, length);
        buffer = bigger;
      }
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    return length > cap ? length : buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/**
 * Whether a path, by its real path, lies within the roots: under a folder root, or a file root or a file beside it
 * (a lockfile's fix edits the package.json in its folder).
 */
export function withinRoots(roots: readonly string[]): (path: string) => boolean {
  const real = (path: string): string | undefined => {
    try {
      return realpathSync(path);
    } catch {
      return undefined;
    }
  };
  const realRoots = roots.flatMap((root) => {
    const path = real(root);
    return path === undefined ? [] : [{ path, isFolder: statSync(path).isDirectory() }];
  });
  return (path) => {
    const target = real(path);
    return target !== undefined && realRoots.some((root) => (root.isFolder ? isWithin(root.path, target) : dirname(target) === dirname(root.path)));
  };
}

function realQuiet(path: string): string | undefined {
  try {
    return realpathSync.native(path);
  } catch {
    return undefined;
  }
}

function listQuiet(path: string): string[] | undefined {
  try {
    return readdirSync(path);
  } catch {
    return undefined;
  }
}

function readQuiet(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

const bom = '\uFEFF';

/** Editors hide a byte-order mark and count columns after it, so the CLI reads files the same way. */
function withoutBom(text: string): string {
  return text.startsWith(bom) ? text.slice(1) : text;
}

function mapDefined<T, U>(value: T | undefined, f: (value: T) => U): U | undefined {
  return value === undefined ? undefined : f(value);
}

function display(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === '' ? path : rel.startsWith('..') ? path : rel;
}
