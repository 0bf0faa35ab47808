import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normaliseRepo } from '../../../server/src/formats/shell/artifacts';
import { expandWord, locate, type Binding } from '../../../server/src/formats/shell/expand';
import { splitNevra, splitPacmanFile } from '../../../server/src/formats/shell/nevra';
import { analyzeScript } from '../../../server/src/formats/shell/script';
import { scanShell, type Word } from '../../../server/src/formats/shell/words';

const range = (from: number, length: number) => Array.from({ length }, (_, i) => from + i);

test('splits commands on operators and newlines, and numbers pipelines', () => {
  const commands = scanShell({ text: 'a b|c && d;e\nf || g & h' });
  const word = (value: string, at: number): Word => ({ parts: [{ kind: 'text', value, offsets: range(at, value.length), quoted: false }], start: at, end: at + value.length });
  assert.deepStrictEqual(commands, [
    { words: [word('a', 0), word('b', 2)], redirects: [], pipeline: 0 },
    { words: [word('c', 4)], redirects: [], pipeline: 0 },
    { words: [word('d', 9)], redirects: [], pipeline: 1 },
    { words: [word('e', 11)], redirects: [], pipeline: 2 },
    { words: [word('f', 13)], redirects: [], pipeline: 3 },
    { words: [word('g', 18)], redirects: [], pipeline: 4 },
    { words: [word('h', 22)], redirects: [], pipeline: 5 },
  ]);
});

test('removes quotes and escapes but keeps each character at its source offset', () => {
  const [command] = scanShell({ text: `x'a b'"c\\"d"\\ e\\\nf`, base: 100 });
  assert.deepStrictEqual(command!.words, [
    {
      parts: [
        { kind: 'text', value: 'x', offsets: [100], quoted: false },
        { kind: 'text', value: 'a bc"d ', offsets: [102, 103, 104, 107, 109, 110, 113], quoted: true },
        { kind: 'text', value: 'ef', offsets: [114, 117], quoted: false },
      ],
      start: 100,
      end: 118,
    },
  ]);
});

test('reads parameter expansions with their operators and nested operands', () => {
  const [command] = scanShell({ text: '$A${B}${C:-x$D}$(cmd)' });
  assert.deepStrictEqual(command!.words[0]!.parts, [
    { kind: 'param', name: 'A', start: 0, end: 2 },
    { kind: 'param', name: 'B', start: 2, end: 6 },
    {
      kind: 'param', name: 'C', op: ':-', start: 6, end: 15,
      operand: { parts: [{ kind: 'text', value: 'x', offsets: [11], quoted: false }, { kind: 'param', name: 'D', start: 12, end: 14 }], start: 11, end: 14 },
    },
    { kind: 'command', start: 15, end: 21 },
  ]);
});

test('reads redirections, here-strings and here-document bodies', () => {
  const text = 'cat <<-"EOF" >out 2>&1 <<<s\n\tbody $X\n\tEOF\nnext';
  const commands = scanShell({ text });
  const body = '\tbody $X\n';
  assert.deepStrictEqual(commands.map((c) => c.redirects.map((r) => [r.op, r.heredoc?.delimiter, r.heredoc?.body.text])), [
    [['<<-', 'EOF', body], ['>', undefined, undefined], ['2>&', undefined, undefined], ['<<<', undefined, undefined]],
    [],
  ]);
  // A quoted delimiter keeps the body literal: `$X` stays text.
  assert.deepStrictEqual(commands[0]!.redirects[0]!.heredoc!.bodyWord, { parts: [{ kind: 'text', value: body, offsets: range(28, body.length), quoted: true }], start: 28, end: 28 + body.length });
});

