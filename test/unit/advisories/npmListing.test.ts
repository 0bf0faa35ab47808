/**
 * Checks that every fix the bundled npm advisories offer is a release the npm registry lists, against the listing
 * in test/fixtures/npm-registry/versions.json (refreshed by hand with `node scripts/refreshNpmListing.mjs`), and,
 * when ../shared is present, against the reference's own listing (npm-registry-listing.md).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { OsvRecord } from '../../../server/src/advisories/records';
import { repoRoot, sharedDir } from '../../paths';

interface Listing {
  checked: string;
  packages: Record<string, string[] | null>;
}

interface NpmEntry {
  file: string;
  name: string;
  versions: string[];
  safe: string[];
  unlisted: string[];
}

const listing = JSON.parse(readFileSync(join(repoRoot, 'test', 'fixtures', 'npm-registry', 'versions.json'), 'utf8')) as Listing;
const advisoryDir = join(repoRoot, 'server', 'advisories');
const entries: NpmEntry[] = readdirSync(advisoryDir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .flatMap((file) => ((JSON.parse(readFileSync(join(advisoryDir, file), 'utf8')) as OsvRecord).affected ?? [])
    .filter((a) => a.package.ecosystem === 'npm')
    .map((a) => ({
      file,
      name: a.package.name,
      versions: a.versions ?? [],
      safe: a.database_specific?.safe ?? [],
      unlisted: a.database_specific?.unlisted ?? [],
    })));

test('the recorded listing covers every npm package the advisories name', () => {
  assert.deepStrictEqual(entries.map((e) => e.name).filter((name) => !(name in listing.packages)), []);
});

test('every npm safe version the advisories offer is listed by the npm registry', () => {
  const missing = entries.flatMap((e) => e.safe.filter((v) => !(listing.packages[e.name] ?? []).includes(v)).map((v) => `${e.file}: ${e.name} ${v}`));
  assert.deepStrictEqual(missing, []);
});

test('every fix an advisory records as unlisted is indeed not listed, and is offered nowhere', () => {
  const wrong = entries.flatMap((e) => e.unlisted
    .filter((v) => (listing.packages[e.name] ?? []).includes(v) || e.safe.includes(v))
    .map((v) => `${e.file}: ${e.name} ${v}`));
  assert.deepStrictEqual(wrong, []);
});

test('the fixes offered where the reference fix is gone', () => {
  const pick = (name: string): Pick<NpmEntry, 'safe' | 'unlisted'>[] => entries.filter((e) => e.name === name).map((e) => ({ safe: e.safe, unlisted: e.unlisted }));
  assert.deepStrictEqual(pick('node-ipc'), [{ safe: ['9.2.1', '10.1.0'], unlisted: [] }, { safe: ['10.1.0'], unlisted: ['10.1.3'] }]);
  assert.deepStrictEqual(pick('debug'), [{ safe: ['4.4.1'], unlisted: [] }]);
  assert.deepStrictEqual(pick('@nativescript-community/gesturehandler'), [{ safe: [], unlisted: ['2.0.34'] }]);
});

/** The rows of the reference's listing table: package, fixes listed, fixes not listed. */
function referenceRows(markdown: string): Array<{ name: string; listed: string[]; notListed: string[] }> {
  const cells = (text: string): string[] => (text.trim() === '–' ? [] : text.split(',').map((v) => v.trim()).filter((v) => v !== ''));
  return markdown.split('\n')
    .map((line) => /^\| `([^`]+)` \|[^|]*\|[^|]*\|([^|]*)\|([^|]*)\|$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ name: m[1]!, listed: cells(m[2]!), notListed: cells(m[3]!) }));
}

test('the recorded listing agrees with the reference listing in ../shared', (t) => {
  const file = join(sharedDir, 'reference', 'npm-registry-listing.md');
  if (!existsSync(file)) return t.skip('../shared is not present');
  const rows = referenceRows(readFileSync(file, 'utf8'));
  assert.ok(rows.length >= 70, `only ${rows.length} rows read from the reference listing`);
  const disagreements = rows.flatMap((row) => [
    ...row.listed.filter((v) => !(listing.packages[row.name] ?? []).includes(v)).map((v) => `${row.name} ${v}: the reference lists it, the recorded listing does not`),
    ...row.notListed.filter((v) => (listing.packages[row.name] ?? []).includes(v)).map((v) => `${row.name} ${v}: the reference says unlisted, the recorded listing lists it`),
  ]);
  assert.deepStrictEqual(disagreements, []);
  const offeredButUnlisted = entries.flatMap((e) => e.safe
    .filter((v) => rows.some((row) => row.name === e.name && row.notListed.includes(v)))
    .map((v) => `${e.file}: ${e.name} ${v}`));
  assert.deepStrictEqual(offeredButUnlisted, []);
});
