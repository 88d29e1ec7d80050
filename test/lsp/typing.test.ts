import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { startOnWorkspace, type LspClient, type WorkspaceSession } from '../support/lsp-client';

// While typing, the server re-parses only the statements an edit touched (core/src/parse/sql/incremental.ts), in
// the linter (a loose file) and in the workspace index (a migration of a history). After every kind of edit, its
// diagnostics must be those of a fresh server that opens the same text.

const LOCK = 'prisma/migrations/migration_lock.toml';
const INIT = 'prisma/migrations/20240101000000_init/migration.sql';
const EDITED = 'prisma/migrations/20240201000000_change/migration.sql';
const LOOSE = 'scratch/notes.sql';

const FILES = {
  [LOCK]: 'provider = "postgresql"\n',
  [INIT]: [
    'CREATE TABLE "customers" ("id" UUID NOT NULL, "name" TEXT NOT NULL, CONSTRAINT "customers_pkey" PRIMARY KEY ("id"));',
    'CREATE TABLE "orders" ("id" UUID NOT NULL, "customer_id" UUID NOT NULL, CONSTRAINT "orders_pkey" PRIMARY KEY ("id"));',
    'CREATE TABLE "legacy" ("id" INTEGER);',
    '',
  ].join('\n'),
};

const START = [
  '-- the second migration',
  'ALTER TABLE "orders" ADD COLUMN "total" INTEGER NOT NULL;',
  'CREATE INDEX "orders_customer_idx" ON "orders"("customer_id");',
  'ALTER TABLE "customers" ALTER COLUMN "name" TYPE VARCHAR(50);',
  'ALTER TABLE "orders" ADD CONSTRAINT "orders_customer_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id");',
  'ALTER TABLE "orders" ADD COLUMN "note" TEXT;',
  'ALTER TABLE "orders" ADD COLUMN "état" TEXT NOT NULL;',
  'DROP TABLE "legacy";',
  '',
].join('\n');

