import type { ExplainClient } from './adapters';
import { dangerousNameIn } from './dangerous-functions';
import { auditStatement, probeFunctionSql, type FunctionAudit } from './function-audit';
import { classifyStatement, codePointsToUtf16, paramLocations, type Classification } from './safety';

export interface ExplainOptions {
  /** false: plan only, nothing executes (`EXPLAIN (VERBOSE, SETTINGS, FORMAT JSON)`; unbound `$n` through PREPARE and a generic plan). */
  analyze: boolean;
  /** pgvet.explain.statementTimeout, in milliseconds. */
  statementTimeoutMs?: number;
  /** pgvet.explain.lockTimeout, in milliseconds. */
  lockTimeoutMs?: number;
  /**
   * The user already agreed that this data-modifying statement (the classifier's `reasons`) really executes
   * and is rolled back. What the server-side check finds beyond that still goes through `confirm`.
   */
  confirmedModifying?: boolean;
  /** Asked, after the server-side check and before anything executes, whenever the statement needs consent. */
  confirm?: (request: ConfirmationRequest) => boolean | Promise<boolean>;
  /** pgvet.connections[].explainRole: every transaction runs `SET LOCAL ROLE` to it first. */
  role?: string;
  /** Refuse a plan larger than this (bytes of EXPLAIN output); default 32 MiB. */
  maxPlanBytes?: number;
  signal?: AbortSignal;
}

/** What the user is asked before a statement that may write or act outside the database runs. */
export interface ConfirmationRequest {
  /** Why: the statement's own writes, and the VOLATILE functions it reaches (named). */
  reasons: string[];
  /** Effects the ROLLBACK does not undo. */
  sideEffects: string[];
  /** The whole question as one text. */
  message: string;
}

export type ExplainErrorKind =
  | 'refused' | 'needs-confirmation' | 'missing-parameters' | 'unsupported' | 'too-large'
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
  /** What the server-side check found (undefined when it could not run). */
  audit?: FunctionAudit;
  /** The exact text sent. */
  explainSql: string;
}

export type ExplainResult = ExplainSuccess | { ok: false; error: ExplainError };

const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;
const DEFAULT_LOCK_TIMEOUT_MS = 5_000;
export const DEFAULT_MAX_PLAN_BYTES = 32 * 1024 * 1024;
/** The name of the prepared statement a generic plan is made from; deallocated after every run. */
const GENERIC_STATEMENT = 'pgvet_generic_plan';

function fail(kind: ExplainErrorKind, message: string, extra: Partial<ExplainError> = {}): ExplainResult {
  return { ok: false, error: { kind, message, ...extra } };
}

interface Session {
  client: ExplainClient;
  statementTimeoutMs: number;
  lockTimeoutMs: number;
  role?: string;
}

/**
 * Explains one statement inside `BEGIN [READ ONLY]; SET LOCAL statement_timeout; SET LOCAL lock_timeout;
 * [SET LOCAL ROLE]; EXPLAIN …; ROLLBACK` on a dedicated client. User text only ever travels through the
 * extended protocol (one statement per message). Before that, a first transaction (also rolled back) asks the
 * server which functions the statement reaches (function-audit.ts); what may write or act outside the
 * transaction is refused or goes through `confirm`. Refusals found by the parser return before anything
 * is sent. Call `initSafety()` once before.
 */
