import assert from 'node:assert/strict';
import { test } from 'node:test';
import { layerState, maxKept, type MemberResult } from '../../../server/src/image/layers';

const clean: MemberResult = { analysis: { findings: [], problems: [] } };
const paths = (state: ReturnType<typeof layerState>): Array<[string, number]> => state.entries().map(([path, kept]) => [path, kept.layer]);

test('a later layer replaces a file; a whiteout removes a file or a folder of lower layers, not its own', () => {
  const state = layerState();
  state.set('etc/apk/world', { layer: 0, result: clean });
  state.set('usr/lib/x/APKBUILD', { layer: 0, result: clean });
  state.set('usr/lib/y/APKBUILD', { layer: 0, result: clean });
  state.set('etc/apk/world', { layer: 1, result: { unread: 'binary content' } });
  state.set('usr/lib/x/APKBUILD', { layer: 1, result: clean });
  state.whiteout('usr/lib', 1);
  assert.deepStrictEqual(paths(state), [['etc/apk/world', 1], ['usr/lib/x/APKBUILD', 1]]);
  assert.deepStrictEqual(state.get('etc/apk/world'), { layer: 1, result: { unread: 'binary content' } });
});

test('an opaque whiteout empties a folder of what lower layers put there; a link or a file replaces a folder', () => {
  const state = layerState();
  for (const path of ['a/b/Dockerfile', 'a/c/Dockerfile', 'd/Dockerfile', 'e/f/Dockerfile']) state.set(path, { layer: 0, result: clean });
  state.set('a/new/Dockerfile', { layer: 1, result: clean });
  state.opaque('a', 1);
  state.opaque('a', 1);
  state.replace('d', 1, false);
  state.replace('d/Dockerfile', 1, true);
  state.set('e', { layer: 1, result: clean });
  assert.deepStrictEqual(paths(state), [['a/new/Dockerfile', 1], ['e', 1]]);
  state.opaque('', 2);
  assert.deepStrictEqual(paths(state), []);
});

test('the state keeps at most maxKept members, and says so; a member already kept can still be replaced', () => {
  const state = layerState();
  let refused = 0;
  for (let i = 0; i <= maxKept; i++) if (!state.set(`d${i % 100}/f${i}/APKBUILD`, { layer: 0, result: clean })) refused++;
  assert.deepStrictEqual([refused, state.set('d0/f0/APKBUILD', { layer: 1, result: clean }), state.entries().length], [1, true, maxKept]);
});
