// A JSON-RPC connection to a language server over a child process's standard input and output, framed as the
// Language Server Protocol frames messages (Content-Length headers). Plain Node.js, nothing of VS Code, so that
// the tests run it against `nnc lsp` without an editor (ide/test/connection.test.mjs), and the extension needs no
// npm packages (its .vsix builds offline).
'use strict';

const { spawn } = require('child_process');

class Connection {
  /** Starts the server: `command` and its `args`; `onNotification(method, params)` gets what the server sends. */
  constructor(command, args, onNotification, options = {}) {
    this.next = 1;
    this.pending = new Map();
    this.onNotification = onNotification;
    this.buffer = Buffer.alloc(0);
    this.process = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], ...options });
    this.process.stdout.on('data', (chunk) => this.receive(chunk));
    this.process.stderr.on('data', (chunk) => (options.onStderr || (() => {}))(chunk.toString()));
    this.exited = new Promise((resolve) => this.process.on('exit', (code) => {
      for (const { reject } of this.pending.values()) reject(new Error(`the language server exited (${code})`));
      this.pending.clear();
      resolve(code);
    }));
  }

  request(method, params) {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.send({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method, params) { this.send({ jsonrpc: '2.0', method, params }); }

  send(message) {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.process.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.process.stdin.write(body);
  }

  receive(chunk) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const header = this.buffer.subarray(0, end).toString('ascii');
      const match = /Content-Length: *(\d+)/i.exec(header);
      if (!match) throw new Error(`a message without Content-Length: ${header}`);
      const length = Number(match[1]);
      if (this.buffer.length < end + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString('utf8'));
      this.buffer = this.buffer.subarray(end + 4 + length);
      this.dispatch(message);
    }
  }

  dispatch(message) {
    if (message.id !== undefined && (message.result !== undefined || message.error !== undefined) && message.method === undefined) {
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      if (message.error) waiting.reject(new Error(message.error.message));
      else waiting.resolve(message.result);
    } else if (message.id !== undefined) {
      // a request from the server (window/showMessageRequest, workspace/configuration …): nothing to give
      this.send({ jsonrpc: '2.0', id: message.id, result: null });
    } else {
      this.onNotification(message.method, message.params);
    }
  }

  async stop() {
    try {
      await this.request('shutdown', null);
      this.notify('exit', null);
    } catch (e) {
      this.process.kill();
    }
    return this.exited;
  }
}

module.exports = { Connection };
