/**
 * The check of the compromised library itself: a file named like one an advisory's byte signature is for
 * (`liblzma.so*`, `liblzma.a`, `liblzma*.dylib`) is searched for those bytes, and its SHA-256 compared with every
 * digest the advisories list. The file is streamed in chunks (each search overlaps the last chunk by the
 * signature's length less one), so a library of any size is checked in bounded memory. A match is an error
 * whatever the file's name or version says; a library without one gives nothing, even when named 5.6.1.
 */
import { crypto } from './builtins';
import { closeSync, openSync } from 'node:fs';
import { defaultIndex, type Analysis } from './engine';
import { matchArtifact } from './advisories/artifacts';
import type { AdvisoryIndex } from './advisories/index';
import { bundled, isIgnored, type ByteSignature, type OsvRecord } from './advisories/records';
import { advisoryRef } from './findings';
import { matchesPattern } from './formats/patterns';
import type { ArtifactReference, Finding, Settings } from './model';
import { readFully } from './image/tar';

/** The basename globs of every bundled signature: the library names the walker and the image reader pick out. */
export const libraryPatterns: readonly string[] = [...new Set(bundled.flatMap((r) => r.database_specific?.signatures ?? []).flatMap((s) => s.files))];

/** Whether a path names a library some advisory's byte signature is for (by its basename). */
export function isLibraryPath(path: string): boolean {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1;
  // A walk asks this of every file no format reads: most names do not start as every pattern does.
  if (!path.startsWith(libraryPrefix, cut)) return false;
  const basename = path.slice(cut);
  return libraryPatterns.some((pattern) => matchesPattern(basename, pattern));
}

/** What every library pattern starts with (`liblzma`): the literal text before the first `*` they share. */
const libraryPrefix = commonPrefix(libraryPatterns.map((pattern) => pattern.split('*')[0]!));

function commonPrefix(texts: readonly string[]): string {
  if (texts.length === 0) return '';
  let prefix = texts[0]!;
  for (const text of texts) while (!text.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

/** A check of one library fed its bytes in order. */
export interface LibraryCheck {
  update(chunk: Buffer): void;
  /** The findings, once every byte has been fed. */
  finish(): Analysis;
}

/** The whole file as a finding's range: binary findings have no text range (see `ArtifactReference.binary`). */
const wholeFile = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** Starts the check of the library at `path` (its name picks the signatures) against the index's advisories. */
export function libraryCheck(path: string, settings: Settings, index: AdvisoryIndex = defaultIndex()): LibraryCheck {
  const basename = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const records = index.records.filter((r) => !r.withdrawn && !isIgnored(r, settings.ignore));
  const searches = records.flatMap((record) =>
    (record.database_specific?.signatures ?? [])
      .filter((s) => s.files.some((pattern) => matchesPattern(basename, pattern)) && /^(?:[0-9a-f]{2})+$/i.test(s.hex))
      .map((signature) => ({ record, signature, bytes: Buffer.from(signature.hex, 'hex'), at: -1 })),
  );
  const overlap = Math.max(0, ...searches.map((s) => s.bytes.length - 1));
  const hash = crypto().createHash('sha256');
  let tail = Buffer.alloc(0);
  let offset = 0;
  return {
    update(chunk) {
      hash.update(chunk);
      for (const search of searches) {
        if (search.at >= 0) continue;
        // A match across the boundary starts in the tail; one inside the chunk is found by the chunk's own search.
        const edge = Buffer.concat([tail, chunk.subarray(0, search.bytes.length - 1)]);
        const inEdge = edge.indexOf(search.bytes);
        if (inEdge >= 0) search.at = offset - tail.length + inEdge;
        else {
          const inChunk = chunk.indexOf(search.bytes);
          if (inChunk >= 0) search.at = offset + inChunk;
        }
      }
      tail = chunk.length >= overlap ? Buffer.from(chunk.subarray(chunk.length - overlap)) : Buffer.concat([tail, chunk]).subarray(-overlap);
      offset += chunk.length;
    },
    finish() {
      const digest = hash.digest('hex');
      const findings: Finding[] = [];
      for (const search of searches) if (search.at >= 0) findings.push(signatureFinding(basename, search.record, search.signature, search.at));
      const ref: ArtifactReference = { kind: 'sha256', value: digest, range: wholeFile, binary: true, context: basename };
      const seen = new Set(findings.map((f) => f.advisory.id));
      for (const match of matchArtifact(records, ref)) {
        const advisory = advisoryRef(match.record);
        if (seen.has(advisory.id)) continue;
        seen.add(advisory.id);
        const name = match.entry.kind === 'file' ? match.entry.name : 'a compromised artifact';
        findings.push({
          reference: ref, advisory, severity: 'error', code: 'compromised-artifact', affected: [], safe: upstreamSafe(match.record), fixes: [],
          message: `${basename} has the SHA-256 ${digest.slice(0, 12)}…, which ${advisory.id} lists for ${name}. Replace it with the library of a fixed release.`,
        });
      }
      return { findings, problems: [] };
    },
  };
}

/**
 * Checks a library file on disk, reading it a megabyte at a time: its analysis, or the reason it could not be read.
 */
export function checkLibraryFile(path: string, settings: Settings, index?: AdvisoryIndex): { analysis: Analysis } | { unread: string } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    return { unread: (error as Error).message };
  }
  try {
    const check = libraryCheck(path, settings, index);
    const buffer = Buffer.alloc(1024 * 1024);
    for (let position = 0; ; ) {
      const n = readFully(fd, buffer, position);
      if (n === 0) break;
      check.update(buffer.subarray(0, n));
      position += n;
      if (n < buffer.length) break;
    }
    return { analysis: check.finish() };
  } catch (error) {
    return { unread: (error as Error).message };
  } finally {
    closeSync(fd);
  }
}

function signatureFinding(basename: string, record: OsvRecord, signature: ByteSignature, at: number): Finding {
  const advisory = advisoryRef(record);
  const safe = upstreamSafe(record);
  const reference: ArtifactReference = { kind: 'signature', value: signature.hex.toLowerCase(), range: wholeFile, binary: true, context: basename };
  return {
    reference, advisory, severity: 'error', code: 'compromised-artifact', affected: [], safe, fixes: [],
    note: `The signature was published in ${signature.source}; it was found at byte ${at}.`,
    message: `${basename} contains the byte signature of ${signature.what} (${advisory.id}): it is a compromised build, whatever its name or version says. Replace it with the library of a fixed release${safe.length > 0 ? ` (${safe.join(', ')})` : ''}.`,
  };
}

/** The upstream safe releases a record names. */
function upstreamSafe(record: OsvRecord): string[] {
  return (record.affected ?? []).filter((a) => a.package.ecosystem === 'upstream').flatMap((a) => a.database_specific?.safe ?? []);
}
