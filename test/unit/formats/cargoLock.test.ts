import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Extracted, PackageReference } from '../../../server/src/model';
import { cargoLock } from '../../../server/src/formats/cargoLock';
import { buildIndex, matchPackage } from '../../../server/src/advisories/index';
import { bundled } from '../../../server/src/advisories/records';
import { repoRoot } from '../../paths';

const fixtures = join(repoRoot, 'test', 'fixtures', 'cargo-lock');
const lockPath = '/work/app/Cargo.lock';
const cratesIo = 'registry+https://github.com/rust-lang/crates.io-index';

function fixture(name: string): string {
  return readFileSync(join(fixtures, name), 'utf8');
}

/** The reference a crates.io package should give: its version on `line` from `start` (0-based; `version = "` is 11). */
function ref(name: string, version: string, line: number, start = 11): PackageReference {
  return {
    kind: 'package',
    ecosystem: 'crates.io',
    name,
    version,
    range: { start: { line, character: start }, end: { line, character: start + version.length } },
    context: 'Cargo.lock',
    fix: { kind: 'none', reason: `Cargo.lock is written by cargo: run cargo update -p ${name}@${version} --precise with a safe release, or raise the requirement in Cargo.toml.` },
  };
}

test('a version 3 lockfile gives every crates.io package at its version, and not the path package', () => {
  assert.deepStrictEqual(cargoLock.extract(fixture('liblzma-sys-0.3.1.lock'), lockPath), [
    ref('cc', '1.0.90', 6),
    ref('liblzma-sys', '0.3.1', 20),
    ref('pkg-config', '0.3.30', 31),
  ]);
});

test('a version 4 lockfile with one-line arrays and keys in any order', () => {
  assert.deepStrictEqual(cargoLock.extract(fixture('liblzma-0.3.0.v4.lock'), lockPath), [
    ref('liblzma', '0.3.0', 11),
    ref('liblzma-sys', '0.3.0', 18),
  ]);
});

test('git and path packages are not crates.io releases and give nothing, even under a compromised name and version', () => {
  assert.deepStrictEqual(cargoLock.extract(fixture('liblzma-sys-path-and-git.lock'), lockPath), [ref('cc', '1.0.90', 21)]);
});

test('the clean liblzma-sys 0.3.3 and liblzma 0.3.1 are read like any other package', () => {
  assert.deepStrictEqual(cargoLock.extract(fixture('liblzma-sys-0.3.3-trap.lock'), lockPath), [
    ref('liblzma', '0.3.1', 6),
    ref('liblzma-sys', '0.3.3', 15),
  ]);
});

test('CRLF line endings give the same lines and characters', () => {
  const text = fixture('liblzma-sys-0.3.2.crlf.lock');
  assert.ok(text.includes('\r\n'), 'the fixture keeps its CRLF line endings');
  assert.deepStrictEqual(cargoLock.extract(text, lockPath), [ref('liblzma-sys', '0.3.2', 6), ref('cc', '1.0.90', 14)]);
});

test('unclosed arrays end at the next header, and a package cut off before its source gives nothing', () => {
  assert.deepStrictEqual(cargoLock.extract(fixture('liblzma-unclosed-arrays.truncated.lock'), lockPath), [
    ref('liblzma-sys', '0.3.1', 6),
    ref('liblzma', '0.3.0', 13),
  ]);
});

test('every prefix of a lockfile is read without throwing, and gives only packages whose source was complete', () => {
  const text = fixture('liblzma-sys-0.3.1.lock');
  for (let end = 0; end <= text.length; end++) {
    const refs = cargoLock.extract(text.slice(0, end), lockPath) as PackageReference[];
    for (const r of refs) assert.ok(['cc', 'liblzma-sys', 'pkg-config'].includes(r.name) && r.version !== undefined, `prefix ${end}`);
  }
  // Cut inside the liblzma-sys source string: cc alone.
  const cut = text.indexOf('crates.io-index', text.indexOf('"liblzma-sys"\nversion'));
  assert.deepStrictEqual(cargoLock.extract(text.slice(0, cut), lockPath), [ref('cc', '1.0.90', 6)]);
});

test('other registries, escaped or multi-line versions, and keys of other tables give nothing', () => {
  const text = [
    '[[package]]',
    'name = "liblzma-sys"',
    'version = "0.3.1"',
    'source = "registry+https://my.corp.example/index"',
    '',
    '[[package]]',
    'name = "liblzma-sys"',
    'version = "0.3.\\u0031"',
    `source = "${cratesIo}"`,
    '',
    '[[package]]',
    'name = "liblzma"',
    'version = """0.3.0"""',
    `source = "${cratesIo}"`,
    '',
    '[[patch.unused]]',
    'name = "liblzma-sys"',
    'version = "0.3.2"',
    `source = "${cratesIo}"`,
    '',
    '[metadata]',
    `"checksum liblzma-sys 0.3.1 (${cratesIo})" = "0000"`,
    '',
  ].join('\n');
  assert.deepStrictEqual(cargoLock.extract(text, lockPath), []);
});

