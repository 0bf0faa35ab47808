import type { Extracted, Format } from '../model';
import { formatPatterns } from './patterns';

/** Placeholder until the format is written. */
export const dockerfile: Format = {
  id: 'docker/Dockerfile',
  patterns: [...formatPatterns['docker/Dockerfile']],
  extract(_text: string, _path: string): Extracted[] {
    return [];
  },
};
