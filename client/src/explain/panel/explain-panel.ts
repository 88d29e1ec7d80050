/**
 * The EXPLAIN ANALYZE panel host: one webview panel beside the editor, reused for each new plan.
 *
 * How to use it (commands and activation are wired elsewhere):
 *
 *   // activate(): restores the panel after a window reload. package.json needs the activation event
 *   // "onWebviewPanel:pgvet.explain" (VIEW_TYPE) so this runs before VS Code revives the panel.
 *   context.subscriptions.push(registerExplainPanelSerializer(context, handlers));
 *
 *   // while the query runs (optional; the panel shows a spinner and the message):
 *   ExplainPanel.showRunning(context, 'Running EXPLAIN ANALYZE on the shadow database…');
 *
 *   // with the result:
 *   const plan = analyzePlan(explainJson);                       // core/src/explain/plan/metrics
 *   ExplainPanel.show(context, {
 *     plan, tips: findTips(plan, { sql }), sql,                  // core/src/explain/plan/tips
 *     source: SHADOW_SOURCE,                                     // or { kind: 'connection', label: 'prod-replica' }
 *     rawText,                                                   // EXPLAIN (FORMAT TEXT) output, if you have it
 *   });
 *   ExplainPanel.showError(context, 'Connection refused: …');   // a failed run
 *
 * `handlers` (ExplainPanelHandlers) receive the panel's buttons, already validated against the plan
 * the panel shows: save, compare, create index (the tip and its CREATE INDEX fix), open a SQL/setting
 * fix, load sample rows, copy. `show`/`showRunning`/`showError` take handlers too; without them the
 * ones given to registerExplainPanelSerializer apply. Copy defaults to the clipboard, fixes default to
 * an untitled SQL editor for review, and compare to a quick pick of the window's recent plans and
 * saved files (compare-picker.ts); save and load sample rows need handlers.
 */
import * as vscode from 'vscode';
import { pickPlanToCompare, type PlanToCompare } from './compare-picker';
import { resolvePanelMessage, type CreateIndexTip, type PanelAction } from './dispatch';
import { createNonce, renderHtml } from './html';
import { HostMessageSchema, PanelStateSchema, VIEW_TYPE, type HostMessage, type PlanView, type PlanViewTip } from '../protocol/messages';
import { PlanHistory, type ComparisonCandidate } from './plan-history';
import { fixSql } from '../protocol/plan-text';
import { toPlanView, type PlanViewInput } from './plan-view';

export { SHADOW_SOURCE } from './plan-view';
export { VIEW_TYPE } from '../protocol/messages';

type Awaitable<T> = T | Thenable<T>;

export interface ExplainPanelHandlers {
  /** "Save plan": write it to a .pgplan.json file. */
  onSave?(plan: PlanView): Awaitable<void>;
  /**
   * "Compare…": the plan to compare the shown one with, from `recent` (this window's other plans, the
   * same query first) or elsewhere. Default: a quick pick of those plus "Open a saved plan…".
   */
  onCompare?(plan: PlanView, recent: ComparisonCandidate[]): Awaitable<PlanToCompare | undefined>;
  /** A tip's "Create index migration…" button. */
  onCreateIndex?(tip: CreateIndexTip, plan: PlanView): Awaitable<void>;
  /** A tip's SQL or setting fix (ANALYZE, CREATE STATISTICS, SET work_mem …). Default: an untitled SQL editor. */
  onOpenFix?(tip: PlanViewTip, sql: string, plan: PlanView): Awaitable<void>;
  /** "Load sample rows" (shown for plans from the shadow database). */
  onLoadSampleRows?(plan: PlanView): Awaitable<void>;
  /** Copy buttons. Default: the clipboard. */
  onCopy?(text: string, format: 'json' | 'text' | 'sql'): Awaitable<void>;
  /** Refused messages and other diagnostics, e.g. the pgvet output channel. */
  log?(message: string): void;
}

let defaultHandlers: ExplainPanelHandlers = {};

/** Every plan a pgvet panel showed in this window (newest first), offered by "Compare…". */
export const recentPlans = new PlanHistory();

function webviewOptions(context: vscode.ExtensionContext): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist', 'media')] };
}

