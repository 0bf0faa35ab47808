import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeFile } from '../../../server/src/engine';
import { apkbuild } from '../../../server/src/formats/apkbuild';
import { pkgbuild } from '../../../server/src/formats/pkgbuild';
import { maxExpandedTotal, maxValueLength } from '../../../server/src/formats/shell/bashExpand';
import { defaultSettings } from '../../../server/src/model';
import { on } from './recipeHelpers';

const tooLong = `This value grows past ${maxValueLength} characters here, so Pinwatch stopped expanding it: what uses it was not checked.`;
const spent = `Expansions in this recipe pass ${maxExpandedTotal} characters in all here, so Pinwatch stopped expanding variables: values from here on that use them were not checked.`;
const xzLibs = (line: number, start: number) => ({ kind: 'package', ecosystem: 'Alpine', name: 'xz-libs', version: '5.6.1-r1', range: on(line, start, start + 8), context: 'depends' });

test('a value that doubles on each line stops at the limit, is reported there, and the pin before it is still found', () => {
  // a=$a$a eighteen times would be 256 Ki characters; spreading it into push() once overflowed the stack, silently.
  const text = `depends="xz-libs=5.6.1-r1"\na=x\n${'a=$a$a\n'.repeat(18)}`;
  assert.deepStrictEqual(apkbuild.extract(text, 'APKBUILD'), [
    xzLibs(0, 17),
    // Line 18 (0-based) would make 2 × 64 Ki: its second $a is where the value passes the limit.
    { kind: 'problem', reason: 'limit', message: tooLong, range: on(18, 4, 6) },
  ]);
});

test('the engine reports the compromised pin of that recipe and the limit beside it', () => {
  const text = `depends="xz-libs=5.6.1-r1"\na=x\n${'a=$a$a\n'.repeat(18)}`;
  const { findings, problems } = analyzeFile('/r/APKBUILD', text, defaultSettings);
  assert.deepStrictEqual(
    {
      findings: findings.map((f) => ({ code: f.code, severity: f.severity, reference: f.reference, advisory: f.advisory.aliases.includes('CVE-2024-3094') })),
      problems,
    },
    {
      findings: [{ code: 'compromised-version', severity: 'error', reference: xzLibs(0, 17), advisory: true }],
      problems: [{ kind: 'problem', reason: 'limit', message: tooLong, range: on(18, 4, 6) }],
    },
  );
});

test('a file past the expansion budget reports where it ran out, and still reads literal pins after it', () => {
  const text = [
    'pkgver=5.6.1',
    `v="${'x'.repeat(60000)}"`,
    ...Array.from({ length: 20 }, () => 'b=$v'),
    'depends="xz-libs=$pkgver-r1"',
    'makedepends="xz-libs=5.6.1-r1"',
  ].join('\n');
  // 17 copies of 60000 fit in 1 Mi; the 18th (line 19) does not. The $pkgver after it is not expanded, and says so.
  assert.deepStrictEqual(apkbuild.extract(text, 'APKBUILD'), [
    { kind: 'problem', reason: 'limit', message: spent, range: on(19, 2, 4) },
    { ...xzLibs(23, 21), context: 'makedepends' },
  ]);
});

test('a brace expansion past the limit leaves the array element unresolved and is reported', () => {
  const text = [`v="${'x'.repeat(40000)}"`, 'source=("$v"{a,b} "https://example.org/xz-5.6.1.tar.gz")'].join('\n');
  assert.deepStrictEqual(pkgbuild.extract(text, 'PKGBUILD'), [
    { kind: 'problem', reason: 'limit', message: `This word's brace expansion grows past ${maxValueLength} characters here, so Pinwatch did not expand it: what uses it was not checked.`, range: on(1, 8, 17) },
    // The URL is written literally, all 35 characters in one run where it stands.
    { kind: 'url', value: 'https://example.org/xz-5.6.1.tar.gz', range: on(1, 19, 54), context: 'source', origins: [{ from: 0, to: 35, at: text.indexOf('https://example.org') }] },
  ]);
});

test('a failure inside the lexer keeps the references before it and reports where reading stopped', () => {
  const text = 'depends="xz-libs=5.6.1-r1"\nmakedepends="xz-libs=5.6.1-r1"\n';
  const failAt = text.indexOf('makedepends');
  // A text that cannot be read past one offset stands in for a lexer defect there.
  class FailingText extends String {
    override startsWith(search: string, position = 0): boolean {
      if (position >= failAt) throw new Error('unreadable text');
      return super.startsWith(search, position);
    }
  }
  assert.deepStrictEqual(apkbuild.extract(new FailingText(text) as unknown as string, 'APKBUILD'), [
    xzLibs(0, 17),
    { kind: 'problem', reason: 'syntax', message: 'Pinwatch could not read this recipe from here (internal error: unreadable text), so what follows was not checked.', range: on(1, 0, 0) },
  ]);
});
