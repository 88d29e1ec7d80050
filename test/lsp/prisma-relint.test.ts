import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { LspClient } from '../support/lsp-client';

// The diagnostics of a file of a multi-file Prisma schema depend on the other files (Post's relation to User
// is an FK only while a model User exists) and on the migrations beside the schema (drift). When those change,
// the open file is linted again and published at its own, unchanged version.

const MAIN = 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n\ngenerator client {\n  provider        = "prisma-client-js"\n  previewFeatures = ["prismaSchemaFolder"]\n}\n';
const USER = 'model User {\n  id    Int    @id @default(autoincrement())\n  email String @unique\n  posts Post[]\n}\n';
const ACCOUNT = USER.replace('model User {', 'model Account {');
const POST = 'model Post {\n  id       Int    @id @default(autoincrement())\n  title    String\n  authorId Int\n  author   User   @relation(fields: [authorId], references: [id])\n}\n';
const POST_INDEXED = POST.replace('[id])\n}', '[id])\n\n  @@index([authorId])\n}');

const unindexed = (p: PublishDiagnosticsParams): Diagnostic[] => p.diagnostics.filter((d) => d.code === 'unindexed-foreign-key');
const messageOf = (d: Diagnostic): string => (typeof d.message === 'string' ? d.message : d.message.value);

/** Every publication for `uri` from now on (a waiter that never resolves sees each one). */
function record(client: LspClient, uri: string): PublishDiagnosticsParams[] {
  const seen: PublishDiagnosticsParams[] = [];
  let armed = false; // waitForDiagnostics first shows the waiter the latest publication, already received
  void client.waitForDiagnostics(uri, (p) => {
    if (armed) seen.push(p);
    return false;
  });
  armed = true;
  return seen;
}

async function indexedServer(root: string): Promise<LspClient> {
  const client = await LspClient.start({ rootUri: pathToFileURL(root).toString() });
  await new Promise<void>((resolve) => client.connection.onNotification('pgvet/indexed', () => resolve()));
  return client;
}

describe('language server: the other open files of a split Prisma schema follow its changes', { timeout: 30_000 }, () => {
  let client: LspClient;
  let root: string;
  let schemaDir: string;
  let postUri: string;
  let userUri: string;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'pgvet-prisma-relint-'));
    schemaDir = join(root, 'prisma', 'schema');
    mkdirSync(schemaDir, { recursive: true });
    writeFileSync(join(schemaDir, 'schema.prisma'), MAIN);
    writeFileSync(join(schemaDir, 'user.prisma'), USER);
    writeFileSync(join(schemaDir, 'post.prisma'), POST);
    postUri = pathToFileURL(join(schemaDir, 'post.prisma')).toString();
    userUri = pathToFileURL(join(schemaDir, 'user.prisma')).toString();
    client = await indexedServer(root);
  });
  after(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

  test('typing in one open file re-lints the other, once, at its unchanged version; that re-lint re-lints nothing', async () => {
    await client.open(postUri, POST, 'prisma');
    assert.equal(unindexed(await client.diagnosticsFor(postUri, 1)).length, 1);
    await client.open(userUri, USER, 'prisma');
    await client.diagnosticsFor(userUri, 1);
    const postLog = record(client, postUri);
    const userLog = record(client, userUri);

    // User renamed in the editor: Post's relation points at no model any more, so it has no FK to index.
    const renamed = await client.change(userUri, ACCOUNT);
    await client.diagnosticsFor(userUri, renamed);
    const relinted = await client.waitForDiagnostics(postUri, (p) => p.version === 1 && unindexed(p).length === 0);
    assert.equal(client.texts.get(postUri)!.version, 1, 'post.prisma itself was not changed');
    assert.equal(relinted.version, 1);

    // A lint the server schedules after the re-lint of post.prisma: had that re-lint re-linted user.prisma
    // (a loop), user.prisma's publication would come first.
    const barrier = pathToFileURL(join(root, 'barrier.sql')).toString();
    await client.open(barrier, 'SELECT 1;');
    await client.diagnosticsFor(barrier, 1);
    const barrierVersion = await client.change(barrier, 'SELECT 2;');
    await client.diagnosticsFor(barrier, barrierVersion);
    assert.deepEqual(userLog.map((p) => p.version), [renamed], 'user.prisma: only its own edit was published');
    assert.deepEqual(postLog.map((p) => [p.version, unindexed(p).length]), [[1, 0]], 'post.prisma: one re-lint');

    // Renamed back: the FK and its warning return on post.prisma, still at version 1.
    const back = await client.change(userUri, USER);
    await client.diagnosticsFor(userUri, back);
    const again = await client.waitForDiagnostics(postUri, (p) => p.version === 1 && unindexed(p).length === 1);
    assert.match(messageOf(unindexed(again)[0]), /"Post"/);
  });

  test('closing an open file without saving re-lints the others with its text on disk', async () => {
    const renamed = await client.change(userUri, ACCOUNT);
    await client.diagnosticsFor(userUri, renamed);
    await client.waitForDiagnostics(postUri, (p) => p.version === 1 && unindexed(p).length === 0);
    client.texts.delete(userUri);
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: userUri } });
    const onDisk = await client.waitForDiagnostics(postUri, (p) => p.version === 1 && unindexed(p).length === 1);
    assert.equal(onDisk.version, 1);
  });

  test('on disk: a file of the schema that is not open changes, appears or goes; the open ones are linted again', async () => {
    // user.prisma is closed now: a git checkout renames User on disk.
    const userPath = join(schemaDir, 'user.prisma');
    writeFileSync(userPath, ACCOUNT);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: userUri, type: 2 }] });
    await client.waitForDiagnostics(postUri, (p) => p.version === 1 && unindexed(p).length === 0);

    // A new file brings a model User back: the FK is there again.
    const peoplePath = join(schemaDir, 'people.prisma');
    writeFileSync(peoplePath, USER);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(peoplePath).toString(), type: 1 }] });
    await client.waitForDiagnostics(postUri, (p) => p.version === 1 && unindexed(p).length === 1);

    // It goes again.
    rmSync(peoplePath);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(peoplePath).toString(), type: 3 }] });
    const gone = await client.waitForDiagnostics(postUri, (p) => p.version === 1 && unindexed(p).length === 0);
    assert.equal(gone.version, 1);
  });
});

