import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { emptyCatalog } from '../../core/src/catalog/model';
import { applyFile } from '../../core/src/catalog/replay';
import { initParser, parseSqlFile } from '../../core/src/parse/sql/parser';
import { indexSignature } from '../../core/src/rules/duplicate-index';
import { connectedPostgres } from '../support/postgres';

/**
 * duplicate-index calls two btree indexes the same when each gives the other's order: checked on the real planner,
 * which sorts (a Sort or Incremental Sort node) unless the one index on the table gives the ORDER BY, forwards or backwards.
 */
const PAIRS: [string, string][] = [
  ['x, y', 'x, y'],
  ['x DESC, y DESC', 'x, y'],
  ['x DESC NULLS LAST, y DESC', 'x, y'],
  ['x DESC, y', 'x, y'],
  ['x NULLS FIRST, y NULLS FIRST', 'x DESC, y DESC'],
  ['x DESC NULLS LAST, y DESC NULLS LAST', 'x NULLS FIRST, y NULLS FIRST'],
  ['name text_pattern_ops', 'name'],
];

/** ORDER BY for an index's key list (an operator class orders by its own operators, which ORDER BY name does not use). */
const orderBy = (keys: string) => keys.replace(/\s+text_pattern_ops/g, '');

describe('duplicate-index: the same order on PostgreSQL', () => {
  const pg = connectedPostgres(async (client) => {
    await client.query('CREATE TABLE t (x int, y int, name text); SET enable_seqscan = off; SET enable_sort = off;');
  });
  before(async () => {
    await initParser();
  });

  /** Whether an index on `keys` alone gives ORDER BY `order` without sorting. */
  async function serves(keys: string, order: string): Promise<boolean> {
    await pg.client.query(`DROP INDEX IF EXISTS i; CREATE INDEX i ON t (${keys})`);
    const plan = (await pg.client.query(`EXPLAIN (FORMAT JSON) SELECT * FROM t ORDER BY ${order}`)).rows[0]['QUERY PLAN'];
    return !/"Node Type":"(Incremental )?Sort"/.test(JSON.stringify(plan));
  }

  for (const [a, b] of PAIRS) {
    it(`(${a}) and (${b})`, async () => {
      const catalog = emptyCatalog();
      applyFile(catalog, 'm.sql', parseSqlFile(`CREATE TABLE t (x int, y int, name text); CREATE INDEX a ON t (${a}); CREATE INDEX b ON t (${b});`));
      const [ia, ib] = catalog.schemas.get('public')!.tables.get('t')!.indexes;
      const same = indexSignature(ia) === indexSignature(ib);
      const planner = (await serves(a, orderBy(b))) && (await serves(b, orderBy(a)));
      assert.equal(same, planner, `duplicate-index says ${same ? 'same' : 'different'}, the planner ${planner ? 'uses either' : 'sorts for one of them'}`);
    });
  }
});
