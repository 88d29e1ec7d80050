import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client } from 'pg';
import { migrationSetAt } from '../../core/src/catalog/history';
import { nodeDirectoryView } from '../../core/src/fs/disk';
import { pgliteDatabase, serverDatabase } from '../../core/src/verify/database';
import { ClusterEffectsError, verifyHistory, type VerifyReport } from '../../core/src/verify/verify';
import { findPostgresBinaries, startPostgres, type PostgresServer } from '../support/postgres';

// `pgvet verify --database-url` runs migrations on a throwaway database of a real server. What the migrations do
// outside that database (roles, the server's configuration and files, other databases, other sessions) is not
// undone by dropping it, so such migrations are refused before anything runs. Checked on a real server against a
// fingerprint of the cluster taken before and after.

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'server/src/cli.ts');

let hasServer = true;
try {
  findPostgresBinaries();
} catch {
  hasServer = false;
}
const skip = !hasServer && 'no PostgreSQL server binaries';

const work = mkdtempSync(path.join(tmpdir(), 'pgvet-verify-effects-'));
/** Writable by the server's unprivileged user: COPY … TO PROGRAM / a file, lo_export and adminpack could change it. */
const CANARY = path.join(work, 'canary.txt');

/** A plain folder with one migration. */
function history(name: string, sql: string): string {
  const dir = path.join(work, name, 'migrations');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, '001_migration.sql'), sql);
  return dir;
}

function setAt(dir: string) {
  const set = migrationSetAt(dir, nodeDirectoryView);
  assert.ok(set, `migrations found in ${dir}`);
  return set;
}

async function withClient<T>(url: string, run: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await run(c);
  } finally {
    await c.end();
  }
}

/** What a migration must not change: roles, databases, postgresql.auto.conf, the canary file, rows of another database, other sessions. */
async function fingerprint(server: PostgresServer, bystanderPid: number): Promise<Record<string, unknown>> {
  return withClient(server.url(), async (c) => ({
    roles: (await c.query('SELECT rolname, rolcanlogin, rolsuper FROM pg_roles ORDER BY 1')).rows,
    databases: (await c.query('SELECT datname FROM pg_database ORDER BY 1')).rows.map((r) => r.datname),
    autoConf: (await c.query("SELECT pg_read_file('postgresql.auto.conf') AS f")).rows[0].f,
    settings: (await c.query("SELECT name, setting FROM pg_settings WHERE name IN ('work_mem', 'log_statement') ORDER BY 1")).rows,
    canary: existsSync(CANARY) ? readFileSync(CANARY, 'utf8') : '(missing)',
    otherRows: await withClient(server.url('other'), async (o) => (await o.query('SELECT count(*)::int AS n FROM victims')).rows[0].n),
    bystanderAlive: (await c.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1', [bystanderPid])).rows[0].n,
  }));
}

/** Spawns the CLI from source; `waitFor` resolves when stderr has matched the pattern. */
function spawnCli(args: string[]): { child: ChildProcess; done: Promise<{ code: number | null; stdout: string; stderr: string; ms: number }>; waitFor(re: RegExp): Promise<void> } {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'verify', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters: { re: RegExp; resolve(): void }[] = [];
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => {
    stderr += d;
    for (const w of waiters.filter((w) => w.re.test(stderr))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string; ms: number }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started })),
  );
  const waitFor = (re: RegExp) =>
    re.test(stderr)
      ? Promise.resolve()
      : Promise.race([
          new Promise<void>((resolve) => waiters.push({ re, resolve })),
          done.then((r) => Promise.reject(new Error(`the CLI exited (${r.code}) before printing ${re}: ${r.stderr}`))),
        ]);
  return { child, done, waitFor };
}

async function throwawayDatabases(server: PostgresServer): Promise<string[]> {
  return withClient(server.url(), async (c) => (await c.query("SELECT datname FROM pg_database WHERE datname LIKE 'pgvet_verify_%'")).rows.map((r) => r.datname));
}

/** Waits until the server shows a running pg_sleep (each round trip is the wait; bounded by the test's timeout). */
async function sleepRunning(server: PostgresServer): Promise<void> {
  await withClient(server.url(), async (c) => {
    for (;;) {
      const { rows } = await c.query("SELECT 1 FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pg_sleep(100000)%' AND pid <> pg_backend_pid()");
      if (rows.length) return;
      await c.query('SELECT pg_sleep(0.05)');
    }
  });
}

