import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  analyzePlan, CONFIRM_EXPLAIN_REQUEST, EXPLAIN_PROGRESS_NOTIFICATION, EXPLAIN_REQUEST, EXPLAIN_STATEMENT_REQUEST, readClientSetting,
} from '../../../core/src';
import type {
  AnalyzedPlan, ConfirmExplainParams, ExplainFailure, ExplainParams, ExplainProgressParams, ExplainResponse, ExplainStatementResult, ShadowFailure, Tip,
} from '../../../core/src';
import { pgvetSettings } from '../configuration';
import { configuredConnections, resolveTarget } from '../connections/connections';

/** The statement explained: its text and its UTF-16 offset in the document. */
interface StatementText {
  text: string;
  start: number;
}

/** What the command needs from the panel and the language server (wired in extension.ts). */
export interface ExplainDeps {
  /** The language server, which finds the statement, checks it, owns the embedded database and runs EXPLAIN. */
  client(): LanguageClient | undefined;
  /** `rerun` runs the same EXPLAIN again (same statement, values and target), e.g. after sample rows were loaded. */
  showPlan(input: {
    analyzed: AnalyzedPlan; tips: Tip[]; sql: string; source: { kind: 'shadow' | 'connection'; label: string }; raw: unknown; document?: vscode.Uri;
    /** The history whose shadow database the plan comes from. */
    history?: string;
    rerun: () => Promise<void>;
  }): void;
  /** Says in the panel that a query is running. */
  showRunning(message: string): void;
  /** The migrations the shadow database's PostgreSQL refused, as problems (each build replaces its history's). */
  showShadowFailures(history: string, failures: ShadowFailure[]): Promise<void>;
}

/** One EXPLAIN as the user asked for it: what a re-run repeats. */
interface ExplainRequest {
  doc: vscode.TextDocument;
  statement: StatementText;
  params: (string | null)[];
  analyze: boolean;
  target: Exclude<Awaited<ReturnType<typeof resolveTarget>>, { error: string }>;
  /** The history of the shadow database, once known: a re-run explains on the same one. */
  history?: string;
}

/**
 * What an Explain command resolved to. It resolves as soon as the plan is shown or the error is known: an
 * error message is shown, not awaited, so neither the command nor its progress waits for the user to dismiss it.
 */
export type ExplainCommandResult =
  | { outcome: 'plan'; source: 'shadow' | 'connection' }
  | { outcome: 'error'; reason: 'no-statement' | 'refused' | 'no-connection' | 'connection' | 'explain'; message: string }
  /** The user stopped it: a parameter prompt or the confirmation was dismissed, or the progress was cancelled. */
  | { outcome: 'cancelled' };

const explainErrors = vscode.languages.createDiagnosticCollection('pgvet-explain');

/** Shows `message` with `actions`, runs the command of the button clicked; the caller does not wait for either. */
function showError(message: string, actions: Record<string, () => unknown> = {}): void {
  void vscode.window.showErrorMessage(message, ...Object.keys(actions)).then((picked) => picked && actions[picked]?.());
}

function settingsFor(uri: vscode.Uri) {
  const c = pgvetSettings(uri);
  return {
    statementTimeoutMs: readClientSetting(c.get('explain.statementTimeoutMs'), 'explain.statementTimeoutMs').value,
    lockTimeoutMs: readClientSetting(c.get('explain.lockTimeoutMs'), 'explain.lockTimeoutMs').value,
  };
}

/** Values for $1…$n, asked once per query text and remembered for the next run. */
async function askParameters(state: vscode.Memento, sql: string, count: number): Promise<string[] | undefined> {
  const key = `pgvet.params.${sql}`;
  const previous = state.get<string[]>(key) ?? [];
  const values: string[] = [];
  for (let n = 1; n <= count; n++) {
    const v = await vscode.window.showInputBox({
      title: `pgvet: value for $${n} (${n} of ${count})`,
      value: previous[n - 1] ?? '',
      prompt: 'Bound as a real parameter (extended protocol). Type NULL for a null.',
      ignoreFocusOut: true,
    });
    if (v === undefined) return undefined;
    values.push(v);
  }
  await state.update(key, values);
  return values;
}

/**
 * Asked by the runner after the server-side check, before anything executes: the statement writes, or reaches
 * functions that may. The answer is remembered per query text and question, so a new finding asks again.
 */
