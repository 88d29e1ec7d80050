import type { ExplainClient } from './adapters';
import { classifyStatement, codePointsToUtf16, type Classification } from './safety';

export interface ExplainOptions {
  /** false: plan only, nothing executes (`EXPLAIN (VERBOSE, SETTINGS, FORMAT JSON)`, GENERIC_PLAN for unbound `$n` on PG16+). */
  analyze: boolean;
  /** pgvet.explain.statementTimeout, in milliseconds. */
  statementTimeoutMs?: number;
  /** pgvet.explain.lockTimeout, in milliseconds. */
  lockTimeoutMs?: number;
  /** The user confirmed that this data-modifying statement really executes and is rolled back. */
  confirmedModifying?: boolean;
  signal?: AbortSignal;
}

export type ExplainErrorKind =
  | 'refused' | 'needs-confirmation' | 'missing-parameters' | 'unsupported'
  | 'timeout' | 'lock-timeout' | 'cancelled' | 'server-error' | 'connection';

export interface ExplainError {
  kind: ExplainErrorKind;
  message: string;
  /** UTF-16 offset inside the `sql` given to runExplain, when PostgreSQL pointed at a position. */
  offset?: number;
  /** SQLSTATE, for server errors. */
  code?: string;
  detail?: string;
  hint?: string;
  /** The ROLLBACK itself failed (connection lost): discard this client. */
  rollbackFailed?: boolean;
}

export interface ExplainSuccess {
  ok: true;
  /** The JSON EXPLAIN output as PostgreSQL returned it (an array with one object). */
  plan: unknown;
  mode: 'analyze' | 'plan' | 'generic-plan';
  serverVersion: number;
  classification: Exclude<Classification, { kind: 'refused' }>;
  /** The exact text sent. */
  explainSql: string;
}

export type ExplainResult = ExplainSuccess | { ok: false; error: ExplainError };

const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;
const DEFAULT_LOCK_TIMEOUT_MS = 5_000;

function fail(kind: ExplainErrorKind, message: string, extra: Partial<ExplainError> = {}): ExplainResult {
  return { ok: false, error: { kind, message, ...extra } };
}

/**
 * Explains one statement inside `BEGIN [READ ONLY]; SET LOCAL statement_timeout; SET LOCAL lock_timeout;
 * EXPLAIN …; ROLLBACK` on a dedicated client. Refusals and missing confirmations return before anything
 * is sent. Call `initSafety()` once before.
 */
