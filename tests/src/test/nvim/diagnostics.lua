-- Headless Neovim, with its built-in LSP client, against `nnc lsp`: opens the file given on the command line,
-- attaches the server (the command in $NNC_LSP_CMD, a JSON list), waits for its diagnostics, writes them to
-- $NNC_OUT one a line (line:col:end_line:end_col:severity:source:code:message, 0-based as Neovim keeps them), quits.
local cmd = vim.fn.json_decode(os.getenv('NNC_LSP_CMD'))
local out = os.getenv('NNC_OUT')
local client = vim.lsp.start_client({ name = 'nnc', cmd = cmd, root_dir = vim.fn.getcwd() })
if not client then
  vim.fn.writefile({ 'no client: the server did not start' }, out)
  vim.cmd('cquit 2')
end
vim.lsp.buf_attach_client(0, client)
local got = vim.wait(60000, function() return #vim.diagnostic.get(0) > 0 end, 20)
local lines = {}
if not got then table.insert(lines, 'no diagnostics within 60 s') end
for _, d in ipairs(vim.diagnostic.get(0)) do
  local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or ''
  local message = d.message:gsub('\n', ' | ')
  table.insert(lines, string.format('%d:%d:%d:%d:%d:%s:%s:%s', d.lnum, d.col, d.end_lnum, d.end_col, d.severity,
    d.source or '', code, message))
end
vim.fn.writefile(lines, out)
vim.lsp.stop_client(client)
vim.cmd('qa!')
