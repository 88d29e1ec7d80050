import type { ClientConfig } from 'pg';
import * as vscode from 'vscode';
import { readClientSetting, type ConnectionSetting } from '../../../server/src/config/settings';
import { pgvetSettings } from '../configuration';

/** Where EXPLAIN runs: the embedded shadow database, the PG* environment, or a named connection. */
export type ExplainTarget =
  | { kind: 'embedded'; label: string }
  | { kind: 'server'; name: string; label: string; config: ClientConfig; passwordKey: string; hasPassword: boolean };

export const ENV_CONNECTION = '$env';

const PASSWORD_PREFIX = 'pgvet.password.';

export function passwordKey(name: string): string {
  return PASSWORD_PREFIX + name;
}

/** `scope`: the document EXPLAIN runs for, or null without one (see pgvetSettings). */
export function configuredConnections(scope: vscode.Uri | null): { connections: ConnectionSetting[]; problem?: string } {
  const raw = pgvetSettings(scope).get('connections');
  const { value, problem } = readClientSetting(raw, 'connections');
  return { connections: value, problem };
}

export function activeConnectionName(scope: vscode.Uri | null): string {
  return readClientSetting(pgvetSettings(scope).get('activeConnection'), 'activeConnection').value;
}

/** The PG* variables libpq would read, when any is set. */
export function environmentConnection(env: NodeJS.ProcessEnv = process.env): ConnectionSetting | undefined {
  if (!env.PGHOST && !env.PGDATABASE && !env.PGUSER && !env.PGPORT && !env.PGSERVICE) return undefined;
  return {
    name: ENV_CONNECTION,
    host: env.PGHOST,
    port: env.PGPORT ? Number(env.PGPORT) : undefined,
    database: env.PGDATABASE,
    user: env.PGUSER,
    sslmode: (env.PGSSLMODE as ConnectionSetting['sslmode']) ?? undefined,
  };
}

/** node-postgres settings for a connection; a missing field falls back to PG* variables, as libpq does. */
export function clientConfig(c: ConnectionSetting, password: string | undefined, env: NodeJS.ProcessEnv = process.env): ClientConfig {
  const ssl = sslFor(c.sslmode ?? (env.PGSSLMODE as ConnectionSetting['sslmode']));
  if (c.connectionString) return { connectionString: c.connectionString, password: password ?? env.PGPASSWORD, ...(ssl === undefined ? {} : { ssl }) };
  return {
    host: c.host ?? env.PGHOST ?? 'localhost',
    port: c.port ?? (env.PGPORT ? Number(env.PGPORT) : 5432),
    database: c.database ?? env.PGDATABASE,
    user: c.user ?? env.PGUSER,
    password: password ?? env.PGPASSWORD,
    ...(ssl === undefined ? {} : { ssl }),
  };
}

function sslFor(mode: ConnectionSetting['sslmode'] | undefined): ClientConfig['ssl'] | undefined {
  switch (mode) {
    case 'disable':
    case 'allow':
      return false;
    case 'require':
    case 'prefer':
      return { rejectUnauthorized: false };
    case 'verify-ca':
    case 'verify-full':
      return { rejectUnauthorized: true };
    default:
      return undefined;
  }
}

/** Describes a connection without its password, for labels and messages. */
export function describeConnection(c: ConnectionSetting): string {
  if (c.connectionString) return c.connectionString.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1@');
  return `${c.user ?? ''}${c.user ? '@' : ''}${c.host ?? 'localhost'}:${c.port ?? 5432}/${c.database ?? ''}`;
}

/** The target EXPLAIN will use now, with the password (if any) from SecretStorage. */
export async function resolveTarget(secrets: vscode.SecretStorage, scope: vscode.Uri | null): Promise<ExplainTarget | { error: string }> {
  const name = activeConnectionName(scope);
  if (!name) return { kind: 'embedded', label: 'embedded shadow database (PGlite) built from the workspace migrations' };
  const { connections } = configuredConnections(scope);
  const setting = name === ENV_CONNECTION ? environmentConnection() : connections.find((c) => c.name === name);
  if (!setting) {
    return { error: `pgvet.activeConnection is "${name}", but no connection of that name is in pgvet.connections${name === ENV_CONNECTION ? ' (and no PG* environment variables are set)' : ''}. Pick one from the status bar.` };
  }
  const password = await secrets.get(passwordKey(setting.name));
  return {
    kind: 'server',
    name: setting.name,
    label: `${setting.name === ENV_CONNECTION ? 'PG* environment' : setting.name} (${describeConnection(setting)})`,
    config: clientConfig(setting, password),
    passwordKey: passwordKey(setting.name),
    hasPassword: password !== undefined,
  };
}
