import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { workerExplainClient } from '../../core/src/explain/adapters';
import { runExplain } from '../../core/src/explain/runner';
import { initSafety } from '../../core/src/explain/safety';
import { loadSampleRows, type SampleRowsReport } from '../../core/src/shadow/sample-rows';
import { createShadowDatabase, type ShadowDatabase } from '../../core/src/shadow/shadow-db';
import { buildCatalogAsync } from '../../core/src/catalog/history';
import { initParser, parseSqlFile } from '../../core/src/parse/sql/parser';
import { EXAMPLES, foreignKeyOrphans, rowCounts, setsUnder } from './support';

const N = 250;

describe('sample rows in the examples/ shadow database', () => {
  let shadow: ShadowDatabase;
  let report: SampleRowsReport;
  before(async () => {
    await initSafety();
    const sets = setsUnder(EXAMPLES);
    shadow = await createShadowDatabase(sets);
    report = await loadSampleRows(shadow.db, await buildCatalogAsync(sets.flatMap((s) => s.migrations)), { rowsPerTable: N });
  });
  after(() => shadow?.db.close());

  test(`every table gets ${N} rows`, async () => {
    assert.equal(report.incomplete, 0, JSON.stringify(report.tables, null, 2));
    assert.equal(report.filled, 5);
    assert.deepEqual(report.missing, []);
    const counts = await rowCounts(shadow.db);
    assert.deepEqual([...counts].sort(), [['accounts', N], ['customers', N], ['invoices', N], ['orders', N], ['tenants', N]]);
  });

  test('every foreign key is satisfied (anti-joins find no orphans) and children really point at parents', async () => {
    const { checked, violations } = await foreignKeyOrphans(shadow.db);
    assert.ok(checked >= 3, `only ${checked} foreign keys`);
    assert.deepEqual(violations, []);
    const linked = await shadow.db.query<{ n: number }>('SELECT count(DISTINCT customer_id)::int AS n FROM orders');
    assert.ok(linked.rows[0].n > N / 4, `orders reference only ${linked.rows[0].n} customers`);
  });

  test('unique keys, NOT NULL, enums and CHECKs hold; statistics are gathered', async () => {
    const emails = await shadow.db.query<{ n: number; d: number }>('SELECT count(*)::int AS n, count(DISTINCT email)::int AS d FROM accounts');
    assert.equal(emails.rows[0].d, emails.rows[0].n);
    const positive = await shadow.db.query<{ n: number }>('SELECT count(*)::int AS n FROM invoices WHERE amount_minor <= 0');
    assert.equal(positive.rows[0].n, 0);
    const stats = await shadow.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stats WHERE schemaname = 'public' AND tablename = 'orders'`);
    assert.ok(stats.rows[0].n > 0, 'ANALYZE ran');
  });

  test("EXPLAIN ANALYZE of examples/queries.sql's first query returns a plan", async () => {
    await initParser();
    const text = readFileSync(path.join(EXAMPLES, 'queries.sql'), 'utf8');
    const first = parseSqlFile(text).statements[0];
    const result = await runExplain(workerExplainClient(shadow.db), text.slice(first.start, first.end), [], { analyze: true });
    assert.ok(result.ok, JSON.stringify(!result.ok && result.error));
    const plan = (result.plan as [{ Plan: { 'Node Type': string; 'Actual Loops': number } }])[0].Plan;
    assert.equal(plan['Node Type'], 'Limit');
    assert.equal(result.mode, 'analyze');
    assert.ok(result.serverVersion >= 180000);
  });

  test("a query on a missing column gets PostgreSQL's error at that column", async () => {
    const sql = 'SELECT o.id, o.shipped_on\nFROM orders o\nWHERE o.status = $1';
    const result = await runExplain(workerExplainClient(shadow.db), sql, ['shipped'], { analyze: true });
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.error.kind, 'server-error');
    assert.equal(result.error.code, '42703');
    assert.equal(result.error.message, 'PostgreSQL: column o.shipped_on does not exist');
    assert.equal(result.error.offset, sql.indexOf('o.shipped_on'));
  });

  test('a query on a missing table gets the error at the table name', async () => {
    const sql = '-- résumé 🚀\nSELECT * FROM shipments s WHERE s.id = 1';
    const result = await runExplain(workerExplainClient(shadow.db), sql, [], { analyze: true });
    assert.ok(!result.ok);
    assert.equal(result.error.code, '42P01');
    assert.equal(result.error.offset, sql.indexOf('shipments'));
  });
});

describe('sample rows are deterministic and handle keys, cycles and self-references', () => {
  // org.champion → person and person.org_id → org form a cycle; org.parent_id and person.manager_id refer to their own table.
  const sql = `
    CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
    CREATE DOMAIN short_code AS varchar(6) CHECK (VALUE <> '');
    CREATE TABLE org (id serial PRIMARY KEY, name varchar(12) NOT NULL UNIQUE, parent_id int REFERENCES org (id));
    CREATE TABLE person (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(), org_id int NOT NULL REFERENCES org (id), manager_id uuid REFERENCES person (id),
      email text NOT NULL, code short_code, mood mood NOT NULL, age smallint CHECK (age BETWEEN 18 AND 99),
      score numeric(5,2) NOT NULL CHECK (score >= 0 AND score <= 100), tags text[], data jsonb, avatar bytea, ip inet,
      born date, seen timestamptz, nap interval, status text NOT NULL CHECK (status IN ('active', 'invited')),
      created_at timestamptz NOT NULL DEFAULT now(), UNIQUE (org_id, email));
    CREATE TABLE membership (org_id int NOT NULL REFERENCES org (id), person_id uuid NOT NULL REFERENCES person (id), PRIMARY KEY (org_id, person_id));
    CREATE TABLE badge (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, person_id uuid NOT NULL UNIQUE REFERENCES person (id));
    ALTER TABLE org ADD COLUMN champion uuid REFERENCES person (id);
  `;
  const setsFor = (text: string) => [{
    dir: '/virtual', layout: 'plain' as const,
    migrations: [{ path: '/virtual/1.sql', layout: 'plain' as const, version: '1', text, upText: text, context: { layout: 'plain' as const, transactional: true, transactionReason: '' } }],
  }];

  let a: ShadowDatabase;
  let b: ShadowDatabase;
  let reportA: SampleRowsReport;
  before(async () => {
    await initParser();
    [a, b] = await Promise.all([createShadowDatabase(setsFor(sql)), createShadowDatabase(setsFor(sql))]);
    assert.equal(a.report.failed, 0, JSON.stringify(a.report.migrations[0].error));
    const catalog = await buildCatalogAsync(setsFor(sql)[0].migrations);
    reportA = await loadSampleRows(a.db, catalog, { rowsPerTable: 300, seed: 7 });
    await loadSampleRows(b.db, catalog, { rowsPerTable: 300, seed: 7 });
  });
  after(async () => {
    await a?.db.close();
    await b?.db.close();
  });

  test('every table is filled and every FK holds', async () => {
    const byTable = Object.fromEntries(reportA.tables.map((t) => [t.table, t]));
    for (const t of ['public.org', 'public.person', 'public.membership']) assert.equal(byTable[t].inserted, 300, JSON.stringify(byTable[t]));
    // A 1:1 child cannot have more rows than its parent has keys.
    assert.equal(byTable['public.badge'].inserted, 300);
    assert.deepEqual((await foreignKeyOrphans(a.db)).violations, []);
    assert.deepEqual(byTable['public.org'].deferred?.sort(), ['org_champion_fkey', 'org_parent_id_fkey']);
  });

  test('deferred references (self and cycle) are filled by the UPDATE pass', async () => {
    const r = await a.db.query<{ parents: number; champions: number; managers: number }>(
      'SELECT (SELECT count(parent_id)::int FROM org) AS parents, (SELECT count(champion)::int FROM org) AS champions, (SELECT count(manager_id)::int FROM person) AS managers');
    assert.ok(r.rows[0].parents > 200, JSON.stringify(r.rows));
    assert.ok(r.rows[0].champions > 200, JSON.stringify(r.rows));
    assert.ok(r.rows[0].managers > 200, JSON.stringify(r.rows));
  });

  test('values respect CHECKs, enums and lengths', async () => {
    const r = await a.db.query<{ bad: number }>(`SELECT count(*)::int AS bad FROM person WHERE score NOT BETWEEN 0 AND 100 OR age NOT BETWEEN 18 AND 99 OR status NOT IN ('active', 'invited')`);
    assert.equal(r.rows[0].bad, 0);
  });

  test('the same seed gives the same rows', async () => {
    const dump = (db: ShadowDatabase) => db.db.query<{ h: string }>(`SELECT md5(string_agg(concat_ws('|', org_id, email, code, mood, age, score, tags, data, avatar, ip, born, seen, nap, status), ',' ORDER BY org_id, email)) AS h FROM person`);
    assert.deepEqual((await dump(a)).rows, (await dump(b)).rows);
  });
});