test('expands words and locates a substring in the source', () => {
  const [command] = scanShell({ text: 'xz=${V}-r2 xz=$V' });
  const v: Binding = { value: '5.6.1', offsets: range(50, 5), via: 'ARG V, line 3' };
  const lookup = (name: string) => (name === 'V' ? v : undefined);
  const mixed = expandWord(command!.words[0]!, lookup);
  const whole = expandWord(command!.words[1]!, lookup);
  assert.deepStrictEqual([mixed.value, mixed.known, whole.value], ['xz=5.6.1-r2', true, 'xz=5.6.1']);
  assert.deepStrictEqual(
    [locate(mixed, 3, 11), locate(whole, 3, 8), locate(whole, 5, 8), locate(whole, 0, 2)],
    [
      { span: { start: 3, end: 10 }, mixed: ['V'], via: 'ARG V, line 3' },
      { span: { start: 14, end: 16 }, param: 'V', via: 'ARG V, line 3', edit: { start: 50, end: 55 } },
      { span: { start: 14, end: 16 }, param: 'V', via: 'ARG V, line 3', edit: { start: 52, end: 55 }, partial: true },
      { span: { start: 11, end: 13 } },
    ],
  );
});

test('analyses a recipe-style script: nested sh -c, shell variables and a checksum pipeline', () => {
  const text = "V=5.6.1-r2\nsh -c 'apk add xz=$V'\necho \"" + 'cd'.repeat(32) + '  x" | sha256sum -c -';
  const facts = analyzeScript({ text }, () => undefined, { describe: (name) => `shell variable ${name}` });
  assert.deepStrictEqual(
    [facts.installs.map((p) => [p.context, p.name, p.version, p.arg.exp.value.slice(p.from, p.to)]), facts.artifacts.map((a) => [a.kind, a.value, a.context])],
    [[['apk add', 'xz', '5.6.1-r2', '5.6.1-r2']], [['sha256', 'cd'.repeat(32), 'sha256sum -c']]],
  );
});

test('splits RPM specs from the right, keeping hyphenated names whole', () => {
  assert.deepStrictEqual(
    ['xz-libs-5.6.0-2.fc40', 'xz-libs-5.6.0-2.fc40.x86_64', 'xz-5.6.1', 'java-17-openjdk', 'xz-libs', 'xz-1:5.6.0-1.fc40', 'gcc-c++'].map((s) => splitNevra(s, false)),
    [
      { name: 'xz-libs', version: '5.6.0-2.fc40', from: 8, to: 20 },
      { name: 'xz-libs', version: '5.6.0-2.fc40', from: 8, to: 20 },
      { name: 'xz', version: '5.6.1', from: 3, to: 8 },
      undefined,
      undefined,
      { name: 'xz', version: '1:5.6.0-1.fc40', from: 3, to: 17 },
      undefined,
    ],
  );
});

test('splits pacman package files and archive URLs', () => {
  assert.deepStrictEqual(
    [
      'https://archive.archlinux.org/packages/x/xz/xz-5.6.1-1-x86_64.pkg.tar.zst',
      '/tmp/lib32-xz-5.6.0-1-x86_64.pkg.tar.xz',
      'python-foo-1%3A2.0-3-any.pkg.tar.zst',
      'xz-5.6.1-1.tar.gz',
    ].map(splitPacmanFile),
    [
      { name: 'xz', version: '5.6.1-1', from: 47, to: 54 },
      { name: 'lib32-xz', version: '5.6.0-1', from: 14, to: 21 },
      { name: 'python-foo', version: '1:2.0-3', from: 11, to: 20 },
      undefined,
    ],
  );
});

test('normalises git repository URLs', () => {
  assert.deepStrictEqual(
    ['https://github.com/tukaani-project/xz.git', 'git@github.com:tukaani-project/xz.git', 'git://git.tukaani.org/xz.git', 'https://user@GitHub.com/o/r/', 'xz'].map(normaliseRepo),
    ['github.com/tukaani-project/xz', 'github.com/tukaani-project/xz', 'git.tukaani.org/xz', 'github.com/o/r', undefined],
  );
});
