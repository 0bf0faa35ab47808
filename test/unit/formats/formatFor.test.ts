import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { formatFor, formats } from '../../../server/src/formats/index';
import { matchesPath } from '../../../server/src/formats/patterns';
import { repoRoot } from '../../paths';

/** The table's rule as written: the first format with a pattern that matches the path (no lookup tables). */
function byTable(path: string): string | undefined {
  if (/(^|[\\/])\.pinwatch\.yaml$/.test(path)) return undefined;
  return formats.find((f) => f.patterns.some((pattern) => matchesPath(path, pattern)))?.id;
}

/** Names made from every pattern: each `*` filled with nothing, a word, a dot, a dash, and a path-like run. */
function namesFromPatterns(): string[] {
  const fills = ['', 'x', '.', '-', 'a.b', 'Dockerfile', 'spec', 'lock'];
  const names = new Set<string>();
  for (const pattern of formats.flatMap((f) => f.patterns)) {
    for (const fill of fills) {
      const name = pattern.split('*').join(fill);
      names.add(`/r/${name}`);
      names.add(`/r/${fill}${name}`);
      names.add(`/r/${name}${fill}`);
      names.add(`/r/sub/${name.toUpperCase()}`);
    }
  }
  return [...names];
}

function examplePaths(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) examplePaths(path, out);
    else out.push(path);
  }
  return out;
}

test('formatFor gives what the ordered table gives, for names made from every pattern and for the examples', () => {
  const paths = [...namesFromPatterns(), ...examplePaths(join(repoRoot, 'examples')), '/r/.spec', '/r/spec', '/r/a.spec.bak', '/r/.pinwatch.yaml', 'C:\\w\\Dockerfile'];
  const differ = paths.filter((path) => formatFor(path)?.id !== byTable(path)).map((path) => ({ path, formatFor: formatFor(path)?.id, table: byTable(path) }));
  assert.deepStrictEqual(differ, []);
  // The names are a real sample: many match some format, and many match none.
  const read = paths.filter((path) => formatFor(path) !== undefined).length;
  assert.ok(read > 500 && paths.length - read > 100, `${read} of ${paths.length} read`);
});
