/**
 * The local advisory store: imported OSV records, one pair of files per source (a zip, a folder, or one
 * ecosystem of a feed URL), and a manifest that names them.
 *
 * - `<gen>.idx`, the compact index: one line per (record, package) sorted by ecosystem and name,
 *   `ecosystem \t name \t versions \t offset \t length \t ids`, where versions is `*` (every version) or a JSON
 *   array. Loading reads the file and checks its CRC-32; a lookup is a binary search over its lines, so start-up
 *   does not parse any record.
 * - `<gen>.rec`, the records as stored (`importRules.ts`), one JSON per line; a record is read (at the offset and
 *   length its index line gives) only when a match needs its summary or aliases.
 * - `manifest.json`: the sources with their counts, dates, feed validators (ETag, Last-Modified), file names and
 *   checksums, and a checksum of itself.
 *
 * Writing is atomic: new files get fresh names, each is written to a temporary file in the same folder, synced and
 * renamed, and the manifest (written the same way) is the single switch from the old store to the new one. A
 * failed or interrupted write leaves the previous manifest and every file it names intact.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { crypto, zlib } from '../builtins';
import type { SkipReason } from './importRules';
import { baseEcosystem, normalizeName, type IndexEntry } from './index';
import type { OsvAffected, OsvRecord } from './records';

/** One source in the store. */
export interface StoreSource {
  /** What identifies the source across imports: an absolute path, or `URL ecosystem`. */
  key: string;
  kind: 'zip' | 'folder' | 'feed';
  /** For a feed: the URL the zip came from, and the validators of that response. */
  url?: string;
  etag?: string;
  lastModified?: string;
  /** When it was imported (ISO 8601). */
  imported: string;
  /** For a feed: when the source last answered that the zip had not changed (ISO 8601). */
  checked?: string;
  /** Records kept, per base ecosystem. */
  ecosystems: Record<string, number>;
  records: number;
  /** Records or entries left out, by reason. */
  skipped: Partial<Record<SkipReason, number>>;
  /** The newest `modified` among its records (ISO 8601 date, `YYYY-MM-DD`), or '' when none has one. */
  newest: string;
  index: { file: string; bytes: number; crc32: number };
  data: { file: string; bytes: number; sha256: string };
}

/** The store's manifest. */
export interface Manifest {
  format: 1;
  sources: StoreSource[];
}

/** A store that could not be used as it is on disk, with the reason (the CLI prints it). */
export interface StoreError extends Error {
  storeError: true;
}

/** Whether a thrown value is a StoreError. */
export function isStoreError(error: unknown): error is StoreError {
  return error instanceof Error && (error as Partial<StoreError>).storeError === true;
}

function storeError(message: string): StoreError {
  return Object.assign(new Error(message), { storeError: true as const });
}

/**
 * The store's folder: `PINWATCH_CACHE_DIR`, else the user's cache folder (`$XDG_CACHE_HOME/pinwatch` or
 * `~/.cache/pinwatch`, `~/Library/Caches/pinwatch` on macOS, `%LOCALAPPDATA%\pinwatch` on Windows).
 */
export function storeDir(env: Readonly<Record<string, string | undefined>> = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  if (env.PINWATCH_CACHE_DIR) return env.PINWATCH_CACHE_DIR;
  if (platform === 'win32') return join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'pinwatch');
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'pinwatch');
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'pinwatch');
}

const manifestName = 'manifest.json';

/** Reads the manifest; undefined when the store does not exist; throws a StoreError when it is damaged. */
export function readManifest(dir: string): Manifest | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, manifestName), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw storeError(`cannot read the advisory store in ${dir}: ${(error as Error).message}`);
  }
  let parsed: { format?: unknown; sources?: unknown; sha256?: unknown };
  try {
    parsed = JSON.parse(text);
  } catch {
    throw storeError(`the advisory store in ${dir} is damaged (its manifest is not JSON); import again to rebuild it`);
  }
  if (parsed.format !== 1 || !Array.isArray(parsed.sources) || parsed.sha256 !== sha256(JSON.stringify(parsed.sources))) {
    throw storeError(`the advisory store in ${dir} is damaged (its manifest fails its checksum); import again to rebuild it`);
  }
  return { format: 1, sources: parsed.sources as StoreSource[] };
}

/** A record to write, and the source-level facts the caller knows. */
export interface NewSource {
  key: string;
  kind: StoreSource['kind'];
  url?: string;
  etag?: string;
  lastModified?: string;
  skipped: Partial<Record<SkipReason, number>>;
}

