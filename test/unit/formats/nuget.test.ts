import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nugetLock, nugetProject, packagesConfig } from '../../../server/src/formats/nuget';
import type { PackageReference } from '../../../server/src/model';
import { analyzed, at, fixed, problemAt, summary } from './dotnetJvmHelpers';

const project = [
  '<Project Sdk="Microsoft.NET.Sdk">',
  '  <PropertyGroup>',
  '    <TargetFramework>net8.0</TargetFramework>',
  '    <EvilVersion>2.1.0</EvilVersion>',
  '    <Loop>$(Loop)</Loop>',
  '    <A>$(B)</A>',
  '    <B>$(A)</B>',
  '    <Outer>$(evilversion)</Outer>',
  '  </PropertyGroup>',
  '  <ItemGroup>',
  '    <PackageReference Include="Contoso.Evil" Version="2.1.0" />',
  '    <PackageReference Include="contoso.evil" Version="$(EvilVersion)" />',
  '    <PackageReference Include="Contoso.Evil" Version="[2.1.0]" />',
  '    <PackageReference Include="Contoso.Evil" Version="[2.0,3.0)" />',
  '    <PackageReference Include="Contoso.Evil" Version="[2.1.0,3.0)" />',
  '    <PackageReference Include="Contoso.Evil" Version="$(Loop)" />',
  '    <PackageReference Include="Contoso.Evil" Version="$(A)" />',
  '    <PackageReference Include="Contoso.Evil" Version="$(Outer)" />',
  '    <PackageReference Include="Contoso.Evil" Version="$(Elsewhere)" />',
  '    <PackageReference Include="Contoso.Evil">',
  '      <Version> 2.1.0 </Version>',
  '    </PackageReference>',
  '    <PackageReference Update="Contoso.Evil" VersionOverride="2.1.0" Version="9.9.9" />',
  '    <PackageReference Include="Contoso.Evil" Version="2.1.1" />',
  '    <PackageReference Include="Newtonsoft.Json" Version="13.0.3" />',
  '    <PackageReference Include="Contoso.Evil" Version="2.1.*" />',
  '    <PackageReference Include="Contoso.Evil" Version="2.1.0&#46;" />',
  '  </ItemGroup>',
  '</Project>',
  '',
].join('\n');

function ref(name: string, range: PackageReference['range'], pin: { version: string } | { constraint: string }, more: Partial<PackageReference> = {}, context = 'PackageReference'): PackageReference {
  return { kind: 'package', ecosystem: 'NuGet', name, range, ...more, context, ...pin };
}

test('project files: Version attributes and elements, $(Property) through the PropertyGroup, [exact], ranges and floats', () => {
  const evil = 'Contoso.Evil';
  const viaEvil = { edit: at(3, 17, 5), via: 'property EvilVersion, line 4' };
  assert.deepStrictEqual(nugetProject.extract(project, '/p/App.csproj'), [
    ref(evil, at(10, 54, 5), { version: '2.1.0' }),
    ref('contoso.evil', at(11, 54, 14), { version: '2.1.0' }, viaEvil),
    ref(evil, at(12, 55, 5), { version: '2.1.0' }),
    ref(evil, at(13, 54, 9), { constraint: '[2.0,3.0)' }),
    ref(evil, at(14, 54, 11), { constraint: '[2.1.0,3.0)' }),
    // $(Loop), $(A) ↔ $(B) and $(Elsewhere) are not resolved; $(Outer) → $(evilversion) is (names are case-insensitive).
    ref(evil, at(17, 54, 8), { version: '2.1.0' }, viaEvil),
    ref(evil, at(20, 16, 5), { version: '2.1.0' }),
    ref(evil, at(22, 61, 5), { version: '2.1.0' }),
    ref(evil, at(23, 54, 5), { version: '2.1.1' }),
    ref('Newtonsoft.Json', at(24, 57, 6), { version: '13.0.3' }),
    ref(evil, at(25, 54, 5), { constraint: '2.1.*' }),
  ]);
});

