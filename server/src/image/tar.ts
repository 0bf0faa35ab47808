/**
 * A tar reader of Pinwatch's own, in three forms over one header decoder: `tarParser`, pushed the bytes of a
 * stream (a decompressed layer) and handing each member's data on as it passes; `indexTar`, which lists the members
 * of a tar file by positional reads, jumping over each member's data (so a member claiming 10 GB costs one read);
 * and `readTarAt`, which gives the same calls as `tarParser` for a tar lying uncompressed in a file (a layer of a
 * docker save archive) but reads only the headers and the data of the members its caller wants. All read ustar, GNU long names (`././@LongLink`) and pax headers (`path`, `linkpath`, `size`), sizes in octal
 * or base-256, and hold at most one header's metadata in memory.
 */
import { readSync } from 'node:fs';

/** What a member is: a file with data, a link, a folder, or anything else (devices, fifos). */
export type MemberType = 'file' | 'hardlink' | 'symlink' | 'directory' | 'other';

/** One member of a tar, with its long name or pax path applied. */
export interface TarMember {
  /** The name as written (not normalised: see `normalizeMember`). */
  name: string;
  type: MemberType;
  /** The data's size in bytes (0 for a link or folder). */
  size: number;
  /** A link's target, as written. */
  linkName: string;
  /** The offset of the member's header in the tar stream. */
  headerOffset: number;
}

/** Why a tar could not be read on from some offset. */
export interface TarError extends Error {
  tarOffset: number;
}

/** Makes a TarError. */
function tarError(message: string, offset: number): TarError {
  return Object.assign(new Error(message), { tarOffset: offset });
}

/** Whether a thrown value is a TarError. */
export function isTarError(error: unknown): error is TarError {
  return error instanceof Error && typeof (error as Partial<TarError>).tarOffset === 'number';
}

/** The most a long name or pax header may hold; beyond it the tar is taken as corrupt. */
const maxMetaBytes = 1024 * 1024;

/** A header block's fields, before long names and pax records are applied. */
interface RawHeader {
  name: string;
  typeflag: string;
  size: number;
  linkName: string;
}

/** A header as the readers take it: `decodeHeader`'s, but a bad first header means the file is no tar at all. */
function memberHeader(block: Buffer, offset: number, first: boolean): RawHeader | undefined {
  try {
    return decodeHeader(block, offset);
  } catch (error) {
    if (first && isTarError(error)) throw tarError('not a tar archive', offset);
    throw error;
  }
}

/**
 * Decodes a 512-byte header block: undefined for a block of zeros (the end of the archive), a TarError for a
 * block whose checksum does not match (not a tar, or a corrupt one).
 */
function decodeHeader(block: Buffer, offset: number): RawHeader | undefined {
  let zero = true;
  for (let i = 0; i < 512; i++) if (block[i] !== 0) { zero = false; break; }
  if (zero) return undefined;
  const stored = octal(block, 148, 8);
  // The checksum counts its own field as eight spaces; some old tars summed signed bytes.
  let unsigned = 8 * 32;
  for (let i = 0; i < 148; i++) unsigned += block[i]!;
  for (let i = 156; i < 512; i++) unsigned += block[i]!;
  if (stored === undefined || (stored !== unsigned && stored !== signedSum(block))) throw tarError(`not a tar header at byte ${offset} (checksum mismatch)`, offset);
  const size = sizeField(block);
  if (size === undefined) throw tarError(`a tar header at byte ${offset} has an unreadable size`, offset);
  const magic = block.toString('latin1', 257, 263);
  let name = cString(block, 0, 100);
  // POSIX ustar splits a long name into a prefix and a name; GNU tar uses those bytes for other fields.
  if (magic === 'ustar\0') {
    const prefix = cString(block, 345, 155);
    if (prefix !== '') name = `${prefix}/${name}`;
  }
  return { name, typeflag: String.fromCharCode(block[156]!), size, linkName: cString(block, 157, 100) };
}

function signedSum(block: Buffer): number {
  let sum = 8 * 32;
  for (let i = 0; i < 512; i++) if (i < 148 || i >= 156) sum += block[i]! > 127 ? block[i]! - 256 : block[i]!;
  return sum;
}