describe('verify --database-url: effects outside the throwaway database', { skip, timeout: 600_000 }, () => {
  let server: PostgresServer;
  let bystander: Client;
  let bystanderPid = 0;
  let conninfo = '';

  before(async () => {
    server = await startPostgres();
    const port = new URL(server.url()).port;
    conninfo = `host=127.0.0.1 port=${port} user=postgres`;
    writeFileSync(CANARY, 'untouched\n');
    chmodSync(work, 0o777);
    chmodSync(CANARY, 0o666);
    await withClient(server.url(), (c) => c.query('CREATE DATABASE other'));
    await withClient(server.url('other'), (c) => c.query('CREATE TABLE victims (id int); INSERT INTO victims SELECT generate_series(1, 3)'));
    // A session of someone else, which pg_terminate_backend in a migration would end.
    bystander = new Client({ connectionString: server.url('other') });
    bystander.on('error', () => undefined);
    await bystander.connect();
    bystanderPid = (await bystander.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  });

  after(async () => {
    await bystander?.end().catch(() => undefined);
    server?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  const effects: [name: string, sql: string, expected: RegExp][] = [
    ['create-role', 'CREATE ROLE pgvet_intruder LOGIN;\nCREATE TABLE t (id int);\n', /CREATE ROLE/],
    ['alter-system', "CREATE TABLE t (id int);\nALTER SYSTEM SET work_mem = '77MB';\n", /ALTER SYSTEM/],
    ['copy-program', `COPY (SELECT 'changed') TO PROGRAM 'cat > ${CANARY}';\n`, /COPY … TO PROGRAM/],
    ['copy-file', `COPY (SELECT 'changed') TO '${CANARY}';\n`, /COPY … TO a server file/],
    ['create-database', 'CREATE DATABASE pgvet_extra;\n', /CREATE DATABASE/],
    ['tablespace', `CREATE TABLESPACE pgvet_space LOCATION '${work}';\n`, /CREATE TABLESPACE/],
    ['dblink', "CREATE EXTENSION dblink;\nSELECT dblink_exec('dbname=other', 'DELETE FROM victims');\n", /dblink_exec\(\)/],
    ['adminpack', `CREATE EXTENSION adminpack;\nSELECT pg_catalog.pg_file_write('${CANARY}', 'changed', false);\n`, /pg_file_write\(\)/],
    ['lo-export', `SELECT lo_export(lo_from_bytea(0, 'changed'), '${CANARY}');\n`, /lo_export\(\)/],
    ['terminate', "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'other';\n", /pg_terminate_backend\(\)/],
    ['do-execute', "DO $$BEGIN EXECUTE 'CREATE ROLE pgvet_from_do'; END$$;\n", /CREATE ROLE/],
    ['do-built', "DO $$BEGIN EXECUTE 'ALTER SYSTEM SET log_statement = ' || quote_literal('all'); END$$;\n", /ALTER SYSTEM \(in SQL built at run time\)/],
    [
      'function-body',
      "CREATE FUNCTION reset_conf() RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n  PERFORM pg_reload_conf();\nEND $$;\nSELECT reset_conf();\n",
      /pg_reload_conf\(\)/,
    ],
    ['grant-role', 'GRANT pg_read_server_files TO PUBLIC;\n', /GRANT <role> TO/],
  ];

  for (const [name, sql, expected] of effects) {
    test(`${name}: refused before anything runs, the cluster unchanged`, async () => {
      const before = await fingerprint(server, bystanderPid);
      await assert.rejects(verifyHistory(setAt(history(name, sql)), { database: serverDatabase(server.url()), clusterEffects: 'refuse' }), (e: unknown) => {
        assert.ok(e instanceof ClusterEffectsError, String(e));
        assert.ok(e.sites.some((s) => expected.test(s.what)), `${expected} in ${JSON.stringify(e.sites)}`);
        assert.ok(e.sites.every((s) => s.path.endsWith('001_migration.sql') && s.line >= 1));
        return true;
      });
      assert.deepEqual(await fingerprint(server, bystanderPid), before);
      assert.deepEqual(await throwawayDatabases(server), []);
    });
  }

  test('the fingerprint sees these effects: with --allow-cluster-effects ALTER SYSTEM and COPY TO PROGRAM change it', async () => {
    const before = await fingerprint(server, bystanderPid);
    const report = await verifyHistory(setAt(history('allowed-effects', `ALTER SYSTEM SET work_mem = '77MB';\nCOPY (SELECT 'changed') TO PROGRAM 'cat > ${CANARY}';\n`)), {
      database: serverDatabase(server.url()), clusterEffects: 'allow',
    });
    assert.equal(report.failed, 0, JSON.stringify(report.migrations));
    assert.deepEqual(report.migrations[0].clusterEffects, ['ALTER SYSTEM', 'COPY … TO PROGRAM']);
    const afterRun = await fingerprint(server, bystanderPid);
    assert.notEqual(afterRun.autoConf, before.autoConf);
    assert.match(String(afterRun.autoConf), /work_mem = '77MB'/);
    assert.equal(afterRun.canary, 'changed\n');
    await withClient(server.url(), (c) => c.query('ALTER SYSTEM RESET work_mem'));
    writeFileSync(CANARY, 'untouched\n');
  });

  test('--allow-cluster-effects: a role the migration creates is dropped afterwards', async () => {
    const roles = async () => withClient(server.url(), async (c) => (await c.query("SELECT rolname FROM pg_roles WHERE rolname LIKE 'pgvet_%' ORDER BY 1")).rows.map((r) => r.rolname));
    const dir = history('allowed-role', 'CREATE ROLE pgvet_app_user LOGIN;\nCREATE TABLE owned (id int);\nALTER TABLE owned OWNER TO pgvet_app_user;\n');
    const report: VerifyReport = await verifyHistory(setAt(dir), { database: serverDatabase(server.url()), clusterEffects: 'allow' });
    assert.equal(report.applied, 1, JSON.stringify(report.migrations));
    assert.deepEqual(report.afterRun, ['Dropped role "pgvet_app_user" afterwards.']);
    assert.deepEqual(await roles(), []);
    assert.deepEqual(await throwawayDatabases(server), []);
  });

  test('CLI: the refusal names file, line and effect, exits 2, and says how to go on', async () => {
    const dir = history('cli-refused', "CREATE TABLE t (id int);\n\nALTER SYSTEM SET work_mem = '77MB';\n");
    const r = await spawnCli(['--database-url', server.url(), dir]).done;
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /refusing to verify on this server: 1 statement would act outside the throwaway database/);
    assert.match(r.stderr, /cli-refused\/migrations\/001_migration\.sql:3: ALTER SYSTEM/);
    assert.match(r.stderr, /--allow-cluster-effects/);
  });

  test('a pg_sleep(100000) migration stops on the statement timeout, also when it turns statement_timeout off', async () => {
    for (const [name, sql] of [
      ['sleep', 'SELECT pg_sleep(100000);\n'],
      ['sleep-unlimited', 'SET statement_timeout = 0;\nSELECT pg_sleep(100000);\n'],
    ]) {
      const report = await verifyHistory(setAt(history(name, sql)), { database: serverDatabase(server.url(), { statementTimeoutMs: 1000 }), clusterEffects: 'refuse' });
      assert.equal(report.failed, 1, name);
      const error = report.migrations[0].failure!.error;
      assert.equal(error.code, '57014', name);
      assert.equal(error.message, 'canceling statement due to statement timeout');
      assert.match(error.hint ?? '', /after 1 s \(--statement-timeout\)/);
    }
    assert.deepEqual(await throwawayDatabases(server), []);
  });

  test('CLI: Ctrl-C cancels the running statement, drops the throwaway database and exits 130', async () => {
    const dir = history('cli-sigint', 'CREATE TABLE t (id int);\nSELECT pg_sleep(100000);\n');
    const cli = spawnCli(['--database-url', server.url(), dir]);
    await cli.waitFor(/\[1\/1\] .*001_migration\.sql: /);
    await sleepRunning(server);
    assert.equal((await throwawayDatabases(server)).length, 1, 'the throwaway database exists while the statement runs');
    cli.child.kill('SIGINT');
    const r = await cli.done;
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stderr, /cancelling the running statement and dropping the throwaway database/);
    assert.match(r.stderr, /verify cancelled/);
    assert.deepEqual(await throwawayDatabases(server), []);
    const sleeping = await withClient(server.url(), async (c) => (await c.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE '%pg_sleep(100000)%' AND pid <> pg_backend_pid()")).rows[0].n);
    assert.equal(sleeping, 0, 'no backend is left running the statement');
  });

  test('CLI: a server that cannot be reached is named (host, port, database, user) without the password or a stack trace', async () => {
    const port = new URL(server.url()).port;
    // Port 1: nothing listens there, the connection is refused.
    const r = await spawnCli(['--database-url', `postgres://alice:s3cret-pw@127.0.0.1:1/shop`, history('cli-refused-conn', 'CREATE TABLE t (id int);\n')]).done;
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /127\.0\.0\.1:1/);
    assert.match(r.stderr, /database "shop", user "alice"/);
    assert.doesNotMatch(r.stderr, /s3cret-pw/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    const wrongUser = await spawnCli(['--database-url', `${conninfo} dbname=nosuchdb password=s3cret-pw`, history('cli-unknown-db', 'CREATE TABLE t (id int);\n')]).done;
    assert.equal(wrongUser.code, 2, wrongUser.stderr);
    assert.match(wrongUser.stderr, new RegExp(`Database "nosuchdb" does not exist at 127\\.0\\.0\\.1:${port}`));
    assert.doesNotMatch(wrongUser.stderr, /s3cret-pw|\n\s+at /);
  });

  test('a view of a 3,000-term expression: the server verifies it; the embedded database refuses it at once instead of hanging', async () => {
    const terms = Array.from({ length: 3000 }, (_, i) => `(a * ${i})`).join(' + ');
    const dir = path.join(work, 'deep-view', 'migrations');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, '001_view.up.sql'), `CREATE TABLE t (a int);\nCREATE VIEW v AS SELECT ${terms} AS s FROM t;\n`);
    writeFileSync(path.join(dir, '001_view.down.sql'), 'DROP VIEW v;\nDROP TABLE t;\n');
    const onServer = await verifyHistory(setAt(dir), { database: serverDatabase(server.url()), clusterEffects: 'refuse' });
    assert.equal(onServer.reversible, 1, JSON.stringify(onServer.migrations));
    // No time assertion: a hang fails on the describe's timeout.
    const embedded = await verifyHistory(setAt(dir), { database: pgliteDatabase() });
    assert.equal(embedded.failed, 1);
    assert.equal(embedded.migrations[0].failure!.error.code, '54001');
    assert.match(embedded.migrations[0].failure!.error.message, /nested \d+ levels deep: too deep for the embedded PostgreSQL/);
  });
});

describe('embedded verify: timeout and Ctrl-C', { timeout: 300_000 }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pgvet-verify-embedded-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('pg_sleep(100000) stops on the statement timeout; the migrations after it are not verified', async () => {
    const migrations = path.join(dir, 'timeout', 'migrations');
    mkdirSync(migrations, { recursive: true });
    writeFileSync(path.join(migrations, '001_sleep.sql'), 'CREATE TABLE t (id int);\nSELECT pg_sleep(100000);\n');
    writeFileSync(path.join(migrations, '002_more.sql'), 'CREATE TABLE u (id int);\n');
    const report = await verifyHistory(setAt(migrations), { database: pgliteDatabase({ statementTimeoutMs: 2000 }) });
    assert.equal(report.migrations.length, 1);
    assert.equal(report.migrations[0].status, 'failed');
    assert.equal(report.migrations[0].failure!.error.code, '57014');
    assert.equal(report.migrations[0].failure!.error.message, 'canceling statement due to statement timeout');
    assert.match(report.afterRun.join('\n'), /stopped \(a statement ran longer than 2 s\).*the 1 migration after it was not verified/);
  });

  test('CLI: Ctrl-C during pg_sleep(100000) stops the embedded database and exits 130', async () => {
    const migrations = path.join(dir, 'sigint', 'migrations');
    mkdirSync(migrations, { recursive: true });
    writeFileSync(path.join(migrations, '001_sleep.sql'), 'SELECT pg_sleep(100000);\n');
    const cli = spawnCli([migrations]);
    await cli.waitFor(/\[1\/1\] .*001_sleep\.sql: /);
    cli.child.kill('SIGINT');
    const r = await cli.done;
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stderr, /stopping the embedded database/);
  });

  test('CLI: a path that does not exist is an error (exit 2), not "no migrations found"', async () => {
    const r = await spawnCli([path.join(dir, 'no-such-folder')]).done;
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no-such-folder does not exist/);
    assert.doesNotMatch(r.stderr, /no migrations found/);
  });
});

