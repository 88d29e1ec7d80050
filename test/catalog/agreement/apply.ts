import type { Client } from 'pg';
import type { MigrationFile } from '../../../core/src/catalog/history';
import { parseSqlFile } from '../../../core/src/parse/sql/parser';

/** How a tool hands a migration file to PostgreSQL. */
export type ApplyMode = 'script' | 'script-in-transaction' | 'statements' | 'statements-in-transaction';

/**
 * Prisma and diesel (run_in_transaction = false) send the file as one multi-statement query; diesel, pop and the
 * storage runner wrap it in BEGIN/COMMIT; goose and drizzle run it statement by statement in a transaction.
 */
export function applyModeOf(m: MigrationFile): ApplyMode {
  switch (m.layout) {
    case 'prisma': case 'golang-migrate': case 'flyway':
      return 'script';
    case 'goose': case 'drizzle':
      return m.context.transactional ? 'statements-in-transaction' : 'statements';
    case 'plain':
      // supabase/storage's runner (postgres-migrations) wraps each file in a transaction unless it opts out.
      return m.text.includes('postgres-migrations disable-transaction') ? 'script' : 'script-in-transaction';
    default:
      return m.context.transactional ? 'script-in-transaction' : 'script';
  }
}

export interface ApplyFailure {
  file: string;
  error: string;
  /** Statement by statement outside a transaction, the statements before the failing one stay applied: they end here. */
  appliedUpTo?: number;
}

/** Applies one migration the way its tool does; on failure rolls back and says why. */
export async function applyMigration(client: Client, m: MigrationFile): Promise<ApplyFailure | undefined> {
  const mode = applyModeOf(m);
  const inTransaction = mode.endsWith('in-transaction');
  let done = 0;
  try {
    await client.query('RESET ALL');
    if (inTransaction) await client.query('BEGIN');
    if (mode.startsWith('script')) {
      if (m.upText.trim()) await client.query(m.upText);
    } else {
      const parsed = parseSqlFile(m.upText);
      for (const s of parsed.statements) {
        const sql = m.upText.slice(s.start, s.end);
        if (sql.replace(/;/g, '').trim()) await client.query(sql);
        done = s.end;
      }
    }
    if (inTransaction) await client.query('COMMIT');
    return undefined;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    const error = e instanceof Error ? e.message : String(e);
    return { file: m.path, error, ...(mode === 'statements' ? { appliedUpTo: done } : {}) };
  }
}
