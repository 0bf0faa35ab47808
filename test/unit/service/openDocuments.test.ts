import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pathIndex } from '../../../server/src/service/openDocuments';
import { pathOfUri } from '../../../server/src/workspace';

test('open documents are found by path, and forgotten when closed', () => {
  const index = pathIndex(pathOfUri);
  index.open('file:///repo/Dockerfile');
  index.open('file:///repo/app/package.json');
  index.open('untitled:Untitled-1');
  assert.deepStrictEqual(
    ['/repo/Dockerfile', '/repo/app/package.json', '/repo/other'].map((path) => index.uriAt(path)),
    ['file:///repo/Dockerfile', 'file:///repo/app/package.json', undefined],
  );
  index.close('file:///repo/Dockerfile', ['file:///repo/app/package.json', 'untitled:Untitled-1']);
  index.close('untitled:Untitled-1', ['file:///repo/app/package.json']);
  assert.deepStrictEqual([index.uriAt('/repo/Dockerfile'), index.uriAt('/repo/app/package.json')], [undefined, 'file:///repo/app/package.json']);
});

test('two URIs of one path: the first opened is found, and the other once the first is closed', () => {
  const index = pathIndex(pathOfUri);
  index.open('file:///repo/a%20b/Dockerfile');
  index.open('file:///repo/a b/Dockerfile');
  assert.deepStrictEqual(index.uriAt('/repo/a b/Dockerfile'), 'file:///repo/a%20b/Dockerfile');
  index.close('file:///repo/a b/Dockerfile', ['file:///repo/a%20b/Dockerfile']);
  assert.deepStrictEqual(index.uriAt('/repo/a b/Dockerfile'), 'file:///repo/a%20b/Dockerfile');
  index.close('file:///repo/a%20b/Dockerfile', ['file:///repo/a b/Dockerfile']);
  assert.deepStrictEqual(index.uriAt('/repo/a b/Dockerfile'), 'file:///repo/a b/Dockerfile');
  index.close('file:///repo/a b/Dockerfile', []);
  assert.deepStrictEqual(index.uriAt('/repo/a b/Dockerfile'), undefined);
});
