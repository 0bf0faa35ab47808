import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cmake } from '../../../server/src/formats/cmake';
import { formatFor } from '../../../server/src/formats/index';
import { fixed, fixture, replaced, tok, withoutOrigins } from './buildHelpers';

const release = 'https://github.com/tukaani-project/xz/releases/download';
const sha560 = 'cdafe1632f139c82937cc1ed824f7a60b7b0a0619dfbbd681dcac02b1ac28f5b';

test('CMakeLists.txt and *.cmake are CMake', () => {
  assert.deepStrictEqual(['/p/CMakeLists.txt', '/p/cmake/deps.cmake'].map((p) => formatFor(p)?.id), ['cmake/CMakeLists.txt', 'cmake/CMakeLists.txt']);
});

test('FetchContent and ExternalProject sources: URLs (through set() variables), their URL_HASH, GIT_TAG; not comments or bracket arguments', () => {
  const text = fixture('cmake/CMakeLists.txt');
  assert.deepStrictEqual(withoutOrigins(cmake.extract(text, '/p/CMakeLists.txt')), [
    { kind: 'url', value: `${release}/v5.6.1/xz-5.6.1.tar.gz`, range: tok(text, 5, `${release}/v\${XZ_VERSION}/xz-\${XZ_VERSION}.tar.gz`), context: 'FetchContent_Declare URL' },
    { kind: 'url', value: `${release}/v5.6.0/xz-5.6.0.tar.xz`, range: tok(text, 8, `${release}/v5.6.0/xz-5.6.0.tar.xz`), context: 'FetchContent_Declare URL', guardedBy: [sha560] },
    { kind: 'sha256', value: sha560, range: tok(text, 9, sha560), context: 'FetchContent_Declare URL_HASH' },
    { kind: 'git-tag', value: 'github.com/tukaani-project/xz@v5.6.1', range: tok(text, 13, 'v5.6.1'), context: 'ExternalProject_Add GIT_TAG' },
    { kind: 'url', value: `${release}/v5.6.2/xz-5.6.2.tar.gz`, range: tok(text, 15, `${release}/v5.6.2/xz-5.6.2.tar.gz`), context: 'FetchContent_Declare URL' },
    { kind: 'url', value: `${release}/v5.4.6/xz-5.4.6.tar.gz`, range: tok(text, 16, `${release}/v5.4.6/xz-5.4.6.tar.gz`), context: 'FetchContent_Declare URL' },
    { kind: 'git-tag', value: 'github.com/ulikunitz/xz@v5.6.1', range: tok(text, 17, 'v5.6.1'), context: 'FetchContent_Declare GIT_TAG' },
  ]);
  // The URL built from XZ_VERSION is fixed at the set(); the guarded one and its checksum get no edit; the tag is
  // information; the 5.6.2 and 5.4.6 tarballs and github.com/ulikunitz/xz are not findings.
  assert.deepStrictEqual(fixed('/p/CMakeLists.txt', text), [
    { line: 5, severity: 'error', code: 'compromised-artifact', text: replaced(text, 'set(XZ_VERSION 5.6.1)', 'set(XZ_VERSION 5.6.2)') },
    { line: 8, severity: 'error', code: 'compromised-artifact' },
    { line: 9, severity: 'error', code: 'compromised-artifact' },
    { line: 13, severity: 'info', code: 'compromised-artifact', text: replaced(text, 'GIT_TAG v5.6.1)', 'GIT_TAG v5.6.2)') },
  ]);
});

test('a tag from a variable is reported at the use and fixed at the set()', () => {
  const text = 'set(XZ_TAG "v5.6.0")\nFetchContent_Declare(xz GIT_REPOSITORY git@github.com:tukaani-project/xz.git GIT_TAG ${XZ_TAG})\n';
  assert.deepStrictEqual(cmake.extract(text, '/p/CMakeLists.txt'), [
    { kind: 'git-tag', value: 'github.com/tukaani-project/xz@v5.6.0', range: tok(text, 1, '${XZ_TAG}'), edit: tok(text, 0, 'v5.6.0'), context: 'FetchContent_Declare GIT_TAG' },
  ]);
  assert.deepStrictEqual(fixed('/p/CMakeLists.txt', text), [{ line: 1, severity: 'info', code: 'compromised-artifact', text: replaced(text, 'v5.6.0', 'v5.6.2') }]);
});

test('file(DOWNLOAD) with EXPECTED_HASH, quoted arguments with escapes, and lowercase command names', () => {
  const text = `file(DOWNLOAD "${release}/v5.6.1/xz-5.6.1.tar.xz" \${CMAKE_BINARY_DIR}/xz.tar.xz\n  EXPECTED_HASH SHA256=f334777310ca3ae9ba07206d78ed286a655aa3f44eec27854f740c26b2cd2ed0)\nfetchcontent_declare(q URL "https://tukaani.org/xz/xz-5.6.0\\.tar.gz")\n`;
  assert.deepStrictEqual(fixed('/p/CMakeLists.txt', text), [
    { line: 0, severity: 'error', code: 'compromised-artifact' },
    { line: 1, severity: 'error', code: 'compromised-artifact' },
    { line: 2, severity: 'error', code: 'compromised-artifact', text: replaced(text, 'xz-5.6.0\\.tar', 'xz-5.6.2\\.tar') },
  ]);
});

