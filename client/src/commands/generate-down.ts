import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { GENERATE_DOWN_REQUEST } from '../../../core/src';
import type { GenerateDownAnswer, GenerateDownParams } from '../../../core/src';

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
 * (the history replayed up to it, by the language server: `pgvet/generateDown`). Written where its tool keeps
 * downs; an existing down is never overwritten — the generated one opens beside it for comparison instead.
 */
async function generateDown(client: LanguageClient | undefined): Promise<GenerateDownResult | undefined> {
  const doc = vscode.window.activeTextEditor?.document;
  const folder = doc && vscode.workspace.getWorkspaceFolder(doc.uri);
  if (!doc || !folder) {
    void vscode.window.showInformationMessage('pgvet: open an up migration of a workspace folder first.');
    return undefined;
  }
  if (!client) return undefined;
  // The server reads the history from disk.
  if (doc.isDirty) await doc.save();
  const params: GenerateDownParams = { uri: doc.uri.toString(), folder: folder.uri.toString() };
  const answer = await client.sendRequest<GenerateDownAnswer>(GENERATE_DOWN_REQUEST, params);
  if (!answer.layout) {
    void vscode.window.showWarningMessage('pgvet: this file is not an up migration of a migration folder pgvet recognises.');
    return undefined;
  }
  if (!answer.pairsDowns) {
    void vscode.window.showWarningMessage(`pgvet: ${answer.layout} migrations have no down migrations; the reversal opens in a new editor for reference.`);
  }
  const { content: down, target } = answer;
  if (down === undefined || !target) {
    void vscode.window.showErrorMessage('pgvet: could not generate a down migration for this file.');
    return undefined;
  }
  if (target.kind === 'section') {
    if (target.exists) return showBeside(down, 'The file already has a down section: the generated reversal is beside it for comparison.');
    const edit = new vscode.WorkspaceEdit();
    const end = doc.positionAt(doc.getText().length);
    edit.insert(doc.uri, end, `${doc.getText().endsWith('\n') ? '' : '\n'}\n${target.header}\n${down}`);
    if (!(await vscode.workspace.applyEdit(edit))) return showBeside(down, `The down section could not be added to ${vscode.workspace.asRelativePath(doc.uri)}: the reversal is in a new editor.`);
    return { written: 'section', uri: doc.uri, text: down };
  }
  if (target.kind === 'none') return showBeside(down, 'This layout keeps no down file: the reversal is in a new editor.');
  if (target.exists) return showBeside(down, `${target.name} already exists: the generated reversal is beside it for comparison.`);
  const uri = vscode.Uri.file(target.path);
  const edit = new vscode.WorkspaceEdit();
  // ignoreIfExists false: a file created since the server looked is not overwritten either (the edit fails).
  edit.createFile(uri, { ignoreIfExists: false, contents: Buffer.from(down, 'utf8') });
  if (!(await vscode.workspace.applyEdit(edit))) return showBeside(down, `${target.name} could not be created: the reversal is in a new editor.`);
  await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.Beside });
  return { written: 'file', uri, text: down };
}

async function showBeside(text: string, message: string): Promise<GenerateDownResult> {
  const doc = await vscode.workspace.openTextDocument({ language: 'sql', content: text });
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside });
  void vscode.window.showInformationMessage(`pgvet: ${message}`);
  return { written: 'beside', uri: doc.uri, text };
}

export function registerGenerateDown(getClient: () => LanguageClient | undefined): vscode.Disposable {
  return vscode.commands.registerCommand('pgvet.generateDown', () => generateDown(getClient()));
}
