// Every scheme's compare is a total order on any input, valid or not: antisymmetric, reflexive and transitive
// (checked on random versions, sorted and then compared pairwise). PINWATCH_VERSION_SEED=N replays a seed.
// The one exception is pacman's vercmp itself, which is not transitive on strings that start with a separator
// ('^-' < '1' < '*alpha' < '^-'); alpm.ts reproduces that (see alpm.test.ts), so alpm is checked for the rest.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { schemes } from '../../../server/src/versions/index';
import { prng } from './randomVersions';

const seed = Number(process.env.PINWATCH_VERSION_SEED ?? 20240329);
const pieces = ['0', '1', '2', '10', '01', '00', '.', '.', '-', '_', '+', '~', '^', ':', '!', '*', 'a', 'b', 'rc', 'dev', 'post', 'alpha', 'pre', 'p', 'r', 'v', 'A', 'é', 'git', '-r1', '+incompatible', 'v1.2.3'];

/** Random short strings built from the pieces every scheme cares about, valid or not. */
function randomVersions(count: number): string[] {
  const random = prng(seed);
  const out = ['', '0', '1', '1.0', 'v1.0.0'];
  while (out.length < count) {
    const n = 1 + Math.floor(random() * 6);
    let v = random() < 0.8 ? String(Math.floor(random() * 3)) : '';
    for (let i = 0; i < n; i++) v += pieces[Math.floor(random() * pieces.length)]!;
    out.push(v);
  }
  return out;
}

for (const scheme of Object.values(schemes)) {
  test(`${scheme.name}: compare is a total order, even on invalid versions`, () => {
    const versions = randomVersions(300);
    const problems: string[] = [];
    for (const a of versions) {
      if (scheme.compare(a, a) !== 0) problems.push(`not reflexive: '${a}'`);
      for (const b of versions) {
        if (Math.sign(scheme.compare(a, b)) !== -Math.sign(scheme.compare(b, a))) problems.push(`not antisymmetric: '${a}' '${b}'`);
      }
    }
    if (scheme.name === 'alpm') return assert.deepStrictEqual(problems.slice(0, 10), [], `seed ${seed}`);
    const sorted = [...versions].sort(scheme.compare);
    for (let i = 0; i < sorted.length; i++) {
      for (let j = i + 1; j < sorted.length; j++) {
        if (scheme.compare(sorted[i]!, sorted[j]!) > 0) problems.push(`not transitive: '${sorted[i]}' sorts before '${sorted[j]}' yet compares greater`);
      }
    }
    assert.deepStrictEqual(problems.slice(0, 10), [], `seed ${seed}`);
  });
}