function replaceOnce(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  assert.ok(at >= 0, `"${from}" is in the text`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/** Each edit as the editor would send it (the whole new text); every one keeps some statements and changes others. */
const EDITS: { name: string; edit: (text: string) => string }[] = [
  { name: 'insert inside a statement', edit: (t) => replaceOnce(t, '"total" INTEGER NOT NULL', '"total" INTEGER NOT NULL DEFAULT 0') },
  { name: 'split one statement into two', edit: (t) => replaceOnce(t, 'ADD COLUMN "note" TEXT;', 'ADD COLUMN "note" TEXT;\nALTER TABLE "orders" ADD COLUMN "memo" TEXT NOT NULL;') },
  { name: 'join two statements', edit: (t) => replaceOnce(t, 'TEXT;\nALTER TABLE "orders" ADD COLUMN "memo"', 'TEXT, ADD COLUMN "memo"') },
  { name: 'delete across statements', edit: (t) => t.slice(0, t.indexOf('"orders_customer_idx"')) + t.slice(t.indexOf('"name" TYPE')) },
  { name: 'edit at the start', edit: (t) => 'CREATE TABLE "audit" ("id" SERIAL PRIMARY KEY);\n' + t },
  { name: 'edit at the end, unterminated', edit: (t) => t + 'ALTER TABLE "orders" DROP COLUMN "note"' },
  { name: 'a syntax error', edit: (t) => replaceOnce(t, 'CREATE TABLE "audit"', 'CREATE TABL "audit"') },
  { name: 'the syntax error fixed', edit: (t) => replaceOnce(t, 'CREATE TABL "audit"', 'CREATE TABLE "audit"') },
  { name: 'an ignore comment before a statement', edit: (t) => replaceOnce(t, 'DROP TABLE "legacy";', '-- pgvet-ignore destructive-change\nDROP TABLE "legacy";') },
  { name: 'an open dollar quote swallows the rest', edit: (t) => replaceOnce(t, '-- the second migration\n', '-- the second migration\nDO $$ BEGIN\n') },
  { name: 'and closed again', edit: (t) => replaceOnce(t, 'DO $$ BEGIN\n', 'DO $$ BEGIN PERFORM 1; END $$;\n') },
  { name: 'a non-ASCII character before the others', edit: (t) => replaceOnce(t, '-- the second migration', '-- la deuxième migration ✓') },
];

/**
 * A diagnostic without what differs between two servers for the same text: the folder, the document version, and
 * the clock's time in the names of the new migrations that fixes create.
 */
function comparable(diagnostics: Diagnostic[], root: string): unknown {
  const json = JSON.stringify(diagnostics.map((d) => ({ ...d, data: { ...(d.data as object), version: undefined } })));
  const stamped = json.split(pathToFileURL(root).toString()).join('<root>').split(root).join('<root>');
  return JSON.parse(stamped.replace(/\b\d{14}_(?!init\/|change\/)/g, '<now>_'));
}

/** The diagnostics a fresh server gives each file opened with `texts` (its folder holds the same texts on disk). */
async function freshDiagnostics(texts: Record<string, string>): Promise<Record<string, unknown>> {
  const session = await startOnWorkspace('pgvet-typing-fresh-', { ...FILES, ...texts });
  try {
    const out: Record<string, unknown> = {};
    for (const [rel, text] of Object.entries(texts)) {
      const uri = pathToFileURL(join(session.root, rel)).toString();
      await session.client.open(uri, text);
      out[rel] = comparable((await session.client.diagnosticsFor(uri, 1)).diagnostics, session.root);
    }
    return out;
  } finally {
    await session.dispose();
  }
}

describe('language server: diagnostics after each edit equal a fresh server’s for the same text', { timeout: 180_000 }, () => {
  let client: LspClient;
  let session: WorkspaceSession;
  const texts: Record<string, string> = { [EDITED]: START, [LOOSE]: START };
  const uriOf = (rel: string) => pathToFileURL(join(session.root, rel)).toString();

  before(async () => {
    session = await startOnWorkspace('pgvet-typing-', { ...FILES, [EDITED]: START });
    client = session.client;
    for (const rel of [EDITED, LOOSE]) {
      await client.open(uriOf(rel), START);
      await client.diagnosticsFor(uriOf(rel), 1);
    }
  });
  after(() => session.dispose());

  test('the starting text has findings in both files (so the comparisons below compare something)', async () => {
    const fresh = await freshDiagnostics(texts);
    for (const rel of [EDITED, LOOSE]) assert.ok((fresh[rel] as unknown[]).length >= 3, `${rel}: ${JSON.stringify(fresh[rel])}`);
  });

  for (const { name, edit } of EDITS) {
    test(name, async () => {
      const now: Record<string, unknown> = {};
      for (const rel of [EDITED, LOOSE]) {
        texts[rel] = edit(texts[rel]);
        const version = await client.change(uriOf(rel), texts[rel]);
        now[rel] = comparable((await client.diagnosticsFor(uriOf(rel), version)).diagnostics, session.root);
      }
      assert.deepEqual(now, await freshDiagnostics(texts));
    });
  }

  test('a burst of edits sent without waiting: diagnostics only move forward, and the last ones are a fresh server’s', async () => {
    const uri = uriOf(EDITED);
    const seen = client.published.length;
    let version = 0;
    let text = texts[EDITED];
    for (let k = 0; k < 30; k++) {
      text = k % 2 ? replaceOnce(text, '"memo" TEXT', '"memo" TEXT NOT NULL') : replaceOnce(text, '"memo" TEXT NOT NULL', '"memo" TEXT');
      text = text.replace(/-- burst \d+\n|$/, `-- burst ${k}\n`);
      version = await client.change(uri, text);
    }
    texts[EDITED] = text;
    const last = await client.diagnosticsFor(uri, version);
    const versions = client.published.slice(seen).filter((p) => p.uri === uri).map((p) => p.version!);
    assert.deepEqual(versions, [...versions].sort((a, b) => a - b), 'never an older version after a newer one');
    assert.equal(new Set(versions).size, versions.length, 'each version published at most once');
    assert.deepEqual({ [EDITED]: comparable(last.diagnostics, session.root) }, await freshDiagnostics({ [EDITED]: text }));
  });
});
