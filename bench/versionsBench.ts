/**
 * The version-comparison benchmark: comparisons per second for each scheme, on a fixed set of realistic pairs
 * (the xz and npm versions Pinwatch compares most, and each scheme's own shapes). Imported by bench/bench.ts.
 */
import { schemes, type SchemeName } from '../server/src/versions/index';

/** Realistic pairs per scheme: the shapes that scheme's ecosystems publish. */
export const benchPairs: Readonly<Record<SchemeName, ReadonlyArray<readonly [string, string]>>> = {
  dpkg: [
    ['5.6.1+really5.4.5-1', '5.6.1-1'],
    ['5.6.1+really5.4.5-1ubuntu0.2', '5.6.0-0.2'],
    ['1:2.38.1-5+deb12u3', '1:2.38.1-5+deb12u2'],
    ['3.0.11-1~deb12u2', '3.0.11-1'],
    ['0:1.0', '1.0'],
  ],
  rpm: [
    ['5.4.6-3.fc40', '5.6.0-1.fc40'],
    ['5.6.1.revertto5.4-2.1', '5.6.1-1.1'],
    ['1:3.0.7-27.el9', '1:3.0.7-25.el9_3'],
    ['2.0~rc1-1', '2.0-1'],
    ['1.2^20240101git1234abc-1', '1.2-1'],
  ],
  apk: [
    ['5.6.1-r2', '5.6.1-r1'],
    ['5.6.1-r0', '5.4.5-r0'],
    ['3.1.4_p16-r0', '3.1.4-r0'],
    ['1.0.0_pre20191002222144-r0', '1.0.0_pre20210530193627-r0'],
    ['2.40.1_git20240101-r3', '2.40.1-r3'],
  ],
  alpm: [
    ['5.6.1-2', '5.6.1-1'],
    ['5.6.0-1', '5.4.6-1'],
    ['1:1.2.3-4', '1.2.3-4'],
    ['r123.abcdef-1', 'r122.fedcba-1'],
    ['6.8.9.arch1-1', '6.8.8.arch1-2'],
  ],
  semver: [
    ['5.6.1', '5.6.0'],
    ['4.4.2', '4.4.1'],
    ['1.0.0-beta.11', '1.0.0-beta.2'],
    ['20.0.3', '19.0.3'],
    ['0.3.3', '0.3.2'],
  ],
  pep440: [
    ['8.3.41', '8.3.42'],
    ['1.0rc1', '1.0'],
    ['2.0.post1', '2.0'],
    ['1!1.0', '2.0'],
    ['3.0.0.dev5', '3.0.0a1'],
  ],
  gentoo: [
    ['5.6.1', '5.6.0'],
    ['5.6.1-r1', '5.6.1'],
    ['1.0_rc1', '1.0'],
    ['1.0_p1', '1.0'],
    ['1.01', '1.1'],
  ],
  rubygems: [
    ['1.6.13', '1.6.9'],
    ['1.7.0', '1.6.13'],
    ['2.0.0.rc1', '2.0.0'],
    ['1.0-beta', '1.0'],
    ['7.1.3.4', '7.1.3'],
  ],
  go: [
    ['v1.2.3', 'v1.2.4'],
    ['v2.0.0+incompatible', 'v1.9.9'],
    ['v0.0.0-20240101120000-abcdef123456', 'v0.0.1'],
    ['v1.2.4-0.20240101120000-abcdef123456', 'v1.2.3'],
    ['v0.5.12', 'v0.5.11'],
  ],
  conda: [
    ['5.6.1', '5.6.0'],
    ['1.1dev1', '1.1a1'],
    ['1.1.0post1', '1.1'],
    ['1!0.4.1', '1996.07.12'],
    ['5.2.9', '5.6.3'],
  ],
  nuget: [
    ['13.0.3', '13.0.1'],
    ['8.0.0-rc.2.23479.6', '8.0.0'],
    ['1.0', '1.0.0.0'],
    ['2.1.0-Beta.1', '2.1.0-beta.2'],
    ['4.7.2+sha.abc', '4.7.2'],
  ],
  maven: [
    ['2.17.1', '2.17.0'],
    ['33.0.0-jre', '33.0.0-android'],
    ['5.3.31.RELEASE', '5.3.31'],
    ['1.0-SNAPSHOT', '1.0'],
    ['2.0.0-M1', '2.0.0-RC1'],
  ],
  generic: [
    ['5.6.1', '5.6.0'],
    ['5.6.0r529', '5.6.0'],
    ['1.0rc1', '1.0'],
    ['2024.03.29', '2024.03.28'],
    ['v1.2.3', '1.2.3'],
  ],
};

/** Measures each scheme: a warm-up, then as many passes over its pairs as fit in about 200 ms. */
export function benchVersions(): Array<{ scheme: string; comparisonsPerSecond: number }> {
  return (Object.keys(benchPairs) as SchemeName[]).map((name) => {
    const { compare } = schemes[name];
    const pairs = benchPairs[name];
    let sink = 0;
    const pass = (): void => {
      for (const [a, b] of pairs) sink += compare(a, b);
    };
    for (let i = 0; i < 2000; i++) pass();
    let comparisons = 0;
    const started = performance.now();
    let elapsed = 0;
    while (elapsed < 200) {
      for (let i = 0; i < 100; i++) pass();
      comparisons += 100 * pairs.length;
      elapsed = performance.now() - started;
    }
    // The sink keeps the comparisons from being optimised away.
    if (Number.isNaN(sink)) throw new Error('unreachable');
    return { scheme: name, comparisonsPerSecond: Math.round((comparisons / elapsed) * 1000) };
  });
}
