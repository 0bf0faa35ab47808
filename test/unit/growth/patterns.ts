/**
 * The hostile inputs of the growth tests: each builds, for a scale factor, a file whose reading was once quadratic
 * (or worse) in its size, and says how to read it. Shared by test/unit/growth/*.test.ts and bench/growth.ts.
 */
import assert from 'node:assert/strict';
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { test } from 'node:test';
import { analyzeFile } from '../../../server/src/engine';
import { apkbuild } from '../../../server/src/formats/apkbuild';
import { cargoLock } from '../../../server/src/formats/cargoLock';
import { dockerfile } from '../../../server/src/formats/dockerfile';
import { pkgbuild } from '../../../server/src/formats/pkgbuild';
import { defaultSettings } from '../../../server/src/model';

/** A pathological input family: its name, the file at a scale, and the reading that is timed. */
export interface Pattern {
  name: string;
  /** The defect of the issue "Total and linear on hostile input" that made it slow. */
  defect: 2 | 5 | 7 | 8 | 9;
  /** The text at scale `n` (1, 2, 4, 8, 16); the 1× text is big enough to take a few milliseconds. */
  build(n: number): string;
  /** Reads the text as Pinwatch would; returns something so the work is not optimised away. */
  read(text: string): unknown;
}

const readApkbuild = (text: string): unknown => apkbuild.extract(text, '/r/APKBUILD');
const readPkgbuild = (text: string): unknown => pkgbuild.extract(text, '/r/PKGBUILD');
const readDockerfile = (text: string): unknown => dockerfile.extract(text, '/r/Dockerfile');
const readCargoLock = (text: string): unknown => cargoLock.extract(text, '/r/Cargo.lock');
/** Artifacts are matched against the advisories in the engine, so URL patterns time the whole analysis. */
const analyzeDockerfile = (text: string): unknown => analyzeFile('/r/Dockerfile', text, defaultSettings);

const recipeHead = 'pkgname=x\npkgver=1\npkgrel=0\n';

