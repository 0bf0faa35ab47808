import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { applyEdits } from '../../../server/src/edits';
import { analyzeFile } from '../../../server/src/engine';
import { gemfile } from '../../../server/src/formats/gemfile';
import { gemfileLock, gemfileOf } from '../../../server/src/formats/gemfileLock';
import { gemspec } from '../../../server/src/formats/gemspec';
import { defaultSettings, type Extracted, type PackageReference, type ReadProblem } from '../../../server/src/model';
import { repoRoot } from '../../paths';

const fixtures = join(repoRoot, 'test', 'fixtures', 'ruby');
const fixture = (path: string): string => readFileSync(join(fixtures, path), 'utf8');
const app = '/work/app';

/** A reference at `line` from `start` (0-based) to `end` (default: the version's or constraint's length). */
function gem(context: string, name: string, pin: { version: string } | { constraint: string }, line: number, start: number, end?: number, fix?: PackageReference['fix']): PackageReference {
  const text = 'version' in pin ? pin.version : pin.constraint;
  return {
    kind: 'package', ecosystem: 'RubyGems', name, context, ...pin,
    range: { start: { line, character: start }, end: { line, character: end ?? start + text.length } },
    ...(fix ? { fix } : {}),
  } as PackageReference;
}

const pinned = (name: string) => ({ kind: 'none' as const, reason: `${name} is not named in Gemfile (another gem depends on it), and Gemfile.lock is written by Bundler: run bundle update ${name} --conservative to move it to a safe release.` });
const lockGem = (name: string, version: string, line: number, start: number, inGemfile: boolean) =>
  gem('Gemfile.lock', name, { version }, line, start, undefined, inGemfile ? { kind: 'gemfile-pin', gemfile: `${app}/Gemfile` } : pinned(name));

/** What a test compares of a finding: where, how bad, what it says, and each fix applied to the whole file it edits. */
function outcome(path: string, text: string, files: Readonly<Record<string, string>>) {
  const readFile = (p: string) => files[p];
  return analyzeFile(path, text, defaultSettings, { readFile }).findings.map((f) => ({
    range: f.reference.range,
    severity: f.severity,
    message: f.message,
    fixed: f.fixes.map((fix) => {
      const uri = fix.edits[0]!.uri;
      const target = Object.keys(files).find((p) => pathToFileURL(p).href === uri) ?? path;
      return { file: target, text: applyEdits(files[target] ?? text, fix.edits).text, followUp: fix.followUp };
    }),
  }));
}

test('Gemfile.lock: every GEM spec at its version, a platform suffix left out, GIT and PATH specs and dependency lines ignored', () => {
  const files: Record<string, string> = { [`${app}/Gemfile`]: fixture('app/Gemfile') };
  assert.deepStrictEqual(gemfileLock.extract(fixture('app/Gemfile.lock'), `${app}/Gemfile.lock`, (p) => files[p]), [
    lockGem('activesupport', '7.1.3', 16, 19, false),
    lockGem('concurrent-ruby', '1.2.3', 18, 21, false),
    lockGem('debug', '1.9.1', 19, 11, true),
    lockGem('mime-types', '1.25.1', 20, 16, false),
    lockGem('nokogiri', '1.16.0', 21, 14, true),
    lockGem('racc', '1.7.3', 23, 10, false),
    lockGem('rails', '7.1.3', 24, 11, true),
    lockGem('rest-client', '1.6.13', 26, 17, true),
    lockGem('strong_password', '0.0.7', 28, 21, true),
  ]);
});

