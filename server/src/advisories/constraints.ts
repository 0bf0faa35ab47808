/**
 * Version constraints as recipes and manifests write them (`>=5.6.0`, `(>= 5.6.0)`, `<< 5.6.2`, `^5.6.0`,
 * `~5.6`), evaluated with the ecosystem's own comparison. npm and crates.io ranges go to the `semver` package,
 * PyPI specifiers to `@renovatebot/pep440`, NuGet and Maven ranges (`[1.0,2.0)`) to versions/nuget.ts and maven.ts.
 */
import * as pep440 from '@renovatebot/pep440';
import * as semver from 'semver';
import * as maven from '../versions/maven';
import * as nuget from '../versions/nuget';
import { schemeFor } from '../versions/index';

type Op = '<' | '<=' | '>' | '>=' | '=' | '!=' | '~' | '~>';

interface Clause {
  op: Op;
  version: string;
}

const semverEcosystems = new Set(['npm', 'crates.io']);

/** The longest constraint evaluated: semver's range grammar is quadratic in the length, and no real range is this long. */
const maxConstraintLength = 1024;

/** PEP 440 answers of `admits`, by constraint and version. */
const pep440Answers = new Map<string, boolean>();

/** Whether a constraint admits a version; false for a constraint that cannot be read (or is over 1024 characters). */
export function admits(ecosystem: string, constraint: string, version: string): boolean {
  if (constraint.length > maxConstraintLength) return false;
  if (base(ecosystem) === 'PyPI') {
    // PEP 440 specifiers (`~=` compatible release, `==1.2.*`, `===`) are the library's to evaluate. It parses the
    // specifier with a large regex on every call, once per advisory version: the answers are kept, for a bounded
    // number of pairs (a manifest repeats its constraints, and each is asked about every affected and safe version).
    const key = `${constraint}\0${version}`;
    const known = pep440Answers.get(key);
    if (known !== undefined) return known;
    let answer: boolean;
    try {
      answer = pep440.satisfies(version, constraint.replace(/[()]/g, ''));
    } catch {
      answer = false;
    }
    if (pep440Answers.size >= 10_000) pep440Answers.clear();
    pep440Answers.set(key, answer);
    return answer;
  }
  // NuGet and Maven ranges (`[1.0,2.0)`) are read by their own grammars.
  if (base(ecosystem) === 'NuGet') return nuget.rangeAdmits(constraint, version);
  if (base(ecosystem) === 'Maven') return maven.rangeAdmits(constraint, version);
  if (semverEcosystems.has(base(ecosystem))) {
    try {
      return semver.satisfies(version, base(ecosystem) === 'crates.io' ? cargoRequirement(constraint) : constraint, { includePrerelease: true });
    } catch {
      return false;
    }
  }
  const clauses = parseClauses(base(ecosystem) === 'RubyGems' ? gemRequirement(constraint) : constraint);
  if (clauses === undefined) return false;
  const scheme = schemeFor(ecosystem);
  return clauses.every(({ op, version: bound }) => {
    if (op === '~') return version === bound || version.startsWith(bound);
    if (op === '~>') return scheme.compare(version, bound) >= 0 && scheme.compare(version, pessimisticCeiling(bound)) < 0;
    const c = scheme.compare(version, bound);
    switch (op) {
      case '<': return c < 0;
      case '<=': return c <= 0;
      case '>': return c > 0;
      case '>=': return c >= 0;
      case '=': return c === 0;
      case '!=': return c !== 0;
    }
  });
}

/** The lowest version a constraint allows, when it has a floor (`>=`, `=`, `~`, `^`). */
export function lowerBound(ecosystem: string, constraint: string): string | undefined {
  if (constraint.length > maxConstraintLength) return undefined;
  if (base(ecosystem) === 'NuGet') return nuget.rangeFloor(constraint);
  if (base(ecosystem) === 'Maven') return maven.rangeFloor(constraint);
  if (semverEcosystems.has(base(ecosystem))) {
    try {
      return semver.minVersion(base(ecosystem) === 'crates.io' ? cargoRequirement(constraint) : constraint)?.version;
    } catch {
      return undefined;
    }
  }
  const floor = parseClauses(base(ecosystem) === 'RubyGems' ? gemRequirement(constraint) : constraint)?.find((c) => c.op === '>=' || c.op === '=' || c.op === '~' || c.op === '~>');
  return floor?.version;
}

function base(ecosystem: string): string {
  const colon = ecosystem.indexOf(':');
  return colon < 0 ? ecosystem : ecosystem.slice(0, colon);
}

/**
 * A Cargo requirement (`0.3.1`, `>=0.3.0, <0.3.3`) in the semver package's syntax: clauses are joined by commas
 * rather than spaces, and a bare version is a caret requirement (`0.3.1` is `^0.3.1`), where semver reads it as exact.
 */
function cargoRequirement(constraint: string): string {
  return constraint.split(',').map((part) => part.trim()).map((part) => (/^[0-9]/.test(part) ? `^${part}` : part)).join(' ');
}

/** A RubyGems requirement list with its bare versions as the `=` they mean (`1.0, < 2` → `= 1.0, < 2`). */
function gemRequirement(constraint: string): string {
  return constraint.split(',').map((part) => (/^\s*[0-9]/.test(part) ? `= ${part.trim()}` : part)).join(',');
}

/**
 * The exclusive upper bound of RubyGems' pessimistic `~> V` (Gem::Version#bump): the release part of V without
 * its last segment (unless it has only one), with the new last segment plus one: `~> 1.6.10` is `< 1.7`, `~> 1` is `< 2`.
 */
function pessimisticCeiling(version: string): string {
  const release = version.split('.');
  const cut = release.findIndex((s) => !/^[0-9]+$/.test(s));
  const segments = cut < 0 ? release : release.slice(0, cut);
  if (segments.length > 1) segments.pop();
  if (segments.length === 0) return version;
  segments[segments.length - 1] = String(Number(segments[segments.length - 1]) + 1);
  return segments.join('.');
}

const opAliases: Record<string, Op> = { '<<': '<', '<': '<', '<=': '<=', '>>': '>', '>': '>', '>=': '>=', '=': '=', '==': '=', '!=': '!=', '~': '~', '~=': '~', '~>': '~>' };

/** Splits `(>= 5.6.0), << 5.7` into clauses; undefined when any part is not `op version`. */
function parseClauses(constraint: string): Clause[] | undefined {
  const text = constraint.replace(/[()]/g, ' ').trim();
  if (text === '') return undefined;
  const clauses: Clause[] = [];
  const parts = text.split(/\s*,\s*|\s+(?=[<>=!~])/);
  for (const part of parts) {
    const m = /^(<<|>>|<=|>=|==|!=|~=|~>|<|>|=|~)\s*(\S+)$/.exec(part.trim());
    if (!m) return undefined;
    clauses.push({ op: opAliases[m[1]!]!, version: m[2]! });
  }
  return clauses;
}
