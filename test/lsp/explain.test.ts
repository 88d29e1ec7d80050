/**
 * EXPLAIN behind the language server: the statement at the cursor, EXPLAIN (ANALYZE) on the history's embedded
 * shadow database (real PGlite in the server's worker), the confirmation the server asks the client for,
 * "Load sample rows", cancellation, and the database closed after pgvet.embeddedDatabase.idleMinutes.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import type {
  ConfirmExplainParams, EmbeddedDatabaseParams, ExplainParams, ExplainResponse, ExplainStatementResult, LoadSampleRowsResult, PickHistoryParams,
} from '../../core/src/protocol';
import { startOnWorkspace, type LspClient, type WorkspaceSession } from '../support/lsp-client';

/** Fails the test when `promise` has not settled within `ms` (a deadline, not a wait). */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms)));
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** The embedded database processes the language server (`pid`) has started and not yet ended, from /proc. */
function databaseProcesses(pid: number): number[] {
  const read = (p: string, f: string) => {
    try {
      return readFileSync(`/proc/${p}/${f}`, 'utf8');
    } catch {
      return '';
    }
  };
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
    const stat = read(p, 'stat');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return ppid === pid && read(p, 'cmdline').includes('shadow-worker.js');
  }).map(Number);
}

describe('language server: EXPLAIN on the embedded shadow database', () => {
  let session: WorkspaceSession;
  let client: LspClient;
  let queryUri: string;
  const settings = { embeddedDatabase: { idleMinutes: 0 } };
  const events: EmbeddedDatabaseParams[] = [];
  const eventWaiters: { pred: (e: EmbeddedDatabaseParams) => boolean; resolve: () => void }[] = [];
  /** Resolves at the first embedded-database event from index `from` on that satisfies `pred`. */
  const event = (from: number, pred: (e: EmbeddedDatabaseParams) => boolean) => new Promise<void>((resolve) => {
    if (events.slice(from).some(pred)) resolve();
    else eventWaiters.push({ pred, resolve });
  });
  let answer = false;
  const asked: ConfirmExplainParams[] = [];

  before(async () => {
    session = await startOnWorkspace('pgvet-lsp-explain-', {
      'db/migrations/001_init.sql': 'CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL);\nCREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers (id), total integer NOT NULL);\n',
      'db/migrations/002_broken.sql': 'ALTER TABLE invoices ADD COLUMN paid boolean;\n',
      'queries/orders.sql': 'SELECT * FROM orders WHERE customer_id = 1;\n\nDELETE FROM orders WHERE total > $1;\n',
    }, { configuration: (section) => (section === 'pgvet' ? settings : {}) });
    ({ client } = session);
    queryUri = pathToFileURL(join(session.root, 'queries/orders.sql')).toString();
    client.connection.onNotification('pgvet/embeddedDatabase', (e: EmbeddedDatabaseParams) => {
      events.push(e);
      for (const w of [...eventWaiters]) if (w.pred(e)) eventWaiters.splice(eventWaiters.indexOf(w), 1) && w.resolve();
    });
    client.connection.onRequest('pgvet/confirmExplain', (p: ConfirmExplainParams) => {
      asked.push(p);
      return answer;
    });
  });
  after(() => session.dispose());

  const explain = (sql: string, extra: Partial<ExplainParams> = {}, cancel = new CancellationTokenSource()) =>
    client.connection.sendRequest<ExplainResponse>('pgvet/explain', {
      uri: queryUri, sql, params: [], analyze: true, target: { kind: 'shadow' }, statementTimeoutMs: 30_000, lockTimeoutMs: 5_000, ...extra,
    } satisfies ExplainParams, cancel.token);

  const rowsOfScan = (response: ExplainResponse) => {
    assert.ok(response.ok, !response.ok ? response.error.message : '');
    const root = (response.plan as { Plan: { 'Actual Rows': number; 'Node Type': string } }[])[0].Plan;
    return root['Actual Rows'];
  };

  test('the statement at the cursor, classified by the server: a DELETE with its parameter count, a DROP refused', async () => {
    const text = 'SELECT 1;\nDELETE FROM orders WHERE total > $1;\nDROP TABLE orders;\n';
    const del = await client.connection.sendRequest<ExplainStatementResult>('pgvet/explainStatement', { text, selection: { start: text.indexOf('orders'), end: text.indexOf('orders') } });
    assert.deepEqual(del, { kind: 'explainable', text: 'DELETE FROM orders WHERE total > $1', start: text.indexOf('DELETE'), paramCount: 1 });
    const drop = await client.connection.sendRequest<ExplainStatementResult>('pgvet/explainStatement', { text, selection: { start: text.indexOf('DROP'), end: text.indexOf('DROP') } });
    assert.equal(drop.kind, 'refused');
  });

  test('code lenses: the offsets of the queries of an open document, from its current text', async () => {
    const uri = pathToFileURL(join(session.root, 'queries/lenses.sql')).toString();
    const text = 'SELECT 1;\nCREATE INDEX i ON orders (total);\nWITH x AS (SELECT 2) SELECT * FROM x;\n';
    await client.open(uri, text);
    assert.deepEqual(await client.connection.sendRequest('pgvet/explainableStatements', { uri }), [0, text.indexOf('WITH')]);
    const update = 'UPDATE orders SET total = 0;\n';
    await client.change(uri, update + text);
    assert.deepEqual(await client.connection.sendRequest('pgvet/explainableStatements', { uri }), [0, update.length, update.length + text.indexOf('WITH')]);
  });

  test('EXPLAIN ANALYZE of a SELECT: a plan from the shadow database, its history and the migration PostgreSQL refused', async () => {
    const response = await explain('SELECT * FROM orders WHERE customer_id = 1');
    assert.ok(response.ok, !response.ok ? response.error.message : '');
    assert.equal(response.source.kind, 'shadow');
    assert.match(response.source.label, /shadow database/);
    // A workspace of plain .sql folders only is one history, keyed by its folder.
    assert.equal(response.shadow?.history, session.root);
    assert.deepEqual(response.shadow?.failures.map((f) => [f.path, f.code]), [[join(session.root, 'db/migrations/002_broken.sql'), '42P01']]);
    assert.equal(rowsOfScan(response), 0);
    assert.deepEqual(events.filter((e) => e.state === 'started').map((e) => e.history), [session.root]);
  });

  test('a column no migration creates: the error with its offset in the statement', async () => {
    const sql = 'SELECT missing_column FROM orders';
    const response = await explain(sql);
    assert.ok(!response.ok);
    assert.equal(response.error.kind, 'explain');
    assert.equal(response.error.offset, sql.indexOf('missing_column'));
  });

  test('a DELETE asks the client first; declined, nothing runs; accepted, it runs and is rolled back (the rows are still there)', async () => {
    const history = session.root;
    const loaded = await client.connection.sendRequest<LoadSampleRowsResult>('pgvet/loadSampleRows', { history, rowsPerTable: 40 });
    assert.deepEqual(loaded.ok && [loaded.filled, loaded.tables], [2, 2]);
    const withRows = await explain('SELECT * FROM orders');
    assert.equal(rowsOfScan(withRows), 40);
    assert.match(withRows.ok ? withRows.source.label : '', /40 generated sample rows per table/);

    answer = false;
    const declined = await explain('DELETE FROM orders WHERE total > $1', { params: ['-1'] });
    assert.deepEqual(!declined.ok && declined.error.kind, 'cancelled');
    assert.equal(asked.length, 1);
    assert.deepEqual(asked[0].reasons.length > 0 && asked[0].sql, 'DELETE FROM orders WHERE total > $1');

    answer = true;
    const deleted = await explain('DELETE FROM orders WHERE total > $1', { params: ['-1'] });
    assert.ok(deleted.ok, !deleted.ok ? deleted.error.message : '');
    const scan = JSON.stringify(deleted.plan);
    assert.match(scan, /"Operation":"Delete"/);
    assert.equal(rowsOfScan(await explain('SELECT * FROM orders')), 40, 'the DELETE was rolled back');
  });

  test('cancelling the request stops a running statement', async () => {
    const cancel = new CancellationTokenSource();
    const running = explain('SELECT pg_sleep(60)', { progressToken: 'sleep' }, cancel);
    // Cancel once the statement runs (the server says so in its progress).
    await new Promise<void>((resolve) => {
      client.connection.onNotification('pgvet/explainProgress', (p: { message: string }) => {
        if (p.message.startsWith('running')) resolve();
      });
    });
    cancel.cancel();
    const response = await within(running, 30_000, 'the cancelled EXPLAIN');
    assert.deepEqual(!response.ok && response.error.kind, 'cancelled');
  });

  test('after pgvet.embeddedDatabase.idleMinutes without use the database is closed; the next EXPLAIN builds it again', async () => {
    settings.embeddedDatabase.idleMinutes = 0.005; // 300 ms
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const before = events.length;
    assert.ok((await explain('SELECT 1')).ok);
    const running = databaseProcesses(client.proc.pid!);
    assert.equal(running.length, 1, 'one database process while it is in use');
    await within(event(before, (e) => e.state === 'released'), 30_000, 'the idle release');
    assert.deepEqual(databaseProcesses(client.proc.pid!), [], 'the database process has ended');
    assert.throws(() => process.kill(running[0], 0), /ESRCH/);
    const released = events.length;
    const again = await explain('SELECT * FROM orders');
    // Built again from the migrations: the sample rows are gone with the closed database.
    assert.equal(rowsOfScan(again), 0);
    assert.deepEqual(events.slice(released).map((e) => e.state), ['started']);
    assert.equal(databaseProcesses(client.proc.pid!).length, 1);
  });
});

