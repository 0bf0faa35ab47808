// The language ecosystems' schemes: semver (npm, crates.io), PEP 440 (PyPI), RubyGems and Go modules.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as go from '../../../server/src/versions/go';
import * as pep440 from '../../../server/src/versions/pep440';
import * as rubygems from '../../../server/src/versions/rubygems';
import * as semver from '../../../server/src/versions/semver';
import { ordered } from './helpers';

test('semver: orders by precedence, ignoring build metadata', () => {
  const cases = [
    '5.6.1 > 5.6.0',
    '4.4.2 > 4.4.1',
    '1.0.0-alpha < 1.0.0-alpha.1',
    '1.0.0-alpha.1 < 1.0.0-alpha.beta',
    '1.0.0-alpha.beta < 1.0.0-beta',
    '1.0.0-beta.2 < 1.0.0-beta.11',
    '1.0.0-rc.1 < 1.0.0',
    '1.0.0+a = 1.0.0+b',
    'v1.2.3 = 1.2.3',
    '1.4.44-liberty-2 > 1.4.4',
    // Invalid versions sort first, among themselves by code unit.
    '1.2 < 0.0.1',
    '1.2 < latest',
  ];
  assert.deepStrictEqual(ordered(semver.compare, cases), cases);
  assert.deepStrictEqual(['1.2.3-rc.1+b5', '', '1.2', '01.2.3', '1.2.3-a..b'].map(semver.scheme.invalid), [
    undefined,
    'version string is empty',
    'expected MAJOR.MINOR.PATCH',
    'not strict semver (it parses only loosely)',
    'pre-release or build identifiers are malformed (leading zeros, empty or non [0-9A-Za-z-] identifiers)',
  ]);
  assert.deepStrictEqual(semver.parse('1.2.3-rc.1+b5'), { major: 1, minor: 2, patch: 3, prerelease: ['rc', 1], build: ['b5'] });
  assert.throws(() => semver.parse('1.2'), { message: "invalid semver version '1.2': expected MAJOR.MINOR.PATCH" });
});

test('pep440: orders dev, pre, release, post and local versions as pip does', () => {
  const cases = [
    '1.0.dev1 < 1.0a1',
    '1.0a1 < 1.0b1',
    '1.0b1 < 1.0rc1',
    '1.0rc1 < 1.0',
    '1.0 < 1.0.post1',
    '1.0 = 1.0.0',
    '1.0RC1 = 1.0rc1',
    '1!0.1 > 2.0',
    '1.0+local > 1.0',
    '8.3.41 < 8.3.47',
    'foo < 0',
  ];
  assert.deepStrictEqual(ordered(pep440.compare, cases), cases);
  assert.deepStrictEqual(pep440.parse('1!2.0rc1.post2.dev3+abc'), { epoch: 1, release: [2, 0], pre: ['rc', 1], post: 2, dev: 3, local: 'abc' });
  assert.deepStrictEqual(['1.0', '', 'foo'].map(pep440.scheme.invalid), [
    undefined,
    'version string is empty',
    'does not match PEP 440 ([N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local])',
  ]);
});

test('rubygems: orders as Gem::Version, with pre-releases before releases and trailing zeros ignored', () => {
  const cases = [
    '1.6.13 > 1.6.9',
    '1.7.0 > 1.6.13',
    '1.6.10 > 1.6.9',
    '1.0.a < 1.0',
    '1.0 = 1',
    '1.0.0.a = 1.a',
    '1.0.a10 > 1.0.a9',
    '1.0.b1 > 1.0.a2',
    '1.0-beta = 1.0.pre.beta',
    '2.0.0.rc1 < 2.0.0',
    "'' = 0",
    '1..0 < 0',
  ];
  assert.deepStrictEqual(ordered(rubygems.compare, cases), cases);
  assert.deepStrictEqual(['1.0.a', ' 1.0 ', 'a', '1.0 2', '1..0'].map(rubygems.scheme.invalid), [
    undefined,
    undefined,
    'must start with a digit',
    'must not contain spaces',
    'expected N(.segment)*[-pre(.segment)*] with segments of [0-9A-Za-z]',
  ]);
  assert.deepStrictEqual(rubygems.parse('1.0-rc1'), {
    segments: [
      { numeric: true, text: '1' },
      { numeric: true, text: '0' },
      { numeric: false, text: 'pre' },
      { numeric: false, text: 'rc' },
      { numeric: true, text: '1' },
    ],
    prerelease: true,
  });
});

test('go: orders module versions, pseudo-versions as pre-releases, +incompatible ignored', () => {
  const cases = [
    'v1.2.3 < v1.2.4',
    'v2.0.0+incompatible > v1.9.9',
    'v2.0.0+incompatible = v2.0.0',
    'v1 = v1.0.0',
    'v1.2 = v1.2.0',
    'v0.0.0-20240101120000-abcdef123456 < v0.0.1',
    'v1.2.4-0.20240101120000-abcdef123456 > v1.2.3',
    'v1.2.4-0.20240101120000-abcdef123456 < v1.2.4',
    'v1.0.0-rc.1 < v1.0.0',
    'v1.0.0-1 < v1.0.0-a',
    // Go's own rule: invalid versions are less than valid ones and equal to each other.
    '1.2.3 < v0.0.1',
    '1.2.3 = bad',
  ];
  assert.deepStrictEqual(ordered(go.compare, cases), cases);
  assert.deepStrictEqual(['v1.2.3+incompatible', '1.2.3', 'v1.2-pre', 'v01.2.3', 'v1.2.3-01', ''].map(go.scheme.invalid), [
    undefined,
    "must start with 'v' (v1.2.3)",
    'pre-release or build suffix needs a full vMAJOR.MINOR.PATCH',
    'numbers must not have leading zeros',
    'expected vMAJOR[.MINOR[.PATCH]][-pre][+build] with identifiers of [0-9A-Za-z-]',
    'version string is empty',
  ]);
  assert.deepStrictEqual(go.parse('v1.2'), { major: '1', minor: '2', patch: '0', prerelease: [], build: '' });
  assert.deepStrictEqual(
    ['v0.0.0-20240101120000-abcdef123456', 'v1.2.4-0.20240101120000-abcdef123456', 'v1.2.4-rc.0.20240101120000-abcdef123456', 'v1.2.4-rc.1'].map(go.isPseudoVersion),
    [true, true, true, false],
  );
});
