/**
 * The shadow database in its worker thread: a long statement is stopped by the timeout or by cancel
 * (the worker is terminated), the next statement restarts the worker from the last checkpoint with
 * the schema and sample rows intact, and closing or cancelling a build stops it where it is.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { workerExplainClient, type ExplainClient } from '../../core/src/explain/adapters';
import { runExplain } from '../../core/src/explain/runner';
import { initSafety } from '../../core/src/explain/safety';
import { loadSampleRows } from '../../core/src/shadow/sample-rows';
import { createShadowDatabase, type ShadowDatabase } from '../../core/src/shadow/shadow-db';
import { WorkerPGlite } from '../../core/src/shadow/worker-db';
import { buildCatalogAsync } from '../../core/src/catalog/history';
import { EXAMPLES, rowCounts, setsUnder } from './support';

describe('the examples/ shadow database in a worker: timeout, cancel, restart from the checkpoint', () => {
  let shadow: ShadowDatabase;
  let counts: Map<string, number>;
  before(async () => {
    await initSafety();
    const sets = setsUnder(EXAMPLES);
    shadow = await createShadowDatabase(sets);
    await loadSampleRows(shadow.db, await buildCatalogAsync(sets.flatMap((s) => s.migrations)), { rowsPerTable: 40 });
    await shadow.db.checkpoint();
    counts = await rowCounts(shadow.db);
  });
  after(() => shadow?.db.close());

  test('pg_sleep(30) is stopped by a 1 s statement timeout; the restarted database still has its tables and sample rows', async () => {
    const client = workerExplainClient(shadow.db);
    const generation = shadow.db.generation;
    const r = await runExplain(client, 'SELECT pg_sleep(30) FROM orders LIMIT 1', [], { analyze: true, statementTimeoutMs: 1000 });
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.error.kind, 'timeout');
    assert.equal(r.error.message, 'The statement was stopped after 1 s (pgvet.explain.statementTimeout) and rolled back.');
    assert.notEqual(shadow.db.generation, generation, 'the worker was replaced');
    assert.equal(shadow.db.busy, false);

    const next = await runExplain(client, "SELECT * FROM orders WHERE status = 'shipped'", [], { analyze: true });
    assert.ok(next.ok, !next.ok ? next.error.message : '');
    assert.deepEqual(await rowCounts(shadow.db), counts);
    assert.ok([...counts.values()].every((n) => n === 40), JSON.stringify([...counts]));
  });

  test('cancel while the statement runs: reported as cancelled, and the database answers again', async () => {
    const inner = workerExplainClient(shadow.db);
    let explainSent!: () => void;
    const sent = new Promise<void>((resolve) => (explainSent = resolve));
    const client: ExplainClient = {
      query(text, params, options) {
        const result = inner.query(text, params, options);
        if (text.startsWith('EXPLAIN')) explainSent();
        return result;
      },
      cancel: inner.cancel,
    };
    const controller = new AbortController();
    const running = runExplain(client, 'SELECT count(*) FROM generate_series(1, 2000000000)', [], { analyze: true, signal: controller.signal });
    await sent;
    assert.equal(shadow.db.busy, true);
    controller.abort();
    const r = await running;
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.error.kind, 'cancelled');
    assert.equal(r.error.message, 'Cancelled: the statement was stopped (pg_cancel_backend) and rolled back.');
    assert.deepEqual(await rowCounts(shadow.db), counts);
  });

  test("PostgreSQL's error fields come through the worker (code, position)", async () => {
    await assert.rejects(shadow.db.query('SELECT shipped_on FROM orders'), (e: Record<string, unknown>) => {
      assert.equal(e.code, '42703');
      assert.equal(e.position, '8');
      assert.equal(e.message, 'column "shipped_on" does not exist');
      return true;
    });
    const arrays = await shadow.db.query('SELECT 1 AS a, 2 AS b', [], { rowMode: 'array' });
    assert.deepEqual(arrays.rows, [[1, 2]]);
  });
});

describe('WorkerPGlite', () => {
  test('interrupt() with nothing running does nothing; without a checkpoint a stopped worker restarts empty', async () => {
    const db = await WorkerPGlite.create();
    try {
      await db.exec('CREATE TABLE t (x int); INSERT INTO t VALUES (1)');
      assert.equal(db.interrupt('cancel'), false);
      assert.deepEqual((await db.query('SELECT x FROM t')).rows, [{ x: 1 }]);
      const sleeping = db.query('SELECT pg_sleep(30)');
      assert.equal(db.interrupt('cancel'), true);
      await assert.rejects(sleeping, { code: '57014', message: 'canceling statement due to user request' });
      await assert.rejects(db.query('SELECT x FROM t'), { code: '42P01' });
    } finally {
      await db.close();
    }
  });

  test('close() fails a running statement and every later call', async () => {
    const db = await WorkerPGlite.create();
    const sleeping = assert.rejects(db.query('SELECT pg_sleep(30)'), { code: '57P01', message: 'The shadow database was closed.' });
    await db.close();
    await sleeping;
    await assert.rejects(db.query('SELECT 1'), { message: 'The shadow database was closed.' });
    assert.equal(db.closed, true);
  });

  test('cancelling a build stops it and rejects with an AbortError', async () => {
    const controller = new AbortController();
    const build = createShadowDatabase(setsUnder(EXAMPLES), {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.done === 1) controller.abort();
      },
    });
    await assert.rejects(build, { name: 'AbortError' });
  });
});

describe('WorkerPGlite.acquire', () => {
  test('one holder at a time: the second waits until the first releases', async () => {
    const db = await WorkerPGlite.create();
    try {
      const order: string[] = [];
      const releaseFirst = await db.acquire();
      const second = db.acquire().then((release) => {
        order.push('second acquired');
        release();
      });
      await db.exec('SELECT 1');
      order.push('first done');
      releaseFirst();
      await second;
      assert.deepEqual(order, ['first done', 'second acquired']);
      // Released: a third caller gets it at once.
      (await db.acquire())();
    } finally {
      await db.close();
    }
  });
});
