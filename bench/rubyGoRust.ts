/**
 * The Ruby, Go and Rust manifest rows of the benchmark: Pinwatch's reading of a generated Gemfile.lock (5,000
 * specs), go.mod (5,000 requirements) and Cargo.toml (2,000 dependencies) against a plain line split and parse of
 * the same text (the floor: `text.split('\n')` and one regular expression per line), timed alternately in this
 * process, medians of the runs. Target: the Gemfile.lock read within 2× its floor.
 *
 * Imported by bench/bench.ts, which calls `benchRubyGoRust`.
 */
import { analyze } from '../server/src/engine';
import { cargoToml } from '../server/src/formats/cargoToml';
import { gemfileLock } from '../server/src/formats/gemfileLock';
import { goMod } from '../server/src/formats/goMod';
import { defaultSettings } from '../server/src/model';

/** A Gemfile.lock with `count` GEM specs, two dependency lines each, a GIT section and the trailing sections. */
export function generateGemfileLock(count: number): string {
  const name = (i: number): string => `gem-${i}${i % 5 === 0 ? '_rb' : ''}`;
  const version = (i: number): string => `${i % 9}.${i % 23}.${i % 7}`;
  const out = ['GIT', '  remote: https://github.com/example/tool.git', '  revision: 0123456789abcdef0123456789abcdef01234567', '  specs:', '    tool (1.0.0)', '', 'GEM', '  remote: https://rubygems.org/', '  specs:'];
  for (let i = 0; i < count; i++) {
    out.push(`    ${name(i)} (${version(i)}${i % 11 === 0 ? '-x86_64-linux' : ''})`);
    for (const j of [i + 1, i + 7]) if (j < count) out.push(`      ${name(j)} (~> ${version(j)})`);
  }
  out.push('', 'PLATFORMS', '  ruby', '  x86_64-linux', '', 'DEPENDENCIES');
  for (let i = 0; i < count; i += 10) out.push(`  ${name(i)} (~> ${version(i)})`);
  out.push('', 'BUNDLED WITH', '   2.5.3', '');
  return out.join('\n');
}

/** A go.mod with `count` requirements in one block, a tenth of them indirect. */
export function generateGoMod(count: number): string {
  const out = ['module example.com/app', '', 'go 1.22', '', 'require ('];
  for (let i = 0; i < count; i++) out.push(`\tgithub.com/org${i % 97}/mod-${i} v${i % 4}.${i % 31}.${i % 13}${i % 10 === 0 ? ' // indirect' : ''}`);
  out.push(')', '');
  return out.join('\n');
}

/** A Cargo.toml with `count` dependencies: strings, inline tables and target tables. */
export function generateCargoToml(count: number): string {
  const out = ['[package]', 'name = "app"', 'version = "0.1.0"', '', '[dependencies]'];
  for (let i = 0; i < count; i++) {
    if (i === Math.floor(count / 2)) out.push('', "[target.'cfg(unix)'.dependencies]");
    out.push(i % 3 === 0 ? `crate-${i} = { version = "${i % 5}.${i % 17}", features = ["a", "b"], default-features = false }` : `crate-${i} = "${i % 5}.${i % 17}.${i % 3}"`);
  }
  return `${out.join('\n')}\n`;
}

// The floors: what reading the same lines takes with no grammar at all.
const specLine = /^ {4}([^ (]+) \(([^)-]+)/;
const requireLine = /^\t(\S+) (v\S+)/;
const cargoLine = /^([A-Za-z0-9_-]+) = (?:"([^"]*)"|\{ version = "([^"]*)")/;
const floor = (pattern: RegExp) => (text: string) => () => {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = pattern.exec(line);
    if (m) out.push(m[2] ?? m[3] ?? '');
  }
  return out;
};

/** Runs the rows and prints them with the verdict. */
export function benchRubyGoRust(): void {
  const inputs = [
    { label: 'Gemfile.lock, 5,000 specs', path: '/bench/Gemfile.lock', text: generateGemfileLock(5000), read: (t: string, p: string) => () => gemfileLock.extract(t, p), floor: floor(specLine) },
    { label: 'go.mod, 5,000 requires', path: '/bench/go.mod', text: generateGoMod(5000), read: (t: string, p: string) => () => goMod.extract(t, p), floor: floor(requireLine) },
    { label: 'Cargo.toml, 2,000 dependencies', path: '/bench/Cargo.toml', text: generateCargoToml(2000), read: (t: string, p: string) => () => cargoToml.extract(t, p), floor: floor(cargoLine) },
  ];
  const rows: string[][] = [];
  const verdicts: string[] = [];
  for (const input of inputs) {
    const base = input.floor(input.text);
    const tools: Array<[string, () => unknown]> = [['extract', input.read(input.text, input.path)], ['pinwatch analyze', () => analyze(input.path, input.text, defaultSettings, {})]];
    for (const [tool, run] of tools) {
      const { ms, floorMs, runs } = timed(run, base);
      rows.push([`${input.label} (${Math.round(input.text.length / 1024)} KB)`, tool, ms.toFixed(2), floorMs.toFixed(2), `${(ms / floorMs).toFixed(2)}×`, String(runs)]);
      if (input.label.startsWith('Gemfile.lock')) verdicts.push(`${input.label}: ${tool} is ${(ms / floorMs).toFixed(2)}× the line split and parse (target ≤ 2×): ${ms / floorMs <= 2 ? 'met' : 'NOT met'}`);
    }
  }
  console.log('\nRuby, Go and Rust manifests (in this process; the floor is text.split and one regular expression per line):');
  const header = ['input', 'tool', 'median ms', 'floor ms', 'ratio', 'runs'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]): string => cells.map((cell, column) => (/^[\d.,×]+$/.test(cell) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.log(line(row));
  for (const verdict of verdicts) console.log(verdict);
}

/** Warms up, then times `run` and `base` alternately (at least 9 runs each, up to 1 s): the median of each. */
function timed(run: () => unknown, base: () => unknown): { ms: number; floorMs: number; runs: number } {
  for (let i = 0; i < 10; i++) run(), base();
  const times: number[] = [];
  const floors: number[] = [];
  const start = performance.now();
  while (times.length < 9 || (times.length < 101 && performance.now() - start < 1000)) {
    let t0 = performance.now();
    run();
    times.push(performance.now() - t0);
    t0 = performance.now();
    base();
    floors.push(performance.now() - t0);
  }
  return { ms: median(times), floorMs: median(floors), runs: times.length };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
