/**
 * yarn.lock in both of its syntaxes, read by a line pass. Yarn classic (v1) keys each entry by comma-separated
 * `name@range` specs (quoted or not) and writes `version "5.6.1"`; Yarn Berry (v2 and later) writes a YAML-like
 * file with `__metadata`, keys such as `"chalk@npm:^5.6.0, chalk@npm:^5.6.1":`, `version: 5.6.1` and
 * `resolution: "chalk@npm:5.6.1"`. An entry is one installed package whatever the number of specs its key names;
 * the reference is at its version value. Entries that are not registry releases (Berry's `workspace:`, `patch:`,
 * `portal:`, `link:`, `file:` and git resolutions; classic's paths, URLs and git specs) are left out.
 */
import type { Extracted, Format } from '../model';
import { cutShort, everything, isPackageName, isReleaseVersion, lockExtract, type Installed, type LockRead, type OffsetProblem } from './js/installed';
import { forEachLine, unquote, valueAfter } from './js/lines';
import { formatPatterns } from './patterns';

const FILE = 'yarn.lock';

/** One spec of an entry's key: the name it is asked for under, and the real package when it is an `npm:` alias. */
interface Spec {
  name: string;
  real: string;
  /** The range or protocol part after the name (`^5.6.0`, `npm:^5.6.0`, `workspace:.`). */
  range: string;
}

/** The specs of an entry key (`a@^1, "a@^2"` or `"a@npm:^1, a@npm:^2"`), each unquoted; undefined names are dropped. */
export function parseSpecs(key: string): Spec[] {
  const out: Spec[] = [];
  for (const part of key.split(',')) {
    // Classic quotes each spec (`"a@^1", "a@^2"`), Berry the whole key (`"a@npm:^1, a@npm:^2"`).
    let spec = part.trim();
    if (spec.startsWith('"') || spec.startsWith("'")) spec = spec.slice(1);
    if (spec.endsWith('"') || spec.endsWith("'")) spec = spec.slice(0, -1);
    const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0);
    if (at <= 0) continue;
    const name = spec.slice(0, at);
    let range = spec.slice(at + 1);
    let real = name;
    // `alias@npm:real@range`: the package installed is `real`.
    if (range.startsWith('npm:')) {
      const inner = range.slice(4);
      const innerAt = inner.indexOf('@', inner.startsWith('@') ? 1 : 0);
      if (innerAt > 0 && isPackageName(inner.slice(0, innerAt))) {
        real = inner.slice(0, innerAt);
        range = `npm:${inner.slice(innerAt + 1)}`;
      }
    }
    if (isPackageName(name)) out.push({ name, real, range });
  }
  return out;
}

