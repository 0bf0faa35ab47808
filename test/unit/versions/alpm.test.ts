import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compare, parse, scheme } from '../../../server/src/versions/alpm';
import { ordered } from './helpers';

test('orders the xz versions of Arch Linux as vercmp does', () => {
  const cases = ['5.6.1-2 > 5.6.1-1', '5.6.1-1 > 5.6.0-1', '5.6.1-2 > 5.6.0-1', '5.6.2-1 > 5.6.1-2', '5.4.6-1 < 5.6.0-1'];
  assert.deepStrictEqual(ordered(compare, cases), cases);
});

test('follows libalpm where it differs from rpm', () => {
  const cases = [
    // A missing epoch is 0, and pkgrels are compared only when both versions have one.
    '1:1.0 > 2.0',
    '0:1.0 = 1.0',
    '1.0 = 1.0-1',
    // ~ and ^ are plain separators.
    '1.0~rc1 > 1.0',
    // A trailing letter run is older than the end, a trailing number newer.
    '1.0a < 1.0',
    // ...but only right after the last segment: with a separator between, the leftover wins.
    '1.0.a > 1.0',
    '1.0.1 > 1.0',
    // Longer separator runs win.
    '1..0 > 1.0',
    '1.0 = 1_0',
    '1.0alpha < 1.0',
    '1.0alpha < 1.0beta',
    '1.0 < 1.0.0',
    '1.0rc1 < 1.0',
    "'' < 1",
    "'' > a",
  ];
  assert.deepStrictEqual(ordered(compare, cases), cases);
});

test("reproduces vercmp's cycle on strings that start with a separator", () => {
  // vercmp itself answers -1 to each of these: its order is not transitive there, and neither is ours.
  const cases = ['^- < 1', '1 < *alpha', '*alpha < ^-'];
  assert.deepStrictEqual(ordered(compare, cases), cases);
});

test('splits epoch, pkgver and pkgrel as libalpm does', () => {
  assert.deepStrictEqual(['1:5.6.1-2', '5.6.1', ':1-2'].map(parse), [
    { epoch: '1', pkgver: '5.6.1', pkgrel: '2' },
    { epoch: '0', pkgver: '5.6.1', pkgrel: undefined },
    { epoch: '0', pkgver: '1', pkgrel: '2' },
  ]);
  assert.deepStrictEqual(['', '1'].map(scheme.invalid), ['version string is empty', undefined]);
  assert.throws(() => parse(''), { message: "invalid pacman version '': version string is empty" });
});
