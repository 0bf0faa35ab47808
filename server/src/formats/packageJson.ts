/**
 * The npm manifest format, package.json: the dependency fields, where an exact pin (`"chalk": "5.6.1"`) is a
 * reference with a version and a range (`"^5.6.1"`) one with a constraint, each at the exact range of its spec.
 */
import * as semver from 'semver';
import type { Extracted, Format, PackageReference, ReadProblem } from '../model';
import { conflictSides, isJson, readTolerant } from './json/tolerant';
import { decodeString, members, skipWhitespace, type Member } from './npm/jsonScanner';
import { parseAlias } from './npm/lockEntries';
import { forcedSpecs } from './npm/manifestOverrides';
import { positionsAt } from './textPositions';
import { formatPatterns } from './patterns';

const dependencyFields = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const;

/** The npm manifest format: the registry dependencies of package.json with their specs' exact ranges. */
export const packageJson: Format = {
  id: 'npm/package.json',
  patterns: [...formatPatterns['npm/package.json']],
  // A manifest is a few KB; past 16 MB a text is data, not a manifest: it is reported as not read.
  maxLength: 16 * 1024 * 1024,
  extract(text: string): Extracted[] {
    return extractPackageJson(text);
  },
  // The engine passes the names the advisories know: a spec of any other package is not parsed (semver's range
  // parse is most of the cost of a manifest), and it could give no finding.
  extractWanted(text: string, _path: string, wanted: (name: string, version: string) => boolean): Extracted[] {
    return extractPackageJson(text, (name) => wanted(name, ''));
  },
};

/** A manifest's references (see `extractManifest`), or what its conflict sides give, with a problem where it is not JSON. */
function extractPackageJson(text: string, wanted?: (name: string) => boolean): Extracted[] {
  const whole = extractManifest(text, wanted);
  if (whole) return whole;
  // Not JSON: each side of git conflict markers is read as the manifest it would be; anything else is reported.
  const sides = conflictSides(text);
  const refs = sides ? [sides.ours, sides.theirs].map((side) => extractManifest(side, wanted)) : [];
  if (refs.length > 0 && refs.every((r) => r !== undefined)) return unique(refs.flat() as PackageReference[]);
  const error = readTolerant(text).error;
  const [start, end] = positionsAt(text, [error?.offset ?? 0, (error?.offset ?? 0) + (error?.length ?? 0)]);
  const problem: ReadProblem = {
    kind: 'problem',
    reason: 'syntax',
    message: `package.json is not valid JSON here: ${error?.message ?? 'invalid JSON'}. Pinwatch did not check its dependencies.`,
    range: { start: start!, end: end! },
  };
  return [...unique(refs.flatMap((r) => r ?? [])), problem];
}

