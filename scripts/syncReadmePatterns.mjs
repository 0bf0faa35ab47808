// Rewrites the Neovim snippet's `pattern = { … }` list in README.md from the formats' file patterns
// (server/src/formats/patterns.ts), in their order; test/unit/readme.test.ts checks the two agree.
import { buildSync } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = buildSync({ entryPoints: [join(root, 'server/src/formats/patterns.ts')], bundle: true, format: 'cjs', platform: 'node', write: false });
const module = { exports: {} };
new Function('module', 'exports', 'require', built.outputFiles[0].text)(module, module.exports, createRequire(import.meta.url));
const patterns = [...new Set(Object.values(module.exports.formatPatterns).flat())].map((p) => (p.includes('/') ? `*/${p}` : p));
const readmePath = join(root, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const lines = [];
let line = '   ';
for (const p of patterns) {
  const item = ` '${p}',`;
  if (line.length + item.length > 118) {
    lines.push(line);
    line = '   ';
  }
  line += item;
}
lines.push(line);
const next = readme.replace(/pattern = \{\n[^}]*\n(\s*)\}/, (_all, indent) => `pattern = {\n${lines.join('\n')}\n${indent}}`);
if (next === readme) console.log('README.md: the pattern list is already in step');
writeFileSync(readmePath, next);
