/**
 * The bundled server in a real editor: headless Neovim (0.7 from Debian supports push diagnostics only) starts
 * `dist/server.js --stdio`, shows the xz-utils diagnostic, applies the quick fix and writes the file.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot, serverPath } from './client';

const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
const missing = nvim.error ? 'nvim is not installed (apt-get install -y neovim)' : undefined;

test('Neovim shows the xz-utils pin, applies the quick fix and saves the safe version', { timeout: 60_000 }, async (t) => {
  if (missing) {
    if (process.env.CI) assert.fail(missing);
    t.skip(missing);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'pinwatch-nvim-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'Dockerfile');
  const out = join(dir, 'result.json');
  writeFileSync(file, 'FROM debian:sid\nRUN apt-get update && apt-get install -y xz-utils=5.6.1-1\n');
  const init = join(repoRoot, 'test', 'protocol', 'nvim', 'init.lua');
  const status = await new Promise<number | null>((done) => {
    const child = execFile('nvim', ['--headless', '--clean', '-u', init], {
      env: { ...process.env, PINWATCH_SERVER: serverPath, PINWATCH_FILE: file, PINWATCH_OUT: out },
      timeout: 50_000,
    });
    child.once('exit', (code) => done(code));
  });
  const result = JSON.parse(readFileSync(out, 'utf8'));
  assert.deepStrictEqual({ status, result }, {
    status: 0,
    result: {
      diagnostics: [{ lnum: 1, col: 50, end_lnum: 1, end_col: 57, severity: 1, source: 'pinwatch', code: 'compromised-version' }],
      actions: [
        { kind: 'quickfix', isPreferred: true },
        { kind: 'quickfix', isPreferred: false },
      ],
    },
  });
  assert.equal(readFileSync(file, 'utf8'), 'FROM debian:sid\nRUN apt-get update && apt-get install -y xz-utils=5.6.1+really5.4.5-1\n');
});
