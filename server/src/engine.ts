/**
 * The engine: file text in, findings out. Pure: the only outside input is `context.readFile`, which the caller
 * supplies (the LSP server reads open documents first, the CLI reads the disk).
 */
import { pathToFileURL } from 'node:url';
import { matchRepointedTag } from './advisories/actionTags';
import { matchArtifact, matchImage } from './advisories/artifacts';
import { registryTarball } from './advisories/registryTarballs';
import { buildIndex, entriesFor, hasPackage, isAffected, matchPackage, normalizeName, type AdvisoryIndex } from './advisories/index';
import { bundled, displayId, isIgnored, type OsvRecord } from './advisories/records';
import { artifactFinding, imageFinding, packageFinding, repointedTagFinding, type FindingContext } from './findings';
import { formatFor } from './formats/index';
import type { Extracted, Finding, Notice, PackageReference, Range, ReadProblem, Reference, Settings, WantedFilter } from './model';
import { mayMatch, prefilteredFormats } from './prefilter';
import { applyDirectives, directives, today } from './suppressions';
import { schemeFor } from './versions/index';
import { indexText } from './text';

/** What the engine may ask of its caller while analysing one file. */
export interface AnalyzeContext {
  /** The URI to put in fix edits for the analysed file (defaults to the file: URI of the path). */
  uri?: string;
  /** Reads a sibling file (an npm lockfile's package.json) for cross-file fixes; undefined when unreadable. */
  readFile?(path: string): string | undefined;
  /** Lists the names in a folder beside the file (a pacman database's package folders); undefined when unreadable. */
  listFolder?(path: string): readonly string[] | undefined;
  /** The advisories to match against (defaults to the bundled set). */
  index?: AdvisoryIndex;
  /** Parse even a file that names nothing the index knows (see prefilter.ts); for the differential test. */
  exhaustive?: boolean;
}

let bundledIndex: AdvisoryIndex | undefined;
let chosenIndex: AdvisoryIndex | undefined;

/** The index of the bundled advisories, built on first use. */
export function bundledAdvisories(): AdvisoryIndex {
  bundledIndex ??= buildIndex(bundled);
  return bundledIndex;
}

/** The index an analysis uses when its context names none: the one `useAdvisories` set, else the bundled set. */
export function defaultIndex(): AdvisoryIndex {
  return chosenIndex ?? bundledAdvisories();
}

/**
 * Makes `index` the default of every analysis that names none (the CLI and the server, once they have loaded the
 * advisory store); undefined goes back to the bundled set.
 */
export function useAdvisories(index: AdvisoryIndex | undefined): void {
  chosenIndex = index;
}

/** What the engine concludes about one file: its findings, and the parts of it that could not be read. */
export interface Analysis {
  findings: Finding[];
  /** Where reading stopped or a limit was reached; non-empty means the file was not fully checked. */
  problems: ReadProblem[];
  /** Suppression comments that do not apply or match nothing (absent when there are none). */
  notices?: Notice[];
}

/**
 * Analyses one file: its findings and read problems, each in document order; empty for a file no format reads.
 * Never throws: a format that fails, or a reference whose matching fails, becomes a read problem, so nothing is
 * passed as clean because something else went wrong.
 */
export function analyzeFile(path: string, text: string, settings: Settings, context: AnalyzeContext = {}): Analysis {
  const format = formatFor(path);
  if (!format) return { findings: [], problems: [] };
  const skipped = skipReason(path, text);
  if (skipped !== undefined) return { findings: [], problems: [{ kind: 'problem', reason: 'limit', message: skipped, range: startRange }] };
  const index = context.index ?? defaultIndex();
  // A file that names nothing the advisories know is not parsed; one with a suppression comment is, so that an
  // unused suppression is still reported.
  // (Only a prefiltered format's text is searched for the comment: for the others, often big, that is a wasted pass.)
  if (!context.exhaustive && prefilteredFormats.has(format.id) && !text.includes('pinwatch-ignore') && !mayMatch(format.id, text, index, path)) return { findings: [], problems: [] };
  let extracted: Extracted[];
  try {
    extracted = format.extractWanted ? format.extractWanted(text, path, packageWanted(index, format.wantedEcosystem ?? 'npm'), context.readFile) : format.extract(text, path, context.readFile, context.listFolder);
  } catch (error) {
    return { findings: [], problems: [{ kind: 'problem', reason: 'syntax', message: `Pinwatch could not read this file (${internal(error)}), so it was not checked.`, range: startRange }] };
  }
  const problems = extracted.filter((e): e is ReadProblem => e.kind === 'problem');
  const refs = extracted.filter((e): e is Reference => e.kind !== 'problem');
  const { findings, problems: failed } = referenceFindings(path, text, refs, settings, context);
  const all = [...problems, ...failed].sort((a, b) => byStart(a.range, b.range));
  const found = format.commentPrefix ? directives(text, format.commentPrefix, format.multilineQuotes === true) : [];
  if (found.length === 0) return { findings, problems: all };
  const suppressed = applyDirectives(findings, found, settings.today ?? today());
  return { findings: suppressed.findings, problems: all, ...(suppressed.notices.length > 0 ? { notices: suppressed.notices } : {}) };
}

