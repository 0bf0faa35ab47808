import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeFile } from '../../../server/src/engine';
import { mergeEdits, snapshotLock, updateLock, type LockSnapshot } from '../../../server/src/incremental';
import { defaultSettings } from '../../../server/src/model';

const path = '/app/package-lock.json';

/** A v3 lockfile with `count` packages, chalk 5.6.1 and debug 4.4.2 among them (written by hand). */
function lockfile(count: number): string {
  const packages: Record<string, unknown> = { '': { name: 'app', version: '1.0.0' } };
  for (let i = 0; i < count; i++) {
    packages[`node_modules/p${i}`] = { version: `1.0.${i % 7}`, resolved: `https://registry.npmjs.org/p${i}/-/p${i}-1.0.${i % 7}.tgz`, license: 'MIT' };
    if (i === 10) packages['node_modules/chalk'] = { version: '5.6.1', resolved: 'https://registry.npmjs.org/chalk/-/chalk-5.6.1.tgz' };
    if (i === 30) packages['node_modules/p30/node_modules/debug'] = { version: '4.4.2' };
  }
  return `${JSON.stringify({ name: 'app', lockfileVersion: 3, packages }, null, 2)}\n`;
}

function seeded(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s % n;
  };
}

const pieces = ['5.6.1', '5.6.0', '4.4.2', 'chalk', 'debug', '"', '\\', '{', '}', ',', ':', ' ', '\n', '1', '.', '"version": "5.6.1", ', '"inBundle": true, ', 'x'];

test('an edit inside one entry gives exactly what a full analysis gives, and others fall back to it', () => {
  const random = seeded(20241201);
  let doc = TextDocument.create(`file://${path}`, 'json', 1, lockfile(60));
  let snapshot: LockSnapshot | undefined = snapshotLock(path, doc.getText(), analyzeFile(path, doc.getText(), defaultSettings), (p) => doc.offsetAt(p));
  assert.ok(snapshot);
  let fast = 0;
  let full = 0;
  const check = (step: number, start: number, end: number, insert: string): void => {
    const edit = { start, oldEnd: end, newEnd: start + insert.length };
    doc = TextDocument.update(doc, [{ range: { start: doc.positionAt(start), end: doc.positionAt(end) }, text: insert }], doc.version + 1);
    const after = doc.getText();
    const expected = analyzeFile(path, after, defaultSettings);
    const updated = snapshot ? updateLock(snapshot, after, edit, (o) => doc.positionAt(o), defaultSettings) : undefined;
    if (updated) {
      fast++;
      assert.deepStrictEqual(updated.analysis, expected, `step ${step}: ${JSON.stringify({ start, end, insert })}`);
      snapshot = updated.snapshot;
    } else {
      full++;
      snapshot = snapshotLock(path, after, expected, (p) => doc.offsetAt(p));
    }
  };
  for (let step = 0; step < 300; step++) {
    const text = doc.getText();
    // Mostly small edits near version strings, so that many stay inside one entry; each is then undone, so the
    // file keeps coming back to valid JSON and both paths keep being taken.
    const anchor = text.indexOf('"version"', random(text.length));
    const start = Math.min(text.length, (anchor < 0 ? random(text.length) : anchor + 12) + random(8) - 4);
    const end = Math.min(text.length, start + random(4));
    const insert = random(3) === 0 ? '' : pieces[random(pieces.length)]!;
    const removed = text.slice(start, end);
    check(step, start, end, insert);
    check(step, start, start + insert.length, removed);
  }
  // Both paths must have run for the comparison to mean anything.
  assert.ok(fast > 100 && full > 20, `fast ${fast}, full ${full}`);
});

test('merges edits made one after another into one edit of the first text', () => {
  // "abcdef": replace "cd" with "XYZ" (abXYZef), then insert "!" after the Z (abXYZ!ef), then delete "ab" (XYZ!ef).
  let edit = mergeEdits(undefined, { start: 2, oldEnd: 4, newEnd: 5 });
  edit = mergeEdits(edit, { start: 5, oldEnd: 5, newEnd: 6 });
  assert.deepStrictEqual(edit, { start: 2, oldEnd: 4, newEnd: 6 });
  edit = mergeEdits(edit, { start: 0, oldEnd: 2, newEnd: 0 });
  assert.deepStrictEqual(edit, { start: 0, oldEnd: 4, newEnd: 4 });
  // An edit past the changed window extends it into the old text.
  assert.deepStrictEqual(mergeEdits({ start: 2, oldEnd: 4, newEnd: 5 }, { start: 7, oldEnd: 9, newEnd: 8 }), { start: 2, oldEnd: 8, newEnd: 8 });
});
