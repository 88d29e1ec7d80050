import { extensionAvailability, extensionBundleDir, extensionOption } from '../shadow/extensions';
import { WorkerPGlite } from '../shadow/worker-db';
import { openPg } from '../connections/connect';
import { connectionLabel, resolveConnection } from '../connections/resolve';
import type { CatalogReader } from './snapshot';
import { EMBEDDED_MAX_NESTING } from '../shadow/statements';

/** Where `pgvet verify` replays a history: the embedded PostgreSQL, or a throwaway database on a real server. */
export interface VerifyDatabase extends CatalogReader {
  /** What it is, for the report ("PGlite 0.5 (PostgreSQL 17)", "throwaway database pgvet_verify_… on host:port"). */
  label: string;
  /**
   * Runs one statement (or a script) with the simple query protocol; throws PostgreSQL's error, a statement
   * timeout as PostgreSQL's 57014, and an AbortError once the open options' signal is aborted.
   */
  exec(sql: string): Promise<void>;
  /** Whether CREATE EXTENSION of this name can work here (false: the statement is skipped with a note). */
  hasExtension(name: string): boolean;
  /** Creates a role the migrations expect to exist (a server drops the ones it created when closed). */
  createRole(name: string): Promise<void>;
  /** Why the database cannot go on (the embedded one is stopped by a timeout), once that happened. */
  readonly lost: string | undefined;
  /** Statements with a deeper parse tree fail without being sent (the embedded database's stack is small). */
  maxNesting?: number;
  /** Drops what was made for the run; returns what the report should say about it (roles dropped or left). */
  close(): Promise<string[]>;
}

export interface OpenOptions {
  /** Aborting cancels the running statement (a server) or stops the worker (embedded); exec then throws AbortError. */
  signal?: AbortSignal;
  /** Roles the history's own CREATE ROLE/USER/GROUP statements make: a server drops those that did not exist before. */
  rolesCreatedByHistory?: ReadonlySet<string>;
}

/** Opens a fresh, empty database; `extensions` are those the history creates (PGlite must load them at start). */
export type DatabaseFactory = (extensions: ReadonlySet<string>, options?: OpenOptions) => Promise<VerifyDatabase>;

export interface TimeoutOptions {
  /** A statement running longer is stopped and fails with PostgreSQL's 57014 (0: no limit). */
  statementTimeoutMs?: number;
  /** A server only: waiting longer for a lock fails the statement (0: no limit). */
  lockTimeoutMs?: number;
}

export const DEFAULT_STATEMENT_TIMEOUT_MS = 60_000;
export const DEFAULT_LOCK_TIMEOUT_MS = 10_000;
/** A migration may SET statement_timeout = 0 itself; a statement that outlives ours by this much is cancelled from outside. */
const WATCHDOG_GRACE_MS = 1_000;

export function abortError(): Error {
  return Object.assign(new Error('Verifying the migrations was cancelled.'), { name: 'AbortError' });
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError();
}

function timeoutError(ms: number): Error {
  return Object.assign(new Error('canceling statement due to statement timeout'), {
    code: '57014',
    hint: `pgvet verify stops a statement after ${seconds(ms)} (--statement-timeout).`,
  });
}

const seconds = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);

/**
 * The embedded PostgreSQL (PGlite, in memory) in a worker thread (core/src/shadow/worker-db.ts): PGlite runs
 * a statement synchronously in WASM and has no timer of its own, so a statement timeout or a cancel terminates
 * the worker. The database is gone then: `lost` says why, and the history stops there.
 */
