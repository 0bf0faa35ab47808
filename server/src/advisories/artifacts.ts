/**
 * Matching of downloaded artifacts (release tarball URLs, git tags, checksums, hosts) and of dated base images
 * against the advisories' `artifacts` and `images` lists.
 */
import type { ArtifactReference } from '../model';
import type { ArtifactEntry, ImageWindow, OsvRecord } from './records';

/** An artifact an advisory names, found in a file. */
export interface ArtifactMatch {
  record: OsvRecord;
  entry: ArtifactEntry;
}

/** A base image whose tag dates it into a compromise window. */
export interface ImageMatch {
  record: OsvRecord;
  window: ImageWindow;
  /** The build date read from the tag, `YYYY-MM-DD`. */
  date: string;
}

/** Every advisory artifact that an artifact reference names. */
export function matchArtifact(records: readonly OsvRecord[], written: ArtifactReference): ArtifactMatch[] {
  // An SRI value (`sha256-<base64>`, as Bazel's `integrity` writes it) is the digest it encodes.
  const ref = written.kind === 'sri' ? sriDigest(written) : written;
  if (!ref) return [];
  const matches: ArtifactMatch[] = [];
  // A URL is parsed once per reference, not once per advisory entry it is compared with.
  const url = ref.kind === 'url' ? parseUrl(ref.value) : undefined;
  const archive = url && gitArchive(url);
  for (const { record, entry } of candidates(artifactIndex(records), ref, url, archive)) {
    if (artifactMatches(entry, ref, url, archive)) matches.push({ record, entry });
  }
  // The most specific entry wins: a release file over a bare host for the same URL, and an archive URL entry
  // (which names the version) over the tag it was made from.
  const rank = { file: 0, url: 0, sha256: 0, sha512: 0, 'git-tag': 1, host: 2 } as const;
  const best = Math.min(...matches.map((m) => rank[m.entry.kind]));
  return matches.filter((m) => rank[m.entry.kind] === best);
}

/** An advisory artifact entry, with its place among all of them (record order, then entry order). */
interface IndexedEntry {
  record: OsvRecord;
  entry: ArtifactEntry;
  order: number;
}

/** The artifact entries of a set of records, by the keys a reference can name, so a reference is not compared with each. */
interface ArtifactIndex {
  byFile: Map<string, IndexedEntry[]>;
  byUrlKey: Map<string, IndexedEntry[]>;
  byHost: Map<string, IndexedEntry[]>;
  bySha256: Map<string, IndexedEntry[]>;
  bySha512: Map<string, IndexedEntry[]>;
  /** The entries a GitHub source archive can match beyond its host: every URL entry and every git tag. */
  archiveEntries: IndexedEntry[];
  gitTags: IndexedEntry[];
}

const artifactIndexes = new WeakMap<readonly OsvRecord[], ArtifactIndex>();

function artifactIndex(records: readonly OsvRecord[]): ArtifactIndex {
  let index = artifactIndexes.get(records);
  if (index) return index;
  index = { byFile: new Map(), byUrlKey: new Map(), byHost: new Map(), bySha256: new Map(), bySha512: new Map(), archiveEntries: [], gitTags: [] };
  const add = (map: Map<string, IndexedEntry[]>, key: string | undefined, item: IndexedEntry): void => {
    if (key === undefined) return;
    const list = map.get(key);
    if (list) list.push(item);
    else map.set(key, [item]);
  };
  let order = 0;
  for (const record of records) {
    if (record.withdrawn) continue;
    for (const entry of record.database_specific?.artifacts ?? []) {
      const item = { record, entry, order: order++ };
      switch (entry.kind) {
        case 'file':
          add(index.byFile, entry.name, item);
          add(index.bySha256, entry.sha256?.toLowerCase(), item);
          add(index.bySha512, entry.sha512?.toLowerCase(), item);
          break;
        case 'url':
          for (const key of entryKeys(entry)) add(index.byUrlKey, key, item);
          add(index.bySha256, entry.sha256?.toLowerCase(), item);
          index.archiveEntries.push(item);
          break;
        case 'host':
          add(index.byHost, entry.host.toLowerCase(), item);
          break;
        case 'sha256':
          add(index.bySha256, entry.value.toLowerCase(), item);
          break;
        case 'sha512':
          add(index.bySha512, entry.value.toLowerCase(), item);
          break;
        case 'git-tag':
          index.gitTags.push(item);
          index.archiveEntries.push(item);
          break;
      }
    }
  }
  artifactIndexes.set(records, index);
  return index;
}

/**
 * The entries that can match a reference (a superset of those `artifactMatches` accepts), once each, in the
 * records' order.
 */
