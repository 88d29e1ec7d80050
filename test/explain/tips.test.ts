import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { filterColumns } from '../../core/src/explain/plan/filter-columns';
import { analyzePlan } from '../../core/src/explain/plan/metrics';
import { findTips, workMemFor, type Tip, type TipId } from '../../core/src/explain/plan/tips';
import { loadPlan, rootOf } from './fixtures';

const tipsOf = (plan: unknown, id: TipId, sql?: string): Tip[] => findTips(analyzePlan(plan), { sql }).filter((t) => t.id === id);
const fixture = (name: string) => loadPlan(name).plan;

/** Every tip of EXPLAIN.md's table: a recorded plan that triggers it and one that does not. */
const CASES: { id: TipId; triggers: string; quiet: string }[] = [
  { id: 'index-candidate', triggers: 'seq-scan-filter', quiet: 'cold-reads' },
  { id: 'misestimate', triggers: 'misestimate', quiet: 'seq-scan-filter' },
  { id: 'spill-to-disk', triggers: 'sort-spill', quiet: 'parallel-aggregate' },
  { id: 'lossy-bitmap', triggers: 'bitmap-lossy', quiet: 'initplan' },
  { id: 'heap-fetches', triggers: 'index-only-heap-fetches', quiet: 'io-timing' },
  { id: 'nested-loop-many-rows', triggers: 'nested-loop', quiet: 'hash-batches' },
  { id: 'low-cache-hit', triggers: 'cold-reads', quiet: 'pglite-nested-loop' },
  { id: 'fewer-workers', triggers: 'parallel-not-launched', quiet: 'parallel-aggregate' },
  { id: 'slow-planning', triggers: 'slow-planning', quiet: 'sort-spill' },
  { id: 'missing-io-timing', triggers: 'cold-reads', quiet: 'io-timing' },
];

describe('tips: each one fires on its plan and stays quiet on another', () => {
  for (const c of CASES) {
    test(`${c.id}: fires on ${c.triggers}, not on ${c.quiet}`, () => {
      const fired = tipsOf(fixture(c.triggers), c.id);
      assert.ok(fired.length > 0, `${c.id} did not fire`);
      for (const t of fired) assert.ok(t.title && t.evidence && Number.isInteger(t.nodeId));
      assert.deepEqual(tipsOf(fixture(c.quiet), c.id), []);
    });
  }
  test('a plan without ANALYZE has no tips', () => assert.deepEqual(findTips(analyzePlan(fixture('plan-only'))), []));
});

