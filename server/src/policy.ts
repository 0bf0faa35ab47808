/**
 * The policy file `.pinwatch.yaml`: suppressions for files that have no comments (JSON lockfiles, SBOMs) and for
 * whole trees, excluded paths and severity changes, kept with the repository. The nearest policy file above a
 * file applies to it. Reading is strict: an unknown key, a bad date, an entry without an id or a reason is an
 * error with its line, so nothing unclear is applied. Pure except `findPolicy`, which reads the disk.
 *
 *     ignore:
 *       - id: MAL-2025-46969          # or any alias
 *         paths: ["fixtures/**"]      # relative to this file; optional
 *         package: chalk              # optional
 *         until: 2027-01-31           # optional
 *         reason: test fixture, never installed
 *     exclude: ["vendor/**"]
 *     severity:
 *       range-admits-compromised: error
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, type Node, type YAMLMap } from 'yaml';
import { parseYamlDocuments } from './formats/yaml/document';
import type { Finding, FindingCode, Notice, Range, Severity } from './model';
import { namesAdvisory, validDate } from './suppressions';
import { globToRegExp } from './workspace';

/** The name of the policy file. */
export const policyFileName = '.pinwatch.yaml';

/** Policy files larger than this are not read (a real one is a few KB): an error, not a silent pass. */
const maxPolicyBytes = 1024 * 1024;

/** One suppression of the policy file. */
export interface PolicyIgnore {
  id: string;
  paths?: string[];
  package?: string;
  until?: string;
  reason: string;
  /** Where the entry is in the policy file, for notices. */
  range: Range;
}

/** A policy file, read. */
export interface Policy {
  /** The policy file's path; globs are relative to its folder. */
  path: string;
  ignore: PolicyIgnore[];
  exclude: string[];
  severity: Partial<Record<FindingCode, Severity>>;
  advisories: string[];
}

/** An error in a policy file, with the 1-based line it is on. */
export class PolicyError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(`${file}:${line}: ${message}`);
  }
}

const topKeys = new Set(['ignore', 'exclude', 'severity', 'advisories']);
const ignoreKeys = new Set(['id', 'paths', 'package', 'until', 'reason']);
const codes: readonly FindingCode[] = ['compromised-version', 'compromised-artifact', 'range-admits-compromised', 'image-in-compromise-window', 'suspicious-source'];
const severities: readonly Severity[] = ['error', 'warning', 'info'];

/** Reads a policy file's text; throws a PolicyError (file and line) for anything it cannot apply with certainty. */
export function parsePolicy(text: string, path: string): Policy {
  if (text.length > maxPolicyBytes) throw new PolicyError(path, 1, `larger than ${maxPolicyBytes / 1024} KB: not a policy file Pinwatch reads`);
  const lines = new LineCounter();
  // Within the YAML reader's bounds: a policy file nested thousands deep overflowed the library's parser.
  const { docs, stops } = parseYamlDocuments(text, { lineCounter: lines, uniqueKeys: true, forceDoc: true });
  const doc = docs[0]!;
  const lineOf = (offset: number | undefined): number => lines.linePos(offset ?? 0).line;
  const rangeOf = (node: Node | null | undefined): Range => {
    const [start, end] = node?.range ?? [0, 0];
    const a = lines.linePos(start);
    const b = lines.linePos(end);
    return { start: { line: a.line - 1, character: a.col - 1 }, end: { line: b.line - 1, character: b.col - 1 } };
  };
  const fail = (node: Node | null | undefined, message: string): never => {
    throw new PolicyError(path, lineOf(node?.range?.[0]), message);
  };
  const stop = stops[0];
  if (stop && !(doc.errors[0] && doc.errors[0].pos[0] < stop.offset)) throw new PolicyError(path, lineOf(stop.offset), `not read: ${stop.message}`);
  if (docs.length > 1 && doc.errors.length === 0) throw new PolicyError(path, lineOf(docs[1]!.range[0]), 'not valid YAML: a policy file is one document, and this one has more');
  const error = doc.errors[0];
  if (error) throw new PolicyError(path, error.linePos?.[0].line ?? 1, `not valid YAML: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`);
  const policy: Policy = { path, ignore: [], exclude: [], severity: {}, advisories: [] };
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) return policy;
  if (!isMap(doc.contents)) fail(doc.contents, 'the policy must be a mapping of ignore, exclude, severity and advisories');
  const root = doc.contents as YAMLMap;
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const value = pair.value as Node | null;
    if (!topKeys.has(key)) fail(pair.key as Node, `unknown key '${key}' (the keys are ${[...topKeys].join(', ')})`);
    if (key === 'exclude' || key === 'advisories') policy[key] = stringList(value, key, fail);
    else if (key === 'severity') {
      if (!isMap(value)) fail(value, 'severity must map finding codes to error, warning or info');
      for (const item of (value as YAMLMap).items) {
        const code = isScalar(item.key) ? String(item.key.value) : '';
        const level = isScalar(item.value) ? String(item.value.value) : '';
        if (!(codes as readonly string[]).includes(code)) fail(item.key as Node, `unknown finding code '${code}' (one of ${codes.join(', ')})`);
        if (!(severities as readonly string[]).includes(level)) fail((item.value ?? item.key) as Node, `severity of ${code} must be error, warning or info`);
        policy.severity[code as FindingCode] = level as Severity;
      }
    } else {
      if (!isSeq(value)) fail(value ?? (pair.key as Node), 'ignore must be a list of entries with id and reason');
      for (const item of (value as unknown as { items: Node[] }).items) policy.ignore.push(ignoreEntry(item, fail, rangeOf));
    }
  }
  return policy;
}

