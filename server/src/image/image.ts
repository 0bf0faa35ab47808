/**
 * Container images as the scan reads them: a `docker save` archive (manifest.json, whose `Layers` name tars inside
 * it) or an OCI image layout (oci-layout, index.json, manifests and layers under blobs/), as a tar file or a folder.
 * Nothing is written to disk and no archive is held in memory: the outer tar is indexed by its headers and each
 * layer read at its offset, as a stream through gunzip (Node's zlib) or zstd (fzstd) into Pinwatch's tar parser.
 * Layers apply in order with their whiteouts; each member a format reads (`formatFor`) or a library check reads
 * (`isLibraryPath`) is analysed as it passes, and only the last layer's result for each path is kept. Findings are
 * named `image.tar!/lib/apk/db/installed`.
 */
import { closeSync, createReadStream, openSync, statSync } from 'node:fs';
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
import { skippedDirectories } from '../workspace';
import { compressedName, folderArchive, imagesOf, tarArchive, type Archive, type Source } from './archive';
import { layerState, maxKept, type LayerState } from './layers';
import { formatSize, isTarError, normalizeMember, readFully, type TarMember, tarParser } from './tar';


/** The most a member a format reads may hold; a bigger one is reported as not read. */
export const maxMemberBytes = 64 * 1024 * 1024;

/** What scanning one image found. */
export interface ImageScan {
  /** The members with findings, problems or notices, named `DISPLAY!/member`. */
  files: FileResult[];
  /** What could not be read: the image itself, a layer, or a member (too big, binary), with the reason. */
  unread: UnreadPath[];
  /** How many members were analysed, as the last layer left them. */
  filesScanned: number;
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
