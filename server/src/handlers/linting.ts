import { dirname, resolve, sep } from 'node:path';
import type { Connection } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { lintDocument, prismaSuppressionFixes, prismaSchemaPaths } from '../../../core/src';
import type { Workspace, Finding, PrismaFile, SqlFile } from '../../../core/src';
import type { EditorBaseline } from './editor-baseline';
import { findingToDiagnostic, sqlSuppressions, type Suppressions } from './diagnostics';
import type { ProjectConfigs } from './project-config';
import { uriToPath } from './project-config';
import type { SettingsCache } from './settings';

export type ParsedDocument = { language: 'sql'; file: SqlFile } | { language: 'prisma'; file: PrismaFile };

export interface LintedDocument {
  version: number;
  findings: Finding[];
  suppressions: Suppressions;
  /** The parse the lint made of this version (hover, definition and symbols reuse it). */
  parsed: ParsedDocument;
  /** A .prisma file: every file of its schema (itself included), and the migrations folder it was checked against. */
  schemaFiles?: readonly string[];
  migrationsDir?: string;
}

const isInside = (file: string, dir: string) => resolve(file).startsWith(resolve(dir) + sep);

/**
 * Lints open documents: at once on open, debounced on change, and publishes the
 * diagnostics only if the document has not moved on meanwhile.
 */
export class Linter {
  /** Cancels the lint scheduled per document. */
  private readonly timers = new Map<string, () => void>();
  /** The latest `schedule` call per document: an earlier one whose settings arrive late, or whose lint is due, is dropped. */
  private readonly tickets = new Map<string, object>();
  private readonly results = new Map<string, LintedDocument>();
  private readonly reportedSettingsProblems = new Set<string>();
  /**
   * The text of each open .prisma file that its schema's other open files were last linted with. Only a lint
   * whose text differs re-lints them, so their re-lints (text unchanged) never re-lint anything: no loops.
   */
  private readonly textSeenBySchema = new Map<string, string>();
  /** Resolves when a lint of this uri has been published (tests and benchmarks wait on it). */
  onPublished?: (uri: string, version: number) => void;
  /** Told why migrations could not be told applied or pending (said once by the caller). */
  onAppliedProblem?: (problem: string) => void;
  /** pgvet-baseline.json: the findings it lists are not shown (see handlers/editor-baseline.ts). */
  baseline?: EditorBaseline;
  /** An open migration's unsaved text changed its history (the workspace's problems change with it). */
  onHistoryChanged?: () => void;

  constructor(
    private readonly connection: Connection,
    private readonly settings: SettingsCache,
    private readonly configs: ProjectConfigs,
    private readonly getDocument: (uri: string) => TextDocument | undefined,
    private readonly allDocuments: () => TextDocument[],
    private readonly workspace: Workspace,
  ) {}

  private index() {
    return this.workspace.index;
  }

  /** Files as the workspace has them (for the lines of related places). */
  get textOf(): (path: string) => string | undefined {
    return this.workspace.textOf;
  }

  lastResult(uri: string): LintedDocument | undefined {
    return this.results.get(uri);
  }

  /** The lint's parse of exactly this version of a document, when it has linted that version. */
  parsedAt(uri: string, version: number): ParsedDocument | undefined {
    const r = this.results.get(uri);
    return r?.version === version ? r.parsed : undefined;
  }

  /** The last lint's parse of a SQL document, whatever its version: the next lint re-parses only what changed. */
  private parsedSqlOf(uri: string): SqlFile | undefined {
    const parsed = this.results.get(uri)?.parsed;
    return parsed?.language === 'sql' ? parsed.file : undefined;
  }

  parsedSql(uri: string, version: number): SqlFile | undefined {
    const p = this.parsedAt(uri, version);
    return p?.language === 'sql' ? p.file : undefined;
  }

