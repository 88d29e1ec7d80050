import type { Connection } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { lintSql } from '../engine/lint';
import type { WorkspaceIndex } from '../engine/workspace';
import { nodeFileSystem } from '../engine/node-fs';
import { findingToDiagnostic, sqlSuppressions, type Suppressions } from './diagnostics';
import { lintPrisma, prismaSuppressionFixes } from '../engine/prisma-lint';
import { prismaSiblings } from '../engine/prisma-files';
import type { Finding } from '../engine/types';
import type { ProjectConfigs } from './project-config';
import { uriToPath } from './project-config';
import type { SettingsCache } from './settings';

export interface LintedDocument {
  version: number;
  findings: Finding[];
  suppressions: Suppressions;
}

/**
 * Lints open documents: at once on open, debounced on change, and publishes the
 * diagnostics only if the document has not moved on meanwhile.
 */
export class Linter {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly results = new Map<string, LintedDocument>();
  private readonly reportedSettingsProblems = new Set<string>();
  /** Resolves when a lint of this uri has been published (tests and benchmarks wait on it). */
  onPublished?: (uri: string, version: number) => void;

  constructor(
    private readonly connection: Connection,
    private readonly settings: SettingsCache,
    private readonly configs: ProjectConfigs,
    private readonly getDocument: (uri: string) => TextDocument | undefined,
    private readonly allDocuments: () => TextDocument[],
    private readonly index: () => WorkspaceIndex | undefined,
  ) {}

  lastResult(uri: string): LintedDocument | undefined {
    return this.results.get(uri);
  }

  schedule(doc: TextDocument, immediate: boolean): void {
    const pending = this.timers.get(doc.uri);
    if (pending) clearTimeout(pending);
    void this.settings.get(doc.uri).then(({ settings }) => {
      const delay = immediate ? 0 : settings.lint.debounceMs;
      this.timers.set(
        doc.uri,
        setTimeout(() => {
          this.timers.delete(doc.uri);
          void this.lintNow(doc.uri);
        }, delay),
      );
    });
  }

  async lintNow(uri: string): Promise<void> {
    const doc = this.getDocument(uri);
    if (!doc) return;
    const { settings, problems } = await this.settings.get(uri);
    for (const p of problems) {
      if (this.reportedSettingsProblems.has(p)) continue;
      this.reportedSettingsProblems.add(p);
      void this.connection.window.showWarningMessage(`pgvet: invalid setting, using the default instead — ${p}`);
    }
    if (!settings.enable || (doc.languageId !== 'sql' && doc.languageId !== 'prisma')) {
      this.clear(uri);
      return;
    }
    const version = doc.version;
    let diagnostics;
    let historyChanged = false;
    try {
      const config = this.configs.forDocument(uri, settings);
      const path = uriToPath(uri);
      const text = doc.getText();
      let linted: LintedDocument;
      if (doc.languageId === 'prisma') {
        const prismaPath = path ?? uri;
        const open = new Map(this.allDocuments().filter((d) => d.languageId === 'prisma').map((d) => [uriToPath(d.uri) ?? d.uri, d.getText()]));
        const result = lintPrisma({ path: prismaPath, text, config, siblings: path ? prismaSiblings(path, open) : [] });
        for (const failure of result.ruleFailures) this.connection.console.error(`rule ${failure.ruleId} failed on ${uri}: ${failure.error}`);
        linted = { version, findings: result.findings, suppressions: (f) => { const s = prismaSuppressionFixes(result.file, f); return { local: s.node, file: s.file }; } };
      } else {
        const index = this.index();
        // A migration of a history: its unsaved text feeds the catalog, and the schema rules' findings for it join its own.
        if (path && index?.setOf(path)) historyChanged = index.setOverlay(path, text);
        const catalogFindings = path && index ? index.catalogFindings(path, config) : undefined;
        const result = lintSql({ text, path, config, fs: nodeFileSystem, catalogFindings, parsed: path && index ? index.parsedText(path, text) : undefined });
        for (const failure of [...result.ruleFailures, ...(path && index ? index.catalogRuleFailures(path) : [])]) {
          this.connection.console.error(`rule ${failure.ruleId} failed on ${uri}: ${failure.error}`);
        }
        linted = { version, findings: result.findings, suppressions: sqlSuppressions(result) };
      }
      this.results.set(uri, linted);
      diagnostics = linted.findings.map((f) => findingToDiagnostic(doc, linted.suppressions, f));
    } catch (e) {
      // The server must survive any input: log it, keep the previous diagnostics.
      this.connection.console.error(`pgvet could not lint ${uri}: ${e instanceof Error ? e.stack : String(e)}`);
      return;
    }
    const current = this.getDocument(uri);
    if (!current || current.version !== version) return; // a newer lint is on its way
    await this.connection.sendDiagnostics({ uri, version, diagnostics });
    this.onPublished?.(uri, version);
    if (historyChanged) this.relintHistoryOf(uri);
  }

  /** Other open files of the same history see a new catalog: lint them again (debounced). */
  relintHistoryOf(uri: string): void {
    const path = uriToPath(uri);
    const set = path ? this.index()?.setOf(path) : undefined;
    if (!set) return;
    for (const other of this.allDocuments()) {
      const p = uriToPath(other.uri);
      if (other.uri !== uri && p && set.migrations.some((m) => m.path === p)) this.schedule(other, false);
    }
  }

  relintAll(): void {
    for (const doc of this.allDocuments()) this.schedule(doc, true);
  }

  clear(uri: string): void {
    const pending = this.timers.get(uri);
    if (pending) clearTimeout(pending);
    this.timers.delete(uri);
    this.results.delete(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }
}
