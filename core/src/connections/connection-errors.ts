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
  sslmode?: string;
}

const CA_CODES = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT', 'CERT_SIGNATURE_FAILURE']);
const SETTINGS = 'on the connection in pgvet.connections';

const CERT_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID', 'ERR_SSL_WRONG_VERSION_NUMBER', 'EPROTO',
]);

/** Maps a `pg` (or Node socket) connection error to a ConnectionFailure. */
export function classifyConnectionError(error: unknown, target: ConnectionTarget = {}): ConnectionFailure {
  const e = (error ?? {}) as { code?: string; message?: string };
  const code = e.code ?? '';
  const text = String(e.message ?? error);
  const host = target.host ?? 'localhost';
  const where = `${host.includes(':') ? `[${host}]` : host}:${target.port ?? 5432}`;
  const db = target.database ?? '(default)';
  const user = target.user ?? '(default)';
  /** Every message names the whole target: which server, database and user the attempt was for. */
  const whom = `(database "${db}", user "${user}")`;

  if (code === 'ECONNREFUSED') {
    return { kind: 'refused', message: `Connection refused at ${where} ${whom}: no PostgreSQL server is listening there.`, fix: `Check the host and port ${SETTINGS} (or PGHOST/PGPORT), and that the server is running and accepts TCP connections (listen_addresses).` };
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    return { kind: 'unknown-host', message: `Host "${host}" could not be resolved (port ${target.port ?? 5432}, database "${db}", user "${user}").`, fix: `Check the host name ${SETTINGS} (or PGHOST), and your DNS/VPN.` };
  }
  if (code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || /timeout/i.test(text) && !/statement timeout/.test(text)) {
    return { kind: 'timeout', message: `Timed out connecting to ${where} ${whom}.`, fix: 'Check that the host is reachable from this machine (firewall, VPN, security groups) and the port is right; raise the connect timeout if the network is slow.' };
  }
  if (code === '28P01' || /password authentication failed|SASL|client password must be a string/i.test(text)) {
    return { kind: 'auth-failed', message: `Authentication failed for user "${user}" on database "${db}" at ${where}.`, fix: `Set the right password with "pgvet: Set Connection Password" (or PGPASSWORD), and check the user name ${SETTINGS}.` };
  }
  if (code === '28000' && /pg_hba\.conf/.test(text)) {
    if (/no encryption/.test(text)) return { kind: 'ssl', message: `The server at ${where} only accepts SSL connections from here ${whom}.`, fix: `Set sslmode to "require" (or stricter) ${SETTINGS} (or PGSSLMODE).` };
    return { kind: 'auth-failed', message: `The server at ${where} does not allow user "${user}" on database "${db}" from this address (pg_hba.conf).`, fix: 'Ask the database owner to add a pg_hba.conf entry, or connect as another user/database.' };
  }
  if (code === '28000' && /role .* does not exist/.test(text)) {
    return { kind: 'unknown-user', message: `User "${user}" does not exist at ${where} (database "${db}").`, fix: `Check the user ${SETTINGS} (or PGUSER).` };
  }
  if (code === '3D000') {
    return { kind: 'unknown-database', message: `Database "${db}" does not exist at ${where} (user "${user}").`, fix: `Check the database name ${SETTINGS} (or PGDATABASE).` };
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return { kind: 'ssl', message: `The certificate of the server at ${where} ${whom} is not for the host name "${host}" (sslmode ${target.sslmode ?? 'verify-full'}): ${text}`, fix: `Connect with a host name the certificate names (set host ${SETTINGS}), or use sslmode "verify-ca" to check only the CA.` };
  }
  if (CA_CODES.has(code)) {
    return { kind: 'ssl', message: `The certificate of the server at ${where} ${whom} is not signed by a trusted CA (${code}).`, fix: `Set sslrootcert ${SETTINGS} (or PGSSLROOTCERT) to the CA certificate that signed the server's certificate.` };
  }
  if (CERT_CODES.has(code) || /SSL|TLS|certificate/i.test(text)) {
    const noSsl = /does not support SSL/i.test(text);
    return {
      kind: 'ssl',
      message: noSsl ? `The server at ${where} ${whom} does not support SSL, but sslmode ${target.sslmode ?? 'require'} requires it.` : `SSL failed connecting to ${where} ${whom}: ${text}.`,
      fix: noSsl ? `Set sslmode to "prefer" or "disable" ${SETTINGS} (or PGSSLMODE), or enable SSL on the server.` : `Check sslmode and sslrootcert ${SETTINGS} (or PGSSLMODE / PGSSLROOTCERT); "verify-full" also needs the host name to match the certificate.`,
    };
  }
  if (code === '57P03' || code === '53300') {
    return { kind: 'server-unavailable', message: `The server at ${where} is not accepting connections now ${whom}: ${text}.`, fix: 'Try again when it has started, or free connections (max_connections).' };
  }
  return { kind: 'other', message: `Could not connect to ${where} ${whom}: ${text}${code ? ` (${code})` : ''}.`, fix: `Check the connection in pgvet.connections.` };
}