export async function runExplain(client: ExplainClient, sql: string, params: readonly (string | null)[], opts: ExplainOptions): Promise<ExplainResult> {
  const c = classifyStatement(sql);
  if (c.kind === 'refused') return fail('refused', c.reason, { offset: c.offset });
  if (opts.analyze && c.kind === 'modifying' && !opts.confirmedModifying && !opts.confirm) {
    return fail('needs-confirmation', confirmationText(c.reasons, c.sideEffects));
  }
  const bound = params.length > 0;
  if (bound && params.length < c.paramCount) return fail('missing-parameters', `The statement uses $1 … $${c.paramCount}; ${params.length} value(s) given.`);
  if (opts.analyze && !bound && c.paramCount > 0) return fail('missing-parameters', `Give values for $1 … $${c.paramCount} to run EXPLAIN ANALYZE.`);
  if (opts.signal?.aborted) return fail('cancelled', 'Cancelled before it started.');

  const session: Session = {
    client,
    statementTimeoutMs: Math.max(0, Math.round(opts.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS)),
    lockTimeoutMs: Math.max(0, Math.round(opts.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS)),
    role: opts.role,
  };
  const ctx = { statementTimeoutMs: session.statementTimeoutMs, lockTimeoutMs: session.lockTimeoutMs, aborted: false, prefixLength: 0, c };

  let pid: number;
  let serverVersion: number;
  try {
    const [info] = await client.query(
      "SELECT pg_backend_pid() AS pid, current_setting('server_version_num')::int AS version, current_setting('standard_conforming_strings') AS scs", []);
    pid = Number(info.pid);
    serverVersion = Number(info.version);
    // The parser reads '…' as standard_conforming_strings = on does; with it off a backslash escapes the quote,
    // and the server would see where a string ends differently. Without a backslash both read the same text.
    if (info.scs !== 'on' && c.statement.includes('\\')) {
      return fail('refused', 'The server has standard_conforming_strings = off, so backslashes inside \'…\' are escapes there and pgvet cannot be sure where each string ends: use E\'…\' strings or turn standard_conforming_strings on for this connection.');
    }
  } catch (e) {
    return mapError(e, ctx);
  }

  // 1. What the server says the statement calls, in a transaction of its own that is rolled back.
  const checked = await checkFunctions(session, c, serverVersion, opts);
  if ('ok' in checked) return checked;
  const { audit, unchecked } = checked;
  if (audit?.refused) return fail('refused', `Refused: ${audit.refused}`);

  // 2. Consent for whatever may write or act outside the transaction.
  const reasons: string[] = [];
  const sideEffects: string[] = [];
  if (opts.analyze) {
    if (c.kind === 'modifying' && !opts.confirmedModifying) reasons.push(...c.reasons), sideEffects.push(...c.sideEffects);
    reasons.push(...(audit?.mayWrite ?? []));
    sideEffects.push(...(audit?.effects ?? []));
    if (unchecked) reasons.push(`pgvet could not check which functions it calls: ${unchecked}`);
  } else {
    for (const e of audit?.planTimeEffects ?? []) reasons.push('planning may already call a function declared STABLE or IMMUTABLE'), sideEffects.push(e);
    // Unchecked, a plan is still made unasked, unless the text names a function that runs SQL pgvet cannot see
    // (table_to_xml and friends are STABLE, so the planner may call them).
    const named = unchecked ? dangerousNameIn(c.statement) : undefined;
    if (named) reasons.push(`planning may call ${named}(), and pgvet could not check the statement: ${unchecked}`);
  }
  if (reasons.length > 0 || sideEffects.length > 0) {
    const request: ConfirmationRequest = { reasons: unique(reasons), sideEffects: unique(sideEffects), message: confirmationText(unique(reasons), unique(sideEffects)) };
    if (!opts.confirm) return fail('needs-confirmation', request.message);
    if (!(await opts.confirm(request))) return fail('cancelled', 'Not run: the statement needed your confirmation.');
  }
  if (opts.signal?.aborted) return fail('cancelled', 'Cancelled before it started.');

  // 3. The EXPLAIN itself.
  return explainInTransaction(session, c, params, opts, { pid, serverVersion, audit, probeSql: checked.probeSql });
}

const unique = (items: string[]) => [...new Set(items)];

function confirmationText(reasons: string[], sideEffects: string[]): string {
  return `This statement will really execute (${reasons.join('; ')}) and then be rolled back.` +
    (sideEffects.length ? ` Not rolled back: ${sideEffects.join('; ')}.` : '');
}

/** `$n` → NULL, so the statement can be compiled without values; `map` turns an offset in the result back. */
function withoutParameters(statement: string): { text: string; map(offset: number): number } {
  const bytes = Buffer.from(statement, 'utf8');
  const edits: { at: number; from: number; to: number }[] = [];
  let out = '';
  let last = 0;
  for (const loc of paramLocations(statement)) {
    const m = /^\$\d+/.exec(bytes.subarray(loc, loc + 12).toString('latin1'));
    if (!m) continue;
    out += bytes.subarray(last, loc).toString('utf8');
    edits.push({ at: out.length, from: m[0].length, to: 4 });
    out += 'NULL';
    last = loc + m[0].length;
  }
  out += bytes.subarray(last).toString('utf8');
  return {
    text: out,
    map(offset) {
      let shift = 0;
      for (const e of edits) if (e.at < offset) shift += e.to - e.from;
      return Math.max(0, offset - shift);
    },
  };
}

/** SQLSTATEs meaning the probe function could not be created at all (a standby, no TEMP privilege, …), not that the statement is wrong. */
function probeImpossible(e: unknown): boolean {
  const err = (e ?? {}) as { code?: string; message?: string };
  return err.code === '25006' || err.code === '0A000' || err.code === '42P13' ||
    (err.code === '42501' && /temporary|pg_temp/i.test(err.message ?? ''));
}

