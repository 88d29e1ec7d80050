/**
 * Issue 12: EXPLAIN and EXPLAIN ANALYZE never change anything outside their rollback, unless the user was
 * asked and agreed. Every probe that once got through as a "plain SELECT" runs here against a real
 * PostgreSQL 15 with dblink and adminpack installed, and a fingerprint of everything it could have touched
 * (rows, schema, sequences, advisory locks, a canary file in the data directory, postgresql.auto.conf,
 * another session) is compared before and after. The runner's confirmation callback records what it asked;
 * the recorded user declines, so nothing that needs consent runs. Controls show each probe really does
 * its damage when sent to the server without pgvet, so an unchanged fingerprint means something.
 */
import { PGlite } from '@electric-sql/pglite';
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { Client, type ClientConfig } from 'pg';
import { connectPg, pgliteExplainClient, type ExplainClient } from '../../core/src/explain/adapters';
import { analyzePlan } from '../../core/src/explain/plan/metrics';
import { runExplain, type ConfirmationRequest, type ExplainOptions, type ExplainResult } from '../../core/src/explain/runner';
import { initSafety } from '../../core/src/explain/safety';
import { postgresAvailable, startTestServer, type TestServer } from './pg-server';

/** Runs through runExplain and records every question; `answer` is the user's reply (decline by default). */
async function explainAsking(client: ExplainClient, sql: string, opts: Partial<ExplainOptions> & { answer?: boolean } = {}) {
  const asked: ConfirmationRequest[] = [];
  const result = await runExplain(client, sql, [], {
    analyze: true, statementTimeoutMs: 10_000, ...opts,
    confirm: (q) => (asked.push(q), opts.answer ?? false),
  });
  return { result, asked, question: asked.map((q) => q.message).join('\n') };
}

function assertKind(r: ExplainResult, kind: string): void {
  assert.equal(r.ok ? 'ok' : r.error.kind, kind, r.ok ? 'succeeded' : r.error.message);
}

