import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ruleTests } from '../support/rule-tester';
import { connectedPostgres } from '../support/postgres';

const corpus = path.resolve(__dirname, '../../../shared/corpus');
// civitai replaces a boolean by a timestamp and a stored generated boolean computed from it, on the User table.
const civitaiMutedAt = 'civitai__civitai/packages/civitai-db-schema/prisma/migrations/20240118214315_muted_at/migration.sql';

ruleTests('adding-stored-generated-column', {
  valid: [
    { name: 'table created earlier in the same file', sql: 'CREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN b int GENERATED ALWAYS AS (a * 2) STORED;' },
    { name: 'in CREATE TABLE', sql: 'CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a * 2) STORED);' },
    { name: 'a VIRTUAL generated column (PostgreSQL 18) writes nothing', sql: 'ALTER TABLE t ADD COLUMN b int GENERATED ALWAYS AS (a * 2) VIRTUAL;' },
    { name: 'an identity column is volatile-default\'s', sql: 'ALTER TABLE t ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;' },
    { name: 'a plain column', sql: 'ALTER TABLE t ADD COLUMN b int;' },
  ],
  invalid: [
    {
      name: 'civitai: a stored generated boolean on the existing User table',
      path: `/p/${civitaiMutedAt}`,
      sql: readFileSync(path.join(corpus, civitaiMutedAt), 'utf8'),
      errors: [{ text: 'ADD COLUMN muted boolean GENERATED ALWAYS AS ("mutedAt" IS NOT NULL) STORED', message: /stored generated column "muted" to existing table "User".*rewrites the whole table.*ACCESS EXCLUSIVE.*trigger.*batches/ }],
    },
    {
      name: 'IF NOT EXISTS, schema-qualified, with other subcommands',
      sql: 'ALTER TABLE app.versions ADD COLUMN a int, ADD COLUMN IF NOT EXISTS n text GENERATED ALWAYS AS (lower(name)) STORED;',
      errors: [{ text: 'ADD COLUMN IF NOT EXISTS n text GENERATED ALWAYS AS (lower(name)) STORED', message: /"n" to existing table "app\.versions"/ }],
    },
  ],
});

// The claim itself, on the real server: the table gets a new file (rewritten); a plain column does not.
describe('adding a stored generated column on PostgreSQL', () => {
  const pg = connectedPostgres();

  async function rewrites(add: string): Promise<boolean> {
    await pg.client.query('DROP TABLE IF EXISTS t; CREATE TABLE t (a int); INSERT INTO t SELECT g FROM generate_series(1, 100) g;');
    const file = async () => (await pg.client.query("SELECT relfilenode FROM pg_class WHERE relname = 't'")).rows[0].relfilenode;
    const old = await file();
    await pg.client.query(`ALTER TABLE t ${add}`);
    return old !== (await file());
  }

  it('GENERATED ALWAYS AS (…) STORED rewrites the table', async () => {
    assert.equal(await rewrites('ADD COLUMN b int GENERATED ALWAYS AS (a * 2) STORED'), true);
  });
  it('a plain nullable column does not', async () => {
    assert.equal(await rewrites('ADD COLUMN b int'), false);
  });
});
