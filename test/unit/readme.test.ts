// Keeps the README honest: tables that render, links that lead somewhere in the packaged .vsix, and editor
// sections that name every file the server reads.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { formatPatterns } from '../../server/src/formats/patterns';
import { repoRoot } from '../paths';

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const lines = readme.split('\n');
const allPatterns = [...new Set(Object.values(formatPatterns).flat())];

test('no table is cut by a blank line: a table row after a blank line starts a table with its header', () => {
  const cut = lines.flatMap((line, i) => (line.startsWith('|') && i > 0 && lines[i - 1]!.trim() === '' && !/^\|[-:| ]+\|$/.test(lines[i + 1] ?? '') ? [`line ${i + 1}: ${line.slice(0, 40)}`] : []));
  assert.deepEqual(cut, []);
});

test('every link has a target, and a relative one names a file the .vsix ships', () => {
  const prose = readme.replace(/```[\s\S]*?```/g, '');
  const targets = [...prose.matchAll(/!?\[[^\]]*\]\(([^)]*)\)/g)].map((m) => m[1]!.trim());
  const references = [...prose.matchAll(/\[[^\]]+\]\[([^\]]*)\]/g)].map((m) => m[1]!);
  const headings = new Set(lines.filter((l) => l.startsWith('#')).map((l) => l.replace(/^#+\s*/, '').toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-')));
  const bad = targets.filter((target) => {
    if (target === '') return true;
    if (/^(https?|mailto):/.test(target)) return false;
    if (target.startsWith('#')) return !headings.has(target.slice(1));
    const path = target.split('#')[0]!;
    return !existsSync(join(repoRoot, path)) || !shipped(path);
  });
  assert.deepEqual({ bad, references: references.filter((r) => !new RegExp(`^\\[${r}\\]:`, 'm').test(prose)) }, { bad: [], references: [] });
});

test('package.json names its repository, so vsce packages without a prompt', () => {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  assert.match(manifest.repository?.url ?? '', /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+\.git$/);
});

test('the VS Code section names every file the server reads', () => {
  const section = sectionOf('## In VS Code');
  // The Dockerfile names are many; the section may name them as a kind.
  const named = (pattern: string): boolean => section.includes(`\`${pattern}\``) || (/dockerfile|containerfile/i.test(pattern) && section.includes('Dockerfiles and Containerfiles'));
  assert.deepEqual(allPatterns.filter((p) => !named(p)), []);
});

test('the Neovim snippet attaches to exactly the files the server reads', () => {
  const snippet = neovimSnippet();
  const list = /pattern = \{([^}]*)\}/.exec(snippet)?.[1] ?? '';
  // A Neovim pattern with a `/` is matched against the full path, so path patterns start with `*/`.
  assert.deepEqual([...list.matchAll(/'([^']+)'/g)].map((m) => m[1]), allPatterns.map((p) => (p.includes('/') ? `*/${p}` : p)));
});

/** The README's Lua block for Neovim. */
function neovimSnippet(): string {
  return /```lua\n([\s\S]*?)```/.exec(sectionOf('**Neovim**'))?.[1] ?? '';
}

function sectionOf(start: string): string {
  const from = readme.indexOf(start);
  assert.ok(from >= 0, start);
  const next = readme.indexOf('\n## ', from + start.length);
  return readme.slice(from, next < 0 ? undefined : next);
}

/** Whether .vscodeignore (an allow-list: `**`, then `!path` or `!folder/**` lines) ships a repository path. */
function shipped(path: string): boolean {
  const rules = readFileSync(join(repoRoot, '.vscodeignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l.startsWith('!')).map((l) => l.slice(1));
  return rules.some((rule) => rule === path || (rule.endsWith('/**') && path.startsWith(rule.slice(0, -2))));
}
