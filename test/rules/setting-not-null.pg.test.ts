import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { startPostgres, type PostgresServer } from '../support/postgres';

/**
 * What setting-not-null relies on, checked on the real server: SET NOT NULL skips its scan when a validated
 * CHECK (col IS NOT NULL) exists, also one validated by an earlier migration (transaction), and not when the
 * CHECK is still NOT VALID. PostgreSQL says so at DEBUG1: "existing constraints … are sufficient to prove …".
 */
describe('SET NOT NULL on PostgreSQL: when a CHECK spares the scan', () => {
  let server: PostgresServer;
  let client: Client;
  const notices: string[] = [];
  before(async () => {
    server = await startPostgres();
    client = new Client({ connectionString: server.url() });
    client.on('notice', (n) => notices.push(n.message ?? ''));
    await client.connect();
  });
  after(async () => {
    await client?.end();
    server?.stop();
  });

  /** Runs the earlier migrations, each in its own transaction, then SET NOT NULL: whether the scan was skipped. */
  async function scanSkipped(history: string[]): Promise<boolean> {
    await client.query('DROP TABLE IF EXISTS t; CREATE TABLE t (c int); INSERT INTO t SELECT g FROM generate_series(1, 10) g;');
    for (const sql of history) await client.query(sql);
    notices.length = 0;
    await client.query("SET client_min_messages = 'debug1'");
    await client.query('ALTER TABLE t ALTER COLUMN c SET NOT NULL');
    await client.query('RESET client_min_messages');
    return notices.some((m) => /existing constraints on column "t\.c" are sufficient to prove that it does not contain nulls/.test(m));
  }

  it('a CHECK added NOT VALID and validated by earlier migrations: no scan', async () => {
    assert.equal(await scanSkipped(['ALTER TABLE t ADD CONSTRAINT t_c_nn CHECK (c IS NOT NULL) NOT VALID', 'ALTER TABLE t VALIDATE CONSTRAINT t_c_nn']), true);
  });
  it('a CHECK added valid by an earlier migration: no scan', async () => {
    assert.equal(await scanSkipped(['ALTER TABLE t ADD CONSTRAINT t_c_nn CHECK (c IS NOT NULL)']), true);
  });
  it('a NOT VALID CHECK that was never validated: the table is scanned', async () => {
    assert.equal(await scanSkipped(['ALTER TABLE t ADD CONSTRAINT t_c_nn CHECK (c IS NOT NULL) NOT VALID']), false);
  });
  it('no CHECK: the table is scanned', async () => {
    assert.equal(await scanSkipped([]), false);
  });

  /** Sequential scans of t by SET NOT NULL, counted within its transaction. */
  async function scans(column: string): Promise<number> {
    await client.query(`DROP TABLE IF EXISTS t; CREATE TABLE t (${column}); INSERT INTO t SELECT g FROM generate_series(1, 10) g;`);
    await client.query('BEGIN');
    await client.query('ALTER TABLE t ALTER COLUMN c SET NOT NULL');
    const { rows } = await client.query("SELECT seq_scan FROM pg_stat_xact_user_tables WHERE relname = 't'");
    await client.query('COMMIT');
    return Number(rows[0].seq_scan);
  }
  it('a column already NOT NULL: a no-op without a scan', async () => {
    assert.equal(await scans('c int NOT NULL'), 0);
    assert.equal(await scans('c int'), 1);
  });
});