test('project files: findings under the test advisories, and --fix writes the safe release at the token or the property', () => {
  const message = (what: string): string => `${what} is a compromised release (test incident, TEST-NUGET-1). Pin 2.1.1 instead.`;
  const pin = ['Pin Contoso.Evil to 2.1.1', 'Pin Contoso.Evil to 2.0.9'];
  const viaPin = ['Pin Contoso.Evil to 2.1.1 (at property EvilVersion, line 4)', 'Pin Contoso.Evil to 2.0.9 (at property EvilVersion, line 4)'];
  assert.deepStrictEqual(summary('/p/App.csproj', project), [
    { code: 'compromised-version', severity: 'error', message: message('Contoso.Evil 2.1.0'), fixes: pin, range: at(10, 54, 5) },
    { code: 'compromised-version', severity: 'error', message: message('contoso.evil 2.1.0 (from property EvilVersion, line 4)'), fixes: viaPin.map((t) => t.replace('Contoso.Evil', 'contoso.evil')), range: at(11, 54, 14) },
    { code: 'compromised-version', severity: 'error', message: message('Contoso.Evil 2.1.0'), fixes: pin, range: at(12, 55, 5) },
    { code: 'range-admits-compromised', severity: 'warning', message: 'Contoso.Evil [2.1.0,3.0) admits the compromised 2.1.0 (TEST-NUGET-1). Require 2.1.1 or a later safe release.', fixes: [], range: at(14, 54, 11) },
    { code: 'compromised-version', severity: 'error', message: message('Contoso.Evil 2.1.0 (from property EvilVersion, line 4)'), fixes: viaPin, range: at(17, 54, 8) },
    { code: 'compromised-version', severity: 'error', message: message('Contoso.Evil 2.1.0'), fixes: pin, range: at(20, 16, 5) },
    { code: 'compromised-version', severity: 'error', message: message('Contoso.Evil 2.1.0'), fixes: pin, range: at(22, 61, 5) },
  ]);
  assert.deepStrictEqual(fixed('/p/App.csproj', project), project
    .replace('<EvilVersion>2.1.0<', '<EvilVersion>2.1.1<')
    .replace('Version="2.1.0" />', 'Version="2.1.1" />')
    .replace('[2.1.0]', '[2.1.1]')
    .replace('<Version> 2.1.0 </Version>', '<Version> 2.1.1 </Version>')
    .replace('VersionOverride="2.1.0"', 'VersionOverride="2.1.1"'));
});

test('Directory.Packages.props: PackageVersion and GlobalPackageReference, in any case, with CRLF line ends', () => {
  const text = '<Project>\r\n  <ItemGroup>\r\n    <PackageVersion Include="Contoso.Evil" Version="2.1.0" />\r\n    <globalpackagereference include="Other" version="1.0.0" />\r\n  </ItemGroup>\r\n</Project>\r\n';
  assert.deepStrictEqual(nugetProject.extract(text, '/p/Directory.Packages.props'), [
    ref('Contoso.Evil', at(2, 52, 5), { version: '2.1.0' }, {}, 'PackageVersion'),
    ref('Other', at(3, 53, 5), { version: '1.0.0' }, {}, 'globalpackagereference'),
  ]);
  assert.equal(fixed('/p/Directory.Packages.props', text), text.replace('2.1.0', '2.1.1'));
});

test('packages.config: each package id and version, and the fix at the version attribute', () => {
  const text = '<?xml version="1.0" encoding="utf-8"?>\n<packages>\n  <package id="Contoso.Evil" version="2.1.0" targetFramework="net48" />\n  <package id="Newtonsoft.Json" version="13.0.3" />\n  <package id="NoVersion" />\n</packages>\n';
  assert.deepStrictEqual(packagesConfig.extract(text, '/p/packages.config'), [
    { kind: 'package', ecosystem: 'NuGet', name: 'Contoso.Evil', version: '2.1.0', range: at(2, 38, 5), context: 'packages.config' },
    { kind: 'package', ecosystem: 'NuGet', name: 'Newtonsoft.Json', version: '13.0.3', range: at(3, 41, 6), context: 'packages.config' },
  ]);
  assert.equal(fixed('/p/packages.config', text), text.replace('"2.1.0"', '"2.1.1"'));
});

const lock = [
  '{',
  '  "version": 1,',
  '  "dependencies": {',
  '    "net8.0": {',
  '      "Contoso.Evil": {',
  '        "type": "Direct",',
  '        "requested": "[2.1.0, )",',
  '        "resolved": "2.1.0",',
  '        "contentHash": "AAAA"',
  '      },',
  '      "MyLib": { "type": "Project" },',
  '      "Newtonsoft.Json": { "type": "Transitive", "resolved": "13.0.3" }',
  '    }',
  '  }',
  '}',
  '',
].join('\n');

