/**
 * `pinwatch advisories import|update|status`: the local advisory store (see advisories/store.ts). Only `update`
 * touches the network. Exit status: 0 done, 2 for what the user must fix (a dump that cannot be read, a store
 * that cannot be written or is damaged, a download that failed), with one line on standard error each.
 */
import { resolve } from 'node:path';
import { readDump, isDumpError } from './advisories/dumps';
import { defaultFeed, feedEcosystems, proxyOptions, updateFeeds } from './advisories/feed';
import type { SkipReason } from './advisories/importRules';
import { bundled } from './advisories/records';
import { newestModified } from './advisories/load';
import { commitSources, isStoreError, loadStore, storeDir, verifyRecords, writeSource, type SourceWriter, type StoreSource } from './advisories/store';
import { userError } from './scan';

/** What the advisories commands read and write (a subset of the CLI's io). */
export interface AdvisoriesIo {
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
}

/** The help of `pinwatch advisories`. */
export const advisoriesHelp = `Usage: pinwatch advisories import [--include-vulnerabilities] FILE|DIR...
       pinwatch advisories update [--source URL] [--ecosystem E]... [--include-vulnerabilities]
       pinwatch advisories status

Keeps a local store of OSV advisories beside the bundled ones; 'scan' and the language server load it.
The store is in $PINWATCH_CACHE_DIR, else the user's cache folder ($XDG_CACHE_HOME/pinwatch or
~/.cache/pinwatch, ~/Library/Caches/pinwatch, %LOCALAPPDATA%\\pinwatch).

  import    reads OSV records from an OSV all.zip, a folder of OSV JSON files, or a checkout of the
            malicious-packages repository (osv/malicious/...); importing the same path again replaces it
  update    downloads URL/<ecosystem>/all.zip for each ecosystem (default: ${feedEcosystems.join(', ')})
            from URL (default: ${defaultFeed}), with conditional requests, and imports them;
            the only command that uses the network (HTTPS_PROXY is honoured)
  status    prints what the store holds: records per source and ecosystem, what was skipped and why, the
            newest 'modified' date and the store's path, and checks the store's checksums

Only records of malicious or compromised releases are used (MAL- ids, CWE-506, a malware mark): a record's
versions list flags exactly those versions, a malicious package's 'introduced: 0' range with no end flags every
version, and any other range is skipped (counted in status). --include-vulnerabilities also keeps ordinary
vulnerability records, reported as vulnerable-version warnings, never as compromises.

Options:
  --source URL                 the feed (update), e.g. a mirror: http://mirror.example/osv
  --ecosystem E                an ecosystem to update (repeatable)
  --include-vulnerabilities    also keep vulnerability records
  --offline                    refuse any network access (update then fails)
  -h, --help                   show this help

Exit status: 0 done; 2 bad usage, a dump that cannot be read, a store that cannot be written or is damaged,
or a download that failed (the store keeps its previous data for it).`;

