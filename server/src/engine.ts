/**
 * The engine: file text in, findings out. Pure: the only outside input is `context.readFile`, which the caller
 * supplies (the LSP server reads open documents first, the CLI reads the disk).
 */
import type { Finding, Settings } from './model';
import { formatFor } from './formats/index';

/** What the engine may ask of its caller while analysing one file. */
export interface AnalyzeContext {
  /** The URI to put in fix edits for the analysed file (defaults to a file: URI of the path). */
  uri?: string;
  /** Reads a sibling file (an npm lockfile's package.json) for cross-file fixes; undefined when unreadable. */
  readFile?(path: string): string | undefined;
}

/** Analyses one file: its findings, in document order; [] for a file no format reads. Never throws. */
export function analyze(path: string, text: string, settings: Settings, context: AnalyzeContext = {}): Finding[] {
  const format = formatFor(path);
  if (!format) return [];
  void text; void settings; void context;
  return [];
}

export { formatFor };
