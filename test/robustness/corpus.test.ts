import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join, relative, resolve } from 'node:path';
import { before, describe, test } from 'node:test';
import { filesUnder } from '../support/files-under';

const REPO = resolve(__dirname, '../..');
const CLI = join(REPO, 'dist/cli.js');
const CORPUS = resolve(__dirname, '../../../shared/corpus');
/** A hang fails the test: the CLI is killed after this long (the corpus takes ~15 s on 2 cores). */
const KILL_AFTER_MS = 5 * 60_000;

/** Folders whose SQL is deliberately invalid (PostgreSQL's regression tests) or not PostgreSQL (SQLite, D1). */
const NOT_POSTGRES = ['pganalyze__libpg_query', 'prisma__prisma-examples'];

/**
 * Every real syntax error in the rest of the corpus, each checked by hand against the file.
 * (Statements with psql variables or Go-template placeholders are reported as `info`, not errors, and are not listed.)
 */
const KNOWN_SYNTAX_ERRORS: { file: string; line: number; message: string; why: string }[] = [
  {
    file: 'civitai__civitai/packages/civitai-db-schema/prisma/migrations/20251123142214_model_metric_overhaul/migration.sql',
    line: 27,
    message: 'syntax error at or near ""mode""',
    why: 'UPDATE … SET list is missing a comma after "availability" = m."availability" (line 26)',
  },
  {
    file: 'rust-lang__crates.io/migrations/20170318181441_downloads_need_no_id/down.sql',
    line: 2,
    message: 'syntax error at or near "ALTER"',
    why: 'line 1 `ALTER TABLE … DROP CONSTRAINT crate_downloads_pkey` has no terminating semicolon, so two ALTERs run together',
  },
  {
    file: 'umami-software__umami/db/postgresql/data-migrations/convert-utm-clid-columns.sql',
    line: 37,
    message: 'syntax error at or near "`"',
    why: 'the file has a "-- MySQL" section with backquoted identifiers (`website_event`), which PostgreSQL does not accept',
  },
  {
    file: 'umami-software__umami/db/postgresql/data-migrations/populate-revenue-table.sql',
    line: 25,
    message: 'syntax error at or near "`"',
    why: 'the file has a "-- MySQL" section with backquoted identifiers (`revenue`), which PostgreSQL does not accept',
  },
];

interface JsonFinding { ruleId: string; severity: string; message: string; line: number; column: number }
interface JsonFile { path: string; error?: string; encoding?: string; findings: JsonFinding[] }
interface JsonOut { summary: { files: number; failed: number }; files: JsonFile[] }

function runCli(args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; killed: boolean }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, KILL_AFTER_MS);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr, killed });
    });
  });
}

const rel = (p: string) => relative(CORPUS, resolve(REPO, p)).split('\\').join('/');
const isSyntaxError = (f: JsonFinding) => f.ruleId === 'syntax-error' && f.severity === 'error';

describe('the CLI over the whole corpus', { timeout: KILL_AFTER_MS + 60_000 }, () => {
  let run: Awaited<ReturnType<typeof runCli>>;
  let out: JsonOut;
  let byPath: Map<string, JsonFile>;
  const expected = filesUnder(CORPUS, /\.(sql|prisma)$/i).map((p) => relative(CORPUS, p).split('\\').join('/')).sort();

  before(async () => {
    run = await runCli(['lint', CORPUS, '--format', 'json']);
    if (!run.killed && (run.code === 0 || run.code === 1)) {
      out = JSON.parse(run.stdout);
      byPath = new Map(out.files.map((f) => [rel(f.path), f]));
    }
  });

  test('exits with 0 or 1, in time, and prints JSON', () => {
    assert.equal(run.killed, false, `the CLI did not finish within ${KILL_AFTER_MS / 1000} s`);
    assert.ok(run.code === 0 || run.code === 1, `exit code ${run.code} (signal ${run.signal}); stderr:\n${run.stderr.slice(0, 4000)}`);
    assert.ok(out, 'JSON output');
  });

  test('lists every .sql and .prisma file in the corpus, each exactly once', () => {
    assert.ok(expected.length > 3000, `walked ${expected.length} .sql and .prisma files`);
    assert.equal(out.files.length, expected.length);
    assert.equal(out.summary.files, expected.length);
    assert.deepEqual([...byPath.keys()].sort(), expected);
  });

  test('every file could be checked', () => {
    const failed = out.files.filter((f) => f.error).map((f) => `${rel(f.path)}: ${f.error}`);
    assert.deepEqual(failed, []);
    assert.equal(out.summary.failed, 0);
  });

  test('the deliberately broken regression files are checked and yield syntax errors, not failures', () => {
    const regress = out.files.filter((f) => rel(f.path).startsWith('pganalyze__libpg_query/test/sql/postgres_regress/'));
    assert.ok(regress.length > 200, `${regress.length} regression files`);
    const withErrors = regress.filter((f) => f.findings.some(isSyntaxError));
    assert.ok(withErrors.length > 10, `${withErrors.length} regression files with syntax errors`);
  });

  test('the WIN1252 file is read as windows-1252, and only that file is not UTF-8', () => {
    const win = byPath.get('pganalyze__libpg_query/test/sql/postgres_regress/collate.windows.win1252.sql');
    assert.ok(win, 'the WIN1252 file is in the output');
    assert.equal(win.encoding, 'windows-1252');
    assert.equal(win.error, undefined);
    assert.deepEqual(out.files.filter((f) => f.encoding).map((f) => rel(f.path)), ['pganalyze__libpg_query/test/sql/postgres_regress/collate.windows.win1252.sql']);
  });

  test('civitai model_metric_overhaul has exactly one syntax error (the missing comma)', () => {
    const f = byPath.get('civitai__civitai/packages/civitai-db-schema/prisma/migrations/20251123142214_model_metric_overhaul/migration.sql')!;
    const errors = f.findings.filter(isSyntaxError);
    assert.deepEqual(errors.map((e) => [e.line, e.column, e.message]), [[27, 3, 'syntax error at or near ""mode""']]);
  });

  test('goose files in hatchet have no syntax error', () => {
    const goose = out.files.filter((f) => rel(f.path).startsWith('hatchet-dev__hatchet/cmd/hatchet-migrate/migrate/migrations/'));
    assert.ok(goose.length > 50, `${goose.length} goose migrations`);
    const bad = goose.flatMap((f) => f.findings.filter((x) => x.ruleId === 'syntax-error').map((x) => `${rel(f.path)}:${x.line}: ${x.message}`));
    assert.deepEqual(bad, []);
  });

  test('syntax errors outside the non-PostgreSQL folders are exactly the known, hand-checked ones', () => {
    const found = out.files
      .filter((f) => !NOT_POSTGRES.some((d) => rel(f.path).startsWith(d + '/')))
      .flatMap((f) => f.findings.filter(isSyntaxError).map((x) => ({ file: rel(f.path), line: x.line, message: x.message })))
      .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
    assert.deepEqual(found, KNOWN_SYNTAX_ERRORS.map(({ file, line, message }) => ({ file, line, message })));
  });
});
