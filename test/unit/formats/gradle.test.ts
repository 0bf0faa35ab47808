import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildGradle, gradleLockfile, scanStrings, versionCatalog } from '../../../server/src/formats/gradle';
import type { PackageReference } from '../../../server/src/model';
import { fixed, problemAt, summary, tokenAt } from './dotnetJvmHelpers';

function ref(name: string, range: PackageReference['range'], pin: { version: string } | { constraint: string }, context: string, more: Partial<PackageReference> = {}): PackageReference {
  return { kind: 'package', ecosystem: 'Maven', name, range, context, ...pin, ...more };
}

const evil = 'com.example:evil';
const message = (what: string): string => `${what} is a compromised release (test incident, TEST-MAVEN-1). Pin 1.4.1 instead.`;
const pin = ['Pin com.example:evil to 1.4.1', 'Pin com.example:evil to 1.3.9'];

const lockfile = [
  '# This is a Gradle generated file for dependency locking.',
  '# Manual edits can break the build and are not advised.',
  '# This file is expected to be part of source control.',
  'com.example:evil:1.4.0=compileClasspath,runtimeClasspath',
  'com.google.guava:guava:32.1.2-jre=runtimeClasspath',
  'not a coordinate',
  'empty=annotationProcessor',
  '',
].join('\r\n');

test('gradle.lockfile: each group:artifact:version line, with no edit and what to do instead', () => {
  const reason = 'gradle.lockfile is written by Gradle: require a safe release of com.example:evil in the build file or the version catalog, then run ./gradlew dependencies --write-locks.';
  const extracted = gradleLockfile.extract(lockfile, '/p/gradle.lockfile');
  assert.deepStrictEqual(extracted, [
    ref(evil, tokenAt(lockfile, 3, '1.4.0'), { version: '1.4.0' }, 'gradle.lockfile', { fix: { kind: 'none', reason } }),
    ref('com.google.guava:guava', tokenAt(lockfile, 4, '32.1.2-jre'), { version: '32.1.2-jre' }, 'gradle.lockfile', {
      fix: { kind: 'none', reason: reason.replace('com.example:evil', 'com.google.guava:guava') },
    }),
  ]);
  assert.deepStrictEqual(summary('/p/gradle.lockfile', lockfile), [
    { code: 'compromised-version', severity: 'error', message: `com.example:evil 1.4.0 is a compromised release (test incident, TEST-MAVEN-1). ${reason} The nearest safe release is 1.4.1.`, fixes: [], range: tokenAt(lockfile, 3, '1.4.0') },
  ]);
  assert.equal(fixed('/p/gradle.lockfile', lockfile), lockfile);
});

const catalog = [
  '[versions]',
  'evil = "1.4.0"',
  'strict = { strictly = "1.4.0" }',
  'other = "2.0"',
  '',
  '[libraries]',
  'evil-core = { module = "com.example:evil", version.ref = "evil" }',
  'evil-split = { group = "com.example", name = "evil", version.ref = "evil" }',
  'evil-inline = "com.example:evil:1.4.0"',
  'evil-rich = { module = "com.example:evil", version = { strictly = "[1.4.0, 2.0)" } }',
  'evil-strict = { module = "com.example:evil", version.ref = "strict" }',
  'evil-plain = { module = "com.example:evil", version = "1.4.0" } # a comment',
  'missing = { module = "com.example:evil", version.ref = "nowhere" }',
  'unversioned = { module = "com.example:evil" }',
  '',
  '[plugins]',
  'kotlin = { id = "org.jetbrains.kotlin.jvm", version.ref = "other" }',
  '',
].join('\n');

test('libs.versions.toml: libraries by module or group and name, versions in place or by version.ref, rich versions', () => {
  const shared = tokenAt(catalog, 1, '1.4.0');
  assert.deepStrictEqual(versionCatalog.extract(catalog, '/p/gradle/libs.versions.toml'), [
    ref(evil, shared, { version: '1.4.0' }, 'libs.versions.toml', { via: 'version.ref evil of library evil-core, line 7' }),
    ref(evil, shared, { version: '1.4.0' }, 'libs.versions.toml', { via: 'version.ref evil of library evil-split, line 8' }),
    ref(evil, tokenAt(catalog, 8, '1.4.0'), { version: '1.4.0' }, 'libs.versions.toml'),
    ref(evil, tokenAt(catalog, 9, '[1.4.0, 2.0)'), { constraint: '[1.4.0, 2.0)' }, 'libs.versions.toml'),
    ref(evil, tokenAt(catalog, 2, '1.4.0'), { version: '1.4.0' }, 'libs.versions.toml', { via: 'version.ref strict of library evil-strict, line 11' }),
    ref(evil, tokenAt(catalog, 11, '1.4.0'), { version: '1.4.0' }, 'libs.versions.toml'),
  ]);
  assert.deepStrictEqual(summary('/p/gradle/libs.versions.toml', catalog).map((s) => [s.code, s.fixes, s.range]), [
    ['compromised-version', pin, shared],
    ['compromised-version', pin, shared],
    ['compromised-version', pin, tokenAt(catalog, 2, '1.4.0')],
    ['compromised-version', pin, tokenAt(catalog, 8, '1.4.0')],
    ['range-admits-compromised', [], tokenAt(catalog, 9, '[1.4.0, 2.0)')],
    ['compromised-version', pin, tokenAt(catalog, 11, '1.4.0')],
  ]);
  const lines = catalog.split('\n');
  for (const line of [1, 2, 8, 11]) lines[line] = lines[line]!.replace('1.4.0', '1.4.1');
  assert.deepStrictEqual(fixed('/p/gradle/libs.versions.toml', catalog), lines.join('\n'));
});

