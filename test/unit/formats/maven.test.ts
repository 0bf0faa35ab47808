import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SaxesParser } from 'saxes';
import { mavenPom } from '../../../server/src/formats/maven';
import type { PackageReference } from '../../../server/src/model';
import { analyzeFile } from '../../../server/src/engine';
import { defaultSettings } from '../../../server/src/model';
import { analyzed, fixed, problemAt, summary, tokenAt } from './dotnetJvmHelpers';

const pom = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<project xmlns="http://maven.apache.org/POM/4.0.0">',
  '  <modelVersion>4.0.0</modelVersion>',
  '  <parent>',
  '    <groupId>com.example</groupId>',
  '    <artifactId>parent</artifactId>',
  '    <version>1.4.0</version>',
  '  </parent>',
  '  <artifactId>app</artifactId>',
  '  <properties>',
  '    <evil.version>1.4.0</evil.version>',
  '    <self>${self}</self>',
  '    <a>${b}</a>',
  '    <b>${a}</b>',
  '    <outer>${evil.version}</outer>',
  '  </properties>',
  '  <dependencyManagement>',
  '    <dependencies>',
  '      <dependency>',
  '        <groupId>com.example</groupId>',
  '        <artifactId>evil</artifactId>',
  '        <version>${evil.version}</version>',
  '      </dependency>',
  '    </dependencies>',
  '  </dependencyManagement>',
  '  <dependencies>',
  '    <dependency><groupId>com.example</groupId><artifactId>evil</artifactId><version>1.4.0</version></dependency>',
  '    <dependency><groupId>${project.groupId}</groupId><artifactId>evil</artifactId><version>${project.version}</version></dependency>',
  '    <dependency><groupId>com.example</groupId><artifactId>evil</artifactId><version>${self}</version></dependency>',
  '    <dependency><groupId>com.example</groupId><artifactId>evil</artifactId><version>${a}</version></dependency>',
  '    <dependency><groupId>com.example</groupId><artifactId>evil</artifactId><version>${outer}</version></dependency>',
  '    <dependency><groupId>com.example</groupId><artifactId>evil</artifactId><version>${from.parent}</version></dependency>',
  '    <dependency><groupId>com.example</groupId><artifactId>evil</artifactId><version>[1.0,2.0)</version></dependency>',
  '    <dependency><groupId>com.example</groupId><artifactId>evil</artifactId><version>[1.4.0,2.0)</version></dependency>',
  '    <dependency><groupId>com.example</groupId><artifactId>evil</artifactId><version>[1.4.0]</version></dependency>',
  '    <dependency><groupId>com.example</groupId><artifactId>evil</artifactId><version>LATEST</version></dependency>',
  '    <dependency><groupId>com.example</groupId><artifactId>evil</artifactId><version>1.4.1</version></dependency>',
  '    <dependency><groupId>org.tukaani</groupId><artifactId>xz</artifactId><version>1.9</version></dependency>',
  '  </dependencies>',
  '  <build>',
  '    <plugins>',
  '      <plugin>',
  '        <artifactId>maven-compiler-plugin</artifactId>',
  '        <version>3.11.0</version>',
  '        <dependencies><dependency><groupId>com.example</groupId><artifactId>evil</artifactId><version><!-- c -->1.4.0</version></dependency></dependencies>',
  '      </plugin>',
  '    </plugins>',
  '  </build>',
  '  <profiles>',
  '    <profile>',
  '      <properties><evil.version>1.4.0</evil.version></properties>',
  '      <dependencies><dependency><groupId>com.example</groupId><artifactId>evil</artifactId><version>${evil.version}</version></dependency></dependencies>',
  '    </profile>',
  '  </profiles>',
  '</project>',
  '',
].join('\n');

function ref(name: string, range: PackageReference['range'], pin: { version: string } | { constraint: string }, more: Partial<PackageReference> = {}, context = 'pom.xml dependency'): PackageReference {
  return { kind: 'package', ecosystem: 'Maven', name, range, ...more, context, ...pin };
}

const evil = 'com.example:evil';
const viaProperty = { edit: tokenAt(pom, 10, '1.4.0'), via: 'property evil.version, line 11' };