/** Writes a source's records (given one at a time) to new files; the manifest is switched by `commitSources`. */
export interface SourceWriter {
  add(record: OsvRecord): void;
  /** Writes the index, syncs both files, and returns the source entry for the manifest. */
  finish(facts: NewSource): StoreSource;
  /** Removes the files written so far (after a failure). */
  abort(): void;
}

/** Operations the store does on files, replaceable in tests (a full disk). */
export interface StoreFs {
  writeSync(fd: number, data: Uint8Array): number;
}

const realFs: StoreFs = { writeSync: (fd, data) => writeSync(fd, data) };

/** Starts writing a new source into the store's folder (created if missing). Throws a StoreError. */
export function writeSource(dir: string, fs: StoreFs = realFs): SourceWriter {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw storeError(`cannot create the advisory store in ${dir}: ${(error as Error).message}`);
  }
  const gen = `${Date.now().toString(36)}-${crypto().randomBytes(6).toString('hex')}`;
  const dataTmp = join(dir, `${gen}.rec.tmp`);
  const indexTmp = join(dir, `${gen}.idx.tmp`);
  const data = new BufferedFile(dataTmp, fs);
  const lines: Array<{ key: string; line: string }> = [];
  const ecosystems: Record<string, number> = {};
  let records = 0;
  let newest = '';
  const fail = (error: unknown): never => {
    abort();
    throw isStoreError(error) ? error : storeError(`cannot write the advisory store in ${dir}: ${(error as Error).message}`);
  };
  const abort = (): void => {
    data.close();
    rmSync(dataTmp, { force: true });
    rmSync(indexTmp, { force: true });
    rmSync(join(dir, `${gen}.rec`), { force: true });
    rmSync(join(dir, `${gen}.idx`), { force: true });
  };
  return {
    add(record) {
      try {
        const json = `${JSON.stringify(record)}\n`;
        const { offset, length } = data.writeText(json);
        const ids = [record.id, ...(record.aliases ?? [])].join(' ');
        const seen = new Set<string>();
        for (const affected of record.affected ?? []) {
          const ecosystem = baseEcosystem(affected.package.ecosystem);
          const name = normalizeName(ecosystem, affected.package.name);
          const versions = affected.database_specific?.all_versions ? '*' : JSON.stringify(affected.versions ?? []);
          const key = `${ecosystem}\t${name}`;
          const line = `${key}\t${versions}\t${offset}\t${length - 1}\t${ids}\n`;
          if (seen.has(line)) continue;
          seen.add(line);
          lines.push({ key, line });
        }
        const ecosystemsOf = new Set((record.affected ?? []).map((a) => baseEcosystem(a.package.ecosystem)));
        for (const e of ecosystemsOf) ecosystems[e] = (ecosystems[e] ?? 0) + 1;
        records++;
        const day = record.modified.slice(0, 10);
        if (/^\d{4}-\d{2}-\d{2}$/.test(day) && day > newest) newest = day;
      } catch (error) {
        fail(error);
      }
    },
    finish(facts) {
      try {
        const dataSum = data.finish();
        lines.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
        const index = new BufferedFile(indexTmp, fs);
        for (const { line } of lines) index.writeText(line);
        const indexSum = index.finish();
        renameSync(dataTmp, join(dir, `${gen}.rec`));
        renameSync(indexTmp, join(dir, `${gen}.idx`));
        return {
          key: facts.key, kind: facts.kind,
          ...(facts.url !== undefined ? { url: facts.url } : {}), ...(facts.etag !== undefined ? { etag: facts.etag } : {}), ...(facts.lastModified !== undefined ? { lastModified: facts.lastModified } : {}),
          imported: new Date().toISOString(), ecosystems, records, skipped: facts.skipped, newest,
          index: { file: `${gen}.idx`, bytes: indexSum.bytes, crc32: indexSum.crc32 },
          data: { file: `${gen}.rec`, bytes: dataSum.bytes, sha256: dataSum.sha256 },
        };
      } catch (error) {
        return fail(error);
      }
    },
    abort,
  };
}

/**
 * Switches the store to a manifest where `sources` replace those with the same key (and `remove` keys are
 * dropped), then deletes the files no source names any more. A damaged manifest is replaced (the store is
 * rebuilt from what this call brings). Throws a StoreError; the old store stays in place then.
 */
