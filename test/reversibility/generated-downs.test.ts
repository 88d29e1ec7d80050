import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Client } from 'pg';
import { migrationSetAt, type MigrationFile } from '../../core/src/catalog/history';
import { emptyCatalog, TEMP_SCHEMA } from '../../core/src/catalog/model';
import { nodeDirectoryView } from '../../core/src/fs/disk';
import { applyFile } from '../../core/src/catalog/replay';
import { downText, planDown, type HistorySource } from '../../core/src/fixes/generate-down';
import { initParser, parseSqlFile } from '../../core/src/parse/sql/parser';
import { applyMigration } from '../catalog/agreement/apply';
import { startPostgres, type PostgresServer } from '../support/postgres';
import { fullSnapshot, snapshotChanges } from './pg-facts';

/**
 * For every crates.io up migration whose statements all have inverses, the generated down, applied right after
 * the up on a real PostgreSQL server, gives back the exact catalog from before the up (pg_catalog, compared
 * fact by fact). The project's own down.sql files are checked the same way, for information only.
 */
const corpus = path.resolve(__dirname, '../../../shared/corpus');
const dir = path.resolve(corpus, 'rust-lang__crates.io/migrations');
let server: PostgresServer;

before(async () => {
  await initParser();
  server = await startPostgres();
});
after(() => server?.stop());

type Outcome = { ok: true } | { ok: false; why: string };

/** Runs up then `down` on a copy of the current state and reports whether pg_catalog came back as it was. */
async function upThenDown(client: Client, m: MigrationFile, down: string): Promise<Outcome> {
  const beforeUp = await fullSnapshot(client);
  await client.query('BEGIN');
  try {
    await client.query('RESET ALL');
    for (const [what, sql] of [['up', m.upText], ['down', down]]) {
      try {
        await client.query('SAVEPOINT step');
        if (sql.trim()) await client.query(sql);
      } catch (e) {
        return { ok: false, why: `${what} failed: ${(e as Error).message}` };
      }
    }
    await client.query('SET search_path = "$user", public');
    const changes = snapshotChanges(beforeUp, await fullSnapshot(client));
    return changes.length ? { ok: false, why: changes.slice(0, 6).join('\n    ') } : { ok: true };
  } finally {
    await client.query('ROLLBACK');
  }
}

test('generated downs of crates.io restore the exact catalog on PostgreSQL', { timeout: 20 * 60_000 }, async (t) => {
  const set = migrationSetAt(dir, nodeDirectoryView);
  assert.ok(set && set.layout === 'diesel' && set.migrations.length > 200, 'the crates.io history is found');
  const admin = new Client({ connectionString: server.url() });
  await admin.connect();
  await admin.query('CREATE DATABASE reversibility');
  await admin.end();
  const client = new Client({ connectionString: server.url('reversibility') });
  client.on('notice', () => undefined);
  await client.connect();

  const catalog = emptyCatalog();
  const history: HistorySource[] = [];
  const checked: string[] = [];
  const failed: string[] = [];
  const skipped: string[] = [];
  const own = { checked: 0, exact: 0, differ: [] as string[] };
  try {
    for (const m of set.migrations) {
      const id = path.basename(path.dirname(m.path));
      const parsed = parseSqlFile(m.upText);
      const steps = planDown(parsed, catalog, { path: m.path, history });
      const missing = steps.filter((s) => s.kind === 'none');
      // Migrations that cannot run inside our BEGIN … ROLLBACK are checked only for the count of skips.
      const transactional = m.context.transactional && !steps.some((s) => s.statement.ast && 'TransactionStmt' in s.statement.ast);
      if (missing.length) skipped.push(`${id}: ${missing.map((s) => s.notes[0]).join('; ')}`);
      else if (!transactional) skipped.push(`${id}: runs outside a transaction (${m.context.transactionReason})`);
      else if (parsed.statements.every((s) => !s.ast)) skipped.push(`${id}: empty`);
      else {
        const down = downText(parsed, steps, id);
        const outcome = await upThenDown(client, m, down);
        checked.push(id);
        if (!outcome.ok) failed.push(`${id}:\n    ${outcome.why}\n  generated down:\n${down.replace(/^/gm, '    ')}`);
      }
      if (transactional && m.downPath) {
        const outcome = await upThenDown(client, m, readFileSync(m.downPath, 'utf8'));
        own.checked++;
        if (outcome.ok) own.exact++;
        else own.differ.push(`${id}: ${outcome.why.split('\n')[0]}`);
      }
      const failure = await applyMigration(client, m);
      assert.equal(failure, undefined, `${id} applies`);
      applyFile(catalog, m.path, parsed);
      catalog.schemas.delete(TEMP_SCHEMA);
      history.push({ path: m.path, parsed });
    }
  } finally {
    await client.end();
  }
  t.diagnostic(`${set.migrations.length} migrations; generated downs checked on PostgreSQL: ${checked.length}, restored exactly: ${checked.length - failed.length}; skipped: ${skipped.length}`);
  for (const s of skipped) t.diagnostic(`skipped ${s}`);
  t.diagnostic(`crates.io's own down.sql files: ${own.exact} of ${own.checked} restore the exact catalog`);
  for (const d of own.differ) t.diagnostic(`own down differs ${d}`);
  assert.ok(checked.length > 50, `at least 50 migrations have a complete generated down (got ${checked.length})`);
  assert.deepEqual(failed, [], 'every generated down restores the catalog');
});
