import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { applyFile } from '../../core/src/catalog/replay';
import { emptyCatalog, type Catalog, type Table } from '../../core/src/catalog/model';
import { initParser, parseSqlFile } from '../../core/src/parse/sql/parser';

/** What the partition rules read from the catalog; checked against PostgreSQL in pg-agreement (fixture edge-cases/0003). */
function replay(...files: string[]): Catalog {
  const catalog = emptyCatalog();
  files.forEach((sql, k) => applyFile(catalog, `m${k + 1}.sql`, parseSqlFile(sql)));
  return catalog;
}

const table = (c: Catalog, name: string): Table => c.schemas.get('public')!.tables.get(name)!;

before(() => initParser());

describe('partitions in the catalog', () => {
  it('keeps the key columns, and each partition\'s parent and bound as written', () => {
    const c = replay(`CREATE TABLE m (a int, b text) PARTITION BY RANGE (a, lower(b));
      CREATE TABLE m1 PARTITION OF m FOR VALUES
        FROM (1, 'a') TO (10, 'z');
      CREATE TABLE m2 PARTITION OF m DEFAULT;`);
    assert.deepEqual(table(c, 'm').partitionKey, { columns: ['a', undefined], text: 'a, lower(b)' });
    assert.equal(table(c, 'm1').partitionBound, "FOR VALUES FROM (1, 'a') TO (10, 'z')");
    assert.equal(table(c, 'm2').partitionBound, 'DEFAULT');
  });

  it('ATTACH adopts an equal index of the partition and creates the missing ones; DETACH keeps them, detached', () => {
    const c = replay('CREATE TABLE m (a int, b int) PARTITION BY LIST (a); CREATE INDEX m_b_idx ON m (b); CREATE INDEX m_ab_idx ON m (a, b);',
      "CREATE TABLE x (a int, b int); CREATE INDEX x_b ON x (b); ALTER TABLE m ATTACH PARTITION x FOR VALUES IN (1, 2);");
    const x = table(c, 'x');
    assert.deepEqual(x.partitionOf, { schema: 'public', name: 'm' });
    assert.equal(x.partitionBound, 'FOR VALUES IN (1, 2)');
    assert.deepEqual(x.indexes.map((i) => [i.name, i.attachedTo?.name]), [['x_b', 'm_b_idx'], ['x_a_b_idx', 'm_ab_idx']]);
    const detached = replay('CREATE TABLE m (a int, b int) PARTITION BY LIST (a); CREATE INDEX m_b_idx ON m (b); CREATE TABLE x PARTITION OF m FOR VALUES IN (1);',
      'ALTER TABLE m DETACH PARTITION x CONCURRENTLY;', 'ALTER TABLE m DETACH PARTITION x FINALIZE;');
    assert.equal(table(detached, 'x').partitionOf, undefined);
    assert.equal(table(detached, 'x').partitionBound, undefined);
    assert.deepEqual(table(detached, 'x').indexes.map((i) => [i.name, i.attachedTo]), [['x_b_idx', undefined]]);
  });

  it('CREATE INDEX ON ONLY stays on the parent until ALTER INDEX … ATTACH PARTITION; DROP INDEX of the parent drops the attached ones', () => {
    const c = replay(`CREATE TABLE m (a int, b int) PARTITION BY RANGE (a);
      CREATE TABLE m1 PARTITION OF m FOR VALUES FROM (0) TO (10);
      CREATE INDEX m_b_idx ON ONLY m (b);
      CREATE INDEX CONCURRENTLY m1_b_idx ON m1 (b);
      ALTER INDEX m_b_idx ATTACH PARTITION m1_b_idx;`);
    assert.deepEqual(table(c, 'm1').indexes.map((i) => [i.name, i.attachedTo?.name]), [['m1_b_idx', 'm_b_idx']]);
    const dropped = replay('CREATE TABLE m (a int, b int) PARTITION BY RANGE (a); CREATE TABLE m1 PARTITION OF m FOR VALUES FROM (0) TO (10); CREATE INDEX m_b_idx ON m (b);', 'DROP INDEX m_b_idx;');
    assert.deepEqual(table(dropped, 'm1').indexes, []);
  });
});
