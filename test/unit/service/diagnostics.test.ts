import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countBySeverity, isPinwatchDiagnostic, toDiagnostics } from '../../../server/src/service/diagnostics';
import { debianFinding } from './findings';

test('turns a finding into a diagnostic on its token, with its fixes and advisory facts in data', () => {
  const finding = debianFinding('xz-utils', 1);
  assert.deepStrictEqual(toDiagnostics([finding]), [
    {
      range: { start: { line: 1, character: 50 }, end: { line: 1, character: 57 } },
      severity: 1,
      code: 'compromised-version',
      codeDescription: { href: 'https://tukaani.org/xz-backdoor/' },
      source: 'pinwatch',
      message: 'xz-utils 5.6.1-1 is a compromised release (CVE-2024-3094); use 5.6.1+really5.4.5-1.',
      data: {
        fixes: finding.fixes,
        advisoryId: 'PINWATCH-2024-0001',
        aliases: ['CVE-2024-3094'],
        affected: ['5.6.0-0.1', '5.6.0-0.2', '5.6.1-1'],
        safe: ['5.6.1+really5.4.5-1', '5.4.5-0.3'],
        subject: { name: 'xz-utils', version: '5.6.1-1', ecosystem: 'Debian' },
      },
    },
  ]);
});

test('maps warning and info severities, and an artifact subject by its value', () => {
  const base = debianFinding('xz-utils', 1);
  const image = { ...base, severity: 'warning' as const, code: 'image-in-compromise-window' as const, reference: { kind: 'image' as const, value: 'debian:sid-20240315', range: base.reference.range } };
  const info = { ...base, severity: 'info' as const };
  const [imageDiagnostic, infoDiagnostic] = toDiagnostics([image, info]);
  assert.deepStrictEqual([imageDiagnostic!.severity, imageDiagnostic!.data.subject, infoDiagnostic!.severity], [2, { name: 'debian:sid-20240315' }, 3]);
});

test('survives a JSON round trip, as a client sends it back', () => {
  const [diagnostic] = JSON.parse(JSON.stringify(toDiagnostics([debianFinding('xz-utils', 1)])));
  assert.equal(isPinwatchDiagnostic(diagnostic), true);
  assert.equal(isPinwatchDiagnostic({ ...diagnostic, source: 'hadolint' }), false);
  assert.equal(isPinwatchDiagnostic({ ...diagnostic, data: undefined }), false);
});

test('counts findings by severity', () => {
  const base = debianFinding('xz-utils', 1);
  assert.deepStrictEqual(countBySeverity([base, base, { ...base, severity: 'info' }]), { error: 2, warning: 0, info: 1 });
});

test('a suppressed finding is not a diagnostic; a notice about a suppression is one, at the comment', () => {
  const base = debianFinding('xz-utils', 1);
  const suppressed = { ...base, suppression: { kind: 'inSource' as const, justification: 'forensics image' } };
  const range = { start: { line: 1, character: 40 }, end: { line: 1, character: 80 } };
  assert.deepStrictEqual(toDiagnostics([suppressed], [], [{ code: 'suppression-expired', severity: 'warning', range, message: 'expired' }]), [
    { range, severity: 2, code: 'suppression-expired', source: 'pinwatch', message: 'expired' },
  ]);
  assert.deepStrictEqual(countBySeverity([suppressed, base]), { error: 1, warning: 0, info: 0 });
});
