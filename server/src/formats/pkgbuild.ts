import type { Extracted, Format } from '../model';
import { formatPatterns } from './patterns';

/** Placeholder until the format is written. */
export const pkgbuild: Format = {
  id: 'arch/PKGBUILD',
  patterns: [...formatPatterns['arch/PKGBUILD']],
  extract(_text: string, _path: string): Extracted[] {
    return [];
  },
};
