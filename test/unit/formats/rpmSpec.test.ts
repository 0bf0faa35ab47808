import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, Registry, parseRawGrammar } from 'vscode-textmate';
import { applyEdits } from '../../../server/src/edits';
import { analyze } from '../../../server/src/engine';
import { rpmSpec } from '../../../server/src/formats/rpmSpec';
import { defaultSettings, type Extracted } from '../../../server/src/model';
import { on, rebuild, repoRoot, withoutOrigins } from './recipeHelpers';

function spec(name: string): { path: string; text: string } {
  const path = join(repoRoot, 'test', 'fixtures', 'rpm', name);
  return { path, text: readFileSync(path, 'utf8') };
}

test('reads a Fedora spec: its own NVR with %{?dist}, Source0 after expansion, versioned requirements and the shell sections', () => {
  const { path, text } = spec('xz-fc40.spec');
  const fedora = { ecosystem: 'Fedora', suite: 'fc40' };
  assert.deepStrictEqual(withoutOrigins(rpmSpec.extract(text, path)), [
    { kind: 'package', ...fedora, name: 'xz', version: '5.6.0-1.fc40', range: on(5, 9, 14), via: '%global dist, line 2', fix: rebuild, context: 'spec Name/Version/Release', builds: true },
    {
      kind: 'url', value: 'https://github.com/tukaani-project/xz/releases/download/v5.6.0/xz-5.6.0.tar.gz', range: on(10, 9, 80),
      via: '%global upstream_url, line 3, Version, line 6, Name, line 5', context: 'Source0',
    },
    { kind: 'package', ...fedora, name: 'make', constraint: '>=4.0', range: on(13, 28, 31), context: 'BuildRequires' },
    { kind: 'package', ...fedora, name: 'xz-libs', version: '5.6.0-2.fc40', range: on(23, 20, 32), context: 'Requires' },
    { kind: 'url', value: 'https://github.com/tukaani-project/xz/releases/download/v5.6.1/xz-5.6.1.tar.gz', range: on(30, 9, 65), context: 'curl' },
    { kind: 'package', ecosystem: 'Fedora', name: 'xz-devel', range: on(38, 24, 36), context: 'dnf install', suite: 'fc40', version: '5.6.0-1.fc40' },
  ] satisfies Extracted[]);
});

test('flags the compromised Fedora 40 NVRs, the tarballs, and fixes a Requires pin in place', () => {
  const { path, text } = spec('xz-fc40.spec');
  const findings = analyze(path, text, defaultSettings);
  assert.deepStrictEqual(findings.map((f) => [f.code, f.severity, f.reference.range.start.line]), [
    ['compromised-version', 'error', 5],
    ['compromised-artifact', 'error', 10],
    ['compromised-version', 'error', 23],
    ['compromised-artifact', 'error', 30],
    ['compromised-version', 'error', 38],
  ]);
  const requires = findings[2]!;
  const result = applyEdits(text, requires.fixes[0]!.edits);
  assert.equal(result.text, text.replace('Requires:\txz-libs = 5.6.0-2.fc40', 'Requires:\txz-libs = 5.4.6-3.fc40'));
  // The spec's own build gets no edit: its reason says what to do instead.
  assert.deepStrictEqual(findings[0]!.fixes, []);
});

test('traps: Fedora 5.4.6-3.fc40 and openSUSE 5.6.1.revertto5.4 are not flagged', () => {
  for (const name of ['xz-safe-fc40.spec', 'xz-tumbleweed.spec']) {
    const { path, text } = spec(name);
    assert.deepStrictEqual(analyze(path, text, defaultSettings), [], name);
  }
  const { path, text } = spec('xz-tumbleweed.spec');
  assert.deepStrictEqual(withoutOrigins(rpmSpec.extract(text, path)), [
    { kind: 'package', ecosystem: 'openSUSE', name: 'xz', version: '5.6.1.revertto5.4-0', range: on(6, 16, 33), fix: rebuild, context: 'spec Name/Version/Release', builds: true },
    { kind: 'url', value: 'https://github.com/tukaani-project/xz/releases/download/v5.4.6/xz-5.4.6.tar.gz', range: on(9, 16, 114), via: '%define real_version, line 9', context: 'Source' },
    { kind: 'package', ecosystem: 'openSUSE', name: 'liblzma5', version: '5.6.1.revertto5.4-2.1', range: on(11, 27, 48), context: 'Requires' },
    { kind: 'package', ecosystem: 'openSUSE', name: 'liblzma5', constraint: '>=5.6.0', range: on(12, 28, 33), context: 'Requires' },
  ] satisfies Extracted[]);
});

