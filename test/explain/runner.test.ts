import { PGlite } from '@electric-sql/pglite';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Client, type ClientConfig } from 'pg';
import { connectPg, ConnectionError, pgliteExplainClient, workerExplainClient, type ExplainClient } from '../../core/src/explain/adapters';
import { analyzePlan } from '../../core/src/explain/plan/metrics';
import { runExplain, type ExplainResult } from '../../core/src/explain/runner';
import { initSafety } from '../../core/src/explain/safety';
import { WorkerPGlite } from '../../core/src/shadow/worker-db';
import { postgresAvailable, startTestServer, type TestServer } from './pg-server';
import { closedPort } from '../support/ports';

const SETUP = [
  'CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, qty int NOT NULL)',
  "INSERT INTO items SELECT g, 'item ' || g, g % 7 FROM generate_series(1, 100) g",
  // Writes from inside a SELECT: only the READ ONLY transaction stops it.
  "CREATE FUNCTION sneaky_write() RETURNS int LANGUAGE sql AS $$ INSERT INTO items VALUES (999, 'sneaky', 0) RETURNING id $$",
];

const MODIFYING = [
  "INSERT INTO items (id, name, qty) SELECT g, 'new', 1 FROM generate_series(1000, 1100) g",
  'UPDATE items SET qty = qty + 1, name = upper(name) WHERE id % 2 = 0',
  'DELETE FROM items WHERE id > 50',
  'WITH d AS (DELETE FROM items WHERE id <= 10 RETURNING *) INSERT INTO items (id, name, qty) SELECT id + 5000, name, qty FROM d RETURNING id',
  "MERGE INTO items t USING (SELECT g AS id FROM generate_series(1, 200) g) s ON t.id = s.id WHEN MATCHED THEN DELETE WHEN NOT MATCHED THEN INSERT VALUES (s.id, 'm', 0)",
];

/** Every row, in order: compared before and after each EXPLAIN. */
async function snapshot(client: ExplainClient): Promise<string> {
  const rows = await client.query('SELECT id, name, qty FROM items ORDER BY id');
  return `${rows.length}:${JSON.stringify(rows)}`;
}

/** True when the session is not left inside a transaction (now() is the transaction start). */
async function outsideTransaction(client: ExplainClient): Promise<boolean> {
  const [r] = await client.query('SELECT now() = statement_timestamp() AS fresh');
  return r.fresh === true;
}

/** Passes queries through to the real database, counting them: proves when nothing was sent. */
function counting(client: ExplainClient): ExplainClient & { sent: string[] } {
  const sent: string[] = [];
  return { sent, query: (text, params) => (sent.push(text), client.query(text, params)), cancel: client.cancel?.bind(client) };
}

function assertError(r: ExplainResult, kind: string): asserts r is Extract<ExplainResult, { ok: false }> {
  assert.equal(r.ok, false, 'expected an error');
  if (!r.ok) assert.equal(r.error.kind, kind, r.error.message);
}

