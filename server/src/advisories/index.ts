/**
 * The advisory index: OSV records keyed by ecosystem and package name (binary names included), and the matching
 * of package references against it. Matching is exact, by each ecosystem's own version comparison: never by
 * string prefix, so `5.6.1+really5.4.5-1` is not `5.6.1-1`.
 */
import type { PackageReference } from '../model';
import { schemeFor } from '../versions/index';
import { admits, lowerBound } from './constraints';
import type { Confidence, OsvAffected, OsvEvent, OsvRecord } from './records';

/** A record and one of its affected entries, as filed under one package name. */
export interface IndexEntry {
  record: OsvRecord;
  affected: OsvAffected;
}

/** Records by `ecosystem\0name`; built once per record set. */
export interface AdvisoryIndex {
  readonly records: readonly OsvRecord[];
  readonly packages: ReadonlyMap<string, readonly IndexEntry[]>;
  /** Package names with advisories, per base ecosystem: formats may skip locating anything else. */
  readonly names: ReadonlyMap<string, ReadonlySet<string>>;
  /**
   * Entries from outside `records` (imported advisories, looked up in a store's compact index), by base ecosystem
   * and normalised name; `entriesFor` adds them after the record set's own.
   */
  readonly extra?: (ecosystem: string, name: string) => readonly IndexEntry[];
}

/** What matching found for one package reference. */
export interface PackageMatch {
  record: OsvRecord;
  affected: OsvAffected;
  /** 'exact': the pinned version is affected; 'range': a constraint admits affected versions. */
  how: 'exact' | 'range';
  /** The affected versions the reference pins or admits. */
  versions: string[];
  confidence: Confidence;
}

/** The ecosystem without its OSV suite suffix: `Debian:13` → `Debian`. */
export function baseEcosystem(ecosystem: string): string {
  const colon = ecosystem.indexOf(':');
  return colon < 0 ? ecosystem : ecosystem.slice(0, colon);
}

/** The suite suffix of an OSV ecosystem, if any: `Fedora:40` → `40`. */
export function ecosystemSuite(ecosystem: string): string | undefined {
  const colon = ecosystem.indexOf(':');
  return colon < 0 ? undefined : ecosystem.slice(colon + 1);
}

/** A package name as the index files it: PyPI names normalised as pip does, others lowercased. */
export function normalizeName(ecosystem: string, name: string): string {
  const lower = name.toLowerCase();
  return baseEcosystem(ecosystem) === 'PyPI' ? lower.replace(/[-_.]+/g, '-') : lower;
}

/** Builds the index of a record set; withdrawn records are left out. */
export function buildIndex(records: readonly OsvRecord[]): AdvisoryIndex {
  const packages = new Map<string, IndexEntry[]>();
  const names = new Map<string, Set<string>>();
  for (const record of records) {
    if (record.withdrawn) continue;
    for (const affected of record.affected ?? []) {
      const ecosystem = baseEcosystem(affected.package.ecosystem);
      const all = [affected.package.name, ...(affected.ecosystem_specific?.binaries ?? [])];
      for (const name of new Set(all.map((n) => normalizeName(ecosystem, n)))) {
        const key = `${ecosystem}\0${name}`;
        const list = packages.get(key) ?? [];
        list.push({ record, affected });
        packages.set(key, list);
        const set = names.get(ecosystem) ?? new Set<string>();
        set.add(name);
        names.set(ecosystem, set);
      }
    }
  }
  return { records, packages, names };
}

/** The index entries filed under a reference's ecosystem and name. */
export function entriesFor(index: AdvisoryIndex, ecosystem: string, name: string): readonly IndexEntry[] {
  const base = baseEcosystem(ecosystem);
  const normalized = normalizeName(base, name);
  const own = index.packages.get(`${base}\0${normalized}`) ?? [];
  if (!index.extra) return own;
  const more = index.extra(base, normalized);
  return more.length === 0 ? own : own.length === 0 ? more : [...own, ...more];
}

