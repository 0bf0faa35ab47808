import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { dockerSave, headerBlock, layerBlob, makeTar, ociFiles, type TarEntry } from '../unit/image/tarWriter';
import { pinwatch } from './helpers';
import { rpmdbBytes } from '../unit/formats/installed/rpmdbFixture';

const bad = 'pkgname=libfoo\npkgver=1.2.0\npkgrel=0\ndepends="xz-libs=5.6.1-r1 zlib"\n';
const good = 'pkgname=libfoo\npkgver=1.2.0\npkgrel=1\ndepends="xz-libs=5.6.1-r2 zlib"\n';
const member = 'home/builder/aports/libfoo/APKBUILD';
const finding = (path: string): string => `${path}:4:18: error xz-libs 5.6.1-r1 is a compromised release (xz-utils backdoor, CVE-2024-3094). Pin 5.6.1-r2 instead. [compromised-version]`;
const signature = Buffer.from('f30f1efa554889f54c89ce5389fb81e7000000804883ec28488954241848894c2410', 'hex');

/** A fresh folder holding the named files. */
function folderWith(files: Record<string, Buffer | string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pinwatch-images-'));
  for (const [name, data] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), data);
  }
  return dir;
}

/** Scans `name` in `dir` (text report unless `args` say otherwise), checking that the scan wrote nothing beside it. */
function scan(dir: string, args: readonly string[]): ReturnType<typeof pinwatch> {
  const before = readdirSync(dir, { recursive: true }).sort();
  const run = pinwatch(['scan', ...args], dir);
  assert.deepEqual(readdirSync(dir, { recursive: true }).sort(), before, 'nothing is written beside the image');
  return run;
}

/** A fake liblzma of `size` random bytes, with the signature written across the 1 MB chunk boundary when `backdoored`. */
function fakeLibrary(size: number, backdoored: boolean): Buffer {
  const bytes = randomBytes(size);
  // Random bytes never hold the signature by chance (2^-280), but the test must not depend on it either way.
  if (backdoored) signature.copy(bytes, 1024 * 1024 - 17);
  return bytes;
}

test('an image whose second layer upgrades the flagged file reports nothing', () => {
  const image = dockerSave([layerBlob([{ name: member, data: bad }]), layerBlob([{ name: member, data: good }])]);
  const dir = folderWith({ 'image.tar': image });
  const run = scan(dir, ['image.tar']);
  assert.deepEqual(run, { status: 0, stdout: 'No compromised pins found in 1 file.\n', stderr: '' });
});

test('an image whose last layer has the compromised content reports it with the member path, whatever the outer order', () => {
  const image = dockerSave([layerBlob([{ name: member, data: good }]), layerBlob([{ name: `./${member}`, data: bad }], 'none')], { reversed: true });
  const dir = folderWith({ 'image.tar': image });
  const run = scan(dir, ['image.tar']);
  assert.deepEqual(run, { status: 1, stdout: `${finding(`image.tar!/${member}`)}\n1 finding in 1 file (1 error, 0 warning, 0 info); 1 file scanned.\n`, stderr: '' });
  const json = JSON.parse(scan(dir, ['image.tar', '--format', 'json']).stdout) as { findings: Array<{ path: string; line: number; fixes: unknown[] }> };
  assert.deepEqual(json.findings.map((f) => [f.path, f.line, f.fixes]), [[`image.tar!/${member}`, 4, []]], 'no fix is offered inside an image');
  const sarif = JSON.parse(scan(dir, ['image.tar', '--format', 'sarif']).stdout) as { runs: Array<{ results: Array<{ locations: unknown[] }> }> };
  assert.deepEqual(sarif.runs[0]!.results.map((r) => r.locations), [[{ physicalLocation: { artifactLocation: { uri: `image.tar!/${member}`, uriBaseId: '%SRCROOT%' }, region: { startLine: 4, startColumn: 18, endLine: 4, endColumn: 26 } } }]]);
});

