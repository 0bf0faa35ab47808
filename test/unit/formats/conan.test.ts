import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conanfile, conanLock } from '../../../server/src/formats/conan';
import { formatFor } from '../../../server/src/formats/index';
import type { PackageReference } from '../../../server/src/model';
import { fixed, fixture, replaced, tok, withoutOrigins } from './buildHelpers';

const conan = (name: string, version: string, range: PackageReference['range'], context: string): PackageReference => ({ kind: 'package', ecosystem: 'ConanCenter', name, version, range, context });

test('each Conan file is read by its format, before the YAML catch-all', () => {
  assert.deepStrictEqual(['conanfile.txt', 'conanfile.py', 'conandata.yml', 'conan.lock'].map((f) => formatFor(`/p/${f}`)?.id), ['conan/conanfile', 'conan/conanfile', 'conan/conanfile', 'conan/conan.lock']);
});

test('conanfile.txt: the references of the requirement sections, a range as a constraint, not [options] nor another remote', () => {
  const text = fixture('conan/conanfile.txt');
  assert.deepStrictEqual(conanfile.extract(text, '/p/conanfile.txt'), [
    conan('xz_utils', '5.6.1', tok(text, 1, '5.6.1'), 'requires'),
    conan('zlib', '1.3.1', tok(text, 2, '1.3.1'), 'requires'),
    conan('other', '5.6.1', tok(text, 3, '5.6.1'), 'requires'),
    { kind: 'package', ecosystem: 'ConanCenter', name: 'xz_utils', constraint: '>=5.6.0 <5.7', range: tok(text, 5, '>=5.6.0 <5.7'), context: 'tool_requires' },
    { kind: 'package', ecosystem: 'ConanCenter', name: 'xz_utils', constraint: '>=5.4.5 <6', range: tok(text, 6, '>=5.4.5 <6'), context: 'tool_requires' },
  ]);
  // The pin is fixed to the nearest safe release the record names; the range whose floor is compromised is a
  // warning; `other/5.6.1` and a range that resolves to a safe release are not findings.
  assert.deepStrictEqual(fixed('/p/conanfile.txt', text), [
    { line: 1, severity: 'error', code: 'compromised-version', text: replaced(text, 'xz_utils/5.6.1 #', 'xz_utils/5.8.1 #') },
    { line: 5, severity: 'warning', code: 'range-admits-compromised' },
  ]);
});

test('conanfile.py: requires attributes (strings, tuples, lists) and self.requires calls; not docstrings, comments, f-strings or concatenations', () => {
  const text = fixture('conan/conanfile.py');
  assert.deepStrictEqual(conanfile.extract(text, '/p/conanfile.py'), [
    conan('xz_utils', '5.6.0', tok(text, 5, '5.6.0'), 'requires'),
    conan('zlib', '1.3.1', tok(text, 5, '1.3.1'), 'requires'),
    conan('xz_utils', '5.6.1', tok(text, 10, '5.6.1'), 'self.requires'),
    conan('xz_utils', '5.4.5', tok(text, 13, '5.4.5'), 'self.tool_requires'),
    conan('xz_utils', '5.6.0', tok(text, 14, '5.6.0'), 'self.test_requires'),
  ]);
  assert.deepStrictEqual(fixed('/p/conanfile.py', text), [
    { line: 5, severity: 'error', code: 'compromised-version', text: replaced(text, 'xz_utils/5.6.0"', 'xz_utils/5.8.1"') },
    { line: 10, severity: 'error', code: 'compromised-version', text: replaced(text, '"xz_utils/5.6.1", transitive', '"xz_utils/5.8.1", transitive') },
    { line: 14, severity: 'error', code: 'compromised-version', text: replaced(text, "'''xz_utils/5.6.0'''", "'''xz_utils/5.8.1'''") },
  ]);
});

