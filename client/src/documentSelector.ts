/**
 * The language client's document selector: every format's file-name patterns, matched in any folder.
 */
import { formatPatterns } from '../../server/src/formats/patterns';

/** One entry of a VS Code document selector, the subset this extension uses. */
export interface SelectorEntry {
  scheme: string;
  pattern?: string;
  language?: string;
}

/**
 * Builds the selector: a `file` entry per pattern, and unsaved Dockerfiles (VS Code gives untitled documents no
 * name to match, so the language is the only hint).
 */
export function documentSelector(): SelectorEntry[] {
  const patterns = [...new Set(Object.values(formatPatterns).flat())];
  return [
    ...patterns.map((pattern) => ({ scheme: 'file', pattern: `**/${pattern}` })),
    { scheme: 'untitled', language: 'dockerfile' },
  ];
}