describe('EXPLAIN safety on PostgreSQL 15 with dblink and adminpack', { skip: !postgresAvailable() && 'no PostgreSQL binaries' }, () => {
  let server: TestServer;
  let config: ClientConfig;
  let admin: Client;
  let victim: Client;
  let victimPid: number;
  let conn: Awaited<ReturnType<typeof connectPg>>;
  let dblinkConninfo: string;

  let victimGone = true;
  const connectVictim = async () => {
    victim = new Client(config);
    victim.on('error', () => undefined);
    victimGone = false;
    victim.once('end', () => (victimGone = true));
    await victim.connect();
    victimPid = (await victim.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  };

  /** Everything a probe could change, as one comparable value (read on a separate session). */
  const fingerprint = async () => {
    const q = async (sql: string) => JSON.stringify((await admin.query(sql)).rows);
    return {
      rows: await q('SELECT * FROM t ORDER BY id'),
      schema: await q("SELECT c.relname, c.relkind FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace ORDER BY 1"),
      functions: await q("SELECT p.oid::regprocedure::text AS f FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace ORDER BY 1"),
      sequence: await q('SELECT last_value, is_called FROM s'),
      advisoryLocks: await q("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'"),
      canary: await q("SELECT (pg_stat_file('canary.txt', true)).size AS size"),
      autoConf: await q("SELECT md5(pg_read_file('postgresql.auto.conf')) AS h"),
      victimAlive: await q(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = ${victimPid}`),
      preparedOnExplainSession: JSON.stringify(await conn.client.query('SELECT name FROM pg_prepared_statements', [])),
    };
  };

  /** The victim session answers and the fingerprint is what it was. */
  const assertUnchanged = async (before: Awaited<ReturnType<typeof fingerprint>>) => {
    assert.deepEqual(await fingerprint(), before);
    assert.equal((await victim.query('SELECT 1 AS one')).rows[0].one, 1, 'the other session is alive');
  };

  before(async () => {
    await initSafety();
    server = await startTestServer();
    config = { host: server.host, port: server.port, user: server.user, password: server.password, database: server.database };
    dblinkConninfo = `host=${server.host} port=${server.port} user=${server.user} password=${server.password} dbname=${server.database}`;
    admin = new Client(config);
    await admin.connect();
    for (const sql of [
      'CREATE EXTENSION dblink',
      'CREATE EXTENSION adminpack',
      'CREATE TABLE t (id int PRIMARY KEY, v text)',
      "INSERT INTO t SELECT g, 'row ' || g FROM generate_series(1, 5) g",
      'CREATE SEQUENCE s',
      // The victim is whichever other session is running `SELECT 1 AS one` … identified by application_name.
      "CREATE VIEW v_kill AS SELECT id, pg_terminate_backend(pid) AS killed FROM t, pg_stat_activity WHERE application_name = 'victim'",
      "CREATE FUNCTION kill_fn() RETURNS bigint LANGUAGE sql AS $$ SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'victim' $$",
      // Declared STABLE, which it is not: the planner may call it while planning; its body gives it away.
      "CREATE FUNCTION kill_stable() RETURNS int LANGUAGE sql STABLE AS $$ SELECT count(pg_terminate_backend(pid))::int FROM pg_stat_activity WHERE application_name = 'victim' $$",
      "CREATE FUNCTION kill_atomic() RETURNS bigint LANGUAGE sql BEGIN ATOMIC SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'victim'; END",
      "CREATE VIEW v_unlink AS SELECT pg_catalog.pg_file_unlink('canary.txt') AS gone",
      "CREATE VIEW v_seq AS SELECT nextval('s') AS n",
      'CREATE FUNCTION lock_it() RETURNS int LANGUAGE sql AS $$ SELECT 1 FROM (SELECT pg_advisory_lock(42)) x $$',
    ]) await admin.query(sql);
    await admin.query(`CREATE FUNCTION remote_writer() RETURNS text LANGUAGE plpgsql AS $f$
      BEGIN RETURN dblink_exec('${dblinkConninfo}', 'DELETE FROM t WHERE id = 1'); END $f$`);
    const dataDir = (await admin.query('SHOW data_directory')).rows[0].data_directory as string;
    await admin.query(`COPY (SELECT 'canary') TO '${dataDir}/canary.txt'`);
    conn = await connectPg(config);
  });
  after(async () => {
    await victim?.end().catch(() => undefined);
    await admin?.end();
    await conn?.end().catch(() => undefined);
    await server?.stop();
  });
  beforeEach(async () => {
    if (victimGone) {
      config = { ...config, application_name: 'victim' };
      await connectVictim();
      config = { ...config, application_name: undefined };
    }
  });

  describe('controls: each probe does real damage when sent without pgvet', () => {
    test('a READ ONLY EXPLAIN ANALYZE of the view kills the other session', async () => {
      const raw = new Client(config);
      await raw.connect();
      const victimEnded = new Promise((resolve) => victim.once('end', resolve));
      try {
        await raw.query('BEGIN READ ONLY');
        await raw.query('EXPLAIN ANALYZE SELECT * FROM v_kill');
        await raw.query('ROLLBACK');
        await victimEnded;
        await assert.rejects(victim.query('SELECT 1'), 'the victim is gone');
      } finally {
        await raw.end();
      }
    });

    test('dblink_exec inside a rolled-back transaction deletes for good', async () => {
      await admin.query('BEGIN');
      await admin.query('SELECT remote_writer()');
      await admin.query('ROLLBACK');
      assert.equal((await admin.query('SELECT count(*)::int AS n FROM t WHERE id = 1')).rows[0].n, 0);
      await admin.query("INSERT INTO t VALUES (1, 'row 1')");
    });

    test('an advisory lock taken in a function outlives ROLLBACK', async () => {
      const raw = new Client(config);
      await raw.connect();
      try {
        await raw.query('BEGIN READ ONLY');
        await raw.query('SELECT lock_it()');
        await raw.query('ROLLBACK');
        assert.equal((await admin.query("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'")).rows[0].n, 1);
      } finally {
        await raw.end();
      }
    });
  });

  describe('probe 1: another session killed from a plain SELECT', () => {
    test('through a view: refused by the server-side check, in both modes, before anything runs', async () => {
      const before = await fingerprint();
      for (const analyze of [true, false]) {
        const { result, asked } = await explainAsking(conn.client, 'SELECT * FROM v_kill', { analyze });
        assertKind(result, 'refused');
        assert.match(!result.ok ? result.error.message : '', /pg_terminate_backend\(\) terminates another session \(reached through a view/);
        assert.deepEqual(asked, []);
      }
      await assertUnchanged(before);
    });

    test('a view changed while the user was being asked: checked again inside the EXPLAIN’s transaction, refused', async () => {
      await admin.query("CREATE FUNCTION harmless_volatile() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$");
      await admin.query('CREATE VIEW v_swap AS SELECT count(harmless_volatile()) AS n FROM t');
      const before = await fingerprint();
      const swap = "CREATE OR REPLACE VIEW v_swap AS SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE application_name = 'victim'";
      const asked: string[] = [];
      const r = await runExplain(conn.client, 'SELECT * FROM v_swap', [], {
        analyze: true,
        confirm: async (q) => (asked.push(q.message), await admin.query(swap), true),
      });
      assertKind(r, 'refused');
      assert.match(asked.join(), /harmless_volatile\(\) is VOLATILE/);
      assert.match(!r.ok ? r.error.message : '', /pg_terminate_backend\(\) terminates another session/);
      assert.equal((await admin.query('SELECT pg_get_viewdef(\'v_swap\') AS d')).rows[0].d.includes('pg_terminate_backend'), true, 'the swap happened');
      await assertUnchanged(before);
    });

    test('through a SQL function (VOLATILE, text body): asked, naming the function and what its body calls', async () => {
      const before = await fingerprint();
      const { result, asked, question } = await explainAsking(conn.client, 'SELECT kill_fn()');
      assertKind(result, 'cancelled');
      assert.equal(asked.length, 1);
      assert.match(question, /public\.kill_fn\(\) is VOLATILE \(sql\)/);
      assert.match(question, /public\.kill_fn\(\) calls pg_terminate_backend\(\), which terminates another session/);
      await assertUnchanged(before);
    });

    test('through a function declared STABLE: asked even for a plan without ANALYZE (the planner may call it)', async () => {
      const before = await fingerprint();
      for (const analyze of [true, false]) {
        const { result, question } = await explainAsking(conn.client, 'SELECT * FROM t WHERE id = kill_stable()', { analyze });
        assertKind(result, 'cancelled');
        assert.match(question, /kill_stable\(\) calls pg_terminate_backend\(\)/);
      }
      await assertUnchanged(before);
    });

    test('through a SQL-standard function body: refused (its calls are in the analysed tree)', async () => {
      const before = await fingerprint();
      const { result, asked } = await explainAsking(conn.client, 'SELECT kill_atomic()');
      assertKind(result, 'refused');
      assert.deepEqual(asked, []);
      await assertUnchanged(before);
    });

    test('query_to_xml with SQL text and no user objects: asked, saying it runs SQL pgvet cannot check', async () => {
      const before = await fingerprint();
      const sql = "SELECT query_to_xml('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ''victim''', true, false, '')";
      const { result, question } = await explainAsking(conn.client, sql);
      assertKind(result, 'cancelled');
      assert.match(question, /query_to_xml\(\) runs SQL that pgvet cannot check/);
      await assertUnchanged(before);
      // Without ANALYZE nothing executes and query_to_xml is VOLATILE, so the planner never calls it: no question.
      const plan = await explainAsking(conn.client, sql, { analyze: false });
      assertKind(plan.result, 'ok');
      assert.deepEqual(plan.asked, []);
      await assertUnchanged(before);
    });
  });

  describe('what EXPLAIN VERBOSE text would not show: operators, domain checks, policies, aggregates, foreign tables', () => {
    test('a VOLATILE function behind an operator, a domain CHECK, an RLS policy or an aggregate is named in the question; a foreign table is asked about', async () => {
      await admin.query(`
        CREATE FUNCTION noisy(int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN $1; END $$;
        CREATE FUNCTION noisy_op(int, int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN $1 + $2; END $$;
        CREATE OPERATOR ### (FUNCTION = noisy_op, LEFTARG = int, RIGHTARG = int);
        CREATE FUNCTION noisy_check(int) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN RETURN true; END $$;
        CREATE DOMAIN checked_int AS int CHECK (noisy_check(VALUE));
        CREATE FUNCTION noisy_policy(int) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN RETURN true; END $$;
        CREATE TABLE guarded (id int);
        ALTER TABLE guarded ENABLE ROW LEVEL SECURITY;
        CREATE POLICY p ON guarded USING (noisy_policy(id));
        CREATE FUNCTION noisy_sum(int, int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN coalesce($1, 0) + $2; END $$;
        CREATE AGGREGATE noisy_agg(int) (SFUNC = noisy_sum, STYPE = int);
      `);
      await admin.query('CREATE EXTENSION postgres_fdw');
      await admin.query(`CREATE SERVER self FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '${server.host}', port '${server.port}', dbname '${server.database}')`);
      await admin.query(`CREATE USER MAPPING FOR postgres SERVER self OPTIONS (user 'postgres', password '${server.password}')`);
      await admin.query("CREATE FOREIGN TABLE remote_t (id int, v text) SERVER self OPTIONS (table_name 't')");
      const before = await fingerprint();
      for (const [sql, named] of [
        ['SELECT 1 ### 2', 'noisy_op'], ['SELECT 1::checked_int', 'noisy_check'], ['SELECT * FROM guarded', 'noisy_policy'], ['SELECT noisy_agg(id) FROM t', 'noisy_sum'],
      ]) {
        const { result, question } = await explainAsking(conn.client, sql);
        assertKind(result, 'cancelled');
        assert.match(question, new RegExp(`public\\.${named}\\(\\) is VOLATILE \\(plpgsql\\)`), sql);
      }
      // A foreign table's scan runs queries on another server.
      const remote = await explainAsking(conn.client, 'SELECT * FROM remote_t');
      assertKind(remote.result, 'cancelled');
      assert.match(remote.question, /reads the foreign table remote_t, whose server pgvet cannot check/);
      // Control: IMMUTABLE built-ins and plain tables ask nothing.
      const plain = await explainAsking(conn.client, "SELECT upper(v), id + 1 FROM t WHERE id > 2 ORDER BY v");
      assertKind(plain.result, 'ok');
      assert.deepEqual(plain.asked, []);
      await assertUnchanged(before);
    });
  });

  describe('probe 2: dblink commits on another connection', () => {
    test('a plpgsql function calling dblink_exec: asked, naming it and dblink_exec’s effect', async () => {
      const before = await fingerprint();
      const { result, question } = await explainAsking(conn.client, 'SELECT remote_writer()');
      assertKind(result, 'cancelled');
      assert.match(question, /public\.remote_writer\(\) is VOLATILE \(plpgsql\)/);
      assert.match(question, /calls dblink_exec\(\), which runs SQL over another connection, which commits on its own/);
      await assertUnchanged(before);
    });

    test('dblink_connect + dblink_send_query in the statement itself: asked', async () => {
      const before = await fingerprint();
      const sql = `SELECT dblink_connect('c1', '${dblinkConninfo}'), dblink_send_query('c1', 'DELETE FROM t')`;
      const { result, question } = await explainAsking(conn.client, sql);
      assertKind(result, 'cancelled');
      assert.match(question, /dblink_connect\(\) runs SQL over another connection/);
      assert.match(question, /dblink_send_query\(\) runs SQL over another connection/);
      assert.deepEqual(await conn.client.query('SELECT dblink_get_connections() AS c', []), [{ c: null }]);
      await assertUnchanged(before);
    });

    test('dblink_exec of ALTER SYSTEM (postgresql.auto.conf): asked, and the file is unchanged', async () => {
      const before = await fingerprint();
      const { result, asked } = await explainAsking(conn.client, `SELECT dblink_exec('${dblinkConninfo}', 'ALTER SYSTEM SET work_mem = ''77MB''')`);
      assertKind(result, 'cancelled');
      assert.equal(asked.length, 1);
      await assertUnchanged(before);
    });
  });

  describe('probe 3: adminpack deletes a file in the data directory', () => {
    test('pg_catalog.pg_file_unlink in the statement: refused before anything is sent', async () => {
      const before = await fingerprint();
      const sent: string[] = [];
      const counting: ExplainClient = { query: (text, params, o) => (sent.push(text), conn.client.query(text, params, o)) };
      const { result, asked } = await explainAsking(counting, "SELECT pg_catalog.pg_file_unlink('canary.txt')");
      assertKind(result, 'refused');
      assert.deepEqual([sent, asked], [[], []]);
      await assertUnchanged(before);
    });

    test('pg_file_unlink behind a view: refused by the server-side check', async () => {
      const before = await fingerprint();
      const { result } = await explainAsking(conn.client, 'SELECT * FROM v_unlink');
      assertKind(result, 'refused');
      assert.match(!result.ok ? result.error.message : '', /pg_file_unlink\(\) reads or changes a file in the server’s data directory/);
      await assertUnchanged(before);
    });
  });

  describe('probe 4: standard_conforming_strings = off', () => {
    const INJECTION = "SELECT $1::int, '\\', '; COMMIT; DROP TABLE t; --'";

    test('a statement with a backslash is refused on such a session; without one it is planned', async () => {
      const own = await connectPg(config);
      try {
        await own.client.query('SET standard_conforming_strings = off');
        const before = await fingerprint();
        for (const analyze of [false, true]) {
          const r = await runExplain(own.client, INJECTION, analyze ? ['1'] : [], { analyze, confirm: () => true });
          assertKind(r, 'refused');
          assert.match(!r.ok ? r.error.message : '', /standard_conforming_strings = off/);
        }
        await assertUnchanged(before);
        const plain = await runExplain(own.client, "SELECT $1::int, 'no backslash'", [], { analyze: false });
        assertKind(plain, 'ok');
      } finally {
        await own.end();
      }
    });

    test('the generic plan of unbound $n goes through PREPARE on the extended protocol: a second statement is rejected by the server', async () => {
      // What the server does with text our parser saw as one statement: the extended protocol allows only one.
      const before = await fingerprint();
      await assert.rejects(conn.client.query("PREPARE x AS SELECT $1::int; DROP TABLE t", []), /cannot insert multiple commands into a prepared statement/);
      const r = await runExplain(conn.client, 'SELECT * FROM t WHERE id = $1', [], { analyze: false });
      assertKind(r, 'ok');
      assert.equal(r.ok && r.mode, 'generic-plan');
      assert.match(r.ok ? r.explainSql : '', /^PREPARE pgvet_generic_plan AS SELECT/);
      await assertUnchanged(before);
    });
  });

  describe('probe 5: deeply nested statements', () => {
    test('2,000 terms and a 5,000-branch UNION ALL are explained; 3,000 nested subqueries are refused, not thrown', async () => {
      const sum = await runExplain(conn.client, 'SELECT 0' + ' + 1'.repeat(1999), [], { analyze: true });
      assertKind(sum, 'ok');
      const union = await runExplain(conn.client, Array.from({ length: 5000 }, (_, i) => `SELECT ${i}`).join(' UNION ALL '), [], { analyze: true });
      assertKind(union, 'ok');
      const nested = await runExplain(conn.client, 'SELECT ' + '(SELECT '.repeat(3000) + '1' + ')'.repeat(3000), [], { analyze: true });
      assertKind(nested, 'refused');
      assert.match(!nested.ok ? nested.error.message : '', /too deeply nested to analyse/);
    });

    test('500 nested subqueries: PostgreSQL plans them with its default stack, and the plan is analysed', async () => {
      const r = await runExplain(conn.client, 'SELECT ' + '(SELECT '.repeat(500) + 'random()' + ')'.repeat(500), [], { analyze: true });
      assertKind(r, 'ok');
      assert.ok(r.ok && analyzePlan(r.plan).nodes.length >= 500);
    });
  });

  describe('probe 6: advisory locks and huge plans', () => {
    test('an advisory lock a confirmed function takes is released afterwards', async () => {
      const before = await fingerprint();
      const { result, question } = await explainAsking(conn.client, 'SELECT lock_it()', { answer: true });
      assertKind(result, 'ok');
      assert.match(question, /public\.lock_it\(\) is VOLATILE \(sql\)/);
      await assertUnchanged(before);
    });

    test('pg_advisory_lock in the statement itself is refused', async () => {
      const { result } = await explainAsking(conn.client, 'SELECT pg_advisory_lock(7)');
      assertKind(result, 'refused');
    });

    test('a nextval behind a view is asked about, and the sequence does not move when declined', async () => {
      const before = await fingerprint();
      const { result, question } = await explainAsking(conn.client, 'SELECT * FROM v_seq');
      assertKind(result, 'cancelled');
      assert.match(question, /nextval\(\) advances a sequence/);
      await assertUnchanged(before);
    });

    test("repeat('x', 100000000): the 100 MB VERBOSE plan is refused after 32 MiB, on a connection of its own", async () => {
      const own = await connectPg(config);
      try {
        const before = await fingerprint();
        const heapBefore = process.memoryUsage().heapUsed;
        const r = await runExplain(own.client, "SELECT repeat('x', 100000000)", [], { analyze: false });
        assertKind(r, 'too-large');
        assert.match(!r.ok ? r.error.message : '', /larger than 32 MiB/);
        assert.ok(process.memoryUsage().heapUsed - heapBefore < 64 * 1024 * 1024, 'the plan was not buffered whole');
        await assertUnchanged(before);
      } finally {
        await own.end().catch(() => undefined);
      }
    });
  });

  describe('when the check cannot run', () => {
    test('a role without TEMP privilege (as on a standby): ANALYZE asks, saying the statement was not checked; a plan still runs', async () => {
      await admin.query('CREATE ROLE pgvet_notemp NOLOGIN');
      await admin.query('GRANT SELECT ON t TO pgvet_notemp');
      await admin.query('REVOKE TEMP ON DATABASE postgres FROM PUBLIC');
      try {
        const before = await fingerprint();
        const { result, question } = await explainAsking(conn.client, 'SELECT * FROM t', { role: 'pgvet_notemp' });
        assertKind(result, 'cancelled');
        assert.match(question, /pgvet could not check which functions it calls: permission denied to create temporary tables/);
        const plan = await explainAsking(conn.client, 'SELECT * FROM t', { role: 'pgvet_notemp', analyze: false });
        assertKind(plan.result, 'ok');
        assert.deepEqual(plan.asked, []);
        // table_to_xml is STABLE: unchecked, even a plan asks when the text names it.
        const xml = await explainAsking(conn.client, "SELECT * FROM t WHERE v = table_to_xml('t', true, false, '')::text", { role: 'pgvet_notemp', analyze: false });
        assertKind(xml.result, 'cancelled');
        assert.match(xml.question, /planning may call table_to_xml\(\)/);
        await assertUnchanged(before);
      } finally {
        await admin.query('GRANT TEMP ON DATABASE postgres TO PUBLIC');
      }
    });
  });

  describe('explainRole', () => {
    test('EXPLAIN runs as the role: a table it may not read fails with permission denied', async () => {
      await admin.query('CREATE ROLE pgvet_reader NOLOGIN');
      await admin.query('GRANT SELECT ON t TO pgvet_reader');
      await admin.query('CREATE TABLE secret (x int)');
      try {
        assertKind(await runExplain(conn.client, 'SELECT * FROM t', [], { analyze: true, role: 'pgvet_reader' }), 'ok');
        const denied = await runExplain(conn.client, 'SELECT * FROM secret', [], { analyze: true, role: 'pgvet_reader' });
        assertKind(denied, 'server-error');
        assert.equal(!denied.ok && denied.error.code, '42501');
        const [who] = await conn.client.query('SELECT current_user AS u', []);
        assert.equal(who.u, 'postgres', 'SET LOCAL ROLE ended with the transaction');
      } finally {
        await admin.query('DROP TABLE secret');
      }
    });
  });
});

describe('EXPLAIN safety on the embedded database (PGlite)', () => {
  let db: PGlite;
  let client: ExplainClient;
  const fingerprint = async () => JSON.stringify([
    (await db.query('SELECT * FROM t ORDER BY id')).rows,
    (await db.query('SELECT last_value, is_called FROM s')).rows,
    (await db.query("SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace ORDER BY 1")).rows,
    (await db.query("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'")).rows,
    (await db.query('SELECT name FROM pg_prepared_statements')).rows,
  ]);
  before(async () => {
    await initSafety();
    db = await PGlite.create();
    client = pgliteExplainClient(db);
    await db.exec(`
      CREATE TABLE t (id int PRIMARY KEY, v text);
      INSERT INTO t SELECT g, 'row ' || g FROM generate_series(1, 5) g;
      CREATE SEQUENCE s;
      CREATE VIEW v_kill AS SELECT pg_terminate_backend(pg_backend_pid() + 1) AS k;
      CREATE VIEW v_seq AS SELECT nextval('s') AS n;
      CREATE FUNCTION lock_it() RETURNS int LANGUAGE sql AS $$ SELECT 1 FROM (SELECT pg_advisory_lock(42)) x $$;
    `);
  });
  after(() => db?.close());

  test('probe 1: a view calling pg_terminate_backend is refused', async () => {
    assertKind((await explainAsking(client, 'SELECT * FROM v_kill')).result, 'refused');
  });

  test('probe 4: standard_conforming_strings = off and a backslash: refused; the table stays', async () => {
    const before = await fingerprint();
    await db.exec('SET standard_conforming_strings = off');
    try {
      const r = await runExplain(client, "SELECT $1::int, '\\', '; COMMIT; DROP TABLE t; --'", [], { analyze: false });
      assertKind(r, 'refused');
    } finally {
      await db.exec('SET standard_conforming_strings = on');
    }
    assert.equal(await fingerprint(), before);
  });

  test('probe 4: a generic plan for unbound $n through PREPARE, deallocated afterwards', async () => {
    const before = await fingerprint();
    const r = await runExplain(client, 'SELECT * FROM t WHERE id = $1', [], { analyze: false });
    assertKind(r, 'ok');
    assert.equal(r.ok && r.mode, 'generic-plan');
    assert.equal(await fingerprint(), before);
  });

  test('probe 5: deep statements are explained or refused, never thrown', async () => {
    const before = await fingerprint();
    // PGlite's extended protocol itself fails on this depth (a WASM stack limit: "unnamed prepared statement does
    // not exist"); what matters here is an answer instead of a RangeError, and nothing run.
    const sum = await runExplain(client, 'SELECT 0' + ' + 1'.repeat(1999), [], { analyze: true });
    assert.ok(sum.ok || sum.error.kind === 'server-error', !sum.ok ? sum.error.message : '');
    assert.equal(await fingerprint(), before);
    assertKind(await runExplain(client, 'SELECT ' + '(SELECT '.repeat(3000) + '1' + ')'.repeat(3000), [], { analyze: true }), 'refused');
  });

  test('probe 6: an advisory lock from a confirmed function is released; nextval behind a view is asked about', async () => {
    const before = await fingerprint();
    const locked = await explainAsking(client, 'SELECT lock_it()', { answer: true });
    assertKind(locked.result, 'ok');
    assert.equal(locked.asked.length, 1);
    const seq = await explainAsking(client, 'SELECT * FROM v_seq');
    assertKind(seq.result, 'cancelled');
    assert.match(seq.question, /nextval\(\) advances a sequence/);
    assert.equal(await fingerprint(), before);
  });

  test('probe 6: a plan past maxPlanBytes is refused', async () => {
    const r = await runExplain(client, "SELECT repeat('x', 2000000)", [], { analyze: false, maxPlanBytes: 1024 * 1024 });
    assertKind(r, 'too-large');
  });
});
