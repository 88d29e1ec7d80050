/**
 * From a `pgvet.connections` entry to the parameters pgvet connects with, and the label that describes
 * them. The label is built from the resolved fields, so it cannot contain the password. No vscode import.
 */
import { homedir, userInfo } from 'node:os';
import { isAbsolute, join, resolve as resolvePath } from 'node:path';
import type { ConnectionSetting } from '../config/settings';
import { ConninfoError, parseConninfo, type Conninfo } from './conninfo';

export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** Everything needed to open a connection, every field decided (the password may be absent). */
export interface ConnectionParams {
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string;
  sslmode: SslMode;
  /** A path (absolute after resolution), or "system" for Node's bundled CA list. */
  sslrootcert?: string;
  sslcert?: string;
  sslkey?: string;
  connectTimeoutMs?: number;
  options?: string;
}

export interface ResolveOptions {
  /** From SecretStorage; a password in the connection string wins, as in libpq. */
  password?: string;
  env?: NodeJS.ProcessEnv;
  /** Relative certificate paths are resolved against this directory (the workspace folder). */
  baseDir?: string;
}

/** The first value that is set; an empty value counts as unset, as in libpq. */
function first(...values: (string | undefined)[]): string | undefined {
  return values.find((v) => v !== undefined && v !== '');
}

const isSslMode = (v: string | undefined): v is SslMode => (SSL_MODES as readonly string[]).includes(v ?? '');

function filePath(p: string | undefined, baseDir: string | undefined): string | undefined {
  if (!p) return undefined;
  if (p === 'system') return p;
  if (p === '~' || p.startsWith('~/')) return join(homedir(), p.slice(1));
  return isAbsolute(p) || !baseDir ? p : resolvePath(baseDir, p);
}

/**
 * Precedence, as libpq's: the connection string, then the entry's own fields, then PG* variables, then
 * libpq's defaults (user: the OS user; database: the user name; sslmode: prefer). Throws ConninfoError.
 */
export function resolveConnection(setting: ConnectionSetting, opts: ResolveOptions = {}): ConnectionParams {
  const env = opts.env ?? process.env;
  const parsed: Conninfo = setting.connectionString ? parseConninfo(setting.connectionString) : {};
  const host = first(parsed.host, setting.host, env.PGHOST) ?? 'localhost';
  const portText = first(parsed.port, setting.port !== undefined ? String(setting.port) : undefined, env.PGPORT) ?? '5432';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ConninfoError(`the port is not a number from 1 to 65535${parsed.port ? ' (connection string)' : setting.port ? '' : ' (PGPORT)'}.`);
  const user = first(parsed.user, setting.user, env.PGUSER) ?? osUser();
  const database = first(parsed.dbname, setting.database, env.PGDATABASE) ?? user;
  const mode = first(parsed.sslmode, setting.sslmode, env.PGSSLMODE) ?? 'prefer';
  if (!isSslMode(mode)) throw new ConninfoError(`sslmode must be one of ${SSL_MODES.join(', ')}${parsed.sslmode ? ' (connection string)' : setting.sslmode ? '' : ' (PGSSLMODE)'}.`);
  const timeout = first(parsed.connect_timeout, env.PGCONNECT_TIMEOUT);
  const seconds = timeout !== undefined ? Number(timeout) : undefined;
  if (seconds !== undefined && !Number.isFinite(seconds)) throw new ConninfoError('connect_timeout is not a number of seconds.');
  const password = first(parsed.password, opts.password, env.PGPASSWORD);
  const options = first(parsed.options, env.PGOPTIONS);
  return {
    host,
    port,
    database,
    user,
    ...(password !== undefined ? { password } : {}),
    sslmode: mode,
    ...definedPaths({
      sslrootcert: filePath(first(parsed.sslrootcert, setting.sslrootcert, env.PGSSLROOTCERT), opts.baseDir),
      sslcert: filePath(first(parsed.sslcert, setting.sslcert, env.PGSSLCERT), opts.baseDir),
      sslkey: filePath(first(parsed.sslkey, setting.sslkey, env.PGSSLKEY), opts.baseDir),
    }),
    // libpq: below 2 s counts as 2 s, and 0 waits forever; here 0 keeps pgvet's 10 s.
    ...(seconds && seconds > 0 ? { connectTimeoutMs: Math.max(2, seconds) * 1000 } : {}),
    ...(options !== undefined ? { options } : {}),
  };
}

function definedPaths(paths: Record<'sslrootcert' | 'sslcert' | 'sslkey', string | undefined>): Partial<Record<'sslrootcert' | 'sslcert' | 'sslkey', string>> {
  return Object.fromEntries(Object.entries(paths).filter(([, v]) => v !== undefined));
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'postgres';
  }
}

/** `user@host:port/database`, plus the sslmode when it is not libpq's default; never the password. */
export function connectionLabel(p: Pick<ConnectionParams, 'host' | 'port' | 'database' | 'user' | 'sslmode'>): string {
  const host = p.host.includes(':') && !p.host.startsWith('/') ? `[${p.host}]` : p.host;
  return `${p.user}@${host}:${p.port}/${p.database}${p.sslmode === 'prefer' ? '' : ` (sslmode=${p.sslmode})`}`;
}

/** What the picker and the panel call a configured connection; a connection string pgvet cannot read says so. */
export function describeSetting(setting: ConnectionSetting, env: NodeJS.ProcessEnv = process.env): string {
  try {
    return connectionLabel(resolveConnection(setting, { env }));
  } catch (e) {
    return e instanceof ConninfoError ? `cannot be read: ${e.message}` : 'cannot be read';
  }
}

/** The label of an EXPLAIN target: its name and where it connects. */
export function targetLabel(name: string, params: ConnectionParams, envName: string): string {
  return `${name === envName ? 'PG* environment' : name} (${connectionLabel(params)})`;
}