test('packages.lock.json: the resolved version of each package of each framework, with no edit and the command to run', () => {
  const reason = (name: string): string => `packages.lock.json is written by dotnet restore: run dotnet add package ${name} --version with a safe release (or set it in the project file), then dotnet restore --force-evaluate.`;
  assert.deepStrictEqual(nugetLock.extract(lock, '/p/packages.lock.json'), [
    { kind: 'package', ecosystem: 'NuGet', name: 'Contoso.Evil', version: '2.1.0', range: at(7, 21, 5), context: 'packages.lock.json (net8.0)', fix: { kind: 'none', reason: reason('Contoso.Evil') } },
    { kind: 'package', ecosystem: 'NuGet', name: 'Newtonsoft.Json', version: '13.0.3', range: at(11, 62, 6), context: 'packages.lock.json (net8.0)', fix: { kind: 'none', reason: reason('Newtonsoft.Json') } },
  ]);
  assert.deepStrictEqual(summary('/p/packages.lock.json', lock), [
    { code: 'compromised-version', severity: 'error', message: `Contoso.Evil 2.1.0 is a compromised release (test incident, TEST-NUGET-1). ${reason('Contoso.Evil')} The nearest safe release is 2.1.1.`, fixes: [], range: at(7, 21, 5) },
  ]);
  assert.equal(fixed('/p/packages.lock.json', lock), lock);
});

test('packages.lock.json cut short: the entries read before the cut, and a problem where it is', () => {
  const cut = lock.slice(0, lock.indexOf('"MyLib"'));
  const result = nugetLock.extract(cut, '/p/packages.lock.json');
  assert.deepStrictEqual(result.map((r) => (r.kind === 'package' ? r.name : r.kind)), ['Contoso.Evil', 'problem']);
});

test('bad XML: a truncated project, a binary file, an undefined entity: no throw, a problem, what was read before it kept', () => {
  const truncated = project.slice(0, project.indexOf('<PackageReference Include="Contoso.Evil" Version="[2.1.0]"'));
  const result = nugetProject.extract(truncated, '/p/App.csproj');
  assert.deepStrictEqual(result.slice(0, 2).map((r) => (r.kind === 'package' ? r.range : r)), [at(10, 54, 5), at(11, 54, 14)]);
  assert.deepStrictEqual(result.slice(2), [problemAt('App.csproj is not well-formed XML here (unclosed tag: ItemGroup). Pinwatch checked the entries it could read; entries after this point may be missing.', 12, 4)]);
  const binary = Array.from({ length: 4096 }, (_, i) => String.fromCharCode((i * 7919) % 256)).join('');
  const fromBinary = nugetProject.extract(binary, '/p/App.csproj');
  assert.deepStrictEqual(fromBinary.map((r) => r.kind), ['problem']);
  assert.deepStrictEqual(analyzed('/p/App.csproj', '<Project><ItemGroup><PackageReference Include="Contoso.Evil" Version="&v;" /></ItemGroup></Project>').problems.map((p) => p.message), [
    'App.csproj is not well-formed XML here (undefined entity). Pinwatch checked the entries it could read; entries after this point may be missing.',
  ]);
});

test('a property defined under several conditions: each definition is a version the item may get, each fixed where it is', () => {
  const text = [
    '<Project>',
    '  <PropertyGroup>',
    "    <EvilVersion Condition=\"'$(EvilVersion)' == ''\">2.0.9</EvilVersion>",
    "    <EvilVersion Condition=\"'$(TargetFramework)' == 'net48'\">2.1.0</EvilVersion>",
    '  </PropertyGroup>',
    '  <ItemGroup>',
    '    <PackageVersion Include="Contoso.Evil" Version="$(EvilVersion)" />',
    '  </ItemGroup>',
    '</Project>',
    '',
  ].join('\n');
  assert.deepStrictEqual(nugetProject.extract(text, '/p/Directory.Packages.props'), [
    ref('Contoso.Evil', at(6, 52, 14), { version: '2.0.9' }, { edit: at(2, 52, 5), via: 'property EvilVersion, line 3' }, 'PackageVersion'),
    ref('Contoso.Evil', at(6, 52, 14), { version: '2.1.0' }, { edit: at(3, 61, 5), via: 'property EvilVersion, line 4' }, 'PackageVersion'),
  ]);
  assert.equal(fixed('/p/Directory.Packages.props', text), text.replace('>2.1.0<', '>2.1.1<'));
});

test('a property defined thousands of times over itself, named by thousands of items: nothing resolved, and no walk per item over every definition', () => {
  const build = (n: number): string => `<Project><PropertyGroup>${'<P>$(P)</P>\n'.repeat(n)}</PropertyGroup><ItemGroup>${'<PackageReference Include="X" Version="$(P)" />\n'.repeat(n)}</ItemGroup></Project>`;
  assert.deepStrictEqual(nugetProject.extract(build(10), '/p/App.csproj'), []);
  // Following every definition for every item was quadratic: 8,000 of each took 34 s (16,000: 137 s). Read once a
  // property, it is a fraction of a second; the bound leaves room for a loaded machine.
  const started = performance.now();
  assert.deepStrictEqual(nugetProject.extract(build(8000), '/p/App.csproj'), []);
  const ms = performance.now() - started;
  assert.ok(ms < 5000, `${ms.toFixed(0)} ms`);
});