export function commitSources(dir: string, sources: readonly StoreSource[], fs: StoreFs = realFs): Manifest {
  let old: Manifest | undefined;
  try {
    old = readManifest(dir);
  } catch (error) {
    if (!isStoreError(error)) throw error;
    old = undefined;
  }
  const keys = new Set(sources.map((s) => s.key));
  const manifest: Manifest = { format: 1, sources: [...sources, ...(old?.sources ?? []).filter((s) => !keys.has(s.key))] };
  const text = `${JSON.stringify({ format: 1, sources: manifest.sources, sha256: sha256(JSON.stringify(manifest.sources)) }, null, 1)}\n`;
  const tmp = join(dir, `${manifestName}.${crypto().randomBytes(6).toString('hex')}.tmp`);
  try {
    const file = new BufferedFile(tmp, fs);
    file.write(Buffer.from(text, 'utf8'));
    file.finish();
    renameSync(tmp, join(dir, manifestName));
    syncFolder(dir);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw storeError(`cannot write the advisory store in ${dir}: ${(error as Error).message}`);
  }
  removeUnnamed(dir, manifest);
  return manifest;
}

/** Deletes the store's files that the manifest does not name (older generations, leftovers of a crash). */
function removeUnnamed(dir: string, manifest: Manifest): void {
  const named = new Set(manifest.sources.flatMap((s) => [s.index.file, s.data.file]));
  for (const name of readdirSync(dir)) {
    if (!/\.(idx|rec)(\.tmp)?$/.test(name) && !/^manifest\.json\..*\.tmp$/.test(name)) continue;
    if (named.has(name)) continue;
    // A temporary file less than a minute old may belong to an import running beside this one.
    if (name.endsWith('.tmp') && Date.now() - (statSync(join(dir, name), { throwIfNoEntry: false })?.mtimeMs ?? 0) < 60_000) continue;
    rmSync(join(dir, name), { force: true });
  }
}

/** The store as loaded for matching: the manifest and each source's index, checked. */
export interface LoadedStore {
  dir: string;
  manifest: Manifest;
  sources: LoadedSource[];
  /** Sources that could not be used, one line each (a missing file, a checksum that fails). */
  problems: string[];
}

/** One source's index in memory. */
export interface LoadedSource {
  source: StoreSource;
  index: Buffer;
  dataPath: string;
  /** Line starts, computed on the first lookup. */
  starts?: Uint32Array;
  entries: Map<number, IndexEntry[]>;
  records: Map<number, OsvRecord>;
}

/** Loads the store in `dir`; undefined when there is none. Throws a StoreError when its manifest is damaged. */
export function loadStore(dir: string): LoadedStore | undefined {
  const manifest = readManifest(dir);
  if (!manifest) return undefined;
  const sources: LoadedSource[] = [];
  const problems: string[] = [];
  for (const source of manifest.sources) {
    let index: Buffer;
    try {
      index = readFileSync(join(dir, source.index.file));
    } catch (error) {
      problems.push(`the advisory store in ${dir} is damaged (${source.index.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); import ${source.key} again`);
      continue;
    }
    if (index.length !== source.index.bytes || zlib().crc32(index) !== source.index.crc32) {
      problems.push(`the advisory store in ${dir} is damaged (${source.index.file} fails its checksum); import ${source.key} again`);
      continue;
    }
    sources.push({ source, index, dataPath: join(dir, source.data.file), entries: new Map(), records: new Map() });
  }
  return { dir, manifest, sources, problems };
}

/** Checks every record file of a loaded store against its SHA-256 (slow: `status` does it); one line per failure. */
export function verifyRecords(store: LoadedStore): string[] {
  const problems: string[] = [];
  for (const { source, dataPath } of store.sources) {
    let sum: string;
    try {
      sum = sha256(readFileSync(dataPath));
    } catch (error) {
      problems.push(`the advisory store in ${store.dir} is damaged (${source.data.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); import ${source.key} again`);
      continue;
    }
    if (sum !== source.data.sha256) problems.push(`the advisory store in ${store.dir} is damaged (${source.data.file} fails its checksum); import ${source.key} again`);
  }
  return problems;
}

/** The entries a source files under a base ecosystem and normalised name, in file order (binary search). */
export function sourceEntries(loaded: LoadedSource, ecosystem: string, name: string): IndexEntry[] {
  const starts = (loaded.starts ??= lineStarts(loaded.index));
  const key = `${ecosystem}\t${name}`;
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keyAt(loaded.index, starts[mid]!) < key) lo = mid + 1;
    else hi = mid;
  }
  const out: IndexEntry[] = [];
  for (let i = lo; i < starts.length && keyAt(loaded.index, starts[i]!) === key; i++) {
    const at = starts[i]!;
    let entries = loaded.entries.get(at);
    if (!entries) {
      entries = [entryAt(loaded, at)];
      loaded.entries.set(at, entries);
    }
    out.push(...entries);
  }
  return out;
}

/** The ids (id, then aliases) an index entry of the store carries without reading its record. */
export const storeIds = new WeakMap<IndexEntry, readonly string[]>();

