import { ruleTests } from '../support/rule-tester';

ruleTests('changing-column-type', {
  valid: [
    { name: 'table created earlier in the same file', sql: 'CREATE TABLE "Post" ("id" INTEGER, "title" VARCHAR(100));\nALTER TABLE "Post" ALTER COLUMN "title" SET DATA TYPE TEXT;' },
    { name: 'other column changes', sql: 'ALTER TABLE t ALTER COLUMN c SET DEFAULT 0, ALTER COLUMN c DROP NOT NULL;' },
    { name: 'widening a varchar added in this file', sql: 'ALTER TABLE t ADD COLUMN code varchar(10);\nALTER TABLE t ALTER COLUMN code TYPE varchar(20);' },
    { name: 'numeric precision raised, same scale', sql: 'ALTER TABLE t ADD COLUMN price numeric(10,2);\nALTER TABLE t ALTER COLUMN price TYPE numeric(12,2);' },
    // The current type from an earlier migration of the history: changes that rewrite nothing (see changing-column-type.pg.test.ts).
    ...([
      ['varchar(20)', 'VARCHAR(255)'], ['varchar(20)', 'TEXT'], ['varchar', 'text'], ['text', 'varchar'], ['numeric(10,2)', 'numeric'], ['numeric(10,2)', 'numeric(12,2)'],
      ['cidr', 'inet'], ['varbit(8)', 'varbit(16)'], ['varbit(8)', 'varbit'], ['timestamp(3)', 'timestamp(6)'], ['timestamptz(3)', 'timestamptz'],
    ] as const).map(([from, to]) => ({
      name: `${from} → ${to}, the column declared by an earlier migration`,
      history: [`CREATE TABLE "Post" ("id" INTEGER, "c" ${from});`],
      sql: `ALTER TABLE "Post" ALTER COLUMN "c" SET DATA TYPE ${to};`,
    })),
  ],
  invalid: [
    {
      name: 'Prisma',
      path: '/p/prisma/migrations/20240101000000_bigint/migration.sql',
      sql: '-- AlterTable\nALTER TABLE "Order" ALTER COLUMN "amount" SET DATA TYPE BIGINT;\n',
      errors: [{ text: 'ALTER COLUMN "amount" SET DATA TYPE BIGINT', message: /"Order"\."amount" to BIGINT rewrites the whole table.*ACCESS EXCLUSIVE/ }],
    },
    {
      name: 'text target with unknown source: the message says how to tell',
      sql: 'ALTER TABLE IF EXISTS app.users ALTER COLUMN name TYPE text, ALTER COLUMN age TYPE smallint USING age::smallint;',
      errors: [{ text: 'ALTER COLUMN name TYPE text', message: /binary-coercible/ }, { text: 'ALTER COLUMN age TYPE smallint USING age::smallint', message: /^(?!.*binary-coercible)/ }],
    },
    {
      name: 'varchar to text after an earlier change in this file: only the first change is reported',
      sql: 'ALTER TABLE app.t ALTER COLUMN c TYPE varchar(50);\nALTER TABLE app.t ALTER COLUMN c TYPE text;',
      errors: [{ text: 'ALTER COLUMN c TYPE varchar(50)' }],
    },
    { name: 'narrowing a varchar added in this file', sql: 'ALTER TABLE t ADD COLUMN code varchar(20);\nALTER TABLE t ALTER COLUMN code TYPE varchar(10);', errors: [{ message: /to varchar\(10\)/ }] },
    {
      name: 'timestamp → timestamptz from the history: no rewrite only in UTC, and the index is rebuilt anyway',
      history: ['CREATE TABLE events (id int, at timestamp);', 'CREATE INDEX events_at ON events (at);'],
      sql: 'ALTER TABLE events ALTER COLUMN at TYPE timestamptz;',
      errors: [{ text: 'ALTER COLUMN at TYPE timestamptz', message: /from timestamp without time zone to timestamptz rewrites the whole table .* unless the session TimeZone is UTC: then PostgreSQL 12\+ keeps the rows, but the indexes on the column are still rebuilt/ }],
    },
    {
      name: 'Prisma\'s TIMESTAMP(3) → TIMESTAMPTZ(3) rewrites even in UTC (the rounding to 3 digits runs)',
      history: ['CREATE TABLE "User" ("id" TEXT NOT NULL, "createdAt" TIMESTAMP(3) NOT NULL);'],
      sql: 'ALTER TABLE "User" ALTER COLUMN "createdAt" SET DATA TYPE TIMESTAMPTZ(3);',
      errors: [{ message: /^Changing "User"."createdAt" from timestamp\(3\) without time zone to TIMESTAMPTZ\(3\) rewrites the whole table(?!.*UTC)(?!.*binary-coercible)/ }],
    },
    {
      name: 'a shorter varchar than the history\'s: rewrite, and the message names the current type',
      history: ['CREATE TABLE t (code varchar(255));'],
      sql: 'ALTER TABLE t ALTER COLUMN code TYPE varchar(20);',
      errors: [{ message: /from character varying\(255\) to varchar\(20\) rewrites(?!.*binary-coercible)/ }],
    },
    {
      name: 'a USING clause computes every value anew, even for a free change',
      history: ['CREATE TABLE t (code varchar(20));'],
      sql: 'ALTER TABLE t ALTER COLUMN code TYPE text USING trim(code);',
      errors: [{ message: /rewrites the whole table/ }],
    },
    {
      name: 'varchar(20)[] → text[] rewrites (arrays are coerced element by element)',
      history: ['CREATE TABLE t (tags varchar(20)[]);'],
      sql: 'ALTER TABLE t ALTER COLUMN tags TYPE text[];',
      errors: [{ message: /from character varying\(20\)\[\] to text\[\] rewrites the whole table/ }],
    },
    { name: 'bit → varbit keeps the rows, rebuilds the indexes', history: ['CREATE TABLE t (flags bit(3));'], sql: 'ALTER TABLE t ALTER COLUMN flags TYPE varbit;', errors: [{ message: /keeps the rows but rebuilds the indexes/ }] },
    { name: 'timestamp with time zone', sql: 'ALTER TABLE t ALTER created_at TYPE timestamp(3) with time zone;', errors: [{ message: /to timestamp\(3\) with time zone rewrites/ }] },
  ],
});
