import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { applyEdits } from '../../../server/src/edits';
import { analyzeFile } from '../../../server/src/engine';
import { cargoToml } from '../../../server/src/formats/cargoToml';
import { defaultSettings, type PackageReference, type ReadProblem } from '../../../server/src/model';
import { repoRoot } from '../../paths';

const path = '/work/app/Cargo.toml';
const fixture = (): string => readFileSync(join(repoRoot, 'test', 'fixtures', 'cargo-toml', 'Cargo.toml'), 'utf8');

/** A crates.io reference on `line` from `start`, `length` characters long (default: the version's or constraint's). */
function crate(name: string, pin: { version: string } | { constraint: string }, line: number, start: number, length?: number, via?: string): PackageReference {
  const text = 'version' in pin ? pin.version : pin.constraint;
  return {
    kind: 'package', ecosystem: 'crates.io', name, context: 'Cargo.toml', ...(via ? { via } : {}), ...pin,
    range: { start: { line, character: start }, end: { line, character: start + (length ?? text.length) } },
  } as PackageReference;
}

test('Cargo.toml: every dependency table and form; exact pins at their version, caret and range requirements as constraints', () => {
  assert.deepStrictEqual(cargoToml.extract(fixture(), path), [
    crate('liblzma-sys', { version: '0.3.1' }, 5, 16),
    crate('liblzma', { constraint: '^0.3.0' }, 6, 23, 5),
    crate('xz2', { constraint: '^0.1.7' }, 7, 7, 5),
    crate('liblzma-sys', { version: '0.3.2' }, 8, 54, undefined, 'dependency lzma-pinned'),
    crate('liblzma-sys', { version: '0.3.0' }, 15, 12, undefined, 'dependency table-form'),
    crate('liblzma-sys', { version: '0.3.3' }, 18, 24),
    crate('cc', { constraint: '^1.0' }, 21, 6, 3),
    crate('liblzma-sys', { constraint: '>=0.3.0, <0.3.3' }, 24, 27),
    crate('liblzma-sys', { constraint: '^0.3.3' }, 27, 15, 5),
  ]);
});

test('Cargo.toml: exact compromised pins are errors fixed in their token; a range with no safe release is a warning; 0.3.3 and "0.3.3" are clean', () => {
  const text = fixture();
  const findings = analyzeFile(path, text, defaultSettings, {}).findings;
  const at = (line: number, start: number, end: number) => ({ start: { line, character: start }, end: { line, character: end } });
  assert.deepStrictEqual(findings.map((f) => ({ range: f.reference.range, severity: f.severity, message: f.message, fixed: f.fixes.map((x) => applyEdits(text, x.edits).text) })), [
    { range: at(5, 16, 21), severity: 'error', message: 'liblzma-sys 0.3.1 is a compromised release (xz-utils backdoor, CVE-2024-3094). Pin 0.3.3 instead.', fixed: [text.replace('liblzma-sys = "=0.3.1"', 'liblzma-sys = "=0.3.3"')] },
    { range: at(8, 54, 59), severity: 'error', message: 'liblzma-sys 0.3.2 (from dependency lzma-pinned) is a compromised release (xz-utils backdoor, CVE-2024-3094). Pin 0.3.3 instead.', fixed: [text.replace('version = "= 0.3.2"', 'version = "= 0.3.3"')] },
    { range: at(15, 12, 17), severity: 'error', message: 'liblzma-sys 0.3.0 (from dependency table-form) is a compromised release (xz-utils backdoor, CVE-2024-3094). Pin 0.3.3 instead.', fixed: [text.replace('version = "=0.3.0"', 'version = "=0.3.3"')] },
    { range: at(24, 27, 42), severity: 'warning', message: 'liblzma-sys >=0.3.0, <0.3.3 admits the compromised 0.3.0, 0.3.1, 0.3.2 (CVE-2024-3094). Require 0.3.3 or a later safe release.', fixed: [] },
  ]);
});