  schedule(doc: TextDocument, immediate: boolean): void {
    const uri = doc.uri;
    this.cancel(uri);
    const ticket = {};
    this.tickets.set(uri, ticket);
    void this.settings.get(uri).then(({ settings }) => {
      // A later call (a newer edit) has taken over while the settings were read: its timer is the one to run.
      if (this.tickets.get(uri) !== ticket) return;
      const delay = immediate ? 0 : settings.lint.debounceMs;
      const run = () => {
        this.timers.delete(uri);
        void this.lintNow(uri, ticket);
      };
      // No wait: setImmediate, not a timer of 1 ms, which lets the process sleep and on a busy machine wake late.
      if (delay === 0) {
        const pending = setImmediate(run);
        this.timers.set(uri, () => clearImmediate(pending));
      } else {
        const pending = setTimeout(run, delay);
        this.timers.set(uri, () => clearTimeout(pending));
      }
    });
  }

  /** Drops the lint scheduled for `uri`, if any (a newer one is scheduled, or the document is gone). */
  private cancel(uri: string): void {
    this.timers.get(uri)?.();
    this.timers.delete(uri);
    this.tickets.delete(uri);
  }

  /** `ticket`: the schedule that asked; the lint is dropped when a later one has been made meanwhile. */
  async lintNow(uri: string, ticket?: object): Promise<void> {
    const doc = this.getDocument(uri);
    if (!doc) return;
    const { settings, problems } = await this.settings.get(uri);
    if (ticket) {
      // The messages already received go first (vscode-jsonrpc handles one per setImmediate): when one of them is
      // a newer edit, this lint would be stale before it starts, and the newer edit has scheduled its own.
      await new Promise<void>((done) => setImmediate(done));
      if (this.tickets.get(uri) !== ticket) return;
    }
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
    const text = doc.getText();
    let diagnostics;
    let historyChanged = false;
    try {
      const config = this.configs.forDocument(uri, settings);
      const path = uriToPath(uri);
      const language = doc.languageId === 'prisma' ? 'prisma' : 'sql';
      const lint = lintDocument(this.workspace, { path: language === 'prisma' ? path ?? uri : path, text, language, config, previous: this.parsedSqlOf(uri) });
      if (lint.language === 'sql') {
        historyChanged = lint.historyChanged;
        for (const problem of this.index()?.appliedProblems() ?? []) this.onAppliedProblem?.(problem);
      }
      for (const failure of lint.ruleFailures) this.connection.console.error(`rule ${failure.ruleId} failed on ${uri}: ${failure.error}`);
      let linted: LintedDocument =
        lint.language === 'prisma'
          ? {
              version,
              findings: lint.findings,
              suppressions: (f) => { const s = prismaSuppressionFixes(lint.result.file, f); return { local: s.node, file: s.file }; },
              parsed: { language: 'prisma', file: lint.result.file },
              schemaFiles: lint.schemaFiles,
              migrationsDir: lint.result.migrationsDir,
            }
          : { version, findings: lint.findings, suppressions: sqlSuppressions(lint.result), parsed: { language: 'sql', file: lint.result.file } };
      if (path && this.baseline) linted = this.withoutBaselined(path, linted, text);
      this.results.set(uri, linted);
      diagnostics = linted.findings.map((f) => findingToDiagnostic(doc, linted.suppressions, f, this.textOf));
    } catch (e) {
      // The server must survive any input: log it, keep the previous diagnostics.
      this.connection.console.error(`pgvet could not lint ${uri}: ${e instanceof Error ? e.stack : String(e)}`);
      return;
    }
    const current = this.getDocument(uri);
    if (!current || current.version !== version) return; // a newer lint is on its way
    await this.connection.sendDiagnostics({ uri, version, diagnostics });
    this.onPublished?.(uri, version);
    if (historyChanged) {
      this.relintHistoryOf(uri);
      this.onHistoryChanged?.();
    }
    if (doc.languageId === 'prisma' && this.schemaTextChanged(uri, text)) this.relintSchemaOf(uri);
  }

  private withoutBaselined(path: string, linted: LintedDocument, text: string): LintedDocument {
    const parsed = linted.parsed;
    const spanOf = (f: Finding) => (parsed.language === 'sql' && f.statementIndex !== undefined ? parsed.file.statements[f.statementIndex] : undefined);
    const home = parsed.language === 'prisma' ? linted.migrationsDir ?? dirname(path) : this.index()?.setOf(path)?.dir;
    const { kept } = this.baseline!.filter(path, linted.findings, text, spanOf, home);
    return { ...linted, findings: kept };
  }

