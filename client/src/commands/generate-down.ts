import * as vscode from 'vscode';
import { findMigrationSets, nodeDirectoryView, downFileName, generateDownForMigration, downKind, initParser } from '../../../core/src';

/** What "pgvet: Generate Down Migration" did; the command resolves to it (undefined when it generated nothing). */
export interface GenerateDownResult {
  /** `file`: a new down file; `section`: the down section appended to the up file (goose, dbmate, not saved);
   *  `beside`: a down already exists or the layout keeps none, so the text opened in an untitled editor. */
  written: 'file' | 'section' | 'beside';
  /** The document that holds the generated text. */
  uri: vscode.Uri;
  /** The generated down migration. */
  text: string;
}

/**
 * "pgvet: Generate Down Migration": the reversal of the up migration in the editor, from the schema before it
 * (the history replayed up to it). Written where its tool keeps downs; an existing down is never overwritten —
 * the generated one opens beside it for comparison instead.
 */
async function generateDown(): Promise<GenerateDownResult | undefined> {
  const doc = vscode.window.activeTextEditor?.document;
  const folder = doc && vscode.workspace.getWorkspaceFolder(doc.uri);
  if (!doc || !folder) {
    void vscode.window.showInformationMessage('pgvet: open an up migration of a workspace folder first.');
    return undefined;
  }
  if (doc.isDirty) await doc.save();
  await initParser();
  const path = doc.uri.fsPath;
  const set = findMigrationSets(folder.uri.fsPath, nodeDirectoryView).find((s) => s.migrations.some((m) => m.path === path));
  if (!set) {
    void vscode.window.showWarningMessage('pgvet: this file is not an up migration of a migration folder pgvet recognises.');
    return undefined;
  }
  if (downKind(set.layout) === 'none') {
    void vscode.window.showWarningMessage(`pgvet: ${set.layout} migrations have no down migrations; the reversal opens in a new editor for reference.`);
  }
  const down = generateDownForMigration(set, path);
  if (down === undefined) {
    void vscode.window.showErrorMessage('pgvet: could not generate a down migration for this file.');
    return undefined;
  }
  if (downKind(set.layout) === 'section') {
    const marker = set.layout === 'goose' ? /^\s*--\s*\+goose\s+Down\b/im : /^\s*--\s*migrate:down\b/im;
    if (marker.test(doc.getText())) {
      return showBeside(down, 'The file already has a down section: the generated reversal is beside it for comparison.');
    }
    const edit = new vscode.WorkspaceEdit();
    const end = doc.positionAt(doc.getText().length);
    const header = set.layout === 'goose' ? '-- +goose Down' : '-- migrate:down';
    edit.insert(doc.uri, end, `${doc.getText().endsWith('\n') ? '' : '\n'}\n${header}\n${down}`);
    if (!(await vscode.workspace.applyEdit(edit))) return showBeside(down, `The down section could not be added to ${vscode.workspace.asRelativePath(doc.uri)}: the reversal is in a new editor.`);
    return { written: 'section', uri: doc.uri, text: down };
  }
  const name = downFileName(set.layout, path);
  if (!name) {
    return showBeside(down, 'This layout keeps no down file: the reversal is in a new editor.');
  }
  const target = vscode.Uri.joinPath(doc.uri, '..', name);
  // Whatever the layout reported as the down: a file at the target path is never overwritten.
  const exists = await vscode.workspace.fs.stat(target).then(() => true, () => false);
  if (exists) {
    return showBeside(down, `${name} already exists: the generated reversal is beside it for comparison.`);
  }
  const edit = new vscode.WorkspaceEdit();
  edit.createFile(target, { ignoreIfExists: false, contents: Buffer.from(down, 'utf8') });
  if (!(await vscode.workspace.applyEdit(edit))) return showBeside(down, `${name} could not be created: the reversal is in a new editor.`);
  await vscode.window.showTextDocument(target, { viewColumn: vscode.ViewColumn.Beside });
  return { written: 'file', uri: target, text: down };
}

async function showBeside(text: string, message: string): Promise<GenerateDownResult> {
  const doc = await vscode.workspace.openTextDocument({ language: 'sql', content: text });
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside });
  void vscode.window.showInformationMessage(`pgvet: ${message}`);
  return { written: 'beside', uri: doc.uri, text };
}

export function registerGenerateDown(): vscode.Disposable {
  return vscode.commands.registerCommand('pgvet.generateDown', generateDown);
}
