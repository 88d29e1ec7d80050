/** Bundles the in-extension-host mocha suite (test/e2e/suite/*.ts) into dist-test/e2e/suite/. */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { findRepoRoot } from './features';

export const suiteOutDir = join(findRepoRoot(__dirname), 'dist-test/e2e/suite');

export async function buildSuite(): Promise<string> {
  const root = findRepoRoot(__dirname);
  const srcDir = join(root, 'test/e2e/suite');
  const entryPoints = readdirSync(srcDir).filter((f) => f === 'index.ts' || f.endsWith('.test.ts')).map((f) => join(srcDir, f));
  rmSync(suiteOutDir, { recursive: true, force: true });
  await build({
    entryPoints,
    outdir: suiteOutDir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    logLevel: 'warning',
    // vscode comes from the extension host; mocha from the checkout's node_modules (it loads the test files itself).
    external: ['vscode', 'mocha'],
  });
  // Build output: keep it out of `git status` even where .gitignore does not list dist-test/.
  mkdirSync(join(root, 'dist-test/e2e'), { recursive: true });
  writeFileSync(join(root, 'dist-test/e2e/.gitignore'), '*\n');
  return join(suiteOutDir, 'index.js');
}

if (require.main === module) void buildSuite().then((index) => console.log(`built ${index}`));