function cString(block: Buffer, start: number, length: number): string {
  const end = block.indexOf(0, start);
  return block.toString('utf8', start, end < 0 || end > start + length ? start + length : end);
}

function octal(block: Buffer, start: number, length: number): number | undefined {
  let value = 0;
  let digits = 0;
  let i = start;
  const end = start + length;
  while (i < end && (block[i] === 32 || block[i] === 0) && digits === 0) i++;
  for (; i < end; i++) {
    const c = block[i]!;
    if (c === 32 || c === 0) break;
    if (c < 48 || c > 55) return undefined;
    value = value * 8 + (c - 48);
    digits++;
  }
  return digits === 0 ? 0 : value;
}

/** The size field: octal, or GNU base-256 (high bit set) for sizes of 8 GB and more. */
function sizeField(block: Buffer): number | undefined {
  const first = block[124]!;
  if ((first & 0x80) === 0) return octal(block, 124, 12);
  if (first === 0xff) return undefined;
  let value = first & 0x7f;
  for (let i = 125; i < 136; i++) value = value * 256 + block[i]!;
  return Number.isSafeInteger(value) ? value : undefined;
}

function typeOf(flag: string): MemberType {
  if (flag === '0' || flag === '\0' || flag === '7') return 'file';
  if (flag === '1') return 'hardlink';
  if (flag === '2') return 'symlink';
  if (flag === '5') return 'directory';
  return 'other';
}

/** The long name, long link or pax records that apply to the next member. */
interface Pending {
  name?: string;
  linkName?: string;
  size?: number;
}

/** Reads pax records (`LEN key=value\n`) into `pending`: path, linkpath and size are the ones that matter here. */
function applyPax(data: Buffer, pending: Pending, offset: number): void {
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(32, at);
    if (space < 0) break;
    const length = Number(data.toString('latin1', at, space));
    if (!Number.isSafeInteger(length) || length <= space - at || at + length > data.length) throw tarError(`a pax header at byte ${offset} is malformed`, offset);
    const record = data.toString('utf8', space + 1, at + length - 1);
    const eq = record.indexOf('=');
    const key = record.slice(0, eq);
    const value = record.slice(eq + 1);
    if (key === 'path') pending.name = value;
    else if (key === 'linkpath') pending.linkName = value;
    else if (key === 'size') {
      const size = Number(value);
      if (!Number.isSafeInteger(size) || size < 0) throw tarError(`a pax header at byte ${offset} has an unreadable size`, offset);
      pending.size = size;
    }
    at += length;
  }
}

/** The member a raw header describes, with `pending` applied (and then cleared). */
function memberOf(raw: RawHeader, pending: Pending, headerOffset: number): TarMember {
  const type = typeOf(raw.typeflag);
  const size = pending.size ?? raw.size;
  const member = { name: pending.name ?? raw.name, type, size, linkName: pending.linkName ?? raw.linkName, headerOffset };
  delete pending.name;
  delete pending.linkName;
  delete pending.size;
  return member;
}

/** Whether a typeflag is metadata for the next member (its data is read, not handed on). */
function isMeta(flag: string): boolean {
  return flag === 'L' || flag === 'K' || flag === 'x' || flag === 'g';
}

function applyMeta(flag: string, data: Buffer, pending: Pending, offset: number): void {
  if (flag === 'L') pending.name = cString(data, 0, data.length);
  else if (flag === 'K') pending.linkName = cString(data, 0, data.length);
  // A global pax header's path would rename every later member; only its size-free records could apply, so it is read and dropped.
  else if (flag === 'x') applyPax(data, pending, offset);
}

function padded(size: number): number {
  return Math.ceil(size / 512) * 512;
}

/** What a pushed tar parser tells its caller. */
export interface TarHandlers {
  /** A member's header; return true to be handed its data. */
  member(member: TarMember): boolean;
  /** A run of the current member's data (only for members `member` accepted). */
  data(chunk: Buffer): void;
  /** The current member's data has all been handed on. */
  end(): void;
}

