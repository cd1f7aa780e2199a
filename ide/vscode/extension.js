// The nnc extension for VS Code: the .nn language (grammar, brackets, comments, snippets for the math) and a client
// of `nnc lsp`, written against VS Code's API alone: diagnostics as you type, hover, go to definition, completion
// and the outline come from the server, which is nnc's own compiler.
'use strict';

const vscode = require('vscode');
const { Connection } = require('./connection');

let connection;

function activate(context) {
  const config = vscode.workspace.getConfiguration('nnc');
  const command = config.get('command', 'nnc');
  const output = vscode.window.createOutputChannel('nnc');
  const diagnostics = vscode.languages.createDiagnosticCollection('nnc');
  context.subscriptions.push(output, diagnostics);

  connection = new Connection(command, ['lsp'], (method, params) => {
    if (method === 'textDocument/publishDiagnostics') {
      diagnostics.set(vscode.Uri.parse(params.uri), params.diagnostics.map(toDiagnostic));
    } else if (method === 'window/logMessage' || method === 'window/showMessage') {
      output.appendLine(params.message);
    }
  }, { onStderr: (text) => output.append(text) });
  connection.process.on('error', (e) =>
    vscode.window.showErrorMessage(`nnc: cannot start "${command} lsp" (${e.message}); set nnc.command to the nnc launcher`));

  const ready = connection.request('initialize', {
    processId: process.pid, rootUri: null,
    capabilities: { textDocument: { hover: { contentFormat: ['markdown'] }, documentSymbol: { hierarchicalDocumentSymbolSupport: true } } },
  }).then(() => connection.notify('initialized', {}));

  const isNn = (doc) => doc.languageId === 'nn';
  const open = (doc) => isNn(doc) && ready.then(() => connection.notify('textDocument/didOpen',
    { textDocument: { uri: doc.uri.toString(), languageId: 'nn', version: doc.version, text: doc.getText() } }));
  vscode.workspace.textDocuments.forEach(open);
  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument(open),
    vscode.workspace.onDidChangeTextDocument((e) => isNn(e.document) && ready.then(() => connection.notify('textDocument/didChange', {
      textDocument: { uri: e.document.uri.toString(), version: e.document.version }, contentChanges: [{ text: e.document.getText() }],
    }))),
    vscode.workspace.onDidCloseTextDocument((doc) => isNn(doc) && ready.then(() => connection.notify('textDocument/didClose',
      { textDocument: { uri: doc.uri.toString() } }))));

  const at = (doc, pos) => ({ textDocument: { uri: doc.uri.toString() }, position: { line: pos.line, character: pos.character } });
  const selector = { language: 'nn' };
  context.subscriptions.push(
    vscode.languages.registerHoverProvider(selector, {
      provideHover: async (doc, pos) => {
        const h = await connection.request('textDocument/hover', at(doc, pos));
        return h && new vscode.Hover(new vscode.MarkdownString(h.contents.value), h.range && toRange(h.range));
      },
    }),
    vscode.languages.registerDefinitionProvider(selector, {
      provideDefinition: async (doc, pos) => ((await connection.request('textDocument/definition', at(doc, pos))) || [])
        .map((l) => new vscode.Location(vscode.Uri.parse(l.uri), toRange(l.range))),
    }),
    vscode.languages.registerCompletionItemProvider(selector, {
      provideCompletionItems: async (doc, pos) => ((await connection.request('textDocument/completion', at(doc, pos))) || []).map((c) => {
        const item = new vscode.CompletionItem(c.label, (c.kind || 1) - 1); // LSP's kinds count from 1, VS Code's from 0
        item.detail = c.detail;
        if (c.textEdit) {
          item.insertText = c.textEdit.newText;
          item.range = toRange(c.textEdit.range);
          item.filterText = c.filterText;
        }
        return item;
      }),
    }, '\\'),
    vscode.languages.registerDocumentSymbolProvider(selector, {
      provideDocumentSymbols: async (doc) => ((await connection.request('textDocument/documentSymbol',
        { textDocument: { uri: doc.uri.toString() } })) || []).map(toSymbol),
    }));
}

function toRange(r) { return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character); }

function toDiagnostic(d) {
  const out = new vscode.Diagnostic(toRange(d.range), d.message, d.severity === 1 ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
  out.source = d.source;
  out.code = d.code;
  out.relatedInformation = (d.relatedInformation || []).map((r) =>
    new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.parse(r.location.uri), toRange(r.location.range)), r.message));
  return out;
}

function toSymbol(s) {
  const out = new vscode.DocumentSymbol(s.name, s.detail || '', s.kind - 1, toRange(s.range), toRange(s.selectionRange));
  out.children = (s.children || []).map(toSymbol);
  return out;
}

function deactivate() { return connection && connection.stop(); }

module.exports = { activate, deactivate };
