/**
 * The .NET and JVM rows of the benchmark: Pinwatch's analysis of a generated pom.xml (5,000 dependencies, half of
 * their versions from properties) and of a generated Directory.Packages.props (5,000 PackageVersion items) against a
 * plain XML parse of the same text into a document (fast-xml-parser, the most used XML parser on npm; target ≤ 2×)
 * and against saxes tokenizing it with no handlers (the parser the formats use: the floor of any XML reading), and
 * of a generated build.gradle against `text.split('\n')`. Runs in this process, the tool and its floor alternately, so
 * that load on the machine cancels out; the median of each. Imported by bench/bench.ts.
 */
import { XMLParser } from 'fast-xml-parser';
import { SaxesParser } from 'saxes';
import { analyze } from '../server/src/engine';
import { defaultSettings } from '../server/src/model';

/** A pom.xml with `count` dependencies: every other version is a `${…}` property, as large POMs write them. */
export function generatePom(count: number): string {
  const properties: string[] = [];
  const dependencies: string[] = [];
  for (let i = 0; i < count; i++) {
    const version = `${1 + (i % 9)}.${i % 23}.${i % 5}`;
    const written = i % 2 === 0 ? version : `\${lib${i}.version}`;
    if (i % 2 === 1) properties.push(`    <lib${i}.version>${version}</lib${i}.version>`);
    dependencies.push('    <dependency>', `      <groupId>org.example.group${i % 97}</groupId>`, `      <artifactId>lib-${i}</artifactId>`, `      <version>${written}</version>`, ...(i % 5 === 0 ? ['      <scope>test</scope>'] : []), '    </dependency>');
  }
  return ['<?xml version="1.0" encoding="UTF-8"?>', '<project xmlns="http://maven.apache.org/POM/4.0.0">', '  <modelVersion>4.0.0</modelVersion>', '  <groupId>org.example</groupId>', '  <artifactId>big</artifactId>', '  <version>1.0.0</version>', '  <properties>', ...properties, '  </properties>', '  <dependencies>', ...dependencies, '  </dependencies>', '</project>', ''].join('\n');
}

/** A Directory.Packages.props with `count` PackageVersion items. */
export function generatePackagesProps(count: number): string {
  const items = Array.from({ length: count }, (_, i) => `    <PackageVersion Include="Example.Package${i}" Version="${1 + (i % 9)}.${i % 23}.${i % 5}" />`);
  return ['<Project>', '  <PropertyGroup>', '    <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>', '  </PropertyGroup>', '  <ItemGroup>', ...items, '  </ItemGroup>', '</Project>', ''].join('\n');
}

/** A build.gradle with `count` string coordinates in its dependencies block. */
export function generateBuildGradle(count: number): string {
  const lines = Array.from({ length: count }, (_, i) => `    implementation 'org.example.group${i % 97}:lib-${i}:${1 + (i % 9)}.${i % 23}.${i % 5}' // dependency ${i}`);
  return ['plugins {', "    id 'java'", '}', '', 'dependencies {', ...lines, '}', ''].join('\n');
}

function plainXmlParse(text: string): void {
  const parser = new SaxesParser({ position: true });
  parser.on('error', () => undefined);
  parser.write(text).close();
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Times `run` and `floor` alternately after a warm-up: the median of each, in milliseconds. */
function timeAgainst(run: () => unknown, floor: () => unknown): { ms: number; floorMs: number; runs: number } {
  for (let i = 0; i < 5; i++) run(), floor();
  const times: number[] = [];
  const floors: number[] = [];
  const start = performance.now();
  while (times.length < 41 && (times.length < 9 || performance.now() - start < 1500)) {
    let t = performance.now();
    run();
    times.push(performance.now() - t);
    t = performance.now();
    floor();
    floors.push(performance.now() - t);
  }
  return { ms: median(times), floorMs: median(floors), runs: times.length };
}

/** Prints the .NET/JVM table and its verdicts. */
export function benchDotnetJvm(): void {
  const pom = generatePom(5000);
  const props = generatePackagesProps(5000);
  const gradle = generateBuildGradle(5000);
  const rows: Array<{ input: string; tool: string; floor: string; ms: number; floorMs: number; runs: number; target?: number }> = [];
  const size = (text: string): string => `${(text.length / 1e6).toFixed(2)} MB`;
  const documentParser = new XMLParser({ processEntities: false, ignoreAttributes: false });
  for (const [label, path, text] of [[`pom.xml, 5000 dependencies (${size(pom)})`, '/bench/pom.xml', pom], [`Directory.Packages.props, 5000 items (${size(props)})`, '/bench/Directory.Packages.props', props]] as const) {
    const run = (): unknown => analyze(path, text, defaultSettings, {});
    rows.push({ input: label, tool: 'pinwatch analyze', floor: 'fast-xml-parser parse', ...timeAgainst(run, () => documentParser.parse(text)), target: 2 });
    rows.push({ input: label, tool: 'pinwatch analyze', floor: 'saxes, no handlers', ...timeAgainst(run, () => plainXmlParse(text)) });
  }
  const gradleRow = timeAgainst(() => analyze('/bench/build.gradle', gradle, defaultSettings, {}), () => gradle.split('\n'));
  rows.push({ input: `build.gradle, 5000 coordinates (${size(gradle)})`, tool: 'pinwatch analyze', floor: "text.split('\\n')", ...gradleRow });
  console.log('\n.NET and JVM files (in process, the tool and its floor alternately; median ms):');
  const table = [['input', 'tool', 'median ms', 'floor', 'floor ms', 'ratio', 'runs'], ...rows.map((r) => [r.input, r.tool, r.ms.toFixed(2), r.floor, r.floorMs.toFixed(2), `${(r.ms / r.floorMs).toFixed(2)}×`, String(r.runs)])];
  const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  for (const row of table) console.log(`| ${row.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`);
  for (const r of rows.filter((x) => x.target !== undefined)) {
    const ratio = r.ms / r.floorMs;
    console.log(`${r.input}: analyze is ${ratio.toFixed(2)}× a plain XML parse into a document, ${r.floor} (target ≤ ${r.target}×): ${ratio <= r.target! ? 'met' : 'NOT met'}`);
  }
}
