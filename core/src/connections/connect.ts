/**
 * Opens a node-postgres connection from resolved ConnectionParams the way libpq would (sslmode attempts from
 * tls.ts), for the CLI (`pgvet verify --database-url`). A failure becomes a ConnectionOpenError whose message
 * names host, port, database and user, never the password, and carries no stack worth printing. No vscode import.
 */
import type { Client, ClientConfig } from 'pg';
import { classifyConnectionError, type ConnectionFailure, type ConnectionTarget } from './connection-errors';
import type { ConnectionParams } from './resolve';
import { sslAttempts } from './tls';

export class ConnectionOpenError extends Error {
  constructor(readonly failure: ConnectionFailure) {
    super(failure.message);
    this.name = 'ConnectionOpenError';
  }
}

/** A failure a libpq client answers by trying the other way (with or without TLS). */
function worthTheOtherWay(failure: ConnectionFailure, error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return failure.kind === 'ssl' || (code === '28000' && /pg_hba\.conf/.test(String((error as Error).message)));
}

export async function openPg(p: ConnectionParams, extra: { applicationName: string; options?: string; database?: string }): Promise<Client> {
  const { Client: PgClient } = await import('pg');
  const database = extra.database ?? p.database;
  const plan = sslAttempts({ host: p.host, sslmode: p.sslmode, sslrootcert: p.sslrootcert, sslcert: p.sslcert, sslkey: p.sslkey });
  if ('failure' in plan) throw new ConnectionOpenError(plan.failure);
  const options = [p.options, extra.options].filter(Boolean).join(' ');
  const base: ClientConfig = {
    host: p.host, port: p.port, database, user: p.user, password: p.password,
    connectionTimeoutMillis: p.connectTimeoutMs ?? 10_000, application_name: extra.applicationName,
    ...(options ? { options } : {}),
  };
  const where = { host: p.host, port: p.port, database, user: p.user, sslmode: p.sslmode };
  return (await connectTryingTls(PgClient, base, plan.attempts, where, (failure) => new ConnectionOpenError(failure))).client;
}

/**
 * Connects with each TLS attempt in turn (`sslAttempts`), moving to the next only where libpq would try the other
 * way; the last failure, classified against `where`, is thrown as `fail` makes it. Returns the client and the
 * config that connected. Shared by the CLI (`openPg`) and the editor's EXPLAIN connection.
 */
export async function connectTryingTls(
  PgClient: typeof Client,
  base: ClientConfig,
  attempts: readonly ClientConfig['ssl'][],
  where: ConnectionTarget,
  fail: (failure: ConnectionFailure) => Error,
): Promise<{ client: Client; config: ClientConfig }> {
  for (const [i, ssl] of attempts.entries()) {
    const config: ClientConfig = { ...base, ssl };
    const client = new PgClient(config);
    // An error event after connect (the server restarts, the backend is terminated) must not crash the process.
    client.on('error', () => undefined);
    try {
      await client.connect();
      return { client, config };
    } catch (e) {
      await client.end().catch(() => undefined);
      const failure = classifyConnectionError(e, where);
      if (i === attempts.length - 1 || !worthTheOtherWay(failure, e)) throw fail(failure);
    }
  }
  throw new Error('unreachable: no connection attempt');
}
