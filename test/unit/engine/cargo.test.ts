import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../../server/src/engine';
import { defaultSettings } from '../../../server/src/model';
import { repoRoot } from '../../paths';

const lockPath = '/work/app/Cargo.lock';
const cratesIo = 'registry+https://github.com/rust-lang/crates.io-index';

/** A v4 lockfile in which liblzma 0.3.0 resolves its `liblzma-sys = "0.3.0"` (a caret requirement) to `sys`. */
function lock(sys: string): string {
  return [
    'version = 4', '',
    '[[package]]', 'name = "liblzma"', 'version = "0.3.0"', `source = "${cratesIo}"`, 'dependencies = ["liblzma-sys"]', '',
    '[[package]]', 'name = "liblzma-sys"', `version = "${sys}"`, `source = "${cratesIo}"`, '',
  ].join('\n');
}

function shape(text: string): Array<[string, string, string, number]> {
  return analyze(lockPath, text, defaultSettings).flatMap((f) =>
    f.reference.kind === 'package' ? [[f.reference.name, f.reference.version ?? '', f.severity, f.reference.range.start.line] as [string, string, string, number]] : []);
}

test('liblzma 0.3.0 beside the clean liblzma-sys 0.3.3 it resolves to is not compromised', () => {
  assert.deepStrictEqual(shape(lock('0.3.3')), []);
});

test('liblzma 0.3.0 is flagged through the compromised liblzma-sys it resolves to, once', () => {
  assert.deepStrictEqual(shape(lock('0.3.0')), [['liblzma-sys', '0.3.0', 'error', 10]]);
  assert.deepStrictEqual(shape(lock('0.3.2')), [['liblzma-sys', '0.3.2', 'error', 10]]);
  const fixture = readFileSync(join(repoRoot, 'test', 'fixtures', 'cargo-lock', 'liblzma-0.3.0.v4.lock'), 'utf8');
  assert.deepStrictEqual(shape(fixture), [['liblzma-sys', '0.3.0', 'error', 18]]);
});
