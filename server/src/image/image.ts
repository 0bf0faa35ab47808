/**
 * Container images as the scan reads them: a `docker save` archive (manifest.json, whose `Layers` name tars inside
 * it) or an OCI image layout (oci-layout, index.json, manifests and layers under blobs/), as a tar file or a folder.
 * Nothing is written to disk and no archive is held in memory: the outer tar is indexed by its headers and each
 * layer read at its offset, as a stream through gunzip (Node's zlib) or zstd (fzstd) into Pinwatch's tar parser.
 * Layers apply in order with their whiteouts; each member a format reads (`formatFor`) or a library check reads
 * (`isLibraryPath`) is analysed as it passes, and only the last layer's result for each path is kept. Findings are
 * named `image.tar!/lib/apk/db/installed`.
 */
import { closeSync, createReadStream, fstatSync, openSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { createGunzip } from 'node:zlib';
import { Decompress } from 'fzstd';
import { analyzeFile, formatFor } from '../engine';
import { fileText } from '../fileText';
import { isLibraryPath, libraryCheck, type LibraryCheck } from '../libraries';
import type { Settings } from '../model';
import type { FileResult, UnreadPath } from '../report/types';
import { isWithin, skippedDirectories } from '../workspace';
import { layerState, maxKept, type LayerState } from './layers';
import { formatSize, indexTar, isTarError, normalizeMember, readFully, type IndexedMember, type TarMember, tarParser } from './tar';

/** The most a member a format reads may hold; a bigger one is reported as not read. */
export const maxMemberBytes = 64 * 1024 * 1024;

/** The most a manifest or index may hold. */
const maxManifestBytes = 16 * 1024 * 1024;

/** What scanning one image found. */
export interface ImageScan {
  /** The members with findings, problems or notices, named `DISPLAY!/member`. */
  files: FileResult[];
  /** What could not be read: the image itself, a layer, or a member (too big, binary), with the reason. */
  unread: UnreadPath[];
  /** How many members were analysed, as the last layer left them. */
  filesScanned: number;
}

/** Whether a folder is an OCI image layout (it holds an `oci-layout` file). */
export function isOciFolder(path: string): boolean {
  try {
    return statSync(join(path, 'oci-layout')).isFile();
  } catch {
    return false;
  }
}

/**
 * Whether a file is read as an image: it starts with a tar header (its checksum matches), whatever its name, or
 * it is named as a compressed tar (`.tar.gz`, `.tgz`, `.tar.zst`), which `scanImage` reports as not read.
 */
export function looksLikeTar(path: string): boolean {
  if (compressedName.test(path)) return true;
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const block = Buffer.alloc(512);
    if (readFully(fd, block, 0) < 512) return false;
    // The member list of one header: indexTar throws on a bad checksum before it reads anything else.
    const size = fstatSync(fd).size;
    try {
      indexTar(fd, Math.min(size, 512 * 2), () => false);
    } catch (error) {
      return isTarError(error) && !/^not a tar/.test(error.message);
    }
    return true;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const compressedName = /\.(?:tar\.gz|tgz|tar\.zst)$/i;

/** A layer's bytes: a run of a file (a member of the outer tar, or a blob of an OCI folder). */
interface Source {
  file: string;
  start: number;
  length: number;
}

/** One image of an archive: its layers, bottom first, each named as the archive names it. */
interface ImageLayers {
  label?: string;
  layers: Array<{ name: string; mediaType?: string }>;
}

/** Where an archive's named parts are and how to read the small ones. */
interface Archive {
  /** A part's bytes by its path in the archive; a string says why it is missing. */
  source(name: string): Source | string;
  /** A small part's bytes (manifests), or why they cannot be read. */
  small(name: string): Buffer | string;
  has(name: string): boolean;
}

/**
 * Scans an image (a tar file or an OCI folder at `path`, shown as `display`): the findings of the members its
 * last layers leave, and what could not be read. Never throws.
 */
export async function scanImage(path: string, display: string, settings: Settings): Promise<ImageScan> {
  const unread: UnreadPath[] = [];
  // The outer archive is read by offsets, which a compressed stream does not have.
  if (compressedName.test(path)) return { files: [], unread: [{ path: display, reason: 'a compressed archive: Pinwatch reads image archives as docker save writes them, uncompressed; decompress it (gunzip, zstd -d) and scan the .tar' }], filesScanned: 0 };
  let archive: Archive;
  try {
    archive = statSync(path).isDirectory() ? folderArchive(path) : tarArchive(path);
  } catch (error) {
    return { files: [], unread: [{ path: display, reason: isTarError(error) ? `not a readable image archive: ${error.message}` : (error as Error).message }], filesScanned: 0 };
  }
  const images = imagesOf(archive);
  if (typeof images === 'string') return { files: [], unread: [{ path: display, reason: images }], filesScanned: 0 };
  const files: FileResult[] = [];
  let filesScanned = 0;
  for (const image of images.images) {
    const prefix = images.images.length > 1 && image.label ? `${display}[${image.label}]` : display;
    const absolute = images.images.length > 1 && image.label ? `${path}[${image.label}]` : path;
    const state = layerState();
    for (const [index, layer] of image.layers.entries()) {
      const source = archive.source(layer.name);
      if (typeof source === 'string') {
        unread.push({ path: `${prefix}!/${layer.name}`, reason: `layer ${index + 1} of ${image.layers.length}: ${source}; what it changes was not checked` });
        continue;
      }
      const problem = await readLayer(source, index, state, absolute, settings);
      if (problem) unread.push({ path: `${prefix}!/${layer.name}`, reason: `layer ${index + 1} of ${image.layers.length}: ${problem}` });
    }
    for (const [member, kept] of state.entries()) {
      if ('unread' in kept.result) {
        unread.push({ path: `${prefix}!/${member}`, reason: kept.result.unread });
        continue;
      }
      filesScanned++;
      const { findings, problems, notices } = kept.result.analysis;
      if (findings.length > 0 || problems.length > 0 || (notices?.length ?? 0) > 0) files.push({ path: `${prefix}!/${member}`, absolutePath: `${absolute}!/${member}`, ...kept.result.analysis });
    }
  }
  return { files, unread: [...images.unread.map((u) => ({ path: `${display}!/${u.path}`, reason: u.reason })), ...unread], filesScanned };
}

/** The archive of a tar file: its members indexed by normalised path (only those an image can name), read in place. */
function tarArchive(path: string): Archive {
  const fd = openSync(path, 'r');
  let members: IndexedMember[];
  try {
    members = indexTar(fd, fstatSync(fd).size, (m) => isImagePart(normalizeMember(m.name)));
  } finally {
    closeSync(fd);
  }
  const byName = new Map<string, IndexedMember>();
  for (const m of members) byName.set(normalizeMember(m.name), m);
  const resolve = (name: string): IndexedMember | string => {
    let current = normalizeMember(name);
    // docker save links a layer shared by two images to its first copy; links are followed inside the archive only.
    for (let hop = 0; hop < 8; hop++) {
      const m = byName.get(current);
      if (!m) return `${name} is not in the archive`;
      if (m.type === 'file') return m;
      if (m.type !== 'symlink' && m.type !== 'hardlink') return `${name} is not a file in the archive`;
      const dir = current.includes('/') && m.type === 'symlink' ? current.slice(0, current.lastIndexOf('/') + 1) : '';
      current = normalizeMember(m.linkName.startsWith('/') ? m.linkName : dir + m.linkName);
    }
    return `${name} is a chain of links in the archive`;
  };
  return {
    has: (name) => byName.has(normalizeMember(name)),
    source(name) {
      const m = resolve(name);
      return typeof m === 'string' ? m : { file: path, start: m.dataOffset, length: m.size };
    },
    small(name) {
      const m = resolve(name);
      if (typeof m === 'string') return m;
      if (m.size > maxManifestBytes) return `${name} is larger than ${formatSize(maxManifestBytes)}`;
      const fd2 = openSync(path, 'r');
      try {
        const buffer = Buffer.alloc(m.size);
        return buffer.subarray(0, readFully(fd2, buffer, m.dataOffset));
      } finally {
        closeSync(fd2);
      }
    },
  };
}

/** Whether an outer tar member is one an image can name: its manifests, its blobs, its layer tars. */
function isImagePart(name: string): boolean {
  return name === 'manifest.json' || name === 'index.json' || name === 'oci-layout' || name.startsWith('blobs/') || /\.tar(?:\.gz|\.zst)?$|\.tgz$/.test(name);
}

/** The archive of an OCI layout folder: parts are files below it (by real path, never outside it). */
function folderArchive(dir: string): Archive {
  const real = realpathSync(dir);
  const file = (name: string): string | { path: string; size: number } => {
    const normal = normalizeMember(name);
    let target: string;
    try {
      target = realpathSync(join(real, normal));
    } catch {
      return `${name} is not in the image folder`;
    }
    if (!isWithin(real, target)) return `${name} leads out of the image folder`;
    const info = statSync(target);
    return info.isFile() ? { path: target, size: info.size } : `${name} is not a file`;
  };
  return {
    has: (name) => typeof file(name) !== 'string',
    source(name) {
      const f = file(name);
      return typeof f === 'string' ? f : { file: f.path, start: 0, length: f.size };
    },
    small(name) {
      const f = file(name);
      if (typeof f === 'string') return f;
      if (f.size > maxManifestBytes) return `${name} is larger than ${formatSize(maxManifestBytes)}`;
      return readFileSync(f.path);
    },
  };
}

/** The images an archive holds: from manifest.json (docker save) or else index.json (OCI), or why there are none. */
function imagesOf(archive: Archive): { images: ImageLayers[]; unread: UnreadPath[] } | string {
  if (archive.has('manifest.json')) {
    const manifest = json(archive, 'manifest.json');
    if (typeof manifest === 'string') return manifest;
    if (!Array.isArray(manifest)) return 'manifest.json is not a list of images';
    const images: ImageLayers[] = [];
    for (const [i, entry] of manifest.entries()) {
      const layers = (entry as { Layers?: unknown } | null)?.Layers;
      if (!Array.isArray(layers) || !layers.every((l) => typeof l === 'string')) return `manifest.json: image ${i + 1} has no Layers list`;
      const tags = (entry as { RepoTags?: unknown }).RepoTags;
      const label = Array.isArray(tags) && typeof tags[0] === 'string' ? tags[0] : `image ${i + 1}`;
      images.push({ label, layers: (layers as string[]).map((name) => ({ name })) });
    }
    return images.length > 0 ? { images, unread: [] } : 'manifest.json lists no image';
  }
  if (archive.has('index.json')) {
    const images: ImageLayers[] = [];
    const unread: UnreadPath[] = [];
    const index = json(archive, 'index.json');
    if (typeof index === 'string') return index;
    collectOci(archive, index, 'index.json', 0, images, unread);
    return images.length > 0 || unread.length > 0 ? { images, unread } : 'index.json lists no image';
  }
  return 'no manifest.json or index.json: not a docker save archive or an OCI image layout';
}

interface Descriptor {
  mediaType?: string;
  digest?: string;
  platform?: { os?: string; architecture?: string; variant?: string };
  annotations?: Record<string, string>;
}

/** Adds the images an OCI index (or manifest) names, following nested indexes to a bounded depth. */
function collectOci(archive: Archive, node: unknown, name: string, depth: number, images: ImageLayers[], unread: UnreadPath[], label?: string): void {
  const value = node as { manifests?: unknown; layers?: unknown } | null;
  if (value && Array.isArray(value.layers)) {
    const layers = (value.layers as Descriptor[]).map((l) => ({ name: blobPath(l?.digest) ?? `(a layer of ${name} with no valid digest)`, ...(typeof l?.mediaType === 'string' ? { mediaType: l.mediaType } : {}) }));
    images.push({ ...(label ? { label } : {}), layers });
    return;
  }
  if (!value || !Array.isArray(value.manifests)) {
    unread.push({ path: name, reason: 'neither an image index nor an image manifest' });
    return;
  }
  if (depth >= 4) {
    unread.push({ path: name, reason: 'image indexes nested more than four deep' });
    return;
  }
  for (const descriptor of value.manifests as Descriptor[]) {
    // Build attestations (provenance, SBOMs in in-toto form) are manifests beside the image, not images.
    if (descriptor?.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest') continue;
    const path = blobPath(descriptor?.digest);
    if (!path) {
      unread.push({ path: name, reason: 'a manifest with no valid digest' });
      continue;
    }
    const child = json(archive, path);
    if (typeof child === 'string') {
      unread.push({ path, reason: child });
      continue;
    }
    const p = descriptor.platform;
    const childLabel = p?.os && p.architecture ? `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}` : descriptor.annotations?.['org.opencontainers.image.ref.name'] ?? label ?? descriptor.digest!.slice(7, 19);
    collectOci(archive, child, path, depth + 1, images, unread, childLabel);
  }
}

/** The blob path of a digest (`blobs/sha256/HEX`), or undefined when it is not a digest (so never a path). */
function blobPath(digest: unknown): string | undefined {
  if (typeof digest !== 'string') return undefined;
  const m = /^(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$/.exec(digest);
  return m ? `blobs/${digest.replace(':', '/')}` : undefined;
}

function json(archive: Archive, name: string): unknown {
  const bytes = archive.small(name);
  if (typeof bytes === 'string') return bytes;
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch (error) {
    return `${name} is not valid JSON (${(error as Error).message})`;
  }
}

/**
 * Reads one layer into the state: streamed from its source through the decompressor its first bytes call for and
 * the tar parser. The reason it could not be read to the end, or undefined; what it read before stays applied.
 */
async function readLayer(source: Source, layer: number, state: LayerState, image: string, settings: Settings): Promise<string | undefined> {
  const magic = Buffer.alloc(4);
  const fd = openSync(source.file, 'r');
  try {
    readFully(fd, magic.subarray(0, Math.min(4, source.length)), source.start);
  } finally {
    closeSync(fd);
  }
  if (source.length === 0) return 'it is empty, not a tar';
  const compression = magic[0] === 0x1f && magic[1] === 0x8b ? 'gzip' : magic.readUInt32LE(0) === 0xfd2fb528 ? 'zstd' : magic.subarray(0, 3).toString('latin1') === 'BZh' ? 'bzip2' : magic[0] === 0xfd && magic[1] === 0x37 ? 'xz' : 'none';
  if (compression === 'bzip2' || compression === 'xz') return `it is ${compression}-compressed, which Pinwatch does not read; what it changes was not checked`;
  const members = memberHandlers(layer, state, image, settings);
  const parser = tarParser(members.handlers);
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      try {
        parser.write(chunk);
        done();
      } catch (error) {
        done(error as Error);
      }
    },
    final(done) {
      try {
        parser.finish();
        done();
      } catch (error) {
        done(error as Error);
      }
    },
  });
  const input = createReadStream(source.file, { start: source.start, end: source.start + source.length - 1, highWaterMark: 1024 * 1024 });
  try {
    if (compression === 'gzip') await pipeline(input, createGunzip(), sink);
    else if (compression === 'zstd') await pipeline(input, zstdStream(), sink);
    else await pipeline(input, sink);
  } catch (error) {
    const where = isTarError(error) ? error.message : `the ${compression} stream is corrupt (${(error as Error).message}) after ${formatSize(parser.offset)} of tar`;
    return `${where}; the rest of the layer was not checked`;
  }
  return members.full ? `more than ${maxKept.toLocaleString('en-US')} files of interest; the rest were not checked` : undefined;
}

/** A zstd decompressor as a stream (fzstd decompresses in pure JavaScript; Node 20's zlib has no zstd). */
function zstdStream(): Transform {
  const stream: Transform = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      try {
        decompress.push(chunk);
        done();
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done) {
      try {
        decompress.push(new Uint8Array(0), true);
        done();
      } catch (error) {
        done(error as Error);
      }
    },
  });
  const decompress = new Decompress((data) => {
    stream.push(Buffer.from(data));
  });
  return stream;
}

