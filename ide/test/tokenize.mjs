// The .nn TextMate grammar (ide/textmate/nn.tmLanguage.json) run by vscode-textmate and vscode-oniguruma, the engine
// VS Code itself uses, over every sample and standard-library file and the examples here (or the files given):
//   - every character that is not white space gets a scope of its own: none is left as plain source.nn, and none is
//     matched by the grammar's catch-all for characters the language does not have (invalid.illegal);
//   - the tokens, with their scopes, match the golden listing in ide/test/golden/ (--update writes it anew).
// Usage: node ide/test/tokenize.mjs [--update] [FILE...]; exit status 1 when a check fails.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import oniguruma from 'vscode-oniguruma';
import textmate from 'vscode-textmate';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const args = process.argv.slice(2);
const update = args.includes('--update');
let files = args.filter((a) => !a.startsWith('--'));
if (files.length === 0) {
  files = ['samples', 'stdlib', 'ide/test/examples'].flatMap((d) =>
    fs.readdirSync(path.join(root, d)).filter((f) => f.endsWith('.nn')).sort().map((f) => path.join(d, f)));
}

const wasm = fs.readFileSync(path.join(here, 'node_modules/vscode-oniguruma/release/onig.wasm')).buffer;
await oniguruma.loadWASM(wasm);
const registry = new textmate.Registry({
  onigLib: Promise.resolve({
    createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
    createOnigString: (s) => new oniguruma.OnigString(s),
  }),
  loadGrammar: async (scope) => scope === 'source.nn'
    ? textmate.parseRawGrammar(fs.readFileSync(path.join(root, 'ide/textmate/nn.tmLanguage.json'), 'utf8'), 'nn.tmLanguage.json')
    : null,
});
const grammar = await registry.loadGrammar('source.nn');

let failures = 0;
const fail = (message) => { failures++; console.error(message); };
for (const file of files) {
  const text = fs.readFileSync(path.resolve(root, file), 'utf8');
  const lines = text.split(/\r?\n/);
  let stack = textmate.INITIAL;
  const listing = [];
  lines.forEach((line, n) => {
    const r = grammar.tokenizeLine(line, stack);
    stack = r.ruleStack;
    for (const t of r.tokens) {
      const piece = line.substring(t.startIndex, t.endIndex);
      if (piece.trim() === '') continue;
      const scopes = t.scopes.slice(1); // without source.nn
      if (scopes.length === 0) fail(`${file}:${n + 1}:${t.startIndex + 1}: "${piece}" has no scope but source.nn`);
      if (scopes.some((s) => s.startsWith('invalid.'))) fail(`${file}:${n + 1}:${t.startIndex + 1}: "${piece}" is not a character of the language: ${scopes.join(' ')}`);
      listing.push(`${n + 1}:${t.startIndex + 1}\t${piece}\t${scopes.join(' ')}`);
    }
  });
  const golden = path.join(here, 'golden', file.replace(/[\/\\]/g, '-') + '.tokens');
  const got = listing.join('\n') + '\n';
  if (update) {
    fs.mkdirSync(path.dirname(golden), { recursive: true });
    fs.writeFileSync(golden, got);
  } else if (!fs.existsSync(golden)) {
    fail(`${file}: no golden listing ${path.relative(root, golden)} (node ide/test/tokenize.mjs --update writes it)`);
  } else if (fs.readFileSync(golden, 'utf8') !== got) {
    const want = fs.readFileSync(golden, 'utf8').split('\n'), have = got.split('\n');
    const k = want.findIndex((l, i) => l !== have[i]);
    fail(`${file}: the tokens differ from ${path.relative(root, golden)}, first at entry ${k + 1}:\n  want ${want[k]}\n  got  ${have[k]}`);
  }
}
console.log(`${files.length} files tokenized${update ? ', golden listings written' : ''}; ${failures} problem${failures === 1 ? '' : 's'}`);
process.exit(failures === 0 ? 0 : 1);
