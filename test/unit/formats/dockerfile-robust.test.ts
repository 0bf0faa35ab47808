import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits } from '../../../server/src/edits';
import { analyzeFile } from '../../../server/src/engine';
import { dockerfile } from '../../../server/src/formats/dockerfile';
import { defaultSettings } from '../../../server/src/model';

const extract = (text: string) => dockerfile.extract(text, 'Dockerfile');
const sid = { kind: 'image', value: 'debian:sid', range: { start: { line: 0, character: 12 }, end: { line: 0, character: 15 } }, context: 'FROM' };

/** A deterministic generator, so that "random" input is the same on every run. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x >>> 8;
  };
}

/** A realistic Dockerfile of about `lines` lines: ENV, and RUN with continuations, pins, a download and a checksum. */
function generated(lines: number): string {
  const out = ['ARG XZ_VER=5.6.1-1', 'FROM debian:sid-20240311-slim AS base', 'ARG XZ_VER'];
  while (out.length < lines) {
    const n = out.length;
    out.push(
      `ENV V${n}=${n}.0`,
      'RUN apt-get update && apt-get install -y --no-install-recommends \\',
      '    xz-utils=${XZ_VER} liblzma5=5.6.1+really5.4.5-1 curl \\',
      `  && curl -fsSLo /tmp/x${n}.tgz https://example.org/x-${n}.tar.gz \\`,
      `  && echo "${'ab'.repeat(32)}  /tmp/x${n}.tgz" | sha256sum -c -`,
    );
  }
  return `${out.slice(0, lines).join('\n')}\n`;
}

test('reads nothing from an empty file or whitespace', () => {
  assert.deepStrictEqual([extract(''), extract('\n\n  \t\r\n')], [[], []]);
});

test('reads nothing from 5 MB of binary garbage', () => {
  const next = random(1);
  const bytes = new Uint8Array(5 * 1024 * 1024).map(() => next() & 0xff);
  assert.deepStrictEqual(extract(Buffer.from(bytes).toString('latin1')), []);
  assert.deepStrictEqual(extract(Buffer.from(bytes).toString('utf8')), []);
});

test('survives 5 MB of shell-like soup after a FROM', () => {
  const next = random(7);
  const alphabet = 'RUN apt-get install xz-utils=5.6.1-1 "\'$`\\{}()<>|&;#\n\t =-:/@~.abcdefgh0123456789';
  const chars: string[] = [];
  for (let i = 0; i < 5 * 1024 * 1024; i += 1) chars.push(alphabet[next() % alphabet.length]!);
  assert.deepStrictEqual(extract(`FROM debian:sid\n${chars.join('')}`), [sid]);
});

test('reads no pin from an unterminated quote, substitution or expansion', () => {
  const texts = [
    'FROM debian:sid\nRUN apt-get install "xz-utils=5.6.1-1 \nRUN echo',
    "FROM debian:sid\nRUN apt-get install 'xz-utils=5.6.1-1",
    'FROM debian:sid\nRUN apt-get install $(echo xz-utils=5.6.1-1',
    'FROM debian:sid\nRUN apt-get install xz-utils=${XZ',
    'FROM debian:sid\nRUN apt-get install xz-utils=5.6.1-1\\',
  ];
  assert.deepStrictEqual(texts.map(extract), [[sid], [sid], [sid], [sid], [sid, { kind: 'package', ecosystem: 'Debian', suite: 'sid', name: 'xz-utils', version: '5.6.1-1', context: 'apt-get install', range: { start: { line: 1, character: 29 }, end: { line: 1, character: 36 } } }]]);
});

test('stays total on hostile nesting and here-document floods', () => {
  const texts = [
    `FROM debian:sid\nRUN echo ${'${a:-'.repeat(100000)}`,
    `FROM debian:sid\nRUN cat ${'<<E '.repeat(50000)}\n${'E\n'.repeat(1000)}`,
    `FROM debian:sid\nRUN ${'$('.repeat(100000)}`,
    `FROM debian:sid\nRUN bash -c "${'sh -c '.repeat(1000)}"`,
    'FROM debian:sid\nRUN apt-get install a=1\u0000\ud800 b=2',
  ];
  const b = { kind: 'package', ecosystem: 'Debian', suite: 'sid', name: 'b', version: '2', context: 'apt-get install', range: { start: { line: 1, character: 28 }, end: { line: 1, character: 29 } } };
  assert.deepStrictEqual(texts.map(extract), [[sid], [sid], [sid], [sid], [sid, b]]);
});

