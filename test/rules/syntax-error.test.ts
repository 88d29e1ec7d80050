import { ruleTests } from '../support/rule-tester';

ruleTests('syntax-error', {
  valid: [
    { sql: 'CREATE TABLE a (id int PRIMARY KEY);\nSELECT 1;' },
    { name: 'empty file', sql: '' },
    { name: 'only comments', sql: '-- nothing to see\n/* here */\n' },
    { name: 'psql meta-commands are skipped', sql: '\\set ON_ERROR_STOP on\n\\c mydb\nSELECT 1;\n' },
    { name: 'dollar-quoted body with semicolons', sql: 'CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$ BEGIN RETURN 1; END; $body$;' },
    { name: 'BEGIN ATOMIC body', sql: 'CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;\nSELECT 3;' },
    { name: 'COPY data is not SQL', sql: 'COPY t (a, b) FROM stdin;\n1\tfoo;bar\n2\tbaz\n\\.\nSELECT 1;' },
    { name: 'goose annotations', sql: '-- +goose Up\n-- +goose StatementBegin\nCREATE TABLE t (id int);\n-- +goose StatementEnd\n-- +goose Down\nDROP TABLE t;' },
    { name: 'drizzle breakpoints', sql: 'CREATE TABLE "a" ("id" serial);--> statement-breakpoint\nCREATE TABLE "b" ("id" serial);' },
  ],
  invalid: [
    { sql: 'SELECT 1;\nSELEC 2;\nSELECT 3;', errors: [{ text: 'SELEC', message: /^syntax error at or near "SELEC"$/ }] },
    {
      name: 'two bad statements both reported, the good one between them is still parsed',
      sql: 'CREAT TABLE a (id int);\nCREATE TABLE b (id int);\nALTER TABEL b ADD c int;',
      errors: [{ text: 'CREAT' }, { text: 'TABEL' }],
    },
    { name: 'error after non-ASCII text points at the right UTF-16 column', sql: "SELECT 'héllo 😀 wörld' AS \"naïve\" FRM t;", errors: [{ text: 'FRM', message: /syntax error at or near "FRM"/ }] },
    { name: 'end of input', sql: 'SELECT (1 + ', errors: [{ message: /at end of input/ }] },
    { name: 'unterminated quote', sql: "SELECT 'abc", errors: [{ message: /unterminated quoted string/ }] },
    { name: 'psql variables: info, not an error', sql: "SELECT * FROM t WHERE id = :'id';", errors: [{ message: /psql variables/ }] },
    { name: 'templated file: said once', sql: 'CREATE TABLE {{ index .Options "Namespace" }}.users (id int);\nALTER TABLE {{ index .Options "Namespace" }}.users ADD x int;', errors: [{ message: /template: 2 statements/ }] },
  ],
});
