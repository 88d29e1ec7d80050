/**
 * libpq's sslmode as node-postgres `ssl` options. node-postgres reads `sslmode` in a connection string its
 * own way (require means verify-full there), so pgvet never hands it one: it gets the `ssl` option built
 * here, and connectPg makes the attempts in order (prefer: TLS, then plain; allow: plain, then TLS).
 *
 *   disable      plain
 *   allow        plain; TLS if the server refuses plain
 *   prefer       TLS if the server offers it, else plain (libpq's default)
 *   require      TLS, certificate not checked; with an sslrootcert (or ~/.postgresql/root.crt) as verify-ca
 *   verify-ca    TLS, certificate chain checked against sslrootcert
 *   verify-full  and the host name checked against the certificate
 *
 * As in libpq, a root certificate also makes the TLS attempt of prefer/allow verify the chain, and a
 * Unix-socket host never uses TLS. No vscode import.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { checkServerIdentity, type ConnectionOptions } from 'node:tls';
import type { ConnectionFailure } from './connection-errors';
import type { ConnectionParams } from './resolve';

export type SslAttempt = false | ConnectionOptions;
export type TlsParams = Pick<ConnectionParams, 'host' | 'sslmode' | 'sslrootcert' | 'sslcert' | 'sslkey'>;

const SETTING_HINT = 'on the connection in pgvet.connections (or PGSSLMODE / PGSSLROOTCERT / PGSSLCERT / PGSSLKEY)';

function sslFailure(message: string, fix: string): { failure: ConnectionFailure } {
  return { failure: { kind: 'ssl', message, fix } };
}

function read(path: string, setting: string): Buffer | { failure: ConnectionFailure } {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as { code?: string }).code ?? String(e);
    return sslFailure(`The ${setting} file "${path}" cannot be read (${code}).`, `Fix the ${setting} path ${SETTING_HINT}; relative paths start at the workspace folder.`);
  }
}

/** The `ssl` values to try, in order, or why TLS cannot be set up. `home` locates libpq's default ~/.postgresql files. */
export function sslAttempts(p: TlsParams, home: string = homedir()): { attempts: SslAttempt[] } | { failure: ConnectionFailure } {
  if (p.sslmode === 'disable' || p.host.startsWith('/')) return { attempts: [false] };
  const defaultRoot = join(home, '.postgresql', 'root.crt');
  const rootPath = p.sslrootcert ?? (existsSync(defaultRoot) ? defaultRoot : undefined);
  const system = rootPath === 'system';
  if (system && p.sslmode !== 'verify-full') {
    return sslFailure(`sslrootcert "system" needs sslmode "verify-full" (it is "${p.sslmode}").`, `Set sslmode to "verify-full" ${SETTING_HINT}, as libpq requires for the system CAs.`);
  }
  const verifyFull = p.sslmode === 'verify-full';
  const verify = verifyFull || p.sslmode === 'verify-ca' || rootPath !== undefined;
  if (verify && rootPath === undefined) {
    return sslFailure(
      `sslmode "${p.sslmode}" checks the server's certificate, but no CA certificate is set (and ${defaultRoot} does not exist).`,
      `Set sslrootcert to the CA file (PEM) that signed the server's certificate ${SETTING_HINT}, or "system" with verify-full to trust Node's public CA list.`,
    );
  }
  const options: ConnectionOptions = { rejectUnauthorized: verify };
  if (rootPath !== undefined && !system) {
    const ca = read(rootPath, 'sslrootcert');
    if (!Buffer.isBuffer(ca)) return ca;
    options.ca = ca;
  }
  // Without this, Node checks the name node-postgres passes, which for an IP address is no name at all.
  options.checkServerIdentity = verifyFull ? (_name, cert) => checkServerIdentity(p.host, cert) : () => undefined;
  const client = clientCertificate(p, home);
  if ('failure' in client) return client;
  Object.assign(options, client);
  const tls: ConnectionOptions = options;
  switch (p.sslmode) {
    case 'allow':
      return { attempts: [false, tls] };
    case 'prefer':
      return { attempts: [tls, false] };
    default:
      return { attempts: [tls] };
  }
}

/** sslcert/sslkey, or libpq's ~/.postgresql/postgresql.crt and .key when they exist. */
function clientCertificate(p: TlsParams, home: string): { cert?: Buffer; key?: Buffer } | { failure: ConnectionFailure } {
  const defaultCert = join(home, '.postgresql', 'postgresql.crt');
  const certPath = p.sslcert ?? (existsSync(defaultCert) ? defaultCert : undefined);
  if (certPath === undefined) {
    if (p.sslkey !== undefined) return sslFailure('sslkey is set without sslcert.', `Set sslcert to the client certificate that goes with the key ${SETTING_HINT}.`);
    return {};
  }
  const keyPath = p.sslkey ?? join(home, '.postgresql', 'postgresql.key');
  const cert = read(certPath, 'sslcert');
  if (!Buffer.isBuffer(cert)) return cert;
  const key = read(keyPath, 'sslkey');
  if (!Buffer.isBuffer(key)) return key;
  return { cert, key };
}
