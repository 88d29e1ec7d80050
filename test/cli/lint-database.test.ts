import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client } from 'pg';
import { startPostgres, type PostgresServer } from '../support/postgres';
import { closedPort } from '../support/ports';

const CLI = resolve(__dirname, '../../dist/cli.js');

function run(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  // PG* of the test's own environment left out, so that only what the test gives reaches the CLI.
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PG')));
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 120_000, env: { ...base, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface JsonOut {
  summary: { files: number };
  files: { path: string; findings: { ruleId: string; severity: string; message: string }[] }[];
}

/** `pgvet lint --database-url`: the schema rules on a real server's catalog, read-only. */
describe('pgvet lint --database-url', () => {
  let server: PostgresServer;
  let dir: string;
  before(async () => {
    server = await startPostgres();
    dir = mkdtempSync(join(tmpdir(), 'pgvet-cli-db-'));
    const admin = new Client({ connectionString: server.url() });
    await admin.connect();
    await admin.query('CREATE DATABASE live_lint');
    await admin.end();
    const c = new Client({ connectionString: server.url('live_lint') });
    await c.connect();
    // A table without a primary key, a foreign key without an index, a duplicate index.
    await c.query(`CREATE TABLE parent (id bigint PRIMARY KEY);
      CREATE TABLE child (parent_id bigint REFERENCES parent (id), note text);
      CREATE INDEX child_note_a ON child (note); CREATE INDEX child_note_b ON child (note);
      CREATE SCHEMA other; CREATE TABLE other.loose (x int);
      CREATE ROLE reader LOGIN; ALTER ROLE reader SET default_transaction_read_only = on;`);
    await c.end();
  });
  after(() => {
    server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('reports the schema findings of the live catalog in lint\'s JSON, on objects named by the database; --schema narrows the read', () => {
    const r = run(['lint', '--database-url', server.url('live_lint'), '--format', 'json'], dir);
    assert.equal(r.stderr, '');
    const out = JSON.parse(r.stdout) as JsonOut;
    assert.equal(out.files.length, 1);
    assert.match(out.files[0].path, /^postgres@127\.0\.0\.1:\d+\/live_lint$/);
    const messages = out.files[0].findings.map((f) => `${f.ruleId}: ${f.message}`);
    assert.ok(messages.some((m) => /child/.test(m) && /primary key/i.test(m)), messages.join('\n'));
    assert.ok(messages.some((m) => /loose/.test(m)), messages.join('\n'));
    assert.ok(messages.some((m) => m.startsWith('duplicate-index: ') && /child_note_b/.test(m)), messages.join('\n'));
    assert.equal(r.code, out.files[0].findings.some((f) => f.severity === 'error' || f.severity === 'warning') ? 1 : 0);

    const narrowed = JSON.parse(run(['lint', '--database-url', server.url('live_lint'), '--schema', 'public', '--format', 'json'], dir).stdout) as JsonOut;
    assert.ok(!narrowed.files[0].findings.some((f) => /loose/.test(f.message)), 'other.loose is not read');
    assert.ok(narrowed.files[0].findings.some((f) => /child/.test(f.message)));
  });

  test('pgvet.json\'s "schemas", when written, says which schemas are read; --schema wins over it', () => {
    const project = mkdtempSync(join(tmpdir(), 'pgvet-cli-db-config-'));
    try {
      writeFileSync(join(project, 'pgvet.json'), JSON.stringify({ schemas: ['other'] }));
      const read = (extra: string[]) => (JSON.parse(run(['lint', '--database-url', server.url('live_lint'), '--format', 'json', ...extra], project).stdout) as JsonOut).files[0].findings.map((f) => f.message);
      const configured = read([]);
      assert.ok(configured.some((m) => /loose/.test(m)) && !configured.some((m) => /child/.test(m)), configured.join('\n'));
      const flagged = read(['--schema', 'public']);
      assert.ok(flagged.some((m) => /child/.test(m)) && !flagged.some((m) => /loose/.test(m)), flagged.join('\n'));
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  test('PG* variables fill what the conninfo leaves out ("" for them only); the human format names the database', () => {
    const port = /:(\d+)\//.exec(server.url())![1];
    const r = run(['lint', '--database-url', '', '--no-color'], dir, { PGHOST: '127.0.0.1', PGPORT: port, PGUSER: 'postgres', PGDATABASE: 'live_lint' });
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^postgres@127\.0\.0\.1:\d+\/live_lint:1:1: \w+ .*child/m);
    assert.match(r.stdout, /1 file checked: /);
  });

  test('a role that is not a superuser, whose every transaction is read-only, gets the same findings', () => {
    const asOwner = JSON.parse(run(['lint', '--database-url', server.url('live_lint'), '--format', 'json'], dir).stdout) as JsonOut;
    const r = run(['lint', '--database-url', server.url('live_lint').replace('postgres@', 'reader@'), '--format', 'json'], dir);
    assert.equal(r.stderr, '');
    const asReader = JSON.parse(r.stdout) as JsonOut;
    assert.match(asReader.files[0].path, /^reader@/);
    assert.ok(asReader.files[0].findings.length > 0);
    assert.deepEqual(asReader.files[0].findings.map((f) => f.message), asOwner.files[0].findings.map((f) => f.message));
  });

  test('a dead port: exit 2 and a message that says where it tried and what to change', async () => {
    const port = await closedPort();
    const r = run(['lint', '--database-url', `postgresql://postgres@127.0.0.1:${port}/live_lint`], dir);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, new RegExp(`127\\.0\\.0\\.1.*${port}`));
    assert.match(r.stderr, /--database-url/);
    assert.doesNotMatch(r.stderr, /at .*\.js:\d+/, 'no stack trace');
  });

  test('files and --database-url do not go together; --schema needs --database-url', () => {
    assert.equal(run(['lint', '--database-url', server.url('live_lint'), 'migrations'], dir).code, 2);
    assert.match(run(['lint', '--schema', 'public', 'x.sql'], dir).stderr, /--schema goes with --database-url/);
  });
});
