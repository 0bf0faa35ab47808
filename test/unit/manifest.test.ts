// Keeps package.json's contributions in step with the code: the client's command table, the settings the server
// reads, the file patterns, and the files the manifest points at.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { commandTable } from '../../client/src/commandTable';
import { documentSelector } from '../../client/src/documentSelector';
import { formatPatterns, matchesPattern } from '../../server/src/formats/patterns';
import { defaultServerSettings, toServerSettings } from '../../server/src/service/settings';

const repoRoot = findRepoRoot(__dirname);
const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
const properties: Record<string, { default: unknown; description?: string; enum?: unknown[] }> =
  manifest.contributes.configuration.properties;
/**
 * Settings the language client itself reads rather than the server (vscode-languageclient's `<id>.trace.server`,
 * and the feed the Update Advisories command downloads from).
 */
const clientOnlySettings = ['pinwatch.trace.server', 'pinwatch.advisories.source'];

test('contributes exactly the commands of the client command table', () => {
  assert.deepEqual(manifest.contributes.commands, commandTable);
});

test('the command palette menu names only contributed commands', () => {
  const ids = new Set<string>(commandTable.map((c) => c.command));
  const unknown = (manifest.contributes.menus?.commandPalette ?? []).filter((m: { command: string }) => !ids.has(m.command));
  assert.deepEqual(unknown, []);
});

test('every setting has a description', () => {
  const undescribed = Object.entries(properties).filter(([, p]) => !p.description).map(([key]) => key);
  assert.deepEqual(undescribed, []);
});

test('the contributed defaults are the defaults the server uses', () => {
  assert.deepEqual(toServerSettings(section(defaultsOf(properties))), defaultServerSettings);
});

test('the server reads every contributed setting', () => {
  // A value unlike the default for each key: if the server ignored the key, its settings would not change.
  const unread = Object.keys(properties)
    .filter((key) => !clientOnlySettings.includes(key))
    .filter((key) => {
      const changed = section({ ...defaultsOf(properties), [key]: otherValue(properties[key]!) });
      return JSON.stringify(toServerSettings(changed)) === JSON.stringify(defaultServerSettings);
    });
  assert.deepEqual(unread, []);
});

test('the server reads no setting that the manifest does not contribute', () => {
  const source = readFileSync(join(repoRoot, 'server', 'src', 'service', 'settings.ts'), 'utf8');
  // `raw.x` is `pinwatch.x`; `advisories.x` is `pinwatch.advisories.x`, a setting of that section.
  const read = [...new Set([...source.matchAll(/\b(raw|advisories)\.(\w+)/g)].map((m) => (m[1] === 'raw' ? `pinwatch.${m[2]}` : `pinwatch.advisories.${m[2]}`)))]
    .filter((key) => key !== 'pinwatch.advisories')
    .sort();
  const contributed = Object.keys(properties).filter((key) => !clientOnlySettings.includes(key)).sort();
  assert.deepEqual(read, contributed);
});

test('the document selector matches every format pattern in any folder, and unsaved Dockerfiles', () => {
  const patterns = [...new Set(Object.values(formatPatterns).flat())];
  assert.deepEqual(documentSelector(), [
    ...patterns.map((pattern) => ({ scheme: 'file', pattern: `**/${pattern}` })),
    { scheme: 'untitled', language: 'dockerfile' },
  ]);
});

test('each workspaceContains activation glob names a file some format reads', () => {
  const globs: string[] = manifest.activationEvents
    .filter((e: string) => e.startsWith('workspaceContains:'))
    .map((e: string) => e.slice('workspaceContains:'.length));
  const patterns = Object.values(formatPatterns).flat();
  const unknown = globs.filter((glob) => {
    const basename = glob.split('/').pop()!;
    return !glob.startsWith('**/') || !patterns.some((p) => `**/${p}` === glob || p === basename || matchesPattern(basename.replace(/\*/g, 'x'), p));
  });
  assert.deepEqual(unknown, []);
  assert.ok(manifest.activationEvents.includes('onLanguage:dockerfile'));
});

test('every format pattern has a workspaceContains activation event, so a workspace holding only that file starts the extension', () => {
  const globs = new Set<string>(manifest.activationEvents.filter((e: string) => e.startsWith('workspaceContains:')).map((e: string) => e.slice('workspaceContains:'.length)));
  const patterns = [...new Set(Object.values(formatPatterns).flat())];
  assert.deepEqual(patterns.filter((p) => !globs.has(`**/${p}`)), [], 'run node scripts/syncActivationEvents.mjs');
});

test('declares support for untrusted workspaces, since it only reads text', () => {
  assert.deepEqual(manifest.capabilities, { untrustedWorkspaces: { supported: true }, virtualWorkspaces: false });
});

test('every grammar and language configuration the manifest names exists and is shipped', () => {
  const files = [
    ...manifest.contributes.grammars.map((g: { path: string }) => g.path),
    ...manifest.contributes.languages.map((l: { configuration?: string }) => l.configuration).filter(Boolean),
  ];
  assert.deepEqual(files.filter((f: string) => !existsSync(join(repoRoot, f))), []);
  assert.deepEqual(files.filter((f: string) => !f.startsWith('./syntaxes/')), []);
});

test('.vscodeignore is an allow-list that ships the two bundles', () => {
  const lines = readFileSync(join(repoRoot, '.vscodeignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  assert.equal(lines[0], '**');
  for (const needed of ['!package.json', '!dist/extension.js', '!dist/server.js', '!syntaxes/**']) assert.ok(lines.includes(needed), needed);
  assert.equal(manifest.main, './dist/extension.js');
});

/** The contributed default of each setting, by its full key. */
function defaultsOf(props: typeof properties): Record<string, unknown> {
  return Object.fromEntries(Object.entries(props).map(([key, p]) => [key, p.default]));
}

/** The `pinwatch` section as VS Code hands it to the server: keys without the prefix, dotted keys nested. */
function section(flat: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flat)) {
    const parts = key.split('.').slice(1);
    let at = out;
    for (const part of parts.slice(0, -1)) at = (at[part] ??= {}) as Record<string, unknown>;
    at[parts[parts.length - 1]!] = value;
  }
  return out;
}

function otherValue(p: { default: unknown; enum?: unknown[] }): unknown {
  if (p.enum) return p.enum.find((v) => v !== p.default);
  if (typeof p.default === 'boolean') return !p.default;
  if (typeof p.default === 'number') return p.default + 1;
  if (Array.isArray(p.default)) return ['changed'];
  return 'changed';
}

function findRepoRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json')) || !readFileSync(join(dir, 'package.json'), 'utf8').includes('"name": "pinwatch"')) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no pinwatch package.json above ${from}`);
    dir = up;
  }
  return dir;
}
