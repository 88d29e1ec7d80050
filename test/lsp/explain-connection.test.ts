/**
 * EXPLAIN and "pgvet: Test Connection" on a configured connection, run by the language server: the client
 * resolves the connection (password from SecretStorage) and sends it with the request. A real PostgreSQL server
 * with scram authentication.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { connectPg } from '../../core/src/explain/adapters';
import type { ConfirmExplainParams, ExplainConnection, ExplainParams, ExplainResponse, TestConnectionParams, TestConnectionResult } from '../../core/src/protocol';
import { postgresAvailable, startTestServer, type TestServer } from '../explain/pg-server';
import { startOnWorkspace, type WorkspaceSession } from '../support/lsp-client';
import { closedPort } from '../support/ports';

describe('language server: EXPLAIN on a connection', { skip: !postgresAvailable() && 'no PostgreSQL binaries' }, () => {
  let server: TestServer;
  let session: WorkspaceSession;
  let connection: ExplainConnection;
  const asked: ConfirmExplainParams[] = [];

  before(async () => {
    server = await startTestServer();
    const admin = await connectPg({ host: server.host, port: server.port, user: server.user, password: server.password, database: server.database });
    await admin.client.query('CREATE TABLE items (id int PRIMARY KEY, price int NOT NULL)');
    await admin.client.query('INSERT INTO items SELECT g, g FROM generate_series(1, 30) g');
    await admin.end();
    connection = { host: server.host, port: server.port, user: server.user, password: server.password, database: server.database, sslmode: 'disable' };
    session = await startOnWorkspace('pgvet-lsp-explain-pg-', { 'queries/q.sql': 'SELECT 1;\n' });
    session.client.connection.onRequest('pgvet/confirmExplain', (p: ConfirmExplainParams) => {
      asked.push(p);
      return true;
    });
  });
  after(async () => {
    await session?.dispose();
    await server?.stop();
  });

  const explain = (sql: string, target: ExplainParams['target'], params: string[] = []) =>
    session.client.connection.sendRequest<ExplainResponse>('pgvet/explain', {
      uri: pathToFileURL(join(session.root, 'queries/q.sql')).toString(), sql, params, analyze: true, target, statementTimeoutMs: 30_000, lockTimeoutMs: 5_000,
    } satisfies ExplainParams);

  test('a DELETE is confirmed through the client, runs on the server and is rolled back', async () => {
    const target = { kind: 'connection' as const, name: 'test', label: 'test (127.0.0.1)', connection };
    const deleted = await explain('DELETE FROM items WHERE price > $1', target, ['0']);
    assert.ok(deleted.ok, !deleted.ok ? deleted.error.message : '');
    assert.deepEqual(deleted.source, { kind: 'connection', label: 'test (127.0.0.1)' });
    assert.equal(asked.length, 1);
    const select = await explain('SELECT * FROM items', target);
    assert.ok(select.ok);
    assert.equal((select.plan as { Plan: { 'Actual Rows': number } }[])[0].Plan['Actual Rows'], 30, 'the DELETE was rolled back');
  });

  test('a wrong password: a connection failure that says so, without the password, and nothing in the server log', async () => {
    const wrong = 'Wr0ng-Pa55word-7d1e';
    const response = await explain('SELECT 1', { kind: 'connection', name: 'test', label: 'test', connection: { ...connection, password: wrong } });
    assert.ok(!response.ok);
    assert.equal(response.error.kind, 'connection');
    assert.match(response.error.message, /password/i);
    assert.ok(!JSON.stringify(response).includes(wrong));
    assert.ok(!session.client.stderr.includes(wrong) && !session.client.stderr.includes(server.password));
  });

  const testConnection = (c: ExplainConnection) => session.client.connection.sendRequest<TestConnectionResult>('pgvet/testConnection', { connection: c } satisfies TestConnectionParams);

  test('Test Connection: the server connects and says as whom, to which database, on which PostgreSQL, and without TLS', async () => {
    const result = await testConnection(connection);
    assert.ok(result.ok, !result.ok ? result.message : '');
    assert.equal(result.user, server.user);
    assert.equal(result.database, server.database);
    assert.match(result.version, /^PostgreSQL \d+/);
    assert.ok(!result.version.includes(' on '), 'the platform part is cut off');
    assert.equal(result.tls, undefined, 'sslmode disable: no TLS');
  });

  test('Test Connection on a port nobody listens on: a failure that says what to change, without the password', async () => {
    const port = await closedPort();
    const result = await testConnection({ ...connection, port });
    assert.ok(!result.ok);
    assert.match(result.message, new RegExp(`Connection refused at .*${port}`));
    assert.match(result.message, /Check the host and port/);
    assert.ok(!result.message.includes(server.password));
  });
});
