import * as vscode from 'vscode';
import { readClientSetting, connectPg, ConnectionError, analyzePlan, findTips, runExplain, classifyStatement, initSafety } from '../../../core/src';
import type { ExplainClient, AnalyzedPlan, Tip, ConfirmationRequest, ExplainError } from '../../../core/src';
import { pgvetSettings } from '../configuration';
import { configuredConnections, resolveTarget } from '../connections/connections';
import { statementAt, type StatementText } from './statement-at';

/** What the command needs from the panel and the embedded database (wired in extension.ts). */
export interface ExplainDeps {
  /** `rerun` runs the same EXPLAIN again (same statement, values and target), e.g. after sample rows were loaded. */
  showPlan(input: { analyzed: AnalyzedPlan; tips: Tip[]; sql: string; source: { kind: 'shadow' | 'connection'; label: string }; raw: unknown; document?: vscode.Uri; rerun: () => Promise<void> }): void;
  /** Says in the panel that a query is running. */
  showRunning(message: string): void;
  /**
   * The embedded shadow database for the workspace, built (or reused) on demand, held for this EXPLAIN
   * until `end()` (its one session must not interleave with another EXPLAIN or with loading sample rows).
   */
  embedded(progress: vscode.Progress<{ message?: string }>, token: vscode.CancellationToken, sql: string): Promise<{ client: ExplainClient; label: string; end(): Promise<void> }>;
}

