// The schemes without an oracle on this machine: Gentoo (PMS), conda and the generic upstream order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as conda from '../../../server/src/versions/conda';
import * as generic from '../../../server/src/versions/generic';
import * as gentoo from '../../../server/src/versions/gentoo';
import { ordered } from './helpers';

test('gentoo: orders as the PMS algorithm does', () => {
  const cases = [
    '5.6.1 > 5.6.0',
    '5.4.6 < 5.6.0',
    '1.0_alpha < 1.0_beta',
    '1.0_beta < 1.0_pre',
    '1.0_pre < 1.0_rc',
    '1.0_rc < 1.0',
    '1.0 < 1.0_p1',
    '1.0_rc1 < 1.0_rc2',
    '1.0_alpha_p1 > 1.0_alpha',
    '1.0_alpha1_beta < 1.0_alpha1',
    '1.0_p = 1.0_p0',
    '1.0 < 1.0a',
    '1.0a < 1.0.1',
    '1.01 < 1.1',
    '1.1 < 1.10',
    '1.010 = 1.01',
    '1.0 = 1.00',
    '1.0-r1 > 1.0',
    '1.0-r0 = 1.0',
    '1.2.3 > 1.2',
    '1.0_foo < 0',
  ];
  assert.deepStrictEqual(ordered(gentoo.compare, cases), cases);
  assert.deepStrictEqual(['1.0_rc1-r2', '', 'a1', '1.0_foo', '1.0-2', '1.0AB'].map(gentoo.scheme.invalid), [
    undefined,
    'version string is empty',
    'must start with a digit',
    "unknown suffix '_foo' (alpha, beta, pre, rc, p)",
    "'-' may only start a final revision -rN",
    'expected N(.N)*[letter](_suffix[N])*[-rN]',
  ]);
  assert.deepStrictEqual(gentoo.parse('5.6.1b_rc2_p-r3'), {
    numbers: ['5', '6', '1'],
    letter: 'b',
    suffixes: [
      { name: 'rc', number: '2' },
      { name: 'p', number: '' },
    ],
    revision: '3',
  });
});

test("conda: orders conda's documented example list as VersionOrder does", () => {
  // From conda's VersionOrder documentation, in order; '=' marks equal neighbours.
  const chain = [
    '0.4', '=0.4.0', '0.4.1.rc', '=0.4.1.RC', '0.4.1', '0.5a1', '0.5b3', '0.5C1', '0.5', '0.9.6', '0.960923', '1.0',
    '1.1dev1', '1.1_', '1.1a1', '1.1.0dev1', '=1.1.dev1', '1.1.a1', '1.1.0rc1', '1.1.0', '=1.1', '1.1.0post1',
    '=1.1.post1', '1.1post1', '1996.07.12', '1!0.4.1', '1!3.1.1.6', '2!0.4.1',
  ];
  const cases = chain.slice(1).map((v, i) => `${chain[i]!.replace(/^=/, '')} ${v.startsWith('=') ? '=' : '<'} ${v.replace(/^=/, '')}`);
  assert.deepStrictEqual(ordered(conda.compare, cases), cases);
  assert.deepStrictEqual(['1.0-1', '', '1!2!3', 'a!1', '1+2+3', '+1', '1..2', '1 2'].map(conda.scheme.invalid), [
    undefined,
    'empty version string',
    "duplicated epoch separator '!'",
    'epoch must be an integer',
    "duplicated local version separator '+'",
    "missing version before local version separator '+'",
    'empty version component',
    'invalid character(s)',
  ]);
  assert.deepStrictEqual(conda.parse('1!2.3a+4'), { version: [[1], [2], [3, 'a']], local: [[4]] });
});

test('generic: numbers by value, pre-release words before the end, other words after it', () => {
  const cases = [
    '5.6.1 < 5.6.2',
    '5.6.1+really5.4.5 > 5.6.1',
    '1.10 > 1.9',
    '1.0rc1 < 1.0',
    '1.0.dev1 < 1.0.alpha1',
    '1.0-beta2 < 1.0-rc1',
    '1.0-RC1 = 1.0rc1',
    '1.0 < 1.0a',
    '1.0a < 1.0.1',
    '1.0 < 1.0.0',
    'v1.2 = 1.2',
    '1.2.3 = 1-2-3',
    '1.010 = 1.10',
    "'' < 0",
    'latest < 0',
  ];
  assert.deepStrictEqual(ordered(generic.compare, cases), cases);
  assert.deepStrictEqual(['1.0', '', 'latest', '1 2'].map(generic.scheme.invalid), [
    undefined,
    'version string is empty',
    'version string has no digit',
    'version string has whitespace',
  ]);
  assert.deepStrictEqual(generic.parse('v5.6.1-rc2'), [
    { kind: 'number', text: '5' },
    { kind: 'number', text: '6' },
    { kind: 'number', text: '1' },
    { kind: 'pre', text: 'rc' },
    { kind: 'number', text: '2' },
  ]);
});
