import { readFileSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import type { Connection } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { lintSql, schemaFindings, indexedHistories, nodeFileSystem, lintPrisma, prismaSuppressionFixes, prismaSchemaPaths, prismaSiblings } from '../../../core/src';
import type { WorkspaceIndex, Finding, PrismaFile, SqlFile } from '../../../core/src';
import { pathToFileURL } from 'node:url';
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
  private readonly timers = new Map<string, NodeJS.Timeout>();
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
    private readonly index: () => WorkspaceIndex | undefined,
  ) {}

  lastResult(uri: string): LintedDocument | undefined {
    return this.results.get(uri);
  }

  /** The lint's parse of exactly this version of a document, when it has linted that version. */
  parsedAt(uri: string, version: number): ParsedDocument | undefined {
    const r = this.results.get(uri);
    return r?.version === version ? r.parsed : undefined;
  }

  parsedSql(uri: string, version: number): SqlFile | undefined {
    const p = this.parsedAt(uri, version);
    return p?.language === 'sql' ? p.file : undefined;
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
    const text = doc.getText();
    let diagnostics;
    let historyChanged = false;
    try {
      const config = this.configs.forDocument(uri, settings);
      const path = uriToPath(uri);
      let linted: LintedDocument;
      if (doc.languageId === 'prisma') {
        const prismaPath = path ?? uri;
        const open = new Map(this.allDocuments().filter((d) => d.languageId === 'prisma').map((d) => [uriToPath(d.uri) ?? d.uri, d.getText()]));
        const siblings = path ? prismaSiblings(path, open) : [];
        const index = this.index();
        const result = lintPrisma({ path: prismaPath, text, config, siblings, histories: index && indexedHistories(index) });
        for (const failure of result.ruleFailures) this.connection.console.error(`rule ${failure.ruleId} failed on ${uri}: ${failure.error}`);
        linted = {
          version,
          findings: result.findings,
          suppressions: (f) => { const s = prismaSuppressionFixes(result.file, f); return { local: s.node, file: s.file }; },
          parsed: { language: 'prisma', file: result.file },
          schemaFiles: [prismaPath, ...siblings.map((s) => s.path)],
          migrationsDir: result.migrationsDir,
        };
      } else {
        const index = this.index();
        // A migration of a history: its unsaved text feeds the catalog, and the schema rules' findings for it join its own.
        if (path && index?.setOf(path)) historyChanged = index.setOverlay(path, text);
        const catalogFindings = path && index ? schemaFindings(index, path, config, (p) => this.openText(p)) : undefined;
        const catalogBefore = path && index ? index.catalogBefore(path) : undefined;
        // An applied migration (pgvet.json "applied", the git base) gets no statement findings: see engine/migration-state.ts.
        const migration = path && index ? index.migrationState(path) : undefined;
        const result = lintSql({ text, path, config, fs: nodeFileSystem, catalogFindings, catalogBefore, migration, parsed: path && index ? index.parsedText(path, text) : undefined });
        for (const problem of index?.appliedProblems() ?? []) this.onAppliedProblem?.(problem);
        for (const failure of [...result.ruleFailures, ...(path && index ? index.catalogRuleFailures(path) : [])]) {
          this.connection.console.error(`rule ${failure.ruleId} failed on ${uri}: ${failure.error}`);
        }
        linted = { version, findings: result.findings, suppressions: sqlSuppressions(result), parsed: { language: 'sql', file: result.file } };
      }
      if (path && this.baseline) linted = this.withoutBaselined(path, linted, text);
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
    if (historyChanged) {
      this.relintHistoryOf(uri);
      this.onHistoryChanged?.();
    }
    if (doc.languageId === 'prisma' && this.schemaTextChanged(uri, text)) this.relintSchemaOf(uri);
  }

  private openText(path: string): string | undefined {
    const resolved = resolve(path);
    return this.allDocuments().find((d) => uriToPath(d.uri) === resolved || uriToPath(d.uri) === path)?.getText() ?? readDisk(pathToFileURL(path).toString());
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
    const seen = this.textSeenBySchema.get(uri) ?? readDisk(uri);
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
      if (before.some((f) => changed.has(resolve(f))) || prismaSchemaPaths(path).some((f) => changed.has(resolve(f)))) this.schedule(doc, true);
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
    if (doc.languageId === 'prisma' && seen !== undefined && seen !== readDisk(doc.uri)) this.relintSchemaOf(doc.uri, schemaFiles);
  }

  clear(uri: string): void {
    const pending = this.timers.get(uri);
    if (pending) clearTimeout(pending);
    this.timers.delete(uri);
    this.results.delete(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }
}

function readDisk(uri: string): string | undefined {
  const path = uriToPath(uri);
  try {
    return path === undefined ? undefined : readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