/** A tar parser fed a stream's bytes in order. */
export interface TarParser {
  /** Feeds bytes; throws a TarError where the stream stops being a tar. */
  write(chunk: Buffer): void;
  /** The stream has ended; throws a TarError when it ends inside a member (a truncated tar). */
  finish(): void;
  /** How many bytes it has been fed. */
  readonly offset: number;
}

/**
 * A tar parser over pushed bytes: linear in the input, holding at most one header block and one member's
 * metadata (a long name or pax header, up to 1 MB). Data of members the caller does not want is dropped as it passes.
 */
export function tarParser(handlers: TarHandlers): TarParser {
  let offset = 0;
  let state: 'header' | 'meta' | 'data' | 'pad' | 'done' = 'header';
  const block = Buffer.alloc(512);
  let filled = 0;
  let remaining = 0;
  let padding = 0;
  let wanted = false;
  let metaFlag = '';
  let metaOffset = 0;
  let meta: Buffer[] = [];
  let members = 0;
  const pending: Pending = {};

  const afterData = (size: number): void => {
    padding = padded(size) - size;
    state = padding > 0 ? 'pad' : 'header';
  };
  const header = (): void => {
    const at = offset - 512;
    const raw = memberHeader(block, at, members === 0);
    if (raw === undefined) {
      state = 'done';
      return;
    }
    members++;
    if (isMeta(raw.typeflag)) {
      if (raw.size > maxMetaBytes) throw tarError(`a tar header at byte ${at} holds ${raw.size} bytes of metadata, more than 1 MB`, at);
      metaFlag = raw.typeflag;
      metaOffset = at;
      meta = [];
      remaining = raw.size;
      if (remaining === 0) {
        applyMeta(metaFlag, Buffer.alloc(0), pending, metaOffset);
        state = 'header';
      } else state = 'meta';
      return;
    }
    const member = memberOf(raw, pending, at);
    // Only files carry data; a link's or folder's size field is ignored, as tar does (a hard link stores none).
    const dataSize = member.type === 'file' || member.type === 'other' ? member.size : 0;
    const accepted = handlers.member(member);
    wanted = member.type === 'file' && accepted;
    remaining = dataSize;
    if (remaining > 0) state = 'data';
    else {
      if (wanted) handlers.end();
      afterData(0);
    }
  };

  return {
    get offset() {
      return offset;
    },
    write(chunk: Buffer): void {
      let at = 0;
      while (at < chunk.length) {
        if (state === 'done') {
          // After the end-of-archive block: trailing zeros (records are padded to 10 KB) or nothing worth reading.
          offset += chunk.length - at;
          return;
        }
        if (state === 'header') {
          const take = Math.min(512 - filled, chunk.length - at);
          chunk.copy(block, filled, at, at + take);
          filled += take;
          at += take;
          offset += take;
          if (filled === 512) {
            filled = 0;
            header();
          }
        } else if (state === 'meta') {
          const take = Math.min(remaining, chunk.length - at);
          meta.push(chunk.subarray(at, at + take));
          at += take;
          offset += take;
          remaining -= take;
          if (remaining === 0) {
            const data = Buffer.concat(meta);
            meta = [];
            applyMeta(metaFlag, data, pending, metaOffset);
            afterData(data.length);
          }
        } else if (state === 'data') {
          const take = Math.min(remaining, chunk.length - at);
          if (wanted) handlers.data(chunk.subarray(at, at + take));
          at += take;
          offset += take;
          remaining -= take;
          if (remaining === 0) {
            if (wanted) handlers.end();
            // The size of the member just read is what decides its padding.
            padding = (512 - (offset % 512)) % 512;
            state = padding > 0 ? 'pad' : 'header';
          }
        } else {
          const take = Math.min(padding, chunk.length - at);
          at += take;
          offset += take;
          padding -= take;
          if (padding === 0) state = 'header';
        }
      }
    },
    finish(): void {
      if (state === 'done' || (state === 'header' && filled === 0 && members > 0)) return;
      if (members === 0 && state === 'header') throw tarError(offset === 0 ? 'empty: not a tar archive' : 'not a tar archive', 0);
      throw tarError(`the tar ends inside a member, at byte ${offset} (truncated)`, offset);
    },
  };
}