  /**
   * Whether the other files of this .prisma file's schema have seen another text of it than `text`: the text
   * they were last re-linted with, or before that the one on disk (what they read while it was closed).
   */
  private schemaTextChanged(uri: string, text: string): boolean {
    const seen = this.textSeenBySchema.get(uri) ?? this.onDisk(uri);
    this.textSeenBySchema.set(uri, text);
    return seen !== text;
  }

  /** Other open files of the same history see a new catalog: lint them again (debounced), and the Prisma schemas checked against it. */
  relintHistoryOf(uri: string): void {
    const path = uriToPath(uri);
    const set = path ? this.index()?.setOf(path) : undefined;
    if (!set) return;
    for (const other of this.allDocuments()) {
      const p = uriToPath(other.uri);
      if (other.uri !== uri && p && set.migrations.some((m) => m.path === p)) this.schedule(other, false);
    }
    this.relintPrismaCheckedAgainst((dir) => resolve(dir) === resolve(set.dir));
  }

  /** The other open files of a .prisma file's schema: their findings depend on every file of it. */
  relintSchemaOf(uri: string, schemaFiles = this.results.get(uri)?.schemaFiles): void {
    const path = uriToPath(uri);
    if (!path) return;
    const files = new Set((schemaFiles ?? [path]).map((f) => resolve(f)));
    for (const other of this.openPrisma()) {
      if (other.doc.uri === uri) continue;
      const theirs = this.results.get(other.doc.uri)?.schemaFiles?.map((f) => resolve(f)) ?? [];
      if (files.has(resolve(other.path)) || theirs.includes(resolve(path))) this.schedule(other.doc, false);
    }
  }

  /**
   * .prisma files changed, appeared or disappeared on disk (not open ones' saves: their editor text is what
   * counts): open files of the schemas they belong to, before or now, are linted again.
   */
  prismaFilesChanged(paths: readonly string[]): void {
    const changed = new Set(paths.map((p) => resolve(p)));
    for (const { doc, path } of this.openPrisma()) {
      const before = this.results.get(doc.uri)?.schemaFiles ?? [];
      if (before.some((f) => changed.has(resolve(f))) || prismaSchemaPaths(path, this.workspace.files).some((f) => changed.has(resolve(f)))) this.schedule(doc, true);
    }
  }

  /** Migration files changed on disk: the open .prisma files checked against their folder are linted again. */
  migrationFilesChanged(paths: readonly string[]): void {
    this.relintPrismaCheckedAgainst((dir) => paths.some((p) => isInside(p, dir)));
  }

  private relintPrismaCheckedAgainst(matches: (migrationsDir: string) => boolean): void {
    for (const { doc } of this.openPrisma()) {
      const dir = this.results.get(doc.uri)?.migrationsDir;
      if (dir && matches(dir)) this.schedule(doc, false);
    }
  }

  private openPrisma(): { doc: TextDocument; path: string }[] {
    return this.allDocuments().flatMap((doc) => {
      const path = doc.languageId === 'prisma' ? uriToPath(doc.uri) : undefined;
      return path ? [{ doc, path }] : [];
    });
  }

  relintAll(): void {
    for (const doc of this.allDocuments()) this.schedule(doc, true);
  }

  /** A document was closed: its diagnostics go, and a .prisma file's schema goes back to its text on disk. */
  closed(doc: TextDocument): void {
    const schemaFiles = this.results.get(doc.uri)?.schemaFiles;
    const seen = this.textSeenBySchema.get(doc.uri);
    this.clear(doc.uri);
    this.textSeenBySchema.delete(doc.uri);
    if (doc.languageId === 'prisma' && seen !== undefined && seen !== this.onDisk(doc.uri)) this.relintSchemaOf(doc.uri, schemaFiles);
  }

  /** The file's text on disk, under any editor text. */
  private onDisk(uri: string): string | undefined {
    const path = uriToPath(uri);
    return path === undefined ? undefined : this.workspace.files.disk.readFile(path);
  }

  clear(uri: string): void {
    this.cancel(uri);
    this.results.delete(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }
}
