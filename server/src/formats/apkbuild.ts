import type { Extracted, Format } from '../model';
import { formatPatterns } from './patterns';

/** Placeholder until the format is written. */
export const apkbuild: Format = {
  id: 'alpine/APKBUILD',
  patterns: [...formatPatterns['alpine/APKBUILD']],
  extract(_text: string, _path: string): Extracted[] {
    return [];
  },
};