test('conanfile.py: an unterminated string is a problem, and what came before it is still read', () => {
  const text = 'class A(ConanFile):\n    requires = "xz_utils/5.6.1"\n    def requirements(self):\n        self.requires("zlib/1.3\n';
  assert.deepStrictEqual(conanfile.extract(text, '/p/conanfile.py'), [
    conan('xz_utils', '5.6.1', tok(text, 1, '5.6.1'), 'requires'),
    { kind: 'problem', reason: 'syntax', message: 'A string is not closed here, so the rest of the file was not read.', range: { start: { line: 3, character: 22 }, end: { line: 3, character: 31 } } },
  ]);
});

test('conan.lock: the locked references, fixed by locking again rather than by an edit (the revision belongs to the version)', () => {
  const text = fixture('conan/conan.lock');
  const reason = (name: string) => ({ kind: 'none' as const, reason: `conan.lock is written by conan: require a safe ${name} in the conanfile and run conan lock create again.` });
  assert.deepStrictEqual(conanLock.extract(text, '/p/conan.lock'), [
    { ...conan('zlib', '1.3.1', tok(text, 3, '1.3.1'), 'conan.lock requires'), fix: reason('zlib') },
    { ...conan('xz_utils', '5.6.1', tok(text, 4, '5.6.1'), 'conan.lock requires'), fix: reason('xz_utils') },
    { ...conan('xz_utils', '5.4.5', tok(text, 7, '5.4.5'), 'conan.lock build_requires'), fix: reason('xz_utils') },
  ]);
  assert.deepStrictEqual(fixed('/p/conan.lock', text), [{ line: 4, severity: 'error', code: 'compromised-version' }]);
  // A truncated lock is read as far as it goes, with a problem where it stops.
  const cut = text.slice(0, text.indexOf('"build_requires"'));
  assert.deepStrictEqual(fixed('/p/conan.lock', cut), [{ line: 4, severity: 'error', code: 'compromised-version' }, { line: 6, severity: 'problem', code: 'syntax' }]);
});

test('conandata.yml: each version\'s source URLs and checksum; the URLs are guarded by it, so only the checksum has no edit either', () => {
  const text = fixture('conan/conandata.yml');
  const sha561 = 'f334777310ca3ae9ba07206d78ed286a655aa3f44eec27854f740c26b2cd2ed0';
  const sha560 = 'cdafe1632f139c82937cc1ed824f7a60b7b0a0619dfbbd681dcac02b1ac28f5b';
  const sha546 = 'b92d4e3a438affcf13362a1305cd9d94ed47ddda22e456a42791e630a5644f5c';
  const url = (line: number, value: string, guard: string) => ({ kind: 'url', value, range: tok(text, line, value), context: 'conandata.yml url', guardedBy: [guard] });
  assert.deepStrictEqual(withoutOrigins(conanfile.extract(text, '/p/conandata.yml')), [
    url(2, 'https://github.com/tukaani-project/xz/releases/download/v5.6.1/xz-5.6.1.tar.xz', sha561),
    { kind: 'sha256', value: sha561, range: tok(text, 3, sha561), context: 'conandata.yml sha256' },
    url(6, 'https://github.com/tukaani-project/xz/releases/download/v5.6.0/xz-5.6.0.tar.xz', sha560),
    url(7, 'https://downloads.sourceforge.net/project/lzmautils/xz-5.6.0.tar.xz', sha560),
    { kind: 'sha256', value: sha560, range: tok(text, 8, sha560), context: 'conandata.yml sha256' },
    url(10, 'https://github.com/tukaani-project/xz/releases/download/v5.4.6/xz-5.4.6.tar.xz', sha546),
    { kind: 'sha256', value: sha546, range: tok(text, 11, sha546), context: 'conandata.yml sha256' },
  ]);
  // The 5.4.6 source is safe: nothing on lines 10-11.
  assert.deepStrictEqual(fixed('/p/conandata.yml', text).map((f) => `${f.line} ${f.severity} ${f.text === undefined}`), ['2 error true', '3 error true', '6 error true', '7 error true', '8 error true']);
});
