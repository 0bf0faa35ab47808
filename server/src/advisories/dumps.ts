/**
 * Reading OSV dumps: a per-ecosystem `all.zip` (one JSON record per entry), a folder of OSV JSON files, or a
 * checkout of the malicious-packages repository (`osv/malicious/<ecosystem>/<package>/MAL-*.json`). Each record
 * goes through the certainty rules as it is read, so memory holds one entry at a time, not the dump.
 *
 * Bad input is bounded: a zip entry that expands past `maxEntryBytes` (a zip bomb), an entry whose name is
 * absolute or climbs with `..`, and a file that is not a whole zip (truncated, or not a zip at all) reject the
 * whole dump with a DumpError; an entry that is not JSON, or not a record, is counted and skipped.
 */
import { closeSync, lstatSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { zlib } from '../builtins';
import { normalizeRecord, type ImportRules, type SkipReason } from './importRules';
import type { OsvRecord } from './records';

/** Limits on what a dump may make Pinwatch read. */
export interface DumpLimits {
  /** The most one record (zip entry or file) may expand to. */
  maxEntryBytes: number;
  /** The most a whole dump may expand to. */
  maxTotalBytes: number;
  /** The largest zip file read (it is read whole). */
  maxZipBytes: number;
}

/** The default limits: OSV records are a few KB; the largest per-ecosystem zip is a few hundred MB. */
export const defaultLimits: DumpLimits = { maxEntryBytes: 16 * 1024 * 1024, maxTotalBytes: 8 * 1024 * 1024 * 1024, maxZipBytes: 2 * 1024 * 1024 * 1024 };

/** A dump that cannot be read as a whole: the CLI exits 2 with its message, and nothing is imported from it. */
export interface DumpError extends Error {
  dumpError: true;
}

/** Whether a thrown value is a DumpError. */
export function isDumpError(error: unknown): error is DumpError {
  return error instanceof Error && (error as Partial<DumpError>).dumpError === true;
}

function dumpError(message: string): DumpError {
  return Object.assign(new Error(message), { dumpError: true as const });
}

/** The outcome of reading one dump: records kept go to `onRecord`; the rest are counted here. */
export interface DumpCounts {
  kind: 'zip' | 'folder';
  /** Entries read (zip entries, or JSON files). */
  entries: number;
  /** Records kept. */
  kept: number;
  skipped: Partial<Record<SkipReason, number>>;
}

/** Reads a dump (zip file or folder) and passes each record the rules keep to `onRecord`. Throws a DumpError. */
export function readDump(path: string, rules: ImportRules, onRecord: (record: OsvRecord) => void, limits: DumpLimits = defaultLimits): DumpCounts {
  let stat;
  try {
    stat = statSync(path);
  } catch (error) {
    throw dumpError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (error as Error).message}`);
  }
  if (stat.isDirectory()) return readFolder(path, rules, onRecord, limits);
  if (stat.size > limits.maxZipBytes) throw dumpError(`${path} is larger than the ${limits.maxZipBytes} bytes Pinwatch reads of a zip`);
  // Read in place, an entry at a time: the zip itself is never held whole in memory.
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw dumpError(`cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    const bytes: ZipBytes = {
      size: stat.size,
      read(offset, length) {
        const buffer = Buffer.allocUnsafe(length);
        const got = readSync(fd, buffer, 0, length, offset);
        return got === length ? buffer : buffer.subarray(0, got);
      },
    };
    return readZip(bytes, path, rules, onRecord, limits);
  } catch (error) {
    if (isDumpError(error)) throw error;
    throw dumpError(`cannot read ${path}: ${(error as Error).message}`);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads the records of a zip held in memory; `label` names it in errors. Throws a DumpError. The central
 * directory is walked here (it says where each entry is and how large it claims to be) and Node's zlib inflates
 * each entry with its output capped at the declared size plus one byte, so an entry that expands past its claim,
 * or past `maxEntryBytes`, is caught without ever holding more than that. (fflate's streaming reader recursed once
 * per entry of a pushed chunk, overflowing the stack on OSV-sized zips, and its inflate took three times as long.)
 */
export function readZip(input: Uint8Array | ZipBytes, label: string, rules: ImportRules, onRecord: (record: OsvRecord) => void, limits: DumpLimits = defaultLimits): DumpCounts {
  const source: ZipBytes = input instanceof Uint8Array ? { size: input.length, read: (offset, length) => input.subarray(offset, offset + length) } : input;
  const end = zipEnd(source);
  if (end === undefined) throw dumpError(`${label} is not a whole zip file (no end-of-archive record: truncated, or not a zip)`);
  if (end.directory + end.size > source.size || end.size > limits.maxZipBytes) throw dumpError(`${label} is damaged (its directory runs past the end)`);
  // The central directory, read whole; offsets below are within it.
  const data = source.read(end.directory, end.size);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const counts: DumpCounts = { kind: 'zip', entries: 0, kept: 0, skipped: {} };
  const damaged = (why: string): DumpError => dumpError(`${label} is damaged (${why})`);
  let total = 0;
  let at = 0;
  for (let i = 0; i < end.count; i++) {
    if (at + 46 > data.length || view.getUint32(at, true) !== 0x02014b50) throw damaged(`entry ${i + 1} of ${end.count} is missing from its directory`);
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const crc = view.getUint32(at + 16, true);
    let packed = view.getUint32(at + 20, true);
    let size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    let local = view.getUint32(at + 42, true);
    if (at + 46 + nameLength + extraLength + commentLength > data.length) throw damaged('its directory runs past the end');
    const nameBytes = data.subarray(at + 46, at + 46 + nameLength);
    const name = Buffer.from(nameBytes).toString(flags & 0x800 ? 'utf8' : 'latin1');
    // ZIP64 sizes and offset, in the order the fields that overflowed appear.
    if (size === 0xffffffff || packed === 0xffffffff || local === 0xffffffff) {
      for (let x = at + 46 + nameLength; x + 4 <= at + 46 + nameLength + extraLength; ) {
        const id = view.getUint16(x, true);
        const length = view.getUint16(x + 2, true);
        if (id === 0x0001) {
          let field = x + 4;
          const next = (): number => {
            const value = field + 8 <= x + 4 + length ? Number(view.getBigUint64(field, true)) : NaN;
            field += 8;
            return value;
          };
          if (size === 0xffffffff) size = next();
          if (packed === 0xffffffff) packed = next();
          if (local === 0xffffffff) local = next();
        }
        x += 4 + length;
      }
    }
    at += 46 + nameLength + extraLength + commentLength;
    counts.entries++;
    if (name.startsWith('/') || name.startsWith('\\') || /^[A-Za-z]:/.test(name) || name.split(/[\\/]/).includes('..')) throw dumpError(`${label} has an entry with an unsafe name (${JSON.stringify(name.slice(0, 200))})`);
    if (name.endsWith('/')) {
      counts.entries--;
      continue;
    }
    if (!Number.isFinite(size) || size > limits.maxEntryBytes) throw dumpError(`${label}: entry ${JSON.stringify(name.slice(0, 200))} expands past ${limits.maxEntryBytes} bytes (a zip bomb?)`);
    total += size;
    if (total > limits.maxTotalBytes) throw dumpError(`${label} expands past ${limits.maxTotalBytes} bytes`);
    if ((flags & 0x1) !== 0 || (method !== 0 && method !== 8) || !name.toLowerCase().endsWith('.json')) {
      count(counts, 'not-json');
      continue;
    }
    const header = Number.isFinite(local) && local + 30 <= end.directory ? source.read(local, 30) : undefined;
    const headerView = header && header.length === 30 ? new DataView(header.buffer, header.byteOffset, 30) : undefined;
    if (!headerView || headerView.getUint32(0, true) !== 0x04034b50) throw damaged(`entry ${JSON.stringify(name.slice(0, 200))} has no local header`);
    const start = local + 30 + headerView.getUint16(26, true) + headerView.getUint16(28, true);
    if (!Number.isFinite(packed) || start + packed > end.directory) throw damaged(`entry ${JSON.stringify(name.slice(0, 200))} runs past the end`);
    const stored = source.read(start, packed);
    let bytes: Uint8Array;
    if (method === 0) bytes = stored;
    else {
      try {
        // Node's zlib stops at maxOutputLength: an entry can never expand past its claim plus one byte.
        bytes = zlib().inflateRawSync(stored, { maxOutputLength: Math.max(1, size + 1) });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw dumpError(`${label}: entry ${JSON.stringify(name.slice(0, 200))} expands past the ${size} bytes it declares (a zip bomb?)`);
        throw damaged(`entry ${JSON.stringify(name.slice(0, 200))}: ${(error as Error).message}`);
      }
    }
    if (bytes.length > size) throw dumpError(`${label}: entry ${JSON.stringify(name.slice(0, 200))} expands past the ${size} bytes it declares (a zip bomb?)`);
    if (bytes.length !== size || zlib().crc32(bytes) !== crc) throw damaged(`entry ${JSON.stringify(name.slice(0, 200))} fails its CRC-32`);
    takeText(name, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8'), rules, onRecord, counts);
  }
  return counts;
}

/** Where a zip's central directory starts and how many entries it declares, or undefined without an end record. */
function zipEnd(bytes: ZipBytes): { directory: number; size: number; count: number } | undefined {
  const base = Math.max(0, bytes.size - 22 - 65535 - 20);
  const tail = bytes.read(base, bytes.size - base);
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  const stop = Math.max(0, tail.length - 22 - 65535);
  for (let at = tail.length - 22; at >= stop; at--) {
    if (view.getUint32(at, true) !== 0x06054b50) continue;
    const commentLength = view.getUint16(at + 20, true);
    if (at + 22 + commentLength !== tail.length) continue;
    const count = view.getUint16(at + 10, true);
    const size = view.getUint32(at + 12, true);
    const directory = view.getUint32(at + 16, true);
    if (count !== 0xffff && directory !== 0xffffffff && size !== 0xffffffff) return { directory, size, count };
    // ZIP64: the locator sits just before the end record and points at the zip64 end record.
    const locator = at - 20;
    if (locator < 0 || view.getUint32(locator, true) !== 0x07064b50) return undefined;
    const offset = Number(view.getBigUint64(locator + 8, true));
    const record = offset + 56 <= bytes.size ? bytes.read(offset, 56) : new Uint8Array(0);
    const recordView = new DataView(record.buffer, record.byteOffset, record.byteLength);
    if (record.length !== 56 || recordView.getUint32(0, true) !== 0x06064b50) return undefined;
    return { directory: Number(recordView.getBigUint64(48, true)), size: Number(recordView.getBigUint64(40, true)), count: Number(recordView.getBigUint64(32, true)) };
  }
  return undefined;
}

/** A zip's bytes, read where needed: a buffer in memory (a download) or a file read in place. */
export interface ZipBytes {
  size: number;
  read(offset: number, length: number): Uint8Array;
}

/** A folder of OSV JSON files, or a malicious-packages checkout (only its `osv/malicious` folder is read). */
function readFolder(root: string, rules: ImportRules, onRecord: (record: OsvRecord) => void, limits: DumpLimits): DumpCounts {
  const counts: DumpCounts = { kind: 'folder', entries: 0, kept: 0, skipped: {} };
  const malicious = join(root, 'osv', 'malicious');
  const start = isFolder(malicious) ? malicious : root;
  const pending = [start];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch (error) {
      throw dumpError(`cannot read ${dir}: ${(error as Error).message}`);
    }
    for (const name of names) {
      if (name.startsWith('.') || name === 'node_modules') continue;
      const path = join(dir, name);
      const stat = lstatSync(path, { throwIfNoEntry: false });
      if (!stat || stat.isSymbolicLink()) continue;
      if (stat.isDirectory()) pending.push(path);
      else if (stat.isFile() && name.toLowerCase().endsWith('.json')) {
        counts.entries++;
        if (stat.size > limits.maxEntryBytes) {
          count(counts, 'too-large');
          continue;
        }
        let text: string;
        try {
          text = readFileSync(path, 'utf8');
        } catch {
          count(counts, 'not-json');
          continue;
        }
        takeText(name, text, rules, onRecord, counts);
      }
    }
  }
  return counts;
}

function takeText(name: string, text: string, rules: ImportRules, onRecord: (record: OsvRecord) => void, counts: DumpCounts): void {
  if (!name.toLowerCase().endsWith('.json')) return count(counts, 'not-json');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return count(counts, 'not-json');
  }
  const { record, skipped } = normalizeRecord(raw, rules);
  for (const [reason, n] of Object.entries(skipped)) counts.skipped[reason as SkipReason] = (counts.skipped[reason as SkipReason] ?? 0) + n;
  if (record) {
    counts.kept++;
    onRecord(record);
  }
}

function count(counts: DumpCounts, reason: SkipReason): void {
  counts.skipped[reason] = (counts.skipped[reason] ?? 0) + 1;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
