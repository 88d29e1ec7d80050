/**
 * The same mocha suite under @vscode/test-electron, for machines that can download VS Code
 * (these CI machines cannot: use run-in-code-server.ts there). Runs the checkout as the development
 * extension (build it first: `npm run build`) in a copy of examples/.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { buildSuite } from './build-suite';
import { findRepoRoot } from './features';

async function main(): Promise<number> {
  const repoRoot = findRepoRoot(__dirname);
  const extensionTestsPath = await buildSuite();
  const workspace = mkdtempSync(join(tmpdir(), 'pgvet-e2e-electron-ws-'));
  cpSync(join(repoRoot, 'examples'), workspace, { recursive: true });
  try {
    return await runTests({
      version: process.env.PGVET_E2E_VSCODE_VERSION ?? 'stable',
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    });
  } catch (error) {
    console.error(`@vscode/test-electron failed: ${String((error as Error).message ?? error)}`);
    return 1;
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

void main().then((code) => process.exit(code));