test('libs.versions.toml that stops being TOML: what came before, and a problem where it stops', () => {
  const text = '[versions]\nevil = "1.4.0"\n[libraries]\nevil = { module = "com.example:evil", version.ref = "evil" }\nbroken = { module = \n';
  assert.deepStrictEqual(versionCatalog.extract(text, '/p/gradle/libs.versions.toml'), [
    ref(evil, tokenAt(text, 1, '1.4.0'), { version: '1.4.0' }, 'libs.versions.toml', { via: 'version.ref evil of library evil, line 4' }),
    problemAt('libs.versions.toml is not valid TOML here: the entries after this point were not checked.', 4, 20),
  ]);
});

const script = [
  '// "com.example:evil:1.4.0" in a comment',
  'plugins { id("java") }',
  '/* a block comment with \'com.example:evil:1.4.0\' */',
  'dependencies {',
  "    implementation 'com.example:evil:1.4.0'",
  '    implementation "com.example:evil:$evilVersion"',
  '    implementation "com.example:evil:${evil}"',
  '    testImplementation("com.example:evil:1.4.0:tests")',
  "    runtimeOnly 'com.example:evil:1.4.0!!'",
  "    runtimeOnly 'com.example:evil:1.4.0@jar'",
  "    api 'com.example:evil:1.+'",
  "    api 'com.example:evil:latest.release'",
  "    api 'com.example:evil:[1.4.0,2.0)'",
  "    api 'com.example:evil:1.4.1'",
  "    api '''com.example:evil:1.4.0'''",
  '    api "com.example:ev\\u0069l:1.4.0"',
  "    api 'https://example.com:8080/x'",
  '}',
  '',
].join('\n');

test('build.gradle(.kts): string coordinates, not in comments, interpolated or dynamic versions left alone', () => {
  const extracted = buildGradle.extract(script, '/p/build.gradle.kts');
  const kts = 'build.gradle.kts';
  assert.deepStrictEqual(extracted, [
    ref(evil, tokenAt(script, 4, '1.4.0'), { version: '1.4.0' }, kts),
    ref(evil, tokenAt(script, 7, '1.4.0'), { version: '1.4.0' }, kts),
    ref(evil, tokenAt(script, 8, '1.4.0'), { version: '1.4.0' }, kts),
    ref(evil, tokenAt(script, 9, '1.4.0'), { version: '1.4.0' }, kts),
    ref(evil, tokenAt(script, 12, '[1.4.0,2.0)'), { constraint: '[1.4.0,2.0)' }, kts),
    ref(evil, tokenAt(script, 13, '1.4.1'), { version: '1.4.1' }, kts),
    ref(evil, tokenAt(script, 14, '1.4.0'), { version: '1.4.0' }, kts),
  ]);
  const lines = script.split('\n');
  for (const line of [4, 7, 8, 9, 14]) lines[line] = lines[line]!.replace('1.4.0', '1.4.1');
  assert.deepStrictEqual(fixed('/p/build.gradle', script), lines.join('\n'));
  assert.deepStrictEqual(summary('/p/build.gradle', script)[0], { code: 'compromised-version', severity: 'error', message: message('com.example:evil 1.4.0'), fixes: pin, range: tokenAt(script, 4, '1.4.0') });
});

test('build scripts with unclosed strings and comments: what was read, and a problem at the first one', () => {
  assert.deepStrictEqual(scanStrings("a 'x\nb 'y' /* never closed"), { strings: [{ value: 'y', start: 8 }], unclosed: 2 });
  assert.deepStrictEqual(scanStrings('"""never closed'), { strings: [], unclosed: 0 });
  const text = "dependencies {\n  implementation 'com.example:evil:1.4.0'\n  x '\n}\n";
  assert.deepStrictEqual(buildGradle.extract(text, '/p/build.gradle'), [
    ref(evil, tokenAt(text, 1, '1.4.0'), { version: '1.4.0' }, 'build.gradle'),
    problemAt('build.gradle has a string or comment that is not closed here: coordinates in what follows may not have been read.', 2, 4),
  ]);
});
