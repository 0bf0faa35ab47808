/**
 * The version-forcing fields of package.json: npm's `overrides` (nested by parent package, with `"."` for the
 * parent itself and `name@range` keys) and Yarn's `resolutions` (keys that are paths such as `**\/ua-parser-js` or
 * `foo/rc`). A compromised version written there is installed everywhere in the tree, so it is a pin like any other.
 */
import { members, type Member } from './jsonScanner';

/** One spec in a forcing field: the package it forces, the member holding the spec and where it was found. */
export interface ForcedSpec {
  name: string;
  entry: Member;
  field: 'overrides' | 'resolutions';
}

/** npm nests overrides at most a few levels in practice; the cap keeps hostile input from recursing deeply. */
const MAX_DEPTH = 16;

/** The specs of `overrides` and `resolutions` in the root members of a manifest, in text order. */
export function forcedSpecs(text: string, root: readonly Member[]): ForcedSpec[] {
  const out: ForcedSpec[] = [];
  const overrides = root.filter((m) => m.key === 'overrides').pop();
  if (overrides) walkOverrides(text, overrides.valueStart, undefined, 0, out);
  const resolutions = root.filter((m) => m.key === 'resolutions').pop();
  if (resolutions && text.charCodeAt(resolutions.valueStart) === 0x7b) {
    for (const entry of lastOfEachKey(members(text, resolutions.valueStart) ?? [])) {
      const name = resolutionName(entry.key);
      if (name) out.push({ name, entry, field: 'resolutions' });
    }
  }
  return out.sort((a, b) => a.entry.valueStart - b.entry.valueStart);
}

/** An overrides object: a string value forces its key's package, an object value nests (its "." is the parent). */
function walkOverrides(text: string, at: number, parent: string | undefined, depth: number, out: ForcedSpec[]): void {
  if (depth > MAX_DEPTH || text.charCodeAt(at) !== 0x7b) return;
  for (const entry of lastOfEachKey(members(text, at) ?? [])) {
    const name = entry.key === '.' ? parent : packageName(entry.key);
    if (text.charCodeAt(entry.valueStart) === 0x7b) {
      if (name) walkOverrides(text, entry.valueStart, name, depth + 1, out);
    } else if (name) {
      out.push({ name, entry, field: 'overrides' });
    }
  }
}

/** The package of an overrides key: `chalk`, `chalk@5`, `@scope/pkg@^1`; undefined when it names none. */
function packageName(key: string): string | undefined {
  const at = key.indexOf('@', key.startsWith('@') ? 1 : 0);
  const name = at < 0 ? key : key.slice(0, at);
  return /^(@[a-z0-9][\w.~-]*\/)?[a-z0-9][\w.~-]*$/i.test(name) ? name : undefined;
}

/** The package a Yarn resolutions key forces: the last package of its path (`**\/a`, `b/@s/a`, `a@^1`). */
function resolutionName(key: string): string | undefined {
  const parts = key.split('/');
  const last = parts.pop() ?? '';
  const scope = parts.length > 0 && parts[parts.length - 1]!.startsWith('@') ? `${parts[parts.length - 1]}/` : '';
  return packageName(scope + last);
}

function lastOfEachKey(list: readonly Member[]): Member[] {
  const last = new Map<string, Member>();
  for (const m of list) last.set(m.key, m);
  return [...last.values()].sort((a, b) => a.valueStart - b.valueStart);
}
