import { ruleTests } from '../support/rule-tester';

ruleTests('prefer-identity', {
  valid: [
    { sql: 'CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);' },
    { name: 'plain integers', sql: 'CREATE TABLE t (id bigint PRIMARY KEY, n int);' },
  ],
  invalid: [
    {
      name: 'Prisma autoincrement',
      sql: 'CREATE TABLE "Post" (\n    "id" SERIAL NOT NULL,\n    CONSTRAINT "Post_pkey" PRIMARY KEY ("id")\n);',
      errors: [{ text: 'SERIAL', message: /"Post"\."id" is serial: its sequence is a separate object.*bigint GENERATED ALWAYS AS IDENTITY/ }],
      output: 'CREATE TABLE "Post" (\n    "id" BIGINT GENERATED ALWAYS AS IDENTITY NOT NULL,\n    CONSTRAINT "Post_pkey" PRIMARY KEY ("id")\n);',
    },
    {
      name: 'ADD COLUMN on a schema-qualified table, bigserial and smallserial',
      sql: 'ALTER TABLE app.t ADD COLUMN IF NOT EXISTS n bigserial, ADD COLUMN s smallserial;',
      errors: [{ text: 'bigserial', message: /"app\.t"\."n"/ }, { text: 'smallserial', message: /smallint GENERATED ALWAYS AS IDENTITY/ }],
      output: 'ALTER TABLE app.t ADD COLUMN IF NOT EXISTS n bigint GENERATED ALWAYS AS IDENTITY, ADD COLUMN s smallint GENERATED ALWAYS AS IDENTITY;',
    },
  ],
});
