import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { initParser } from '../../core/src/parse/sql/parser';
import { catalogRuleTests } from '../support/catalog-rule-tester';
import { lintPairedHistory } from '../reversibility/paired-history';

// goose and dbmate: the down shares the file, so the fix adds the missing statements to it.
catalogRuleTests('down-does-not-revert-up', {
  valid: [
    { files: { 'db/migrations/00001_users.sql': '-- +goose Up\nCREATE TABLE users (id int);\nCREATE INDEX users_id_idx ON users (id);\n\n-- +goose Down\nDROP TABLE users;\n' } },
    { files: { 'db/migrations/20240101000000_users.sql': '-- migrate:up\nCREATE TABLE users (id int);\nALTER TABLE users ENABLE ROW LEVEL SECURITY;\n\n-- migrate:down\nDROP TABLE users;\n' } },
    { name: 'no down: missing-down-migration reports it', files: { 'db/migrations/00001_users.sql': '-- +goose Up\nCREATE TABLE users (id int);\n' } },
  ],
  invalid: [
    {
      name: 'goose down forgets an index and a policy',
      files: {
        'db/migrations/00001_users.sql': '-- +goose Up\nCREATE TABLE users (id int, email text);\n\n-- +goose Down\nDROP TABLE users;\n',
        'db/migrations/00002_email.sql': '-- +goose Up\nCREATE INDEX users_email_idx ON users (email);\nALTER TABLE users ENABLE ROW LEVEL SECURITY;\nCREATE POLICY own ON users USING (true);\n\n-- +goose Down\nDROP POLICY own ON users;\n',
      },
      errors: [{
        file: 'db/migrations/00002_email.sql',
        message: /index "users_email_idx" on "public"."users" is left over; row level security of "public"."users" differs: enabled, was disabled/,
      }],
      output: {
        'db/migrations/00002_email.sql': '-- +goose Up\nCREATE INDEX users_email_idx ON users (email);\nALTER TABLE users ENABLE ROW LEVEL SECURITY;\nCREATE POLICY own ON users USING (true);\n\n-- +goose Down\nDROP POLICY own ON users;\n'
          + 'DROP INDEX users_email_idx;\nALTER TABLE users DISABLE ROW LEVEL SECURITY;\n',
      },
    },
    {
      name: 'dbmate down drops the column it should keep',
      files: {
        'db/migrations/20240101000000_users.sql': '-- migrate:up\nCREATE TABLE users (id int, name varchar(50));\n\n-- migrate:down\nDROP TABLE users;\n',
        'db/migrations/20240102000000_wider.sql': '-- migrate:up\nALTER TABLE users ALTER COLUMN name TYPE text;\n\n-- migrate:down\nALTER TABLE users DROP COLUMN name;\n',
      },
      errors: [{ file: 'db/migrations/20240102000000_wider.sql', message: /column "public"."users"."name" is missing/ }],
      output: {
        'db/migrations/20240102000000_wider.sql': '-- migrate:up\nALTER TABLE users ALTER COLUMN name TYPE text;\n\n-- migrate:down\nALTER TABLE users DROP COLUMN name;\n'
          + 'ALTER TABLE users ADD COLUMN name character varying(50);\n',
      },
    },
  ],
});

// Separate down files, each paired layout: a down that misses the index is named; a complete one is not.
const UP = 'CREATE TABLE users (id int PRIMARY KEY, email text);\nCREATE INDEX users_email_idx ON users (email);\n';
const PARTIAL = 'DROP INDEX users_email_idx;\n';
const FULL = 'DROP TABLE users;\n';
const layouts: { layout: string; folder: string; up: string; down: string; extra?: Record<string, string> }[] = [
  { layout: 'golang-migrate', folder: 'migrations', up: 'migrations/000001_users.up.sql', down: 'migrations/000001_users.down.sql' },
  { layout: 'diesel', folder: 'migrations', up: 'migrations/2024-01-01-000000_users/up.sql', down: 'migrations/2024-01-01-000000_users/down.sql' },
  { layout: 'flyway', folder: 'sql', up: 'sql/V1__users.sql', down: 'sql/U1__users.sql' },
  { layout: 'pop', folder: 'migrations', up: 'migrations/20240101000000_users.postgres.up.sql', down: 'migrations/20240101000000_users.postgres.down.sql' },
  { layout: 'sqitch', folder: 'db', up: 'db/deploy/users.sql', down: 'db/revert/users.sql', extra: { 'db/sqitch.plan': '%project=app\nusers 2024-01-01T00:00:00Z dev <dev@example.com> # users\n' } },
];

describe('down-does-not-revert-up, separate down files', () => {
  before(() => initParser());
  for (const l of layouts) {
    test(`${l.layout}: valid when the down reverts the up`, () => {
      assert.deepEqual(lintPairedHistory('down-does-not-revert-up', l.folder, { ...l.extra, [l.up]: UP, [l.down]: FULL }).map((f) => f.message), []);
    });
    test(`${l.layout}: invalid when the down leaves the table behind`, () => {
      const found = lintPairedHistory('down-does-not-revert-up', l.folder, { ...l.extra, [l.up]: UP, [l.down]: PARTIAL });
      assert.equal(found.length, 1);
      assert.equal(found[0].file, l.up);
      assert.match(found[0].message, /table "public"."users" is left over\. Add to [^:]+: DROP TABLE users;/);
    });
  }
});
