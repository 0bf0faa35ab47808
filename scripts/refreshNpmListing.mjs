// Refreshes test/fixtures/npm-registry/versions.json: for every npm package the bundled advisories name, the
// versions the npm registry lists today (`npm view NAME versions --json`), or null when it lists none (the
// package answers 404 or was unpublished).
// Run by hand (`node scripts/refreshNpmListing.mjs`), never in CI: the test that reads the file must not depend on
// the network. Commit the result with the date it was taken.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const advisoryDir = join(root, 'server', 'advisories');
const out = join(root, 'test', 'fixtures', 'npm-registry', 'versions.json');

/** Every npm package name in the bundled advisories, sorted. */
function npmNames() {
  const names = new Set();
  for (const file of readdirSync(advisoryDir).filter((f) => f.endsWith('.json'))) {
    const record = JSON.parse(readFileSync(join(advisoryDir, file), 'utf8'));
    for (const affected of record.affected ?? []) {
      if (affected.package.ecosystem !== 'npm') continue;
      names.add(affected.package.name);
      for (const binary of affected.ecosystem_specific?.binaries ?? []) names.add(binary);
    }
  }
  return [...names].sort();
}

/** The versions the registry lists for a package, or null when it lists none. */
function listed(name) {
  try {
    const stdout = execFileSync('npm', ['view', name, 'versions', '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    // An unpublished package prints nothing at all.
    if (stdout.trim() === '') return null;
    const value = JSON.parse(stdout);
    // npm prints a bare string when a package has a single version.
    return Array.isArray(value) ? value : [value];
  } catch (error) {
    const text = `${error.stdout ?? ''}${error.stderr ?? ''}`;
    if (/E404|404 Not Found/.test(text)) return null;
    throw new Error(`npm view ${name} failed: ${text.trim() || error.message}`);
  }
}

const packages = {};
for (const name of npmNames()) packages[name] = listed(name);
const listing = {
  source: 'npm view NAME versions --json against the npm registry, by scripts/refreshNpmListing.mjs',
  checked: new Date().toISOString().slice(0, 10),
  packages,
};
// One package a line keeps the file small and its diffs readable.
const lines = Object.entries(packages).map(([name, versions]) => `    ${JSON.stringify(name)}: ${JSON.stringify(versions)}`);
writeFileSync(out, `{\n  "source": ${JSON.stringify(listing.source)},\n  "checked": ${JSON.stringify(listing.checked)},\n  "packages": {\n${lines.join(',\n')}\n  }\n}\n`);
console.log(`${Object.keys(packages).length} packages written to ${out}`);