/** A member of a tar file and where its data starts. */
export interface IndexedMember extends TarMember {
  dataOffset: number;
}

/** The most a tar reader reads at once for headers (and the small data between them). */
const windowSize = 64 * 1024;

/**
 * Reads the bytes of a run of a file (`size` bytes from `start`) at offsets within the run, through a window that
 * adapts to how close together the reads are: a refill starts at the offset asked for and reads a block, or twice
 * the last refill when that one served more than its first read (runs of folders, links and small files, whose
 * headers are close), up to 64 KB. So a walk over many headers costs few reads, and one that jumps over data reads
 * little more than the headers. A read past the run's end returns what there is. What it returns is a view of one
 * reused buffer when it fits the window: valid until the next read, so callers copy what they keep.
 */
function windowReader(fd: number, size: number, start = 0): (offset: number, length: number) => Buffer {
  const buffer = Buffer.allocUnsafe(windowSize);
  let window = buffer.subarray(0, 0);
  let windowStart = 0;
  let fillSize = 512;
  let served = false;
  return (offset, length) => {
    if (offset >= windowStart && offset + length <= windowStart + window.length) {
      served = true;
      return window.subarray(offset - windowStart, offset - windowStart + length);
    }
    if (length > windowSize) {
      const own = Buffer.allocUnsafe(Math.min(length, Math.max(0, size - offset)));
      return own.subarray(0, readFully(fd, own, start + offset));
    }
    fillSize = served ? Math.min(windowSize, fillSize * 2) : 512;
    served = false;
    windowStart = offset;
    const fill = Math.min(Math.max(length, fillSize), Math.max(0, size - offset));
    window = buffer.subarray(0, readFully(fd, buffer.subarray(0, fill), start + offset));
    return window.subarray(0, Math.min(length, window.length));
  };
}