async function confirmExplain(state: vscode.Memento, request: ConfirmExplainParams): Promise<boolean> {
  const { sql, analyze } = request;
  const key = `pgvet.confirmed.${analyze}.${sql}\n${request.reasons.join('\n')}\n${request.sideEffects.join('\n')}`;
  if (state.get<boolean>(key)) return true;
  const detail = (analyze ? 'EXPLAIN ANALYZE executes the statement inside a transaction and rolls it back.' : 'EXPLAIN plans the statement inside a transaction and rolls it back.') +
    `\n\nAsked because: ${request.reasons.join('; ')}.` +
    (request.sideEffects.length ? `\n\nNot undone by the rollback: ${request.sideEffects.join('; ')}.` : '\n\nSequence values it consumes, and anything it does outside the database, are not rolled back.');
  const title = analyze ? 'Run this statement with EXPLAIN ANALYZE?' : 'Plan this statement with EXPLAIN?';
  const answer = await vscode.window.showWarningMessage(title, { modal: true, detail }, 'Run and Roll Back');
  if (answer !== 'Run and Roll Back') return false;
  await state.update(key, true);
  return true;
}

/** pgvet.connections[].explainRole of the connection in use, if set (read through the zod schema). */
function explainRoleFor(uri: vscode.Uri, connectionName: string): string | undefined {
  return configuredConnections(uri).connections.find((c) => c.name === connectionName)?.explainRole;
}

function showErrorInEditor(doc: vscode.TextDocument, statement: StatementText, error: ExplainFailure): void {
  if (error.offset === undefined) {
    explainErrors.delete(doc.uri);
    return;
  }
  const start = doc.positionAt(statement.start + error.offset);
  const wordRange = doc.getWordRangeAtPosition(start, /"[^"]*"|[\w$.]+/) ?? new vscode.Range(start, start.translate(0, 1));
  const d = new vscode.Diagnostic(wordRange, `EXPLAIN: ${error.message}`, vscode.DiagnosticSeverity.Error);
  d.source = 'pgvet explain';
  explainErrors.set(doc.uri, [d]);
}

const notRunning = (): ExplainCommandResult => {
  const message = 'pgvet: the language server is not running; see the pgvet output.';
  showError(message);
  return { outcome: 'error', reason: 'connection', message };
};

async function explain(context: vscode.ExtensionContext, deps: ExplainDeps, analyze: boolean, at?: { uri: vscode.Uri; offset: number }): Promise<ExplainCommandResult> {
  const editor = vscode.window.activeTextEditor;
  const doc = at ? await vscode.workspace.openTextDocument(at.uri) : editor?.document;
  if (!doc) {
    const message = 'pgvet: open a .sql file and put the cursor in a query to explain it.';
    void vscode.window.showInformationMessage(message);
    return { outcome: 'error', reason: 'no-statement', message };
  }
  const client = deps.client();
  if (!client) return notRunning();
  const sel = at ? { start: at.offset, end: at.offset } : { start: doc.offsetAt(editor!.selection.start), end: doc.offsetAt(editor!.selection.end) };
  // The server splits and classifies the statement (libpg-query lives there, not in the extension host).
  const found = await client.sendRequest<ExplainStatementResult>(EXPLAIN_STATEMENT_REQUEST, { text: doc.getText(), selection: sel });
  if (found.kind === 'none') {
    const message = 'pgvet: no statement at the cursor.';
    void vscode.window.showInformationMessage(message);
    return { outcome: 'error', reason: 'no-statement', message };
  }
  if (found.kind === 'refused') {
    const message = `pgvet: cannot explain this statement: ${found.reason}`;
    showError(message);
    return { outcome: 'error', reason: 'refused', message };
  }
  const statement = { text: found.text, start: found.start };
  let params: string[] = [];
  if (analyze && found.paramCount > 0) {
    const asked = await askParameters(context.workspaceState, statement.text, found.paramCount);
    if (!asked) return { outcome: 'cancelled' };
    params = asked;
  }

  const target = await resolveTarget(context.secrets, doc.uri);
  if ('error' in target) {
    const message = `pgvet: ${target.error}`;
    showError(message, { 'Select Connection': () => vscode.commands.executeCommand('pgvet.selectConnection') });
    return { outcome: 'error', reason: 'no-connection', message };
  }
  return runRequest(deps, { doc, statement, params: params.map((p) => (p === 'NULL' ? null : p)), analyze, target });
}

