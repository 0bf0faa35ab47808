/**
 * rpm's package header, as the rpmdb stores it (the `blob` of each row of `Packages`): a big-endian count of index
 * entries and the size of the data store, then the entries (tag, type, offset, count; four 32-bit words each),
 * then the data. The tags read here are NAME (1000), VERSION (1001), RELEASE (1002), EPOCH (1003) and ARCH (1022).
 */

/** What an installed package's header says about it. */
export interface RpmPackage {
  name: string;
  epoch?: number;
  version: string;
  release: string;
  arch?: string;
}

const NAME = 1000;
const VERSION = 1001;
const RELEASE = 1002;
const EPOCH = 1003;
const ARCH = 1022;
const INT32 = 4;
const STRING = 6;

/** The package a header blob describes; a string saying what is wrong when it cannot be read. */
export function readRpmHeader(blob: Uint8Array): RpmPackage | string {
  if (blob.length < 8) return 'the header is shorter than its 8-byte preamble';
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const count = view.getUint32(0);
  const size = view.getUint32(4);
  const dataStart = 8 + count * 16;
  if (count > 0x10000 || size > 0x10000000 || dataStart + size > blob.length) return `the header's ${count} entries and ${size} bytes of data do not fit in its ${blob.length} bytes`;
  const strings = new Map<number, string>();
  let epoch: number | undefined;
  for (let i = 0; i < count; i++) {
    const at = 8 + i * 16;
    const tag = view.getUint32(at);
    if (tag !== NAME && tag !== VERSION && tag !== RELEASE && tag !== EPOCH && tag !== ARCH) continue;
    const type = view.getUint32(at + 4);
    const offset = view.getUint32(at + 8);
    if (offset >= size) return `tag ${tag} points past the header's data`;
    if (tag === EPOCH) {
      if (type !== INT32 || offset + 4 > size) return 'the EPOCH tag is not a 32-bit integer';
      epoch = view.getUint32(dataStart + offset);
      continue;
    }
    if (type !== STRING) return `tag ${tag} is not a string`;
    const from = dataStart + offset;
    const nul = blob.indexOf(0, from);
    if (nul < 0 || nul >= dataStart + size) return `tag ${tag}'s string is not terminated`;
    strings.set(tag, new TextDecoder('utf-8', { fatal: false }).decode(blob.subarray(from, nul)));
  }
  const name = strings.get(NAME);
  const version = strings.get(VERSION);
  const release = strings.get(RELEASE);
  if (!name || !version || !release) return 'the header has no NAME, VERSION or RELEASE';
  const arch = strings.get(ARCH);
  return { name, ...(epoch === undefined ? {} : { epoch }), version, release, ...(arch === undefined ? {} : { arch }) };
}

/** Writes a header blob for the given tags (strings and 32-bit integers), as rpm lays it out; for tests and benches. */
export function writeRpmHeader(tags: readonly { tag: number; value: string | number }[]): Uint8Array {
  const encoder = new TextEncoder();
  const data: number[] = [];
  const entries: number[][] = [];
  for (const { tag, value } of tags) {
    if (typeof value === 'number') {
      while (data.length % 4 !== 0) data.push(0);
      entries.push([tag, INT32, data.length, 1]);
      data.push((value >>> 24) & 255, (value >>> 16) & 255, (value >>> 8) & 255, value & 255);
    } else {
      entries.push([tag, STRING, data.length, 1]);
      data.push(...encoder.encode(value), 0);
    }
  }
  const out = new Uint8Array(8 + entries.length * 16 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, entries.length);
  view.setUint32(4, data.length);
  entries.forEach((words, i) => words.forEach((w, k) => view.setUint32(8 + i * 16 + k * 4, w)));
  out.set(data, 8 + entries.length * 16);
  return out;
}

/** The tag numbers, for callers that write headers. */
export const rpmTags = { NAME, VERSION, RELEASE, EPOCH, ARCH } as const;
