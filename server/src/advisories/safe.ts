/**
 * The choice of a safe version for a compromised pin: from the advisory's `safe` list, only versions that no
 * advisory affects, nearest first (same release line, then the smallest upgrade, then the largest downgrade).
 */
import type { PackageReference } from '../model';
import { schemeFor } from '../versions/index';
import { ecosystemSuite, entriesFor, isAffected, type AdvisoryIndex, type PackageMatch } from './index';

/** Safe versions to offer for a matched reference, best first; [] when the advisory names none. */
export function safeVersions(index: AdvisoryIndex, ref: PackageReference, match: PackageMatch): string[] {
  const entries = entriesFor(index, ref.ecosystem, ref.name);
  let candidates = match.affected.database_specific?.safe ?? [];
  if (candidates.length === 0) {
    // Another entry of the same record for the same suite (e.g. the Fedora:40 block) may name them.
    const suite = ref.suite === undefined ? undefined : normalizeSuite(ref.suite);
    candidates = entries
      .filter((e) => e.record === match.record && suite !== undefined && normalizeSuite(ecosystemSuite(e.affected.package.ecosystem) ?? '') === suite)
      .flatMap((e) => e.affected.database_specific?.safe ?? []);
  }
  const clean = [...new Set(candidates)].filter((v) => !entries.some((e) => isAffected(e.affected, v)));
  const pinned = ref.version ?? match.versions[0];
  return pinned === undefined ? clean : nearestFirst(ref.ecosystem, pinned, clean);
}

/**
 * Orders candidates by closeness to a version: those of the same line (first two numbers) before the others, and
 * within each group the smallest upgrade first, then the largest downgrade.
 */
export function nearestFirst(ecosystem: string, version: string, candidates: readonly string[]): string[] {
  const scheme = schemeFor(ecosystem);
  const line = releaseLine(version);
  const byCloseness = (group: readonly string[]): string[] => [
    ...group.filter((c) => scheme.compare(c, version) > 0).sort((a, b) => scheme.compare(a, b)),
    ...group.filter((c) => scheme.compare(c, version) <= 0).sort((a, b) => scheme.compare(b, a)),
  ];
  return [...byCloseness(candidates.filter((c) => releaseLine(c) === line)), ...byCloseness(candidates.filter((c) => releaseLine(c) !== line))];
}

/** `5.6` for `1:5.6.1+really5.4.5-1`, `0.7` for `0.7.29`: the line a release belongs to. */
function releaseLine(version: string): string {
  const upstream = version.replace(/^\d+:/, '');
  const m = /^v?(\d+)(?:\.(\d+))?/.exec(upstream);
  return m ? `${Number(m[1])}.${m[2] === undefined ? '' : Number(m[2])}` : upstream;
}

/** `fc40`, `f40` and `40` name the same Fedora release; `v3.19` and `3.19` the same Alpine branch. */
function normalizeSuite(suite: string): string {
  return suite.toLowerCase().replace(/^(fc|f|v)(?=\d)/, '');
}
