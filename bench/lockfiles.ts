/**
 * Generated npm lockfiles for the benchmark and the size tests: deterministic (a fixed-seed generator), shaped like
 * what npm writes (v3, two-space indent, resolved and integrity on every entry, nested node_modules), and free of
 * any compromised release unless the caller plants one.
 */

/** A generated lockfile and the package.json it belongs to. */
export interface GeneratedLock {
  packageJson: string;
  lockfile: string;
  /** How many entries `packages` holds besides the root "". */
  entries: number;
}

/** A lockfile with `count` installed packages (about one in ten nested under another), the same for the same count. */
export function generateLockfile(count: number): GeneratedLock {
  const random = seeded(20240329);
  let topLevel = Math.max(1, count);
  while (topLevel > 1 && topLevel + nestedCount(topLevel) > count) topLevel--;
  const names = Array.from({ length: topLevel }, (_, i) => (i % 7 === 3 ? `@scope${i % 13}/lib-${i}` : `pkg-${i}`));
  const versions = names.map((_, i) => `${1 + (i % 5)}.${i % 17}.${i % 3}`);
  const rootDependencies: Record<string, string> = {};
  for (let i = 0; i < Math.min(topLevel, 40); i++) rootDependencies[names[i]!] = `^${versions[i]}`;
  const packages: Record<string, unknown> = {
    '': { name: 'generated-app', version: '1.0.0', license: 'MIT', dependencies: rootDependencies },
  };
  for (let i = 0; i < topLevel; i++) {
    const dependencies: Record<string, string> = {};
    // A heap-shaped tree keeps every package reachable from the root, as in npm's own lockfiles.
    for (const j of [2 * i + 1, 2 * i + 2, (i * 31 + 7) % topLevel]) {
      if (j > i && j < topLevel) dependencies[names[j]!] = `^${versions[j]}`;
    }
    const name = names[i]!;
    let nested: [string, Record<string, unknown>] | undefined;
    if (hasNested(i, topLevel)) {
      // A dependency on another major than the top-level copy: npm nests that copy under the dependent.
      const other = names[i + 3]!;
      const version = `${9 + (i % 4)}.0.${i % 7}`;
      dependencies[other] = `^${version}`;
      nested = [`node_modules/${name}/node_modules/${other}`, entry(other, version, {}, random)];
    }
    packages[`node_modules/${name}`] = entry(name, versions[i]!, dependencies, random);
    if (nested) packages[nested[0]] = nested[1];
  }
  const lock = { name: 'generated-app', version: '1.0.0', lockfileVersion: 3, requires: true, packages };
  const packageJson = { name: 'generated-app', version: '1.0.0', private: true, dependencies: rootDependencies };
  return {
    packageJson: `${JSON.stringify(packageJson, null, 2)}\n`,
    lockfile: `${JSON.stringify(lock, null, 2)}\n`,
    entries: topLevel + nestedCount(topLevel),
  };
}

function hasNested(i: number, topLevel: number): boolean {
  return i % 10 === 5 && i + 3 < topLevel;
}

/** How many of `topLevel` packages get a nested copy of another: those with i % 10 === 5 and i + 3 < topLevel. */
function nestedCount(topLevel: number): number {
  const last = topLevel - 4;
  return last >= 5 ? Math.floor((last - 5) / 10) + 1 : 0;
}

/** A lockfile of about `bytes` characters, by generating enough packages (for the size tests). */
export function generateLockfileOfSize(bytes: number): GeneratedLock {
  // Measured: a generated entry takes about 370 characters of pretty-printed JSON.
  return generateLockfile(Math.max(1, Math.ceil(bytes / 370)));
}

function entry(name: string, version: string, dependencies: Record<string, string>, random: () => number): Record<string, unknown> {
  const unscoped = name.slice(name.indexOf('/') + 1);
  const value: Record<string, unknown> = {
    version,
    resolved: `https://registry.npmjs.org/${name}/-/${unscoped}-${version}.tgz`,
    integrity: `sha512-${base64(random, 86)}==`,
    license: random() < 0.8 ? 'MIT' : 'ISC',
  };
  if (Object.keys(dependencies).length > 0) value.dependencies = dependencies;
  if (random() < 0.3) value.engines = { node: '>=14' };
  return value;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function base64(random: () => number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[Math.floor(random() * 64)];
  return out;
}

/** A small fixed-seed generator (mulberry32), so that every run benchmarks the same text. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
