import assert from 'node:assert/strict';
import { closeSync, fstatSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { indexTar, isTarError, normalizeMember, readTarAt, tarParser, type TarHandlers, type TarMember } from '../../../server/src/image/tar';
import { headerBlock, makeTar, type TarEntry } from './tarWriter';

type Parsed = { members: Array<TarMember & { data?: string }>; error?: string };

/** Handlers that record every member, with the data of the files `wanted` accepts, and what `result` returns. */
function recorder(wanted: (m: TarMember) => boolean = () => true): { handlers: TarHandlers; result(error?: unknown): Parsed } {
  const members: Parsed['members'] = [];
  let chunks: Buffer[] = [];
  const handlers: TarHandlers = {
    member: (m) => (members.push({ ...m }), (chunks = []), wanted(m)),
    data: (chunk) => void chunks.push(Buffer.from(chunk)),
    end: () => void (members[members.length - 1]!.data = Buffer.concat(chunks).toString()),
  };
  return { handlers, result: (error) => (error === undefined ? { members } : { members, error: (error as Error).message }) };
}

/** Every member the parser reports, with the data of the files, fed `step` bytes at a time. */
function parse(tar: Buffer, step: number, wanted?: (m: TarMember) => boolean): Parsed {
  const { handlers, result } = recorder(wanted);
  const parser = tarParser(handlers);
  try {
    for (let at = 0; at < tar.length; at += step) parser.write(tar.subarray(at, at + step));
    parser.finish();
    return result();
  } catch (error) {
    return result(error);
  }
}

/** What `readTarAt` reports for the tar as a run of an open file (`fd`), `start` bytes into it. */
function parseAt(fd: number, start: number, size: number, wanted?: (m: TarMember) => boolean): Parsed {
  const { handlers, result } = recorder(wanted);
  try {
    readTarAt(fd, start, size, handlers);
    return result();
  } catch (error) {
    if (!isTarError(error)) throw error;
    return result(error);
  }
}

/** Runs `body` with a temporary file holding `bytes` open. */
function withFile<T>(bytes: Buffer, body: (fd: number) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'pinwatch-tar-'));
  const path = join(dir, 'file');
  writeFileSync(path, bytes);
  const fd = openSync(path, 'r');
  try {
    return body(fd);
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
}

const longName = `usr/share/${'very-long-folder-name/'.repeat(8)}APKBUILD`;
const entries: TarEntry[] = [
  { name: 'etc/', type: 'dir' },
  { name: 'etc/Dockerfile', data: 'FROM alpine:3.19\n' },
  { name: longName, data: 'gnu', longName: 'gnu' },
  { name: `${longName}.pax`, data: 'pax', longName: 'pax' },
  { name: 'lib/liblzma.so.5', type: 'symlink', linkName: 'liblzma.so.5.6.1' },
  { name: 'empty', data: '' },
];

test('reads members, GNU long names and pax paths, whatever the chunk boundaries', () => {
  const tar = makeTar(entries);
  const expected = {
    members: [
      { name: 'etc/', type: 'directory', size: 0, linkName: '', headerOffset: 0 },
      { name: 'etc/Dockerfile', type: 'file', size: 17, linkName: '', headerOffset: 512, data: 'FROM alpine:3.19\n' },
      { name: longName, type: 'file', size: 3, linkName: '', headerOffset: 2560, data: 'gnu' },
      { name: `${longName}.pax`, type: 'file', size: 3, linkName: '', headerOffset: 4608, data: 'pax' },
      { name: 'lib/liblzma.so.5', type: 'symlink', size: 0, linkName: 'liblzma.so.5.6.1', headerOffset: 5632 },
      { name: 'empty', type: 'file', size: 0, linkName: '', headerOffset: 6144, data: '' },
    ],
  };
  for (const step of [1, 7, 512, 513, 1 << 20]) assert.deepStrictEqual(parse(tar, step), expected, `step ${step}`);
});

