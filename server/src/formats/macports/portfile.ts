/**
 * MacPorts `Portfile`s: the release a port builds (`name` and `version`, or `github.setup owner project
 * version prefix`), at its version word, and the `sha256` digests of `checksums` (in the port and in its
 * `subport`, `platform`, `variant` and `if` bodies). The version gets no edit: the checksums would no longer match.
 */
import type { ArtifactReference, Extracted, Format, PackageReference } from '../../model';
import { formatPatterns } from '../patterns';
import { lineIndex, type LineIndex } from '../textPositions';
import { scanTcl, type TclCommand, type TclWord } from './tclWords';

/** The MacPorts Portfile format. */
export const portfile: Format = {
  id: 'macports/Portfile',
  patterns: [...formatPatterns['macports/Portfile']],
  commentPrefix: '#',
  // Portfiles are a few KB; past 4 MB a text is not one.
  maxLength: 4 * 1024 * 1024,
  extract(text: string): Extracted[] {
    try {
      return extractPortfile(text);
    } catch (error) {
      const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
      return [{ kind: 'problem', reason: 'syntax', message: `Pinwatch could not read this Portfile (internal error: ${error instanceof Error ? error.message : String(error)}), so it was not checked.`, range }];
    }
  },
};

/** Why a port's version gets no edit. */
export const portReason = 'The port checks its distfiles against its checksums: change the version and the checksums together (port bump does both).';

/** Commands whose braced words include scripts of more commands. */
const bodies = new Set(['if', 'elseif', 'else', 'subport', 'platform', 'variant']);

/** How deep bodies are read (`if` in a `subport` in a `platform`…). */
const maxDepth = 8;

function extractPortfile(text: string): Extracted[] {
  const lines = lineIndex(text);
  const out: { at: number; item: Extracted }[] = [];
  let name: TclWord | undefined;
  let version: TclWord | undefined;
  const read = (from: number, to: number, depth: number): void => {
    const { commands, problem } = scanTcl(text, from, to);
    for (const command of commands) {
      const head = command[0]!.literal;
      if (head === undefined) continue;
      if (depth === 0 && head === 'name' && command[1]?.literal) name = command[1];
      else if (depth === 0 && head === 'version' && command[1]?.literal) version = command[1];
      else if (depth === 0 && head === 'github.setup' && command[3]?.literal) {
        name ??= command[2]?.literal ? command[2] : undefined;
        version = command[3];
      } else if (head === 'checksums' || head === 'checksums-append' || head === 'checksums-prepend') {
        for (const d of digests(command, lines)) out.push(d);
      }
      if (bodies.has(head) && depth + 1 <= maxDepth) {
        // Every braced word after the head: the bodies, and conditions or descriptions, which read as harmless commands.
        for (const w of command.slice(1)) if (w.braced) read(w.valueStart, w.end - 1, depth + 1);
      }
    }
    if (problem) out.push({ at: problem.start, item: { kind: 'problem', reason: 'syntax', message: problem.message, range: lines.range(problem.start, problem.end) } });
  };
  read(0, text.length, 0);
  if (name?.literal && version?.literal && /^\S+$/.test(name.literal + version.literal)) {
    const reference: PackageReference = {
      kind: 'package', ecosystem: 'MacPorts', name: name.literal, version: version.literal,
      range: lines.range(version.valueStart, version.valueStart + version.literal.length), fix: { kind: 'none', reason: portReason }, context: 'Portfile version', builds: true,
    };
    out.push({ at: version.start, item: reference });
  }
  return out.sort((a, b) => a.at - b.at).map((o) => o.item);
}

/** The `sha256` digests of a `checksums` command (`[file] rmd160 … sha256 … size …`, for one file or several). */
function digests(command: TclCommand, lines: LineIndex): { at: number; item: ArtifactReference }[] {
  const out: { at: number; item: ArtifactReference }[] = [];
  for (let k = 1; k + 1 < command.length; k++) {
    const value = command[k + 1]!;
    if (command[k]!.literal !== 'sha256' || value.literal === undefined || !/^[0-9a-fA-F]{64}$/.test(value.literal)) continue;
    out.push({ at: value.start, item: { kind: 'sha256', value: value.literal.toLowerCase(), range: lines.range(value.valueStart, value.valueStart + 64), context: 'checksums' } });
  }
  return out;
}
