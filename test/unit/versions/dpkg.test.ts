import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compare, parse, scheme } from '../../../server/src/versions/dpkg';
import { ordered } from './helpers';

test('orders the xz versions of Debian, Ubuntu and Termux as dpkg does', () => {
  const cases = [
    '5.6.1+really5.4.5-1 > 5.6.1-1',
    '5.6.1+really5.4.5-1 > 5.6.0-0.2',
    '5.6.1+really5.4.5-1 < 5.6.2-1',
    '5.6.1-1 > 5.6.0-0.2',
    '5.6.0-0.2 > 5.6.0-0.1',
    '5.5.1alpha-0.1 < 5.6.0-0.1',
    '5.4.5-0.3 < 5.6.1+really5.4.5-1',
    '0:1.0 = 1.0',
    '5.6.1+really5.4.5-1ubuntu0.2 > 5.6.1+really5.4.5-1',
    '5.6.1+really5.4.5-1ubuntu0.2 < 5.6.1+really5.4.5-1ubuntu0.3',
    '5.6.1+really5.4.5-1ubuntu0.2 > 5.6.1-1',
    '5.6.1+really5.4.5 > 5.6.1',
    '5.6.1+really5.4.5 < 5.6.2',
  ];
  assert.deepStrictEqual(ordered(compare, cases), cases);
});

test('sorts ~ before everything, letters before other characters, and numbers by value', () => {
  const cases = [
    '1.0~rc1 < 1.0',
    '1.0~~ < 1.0~',
    '1.0~ < 1.0',
    '1.0 < 1.0+b1',
    '1.0 < 1.0a',
    '1.0a < 1.0+',
    '1.0+ < 1.0.',
    '1.0 < 1.0.0',
    '1.010 = 1.10',
    '1.2 < 1.10',
    '1:0.1 > 9.9',
    '2:1.0 > 1:9.9',
    '1.0-1 = 1.0-01',
    '1.0-1 < 1.0-1.1',
    '1.0 < 1.0-0.1',
    '1.0-0 = 1.0-0',
    'a1.0 > 1.0',
  ];
  assert.deepStrictEqual(ordered(compare, cases), cases);
});

test('parses epoch, upstream and revision, keeping the last hyphen for the revision', () => {
  assert.deepStrictEqual(
    ['1:2.30-1-2', '5.6.1+really5.4.5-1ubuntu0.2', '1.0', 'v1.0'].map(parse),
    [
      { epoch: 1, upstream: '2.30-1', revision: '2' },
      { epoch: 0, upstream: '5.6.1+really5.4.5', revision: '1ubuntu0.2' },
      { epoch: 0, upstream: '1.0', revision: '' },
      { epoch: 0, upstream: 'v1.0', revision: '', warning: 'version number does not start with digit' },
    ],
  );
});

test('rejects what dpkg rejects, with dpkg\'s reason', () => {
  assert.deepStrictEqual(
    ['', '1.0 2', 'a:1.0', '1a:1.0', '-1:1.0', '1:', '1.0-', '-1', '99999999999:1.0', '1.0', '1.0^x'].map(scheme.invalid),
    [
      'version string is empty',
      'version string has embedded spaces',
      'epoch in version is empty',
      'epoch in version is not number',
      'epoch in version is negative',
      'nothing after colon in version number',
      'revision number is empty',
      'version number is empty',
      'epoch in version is too big',
      undefined,
      undefined,
    ],
  );
  assert.throws(() => parse('1:'), { message: "invalid dpkg version '1:': nothing after colon in version number" });
});

test('sorts versions dpkg rejects before valid ones, and stays total', () => {
  const cases = ["'' < 0", '1: < 0', '1: < 1:0', "'' < 1:", '1: = 1:'];
  assert.deepStrictEqual(ordered(compare, cases), cases);
});
