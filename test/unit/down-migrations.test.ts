import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { resolveConfig } from '../../core/src/engine/resolve-config';
import { DEFAULT_PGVET_JSON } from '../../core/src/config/schema';
import { lintSql } from '../../core/src/engine/lint';
import { initParser } from '../../core/src/parse/sql/parser';
import { RULES } from '../../core/src/rules';

/** Lock, rewrite and rename rules stay quiet in the part of a migration that runs on a rollback; other rules do not. */
const config = resolveConfig(DEFAULT_PGVET_JSON);
const ruleIds = (path: string, text: string) => lintSql({ text, path, config }).findings.map((f) => f.ruleId).sort();

const LOCKING = 'DROP INDEX users_email_idx;\nALTER TABLE users RENAME COLUMN mail TO email;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;\n';

before(() => initParser());

describe('down migrations', () => {
  test('the same statements warn in an up file and not in its golang-migrate down file', () => {
    const up = ruleIds('/p/migrations/000002_users.up.sql', LOCKING);
    assert.deepEqual(up, ['renaming-column', 'require-concurrent-index-deletion', 'setting-not-null']);
    assert.deepEqual(ruleIds('/p/migrations/000002_users.down.sql', LOCKING), []);
  });

  test('diesel down.sql and Flyway undo files are down files', () => {
    assert.deepEqual(ruleIds('/p/migrations/2024-01-01-000000_users/down.sql', LOCKING), []);
    assert.deepEqual(ruleIds('/p/db/migration/U2__users.sql', LOCKING), []);
  });

  test('goose: the Up section is checked, the Down section is not', () => {
    const text = `-- +goose Up\nCREATE INDEX users_name_idx ON users (name);\n-- +goose Down\n${LOCKING}`;
    const findings = lintSql({ text, path: '/p/db/migrations/00002_users.sql', config }).findings;
    const down = text.indexOf('-- +goose Down');
    assert.deepEqual(findings.filter((f) => f.start < down).map((f) => f.ruleId), ['require-concurrent-index-creation']);
    assert.deepEqual(findings.filter((f) => f.start >= down).map((f) => f.ruleId), []);
  });

  test('dbmate: migrate:down is not checked for locks', () => {
    const text = `-- migrate:up\nCREATE INDEX users_name_idx ON users (name);\n\n-- migrate:down\n${LOCKING}`;
    assert.deepEqual(ruleIds('/p/db/migrations/20240101000000_users.sql', text), ['require-concurrent-index-creation']);
  });

  test('a statement that cannot run at all is still reported in a down section', () => {
    const text = '-- +goose Up\nSELECT 1;\n-- +goose Down\nDROP INDEX CONCURRENTLY users_name_idx;\nDROP TABLE users;\n';
    assert.ok(ruleIds('/p/db/migrations/00003_users.sql', text).includes('concurrently-in-transaction'));
    assert.ok(ruleIds('/p/db/migrations/00003_users.sql', text.replace('DROP TABLE users;\n', 'SELEC;\n')).includes('syntax-error'));
  });

  test('every safety rule but those about statements that fail is quiet in down migrations', () => {
    const loud = RULES.filter((r) => r.meta.category === 'safety' && r.meta.inDownMigrations).map((r) => r.id);
    // Both report statements PostgreSQL rejects: a down migration that fails is as broken as an up.
    assert.deepEqual(loud, ['concurrently-in-transaction', 'partition-key-not-in-unique']);
  });
});
