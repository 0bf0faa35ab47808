/**
 * Container images as the scan reads them: a `docker save` archive (manifest.json, whose `Layers` name tars inside
 * it) or an OCI image layout (oci-layout, index.json, manifests and layers under blobs/), as a tar file or a folder.
 * Nothing is written to disk and no archive is held in memory: the outer tar is indexed by its headers and each
 * layer read at its offset. An uncompressed layer (as `docker save` writes them) is read in place by its headers
 * too, and only the data of the members of interest is read (`readTarAt`); a compressed one is streamed through
 * gunzip (Node's zlib) or zstd (fzstd) into Pinwatch's tar parser. Layers apply in order with their whiteouts; each
 * member a format reads (`formatFor`, from its text, or from its bytes for a format with `extractBytes`) or a
 * library check reads (`isLibraryPath`) is analysed as it passes, and only the last layer's result for each path
 * is kept. Findings are named `image.tar!/lib/apk/db/installed`. The policy of the archive's path and `--exclude`
 * apply to its members, matched as `image.tar!/lib/apk/db/installed` (see `ImageOptions`).
 */
import { closeSync, createReadStream, openSync, statSync } from 'node:fs';
import { basename, isAbsolute, relative, sep } from 'node:path';
import type { Transform } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { Decompress } from 'fzstd';
import type { AdvisoryIndex } from '../advisories/index';
import { stream as streams, streamPromises, zlib } from '../builtins';
import { analyzeBytes, analyzeFile, formatFor, type Analysis } from '../engine';
import { fileText } from '../fileText';
import { isLibraryPath, libraryCheck, type LibraryCheck } from '../libraries';
import type { Finding, Format, Settings } from '../model';
import type { FileResult, UnreadPath } from '../report/types';
import { globToRegExp, skippedDirectories } from '../workspace';
import { compressedName, folderArchive, imagesOf, tarArchive, type Archive, type Source } from './archive';
import { layerState, maxKept, type LayerState, type MemberResult } from './layers';
import { formatSize, isTarError, normalizeMember, readFully, readTarAt, type TarHandlers, type TarMember, tarParser } from './tar';


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
 * The scan's hooks, as they apply to an image: a policy file governing the archive's path governs its members
 * (`scan.ts`'s `keep`, `adjust` and `index`, given the archive's path and, for a member, its path inside the
 * image), and `--exclude` globs are matched against `ARCHIVE!/member`, ARCHIVE being the archive's path as the walk
 * matches it (relative to the scanned folder that holds it; its name when it was named itself).
 */
export interface ImageOptions {
  /** False leaves out the archive (without `member`) or one of its members (not read at all). */
  keep?: (path: string, member?: string) => boolean;
  /** Changes a member's findings (a policy file's suppressions and severities). */
  adjust?: (path: string, findings: Finding[], member?: string) => Finding[];
  /** The advisory index the archive's members are judged by, when it is not the run's default. */
  index?: (path: string) => AdvisoryIndex | undefined;
  /** `--exclude` globs. */
  exclude?: readonly string[];
  /** The scanned paths (absolute), which `exclude` globs are relative to. */
  roots?: readonly string[];
}

/**
 * Scans an image (a tar file or an OCI folder at `path`, shown as `display`): the findings of the members its
 * last layers leave, and what could not be read. Never throws, but for what the hooks throw (a policy file that
 * cannot be read is a UserError, as for any file).
 */
export async function scanImage(path: string, display: string, settings: Settings, options: ImageOptions = {}): Promise<ImageScan> {
  const unread: UnreadPath[] = [];
  if (options.keep && !options.keep(path)) return { files: [], unread, filesScanned: 0 };
  const hooks = memberHooks(path, options);
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
    const reading = imageReading(absolute, settings, hooks);
    const state = reading.state;
    for (const [index, layer] of image.layers.entries()) {
      const source = archive.source(layer.name);
      if (typeof source === 'string') {
        unread.push({ path: `${prefix}!/${layer.name}`, reason: `layer ${index + 1} of ${image.layers.length}: ${source}; what it changes was not checked` });
        continue;
      }
      const problem = await readLayer(source, reading.layer(index));
      if (problem) unread.push({ path: `${prefix}!/${layer.name}`, reason: `layer ${index + 1} of ${image.layers.length}: ${problem}` });
    }
    for (const [member, kept] of state.entries()) {
      if ('unread' in kept.result) {
        unread.push({ path: `${prefix}!/${member}`, reason: kept.result.unread });
        continue;
      }
      filesScanned++;
      const analysis = options.adjust ? { ...kept.result.analysis, findings: options.adjust(path, kept.result.analysis.findings, member) } : kept.result.analysis;
      const { findings, problems, notices } = analysis;
      if (findings.length > 0 || problems.length > 0 || (notices?.length ?? 0) > 0) files.push({ path: `${prefix}!/${member}`, absolutePath: `${absolute}!/${member}`, ...analysis });
    }
  }
  return { files, unread: [...images.unread.map((u) => ({ path: `${display}!/${u.path}`, reason: u.reason })), ...unread], filesScanned };
}