test('Gemfile.lock: a compromised spec is fixed by pinning the safe release on its Gemfile line, then a conservative update', () => {
  const gemfileText = fixture('app/Gemfile');
  const files = { [`${app}/Gemfile`]: gemfileText };
  const follow = (name: string) => `Then run bundle update ${name} --conservative to rewrite the lockfile.`;
  const line = (from: string, to: string) => gemfileText.replace(from, to);
  assert.deepStrictEqual(outcome(`${app}/Gemfile.lock`, fixture('app/Gemfile.lock'), files), [
    {
      range: { start: { line: 26, character: 17 }, end: { line: 26, character: 23 } },
      severity: 'error',
      message: `rest-client 1.6.13 is a compromised release (rest-client backdoor (2019-08), CVE-2019-15224). Pin 1.6.9 instead. ${follow('rest-client')}`,
      fixed: [
        { file: `${app}/Gemfile`, text: line('gem "rest-client", "~> 1.6.10"', 'gem "rest-client", "1.6.9"'), followUp: follow('rest-client') },
        { file: `${app}/Gemfile`, text: line('gem "rest-client", "~> 1.6.10"', 'gem "rest-client", "1.7.0"'), followUp: follow('rest-client') },
      ],
    },
    {
      range: { start: { line: 28, character: 21 }, end: { line: 28, character: 26 } },
      severity: 'error',
      message: `strong_password 0.0.7 is a compromised release (strong_password backdoor (2019), CVE-2019-13354). Pin 0.0.8 instead. ${follow('strong_password')}`,
      fixed: [{ file: `${app}/Gemfile`, text: line("gem 'strong_password', '0.0.7'", "gem 'strong_password', '0.0.8'"), followUp: follow('strong_password') }],
    },
  ]);
});

test('Gemfile.lock: once the Gemfile pins a safe release, no fix is offered and the message says to run Bundler', () => {
  const path = `${app}/Gemfile.lock`;
  const lock = fixture('app/Gemfile.lock');
  const files: Record<string, string> = { [`${app}/Gemfile`]: fixture('app/Gemfile') };
  const [first] = outcome(path, lock, files);
  files[`${app}/Gemfile`] = first!.fixed[0]!.text;
  assert.deepStrictEqual(outcome(path, lock, files)[0], {
    range: { start: { line: 26, character: 17 }, end: { line: 26, character: 23 } },
    severity: 'error',
    message: 'rest-client 1.6.13 is a compromised release (rest-client backdoor (2019-08), CVE-2019-15224). Gemfile already pins a safe release; run bundle update rest-client --conservative to rewrite the lockfile.',
    fixed: [],
  });
});

test('Gemfile.lock: a gem the Gemfile does not name gets no edit, and the message says how to update it', () => {
  const files = { [`${app}/Gemfile`]: fixture('transitive/Gemfile') };
  assert.deepStrictEqual(outcome(`${app}/Gemfile.lock`, fixture('transitive/Gemfile.lock'), files), [{
    range: { start: { line: 4, character: 17 }, end: { line: 4, character: 23 } },
    severity: 'error',
    message: `rest-client 1.6.12 is a compromised release (rest-client backdoor (2019-08), CVE-2019-15224). ${pinned('rest-client').reason} The nearest safe release is 1.6.9.`,
    fixed: [],
  }]);
});

test('Gemfile.lock without a readable Gemfile: no edit, the update advice instead', () => {
  const text = 'GEM\n  remote: https://rubygems.org/\n  specs:\n    strong_password (0.0.7)\n';
  assert.deepStrictEqual(gemfileLock.extract(text, `${app}/Gemfile.lock`), [lockGem('strong_password', '0.0.7', 3, 21, false)]);
});

test('Gemfile.lock: an unpinned gem of the Gemfile gets the safe release added after its name', () => {
  const gemfileText = "source 'https://rubygems.org'\ngem 'rest-client', require: false\n";
  const files = { [`${app}/Gemfile`]: gemfileText };
  const lock = 'GEM\n  remote: https://rubygems.org/\n  specs:\n    rest-client (1.6.10)\n';
  assert.deepStrictEqual(outcome(`${app}/Gemfile.lock`, lock, files).map((f) => f.fixed.map((x) => x.text)), [[
    "source 'https://rubygems.org'\ngem 'rest-client', '1.6.9', require: false\n",
    "source 'https://rubygems.org'\ngem 'rest-client', '1.7.0', require: false\n",
  ]]);
});

test('Gemfile.lock: several requirements are replaced by the one pin', () => {
  const files = { [`${app}/Gemfile`]: 'gem "rest-client", ">= 1.6", "< 1.7" # api\n' };
  const lock = 'GEM\n  remote: https://rubygems.org/\n  specs:\n    rest-client (1.6.11)\n';
  assert.deepStrictEqual(outcome(`${app}/Gemfile.lock`, lock, files).map((f) => f.fixed.map((x) => x.text)), [['gem "rest-client", "1.6.9" # api\n', 'gem "rest-client", "1.7.0" # api\n']]);
});