export async function runExplain(client: ExplainClient, sql: string, params: readonly (string | null)[], opts: ExplainOptions): Promise<ExplainResult> {
  const c = classifyStatement(sql);
  if (c.kind === 'refused') return fail('refused', c.reason, { offset: c.offset });
  if (opts.analyze && c.kind === 'modifying' && !opts.confirmedModifying) {
    return fail('needs-confirmation', `This statement will really execute (${c.reasons.join(', ')}) and then be rolled back.` +
      (c.sideEffects.length ? ` Not rolled back: ${c.sideEffects.join('; ')}.` : ''));
  }
  const bound = params.length > 0;
  if (bound && params.length < c.paramCount) return fail('missing-parameters', `The statement uses $1 … $${c.paramCount}; ${params.length} value(s) given.`);
  if (opts.analyze && !bound && c.paramCount > 0) return fail('missing-parameters', `Give values for $1 … $${c.paramCount} to run EXPLAIN ANALYZE.`);
  if (opts.signal?.aborted) return fail('cancelled', 'Cancelled before it started.');

  const statementTimeoutMs = Math.max(0, Math.round(opts.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS));
  const lockTimeoutMs = Math.max(0, Math.round(opts.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS));

  let pid: number;
  let serverVersion: number;
  try {
    const [info] = await client.query("SELECT pg_backend_pid() AS pid, current_setting('server_version_num')::int AS version");
    pid = Number(info.pid);
    serverVersion = Number(info.version);
  } catch (e) {
    return mapError(e, { statementTimeoutMs, lockTimeoutMs, aborted: false, prefixLength: 0, c });
  }

  const generic = !opts.analyze && !bound && c.paramCount > 0;
  if (generic && serverVersion < 160000) {
    return fail('unsupported', `PostgreSQL ${Math.floor(serverVersion / 10000)} cannot plan $n placeholders without values (GENERIC_PLAN needs PostgreSQL 16+): give values.`);
  }
  const options = opts.analyze ? 'ANALYZE, BUFFERS, VERBOSE, SETTINGS, FORMAT JSON' : generic ? 'GENERIC_PLAN, VERBOSE, SETTINGS, FORMAT JSON' : 'VERBOSE, SETTINGS, FORMAT JSON';
  const prefix = `EXPLAIN (${options}) `;
  const explainSql = prefix + c.statement;
  // Without ANALYZE nothing executes, and PostgreSQL allows EXPLAIN of any statement in a read-only transaction.
  const readOnly = c.kind === 'select' || !opts.analyze;

  let running = false;
  let cancelling: Promise<void> | undefined;
  const onAbort = () => {
    if (running && client.cancel) cancelling = client.cancel(pid).catch(() => undefined);
  };
  opts.signal?.addEventListener('abort', onAbort);
  let result: ExplainResult;
  let begun = false;
  let rollbackError: unknown;
  try {
    await client.query(readOnly ? 'BEGIN READ ONLY' : 'BEGIN');
    begun = true;
    await client.query(`SET LOCAL statement_timeout = ${statementTimeoutMs}`);
    await client.query(`SET LOCAL lock_timeout = ${lockTimeoutMs}`);
    if (opts.signal?.aborted) throw Object.assign(new Error('cancelled'), { code: '57014' });
    running = true;
    // GENERIC_PLAN leaves $n unbound, which the extended protocol rejects (Bind must supply every $n);
    // the simple protocol is safe here because classifyStatement has already proved a single statement.
    const rows = await client.query(explainSql, generic ? undefined : [...params], { timeoutMs: statementTimeoutMs });
    const raw = rows[0]?.['QUERY PLAN'];
    result = { ok: true, plan: typeof raw === 'string' ? JSON.parse(raw) : raw, mode: opts.analyze ? 'analyze' : generic ? 'generic-plan' : 'plan', serverVersion, classification: c, explainSql };
  } catch (e) {
    result = mapError(e, { statementTimeoutMs, lockTimeoutMs, aborted: !!opts.signal?.aborted, prefixLength: prefix.length, c });
  } finally {
    running = false;
    opts.signal?.removeEventListener('abort', onAbort);
    // Let a cancel in flight land before ROLLBACK, so it cannot hit a later statement on this session.
    await cancelling;
    if (begun) {
      try {
        await client.query('ROLLBACK');
      } catch (e) {
        rollbackError = e ?? new Error('ROLLBACK failed');
      }
    }
  }
  if (rollbackError !== undefined) {
    const error = result.ok ? (mapError(rollbackError, { statementTimeoutMs, lockTimeoutMs, aborted: false, prefixLength: 0, c }) as { error: ExplainError }).error : result.error;
    return { ok: false, error: { ...error, rollbackFailed: true } };
  }
  return result;
}

interface MapContext {
  statementTimeoutMs: number;
  lockTimeoutMs: number;
  aborted: boolean;
  prefixLength: number;
  c: Classification;
}

/** SQLSTATEs (and Node socket codes) after which the session is gone; 08P01 (protocol violation) is not among them. */
const LOST_CONNECTION = new Set(['08000', '08003', '08006', '57P01', '57P02', '57P03', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

interface PgError { code?: string; message?: string; position?: string | number; detail?: string; hint?: string }

function mapError(e: unknown, ctx: MapContext): ExplainResult {
  const err = (e ?? {}) as PgError;
  const code = err.code ?? '';
  const message = err.message ?? String(e);
  if (code === '57014') {
    if (ctx.aborted) return fail('cancelled', 'Cancelled: the statement was stopped (pg_cancel_backend) and rolled back.', { code });
    if (/statement timeout/.test(message)) {
      return fail('timeout', `The statement was stopped after ${ctx.statementTimeoutMs / 1000} s (pgvet.explain.statementTimeout) and rolled back.`, { code });
    }
    return fail('cancelled', 'The statement was cancelled by the server or another session, and rolled back.', { code });
  }
  if (code === '55P03' && /lock timeout/.test(message)) {
    return fail('lock-timeout', `The statement waited more than ${ctx.lockTimeoutMs / 1000} s for a lock (pgvet.explain.lockTimeout) and was stopped; another session holds a conflicting lock.`, { code });
  }
  if (!code || LOST_CONNECTION.has(code)) {
    return fail('connection', `The connection to the database was lost during EXPLAIN (${message}); reconnect and try again.`, { code: code || undefined });
  }
  const position = Number(err.position);
  let offset: number | undefined;
  if (ctx.c.kind !== 'refused' && position > ctx.prefixLength) {
    offset = ctx.c.statementOffset + codePointsToUtf16(ctx.c.statement, position - 1 - ctx.prefixLength);
  }
  return fail('server-error', `PostgreSQL: ${message}`, { code, offset, detail: err.detail || undefined, hint: err.hint || undefined });
}
