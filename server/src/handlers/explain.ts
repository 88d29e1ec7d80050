import { dirname, join } from 'node:path';
import type { CancellationToken, Connection } from 'vscode-languageserver';
import {
  analyzePlan, classifyStatement, CONFIRM_EXPLAIN_REQUEST, ConnectionError, connectPg, EXPLAIN_PROGRESS_NOTIFICATION, findTips, initSafety,
  newMigration, runExplain, statementAt,
} from '../../../core/src';
import type {
  ConfirmExplainParams, CreateIndexMigrationParams, CreateIndexMigrationResult, ExplainClient, ExplainFailure, ExplainParams, ExplainResponse,
  ExplainStatementParams, ExplainStatementResult, LoadSampleRowsParams, LoadSampleRowsResult, MigrationSet, ShadowFailure,
} from '../../../core/src';
import { CancelledError, type EmbeddedDatabases, type HistoriesOf } from './explain-shadow';

/** `pgvet/explainStatement`: the statement at the selection, and whether EXPLAIN can take it (before anything is sent). */
export async function explainStatement(params: ExplainStatementParams): Promise<ExplainStatementResult> {
  const statement = statementAt(params.text, params.selection.start, params.selection.end);
  if (!statement) return { kind: 'none' };
  await initSafety();
  const c = classifyStatement(statement.text);
  if (c.kind === 'refused') return { kind: 'refused', text: statement.text, start: statement.start, reason: c.reason };
  return { kind: 'explainable', text: statement.text, start: statement.start, paramCount: c.paramCount };
}

function progressOf(connection: Connection, token: string | undefined): (message: string) => void {
  return (message) => {
    if (token) void connection.sendNotification(EXPLAIN_PROGRESS_NOTIFICATION, { token, message });
  };
}

function abortOn(token: CancellationToken): AbortSignal {
  const abort = new AbortController();
  if (token.isCancellationRequested) abort.abort();
  token.onCancellationRequested(() => abort.abort());
  return abort.signal;
}

const failure = (kind: ExplainFailure['kind'], message: string, offset?: number): { ok: false; error: ExplainFailure } =>
  ({ ok: false, error: { kind, message, ...(offset !== undefined ? { offset } : {}) } });

const isCancel = (e: unknown, signal: AbortSignal) => signal.aborted || e instanceof CancelledError || (e as Error)?.name === 'AbortError';

/**
 * `pgvet/explain`: runs EXPLAIN [ANALYZE] on the shadow database of the document's history or on the connection
 * the client resolved, with every rule of the runner (core/src/explain/runner.ts). Consent goes back to the client
 * as `pgvet/confirmExplain`. The connection's password is used for this connection only: never logged nor returned.
 */
export async function explain(connection: Connection, embedded: EmbeddedDatabases, historiesOf: HistoriesOf, params: ExplainParams, token: CancellationToken): Promise<ExplainResponse> {
  const signal = abortOn(token);
  const progress = progressOf(connection, params.progressToken);
  await initSafety();
  let client: ExplainClient;
  let end: () => Promise<void> | void;
  let source: { kind: 'shadow' | 'connection'; label: string };
  let shadow: { history: string; failures: ShadowFailure[] } | undefined;
  try {
    if (params.target.kind === 'shadow') {
      const found = await historiesOf(params.uri);
      if (!found) return failure('no-workspace', 'Open a folder with migrations to explain on the embedded shadow database, or pick a connection from the status bar.');
      const history = await embedded.choose(found.root, found.histories, params.sql, params.history, token);
      const held = await embedded.hold(found.root, found.histories, history, signal, progress);
      ({ client, end } = held);
      source = { kind: 'shadow', label: held.label };
      shadow = { history: held.history, failures: held.failures };
    } else {
      progress(`connecting to ${params.target.label}…`);
      ({ client, end } = await connectPg(params.target.connection));
      source = { kind: 'connection', label: params.target.label };
    }
  } catch (e) {
    if (isCancel(e, signal)) return failure('cancelled', 'Cancelled.');
    return failure('connection', e instanceof ConnectionError || e instanceof Error ? e.message : String(e));
  }
  try {
    progress('running… (cancel stops the query)');
    const target = params.target;
    const result = await runExplain(client, params.sql, params.params, {
      analyze: params.analyze,
      statementTimeoutMs: params.statementTimeoutMs,
      lockTimeoutMs: params.lockTimeoutMs,
      confirm: async (q) => {
        const ask: ConfirmExplainParams = { sql: params.sql, analyze: params.analyze, reasons: q.reasons, sideEffects: q.sideEffects };
        return (await connection.sendRequest<boolean | null>(CONFIRM_EXPLAIN_REQUEST, ask, token)) === true;
      },
      role: target.kind === 'connection' ? target.role : undefined,
      signal,
    });
    if (!result.ok) return failure(result.error.kind === 'cancelled' ? 'cancelled' : 'explain', result.error.message, result.error.offset);
    return { ok: true, plan: result.plan, tips: findTips(analyzePlan(result.plan), { sql: params.sql }), source, ...(shadow ? { shadow } : {}) };
  } finally {
    await Promise.resolve(end()).catch(() => undefined);
  }
}

/** `pgvet/loadSampleRows`: fills the history's shadow database with generated rows. */
export async function loadRows(connection: Connection, embedded: EmbeddedDatabases, params: LoadSampleRowsParams, token: CancellationToken): Promise<LoadSampleRowsResult> {
  const signal = abortOn(token);
  try {
    return { ok: true, ...(await embedded.loadSampleRows(params.history, params.rowsPerTable, signal, progressOf(connection, params.progressToken))) };
  } catch (e) {
    if (isCancel(e, signal)) return failure('cancelled', 'Cancelled.');
    return failure('explain', e instanceof Error ? e.message : String(e));
  }
}

/** `pgvet/createIndexMigration`: the tip's CREATE INDEX in a new migration of the history that owns the table. */
export function createIndexMigration(sets: readonly MigrationSet[], params: CreateIndexMigrationParams): CreateIndexMigrationResult {
  const bare = params.table.replace(/^.*\./, '').replace(/"/g, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const set = sets.find((s) => s.migrations.some((m) => new RegExp(`\\b${bare}\\b`, 'i').test(m.text))) ?? sets[0];
  if (!set || set.migrations.length === 0) return { kind: 'no-migrations' };
  const last = set.migrations[set.migrations.length - 1].path;
  const indexName = /INDEX\s+(?:CONCURRENTLY\s+)?(?:IF NOT EXISTS\s+)?("?[\w$]+"?)/i.exec(params.sql)?.[1] ?? 'new_idx';
  const plain = params.sql.replace(/\s+CONCURRENTLY\b/i, '').replace(/;\s*$/, '');
  const created = newMigration({
    layout: set.layout,
    existing: set.migrations.map((m) => m.path),
    originFile: last,
    name: `add_${indexName.replace(/"/g, '')}`,
    up: (concurrently) => [`${concurrently ? plain.replace(/\bINDEX\b/i, 'INDEX CONCURRENTLY') : plain};`],
    down: (concurrently) => [`DROP INDEX${concurrently ? ' CONCURRENTLY' : ''} IF EXISTS ${indexName};`],
    wantsConcurrently: true,
  });
  if (!created) return { kind: 'unsupported', layout: set.layout };
  return { kind: 'created', files: created.files.map((f) => ({ path: join(dirname(last), f.relativePath), content: f.content })) };
}
