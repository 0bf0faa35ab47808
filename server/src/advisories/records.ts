/**
 * The OSV record shape Pinwatch reads, with the project's `database_specific` conventions (docs/advisories.md),
 * and the bundled set. Records from elsewhere load through the same type.
 */
import bundledRecords from 'pinwatch:advisories';

/** An OSV range event. */
export type OsvEvent = { introduced: string } | { fixed: string } | { last_affected: string } | { limit: string };

/** One `affected[]` entry of an OSV record. */
export interface OsvAffected {
  package: { ecosystem: string; name: string; purl?: string };
  versions?: string[];
  ranges?: Array<{ type: 'ECOSYSTEM' | 'SEMVER' | 'GIT'; repo?: string; events: OsvEvent[] }>;
  ecosystem_specific?: { binaries?: string[] };
  /**
   * `all_versions` marks the one allowed open-ended range: a package that exists only to carry malware
   * (flatmap-stream), with no safe release.
   */
  database_specific?: {
    safe?: string[];
    /** Fixes the reference names that the package registry no longer lists, so no fix offers them. */
    unlisted?: string[];
    confidence?: Confidence;
    note?: string;
    all_versions?: boolean;
    /**
     * GitHub Actions: the tags that pointed to the malicious commit (the record's `versions`) for a while and were
     * then restored: listed in `tags`, or every `vN[.N[.N]]` tag from `from` through `through`; `window` says when.
     */
    repointed_tags?: { tags?: string[]; from?: string; through?: string; window: string };
  };
}

export type Confidence = 'verified' | 'unverified';

/** A downloaded artifact an advisory names: a release file, a URL, a git tag, a bare digest, or a host. */
export type ArtifactEntry =
  | { kind: 'file'; name: string; version?: string; sha256?: string; sha512?: string; urls?: string[]; severity: ArtifactSeverity; note?: string }
  | { kind: 'url'; urls: string[]; version?: string; sha256?: string; severity: ArtifactSeverity; note?: string }
  | { kind: 'git-tag'; repo: string; tags?: string[]; commits?: string[]; severity: ArtifactSeverity; note?: string }
  | { kind: 'sha256' | 'sha512'; value: string; severity: ArtifactSeverity; note?: string }
  | { kind: 'host'; host: string; severity: ArtifactSeverity; note?: string };

export type ArtifactSeverity = 'error' | 'warning' | 'info';

/** A dated window in which builds of a rolling base image could hold a compromised package. */
export interface ImageWindow {
  repositories: string[];
  /** Tag prefixes before the date (`sid` in `sid-20240311-slim`); `""` allows a tag that starts with the date. */
  suites: string[];
  from: string;
  to: string;
  note?: string;
  confidence?: Confidence;
}

/** An OSV record as Pinwatch reads it. */
export interface OsvRecord {
  schema_version?: string;
  id: string;
  modified: string;
  published?: string;
  withdrawn?: string;
  aliases?: string[];
  summary?: string;
  details?: string;
  affected?: OsvAffected[];
  references?: Array<{ type: string; url: string }>;
  database_specific?: {
    /** `vulnerable` only on imported vulnerability records (`--include-vulnerabilities`): never a compromise. */
    kind?: 'compromised' | 'vulnerable';
    incident?: string;
    sources?: string[];
    artifacts?: ArtifactEntry[];
    images?: ImageWindow[];
    /** Byte sequences whose presence in a binary file (a library) marks it as the compromised build. */
    signatures?: ByteSignature[];
  };
}

/**
 * A byte signature of compromised code: a file whose name matches `files` (basename globs, `*` any run) and whose
 * bytes contain `hex` is the compromised build, whatever its name or version says.
 */
export interface ByteSignature {
  files: string[];
  /** The bytes, as lowercase hex. */
  hex: string;
  /** What the bytes are, for messages ("the injected code of the backdoored liblzma (x86-64 builds)"). */
  what: string;
  /** Where the bytes were published. */
  source: string;
}

/** The advisories bundled with Pinwatch (server/advisories/*.json, inlined at build time). */
export const bundled: readonly OsvRecord[] = bundledRecords as OsvRecord[];

/**
 * The id users know an advisory by: for Pinwatch's own records (`x_` ids), their first alias (a CVE or GHSA) when
 * they have one, else the id without `x_`; for an imported record, its own public id (`MAL-2025-46969`).
 */
export function displayId(record: OsvRecord): string {
  // `x_` only marks a private id for the OSV schema; users see the id without it.
  if (!record.id.startsWith('x_')) return record.id;
  return record.aliases?.[0] ?? record.id.replace(/^x_/, '');
}

/**
 * Every id a user may know an advisory by: its stored id, that id as findings display it (without `x_`), and its
 * aliases.
 */
export function knownIds(record: OsvRecord): string[] {
  return [...new Set([record.id, record.id.replace(/^x_/, ''), displayId(record), ...(record.aliases ?? [])])];
}

/** Whether a list of ids to ignore names an advisory by any id it is known by; ids compare case-insensitively. */
export function isIgnored(record: OsvRecord, ignore: readonly string[]): boolean {
  if (ignore.length === 0) return false;
  const wanted = new Set(ignore.map((id) => id.trim().toUpperCase()));
  return knownIds(record).some((id) => wanted.has(id.toUpperCase()));
}

/** The link a finding points to: the first ADVISORY reference, else the first reference, else the OSV page. */
export function advisoryUrl(record: OsvRecord): string {
  const refs = record.references ?? [];
  const advisory = refs.find((r) => r.type === 'ADVISORY') ?? refs[0];
  if (advisory) return advisory.url;
  const id = displayId(record);
  return id.startsWith('CVE-') ? `https://nvd.nist.gov/vuln/detail/${id}` : `https://osv.dev/vulnerability/${id}`;
}