/** Whether any advisory of the index names a package (the quick test before matching). */
export function hasPackage(index: AdvisoryIndex, ecosystem: string, name: string): boolean {
  const base = baseEcosystem(ecosystem);
  const normalized = normalizeName(base, name);
  if (index.names.get(base)?.has(normalized)) return true;
  return index.extra !== undefined && index.extra(base, normalized).length > 0;
}

/** Every advisory that affects a package reference: its exact version, or (weaker) a constraint that admits one. */
export function matchPackage(index: AdvisoryIndex, ref: PackageReference): PackageMatch[] {
  const matches: PackageMatch[] = [];
  for (const { record, affected } of entriesFor(index, ref.ecosystem, ref.name)) {
    const confidence = affected.database_specific?.confidence ?? 'verified';
    if (ref.version !== undefined) {
      if (isAffected(affected, ref.version)) matches.push({ record, affected, how: 'exact', versions: [ref.version], confidence });
      continue;
    }
    if (ref.constraint === undefined) continue;
    // Whatever a constraint on a package whose every release is malicious resolves to is malicious.
    if (affected.database_specific?.all_versions) {
      matches.push({ record, affected, how: 'range', versions: affected.versions ?? [], confidence });
      continue;
    }
    const admitted = (affected.versions ?? []).filter((v) => admits(ref.ecosystem, ref.constraint!, v));
    if (admitted.length === 0) continue;
    // A constraint that also admits a safe release resolves to it today (the bad releases are gone from the
    // registries), so it is only reported when its floor is itself a bad release or no safe release fits.
    const safe = affected.database_specific?.safe ?? [];
    const floor = lowerBound(ref.ecosystem, ref.constraint);
    const scheme = schemeFor(ref.ecosystem);
    const floorBad = floor !== undefined && admitted.some((v) => scheme.compare(v, floor) === 0);
    // With no safe release named, "none fits" says nothing: only a compromised floor is reported then.
    const safeFits = safe.length === 0 || safe.some((v) => admits(ref.ecosystem, ref.constraint!, v));
    if (floorBad || !safeFits) matches.push({ record, affected, how: 'range', versions: admitted, confidence });
  }
  return matches;
}

/** Whether an affected entry lists a version, by the ecosystem's equality, or its ranges contain it. */
export function isAffected(affected: OsvAffected, version: string): boolean {
  const scheme = schemeFor(affected.package.ecosystem);
  if (scheme.invalid(version) !== undefined && !(affected.versions ?? []).includes(version)) return false;
  if ((affected.versions ?? []).some((v) => scheme.compare(v, version) === 0)) return true;
  return (affected.ranges ?? []).some((range) => range.type !== 'GIT' && inRange(range.events, version, (a, b) => scheme.compare(a, b)));
}

/**
 * Whether a version falls in an OSV range, evaluated as the OSV spec describes: events sorted by version, each
 * `introduced` opens, `fixed`/`limit` close before, `last_affected` closes after.
 */
export function inRange(events: readonly OsvEvent[], version: string, compare: (a: string, b: string) => number): boolean {
  const point = (e: OsvEvent): string => ('introduced' in e ? e.introduced : 'fixed' in e ? e.fixed : 'last_affected' in e ? e.last_affected : e.limit);
  const order = (a: string, b: string): number => (a === '0' ? (b === '0' ? 0 : -1) : b === '0' ? 1 : compare(a, b));
  const sorted = [...events].sort((a, b) => order(point(a), point(b)));
  let affected = false;
  for (const event of sorted) {
    const at = order(point(event), version);
    if ('introduced' in event) {
      if (at <= 0) affected = true;
    } else if ('fixed' in event || 'limit' in event) {
      if (at <= 0) affected = false;
    } else if (at < 0) {
      affected = false;
    }
  }
  return affected;
}
