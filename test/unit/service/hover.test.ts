import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hover } from '../../../server/src/service/hover';
import { debianFinding } from './findings';

const xz = debianFinding('xz-utils', 1);

test('describes the advisory, the package, the affected and safe versions and links on a flagged token', () => {
  assert.deepStrictEqual(hover([xz], { line: 1, character: 52 }), {
    contents: {
      kind: 'markdown',
      value: [
        '**CVE-2024-3094** (PINWATCH-2024-0001): XZ Utils 5.6.0 and 5.6.1 release tarballs contain a backdoor.',
        '',
        '`xz-utils` `5.6.1-1` (Debian sid)',
        '',
        '- Affected: `5.6.0-0.1`, `5.6.0-0.2`, `5.6.1-1`',
        '- Safe: `5.6.1+really5.4.5-1`, `5.4.5-0.3`',
        '',
        'xz-utils 5.6.1-1 is a compromised release (CVE-2024-3094); use 5.6.1+really5.4.5-1.',
        '',
        '[Advisory](https://tukaani.org/xz-backdoor/) · [CVE-2024-3094](https://www.cve.org/CVERecord?id=CVE-2024-3094)',
      ].join('\n'),
    },
    range: xz.reference.range,
  });
});

test('answers at the first character of the token and not just after it', () => {
  const { start, end } = xz.reference.range;
  assert.notEqual(hover([xz], start), null);
  assert.equal(hover([xz], end), null);
  assert.equal(hover([xz], { line: 0, character: 2 }), null);
  assert.equal(hover([], start), null);
});

test('describes an artifact without aliases by its record id, and says when no safe version is listed', () => {
  const artifact = {
    ...xz,
    reference: { kind: 'url' as const, value: 'https://github.com/tukaani-project/xz/releases/download/v5.6.1/xz-5.6.1.tar.gz', range: xz.reference.range, via: 'ARG XZ_URL, line 2' },
    advisory: { ...xz.advisory, aliases: [] },
    code: 'compromised-artifact' as const,
    affected: [],
    safe: [],
    message: 'This tarball is a backdoored XZ Utils release.',
  };
  assert.deepStrictEqual(hover([artifact], xz.reference.range.start)?.contents, {
    kind: 'markdown',
    value: [
      '**PINWATCH-2024-0001**: XZ Utils 5.6.0 and 5.6.1 release tarballs contain a backdoor.',
      '',
      'Artifact `https://github.com/tukaani-project/xz/releases/download/v5.6.1/xz-5.6.1.tar.gz`',
      '(ARG XZ_URL, line 2)',
      '',
      '- Safe: none listed',
      '',
      'This tarball is a backdoored XZ Utils release.',
      '',
      '[Advisory](https://tukaani.org/xz-backdoor/)',
    ].join('\n'),
  });
});

test('hovers on a suppression comment with what it suppresses, until when and why', () => {
  const comment = { start: { line: 1, character: 70 }, end: { line: 1, character: 120 } };
  const finding = { ...debianFinding('xz-utils', 1), suppression: { kind: 'inSource' as const, justification: 'the forensics image', until: '2027-01-31', range: comment } };
  assert.deepStrictEqual(hover([finding], { line: 1, character: 80 }), {
    contents: { kind: 'markdown', value: `**Suppresses CVE-2024-3094** for \`xz-utils\` \`5.6.1-1\` on line ${finding.reference.range.start.line + 1} until 2027-01-31: the forensics image` },
    range: comment,
  });
});
