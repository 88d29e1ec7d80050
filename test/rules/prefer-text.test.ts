import { ruleTests } from '../support/rule-tester';

ruleTests('prefer-text', {
  valid: [
    { sql: 'CREATE TABLE t (a text, b varchar, c "char");' },
    { name: 'a cast is not a column', sql: "SELECT 'x'::varchar(3);" },
  ],
  invalid: [
    {
      name: 'Prisma @db.VarChar',
      sql: 'CREATE TABLE "User" (\n    "email" VARCHAR(255) NOT NULL,\n    "country" CHAR(2)\n);',
      errors: [{ text: 'VARCHAR(255)', message: /"User"\."email" is varchar\(255\).*ACCESS EXCLUSIVE.*CHECK \(char_length\("email"\) <= 255\)/ }, { text: 'CHAR(2)', message: /pads values with spaces/ }],
      output: 'CREATE TABLE "User" (\n    "email" TEXT NOT NULL,\n    "country" TEXT\n);',
    },
    {
      name: 'character varying, schema-qualified ALTER with several subcommands',
      sql: 'ALTER TABLE app.t ADD COLUMN name character varying(100) NOT NULL DEFAULT \'\', ALTER COLUMN code TYPE character(3);',
      errors: [{ text: 'character varying(100)', message: /"app\.t"\."name"/ }, { text: 'character(3)', message: /char\(3\)/ }],
      output: 'ALTER TABLE app.t ADD COLUMN name text NOT NULL DEFAULT \'\', ALTER COLUMN code TYPE text;',
    },
  ],
});
