import type { Extracted, Format } from '../model';
import { formatPatterns } from './patterns';

/** Placeholder until the format is written. */
export const packageLock: Format = {
  id: 'npm/package-lock.json',
  patterns: [...formatPatterns['npm/package-lock.json']],
  extract(_text: string, _path: string): Extracted[] {
    return [];
  },
};
