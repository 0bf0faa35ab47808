// Differential tests: random pairs from each scheme's grammar, ordered by Pinwatch and by the package manager's
// own tool (dpkg, rpm, pacman's vercmp; RubyGems' Gem::Version, pip's `packaging` and Maven's ComparableVersion for
// the libraries' schemes);
// zero disagreements allowed. PINWATCH_VERSION_SEED=N replays a seed.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import * as alpm from '../../../server/src/versions/alpm';
import * as dpkg from '../../../server/src/versions/dpkg';
import * as maven from '../../../server/src/versions/maven';
import * as pep440 from '../../../server/src/versions/pep440';
import * as rpm from '../../../server/src/versions/rpm';
import * as rubygems from '../../../server/src/versions/rubygems';
import type { Scheme } from '../../../server/src/versions/scheme';
import { opOf } from './helpers';
import { type Answer, dpkgAnswers, gemAnswers, mavenAnswers, missing, packagingAnswers, rpmAnswers, vercmpAnswers } from './oracles';
import { alpmVersion, dpkgVersion, gemVersion, mavenVersion, pairs, pep440Version, rpmVersion } from './randomVersions';

const seed = Number(process.env.PINWATCH_VERSION_SEED ?? 20240329);

interface Case {
  readonly tool: string;
  /** Pairs per run: rpm, ruby and python answer from one process; dpkg and vercmp cost a process a pair. */
  readonly count: number;
  readonly generate: Parameters<typeof pairs>[2];
  readonly alphabet: string;
  readonly oracle: (p: Array<[string, string]>) => Promise<Answer[]>;
  readonly ours: (a: string, b: string) => Answer;
}

const cases: Readonly<Record<string, Case>> = {
  dpkg: {
    tool: 'dpkg',
    count: 10_000,
    generate: dpkgVersion,
    alphabet: '0123456789.~+-:aZ',
    oracle: dpkgAnswers,
    ours: checked(dpkg.scheme),
  },
  rpm: { tool: 'rpm', count: 100_000, generate: rpmVersion, alphabet: '0123456789.~^_+-:aZ', oracle: rpmAnswers, ours: (a, b) => opOf(rpm.compare(a, b)) },
  alpm: { tool: 'vercmp', count: 10_000, generate: alpmVersion, alphabet: '0123456789._+-:~aZ', oracle: vercmpAnswers, ours: (a, b) => opOf(alpm.compare(a, b)) },
  rubygems: { tool: 'ruby', count: 50_000, generate: gemVersion, alphabet: '0123456789.-aZ', oracle: gemAnswers, ours: checked(rubygems.scheme) },
  maven: { tool: 'maven', count: 20_000, generate: mavenVersion, alphabet: '0123456789.-abmrcsp', oracle: mavenAnswers, ours: (a, b) => opOf(maven.compare(a, b)) },
  pep440: { tool: 'python3-packaging', count: 50_000, generate: pep440Version, alphabet: '0123456789.-_+!abcrv', oracle: packagingAnswers, ours: checked(pep440.scheme) },
};

/** Our answer where the tool rejects invalid versions: `!` when either version is invalid, else the order. */
function checked(scheme: Scheme): (a: string, b: string) => Answer {
  return (a, b) => (scheme.invalid(a) !== undefined || scheme.invalid(b) !== undefined ? '!' : opOf(scheme.compare(a, b)));
}

for (const [name, c] of Object.entries(cases)) {
  test(`${name}: agrees with ${c.tool} on ${c.count} random pairs (seed ${seed})`, async (t: TestContext) => {
    const why = missing(c.tool);
    if (why) {
      // A missing oracle is a skip on a developer's machine and a failure in CI, where .ci/run installs it.
      if (process.env.CI) assert.fail(`${why}; CI must install it`);
      return t.skip(why);
    }
    const list = pairs(seed, c.count, c.generate, c.alphabet);
    const started = performance.now();
    const theirs = await c.oracle(list);
    const toolMs = performance.now() - started;
    const disagreements = list
      .map(([a, b], i) => ({ a, b, tool: theirs[i], ours: c.ours(a, b) }))
      .filter((d) => d.tool !== d.ours);
    const counts = { '<': 0, '=': 0, '>': 0, '!': 0 };
    for (const answer of theirs) counts[answer]++;
    t.diagnostic(`${name}: ${c.count} pairs, seed ${seed}, ${c.tool} took ${Math.round(toolMs)} ms, answers ${JSON.stringify(counts)}, ${disagreements.length} disagreements`);
    assert.deepStrictEqual(disagreements.slice(0, 20), [], `seed ${seed}: first disagreements with ${c.tool}`);
  });
}