/**
 * Analyses a binary file that a format reads from its bytes (rpm's rpmdb.sqlite; see `Format.extractBytes`), as
 * `analyzeFile` does a text; empty for a file no such format reads. The caller awaits the format's `prepare` first.
 */
export function analyzeBytes(path: string, bytes: Uint8Array, settings: Settings, context: AnalyzeContext = {}): Analysis {
  const format = formatFor(path);
  if (!format?.extractBytes) return { findings: [], problems: [] };
  let extracted: Extracted[];
  try {
    extracted = format.extractBytes(bytes, path, context.readFile);
  } catch (error) {
    return { findings: [], problems: [{ kind: 'problem', reason: 'syntax', message: `Pinwatch could not read this file (${internal(error)}), so it was not checked.`, range: startRange }] };
  }
  const problems = extracted.filter((e): e is ReadProblem => e.kind === 'problem');
  const { findings, problems: failed } = referenceFindings(path, '', extracted.filter((e): e is Reference => e.kind !== 'problem'), settings, context);
  return { findings, problems: [...problems, ...failed] };
}

/**
 * The findings of references already extracted from a file's text, in document order, under the settings (and a
 * problem for each reference whose matching failed). `analyzeFile` is this after extraction; the incremental
 * re-analysis of a big lockfile calls it for the one entry an edit changed.
 */
export function referenceFindings(path: string, text: string, refs: readonly Reference[], settings: Settings, context: AnalyzeContext = {}): Analysis {
  const index = context.index ?? defaultIndex();
  // The file's URI is for fixes only, and most files have none: it is made when a fix first asks.
  let uri = context.uri;
  const ctx: FindingContext = {
    index,
    text: indexText(text),
    get uri(): string {
      return (uri ??= pathToFileURL(path).href);
    },
    readFile: context.readFile,
  };
  const ignored = (record: OsvRecord): boolean => isIgnored(record, settings.ignore);
  const findings: Finding[] = [];
  const problems: ReadProblem[] = [];
  for (const ref of refs) {
    try {
      findings.push(...findingsFor(ref, index, settings, ctx, ignored));
    } catch (error) {
      problems.push({ kind: 'problem', reason: 'syntax', message: `Pinwatch could not check this reference (${internal(error)}).`, range: ref.range });
    }
  }
  const fixedBuild = safeBuild(refs, index);
  const sorted = findings
    .map((f) => (fixedBuild && f.code === 'compromised-artifact' && f.severity !== 'info' && sameIncident(f, fixedBuild.record) ? asFixedBuildSource(f, fixedBuild.ref) : f))
    .map((f) => (f.severity === 'warning' ? { ...f, severity: settings.warningSeverity } : f))
    .sort((a, b) => byStart(a.reference.range, b.reference.range));
  return { findings: sorted, problems };
}

/** Which npm packages a lockfile format must locate: those an advisory names, at a version it lists (or any, for ''). */
export function npmWanted(index: AdvisoryIndex): (name: string, version: string, ecosystem?: string) => boolean {
  return packageWanted(index, 'npm');
}

/**
 * Which packages a lockfile format must locate: those an advisory names, at a version it lists (or any, for ''), in
 * `ecosystem` unless the call names another (an SBOM lists many).
 */
export function packageWanted(index: AdvisoryIndex, ecosystem: string): WantedFilter {
  // Most names of a big lockfile have no advisory: a set lookup answers them (when no store adds names).
  const none = new Set<string>();
  const wanted = (name: string, version: string, of = ecosystem): boolean => {
    const names = index.extra ? undefined : (index.names.get(of) ?? none);
    return (names === undefined || names.has(normalizeName(of, name))) && entriesFor(index, of, name).some((e) => version === '' || isAffected(e.affected, version));
  };
  // The same set, for a format that tests a name before it makes a string of it (a big package database).
  return Object.assign(wanted, { names: (of: string): ReadonlySet<string> | undefined => (index.extra ? undefined : (index.names.get(of) ?? none)) });
}

/** The findings of one file only (for callers that report nothing else, such as tests); see `analyzeFile`. */
export function analyze(path: string, text: string, settings: Settings, context: AnalyzeContext = {}): Finding[] {
  return analyzeFile(path, text, settings, context).findings;
}

