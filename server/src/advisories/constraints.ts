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

type Op = '<' | '<=' | '>' | '>=' | '=' | '!=' | '~';

interface Clause {
  op: Op;
  version: string;
}

const semverEcosystems = new Set(['npm', 'crates.io']);

/** The longest constraint evaluated: semver's range grammar is quadratic in the length, and no real range is this long. */
const maxConstraintLength = 1024;

/** Whether a constraint admits a version; false for a constraint that cannot be read (or is over 1024 characters). */
export function admits(ecosystem: string, constraint: string, version: string): boolean {
  if (constraint.length > maxConstraintLength) return false;
  if (base(ecosystem) === 'PyPI') {
    // PEP 440 specifiers (`~=` compatible release, `==1.2.*`, `===`) are the library's to evaluate.
    try {
      return pep440.satisfies(version, constraint.replace(/[()]/g, ''));
    } catch {
      return false;
    }
  }
  // NuGet and Maven ranges (`[1.0,2.0)`) are read by their own grammars.
  if (base(ecosystem) === 'NuGet') return nuget.rangeAdmits(constraint, version);
  if (base(ecosystem) === 'Maven') return maven.rangeAdmits(constraint, version);
  if (semverEcosystems.has(base(ecosystem))) {
    try {
      return semver.satisfies(version, constraint, { includePrerelease: true });
    } catch {
      return false;
    }
  }
  const clauses = parseClauses(constraint);
  if (clauses === undefined) return false;
  const scheme = schemeFor(ecosystem);
  return clauses.every(({ op, version: bound }) => {
    if (op === '~') return version === bound || version.startsWith(bound);
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
      return semver.minVersion(constraint)?.version;
    } catch {
      return undefined;
    }
  }
  const floor = parseClauses(constraint)?.find((c) => c.op === '>=' || c.op === '=' || c.op === '~');
  return floor?.version;
}

function base(ecosystem: string): string {
  const colon = ecosystem.indexOf(':');
  return colon < 0 ? ecosystem : ecosystem.slice(0, colon);
}

const opAliases: Record<string, Op> = { '<<': '<', '<': '<', '<=': '<=', '>>': '>', '>': '>', '>=': '>=', '=': '=', '==': '=', '!=': '!=', '~': '~', '~=': '~' };

/** Splits `(>= 5.6.0), << 5.7` into clauses; undefined when any part is not `op version`. */
function parseClauses(constraint: string): Clause[] | undefined {
  const text = constraint.replace(/[()]/g, ' ').trim();
  if (text === '') return undefined;
  const clauses: Clause[] = [];
  const parts = text.split(/\s*,\s*|\s+(?=[<>=!~])/);
  for (const part of parts) {
    const m = /^(<<|>>|<=|>=|==|!=|~=|<|>|=|~)\s*(\S+)$/.exec(part.trim());
    if (!m) return undefined;
    clauses.push({ op: opAliases[m[1]!]!, version: m[2]! });
  }
  return clauses;
}
