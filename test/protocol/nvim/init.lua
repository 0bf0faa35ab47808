-- Drives the bundled Pinwatch server from a headless Neovim (0.7+, push diagnostics only): open the file named by
-- PINWATCH_FILE, wait for diagnostics, request code actions, apply the first one's edit, write the file, and record
-- what was seen as JSON in PINWATCH_OUT. Any failure exits with status 1 and the reason in the JSON.
local server = os.getenv('PINWATCH_SERVER')
local file = os.getenv('PINWATCH_FILE')
local out = os.getenv('PINWATCH_OUT')

local function finish(result, status)
  local handle = io.open(out, 'w')
  handle:write(vim.fn.json_encode(result))
  handle:close()
  vim.cmd(status == 0 and 'qall!' or 'cquit! ' .. status)
end

local function run()
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = 'pinwatch',
    cmd = { 'node', server, '--stdio' },
    root_dir = vim.fn.fnamemodify(file, ':h'),
  })
  assert(client_id, 'the server did not start')
  vim.lsp.buf_attach_client(bufnr, client_id)

  local ok = vim.wait(15000, function() return #vim.diagnostic.get(bufnr) > 0 end, 20)
  assert(ok, 'no diagnostics were published')
  local diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(diagnostics, {
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      severity = d.severity, source = d.source, code = d.code,
    })
  end

  local first = vim.diagnostic.get(bufnr)[1]
  local position = { line = first.lnum, character = first.col }
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = { start = position, ['end'] = position },
    context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(bufnr, first.lnum) },
  }
  local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, 10000)
  assert(responses and responses[client_id] and responses[client_id].result, 'no code action response')
  local actions = {}
  for _, action in ipairs(responses[client_id].result) do
    table.insert(actions, { kind = action.kind, isPreferred = action.isPreferred or false })
  end
  local chosen = responses[client_id].result[1]
  assert(chosen and chosen.edit, 'no code action with an edit')
  vim.lsp.util.apply_workspace_edit(chosen.edit, 'utf-16')
  vim.cmd('write')
  vim.lsp.stop_client(client_id)
  finish({ diagnostics = diagnostics, actions = actions }, 0)
end

local ok, err = pcall(run)
if not ok then finish({ error = tostring(err) }, 1) end
