import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { detectFileContext } from '../../core/src/catalog/layouts';
import { startPostgres, type PostgresServer } from '../support/postgres';

/**
 * Prisma Migrate (before 7.4) and golang-migrate send a migration file as one simple-protocol query string.
 * PostgreSQL makes a string of several statements one implicit transaction block and runs a string of one
 * statement outside any block. The layouts' `transactional` must agree with what the server does.
 */
let server: PostgresServer;
let client: Client;

before(async () => {
  server = await startPostgres();
  client = new Client({ connectionString: server.url() });
  await client.connect();
  await client.query('CREATE TABLE t (a int, b int)');
});
after(async () => {
  await client?.end();
  server?.stop();
});

/** Runs `sql` as one query string (node-postgres uses the simple protocol when there are no parameters). */
async function runAsOneString(sql: string): Promise<string | undefined> {
  try {
    await client.query(sql);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

const cases: { name: string; sql: string; fails: boolean }[] = [
  { name: 'the only statement, between comments', sql: '-- CreateIndex\nCREATE INDEX CONCURRENTLY i1 ON t (a);\n/* done */\n', fails: false },
  { name: 'the only statement, with a stray semicolon', sql: 'CREATE INDEX CONCURRENTLY i2 ON t (b);\n;\n', fails: false },
  { name: 'DROP INDEX CONCURRENTLY alone', sql: 'DROP INDEX CONCURRENTLY i2;', fails: false },
  { name: 'after a SET', sql: "SET lock_timeout = '5s';\nCREATE INDEX CONCURRENTLY i3 ON t (a);", fails: true },
  { name: 'before another statement', sql: 'CREATE INDEX CONCURRENTLY i4 ON t (b);\nSELECT 1;', fails: true },
];

describe('one query string: CONCURRENTLY alone runs, with a second statement it fails', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const error = await runAsOneString(c.sql);
      if (c.fails) assert.match(error ?? 'it succeeded', /cannot run inside a transaction block/);
      else assert.equal(error, undefined);
      for (const path of ['/p/prisma/migrations/20240101000000_x/migration.sql', '/p/db/migrations/000001_x.up.sql']) {
        const context = detectFileContext(path, c.sql);
        assert.equal(context.transactional, c.fails, `${context.layout}: ${context.transactionReason}`);
      }
    });
  }
});
