/**
 * Grammar snapshot tests: `npm run test:grammar` checks, `npm run test:grammar -- --update` rewrites the .snap files.
 *
 * vscode-tmgrammar-snap reads the grammars from package.json's contributes.grammars, so the tests exercise
 * the real registration (injectTo, scope names). The base `source.sql` grammar is VS Code's own built-in
 * grammar as shipped by the tm-grammars package; pgvet's injection is tested on top of it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';

const require = createRequire(import.meta.url);
const root = join(import.meta.dirname, '..', '..');
const here = relative(root, import.meta.dirname);
const update = process.argv.includes('--update');

const snapCli = join(dirname(require.resolve('vscode-tmgrammar-test/package.json')), 'dist', 'snapshot.js');
const builtinSqlGrammar = relative(root, require.resolve('tm-grammars/grammars/sql.json'));

const suites = [
  { ext: '.sql', args: ['--scope', 'source.sql', '--grammar', builtinSqlGrammar] },
  { ext: '.prisma', args: [] },
];

let failed = 0;
let passed = 0;
for (const suite of suites) {
  const fixtures = readdirSync(import.meta.dirname).filter((f) => f.endsWith(suite.ext));
  // The tool writes a missing snapshot and passes; here a missing snapshot is a failure unless updating.
  const hasSnap = (f: string) => existsSync(join(import.meta.dirname, f + '.snap'));
  for (const f of fixtures.filter((f) => !update && !hasSnap(f))) {
    console.error(`missing snapshot ${here}/${f}.snap (run npm run test:grammar -- --update and review it)`);
    failed++;
  }
  // One run per fixture, so the summary counts fixtures and a failure names its file.
  for (const fixture of fixtures.filter((f) => update || hasSnap(f))) {
    const args = [snapCli, '--config', 'package.json', ...suite.args, ...(update ? ['--updateSnapshot'] : []), `${here}/${fixture}`];
    const run = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
    if (run.status === 0) passed++;
    else failed++;
  }
}

console.log(`grammar: ${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