/** References in document order, each place once (the two sides of a conflict share their unchanged lines). */
function unique(refs: readonly Extracted[]): Extracted[] {
  const seen = new Set<string>();
  return refs
    .filter((ref) => {
      const key = `${ref.range.start.line}:${ref.range.start.character}`;
      return !seen.has(key) && (seen.add(key), true);
    })
    .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/**
 * The longest dependency spec that is read. semver's range grammar takes time quadratic in the spec's length
 * (1.5 s for 20,000 `=`), and no range anyone writes comes near this; a longer one is reported, not read.
 */
const maxSpecLength = 1024;

/**
 * The references of a manifest, or undefined when the text is not one well-formed JSON object; with `wanted`,
 * only those of the packages it accepts.
 */
function extractManifest(text: string, wanted?: (name: string) => boolean): Array<PackageReference | ReadProblem> | undefined {
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const start = skipWhitespace(text, bom);
  // The member scanner checks only the levels it walks, so validity is JSON.parse's to say (a manifest is small).
  if (!isJson(text)) return undefined;
  const root = members(text, start);
  if (!root) return [];
  const found: Array<{ ref: Omit<PackageReference, 'range'> | Omit<ReadProblem, 'range'>; start: number; end: number }> = [];
  const specs: Array<{ name: string; entry: Member; field: string }> = [];
  for (const field of dependencyFields) {
    // As in JSON.parse, the last of repeated keys wins.
    const object = root.filter((m) => m.key === field).pop();
    if (!object || text.charCodeAt(object.valueStart) !== 0x7b) continue;
    for (const entry of lastOfEachKey(members(text, object.valueStart) ?? [])) specs.push({ name: entry.key, entry, field });
  }
  for (const spec of forcedSpecs(text, root)) specs.push(spec);
  for (const { name, entry, field } of specs) {
    const spec = specOf(text, entry);
    if (spec === undefined) continue;
    if (spec.value.length > maxSpecLength) {
      const message = `The spec of ${name} in ${field} is longer than ${maxSpecLength} characters, so it was not read.`;
      found.push({ ref: { kind: 'problem', reason: 'limit', message }, start: spec.start, end: spec.start + spec.value.length });
      continue;
    }
    const pin = readSpec(name, spec.value, wanted);
    if (!pin) continue;
    found.push({
      ref: { kind: 'package', ecosystem: 'npm', name: pin.name, context: `package.json ${field}`, ...(pin.exact ? { version: pin.version } : { constraint: pin.version }), ...(pin.name !== name ? { via: `npm alias ${entry.key}` } : {}) },
      start: spec.start + pin.offset,
      end: spec.start + pin.offset + pin.version.length,
    });
  }
  found.sort((a, b) => a.start - b.start);
  const positions = positionsAt(text, found.flatMap((f) => [f.start, f.end]));
  return found.map((f, i) => ({ ...f.ref, range: { start: positions[2 * i]!, end: positions[2 * i + 1]! } }) as PackageReference | ReadProblem);
}

/** The spec string's text and where it starts (inside the quotes); undefined for a non-string or escaped value. */
function specOf(text: string, entry: Member): { value: string; start: number } | undefined {
  if (text.charCodeAt(entry.valueStart) !== 0x22) return undefined;
  const value = decodeString(text, entry.valueStart, entry.valueEnd);
  // With escapes the decoded string and the text differ in length, and no range would be exact: skip it.
  if (value === undefined || value.length !== entry.valueEnd - entry.valueStart - 2) return undefined;
  return { value, start: entry.valueStart + 1 };
}

/**
 * What a dependency spec pins: an exact version (`5.6.1`, `=5.6.1`, `v5.6.1`) or a semver range, with the
 * offset of the version text in the spec. Tags, URLs, git, file, link and workspace specs pin nothing here.
 */
function readSpec(key: string, spec: string, wanted?: (name: string) => boolean): { name: string; version: string; exact: boolean; offset: number } | undefined {
  const alias = parseAlias(spec);
  const name = alias?.name ?? key;
  if (wanted && !wanted(name)) return undefined;
  const body = alias ? alias.version : spec;
  const bodyOffset = alias ? spec.length - alias.version.length : 0;
  const trimmed = body.trim();
  if (trimmed === '' || /[:/]/.test(trimmed)) return undefined;
  const lead = body.indexOf(trimmed);
  const prefix = /^=?v?/.exec(trimmed)![0].length;
  const bare = trimmed.slice(prefix);
  // semver.valid throws (and catches) on every range, which costs ten times a parse: only a string of the
  // exact-version shape (a superset of what semver accepts) is asked.
  if (exactShape.test(bare) && semver.valid(bare) !== null) {
    return { name, version: trimmed.slice(prefix), exact: true, offset: bodyOffset + lead + prefix };
  }
  if (semver.validRange(trimmed) === null) return undefined;
  return { name, version: trimmed, exact: false, offset: bodyOffset + lead };
}

/** Every string `semver.valid` accepts has this shape (`v`, three numbers, then a pre-release or build). */
const exactShape = /^v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?$/;

function lastOfEachKey(list: readonly Member[]): Member[] {
  const last = new Map<string, Member>();
  for (const m of list) last.set(m.key, m);
  return [...last.values()].sort((a, b) => a.valueStart - b.valueStart);
}