describe('tip details', () => {
  test('index candidate: CREATE INDEX CONCURRENTLY on the filter column', () => {
    const [t] = tipsOf(fixture('seq-scan-filter'), 'index-candidate');
    assert.deepEqual(t.fix, { kind: 'create-index', table: 'orders', columns: ['status'], sql: 'CREATE INDEX CONCURRENTLY orders_status_idx ON public.orders (status);' });
    assert.equal(t.nodeId, 0);
  });

  test('index candidate: lower(col) becomes an expression, equality before range', () => {
    const [t] = tipsOf(fixture('seq-scan-lower'), 'index-candidate');
    assert.equal(t.fix?.kind === 'create-index' && t.fix.sql, 'CREATE INDEX CONCURRENTLY orders_lower_note_amount_idx ON public.orders ((lower(note)), amount);');
  });

  test('index candidate: below 90 % removed or under 1,000 rows it stays quiet', () => {
    const root = rootOf('seq-scan-filter');
    root.Plan['Rows Removed by Filter'] = root.Plan['Actual Rows'] * 5;
    assert.deepEqual(tipsOf([root], 'index-candidate'), []);
    const small = rootOf('seq-scan-filter');
    small.Plan['Rows Removed by Filter'] = 900;
    small.Plan['Actual Rows'] = 10;
    assert.deepEqual(tipsOf([small], 'index-candidate'), []);
  });

  test('index candidate: a LIKE filter gives the tip without a fix', () => {
    const [t] = tipsOf(fixture('parallel-not-launched'), 'index-candidate');
    assert.equal(t.fix, undefined);
  });

  test('misestimate: ANALYZE plus extended statistics for two filter columns', () => {
    const [t] = tipsOf(fixture('misestimate'), 'misestimate');
    assert.match(t.evidence, /over-estimated 500×/);
    assert.deepEqual(t.fix, { kind: 'sql', sql: 'CREATE STATISTICS customers_region_tier_stats (dependencies, ndistinct, mcv) ON region, tier FROM public.customers;\nANALYZE public.customers;' });
  });

  test('misestimate: not for fewer rows than planned under a Limit (it stops reading early)', () => {
    const root = rootOf('misestimate');
    assert.equal(tipsOf([root], 'misestimate').length, 1);
    const limited = { ...root, Plan: { 'Node Type': 'Limit', 'Plan Rows': 20, 'Actual Rows': 20, 'Actual Loops': 1, 'Startup Cost': 0, 'Total Cost': 1, 'Plan Width': 8, 'Actual Startup Time': 0, 'Actual Total Time': root.Plan['Actual Total Time'], Plans: [root.Plan] } };
    assert.deepEqual(tipsOf([limited], 'misestimate'), []);
  });

  test('misestimate: not when both counts are small', () => {
    const root = rootOf('misestimate');
    root.Plan['Plan Rows'] = 50;
    assert.deepEqual(tipsOf([root], 'misestimate'), []);
  });

  test('spill: the work_mem that would fit a sort, a hash and a hash aggregate', () => {
    const [sort] = tipsOf(fixture('sort-spill'), 'spill-to-disk');
    assert.deepEqual(sort.fix, { kind: 'setting', name: 'work_mem', value: '64MB' }); // 19,592 kB on disk × 2
    const hash = tipsOf(fixture('hash-batches'), 'spill-to-disk');
    assert.deepEqual(hash.map((t) => analyzePlan(fixture('hash-batches')).nodes[t.nodeId].displayName), ['Hash']);
    assert.match(hash[0].evidence, /16 batches/);
    const agg = tipsOf(fixture('cte-scanned-twice'), 'spill-to-disk').find((t) => /HashAggregate/.test(t.title));
    assert.deepEqual(agg?.fix, { kind: 'setting', name: 'work_mem', value: '16MB' });
  });

  test('work_mem sizes: powers of two in MB, at least 4MB and twice the current value', () => {
    assert.equal(workMemFor(100), '4MB');
    assert.equal(workMemFor(5000), '8MB');
    assert.equal(workMemFor(39184), '64MB');
    assert.equal(workMemFor(100, 8192), '16MB');
    assert.equal(workMemFor(2_000_000), '2GB');
  });

  test('lossy bitmap: work_mem', () => {
    const [t] = tipsOf(fixture('bitmap-lossy'), 'lossy-bitmap');
    assert.deepEqual(t.fix, { kind: 'setting', name: 'work_mem', value: '4MB' });
    assert.match(t.evidence, /3,621 of 4,304 heap blocks/);
  });

  test('heap fetches: VACUUM the table', () => {
    const [t] = tipsOf(fixture('index-only-heap-fetches'), 'heap-fetches');
    assert.deepEqual(t.fix, { kind: 'sql', sql: 'VACUUM (ANALYZE) public.orders;' });
  });

  test('nested loop: inner side already indexed → no index fix; inner Seq Scan → index on the join key', () => {
    const [indexed] = tipsOf(fixture('nested-loop'), 'nested-loop-many-rows');
    assert.equal(indexed.fix, undefined);
    assert.match(indexed.evidence, /orders_customer_id_idx/);
    assert.equal(tipsOf(fixture('pglite-nested-loop'), 'nested-loop-many-rows').length, 1, 'through Memoize, PG18');
    // The same plan had the index not existed: the inner side is a Seq Scan filtering on the join key.
    const root = rootOf('nested-loop');
    const inner = root.Plan.Plans[1];
    inner['Node Type'] = 'Seq Scan';
    inner.Filter = `(${inner['Index Cond'].replace(/^\(|\)$/g, '')})`;
    delete inner['Index Cond'];
    delete inner['Index Name'];
    const [t] = tipsOf([root], 'nested-loop-many-rows');
    assert.deepEqual(t.fix, { kind: 'create-index', table: 'orders', columns: ['customer_id'], sql: 'CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders (customer_id);' });
  });

  test('fewer workers: max_parallel_workers', () => {
    const [t] = tipsOf(fixture('parallel-not-launched'), 'fewer-workers');
    assert.match(t.title, /0 of 2 workers/);
    assert.deepEqual(t.fix, { kind: 'setting', name: 'max_parallel_workers', value: '2' });
  });

  test('slow planning: a prepared statement of the query', () => {
    const p = loadPlan('slow-planning');
    const [t] = tipsOf(p.plan, 'slow-planning', p.sql);
    assert.ok(t.fix?.kind === 'sql' && t.fix.sql.startsWith('PREPARE pgvet_stmt AS SELECT c1.name'));
  });

  test('missing I/O timing: track_io_timing', () => {
    const [t] = tipsOf(fixture('cold-reads'), 'missing-io-timing');
    assert.deepEqual(t.fix, { kind: 'setting', name: 'track_io_timing', value: 'on' });
  });
});

describe('filterColumns', () => {
  const cases: [string, string[]][] = [
    ["(orders.status = 'refunded'::text)", ['status']],
    ["((c.region = 'north'::text) AND (c.tier = 1))", ['region', 'tier']],
    ["((orders.amount > '10'::numeric) AND (lower(orders.note) = 'abc'::text))", ['(lower(note))', 'amount']],
    ["((\"Weird Col\" = 1) AND (x.\"CamelCase\" >= 2))", ['"Weird Col"', '"CamelCase"']],
    ["((a = 1) OR (b = 2))", []],
    ["(note ~~ '%zz%'::text)", []],
    ["((a)::text = 'x AND y'::text)", []],
  ];
  for (const [filter, expected] of cases) {
    test(filter, () => assert.deepEqual(filterColumns(filter).map((c) => c.indexTerm), expected));
  }
  test('join keys are recognised', () => {
    assert.deepEqual(filterColumns('(o.customer_id = c.id)', 'o').map((c) => [c.column, c.joinKey]), [['customer_id', true]]);
  });
});