/** The tar handlers that apply one layer's members to the state, analysing the members of interest as they pass. */
function memberHandlers(layer: number, state: LayerState, image: string, settings: Settings): { handlers: Parameters<typeof tarParser>[0]; full: boolean } {
  let current: { path: string; chunks: Buffer[]; check?: LibraryCheck } | undefined;
  const out = { full: false, handlers: undefined as unknown as Parameters<typeof tarParser>[0] };
  const keep = (path: string, result: Parameters<LayerState['set']>[1]['result']): void => {
    if (!state.set(path, { layer, result })) out.full = true;
  };
  out.handlers = {
    member(member: TarMember): boolean {
      current = undefined;
      const path = normalizeMember(member.name);
      if (path === '') return false;
      const slash = path.lastIndexOf('/');
      const dir = slash < 0 ? '' : path.slice(0, slash);
      const base = path.slice(slash + 1);
      if (base === '.wh..wh..opq') return state.opaque(dir, layer), false;
      if (base.startsWith('.wh.')) return state.whiteout(dir === '' ? base.slice(4) : `${dir}/${base.slice(4)}`, layer), false;
      if (member.type === 'directory') return state.replace(path, layer, true), false;
      const kind = interestOf(path);
      if (member.type === 'hardlink') {
        const target = state.get(normalizeMember(member.linkName));
        state.replace(path, layer, false);
        if (kind) keep(path, target ? target.result : { unread: `a hard link to ${member.linkName}, which Pinwatch did not read` });
        return false;
      }
      if (member.type !== 'file' || !kind) return state.replace(path, layer, false), false;
      if (kind === 'text' && member.size > maxMemberBytes) return keep(path, { unread: `larger than the ${formatSize(maxMemberBytes)} Pinwatch reads of a member (${formatSize(member.size)})` }), false;
      current = { path, chunks: [], ...(kind === 'library' ? { check: libraryCheck(path, settings) } : {}) };
      return true;
    },
    data(chunk: Buffer): void {
      if (!current) return;
      if (current.check) current.check.update(chunk);
      // The parser's chunks are views of the stream's buffers, which are reused: a member's text is copied.
      else current.chunks.push(Buffer.from(chunk));
    },
    end(): void {
      if (!current) return;
      const { path, chunks, check } = current;
      current = undefined;
      if (check) return keep(path, { analysis: check.finish() });
      const text = fileText(Buffer.concat(chunks));
      if (typeof text !== 'string') return keep(path, text);
      const enginePath = `${image}!/${path}`;
      const analysis = analyzeFile(enginePath, text, settings, { uri: pathToFileURL(enginePath).href });
      // A member of an image cannot be edited in place: the fix is a rebuilt image, so no edit is offered.
      keep(path, { analysis: { ...analysis, findings: analysis.findings.map((f) => ({ ...f, fixes: [] })) } });
    },
  };
  return out;
}

/** Whether a member is read: by a format (outside installed-dependency folders, as the walk skips them), or as a library. */
function interestOf(path: string): 'text' | 'library' | undefined {
  if (isLibraryPath(path)) return 'library';
  if (!formatFor(path)) return undefined;
  return path.split('/').some((segment) => skippedDirectories.includes(segment)) ? undefined : 'text';
}
