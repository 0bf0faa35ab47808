/**
 * Go's module file, go.mod: each `require`d module the build uses is a reference at its version token, and so is
 * each `replace` target that is a module version (what is built); a replaced module's own `require` version is not
 * built and gives nothing, nor do `exclude`, `retract`, the `go` and `toolchain` lines. `// indirect` requirements
 * are read like the others. Pseudo-versions and `+incompatible` are Go versions like any other (versions/go.ts).
 */
import type { Extracted, Format } from '../model';
import { readModFile } from './go/modFile';
import { formatPatterns } from './patterns';

/** The go.mod format: the module versions a Go module builds with. */
export const goMod: Format = {
  id: 'go/go.mod',
  patterns: [...formatPatterns['go/go.mod']],
  commentPrefix: '//',
  // The go.mod of the largest modules (Kubernetes) is tens of KB; far past that it is not a file anyone maintains.
  maxLength: 8 * 1024 * 1024,
  wantedEcosystem: 'Go',
  extract(text: string): Extracted[] {
    return readModFile(text, 'go.mod');
  },
  extractWanted(text: string, _path: string, wanted: (name: string, version: string) => boolean): Extracted[] {
    return readModFile(text, 'go.mod', wanted);
  },
};
