/** Why a connection could not be opened, and what the user should change; never a stack trace, never the password. */
export type ConnectionFailureKind = 'refused' | 'auth-failed' | 'ssl' | 'timeout' | 'unknown-database' | 'unknown-host' | 'unknown-user' | 'server-unavailable' | 'other';

export interface ConnectionFailure {
  kind: ConnectionFailureKind;
  /** Which failure, in one sentence naming host/port/database/user. */
  message: string;
  /** What to change. */
  fix: string;
}

export interface ConnectionTarget {
  host?: string;
  port?: number;
  database?: string;
  user?: string;
}

const CERT_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID', 'ERR_SSL_WRONG_VERSION_NUMBER', 'EPROTO',
]);

/** Maps a `pg` (or Node socket) connection error to a ConnectionFailure. */
export function classifyConnectionError(error: unknown, target: ConnectionTarget = {}): ConnectionFailure {
  const e = (error ?? {}) as { code?: string; message?: string };
  const code = e.code ?? '';
  const text = String(e.message ?? error);
  const where = `${target.host ?? 'localhost'}:${target.port ?? 5432}`;
  const db = target.database ?? '(default)';
  const user = target.user ?? '(default)';

  if (code === 'ECONNREFUSED') {
    return { kind: 'refused', message: `Connection refused at ${where}: no PostgreSQL server is listening there.`, fix: 'Check the host and port in pgvet.connection (or PGHOST/PGPORT), and that the server is running and accepts TCP connections (listen_addresses).' };
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    return { kind: 'unknown-host', message: `Host "${target.host ?? ''}" could not be resolved.`, fix: 'Check the host name in pgvet.connection (or PGHOST), and your DNS/VPN.' };
  }
  if (code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || /timeout/i.test(text) && !/statement timeout/.test(text)) {
    return { kind: 'timeout', message: `Timed out connecting to ${where}.`, fix: 'Check that the host is reachable from this machine (firewall, VPN, security groups) and the port is right; raise the connect timeout if the network is slow.' };
  }
  if (code === '28P01' || /password authentication failed|SASL|client password must be a string/i.test(text)) {
    return { kind: 'auth-failed', message: `Authentication failed for user "${user}" at ${where}.`, fix: 'Set the right password with "pgvet: Set Connection Password" (or PGPASSWORD), and check the user name.' };
  }
  if (code === '28000' && /no pg_hba\.conf entry/.test(text)) {
    if (/no encryption/.test(text)) return { kind: 'ssl', message: `The server at ${where} only accepts SSL connections from here.`, fix: 'Set sslmode to "require" (or stricter) in pgvet.connection.' };
    return { kind: 'auth-failed', message: `The server at ${where} does not allow user "${user}" on database "${db}" from this address (pg_hba.conf).`, fix: 'Ask the database owner to add a pg_hba.conf entry, or connect as another user/database.' };
  }
  if (code === '28000' && /role .* does not exist/.test(text)) {
    return { kind: 'unknown-user', message: `User "${user}" does not exist at ${where}.`, fix: 'Check the user in pgvet.connection (or PGUSER).' };
  }
  if (code === '3D000') {
    return { kind: 'unknown-database', message: `Database "${db}" does not exist at ${where}.`, fix: 'Check the database name in pgvet.connection (or PGDATABASE).' };
  }
  if (CERT_CODES.has(code) || /SSL|TLS|certificate/i.test(text)) {
    const noSsl = /does not support SSL/i.test(text);
    return {
      kind: 'ssl',
      message: noSsl ? `The server at ${where} does not support SSL, but SSL was required.` : `SSL failed connecting to ${where}: ${text}.`,
      fix: noSsl ? 'Set sslmode to "disable" or "prefer" in pgvet.connection, or enable SSL on the server.' : 'Check sslmode and the CA certificate (sslrootcert); "verify-full" also needs the host name to match the certificate.',
    };
  }
  if (code === '57P03' || code === '53300') {
    return { kind: 'server-unavailable', message: `The server at ${where} is not accepting connections now: ${text}.`, fix: 'Try again when it has started, or free connections (max_connections).' };
  }
  return { kind: 'other', message: `Could not connect to ${where}: ${text}${code ? ` (${code})` : ''}.`, fix: 'Check pgvet.connection.' };
}
