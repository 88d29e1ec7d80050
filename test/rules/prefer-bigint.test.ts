import { ruleTests } from '../support/rule-tester';

ruleTests('prefer-bigint', {
  valid: [
    { sql: 'CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY, n bigserial, x numeric);' },
    { name: 'casts are not columns', sql: 'SELECT 1::int, CAST(x AS smallint) FROM t;' },
    { name: 'a user type named like int', sql: 'CREATE TABLE t (a app.int4);' },
  ],
  invalid: [
    {
      name: 'Prisma Int and autoincrement',
      sql: 'CREATE TABLE "Post" (\n    "id" SERIAL NOT NULL,\n    "views" INTEGER NOT NULL DEFAULT 0\n);',
      errors: [{ text: 'SERIAL', message: /"Post"\."id" is serial, which stops at 2,147,483,647.*bigserial/ }, { text: 'INTEGER', message: /bigint/ }],
      output: 'CREATE TABLE "Post" (\n    "id" BIGSERIAL NOT NULL,\n    "views" BIGINT NOT NULL DEFAULT 0\n);',
    },
    {
      // From prisma-examples' heroku init migration: widening "User"."id" alone would leave "Post"."authorId" an integer
      // referencing a bigint (foreign-key-type-mismatch), so the key's fix widens the referencing column too.
      name: 'a key and the foreign key column referencing it, both declared in the file',
      sql: 'CREATE TABLE "User" (\n    "id" SERIAL NOT NULL,\n    PRIMARY KEY ("id")\n);\nCREATE TABLE "Post" (\n    "id" BIGSERIAL NOT NULL,\n    "authorId" INTEGER\n);\nALTER TABLE "Post" ADD FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE SET NULL;',
      errors: [{ text: 'SERIAL', message: /"User"\."id" is serial/ }, { text: 'INTEGER', message: /"Post"\."authorId" is int4/ }],
      output: 'CREATE TABLE "User" (\n    "id" BIGSERIAL NOT NULL,\n    PRIMARY KEY ("id")\n);\nCREATE TABLE "Post" (\n    "id" BIGSERIAL NOT NULL,\n    "authorId" BIGINT\n);\nALTER TABLE "Post" ADD FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE SET NULL;',
    },
    {
      name: 'ADD COLUMN and ALTER TYPE, arrays keep their brackets',
      sql: 'ALTER TABLE IF EXISTS app.t ADD COLUMN IF NOT EXISTS ids int[], ALTER COLUMN n TYPE smallint USING n::smallint;',
      errors: [{ text: 'int', message: /"app\.t"\."ids" is int4/ }, { text: 'smallint', message: /32,767/ }],
      output: 'ALTER TABLE IF EXISTS app.t ADD COLUMN IF NOT EXISTS ids bigint[], ALTER COLUMN n TYPE bigint USING n::smallint;',
    },
  ],
});
