/**
 * The engine: file text in, findings out. Pure: the only outside input is `context.readFile`, which the caller
 * supplies (the LSP server reads open documents first, the CLI reads the disk).
 */
import { pathToFileURL } from 'node:url';
import { matchArtifact, matchImage } from './advisories/artifacts';
import { baseEcosystem, buildIndex, entriesFor, isAffected, matchPackage, normalizeName, type AdvisoryIndex } from './advisories/index';
import { bundled, type OsvRecord } from './advisories/records';
import { artifactFinding, imageFinding, packageFinding, type FindingContext } from './findings';
import { formatFor } from './formats/index';
import type { Extracted, Finding, Settings } from './model';
import { indexText } from './text';

/** What the engine may ask of its caller while analysing one file. */
export interface AnalyzeContext {
  /** The URI to put in fix edits for the analysed file (defaults to the file: URI of the path). */
  uri?: string;
  /** Reads a sibling file (an npm lockfile's package.json) for cross-file fixes; undefined when unreadable. */
  readFile?(path: string): string | undefined;
  /** The advisories to match against (defaults to the bundled set). */
  index?: AdvisoryIndex;
}

let bundledIndex: AdvisoryIndex | undefined;

/** The index of the bundled advisories, built on first use. */
export function defaultIndex(): AdvisoryIndex {
  bundledIndex ??= buildIndex(bundled);
  return bundledIndex;
}

/** Analyses one file: its findings in document order; [] for a file no format reads. Never throws. */
export function analyze(path: string, text: string, settings: Settings, context: AnalyzeContext = {}): Finding[] {
  const format = formatFor(path);
  if (!format || skipReason(path, text) !== undefined) return [];
  const index = context.index ?? defaultIndex();
  let refs: Extracted[];
  try {
    refs = format.extractWanted
      ? format.extractWanted(text, path, (name, version) => entriesFor(index, 'npm', name).some((e) => version === '' || isAffected(e.affected, version)))
      : format.extract(text, path);
  } catch {
    return []; // A format bug must not take the server down; formats are meant to be total.
  }
  const ctx: FindingContext = { index, text: indexText(text), uri: context.uri ?? pathToFileURL(path).href, readFile: context.readFile };
  const ignored = (record: OsvRecord): boolean =>
    settings.ignore.length > 0 && [record.id, ...(record.aliases ?? [])].some((id) => settings.ignore.includes(id));
  const findings: Finding[] = [];
  for (const ref of refs) {
    if (ref.kind === 'package') {
      if (!index.names.get(baseEcosystem(ref.ecosystem))?.has(normalizeName(ref.ecosystem, ref.name))) continue;
      const seen = new Set<OsvRecord>();
      for (const match of matchPackage(index, ref)) {
        if (ignored(match.record) || seen.has(match.record)) continue;
        seen.add(match.record);
        findings.push(packageFinding(ref, match, ctx));
      }
    } else if (ref.kind === 'image') {
      if (!settings.imageWindows) continue;
      const seen = new Set<OsvRecord>();
      for (const match of matchImage(index.records, ref)) {
        if (ignored(match.record) || seen.has(match.record)) continue;
        seen.add(match.record);
        findings.push(imageFinding(ref, match));
      }
    } else {
      const seen = new Set<OsvRecord>();
      for (const match of matchArtifact(index.records, ref)) {
        if (ignored(match.record) || seen.has(match.record)) continue;
        seen.add(match.record);
        findings.push(artifactFinding(ref, match, ctx));
      }
    }
  }
  return findings
    .map((f) => (f.severity === 'warning' ? { ...f, severity: settings.warningSeverity } : f))
    .sort((a, b) => a.reference.range.start.line - b.reference.range.start.line || a.reference.range.start.character - b.reference.range.start.character);
}

/** Why a file is not analysed although a format reads it (too long for its parser), or undefined. */
export function skipReason(path: string, text: string): string | undefined {
  const format = formatFor(path);
  if (format?.maxLength === undefined || text.length <= format.maxLength) return undefined;
  const limit = format.maxLength >= 1024 * 1024 ? `${format.maxLength / (1024 * 1024)} MB` : `${format.maxLength / 1024} KB`;
  return `not analysed: longer than the ${limit} that ${format.id} files are read up to`;
}

export { formatFor };
