import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { LspClient } from '../support/lsp-client';

// A split schema as Prisma's prismaSchemaFolder lays it out: the datasource and generator in one file, the
// models spread over others. Post's relation to User (defined in another file, never opened) makes an FK
// with no index, reported on post.prisma.

const MAIN = 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n\ngenerator client {\n  provider        = "prisma-client-js"\n  previewFeatures = ["prismaSchemaFolder"]\n}\n';
const USER = 'model User {\n  id    Int    @id @default(autoincrement())\n  email String @unique\n  posts Post[]\n}\n';
const POST = 'model Post {\n  id       Int    @id @default(autoincrement())\n  title    String\n  authorId Int\n  author   User   @relation(fields: [authorId], references: [id])\n}\n';
const POST_INDEXED = POST.replace('[id])\n}', '[id])\n\n  @@index([authorId])\n}');

const unindexed = (p: PublishDiagnosticsParams): Diagnostic[] => p.diagnostics.filter((d) => d.code === 'unindexed-foreign-key');
const messageOf = (d: Diagnostic): string => (typeof d.message === 'string' ? d.message : d.message.value);

describe('language server: a Prisma schema split over a prisma/schema/ folder', () => {
  let client: LspClient;
  let root: string;
  let schemaDir: string;
  let postPath: string;
  let postUri: string;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'pgvet-prisma-folder-'));
    schemaDir = join(root, 'prisma', 'schema');
    mkdirSync(schemaDir, { recursive: true });
    writeFileSync(join(schemaDir, 'schema.prisma'), MAIN);
    writeFileSync(join(schemaDir, 'user.prisma'), USER);
    postPath = join(schemaDir, 'post.prisma');
    writeFileSync(postPath, POST);
    postUri = pathToFileURL(postPath).toString();
    client = await LspClient.start({ rootUri: pathToFileURL(root).toString() });
    await new Promise<void>((resolve) => client.connection.onNotification('pgvet/indexed', () => resolve()));
  });
  after(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

  test('the FK of a relation to a model in another file is reported on its own file; the quick fix and a typed @@index clear it', async () => {
    await client.open(postUri, POST, 'prisma');
    const first = await client.diagnosticsFor(postUri, 1);
    const fk = unindexed(first);
    assert.equal(fk.length, 1, JSON.stringify(first.diagnostics.map((d) => `${d.code}: ${d.message}`)));
    assert.equal(fk[0].range.start.line, 4, 'on the @relation of Post.author');
    assert.match(messageOf(fk[0]), /"Post"/);

    // The quick fix edits this file only, and prisma-formatted.
    const actions = await client.codeActions(postUri, fk);
    const fix = actions.find((a) => a.title === 'Add @@index([authorId]) to Post');
    assert.ok(fix?.edit, JSON.stringify(actions.map((a) => a.title)));
    assert.deepEqual(fix.edit.documentChanges?.map((c) => ('textDocument' in c ? c.textDocument.uri : undefined)), [postUri]);
    const fixedVersion = await client.applyEdit(postUri, fix.edit);
    assert.equal(client.texts.get(postUri)!.text, POST_INDEXED);
    assert.deepEqual(unindexed(await client.diagnosticsFor(postUri, fixedVersion)), []);

    // Typing: the index goes away (the warning is back), then is typed in again (it clears).
    const removed = await client.change(postUri, POST);
    assert.equal(unindexed(await client.diagnosticsFor(postUri, removed)).length, 1);
    const typed = await client.change(postUri, POST_INDEXED);
    assert.deepEqual(unindexed(await client.diagnosticsFor(postUri, typed)), []);
  });

  test('on disk: the @@index saved into the file (another editor, a git pull) is what the server lints when it is opened again', async () => {
    await closeAndWaitForClear(client, postUri);
    assert.equal(readFileSync(postPath, 'utf8'), POST, 'the file on disk still lacks the index');
    await client.open(postUri, readFileSync(postPath, 'utf8'), 'prisma');
    assert.equal(unindexed(await client.diagnosticsFor(postUri, 1)).length, 1);

    await closeAndWaitForClear(client, postUri);
    writeFileSync(postPath, POST_INDEXED);
    await client.open(postUri, readFileSync(postPath, 'utf8'), 'prisma');
    const reopened = await client.diagnosticsFor(postUri, 1);
    assert.deepEqual(unindexed(reopened), []);
    assert.deepEqual(reopened.diagnostics.map((d) => d.code), [], 'nothing else to report on the indexed schema');
  });

  test('the models of the other files come from the editor when they are open and unsaved', async () => {
    // user.prisma is opened and User renamed without saving: Post's relation now points at no model,
    // so post.prisma, linted again, has no FK to report even without its index.
    const userUri = pathToFileURL(join(schemaDir, 'user.prisma')).toString();
    await client.open(userUri, USER.replace('model User {', 'model Account {'), 'prisma');
    await client.diagnosticsFor(userUri, 1);
    const version = await client.change(postUri, POST);
    assert.deepEqual(unindexed(await client.diagnosticsFor(postUri, version)), []);
    // Back to the saved text of user.prisma: the FK, and its warning, return.
    const userVersion = await client.change(userUri, USER);
    await client.diagnosticsFor(userUri, userVersion);
    const again = await client.change(postUri, POST + '\n');
    assert.equal(unindexed(await client.diagnosticsFor(postUri, again)).length, 1);
  });
});

