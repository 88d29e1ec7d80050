/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeActions, codeOf, openScratch, pgvetDiagnostics, waitForDiagnostics, workspaceRoot } from './helpers';

suite('pgvet in VS Code: diagnostics and fixes', () => {
  const migration = () => vscode.Uri.joinPath(workspaceRoot(), 'billing/migrations/000002_invoice_status.up.sql');

  test('publishes pgvet diagnostics for a migration, linked to the rule pages', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(migration()));
    const expected = ['constraint-missing-not-valid', 'require-concurrent-index-creation', 'require-concurrent-index-deletion', 'setting-not-null'];
    const ds = await waitForDiagnostics(migration(), (d) => expected.every((c) => d.some((x) => codeOf(x) === c)), `codes ${expected.join(', ')}`);
    for (const d of ds) {
      assert.equal(d.severity, vscode.DiagnosticSeverity.Warning, `${codeOf(d)} is a warning`);
      const target = typeof d.code === 'object' ? d.code.target.toString() : '';
      assert.match(target, new RegExp(`docs/rules/${codeOf(d)}\\.md$`), `${codeOf(d)} links to its rule page`);
    }
    // A subset: other rules (schema rules over the whole history) may add findings to this file too.
    const found = ds.map((d) => `${codeOf(d)}@${d.range.start.line + 1}`);
    for (const want of ['setting-not-null@4', 'constraint-missing-not-valid@7', 'require-concurrent-index-deletion@9', 'require-concurrent-index-creation@10']) {
      assert.ok(found.includes(want), `${want} among ${found.join(', ')}`);
    }
  });

  test('the quick fix "Add CONCURRENTLY" applies and the diagnostic clears', async () => {
    const doc = await openScratch('api-scratch/quick_fix.sql', 'CREATE INDEX i ON t (a);\n');
    const [diagnostic] = await waitForDiagnostics(doc.uri, (d) => d.length === 1, 'one diagnostic');
    assert.equal(codeOf(diagnostic), 'require-concurrent-index-creation');
    const actions = await codeActions(doc.uri, diagnostic.range);
    const fix = actions.find((a) => a.title === 'Add CONCURRENTLY');
    assert.ok(fix, `"Add CONCURRENTLY" offered; got ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.equal(fix.kind?.value, vscode.CodeActionKind.QuickFix.value);
    assert.equal(fix.isPreferred, true);
    assert.ok(fix.edit, 'the fix carries its edit');
    assert.ok(await vscode.workspace.applyEdit(fix.edit), 'applyEdit succeeded');
    assert.equal(doc.getText(), 'CREATE INDEX CONCURRENTLY i ON t (a);\n');
    await waitForDiagnostics(doc.uri, (d) => d.length === 0, 'the diagnostic to clear');
  });

  test('"Fix all" (source.fixAll.pgvet) fixes every safe problem at once', async () => {
    const doc = await openScratch('api-scratch/fix_all.sql', 'CREATE INDEX a_idx ON t (a);\nCREATE INDEX b_idx ON t (b);\n');
    await waitForDiagnostics(doc.uri, (d) => d.length === 2, 'two diagnostics');
    const whole = new vscode.Range(0, 0, doc.lineCount, 0);
    const actions = await codeActions(doc.uri, whole, vscode.CodeActionKind.SourceFixAll.value);
    const fixAll = actions.find((a) => a.kind?.value === 'source.fixAll.pgvet');
    assert.ok(fixAll?.edit, `a source.fixAll.pgvet action; got ${JSON.stringify(actions.map((a) => [a.title, a.kind?.value]))}`);
    assert.equal(fixAll.title, 'Fix all auto-fixable pgvet problems (2)');
    assert.ok(await vscode.workspace.applyEdit(fixAll.edit));
    assert.equal(doc.getText(), 'CREATE INDEX CONCURRENTLY a_idx ON t (a);\nCREATE INDEX CONCURRENTLY b_idx ON t (b);\n');
    await waitForDiagnostics(doc.uri, (d) => d.length === 0, 'the diagnostics to clear');
  });

  test('inside a Prisma migration (a transaction) CONCURRENTLY is not part of "Fix all"', async () => {
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'shop/prisma/migrations/20240301101500_order_status_index/migration.sql');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const ds = await waitForDiagnostics(uri, (d) => d.some((x) => codeOf(x) === 'require-concurrent-index-creation'), 'require-concurrent-index-creation');
    const actions = await codeActions(uri, new vscode.Range(0, 0, doc.lineCount, 0), vscode.CodeActionKind.SourceFixAll.value);
    const fixAll = actions.find((a) => a.kind?.value === 'source.fixAll.pgvet');
    const edits = fixAll?.edit?.get(uri) ?? [];
    assert.ok(!edits.some((e) => e.newText.includes('CONCURRENTLY')), `no CONCURRENTLY edit in a transactional migration (diagnostics: ${ds.map(codeOf).join(', ')})`);
    assert.ok(pgvetDiagnostics(uri).length > 0);
  });
});
