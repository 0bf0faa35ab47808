/**
 * Build arguments that a Compose file or a devcontainer passes to a Dockerfile's `ARG`: the Dockerfile is read
 * with each argument's value in place of the `ARG` default, and what that value feeds (a package pin, a base image
 * tag, a download URL) is reported at the argument, where the fix edits it.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position } from 'vscode-languageserver-types';
import type { Extracted, Origin, Range, Reference } from '../model';
import { dockerfile } from './dockerfile';
import type { LineIndex } from './textPositions';

/** One build argument: its name, its value, and the file offset of each character of the value. */
export interface BuildArg {
  name: string;
  value: string;
  offsets: readonly number[];
}

/** Where a replaced `ARG` default sits in the rewritten Dockerfile, and the argument that replaced it. */
interface Spot { start: number; end: number; arg: BuildArg }

/**
 * The references a Dockerfile takes from build arguments, at the arguments' positions in this file (`lines`).
 * A value that would need quoting in a Dockerfile, or an argument no `ARG` declares, gives nothing.
 */
export function buildArgReferences(dockerText: string, dockerName: string, args: readonly BuildArg[], lines: LineIndex): Extracted[] {
  const usable = new Map(args.filter((a) => a.value !== '' && !/[\s"'\\$`]/.test(a.value)).map((a) => [a.name, a]));
  if (usable.size === 0) return [];
  const spots: Spot[] = [];
  let rewritten = '';
  let last = 0;
  // `ARG NAME`, `ARG NAME=default` (unquoted or quoted), several on one line.
  const argLine = /^[ \t]*ARG[ \t]+([^\r\n]*)/gim;
  for (let m = argLine.exec(dockerText); m; m = argLine.exec(dockerText)) {
    const lineStart = m.index + m[0].length - m[1]!.length;
    const decl = /([A-Za-z_][A-Za-z0-9_]*)(?:=("[^"]*"|'[^']*'|[^\s]*))?/g;
    for (let d = decl.exec(m[1]!); d; d = decl.exec(m[1]!)) {
      const arg = usable.get(d[1]!);
      if (!arg) continue;
      const start = lineStart + d.index;
      rewritten += dockerText.slice(last, start);
      const valueAt = rewritten.length + arg.name.length + 1;
      rewritten += `${arg.name}=${arg.value}`;
      spots.push({ start: valueAt, end: valueAt + arg.value.length, arg });
      last = start + d[0].length;
    }
  }
  if (spots.length === 0) return [];
  rewritten += dockerText.slice(last);
  const doc = TextDocument.create('pinwatch:build-args', 'dockerfile', 0, rewritten);
  const offsetOf = (p: Position): number => doc.offsetAt(p);
  const spotOf = (offset: number): Spot | undefined => spots.find((s) => offset >= s.start && offset < s.end);
  const toHere = (spot: Spot, from: number, to: number): Range => lines.range(spot.arg.offsets[from - spot.start]!, spot.arg.offsets[to - 1 - spot.start]! + 1);
  const out: Extracted[] = [];
  for (const ref of dockerfile.extract(rewritten, dockerName)) {
    if (ref.kind === 'problem') continue;
    const mapped = mapReference(ref, offsetOf, spotOf, toHere, dockerName);
    if (mapped) out.push(mapped);
  }
  return out;
}

/** A Dockerfile reference whose value comes from a build argument, moved to the argument; undefined otherwise. */
function mapReference(ref: Reference, offsetOf: (p: Position) => number, spotOf: (o: number) => Spot | undefined, toHere: (s: Spot, from: number, to: number) => Range, dockerName: string): Reference | undefined {
  const via = (spot: Spot): string => `build arg ${spot.arg.name}, for ARG ${spot.arg.name} in ${dockerName}`;
  if (ref.kind === 'url' && ref.origins) {
    const runs: Origin[] = [];
    let spot: Spot | undefined;
    for (const run of ref.origins) {
      const inArg = 'at' in run ? spotOf(run.at) : undefined;
      if (inArg && 'at' in run) {
        spot = inArg;
        for (let i = run.from; i < run.to; i++) {
          const at = inArg.arg.offsets[run.at + (i - run.from) - inArg.start];
          runs.push(at === undefined ? { from: i, to: i + 1, variable: '' } : { from: i, to: i + 1, at });
        }
      } else {
        runs.push({ from: run.from, to: run.to, variable: '' });
      }
    }
    if (!spot) return undefined;
    const { edit: _edit, ...rest } = ref;
    return { ...rest, range: toHere(spot, spot.start, spot.end), via: via(spot), origins: mergeRuns(runs) };
  }
  if (!ref.edit) return undefined;
  const start = offsetOf(ref.edit.start);
  const end = offsetOf(ref.edit.end);
  const spot = spotOf(start);
  if (!spot || end > spot.end) return undefined;
  const { edit: _edit, origins: _origins, ...rest } = ref as Reference & { origins?: unknown };
  return { ...rest, range: toHere(spot, start, end), via: via(spot) } as Reference;
}

/** Adjacent one-character runs joined back into runs. */
function mergeRuns(runs: readonly Origin[]): Origin[] {
  const out: Origin[] = [];
  for (const run of runs) {
    const prev = out[out.length - 1];
    if (prev && 'at' in prev && 'at' in run && prev.to === run.from && prev.at + (prev.to - prev.from) === run.at) out[out.length - 1] = { ...prev, to: run.to };
    else if (prev && 'variable' in prev && 'variable' in run && prev.to === run.from && prev.variable === run.variable) out[out.length - 1] = { ...prev, to: run.to };
    else out.push(run);
  }
  return out;
}
