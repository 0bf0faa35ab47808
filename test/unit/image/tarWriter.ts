/**
 * A tiny tar writer for the image tests: ustar headers, GNU long names or pax paths, base-256 sizes, and the
 * archives built from them (docker save, OCI layout), with gzip (zlib) or zstd (raw blocks) layers.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

/** One member to write. */
export interface TarEntry {
  name: string;
  data?: Buffer | string;
  type?: 'file' | 'dir' | 'symlink' | 'hardlink';
  linkName?: string;
  /** How a name longer than 100 bytes is written (default: GNU `././@LongLink`). */
  longName?: 'gnu' | 'pax';
  /** A size to claim in the header instead of the data's (written in base-256 above 8 GB); no data is written. */
  claimedSize?: number;
}

const typeflags = { file: '0', dir: '5', symlink: '2', hardlink: '1' } as const;

/** One 512-byte header block. */
export function headerBlock(name: string, size: number, typeflag: string, linkName = ''): Buffer {
  const block = Buffer.alloc(512);
  block.write(name, 0, 100, 'utf8');
  block.write('0000644\0', 100, 'latin1');
  block.write('0000000\0', 108, 'latin1');
  block.write('0000000\0', 116, 'latin1');
  if (size >= 8 ** 11) {
    block[124] = 0x80;
    let value = size;
    for (let i = 135; i > 124; i--) {
      block[i] = value % 256;
      value = Math.floor(value / 256);
    }
  } else block.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  block.write('00000000000\0', 136, 'latin1');
  block.write(typeflag, 156, 'latin1');
  block.write(linkName, 157, 100, 'utf8');
  block.write('ustar\0', 257, 'latin1');
  block.write('00', 263, 'latin1');
  block.fill(32, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return block;
}

function pad(data: Buffer): Buffer {
  const rest = data.length % 512;
  return rest === 0 ? data : Buffer.concat([data, Buffer.alloc(512 - rest)]);
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = body.length + 1;
  while (String(length).length + body.length !== length) length = String(length).length + body.length;
  return `${length}${body}`;
}

/** A tar of the entries, ended by two zero blocks unless `end` is false. */
export function makeTar(entries: readonly TarEntry[], end = true): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const data = typeof entry.data === 'string' ? Buffer.from(entry.data) : entry.data ?? Buffer.alloc(0);
    const type = entry.type ?? 'file';
    let name = entry.name;
    if (Buffer.byteLength(name) > 100) {
      if (entry.longName === 'pax') {
        const records = Buffer.from(paxRecord('path', name));
        parts.push(headerBlock('PaxHeaders/x', records.length, 'x'), pad(records));
      } else {
        const long = Buffer.from(`${name}\0`);
        parts.push(headerBlock('././@LongLink', long.length, 'L'), pad(long));
      }
      name = name.slice(0, 100);
    }
    const size = type === 'file' ? entry.claimedSize ?? data.length : 0;
    parts.push(headerBlock(name, size, typeflags[type], entry.linkName ?? ''));
    if (type === 'file' && entry.claimedSize === undefined) parts.push(pad(data));
  }
  if (end) parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** A zstd frame holding `data` in raw blocks (what a decoder must read; no compression needed for the tests). */
export function zstdRaw(data: Buffer): Buffer {
  const parts: Buffer[] = [Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), Buffer.from([0x00, 0x58])];
  const max = 128 * 1024;
  for (let at = 0; at < data.length || at === 0; at += max) {
    const block = data.subarray(at, Math.min(data.length, at + max));
    const last = at + max >= data.length ? 1 : 0;
    const header = (block.length << 3) | last;
    parts.push(Buffer.from([header & 0xff, (header >> 8) & 0xff, (header >> 16) & 0xff]), block);
    if (data.length === 0) break;
  }
  return Buffer.concat(parts);
}

/** How a layer is compressed. */
export type Compression = 'none' | 'gzip' | 'zstd';

/** A layer's tar, compressed. */
export function layerBlob(entries: readonly TarEntry[], compression: Compression = 'gzip'): Buffer {
  const tar = makeTar(entries);
  return compression === 'gzip' ? gzipSync(tar) : compression === 'zstd' ? zstdRaw(tar) : tar;
}

/**
 * A `docker save` archive of one image with these layers (bottom first): manifest.json names `<n>/layer.tar`;
 * with `reversed`, the outer tar holds the layers top first and the manifest last.
 */
export function dockerSave(layers: readonly Buffer[], options: { reversed?: boolean; tag?: string } = {}): Buffer {
  const names = layers.map((_, i) => `${String(i + 1).padStart(64, String(i + 1))}/layer.tar`);
  const manifest: TarEntry = { name: 'manifest.json', data: JSON.stringify([{ Config: 'config.json', RepoTags: [options.tag ?? 'test:latest'], Layers: names }]) };
  const members: TarEntry[] = layers.map((data, i) => ({ name: names[i]!, data }));
  return makeTar(options.reversed ? [...members.reverse(), { name: 'config.json', data: '{}' }, manifest] : [manifest, { name: 'config.json', data: '{}' }, ...members]);
}

/** The files of an OCI image layout for one image with these layers: path → content. */
export function ociFiles(layers: Readonly<Array<{ blob: Buffer; mediaType: string }>>): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const blob = (data: Buffer): string => {
    const hex = createHash('sha256').update(data).digest('hex');
    files.set(`blobs/sha256/${hex}`, data);
    return `sha256:${hex}`;
  };
  const config = Buffer.from('{}');
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: blob(config), size: config.length },
    layers: layers.map((l) => ({ mediaType: l.mediaType, digest: blob(l.blob), size: l.blob.length })),
  }));
  const digest = blob(manifest);
  files.set('oci-layout', Buffer.from('{"imageLayoutVersion":"1.0.0"}'));
  files.set('index.json', Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest, size: manifest.length }] })));
  return files;
}