test('a truncated tar, a tar ending inside a header, and bytes that are not a tar are errors after what was read', () => {
  const tar = makeTar([{ name: 'a', data: 'x'.repeat(600) }, { name: 'b', data: 'y' }]);
  assert.deepStrictEqual(parse(tar.subarray(0, 900), 64).error, 'the tar ends inside a member, at byte 900 (truncated)');
  assert.deepStrictEqual(parse(tar.subarray(0, 1536 + 100), 64), { members: [{ name: 'a', type: 'file', size: 600, linkName: '', headerOffset: 0, data: 'x'.repeat(600) }], error: 'the tar ends inside a member, at byte 1636 (truncated)' });
  assert.deepStrictEqual(parse(Buffer.from('hello world\n'.repeat(100)), 512), { members: [], error: 'not a tar archive' });
  assert.deepStrictEqual(parse(Buffer.alloc(0), 512), { members: [], error: 'empty: not a tar archive' });
  // A corrupt header after the first member: the first is still read.
  const corrupt = Buffer.from(tar);
  corrupt[1536 + 10] = 0x41;
  assert.deepStrictEqual(parse(corrupt, 512).error, 'not a tar header at byte 1536 (checksum mismatch)');
});

test('indexTar jumps over data, reads base-256 sizes, and reports a member claiming more than the file holds', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pinwatch-tar-'));
  const path = join(dir, 'huge.tar');
  const huge = 10 * 1024 ** 3;
  writeFileSync(path, Buffer.concat([makeTar([{ name: 'manifest.json', data: '[]' }], false), headerBlock('big.bin', huge, '0')]));
  const fd = openSync(path, 'r');
  try {
    assert.throws(() => indexTar(fd, fstatSync(fd).size, () => true), { message: 'the member big.bin claims 10 GB but the archive ends 0 bytes after its header (truncated)' });
  } finally {
    closeSync(fd);
  }
  // The same header with its data present (a sparse file, so 10 GB cost nothing on disk): jumped over, never read.
  const sparse = openSync(join(dir, 'sparse.tar'), 'w+');
  try {
    const end = 512 + huge;
    writeSync(sparse, headerBlock('big.bin', huge, '0'), 0, 512, 0);
    writeSync(sparse, makeTar([{ name: 'after', data: 'z' }]), 0, 2048, end);
    const members = indexTar(sparse, end + 2048, () => true);
    assert.deepStrictEqual(members.map((m) => [m.name, m.size, m.dataOffset]), [['big.bin', huge, 512], ['after', 1, end + 512]]);
  } finally {
    closeSync(sparse);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a million empty members are read in linear time and bounded memory', () => {
  const count = 1_000_000;
  const batch = 4096;
  const chunk = Buffer.concat(Array.from({ length: batch }, (_, i) => headerBlock(`d/empty-${i}`, 0, '0')));
  let seen = 0;
  const parser = tarParser({ member: () => (seen++, false), data: () => undefined, end: () => undefined });
  global.gc?.();
  const heap = process.memoryUsage().heapUsed;
  for (let n = 0; n < count; n += batch) parser.write(chunk);
  parser.write(Buffer.alloc(1024));
  parser.finish();
  const grown = process.memoryUsage().heapUsed - heap;
  assert.deepStrictEqual([seen, grown < 64 * 1024 * 1024], [Math.ceil(count / batch) * batch, true]);
});

test('member paths are normalised without ever leaving the root', () => {
  const cases = [['./etc/apk/world', 'etc/apk/world'], ['/usr//lib/./x', 'usr/lib/x'], ['../../etc/passwd', 'etc/passwd'], ['a/b/../../../c', 'c'], ['./', ''], ['..', ''], ['etc/', 'etc'], ['etc//', 'etc'], ['a/.', 'a'], ['..a/.b/c..', '..a/.b/c..'], ['usr/lib/x', 'usr/lib/x'], ['', '']];
  assert.deepStrictEqual(cases.map(([name]) => [name, normalizeMember(name!)]), cases);
});