/** The options of `pinwatch advisories`, for util.parseArgs. */
export const advisoriesOptions = {
  source: { type: 'string' },
  ecosystem: { type: 'string', multiple: true },
  'include-vulnerabilities': { type: 'boolean' },
  offline: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Runs `pinwatch advisories ARGS`; returns the exit status. Throws UserErrors (exit 2). */
export async function advisoriesCommand(parsed: { values: Partial<Record<keyof typeof advisoriesOptions, unknown>>; positionals: string[] }, io: AdvisoriesIo): Promise<number> {
  const { values, positionals } = parsed;
  const [sub, ...paths] = positionals;
  if (values.help || sub === 'help') return io.stdout(`${advisoriesHelp}\n`), 0;
  const dir = storeDir(io.env);
  const rules = { includeVulnerabilities: values['include-vulnerabilities'] === true };
  if (sub === 'import') {
    if (paths.length === 0) throw userError(`advisories import needs a FILE or DIR (see 'pinwatch advisories --help')`);
    return importPaths(paths.map((p) => resolve(io.cwd, p)), paths, dir, rules, io);
  }
  if (sub === 'update') {
    if (paths.length > 0) throw userError(`advisories update takes no paths (see 'pinwatch advisories --help')`);
    if (values.offline === true) throw userError('advisories update needs the network, and --offline forbids it');
    const source = typeof values.source === 'string' ? values.source : defaultFeed;
    if (!/^https?:\/\//i.test(source)) throw userError(`--source must be an http or https URL (got '${source}')`);
    const ecosystems = (values.ecosystem as string[] | undefined) ?? [...feedEcosystems];
    return update(dir, source, ecosystems, rules, io);
  }
  if (sub === 'status') {
    if (paths.length > 0) throw userError(`advisories status takes no arguments (see 'pinwatch advisories --help')`);
    return status(dir, io);
  }
  if (sub === undefined) throw userError(`advisories needs import, update or status (see 'pinwatch advisories --help')`);
  throw userError(`unknown advisories command '${sub}' (see 'pinwatch advisories --help')`);
}

function importPaths(absolute: readonly string[], named: readonly string[], dir: string, rules: { includeVulnerabilities: boolean }, io: AdvisoriesIo): number {
  const sources: StoreSource[] = [];
  const writers: SourceWriter[] = [];
  try {
    for (const [i, path] of absolute.entries()) {
      const writer = writeSource(dir);
      writers.push(writer);
      const counts = readDump(path, rules, (record) => writer.add(record));
      const source = writer.finish({ key: path, kind: counts.kind, skipped: counts.skipped });
      sources.push(source);
      io.stdout(`imported ${source.records} record${source.records === 1 ? '' : 's'} from ${named[i]}${describeCounts(source)}\n`);
    }
    commitSources(dir, sources);
  } catch (error) {
    for (const writer of writers) writer.abort();
    if (isDumpError(error) || isStoreError(error)) throw userError(`${error.message}; the store was not changed`);
    throw error;
  }
  io.stdout(`store: ${dir}\n`);
  return 0;
}

async function update(dir: string, source: string, ecosystems: readonly string[], rules: { includeVulnerabilities: boolean }, io: AdvisoriesIo): Promise<number> {
  const requestInit = await proxyOptions(source, io.env);
  let outcomes;
  try {
    outcomes = await updateFeeds({ dir, source, ecosystems, rules, ...(requestInit ? { requestInit } : {}) });
  } catch (error) {
    if (isStoreError(error)) throw userError(`${error.message}; the store was not changed`);
    throw error;
  }
  let failed = 0;
  for (const outcome of outcomes) {
    if (outcome.status === 'updated') io.stdout(`${outcome.ecosystem}: updated, ${outcome.records} record${outcome.records === 1 ? '' : 's'}\n`);
    else if (outcome.status === 'unchanged') io.stdout(`${outcome.ecosystem}: unchanged\n`);
    else if (outcome.status === 'not-served') io.stderr(`pinwatch: ${outcome.ecosystem}: the source does not serve it (404), skipped\n`);
    else {
      failed++;
      io.stderr(`pinwatch: ${outcome.ecosystem}: ${outcome.reason}; its previous data is kept\n`);
    }
  }
  io.stdout(`store: ${dir}\n`);
  const served = outcomes.filter((o) => o.status !== 'not-served').length;
  return failed > 0 || served === 0 ? 2 : 0;
}

function status(dir: string, io: AdvisoriesIo): number {
  io.stdout(`bundled: ${bundled.length} records, newest modified ${newestModified(bundled)}\n`);
  let store;
  try {
    store = loadStore(dir);
  } catch (error) {
    if (isStoreError(error)) throw userError(error.message);
    throw error;
  }
  if (!store) {
    io.stdout(`store: ${dir} (empty: run 'pinwatch advisories import' or 'pinwatch advisories update')\n`);
    return 0;
  }
  io.stdout(`store: ${dir}\n`);
  let newest = newestModified(bundled);
  for (const source of store.manifest.sources) {
    if (source.newest > newest) newest = source.newest;
    const ecosystems = Object.entries(source.ecosystems).sort(([a], [b]) => (a < b ? -1 : 1)).map(([e, n]) => `${e} ${n}`).join(', ');
    io.stdout(`source: ${source.key} (${source.kind}, imported ${source.imported.slice(0, 10)}${source.checked ? `, checked ${source.checked.slice(0, 10)}` : ''})\n`);
    io.stdout(`  ${source.records} record${source.records === 1 ? '' : 's'}${ecosystems ? ` (${ecosystems})` : ''}, newest modified ${source.newest || 'unknown'}\n`);
    const skipped = describeSkipped(source.skipped);
    if (skipped) io.stdout(`  skipped: ${skipped}\n`);
  }
  io.stdout(`newest modified: ${newest}\n`);
  const problems = [...store.problems, ...verifyRecords(store)];
  for (const problem of problems) io.stderr(`pinwatch: ${problem}\n`);
  return problems.length > 0 ? 2 : 0;
}

const reasons: Record<SkipReason, string> = {
  'not-json': 'not JSON',
  'not-a-record': 'not an OSV record',
  withdrawn: 'withdrawn',
  vulnerability: 'vulnerability records (not malware; see --include-vulnerabilities)',
  'no-affected': 'without affected packages',
  'open-range': 'ranges that are not exact (open-ended or bounded)',
  'bad-entry': 'affected entries without a usable package or versions',
  'too-large': 'files too large to be records',
};

function describeSkipped(skipped: Partial<Record<SkipReason, number>>): string {
  return Object.entries(skipped).filter(([, n]) => (n ?? 0) > 0).map(([reason, n]) => `${n} ${reasons[reason as SkipReason] ?? reason}`).join(', ');
}

function describeCounts(source: StoreSource): string {
  const skipped = describeSkipped(source.skipped);
  return skipped ? ` (skipped: ${skipped})` : '';
}