async function checkFunctions(session: Session, c: Exclude<Classification, { kind: 'refused' }>, serverVersion: number, opts: ExplainOptions):
  Promise<{ audit?: FunctionAudit; unchecked?: string; probeSql?: string } | Extract<ExplainResult, { ok: false }>> {
  if (serverVersion < 140000) return { unchecked: `PostgreSQL ${Math.floor(serverVersion / 10000)} has no SQL-standard function bodies (14+), which the check compiles the statement into` };
  const stripped = withoutParameters(c.statement);
  const probe = probeFunctionSql(stripped.text);
  let audit: FunctionAudit | undefined;
  let error: unknown;
  let begun = false;
  try {
    await openTransaction(session, false);
    begun = true;
    audit = await auditStatement(session.client, probe.sql, c.kind === 'modifying');
  } catch (e) {
    error = e ?? new Error('the check failed');
  } finally {
    if (begun) await session.client.query('ROLLBACK').catch((e) => (error ??= e));
  }
  if (error === undefined) return { audit, unchecked: audit?.unchecked, probeSql: audit?.unchecked ? undefined : probe.sql };
  if (probeImpossible(error)) return { unchecked: `${(error as Error).message ?? error} (the check creates a temporary function in a rolled-back transaction)` };
  const mapped = mapError(error, {
    statementTimeoutMs: session.statementTimeoutMs, lockTimeoutMs: session.lockTimeoutMs, aborted: !!opts.signal?.aborted, prefixLength: probe.prefixLength, c,
    mapOffset: stripped.map,
  }) as Extract<ExplainResult, { ok: false }>;
  return mapped;
}

async function openTransaction(session: Session, readOnly: boolean): Promise<void> {
  await session.client.query(readOnly ? 'BEGIN READ ONLY' : 'BEGIN');
  await session.client.query(`SET LOCAL statement_timeout = ${session.statementTimeoutMs}`);
  await session.client.query(`SET LOCAL lock_timeout = ${session.lockTimeoutMs}`);
  if (session.role) await session.client.query("SELECT set_config('role', $1, true)", [session.role]);
}

async function explainInTransaction(
  session: Session, c: Exclude<Classification, { kind: 'refused' }>, params: readonly (string | null)[], opts: ExplainOptions,
  info: { pid: number; serverVersion: number; audit?: FunctionAudit; probeSql?: string },
): Promise<ExplainResult> {
  const { client, statementTimeoutMs } = session;
  const bound = params.length > 0;
  const generic = !opts.analyze && !bound && c.paramCount > 0;
  const options = opts.analyze ? 'ANALYZE, BUFFERS, VERBOSE, SETTINGS, FORMAT JSON' : 'VERBOSE, SETTINGS, FORMAT JSON';
  // Unbound $n: PREPARE (its $n are its own, so Bind needs no values) and a forced generic plan of EXECUTE with
  // NULLs, which stay $n in the plan. On 16+ EXPLAIN (GENERIC_PLAN) would need the simple protocol, which also
  // runs whatever follows a `;` the server sees and our parser did not.
  const prefix = generic ? `PREPARE ${GENERIC_STATEMENT} AS ` : `EXPLAIN (${options}) `;
  const statementSql = prefix + c.statement;
  const explainSql = generic
    ? `${statementSql};\nEXPLAIN (${options}) EXECUTE ${GENERIC_STATEMENT}(${Array.from({ length: c.paramCount }, () => 'NULL').join(', ')})`
    : statementSql;
  // Without ANALYZE nothing executes, and PostgreSQL allows EXPLAIN of any statement in a read-only transaction.
  const readOnly = c.kind === 'select' || !opts.analyze;
  const maxBytes = opts.maxPlanBytes ?? DEFAULT_MAX_PLAN_BYTES;
  const ctx = { statementTimeoutMs, lockTimeoutMs: session.lockTimeoutMs, aborted: false, prefixLength: prefix.length, c };

  let running = false;
  let cancelling: Promise<void> | undefined;
  const onAbort = () => {
    if (running && client.cancel) cancelling = client.cancel(info.pid).catch(() => undefined);
  };
  opts.signal?.addEventListener('abort', onAbort);
  let result: ExplainResult;
  let begun = false;
  let prepared = false;
  let rollbackError: unknown;
  try {
    await openTransaction(session, readOnly && !info.probeSql);
    begun = true;
    if (info.probeSql && info.audit) {
      // The user answered between two transactions: check again in this one, where the relations the statement
      // reads stay locked against ALTER/CREATE OR REPLACE VIEW until the ROLLBACK, and stop if anything new turns up.
      const news = newFindings(info.audit, await auditStatement(client, info.probeSql, c.kind === 'modifying'));
      if (news) throw Object.assign(new Error(news), { code: CHANGED });
      if (readOnly) await client.query('SET TRANSACTION READ ONLY');
    }
    if (opts.signal?.aborted) throw Object.assign(new Error('cancelled'), { code: '57014' });
    running = true;
    let rows;
    if (generic) {
      await client.query(statementSql, [], { timeoutMs: statementTimeoutMs });
      prepared = true;
      await client.query("SET LOCAL plan_cache_mode = 'force_generic_plan'");
      ctx.prefixLength = -1;
      rows = await client.query(explainSql.slice(statementSql.length + 2), [], { timeoutMs: statementTimeoutMs, maxResultBytes: maxBytes });
    } else {
      rows = await client.query(explainSql, [...params], { timeoutMs: statementTimeoutMs, maxResultBytes: maxBytes });
    }
    const raw = rows[0]?.['QUERY PLAN'];
    const size = typeof raw === 'string' ? Buffer.byteLength(raw) : Buffer.byteLength(JSON.stringify(raw ?? null));
    if (size > maxBytes) throw tooLarge(maxBytes);
    result = {
      ok: true, plan: typeof raw === 'string' ? JSON.parse(raw) : raw, mode: opts.analyze ? 'analyze' : generic ? 'generic-plan' : 'plan',
      serverVersion: info.serverVersion, classification: c, audit: info.audit, explainSql,
    };
  } catch (e) {
    result = mapError(e, { ...ctx, aborted: !!opts.signal?.aborted });
  } finally {
    running = false;
    opts.signal?.removeEventListener('abort', onAbort);
    // Let a cancel in flight land before ROLLBACK, so it cannot hit a later statement on this session.
    await cancelling;
    if (begun) {
      try {
        await client.query('ROLLBACK');
        // Session-level state survives ROLLBACK: advisory locks a function took, and the prepared statement.
        await client.query('SELECT pg_advisory_unlock_all()');
        if (prepared) await client.query(`DEALLOCATE ${GENERIC_STATEMENT}`);
      } catch (e) {
        rollbackError = e ?? new Error('ROLLBACK failed');
      }
    }
  }
  if (rollbackError !== undefined) {
    const error = result.ok ? (mapError(rollbackError, { ...ctx, prefixLength: 0 }) as { error: ExplainError }).error : result.error;
    return { ok: false, error: { ...error, rollbackFailed: true } };
  }
  return result;
}