test('Cargo.toml: a caret requirement whose floor is compromised is a warning, one that only admits 0.3.3 on is clean, `=0.3` is a range', () => {
  const findings = (req: string) => analyzeFile(path, `[dependencies]\nliblzma-sys = "${req}"\n`, defaultSettings, {}).findings.map((f) => [f.severity, f.message]);
  assert.deepStrictEqual(findings('0.3.1'), [['warning', 'liblzma-sys ^0.3.1 admits the compromised 0.3.1, 0.3.2 (CVE-2024-3094). Require 0.3.3 or a later safe release.']]);
  assert.deepStrictEqual(findings('0.3.3'), []);
  assert.deepStrictEqual(findings('~0.3.3'), []);
  assert.deepStrictEqual(findings('=0.3.3'), []);
  // `=0.3` is a range in Cargo (0.3.x), not an exact pin: its floor 0.3.0 is compromised.
  assert.deepStrictEqual(findings('=0.3'), [['warning', 'liblzma-sys =0.3 admits the compromised 0.3.0, 0.3.1, 0.3.2 (CVE-2024-3094). Require 0.3.3 or a later safe release.']]);
});

test('Cargo.toml: truncated and malformed TOML is one read problem with its count, and what could be read is still reported', () => {
  const text = '[dependencies]\nliblzma-sys = "=0.3.1"\nbad line\nfoo = { version = "1.0"\nxz = [\n[dev-dependencies]\nliblzma = "=0.3.0"\nlzma = "=0.3.2';
  const problem: ReadProblem = {
    kind: 'problem', reason: 'syntax',
    message: 'This statement is not TOML that Cargo reads, so the dependency it declares (if any) was not checked (and 3 more statements).',
    range: { start: { line: 2, character: 0 }, end: { line: 2, character: 8 } },
  };
  assert.deepStrictEqual(cargoToml.extract(text, path), [crate('liblzma-sys', { version: '0.3.1' }, 1, 16), crate('liblzma', { version: '0.3.0' }, 6, 12), problem]);
});

test('Cargo.toml: a multi-line array of arrays (cargo-deb\'s assets) is TOML, not a header: nothing unread', () => {
  const table = '[package.metadata.deb]\nassets = [\n  ["target/release/tool", "usr/bin/", "755"],\n  [\n    "README.md", "usr/share/doc/tool/", "644"\n  ],\n]\n\n[dependencies]\nliblzma-sys = "=0.3.1"\n';
  assert.deepStrictEqual(cargoToml.extract(table, path), [crate('liblzma-sys', { version: '0.3.1' }, 9, 16)]);
  const dotted = '[package]\nname = "tool"\nmetadata.deb.assets = [\n  ["a", "b", "644"]\n]\n[dependencies]\nliblzma-sys = "=0.3.2"\n';
  assert.deepStrictEqual(cargoToml.extract(dotted, path), [crate('liblzma-sys', { version: '0.3.2' }, 6, 16)]);
});

test('Cargo.toml: escaped versions, other tables and the package\'s own version give nothing', () => {
  const text = '[package]\nname = "liblzma-sys"\nversion = "0.3.1"\n[features]\nliblzma-sys = ["=0.3.1"]\n[dependencies]\nliblzma-sys = "=0.3.\\u0031"\n[[bin]]\nliblzma-sys = "=0.3.1"\n';
  assert.deepStrictEqual(cargoToml.extract(text, path), []);
});

test('Cargo.toml: CRLF line endings and every prefix read without throwing', () => {
  const text = fixture().replace(/\n/g, '\r\n');
  assert.deepStrictEqual((cargoToml.extract(text, path) as PackageReference[]).map((r) => r.range.start), (cargoToml.extract(fixture(), path) as PackageReference[]).map((r) => r.range.start));
  for (let end = 0; end <= text.length; end += 5) cargoToml.extract(text.slice(0, end), path);
});

test('Cargo.toml: blanks inside a requirement\'s quotes are not part of its range', () => {
  assert.deepStrictEqual(cargoToml.extract('[dependencies]\nliblzma-sys = " =0.3 "\nxz2 = "  0.1.7"\n', path), [
    crate('liblzma-sys', { constraint: '=0.3' }, 1, 16),
    crate('xz2', { constraint: '^0.1.7' }, 2, 9, 5),
  ]);
});
