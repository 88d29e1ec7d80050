import { ruleTests } from '../support/rule-tester';

const prisma = '/p/prisma/migrations/20240101000000_add_index/migration.sql';

ruleTests('concurrently-in-transaction', {
  valid: [
    { sql: 'CREATE INDEX CONCURRENTLY i ON t (a);' },
    { name: 'goose NO TRANSACTION', sql: '-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY i ON t (a);\n-- +goose Down\nDROP INDEX CONCURRENTLY i;' },
    { name: 'diesel with run_in_transaction = false', path: '/p/migrations/2024-01-01-000000_idx/up.sql', files: { '/p/migrations/2024-01-01-000000_idx/metadata.toml': 'run_in_transaction = false\n' }, sql: 'CREATE INDEX CONCURRENTLY i ON t (a);' },
    { name: 'dbmate transaction:false', sql: '-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (a);\n-- migrate:down\nDROP INDEX i;' },
    { name: 'after COMMIT', sql: 'BEGIN;\nCREATE TABLE t (a int);\nCOMMIT;\nCREATE INDEX CONCURRENTLY i ON t (a);' },
  ],
  invalid: [
    { path: prisma, sql: 'CREATE INDEX CONCURRENTLY "i" ON "t"("a");', errors: [{ text: 'CONCURRENTLY', message: /Prisma Migrate/ }], output: 'CREATE INDEX "i" ON "t"("a");' },
    { name: 'explicit BEGIN', sql: 'BEGIN;\nDROP INDEX CONCURRENTLY i;\nCOMMIT;', errors: [{ message: /between BEGIN and COMMIT/ }], output: 'BEGIN;\nDROP INDEX i;\nCOMMIT;' },
    { name: 'goose without NO TRANSACTION', sql: '-- +goose Up\nREINDEX INDEX CONCURRENTLY i;', errors: [{ message: /REINDEX CONCURRENTLY/ }] },
    { name: 'diesel without metadata.toml', path: '/p/migrations/2024-01-01-000000_idx/up.sql', sql: 'CREATE INDEX CONCURRENTLY i ON t (a);', errors: [{ message: /run_in_transaction/ }] },
  ],
});
