/**
 * Checks the packaged extension: under 15 MB, and only what the extension needs
 * (the allow-list in .vscodeignore), so a stray file cannot slip into a release.
 */
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';

const vsix = resolve(__dirname, '../pgvet.vsix');
const size = statSync(vsix).size;
const listing = execFileSync('unzip', ['-Z1', vsix], { encoding: 'utf8' }).trim().split('\n');
const allowed = [
  /^extension\.vsixmanifest$/, /^\[Content_Types\]\.xml$/,
  /^extension\/(package\.json|readme\.md|changelog\.md|LICENSE\.txt)$/,
  /^extension\/dist\/(extension|server|cli|cli-engine|verify|lint-database|lint-worker|shadow-worker)\.js$/, /^extension\/dist\/[\w.-]+\.(wasm|data|tar\.gz)$/, /^extension\/dist\/media\/explain\.(js|css)$/,
  /^extension\/(syntaxes|snippets|media)\//,
];
const stray = listing.filter((f) => !allowed.some((re) => re.test(f)));
const required = ['extension/dist/extension.js', 'extension/dist/server.js', 'extension/dist/cli.js', 'extension/dist/cli-engine.js', 'extension/dist/verify.js', 'extension/dist/lint-database.js', 'extension/dist/shadow-worker.js', 'extension/dist/libpg-query.wasm', 'extension/dist/pglite.wasm', 'extension/dist/pglite.data', 'extension/dist/initdb.wasm', 'extension/dist/media/explain.js', 'extension/dist/media/explain.css', 'extension/media/icon.png'];
const missing = required.filter((f) => !listing.includes(f));
process.stdout.write(`pgvet.vsix: ${(size / 1024 / 1024).toFixed(2)} MB, ${listing.length} files\n`);
let ok = true;
if (size >= 15 * 1024 * 1024) { process.stderr.write('the .vsix is 15 MB or more\n'); ok = false; }
if (stray.length) { process.stderr.write(`files that should not be packaged:\n  ${stray.join('\n  ')}\n`); ok = false; }
if (missing.length) { process.stderr.write(`files missing from the package:\n  ${missing.join('\n  ')}\n`); ok = false; }
process.exit(ok ? 0 : 1);
