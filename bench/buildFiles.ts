/**
 * The C/C++ package manager and build file rows of the benchmark: each reader on a generated file of about 1 MB
 * that names a compromised source once, and on the same file with every xz mention renamed (what most files of a
 * tree are), where the prefilter skips the shell-script and Makefile parse. In this process: the median of 5 runs.
 */
import { analyzeFile } from '../server/src/engine';
import { defaultSettings } from '../server/src/model';

const url = 'https://github.com/tukaani-project/xz/releases/download/v5.6.1/xz-5.6.1.tar.gz';

/** Files of about `size` characters, built from a repeated unit, with one compromised source at the end. */
const inputs: Array<{ label: string; path: string; build(size: number): string }> = [
  { label: 'CMakeLists.txt', path: '/b/CMakeLists.txt', build: (size) => repeat(size, (i) => `set(V${i} "value ${i}")\nadd_library(lib${i} STATIC src/${i}.c) # comment ${i}\nFetchContent_Declare(dep${i} URL https://example.org/dep-${i}.tar.gz URL_HASH SHA256=${'0'.repeat(64)})\n`) + `FetchContent_Declare(xz URL ${url})\n` },
  { label: 'conanfile.py', path: '/b/conanfile.py', build: (size) => `class A(ConanFile):\n${repeat(size, (i) => `    def m${i}(self):\n        """Doc ${i}."""\n        self.requires("dep${i}/1.${i}.0")  # c\n`)}        self.requires("xz_utils/5.6.1")\n` },
  { label: 'conandata.yml', path: '/b/conandata.yml', build: (size) => `sources:\n${repeat(size, (i) => `  "1.${i}.0":\n    url: "https://example.org/dep-1.${i}.0.tar.gz"\n    sha256: "${'1'.repeat(64)}"\n`)}  "5.6.1":\n    url: "${url}"\n` },
  { label: 'WORKSPACE', path: '/b/WORKSPACE', build: (size) => repeat(size, (i) => `http_archive(\n    name = "dep${i}",\n    urls = ["https://example.org/dep-${i}.tar.gz"],\n    sha256 = "${'2'.repeat(64)}",\n)\n`) + `http_archive(name = "xz", url = "${url}")\n` },
  { label: 'vcpkg.json', path: '/b/vcpkg.json', build: (size) => `{"dependencies": [${repeat(size, (i) => `{"name": "dep${i}", "version>=": "1.${i}"},\n`)}{"name": "liblzma"}], "overrides": [{"name": "liblzma", "version": "5.6.0"}]}\n` },
  { label: 'Makefile', path: '/b/Makefile', build: (size) => `V${0} = 1\n${repeat(size, (i) => `t${i}: src/${i}.c\n\t$(CC) -c -o $@ $< -DV=$(V0) && echo built ${i}\n`)}xz:\n\tcurl -LO ${url}\n` },
  { label: 'build.sh', path: '/b/build.sh', build: (size) => `#!/bin/sh\n${repeat(size, (i) => `cc -c -o out/${i}.o src/${i}.c && echo "built ${i}" || exit 1\n`)}curl -LO ${url}\n` },
];

function repeat(size: number, unit: (i: number) => string): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < size; i++) {
    const part = unit(i);
    parts.push(part);
    length += part.length;
  }
  return parts.join('');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(path: string, text: string): { ms: number; findings: number } {
  let findings = 0;
  const runs: number[] = [];
  for (let i = 0; i < 6; i++) {
    const start = performance.now();
    findings = analyzeFile(path, text, defaultSettings).findings.length;
    if (i > 0) runs.push(performance.now() - start);
  }
  return { ms: median(runs), findings };
}

/** Prints the build file table. */
export function benchBuildFiles(): void {
  const rows: string[][] = [];
  for (const input of inputs) {
    const text = input.build(1_000_000);
    const named = time(input.path, text);
    // The same file with nothing an advisory knows: the prefilter's case for scripts and Makefiles.
    const plain = text.replace(/xz|tukaani|liblzma/g, 'qq');
    const unnamed = time(input.path, plain);
    const mb = text.length / 1e6;
    rows.push([input.label, `${mb.toFixed(2)} MB`, named.ms.toFixed(1), `${(mb / (named.ms / 1000)).toFixed(1)}`, String(named.findings), unnamed.ms.toFixed(1)]);
  }
  console.log('\nBuild files (analyzeFile in this process, median of 5 after a warm-up):');
  const header = ['file', 'size', 'ms', 'MB/s', 'findings', 'ms, nothing known named'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const row of [header, ...rows]) console.log(row.map((c, i) => c.padEnd(widths[i]!)).join('  '));
}

if (require.main === module) benchBuildFiles();
