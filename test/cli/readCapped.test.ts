import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readCapped } from '../../server/src/scan';

/** Bytes that differ from one offset to the next, so that a read put at the wrong place shows. */
function bytes(length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) out[i] = (i * 7 + (i >> 8)) & 0xff;
  return out;
}

test('readCapped gives every byte of a file of any size around its buffer, or the size of one over the cap', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pinwatch-read-'));
  try {
    const sizes = [0, 1, 4095, 4096, 65535, 65536, 65537, 131072, 131073, 300_000];
    const results = sizes.map((size) => {
      const path = join(dir, `f${size}`);
      const content = bytes(size);
      writeFileSync(path, content);
      const whole = readCapped(path, 1_000_000);
      const capped = readCapped(path, size - 1);
      return { size, whole: Buffer.isBuffer(whole) && whole.equals(content), capped: size === 0 ? 'n/a' : capped };
    });
    assert.deepStrictEqual(
      results,
      sizes.map((size) => ({ size, whole: true, capped: size === 0 ? 'n/a' : size })),
    );
    // Two reads in a row each get their own bytes (the buffer they were read into is reused).
    const a = readCapped(join(dir, 'f4095'), 1_000_000) as Buffer;
    const b = readCapped(join(dir, 'f65535'), 1_000_000) as Buffer;
    assert.deepStrictEqual([a.equals(bytes(4095)), b.equals(bytes(65535))], [true, true]);
    // A borrowed read is a view of the buffer the next read reuses; a big file's bytes are its own all the same.
    const lent = readCapped(join(dir, 'f4095'), 1_000_000, true) as Buffer;
    const copy = Buffer.from(lent);
    writeFileSync(join(dir, 'other'), Buffer.alloc(100, 0xaa));
    const big = readCapped(join(dir, 'f300000'), 1_000_000, true) as Buffer;
    readCapped(join(dir, 'other'), 1_000_000, true);
    assert.deepStrictEqual([copy.equals(bytes(4095)), lent.equals(bytes(4095)), big.equals(bytes(300_000))], [true, false, true]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('readCapped reads a file whose size the kernel does not give (procfs) to its end', { skip: !existsSync('/proc/self/status') && 'no procfs here' }, () => {
  const read = readCapped('/proc/self/status', 1_000_000);
  assert.ok(Buffer.isBuffer(read));
  assert.match(read.toString('latin1'), /^Name:.*\n[\s\S]*\nPid:\s+\d+\n/);
  // /proc/self/maps of a Node process is usually bigger than one buffer; whatever its length, it ends with a line end.
  const maps = readCapped('/proc/self/maps', 50_000_000);
  assert.ok(Buffer.isBuffer(maps) && maps.length > 0 && maps[maps.length - 1] === 0x0a, String(Buffer.isBuffer(maps) && maps.length));
  assert.equal(readFileSync('/proc/self/status', 'latin1').split('\n')[0], read.toString('latin1').split('\n')[0]);
});
