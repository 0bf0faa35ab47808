import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dockerfile } from '../../../server/src/formats/dockerfile';
import type { Range } from '../../../server/src/model';

/** The range of the `nth` occurrence of `needle` on 0-based line `line` of `text` (found, never guessed). */
function tok(text: string, line: number, needle: string, nth = 0): Range {
  const lines = text.split(/\r?\n/);
  let at = -1;
  for (let k = 0; k <= nth; k += 1) at = lines[line]!.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${JSON.stringify(needle)} is on line ${line}`);
  return { start: { line, character: at }, end: { line, character: at + needle.length } };
}

const extract = (text: string) => dockerfile.extract(text, 'Dockerfile').filter((r) => r.kind !== 'image');
const debian = { kind: 'package', ecosystem: 'Debian', suite: 'sid', context: 'apt-get install' } as const;
const pin = (text: string, line: number, token: string, name: string, version = token) => ({ ...debian, name, version, range: tok(text, line, token) });

test('reads installs behind wrappers, prefix assignments, reserved words and RUN flags', () => {
  const t = [
    'FROM debian:sid',
    'RUN --mount=type=cache,target=/var/cache/apt DEBIAN_FRONTEND=noninteractive sudo -E apt-get install -y a=1.0-1',
    'RUN if true; then env -u X apt-get -o Dpkg::Options::=--force-confnew install b=2.0-1; fi',
    'RUN { apt-get install c=3.0-1; } && (apt-get install d=4.0-1) && /usr/bin/apt-get install e=5.0-1',
    'RUN apt-get install -t sid f=6.0-1 g/sid',
  ].join('\n');
  assert.deepStrictEqual(extract(t), [
    pin(t, 1, '1.0-1', 'a'),
    pin(t, 2, '2.0-1', 'b'),
    pin(t, 3, '3.0-1', 'c'),
    pin(t, 3, '4.0-1', 'd'),
    pin(t, 3, '5.0-1', 'e'),
    pin(t, 4, '6.0-1', 'f'),
  ]);
});

test('resolves shell variables, defaults and a version inside a longer ARG value', () => {
  const t = [
    'FROM debian:sid',
    'ARG PKG="xz-utils=5.6.1-1"',
    'RUN XZ=5.6.0-1; export LZ=5.6.0-0.2; apt-get install xz-utils=$XZ liblzma5=${LZ} xz-utils=${NOPE:-5.6.1-1} $PKG',
  ].join('\n');
  assert.deepStrictEqual(extract(t), [
    { ...pin(t, 2, '$XZ', 'xz-utils', '5.6.0-1'), edit: tok(t, 2, '5.6.0-1'), via: 'shell variable XZ, line 3' },
    { ...pin(t, 2, '${LZ}', 'liblzma5', '5.6.0-0.2'), edit: tok(t, 2, '5.6.0-0.2'), via: 'shell variable LZ, line 3' },
    { ...pin(t, 2, '${NOPE:-5.6.1-1}', 'xz-utils', '5.6.1-1'), edit: tok(t, 2, '5.6.1-1'), via: 'the default in ${NOPE:-…}' },
    // The variable holds the name too: the range is `$PKG`, and the edit is the version inside the ARG value.
    { ...pin(t, 2, '$PKG', 'xz-utils', '5.6.1-1'), edit: tok(t, 1, '5.6.1-1'), via: 'ARG PKG, line 2' },
  ]);
});

test('offers no edit when the version is only part of a variable written elsewhere', () => {
  const t = ['FROM debian:sid', 'ARG A=xz-utils', 'ARG B=5.6', 'ENV PKG=${A}=${B}', 'RUN apt-get install ${PKG}.1-1'].join('\n');
  assert.deepStrictEqual(extract(t), [
    { ...pin(t, 4, '${PKG}.1-1', 'xz-utils', '5.6.1-1'), via: 'ENV PKG, line 4', fix: { kind: 'none', reason: 'The version is only part of the value of ${PKG}; change it by hand.' } },
  ]);
});

test('gives no version for a build argument without a default, or a command substitution', () => {
  const t = ['FROM debian:sid', 'ARG XZ_VER', 'RUN apt-get install xz-utils=${XZ_VER} xz-utils=$(cat /v) xz-utils=`cat /v`'].join('\n');
  assert.deepStrictEqual(extract(t), []);
});

test('sees a global ARG in a stage only when the stage declares it again', () => {
  const t = ['ARG V=5.6.1-1', 'FROM debian:sid', 'RUN apt-get install a=$V', 'FROM debian:sid', 'ARG V', 'RUN apt-get install b=$V'].join('\n');
  assert.deepStrictEqual(extract(t), [{ ...pin(t, 5, '$V', 'b', '5.6.1-1'), edit: tok(t, 0, '5.6.1-1'), via: 'ARG V, line 1' }]);
});

test('keeps exact ranges with CRLF line ends, quotes, escapes and wide characters', () => {
  const t = ['FROM debian:sid', 'RUN echo "🦊" && apt-get install \\', '  "xz-utils=5.6.1-1" \'liblzma5\'=5.6.1-1 xz\\-dev=5.6.1-1'].join('\r\n');
  const at = (nth: number) => tok(t, 2, '5.6.1-1', nth);
  assert.deepStrictEqual(extract(t), [
    { ...debian, name: 'xz-utils', version: '5.6.1-1', range: at(0) },
    { ...debian, name: 'liblzma5', version: '5.6.1-1', range: at(1) },
    { ...debian, name: 'xz-dev', version: '5.6.1-1', range: at(2) },
  ]);
});

test('reads the apk constraint forms and skips a virtual package name', () => {
  const t = ['FROM alpine:edge', `RUN apk add -t .xz=1 'a>=1.0' "b<2" c~3 d=5.6.1-r2`].join('\n');
  const alpine = { kind: 'package', ecosystem: 'Alpine', suite: 'edge', context: 'apk add' } as const;
  assert.deepStrictEqual(extract(t), [
    { ...alpine, name: 'a', constraint: '>=1.0', range: tok(t, 1, '>=1.0') },
    { ...alpine, name: 'b', constraint: '<2', range: tok(t, 1, '<2') },
    { ...alpine, name: 'c', constraint: '~3', range: tok(t, 1, '~3') },
    // The trap: Alpine's safe rebuild is extracted as itself.
    { ...alpine, name: 'd', version: '5.6.1-r2', range: tok(t, 1, '5.6.1-r2') },
  ]);
});

test('reads a checksum from a here-document and a git clone --branch with variables', () => {
  const sum = 'ab'.repeat(32);
  const t = [
    'FROM debian:sid',
    'ARG TAG=v5.6.1',
    `RUN git clone --depth 1 --branch "$TAG" https://github.com/tukaani-project/xz /xz && sha256sum -c <<EOF`,
    `${sum}  /xz.tar.gz`,
    'EOF',
  ].join('\n');
  assert.deepStrictEqual(extract(t), [
    { kind: 'git-tag', value: 'github.com/tukaani-project/xz@v5.6.1', range: tok(t, 2, '$TAG'), context: 'git clone', edit: tok(t, 1, 'v5.6.1'), via: 'ARG TAG, line 2' },
    { kind: 'sha256', value: sum, range: tok(t, 3, sum), context: 'sha256sum -c' },
  ]);
});