let progressTokens = 0;

/** Runs one EXPLAIN in the language server with a cancellable progress notification and shows the plan (or the error). */
async function runRequest(deps: ExplainDeps, request: ExplainRequest): Promise<ExplainCommandResult> {
  const { doc, statement, analyze, target } = request;
  const client = deps.client();
  if (!client) return notRunning();
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `pgvet: ${analyze ? 'EXPLAIN ANALYZE' : 'EXPLAIN'}`, cancellable: true },
    async (progress, token): Promise<ExplainCommandResult> => {
      const progressToken = `explain-${++progressTokens}`;
      const listening = client.onNotification(EXPLAIN_PROGRESS_NOTIFICATION, (p: ExplainProgressParams) => {
        if (p.token !== progressToken) return;
        progress.report({ message: p.message });
        if (p.message.startsWith('running')) deps.showRunning(`Running ${analyze ? 'EXPLAIN ANALYZE' : 'EXPLAIN'} on ${target.label}…`);
      });
      progress.report({ message: target.kind === 'embedded' ? 'preparing the embedded database…' : `connecting to ${target.label}…` });
      const params: ExplainParams = {
        uri: doc.uri.toString(),
        sql: statement.text,
        params: request.params,
        analyze,
        // The password goes to the server for this request only; the server never logs it or sends it back.
        target: target.kind === 'embedded'
          ? { kind: 'shadow' }
          : { kind: 'connection', name: target.name, label: target.label, connection: target.config, role: explainRoleFor(doc.uri, target.name) },
        ...settingsFor(doc.uri),
        ...(request.history ? { history: request.history } : {}),
        progressToken,
      };
      let response: ExplainResponse;
      try {
        response = await client.sendRequest<ExplainResponse>(EXPLAIN_REQUEST, params, token);
      } catch (e) {
        if (token.isCancellationRequested) return { outcome: 'cancelled' };
        const message = `pgvet: ${e instanceof Error ? e.message : String(e)}`;
        showError(message);
        return { outcome: 'error', reason: 'explain', message };
      } finally {
        listening.dispose();
      }
      if (!response.ok) return failed(request, response.error);
      if (response.shadow) {
        request.history = response.shadow.history;
        await deps.showShadowFailures(response.shadow.history, response.shadow.failures);
      }
      explainErrors.delete(doc.uri);
      const analyzed = analyzePlan(response.plan);
      deps.showPlan({
        analyzed, tips: response.tips, sql: statement.text, source: response.source, raw: response.plan, document: doc.uri, history: response.shadow?.history,
        rerun: async () => void (await runRequest(deps, request)),
      });
      return { outcome: 'plan', source: response.source.kind };
    },
  );
}

function failed(request: ExplainRequest, error: ExplainFailure): ExplainCommandResult {
  if (error.kind === 'cancelled') return { outcome: 'cancelled' };
  const message = `pgvet: ${error.message}`;
  if (error.kind === 'explain') {
    showErrorInEditor(request.doc, request.statement, error);
    showError(message);
    return { outcome: 'error', reason: 'explain', message };
  }
  // Not awaited: the progress ends now, and the buttons still work whenever they are clicked.
  showError(message, request.target.kind === 'server'
    ? { 'Set Password': () => vscode.commands.executeCommand('pgvet.setConnectionPassword'), 'Select Connection': () => vscode.commands.executeCommand('pgvet.selectConnection') }
    : {});
  return { outcome: 'error', reason: error.kind === 'refused' ? 'refused' : 'connection', message };
}

export function registerExplainCommands(context: vscode.ExtensionContext, deps: ExplainDeps): vscode.Disposable {
  const client = deps.client();
  return vscode.Disposable.from(
    explainErrors,
    // The server asks before a statement that writes runs (the runner's confirmation), as a modal here.
    client?.onRequest(CONFIRM_EXPLAIN_REQUEST, (p: ConfirmExplainParams) => confirmExplain(context.workspaceState, p)) ?? { dispose: () => undefined },
    vscode.commands.registerCommand('pgvet.explainAnalyze', (uri?: vscode.Uri, offset?: number) => explain(context, deps, true, uri && offset !== undefined ? { uri, offset } : undefined)),
    vscode.commands.registerCommand('pgvet.explain', (uri?: vscode.Uri, offset?: number) => explain(context, deps, false, uri && offset !== undefined ? { uri, offset } : undefined)),
  );
}