test('whiteouts remove what lower layers wrote: a file, and a folder made opaque', () => {
  const base = layerBlob([{ name: member, data: bad }, { name: 'srv/app/Dockerfile', data: 'FROM alpine:3.19\nRUN apk add xz-libs=5.6.1-r1\n' }]);
  const top = layerBlob([{ name: 'home/builder/aports/libfoo/.wh.APKBUILD' }, { name: 'srv/app', type: 'dir' }, { name: 'srv/app/.wh..wh..opq' }]);
  const dir = folderWith({ 'image.tar': dockerSave([base, top]) });
  assert.deepEqual(scan(dir, ['image.tar']), { status: 0, stdout: 'No compromised pins found in 0 files.\n', stderr: '' });
});

test('an OCI layout, as a folder and as a tar, with gzip and zstd layers', () => {
  const files = ociFiles([
    { blob: layerBlob([{ name: member, data: good }], 'gzip'), mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip' },
    { blob: layerBlob([{ name: member, data: bad }], 'zstd'), mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd' },
  ]);
  const layout = Object.fromEntries([...files].map(([name, data]) => [`layout/${name}`, data]));
  const tar = makeTar([...files].map(([name, data]): TarEntry => ({ name, data })));
  const dir = folderWith({ ...layout, 'oci.tar': tar });
  const expected = (path: string): string => `${finding(`${path}!/${member}`)}\n1 finding in 1 file (1 error, 0 warning, 0 info); 1 file scanned.\n`;
  assert.deepEqual(scan(dir, ['layout']), { status: 1, stdout: expected('layout'), stderr: '' });
  assert.deepEqual(scan(dir, ['oci.tar']), { status: 1, stdout: expected('oci.tar'), stderr: '' });
});

test('the walk opens archives only with --archives', () => {
  const dir = folderWith({ 'sub/image.tar': dockerSave([layerBlob([{ name: member, data: bad }])]), 'oci/x': 'not read' });
  assert.deepEqual(scan(dir, ['.']), { status: 0, stdout: 'No compromised pins found in 0 files.\n', stderr: '' });
  assert.deepEqual(scan(dir, ['.', '--archives']), { status: 1, stdout: `${finding(`sub/image.tar!/${member}`)}\n1 finding in 1 file (1 error, 0 warning, 0 info); 1 file scanned.\n`, stderr: '' });
});

test('a backdoored liblzma is an error at the file, whatever its name; one without the signature is silent', () => {
  const dir = folderWith({ 'usr/lib/liblzma.so.5.6.1': fakeLibrary(3 * 1024 * 1024, true), 'clean/liblzma.so.5.6.1': fakeLibrary(2 * 1024 * 1024 + 5, false), 'old/liblzma.so.5.4.6': fakeLibrary(1536 * 1024, true) });
  const message = 'contains the byte signature of the injected code of the backdoored liblzma (x86-64 builds) (CVE-2024-3094): it is a compromised build, whatever its name or version says. Replace it with the library of a fixed release (5.6.2, 5.4.6). [compromised-artifact]';
  const run = scan(dir, ['.']);
  assert.deepEqual(run, {
    status: 1,
    stdout: [`old/liblzma.so.5.4.6: error liblzma.so.5.4.6 ${message}`, `usr/lib/liblzma.so.5.6.1: error liblzma.so.5.6.1 ${message}`, '2 findings in 2 files (2 error, 0 warning, 0 info); 3 files scanned.', ''].join('\n'),
    stderr: '',
  });
  const json = JSON.parse(scan(dir, ['usr', '--format', 'json']).stdout) as { findings: Array<Record<string, unknown>> };
  assert.deepEqual(json.findings.map((f) => [f.path, f.binary, f.line, f.range]), [['usr/lib/liblzma.so.5.6.1', true, undefined, undefined]]);
  const sarif = JSON.parse(scan(dir, ['usr', '--format', 'sarif']).stdout) as { runs: Array<{ results: Array<{ locations: unknown[] }> }> };
  assert.deepEqual(sarif.runs[0]!.results.map((r) => r.locations), [[{ physicalLocation: { artifactLocation: { uri: 'usr/lib/liblzma.so.5.6.1', uriBaseId: '%SRCROOT%' } } }]]);
  const sentence = message.replace(' [compromised-artifact]', '');
  assert.equal(scan(dir, ['usr', '--format', 'github']).stdout, `::error file=usr/lib/liblzma.so.5.6.1,title=Pinwatch%3A CVE-2024-3094::liblzma.so.5.6.1 ${sentence}\nPinwatch: 1 finding in 1 file scanned.\n`);
  const gitlab = JSON.parse(scan(dir, ['usr', '--format', 'gitlab']).stdout) as Array<{ location: unknown }>;
  assert.deepEqual(gitlab.map((issue) => issue.location), [{ path: 'usr/lib/liblzma.so.5.6.1', lines: { begin: 1 } }]);
});

test('a backdoored liblzma in an image layer is reported with its member path', () => {
  const layer = layerBlob([{ name: 'usr/lib/x86_64-linux-gnu/liblzma.so.5.6.1', data: fakeLibrary(1536 * 1024, true) }, { name: 'usr/lib/x86_64-linux-gnu/liblzma.so.5', type: 'symlink', linkName: 'liblzma.so.5.6.1' }]);
  const dir = folderWith({ 'image.tar': dockerSave([layer]) });
  const run = scan(dir, ['image.tar', '--format', 'json']);
  assert.equal(run.status, 1);
  const json = JSON.parse(run.stdout) as { findings: Array<Record<string, unknown>>; summary: { filesScanned: number } };
  assert.deepEqual([json.findings.map((f) => [f.path, f.binary, f.code]), json.summary.filesScanned], [[['image.tar!/usr/lib/x86_64-linux-gnu/liblzma.so.5.6.1', true, 'compromised-artifact']], 1]);
});

test('bad input is reported as not read, with the reason, and the rest of the image is still read', () => {
  const ok = layerBlob([{ name: member, data: bad }]);
  const corruptGzip = gzipSync(makeTar([{ name: 'etc/Dockerfile', data: 'FROM alpine\n' }]));
  corruptGzip.fill(0x55, 20, 40);
  const truncated = layerBlob([{ name: 'a/Dockerfile', data: 'FROM alpine\n'.repeat(100) }], 'none').subarray(0, 700);
  const cases: Array<[string, Buffer, string]> = [
    ['corrupt gzip', dockerSave([ok, corruptGzip]), 'layer 2 of 2: the gzip stream is corrupt'],
    ['truncated tar', dockerSave([ok, truncated]), 'layer 2 of 2: the tar ends inside a member, at byte 700 (truncated); the rest of the layer was not checked'],
    ['not a tar', dockerSave([ok, Buffer.from('just some text, not a tar at all'.repeat(40))]), 'layer 2 of 2: not a tar archive; the rest of the layer was not checked'],
    ['truncated zstd', dockerSave([ok, layerBlob([{ name: 'a/Dockerfile', data: 'FROM alpine\n'.repeat(30000) }], 'zstd').subarray(0, 200_000)]), 'layer 2 of 2: the zstd stream is corrupt (unexpected EOF) after 128 KB of tar; the rest of the layer was not checked'],
    ['bzip2', dockerSave([ok, Buffer.from('BZh91AY&SY')]), 'layer 2 of 2: it is bzip2-compressed, which Pinwatch does not read; what it changes was not checked'],
  ];
  for (const [what, image, reason] of cases) {
    const dir = folderWith({ 'image.tar': image });
    const run = scan(dir, ['image.tar']);
    assert.equal(run.status, 2, what);
    assert.equal(run.stdout, `${finding(`image.tar!/${member}`)}\n1 finding in 1 file (1 error, 0 warning, 0 info); 1 file scanned.\n`, what);
    const prefix = `pinwatch: cannot read image.tar!/${'2'.repeat(64)}/layer.tar: ${reason}`;
    assert.equal(run.stderr.slice(0, prefix.length), prefix, what);
  }
});

test('member paths with .. or a leading / stay inside the image, and symlink loops are not followed', () => {
  const layer = layerBlob([
    { name: '../../../etc/APKBUILD', data: bad },
    { name: '/abs/x/APKBUILD', data: bad },
    { name: 'loop/a', type: 'symlink', linkName: 'b' },
    { name: 'loop/b', type: 'symlink', linkName: 'a' },
    { name: 'loop/APKBUILD', type: 'symlink', linkName: 'APKBUILD' },
  ]);
  const dir = folderWith({ 'image.tar': dockerSave([layer]) });
  const run = scan(dir, ['image.tar']);
  assert.deepEqual(run, { status: 1, stdout: `${finding('image.tar!/abs/x/APKBUILD')}\n${finding('image.tar!/etc/APKBUILD')}\n2 findings in 2 files (2 error, 0 warning, 0 info); 2 files scanned.\n`, stderr: '' });
});

test('an archive without a manifest, or whose last member claims 10 GB past its end, is not read (exit 2)', () => {
  const noManifest = makeTar([{ name: member, data: bad }]);
  const huge = Buffer.concat([makeTar([{ name: 'manifest.json', data: '[]' }], false), headerBlock('1/layer.tar', 10 * 1024 ** 3, '0')]);
  const dir = folderWith({ 'plain.tar': noManifest, 'huge.tar': huge, 'image.tar.gz': gzipSync(dockerSave([layerBlob([{ name: member, data: bad }])])) });
  assert.deepEqual(scan(dir, ['image.tar.gz']), { status: 2, stdout: 'No compromised pins found in 0 files.\n', stderr: 'pinwatch: cannot read image.tar.gz: a compressed archive: Pinwatch reads image archives as docker save writes them, uncompressed; decompress it (gunzip, zstd -d) and scan the .tar\n' });
  assert.deepEqual(scan(dir, ['plain.tar']), { status: 2, stdout: 'No compromised pins found in 0 files.\n', stderr: 'pinwatch: cannot read plain.tar: no manifest.json or index.json: not a docker save archive or an OCI image layout\n' });
  assert.deepEqual(scan(dir, ['huge.tar']), { status: 2, stdout: 'No compromised pins found in 0 files.\n', stderr: 'pinwatch: cannot read huge.tar: not a readable image archive: the member 1/layer.tar claims 10 GB but the archive ends 0 bytes after its header (truncated)\n' });
});

test('a member over the 64 MB cap is reported as not read, unless a later layer replaces it', () => {
  const big: TarEntry = { name: member, data: Buffer.alloc(65 * 1024 * 1024, 0x61) };
  const dir = folderWith({ 'big.tar': dockerSave([layerBlob([big])]), 'replaced.tar': dockerSave([layerBlob([big]), layerBlob([{ name: member, data: good }])]) });
  assert.deepEqual(scan(dir, ['big.tar']), { status: 2, stdout: 'No compromised pins found in 0 files.\n', stderr: `pinwatch: cannot read big.tar!/${member}: larger than the 64 MB Pinwatch reads of a member (65 MB)\n` });
  assert.deepEqual(scan(dir, ['replaced.tar']), { status: 0, stdout: 'No compromised pins found in 1 file.\n', stderr: '' });
});

test('an archive of two images names each by its tag; a hard link to a member is read as that member', () => {
  const first = layerBlob([{ name: member, data: bad }, { name: 'copy/APKBUILD', type: 'hardlink', linkName: member }]);
  const second = layerBlob([{ name: member, data: good }]);
  const manifest = JSON.stringify([{ Config: 'c.json', RepoTags: ['app:1'], Layers: ['one/layer.tar'] }, { Config: 'c.json', RepoTags: ['app:2'], Layers: ['one/layer.tar', 'two/layer.tar'] }]);
  const dir = folderWith({ 'image.tar': makeTar([{ name: 'manifest.json', data: manifest }, { name: 'one/layer.tar', data: first }, { name: 'two/layer.tar', data: second }]) });
  assert.deepEqual(scan(dir, ['image.tar']), {
    status: 1,
    stdout: `${finding('image.tar[app:1]!/copy/APKBUILD')}\n${finding(`image.tar[app:1]!/${member}`)}\n${finding('image.tar[app:2]!/copy/APKBUILD')}\n3 findings in 3 files (3 error, 0 warning, 0 info); 4 files scanned.\n`,
    stderr: '',
  });
});

test('docker save links a shared layer to its first copy; an OCI index of two platforms skips build attestations', () => {
  const layer = layerBlob([{ name: member, data: bad }]);
  const manifest = JSON.stringify([{ Config: 'c.json', RepoTags: ['app:1'], Layers: ['one/layer.tar'] }, { Config: 'c.json', RepoTags: ['app:2'], Layers: ['two/layer.tar'] }]);
  const linked = makeTar([{ name: 'manifest.json', data: manifest }, { name: 'one/layer.tar', data: layer }, { name: 'two/layer.tar', type: 'symlink', linkName: '../one/layer.tar' }]);
  const files = ociFiles([{ blob: layer, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip' }]);
  const index = JSON.parse(files.get('index.json')!.toString()) as { manifests: Array<Record<string, unknown>> };
  const image = index.manifests[0]!;
  const attestation = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${'0'.repeat(64)}`, annotations: { 'vnd.docker.reference.type': 'attestation-manifest' } };
  files.set('index.json', Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: [{ ...image, platform: { os: 'linux', architecture: 'amd64' } }, { ...image, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } }, attestation] })));
  const dir = folderWith({ 'linked.tar': linked, ...Object.fromEntries([...files].map(([name, data]) => [`oci/${name}`, data])) });
  assert.deepEqual(scan(dir, ['linked.tar']), { status: 1, stdout: `${finding(`linked.tar[app:1]!/${member}`)}\n${finding(`linked.tar[app:2]!/${member}`)}\n2 findings in 2 files (2 error, 0 warning, 0 info); 2 files scanned.\n`, stderr: '' });
  assert.deepEqual(scan(dir, ['oci']), { status: 1, stdout: `${finding(`oci[linux/amd64]!/${member}`)}\n${finding(`oci[linux/arm64/v8]!/${member}`)}\n2 findings in 2 files (2 error, 0 warning, 0 info); 2 files scanned.\n`, stderr: '' });
});

/** A docker save archive as Docker 25 and later write it: OCI layout and manifest.json side by side, layers as uncompressed blobs. */
function ociDockerSave(layers: readonly Buffer[]): Buffer {
  const files = ociFiles(layers.map((blob) => ({ blob, mediaType: 'application/vnd.oci.image.layer.v1.tar' })));
  const manifest = JSON.parse(files.get(JSON.parse(files.get('index.json')!.toString()).manifests[0].digest.replace('sha256:', 'blobs/sha256/'))!.toString()) as { layers: Array<{ digest: string }> };
  const save = JSON.stringify([{ Config: 'blobs/sha256/config', RepoTags: ['app:25'], Layers: manifest.layers.map((l) => l.digest.replace('sha256:', 'blobs/sha256/')) }]);
  return makeTar([...[...files].map(([name, data]): TarEntry => ({ name, data })), { name: 'manifest.json', data: save }]);
}

test('uncompressed layers, as docker save writes them (legacy <id>/layer.tar and OCI blobs) and in an OCI folder, give the results of the same layers gzipped', () => {
  const lower = [{ name: member, data: bad }, { name: 'srv/app/Dockerfile', data: 'FROM alpine:3.19\nRUN apk add xz-libs=5.6.1-r1\n' }, { name: 'usr/lib/liblzma.so.5.6.1', data: fakeLibrary(1536 * 1024, true) }];
  const upper = [{ name: 'srv/app/.wh..wh..opq' }, { name: 'copy/APKBUILD', type: 'hardlink' as const, linkName: member }, { name: 'opt/data.bin', data: randomBytes(300 * 1024) }];
  const layers = (compression: 'none' | 'gzip'): Buffer[] => [layerBlob(lower, compression), layerBlob(upper, compression)];
  const layout = ociFiles(layers('none').map((blob) => ({ blob, mediaType: 'application/vnd.oci.image.layer.v1.tar' })));
  const dir = folderWith({ 'gzip.tar': dockerSave(layers('gzip')), 'legacy.tar': dockerSave(layers('none'), { reversed: true }), 'oci.tar': ociDockerSave(layers('none')), ...Object.fromEntries([...layout].map(([name, data]) => [`layout/${name}`, data])) });
  const library = 'liblzma.so.5.6.1 contains the byte signature of the injected code of the backdoored liblzma (x86-64 builds) (CVE-2024-3094): it is a compromised build, whatever its name or version says. Replace it with the library of a fixed release (5.6.2, 5.4.6). [compromised-artifact]';
  const expected = (path: string): string => [finding(`${path}!/copy/APKBUILD`), finding(`${path}!/${member}`), `${path}!/usr/lib/liblzma.so.5.6.1: error ${library}`, '3 findings in 3 files (3 error, 0 warning, 0 info); 3 files scanned.', ''].join('\n');
  for (const name of ['gzip.tar', 'legacy.tar', 'oci.tar', 'layout']) assert.deepEqual(scan(dir, [name]), { status: 1, stdout: expected(name), stderr: '' }, name);
});

// Streaming the layer read the 10 GB of zeros (35 s here); jumping over them takes well under a second.
test('an uncompressed layer is read by its headers: a 10 GB member in it is jumped over, not read', { timeout: 15_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'pinwatch-images-'));
  const huge = 10 * 1024 ** 3;
  // A sparse archive: the layer holds a 10 GB blob (costing nothing on disk), then the flagged file.
  const after = makeTar([{ name: member, data: bad }]);
  const layerSize = 512 + huge + after.length;
  const head = makeTar([{ name: 'manifest.json', data: JSON.stringify([{ Config: 'c.json', RepoTags: ['big:1'], Layers: ['1/layer.tar'] }]) }], false);
  const fd = openSync(join(dir, 'image.tar'), 'w');
  writeSync(fd, Buffer.concat([head, headerBlock('1/layer.tar', layerSize, '0'), headerBlock('opt/blob.bin', huge, '0')]), 0, undefined, 0);
  writeSync(fd, Buffer.concat([after, Buffer.alloc(1024)]), 0, undefined, head.length + 1024 + huge);
  closeSync(fd);
  assert.deepEqual(scan(dir, ['image.tar']), { status: 1, stdout: `${finding(`image.tar!/${member}`)}\n1 finding in 1 file (1 error, 0 warning, 0 info); 1 file scanned.\n`, stderr: '' });
});

test('an rpmdb.sqlite in an image layer is read from its bytes: the finding names the member, and a later upgrade clears it', async () => {
  const rpmdb = 'usr/lib/sysimage/rpm/rpmdb.sqlite';
  const fedora = (packages: Parameters<typeof rpmdbBytes>[0]): Promise<Uint8Array> => rpmdbBytes(packages);
  const compromised = Buffer.from(await fedora([{ name: 'xz-libs', version: '5.6.0', release: '1.fc40' }, { name: 'bash', version: '5.2.26', release: '3.fc40' }]));
  const upgraded = Buffer.from(await fedora([{ name: 'xz-libs', version: '5.4.6', release: '3.fc40' }, { name: 'bash', version: '5.2.26', release: '3.fc40' }]));
  const osRelease = { name: 'etc/os-release', data: 'NAME="Fedora Linux"\nVERSION_ID=40\nID=fedora\n' };
  const dir = folderWith({
    'fedora.tar': dockerSave([layerBlob([osRelease, { name: rpmdb, data: compromised }], 'none')]),
    'fedora-gzip.tar': dockerSave([layerBlob([{ name: 'etc/Dockerfile', data: 'FROM fedora:40\n' }]), layerBlob([osRelease, { name: rpmdb, data: compromised }])]),
    'upgraded.tar': dockerSave([layerBlob([{ name: rpmdb, data: compromised }], 'none'), layerBlob([{ name: rpmdb, data: upgraded }], 'none')]),
  });
  const rows = (name: string): unknown => {
    const run = scan(dir, [name, '--format', 'json']);
    const json = JSON.parse(run.stdout) as { findings: Array<{ path: string; line: number; severity: string; code: string; reference: { name: string; version: string } }>; summary: { filesScanned: number } };
    return [run.status, json.findings.map((f) => [f.path, f.line, f.severity, f.code, f.reference.name, f.reference.version]), json.summary.filesScanned, run.stderr];
  };
  assert.deepEqual(rows('fedora.tar'), [1, [[`fedora.tar!/${rpmdb}`, 1, 'error', 'compromised-version', 'xz-libs', '5.6.0-1.fc40']], 1, '']);
  assert.deepEqual(rows('fedora-gzip.tar'), [1, [[`fedora-gzip.tar!/${rpmdb}`, 1, 'error', 'compromised-version', 'xz-libs', '5.6.0-1.fc40']], 2, '']);
  assert.deepEqual(rows('upgraded.tar'), [0, [], 1, '']);
});

test('the policy file governing an archive applies to its members, matched as ARCHIVE!/member; --exclude globs too', () => {
  const dockerfile = { name: 'srv/app/Dockerfile', data: 'FROM alpine:3.19\nRUN apk add xz-libs=5.6.1-r1\n' };
  const app = dockerSave([layerBlob([{ name: member, data: bad }, { name: `opt/${member}`, data: bad }, dockerfile], 'none'), layerBlob([{ name: 'usr/lib/liblzma.so.5.6.1', data: fakeLibrary(1536 * 1024, true) }], 'none')]);
  const one = dockerSave([layerBlob([{ name: member, data: bad }])]);
  const policy = [
    'ignore:',
    '  - id: CVE-2024-3094',
    '    paths: ["images/app.tar!/home/**"]',
    "    reason: the builder's checkout, not installed",
    '  - id: CVE-2024-3094',
    '    paths: ["images/vendor.tar"]',
    '    reason: a vendor image, tracked upstream',
    'exclude: ["images/app.tar!/srv/**", "images/skip.tar"]',
    'severity:',
    '  compromised-artifact: warning',
    '',
  ].join('\n');
  const dir = folderWith({ '.git/HEAD': 'ref: refs/heads/main\n', '.pinwatch.yaml': policy, 'images/app.tar': app, 'images/vendor.tar': one, 'images/skip.tar': one });
  const rows = (args: readonly string[]): unknown => {
    const run = scan(dir, [...args, '--format', 'json']);
    const json = JSON.parse(run.stdout) as { findings: Array<{ path: string; line?: number; severity: string; suppressed?: { justification: string } }>; notices: unknown[]; summary: { filesScanned: number } };
    return { status: run.status, findings: json.findings.map((f) => [f.path, f.line ?? null, f.severity, f.suppressed?.justification ?? null]), notices: json.notices.length, filesScanned: json.summary.filesScanned, stderr: run.stderr };
  };
  const appRows = (prefix: string): unknown[] => [
    [`${prefix}!/${member}`, 4, 'error', "the builder's checkout, not installed"],
    [`${prefix}!/opt/${member}`, 4, 'error', null],
    [`${prefix}!/usr/lib/liblzma.so.5.6.1`, null, 'warning', null],
  ];
  assert.deepEqual(rows(['.', '--archives']), {
    status: 1,
    findings: [...appRows('images/app.tar'), [`images/vendor.tar!/${member}`, 4, 'error', 'a vendor image, tracked upstream']],
    notices: 0,
    filesScanned: 4,
    stderr: '',
  });
  // Named as a PATH, the archive is governed by the same policy file; its `exclude` applies to a named archive too.
  assert.deepEqual(rows(['images/app.tar']), { status: 1, findings: appRows('images/app.tar'), notices: 1, filesScanned: 3, stderr: '' });
  assert.deepEqual(rows(['images/skip.tar']), { status: 0, findings: [], notices: 2, filesScanned: 0, stderr: '' });
  // --exclude globs match ARCHIVE!/member, ARCHIVE as the walk sees it: relative to the scanned folder, or its name.
  const excluded = (args: readonly string[]): unknown => (rows([...args, '--no-config']) as { findings: unknown[] }).findings;
  assert.deepEqual(excluded(['images/app.tar', '--exclude', 'app.tar!/home/**', '--exclude', 'liblzma.so.*']), [[`images/app.tar!/opt/${member}`, 4, 'error', null], ['images/app.tar!/srv/app/Dockerfile', 2, 'error', null]]);
  assert.deepEqual(rows(['.', '--archives', '--no-config', '--exclude', 'images/app.tar!/usr/**', '--exclude', 'APKBUILD']), { status: 1, findings: [['images/app.tar!/srv/app/Dockerfile', 2, 'error', null]], notices: 0, filesScanned: 1, stderr: '' });
});

test("an installed-package database in an image is judged by the image's os-release, as on disk, whatever the order of the layers and members", () => {
  const osRelease = { name: 'usr/lib/os-release', data: 'PRETTY_NAME="Ubuntu 24.04 LTS"\nNAME="Ubuntu"\nVERSION_ID="24.04"\nVERSION_CODENAME=noble\nID=ubuntu\nID_LIKE=debian\n' };
  const link = { name: 'etc/os-release', type: 'symlink' as const, linkName: '../usr/lib/os-release' };
  const status = { name: 'var/lib/dpkg/status', data: 'Package: liblzma5\nStatus: install ok installed\nPriority: required\nArchitecture: amd64\nMulti-Arch: same\nSource: xz-utils\nVersion: 5.6.0-0.2\nDescription: XZ-format compression library\n' };
  const dir = folderWith({
    'root/usr/lib/os-release': osRelease.data,
    'root/var/lib/dpkg/status': status.data,
    'noble.tar': dockerSave([layerBlob([link, osRelease, status], 'none')]),
    'status-first.tar': dockerSave([layerBlob([status, link, osRelease])]),
    'later-layer.tar': dockerSave([layerBlob([status], 'none'), layerBlob([link, osRelease], 'none')]),
    'whited-out.tar': dockerSave([layerBlob([link, osRelease, status], 'none'), layerBlob([{ name: 'usr/lib/.wh.os-release' }, { name: 'etc/.wh.os-release' }], 'none')]),
  });
  // Ubuntu's list is not verified: a warning. Read as Debian's (no os-release), the same version is an error.
  const message = (severity: string, note: string): string => `var/lib/dpkg/status:7:10: ${severity} liblzma5 5.6.0-0.2 is a compromised release (xz-utils backdoor, CVE-2024-3094). liblzma5 5.6.0-0.2 is installed in this root filesystem (var/lib/dpkg/status); a package database records what is installed, so Pinwatch does not edit it. The nearest safe release is 5.6.1+really5.4.5-1. Upgrade it: apt-get install liblzma5=5.6.1+really5.4.5-1.${note} [compromised-version]`;
  const ubuntu = message('warning', ' The affected version list for this distribution is not verified.');
  const warning = (path: string): string => `${path}${ubuntu}\n1 finding in 1 file (0 error, 1 warning, 0 info); 1 file scanned.\n`;
  // A warning does not fail the scan (--fail-on error); the error does.
  assert.deepEqual(scan(dir, ['root']), { status: 0, stdout: warning('root/'), stderr: '' });
  for (const name of ['noble.tar', 'status-first.tar', 'later-layer.tar']) assert.deepEqual(scan(dir, [name]), { status: 0, stdout: warning(`${name}!/`), stderr: '' }, name);
  assert.deepEqual(scan(dir, ['whited-out.tar']), { status: 1, stdout: `whited-out.tar!/${message('error', '')}\n1 finding in 1 file (1 error, 0 warning, 0 info); 1 file scanned.\n`, stderr: '' });
});
