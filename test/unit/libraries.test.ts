import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkLibraryFile, isLibraryPath, libraryCheck } from '../../server/src/libraries';
import { defaultSettings } from '../../server/src/model';

const signature = Buffer.from('f30f1efa554889f54c89ce5389fb81e7000000804883ec28488954241848894c2410', 'hex');

/** Where each check finds the signature (from the finding's note), for bytes fed in chunks of `step`. */
function found(bytes: Buffer, step: number, name = 'liblzma.so.5.6.1'): string[] {
  const check = libraryCheck(name, defaultSettings);
  for (let at = 0; at < bytes.length; at += step) check.update(bytes.subarray(at, at + step));
  return check.finish().findings.map((f) => `${f.reference.kind} ${f.note ?? ''}`.replace(/.*(found at byte \d+).*/, '$1'));
}

test('finds the signature wherever it lies against the chunk boundaries, once', () => {
  const bytes = randomBytes(4096);
  signature.copy(bytes, 1000);
  for (const step of [1, 17, 33, 34, 35, 999, 1000, 1001, 1010, 1033, 1034, 4096]) assert.deepStrictEqual(found(bytes, step), ['found at byte 1000'], `step ${step}`);
  const twice = Buffer.concat([bytes, bytes]);
  assert.deepStrictEqual(found(twice, 1024), ['found at byte 1000']);
});

test('a library without the signature is silent, whatever its name says; a file of another name is not checked', () => {
  const bytes = randomBytes(4096);
  assert.deepStrictEqual(found(bytes, 512), []);
  // All but the last byte of the signature, at the end.
  assert.deepStrictEqual(found(Buffer.concat([bytes, signature.subarray(0, signature.length - 1)]), 100), []);
  signature.copy(bytes, 10);
  assert.deepStrictEqual(found(bytes, 512, 'libzstd.so.1'), []);
  assert.deepStrictEqual(['liblzma.so', 'liblzma.so.5.6.1', 'liblzma.a', 'liblzma.5.dylib', 'usr/lib/liblzma.dylib', 'liblzma.la', 'libzstd.so.1', 'liblzma.so.txt'].map(isLibraryPath), [true, true, true, true, true, false, false, true]);
  // By the basename only, after either separator.
  assert.deepStrictEqual(['C:\\lib\\liblzma.a', 'xliblzma.so', '/usr/lib/liblzm', '/liblzma.so/x', 'liblzma.so/'].map(isLibraryPath), [true, false, false, false, false]);
});

test('a file is checked a megabyte at a time: the signature across the first boundary is found', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pinwatch-lib-'));
  const path = join(dir, 'liblzma.so.5');
  const bytes = randomBytes(2 * 1024 * 1024 + 3);
  signature.copy(bytes, 1024 * 1024 - 20);
  writeFileSync(path, bytes);
  const checked = checkLibraryFile(path, defaultSettings);
  assert.ok('analysis' in checked);
  assert.deepStrictEqual(checked.analysis.findings.map((f) => [f.reference, f.severity, f.code, f.advisory.id, f.fixes]), [
    [{ kind: 'signature', value: signature.toString('hex'), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, binary: true, context: 'liblzma.so.5' }, 'error', 'compromised-artifact', 'CVE-2024-3094', []],
  ]);
  assert.deepStrictEqual(checkLibraryFile(join(dir, 'missing.so'), defaultSettings), { unread: `ENOENT: no such file or directory, open '${join(dir, 'missing.so')}'` });
  assert.deepStrictEqual(checkLibraryFile(path, { ...defaultSettings, ignore: ['CVE-2024-3094'] }), { analysis: { findings: [], problems: [] } });
});