function entryAt(loaded: LoadedSource, at: number): IndexEntry {
  const end = loaded.index.indexOf(10, at);
  const [ecosystem, name, versions, offset, length, ids] = loaded.index.toString('utf8', at, end < 0 ? loaded.index.length : end).split('\t') as [string, string, string, string, string, string];
  const affected: OsvAffected = versions === '*'
    ? { package: { ecosystem, name }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }], database_specific: { all_versions: true, confidence: 'verified' } }
    : { package: { ecosystem, name }, versions: JSON.parse(versions) as string[], database_specific: { confidence: 'verified' } };
  const entry = { affected } as IndexEntry;
  Object.defineProperty(entry, 'record', { enumerable: true, get: () => recordAt(loaded, Number(offset), Number(length), ids.split(' ')[0]!) });
  storeIds.set(entry, ids.split(' '));
  return entry;
}

/** The stored record at an offset, read once and kept (one object per record, as the engine compares them). */
function recordAt(loaded: LoadedSource, offset: number, length: number, id: string): OsvRecord {
  const cached = loaded.records.get(offset);
  if (cached) return cached;
  const damaged = (): Error => storeError(`the advisory store is damaged (record ${id} in ${loaded.source.data.file}); import ${loaded.source.key} again`);
  const buffer = Buffer.alloc(length);
  let fd: number | undefined;
  try {
    fd = openSync(loaded.dataPath, 'r');
    if (readSync(fd, buffer, 0, length, offset) !== length) throw damaged();
  } catch (error) {
    throw isStoreError(error) ? error : damaged();
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  let record: OsvRecord;
  try {
    record = JSON.parse(buffer.toString('utf8')) as OsvRecord;
  } catch {
    throw damaged();
  }
  if (record.id !== id) throw damaged();
  loaded.records.set(offset, record);
  return record;
}

function lineStarts(index: Buffer): Uint32Array {
  const starts: number[] = [];
  for (let at = 0; at < index.length; ) {
    starts.push(at);
    const end = index.indexOf(10, at);
    if (end < 0) break;
    at = end + 1;
  }
  return Uint32Array.from(starts);
}

/** `ecosystem\tname` of the line at `at`. */
function keyAt(index: Buffer, at: number): string {
  const first = index.indexOf(9, at);
  const second = index.indexOf(9, first + 1);
  return index.toString('utf8', at, second);
}

function sha256(data: string | Uint8Array): string {
  return crypto().createHash('sha256').update(data).digest('hex');
}

function syncFolder(dir: string): void {
  // Windows cannot open a folder for syncing; the rename is as durable as the platform makes it there.
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** A file written through a buffer, with its length and checksums, synced before it is closed. */
class BufferedFile {
  private fd: number | undefined;
  private chunks: Uint8Array[] = [];
  private texts: string[] = [];
  private pending = 0;
  private bytes = 0;
  private crc = 0;
  private readonly hash = crypto().createHash('sha256');

  constructor(path: string, private readonly fs: StoreFs) {
    this.fd = openSync(path, 'wx');
  }

  /** Appends data; returns the offset it starts at. */
  write(data: Uint8Array): number {
    this.encodeTexts();
    const at = this.bytes;
    this.chunks.push(data);
    this.pending += data.length;
    this.bytes += data.length;
    if (this.pending >= 1 << 20) this.flush();
    return at;
  }

  /** Appends text as UTF-8 (encoded a megabyte at a time); returns where it starts and its length in bytes. */
  writeText(text: string): { offset: number; length: number } {
    const offset = this.bytes;
    const length = Buffer.byteLength(text, 'utf8');
    this.texts.push(text);
    this.pending += length;
    this.bytes += length;
    if (this.pending >= 1 << 20) this.flush();
    return { offset, length };
  }

  private encodeTexts(): void {
    if (this.texts.length === 0) return;
    this.chunks.push(Buffer.from(this.texts.join(''), 'utf8'));
    this.texts = [];
  }

  finish(): { bytes: number; crc32: number; sha256: string } {
    this.flush();
    fsyncSync(this.fd!);
    this.close();
    return { bytes: this.bytes, crc32: this.crc, sha256: this.hash.digest('hex') };
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }

  private flush(): void {
    this.encodeTexts();
    if (this.pending === 0) return;
    const data = Buffer.concat(this.chunks, this.pending);
    this.chunks = [];
    this.pending = 0;
    this.crc = zlib().crc32(data, this.crc);
    this.hash.update(data);
    for (let done = 0; done < data.length; ) done += this.fs.writeSync(this.fd!, data.subarray(done));
  }
}

/** Whether a store exists in `dir` (its manifest is there). */
export function storeExists(dir: string): boolean {
  return existsSync(join(dir, manifestName));
}