test('pom.xml: dependencies, dependencyManagement, plugins, ${property} and ${project.version}, cycles left unresolved', () => {
  assert.deepStrictEqual(mavenPom.extract(pom, '/p/pom.xml'), [
    ref(evil, tokenAt(pom, 21, '${evil.version}'), { version: '1.4.0' }, viaProperty, 'pom.xml dependencyManagement'),
    ref(evil, tokenAt(pom, 26, '1.4.0'), { version: '1.4.0' }),
    // groupId from ${project.groupId} (the parent's), version from ${project.version} (the parent's, written here).
    ref(evil, tokenAt(pom, 27, '${project.version}'), { version: '1.4.0' }, { edit: tokenAt(pom, 6, '1.4.0'), via: 'project.version, line 7' }),
    // ${self}, ${a} ↔ ${b} and ${from.parent} are not resolved; ${outer} → ${evil.version} is.
    ref(evil, tokenAt(pom, 30, '${outer}'), { version: '1.4.0' }, viaProperty),
    ref(evil, tokenAt(pom, 32, '[1.0,2.0)'), { constraint: '[1.0,2.0)' }),
    ref(evil, tokenAt(pom, 33, '[1.4.0,2.0)'), { constraint: '[1.4.0,2.0)' }),
    ref(evil, tokenAt(pom, 34, '1.4.0'), { version: '1.4.0' }),
    ref(evil, tokenAt(pom, 36, '1.4.1'), { version: '1.4.1' }),
    ref('org.tukaani:xz', tokenAt(pom, 37, '1.9'), { version: '1.9' }),
    ref('org.apache.maven.plugins:maven-compiler-plugin', tokenAt(pom, 43, '3.11.0'), { version: '3.11.0' }, {}, 'pom.xml plugin'),
    // A version beside a comment is read at its text.
    ref(evil, tokenAt(pom, 44, '1.4.0'), { version: '1.4.0' }),
    // The profile's own property wins inside the profile.
    ref(evil, tokenAt(pom, 51, '${evil.version}'), { version: '1.4.0' }, { edit: tokenAt(pom, 50, '1.4.0'), via: 'property evil.version, line 51' }),
  ]);
});

test('pom.xml: findings under the test advisories, the fix at the version or the property, and org.tukaani:xz is not xz', () => {
  const message = (what: string): string => `${what} is a compromised release (test incident, TEST-MAVEN-1). Pin 1.4.1 instead.`;
  const pin = ['Pin com.example:evil to 1.4.1', 'Pin com.example:evil to 1.3.9'];
  const at11 = ['Pin com.example:evil to 1.4.1 (at property evil.version, line 11)', 'Pin com.example:evil to 1.3.9 (at property evil.version, line 11)'];
  assert.deepStrictEqual(summary('/p/pom.xml', pom), [
    { code: 'compromised-version', severity: 'error', message: message('com.example:evil 1.4.0 (from property evil.version, line 11)'), fixes: at11, range: tokenAt(pom, 21, '${evil.version}') },
    { code: 'compromised-version', severity: 'error', message: message('com.example:evil 1.4.0'), fixes: pin, range: tokenAt(pom, 26, '1.4.0') },
    { code: 'compromised-version', severity: 'error', message: message('com.example:evil 1.4.0 (from project.version, line 7)'), fixes: ['Pin com.example:evil to 1.4.1 (at project.version, line 7)', 'Pin com.example:evil to 1.3.9 (at project.version, line 7)'], range: tokenAt(pom, 27, '${project.version}') },
    { code: 'compromised-version', severity: 'error', message: message('com.example:evil 1.4.0 (from property evil.version, line 11)'), fixes: at11, range: tokenAt(pom, 30, '${outer}') },
    { code: 'range-admits-compromised', severity: 'warning', message: 'com.example:evil [1.4.0,2.0) admits the compromised 1.4.0 (TEST-MAVEN-1). Require 1.4.1 or a later safe release.', fixes: [], range: tokenAt(pom, 33, '[1.4.0,2.0)') },
    { code: 'compromised-version', severity: 'error', message: message('com.example:evil 1.4.0'), fixes: pin, range: tokenAt(pom, 34, '1.4.0') },
    { code: 'compromised-version', severity: 'error', message: message('com.example:evil 1.4.0'), fixes: pin, range: tokenAt(pom, 44, '1.4.0') },
    { code: 'compromised-version', severity: 'error', message: message('com.example:evil 1.4.0 (from property evil.version, line 51)'), fixes: ['Pin com.example:evil to 1.4.1 (at property evil.version, line 51)', 'Pin com.example:evil to 1.3.9 (at property evil.version, line 51)'], range: tokenAt(pom, 51, '${evil.version}') },
  ]);
  const lines = pom.split('\n');
  for (const line of [6, 10, 26, 34, 44, 50]) lines[line] = lines[line]!.replace('1.4.0', '1.4.1');
  assert.deepStrictEqual(fixed('/p/pom.xml', pom), lines.join('\n'));
  // The bundled advisories know no Maven package: org.tukaani:xz (XZ for Java) is never taken for xz.
  assert.deepStrictEqual(analyzeFile('/p/pom.xml', pom, defaultSettings), { findings: [], problems: [] });
});

