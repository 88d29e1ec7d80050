import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

// The default is now one worker per CPU but one (none on 2 CPUs), so the worker pool is checked here by asking
// for it: two workers and the in-process run must report the same findings.

const CLI = resolve(__dirname, '../../dist/cli.js');
const CORPUS = resolve(__dirname, '../../../shared/corpus');
// 92 files: over the 64 below which the CLI does not start workers.
const PROJECT = join(CORPUS, 'supabase__storage');

interface Report {
  summary: Record<string, number>;
  files: { path: string; error?: string; findings: { ruleId: string; line: number; column: number; fingerprint: string }[] }[];
}

function lint(jobs: string, paths = [PROJECT]): Report {
  const r = spawnSync(process.execPath, [CLI, 'lint', ...paths, '--format', 'json', '--no-baseline', '--jobs', jobs], { encoding: 'utf8', maxBuffer: 1 << 30 });
  assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Report;
}

/** What a finding is, without fix titles (a new migration is named after the current second). */
function findings(report: Report): string[] {
  return report.files.flatMap((f) => [`${f.path} ${f.error ?? ''}`, ...f.findings.map((x) => `${f.path}:${x.line}:${x.column} ${x.ruleId} ${x.fingerprint}`)]);
}

test('--jobs 2 (worker threads) reports what --jobs 1 (in-process) does', { skip: !existsSync(PROJECT) && 'corpus not present' }, () => {
  const inProcess = lint('1');
  const workers = lint('2');
  assert.ok(inProcess.files.length >= 64, `${inProcess.files.length} files: too few for workers`);
  assert.deepEqual(workers.summary, inProcess.summary);
  assert.deepEqual(findings(workers), findings(inProcess));
  assert.ok(findings(inProcess).length > inProcess.files.length, 'no findings to compare');
});

// Files named one by one make batches of 32, several work units: the main thread lints some, the worker the rest.
test('--jobs 2 over several work units (the main thread and a worker) reports what --jobs 1 does', { skip: !existsSync(PROJECT) && 'corpus not present' }, () => {
  const files = lint('1').files.map((f) => f.path).filter((p) => p.endsWith('.sql'));
  assert.ok(files.length > 64, `${files.length} files: fewer than three units`);
  const absolute = files.map((p) => resolve(p));
  const inProcess = lint('1', absolute);
  const threads = lint('2', absolute);
  assert.deepEqual(threads.summary, inProcess.summary);
  assert.deepEqual(findings(threads), findings(inProcess));
  assert.ok(findings(inProcess).length > inProcess.files.length, 'no findings to compare');
});