test('reads npm and pip pins run from a RUN', () => {
  const t = [
    'FROM node:20-bookworm',
    'RUN npm install -g --prefix /usr/local chalk@5.6.1 @ctrl/tinycolor@^4.1.0 debug@latest ./local && yarn global add nx@v21.5.0',
    'RUN python3 -m pip install --no-cache-dir "requests[socks]==2.32.3" "urllib3>=2" -r req.txt && pip install six',
  ].join('\n');
  assert.deepStrictEqual(extract(t), [
    { kind: 'package', ecosystem: 'npm', context: 'npm install', name: 'chalk', version: '5.6.1', range: tok(t, 1, '5.6.1') },
    { kind: 'package', ecosystem: 'npm', context: 'npm install', name: '@ctrl/tinycolor', constraint: '^4.1.0', range: tok(t, 1, '^4.1.0') },
    { kind: 'package', ecosystem: 'npm', context: 'yarn add', name: 'nx', version: '21.5.0', range: tok(t, 1, '21.5.0') },
    { kind: 'package', ecosystem: 'PyPI', context: 'pip install', name: 'requests', version: '2.32.3', range: tok(t, 2, '2.32.3') },
    { kind: 'package', ecosystem: 'PyPI', context: 'pip install', name: 'urllib3', constraint: '>=2', range: tok(t, 2, '>=2') },
  ]);
});

