import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeFile } from '../../../server/src/engine';
import { defaultSettings } from '../../../server/src/model';
import { directives, validDate } from '../../../server/src/suppressions';

const settings = { ...defaultSettings, today: '2026-12-01' };

test('reads suppression comments outside quotes, at the end of a line or on a line of their own', () => {
  const text = [
    'FROM debian:sid',
    'RUN apt-get install -y xz-utils=5.6.1-1 # pinwatch-ignore CVE-2024-3094 until=2027-01-31 kept for the forensics image',
    'RUN echo "# pinwatch-ignore CVE-2024-3094 not a comment" && echo \'# pinwatch-ignore X nor this\'',
    '# pinwatch-ignore PINWATCH-NPM-2025-09-CHALK-DEBUG fixture, never installed',
    'RUN x=1#pinwatch-ignore glued, not a comment',
  ].join('\n');
  assert.deepStrictEqual(directives(text, '#'), [
    { line: 1, own: false, range: { start: { line: 1, character: 40 }, end: { line: 1, character: 117 } }, id: 'CVE-2024-3094', until: '2027-01-31', reason: 'kept for the forensics image' },
    { line: 3, own: true, range: { start: { line: 3, character: 0 }, end: { line: 3, character: 75 } }, id: 'PINWATCH-NPM-2025-09-CHALK-DEBUG', reason: 'fixture, never installed' },
  ]);
  assert.deepStrictEqual([validDate('2027-02-29'), validDate('2028-02-29'), validDate('2027-1-31')], [false, true, false]);
});

test('a suppression with a reason and a date not past dismisses the finding on its line; the others say why they do not', () => {
  const text = [
    'FROM debian:sid',
    '# pinwatch-ignore CVE-2024-3094 the builder stage is never shipped',
    'RUN apt-get install -y xz-utils=5.6.1-1',
    'RUN apt-get install -y liblzma5=5.6.1-1 # pinwatch-ignore CVE-2024-3094',
    'RUN apt-get install -y xz-utils=5.6.0-0.1 # pinwatch-ignore cve-2024-3094 until=2026-11-30 was fine last month',
    'RUN apt-get install -y curl # pinwatch-ignore CVE-2024-3094 nothing here',
    'RUN apt-get install -y xz-utils=5.6.0-0.2 # pinwatch-ignore CVE-2024-3094 until=2026-12-01 the last day still counts',
    'RUN apt-get install -y xz-utils=5.6.1-1 # pinwatch-ignore CVE-2024-3094 until=soon later',
  ].join('\n');
  const { findings, notices } = analyzeFile('/d/Dockerfile', text, settings);
  assert.deepStrictEqual(findings.map((f) => [f.reference.range.start.line, f.suppression?.justification ?? null]), [
    [2, 'the builder stage is never shipped'],
    [3, null],
    [4, null],
    [6, 'the last day still counts'],
    [7, null],
  ]);
  assert.deepStrictEqual(notices?.map((n) => [n.range.start.line, n.code, n.severity, n.message]), [
    [3, 'suppression-without-reason', 'warning', 'This suppression of CVE-2024-3094 does not apply: it gives no reason. Write why after the id (and the date, if any).'],
    [4, 'suppression-expired', 'warning', 'This suppression of cve-2024-3094 expired on 2026-11-30: the finding is reported again.'],
    [5, 'suppression-unused', 'info', 'This suppression of CVE-2024-3094 matches no finding on this line; remove it if it is no longer needed.'],
    [7, 'suppression-invalid', 'warning', 'This suppression does not apply: until=soon is not a date written YYYY-MM-DD.'],
  ]);
});

test('a suppression names one advisory: another advisory on the same line is still reported', () => {
  const text = 'ultralytics==8.3.41  # pinwatch-ignore PINWATCH-NPM-2025-09-CHALK-DEBUG wrong advisory\n';
  const { findings, notices } = analyzeFile('/p/requirements.txt', text, settings);
  assert.deepStrictEqual(findings.map((f) => f.suppression), [undefined]);
  assert.deepStrictEqual(notices?.map((n) => n.code), ['suppression-unused']);
});

test('in a recipe, a # inside a value that spans lines is text, not a suppression', () => {
  const text = 'pkgname=foo\npkgver=1.0\npkgrel=0\ndepends="\n\txz-libs=5.6.1-r1 # pinwatch-ignore CVE-2024-3094 inside the quotes\n"\n';
  const { findings, notices } = analyzeFile('/r/APKBUILD', text, settings);
  assert.deepStrictEqual(findings.map((f) => [f.reference.range.start.line, f.suppression ?? null]), [[4, null]]);
  assert.equal(notices, undefined);
});

test('the place for a new suppression comment: the end of the line, or a line of its own above, never inside a value', async () => {
  const { commentPlace } = await import('../../../server/src/suppressions');
  assert.deepStrictEqual(commentPlace('FROM debian:sid\nRUN apt-get install -y xz-utils=5.6.1-1\n', 1, '#'), { offset: 55, before: ' ', after: '' });
  assert.deepStrictEqual(commentPlace('RUN x=1 # a note\n', 0, '#'), { offset: 0, before: '', after: '\n' });
  assert.deepStrictEqual(commentPlace('RUN apt-get install -y \\\n    xz-utils=5.6.1-1 \\\n    curl\n', 1, '#'), undefined);
  assert.deepStrictEqual(commentPlace('RUN apt-get install -y \\\n    xz-utils=5.6.1-1\n', 1, '#'), { offset: 45, before: ' ', after: '' });
  const recipe = 'depends="\n\txz-libs=5.6.1-r1\n"\nmakedepends="xz-dev=5.6.1-r1"\n';
  assert.deepStrictEqual([commentPlace(recipe, 1, '#', true), commentPlace(recipe, 3, '#', true)], [undefined, { offset: 59, before: ' ', after: '' }]);
});