test('extracts a generated 500-line Dockerfile, and reports how long it takes', (t) => {
  const text = generated(500);
  const first = extract(text);
  for (let i = 0; i < 10; i += 1) extract(text);
  const runs = 30;
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  for (let i = 0; i < runs; i += 1) extract(text);
  const used = process.cpuUsage(cpu);
  const wall = Number(process.hrtime.bigint() - start) / 1e6 / runs;
  const cpuMs = (used.user + used.system) / 1000 / runs;
  // Reported, not asserted: a shared CI machine makes any time bound flaky.
  t.diagnostic(`500-line Dockerfile (${text.length} chars): ${cpuMs.toFixed(2)} ms CPU, ${wall.toFixed(2)} ms wall per extract, ${first.length} references`);
  // 100 RUNs, each with two pins, a URL and a checksum, and the FROM image.
  assert.deepStrictEqual([first.length, first.filter((r) => r.kind === 'package').length], [1 + 4 * 99, 2 * 99]);
});

test('a FROM tag that Docker rejects (backslashes, quotes) is no image, and an escape that ends an exec-form version is in its range (fuzz: token)', () => {
  assert.deepStrictEqual(extract('FROM debian:sid-\\\\\\\\\nFROM debian:e"x"\nFROM debian:sid-20240311\n'), [
    { kind: 'image', value: 'debian:sid-20240311', range: { start: { line: 2, character: 12 }, end: { line: 2, character: 24 } }, context: 'FROM' },
  ]);
  // `\u` without four hex digits is read as `u`; the range runs to the `u`, so it holds the whole escape.
  assert.deepStrictEqual(extract('FROM debian:bookworm\nRUN ["apt-get", "install", "liblzma5=5.6.\\u"]\n'), [
    { kind: 'image', value: 'debian:bookworm', range: { start: { line: 0, character: 12 }, end: { line: 0, character: 20 } }, context: 'FROM' },
    { kind: 'package', ecosystem: 'Debian', name: 'liblzma5', range: { start: { line: 1, character: 37 }, end: { line: 1, character: 43 } }, context: 'apt-get install', suite: 'bookworm', version: '5.6.u' },
  ]);
});

test('a \\uXXXX escape that ends or starts an exec-form version is in its range whole, and the fix replaces the whole token', () => {
  const text = 'FROM debian:sid\nRUN ["apt-get", "install", "liblzma5=5.6.0-0.\\u0032", "xz-utils=\\u0035.6.1-1"]\n';
  const packages = extract(text).filter((e) => e.kind === 'package');
  const lines = text.split('\n');
  const at = (r: { start: { line: number; character: number }; end: { line: number; character: number } }) => lines[r.start.line]!.slice(r.start.character, r.end.character);
  assert.deepStrictEqual(packages.map((p) => [p.kind === 'package' && p.version, at(p.range)]), [['5.6.0-0.2', '5.6.0-0.\\u0032'], ['5.6.1-1', '\\u0035.6.1-1']]);
  const analysis = analyzeFile('/r/Dockerfile', text, defaultSettings);
  const fixed = applyEdits(text, analysis.findings.map((f) => f.fixes[0]!.edits[0]!)).text;
  assert.deepStrictEqual(fixed, 'FROM debian:sid\nRUN ["apt-get", "install", "liblzma5=5.6.1+really5.4.5-1", "xz-utils=5.6.1+really5.4.5-1"]\n');
});

test('in an ARG or ENV value a $ before a quote is a plain $, as BuildKit reads it ($"…" and $\'…\' are bash\'s, not Docker\'s)', () => {
  const versions = (text: string) => extract(text).flatMap((e) => (e.kind === 'package' ? [`${e.name}=${e.version}`] : []));
  assert.deepStrictEqual(
    [
      'ARG V=5.6.$""1\nFROM alpine\nARG V\nRUN apk add xz=$V-r1\n',
      "ARG V=5.6.$'1'\nFROM alpine\nARG V\nRUN apk add xz=${V}-r1\n",
      'FROM alpine\nENV V=5.6.$"1"\nRUN apk add xz=$V-r1\n',
      'FROM alpine\nENV V="5.6.1"\nRUN apk add xz=$V-r1\n',
    ].map(versions),
    [[], [], [], ['xz=5.6.1-r1']],
  );
});