/** Every pattern the issue "Total and linear on hostile input" lists, by defect. */
export const patterns: readonly Pattern[] = [
  // Defect 2: a value that doubles on each line.
  { defect: 2, name: 'APKBUILD a=$a$a doubling', build: (n) => `depends="xz-libs=5.6.1-r1"\na=x\n${'a=$a$a\n'.repeat(18 * n)}`, read: readApkbuild },
  // Defect 5: runs of slashes that do not end a URL.
  { defect: 5, name: 'Dockerfile ADD http://h////…x', build: (n) => `FROM alpine:3.19\n${`ADD http://h${'/'.repeat(1500 * n)}x /tmp/\n`.repeat(4)}`, read: analyzeDockerfile },
  { defect: 5, name: 'Dockerfile RUN curl https://h////…x', build: (n) => `FROM alpine:3.19\n${`RUN curl -O https://h${'/'.repeat(1500 * n)}x\n`.repeat(4)}`, read: analyzeDockerfile },
  { defect: 5, name: 'Dockerfile RUN git clone https://h////…x', build: (n) => `FROM alpine:3.19\n${`RUN git clone --branch v1 https://h/o/r${'/'.repeat(1500 * n)}x\n`.repeat(4)}`, read: analyzeDockerfile },
  { defect: 5, name: 'PKGBUILD source=(https://h////…x)', build: (n) => `${recipeHead}source=(${`"https://h${'/'.repeat(500 * n)}x" `.repeat(8)})\n`, read: (text) => analyzeFile('/r/PKGBUILD', text, defaultSettings) },
  // Defect 7: words of one RUN. Four RUNs, not one four times as long: dockerfile-ast's own parse grows faster than
  // an instruction's length (about 20 times from 6 KB to 96 KB), which is not what these tests are about.
  { defect: 7, name: 'Dockerfile RUN if if if …', build: (n) => `FROM alpine:3.19\n${`RUN ${'if '.repeat(500 * n)}true\n`.repeat(4)}`, read: readDockerfile },
  { defect: 7, name: 'Dockerfile RUN a=1 a=1 … true', build: (n) => `FROM alpine:3.19\n${`RUN ${'a=1 '.repeat(500 * n)}true\n`.repeat(4)}`, read: readDockerfile },
  { defect: 7, name: 'Dockerfile RUN a=1 a=1 …', build: (n) => `FROM alpine:3.19\n${`RUN ${'a=1 '.repeat(500 * n)}\n`.repeat(4)}`, read: readDockerfile },
  { defect: 7, name: 'Dockerfile RUN echo -n -n …', build: (n) => `FROM alpine:3.19\n${`RUN echo ${'-n '.repeat(500 * n)}x | xargs true\n`.repeat(4)}`, read: readDockerfile },
  { defect: 7, name: 'Dockerfile RUN echo $P$P…', build: (n) => `FROM alpine:3.19\nARG P="a b"\n${`RUN echo ${'$P'.repeat(500 * n)}\n`.repeat(4)}`, read: readDockerfile },
  // The split read (dockerText.ts): many instructions, some blanked and some parsed; the blanking once looked each
  // instruction up among those kept.
  { defect: 7, name: 'Dockerfile RUN, COPY, ENV … many instructions', build: (n) => `FROM alpine:3.19\n${'RUN a\nCOPY x y\nENV A=1\n'.repeat(1000 * n)}`, read: readDockerfile },
  // Defect 8: recipe scanning.
  { defect: 8, name: 'APKBUILD { { { … nesting', build: (n) => `${recipeHead}${'{ '.repeat(1000 * n)}${'}\n'.repeat(1000 * n)}`, read: readApkbuild },
  { defect: 8, name: 'APKBUILD { a=1; { a=1; … nesting', build: (n) => `${recipeHead}${'{ a=1; '.repeat(1000 * n)}\n`, read: readApkbuild },
  { defect: 8, name: 'APKBUILD f() { { … a=1; … nesting', build: (n) => `${recipeHead}f() {\n${'{ a=1; '.repeat(1000 * n)}\n`, read: readApkbuild },
  { defect: 8, name: 'APKBUILD a+=(x) repeats', build: (n) => `${recipeHead}${'a+=(x)\n'.repeat(1000 * n)}`, read: readApkbuild },
  { defect: 8, name: 'PKGBUILD a+=x onto an array', build: (n) => `${recipeHead}a=()\n${'a+=x\n'.repeat(1000 * n)}`, read: readPkgbuild },
  { defect: 8, name: 'APKBUILD a=$a. chain', build: (n) => `${recipeHead}a=x\n${'a=$a.\n'.repeat(500 * n)}`, read: readApkbuild },
  { defect: 8, name: 'PKGBUILD source=({{{…}}}) braces', build: (n) => `${recipeHead}source=(${'{'.repeat(4000 * n)}${'}'.repeat(4000 * n)} x{a,b})\n`, read: readPkgbuild },
  { defect: 8, name: 'APKBUILD depends=x=$v1$v2… distinct variables', build: (n) => `${Array.from({ length: 500 * n }, (_, i) => `v${i}=1\n`).join('')}depends="x=${Array.from({ length: 500 * n }, (_, i) => `$v${i}`).join('')}"\n`, read: readApkbuild },
  { defect: 8, name: 'APKBUILD depends=x=$v … fields', build: (n) => `${recipeHead}v=1\n${'b=1\n'.repeat(500 * n)}depends="${'x=$v '.repeat(500 * n)}"\n`, read: readApkbuild },
  // Defect 9: malformed Cargo.lock lines.
  { defect: 9, name: 'Cargo.lock a = [[[… lines', build: (n) => 'a = [[[[[[[[x\n'.repeat(4000 * n), read: readCargoLock },
];

/** The patterns of one defect. */
export function patternsOf(defect: Pattern['defect']): Pattern[] {
  return patterns.filter((p) => p.defect === defect);
}

/** One timed trial: when it ran, and how many readings it made. */
interface Trial {
  start: number;
  end: number;
  readings: number;
  large: boolean;
}

function trial(pattern: Pattern, text: string, readings: number, large: boolean): Trial {
  const start = performance.now();
  for (let i = 0; i < readings; i++) pattern.read(text);
  return { start, end: performance.now(), readings, large };
}

/**
 * How much longer the 16× input takes than the 1× input, measured in the same run: the best of seven trials of each,
 * taken in turns, so that a loaded machine slows both alike and a ratio, not a time, is compared. A 1× trial reads
 * its text as many times in a row as make one 16× reading (16 times for linear work), so both sides do about the
 * same work and neither is timed below the clock's resolution. The garbage collector's pauses are not counted:
 * what the collector costs grows with how much data stays alive while the large text is read, which a small text
 * never reaches, so counting it would charge one side only; a quadratic algorithm shows in its own time.
 */
export async function growth(pattern: Pattern): Promise<{ small: number; large: number; ratio: number }> {
  const pauses: { start: number; end: number }[] = [];
  const add = (entries: readonly PerformanceEntry[]): void => {
    for (const e of entries) pauses.push({ start: e.startTime, end: e.startTime + e.duration });
  };
  const observer = new PerformanceObserver((list) => add(list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  const smallText = pattern.build(1);
  const largeText = pattern.build(16);
  // Both texts are read before timing, so that the optimised code is not tuned to the small text alone.
  const largeOnce = trial(pattern, largeText, 1, true);
  const smallOnce = trial(pattern, smallText, 4, false);
  // As many 1× readings as make one 16× reading: 16 for a linear pattern, fewer where the work is bounded.
  const perReading = (t: Trial): number => (t.end - t.start) / t.readings;
  const readings = Math.min(16, Math.max(1, Math.round(perReading(largeOnce) / perReading(smallOnce))));
  const trials: Trial[] = [];
  for (let i = 0; i < 7; i++) trials.push(trial(pattern, smallText, readings, false), trial(pattern, largeText, 1, true));
  // Node hands the collector's entries to JavaScript from its check phase: once a turn of it has run, those of the
  // trials are in the observer's buffer, which `takeRecords` empties (any the callback got first are in already).
  await new Promise((resolve) => setImmediate(resolve));
  add(observer.takeRecords());
  observer.disconnect();
  const paused = (t: Trial): number => pauses.reduce((sum, p) => sum + Math.max(0, Math.min(p.end, t.end) - Math.max(p.start, t.start)), 0);
  const best = (large: boolean): number => Math.min(...trials.filter((t) => t.large === large).map((t) => (t.end - t.start - paused(t)) / t.readings));
  const small = best(false);
  const large = best(true);
  return { small, large, ratio: large / small };
}

/** Linear reading takes about 16 times as long on 16 times the input; this leaves room for noise, not for n². */
export const maxRatio = 24;

/**
 * Registers one test per pattern of a defect: the 16× input takes at most `maxRatio` times the 1× input. A ratio over
 * the bound is measured again, up to three times in all, since other work on a shared machine can slow one trial
 * throughout; a quadratic reading is over the bound every time (its ratio is near 256), a linear one hardly ever.
 */
export function testGrowth(defect: Pattern['defect']): void {
  for (const pattern of patternsOf(defect)) {
    test(`reads ${pattern.name} in time linear in its size`, async (t) => {
      let measured = await growth(pattern);
      for (let attempt = 1; attempt < 3 && measured.ratio > maxRatio; attempt++) {
        t.diagnostic(`measured again after a ratio of ${measured.ratio.toFixed(1)}`);
        measured = await growth(pattern);
      }
      const { small, large, ratio } = measured;
      t.diagnostic(`1×: ${small.toFixed(2)} ms, 16×: ${large.toFixed(2)} ms, ratio ${ratio.toFixed(1)}`);
      assert.ok(ratio <= maxRatio, `16× the input took ${large.toFixed(1)} ms, ${ratio.toFixed(1)} times the ${small.toFixed(1)} ms of 1×`);
    });
  }
}
