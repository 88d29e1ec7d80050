import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { emptyCatalog } from '../../core/src/catalog/model';
import { applyFile } from '../../core/src/catalog/replay';
import { initParser, parseSqlFile } from '../../core/src/parse/sql/parser';
import { startPostgres, type PostgresServer } from '../support/postgres';

// `DEFAULT NULL` and `SET DEFAULT NULL` leave a column without a default, in PostgreSQL and in pgvet's catalog.
// A null cast to another type than the column's is a coercion, which PostgreSQL keeps as the default (e, f, h).
const HISTORY = 'CREATE TABLE t (a int DEFAULT NULL, b text DEFAULT NULL::text, c int DEFAULT 1, d int DEFAULT 2,\n' +
  '  e bigint DEFAULT NULL::integer, f varchar(10) DEFAULT NULL::text, g int DEFAULT CAST(NULL AS int), h int);\n' +
  'ALTER TABLE t ALTER COLUMN c SET DEFAULT NULL, ALTER COLUMN d SET DEFAULT 3, ALTER COLUMN h SET DEFAULT NULL::bigint;';

describe('DEFAULT NULL is no default', () => {
  let server: PostgresServer;
  before(async () => {
    await initParser();
    server = await startPostgres();
  });
  after(() => server?.stop());

  it('the catalog and PostgreSQL agree on which columns have a default', async () => {
    const catalog = emptyCatalog();
    applyFile(catalog, '/p/001.sql', parseSqlFile(HISTORY));
    const ours = catalog.schemas.get('public')!.tables.get('t')!.columns.filter((c) => c.default !== undefined).map((c) => c.name);
    const client = new Client({ connectionString: server.url() });
    await client.connect();
    try {
      await client.query(HISTORY);
      const { rows } = await client.query("SELECT a.attname FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum WHERE d.adrelid = 't'::regclass ORDER BY a.attnum");
      assert.deepEqual(ours, rows.map((r) => r.attname));
      assert.deepEqual(ours, ['d', 'e', 'f', 'h']);
    } finally {
      await client.end();
    }
  });
});