test('pom.xml: an entity expansion bomb is read without expanding anything, in linear time', () => {
  const bomb = (levels: number): string => {
    const entities = ['<!ENTITY lol0 "lol">'];
    for (let i = 1; i < levels; i++) entities.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
    return `<?xml version="1.0"?>\n<!DOCTYPE project [\n${entities.join('\n')}\n]>\n<project><dependencies><dependency><groupId>com.example</groupId><artifactId>evil</artifactId><version>1.4.0</version></dependency></dependencies><description>&lol${levels - 1};</description></project>\n`;
  };
  const text = bomb(10);
  const started = performance.now();
  const result = analyzed('/p/pom.xml', text);
  const ms = performance.now() - started;
  assert.deepStrictEqual(result.findings.map((f) => [f.reference.kind === 'package' ? f.reference.name : '', f.reference.range]), [[evil, tokenAt(text, 13, '1.4.0')]]);
  const entity = tokenAt(text, 13, '&lol9;');
  assert.deepStrictEqual(result.problems, [problemAt('pom.xml is not well-formed XML here (undefined entity). Pinwatch checked the entries it could read; entries after this point may be missing.', 13, entity.end.character)]);
  // Ten levels of ten would be 10^10 characters expanded; read as written it is a few hundred.
  assert.ok(ms < 1000, `${ms} ms`);
  // A bomb of 6,400 levels (700 KB) costs little more than saxes tokenizing it (best of five runs each): Pinwatch
  // adds no work per entity, and saxes keeps the DTD as text.
  const best = (read: () => unknown): number => {
    let min = Infinity;
    for (let i = 0; i < 5; i++) {
      const s = performance.now();
      read();
      min = Math.min(min, performance.now() - s);
    }
    return min;
  };
  const large = bomb(6400);
  const saxes = (): void => {
    const parser = new SaxesParser();
    parser.on('error', () => undefined);
    parser.write(large).close();
  };
  best(saxes);
  const ratio = best(() => mavenPom.extract(large, '/p/pom.xml')) / best(saxes);
  assert.ok(ratio <= 4, `reading the bomb took ${ratio.toFixed(1)}x saxes' own time`);
});

test('pom.xml bad input: truncated, a binary file, not a project: no throw, a problem, what was read kept', () => {
  const cut = pom.slice(0, pom.indexOf('<version>${project.version}'));
  const result = mavenPom.extract(cut, '/p/pom.xml');
  assert.deepStrictEqual(result.map((r) => (r.kind === 'package' ? r.range : r.kind)), [tokenAt(pom, 21, '${evil.version}'), tokenAt(pom, 26, '1.4.0'), 'problem']);
  const binary = Array.from({ length: 200_000 }, (_, i) => String.fromCharCode((i * 7919) % 256)).join('');
  const fromBinary = mavenPom.extract(binary, '/p/pom.xml');
  assert.deepStrictEqual(fromBinary.map((r) => [r.kind, r.kind === 'problem' ? r.message.slice(0, 30) : '']), [['problem', 'pom.xml is not XML from here (']]);
  assert.deepStrictEqual(mavenPom.extract('<settings><dependencies><dependency><groupId>a</groupId><artifactId>b</artifactId><version>1</version></dependency></dependencies></settings>', '/p/pom.xml'), []);
});

test('pom.xml nested thousands deep inside a profile: every dependency read, without a climb to the root for each', () => {
  const deep = (n: number): string => `<project><profiles><profile><properties><v>1.0</v></properties>${'<dependencies><dependency><groupId>g</groupId><artifactId>a</artifactId><version>${v}</version>'.repeat(n)}</project>`;
  assert.deepStrictEqual(mavenPom.extract(deep(1000), '/p/pom.xml').map((r) => r.kind).filter((k) => k === 'package').length, 1000);
  // Looking up the enclosing profile by climbing every ancestor was quadratic: 16,000 levels took 40 s (1,000: 0.13 s);
  // now under a second. The bound leaves room for a loaded machine.
  const started = performance.now();
  assert.deepStrictEqual(mavenPom.extract(deep(16000), '/p/pom.xml').filter((r) => r.kind === 'package').length, 16000);
  const ms = performance.now() - started;
  assert.ok(ms < 8000, `${ms.toFixed(0)} ms`);
});

test('pom.xml: a version beside a comment or in a CDATA section is read at its text; one split by a comment is not a version', () => {
  const pom = (version: string): string =>
    `<project><dependencies><dependency><groupId>a</groupId><artifactId>b</artifactId><version>${version}</version></dependency></dependencies></project>\n`;
  const read = (version: string) => {
    const text = pom(version);
    return mavenPom.extract(text, '/x/pom.xml').map((r) => (r.kind === 'package' ? { version: r.version, token: text.slice(r.range.start.character, r.range.end.character) } : r.kind));
  };
  assert.deepStrictEqual(
    ['<!-- pinned -->1.0.1', '<![CDATA[1.0.2]]>', ' 1.0.3 <!-- x -->', '1.<!-- -->0', '<!-- none -->'].map(read),
    [[{ version: '1.0.1', token: '1.0.1' }], [{ version: '1.0.2', token: '1.0.2' }], [{ version: '1.0.3', token: '1.0.3' }], [], []],
  );
});
