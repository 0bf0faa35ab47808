/**
 * Reading OSV dumps: a per-ecosystem `all.zip` (one JSON record per entry), a folder of OSV JSON files, or a
 * checkout of the malicious-packages repository (`osv/malicious/<ecosystem>/<package>/MAL-*.json`). Each record
 * goes through the certainty rules as it is read, so memory holds one entry at a time, not the dump.
 *
 * Bad input is bounded: a zip entry that expands past `maxEntryBytes` (a zip bomb), an entry whose name is
 * absolute or climbs with `..`, and a file that is not a whole zip (truncated, or not a zip at all) reject the
 * whole dump with a DumpError; an entry that is not JSON, or not a record, is counted and skipped.
 */
import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Unzip, UnzipInflate } from 'fflate';
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
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (error) {
    throw dumpError(`cannot read ${path}: ${(error as Error).message}`);
  }
  return readZip(data, path, rules, onRecord, limits);
}

/** Reads the records of a zip held in memory; `label` names it in errors. Throws a DumpError. */
export function readZip(data: Uint8Array, label: string, rules: ImportRules, onRecord: (record: OsvRecord) => void, limits: DumpLimits = defaultLimits): DumpCounts {
  const declared = zipEntryCount(data);
  if (declared === undefined) throw dumpError(`${label} is not a whole zip file (no end-of-archive record: truncated, or not a zip)`);
  const counts: DumpCounts = { kind: 'zip', entries: 0, kept: 0, skipped: {} };
  let total = 0;
  const unzip = new Unzip();
  unzip.register(UnzipInflate);
  unzip.onfile = (file) => {
    counts.entries++;
    const name = file.name;
    if (name.startsWith('/') || name.startsWith('\\') || /^[A-Za-z]:/.test(name) || name.split(/[\\/]/).includes('..')) throw dumpError(`${label} has an entry with an unsafe name (${JSON.stringify(name.slice(0, 200))})`);
    if (name.endsWith('/')) {
      counts.entries--;
      return;
    }
    if (file.compression !== 0 && file.compression !== 8) {
      count(counts, 'not-json');
      return;
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    file.ondata = (error, chunk, final) => {
      if (error) throw isDumpError(error) ? error : dumpError(`${label}: entry ${JSON.stringify(name.slice(0, 200))} is damaged (${error.message})`);
      size += chunk.length;
      total += chunk.length;
      if (size > limits.maxEntryBytes) throw dumpError(`${label}: entry ${JSON.stringify(name.slice(0, 200))} expands past ${limits.maxEntryBytes} bytes (a zip bomb?)`);
      if (total > limits.maxTotalBytes) throw dumpError(`${label} expands past ${limits.maxTotalBytes} bytes`);
      chunks.push(chunk);
      if (final) takeText(name, Buffer.concat(chunks, size).toString('utf8'), rules, onRecord, counts);
    };
    file.start();
  };
  const step = 1024 * 1024;
  try {
    if (data.length === 0) unzip.push(data, true);
    for (let at = 0; at < data.length; at += step) unzip.push(data.subarray(at, Math.min(data.length, at + step)), at + step >= data.length);
  } catch (error) {
    if (isDumpError(error)) throw error;
    throw dumpError(`${label} is damaged (${(error as Error).message})`);
  }
  if (declared !== counts.entries && declared !== -1) throw dumpError(`${label} is damaged: its directory lists ${declared} entries, ${counts.entries} were read`);
  return counts;
}

/**
 * The number of entries a zip's end-of-archive record declares (the zip64 one when present), -1 when it
 * declares more than it can say, or undefined when there is no end-of-archive record (a truncated file).
 */
export function zipEntryCount(data: Uint8Array): number | undefined {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const stop = Math.max(0, data.length - 22 - 65535);
  for (let at = data.length - 22; at >= stop; at--) {
    if (view.getUint32(at, true) !== 0x06054b50) continue;
    const commentLength = view.getUint16(at + 20, true);
    if (at + 22 + commentLength !== data.length) continue;
    const count = view.getUint16(at + 10, true);
    if (count !== 0xffff) return count;
    // ZIP64: the locator sits just before the end record and points at the zip64 end record.
    const locator = at - 20;
    if (locator < 0 || view.getUint32(locator, true) !== 0x07064b50) return -1;
    const record = Number(view.getBigUint64(locator + 8, true));
    if (record + 56 > data.length || view.getUint32(record, true) !== 0x06064b50) return -1;
    return Number(view.getBigUint64(record + 32, true));
  }
  return undefined;
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
