// NuGet's and Maven's version schemes and ranges. NuGet has no comparison tool on Linux here, so its vectors are
// checked by hand against NuGet's documented rules (docs "Package versioning": SemVer 2.0 with a fourth part,
// case-insensitive labels, metadata ignored, normalisation of leading zeros and missing parts). Maven's vectors
// are what Maven 3.8.7's ComparableVersion prints for them; differential.test.ts compares random pairs too.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as maven from '../../../server/src/versions/maven';
import * as nuget from '../../../server/src/versions/nuget';
import { equal, schemeFor } from '../../../server/src/versions/index';
import { ordered } from './helpers';

test('nuget: four numeric parts, labels below the release, case-insensitive labels, metadata ignored', () => {
  const cases = [
    '1.0 = 1.0.0',
    '1.0.0 = 1.0.0.0',
    '1 = 1.0.0.0',
    '1.01 = 1.1',
    '01.0.0 = 1.0.0',
    '1.0.0.1 > 1.0.0',
    '1.0.0.10 > 1.0.0.9',
    '1.0.0-beta < 1.0.0',
    '1.0.0-alpha < 1.0.0-alpha.1',
    '1.0.0-alpha.1 < 1.0.0-alpha.beta',
    '1.0.0-beta.2 < 1.0.0-beta.11',
    '1.0.0-rc.1 < 1.0.0',
    '1.0.0-RC.1 = 1.0.0-rc.1',
    '1.0.0-Beta = 1.0.0-beta',
    '1.0.0+build.1 = 1.0.0+build.2',
    '1.0.0-beta+a = 1.0.0-beta',
    '1.0.0-1 < 1.0.0-a',
    '1.0.0.0-beta < 1.0.0.1-alpha',
    '2.0.0 > 1.99.99.99',
    '13.0.1 < 13.0.3',
    // Invalid versions sort first, among themselves by code unit.
    '1.0.0.0.0 < 0.0.1',
    'latest < 0.0.1',
  ];
  assert.deepStrictEqual(ordered(nuget.compare, cases), cases);
  assert.deepStrictEqual(['1.0.0-rc.1+b5', ' 1.2 ', '', '1.0.0.0.0', 'v1.0', '1.0.0-01', '1.0.0-a..b', '1.0.0+', '1.0.0-beta_1', '2147483648.0'].map(nuget.scheme.invalid), [
    undefined,
    undefined,
    'version string is empty',
    'expected one to four numbers separated by dots',
    'expected one to four numbers separated by dots',
    'a numeric release label must not have leading zeros',
    'release labels must be dot-separated [0-9A-Za-z-] identifiers',
    'build metadata must be dot-separated [0-9A-Za-z-] identifiers',
    'release labels must be dot-separated [0-9A-Za-z-] identifiers',
    'a numeric part is larger than 2147483647',
  ]);
  assert.deepStrictEqual(nuget.parse('1.2-rc.1+sha.5'), { parts: [1, 2, 0, 0], release: ['rc', '1'], metadata: 'sha.5' });
  assert.throws(() => nuget.parse('x'), { message: "invalid NuGet version 'x': expected one to four numbers separated by dots" });
  assert.deepStrictEqual([equal('NuGet', '1.0', '1.0.0.0'), equal('NuGet', '1.0.0-RC1', '1.0.0-rc1'), schemeFor('NuGet').name], [true, true, 'nuget']);
});

test('nuget ranges: a bare version is a minimum, brackets bound, [v] is exact, floating versions match a prefix', () => {
  const admits = (spec: string, versions: string[]): string[] => versions.filter((v) => nuget.rangeAdmits(spec, v));
  const versions = ['0.9', '1.0', '1.0.0.1', '1.5.0-beta', '1.5', '2.0', '2.0.1', '3.0'];
  assert.deepStrictEqual(
    ['1.0', '[1.0]', '[1.0,2.0)', '[1.0,2.0]', '(1.0,2.0)', '(,2.0]', '(,2.0)', '[2.0,)', '(2.0,)', '1.*', '2.0.*', '*', '1.5.0-*', '[1.0', '(1.0)', '[2.0,1.0]', '(,)', 'x'].map((spec) => [spec, admits(spec, versions)]),
    [
      ['1.0', ['1.0', '1.0.0.1', '1.5.0-beta', '1.5', '2.0', '2.0.1', '3.0']],
      ['[1.0]', ['1.0']],
      ['[1.0,2.0)', ['1.0', '1.0.0.1', '1.5.0-beta', '1.5']],
      ['[1.0,2.0]', ['1.0', '1.0.0.1', '1.5.0-beta', '1.5', '2.0']],
      ['(1.0,2.0)', ['1.0.0.1', '1.5.0-beta', '1.5']],
      ['(,2.0]', ['0.9', '1.0', '1.0.0.1', '1.5.0-beta', '1.5', '2.0']],
      ['(,2.0)', ['0.9', '1.0', '1.0.0.1', '1.5.0-beta', '1.5']],
      ['[2.0,)', ['2.0', '2.0.1', '3.0']],
      ['(2.0,)', ['2.0.1', '3.0']],
      ['1.*', ['1.0', '1.0.0.1', '1.5']],
      ['2.0.*', ['2.0', '2.0.1']],
      ['*', ['0.9', '1.0', '1.0.0.1', '1.5', '2.0', '2.0.1', '3.0']],
      ['1.5.0-*', ['1.5.0-beta']],
      ['[1.0', []],
      ['(1.0)', []],
      ['[2.0,1.0]', []],
      ['(,)', []],
      ['x', []],
    ],
  );
  assert.deepStrictEqual(['1.0', '[1.0]', '[1.0,2.0)', '(1.0,2.0)', '(,2.0]', '1.*'].map(nuget.rangeFloor), ['1.0', '1.0', '1.0', undefined, undefined, undefined]);
});