/** Reads into `buffer` from `position` until it is full or the file ends; the number of bytes read. */
export function readFully(fd: number, buffer: Buffer, position: number): number {
  let done = 0;
  while (done < buffer.length) {
    const n = readSync(fd, buffer, done, buffer.length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

/**
 * Lists the members of a tar file by reading its headers only: each member's data is jumped over, never read.
 * `keep` decides which members are returned (the rest are only counted), so memory stays bounded by what the
 * caller wants. Throws a TarError where the file stops being a tar, or when a member's data runs past the end.
 */
export function indexTar(fd: number, fileSize: number, keep: (member: TarMember) => boolean): IndexedMember[] {
  const read = windowReader(fd, fileSize);
  const kept: IndexedMember[] = [];
  const pending: Pending = {};
  let offset = 0;
  let members = 0;
  for (;;) {
    if (offset + 512 > fileSize) {
      if (offset === fileSize && members > 0) return kept;
      throw tarError(members === 0 ? 'not a tar archive' : `the tar ends inside a header, at byte ${fileSize} (truncated)`, offset);
    }
    const raw = memberHeader(read(offset, 512), offset, members === 0);
    if (raw === undefined) return kept;
    members++;
    const dataOffset = offset + 512;
    if (isMeta(raw.typeflag)) {
      if (raw.size > maxMetaBytes) throw tarError(`a tar header at byte ${offset} holds ${raw.size} bytes of metadata, more than 1 MB`, offset);
      const data = read(dataOffset, raw.size);
      if (data.length < raw.size) throw tarError(`the tar ends inside a header, at byte ${fileSize} (truncated)`, offset);
      applyMeta(raw.typeflag, Buffer.from(data), pending, offset);
      offset = dataOffset + padded(raw.size);
      continue;
    }
    const member = memberOf(raw, pending, offset);
    const dataSize = member.type === 'file' || member.type === 'other' ? member.size : 0;
    if (dataOffset + dataSize > fileSize) {
      throw tarError(`the member ${member.name} claims ${formatSize(dataSize)} but the archive ends ${formatSize(fileSize - dataOffset)} after its header (truncated)`, offset);
    }
    if (keep(member)) kept.push({ ...member, dataOffset });
    offset = dataOffset + padded(dataSize);
  }
}

/** The most bytes of a member's data handed on in one call by `readTarAt`. */
const dataChunkBytes = 1024 * 1024;

/**
 * Reads a tar that is a run of a file (`size` bytes from `start`: an uncompressed layer inside an image archive) by
 * positional reads: headers at their offsets, and the data of the members `handlers.member` accepts, in chunks of
 * at most 1 MB (views, as `tarParser`'s are: the caller copies what it keeps); the data of every other member is
 * jumped over, never read. The handlers are called, and TarErrors thrown, exactly as `tarParser` would for the
 * same bytes (a member whose data runs past the end is announced, then the tar is truncated), but the data of a
 * truncated member is not read at all.
 */
export function readTarAt(fd: number, start: number, size: number, handlers: TarHandlers): void {
  const read = windowReader(fd, size, start);
  const pending: Pending = {};
  const truncated = (): TarError => tarError(`the tar ends inside a member, at byte ${size} (truncated)`, size);
  let offset = 0;
  let members = 0;
  for (;;) {
    if (offset + 512 > size) {
      if (offset === size && members > 0) return;
      if (members === 0) throw tarError(size === 0 ? 'empty: not a tar archive' : 'not a tar archive', 0);
      throw truncated();
    }
    const raw = memberHeader(read(offset, 512), offset, members === 0);
    if (raw === undefined) return;
    members++;
    const dataOffset = offset + 512;
    if (isMeta(raw.typeflag)) {
      if (raw.size > maxMetaBytes) throw tarError(`a tar header at byte ${offset} holds ${raw.size} bytes of metadata, more than 1 MB`, offset);
      if (dataOffset + padded(raw.size) > size) throw truncated();
      applyMeta(raw.typeflag, Buffer.from(read(dataOffset, raw.size)), pending, offset);
      offset = dataOffset + padded(raw.size);
      continue;
    }
    const member = memberOf(raw, pending, offset);
    const dataSize = member.type === 'file' || member.type === 'other' ? member.size : 0;
    const wanted = handlers.member(member) && member.type === 'file';
    if (dataOffset + dataSize > size) throw truncated();
    if (wanted) {
      for (let at = 0; at < dataSize; at += dataChunkBytes) handlers.data(read(dataOffset + at, Math.min(dataChunkBytes, dataSize - at)));
      handlers.end();
    }
    offset = dataOffset + padded(dataSize);
    if (offset > size) throw truncated();
  }
}

/** Whether a 512-byte block is a tar header (not zeros, and its checksum matches). */
export function isTarHeader(block: Buffer): boolean {
  try {
    return block.length === 512 && decodeHeader(block, 0) !== undefined;
  } catch {
    return false;
  }
}

/** A byte count for messages: "10 GB", "3.5 MB", "512 bytes". */
export function formatSize(bytes: number): string {
  const units: Array<[number, string]> = [[1024 ** 3, 'GB'], [1024 ** 2, 'MB'], [1024, 'KB']];
  for (const [size, unit] of units) if (bytes >= size) return `${Math.round((bytes / size) * 10) / 10} ${unit}`;
  return `${bytes} bytes`;
}

/** A name with a leading `/`, an empty segment inside, or a `.` or `..` segment. */
const unusualName = /^\/|\/\/|(?:^|\/)\.\.?(?:\/|$)/;

/**
 * A member's path inside the image, normalised: no leading `/` or `./`, no `.` segments, and `..` resolved
 * lexically without ever climbing above the root (`../../etc/x` is `etc/x`); '' for the root itself.
 */
export function normalizeMember(name: string): string {
  // Most names need nothing done (`usr/lib/x`, `etc/`): no empty, `.` or `..` segment but for a trailing slash.
  if (!unusualName.test(name)) return name.endsWith('/') ? name.slice(0, -1) : name;
  const out: string[] = [];
  for (const segment of name.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  return out.join('/');
}
