import assert from 'node:assert/strict';
import { test } from 'node:test';
import { admits, lowerBound } from '../../../server/src/advisories/constraints';

test("RubyGems' pessimistic ~> bumps the last segment but one, a bare version is =, and clauses are ANDed", () => {
  const cases: Array<[string, string, boolean]> = [
    ['~> 1.6.10', '1.6.13', true],
    ['~> 1.6.10', '1.6.9', false],
    ['~> 1.6.10', '1.7.0', false],
    ['~> 1.6', '1.7.0', true],
    ['~> 1.6', '2.0', false],
    ['~> 1', '1.9', true],
    ['~> 1', '2.0', false],
    ['1.6.13', '1.6.13', true],
    ['1.6.13', '1.6.13.1', false],
    ['1.0, != 1.0', '1.0', false],
    ['>= 1.6, < 1.7', '1.6.12', true],
    ['>=1.6,<1.7', '1.7.0', false],
    ['!= 0.0.7', '0.0.7', false],
  ];
  assert.deepStrictEqual(cases.map(([c, v]) => [c, v, admits('RubyGems', c, v)]), cases);
  assert.deepStrictEqual(['~> 1.6.10', '>= 0.0.7, < 0.0.8', '1.0', '< 2'].map((c) => lowerBound('RubyGems', c)), ['1.6.10', '0.0.7', '1.0', undefined]);
});

test('Cargo requirements: a bare version is a caret requirement, clauses are separated by commas', () => {
  const cases: Array<[string, string, boolean]> = [
    ['0.3.1', '0.3.2', true],
    ['0.3.1', '0.4.0', false],
    ['0.3.1', '0.3.0', false],
    ['^0.3.1', '0.3.3', true],
    ['=0.3.1', '0.3.2', false],
    ['=0.3', '0.3.3', true],
    ['>=0.3.0, <0.3.3', '0.3.2', true],
    ['>=0.3.0, <0.3.3', '0.3.3', false],
    ['*', '0.3.1', true],
  ];
  assert.deepStrictEqual(cases.map(([c, v]) => [c, v, admits('crates.io', c, v)]), cases);
  assert.deepStrictEqual(['0.3.1', '>=0.3.0, <0.3.3'].map((c) => lowerBound('crates.io', c)), ['0.3.1', '0.3.0']);
});
