/** Building the `origins` runs of an artifact's value (see `ArtifactReference.origins`). */
import type { Origin } from '../model';

/** Origin runs from one entry per character (an offset, or a variable name), merging neighbours. */
export function originRuns(each: ReadonlyArray<number | string>): Origin[] {
  const runs: Origin[] = [];
  each.forEach((o, i) => {
    const last = runs[runs.length - 1];
    if (last && typeof o === 'number' && 'at' in last && last.at + (last.to - last.from) === o) last.to = i + 1;
    else if (last && typeof o === 'string' && 'variable' in last && last.variable === o) last.to = i + 1;
    else runs.push(typeof o === 'number' ? { from: i, to: i + 1, at: o } : { from: i, to: i + 1, variable: o });
  });
  return runs;
}
