import { ruleTests } from '../support/rule-tester';

ruleTests('require-concurrent-index-creation', {
  valid: [
    { sql: 'CREATE INDEX CONCURRENTLY i ON t (a);' },
    { name: 'table created earlier in the same file', sql: 'CREATE TABLE t (a int);\nCREATE INDEX i ON t (a);' },
    { name: 'schema-qualified table created in the file', sql: 'CREATE TABLE public.t (a int);\nCREATE INDEX i ON t (a);' },
  ],
  invalid: [
    {
      sql: 'CREATE INDEX i ON t (a);',
      errors: [{ text: 'CREATE INDEX i ON t (a);', message: /blocks every INSERT, UPDATE and DELETE/ }],
      output: 'CREATE INDEX CONCURRENTLY i ON t (a);',
    },
    { name: 'unique index', sql: 'create unique index if not exists i on t (a);', errors: [{}], output: 'create unique index CONCURRENTLY if not exists i on t (a);' },
    {
      name: 'in a Prisma migration the note says CONCURRENTLY cannot run there',
      path: '/p/prisma/migrations/20240101000000_init/migration.sql',
      sql: 'CREATE INDEX "i" ON "t"("a");',
      errors: [{ message: /cannot run inside a transaction/ }],
    },
  ],
});
