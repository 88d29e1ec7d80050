import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectedPostgres } from '../support/postgres';

/**
 * What constraint-missing-not-valid, unique-constraint-without-index and volatile-default claim about constraints
 * written inline in ADD COLUMN, checked on the real server: sequential scans of the table (pg_stat_xact_user_tables,
 * counted within the transaction), a new table file (rewrite), and the indexes built.
 */
describe('inline constraints of ADD COLUMN on PostgreSQL', () => {
  const pg = connectedPostgres();

  async function effect(add: string): Promise<{ scans: number; rewritten: boolean; indexes: number }> {
    await pg.client.query('DROP TABLE IF EXISTS t; DROP TABLE IF EXISTS p; CREATE TABLE p (id int PRIMARY KEY); INSERT INTO p VALUES (1);');
    await pg.client.query('CREATE TABLE t (a int); INSERT INTO t SELECT g FROM generate_series(1, 1000) g;');
    const file = async () => (await pg.client.query("SELECT relfilenode FROM pg_class WHERE relname = 't'")).rows[0].relfilenode;
    const old = await file();
    await pg.client.query('BEGIN');
    try {
      await pg.client.query(`ALTER TABLE t ${add}`);
      const { rows } = await pg.client.query("SELECT seq_scan, (SELECT count(*) FROM pg_index WHERE indrelid = 't'::regclass) AS indexes FROM pg_stat_xact_user_tables WHERE relname = 't'");
      await pg.client.query('COMMIT');
      return { scans: Number(rows[0].seq_scan), rewritten: old !== (await file()), indexes: Number(rows[0].indexes) };
    } catch (e) {
      await pg.client.query('ROLLBACK');
      throw e;
    }
  }

  it('REFERENCES without a DEFAULT: the new column is all NULL, nothing is scanned', async () => {
    assert.deepEqual(await effect('ADD COLUMN x int REFERENCES p (id)'), { scans: 0, rewritten: false, indexes: 0 });
  });
  it('REFERENCES with a DEFAULT, even DEFAULT NULL: every row is checked', async () => {
    assert.equal((await effect('ADD COLUMN x int DEFAULT 1 REFERENCES p (id)')).scans, 1);
    assert.equal((await effect('ADD COLUMN x int DEFAULT NULL REFERENCES p (id)')).scans, 1);
  });
  it('CHECK: every row is checked, default or not', async () => {
    assert.deepEqual(await effect('ADD COLUMN x int CHECK (x > 0)'), { scans: 1, rewritten: false, indexes: 0 });
  });
  it('UNIQUE: a scan to build the index', async () => {
    assert.deepEqual(await effect('ADD COLUMN x int UNIQUE'), { scans: 1, rewritten: false, indexes: 1 });
  });
  it('SERIAL PRIMARY KEY: a rewrite and the index', async () => {
    const seen = await effect('ADD COLUMN x serial PRIMARY KEY');
    assert.equal(seen.rewritten, true);
    assert.equal(seen.indexes, 1);
  });
});
