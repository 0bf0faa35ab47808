/**
 * pyproject.toml: the PEP 508 requirement strings of PEP 621's `[project] dependencies` and `optional-dependencies`,
 * PEP 735's `[dependency-groups]`, `[build-system] requires`, uv's `[tool.uv]` `constraint-dependencies`,
 * `override-dependencies` and `dev-dependencies`, PDM's `[tool.pdm.dev-dependencies]`, and Poetry's
 * `[tool.poetry.dependencies]`, `dev-dependencies` and `[tool.poetry.group.X.dependencies]` (`name = "1.2.3"` or
 * `{ version = "..." }`). Each is read as requirements.txt reads a line; an exact pin is fixed by replacing its version.
 */
import type { Extracted, Format } from '../model';
import { readToml, samePath, type TomlNode } from './python/toml';
import { positioned, requirementAt, specifierAt, type Found } from './python/references';
import { formatPatterns } from './patterns';

/** Whether a key path holds an array of PEP 508 requirement strings. */
function isRequirementArray(path: readonly string[]): boolean {
  if (samePath(path, ['project', 'dependencies']) || samePath(path, ['build-system', 'requires'])) return true;
  if (path.length === 3 && path[0] === 'project' && path[1] === 'optional-dependencies') return true;
  if (path.length === 2 && path[0] === 'dependency-groups') return true;
  if (path.length === 3 && path[0] === 'tool' && path[1] === 'uv') return path[2] === 'constraint-dependencies' || path[2] === 'override-dependencies' || path[2] === 'dev-dependencies';
  return path.length === 4 && path[0] === 'tool' && path[1] === 'pdm' && path[2] === 'dev-dependencies';
}

/** The package a key path names as a Poetry dependency (`tool.poetry.group.dev.dependencies.NAME`), if it is one. */
function poetryDependency(path: readonly string[]): string | undefined {
  if (path.length < 4 || path[0] !== 'tool' || path[1] !== 'poetry') return undefined;
  const inTable = (path.length === 4 && (path[2] === 'dependencies' || path[2] === 'dev-dependencies')) || (path.length === 6 && path[2] === 'group' && path[4] === 'dependencies');
  const name = path[path.length - 1]!;
  // `python` is the interpreter the project needs, not a package.
  return inTable && name.toLowerCase() !== 'python' ? name : undefined;
}

/** The pyproject.toml format. */
export const pyproject: Format = {
  id: 'pypi/pyproject.toml',
  patterns: [...formatPatterns['pypi/pyproject.toml']],
  commentPrefix: '#',
  // A project's manifest is a few KB; far past that it is generated data, reported as not read.
  maxLength: 8 * 1024 * 1024,
  extract(text: string): Extracted[] {
    const read = readToml(text, 'pyproject.toml', (table, key) => {
      const path = [...table, ...key];
      return isRequirementArray(path) || poetryDependency(path) !== undefined;
    });
    const found: Found[] = [];
    for (const s of read.statements) {
      const path = [...s.table, ...s.key];
      const poetry = poetryDependency(path);
      if (poetry !== undefined) found.push(...poetrySpecs(poetry, s.value));
      else if (s.value.kind === 'array') {
        for (const item of s.value.items) {
          if (item.kind !== 'string' || !item.exact) continue;
          const f = requirementAt(item.value, item.start, 'pyproject.toml');
          if (f) found.push(f);
        }
      }
    }
    return [...positioned(text, found), ...read.problems];
  },
};

/** The references of one Poetry dependency: a version string, a table with `version`, or a list of such tables. */
function poetrySpecs(name: string, value: TomlNode): Found[] {
  if (value.kind === 'array') return value.items.flatMap((item) => poetrySpecs(name, item));
  const version = value.kind === 'table' ? value.entries.find((e) => samePath(e.key, ['version']))?.value : value;
  if (version?.kind !== 'string' || !version.exact) return [];
  const found = poetryConstraint(name, version.value, version.start);
  return found ? [found] : [];
}

/**
 * A Poetry version constraint: PEP 440 specifiers and bare versions as pip reads them, and Poetry's own caret
 * (`^1.2.3`: up to the next change of the first non-zero part) and tilde (`~1.2.3`: up to the next minor) ranges,
 * read as the PEP 440 range they mean.
 */
function poetryConstraint(name: string, spec: string, at: number): Found | undefined {
  const trimmed = spec.trim();
  const lead = spec.length - spec.trimStart().length;
  const range = /^(\^|~(?!=))\s*([0-9]+(?:\.[0-9]+)*)$/.exec(trimmed);
  if (!range) return specifierAt(name, spec, at, 'pyproject.toml');
  const parts = range[2]!.split('.').map(Number);
  const upper = range[1] === '^' ? caretUpper(parts) : tildeUpper(parts);
  const found = specifierAt(name, `>=${range[2]},<${upper}`, 0, 'pyproject.toml');
  if (!found) return undefined;
  // The range is the version after the operator, a part of the constraint as every format's range is.
  const start = at + lead + trimmed.indexOf(range[2]!);
  return { ref: { ...found.ref, via: `Poetry ${trimmed}` }, start, end: start + range[2]!.length };
}

function caretUpper(parts: number[]): string {
  const first = parts.findIndex((p) => p !== 0);
  const at = first < 0 ? parts.length - 1 : first;
  return [...parts.slice(0, at), parts[at]! + 1].join('.');
}

function tildeUpper(parts: number[]): string {
  return parts.length === 1 ? `${parts[0]! + 1}` : `${parts[0]}.${parts[1]! + 1}`;
}