// Prisma 6.7+: schema.prisma with the datasource at the top of prisma/, the models below it, prisma/migrations
// beside it. The drift rule compares the schema with what the migrations build: an unsaved edit to a
// migration (the workspace index's catalog holds it) re-lints the open model file.
describe('language server: open .prisma files follow the migrations beside their schema', { timeout: 30_000 }, () => {
  let client: LspClient;
  let root: string;
  let postUri: string;
  let migrationUri: string;
  const INIT = [
    'CREATE TABLE "User" ("id" SERIAL NOT NULL, "email" TEXT NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));',
    'CREATE TABLE "Post" ("id" SERIAL NOT NULL, "title" TEXT NOT NULL, "authorId" INTEGER NOT NULL, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));',
    'CREATE UNIQUE INDEX "User_email_key" ON "User"("email");',
    'ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;',
    '',
  ].join('\n');
  const INIT_INDEXED = INIT + 'CREATE INDEX "Post_authorId_idx" ON "Post"("authorId");\n';

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'pgvet-prisma-relint-history-'));
    writeFileSync(join(root, 'package.json'), '{ "name": "app", "private": true }\n');
    const prisma = join(root, 'prisma');
    mkdirSync(join(prisma, 'models'), { recursive: true });
    writeFileSync(join(prisma, 'schema.prisma'), MAIN.replace('\n  previewFeatures = ["prismaSchemaFolder"]', ''));
    writeFileSync(join(prisma, 'models', 'user.prisma'), USER);
    writeFileSync(join(prisma, 'models', 'post.prisma'), POST_INDEXED);
    postUri = pathToFileURL(join(prisma, 'models', 'post.prisma')).toString();
    const init = join(prisma, 'migrations', '20240101000000_init');
    mkdirSync(init, { recursive: true });
    writeFileSync(join(prisma, 'migrations', 'migration_lock.toml'), 'provider = "postgresql"\n');
    writeFileSync(join(init, 'migration.sql'), INIT);
    migrationUri = pathToFileURL(join(init, 'migration.sql')).toString();
    client = await indexedServer(root);
  });
  after(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

  test('an unsaved edit to a migration re-lints the open model file checked against that history', async () => {
    await client.open(postUri, POST_INDEXED, 'prisma');
    const first = await client.diagnosticsFor(postUri, 1);
    assert.deepEqual(first.diagnostics.map((d) => d.code), ['schema-migration-drift']);
    assert.match(messageOf(first.diagnostics[0]), /"Post_authorId_idx"\) that the migrations never create/);

    await client.open(migrationUri, INIT);
    await client.diagnosticsFor(migrationUri, 1);
    const indexed = await client.change(migrationUri, INIT_INDEXED);
    await client.diagnosticsFor(migrationUri, indexed);
    const inStep = await client.waitForDiagnostics(postUri, (p) => p.version === 1 && p.diagnostics.length === 0);
    assert.equal(inStep.version, 1);

    // Undone in the editor: the drift is back.
    const undone = await client.change(migrationUri, INIT);
    await client.diagnosticsFor(migrationUri, undone);
    const drift = await client.waitForDiagnostics(postUri, (p) => p.version === 1 && p.diagnostics.length === 1);
    assert.equal(drift.diagnostics[0].code, 'schema-migration-drift');
  });
});
