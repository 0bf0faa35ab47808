import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeSummary, type ScanSummary } from '../../../client/src/summary';

const base: ScanSummary = { filesScanned: 12, filesWithFindings: 0, findings: { error: 0, warning: 0, info: 0 }, cancelled: false };

test('the scan summary says what was found, and never calls unread files clean', () => {
  assert.deepStrictEqual(
    [
      base,
      { ...base, filesWithFindings: 2, findings: { error: 3, warning: 1, info: 0 } },
      { ...base, skipped: [{ path: '/w/big/package-lock.json', reason: 'larger than the 50 MB cap' }] },
      { ...base, filesWithFindings: 1, findings: { error: 1, warning: 0, info: 0 }, skipped: [{ path: '/w/a', reason: 'r' }, { path: '/w/b', reason: 'r' }], incomplete: [{ path: '/w/c', reason: 'r' }] },
      { ...base, cancelled: true, filesScanned: 1 },
    ].map(describeSummary),
    [
      'Pinwatch scanned 12 files: no compromised pins found.',
      'Pinwatch scanned 12 files: 3 errors, 1 warning in 2 files. See the Problems panel.',
      'Pinwatch scanned 12 files: no compromised pins found in what was read. 1 file could not be read (see the Pinwatch output).',
      'Pinwatch scanned 12 files: 1 error in 1 file. See the Problems panel. 2 files could not be read, and 1 was read only in part (see the Pinwatch output).',
      'Pinwatch scan cancelled after 1 file: no compromised pins found.',
    ],
  );
});
