/**
 * Checks the npm package as a user gets it: `npm pack` (of the release build already in dist/), installed into an
 * empty project with no network, then `npx pgvet lint` on the examples. Fails when the tarball holds something it
 * should not (source maps, sources, the extension bundle), when the install needs anything beyond the tarball, or when
 * the installed CLI does not find the examples' deliberate mistakes.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'pgvet-npm-'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
try {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  assert.ok(!manifest.private, 'package.json is private: npm would refuse to publish it');
  assert.deepEqual(Object.keys(manifest.dependencies ?? {}), [], 'the CLI is bundled: it needs no runtime dependency');

  // --ignore-scripts: dist/ already holds the release build (`npm run package`); prepack would rebuild it.
  const packed = JSON.parse(execFileSync(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: root, encoding: 'utf8' }));
  const { filename, files, size } = packed[0] as { filename: string; files: Array<{ path: string }>; size: number };
  const paths = files.map((f) => f.path).sort();
  const allowed = [/^package\.json$/, /^README\.md$/, /^LICENSE$/, /^CHANGELOG\.md$/, /^dist\/(cli|cli-engine|lint-worker|verify|lint-database|shadow-worker)\.js$/, /^dist\/[\w.-]+\.(wasm|data|tar\.gz)$/, /^docs\/rules\/[\w-]+\.md$/];
  const stray = paths.filter((p) => !allowed.some((re) => re.test(p)));
  assert.deepEqual(stray, [], `files that should not be in the npm package: ${stray.join(', ')}`);
  for (const needed of ['dist/cli.js', 'dist/cli-engine.js', 'dist/verify.js', 'dist/lint-database.js', 'dist/shadow-worker.js', 'dist/lint-worker.js', 'dist/libpg-query.wasm', 'dist/pglite.wasm', 'dist/pglite.data']) {
    assert.ok(paths.includes(needed), `${needed} is missing from the npm package`);
  }

  const project = join(work, 'project');
  execFileSync('mkdir', ['-p', project]);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'uses-pgvet', version: '1.0.0', private: true }));
  execFileSync(npm, ['install', '--offline', '--no-audit', '--no-fund', join(work, filename)], { cwd: project, stdio: 'inherit' });

  const version = execFileSync('npx', ['--no-install', 'pgvet', '--version'], { cwd: project, encoding: 'utf8' }).trim();
  assert.equal(version, manifest.version);
  const lint = spawnSync('npx', ['--no-install', 'pgvet', 'lint', join(root, 'examples'), '--format', 'json'], { cwd: project, encoding: 'utf8' });
  assert.equal(lint.status, 1, `pgvet lint examples/ should exit 1 (deliberate mistakes): ${lint.stderr}`);
  const report = JSON.parse(lint.stdout) as { summary: { files: number; error: number; warning: number } };
  assert.ok(report.summary.files > 0 && report.summary.warning + report.summary.error > 0, JSON.stringify(report.summary));
  // verify runs the embedded PostgreSQL: its WASM and data must be found beside the installed bundle.
  const verify = spawnSync('npx', ['--no-install', 'pgvet', 'verify', join(root, 'examples/billing/migrations'), '--format', 'json'], { cwd: project, encoding: 'utf8' });
  assert.ok(verify.status === 0 || verify.status === 1, `pgvet verify exited ${verify.status}: ${verify.stderr}`);
  const verdicts = JSON.parse(verify.stdout) as { sets?: Array<{ migrations: unknown[] }> };
  assert.ok((verdicts.sets?.[0]?.migrations.length ?? 0) > 0, verify.stdout.slice(0, 500));
  process.stdout.write(
    `npm package ${filename}: ${(size / 1024 / 1024).toFixed(2)} MB packed, ${paths.length} files; installed offline, ` +
      `pgvet ${version} linted examples/: ${report.summary.files} files, ${report.summary.error} errors, ${report.summary.warning} warnings\n`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
