import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient, startOnWorkspace } from '../support/lsp-client';
import { git, INDEX, INDEX_SQL, INIT, INIT_SQL, prismaRepoWithBranch, RENAME, RENAME_SQL } from '../support/git-repo';

/** The real server on a git repository, with `pgvet.baseRef` set, once it has indexed the workspace. */
async function startWithBaseRef(root: string, baseRef: string, messages: string[] = []): Promise<LspClient> {
  const client = await LspClient.start({
    rootUri: pathToFileURL(root).toString(),
    configuration: (section) => (section === 'pgvet' ? { baseRef } : {}),
  });
  // showWarningMessage is a request (it could offer actions): answered with none.
  client.connection.onRequest('window/showMessageRequest', (m: { message: string }) => {
    messages.push(m.message);
    return null;
  });
  await new Promise<void>((done) => client.connection.onNotification('pgvet/indexed', () => done()));
  return client;
}

const codes = (ds: Diagnostic[]) => ds.map((d) => String(d.code)).sort();

describe('language server: pgvet.baseRef makes the migrations of the base ref applied', () => {
  let root: string;
  let client: LspClient;
  // The branch's work is not committed yet: the editor sees the working tree against the base.
  before(async () => {
    root = prismaRepoWithBranch('pgvet-baseref-', false);
    client = await startWithBaseRef(root, 'main');
  });
  after(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

  async function openFile(rel: string) {
    const uri = pathToFileURL(join(root, rel)).toString();
    await client.open(uri, readFileSync(join(root, rel), 'utf8'));
    return { uri, diagnostics: (await client.diagnosticsFor(uri, 1)).diagnostics };
  }

  test('the new migration gets its statement findings', async () => {
    assert.deepEqual(codes((await openFile(RENAME)).diagnostics), ['renaming-column']);
  });

  test('the edited applied migration gets applied-migration-modified only, on the changed line, with a fix that restores it', async () => {
    const { uri, diagnostics } = await openFile(INDEX);
    assert.deepEqual(codes(diagnostics), ['applied-migration-modified'], 'no require-concurrent-index-creation on an applied migration');
    assert.equal(diagnostics[0].severity, 1, 'an error for Prisma');
    const actions = await client.codeActions(uri, diagnostics);
    const restore = actions.find((a) => a.title === 'Restore the text of main');
    assert.ok(restore?.edit, JSON.stringify(actions.map((a) => a.title)));
    await client.applyEdit(uri, restore.edit);
    const after = await client.diagnosticsFor(uri, 2);
    assert.deepEqual(codes(after.diagnostics), [], 'unsaved text equal to the base: applied and unchanged, so nothing');
    assert.equal(client.texts.get(uri)!.text, INDEX_SQL);
  });

  test('the applied migration keeps its schema findings', async () => {
    assert.deepEqual(codes((await openFile(INIT)).diagnostics), ['unindexed-foreign-key']);
  });
});

describe('language server: pgvet.baseRef naming no ref', () => {
  test('"none" lints every migration as pending; a ref that does not exist does too, and says so', async () => {
    const root = prismaRepoWithBranch('pgvet-baseref-none-', false);
    try {
      for (const baseRef of ['none', 'no-such-branch']) {
        const messages: string[] = [];
        const client = await startWithBaseRef(root, baseRef, messages);
        try {
          const uri = pathToFileURL(join(root, INDEX)).toString();
          await client.open(uri, readFileSync(join(root, INDEX), 'utf8'));
          assert.deepEqual(codes((await client.diagnosticsFor(uri, 1)).diagnostics), ['require-concurrent-index-creation'], baseRef);
          // The base is resolved before the index is announced, so its warning has come by now.
          if (baseRef === 'none') assert.deepEqual(messages, []);
          else assert.match(messages.join('\n'), /pgvet\.baseRef "no-such-branch": the git ref "no-such-branch" does not exist/);
        } finally {
          await client.stop();
        }
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('language server: the base ref is resolved again when HEAD moves', () => {
  test('main moved past the branch\'s migration: after a .git/HEAD event the migration is applied', { timeout: 60_000 }, async () => {
    const root = prismaRepoWithBranch('pgvet-baseref-head-', true);
    const client = await startWithBaseRef(root, 'main');
    try {
      const uri = pathToFileURL(join(root, RENAME)).toString();
      await client.open(uri, readFileSync(join(root, RENAME), 'utf8'));
      assert.deepEqual(codes((await client.diagnosticsFor(uri, 1)).diagnostics), ['renaming-column']);
      // The branch is merged: main now holds the rename migration.
      git(root, 'branch', '-f', 'main', 'feature');
      const cleared = client.waitForDiagnostics(uri, (p) => p.diagnostics.length === 0);
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(join(root, '.git', 'HEAD')).toString(), type: 2 }] });
      await cleared;
    } finally {
      await client.stop();
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('language server: pgvet.json "applied" without git', () => {
  test('migrations up to the one named are applied; a changed pgvet.json is read again', { timeout: 60_000 }, async () => {
    const session = await startOnWorkspace('pgvet-applied-json-', {
      'pgvet.json': JSON.stringify({ applied: { 'prisma/migrations': '20240201000000_email_index' } }),
      'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
      [INIT]: INIT_SQL,
      [INDEX]: INDEX_SQL,
      [RENAME]: RENAME_SQL,
    });
    const { client, root } = session;
    try {
      const index = pathToFileURL(join(root, INDEX)).toString();
      const rename = pathToFileURL(join(root, RENAME)).toString();
      await client.open(index, INDEX_SQL);
      await client.open(rename, RENAME_SQL);
      assert.deepEqual(codes((await client.diagnosticsFor(index, 1)).diagnostics), []);
      assert.deepEqual(codes((await client.diagnosticsFor(rename, 1)).diagnostics), ['renaming-column']);
      writeFileSync(join(root, 'pgvet.json'), JSON.stringify({ applied: '20240101000000' }));
      const back = client.waitForDiagnostics(index, (p) => codes(p.diagnostics).includes('require-concurrent-index-creation'));
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(join(root, 'pgvet.json')).toString(), type: 2 }] });
      await back;
    } finally {
      await session.dispose();
    }
  });
});
