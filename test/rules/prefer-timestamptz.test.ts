import { ruleTests } from '../support/rule-tester';

ruleTests('prefer-timestamptz', {
  valid: [
    { sql: 'CREATE TABLE t (created_at timestamptz NOT NULL DEFAULT now(), d date);' },
    { name: 'with time zone, spelled out', sql: 'ALTER TABLE t ADD COLUMN at timestamp(3) with time zone;' },
    { name: 'a cast is not a column', sql: "SELECT '2024-01-01'::timestamp;" },
  ],
  invalid: [
    {
      name: 'Prisma DateTime',
      sql: 'CREATE TABLE IF NOT EXISTS "User" (\n    "id" TEXT NOT NULL,\n    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,\n    "updatedAt" TIMESTAMP(3) NOT NULL\n);',
      errors: [{ text: 'TIMESTAMP(3)', message: /"User"\."createdAt" is timestamp without time zone.*timestamptz\(3\)/ }, { text: 'TIMESTAMP(3)' }],
      output: 'CREATE TABLE IF NOT EXISTS "User" (\n    "id" TEXT NOT NULL,\n    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,\n    "updatedAt" TIMESTAMPTZ(3) NOT NULL\n);',
    },
    {
      name: 'without time zone spelled out, several subcommands, schema-qualified',
      sql: 'ALTER TABLE app.events ADD COLUMN seen_at timestamp without time zone, ALTER COLUMN at TYPE timestamp[];',
      errors: [{ text: 'timestamp without time zone', message: /"app\.events"\."seen_at"/ }, { text: 'timestamp' }],
      output: 'ALTER TABLE app.events ADD COLUMN seen_at timestamptz, ALTER COLUMN at TYPE timestamptz[];',
    },
  ],
});
