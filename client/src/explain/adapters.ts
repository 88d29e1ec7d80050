import type { PGlite } from '@electric-sql/pglite';
import { Client, type ClientConfig } from 'pg';
import { classifyConnectionError, type ConnectionFailure } from './connection-errors';

export type Row = Record<string, unknown>;

/** The little of a database connection the EXPLAIN runner needs: satisfied by pg and PGlite below. */
export interface ExplainClient {
  /** Runs one statement. With `params` (even empty) it goes through the extended protocol, which also refuses a second statement. */
  query(text: string, params?: unknown[]): Promise<Row[]>;
  /** Cancels what the session with backend `pid` is running, from another connection; absent when impossible. */
  cancel?(pid: number): Promise<void>;
}

/** Adapter for a connected `pg.Client`; `config` opens the second connection that sends `pg_cancel_backend`. */
export function pgExplainClient(client: Client, config: ClientConfig): ExplainClient {
  return {
    async query(text, params) {
      const res = await client.query(params ? { text, values: params, queryMode: 'extended' } as never : text);
      return res.rows as Row[];
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
 * Adapter for PGlite. It runs in this thread, so a running statement blocks the event loop and cannot
 * be cancelled; statement_timeout has no timer there either (checked on PGlite 0.5 / PostgreSQL 18).
 */
export function pgliteExplainClient(db: PGlite): ExplainClient {
  return {
    async query(text, params) {
      const res = params ? await db.query<Row>(text, params) : (await db.exec(text)).at(-1) ?? { rows: [] };
      return res.rows as Row[];
    },
  };
}

export class ConnectionError extends Error {
  constructor(readonly failure: ConnectionFailure) {
    super(`${failure.message} ${failure.fix}`);
    this.name = 'ConnectionError';
  }
}

/** Opens a dedicated `pg` connection for EXPLAIN; failures become a ConnectionError with a classified message. */
export async function connectPg(config: ClientConfig): Promise<{ client: ExplainClient; end(): Promise<void> }> {
  const pg = new Client({ connectionTimeoutMillis: 10_000, ...config, application_name: 'pgvet explain' });
  // An error event after connect (server restart) must not crash the extension host.
  pg.on('error', () => undefined);
  try {
    await pg.connect();
  } catch (e) {
    await pg.end().catch(() => undefined);
    throw new ConnectionError(classifyConnectionError(e, { host: config.host, port: config.port, database: config.database, user: config.user }));
  }
  return { client: pgExplainClient(pg, config), end: () => pg.end() };
}