test('the Fedora release a path names (a dist-git branch folder) gives %{?dist}', () => {
  const text = 'Name: xz\nVersion: 5.6.0\nRelease: 2%{?dist}\n';
  assert.deepStrictEqual(rpmSpec.extract(text, '/src/rpms/xz/f40/xz.spec'), [
    { kind: 'package', ecosystem: 'Fedora', suite: 'fc40', name: 'xz', version: '5.6.0-2.fc40', range: on(1, 9, 14), via: 'the Fedora 40 branch in the path', fix: rebuild, context: 'spec Name/Version/Release', builds: true },
  ]);
});

test('conditional macros: %{?x:…}, %{!?x:…}, %{?x} and a macro defined inside %if is unknown', () => {
  const text = [
    '%global with_x 1',
    '%{!?maj:%global maj 5.6}',
    'Name: xz',
    'Version: %{?with_x:5.6.0}%{!?with_x:5.4.6}',
    'Release: 1%{?undefined_thing}',
    '%if 0%{?fedora}',
    '%global pinned 5.6.0-1.fc40',
    '%endif',
    'Requires: xz-libs = %{pinned}',
  ].join('\n');
  assert.deepStrictEqual(rpmSpec.extract(text, 'x.spec'), [
    { kind: 'package', ecosystem: 'Fedora', name: 'xz', version: '5.6.0-1', range: on(3, 19, 24), fix: rebuild, context: 'spec Name/Version/Release', builds: true },
  ]);
});

test('bad input: recursive macros, 10,000 nested %{ and a binary file give read problems where reading stopped, quickly', () => {
  const nested = 'Name: xz\nVersion: ' + '%{'.repeat(10_000) + '\nRelease: 1\n';
  const started = Date.now();
  assert.deepStrictEqual(rpmSpec.extract('%define a %{a}\nName: xz\nVersion: %{a}\nRelease: 1\n', 'x.spec'), [
    { kind: 'problem', reason: 'limit', message: 'This macro nests deeper than 16 levels here (or expands itself), so Pinwatch stopped expanding it: what uses it was not checked.', range: on(0, 10, 14) },
  ]);
  assert.deepStrictEqual(rpmSpec.extract(nested, 'x.spec'), [
    { kind: 'problem', reason: 'syntax', message: 'This macro is never closed, so Pinwatch did not read the rest of this value: what uses it was not checked.', range: on(1, 9, 20_009) },
  ]);
  assert.deepStrictEqual(rpmSpec.extract('Name: xz\n\0\x01Version: 5.6.1\n\xff\xfe', 'x.spec'), [
    { kind: 'problem', reason: 'syntax', message: 'This spec file holds binary data from here, so Pinwatch did not read it past this point.', range: on(1, 0, 0) },
  ]);
  const doubling = Array.from({ length: 40 }, (_, i) => `%define m${i + 1} %{m${i}}%{m${i}}`).join('\n') + '\n%global m0 x\nVersion: %{m40}\n';
  assert.ok(rpmSpec.extract(doubling, 'x.spec').every((r) => r.kind === 'problem'));
  assert.ok(Date.now() - started < 5000);
});

test('the spec grammar colours tags, definitions, conditionals, sections and macros', async () => {
  const wasm = readFileSync(join(repoRoot, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const file = join(repoRoot, 'syntaxes', 'rpm-spec.tmLanguage.json');
  const registry = new Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p) => new oniguruma.OnigScanner(p), createOnigString: (s) => new oniguruma.OnigString(s) }),
    loadGrammar: async (scope) => (scope === 'source.rpm-spec' ? parseRawGrammar(readFileSync(file, 'utf8'), file) : null),
  });
  const grammar = (await registry.loadGrammar('source.rpm-spec'))!;
  let state = INITIAL;
  const lines = ['# a comment', '%global ver 5.6.1', 'Version: %{ver}', '%if 0%{?fedora}', '%build'].map((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    return result.tokens.map((t) => [line.slice(t.startIndex, t.endIndex), t.scopes[t.scopes.length - 1]!]).filter(([t]) => t!.trim() !== '');
  });
  assert.deepStrictEqual(lines, [
    [['#', 'punctuation.definition.comment.rpm-spec'], [' a comment', 'comment.line.number-sign.rpm-spec']],
    [['%global', 'storage.type.macro.rpm-spec'], ['ver', 'entity.name.function.macro.rpm-spec'], [' 5.6.1', 'source.rpm-spec']],
    [['Version', 'keyword.other.tag.rpm-spec'], [':', 'punctuation.separator.key-value.rpm-spec'], ['%{', 'punctuation.definition.variable.begin.rpm-spec'], ['ver', 'variable.other.macro.rpm-spec'], ['}', 'punctuation.definition.variable.end.rpm-spec']],
    [['%if', 'keyword.control.conditional.rpm-spec'], [' 0', 'source.rpm-spec'], ['%{', 'punctuation.definition.variable.begin.rpm-spec'], ['?', 'keyword.operator.conditional.rpm-spec'], ['fedora', 'variable.other.macro.rpm-spec'], ['}', 'punctuation.definition.variable.end.rpm-spec']],
    [['%build', 'keyword.control.section.rpm-spec']],
  ]);
});
