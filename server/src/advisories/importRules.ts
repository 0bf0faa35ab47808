/**
 * The certainty rules for imported OSV records (docs/advisories.md, "Imported advisories"): which records are
 * used, and what each of their `affected` entries flags. An imported entry flags either an exact list of
 * versions or, for a malicious package published only to carry malware, every version; nothing else, so that an
 * open-ended range (GHSA-rxwq-x6h5-x525's `introduced: 5.6.0`, which takes in the safe `5.6.1+really5.4.5-1`)
 * never becomes a finding.
 */
import type { OsvAffected, OsvRecord } from './records';

/** Why a record or one of its entries was not used; `status` prints the counts. */
export type SkipReason =
  | 'not-json'
  | 'not-a-record'
  | 'withdrawn'
  | 'vulnerability'
  | 'no-affected'
  | 'open-range'
  | 'bad-entry'
  | 'too-large';

/** The import options that widen the default rules. */
export interface ImportRules {
  /** Also use ordinary vulnerability records (reported as `vulnerable-version`, never `compromised-version`). */
  includeVulnerabilities: boolean;
}

/** What the rules make of one raw record: the record as stored, and the entries left out, by reason. */
export interface Normalized {
  record?: OsvRecord;
  skipped: Partial<Record<SkipReason, number>>;
}

/** The kind of an imported record that the rules keep. */
export type ImportedKind = 'compromised' | 'vulnerable';

/**
 * Whether a record describes malicious or compromised releases: a `MAL-` id, Pinwatch's own
 * `kind: "compromised"`, the malicious-packages origins block, or CWE-506 (embedded malicious code).
 */
export function isMalicious(raw: Record<string, unknown>): boolean {
  if (typeof raw.id === 'string' && raw.id.startsWith('MAL-')) return true;
  const db = isObject(raw.database_specific) ? raw.database_specific : {};
  if (db.kind === 'compromised' || db.malicious === true || Array.isArray(db['malicious-packages-origins'])) return true;
  const cwes = Array.isArray(db.cwe_ids) ? db.cwe_ids : [];
  return cwes.some((c) => typeof c === 'string' && c.toUpperCase() === 'CWE-506');
}

/**
 * Applies the rules to one parsed record. The stored record keeps what a finding shows (id, aliases, summary, the
 * first advisory link, modified) and only the entries the rules accept, each as an exact `versions` list or as
 * `all_versions` with an `introduced: "0"` range.
 */
export function normalizeRecord(raw: unknown, rules: ImportRules): Normalized {
  if (!isObject(raw) || typeof raw.id !== 'string' || raw.id === '' || /\s/.test(raw.id)) return { skipped: { 'not-a-record': 1 } };
  if (raw.withdrawn !== undefined) return { skipped: { withdrawn: 1 } };
  const malicious = isMalicious(raw);
  if (!malicious && !rules.includeVulnerabilities) return { skipped: { vulnerability: 1 } };
  if (!Array.isArray(raw.affected) || raw.affected.length === 0) return { skipped: { 'no-affected': 1 } };
  const skipped: Partial<Record<SkipReason, number>> = {};
  const count = (reason: SkipReason): void => void (skipped[reason] = (skipped[reason] ?? 0) + 1);
  const affected: OsvAffected[] = [];
  for (const entry of raw.affected as unknown[]) {
    const kept = normalizeAffected(entry, malicious);
    if (typeof kept === 'string') count(kept);
    else affected.push(kept);
  }
  if (affected.length === 0) return { skipped: Object.keys(skipped).length > 0 ? skipped : { 'no-affected': 1 } };
  const aliases = Array.isArray(raw.aliases) ? raw.aliases.filter((a): a is string => typeof a === 'string' && a !== '' && !/\s/.test(a)) : [];
  const refs = Array.isArray(raw.references) ? raw.references.filter((r): r is { type: string; url: string } => isObject(r) && typeof r.type === 'string' && typeof r.url === 'string') : [];
  const link = refs.find((r) => r.type === 'ADVISORY') ?? refs[0];
  const kind: ImportedKind = malicious ? 'compromised' : 'vulnerable';
  const record: OsvRecord = {
    id: raw.id,
    modified: typeof raw.modified === 'string' ? raw.modified : '',
    ...(aliases.length > 0 ? { aliases } : {}),
    ...(typeof raw.summary === 'string' ? { summary: oneLine(raw.summary) } : typeof raw.details === 'string' ? { summary: oneLine(raw.details) } : {}),
    ...(link ? { references: [link] } : {}),
    affected,
    database_specific: { kind },
  };
  return { record, skipped };
}

/** One affected entry as stored, or why it is left out. */
function normalizeAffected(entry: unknown, malicious: boolean): OsvAffected | SkipReason {
  if (!isObject(entry) || !isObject(entry.package)) return 'bad-entry';
  const { ecosystem, name } = entry.package;
  if (typeof ecosystem !== 'string' || typeof name !== 'string' || !cleanName(ecosystem) || !cleanName(name)) return 'bad-entry';
  const pkg = { ecosystem, name };
  const versions = Array.isArray(entry.versions) ? entry.versions.filter((v): v is string => typeof v === 'string' && v !== '' && !/[\t\r\n]/.test(v)) : [];
  // A versions list is what the record says exactly; its ranges add nothing the list does not name.
  if (versions.length > 0) return { package: pkg, versions: [...new Set(versions)], database_specific: { confidence: 'verified' } };
  const ranges = Array.isArray(entry.ranges) ? entry.ranges.filter(isObject) : [];
  if (ranges.length === 0) return 'bad-entry';
  // `introduced: "0"` and nothing else, on a malicious-package record: the package exists only to carry malware.
  const whole = ranges.some((r) => r.type !== 'GIT' && Array.isArray(r.events) && r.events.length === 1 && isObject(r.events[0]) && Object.keys(r.events[0]).length === 1 && r.events[0].introduced === '0');
  if (malicious && whole) {
    return { package: pkg, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }], database_specific: { all_versions: true, confidence: 'verified' } };
  }
  return 'open-range';
}

/** A name or ecosystem the compact index can store: not empty, no tabs or line breaks. */
function cleanName(text: string): boolean {
  return text !== '' && !/[\t\r\n]/.test(text) && text.length <= 512;
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