test('Gemfile.lock: the safe releases, other gems named like the compromised ones and DEPENDENCIES lines are not flagged', () => {
  const files = { [`${app}/Gemfile`]: fixture('trap/Gemfile') };
  assert.deepStrictEqual(outcome(`${app}/Gemfile.lock`, fixture('trap/Gemfile.lock'), files), []);
  assert.deepStrictEqual(outcome(`${app}/Gemfile`, fixture('trap/Gemfile'), files), []);
});

test('Gemfile.lock: a binary file is one read problem; malformed lines one problem per section, with their count', () => {
  const problem = (message: string, line: number, start: number, end: number, endLine = line): ReadProblem => ({ kind: 'problem', reason: 'syntax', message, range: { start: { line, character: start }, end: { line: endLine, character: end } } });
  assert.deepStrictEqual(gemfileLock.extract('GEM\n  specs:\n\u0000\u0001rest-client (1.6.13)', `${app}/Gemfile.lock`), [
    problem('This Gemfile.lock holds binary data (a NUL byte), not the text Bundler writes, so it was not checked.', 0, 0, 0),
  ]);
  const text = 'GEM\n  remote: https://rubygems.org/\n  specs:\n    rest-client (1.6.13\n    ok (1.0)\n     strong_password (0.0.7)\n\tbad\nweird header\n    strong_password (0.0.7)\nPLATFORMS\n  ruby\n';
  assert.deepStrictEqual(gemfileLock.extract(text, `${app}/Gemfile.lock`), [
    lockGem('ok', '1.0', 4, 8, false),
    problem('This line of the GEM section is not what Bundler writes, so it was not read (and 2 more lines of this section).', 3, 0, 23),
    problem('This line is not a Gemfile.lock section header, so the lines below it up to the next section were not read.', 7, 0, 12),
  ]);
});

test('Gemfile.lock: CRLF line endings and conflict markers', () => {
  const text = 'GEM\r\n  remote: https://rubygems.org/\r\n  specs:\r\n<<<<<<< HEAD\r\n    rest-client (1.6.13)\r\n=======\r\n    rest-client (1.7.0)\r\n>>>>>>> main\r\n';
  assert.deepStrictEqual(gemfileLock.extract(text, `${app}/Gemfile.lock`), [lockGem('rest-client', '1.6.13', 4, 17, false), lockGem('rest-client', '1.7.0', 6, 17, false)]);
});

test('Gemfile.lock: every prefix is read without throwing', () => {
  const text = fixture('app/Gemfile.lock');
  for (let end = 0; end <= text.length; end += 7) gemfileLock.extract(text.slice(0, end), `${app}/Gemfile.lock`);
});

test('the Gemfile a lockfile is written from', () => {
  assert.deepStrictEqual(['/a/Gemfile.lock', '/a/gems.locked', '/a/gemfiles/rails_7.gemfile.lock', 'Gemfile.lock'].map(gemfileOf), ['/a/Gemfile', '/a/gems.rb', '/a/gemfiles/rails_7.gemfile', 'Gemfile']);
});

test('Gemfile: exact pins at their version, constraints over their strings; git, path and commented gems give nothing', () => {
  assert.deepStrictEqual(gemfile.extract(fixture('app/Gemfile'), `${app}/Gemfile`), [
    gem('Gemfile', 'rails', { constraint: '~> 7.1.3' }, 7, 14),
    gem('Gemfile', 'rest-client', { constraint: '~> 1.6.10' }, 8, 20),
    gem('Gemfile', 'strong_password', { version: '0.0.7' }, 9, 24),
    gem('Gemfile', 'nokogiri', { constraint: '>= 1.15, < 2' }, 10, 17, 31),
  ]);
});

test('Gemfile: an exact pin is fixed in its own token; a pessimistic constraint that admits only bad releases is a warning', () => {
  const text = fixture('app/Gemfile');
  const path = `${app}/Gemfile`;
  assert.deepStrictEqual(outcome(path, text, { [path]: text }), [
    {
      range: { start: { line: 8, character: 20 }, end: { line: 8, character: 29 } },
      severity: 'warning',
      message: 'rest-client ~> 1.6.10 admits the compromised 1.6.10, 1.6.11, 1.6.12 and 1 more (CVE-2019-15224). Require 1.6.9 or a later safe release.',
      fixed: [],
    },
    {
      range: { start: { line: 9, character: 24 }, end: { line: 9, character: 29 } },
      severity: 'error',
      message: 'strong_password 0.0.7 is a compromised release (strong_password backdoor (2019), CVE-2019-13354). Pin 0.0.8 instead.',
      fixed: [{ file: path, text: text.replace("'0.0.7'", "'0.0.8'"), followUp: undefined }],
    },
  ]);
});

