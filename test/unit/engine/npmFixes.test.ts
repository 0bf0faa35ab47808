import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../../server/src/engine';
import { defaultSettings } from '../../../server/src/model';

const lockPath = '/work/web/package-lock.json';
const packageJson = '{\n  "name": "web",\n  "dependencies": {\n    "app-lib": "1.0.0"\n  }\n}\n';
const readFile = (path: string): string | undefined => (path === '/work/web/package.json' ? packageJson : undefined);

/** A v3 lockfile holding one transitive package. */
function lock(name: string, version: string): string {
  return JSON.stringify({ name: 'web', lockfileVersion: 3, requires: true, packages: { '': { name: 'web' }, [`node_modules/${name}`]: { version } } }, null, 2);
}

function shape(name: string, version: string): Array<{ message: string; safe: string[]; fixes: string[] }> {
  return analyze(lockPath, lock(name, version), defaultSettings, { readFile }).map((f) => ({ message: f.message, safe: f.safe, fixes: f.fixes.map((x) => x.title) }));
}

test('node-ipc 10.1.2 is fixed with the listed 10.1.0, and says its advisory fix 10.1.3 is no longer listed', () => {
  assert.deepStrictEqual(shape('node-ipc', '10.1.2'), [{
    message: 'node-ipc 10.1.2 is a compromised release (node-ipc protestware (2022-03), CVE-2022-23812). Pin 10.1.0 instead (its known fix 10.1.3 is no longer listed by the npm registry). Then run npm install to rewrite the lockfile.',
    safe: ['10.1.0'],
    fixes: ['Override node-ipc to 10.1.0 in package.json'],
  }]);
});

test('debug 4.4.2 is fixed with 4.4.1, the release before it', () => {
  assert.deepStrictEqual(shape('debug', '4.4.2'), [{
    message: 'debug 4.4.2 is a compromised release (npm chalk/debug maintainer hijack (2025-09-08), PINWATCH-NPM-2025-09-CHALK-DEBUG). Pin 4.4.1 instead. Then run npm install to rewrite the lockfile.',
    safe: ['4.4.1'],
    fixes: ['Override debug to 4.4.1 in package.json'],
  }]);
});

test('a Shai-Hulud package whose previous release is no longer listed gets no fix, and the message says why', () => {
  assert.deepStrictEqual(shape('@nativescript-community/gesturehandler', '2.0.35'), [{
    message: '@nativescript-community/gesturehandler 2.0.35 is a compromised release (Shai-Hulud npm worm (2025-09-15), PINWATCH-NPM-2025-09-SHAI-HULUD). Its known fix 2.0.34 is no longer listed by the npm registry, so no fix is offered; remove it or move to another version the advisory does not list.',
    safe: [],
    fixes: [],
  }]);
});