/** Closes a document and waits for the server's empty publication for it, so a reopened version 1 is not confused with the old one. */
async function closeAndWaitForClear(client: LspClient, uri: string): Promise<void> {
  const cleared = client.waitForDiagnostics(uri, (p) => p.version === undefined && p.diagnostics.length === 0);
  client.texts.delete(uri);
  await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  await cleared;
}

// Prisma 6.7+ (multi-file schemas generally available): schema.prisma with the datasource at the top of
// prisma/, the models in files below it, prisma/migrations beside schema.prisma. The models here sit two
// folders down, where only the datasource's folder says which schema and which history they belong to.
describe('language server: models below a prisma/ folder whose schema.prisma declares the datasource', () => {
  let client: LspClient;
  let root: string;
  let postPath: string;
  let postUri: string;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'pgvet-prisma-models-'));
    writeFileSync(join(root, 'package.json'), '{ "name": "app", "private": true }\n');
    const prisma = join(root, 'prisma');
    mkdirSync(join(prisma, 'models', 'blog'), { recursive: true });
    writeFileSync(join(prisma, 'schema.prisma'), MAIN.replace('\n  previewFeatures = ["prismaSchemaFolder"]', ''));
    writeFileSync(join(prisma, 'models', 'user.prisma'), USER);
    postPath = join(prisma, 'models', 'blog', 'post.prisma');
    writeFileSync(postPath, POST);
    postUri = pathToFileURL(postPath).toString();
    // What `prisma migrate dev` made of this schema: the FK, and no index for it.
    const init = join(prisma, 'migrations', '20240101000000_init');
    mkdirSync(init, { recursive: true });
    writeFileSync(join(prisma, 'migrations', 'migration_lock.toml'), 'provider = "postgresql"\n');
    writeFileSync(join(init, 'migration.sql'), [
      'CREATE TABLE "User" ("id" SERIAL NOT NULL, "email" TEXT NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));',
      'CREATE TABLE "Post" ("id" SERIAL NOT NULL, "title" TEXT NOT NULL, "authorId" INTEGER NOT NULL, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));',
      'CREATE UNIQUE INDEX "User_email_key" ON "User"("email");',
      'ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;',
      '',
    ].join('\n'));
    client = await LspClient.start({ rootUri: pathToFileURL(root).toString() });
    await new Promise<void>((resolve) => client.connection.onNotification('pgvet/indexed', () => resolve()));
  });
  after(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

  test('the nested model file is linted with the whole schema and checked against prisma/migrations', async () => {
    await client.open(postUri, POST, 'prisma');
    const first = await client.diagnosticsFor(postUri, 1);
    assert.deepEqual(first.diagnostics.map((d) => d.code), ['unindexed-foreign-key'], first.diagnostics.map(messageOf).join('\n'));

    // The index typed into the model fixes the warning; the history beside schema.prisma does not have it yet.
    const version = await client.change(postUri, POST_INDEXED);
    const next = await client.diagnosticsFor(postUri, version);
    assert.deepEqual(next.diagnostics.map((d) => d.code), ['schema-migration-drift']);
    assert.match(messageOf(next.diagnostics[0]), /an index on \(authorId\) on "Post" \("Post_authorId_idx"\) that the migrations never create/);
  });
});
