/**
 * A block of shell text at known file offsets (a `*.sh` script, a Makefile recipe line) read with the shell
 * reader Dockerfile RUN instructions use (`../shell/script.ts`), into references with exact ranges; the URLs of a
 * file are guarded by every checksum the file checks, as a Dockerfile stage's are.
 */
import type { ArtifactReference, Extracted } from '../../model';
import type { Lookup } from '../shell/expand';
import { artifactReference, pinReference } from '../shell/references';
import { analyzeScript } from '../shell/script';
import type { ShellSource } from '../shell/words';
import type { LineIndex } from '../textPositions';

/** The pins and artifacts of one block of shell text; URLs are collected in `urls` and checksums in `checksums`. */
export function shellBlock(lines: LineIndex, source: ShellSource, lookup: Lookup, acc: { out: Extracted[]; urls: ArtifactReference[]; checksums: string[] }): void {
  const toRange = (span: { start: number; end: number }) => lines.range(span.start, span.end);
  const describe = (name: string, at: { start: number }) => `shell variable ${name}, line ${lines.line(at.start) + 1}`;
  const facts = analyzeScript(source, lookup, { describe });
  for (const pin of facts.installs) {
    const ref = pinReference(pin, undefined, toRange);
    if (ref) acc.out.push(ref);
  }
  for (const artifact of facts.artifacts) {
    const ref = artifactReference(artifact, toRange);
    if (!ref) continue;
    if (ref.kind === 'url') acc.urls.push(ref);
    if (ref.kind === 'sha256' || ref.kind === 'sha512') acc.checksums.push(ref.value);
    acc.out.push(ref);
  }
}

/** Sets `guardedBy` on every URL once all the file's checksums are known. */
export function guardUrls(acc: { urls: ArtifactReference[]; checksums: string[] }): void {
  const guards = [...new Set(acc.checksums)];
  if (guards.length > 0) for (const url of acc.urls) url.guardedBy = guards;
}
