import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { typeChangeCost } from '../../core/src/rule-kit/type-changes';
import { connectedPostgres } from '../support/postgres';

/**
 * What changing-column-type and destructive-change claim about type changes, checked on the real server:
 * a table or index whose pg_class.relfilenode changed was rewritten.
 */
const CHANGES: [from: string, to: string][] = [
  ['varchar(20)', 'varchar(255)'], ['varchar(20)', 'text'], ['varchar', 'text'], ['text', 'varchar'], ['text', 'varchar(10)'], ['varchar(255)', 'varchar(20)'],
  ['varchar(20)[]', 'text[]'], ['numeric(10,2)', 'numeric'], ['numeric(10,2)', 'numeric(12,2)'], ['numeric(10,2)', 'numeric(12,4)'], ['cidr', 'inet'],
  ['varbit(8)', 'varbit(16)'], ['varbit(8)', 'varbit'], ['varbit(16)', 'varbit(8)'], ['bit(3)', 'varbit'], ['int', 'bigint'], ['char(5)', 'text'],
  ['timestamp', 'timestamptz'], ['timestamp(3)', 'timestamptz'], ['timestamp(6)', 'timestamptz(6)'], ['timestamp(3)', 'timestamptz(3)'], ['timestamptz', 'timestamp'],
  ['timestamptz(3)', 'timestamp(3)'], ['timestamp(3)', 'timestamp(6)'], ['timestamptz(6)', 'timestamptz(3)'], ['time', 'time(3)'],
];

describe('type changes on PostgreSQL: what is rewritten', () => {
  const pg = connectedPostgres();

  /** Changes the column's type in a fresh table with an index on it: the printed types and what got a new file. */
  async function change(from: string, to: string, timeZone: string) {
    await pg.client.query('DROP TABLE IF EXISTS t; CREATE TABLE t (c ' + from + '); CREATE INDEX t_c ON t (c);');
    await pg.client.query(`SET TimeZone = '${timeZone}'`);
    const state = async () => (await pg.client.query(`SELECT format_type(a.atttypid, a.atttypmod) AS type, c.relfilenode AS t, i.relfilenode AS i
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid, pg_class i WHERE c.relname = 't' AND a.attname = 'c' AND i.relname = 't_c'`)).rows[0];
    const old = await state();
    await pg.client.query(`ALTER TABLE t ALTER COLUMN c TYPE ${to}`);
    const now = await state();
    return { from: old.type as string, to: now.type as string, table: old.t !== now.t, index: old.i !== now.i };
  }

  for (const [from, to] of CHANGES) {
    it(`${from} → ${to}`, async () => {
      const utc = await change(from, to, 'UTC');
      const berlin = await change(from, to, 'Europe/Berlin');
      const cost = typeChangeCost(utc.from, utc.to);
      const seen = { utc: { table: utc.table, index: utc.index }, berlin: { table: berlin.table, index: berlin.index } };
      const expected = {
        none: { utc: { table: false, index: false }, berlin: { table: false, index: false } },
        indexes: { utc: { table: false, index: true }, berlin: { table: false, index: true } },
        timezone: { utc: { table: false, index: true }, berlin: { table: true, index: true } },
        rewrite: { utc: { table: true, index: true }, berlin: { table: true, index: true } },
      }[cost];
      assert.deepEqual(seen, expected, `pgvet says "${cost}" for ${utc.from} → ${utc.to}`);
    });
  }
});
