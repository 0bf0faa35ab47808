/**
 * Go's workspace file, go.work: its `replace` targets that are module versions are references (they override
 * the replaces of every module of the workspace); `use` names directories, and `go`/`toolchain` Go itself.
 */
import type { Extracted, Format } from '../model';
import { readModFile } from './go/modFile';
import { formatPatterns } from './patterns';

/** The go.work format: the module versions a Go workspace's replaces build with. */
export const goWork: Format = {
  id: 'go/go.work',
  patterns: [...formatPatterns['go/go.work']],
  commentPrefix: '//',
  maxLength: 8 * 1024 * 1024,
  wantedEcosystem: 'Go',
  extract(text: string): Extracted[] {
    return readModFile(text, 'go.work');
  },
  extractWanted(text: string, _path: string, wanted: (name: string, version: string) => boolean): Extracted[] {
    return readModFile(text, 'go.work', wanted);
  },
};
