import type { PGlite } from '@electric-sql/pglite';
import { Client, type ClientConfig } from 'pg';
import type { WorkerPGlite } from '../shadow/worker-db';
import { sslAttempts } from '../connections/tls';
import type { SslMode } from '../connections/resolve';
import type { ConnectionFailure } from '../connections/connection-errors';
import { connectTryingTls } from '../connections/connect';

export type Row = Record<string, unknown>;

/** The little of a database connection the EXPLAIN runner needs: satisfied by pg and PGlite below. */
export interface ExplainClient {
  /**
   * Runs one statement. With `params` (even empty) it goes through the extended protocol, which also refuses a second statement.
   * `timeoutMs`: the statement_timeout the caller also set with SET LOCAL, for a client whose database has no timer of its own.
   * `maxResultBytes`: a client that can stop reading fails with code PGVET_TOO_LARGE past this many bytes of result.
   */
  query(text: string, params?: unknown[], options?: { timeoutMs?: number; maxResultBytes?: number }): Promise<Row[]>;
  /** Cancels what the session with backend `pid` is running, from another connection; absent when impossible. */
  cancel?(pid: number): Promise<void>;
}

/** Adapter for a connected `pg.Client`; `config` opens the second connection that sends `pg_cancel_backend`. */
export function pgExplainClient(client: Client, config: ClientConfig): ExplainClient {
  return {
    async query(text, params, options) {
      const stop = options?.maxResultBytes ? stopReadingAfter(client, options.maxResultBytes) : undefined;
      try {
        const res = await client.query(params ? { text, values: params, queryMode: 'extended' } as never : text);
        return res.rows as Row[];
      } catch (e) {
        throw stop?.exceeded() ?? e;
      } finally {
        stop?.done();
      }
    },
    async cancel(pid) {
      const other = new Client(config);
      try {
        await other.connect();
        await other.query('SELECT pg_cancel_backend($1)', [pid]);
      } finally {
        await other.end().catch(() => undefined);
      }
    },
  };
}

/**
 * Counts the bytes arriving on `client`'s socket; past `maxBytes` it destroys the socket, so a 100 MB plan is
 * never buffered and parsed. The server ends the session and with it the open transaction (rolled back).
 */
function stopReadingAfter(client: Client, maxBytes: number): { exceeded(): Error | undefined; done(): void } {
  const stream = (client as unknown as { connection?: { stream?: NodeJS.EventEmitter & { destroy(e?: Error): void } } }).connection?.stream;
  let received = 0;
  let error: Error | undefined;
  const onData = (chunk: Buffer) => {
    received += chunk.length;
    if (received > maxBytes && !error) {
      error = Object.assign(new Error(`the plan is larger than ${Math.round(maxBytes / 1024 / 1024)} MiB`), { code: 'PGVET_TOO_LARGE' });
      stream?.destroy();
    }
  };
  stream?.on('data', onData);
  return { exceeded: () => error, done: () => void stream?.removeListener('data', onData) };
}

/**
 * Adapter for PGlite in this thread: a running statement blocks the event loop and cannot be cancelled,
 * and statement_timeout has no timer there either (checked on PGlite 0.5 / PostgreSQL 18). The shadow
 * database uses `workerExplainClient` instead; this one remains for an in-process PGlite.
 */
export function pgliteExplainClient(db: PGlite): ExplainClient {
  return {
    async query(text, params) {
      const res = params ? await db.query<Row>(text, params) : (await db.exec(text)).at(-1) ?? { rows: [] };
      return res.rows as Row[];
    },
  };
}

const ROLLBACK = /^\s*ROLLBACK\s*;?\s*$/i;
const BEGIN = /^\s*BEGIN\b/i;

/**
 * Adapter for the shadow database's PGlite in a worker thread (WorkerPGlite). PGlite has no timer for
 * statement_timeout, so `timeoutMs` arms one here; when it fires, or when `cancel` is called, the worker
 * is terminated and the statement fails with PostgreSQL's own 57014 error, so the runner reports it
 * exactly as it reports a real server's timeout or cancel. The transaction died with that worker:
 * the ROLLBACK that follows has nothing left to undo and is answered here, and the next statement
 * starts a new worker from the shadow database's checkpoint.
 */
export function workerExplainClient(db: WorkerPGlite): ExplainClient {
  let transactionGeneration: number | undefined;
  return {
    async query(text, params, options) {
      if (ROLLBACK.test(text) && transactionGeneration !== undefined && transactionGeneration !== db.generation) {
        transactionGeneration = undefined;
        return [];
      }
      const timeoutMs = options?.timeoutMs ?? 0;
      const timer = timeoutMs > 0 ? setTimeout(() => db.interrupt('timeout'), timeoutMs) : undefined;
      try {
        const res = params ? await db.query<Row>(text, params) : (await db.exec(text)).at(-1) ?? { rows: [] };
        if (BEGIN.test(text)) transactionGeneration = db.generation;
        else if (ROLLBACK.test(text)) transactionGeneration = undefined;
        return res.rows as Row[];
      } finally {
        clearTimeout(timer);
      }
    },
    async cancel() {
      db.interrupt('cancel');
    },
  };
}

export class ConnectionError extends Error {
  constructor(readonly failure: ConnectionFailure) {
    super(`${failure.message} ${failure.fix}`);
    this.name = 'ConnectionError';
  }
}

/**
 * Where connectPg connects: resolved ConnectionParams (connections/resolve.ts), whose `sslmode` is turned
 * into node-postgres `ssl` attempts as libpq would (connections/tls.ts). An explicit `ssl` is used as is,
 * in one attempt. Missing fields get libpq's defaults (sslmode prefer). Never a connection string.
 */
export interface ConnectTarget {
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  password?: ClientConfig['password'];
  sslmode?: SslMode;
  sslrootcert?: string;
  sslcert?: string;
  sslkey?: string;
  ssl?: ClientConfig['ssl'];
  options?: string;
  connectTimeoutMs?: number;
  connectionTimeoutMillis?: number;
}

/** Opens a dedicated `pg` connection for EXPLAIN; failures become a ConnectionError with a classified message. */
export async function connectPg(target: ConnectTarget): Promise<{ client: ExplainClient; end(): Promise<void> }> {
  const host = target.host ?? 'localhost';
  const port = target.port ?? 5432;
  const sslmode = target.sslmode ?? 'prefer';
  const where = { host, port, database: target.database, user: target.user, sslmode };
  const plan = target.ssl !== undefined ? { attempts: [target.ssl] } : sslAttempts({ ...target, host, sslmode });
  if ('failure' in plan) throw new ConnectionError(plan.failure);
  const base: ClientConfig = {
    host, port, database: target.database, user: target.user, password: target.password,
    connectionTimeoutMillis: target.connectTimeoutMs ?? target.connectionTimeoutMillis ?? 10_000,
    application_name: 'pgvet explain',
    ...(target.options ? { options: target.options } : {}),
  };
  const { client: pg, config } = await connectTryingTls(Client, base, plan.attempts, where, (failure) => new ConnectionError(failure));
  return { client: pgExplainClient(pg, config), end: () => pg.end() };
}
