import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { startOnWorkspace, type WorkspaceSession } from '../support/lsp-client';

// The editor's unsaved text wins over the disk (core/src/fs/overlay.ts): go-to-definition converts the catalog's
// offsets with the text the index replayed, not with the file on disk.
const INIT = 'CREATE TABLE users (id int PRIMARY KEY);\n';
const USE = 'ALTER TABLE users ADD COLUMN email text;\n';
type Location = { uri: string; range: { start: { line: number } } };

describe('language server: unsaved text wins for go-to-definition', { timeout: 60_000 }, () => {
  let s: WorkspaceSession;
  let init: string;
  let use: string;
  before(async () => {
    s = await startOnWorkspace('pgvet-unsaved-', { 'migrations/001_init.sql': INIT, 'migrations/002_use.sql': USE });
    init = pathToFileURL(join(s.root, 'migrations/001_init.sql')).toString();
    use = pathToFileURL(join(s.root, 'migrations/002_use.sql')).toString();
  });
  after(() => s.dispose());

  const definitionOfUsers = async (text: string): Promise<Location> => {
    const line = text.split('\n').findIndex((l) => l.startsWith('ALTER TABLE users'));
    return (await s.client.connection.sendRequest('textDocument/definition', { textDocument: { uri: use }, position: { line, character: 'ALTER TABLE u'.length } })) as Location;
  };

  test('unsaved lines above the reference: the definition is the CREATE TABLE in the other file', async () => {
    await s.client.open(use, USE);
    await s.client.diagnosticsFor(use, 1);
    const text = '-- one\n-- two\n-- three\n' + USE;
    await s.client.diagnosticsFor(use, await s.client.change(use, text));
    const def = await definitionOfUsers(text);
    assert.equal(def.uri, init);
    assert.equal(def.range.start.line, 0);
  });

  test('the CREATE TABLE itself open with unsaved lines above it: the definition lands on its unsaved line', async () => {
    await s.client.open(init, INIT);
    await s.client.diagnosticsFor(init, 1);
    const edited = '-- a\n-- b\n-- c\n-- d\n' + INIT;
    await s.client.diagnosticsFor(init, await s.client.change(init, edited));
    const text = '-- one\n-- two\n-- three\n' + USE;
    const def = await definitionOfUsers(text);
    assert.equal(def.uri, init);
    assert.equal(def.range.start.line, 4);
  });
});
