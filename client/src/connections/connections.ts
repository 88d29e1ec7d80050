import * as vscode from 'vscode';
import { readClientSetting, ConninfoError, resolveConnection, targetLabel } from '../../../core/src';
import type { ConnectionSetting, ConnectionParams } from '../../../core/src';
import { pgvetSettings } from '../configuration';

/** Where EXPLAIN runs: the embedded shadow database, the PG* environment, or a named connection. */
export type ExplainTarget =
  | { kind: 'embedded'; label: string }
  | { kind: 'server'; name: string; label: string; config: ConnectionParams; passwordKey: string; hasPassword: boolean };

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

/** The PG* variables libpq would read, when any is set; resolveConnection reads them (not PGSERVICE: no service files). */
export function environmentConnection(env: NodeJS.ProcessEnv = process.env): ConnectionSetting | undefined {
  if (!env.PGHOST && !env.PGDATABASE && !env.PGUSER && !env.PGPORT) return undefined;
  return { name: ENV_CONNECTION };
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
  let config: ConnectionParams;
  try {
    const baseDir = scope ? vscode.workspace.getWorkspaceFolder(scope)?.uri.fsPath : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    config = resolveConnection(setting, { password, baseDir });
  } catch (e) {
    if (!(e instanceof ConninfoError)) throw e;
    return { error: `the connection "${setting.name}" cannot be used: ${e.message}` };
  }
  return {
    kind: 'server',
    name: setting.name,
    label: targetLabel(setting.name, config, ENV_CONNECTION),
    config,
    passwordKey: passwordKey(setting.name),
    hasPassword: password !== undefined,
  };
}