export function pgliteDatabase(options: { extensionsDir?: string; /** 'process': its own process, all its memory returned when it ends (the language server); default a worker thread. */ isolation?: 'thread' | 'process' } & TimeoutOptions = {}): DatabaseFactory {
  const timeoutMs = options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  return async (wanted, open = {}) => {
    throwIfAborted(open.signal);
    const bundleDir = extensionBundleDir(options.extensionsDir);
    const db = await WorkerPGlite.create({ extensions: bundleDir ? extensionOption(wanted, bundleDir) : {}, isolation: options.isolation });
    let lost: string | undefined;
    const onAbort = () => {
      lost ??= 'cancelled';
      db.interrupt('cancel');
    };
    open.signal?.addEventListener('abort', onAbort, { once: true });
    const guarded = async <T>(run: () => Promise<T>): Promise<T> => {
      throwIfAborted(open.signal);
      if (lost) throw Object.assign(new Error(`the embedded database was stopped (${lost})`), { code: '57P01' });
      let timedOut = false;
      const timer = timeoutMs > 0 ? setTimeout(() => (timedOut = db.interrupt('timeout')), timeoutMs) : undefined;
      try {
        return await run();
      } catch (e) {
        throwIfAborted(open.signal);
        if (timedOut) {
          lost = `a statement ran longer than ${seconds(timeoutMs)}`;
          throw timeoutError(timeoutMs);
        }
        throw withStackHint(e);
      } finally {
        clearTimeout(timer);
      }
    };
    const version = (await db.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v;
    return {
      label: `PGlite (PostgreSQL ${version}, in memory)`,
      exec: (sql) =>
        guarded(async () => {
          await db.exec(sql);
          // A stack overflow the WASM swallowed leaves a session that answers every query with no rows.
          if ((await db.query('SELECT 1 AS alive')).rows.length !== 1) {
            lost = 'its stack overflowed';
            throw Object.assign(new Error('the embedded database stopped answering after this statement (its stack overflowed)'), { code: '54001' });
          }
        }),
      query: (sql) => guarded(async () => (await db.query<Record<string, unknown>>(sql)).rows),
      maxNesting: EMBEDDED_MAX_NESTING,
      hasExtension: (name) => extensionAvailability(name, bundleDir) !== 'unavailable',
      createRole: (role) => guarded(async () => void (await db.exec(`CREATE ROLE ${quoteIdent(role)} NOLOGIN`))),
      get lost() {
        return lost;
      },
      close: async () => {
        open.signal?.removeEventListener('abort', onAbort);
        await db.close();
        return [];
      },
    };
  };
}

/** PGlite's stack is smaller than a server's (pglite-worker.ts sets max_stack_depth to fit it). */
function withStackHint(e: unknown): unknown {
  const err = e as { code?: string; hint?: string };
  if (err?.code === '54001' && !err.hint) {
    err.hint = "The embedded PostgreSQL's stack is smaller than a server's; run pgvet verify --database-url to check this statement on a real server.";
  }
  return e;
}

export interface ServerDatabaseOptions extends TimeoutOptions {
  env?: NodeJS.ProcessEnv;
}

/**
 * A throwaway database on the server `connection` (a URL or keyword=value string, read as libpq does, with
 * PG* variables as fallbacks) names: `CREATE DATABASE pgvet_verify_<random>`, dropped (with the roles it
 * created) when closed, or when the signal aborts the run. The database named in `connection` is only used to
 * create and drop it, and to cancel a statement that runs too long.
 */
export function serverDatabase(connection: string, options: ServerDatabaseOptions = {}): DatabaseFactory {
  const statementMs = options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  const lockMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  return async (_extensions, open = {}) => {
    const params = resolveConnection({ name: '--database-url', connectionString: connection }, { env: options.env ?? process.env, baseDir: process.cwd() });
    throwIfAborted(open.signal);
    const admin = await openPg(params, { applicationName: 'pgvet verify (admin)' });
    const name = `pgvet_verify_${Math.random().toString(36).slice(2, 10)}`;
    const rolesBefore = new Set((await admin.query<{ rolname: string }>('SELECT rolname FROM pg_catalog.pg_roles')).rows.map((r) => r.rolname));
    const rolesCreated: string[] = [];
    const dropDatabase = async () => {
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } catch {
        // Before PostgreSQL 13 there is no FORCE: end its sessions first.
        await admin.query('SELECT pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity WHERE datname = $1', [name]).catch(() => undefined);
        await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      }
    };
    try {
      await admin.query(`CREATE DATABASE ${name}`);
    } catch (e) {
      await admin.end().catch(() => undefined);
      throw Object.assign(new Error(`cannot create the throwaway database on ${connectionLabel(params)}: ${(e as Error).message}`), { name: 'VerifySetupError' });
    }
    const timeouts = `-c statement_timeout=${statementMs} -c lock_timeout=${lockMs}`;
    let client: Awaited<ReturnType<typeof openPg>>;
    try {
      client = await openPg(params, { applicationName: 'pgvet verify', database: name, options: timeouts });
    } catch (e) {
      await dropDatabase().catch(() => undefined);
      await admin.end().catch(() => undefined);
      throw e;
    }
    client.on('notice', () => undefined);
    const pid = Number((await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid);

    let running = false;
    let cancelledFor: 'timeout' | 'cancel' | undefined;
    /** From the admin connection: the migration's own connection is busy with the statement. */
    const cancelRunning = async (why: 'timeout' | 'cancel') => {
      if (!running) return;
      cancelledFor = why;
      await admin.query('SELECT pg_catalog.pg_cancel_backend($1)', [pid]).catch(() => undefined);
    };
    const onAbort = () => void cancelRunning('cancel');
    open.signal?.addEventListener('abort', onAbort, { once: true });
    const guarded = async <T>(run: () => Promise<T>): Promise<T> => {
      throwIfAborted(open.signal);
      running = true;
      cancelledFor = undefined;
      const watchdog = statementMs > 0 ? setTimeout(() => void cancelRunning('timeout'), statementMs + WATCHDOG_GRACE_MS) : undefined;
      try {
        return await run();
      } catch (e) {
        throwIfAborted(open.signal);
        const err = e as { code?: string; message?: string; hint?: string };
        if (cancelledFor === 'timeout' || (err.code === '57014' && /statement timeout/.test(err.message ?? ''))) throw timeoutError(statementMs);
        if (err.code === '55P03' && /lock timeout/.test(err.message ?? '') && !err.hint) err.hint = `pgvet verify waits ${seconds(lockMs)} for a lock (--lock-timeout).`;
        throw e;
      } finally {
        running = false;
        clearTimeout(watchdog);
      }
    };
    return {
      label: `throwaway database ${name} on ${params.host}:${params.port}`,
      exec: (sql) => guarded(async () => void (await client.query(sql))),
      query: (sql) => guarded(async () => (await client.query(sql)).rows),
      hasExtension: () => true,
      createRole: (role) =>
        guarded(async () => {
          await client.query(`CREATE ROLE ${quoteIdent(role)} NOLOGIN`);
          rolesCreated.push(role);
        }),
      lost: undefined,
      close: async () => {
        open.signal?.removeEventListener('abort', onAbort);
        const notes: string[] = [];
        await client.end().catch(() => undefined);
        try {
          await dropDatabase();
          const byHistory = [...(open.rolesCreatedByHistory ?? [])].filter((r) => !rolesBefore.has(r));
          const now = new Set((await admin.query<{ rolname: string }>('SELECT rolname FROM pg_catalog.pg_roles')).rows.map((r) => r.rolname));
          for (const role of [...new Set([...rolesCreated, ...byHistory])].filter((r) => now.has(r))) {
            try {
              await admin.query(`DROP ROLE ${quoteIdent(role)}`);
              notes.push(`Dropped role "${role}" afterwards.`);
            } catch (e) {
              notes.push(`Could not drop role "${role}" afterwards: ${(e as Error).message}.`);
            }
          }
          const leftOver = [...now].filter((r) => !rolesBefore.has(r) && !rolesCreated.includes(r) && !byHistory.includes(r));
          if (leftOver.length) notes.push(`Roles that appeared on the server during the run were left in place (not created by a CREATE ROLE pgvet could read): ${leftOver.map((r) => `"${r}"`).join(', ')}.`);
        } finally {
          await admin.end().catch(() => undefined);
        }
        return notes;
      },
    };
  };
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