type Fail = (node: Node | null | undefined, message: string) => never;

function ignoreEntry(node: Node, fail: Fail, rangeOf: (node: Node) => Range): PolicyIgnore {
  if (!isMap(node)) fail(node, 'an ignore entry must be a mapping with id and reason');
  const fields = new Map<string, Node | null>();
  for (const pair of (node as YAMLMap).items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!ignoreKeys.has(key)) fail(pair.key as Node, `unknown key '${key}' in an ignore entry (the keys are ${[...ignoreKeys].join(', ')})`);
    fields.set(key, pair.value as Node | null);
  }
  const text = (key: string, required: boolean): string | undefined => {
    const value = fields.get(key);
    if (value === undefined || value === null) return required ? fail(node, `an ignore entry needs ${key === 'reason' ? 'a reason: why the finding is accepted' : `an ${key}`}`) : undefined;
    if (!isScalar(value) || typeof value.value === 'object') return fail(value, `${key} must be a single value`);
    const s = value.value instanceof Date ? value.value.toISOString().slice(0, 10) : String(value.value).trim();
    if (s === '' && required) fail(value, `${key} must not be empty`);
    return s;
  };
  const entry: PolicyIgnore = { id: text('id', true)!, reason: text('reason', true)!, range: rangeOf(node) };
  const until = text('until', false);
  if (until !== undefined) {
    if (!validDate(until)) fail(fields.get('until'), `until must be a date written YYYY-MM-DD (got '${until}')`);
    entry.until = until;
  }
  const pkg = text('package', false);
  if (pkg !== undefined) entry.package = pkg;
  if (fields.has('paths')) entry.paths = stringList(fields.get('paths') ?? null, 'paths', fail);
  return entry;
}

function stringList(node: Node | null, key: string, fail: Fail): string[] {
  if (!isSeq(node)) return fail(node, `${key} must be a list of strings`);
  return (node as unknown as { items: Node[] }).items.map((item) => {
    if (!isScalar(item) || typeof item.value !== 'string' || item.value.trim() === '') return fail(item, `${key} must be a list of strings`);
    return item.value;
  });
}

/**
 * The nearest policy file at or above `dir`, no higher than `root`; undefined when there is none. A policy file
 * that cannot be read or parsed throws (a PolicyError or the read error), so a broken policy is never ignored.
 * Answers are kept in `cache` for every folder the search passed.
 */
export function findPolicy(dir: string, root: string, cache: Map<string, Policy | undefined> = new Map()): Policy | undefined {
  const chain: string[] = [];
  const rootPrefix = root.endsWith(sep) ? root : root + sep;
  // Below the root by its spelling (the common case, with no path arithmetic), else as `relative` says.
  const below = (path: string): boolean => {
    if (path.startsWith(rootPrefix)) return true;
    const rel = relative(root, path);
    return rel !== '' && !rel.startsWith('..');
  };
  let current = dir;
  for (;;) {
    if (cache.has(current)) {
      const found = cache.get(current);
      for (const d of chain) cache.set(d, found);
      return found;
    }
    chain.push(current);
    const candidate = join(current, policyFileName);
    if (existsSync(candidate) && statSync(candidate).isFile()) {
      const policy = parsePolicy(readFileSync(candidate, 'utf8'), candidate);
      for (const d of chain) cache.set(d, policy);
      return policy;
    }
    const parent = dirname(current);
    if (current === root || parent === current || !below(current)) {
      for (const d of chain) cache.set(d, undefined);
      return undefined;
    }
    current = parent;
  }
}

/**
 * A file's findings under a policy: those an entry matches (id or alias, the file among its paths, the package)
 * are suppressed with the entry's reason, unless its date has passed; severities are changed as the policy says.
 * Returns which entries matched, so unused ones can be reported once per scan.
 */
export function applyPolicy(findings: readonly Finding[], file: string, policy: Policy, day: string, used: Set<PolicyIgnore>): Finding[] {
  const rel = relative(dirname(policy.path), file).split(sep).join('/');
  return findings.map((finding) => {
    const severity = policy.severity[finding.code];
    let out = severity && severity !== finding.severity ? { ...finding, severity } : finding;
    if (out.suppression) return out;
    for (const entry of policy.ignore) {
      if (!namesAdvisory(out, entry.id)) continue;
      if (entry.package !== undefined && !(out.reference.kind === 'package' && out.reference.name.toLowerCase() === entry.package.toLowerCase())) continue;
      if (entry.paths && !entry.paths.some((glob) => globToRegExp(glob).test(rel))) continue;
      used.add(entry);
      if (entry.until !== undefined && entry.until < day) continue;
      out = { ...out, suppression: { kind: 'external', justification: entry.reason, ...(entry.until ? { until: entry.until } : {}) } };
      break;
    }
    return out;
  });
}

/** The notices of a policy file after a scan: entries that expired (and matched), and entries that matched nothing. */
export function policyNotices(policy: Policy, used: ReadonlySet<PolicyIgnore>, day: string): Notice[] {
  const notices: Notice[] = [];
  for (const entry of policy.ignore) {
    if (!used.has(entry)) notices.push({ code: 'suppression-unused', severity: 'info', range: entry.range, message: `This suppression of ${entry.id} matches no finding; remove it if it is no longer needed.` });
    else if (entry.until !== undefined && entry.until < day) notices.push({ code: 'suppression-expired', severity: 'warning', range: entry.range, message: `This suppression of ${entry.id} expired on ${entry.until}: its findings are reported again.` });
  }
  return notices;
}
