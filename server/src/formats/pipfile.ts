/**
 * pipenv's files. The Pipfile (TOML) lists packages by category (`[packages]`, `[dev-packages]`, any other
 * category table), each `name = "==1.2.3"` or `name = { version = "==1.2.3", ... }`: an exact pin is fixed by
 * replacing its version. Pipfile.lock (JSON) gives each category's packages with `"version": "==1.2.3"`; it is
 * fixed by a pin in the Pipfile beside it, then `pipenv lock`. Git, path and file packages give nothing.
 */
import type { Extracted, Format, ReadProblem } from '../model';
import { readTolerant } from './json/tolerant';
import { readToml, samePath } from './python/toml';
import { positioned, siblingPath, specifierAt, type Found } from './python/references';
import { positionsAt } from './textPositions';
import { formatPatterns } from './patterns';

/** The Pipfile tables that are not package categories. */
const notCategories: ReadonlySet<string> = new Set(['source', 'requires', 'scripts', 'pipenv']);

/** The Pipfile format. */
export const pipfile: Format = {
  id: 'pypi/Pipfile',
  patterns: [...formatPatterns['pypi/Pipfile']],
  commentPrefix: '#',
  maxLength: 8 * 1024 * 1024,
  extract(text: string): Extracted[] {
    const read = readToml(text, 'Pipfile', (table, key) => table.length === 1 && !notCategories.has(table[0]!) && key.length === 1);
    const found: Found[] = [];
    for (const s of read.statements) {
      const version = s.value.kind === 'table' ? s.value.entries.find((e) => samePath(e.key, ['version']))?.value : s.value;
      if (version?.kind !== 'string' || !version.exact) continue;
      const f = specifierAt(s.key[0]!, version.value, version.start, 'Pipfile');
      if (f) found.push(f);
    }
    return [...positioned(text, found), ...read.problems];
  },
};

/** The keys of a Pipfile.lock entry that say it is not a release from an index. */
const notIndexKeys = ['git', 'path', 'file', 'editable', 'ref'];

/** The Pipfile.lock format. */
export const pipfileLock: Format = {
  id: 'pypi/Pipfile.lock',
  patterns: [...formatPatterns['pypi/Pipfile.lock']],
  maxLength: 32 * 1024 * 1024,
  extract(text: string, path: string): Extracted[] {
    const json = readTolerant(text);
    const found: Found[] = [];
    const manifest = siblingPath(path, 'Pipfile');
    const root = json.value;
    if (root !== null && typeof root === 'object' && !Array.isArray(root)) {
      for (const [category, packages] of Object.entries(root as Record<string, unknown>)) {
        if (category === '_meta' || packages === null || typeof packages !== 'object' || Array.isArray(packages)) continue;
        for (const [name, entry] of Object.entries(packages as Record<string, unknown>)) {
          if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) continue;
          const fields = entry as Record<string, unknown>;
          if (typeof fields['version'] !== 'string' || notIndexKeys.some((k) => k in fields)) continue;
          const at = json.stringAt([category, name, 'version']);
          // A string written with escapes has no range that is exactly its text, and pipenv never writes one.
          if (!at || text.slice(at.start, at.end) !== fields['version']) continue;
          const f = specifierAt(name, fields['version'], at.start, 'Pipfile.lock');
          if (f?.ref.version === undefined) continue;
          found.push({ ...f, ref: { ...f.ref, fix: { kind: 'python-manifest', manifest, tool: 'pipenv' } } });
        }
      }
    }
    const problems: ReadProblem[] = [];
    if (json.error) {
      const [start, end] = positionsAt(text, [json.error.offset, json.error.offset + json.error.length]);
      problems.push({ kind: 'problem', reason: 'syntax', message: `This Pipfile.lock is not valid JSON here (${json.error.message}): what could not be read was not checked; the entries before it were.`, range: { start: start!, end: end! } });
    }
    return [...positioned(text, found), ...problems];
  },
};
