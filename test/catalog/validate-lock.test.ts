import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { startPostgres, type PostgresServer } from '../support/postgres';

/**
 * constraint-missing-not-valid's claim: ADD CONSTRAINT … NOT VALID takes its lock (ACCESS EXCLUSIVE for a CHECK,
 * SHARE ROW EXCLUSIVE on both tables for a FOREIGN KEY) until the end of the transaction, so a VALIDATE in the same
 * transaction scans under it and writers wait; VALIDATE in a transaction of its own takes SHARE UPDATE EXCLUSIVE.
 */
let server: PostgresServer;
let migrator: Client;
let writer: Client;

before(async () => {
  server = await startPostgres();
  migrator = new Client({ connectionString: server.url() });
  writer = new Client({ connectionString: server.url() });
  await migrator.connect();
  await writer.connect();
  await migrator.query('CREATE TABLE customers (id int PRIMARY KEY); CREATE TABLE orders (id int, customer_id int, total int)');
  await migrator.query('INSERT INTO customers VALUES (1); INSERT INTO orders VALUES (1, 1, 10)');
  // The writer gives up at once instead of waiting: a refused INSERT shows the lock without any sleep.
  await writer.query("SET lock_timeout = '50ms'");
});
after(async () => {
  await migrator?.end();
  await writer?.end();
  server?.stop();
});

async function locksHeld(table: string): Promise<string[]> {
  const r = await migrator.query('SELECT mode FROM pg_locks WHERE pid = pg_backend_pid() AND relation = $1::regclass ORDER BY mode', [table]);
  return r.rows.map((row) => row.mode);
}

async function insertError(): Promise<string | undefined> {
  try {
    await writer.query('INSERT INTO orders VALUES (2, 1, 5)');
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

describe('NOT VALID then VALIDATE', () => {
  it('in one transaction, a CHECK keeps ACCESS EXCLUSIVE through the VALIDATE and writers wait', async () => {
    await migrator.query('BEGIN');
    await migrator.query('ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total > 0) NOT VALID');
    await migrator.query('ALTER TABLE orders VALIDATE CONSTRAINT orders_total_check');
    assert.ok((await locksHeld('orders')).includes('AccessExclusiveLock'));
    assert.match((await insertError()) ?? 'the insert went through', /lock timeout/);
    await migrator.query('ROLLBACK');
  });

  it('in one transaction, a FOREIGN KEY keeps SHARE ROW EXCLUSIVE on both tables through the VALIDATE', async () => {
    await migrator.query('BEGIN');
    await migrator.query('ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID');
    await migrator.query('ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk');
    assert.ok((await locksHeld('orders')).includes('ShareRowExclusiveLock'));
    assert.ok((await locksHeld('customers')).includes('ShareRowExclusiveLock'));
    assert.match((await insertError()) ?? 'the insert went through', /lock timeout/);
    await migrator.query('ROLLBACK');
  });

  it('in a transaction of its own, VALIDATE takes SHARE UPDATE EXCLUSIVE and writers go on', async () => {
    await migrator.query('ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total > 0) NOT VALID');
    await migrator.query('BEGIN');
    await migrator.query('ALTER TABLE orders VALIDATE CONSTRAINT orders_total_check');
    assert.deepEqual(await locksHeld('orders'), ['ShareUpdateExclusiveLock']);
    assert.equal(await insertError(), undefined);
    await migrator.query('COMMIT');
  });
});