/** Whether a classic spec's range asks the registry (a semver range or a tag), not a path, URL, git or protocol. */
function isRegistryRange(range: string): boolean {
  const plain = range.startsWith('npm:') ? range.slice(4) : range;
  return !/[:/#]/.test(plain);
}

/** The entry being read: its key, and the version and resolution lines seen so far. */
interface Entry {
  keyStart: number;
  keyEnd: number;
  version?: { start: number; end: number };
  resolution?: string;
}

/** One pass over a yarn.lock's text (either syntax): every installed registry package `wanted` accepts, and what could not be read. */
export function readYarnLock(text: string, wanted: (name: string, version: string) => boolean): LockRead {
  const installed: Installed[] = [];
  const problems: OffsetProblem[] = [];
  const berry = hasLineStarting(text, '__metadata:');
  let tabReported = false;
  let strayReported = false;
  let inMetadata = false;
  let metadataVersion: { start: number; end: number } | undefined;
  let entry: Entry | undefined;
  const finish = (): void => {
    const current = entry;
    entry = undefined;
    if (!current?.version) return;
    const version = text.slice(current.version.start, current.version.end);
    if (!isReleaseVersion(version)) return;
    // The first spec names the package; the whole key is parsed only for the few entries `wanted` keeps.
    const key = text.slice(current.keyStart, current.keyEnd);
    const comma = key.indexOf(',');
    const first = parseSpecs(comma >= 0 ? key.slice(0, comma) : key)[0];
    if (!first) return;
    const quick = berry && current.resolution !== undefined ? current.resolution.slice(0, current.resolution.indexOf('@', current.resolution.startsWith('@') ? 1 : 0)) : first.real;
    if (!wanted(quick, version)) return;
    const specs = parseSpecs(key);
    if (specs.length === 0) return;
    let name: string;
    if (berry) {
      // The resolution names the package installed and where from: only `npm:` is the registry.
      const resolution = current.resolution ?? `${specs[0]!.real}@${specs[0]!.range}`;
      const at = resolution.indexOf('@', resolution.startsWith('@') ? 1 : 0);
      if (at <= 0 || !resolution.startsWith('npm:', at + 1)) return;
      name = resolution.slice(0, at);
      if (current.resolution === undefined && !specs[0]!.range.startsWith('npm:')) return;
    } else {
      if (!specs.every((spec) => isRegistryRange(spec.range))) return;
      name = specs[0]!.real;
    }
    if (!isPackageName(name) || !wanted(name, version)) return;
    const direct = specs.some((spec) => spec.name === name);
    installed.push({ name, version, start: current.version.start, end: current.version.end, rank: 0, ...(direct ? {} : { alias: specs[0]!.name }) });
  };
  forEachLine(text, (line) => {
    if (!line.broken) {
      problems.push(cutShort(text, FILE, line.start));
      return;
    }
    if (line.tab >= 0 && !tabReported) {
      tabReported = true;
      problems.push({ reason: 'syntax', message: `${FILE} has a tab in its indentation here where yarn expects spaces, so yarn cannot read it; Pinwatch read the entries it recognised.`, start: line.tab, end: line.tab + 1 });
    }
    const { content, end, indent } = line;
    if (indent === 0) {
      finish();
      inMetadata = false;
      if (text.charCodeAt(end - 1) !== 0x3a) {
        if (strayReported) return;
        strayReported = true;
        problems.push({ reason: 'syntax', message: `${FILE} is not what yarn writes here (an entry's key ends with a colon), so this line was not read.`, start: content, end });
        return;
      }
      if (text.startsWith('__metadata:', content)) {
        inMetadata = true;
        return;
      }
      entry = { keyStart: content, keyEnd: end - 1 };
      return;
    }
    if (indent !== 2) return;
    if (inMetadata) {
      if (text.startsWith('version:', content)) metadataVersion = valueAfter(text, content + 7, end);
      return;
    }
    if (!entry) return;
    if (text.startsWith('version', content)) {
      const after = text.charCodeAt(content + 7);
      if (after !== 0x20 && after !== 0x3a) return;
      const raw = valueAfter(text, after === 0x3a ? content + 7 : content + 6, end);
      entry.version = unquote(text, raw.start, raw.end);
    } else if (berry && text.startsWith('resolution:', content)) {
      const raw = valueAfter(text, content + 10, end);
      const value = unquote(text, raw.start, raw.end);
      entry.resolution = text.slice(value.start, value.end);
    }
  });
  finish();
  // Yarn 4 writes 8 and, from its later releases, 9 and 10 (babel/babel's yarn.lock at yarn 4.14.1 and 4.17.0): the
  // entries keep the form of 8 (the cacheKey and checksum prefix follow the version).
  if (berry && metadataVersion && !/^(?:[3-9]|10)$/.test(text.slice(metadataVersion.start, metadataVersion.end))) {
    problems.push({
      reason: 'syntax',
      message: `__metadata version ${text.slice(metadataVersion.start, metadataVersion.end)} is not one Pinwatch knows (3 to 10): it read the entries whose form it recognises, and others may be missing.`,
      ...metadataVersion,
    });
  }
  return { installed, problems };
}

/** Whether a line of `text` starts with `prefix` (indexOf, which is many times faster than a multiline regex on megabytes). */
function hasLineStarting(text: string, prefix: string): boolean {
  for (let at = text.indexOf(prefix); at >= 0; at = text.indexOf(prefix, at + 1)) {
    const before = text.charCodeAt(at - 1);
    if (at === 0 || before === 0x0a || before === 0x0d || (at === 1 && before === 0xfeff)) return true;
  }
  return false;
}

/** The yarn lockfile format: every installed registry package, one reference each, at its version's exact range. */
export const yarnLock: Format = {
  id: 'yarn/yarn.lock',
  patterns: [...formatPatterns['yarn/yarn.lock']],
  extract(text: string, path: string): Extracted[] {
    return lockExtract(text, path, { manager: 'yarn', context: FILE }, everything, readYarnLock);
  },
  extractWanted(text: string, path: string, wanted: (name: string, version: string) => boolean): Extracted[] {
    return lockExtract(text, path, { manager: 'yarn', context: FILE }, wanted, readYarnLock);
  },
};
