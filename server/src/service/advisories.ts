/**
 * The language server's advisories: the bundled set, the local store and the dumps the `pinwatch.advisories.paths`
 * setting names, loaded on each settings change and again whenever the store's manifest changes (an
 * `advisories update` from the CLI or from the VS Code command), which re-checks the open documents.
 */
import { watch, type FSWatcher } from 'node:fs';
import { describeAdvisories, loadAdvisories, staleWarning, type AdvisoryInfo } from '../advisories/load';
import { storeDir } from '../advisories/store';
import { bundledAdvisories, useAdvisories } from '../engine';

/** What the advisories settings say. */
export interface AdvisorySettings {
  /** Dumps (zip files or folders) to load beside the store. */
  paths: string[];
  /** The age in days past which the store gets a warning. */
  maxAgeDays: number;
}

/** What the server needs of its surroundings. */
export interface AdvisoryHost {
  /** A warning for the user (shown once per load: a damaged store, a stale one, an unreadable dump). */
  warn(message: string): void;
  /** The store changed on disk: settings should be re-applied and documents re-checked. */
  changed(): void;
  env?: Readonly<Record<string, string | undefined>>;
}

/** The server's advisory state: `apply` loads under settings; `info` says what is in use. */
export interface ServerAdvisories {
  apply(settings: AdvisorySettings): AdvisoryInfo;
  info(): AdvisoryInfo | undefined;
  /** One line for hovers and the status bar: `advisories of 2026-11-30 (38 bundled, 1000 imported)`. */
  describe(): string | undefined;
}

/** Makes the server's advisory state; watching the store starts with the first `apply`. */
export function serverAdvisories(host: AdvisoryHost): ServerAdvisories {
  const dir = storeDir(host.env ?? process.env);
  let current: AdvisoryInfo | undefined;
  let watcher: FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  let lastKey = '';
  const startWatching = (): void => {
    if (watcher) return;
    try {
      watcher = watch(dir, { persistent: false }, (_event, name) => {
        if (name !== 'manifest.json') return;
        clearTimeout(timer);
        timer = setTimeout(() => host.changed(), 200);
      });
      watcher.on('error', () => {
        watcher?.close();
        watcher = undefined;
      });
    } catch {
      // No store folder yet: looked at again on the next apply.
    }
  };
  return {
    apply(settings) {
      let warnings: string[];
      try {
        const loaded = loadAdvisories(bundledAdvisories(), { storeDir: dir, dumps: settings.paths });
        useAdvisories(loaded.index);
        current = loaded.info;
        const stale = staleWarning(loaded.info, settings.maxAgeDays);
        warnings = [...loaded.problems, ...(stale ? [stale] : [])];
      } catch (error) {
        useAdvisories(undefined);
        current = loadAdvisories(bundledAdvisories(), { storeDir: dir }).info;
        warnings = [`could not load pinwatch.advisories.paths: ${(error as Error).message}`];
      }
      // One warning per state of the data, not one per settings change or document.
      const key = JSON.stringify([warnings, current.storeUpdated]);
      if (key !== lastKey) for (const warning of warnings) host.warn(warning);
      lastKey = key;
      startWatching();
      return current;
    },
    info: () => current,
    describe: () => (current ? describeAdvisories(current) : undefined),
  };
}