test('damaged tars give a TarError or members, never another exception', () => {
  const tar = makeTar(entries);
  let seed = 7;
  const random = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  const others: string[] = [];
  for (let round = 0; round < 2000; round++) {
    const damaged = Buffer.from(tar);
    for (let k = 0; k < 1 + random(8); k++) damaged[random(damaged.length)] = random(256);
    const cut = random(4) === 0 ? damaged.subarray(0, random(damaged.length)) : damaged;
    const parser = tarParser({ member: () => true, data: () => undefined, end: () => undefined });
    try {
      parser.write(cut);
      parser.finish();
    } catch (error) {
      if (!isTarError(error)) others.push(String(error));
    }
  }
  assert.deepStrictEqual(others, []);
});

test('readTarAt reports what tarParser does for the same bytes: whole, cut at every length, and damaged', () => {
  const tar = makeTar([...entries, { name: 'big', data: 'b'.repeat(70 * 1024) }, { name: 'skipped', data: 's'.repeat(1000) }, { name: 'last', data: 'z' }]);
  // The tar lies 777 bytes into the file, before 300 bytes of something else, as a layer inside an archive does.
  const file = Buffer.concat([Buffer.alloc(777, 0x41), tar, Buffer.alloc(300, 0x42)]);
  const wanted = (m: TarMember): boolean => m.name !== 'skipped';
  const differences: string[] = [];
  withFile(file, (fd) => {
    for (let size = 0; size <= tar.length; size += size < 8192 ? 1 : 509) {
      const expected = parse(tar.subarray(0, size), 4096, wanted);
      if (JSON.stringify(parseAt(fd, 777, size, wanted)) !== JSON.stringify(expected)) differences.push(`cut at ${size}`);
    }
    assert.deepStrictEqual(parseAt(fd, 777, tar.length, wanted), parse(tar, 512, wanted));
  });
  let seed = 11;
  const random = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  for (let round = 0; round < 300; round++) {
    const damaged = Buffer.from(tar.subarray(0, 8192));
    for (let k = 0; k < 1 + random(6); k++) damaged[random(damaged.length)] = random(256);
    withFile(damaged, (fd) => {
      if (JSON.stringify(parseAt(fd, 0, damaged.length)) !== JSON.stringify(parse(damaged, 1000))) differences.push(`damaged, round ${round}`);
    });
  }
  assert.deepStrictEqual(differences, []);
});

test('readTarAt jumps over the data of members it is not asked for: a 10 GB member costs one header read', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pinwatch-tar-'));
  const huge = 10 * 1024 ** 3;
  // A sparse file: 10 GB cost nothing on disk, and reading them would take minutes.
  const fd = openSync(join(dir, 'sparse.tar'), 'w+');
  try {
    writeSync(fd, headerBlock('big.bin', huge, '0'), 0, 512, 0);
    writeSync(fd, makeTar([{ name: 'etc/os-release', data: 'ID=alpine\n' }]), 0, 2048, 512 + huge);
    assert.deepStrictEqual(parseAt(fd, 0, 512 + huge + 2048, (m) => m.name !== 'big.bin'), {
      members: [
        { name: 'big.bin', type: 'file', size: huge, linkName: '', headerOffset: 0 },
        { name: 'etc/os-release', type: 'file', size: 10, linkName: '', headerOffset: 512 + huge, data: 'ID=alpine\n' },
      ],
    });
    // Claimed but missing: the member is announced, then the tar is truncated, and nothing of it is read.
    assert.deepStrictEqual(parseAt(fd, 0, 4096, () => true), { members: [{ name: 'big.bin', type: 'file', size: huge, linkName: '', headerOffset: 0 }], error: 'the tar ends inside a member, at byte 4096 (truncated)' });
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
});