describe('finding effects in the parse tree (no server)', () => {
  const corpus = path.resolve(__dirname, '../../../shared/corpus');
  const effectsIn = async (file: string) => {
    const { initParser, parseSqlFile } = await import('../../core/src/parse/sql/parser');
    const { clusterEffectsOf } = await import('../../core/src/verify/cluster-effects');
    await initParser();
    const text = readFileSync(file, 'utf8');
    return parseSqlFile(text).statements.flatMap((s) => (s.ast ? clusterEffectsOf(s.ast, s.start, s.end, text.slice(s.start, s.end)).map((e) => e.what) : []));
  };
  const cratesTrigger = path.join(corpus, 'rust-lang__crates.io/migrations/2026-06-10-120000-0000_create_reserved_usernames/up.sql');
  const storageRoles = path.join(corpus, 'supabase__storage/migrations/tenant/0002-storage-schema.sql');

  test('a trigger function that only says "cannot create user" in RAISE is no effect (crates.io)', { skip: !existsSync(cratesTrigger) && 'corpus not checked out' }, async () => {
    assert.deepEqual(await effectsIn(cratesTrigger), []);
  });

  test('roles made by EXECUTE in a DO block are found (supabase storage)', { skip: !existsSync(storageRoles) && 'corpus not checked out' }, async () => {
    const found = await effectsIn(storageRoles);
    assert.ok(found.includes('CREATE ROLE (in SQL built at run time)'), found.join('; '));
    assert.ok(found.includes('CREATE USER'), found.join('; '));
  });
});
