import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setupCfg } from '../../../server/src/formats/setupCfg';
import { constrained, findingsOf, fixedTexts, on, pin, pyFixture } from './pythonHelpers';

const path = '/work/app/setup.cfg';

test('setup.cfg: [options] requirement lists and every extra, one requirement a line or split at ; on one line', () => {
  assert.deepStrictEqual(setupCfg.extract(pyFixture('setup-cfg/setup.cfg'), path), [
    pin('ultralytics', '8.3.41', on(7, 17, 23), 'setup.cfg'),
    pin('ultralytics-thop', '8.3.41', on(9, 22, 28), 'setup.cfg'),
    constrained('requests', '>= 2.31', on(10, 13, 20), 'setup.cfg'),
    pin('ctx', '0.2.6', on(11, 11, 16), 'setup.cfg'),
    constrained('setuptools', '>=61', on(12, 27, 31), 'setup.cfg'),
    pin('ultralytics', '8.3.42', on(16, 25, 31), 'setup.cfg'),
    pin('ultralytics', '8.3.40', on(17, 19, 25), 'setup.cfg'),
  ]);
});

test('setup.cfg: findings and the fixes applied to the whole text; [metadata] version and other sections are not requirements', () => {
  const text = pyFixture('setup-cfg/setup.cfg');
  assert.deepStrictEqual(findingsOf(path, text).map((f) => [f.reference.range.start.line, f.severity, f.fixes.length]), [[7, 'error', 1], [11, 'error', 0], [16, 'error', 1]]);
  assert.deepStrictEqual(fixedTexts(path, text)[path], text.replace('    ultralytics==8.3.41\n', '    ultralytics==8.3.40\n').replace('[export]==8.3.42', '[export]==8.3.40'));
});

test('setup.cfg: a file: directive, CRLF endings and a value cut off at the end', () => {
  assert.deepStrictEqual(setupCfg.extract('[options]\ninstall_requires = file: requirements.txt\n', path), []);
  assert.deepStrictEqual(setupCfg.extract('[options]\r\ninstall_requires =\r\n    ultralytics==8.3.41\r\n    ctx==0.2', path), [
    pin('ultralytics', '8.3.41', on(2, 17, 23), 'setup.cfg'),
    pin('ctx', '0.2', on(3, 9, 12), 'setup.cfg'),
  ]);
});