test('quoted keys, literal strings, comments, inline tables and a BOM are TOML like any other', () => {
  const text = [
    '\ufeffversion = 1 # a lockfile version 1',
    '[[ package ]] # spaces inside the brackets',
    '"name" = \'liblzma-sys\'',
    'meta = { a = [1, 2], b = "x" }',
    `source = '${cratesIo}'`,
    '\t"version"\t=\t\'0.3.1\'  # literal',
    '[[package]]',
    'name = "x" junk after the value',
    'version = "1.0.0"',
    `source = "sparse+https://index.crates.io/"`,
    'name = "y"',
    '',
  ].join('\n');
  assert.deepStrictEqual(cargoLock.extract(text, lockPath), [ref('liblzma-sys', '0.3.1', 5, 14), ref('x', '1.0.0', 8)]);
});

test('garbage and deep nesting give nothing and do not throw', () => {
  for (const text of ['', '[[', '[[package', '"', 'name = ', '[' + '['.repeat(100000), 'a = ' + '['.repeat(100000), '\r\r\r', '= = =']) {
    assert.deepStrictEqual(cargoLock.extract(text, lockPath), []);
  }
});

test('the bundled crates.io advisory matches liblzma-sys 0.3.0 to 0.3.2 (liblzma through them), and not the clean 0.3.3', () => {
  const index = buildIndex(bundled);
  const matched = (refs: Extracted[]) =>
    refs.flatMap((r) => (r.kind === 'package' ? matchPackage(index, r).map((m) => ({ name: r.name, id: m.record.id, how: m.how, versions: m.versions, confidence: m.confidence })) : []));
  const id = 'x_PINWATCH-XZ-2024-3094-CRATES';
  assert.deepStrictEqual(matched(cargoLock.extract(fixture('liblzma-sys-0.3.1.lock'), lockPath)), [
    { name: 'liblzma-sys', id, how: 'exact', versions: ['0.3.1'], confidence: 'verified' },
  ]);
  assert.deepStrictEqual(matched(cargoLock.extract(fixture('liblzma-0.3.0.v4.lock'), lockPath)), [
    { name: 'liblzma-sys', id, how: 'exact', versions: ['0.3.0'], confidence: 'verified' },
  ]);
  assert.deepStrictEqual(matched(cargoLock.extract(fixture('liblzma-sys-0.3.2.crlf.lock'), lockPath)), [
    { name: 'liblzma-sys', id, how: 'exact', versions: ['0.3.2'], confidence: 'verified' },
  ]);
  assert.deepStrictEqual(matched(cargoLock.extract(fixture('liblzma-sys-0.3.3-trap.lock'), lockPath)), []);
  assert.deepStrictEqual(matched(cargoLock.extract(fixture('liblzma-sys-path-and-git.lock'), lockPath)), []);
});

test('the format claims Cargo.lock and reads a lockfile of a few MB', () => {
  assert.deepStrictEqual({ id: cargoLock.id, patterns: cargoLock.patterns }, { id: 'cargo/Cargo.lock', patterns: ['Cargo.lock'] });
  assert.ok((cargoLock.maxLength ?? 0) >= 4 * 1024 * 1024);
});

test('a failure inside the scanner keeps the packages read before it and reports where reading stopped', () => {
  const text = fixture('liblzma-sys-0.3.1.lock');
  const failAt = text.indexOf('name = "pkg-config"');
  // A text whose characters cannot be read past one offset stands in for a scanner defect there.
  class FailingText extends String {
    override charCodeAt(index: number): number {
      if (index >= failAt) throw new Error('unreadable character');
      return super.charCodeAt(index);
    }
  }
  const problemAt = { line: 30, character: 0 };
  assert.deepStrictEqual(cargoLock.extract(new FailingText(text) as unknown as string, lockPath), [
    ref('cc', '1.0.90', 6),
    ref('liblzma-sys', '0.3.1', 20),
    {
      kind: 'problem',
      reason: 'syntax',
      message: 'Pinwatch could not read this Cargo.lock from here (internal error: unreadable character), so the packages after this point were not checked.',
      range: { start: problemAt, end: problemAt },
    },
  ]);
});