const CHANGED = 'PGVET_CHANGED';

/** What `again` finds that `first` (what the user was asked about) did not; undefined when nothing. */
function newFindings(first: FunctionAudit, again: FunctionAudit): string | undefined {
  if (again.refused) return `Refused: ${again.refused}`;
  if (again.unchecked && !first.unchecked) return `pgvet could not check the statement again: ${again.unchecked}`;
  const added = [
    ...again.mayWrite.filter((x) => !first.mayWrite.includes(x)),
    ...again.effects.filter((x) => !first.effects.includes(x)),
  ];
  return added.length ? `What the statement calls changed after the check (${added.join('; ')}); run it again to be asked.` : undefined;
}

/** Thrown by an adapter (or here) when the EXPLAIN output passes `maxResultBytes`. */
export const TOO_LARGE = 'PGVET_TOO_LARGE';

function tooLarge(maxBytes: number): Error {
  return Object.assign(new Error(`the plan is larger than ${Math.round(maxBytes / 1024 / 1024)} MiB`), { code: TOO_LARGE });
}

interface MapContext {
  statementTimeoutMs: number;
  lockTimeoutMs: number;
  aborted: boolean;
  /** Characters before the statement in the text sent; -1 when the error's position is in a text of pgvet's own. */
  prefixLength: number;
  c: Classification;
  /** From an offset in the text sent (after the prefix) to one in the statement, when pgvet changed it. */
  mapOffset?: (offset: number) => number;
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
  if (code === CHANGED) return fail(message.startsWith('Refused') ? 'refused' : 'needs-confirmation', message);
  if (code === TOO_LARGE) {
    return fail('too-large', `EXPLAIN stopped reading: ${message} (a huge constant in the query shows up in full in a VERBOSE plan). Nothing was kept; shorten the constants or run EXPLAIN in psql.`, { code: undefined });
  }
  if (!code || LOST_CONNECTION.has(code)) {
    return fail('connection', `The connection to the database was lost during EXPLAIN (${message}); reconnect and try again.`, { code: code || undefined });
  }
  const position = Number(err.position);
  let offset: number | undefined;
  if (ctx.c.kind !== 'refused' && ctx.prefixLength >= 0 && position > ctx.prefixLength) {
    const inStatement = codePointsToUtf16(ctx.c.statement, position - 1 - ctx.prefixLength);
    offset = ctx.c.statementOffset + (ctx.mapOffset ? ctx.mapOffset(inStatement) : inStatement);
  }
  return fail('server-error', `PostgreSQL: ${message}`, { code, offset, detail: err.detail || undefined, hint: err.hint || undefined });
}