describe('language server: EXPLAIN in a workspace of two histories (two databases)', () => {
  let session: WorkspaceSession;
  const picks: PickHistoryParams[] = [];
  let pick: (p: PickHistoryParams) => string | null = () => null;
  const prisma = (table: string) => ({
    'migrations/migration_lock.toml': 'provider = "postgresql"\n',
    'migrations/20240101000000_init/migration.sql': `CREATE TABLE "${table}" ("id" INTEGER NOT NULL, CONSTRAINT "${table}_pkey" PRIMARY KEY ("id"));\n`,
  });
  const under = (dir: string, files: Record<string, string>) => Object.fromEntries(Object.entries(files).map(([k, v]) => [`${dir}/${k}`, v]));

  before(async () => {
    session = await startOnWorkspace('pgvet-lsp-explain-two-', { ...under('app/prisma', prisma('User')), ...under('billing/prisma', prisma('Invoice')) });
    session.client.connection.onRequest('pgvet/pickHistory', (p: PickHistoryParams) => {
      picks.push(p);
      return pick(p);
    });
  });
  after(() => session.dispose());

  const explain = (sql: string) => session.client.connection.sendRequest<ExplainResponse>('pgvet/explain', {
    uri: pathToFileURL(join(session.root, 'q.sql')).toString(), sql, params: [], analyze: false, target: { kind: 'shadow' }, statementTimeoutMs: 30_000, lockTimeoutMs: 5_000,
  } satisfies ExplainParams);

  test('a query on one history\'s table runs on that history without asking', async () => {
    const response = await explain('SELECT * FROM "Invoice"');
    assert.ok(response.ok, !response.ok ? response.error.message : '');
    assert.equal(response.shadow?.history, join(session.root, 'billing/prisma/migrations'));
    assert.match(response.source.label, /from billing\/prisma\/migrations/);
    assert.equal(picks.length, 0);
  });

  test('a query naming no table: the client is asked; dismissed, nothing runs; picked, the plan comes from the pick', async () => {
    const declined = await explain('SELECT 1');
    assert.deepEqual(!declined.ok && declined.error.kind, 'cancelled');
    assert.deepEqual(picks[0].candidates.map((c) => c.label).sort(), ['app/prisma/migrations', 'billing/prisma/migrations']);
    assert.match(picks[0].placeHolder, /names no table/);
    pick = (p) => p.candidates.find((c) => c.label.startsWith('app'))!.id;
    const picked = await explain('SELECT 1');
    assert.ok(picked.ok, !picked.ok ? picked.error.message : '');
    assert.equal(picked.shadow?.history, join(session.root, 'app/prisma/migrations'));
  });
});
