/**
 * The advisories an analysis uses: the bundled set, the local store when it exists, and dumps named for one run
 * (`scan --advisories PATH`, the `pinwatch.advisories.paths` setting), with what a report says about them (counts,
 * the date of the data, the store's age). Reads only local files.
 */
import { defaultLimits, readDump, type DumpLimits } from './dumps';
import { recordLookup, withImported, type EntryLookup } from './imported';
import type { AdvisoryIndex, IndexEntry } from './index';
import { bundled, type OsvRecord } from './records';
import { isStoreError, loadStore, sourceEntries, storeIds, type LoadedStore } from './store';

/** What a report says about the advisories in use. */
export interface AdvisoryInfo {
  /** The date of the newest data in use (`YYYY-MM-DD`): the newest `modified` of the bundled and imported records. */
  date: string;
  bundled: number;
  /** Imported records: in the store, and in dumps named for this run. */
  imported: number;
  /** The store's folder, when a store was loaded. */
  store?: string;
  /** When the store was last imported or checked (ISO 8601), when one was loaded. */
  storeUpdated?: string;
  /** The dumps named for this run. */
  dumps: string[];
}

/** The advisories loaded for a run, and what could not be used (one line each, for standard error). */
export interface LoadedAdvisories {
  index: AdvisoryIndex;
  info: AdvisoryInfo;
  store?: LoadedStore;
  problems: string[];
}

/** What to load. */
export interface LoadOptions {
  /** The store's folder; undefined loads no store. */
  storeDir?: string;
  /** Dumps (zip files or folders) to use for this run only. */
  dumps?: readonly string[];
  includeVulnerabilities?: boolean;
  limits?: DumpLimits;
}

/**
 * Loads the store (when it exists) and the dumps on top of the bundled index `base`. A damaged store is a problem
 * (the bundled set and the sources that check out are still used); a dump that cannot be read throws (a DumpError:
 * the user named it).
 */
export function loadAdvisories(base: AdvisoryIndex, options: LoadOptions): LoadedAdvisories {
  const problems: string[] = [];
  const lookups: EntryLookup[] = [];
  const ids: Array<(entry: IndexEntry) => readonly string[] | undefined> = [];
  let imported = 0;
  let date = newestModified(bundled);
  const dumpRecords: OsvRecord[] = [];
  for (const path of options.dumps ?? []) {
    readDump(path, { includeVulnerabilities: options.includeVulnerabilities === true }, (record) => dumpRecords.push(record), options.limits ?? defaultLimits);
  }
  if (dumpRecords.length > 0) {
    const dumps = recordLookup(dumpRecords);
    lookups.push(dumps.lookup);
    ids.push((entry) => (storeIds.has(entry) ? undefined : dumps.idsOf(entry)));
    imported += dumpRecords.length;
    const newest = newestModified(dumpRecords);
    if (newest > date) date = newest;
  }
  let store: LoadedStore | undefined;
  if (options.storeDir !== undefined) {
    try {
      store = loadStore(options.storeDir);
    } catch (error) {
      if (!isStoreError(error)) throw error;
      problems.push(error.message);
    }
  }
  if (store) {
    problems.push(...store.problems);
    // The most recently imported source first: an id found twice is taken from the newest copy.
    const sources = [...store.sources].sort((a, b) => (a.source.imported < b.source.imported ? 1 : a.source.imported > b.source.imported ? -1 : 0));
    for (const source of sources) {
      lookups.push((ecosystem, name) => sourceEntries(source, ecosystem, name));
      imported += source.source.records;
      if (source.source.newest > date) date = source.source.newest;
    }
    ids.push((entry) => storeIds.get(entry));
  }
  const idsOf = (entry: IndexEntry): readonly string[] => {
    for (const of of ids) {
      const found = of(entry);
      if (found) return found;
    }
    return [entry.record.id];
  };
  const updated = store?.manifest.sources.map((s) => s.checked ?? s.imported).sort().at(-1);
  return {
    index: withImported(base, lookups, idsOf),
    info: {
      date, bundled: bundled.length, imported,
      ...(store ? { store: store.dir } : {}),
      ...(updated ? { storeUpdated: updated } : {}),
      dumps: [...(options.dumps ?? [])],
    },
    ...(store ? { store } : {}),
    problems,
  };
}

/** The warning for a store last updated more than `maxAgeDays` before `now`, or undefined. */
export function staleWarning(info: AdvisoryInfo, maxAgeDays: number, now: Date = new Date()): string | undefined {
  if (info.storeUpdated === undefined || !(maxAgeDays > 0)) return undefined;
  const age = (now.getTime() - Date.parse(info.storeUpdated)) / 86_400_000;
  if (!(age > maxAgeDays)) return undefined;
  return `the advisory store in ${info.store} was last updated ${Math.floor(age)} days ago (${info.storeUpdated.slice(0, 10)}), more than ${maxAgeDays}; run 'pinwatch advisories update' to refresh it`;
}

/** One line about the advisories in use, for `--version` and the text report. */
export function describeAdvisories(info: AdvisoryInfo): string {
  const parts = [`${info.bundled} bundled`];
  if (info.imported > 0) parts.push(`${info.imported} imported`);
  return `advisories of ${info.date} (${parts.join(', ')}${info.store ? `; store ${info.store}` : ''})`;
}

/** The newest `modified` date (`YYYY-MM-DD`) of a record set, or '' when none has one. */
export function newestModified(records: readonly OsvRecord[]): string {
  let newest = '';
  for (const record of records) {
    const day = (record.modified ?? '').slice(0, 10);
    if (/^\d{4}-\d{2}-\d{2}$/.test(day) && day > newest) newest = day;
  }
  return newest;
}
