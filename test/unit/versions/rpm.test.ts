import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compare, parse, scheme } from '../../../server/src/versions/rpm';
import { ordered } from './helpers';

test('orders the xz versions of Fedora and openSUSE as rpm does', () => {
  const cases = [
    '5.4.6-3.fc40 < 5.6.0-1.fc40',
    '5.6.0-1.fc41 < 5.6.1-1.fc41',
    '5.6.0-2.fc41 < 5.6.1-1.fc41',
    // openSUSE's revert is *newer* than 5.6.1 for rpm: "revertto" is an alphabetic segment after 5.6.1's end.
    '5.6.1.revertto5.4 > 5.6.1',
    '5.6.1.revertto5.4-2.1 > 5.6.1-1.1',
    '5.6.1.revertto5.4 < 5.6.2',
    '5.2.5-8.el9_0 < 5.2.5-9.el9',
  ];
  assert.deepStrictEqual(ordered(compare, cases), cases);
});

test('gives ~ and ^ their rpm >= 4.15 meaning', () => {
  const cases = [
    '1.0~rc1 < 1.0',
    '1.0~rc1 < 1.0~rc2',
    '1.0~~ < 1.0~',
    '1.0 < 1.0^',
    '1.0^ < 1.0.1',
    '1.0^git1 < 1.0.1',
    '1.0^git1 > 1.0',
    '1.0~rc1^git1 < 1.0',
    '1.0~rc1^git1 > 1.0~rc1',
    '1.0^a < 1.0a',
  ];
  assert.deepStrictEqual(ordered(compare, cases), cases);
});

test('compares epochs, and a missing release as older than any release', () => {
  const cases = [
    '1:1.0 > 2.0',
    '0:1.0 = 1.0',
    ':1.0 = 1.0',
    '1.0 < 1.0-1',
    '1.0 < 1.0-',
    '1.0 < 1.0-~',
    '1.0- < 1.0-0',
    '1.0-1 < 1.0-2',
    '1.0a > 1.0',
    '1.0 < 1.0.0',
    '1.0 = 1.0.',
    '1.0 = 1_0',
    '2.0 > 1.0a',
    '1.a < 1.1',
    '1.010 = 1.10',
  ];
  assert.deepStrictEqual(ordered(compare, cases), cases);
});

test('splits an EVR as rpm does', () => {
  assert.deepStrictEqual(['1:2.3-4.fc40', '2.3', ':2-1', '1-2:3'].map(parse), [
    { epoch: '1', version: '2.3', release: '4.fc40' },
    { epoch: undefined, version: '2.3', release: undefined },
    { epoch: '0', version: '2', release: '1' },
    { epoch: undefined, version: '1', release: '2:3' },
  ]);
});

test('rejects only the empty string, which rpm.vercmp refuses, and sorts it first', () => {
  assert.deepStrictEqual(['', 'x', '~'].map(scheme.invalid), ['version string is empty', undefined, undefined]);
  assert.throws(() => parse(''), { message: "invalid rpm version '': version string is empty" });
  const cases = ["'' < ~", "'' = ''"];
  assert.deepStrictEqual(ordered(compare, cases), cases);
});
