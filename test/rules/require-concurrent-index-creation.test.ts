import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ruleTests } from '../support/rule-tester';

const corpus = path.resolve(__dirname, '../../../shared/corpus');
// crates.io: a materialized view and its unique index in one migration.
const cratesMatview = 'rust-lang__crates.io/migrations/2018-04-24-145128_create_recent_crate_downloads/up.sql';

ruleTests('require-concurrent-index-creation', {
  valid: [
    { name: 'ON ONLY a partitioned table builds nothing (hatchet v1_0_63)', sql: 'CREATE INDEX IF NOT EXISTS ix_v1_runs_olap_additional_metadata_gin\n    ON ONLY v1_runs_olap USING gin (additional_metadata jsonb_path_ops);' },
    { name: 'a partitioned table refuses CONCURRENTLY: index-on-partitioned-table reports it', history: ['CREATE TABLE m (a int, b int) PARTITION BY RANGE (a);'], sql: 'CREATE INDEX m_b_idx ON m (b);' },
    { sql: 'CREATE INDEX CONCURRENTLY i ON t (a);' },
    { name: 'table created earlier in the same file', sql: 'CREATE TABLE t (a int);\nCREATE INDEX i ON t (a);' },
    { name: 'schema-qualified table created in the file', sql: 'CREATE TABLE public.t (a int);\nCREATE INDEX i ON t (a);' },
    { name: 'table created by CREATE TABLE AS in the file', sql: 'CREATE TABLE t AS SELECT 1 AS a;\nCREATE INDEX i ON t (a);' },
    { name: 'table created by SELECT … INTO in the file', sql: 'SELECT 1 AS a INTO t;\nCREATE INDEX i ON t (a);' },
    { name: 'a materialized view created in the file (crates.io)', path: `/p/${cratesMatview}`, sql: readFileSync(path.join(corpus, cratesMatview), 'utf8') },
  ],
  invalid: [
    { name: 'a materialized view created in another file', sql: 'CREATE UNIQUE INDEX recent_crate_downloads_crate_id ON recent_crate_downloads (crate_id);', errors: [{}], output: 'CREATE UNIQUE INDEX CONCURRENTLY recent_crate_downloads_crate_id ON recent_crate_downloads (crate_id);' },
    { name: 'created by CREATE TABLE AS only after the index', sql: 'CREATE INDEX i ON t (a);\nCREATE TABLE t2 AS SELECT 1 AS a;', errors: [{ text: 'CREATE INDEX i ON t (a);' }], output: 'CREATE INDEX CONCURRENTLY i ON t (a);\nCREATE TABLE t2 AS SELECT 1 AS a;' },
    {
      sql: 'CREATE INDEX i ON t (a);',
      errors: [{ text: 'CREATE INDEX i ON t (a);', message: /blocks every INSERT, UPDATE and DELETE/ }],
      output: 'CREATE INDEX CONCURRENTLY i ON t (a);',
    },
    { name: 'unique index', sql: 'create unique index if not exists i on t (a);', errors: [{}], output: 'create unique index CONCURRENTLY if not exists i on t (a);' },
    {
      // Several statements in one query string are one implicit transaction: CONCURRENTLY would make it fail.
      name: 'in a Prisma migration of two statements: no fix, the note says CONCURRENTLY cannot run there',
      path: '/p/prisma/migrations/20240101000000_init/migration.sql',
      sql: 'CREATE INDEX "i" ON "t"("a");\nCREATE INDEX "j" ON "t"("b");',
      errors: [{ message: /cannot run inside a transaction: put the index in a migration of its own/ }, {}],
      output: 'CREATE INDEX "i" ON "t"("a");\nCREATE INDEX "j" ON "t"("b");',
    },
    {
      name: 'a Prisma migration whose only statement it is runs outside a transaction block: Add CONCURRENTLY',
      path: '/p/prisma/migrations/20240101000000_init/migration.sql',
      sql: '-- CreateIndex\nCREATE INDEX "i" ON "t"("a");\n',
      errors: [{ text: 'CREATE INDEX "i" ON "t"("a");' }],
      output: '-- CreateIndex\nCREATE INDEX CONCURRENTLY "i" ON "t"("a");\n',
    },
    {
      name: 'between BEGIN and COMMIT: no fix',
      sql: 'BEGIN;\nCREATE INDEX i ON t (a);\nCOMMIT;',
      errors: [{ text: 'CREATE INDEX i ON t (a);' }],
      output: 'BEGIN;\nCREATE INDEX i ON t (a);\nCOMMIT;',
    },
    {
      name: 'goose, the only statement of its Up section: CONCURRENTLY together with NO TRANSACTION',
      path: '/p/db/migrations/00002_idx.sql',
      sql: '-- +goose Up\nCREATE INDEX i ON t (a);\n\n-- +goose Down\nDROP INDEX i;\n',
      errors: [{ text: 'CREATE INDEX i ON t (a);' }],
      output: '-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY i ON t (a);\n\n-- +goose Down\nDROP INDEX i;\n',
    },
    {
      name: 'diesel, the only statement: CONCURRENTLY together with metadata.toml run_in_transaction = false',
      path: '/p/migrations/2024-01-01-000000_idx/up.sql',
      sql: 'CREATE INDEX i ON t (a);\n',
      errors: [{ text: 'CREATE INDEX i ON t (a);' }],
      output: 'CREATE INDEX CONCURRENTLY i ON t (a);\n',
    },
    {
      // Inserting the line into a metadata.toml that sets the key already would set it twice, which TOML refuses.
      name: 'diesel whose metadata.toml says run_in_transaction = true: no fix',
      path: '/p/migrations/2024-01-01-000000_idx/up.sql',
      files: { '/p/migrations/2024-01-01-000000_idx/metadata.toml': 'run_in_transaction = true\n' },
      sql: 'CREATE INDEX i ON t (a);\n',
      errors: [{ text: 'CREATE INDEX i ON t (a);' }],
      output: 'CREATE INDEX i ON t (a);\n',
    },
    {
      name: 'goose with another statement in the Up section: no fix (NO TRANSACTION would change how the other runs)',
      path: '/p/db/migrations/00002_idx.sql',
      sql: '-- +goose Up\nALTER TABLE t ADD COLUMN b int;\nCREATE INDEX i ON t (a);\n',
      errors: [{ text: 'CREATE INDEX i ON t (a);' }],
      output: '-- +goose Up\nALTER TABLE t ADD COLUMN b int;\nCREATE INDEX i ON t (a);\n',
    },
  ],
});