function candidates(index: ArtifactIndex, ref: ArtifactReference, url: ParsedUrl | undefined, archive: GitArchive | undefined): IndexedEntry[] {
  let lists: Array<IndexedEntry[] | undefined>;
  switch (ref.kind) {
    case 'url':
      if (!url) return [];
      lists = archive ? [index.archiveEntries, index.byHost.get(url.host)] : [index.byFile.get(url.lastSegment), index.byUrlKey.get(url.key), index.byHost.get(url.host)];
      break;
    case 'git-tag':
      lists = [index.gitTags];
      break;
    case 'sha256':
      lists = [index.bySha256.get(ref.value.toLowerCase())];
      break;
    case 'sha512':
      lists = [index.bySha512.get(ref.value.toLowerCase())];
      break;
    default:
      return [];
  }
  const present = lists.filter((list): list is IndexedEntry[] => list !== undefined && list.length > 0);
  if (present.length <= 1) return present[0] ?? [];
  return [...new Set(present.flat())].sort((a, b) => a.order - b.order);
}

function artifactMatches(entry: ArtifactEntry, ref: ArtifactReference, url: ParsedUrl | undefined, archive: GitArchive | undefined): boolean {
  switch (ref.kind) {
    case 'url': {
      if (!url) return false;
      if (archive) {
        // GitHub builds these from the git tree whatever file name the URL ends with, so they are never the
        // release tarball: they match only what an advisory says about the tag itself.
        if (entry.kind === 'url') return entry.urls.some((u) => sameArchive(parseUrl(u), archive));
        if (entry.kind === 'git-tag') return revisionMatches(entry, archive.repo, archive.rev);
        if (entry.kind === 'host') return url.host === entry.host.toLowerCase();
        return false;
      }
      if (entry.kind === 'file') return url.lastSegment === entry.name;
      if (entry.kind === 'url') return entryKeys(entry).has(url.key);
      if (entry.kind === 'host') return url.host === entry.host.toLowerCase();
      return false;
    }
    case 'git-tag': {
      if (entry.kind !== 'git-tag') return false;
      const at = ref.value.lastIndexOf('@');
      if (at < 0) return false;
      return revisionMatches(entry, ref.value.slice(0, at), ref.value.slice(at + 1));
    }
    case 'sha256':
    case 'sha512': {
      const value = ref.value.toLowerCase();
      if (entry.kind === ref.kind) return entry.value.toLowerCase() === value;
      if (ref.kind === 'sha256' && (entry.kind === 'file' || entry.kind === 'url')) return entry.sha256?.toLowerCase() === value;
      if (ref.kind === 'sha512' && entry.kind === 'file') return entry.sha512?.toLowerCase() === value;
      return false;
    }
    default:
      return false;
  }
}

/** The hex digest reference an SRI reference encodes, or undefined when it is not a SHA-256 or SHA-512 SRI value. */
function sriDigest(ref: ArtifactReference): ArtifactReference | undefined {
  const m = /^(sha256|sha512)-([A-Za-z0-9+/]+={0,2})$/.exec(ref.value);
  if (!m) return undefined;
  const bytes = Buffer.from(m[2]!, 'base64');
  if (bytes.length !== (m[1] === 'sha256' ? 32 : 64)) return undefined;
  return { ...ref, kind: m[1] as 'sha256' | 'sha512', value: bytes.toString('hex') };
}

/** Whether a git-tag entry names a revision (a tag or a commit) of a repository. */
function revisionMatches(entry: Extract<ArtifactEntry, { kind: 'git-tag' }>, repo: string, rev: string): boolean {
  if (normalizeRepo(repo) !== normalizeRepo(entry.repo)) return false;
  if ((entry.tags ?? []).includes(rev)) return true;
  // A commit may be pinned abbreviated; seven hex digits is git's own default and unambiguous here.
  return /^[0-9a-f]{7,40}$/i.test(rev) && (entry.commits ?? []).some((c) => c.toLowerCase().startsWith(rev.toLowerCase()));
}

/** A source archive GitHub generates from a git revision: the repository (`github.com/owner/name`) and revision. */
interface GitArchive {
  repo: string;
  rev: string;
}

/**
 * The git revision a GitHub source-archive URL downloads, or undefined for any other URL. GitHub spells one
 * archive many ways: `archive/refs/tags/v5.6.1.tar.gz`, `archive/v5.6.1.tar.gz`, `archive/v5.6.1/xz-5.6.1.tar.gz`
 * (the last segment only names the download), and `codeload.github.com/owner/name/tar.gz/refs/tags/v5.6.1`.
 */