/** What decides, for one image, which members are read and how they are judged. */
interface MemberHooks {
  /** Whether a member (its normalised path) is read at all. */
  keep(member: string): boolean;
  index?: AdvisoryIndex;
}

/** The member hooks of the image at `path`: the policy's `keep` and `--exclude` on `ARCHIVE!/member`, the policy's index. */
function memberHooks(path: string, options: ImageOptions): MemberHooks {
  const globs = (options.exclude ?? []).map(globToRegExp);
  const root = options.roots?.find((r) => {
    const rel = relative(r, path);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  });
  const name = root === undefined ? basename(path) : relative(root, path).split(sep).join('/');
  const index = options.index?.(path);
  return {
    keep: (member) => !globs.some((glob) => glob.test(`${name}!/${member}`)) && (!options.keep || options.keep(path, member)),
    ...(index ? { index } : {}),
  };
}

/**
 * Reads one layer into the state: an uncompressed tar (a ustar magic in its first header) in place, by its headers
 * and the data of the members of interest; a compressed one streamed from its source through the decompressor its
 * first bytes call for and the tar parser. The reason it could not be read to the end, or undefined; what it read
 * before stays applied.
 */
async function readLayer(source: Source, members: LayerReading): Promise<string | undefined> {
  const head = Buffer.alloc(512);
  const fd = openSync(source.file, 'r');
  try {
    readFully(fd, head.subarray(0, Math.min(512, source.length)), source.start);
  } finally {
    closeSync(fd);
  }
  if (source.length === 0) return 'it is empty, not a tar';
  const magic = head.subarray(0, 4);
  const compression = magic[0] === 0x1f && magic[1] === 0x8b ? 'gzip' : magic.readUInt32LE(0) === 0xfd2fb528 ? 'zstd' : magic.subarray(0, 3).toString('latin1') === 'BZh' ? 'bzip2' : magic[0] === 0xfd && magic[1] === 0x37 ? 'xz' : 'none';
  if (compression === 'bzip2' || compression === 'xz') return `it is ${compression}-compressed, which Pinwatch does not read; what it changes was not checked`;
  const ustar = source.length >= 512 && head.toString('latin1', 257, 262) === 'ustar';
  if (compression === 'none' && ustar) {
    const layerFd = openSync(source.file, 'r');
    try {
      readTarAt(layerFd, source.start, source.length, members.handlers);
    } catch (error) {
      return `${isTarError(error) ? error.message : `it could not be read (${(error as Error).message})`}; the rest of the layer was not checked`;
    } finally {
      closeSync(layerFd);
      await members.settle();
    }
    return members.full() ? `more than ${maxKept.toLocaleString('en-US')} files of interest; the rest were not checked` : undefined;
  }
  const parser = tarParser(members.handlers);
  const sink = new (streams().Writable)({
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
    if (compression === 'gzip') await streamPromises().pipeline(input, zlib().createGunzip(), sink);
    else if (compression === 'zstd') await streamPromises().pipeline(input, zstdStream(), sink);
    else await streamPromises().pipeline(input, sink);
  } catch (error) {
    const where = isTarError(error) ? error.message : `the ${compression} stream is corrupt (${(error as Error).message}) after ${formatSize(parser.offset)} of tar`;
    return `${where}; the rest of the layer was not checked`;
  } finally {
    await members.settle();
  }
  return members.full() ? `more than ${maxKept.toLocaleString('en-US')} files of interest; the rest were not checked` : undefined;
}

/** A zstd decompressor as a stream (fzstd decompresses in pure JavaScript; Node 20's zlib has no zstd). */
function zstdStream(): Transform {
  const stream: Transform = new (streams().Transform)({
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

/** Formats whose `prepare()` has finished in this process (so their members are read as they pass). */
const preparedFormats = new WeakSet<Format>();

/** The most an os-release file may hold to be read for the members beside it. */
const maxSideBytes = 64 * 1024;

/** Whether a member is a file other members' formats read beside them: an os-release (`etc/`, `usr/lib/`), for the distribution. */
function isSideFile(dir: string, base: string): boolean {
  return base === 'os-release' && (dir === 'etc' || dir.endsWith('/etc') || dir === 'usr/lib' || dir.endsWith('/usr/lib'));
}

/** The handlers reading one layer into an image's state, and whether the state filled up. */
interface LayerReading {
  handlers: TarHandlers;
  full(): boolean;
  /** Completes what waits for the layer's end (see `imageReading`); awaited once the layer is read, even in part. */
  settle(): Promise<void>;
}

/** What reading one image keeps from layer to layer. */
interface ImageReading {
  /** The members of interest as the layers read so far leave them. */
  state: LayerState;
  /** The handlers for one layer (by its index, bottom first). */
  layer(index: number): LayerReading;
}

/** A member analysis that may be done again: its slot in the state, and what it read beside it. */
interface Pending {
  path: string;
  /** The object the state (and any hard link to the member) holds: a new analysis replaces its contents. */
  slot: MemberResult;
  /** A format to prepare before the first analysis (a member read from its bytes). */
  format?: Format;
  /** The side files the last analysis read, with what it found (undefined: not there). */
  reads?: Map<string, string | undefined>;
  analyse(readFile: (path: string) => string | undefined): Analysis;
}

/**
 * The reading of one image (its members named `image!/member` for the engine): the state of its members of
 * interest, and beside it the os-release files as the layers leave them, which a member's format reads through
 * `readFile` (an installed-package database's distribution), as on disk. Members are analysed as they pass; an
 * analysis is done again at the end of a layer when a side file it read has changed since (an Alpine layer writes
 * `lib/apk/db/installed` before `usr/lib/os-release`; a later layer may change either), and a member read from
 * its bytes (rpmdb.sqlite) before its format's `prepare()` has finished waits for it there, so a layer without one
 * loads nothing. Only the analyses the state still holds are kept for that, with their input.
 */
function imageReading(image: string, settings: Settings, hooks: MemberHooks): ImageReading {
  const state = layerState();
  const side = layerState<string>();
  let waiting: Pending[] = [];
  const prefix = `${image}!/`;
  const context = (enginePath: string): { uri: string; index?: AdvisoryIndex } => ({ uri: pathToFileURL(enginePath).href, ...(hooks.index ? { index: hooks.index } : {}) });
  // A member of an image cannot be edited in place: the fix is a rebuilt image, so no edit is offered.
  const withoutFixes = (analysis: Analysis): MemberResult => ({ analysis: { ...analysis, findings: analysis.findings.map((f) => ({ ...f, fixes: [] })) } });
  const run = (pending: Pending): MemberResult => {
    const reads = new Map<string, string | undefined>();
    const readFile = (path: string): string | undefined => {
      if (!path.startsWith(prefix)) return undefined;
      const member = normalizeMember(path.slice(prefix.length));
      const slash = member.lastIndexOf('/');
      // Only side files are kept (a lockfile's package.json is not read in an image), so only they are recorded.
      if (!isSideFile(slash < 0 ? '' : member.slice(0, slash), member.slice(slash + 1))) return undefined;
      const text = side.get(member)?.result;
      reads.set(member, text);
      return text;
    };
    const result = withoutFixes(pending.analyse(readFile));
    pending.reads = reads;
    return result;
  };
  const refill = (slot: MemberResult, result: MemberResult): void => {
    for (const key of Object.keys(slot)) delete (slot as Record<string, unknown>)[key];
    Object.assign(slot, result);
  };
  const settle = async (): Promise<void> => {
    for (const pending of waiting) {
      if (pending.format) {
        await pending.format.prepare?.();
        preparedFormats.add(pending.format);
        pending.format = undefined;
      }
      const stale = pending.reads === undefined || [...pending.reads].some(([member, seen]) => side.get(member)?.result !== seen);
      if (stale) refill(pending.slot, run(pending));
    }
    waiting = waiting.filter((p) => p.reads !== undefined && p.reads.size > 0 && state.get(p.path)?.result === p.slot);
  };

  const layer = (index: number): LayerReading => {
    let current: { path: string; chunks: Buffer[]; check?: LibraryCheck; format?: Format; side?: true } | undefined;
    let full = false;
    const keep = (path: string, result: MemberResult): void => {
      if (!state.set(path, { layer: index, result })) full = true;
    };
    const handlers: TarHandlers = {
      member(member: TarMember): boolean {
        current = undefined;
        const path = normalizeMember(member.name);
        if (path === '') return false;
        const slash = path.lastIndexOf('/');
        const dir = slash < 0 ? '' : path.slice(0, slash);
        const base = path.slice(slash + 1);
        if (base === '.wh..wh..opq') return state.opaque(dir, index), side.opaque(dir, index), false;
        if (base.startsWith('.wh.')) {
          const gone = dir === '' ? base.slice(4) : `${dir}/${base.slice(4)}`;
          return state.whiteout(gone, index), side.whiteout(gone, index), false;
        }
        if (member.type === 'directory') return state.replace(path, index, true), side.replace(path, index, true), false;
        if (isSideFile(dir, base)) {
          const target = member.type === 'hardlink' ? side.get(normalizeMember(member.linkName)) : undefined;
          side.replace(path, index, false);
          if (target) side.set(path, { layer: index, result: target.result });
          else if (member.type === 'file' && member.size <= maxSideBytes) current = { path, chunks: [], side: true };
        }
        const interest = interestOf(path);
        const kind = interest && hooks.keep(path) ? interest : undefined;
        if (member.type === 'hardlink') {
          const target = state.get(normalizeMember(member.linkName));
          state.replace(path, index, false);
          if (kind) keep(path, target ? target.result : { unread: `a hard link to ${member.linkName}, which Pinwatch did not read` });
          return false;
        }
        if (member.type !== 'file' || !kind) return state.replace(path, index, false), current !== undefined;
        if (kind === 'text' && member.size > maxMemberBytes) return keep(path, { unread: `larger than the ${formatSize(maxMemberBytes)} Pinwatch reads of a member (${formatSize(member.size)})` }), false;
        const format = formatFor(path);
        current = { path, chunks: [], ...(kind === 'library' ? { check: libraryCheck(path, settings, hooks.index) } : format?.extractBytes ? { format } : {}) };
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
        const { path, chunks, check, format } = current;
        const isSide = current.side === true;
        current = undefined;
        if (isSide) {
          const text = fileText(Buffer.concat(chunks));
          if (typeof text === 'string') side.set(path, { layer: index, result: text });
          return;
        }
        if (check) return keep(path, { analysis: check.finish() });
        const enginePath = `${image}!/${path}`;
        let analyse: Pending['analyse'];
        if (format) {
          // A binary database (rpmdb.sqlite) is read by its format from its bytes, as the scan reads one on disk.
          const bytes = Buffer.concat(chunks);
          analyse = (readFile) => analyzeBytes(enginePath, bytes, settings, { ...context(enginePath), readFile });
        } else {
          const text = fileText(Buffer.concat(chunks));
          if (typeof text !== 'string') return keep(path, text);
          analyse = (readFile) => analyzeFile(enginePath, text, settings, { ...context(enginePath), readFile });
        }
        if (format && !preparedFormats.has(format)) {
          const pending: Pending = { path, slot: { unread: `${path} was not read` }, format, analyse };
          waiting.push(pending);
          return keep(path, pending.slot);
        }
        const pending: Pending = { path, slot: { unread: '' }, analyse };
        const result = run(pending);
        if (pending.reads!.size === 0) return keep(path, result);
        refill(pending.slot, result);
        waiting.push(pending);
        keep(path, pending.slot);
      },
    };
    return { handlers, full: () => full, settle };
  };
  return { state, layer };
}

/** Whether a member is read: by a format (outside installed-dependency folders, as the walk skips them), or as a library. */
function interestOf(path: string): 'text' | 'library' | undefined {
  if (isLibraryPath(path)) return 'library';
  if (!formatFor(path)) return undefined;
  return path.split('/').some((segment) => skippedDirectories.includes(segment)) ? undefined : 'text';
}