test('Gemfile: the Ruby tokens around a declaration (symbols, %w, heredocs, =begin, interpolation, parentheses, options)', () => {
  const text = [
    'gem("rest-client", "= 1.6.13")', // 0
    "gem 'rest-client', '>= 1.6.10',", // 1
    "    '< 1.7', platforms: [:mri]", // 2
    'x = <<~EOS', // 3
    '  gem "strong_password", "0.0.7"', // 4
    'EOS', // 5
    '=begin', // 6
    'gem "strong_password", "0.0.7"', // 7
    '=end', // 8
    'gem "a#{1}", "1.0"', // 9
    'gem "b", "#{v}"', // 10
    'gem :sym, "1.0"', // 11
    'gem "c", %w[1.0]', // 12
    'gem "d", :git => "https://x/d.git", :tag => "1.0"', // 13
    'gem "e", "~> 2.0" if ENV["X"] # "f", "1"', // 14
    'foo.gem "g", "1.0"', // 15
    'gem "strong_password", "0.0.7" ; gem "h", "!= 1.0"', // 16
    '__END__',
    'gem "rest-client", "1.6.13"',
  ].join('\n');
  assert.deepStrictEqual(gemfile.extract(text, `${app}/Gemfile`), [
    gem('Gemfile', 'rest-client', { version: '1.6.13' }, 0, 22),
    // Over two lines, the range is the first requirement's.
    gem('Gemfile', 'rest-client', { constraint: '>= 1.6.10, < 1.7' }, 1, 20, 29),
    gem('Gemfile', 'e', { constraint: '~> 2.0' }, 14, 10),
    gem('Gemfile', 'strong_password', { version: '0.0.7' }, 16, 24),
    gem('Gemfile', 'h', { constraint: '!= 1.0' }, 16, 43),
  ]);
});

test('Gemfile: an unclosed string is a read problem, and the gems before it are still read', () => {
  // Ruby strings span lines: the string opened on line 1 closes on line 2, and the one opened there never does.
  const text = 'gem "strong_password", "0.0.7"\ngem "rest-client", "1.6.13\ngem "x", "1.0"\n';
  assert.deepStrictEqual(gemfile.extract(text, `${app}/Gemfile`), [
    gem('Gemfile', 'strong_password', { version: '0.0.7' }, 0, 24),
    { kind: 'problem', reason: 'syntax', message: 'This string is not closed, so the rest of this file was not read; the gems declared before it were checked.', range: { start: { line: 2, character: 13 }, end: { line: 2, character: 14 } } },
  ] satisfies Extracted[]);
});

test('gemspec: add_dependency and its kin, %q<> names, frozen strings in lists; a heredoc and a constant give nothing', () => {
  assert.deepStrictEqual(gemspec.extract(fixture('gem/example.gemspec'), '/work/gem/example.gemspec'), [
    gem('gemspec', 'rest-client', { version: '1.6.11' }, 11, 55),
    gem('gemspec', 'strong_password', { constraint: '~> 0.0.7' }, 12, 39),
    gem('gemspec', 'rake', { constraint: '>= 12, < 14' }, 13, 40, 53),
  ]);
});

test('gemspec: the exact pin is fixed in its token', () => {
  const text = fixture('gem/example.gemspec');
  const path = '/work/gem/example.gemspec';
  assert.deepStrictEqual(outcome(path, text, { [path]: text }).map((f) => [f.range.start.line, f.severity, f.fixed.map((x) => x.text)]), [
    [11, 'error', [text.replace('"= 1.6.11"', '"= 1.6.9"'), text.replace('"= 1.6.11"', '"= 1.7.0"')]],
    [12, 'warning', []],
  ]);
});

test('Gemfile: blanks and line breaks inside a requirement\'s quotes are not part of its range', () => {
  const text = "gem 'a', '\n~> 2.0'\ngem 'b', ' >= 1 ', '< 2 '\n";
  assert.deepStrictEqual(gemfile.extract(text, `${app}/Gemfile`), [
    gem('Gemfile', 'a', { constraint: '~> 2.0' }, 1, 0),
    gem('Gemfile', 'b', { constraint: '>= 1 , < 2' }, 2, 11, 23),
  ]);
});
