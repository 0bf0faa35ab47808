/**
 * Where an image's layers are: the archive (a tar file indexed by its headers, read at offsets, or an OCI layout
 * folder, whose blobs are files below it) and its images, from manifest.json (docker save) or index.json (OCI,
 * following nested indexes, skipping build attestations). Paths come from digests or the archive's own index, never
 * from the disk outside it.
 */
import { closeSync, fstatSync, openSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { UnreadPath } from '../report/types';
import { isWithin } from '../workspace';
import { formatSize, indexTar, isTarHeader, normalizeMember, readFully, type IndexedMember } from './tar';

/** The most a manifest or index may hold. */
const maxManifestBytes = 16 * 1024 * 1024;

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
    return readFully(fd, block, 0) === 512 && isTarHeader(block);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Names of compressed tars, which an image archive is not read as (its layers are found by offset). */
export const compressedName = /\.(?:tar\.gz|tgz|tar\.zst)$/i;

/** A layer's bytes: a run of a file (a member of the outer tar, or a blob of an OCI folder). */
export interface Source {
  file: string;
  start: number;
  length: number;
}

/** One image of an archive: its layers, bottom first, each named as the archive names it. */
export interface ImageLayers {
  label?: string;
  layers: Array<{ name: string; mediaType?: string }>;
}

/** Where an archive's named parts are and how to read the small ones. */
export interface Archive {
  /** A part's bytes by its path in the archive; a string says why it is missing. */
  source(name: string): Source | string;
  /** A small part's bytes (manifests), or why they cannot be read. */
  small(name: string): Buffer | string;
  has(name: string): boolean;
}

/** The archive of a tar file: its members indexed by normalised path (only those an image can name), read in place. */
export function tarArchive(path: string): Archive {
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
export function folderArchive(dir: string): Archive {
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
export function imagesOf(archive: Archive): { images: ImageLayers[]; unread: UnreadPath[] } | string {
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
