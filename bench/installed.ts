/**
 * The SBOM and installed-package rows of the benchmark: Pinwatch's whole analysis of a generated 20,000-component
 * CycloneDX JSON against `JSON.parse` of it, and of a generated 5,000-stanza dpkg status against splitting it into
 * stanzas (target: at most 2× each), plus this machine's own /var/lib/dpkg/status when there is one. Each row warms
 * up, then reports the median of its runs, in this process (the inputs are a few megabytes).
 *
 * Imported by bench/bench.ts, which calls `benchInstalled`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { analyzeFile } from '../server/src/engine';
import { defaultSettings } from '../server/src/model';

/** A CycloneDX 1.6 JSON SBOM of `count` components as generators write them (deb, npm and PyPI purls), one of them the compromised xz-utils. */
export function generateCycloneDx(count: number): string {
  const components = Array.from({ length: count }, (_, i) => {
    const kind = i % 3;
    const name = i === 1234 ? 'xz-utils' : kind === 0 ? `libpkg${i}` : kind === 1 ? `pkg-${i}` : `py-pkg-${i}`;
    const version = i === 1234 ? '5.6.1-1' : kind === 0 ? `${1 + (i % 9)}.${i % 17}-${1 + (i % 3)}` : `${1 + (i % 5)}.${i % 17}.${i % 3}`;
    const purl = kind === 0 || i === 1234 ? `pkg:deb/debian/${name}@${version}?arch=amd64&distro=debian-12` : kind === 1 ? `pkg:npm/${name}@${version}` : `pkg:pypi/${name}@${version}`;
    return {
      type: 'library',
      'bom-ref': `ref-${i}`,
      name,
      version,
      purl,
      licenses: [{ license: { id: 'MIT' } }],
      properties: [{ name: 'syft:package:foundBy', value: 'dpkg-db-cataloger' }],
    };
  });
  const dependencies = components.map((c, i) => ({ ref: c['bom-ref'], dependsOn: [components[(i + 1) % count]!['bom-ref']] }));
  return JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, metadata: { component: { type: 'container', name: 'image', version: '1.0' } }, components, dependencies }, null, 2);
}

/** A dpkg status of `count` installed stanzas as dpkg writes them, one of them the compromised liblzma5. */
export function generateDpkgStatus(count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = i === 2345 ? 'liblzma5' : `libpkg${i}`;
    const version = i === 2345 ? '5.6.1-1' : `${1 + (i % 9)}.${i % 17}-${1 + (i % 3)}`;
    out.push(
      `Package: ${name}`,
      'Status: install ok installed',
      'Priority: optional',
      'Section: libs',
      `Installed-Size: ${100 + i}`,
      'Maintainer: Debian Developers <debian-devel@lists.debian.org>',
      'Architecture: amd64',
      'Multi-Arch: same',
      `Version: ${version}`,
      'Depends: libc6 (>= 2.34)',
      `Description: generated package ${i}`,
      ' A longer description of the generated package, as dpkg keeps it,',
      ' over two continuation lines.',
      '',
    );
  }
  return out.join('\n');
}

/** The median time of `run` over enough runs to pass about a second, after a warm-up. */
function median(run: () => unknown): { ms: number; runs: number } {
  for (let i = 0; i < 3; i++) run();
  const times: number[] = [];
  const until = performance.now() + 1000;
  while (times.length < 5 || (performance.now() < until && times.length < 50)) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)]!, runs: times.length };
}

/** Runs the rows and prints them, with the verdicts against the targets. */
export function benchInstalled(): void {
  const rows: string[][] = [];
  const verdicts: string[] = [];
  const sbom = generateCycloneDx(20_000);
  const status = generateDpkgStatus(5000);
  const inputs: Array<{ label: string; path: string; text: string; floorName: string; floor: (text: string) => unknown }> = [
    { label: `CycloneDX JSON, 20000 components (${(sbom.length / 1e6).toFixed(1)} MB)`, path: '/bench/image/bom.json', text: sbom, floorName: 'JSON.parse', floor: (t) => JSON.parse(t) },
    { label: `dpkg status, 5000 stanzas (${(status.length / 1e6).toFixed(1)} MB)`, path: '/bench/root/var/lib/dpkg/status', text: status, floorName: "split('\\n\\n')", floor: (t) => t.split('\n\n') },
  ];
  if (existsSync('/var/lib/dpkg/status')) {
    const real = readFileSync('/var/lib/dpkg/status', 'utf8');
    inputs.push({ label: `this machine's dpkg status (${(real.length / 1e6).toFixed(1)} MB)`, path: '/bench/real/var/lib/dpkg/status', text: real, floorName: "split('\\n\\n')", floor: (t) => t.split('\n\n') });
  }
  for (const input of inputs) {
    const floor = median(() => input.floor(input.text));
    const findings = analyzeFile(input.path, input.text, defaultSettings).findings.length;
    const analysis = median(() => analyzeFile(input.path, input.text, defaultSettings));
    const ratio = analysis.ms / floor.ms;
    rows.push([input.label, input.floorName, floor.ms.toFixed(2), '1.00×', String(floor.runs), '']);
    rows.push([input.label, 'pinwatch analyze', analysis.ms.toFixed(2), `${ratio.toFixed(2)}×`, String(analysis.runs), String(findings)]);
    verdicts.push(`${input.label}: analyze is ${ratio.toFixed(2)}× ${input.floorName} (target ≤ 2×): ${ratio <= 2 ? 'met' : 'NOT met'}`);
  }
  console.log('\nSBOMs and installed-package databases:');
  const header = ['input', 'tool', 'median ms', 'vs floor', 'runs', 'findings'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const row of [header, widths.map((w) => '-'.repeat(w)), ...rows]) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
  for (const verdict of verdicts) console.log(verdict);
}
