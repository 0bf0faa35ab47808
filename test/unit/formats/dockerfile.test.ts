import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { dockerfile } from '../../../server/src/formats/dockerfile';
import { formatFor } from '../../../server/src/formats/index';
import type { Range } from '../../../server/src/model';
import { withoutOrigins } from './recipeHelpers';

function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

function fixture(name: string): string {
  return readFileSync(join(repoRoot(), 'test', 'fixtures', 'dockerfile', name), 'utf8');
}

/** The range of the `nth` occurrence of `needle` on 0-based line `line` of `text` (found, never guessed). */
function tok(text: string, line: number, needle: string, nth = 0): Range {
  const lines = text.split('\n');
  let at = -1;
  for (let k = 0; k <= nth; k += 1) at = lines[line]!.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${JSON.stringify(needle)} is on line ${line}`);
  return { start: { line, character: at }, end: { line, character: at + needle.length } };
}

const extract = (text: string) => withoutOrigins(dockerfile.extract(text, 'Dockerfile'));

test('reads apt pins, through ARG defaults, across continuations and a comment line', () => {
  const t = fixture('apt-pin-arg.Dockerfile');
  const base = { kind: 'package', ecosystem: 'Debian', suite: 'sid', context: 'apt-get install' } as const;
  assert.deepStrictEqual(extract(t), [
    { kind: 'image', value: 'debian:sid-20240311-slim', range: tok(t, 1, '${TAG}'), context: 'FROM', edit: tok(t, 0, 'sid-20240311-slim'), via: 'ARG TAG, line 1' },
    { ...base, name: 'xz-utils', version: '5.6.1-1', range: tok(t, 7, '${XZ_VER}'), edit: tok(t, 2, '5.6.1-1'), via: 'ARG XZ_VER, line 3' },
    // The trap: a safe Debian version that starts with 5.6.1 is extracted as it is; the engine decides.
    { ...base, name: 'liblzma5', version: '5.6.1+really5.4.5-1', range: tok(t, 8, '5.6.1+really5.4.5-1') },
    { ...base, name: 'liblzma-dev', version: '5.6.1-1', range: tok(t, 9, '$XZ_VER'), edit: tok(t, 2, '5.6.1-1'), via: 'ARG XZ_VER, line 3' },
  ]);
});

test('reads RUN here-documents that run as shell scripts, and not data or other interpreters', () => {
  const t = fixture('heredoc.Dockerfile');
  const base = { kind: 'package', ecosystem: 'Ubuntu', suite: 'noble', context: 'apt-get install' } as const;
  assert.deepStrictEqual(extract(t), [
    { kind: 'image', value: 'ubuntu:noble-20240225', range: tok(t, 1, 'noble-20240225'), context: 'FROM' },
    { ...base, name: 'xz-utils', version: '5.6.0-0.2', range: tok(t, 5, '5.6.0-0.2') },
    { ...base, name: 'liblzma5', version: '5.6.0-0.2', range: tok(t, 6, '5.6.0-0.2') },
    { ...base, name: 'liblzma5', version: '5.6.1-1', range: tok(t, 13, '5.6.1-1') },
  ]);
});

test('scopes ARG and ENV per stage and finds the distribution of each stage', () => {
  const t = fixture('multi-stage.Dockerfile');
  const alpine = { kind: 'package', ecosystem: 'Alpine', suite: '3.19', context: 'apk add' } as const;
  assert.deepStrictEqual(extract(t), [
    { kind: 'image', value: 'alpine:3.19', range: tok(t, 2, '${ALPINE}'), context: 'FROM', edit: tok(t, 1, '3.19'), via: 'ARG ALPINE, line 2' },
    // A version made of a variable and literal text is flagged whole; replacing it all is still a valid fix.
    { ...alpine, name: 'xz', version: '5.6.1-r2', range: tok(t, 4, '${XZ_VERSION}-r2'), via: 'ARG XZ_VERSION, line 1' },
    { ...alpine, name: 'xz-libs', constraint: '~5.6', range: tok(t, 4, '~5.6') },
    { ...alpine, name: 'xz-dev', suite: 'edge', version: '5.6.1-r0', range: tok(t, 5, '5.6.1-r0') },
    { ...alpine, name: 'xz', version: '5.6.0-r0', range: tok(t, 8, '$XZ_PKG'), edit: tok(t, 7, '5.6.0-r0'), via: 'ENV XZ_PKG, line 8' },
    // `xz-doc=${XZ_VERSION}-r1`: the global ARG was not declared again in this stage, so it has no value here.
    { ...alpine, name: 'xz', version: '5.6.0-r0', range: tok(t, 10, '${XZ_PKG}'), edit: tok(t, 7, '5.6.0-r0'), via: 'ENV XZ_PKG, line 8' },
    { kind: 'image', value: 'node:20-bookworm-slim', range: tok(t, 11, '20-bookworm-slim'), context: 'FROM' },
    { kind: 'package', ecosystem: 'Debian', suite: 'bookworm', context: 'apt-get install', name: 'xz-utils', version: '5.4.1-0.2', range: tok(t, 12, '5.4.1-0.2') },
    { kind: 'image', value: 'python:3.12-alpine3.19', range: tok(t, 13, '3.12-alpine3.19'), context: 'FROM' },
    { ...alpine, name: 'xz', version: '5.4.5-r0', range: tok(t, 14, '5.4.5-r0') },
    { kind: 'image', value: 'some.registry.example/base-image:1', range: tok(t, 15, '1'), context: 'FROM' },
    { kind: 'package', ecosystem: 'Debian', context: 'apt-get install', name: 'xz-utils', version: '5.6.1-1', range: tok(t, 16, '5.6.1-1') },
    { kind: 'package', ecosystem: 'Alpine', context: 'apk add', name: 'xz', version: '5.6.1-r1', range: tok(t, 16, '5.6.1-r1') },
  ]);
});

test('reads exec-form RUN without expanding variables, and sh -c scripts inside it', () => {
  const t = fixture('exec-form.Dockerfile');
  const base = { kind: 'package', ecosystem: 'Debian', suite: 'sid', context: 'apt-get install' } as const;
  assert.deepStrictEqual(extract(t), [
    { kind: 'image', value: 'debian:sid', range: tok(t, 0, 'sid'), context: 'FROM' },
    { ...base, name: 'xz-utils', version: '5.6.1-1', range: tok(t, 2, '5.6.1-1') },
    { ...base, name: 'liblzma5', version: '5.6.0-0.1', range: tok(t, 4, '5.6.0-0.1') },
    // A JSON escape inside the version: the range covers the escape as written.
    { ...base, name: 'liblzma5', version: '5.6.0-0.2', range: tok(t, 5, '5.6.\\u0030-0.2') },
  ]);
});

test('finds no pin in comments, messages, removals, queries, dry runs, redirections or other instructions', () => {
  const t = fixture('not-installs.Dockerfile');
  assert.deepStrictEqual(extract(t), [{ kind: 'image', value: 'debian:bookworm', range: tok(t, 0, 'bookworm'), context: 'FROM' }]);
});

test('reads what it can of an unterminated here-document', () => {
  const t = fixture('unterminated-heredoc.Dockerfile');
  assert.deepStrictEqual(extract(t), [
    { kind: 'image', value: 'debian:sid', range: tok(t, 0, 'sid'), context: 'FROM' },
    { kind: 'package', ecosystem: 'Debian', suite: 'sid', context: 'apt-get install', name: 'xz-utils', version: '5.6.1-1', range: tok(t, 2, '5.6.1-1') },
  ]);
});

test('reads downloaded URLs, git tags and the checksums that guard them', () => {
  const t = fixture('checksums.Dockerfile');
  const sha256 = '2398f4a8e53345325f44bdd9f0cc7401bd9025d736c6d43b372f4dea77bf75b8';
  const sha512 = /[0-9a-f]{128}/.exec(t)![0];
  const added = '0f5c81f14171b74fcc9777d302304d964e63ffc2d7b634ef023a7249d9b5d875';
  const url = 'https://github.com/tukaani-project/xz/releases/download/v${XZ_VERSION}/xz-${XZ_VERSION}.tar.gz';
  assert.deepStrictEqual(extract(t), [
    { kind: 'image', value: 'debian:bookworm-slim', range: tok(t, 0, 'bookworm-slim'), context: 'FROM' },
    {
      kind: 'url', value: 'https://github.com/tukaani-project/xz/releases/download/v5.6.1/xz-5.6.1.tar.gz', range: tok(t, 4, url),
      context: 'curl', via: 'ARG XZ_VERSION, line 2', guardedBy: [sha256, sha512],
    },
    { kind: 'sha256', value: sha256, range: tok(t, 5, '${XZ_SHA256}'), context: 'sha256sum -c', edit: tok(t, 2, sha256), via: 'ARG XZ_SHA256, line 3' },
    { kind: 'url', value: 'https://downloads.sourceforge.net/project/lzmautils/xz-5.6.0.tar.xz', range: tok(t, 6, 'https://downloads.sourceforge.net/project/lzmautils/xz-5.6.0.tar.xz'), context: 'wget', guardedBy: [sha256, sha512] },
    { kind: 'sha512', value: sha512, range: tok(t, 6, sha512), context: 'sha512sum -c' },
    { kind: 'git-tag', value: 'github.com/tukaani-project/xz@v5.6.0', range: tok(t, 7, 'v5.6.0'), context: 'git checkout' },
    { kind: 'sha256', value: added, range: tok(t, 8, added), context: 'ADD --checksum' },
    {
      kind: 'url', value: 'https://github.com/tukaani-project/xz/releases/download/v5.6.0/xz-5.6.0.tar.gz',
      range: tok(t, 8, 'https://github.com/tukaani-project/xz/releases/download/v5.6.0/xz-5.6.0.tar.gz'), context: 'ADD', guardedBy: [added, sha256, sha512],
    },
    { kind: 'git-tag', value: 'github.com/tukaani-project/xz@v5.6.1', range: tok(t, 9, 'v5.6.1'), context: 'ADD' },
    { kind: 'image', value: 'debian:bookworm-slim', range: tok(t, 10, 'bookworm-slim'), context: 'FROM' },
    // A checksum in another stage does not guard this download.
    { kind: 'url', value: 'https://example.org/other.tar.gz', range: tok(t, 11, 'https://example.org/other.tar.gz'), context: 'curl' },
  ]);
});

test('reads dnf, yum, zypper, pacman -U, Wolfi and Kali pins', () => {
  const t = fixture('rpm-and-friends.Dockerfile');
  const fedora = { kind: 'package', ecosystem: 'Fedora', suite: 'fc40' } as const;
  const suse = { kind: 'package', ecosystem: 'openSUSE', suite: 'tumbleweed', context: 'zypper in' } as const;
  assert.deepStrictEqual(extract(t), [
    { kind: 'image', value: 'fedora:40', range: tok(t, 0, '40'), context: 'FROM' },
    { ...fedora, context: 'dnf install', name: 'xz-libs', version: '5.6.0-2.fc40', range: tok(t, 1, '5.6.0-2.fc40') },
    { ...fedora, context: 'dnf install', name: 'xz', version: '5.6.0', range: tok(t, 1, '5.6.0', 1) },
    // A Koji URL names the version in its directories too: renaming only the file would give a broken URL.
    { ...fedora, context: 'dnf install', name: 'xz', version: '5.6.0-1.fc40', range: tok(t, 2, '5.6.0-1.fc40'), fix: { kind: 'none', reason: 'The URL names the version in its directories too; change the whole URL by hand.' } },
    { ...suse, name: 'xz', version: '5.6.0-1.1', range: tok(t, 4, '5.6.0-1.1') },
    { ...suse, name: 'liblzma5', constraint: '>=5.6.0', range: tok(t, 4, '>=5.6.0') },
    { ...suse, name: 'xz-devel', version: '5.6.1-1.1', range: tok(t, 4, '5.6.1-1.1') },
    { kind: 'image', value: 'archlinux:base', range: tok(t, 5, 'base'), context: 'FROM' },
    { kind: 'package', ecosystem: 'Arch Linux', context: 'pacman -U', name: 'xz', version: '5.6.1-1', range: tok(t, 6, '5.6.1-1') },
    { kind: 'package', ecosystem: 'Wolfi', context: 'apk add', name: 'xz', version: '5.6.1-r0', range: tok(t, 8, '5.6.1-r0') },
    { kind: 'package', ecosystem: 'Kali', suite: 'kali-dev', context: 'apt-get install', name: 'xz-utils', version: '5.6.0-0.2', range: tok(t, 10, '5.6.0-0.2') },
    // On an unknown image, only the `.fcNN` dist tag makes a yum pin certain; `.el9` names no single ecosystem.
    { ...fedora, context: 'yum install', name: 'xz', version: '5.6.0-1.fc40', range: tok(t, 12, '5.6.0-1.fc40') },
  ]);
});

test('follows the escape directive for line continuations', () => {
  const t = fixture('escape-backtick.Dockerfile');
  const base = { kind: 'package', ecosystem: 'Debian', suite: 'sid', context: 'apt-get install' } as const;
  assert.deepStrictEqual(extract(t), [
    { kind: 'image', value: 'debian:sid', range: tok(t, 1, 'sid'), context: 'FROM' },
    { ...base, name: 'xz-utils', version: '5.6.1-1', range: tok(t, 3, '5.6.1-1') },
    { ...base, name: 'liblzma5', version: '5.6.1-1', range: tok(t, 4, '5.6.1-1') },
  ]);
});

test('reads ONBUILD RUN and ONBUILD ADD as the instructions they trigger, and no other ONBUILD', () => {
  const t = fixture('onbuild.Dockerfile');
  const base = { kind: 'package', ecosystem: 'Debian', suite: 'sid', context: 'apt-get install' } as const;
  const url = 'https://github.com/tukaani-project/xz/releases/download/v5.6.1/xz-5.6.1.tar.gz';
  assert.deepStrictEqual(extract(t), [
    { kind: 'image', value: 'debian:sid', range: tok(t, 0, 'sid'), context: 'FROM' },
    { ...base, name: 'xz-utils', version: '5.6.1-1', range: tok(t, 2, '5.6.1-1') },
    { ...base, name: 'liblzma5', version: '5.6.0-0.1', range: tok(t, 3, '5.6.0-0.1') },
    { kind: 'url', value: url, range: tok(t, 4, url), context: 'ADD' },
  ]);
});

test('reads Dockerfile-*, *.Dockerfile.* and Containerfile variants as Dockerfiles, and nothing else by those stems', () => {
  const names = [
    'Dockerfile', 'Dockerfile-windows', 'Dockerfile-alpine.template', 'app.Dockerfile.j2', 'web.Dockerfile', 'Dockerfile.dev', 'build.dockerfile',
    'Containerfile', 'Containerfile-fedora', 'Containerfile.prod', 'base.Containerfile', 'base.Containerfile.in',
    'Dockerfiles', 'MyDockerfile', 'docker-compose.env', 'Containerfiles', '.dockerignore',
  ];
  assert.deepEqual(
    names.map((name) => [name, formatFor(name)?.id]),
    names.map((name, i) => [name, i < 12 ? 'docker/Dockerfile' : undefined]),
  );
});