test('maven: orders as ComparableVersion (qualifier order, aliases, trailing zeros, sub-lists)', () => {
  const cases = [
    '1.0-alpha-1 = 1.0-alpha1',
    '1.0-alpha1 = 1.0-a1',
    '1.0-a1 < 1.0-beta',
    '1.0-beta < 1.0-m1',
    '1.0-m1 < 1.0-RC1',
    '1.0-RC1 = 1.0-CR1',
    '1.0-CR1 < 1.0-SNAPSHOT',
    '1.0-SNAPSHOT < 1.0',
    '1.0 = 1.0-ga',
    '1.0 = 1',
    '1.0.0 = 1-ga',
    '1.0-ga < 1.0-sp',
    '1.0-sp < 1.0-foo',
    '1.0-foo < 1.0.1',
    '1.0.1 > 1.0-1',
    '2.0.0.Final = 2.0.0',
    '2.0.0 = 2.0.0.RELEASE',
    '1.2.3-jre > 1.2.3-android',
    '2.17.1 > 2.17.0',
    '2.15.0 < 2.16.0',
    '1.10 > 1.9',
    '01-.2 > 01-.',
    // Eleven zeros are a long 0, and any int is below any long.
    '000000000001.2 < 00000000000.2',
  ];
  assert.deepStrictEqual(ordered(maven.compare, cases), cases);
  assert.deepStrictEqual(maven.parse('1.0-RC1'), { kind: 'list', items: [{ kind: 'number', digits: '1', width: 0 }, { kind: 'list', items: [{ kind: 'string', value: 'rc' }, { kind: 'list', items: [{ kind: 'number', digits: '1', width: 0 }] }] }] });
  assert.deepStrictEqual(['1.0', '', ' ', '1 0'].map(maven.scheme.invalid), [undefined, 'version string is empty', 'version string is empty', 'must not contain whitespace']);
  assert.deepStrictEqual([equal('Maven', '1.0', '1.0.0-ga'), schemeFor('Maven').name], [true, 'maven']);
});

test('maven ranges: a soft requirement is its own version, brackets bound, unions, malformed ranges admit nothing', () => {
  const admits = (spec: string, versions: string[]): string[] => versions.filter((v) => maven.rangeAdmits(spec, v));
  const versions = ['0.9', '1.0', '1.0.1', '1.5-SNAPSHOT', '1.5', '2.0', '2.0.1'];
  assert.deepStrictEqual(
    ['1.0', '[1.0]', '[1.0,2.0)', '[1.0,2.0]', '(1.0,2.0)', '(,1.0]', '[1.5,)', '(,1.0],[2.0,)', '[1.0', '(1.0)', '[2.0,1.0]', '[1.0,2.0),', '1.0,2.0'].map((spec) => [spec, admits(spec, versions)]),
    [
      ['1.0', ['1.0']],
      ['[1.0]', ['1.0']],
      ['[1.0,2.0)', ['1.0', '1.0.1', '1.5-SNAPSHOT', '1.5']],
      ['[1.0,2.0]', ['1.0', '1.0.1', '1.5-SNAPSHOT', '1.5', '2.0']],
      ['(1.0,2.0)', ['1.0.1', '1.5-SNAPSHOT', '1.5']],
      ['(,1.0]', ['0.9', '1.0']],
      ['[1.5,)', ['1.5', '2.0', '2.0.1']],
      ['(,1.0],[2.0,)', ['0.9', '1.0', '2.0', '2.0.1']],
      ['[1.0', []],
      ['(1.0)', []],
      ['[2.0,1.0]', []],
      ['[1.0,2.0),', []],
      ['1.0,2.0', []],
    ],
  );
  assert.deepStrictEqual(maven.parseRange('1.0'), { soft: true, intervals: [{ lower: '1.0', lowerInclusive: true, upper: '1.0', upperInclusive: true }] });
  assert.deepStrictEqual(['1.0', '[1.0,2.0)', '(1.0,2.0)', '(,1.0]'].map(maven.rangeFloor), ['1.0', '1.0', undefined, undefined]);
});
