import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { compare, parse, satisfies, scheme } from '../../../server/src/versions/apk';
import { ordered, repoRoot, sharedDir } from './helpers';

/**
 * Checks a file in apk-tools' vertest format (`A op B`, `V` valid, `!V` invalid, `#` comments) and returns the
 * lines that do not hold, each with what Pinwatch says instead.
 */
function failingVectors(text: string): string[] {
  const failures: string[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') return;
    const fields = line.split(/\s+/);
    const where = `line ${index + 1}: ${line}`;
    if (fields.length === 3) {
      const [a, op, b] = fields as [string, string, string];
      if (!satisfies(a, op, b)) failures.push(`${where} (compare says ${compare(a, b)})`);
    } else if (fields.length === 1) {
      const expectInvalid = line.startsWith('!');
      const version = expectInvalid ? line.slice(1) : line;
      const why = scheme.invalid(version);
      if ((why !== undefined) !== expectInvalid) failures.push(`${where} (invalid says ${why ?? 'valid'})`);
    } else failures.push(`${where} (not a vector)`);
  });
  return failures;
}

test('agrees with every hand-picked vector', () => {
  const text = readFileSync(join(repoRoot, 'test', 'fixtures', 'versions', 'apk-handpicked.data'), 'utf8');
  assert.deepStrictEqual(failingVectors(text), []);
});

test("agrees with every vector of apk-tools' own version.data", (t) => {
  const file = join(sharedDir, 'reference', 'version-vectors', 'apk-tools-version.data');
  if (!existsSync(file)) return t.skip(`${file} is not here (it ships in ../shared, not in the repository)`);
  const text = readFileSync(file, 'utf8');
  assert.ok(text.split('\n').length > 700, 'the vectors file is complete');
  assert.deepStrictEqual(failingVectors(text), []);
});

test('orders versions apk rejects the way apk does', () => {
  const cases = [
    // The comparison stops where a version turns invalid: "1.0bc" reads 1, 0, b and then nothing valid.
    '1.0 < 1.0bc',
    '1.0bc = 1.0bd',
    '1.0bc < 1.0b',
    '1.0_foo < 1.0',
    '5.6.1+really5.4.5 < 5.6.1',
    '5.6.1+really5.4.5 > 5.6.0',
    "'' < 0",
    "'' = ''",
  ];
  assert.deepStrictEqual(ordered(compare, cases), cases);
});

test('splits a version into apk tokens', () => {
  assert.deepStrictEqual(parse('1.02b_rc3_p~1f-r4'), [
    { kind: 'initial-digit', text: '1' },
    { kind: 'digit', text: '02' },
    { kind: 'letter', text: 'b' },
    { kind: 'suffix', text: 'rc' },
    { kind: 'suffix-number', text: '3' },
    { kind: 'suffix', text: 'p' },
    { kind: 'commit-hash', text: '1f' },
    { kind: 'revision', text: '4' },
  ]);
});

test('says where an invalid version breaks the grammar', () => {
  assert.deepStrictEqual(['', 'v1', '0.1_foobar', '5.6.1-2', '1.0-r', '1.0~', '5.6.1+really5.4.5', '1.0-r1.1', '5.6.1-r2'].map(scheme.invalid), [
    'version string is empty',
    "must start with a digit, not 'v'",
    "unknown suffix '_foobar' at offset 3 (alpha, beta, pre, rc, cvs, svn, git, hg, p)",
    "'-' at offset 5 must start a revision '-rN'",
    "missing number after '-r' at offset 3",
    "'~' at offset 3 must be followed by a lowercase hex commit hash, before any '-rN'",
    "'+' at offset 5 is out of place (digit{.digit}...{letter}{_suffix{N}}...{~hash}{-rN})",
    "'.' at offset 6 is out of place (digit{.digit}...{letter}{_suffix{N}}...{~hash}{-rN})",
    undefined,
  ]);
  assert.throws(() => parse('v1'), { message: "invalid apk version 'v1': must start with a digit, not 'v'" });
});