/** One EXPLAIN as the user asked for it: what a re-run repeats. */
interface ExplainRequest {
  doc: vscode.TextDocument;
  statement: StatementText;
  params: (string | null)[];
  analyze: boolean;
  target: Exclude<Awaited<ReturnType<typeof resolveTarget>>, { error: string }>;
  /** Where "Run and Roll Back" answers are remembered. */
  state: vscode.Memento;
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
async function confirmExplain(state: vscode.Memento, sql: string, analyze: boolean, request: ConfirmationRequest): Promise<boolean> {
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

function showErrorInEditor(doc: vscode.TextDocument, statement: StatementText, error: ExplainError): void {
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

async function explain(context: vscode.ExtensionContext, deps: ExplainDeps, analyze: boolean, at?: { uri: vscode.Uri; offset: number }): Promise<ExplainCommandResult> {
  const editor = vscode.window.activeTextEditor;
  const doc = at ? await vscode.workspace.openTextDocument(at.uri) : editor?.document;
  if (!doc) {
    const message = 'pgvet: open a .sql file and put the cursor in a query to explain it.';
    void vscode.window.showInformationMessage(message);
    return { outcome: 'error', reason: 'no-statement', message };
  }
  const text = doc.getText();
  const sel = at ? { start: at.offset, end: at.offset } : { start: doc.offsetAt(editor!.selection.start), end: doc.offsetAt(editor!.selection.end) };
  const statement = statementAt(text, sel.start, sel.end);
  if (!statement) {
    const message = 'pgvet: no statement at the cursor.';
    void vscode.window.showInformationMessage(message);
    return { outcome: 'error', reason: 'no-statement', message };
  }
  await initSafety();
  const c = classifyStatement(statement.text);
  if (c.kind === 'refused') {
    const message = `pgvet: cannot explain this statement: ${c.reason}`;
    showError(message);
    return { outcome: 'error', reason: 'refused', message };
  }
  let params: string[] = [];
  if (analyze && c.paramCount > 0) {
    const asked = await askParameters(context.workspaceState, statement.text, c.paramCount);
    if (!asked) return { outcome: 'cancelled' };
    params = asked;
  }

  const target = await resolveTarget(context.secrets, doc.uri);
  if ('error' in target) {
    const message = `pgvet: ${target.error}`;
    showError(message, { 'Select Connection': () => vscode.commands.executeCommand('pgvet.selectConnection') });
    return { outcome: 'error', reason: 'no-connection', message };
  }
  return runRequest(deps, { doc, statement, params: params.map((p) => (p === 'NULL' ? null : p)), analyze, target, state: context.workspaceState });
}

/** Runs one EXPLAIN with a cancellable progress notification and shows the plan (or the error). */
async function runRequest(deps: ExplainDeps, request: ExplainRequest): Promise<ExplainCommandResult> {
  const { doc, statement, analyze, target } = request;
  const { statementTimeoutMs, lockTimeoutMs } = settingsFor(doc.uri);
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `pgvet: ${analyze ? 'EXPLAIN ANALYZE' : 'EXPLAIN'}`, cancellable: true },
    async (progress, token): Promise<ExplainCommandResult> => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      let client: ExplainClient;
      let source: { kind: 'shadow' | 'connection'; label: string };
      let end: () => Promise<void> = async () => undefined;
      try {
        if (target.kind === 'embedded') {
          progress.report({ message: 'building the embedded database from the migrations…' });
          // The statement says which migration history (which database) it belongs to, when the workspace has several.
          const embedded = await deps.embedded(progress, token, statement.text);
          ({ client, end } = embedded);
          source = { kind: 'shadow', label: embedded.label };
        } else {
          progress.report({ message: `connecting to ${target.label}…` });
          ({ client, end } = await connectPg(target.config));
          source = { kind: 'connection', label: target.label };
        }
      } catch (e) {
        // AbortError: the user dismissed the choice of migration history.
        if (token.isCancellationRequested || (e as Error)?.name === 'AbortError') return { outcome: 'cancelled' };
        const message = `pgvet: ${e instanceof ConnectionError ? e.message : e instanceof Error ? e.message : String(e)}`;
        // Not awaited: the progress ends now, and the buttons still work whenever they are clicked.
        showError(message, target.kind === 'server'
          ? { 'Set Password': () => vscode.commands.executeCommand('pgvet.setConnectionPassword'), 'Select Connection': () => vscode.commands.executeCommand('pgvet.selectConnection') }
          : {});
        return { outcome: 'error', reason: 'connection', message };
      }
      try {
        progress.report({ message: 'running… (cancel stops the query)' });
        deps.showRunning(`Running ${analyze ? 'EXPLAIN ANALYZE' : 'EXPLAIN'} on ${source.label}…`);
        const result = await runExplain(client, statement.text, request.params, {
          analyze,
          statementTimeoutMs,
          lockTimeoutMs,
          confirm: (q) => confirmExplain(request.state, statement.text, analyze, q),
          role: target.kind === 'server' ? explainRoleFor(doc.uri, target.name) : undefined,
          signal: abort.signal,
        });
        if (!result.ok) {
          showErrorInEditor(doc, statement, result.error);
          if (result.error.kind === 'cancelled') return { outcome: 'cancelled' };
          const message = `pgvet: ${result.error.message}`;
          showError(message);
          return { outcome: 'error', reason: 'explain', message };
        }
        explainErrors.delete(doc.uri);
        const analyzed = analyzePlan(result.plan);
        deps.showPlan({
          analyzed, tips: findTips(analyzed, { sql: statement.text }), sql: statement.text, source, raw: result.plan, document: doc.uri,
          rerun: async () => void (await runRequest(deps, request)),
        });
        return { outcome: 'plan', source: source.kind };
      } finally {
        await end().catch(() => undefined);
      }
    },
  );
}

export function registerExplainCommands(context: vscode.ExtensionContext, deps: ExplainDeps): vscode.Disposable {
  return vscode.Disposable.from(
    explainErrors,
    vscode.commands.registerCommand('pgvet.explainAnalyze', (uri?: vscode.Uri, offset?: number) => explain(context, deps, true, uri && offset !== undefined ? { uri, offset } : undefined)),
    vscode.commands.registerCommand('pgvet.explain', (uri?: vscode.Uri, offset?: number) => explain(context, deps, false, uri && offset !== undefined ? { uri, offset } : undefined)),
  );
}