test('does not read shell-form RUN as POSIX shell after SHELL powershell or on a Windows image', () => {
  const t = [
    'FROM debian:sid AS a',
    'SHELL ["pwsh", "-Command"]',
    'RUN apt-get install a=1.0-1',
    'RUN ["apt-get", "install", "b=2.0-1"]',
    'FROM a',
    'RUN apt-get install c=3.0-1',
    'FROM mcr.microsoft.com/windows/servercore:ltsc2022',
    'RUN apt-get install d=4.0-1',
    'FROM debian:sid',
    'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
    'RUN apt-get install e=5.0-1',
  ].join('\n');
  assert.deepStrictEqual(extract(t), [pin(t, 3, '2.0-1', 'b'), pin(t, 10, '5.0-1', 'e')]);
});

test('names images as written, without docker.io/ and library/, and skips stages and digests', () => {
  const t = [
    'ARG BASE=debian:bookworm-20240311-slim',
    'FROM --platform=$BUILDPLATFORM docker.io/library/debian:sid-20240311-slim@sha256:' + '0'.repeat(64) + ' AS one',
    'FROM one',
    'FROM ghcr.io/owner/image:1.2.3',
    'FROM debian@sha256:' + '1'.repeat(64),
    'FROM scratch',
    'FROM ${BASE}',
  ].join('\n');
  assert.deepStrictEqual(dockerfile.extract(t, 'Dockerfile'), [
    { kind: 'image', value: 'debian:sid-20240311-slim', range: tok(t, 1, 'sid-20240311-slim'), context: 'FROM' },
    { kind: 'image', value: 'ghcr.io/owner/image:1.2.3', range: tok(t, 3, '1.2.3'), context: 'FROM' },
    // The whole image comes from an ARG: the range is `${BASE}`, the edit is the tag inside the ARG's value.
    { kind: 'image', value: 'debian:bookworm-20240311-slim', range: tok(t, 6, '${BASE}'), context: 'FROM', edit: tok(t, 0, 'bookworm-20240311-slim'), via: 'ARG BASE, line 1' },
  ]);
});

test('binds ENV and ARG values in every syntax, naming the line of each variable', () => {
  const t = ['FROM debian:sid', 'ENV XZ_VER 5.6.1-1', 'ARG A=1.0-1 B="2.0-1"', 'ENV C=3.0-1 \\', '    D=4.0-1', 'RUN apt-get install a=$XZ_VER b=$A c=$B d=$C e=$D'].join('\n');
  const viaVar = (name: string, version: string, token: string, line: number, at: string, via: string) => ({ ...pin(t, 5, token, name, version), edit: tok(t, line, at), via });
  assert.deepStrictEqual(extract(t), [
    viaVar('a', '5.6.1-1', '$XZ_VER', 1, '5.6.1-1', 'ENV XZ_VER, line 2'),
    viaVar('b', '1.0-1', '$A', 2, '1.0-1', 'ARG A, line 3'),
    viaVar('c', '2.0-1', '$B', 2, '2.0-1', 'ARG B, line 3'),
    viaVar('d', '3.0-1', '$C', 3, '3.0-1', 'ENV C, line 4'),
    viaVar('e', '4.0-1', '$D', 4, '4.0-1', 'ENV D, line 5'),
  ]);
});

test('reads a pin after runs of reserved words, prefix assignments and echo options, and splits $P$P into fields', () => {
  const t = [
    'FROM debian:sid',
    'ARG P="a=1.0-1 b"',
    `RUN ${'if '.repeat(50)}apt-get install c=3.0-1`,
    `RUN ${'X=1 '.repeat(50)}apt-get install d=4.0-1`,
    `RUN echo ${'-n '.repeat(50)}e=5.0-1 | xargs apt-get install`,
    'RUN apt-get install $P$P',
  ].join('\n');
  const expansion = (nth: number) => tok(t, 5, '$P', nth);
  assert.deepStrictEqual(extract(t), [
    pin(t, 2, '3.0-1', 'c'),
    pin(t, 3, '4.0-1', 'd'),
    pin(t, 4, '5.0-1', 'e'),
    { ...pin(t, 5, '$P', 'a', '1.0-1'), range: expansion(0), edit: tok(t, 1, '1.0-1'), via: 'ARG P, line 2' },
    // "b" of the first expansion and "a=1.0-1" of the second make one field; its version is all in the second.
    { ...pin(t, 5, '$P', 'ba', '1.0-1'), range: expansion(1), edit: tok(t, 1, '1.0-1'), via: 'ARG P, line 2' },
  ]);
});
