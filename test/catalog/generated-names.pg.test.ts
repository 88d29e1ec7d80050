import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { allTables, emptyCatalog } from '../../core/src/catalog/model';
import { applyFile } from '../../core/src/catalog/replay';
import { initParser, parseSqlFile } from '../../core/src/parse/sql/parser';
import { connectedPostgres } from '../support/postgres';

/**
 * The names PostgreSQL generates for unnamed indexes and constraints, replayed by pgvet with its name cache
 * (catalog/replay/name-cache.ts: kept across CREATE TABLE / CREATE INDEX, dropped by anything else), compared
 * with the real server: a name freed by DROP or RENAME is reused, names taken in the same statement are not.
 */
const SCRIPTS: [string, string][] = [
  ['repeated unnamed indexes', 'CREATE TABLE a (v int); CREATE INDEX ON a (v); CREATE INDEX ON a (v); CREATE INDEX ON a (v);'],
  ['a dropped name is reused', 'CREATE TABLE a (v int); CREATE INDEX ON a (v); CREATE INDEX ON a (v); DROP INDEX a_v_idx; CREATE INDEX ON a (v); CREATE INDEX ON a (v);'],
  ['a renamed name is reused', 'CREATE TABLE a (v int); CREATE INDEX ON a (v); CREATE INDEX ON a (v); ALTER INDEX a_v_idx1 RENAME TO z; CREATE INDEX ON a (v);'],
  ['a constraint takes the index name first', 'CREATE TABLE a (v int, CONSTRAINT a_v_idx UNIQUE (v)); CREATE INDEX ON a (v); CREATE INDEX ON a (v);'],
  ['two UNIQUEs in one ALTER TABLE', 'CREATE TABLE a (v int); ALTER TABLE a ADD UNIQUE (v), ADD UNIQUE (v); CREATE INDEX ON a (v);'],
  ['a table named like the next index', 'CREATE TABLE a (v int); CREATE INDEX ON a (v); CREATE TABLE a_v_idx1 (x int); CREATE INDEX ON a (v);'],
  ['a dropped table frees its name', 'CREATE TABLE a (v int); CREATE TABLE a_v_idx (x int); CREATE INDEX ON a (v); DROP TABLE a_v_idx; CREATE INDEX ON a (v);'],
  ['foreign keys and checks', `CREATE TABLE p (id int PRIMARY KEY);
    CREATE TABLE c (id int PRIMARY KEY, p_id int REFERENCES p, q_id int REFERENCES p, CHECK (p_id > 0), CHECK (p_id < 10), CONSTRAINT c_p_id_fkey1 CHECK (q_id > 0));
    ALTER TABLE c DROP CONSTRAINT c_p_id_fkey; ALTER TABLE c ADD FOREIGN KEY (p_id) REFERENCES p;
    CREATE TABLE c2 (id int PRIMARY KEY, p_id int REFERENCES p);`],
  ['partitions', `CREATE TABLE m (k int, v int) PARTITION BY RANGE (k); CREATE INDEX ON m (v);
    CREATE TABLE m1 PARTITION OF m FOR VALUES FROM (0) TO (10); CREATE INDEX ON m (v); CREATE TABLE m_v_idx2 (x int);
    CREATE TABLE m2 PARTITION OF m FOR VALUES FROM (10) TO (20); CREATE INDEX ON m (v);`],
];

const NAMES_SQL = `
  SELECT 'index ' || c.relname || ' ' || i.indexrelid::regclass::text AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
    WHERE c.relnamespace = 'public'::regnamespace
  UNION ALL
  SELECT 'constraint ' || conrelid::regclass::text || ' ' || conname FROM pg_constraint
    WHERE connamespace = 'public'::regnamespace AND contype IN ('p', 'u', 'f', 'c', 'x')
  ORDER BY 1`;

function replayedNames(sql: string): string[] {
  const catalog = emptyCatalog();
  applyFile(catalog, 'm.sql', parseSqlFile(sql));
  const out: string[] = [];
  for (const t of allTables(catalog)) {
    for (const i of t.indexes) out.push(`index ${t.name} ${i.name}`);
    const constraints = [t.primaryKey, ...t.uniqueConstraints, ...t.foreignKeys, ...t.checks, ...t.indexes.filter((i) => i.backs === 'exclusion')];
    for (const c of constraints) if (c) out.push(`constraint ${t.name} ${c.name}`);
  }
  return out.sort();
}

describe('generated index and constraint names agree with PostgreSQL', () => {
  const pg = connectedPostgres();
  before(async () => {
    await initParser();
  });

  for (const [what, sql] of SCRIPTS) {
    it(what, async () => {
      await pg.client.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
      await pg.client.query(sql);
      const actual = (await pg.client.query(NAMES_SQL)).rows.map((r: { name: string }) => r.name).sort();
      assert.deepEqual(replayedNames(sql), actual);
    });
  }
});