function gitArchive(url: ParsedUrl): GitArchive | undefined {
  const segments = url.path.split('/').filter((s) => s !== '');
  let rest: string[];
  if (url.host === 'github.com' || url.host === 'www.github.com') {
    if (segments[2] !== 'archive') return undefined;
    rest = segments.slice(3);
  } else if (url.host === 'codeload.github.com') {
    if (!['tar.gz', 'zip', 'legacy.tar.gz', 'legacy.zip'].includes(segments[2] ?? '')) return undefined;
    rest = segments.slice(3);
  } else {
    return undefined;
  }
  if (segments.length < 4) return undefined;
  if (rest[0] === 'refs' && (rest[1] === 'tags' || rest[1] === 'heads')) rest = rest.slice(2);
  const rev = (rest[0] ?? '').replace(/\.(tar\.gz|tgz|tar\.bz2|tar\.xz|zip)$/i, '');
  if (rev === '') return undefined;
  return { repo: `github.com/${segments[0]!.toLowerCase()}/${segments[1]!.toLowerCase()}`, rev };
}

function sameArchive(url: ParsedUrl | undefined, archive: GitArchive): boolean {
  const other = url && gitArchive(url);
  return other !== undefined && other.repo === archive.repo && other.rev === archive.rev;
}

/** Every image window that a `repo:tag` image reference falls in. */
export function matchImage(records: readonly OsvRecord[], ref: ArtifactReference): ImageMatch[] {
  if (ref.kind !== 'image') return [];
  const { repository, tag } = splitImage(ref.value);
  if (tag === undefined) return [];
  const matches: ImageMatch[] = [];
  for (const record of records) {
    if (record.withdrawn) continue;
    for (const window of record.database_specific?.images ?? []) {
      if (!window.repositories.some((r) => normalizeImageRepo(r) === repository)) continue;
      const date = tagDate(tag, window.suites);
      if (date !== undefined && date >= window.from && date <= window.to) matches.push({ record, window, date });
    }
  }
  return matches;
}

/** `debian:sid-20240311-slim` → repository `debian`, tag `sid-20240311-slim`; a registry port is not a tag. */
export function splitImage(image: string): { repository: string; tag?: string } {
  const noDigest = image.split('@')[0]!;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  if (colon > slash) return { repository: normalizeImageRepo(noDigest.slice(0, colon)), tag: noDigest.slice(colon + 1) };
  return { repository: normalizeImageRepo(noDigest) };
}

function normalizeImageRepo(repository: string): string {
  return repository.toLowerCase().replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '').replace(/^library\//, '');
}

/** The date in a tag `<suite>-YYYYMMDD…` (or `YYYYMMDD…` when a suite is ""), as `YYYY-MM-DD`. */
function tagDate(tag: string, suites: readonly string[]): string | undefined {
  for (const suite of suites) {
    const rest = suite === '' ? tag : tag.startsWith(`${suite}-`) ? tag.slice(suite.length + 1) : undefined;
    if (rest === undefined) continue;
    const m = /^(\d{4})(\d{2})(\d{2})(?!\d)/.exec(rest);
    if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  }
  return undefined;
}

export interface ParsedUrl {
  host: string;
  /** The path without query, fragment or trailing slash. */
  path: string;
  lastSegment: string;
  /** Host and path without scheme, query, fragment or trailing slash: what two spellings of one URL share. */
  key: string;
}

/** The keys of an advisory's `url` entry, parsed on first use: advisories do not change while the program runs. */
const parsedEntries = new WeakMap<ArtifactEntry, ReadonlySet<string>>();

function entryKeys(entry: Extract<ArtifactEntry, { kind: 'url' }>): ReadonlySet<string> {
  let keys = parsedEntries.get(entry);
  if (!keys) {
    keys = new Set(entry.urls.flatMap((u) => parseUrl(u)?.key ?? []));
    parsedEntries.set(entry, keys);
  }
  return keys;
}

export function parseUrl(value: string): ParsedUrl | undefined {
  const m = /^(?:git\+)?[a-z][a-z0-9+.-]*:\/\/([^/?#]+)([^?#]*)/i.exec(value.trim());
  if (!m) return undefined;
  const host = m[1]!.toLowerCase().replace(/^[^@]*@/, '').replace(/:\d+$/, '');
  const path = withoutTrailingSlashes(m[2]!);
  return { host, path, lastSegment: path.slice(path.lastIndexOf('/') + 1), key: `${host}${path}` };
}

function normalizeRepo(repo: string): string {
  return withoutTrailingSlashes(repo.toLowerCase().replace(/^(?:git\+)?[a-z]+:\/\//, '').replace(/^git@([^:]+):/, '$1/').replace(/\.git$/, ''));
}

/**
 * The text without the slashes that end it. A loop, not `/\/+$/`: that expression tries every slash of a run that does
 * not end the text, each time to its end, so a URL with a long run of slashes inside took time quadratic in its length.
 */
function withoutTrailingSlashes(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x2f) end--;
  return text.slice(0, end);
}