/** The checks both engines must pass. */
function commonSuite(name: string, getClient: () => ExplainClient) {
  describe(`${name}: common`, () => {
    test('SELECT is analyzed in a READ ONLY transaction', async () => {
      const client = getClient();
      const r = await runExplain(client, 'SELECT count(*) FROM items WHERE qty > 2', [], { analyze: true });
      assert.ok(r.ok, !r.ok ? r.error.message : '');
      assert.equal(r.mode, 'analyze');
      assert.ok(analyzePlan(r.plan).summary.executionMs! > 0);
      const before = await snapshot(client);
      // sneaky_write() is VOLATILE: the server-side check asks first; once agreed, READ ONLY still stops the write.
      const asked: string[] = [];
      const w = await runExplain(client, 'SELECT sneaky_write()', [], { analyze: true, confirm: (q) => (asked.push(...q.reasons), true) });
      assert.deepEqual(asked, ['public.sneaky_write() is VOLATILE (sql)']);
      assertError(w, 'server-error');
      assert.equal(w.error.code, '25006'); // read_only_sql_transaction
      assert.equal(await snapshot(client), before);
      assert.ok(await outsideTransaction(client));
    });

    for (const sql of MODIFYING) {
      test(`rolled back: ${sql.slice(0, 60)}…`, async () => {
        const client = getClient();
        const before = await snapshot(client);
        const r = await runExplain(client, sql, [], { analyze: true, confirmedModifying: true });
        assert.ok(r.ok, !r.ok ? r.error.message : '');
        // It really ran: the ModifyTable node or its input processed rows.
        assert.ok(analyzePlan(r.plan).nodes.some((m) => m.actualRowsTotal > 0));
        assert.equal(await snapshot(client), before);
        assert.ok(await outsideTransaction(client));
      });
    }

    test('a modifying statement without confirmation is not sent', async () => {
      const client = counting(getClient());
      const r = await runExplain(client, 'DELETE FROM items', [], { analyze: true });
      assertError(r, 'needs-confirmation');
      assert.match(r.error.message, /really execute.*rolled back/);
      assert.deepEqual(client.sent, []);
    });

    test('a failing modifying statement is rolled back too', async () => {
      const client = getClient();
      const before = await snapshot(client);
      const r = await runExplain(client, "INSERT INTO items SELECT g, 'dup', 0 FROM generate_series(90, 110) g", [], { analyze: true, confirmedModifying: true });
      assertError(r, 'server-error');
      assert.equal(r.error.code, '23505');
      assert.equal(await snapshot(client), before);
      assert.ok(await outsideTransaction(client));
    });

    test('$n parameters are bound through the extended protocol', async () => {
      const client = getClient();
      const r = await runExplain(client, 'SELECT * FROM items WHERE id = $1 AND qty >= $2', ['5', '0'], { analyze: true });
      assert.ok(r.ok, !r.ok ? r.error.message : '');
      assert.equal(analyzePlan(r.plan).nodes[0].actualRowsTotal, 1);
      const before = await snapshot(client);
      const u = await runExplain(client, 'UPDATE items SET qty = $2 WHERE id = $1', ['7', '42'], { analyze: true, confirmedModifying: true });
      assert.ok(u.ok);
      assert.equal(await snapshot(client), before);
      assertError(await runExplain(client, 'SELECT * FROM items WHERE id = $1', [], { analyze: true }), 'missing-parameters');
      assertError(await runExplain(client, 'SELECT * FROM items WHERE id = $2', ['1'], { analyze: true }), 'missing-parameters');
    });

    test('refused statements are refused before anything is sent', async () => {
      const client = counting(getClient());
      for (const sql of ['VACUUM items', "COPY items TO PROGRAM 'touch /tmp/pgvet-owned'", 'BEGIN', 'CREATE INDEX CONCURRENTLY i ON items (qty)', 'DROP TABLE items', 'SELECT 1; DELETE FROM items']) {
        assertError(await runExplain(client, sql, [], { analyze: true, confirmedModifying: true }), 'refused');
      }
      assert.deepEqual(client.sent, []);
    });

    test('a server error points into the given text (after a stripped EXPLAIN and non-ASCII)', async () => {
      const client = getClient();
      const sql = "EXPLAIN ANALYZE SELECT 'éé', nme FROM items";
      const r = await runExplain(client, sql, [], { analyze: true });
      assertError(r, 'server-error');
      assert.equal(r.error.code, '42703');
      assert.equal(sql.slice(r.error.offset, r.error.offset! + 3), 'nme');
      assert.ok(await outsideTransaction(client));
      // The server-side check compiles the statement with each $n replaced by NULL: the offset still lands on the column.
      const withParams = 'SELECT $1::int, $10::int, nme FROM items';
      const p = await runExplain(client, withParams, Array.from({ length: 10 }, () => '1'), { analyze: true });
      assertError(p, 'server-error');
      assert.equal(withParams.slice(p.error.offset, p.error.offset! + 3), 'nme');
    });

    test('plan without running: nothing executes', async () => {
      const client = getClient();
      const before = await snapshot(client);
      const r = await runExplain(client, 'DELETE FROM items', [], { analyze: false });
      assert.ok(r.ok && r.mode === 'plan');
      assert.equal(analyzePlan(r.plan).summary.analyzed, false);
      assert.equal(await snapshot(client), before);
    });
  });
}

