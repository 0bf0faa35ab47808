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
const debian = { kind: 'package', ecosystem: 'Debian', suite: 'sid' } as const;
const localFile = { kind: 'none', reason: "The package file is a local path; get the safe release's file and install that instead." } as const;

test('splits an unquoted variable that holds several packages into one argument each', () => {
  const t = [
    'FROM debian:sid',
    'ARG PKGS="xz-utils=5.6.1-1 liblzma5=5.6.0-0.2"',
    'RUN apt-get install -y $PKGS && apt-get install -y "$PKGS"',
  ].join('\n');
  // Quoted, the value is one word that is no package spec; unquoted, each field is edited inside the ARG value.
  assert.deepStrictEqual(extract(t), [
    { ...debian, context: 'apt-get install', name: 'xz-utils', version: '5.6.1-1', range: tok(t, 2, '$PKGS'), edit: tok(t, 1, '5.6.1-1'), via: 'ARG PKGS, line 2' },
    { ...debian, context: 'apt-get install', name: 'liblzma5', version: '5.6.0-0.2', range: tok(t, 2, '$PKGS'), edit: tok(t, 1, '5.6.0-0.2'), via: 'ARG PKGS, line 2' },
  ]);
});

test('reads packages echoed into xargs, but not through a replacement string or into a file', () => {
  const t = [
    'FROM debian:sid',
    'RUN echo xz-utils=5.6.1-1 | xargs -r apt-get install -y',
    'RUN echo liblzma5=5.6.1-1 | xargs -I{} apt-get install -y {} ; echo xz-utils=5.6.1-1 > /pins && xargs apt-get install -y < /pins',
  ].join('\n');
  assert.deepStrictEqual(extract(t), [
    { ...debian, context: 'apt-get install', name: 'xz-utils', version: '5.6.1-1', range: tok(t, 1, '5.6.1-1') },
  ]);
});

test('reads .deb, .rpm and pacman files; a local file or a Koji URL gets no automatic fix', () => {
  const t = [
    'FROM debian:sid',
    'RUN apt-get install -y ./liblzma5_5.6.1-1_amd64.deb && dpkg -i xz-utils_5.6.0-0.2_amd64.deb && dpkg --dry-run -i xz-utils_5.6.1-1_amd64.deb',
    'RUN apt-get install -y http://snapshot.debian.org/archive/debian/20240328T000000Z/pool/main/x/xz-utils/xzdec_5.6.1-1_amd64.deb xz-utils/sid',
    'FROM fedora:40',
    'RUN rpm -Uvh --nodeps xz-5.6.0-1.fc40.x86_64.rpm && rpm -q xz-5.6.0-1.fc40.x86_64.rpm && dnf install -y ./xz-libs-5.6.0-2.fc40.x86_64.rpm',
    'FROM archlinux:base',
    'RUN pacman -U --noconfirm /tmp/xz-5.6.1-1-x86_64.pkg.tar.zst',
  ].join('\n');
  const fedora = { kind: 'package', ecosystem: 'Fedora', suite: 'fc40' } as const;
  assert.deepStrictEqual(extract(t), [
    { ...debian, context: 'apt-get install', name: 'liblzma5', version: '5.6.1-1', range: tok(t, 1, '5.6.1-1'), fix: localFile },
    { ...debian, context: 'dpkg -i', name: 'xz-utils', version: '5.6.0-0.2', range: tok(t, 1, '5.6.0-0.2'), fix: localFile },
    { ...debian, context: 'apt-get install', name: 'xzdec', version: '5.6.1-1', range: tok(t, 2, '5.6.1-1') },
    { ...fedora, context: 'rpm -Uvh', name: 'xz', version: '5.6.0-1.fc40', range: tok(t, 4, '5.6.0-1.fc40'), fix: localFile },
    { ...fedora, context: 'dnf install', name: 'xz-libs', version: '5.6.0-2.fc40', range: tok(t, 4, '5.6.0-2.fc40'), fix: localFile },
    { kind: 'package', ecosystem: 'Arch Linux', context: 'pacman -U', name: 'xz', version: '5.6.1-1', range: tok(t, 6, '5.6.1-1'), fix: localFile },
  ]);
});

test('reads pipx and uv tool installs', () => {
  const t = ['FROM python:3.12-slim', 'RUN pipx install --pip-args=--no-cache-dir ultralytics==8.3.45 && uv tool install ultralytics==8.3.46'].join('\n');
  assert.deepStrictEqual(extract(t), [
    { kind: 'package', ecosystem: 'PyPI', context: 'pipx install', name: 'ultralytics', version: '8.3.45', range: tok(t, 1, '8.3.45') },
    { kind: 'package', ecosystem: 'PyPI', context: 'pip install', name: 'ultralytics', version: '8.3.46', range: tok(t, 1, '8.3.46') },
  ]);
});

test('runs a here-document piped from cat into a shell, but not one written to a file', () => {
  const t = [
    'FROM debian:sid',
    'RUN cat <<EOF | bash',
    'apt-get install -y xzdec=5.6.0-0.2',
    'EOF',
    'RUN cat <<EOF > /setup.sh && cat /etc/os-release | sh',
    'apt-get install -y xz-utils=5.6.1-1',
    'EOF',
  ].join('\n');
  assert.deepStrictEqual(extract(t), [
    { ...debian, context: 'apt-get install', name: 'xzdec', version: '5.6.0-0.2', range: tok(t, 2, '5.6.0-0.2') },
  ]);
});

test('reads a pip requirement of several clauses as one constraint', () => {
  const t = ['FROM python:3.12-slim', `RUN pip install 'ultralytics>=8.3.41,<8.3.42' "numpy[x] >= 1.26, != 1.26.1 ; python_version > '3'"`].join('\n');
  assert.deepStrictEqual(extract(t), [
    { kind: 'package', ecosystem: 'PyPI', context: 'pip install', name: 'ultralytics', constraint: '>=8.3.41,<8.3.42', range: tok(t, 1, '>=8.3.41,<8.3.42') },
    { kind: 'package', ecosystem: 'PyPI', context: 'pip install', name: 'numpy', constraint: '>= 1.26, != 1.26.1', range: tok(t, 1, '>= 1.26, != 1.26.1') },
  ]);
});
