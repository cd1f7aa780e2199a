// The VS Code extension's client (ide/vscode/connection.js) against `nnc lsp`: starts the server with the command
// given, opens a file, and prints, one JSON line each, the diagnostics the server publishes for it and the hover at
// the line and character given; then shuts the server down. Run by dev.nnc.tests.VsCodeExtensionTest.
// Usage: node ide/test/connection.test.mjs FILE LINE CHARACTER COMMAND [ARG...]
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const { Connection } = require('../vscode/connection.js');
const [file, line, character, command, ...args] = process.argv.slice(2);
const uri = pathToFileURL(path.resolve(file)).toString();

let published;
const diagnostics = new Promise((resolve) => { published = resolve; });
const connection = new Connection(command, args, (method, params) => {
  if (method === 'textDocument/publishDiagnostics' && params.uri === uri) published(params.diagnostics);
}, { onStderr: (t) => process.stderr.write(t) });
const timeout = setTimeout(() => { console.error('no answer within 60 s'); process.exit(2); }, 60000);
await connection.request('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
connection.notify('initialized', {});
connection.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'nn', version: 1, text: fs.readFileSync(file, 'utf8') } });
console.log(JSON.stringify({ diagnostics: await diagnostics }));
const hover = await connection.request('textDocument/hover', { textDocument: { uri }, position: { line: Number(line), character: Number(character) } });
console.log(JSON.stringify({ hover }));
const code = await connection.stop();
clearTimeout(timeout);
console.log(JSON.stringify({ exit: code }));