function panelTitle(plan: PlanView | undefined): string {
  if (!plan) return 'EXPLAIN';
  const sql = plan.sql?.replace(/\s+/g, ' ').trim();
  const kind = plan.summary.analyzed ? 'EXPLAIN ANALYZE' : 'EXPLAIN';
  return sql ? `${kind}: ${sql.length > 40 ? `${sql.slice(0, 39)}…` : sql}` : kind;
}

export class ExplainPanel {
  static current: ExplainPanel | undefined;

  private plan: PlanView | undefined;
  /** The last running/error notice, re-sent when the webview reloads before a plan replaces it. */
  private status: HostMessage | undefined;
  /** The webview listens (said `ready`) and shows `webviewPlanId`; false while hidden (it is unloaded then). */
  private ready = false;
  private webviewPlanId: string | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
    private handlers: ExplainPanelHandlers,
    plan?: PlanView,
    /** False in a custom editor, whose tab VS Code names after the file. */
    private readonly ownsTitle = true,
  ) {
    this.plan = plan;
    if (plan) recentPlans.add(plan);
    panel.webview.options = webviewOptions(context);
    if (ownsTitle) panel.title = panelTitle(plan);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
      panel.onDidDispose(() => this.dispose()),
    );
    this.render();
  }

  /** Shows a plan, creating the panel beside the editor or revealing the existing one. */
  static show(context: vscode.ExtensionContext, input: PlanViewInput | PlanView, handlers?: ExplainPanelHandlers): ExplainPanel {
    const plan = 'planId' in input && 'nodes' in input ? input : toPlanView(input);
    const panel = ExplainPanel.open(context, handlers);
    panel.setPlan(plan);
    return panel;
  }

  static showRunning(context: vscode.ExtensionContext, message: string, handlers?: ExplainPanelHandlers): ExplainPanel {
    const panel = ExplainPanel.open(context, handlers);
    panel.setStatus({ type: 'running', message });
    return panel;
  }

  static showError(context: vscode.ExtensionContext, message: string, handlers?: ExplainPanelHandlers): ExplainPanel {
    const panel = ExplainPanel.open(context, handlers);
    panel.setStatus({ type: 'error', message });
    return panel;
  }

  /** Takes over a panel VS Code restored after a reload; `state` is what the webview last saved. */
  static revive(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, state: unknown, handlers: ExplainPanelHandlers = defaultHandlers): ExplainPanel {
    const parsed = PanelStateSchema.safeParse(state);
    ExplainPanel.current?.dispose();
    const revived = new ExplainPanel(panel, context, handlers, parsed.success ? parsed.data.plan : undefined);
    if (!parsed.success) revived.status = { type: 'error', message: 'The previous plan could not be restored. Run EXPLAIN again.' };
    ExplainPanel.current = revived;
    return revived;
  }

  /**
   * Hosts a plan in a webview panel VS Code created for something else: the custom editor of
   * `.pgplan.json` files. Not the reusable EXPLAIN panel: new plans never replace its content.
   */
  static attach(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, content: { plan: PlanView } | { error: string }, handlers: ExplainPanelHandlers = defaultHandlers): ExplainPanel {
    const attached = new ExplainPanel(panel, context, handlers, 'plan' in content ? content.plan : undefined, false);
    if ('error' in content) attached.status = { type: 'error', message: content.error };
    return attached;
  }

  private static open(context: vscode.ExtensionContext, handlers?: ExplainPanelHandlers): ExplainPanel {
    const existing = ExplainPanel.current;
    if (existing) {
      if (handlers) existing.handlers = handlers;
      existing.panel.reveal(existing.panel.viewColumn ?? vscode.ViewColumn.Beside, true);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, 'EXPLAIN', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      ...webviewOptions(context),
      // Hidden panels are unloaded; the webview keeps its plan with setState and restores from it.
      retainContextWhenHidden: false,
      enableFindWidget: true,
    });
    ExplainPanel.current = new ExplainPanel(panel, context, handlers ?? defaultHandlers);
    return ExplainPanel.current;
  }

  get currentPlan(): PlanView | undefined {
    return this.plan;
  }

  setPlan(plan: PlanView): void {
    this.plan = plan;
    this.status = undefined;
    recentPlans.add(plan);
    if (this.ownsTitle) this.panel.title = panelTitle(plan);
    this.post({ type: 'plan', plan });
  }

  private setStatus(message: HostMessage): void {
    this.status = message;
    this.post(message);
  }

  /** A fresh nonce and HTML; the webview then says `ready` and gets what it is missing. */
  private render(): void {
    this.ready = false;
    const webview = this.panel.webview;
    const media = vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'media');
    webview.html = renderHtml({
      cspSource: webview.cspSource,
      nonce: createNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'explain.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'explain.css')).toString(),
    });
  }

  private post(message: HostMessage): void {
    // Messages to an unloaded webview are dropped; `ready` will ask again.
    if (!this.ready) return;
    const checked = HostMessageSchema.safeParse(message);
    if (!checked.success) {
      this.log(`not sending an invalid ${message.type} message to the EXPLAIN panel: ${checked.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      void vscode.window.showErrorMessage('pgvet: the plan could not be shown (invalid plan data; see the pgvet output).');
      return;
    }
    if (message.type === 'plan') this.webviewPlanId = message.plan.planId;
    void this.panel.webview.postMessage(message);
  }

  private onMessage(raw: unknown): void {
    const resolved = resolvePanelMessage(raw, this.plan);
    if (!resolved.ok) {
      this.log(resolved.reason);
      return;
    }
    if (resolved.action.kind === 'ready') {
      this.ready = true;
      this.webviewPlanId = resolved.action.planId;
      if (this.plan && this.webviewPlanId !== this.plan.planId) this.post({ type: 'plan', plan: this.plan });
      if (this.status) this.post(this.status);
      return;
    }
    void this.run(resolved.action);
  }

  private async run(action: Exclude<PanelAction, { kind: 'ready' }>): Promise<void> {
    const plan = this.plan!;
    const h = this.handlers;
    try {
      switch (action.kind) {
        case 'save': return await this.required(h.onSave, 'Save plan')?.(plan);
        case 'compare': {
          const chosen = await (h.onCompare ?? pickPlanToCompare)(plan, recentPlans.candidates(plan));
          // The panel may show another plan by now; comparing that one with the choice is still right.
          if (chosen && !this.disposed) this.post({ type: 'compare', base: chosen.base, label: chosen.label });
          return;
        }
        case 'loadSampleRows': return await this.required(h.onLoadSampleRows, 'Load sample rows')?.(plan);
        case 'copy':
          if (h.onCopy) return await h.onCopy(action.text, action.format);
          await vscode.env.clipboard.writeText(action.text);
          vscode.window.setStatusBarMessage(`pgvet: ${{ json: 'plan JSON', text: 'plan text', sql: 'query' }[action.format]} copied`, 2500);
          return;
        case 'createIndex':
          if (h.onCreateIndex) return await h.onCreateIndex(action.tip, plan);
          return await openSqlForReview(action.tip.fix.sql);
        case 'openFix': {
          const sql = fixSql(action.tip) ?? '';
          if (h.onOpenFix) return await h.onOpenFix(action.tip, sql, plan);
          return await openSqlForReview(sql);
        }
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.log(`EXPLAIN panel ${action.kind} failed: ${message}`);
      void vscode.window.showErrorMessage(`pgvet: ${message}`);
    }
  }

  private required<T>(handler: T | undefined, label: string): T | undefined {
    if (!handler) void vscode.window.showInformationMessage(`pgvet: "${label}" is not available here.`);
    return handler;
  }

  private log(message: string): void {
    (this.handlers.log ?? defaultHandlers.log)?.(message);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (ExplainPanel.current === this) ExplainPanel.current = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}

async function openSqlForReview(sql: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument({ language: 'sql', content: `${sql}\n` });
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preview: false });
}

/**
 * Restores the panel after a window reload from the state its webview saved. Call once in activate();
 * `handlers` also become the default for ExplainPanel.show.
 */
export function registerExplainPanelSerializer(context: vscode.ExtensionContext, handlers: ExplainPanelHandlers = {}): vscode.Disposable {
  defaultHandlers = handlers;
  return vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
      ExplainPanel.revive(panel, context, state, handlers);
    },
  });
}
