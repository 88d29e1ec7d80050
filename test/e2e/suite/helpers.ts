import * as vscode from 'vscode';

export const EXTENSION_ID = 'pgvet.pgvet';

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the e2e API tests need a workspace folder (the copy of examples/)');
  return folder.uri;
}

export function pgvetDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'pgvet');
}

export function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

/** Resolves when the pgvet diagnostics of `uri` satisfy `ready`: driven by onDidChangeDiagnostics, bounded. */
export function waitForDiagnostics(uri: vscode.Uri, ready: (ds: vscode.Diagnostic[]) => boolean, what: string, timeoutMs = 45_000): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const ds = pgvetDiagnostics(uri);
      if (!ready(ds)) return false;
      cleanup();
      resolve(ds);
      return true;
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      cleanup();
      const got = pgvetDiagnostics(uri).map((d) => `${codeOf(d)}@${d.range.start.line + 1}:${d.range.start.character + 1}`);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} on ${vscode.workspace.asRelativePath(uri)}; pgvet diagnostics: [${got.join(', ')}]`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      sub.dispose();
    };
    check();
  });
}

/** Writes a file into the workspace and opens it in an editor. */
export async function openScratch(relativePath: string, text: string): Promise<vscode.TextDocument> {
  const uri = vscode.Uri.joinPath(workspaceRoot(), relativePath);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  return doc;
}

export function codeActions(uri: vscode.Uri, range: vscode.Range, kind?: string): Thenable<vscode.CodeAction[]> {
  return vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, kind);
}

/** Waits (bounded, on the extension's own state) until pgvet is active. */
export async function waitForActivation(timeoutMs = 60_000): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed`);
  const deadline = Date.now() + timeoutMs;
  while (!ext.isActive) {
    if (Date.now() > deadline) throw new Error(`${EXTENSION_ID} did not activate within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return ext;
}

/**
 * What `command` resolved to, or a rejection after `ms`: a bound, not a wait (a command that ends in an
 * error must end by itself, with its message still on screen: no one dismisses messages in these tests).
 */
export function settlesWithin<T>(command: Thenable<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: the command had not finished after ${ms} ms (is it waiting for a message to be dismissed?)`)), ms);
  });
  return Promise.race([Promise.resolve(command), bound]).finally(() => clearTimeout(timer));
}

/** Resolves with the first tab that `matches`, now or when the tabs change: driven by onDidChangeTabs, bounded. */
export function waitForTab(matches: (tab: vscode.Tab) => boolean, what: string, timeoutMs = 10_000): Promise<vscode.Tab> {
  const find = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find(matches);
  const now = find();
  if (now) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    const sub = vscode.window.tabGroups.onDidChangeTabs(() => {
      const tab = find();
      if (!tab) return;
      cleanup();
      resolve(tab);
    });
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no ${what} tab within ${timeoutMs} ms; tabs: ${vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label).join(', ')}`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      sub.dispose();
    };
  });
}
