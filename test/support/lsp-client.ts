import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { CodeAction, Diagnostic, PublishDiagnosticsParams, ShowDocumentParams, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';

export const SERVER = resolve(__dirname, '../../dist/server.js');

/** The real pgvet language server (dist/server.js) over stdio, with a few helpers a test needs. */
export class LspClient {
  readonly connection: MessageConnection;
  private readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  /** Every publishDiagnostics, in the order received. */
  readonly published: PublishDiagnosticsParams[] = [];
  private readonly waiters: { uri: string; pred: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  readonly texts = new Map<string, { text: string; version: number }>();
  stderr = '';
  exited: number | null | undefined;
  /** `window/showDocument` requests from the server, in order. */
  readonly shownDocuments: ShowDocumentParams[] = [];
  private readonly showWaiters: ((p: ShowDocumentParams) => void)[] = [];
  /** `window/logMessage` texts from the server, in order. */
  readonly logs: string[] = [];
  private readonly logWaiters: { pred: (m: string) => boolean; resolve: (m: string) => void }[] = [];

  private constructor(readonly proc: ChildProcess, private readonly configuration: (section: string) => unknown) {
    this.connection = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    proc.stderr!.on('data', (d) => (this.stderr += d));
    proc.on('exit', (code) => (this.exited = code));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.published.push(p);
      this.diagnostics.set(p.uri, p);
      for (const w of [...this.waiters]) {
        if (w.uri === p.uri && w.pred(p)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(p);
        }
      }
    });
    this.connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) => params.items.map((i) => this.configuration(i.section ?? '')));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
      for (const w of [...this.logWaiters]) {
        if (w.pred(p.message)) {
          this.logWaiters.splice(this.logWaiters.indexOf(w), 1);
          w.resolve(p.message);
        }
      }
    });
    this.connection.onRequest('window/showMessageRequest', () => null);
    this.connection.onRequest('window/showDocument', (p: ShowDocumentParams) => {
      this.shownDocuments.push(p);
      for (const w of this.showWaiters.splice(0)) w(p);
      return { success: true };
    });
    this.connection.listen();
  }

  /** `server`: another build's dist/server.js (a benchmark comparing builds); this worktree's by default. */
  static async start(options: { rootUri?: string; configuration?: (section: string) => unknown; server?: string; env?: NodeJS.ProcessEnv } = {}): Promise<LspClient> {
    // PGVET_SERVER_NODE_ARGS: extra Node options for the server process (e.g. `--cpu-prof` when profiling a benchmark).
    const nodeArgs = process.env.PGVET_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    const proc = spawn(process.execPath, [...nodeArgs, options.server ?? SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? process.env });
    const client = new LspClient(proc, options.configuration ?? (() => ({})));
    await client.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: options.rootUri ?? null,
      capabilities: {
        workspace: { configuration: true, workspaceEdit: { documentChanges: true, resourceOperations: ['create'] } },
        textDocument: { publishDiagnostics: { versionSupport: true } },
        window: { showDocument: { support: true } },
      },
    });
    await client.connection.sendNotification('initialized', {});
    return client;
  }

  /** Resolves with the next `window/showDocument` request from the server. */
  nextShownDocument(): Promise<ShowDocumentParams> {
    return new Promise((resolve) => this.showWaiters.push(resolve));
  }

  /** Resolves with the next diagnostics for `uri` that satisfy `pred` (or the latest ones, if they already do). */
  waitForDiagnostics(uri: string, pred: (p: PublishDiagnosticsParams) => boolean = () => true): Promise<PublishDiagnosticsParams> {
    const have = this.diagnostics.get(uri);
    if (have && pred(have)) return Promise.resolve(have);
    return new Promise((resolve) => this.waiters.push({ uri, pred, resolve }));
  }

  /** The first log message (already received or to come) that satisfies `pred`. */
  waitForLog(pred: (message: string) => boolean): Promise<string> {
    const have = this.logs.find(pred);
    if (have !== undefined) return Promise.resolve(have);
    return new Promise((resolve) => this.logWaiters.push({ pred, resolve }));
  }

  /** The latest diagnostics published for every document so far, by URI. */
  publishedDiagnostics(): Map<string, PublishDiagnosticsParams> {
    return new Map(this.diagnostics);
  }

  /** Diagnostics for exactly this version of the document. */
  diagnosticsFor(uri: string, version: number): Promise<PublishDiagnosticsParams> {
    return this.waitForDiagnostics(uri, (p) => p.version === version);
  }

  async open(uri: string, text: string, languageId = 'sql'): Promise<void> {
    this.texts.set(uri, { text, version: 1 });
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Replaces the whole text; returns the new version. */
  async change(uri: string, text: string): Promise<number> {
    const doc = this.texts.get(uri)!;
    const version = doc.version + 1;
    this.texts.set(uri, { text, version });
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    return version;
  }

  codeActions(uri: string, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return this.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics, only } });
  }

  /** Applies a WorkspaceEdit's edits for `uri` to the text we hold, as VS Code would, and sends the change. */
  async applyEdit(uri: string, edit: WorkspaceEdit): Promise<number> {
    const doc = this.texts.get(uri)!;
    const edits: TextEdit[] = [];
    for (const change of edit.documentChanges ?? []) {
      if ('textDocument' in change && change.textDocument.uri === uri) {
        if (change.textDocument.version !== null && change.textDocument.version !== doc.version) throw new Error('edit for a stale version');
        edits.push(...(change.edits as TextEdit[]));
      }
    }
    return this.change(uri, applyTextEdits(doc.text, edits));
  }

  async stop(): Promise<void> {
    if (this.exited === undefined) {
      await this.connection.sendRequest('shutdown').catch(() => undefined);
      await this.connection.sendNotification('exit').catch(() => undefined);
      await new Promise<void>((r) => (this.exited !== undefined ? r() : this.proc.once('exit', () => r())));
    }
    this.connection.dispose();
  }
}

export function offsetAt(text: string, pos: { line: number; character: number }): number {
  let offset = 0;
  for (let line = 0; line < pos.line; line++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  return Math.min(offset + pos.character, text.length);
}

export function applyTextEdits(text: string, edits: TextEdit[]): string {
  const withOffsets = edits.map((e) => ({ start: offsetAt(text, e.range.start), end: offsetAt(text, e.range.end), newText: e.newText }));
  withOffsets.sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of withOffsets) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/** A temporary workspace: the real server started on a folder holding `files` (relative path → text), once it has indexed it. */
export interface WorkspaceSession {
  client: LspClient;
  root: string;
  /** Stops the server and removes the folder. */
  dispose(): Promise<void>;
}

export async function startOnWorkspace(prefix: string, files: Record<string, string>, options: { configuration?: (section: string) => unknown } = {}): Promise<WorkspaceSession> {
  const root = mkdtempSync(join(tmpdir(), prefix));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  const client = await LspClient.start({ rootUri: pathToFileURL(root).toString(), configuration: options.configuration });
  await new Promise<void>((done) => client.connection.onNotification('pgvet/indexed', () => done()));
  return {
    client,
    root,
    async dispose() {
      await client.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
