// Writes package.json's activationEvents from the formats' file patterns (server/src/formats/patterns.ts): one
// `workspaceContains:**/<pattern>` per pattern, after `onLanguage:dockerfile`. Run after adding a format:
// `node scripts/syncActivationEvents.mjs`; test/unit/manifest.test.ts checks the two agree.
import { buildSync } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = buildSync({ entryPoints: [join(root, 'server/src/formats/patterns.ts')], bundle: true, format: 'cjs', platform: 'node', write: false });
const module = { exports: {} };
new Function('module', 'exports', 'require', built.outputFiles[0].text)(module, module.exports, createRequire(import.meta.url));
const patterns = [...new Set(Object.values(module.exports.formatPatterns).flat())];
const manifestPath = join(root, 'package.json');
const text = readFileSync(manifestPath, 'utf8');
const manifest = JSON.parse(text);
const others = manifest.activationEvents.filter((e) => !e.startsWith('workspaceContains:'));
manifest.activationEvents = [...others, ...patterns.map((p) => `workspaceContains:**/${p}`)];
writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`${manifest.activationEvents.length} activation events`);