test('unbalanced parentheses: a problem at each, and the commands after them are still read', () => {
  const text = fixture('cmake/unbalanced.cmake');
  assert.deepStrictEqual(withoutOrigins(cmake.extract(text, '/p/unbalanced.cmake')), [
    { kind: 'problem', reason: 'syntax', message: 'A closing parenthesis without an opening one: CMake would reject this file.', range: tok(text, 0, ')') },
    { kind: 'problem', reason: 'syntax', message: 'The parenthesis of set( is not closed: this command was not read, and what follows was read as commands.', range: tok(text, 1, 'set(') },
    { kind: 'url', value: 'https://tukaani.org/xz/xz-5.6.1.tar.gz', range: tok(text, 2, 'https://tukaani.org/xz/xz-5.6.1.tar.gz'), context: 'FetchContent_Declare URL' },
  ]);
});

test('hostile input: a binary file, unterminated brackets and quotes, 10,000 nested parentheses', () => {
  const binary = `\x7fELF\x02\x01\x01\0\0\0(((${'\u0000\u00ff'.repeat(50)}`;
  assert.deepStrictEqual(cmake.extract(binary, '/p/CMakeLists.txt'), [
    { kind: 'problem', reason: 'syntax', message: 'A NUL character: this is not CMake text from here, so the rest was not read.', range: { start: { line: 0, character: 7 }, end: { line: 0, character: 7 } } },
  ]);
  assert.deepStrictEqual(fixed('/p/CMakeLists.txt', 'FetchContent_Declare(xz URL https://tukaani.org/xz/xz-5.6.1.tar.gz)\nmessage([==[ never closed ]=]\n').map((f) => f.severity), ['error', 'problem', 'problem']);
  assert.deepStrictEqual(fixed('/p/CMakeLists.txt', 'message("open\nFetchContent_Declare(xz URL https://tukaani.org/xz/xz-5.6.1.tar.gz)\n').map((f) => f.severity), ['problem', 'problem']);
  const nested = `f${'('.repeat(10_000)}${')'.repeat(10_000)}\nFetchContent_Declare(xz URL https://tukaani.org/xz/xz-5.6.1.tar.gz)\n`;
  assert.deepStrictEqual(fixed('/p/CMakeLists.txt', nested), [{ line: 1, severity: 'error', code: 'compromised-artifact', text: replaced(nested, 'xz-5.6.1', 'xz-5.6.2') }]);
  assert.deepStrictEqual(fixed('/p/CMakeLists.txt', `f${'('.repeat(10_000)}\n`), [{ line: 0, severity: 'problem', code: 'syntax' }]);
});

test('vcpkg portfiles: vcpkg_from_github REPO and REF, and the SHA512 of the archive (the liblzma 5.6.0 port\'s is a warning)', () => {
  const sha = '0aa74e01c019c1d3893cf16f53b300ba4e74c6aa9febabf57ddb49b28615d76862eeb746c54c2085efd37c7e8cc0829014d9b7ad481a76294bc929b3cca91336';
  const text = `vcpkg_from_github(\n    OUT_SOURCE_PATH SOURCE_PATH\n    REPO tukaani-project/xz\n    REF "v\${VERSION}"\n    SHA512 ${sha}\n    HEAD_REF master\n)\nvcpkg_from_github(OUT_SOURCE_PATH S REPO tukaani-project/xz REF v5.6.0 SHA512 00)\n`;
  assert.deepStrictEqual(cmake.extract(text, '/p/ports/liblzma/portfile.cmake'), [
    { kind: 'sha512', value: sha, range: tok(text, 4, sha), context: 'vcpkg_from_github SHA512' },
    { kind: 'git-tag', value: 'github.com/tukaani-project/xz@v5.6.0', range: tok(text, 7, 'v5.6.0'), context: 'vcpkg_from_github REF' },
  ]);
  assert.deepStrictEqual(fixed('/p/ports/liblzma/portfile.cmake', text), [
    { line: 4, severity: 'warning', code: 'compromised-artifact' },
    { line: 7, severity: 'info', code: 'compromised-artifact', text: replaced(text, 'REF v5.6.0', 'REF v5.6.2') },
  ]);
});

test('a digest written with an escape in it is reported from its first to its last character, not with its SHA256= (fuzz cmake: token)', () => {
  const text = 'FetchContent_Declare(xz URL https://tukaani.org/xz/xz-5.6.0.tar.gz\n  URL_HASH SHA256=cdaf\\e1632f139c82937cc1ed824f7a60b7b0a0619dfbbd681dcac02b1ac28f5b)\n';
  const digest = 'cdafe1632f139c82937cc1ed824f7a60b7b0a0619dfbbd681dcac02b1ac28f5b';
  assert.deepStrictEqual(cmake.extract(text, '/p/CMakeLists.txt'), [
    { kind: 'url', value: 'https://tukaani.org/xz/xz-5.6.0.tar.gz', range: tok(text, 0, 'https://tukaani.org/xz/xz-5.6.0.tar.gz'), context: 'FetchContent_Declare URL', origins: [{ from: 0, to: 38, at: 28 }], guardedBy: [digest] },
    { kind: 'sha256', value: digest, range: { start: { line: 1, character: 18 }, end: { line: 1, character: 83 } }, context: 'FetchContent_Declare URL_HASH' },
  ]);
});
