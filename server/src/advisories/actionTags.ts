/**
 * GitHub Actions tags that were moved to a malicious commit during an incident and then restored
 * (`database_specific.repointed_tags`): a `uses:` pinned to one is clean today, but it ran the malicious code in
 * the window and can be moved again, so it is reported as a warning that recommends a SHA pin.
 */
import type { PackageReference } from '../model';
import { baseEcosystem, entriesFor, type AdvisoryIndex } from './index';
import type { OsvAffected, OsvRecord } from './records';

/** A tag an advisory says was repointed, found in a `uses:` reference. */
export interface RepointedTagMatch {
  record: OsvRecord;
  affected: OsvAffected;
  /** The malicious commit the tag pointed to. */
  commit: string;
  /** When it did, as the advisory says ("from 2025-03-14 to 2025-03-15"). */
  window: string;
}

/** Every advisory whose repointed tags include the ref of a GitHub Actions reference; [] for a commit SHA. */
export function matchRepointedTag(index: AdvisoryIndex, ref: PackageReference): RepointedTagMatch[] {
  if (baseEcosystem(ref.ecosystem) !== 'GitHub Actions' || ref.version === undefined || /^[0-9a-f]{40}$/i.test(ref.version)) return [];
  const matches: RepointedTagMatch[] = [];
  for (const { record, affected } of entriesFor(index, ref.ecosystem, ref.name)) {
    const tags = affected.database_specific?.repointed_tags;
    if (!tags || !tagIn(tags, ref.version)) continue;
    matches.push({ record, affected, commit: affected.versions?.[0] ?? '', window: tags.window });
  }
  return matches;
}

function tagIn(tags: { tags?: string[]; from?: string; through?: string }, tag: string): boolean {
  if (tags.tags?.includes(tag)) return true;
  if (tags.from === undefined || tags.through === undefined) return false;
  const at = numbers(tag);
  const from = numbers(tags.from);
  const through = numbers(tags.through);
  return at !== undefined && from !== undefined && through !== undefined && compare(from, at) <= 0 && compare(at, through) <= 0;
}

/** `v45.0.7` → [45, 0, 7]; `v45` → [45, 0, 0]; undefined for any other shape (a branch, `v45-beta`). */
function numbers(tag: string): number[] | undefined {
  const m = /^v(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(tag);
  return m ? [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] : undefined;
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
