/**
 * `pgvet lint --database-url`: the schema rules, unchanged, on the catalog read from a live database. Connects the way
 * `pgvet verify` does (libpq's conninfo and PG* variables, TLS attempts, errors that say what to change), reads the
 * catalog in one read-only transaction (read-catalog.ts) and runs every enabled schema rule on it as the engine runs
 * them on a history's catalog (engine/catalog-lint.ts), with no migration files.
 */
import type { Catalog } from '../catalog/model';
import { lintCatalog } from '../engine/catalog-lint';
import type { ResolvedConfig } from '../engine/resolve-config';
import type { Finding } from '../rule-kit/types';
import { openPg } from '../connections/connect';
import { connectionLabel, resolveConnection } from '../connections/resolve';
import { readLiveCatalog } from './read-catalog';

export interface LiveLintOptions {
  /** Schemas to read; default every non-system schema. */
  schemas?: readonly string[];
  statementTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export interface LiveLintResult {
  /** The database as `user@host:port/db` (no password): the `origin.file` of every object and finding. */
  label: string;
  catalog: Catalog;
  findings: Finding[];
  ruleFailures: { ruleId: string; error: string }[];
}

/** Throws ConnectionOpenError / ConninfoError (connecting) or LiveCatalogError (reading). */
export async function lintLiveDatabase(connection: string, config: ResolvedConfig, options: LiveLintOptions = {}): Promise<LiveLintResult> {
  const params = resolveConnection({ name: '--database-url', connectionString: connection }, { env: options.env ?? process.env, baseDir: process.cwd() });
  const label = connectionLabel(params);
  // default_transaction_read_only as well: nothing this session runs can write, whatever a later change adds.
  const client = await openPg(params, { applicationName: 'pgvet lint (read-only)', options: '-c default_transaction_read_only=on' });
  try {
    const catalog = await readLiveCatalog(client, { schemas: options.schemas, statementTimeoutMs: options.statementTimeoutMs, source: label });
    const { byFile, ruleFailures } = lintCatalog(catalog, new Map(), config);
    return { label, catalog, findings: [...byFile.values()].flat(), ruleFailures };
  } finally {
    await client.end().catch(() => undefined);
  }
}
