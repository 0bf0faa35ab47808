/**
 * The bundled server in a real editor: headless Neovim (0.7 from Debian supports push diagnostics only) starts
 * `dist/server.js --stdio`, shows the xz-utils diagnostic, applies the quick fix and writes the file.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { formatPatterns } from '../../server/src/formats/patterns';
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
        // Ignore CVE-2024-3094 here.
        { kind: 'quickfix', isPreferred: false },
      ],
    },
  });
  assert.equal(readFileSync(file, 'utf8'), 'FROM debian:sid\nRUN apt-get update && apt-get install -y xz-utils=5.6.1+really5.4.5-1\n');
});

test("the README's Neovim snippet attaches one server to a file of every format, and to nothing else", { timeout: 60_000 }, async (t) => {
  if (missing) {
    if (process.env.CI) assert.fail(missing);
    t.skip(missing);
    return;
  }
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const snippet = /\*\*Neovim\*\*[\s\S]*?```lua\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(snippet, 'the README has a Lua block for Neovim');
  const dir = mkdtempSync(join(tmpdir(), 'pinwatch-nvim-readme-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // One file per pattern (each * made into a word), and names no format reads.
  const read = [...new Set(Object.values(formatPatterns).flat())].map((p) => p.replace(/\*/g, 'app'));
  const others = ['README.md', 'Dockerfiles', 'docker-compose.env', 'go.sum', 'requirements.in'];
  for (const name of [...read, ...others]) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), '\n');
  }
  writeFileSync(join(dir, 'snippet.lua'), snippet!.replace('/path/to/pinwatch/dist/server.js', serverPath));
  const out = join(dir, 'result.json');
  writeFileSync(join(dir, 'driver.lua'), `
dofile(${JSON.stringify(join(dir, 'snippet.lua'))})
local files = vim.fn.json_decode(os.getenv('PINWATCH_FILES'))
local buffers, attached, ids = {}, {}, {}
for _, name in ipairs(files) do
  vim.cmd('edit ' .. vim.fn.fnameescape(name))
  buffers[#buffers + 1] = vim.api.nvim_get_current_buf()
end
-- Clients count as attached once initialized.
vim.wait(15000, function() return #vim.lsp.get_active_clients() > 0 end, 20)
for _, bufnr in ipairs(buffers) do
  local clients = vim.tbl_values(vim.lsp.buf_get_clients(bufnr))
  attached[#attached + 1] = #clients
  for _, c in ipairs(clients) do ids[tostring(c.id)] = true end
end
local handle = io.open(os.getenv('PINWATCH_OUT'), 'w')
handle:write(vim.fn.json_encode({ attached = attached, servers = vim.tbl_count(ids) }))
handle:close()
vim.lsp.stop_client(vim.lsp.get_active_clients())
vim.cmd('qall!')
`);
  const status = await new Promise<number | null>((done) => {
    const child = execFile('nvim', ['--headless', '--clean', '-u', join(dir, 'driver.lua')], {
      cwd: dir,
      env: { ...process.env, PINWATCH_FILES: JSON.stringify([...read, ...others]), PINWATCH_OUT: out },
      timeout: 50_000,
    });
    child.once('exit', (code) => done(code));
  });
  assert.deepStrictEqual({ status, result: JSON.parse(readFileSync(out, 'utf8')) }, {
    status: 0,
    result: { attached: [...read.map(() => 1), ...others.map(() => 0)], servers: 1 },
  });
});
