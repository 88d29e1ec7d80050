/**
 * The mocha entry point VS Code's extension host calls (`extensionTestsPath`), both inside
 * code-server (run-in-code-server.ts) and under @vscode/test-electron (run-electron.ts).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import { report } from './report';

/**
 * Prints finished strings with a marker: the extension host's console reaches code-server's page
 * with printf-style arguments unformatted and mixed with the workbench's own messages.
 */
class MarkedReporter {
  constructor(runner: Mocha.Runner) {
    const { EVENT_SUITE_BEGIN, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_RUN_END } = Mocha.Runner.constants;
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    runner.on(EVENT_SUITE_BEGIN, (suite: Mocha.Suite) => suite.title && report(suite.title));
    runner.on(EVENT_TEST_PASS, (test: Mocha.Test) => {
      passed++;
      report(`  ✔ ${test.title} (${test.duration ?? 0} ms)`);
    });
    runner.on(EVENT_TEST_PENDING, (test: Mocha.Test) => {
      skipped++;
      report(`  - skip ${test.title}`);
    });
    runner.on(EVENT_TEST_FAIL, (test: Mocha.Test, error: Error) => {
      failed++;
      report(`  ✖ ${test.title}\n    ${String(error.stack ?? error).split('\n').join('\n    ')}`);
    });
    runner.once(EVENT_RUN_END, () => report(`${passed} passed, ${failed} failed${skipped ? ` (${skipped} skipped)` : ''}`));
  }
}

export function run(): Promise<void> {
  // mocha is not bundled: it loads the test files itself and resolves from the checkout's node_modules.
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 120_000, reporter: MarkedReporter as unknown as Mocha.ReporterConstructor });
  for (const f of readdirSync(__dirname).sort()) if (f.endsWith('.test.js')) mocha.addFile(join(__dirname, f));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} e2e API test(s) failed`)) : resolve()));
  });
}
