/**
 * Imported advisories beside the bundled ones: an index whose `extra` lookup adds the entries of imported records
 * (a store's sources, dumps given with `--advisories`), without those that duplicate a bundled record. A
 * duplicate is an imported entry for a package a bundled record also lists, when the two share an id or alias
 * (`GHSA-...`, `CVE-...`) or the bundled entries already cover every version it lists: the bundled record is
 * kept, with its safe versions and artifacts. An imported record found in several sources counts once.
 */
import { buildIndex, isAffected, type AdvisoryIndex, type IndexEntry } from './index';
import { knownIds, type OsvRecord } from './records';

/** Looks up imported entries by base ecosystem and normalised name. */
export type EntryLookup = (ecosystem: string, name: string) => readonly IndexEntry[];

/** The index of `base` with the entries of imported lookups (searched in order) added after its own. */
export function withImported(base: AdvisoryIndex, lookups: readonly EntryLookup[], idsOf: (entry: IndexEntry) => readonly string[]): AdvisoryIndex {
  if (lookups.length === 0) return base;
  // Per ecosystem, by name: a lockfile asks for each of its packages several times.
  const cache = new Map<string, Map<string, readonly IndexEntry[]>>();
  const extra = (ecosystem: string, name: string): readonly IndexEntry[] => {
    let names = cache.get(ecosystem);
    if (!names) cache.set(ecosystem, (names = new Map()));
    const cached = names.get(name);
    if (cached) return cached;
    const own = base.packages.get(`${ecosystem}\0${name}`) ?? [];
    const ownIds = new Set(own.flatMap((e) => knownIds(e.record)).map((id) => id.toUpperCase()));
    const seen = new Set<string>();
    const out: IndexEntry[] = [];
    for (const lookup of lookups) {
      for (const entry of lookup(ecosystem, name)) {
        const ids = idsOf(entry);
        const id = ids[0] ?? '';
        if (seen.has(id)) continue;
        seen.add(id);
        if (own.length > 0 && duplicates(entry, ids, own, ownIds)) continue;
        out.push(entry);
      }
    }
    names.set(name, out.length === 0 ? none : out);
    return out;
  };
  return { ...base, extra };
}

const none: readonly IndexEntry[] = [];

function duplicates(entry: IndexEntry, ids: readonly string[], own: readonly IndexEntry[], ownIds: ReadonlySet<string>): boolean {
  if (ids.some((id) => ownIds.has(id.toUpperCase()))) return true;
  if (entry.affected.database_specific?.all_versions) return own.some((o) => o.affected.database_specific?.all_versions === true);
  const versions = entry.affected.versions ?? [];
  return versions.length > 0 && versions.every((v) => own.some((o) => isAffected(o.affected, v)));
}

/** A lookup over records held in memory (a dump given with `--advisories`), and the ids of its entries. */
export function recordLookup(records: readonly OsvRecord[]): { lookup: EntryLookup; idsOf: (entry: IndexEntry) => readonly string[] } {
  const index = buildIndex(records);
  return {
    lookup: (ecosystem, name) => index.packages.get(`${ecosystem}\0${name}`) ?? [],
    idsOf: (entry) => [entry.record.id, ...(entry.record.aliases ?? [])],
  };
}
