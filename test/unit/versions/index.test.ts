import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareLines, ecosystemAliases, ecosystemSchemes, equal, knownEcosystem, schemeFor, schemeNamed } from '../../../server/src/versions/index';

test('maps every documented ecosystem to its scheme', () => {
  assert.deepStrictEqual(ecosystemSchemes, {
    Debian: 'dpkg',
    Ubuntu: 'dpkg',
    Kali: 'dpkg',
    Termux: 'dpkg',
    Alpine: 'apk',
    Wolfi: 'apk',
    Chainguard: 'apk',
    Fedora: 'rpm',
    'Red Hat': 'rpm',
    'Rocky Linux': 'rpm',
    AlmaLinux: 'rpm',
    openSUSE: 'rpm',
    SUSE: 'rpm',
    'Arch Linux': 'alpm',
    MSYS2: 'alpm',
    Manjaro: 'alpm',
    Gentoo: 'gentoo',
    npm: 'semver',
    'crates.io': 'semver',
    PyPI: 'pep440',
    RubyGems: 'rubygems',
    Go: 'go',
    conda: 'conda',
    NuGet: 'nuget',
    Maven: 'maven',
    ConanCenter: 'generic',
    'GitHub Actions': 'generic',
    Homebrew: 'generic',
    nixpkgs: 'generic',
    vcpkg: 'generic',
    MacPorts: 'generic',
    upstream: 'generic',
  });
});

test('ignores an OSV release suffix and falls back to the generic scheme', () => {
  const names = ['Debian:13', 'Fedora:40', 'Alpine:v3.19', 'Red Hat:enterprise_linux:9::appstream', 'arch linux', 'Nonesuch', ''];
  assert.deepStrictEqual(names.map((n) => schemeFor(n).name), ['dpkg', 'rpm', 'apk', 'rpm', 'alpm', 'generic', 'generic']);
  assert.deepStrictEqual(names.map(knownEcosystem), [true, true, true, true, true, false, false]);
});

test('says whether two versions are the same version', () => {
  assert.deepStrictEqual(
    [
      equal('Debian', '0:1.0', '1.0'),
      equal('Debian', '5.6.1+really5.4.5-1', '5.6.1-1'),
      equal('PyPI', '1.0', '1.0.0'),
      equal('Alpine', '1.0bc', '1.0bd'),
      equal('npm', '1.0.0+a', '1.0.0+b'),
    ],
    [true, false, true, false, true],
  );
});

test('answers compare --stdin lines, with a reason naming the line for each ?', () => {
  assert.deepStrictEqual(
    compareLines('Debian:13', ['5.6.1+really5.4.5-1 5.6.1-1', '  0:1.0\t1.0 ', '1.0~rc1 1.0', '1: 1.0', 'only-one', 'a b c']),
    {
      answers: ['>', '=', '<', '?', '?', '?'],
      errors: [
        "line 4: invalid dpkg version '1:': nothing after colon in version number",
        "line 5: expected two versions 'A B', got 1 field",
        "line 6: expected two versions 'A B', got 3 fields",
      ],
    },
  );
  assert.deepStrictEqual(compareLines('Alpine', ['5.6.1-r2 5.6.1-r1', '5.6.1-2 5.6.1-r1']), {
    answers: ['>', '?'],
    errors: ["line 2: invalid apk version '5.6.1-2': '-' at offset 5 must start a revision '-rN'"],
  });
});

test('names a scheme by ecosystem in any case, by alias, or by the scheme itself', () => {
  const names = ['Debian:13', 'arch', 'Arch', 'ARCH LINUX', 'alpm', 'dpkg', 'rpm', 'pep440', 'rhel', 'Cargo', 'Nonesuch', '', 'constructor'];
  assert.deepStrictEqual(names.map(schemeNamed), ['dpkg', 'alpm', 'alpm', 'alpm', 'alpm', 'dpkg', 'rpm', 'pep440', 'rpm', 'semver', undefined, undefined, undefined]);
  assert.deepStrictEqual(Object.entries(ecosystemAliases).filter(([alias, ecosystem]) => alias !== alias.toLowerCase() || !Object.hasOwn(ecosystemSchemes, ecosystem)), []);
});
