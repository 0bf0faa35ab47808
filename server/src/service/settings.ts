/**
 * The server's settings, read from the client's `pinwatch` configuration section: what the engine needs, and
 * what the server itself uses (enable, exclude, debounce). Anything missing or of the wrong type takes its default.
 */
import { defaultSettings, type Settings, type Severity } from '../model';

/** The settings the server works with: the engine's, plus the server's own. */
export interface ServerSettings {
  enable: boolean;
  /** Exclude globs, applied by the workspace walker and to open files. */
  exclude: string[];
  /** Milliseconds to wait after a change before analysing. */
  debounceMs: number;
  engine: Settings;
  /** `pinwatch.advisories.paths` and `.maxAgeDays`. */
  advisories: { paths: string[]; maxAgeDays: number };
}

/** The settings of a client that cannot be asked (no `workspace/configuration`). */
export const defaultServerSettings: ServerSettings = { enable: true, exclude: [], debounceMs: 200, engine: defaultSettings, advisories: { paths: [], maxAgeDays: 7 } };

const severities: readonly Severity[] = ['error', 'warning', 'info'];

/** The server settings for the value of the client's `pinwatch` section (any JSON; null when the client has none). */
export function toServerSettings(section: unknown): ServerSettings {
  const raw = typeof section === 'object' && section !== null ? (section as Record<string, unknown>) : {};
  const d = defaultServerSettings;
  return {
    enable: typeof raw.enable === 'boolean' ? raw.enable : d.enable,
    exclude: strings(raw.exclude) ?? d.exclude,
    debounceMs: typeof raw.debounceMs === 'number' && Number.isFinite(raw.debounceMs) && raw.debounceMs >= 0 ? raw.debounceMs : d.debounceMs,
    engine: {
      ignore: strings(raw.ignore) ?? d.engine.ignore,
      imageWindows: typeof raw.imageWindows === 'boolean' ? raw.imageWindows : d.engine.imageWindows,
      warningSeverity: severities.includes(raw.warningSeverity as Severity) ? (raw.warningSeverity as Severity) : d.engine.warningSeverity,
    },
    advisories: advisorySettings(raw.advisories),
  };
}

/** The `advisories` part of the section (`pinwatch.advisories.*`; `.source` is the client's, for its update command). */
function advisorySettings(value: unknown): ServerSettings['advisories'] {
  const advisories = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const d = defaultServerSettings.advisories;
  const age = advisories.maxAgeDays;
  return {
    paths: strings(advisories.paths)?.filter((p) => p.trim() !== '') ?? d.paths,
    maxAgeDays: typeof age === 'number' && Number.isFinite(age) && age >= 0 ? age : d.maxAgeDays,
  };
}

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;
}