/** The findings of one reference, without the advisories `ignored` leaves out. */
function findingsFor(ref: Reference, index: AdvisoryIndex, settings: Settings, ctx: FindingContext, ignored: (record: OsvRecord) => boolean): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<OsvRecord>();
  if (ref.kind === 'package') {
    if (!hasPackage(index, ref.ecosystem, ref.name)) return findings;
    for (const match of matchPackage(index, ref)) {
      if (ignored(match.record) || seen.has(match.record)) continue;
      seen.add(match.record);
      findings.push(packageFinding(ref, match, ctx));
    }
    for (const match of matchRepointedTag(index, ref)) {
      if (ignored(match.record) || seen.has(match.record)) continue;
      seen.add(match.record);
      findings.push(repointedTagFinding(ref, match, ctx));
    }
  } else if (ref.kind === 'image') {
    if (!settings.imageWindows) return findings;
    for (const match of matchImage(index.records, ref)) {
      if (ignored(match.record) || seen.has(match.record)) continue;
      seen.add(match.record);
      findings.push(imageFinding(ref, match));
    }
  } else {
    // A registry's download (npm's tarball, PyPI's sdist or wheel) is the release it names: judged as that package,
    // with no edit offered (the URL, and any checksum guarding it, change together).
    const release = ref.kind === 'url' ? registryTarball(ref.value) : undefined;
    if (release && hasPackage(index, release.ecosystem, release.name)) {
      const registry = release.ecosystem === 'npm' ? "npm's registry" : 'PyPI';
      const pkg: PackageReference = {
        kind: 'package', ecosystem: release.ecosystem, name: release.name, version: release.version, range: ref.range,
        context: `a download from ${registry}`, ...(ref.via ? { via: ref.via } : {}),
        fix: { kind: 'none', reason: `This URL downloads it from ${registry}: change the URL${ref.guardedBy?.length ? ' and the checksum that guards it' : ''} to a safe release.` },
      };
      findings.push(...findingsFor(pkg, index, settings, ctx, ignored));
    }
    for (const match of matchArtifact(index.records, ref)) {
      if (ignored(match.record) || seen.has(match.record)) continue;
      seen.add(match.record);
      findings.push(artifactFinding(ref, match, ctx));
    }
  }
  return findings;
}

const startRange = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function byStart(a: Range, b: Range): number {
  return a.start.line - b.start.line || a.start.character - b.start.character;
}

function internal(error: unknown): string {
  return `internal error: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * The package a recipe builds, when its distribution lists that release as the fix (Alpine's xz 5.6.1-r2 still
 * downloads the 5.6.1 tarball but regenerates its build scripts): the record that lists it, or undefined.
 */
function safeBuild(refs: readonly Extracted[], index: AdvisoryIndex): { ref: PackageReference; record: OsvRecord } | undefined {
  for (const ref of refs) {
    if (ref.kind !== 'package' || !ref.builds || ref.version === undefined) continue;
    if (matchPackage(index, ref).length > 0) continue;
    const scheme = schemeFor(ref.ecosystem);
    for (const { record, affected } of entriesFor(index, ref.ecosystem, ref.name)) {
      const safe = affected.database_specific?.safe ?? [];
      // The listed fix or a later rebuild of the same upstream release (5.6.1-r3 after 5.6.1-r2).
      if (safe.some((v) => scheme.compare(ref.version!, v) >= 0 && upstreamOf(v) === upstreamOf(ref.version!))) return { ref, record };
    }
  }
  return undefined;
}

function upstreamOf(version: string): string {
  return version.replace(/^\d+:/, '').replace(/-[^-]*$/, '');
}

/** Whether a finding cites the same incident as a record: a shared alias (CVE-2024-3094) or the same id. */
function sameIncident(finding: Finding, record: OsvRecord): boolean {
  return finding.advisory.aliases.some((alias) => record.aliases?.includes(alias)) || finding.advisory.id === displayId(record);
}

function asFixedBuildSource(finding: Finding, built: PackageReference): Finding {
  return {
    ...finding,
    severity: 'info',
    message: `${finding.message} ${built.ecosystem} lists the ${built.name} ${built.version} this recipe builds as fixed, so this is information.`,
  };
}

/** Why a file is not analysed although a format reads it (longer than its format reads), or undefined. */
export function skipReason(path: string, text: string): string | undefined {
  const format = formatFor(path);
  if (format?.maxLength === undefined || text.length <= format.maxLength) return undefined;
  const limit = format.maxLength >= 1024 * 1024 ? `${format.maxLength / (1024 * 1024)} MB` : `${format.maxLength / 1024} KB`;
  return `This file is longer than the ${limit} that Pinwatch reads of a ${format.id} file, so it was not checked.`;
}

export { formatFor };