describe('runExplain against a real PostgreSQL server', { skip: !postgresAvailable() && 'no PostgreSQL binaries' }, () => {
  let server: TestServer;
  let config: ClientConfig;
  let conn: Awaited<ReturnType<typeof connectPg>>;
  let monitor: Client;

  before(async () => {
    await initSafety();
    server = await startTestServer();
    config = { host: server.host, port: server.port, user: server.user, password: server.password, database: server.database };
    conn = await connectPg(config);
    for (const s of SETUP) await conn.client.query(s);
    monitor = new Client(config);
    await monitor.connect();
  });
  after(async () => {
    await monitor?.end();
    await conn?.end();
    await server?.stop();
  });

  commonSuite('PostgreSQL 15', () => conn.client);

  test('a statement past statement_timeout is stopped and reported; the session stays usable', async () => {
    const r = await runExplain(conn.client, 'SELECT pg_sleep(5)', [], { analyze: true, statementTimeoutMs: 300 });
    assertError(r, 'timeout');
    assert.match(r.error.message, /stopped after 0\.3 s \(pgvet\.explain\.statementTimeout\)/);
    assert.ok(await outsideTransaction(conn.client));
  });

  test('a lock wait past lock_timeout is reported', async () => {
    const holder = new Client(config);
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE items IN ACCESS EXCLUSIVE MODE');
      const r = await runExplain(conn.client, 'SELECT * FROM items', [], { analyze: true, lockTimeoutMs: 200 });
      assertError(r, 'lock-timeout');
      assert.match(r.error.message, /pgvet\.explain\.lockTimeout/);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
  });

  test('cancel stops pg_sleep(10) promptly via pg_cancel_backend', async () => {
    const controller = new AbortController();
    const running = runExplain(conn.client, 'SELECT pg_sleep(10)', [], { analyze: true, signal: controller.signal });
    // Wait for the server to report the statement as running (an event, not a guessed delay).
    for (;;) {
      const { rows } = await monitor.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'EXPLAIN%pg_sleep(10)%'");
      if (rows[0].n > 0) break;
    }
    const abortedAt = Date.now();
    controller.abort();
    const r = await running;
    assertError(r, 'cancelled');
    assert.ok(Date.now() - abortedAt < 3000, `took ${Date.now() - abortedAt} ms`);
    assert.ok(await outsideTransaction(conn.client));
  });

  test('a connection lost mid-EXPLAIN is reported, and the failed ROLLBACK flagged (discard the client)', async () => {
    const own = await connectPg(config);
    try {
      const [{ pid }] = await own.client.query('SELECT pg_backend_pid() AS pid');
      const running = runExplain(own.client, 'SELECT pg_sleep(10)', [], { analyze: true });
      for (;;) {
        const { rows } = await monitor.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1 AND state = 'active' AND query LIKE 'EXPLAIN%'", [pid]);
        if (rows[0].n > 0) break;
      }
      await monitor.query('SELECT pg_terminate_backend($1)', [pid]);
      const r = await running;
      assertError(r, 'connection');
      assert.equal(r.error.rollbackFailed, true);
    } finally {
      await own.end().catch(() => undefined);
    }
  });

  test('VACUUM through runExplain never reaches the server (vacuum_count stays put)', async () => {
    const vacuums = async () => (await monitor.query("SELECT vacuum_count::int AS n FROM pg_stat_user_tables WHERE relname = 'items'")).rows[0].n as number;
    // Control: a VACUUM that does reach the server moves the counter, so the check below can fail.
    const start = await vacuums();
    await monitor.query('VACUUM items');
    assert.equal(await vacuums(), start + 1);
    assertError(await runExplain(conn.client, 'VACUUM items', [], { analyze: true, confirmedModifying: true }), 'refused');
    assert.equal(await vacuums(), start + 1);
  });

  test('unbound $n on PostgreSQL 15: a generic plan through PREPARE (extended protocol), deallocated afterwards', async () => {
    const r = await runExplain(conn.client, 'SELECT * FROM items WHERE id = $1', [], { analyze: false });
    assert.ok(r.ok, !r.ok ? r.error.message : '');
    assert.equal(r.mode, 'generic-plan');
    assert.match(JSON.stringify(r.plan), /id = \$1/);
    assert.deepEqual(await conn.client.query('SELECT name FROM pg_prepared_statements', []), []);
  });

  describe('connection failures', () => {
    const failure = async (cfg: ClientConfig) => {
      try {
        await connectPg(cfg);
      } catch (e) {
        assert.ok(e instanceof ConnectionError);
        assert.ok(!e.message.includes(server.password));
        return e.failure;
      }
      assert.fail('connected');
    };

    test('wrong password', async () => {
      const f = await failure({ ...config, password: 'wrong' });
      assert.equal(f.kind, 'auth-failed');
      assert.match(f.message, /Authentication failed for user "postgres"/);
      assert.match(f.fix, /Set Connection Password/);
    });

    test('refused port', async () => {
      const port = await closedPort();
      const f = await failure({ ...config, port });
      assert.equal(f.kind, 'refused');
      assert.match(f.message, new RegExp(`Connection refused at 127\\.0\\.0\\.1:${port}`));
    });

    test('unknown database', async () => {
      const f = await failure({ ...config, database: 'no_such_db' });
      assert.equal(f.kind, 'unknown-database');
      assert.match(f.message, /Database "no_such_db" does not exist/);
    });

    test('unknown user', async () => {
      const f = await failure({ ...config, user: 'nobody_here' });
      // scram: PostgreSQL answers a missing role like a wrong password, so as not to reveal which roles exist.
      assert.ok(['auth-failed', 'unknown-user'].includes(f.kind));
    });

    test('SSL required but the server has none', async () => {
      const f = await failure({ ...config, ssl: { rejectUnauthorized: false } });
      assert.equal(f.kind, 'ssl');
      assert.match(f.message, /does not support SSL/);
    });

    test('unknown host', async () => {
      const f = await failure({ ...config, host: 'no-such-host.invalid' });
      assert.equal(f.kind, 'unknown-host');
    });

    test('timeout: a peer that accepts but never answers', async () => {
      const silent: Server = createServer(() => undefined);
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      try {
        const f = await failure({ ...config, port: (silent.address() as { port: number }).port, connectionTimeoutMillis: 300 });
        assert.equal(f.kind, 'timeout');
      } finally {
        silent.close();
      }
    });
  });
});

