import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultServerSettings, toServerSettings } from '../../../server/src/service/settings';

test('takes every setting of the pinwatch section', () => {
  assert.deepStrictEqual(
    toServerSettings({ enable: false, warningSeverity: 'error', exclude: ['**/vendor/**'], ignore: ['CVE-2024-3094'], imageWindows: false, debounceMs: 0, advisories: { paths: ['/data/all.zip'], maxAgeDays: 30 } }),
    { enable: false, exclude: ['**/vendor/**'], debounceMs: 0, engine: { ignore: ['CVE-2024-3094'], imageWindows: false, warningSeverity: 'error' }, advisories: { paths: ['/data/all.zip'], maxAgeDays: 30 } },
  );
});

test('uses the defaults for a missing section and for values of the wrong type', () => {
  assert.deepStrictEqual(toServerSettings(null), defaultServerSettings);
  assert.deepStrictEqual(toServerSettings({ enable: 'yes', warningSeverity: 'fatal', exclude: 'vendor', debounceMs: -5, ignore: [1, 'GHSA-x'] }), {
    ...defaultServerSettings,
    engine: { ...defaultServerSettings.engine, ignore: ['GHSA-x'] },
  });
});