describe('runExplain against PGlite (PostgreSQL 18 in WASM)', () => {
  let db: PGlite;
  let client: ExplainClient;
  before(async () => {
    await initSafety();
    db = await PGlite.create();
    client = pgliteExplainClient(db);
    for (const s of SETUP) await client.query(s);
  });
  after(() => db?.close());

  commonSuite('PGlite', () => client);

  test('a generic plan for unbound $n on PostgreSQL 18', async () => {
    const r = await runExplain(client, 'SELECT * FROM items WHERE id = $1', [], { analyze: false });
    assert.ok(r.ok, !r.ok ? r.error.message : '');
    assert.equal(r.mode, 'generic-plan');
    assert.equal(r.serverVersion >= 180000, true);
  });

  test('PGlite cannot cancel: the adapter says so by having no cancel', () => {
    assert.equal(client.cancel, undefined);
  });
});

describe('runExplain against PGlite in a worker thread (the shadow database)', () => {
  let db: WorkerPGlite;
  let client: ExplainClient;
  before(async () => {
    await initSafety();
    db = await WorkerPGlite.create();
    client = workerExplainClient(db);
    for (const s of SETUP) await client.query(s);
    // An interrupted statement restarts the worker from here.
    await db.checkpoint();
  });
  after(() => db?.close());

  commonSuite('PGlite worker', () => client);

  test('a statement past statement_timeout is stopped, reported like the server does, and the next EXPLAIN works on the same data', async () => {
    const before = await snapshot(client);
    const started = Date.now();
    const r = await runExplain(client, 'SELECT pg_sleep(30)', [], { analyze: true, statementTimeoutMs: 1000 });
    assertError(r, 'timeout');
    assert.equal(r.error.message, 'The statement was stopped after 1 s (pgvet.explain.statementTimeout) and rolled back.');
    assert.equal(r.error.code, '57014');
    assert.equal(r.error.rollbackFailed, undefined, 'the transaction ended with the worker; nothing is left to roll back');
    // Stopped, not run to its end: pg_sleep(30) would take 30 s.
    assert.ok(Date.now() - started < 20_000, `took ${Date.now() - started} ms`);

    const next = await runExplain(client, 'SELECT count(*) FROM items WHERE qty > 2', [], { analyze: true });
    assert.ok(next.ok, !next.ok ? next.error.message : '');
    assert.equal(await snapshot(client), before, 'the restarted worker has the checkpointed rows');
    assert.ok(await outsideTransaction(client));
  });

  test('a long generate_series is stopped by a 1 s timeout too (busy in WASM, not sleeping)', async () => {
    const r = await runExplain(client, 'SELECT count(*) FROM generate_series(1, 2000000000)', [], { analyze: true, statementTimeoutMs: 1000 });
    assertError(r, 'timeout');
    assert.match(r.error.message, /stopped after 1 s/);
  });

  test('cancel stops the running statement with the same message as on a server, and the next EXPLAIN works', async () => {
    const controller = new AbortController();
    // Abort as soon as the EXPLAIN itself has been handed to the worker (an event, not a guessed delay).
    const aborting: ExplainClient = {
      query: (text, params, options) => {
        const result = client.query(text, params, options);
        if (text.startsWith('EXPLAIN')) controller.abort();
        return result;
      },
      cancel: client.cancel,
    };
    const r = await runExplain(aborting, 'SELECT pg_sleep(30)', [], { analyze: true, signal: controller.signal });
    assertError(r, 'cancelled');
    assert.equal(r.error.message, 'Cancelled: the statement was stopped (pg_cancel_backend) and rolled back.');
    const next = await runExplain(client, 'SELECT * FROM items WHERE id = $1', ['7'], { analyze: true });
    assert.ok(next.ok, !next.ok ? next.error.message : '');
    assert.equal(analyzePlan(next.plan).nodes[0].actualRowsTotal, 1);
  });
});
