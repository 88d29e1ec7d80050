import { pathToFileURL } from 'node:url';
import type { Connection } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createHash } from 'node:crypto';
import { lintDocument, prismaSiblings, prismaSuppressionFixes, describingPrismaSchema, nodeDirectoryView } from '../../../core/src';
import { PROBLEMS_NOTIFICATION } from '../../../core/src';
import type { ResolvedConfig, Finding, Workspace, WorkspaceIndex, WorkspaceProblemCounts } from '../../../core/src';
import type { AppliedMigrations } from './applied';
import { findingToDiagnostic, sqlSuppressions } from './diagnostics';
import type { EditorBaseline } from './editor-baseline';
import type { ProjectConfigs } from './project-config';
import type { SettingsCache } from './settings';
import type { KeptProblems, ProblemsCache } from './problems-cache';

/**
 * The Problems panel of a whole workspace, not only of open files: every history's schema problems (on the Prisma
 * model when a schema.prisma describes the history), and, when pgvet knows which migrations are applied (a base
 * ref, pgvet.json "applied"), the findings of the pending ones. Without that knowledge every migration is pending,
 * and the statement findings of all of them would bury the list: closed files then get schema problems only.
 * Open files are the Linter's (see handlers/linting.ts).
 */
export class WorkspaceProblems {
  private readonly published = new Set<string>();
  private running?: Promise<void>;
  private again = false;

  constructor(
    private readonly connection: Connection,
    private readonly workspace: Workspace,
    private readonly configs: ProjectConfigs,
    private readonly settings: SettingsCache,
    private readonly applied: AppliedMigrations,
    private readonly baseline: EditorBaseline,
    private readonly isOpen: (uri: string) => boolean,
    private readonly cache?: ProblemsCache,
  ) {}

  private typing?: NodeJS.Timeout;

  /**
   * An open migration's unsaved text changed its history: publish again once typing pauses (every closed file
   * of the history is linted again, which on a large history is worth doing once, not per keystroke).
   */
  historyEdited(quietMs = 1000): void {
    if (this.typing) clearTimeout(this.typing);
    this.typing = setTimeout(() => {
      this.typing = undefined;
      void this.refresh();
    }, quietMs);
  }

  /** Publishes the workspace's problems (again); calls while one runs make one more run after it. */
  refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.publishAll();
        } while (this.again);
      } catch (e) {
        this.connection.console.error(`pgvet: publishing the workspace's problems failed: ${e instanceof Error ? e.stack : String(e)}`);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async publishAll(): Promise<void> {
    const index = this.workspace.index;
    if (!index) return;
    const key = this.cache && (await this.cacheKey(index));
    const kept = typeof key === 'string' ? this.cache!.load(key) : undefined;
    if (kept) {
      this.publishKept(kept);
      this.connection.console.info(`pgvet: the workspace's problems from the cache (${kept.diagnostics.length} files; ${JSON.stringify(this.cache!.stats)})`);
      return;
    }
    // Every file's diagnostics, open ones included, for the cache.
    const computed: KeptProblems['diagnostics'] | undefined = typeof key === 'string' ? [] : undefined;
    const counts: WorkspaceProblemCounts = { error: 0, warning: 0, other: 0, hidden: 0, baselines: [], baseRefs: [], appliedInConfig: false };
    const count = (findings: Finding[]) => {
      for (const f of findings) counts[f.severity === 'error' || f.severity === 'warning' ? f.severity : 'other']++;
    };
    const seen = new Set<string>();
    const source = this.applied.source();
    const baselines = new Set<string>();
    for (const set of index.migrationSets()) {
      const base = source.gitBase(set);
      if (base && !counts.baseRefs.includes(base.ref)) counts.baseRefs.push(base.ref);
      const configured = source.configured(set) !== undefined;
      counts.appliedInConfig ||= configured;
      const knowsPending = base !== undefined || configured;
      if (set.migrations.length === 0) continue;
      // One folder, one pgvet.json and one set of settings for the whole history.
      const { settings } = await this.settings.get(pathToFileURL(set.migrations[0].path).toString());
      if (!settings.enable) continue;
      const config: ResolvedConfig = this.configs.forDocument(pathToFileURL(set.migrations[0].path).toString(), settings);
      const baselineFile = this.baseline.fileFor(set.migrations[0].path);
      if (baselineFile) baselines.add(baselineFile);
      for (const m of set.migrations) {
        const uri = pathToFileURL(m.path).toString();
        const text = index.fileText(m.path) ?? m.text;
        const state = index.migrationState(m.path);
        // Schema rules only unless the migration is pending.
        const lint = lintDocument(this.workspace, { path: m.path, text, language: 'sql', config, closed: knowsPending && state?.kind === 'pending' ? 'all' : 'schema' });
        if (lint.language !== 'sql') continue;
        const result = lint.result;
        const { kept, hidden } = this.baseline.filter(m.path, result.findings, text, (f) => (f.statementIndex === undefined ? undefined : result.file.statements[f.statementIndex]), set.dir);
        counts.hidden += hidden;
        count(kept);
        seen.add(uri);
        if (this.isOpen(uri) && !computed) continue;
        const doc = TextDocument.create(uri, 'sql', 0, text);
        const diagnostics = kept.map((f) => findingToDiagnostic(doc, sqlSuppressions(result), f, this.workspace.textOf));
        computed?.push([uri, diagnostics]);
        if (!this.isOpen(uri)) this.publish(uri, diagnostics);
        // The server keeps answering while a large workspace is published.
        await new Promise<void>((r) => setImmediate(r));
      }
      for (const path of describingPrismaSchema(index, set.dir, config)) {
        const uri = pathToFileURL(path).toString();
        const text = this.workspace.textOf(path);
        if (text === undefined) continue;
        const lint = lintDocument(this.workspace, { path, text, language: 'prisma', config });
        if (lint.language !== 'prisma') continue;
        const result = lint.result;
        const problems = result.findings.filter((f) => f.object !== undefined);
        const { kept, hidden } = this.baseline.filter(path, problems, text, () => undefined, result.migrationsDir);
        counts.hidden += hidden;
        count(kept);
        seen.add(uri);
        if (this.isOpen(uri) && !computed) continue;
        const doc = TextDocument.create(uri, 'prisma', 0, text);
        const suppressions = (f: Finding) => { const s = prismaSuppressionFixes(result.file, f); return { local: s.node, file: s.file }; };
        const diagnostics = kept.map((f) => findingToDiagnostic(doc, suppressions, f, this.workspace.textOf));
        computed?.push([uri, diagnostics]);
        if (!this.isOpen(uri)) this.publish(uri, diagnostics);
      }
    }
    // Files that left every history (deleted, moved) lose what was published for them.
    for (const uri of [...this.published]) if (!seen.has(uri) && !this.isOpen(uri)) this.publish(uri, []);
    counts.baselines = [...baselines];
    void this.connection.sendNotification(PROBLEMS_NOTIFICATION, counts);
    // Kept only when nothing it was computed from moved meanwhile (a save, an edit, a settings change).
    if (typeof key === 'string' && computed && this.workspace.index === index && (await this.cacheKey(index)) === key) {
      this.cache!.store(key, { diagnostics: computed, counts });
      this.connection.console.info(`pgvet: the workspace's problems kept in the cache (${computed.length} files; ${JSON.stringify(this.cache!.stats)})`);
    } else if (key === null) {
      this.connection.console.info("pgvet: the workspace's problems not cached: a file's text is not the one on disk (unsaved, or not taken in yet)");
    }
  }

  /** Publishes a kept result: the closed files' diagnostics, the counts; files published before and not in it are cleared. */
  private publishKept(kept: KeptProblems): void {
    const seen = new Set<string>();
    for (const [uri, diagnostics] of kept.diagnostics) {
      seen.add(uri);
      if (!this.isOpen(uri)) this.publish(uri, diagnostics);
    }
    for (const uri of [...this.published]) if (!seen.has(uri) && !this.isOpen(uri)) this.publish(uri, []);
    void this.connection.sendNotification(PROBLEMS_NOTIFICATION, kept.counts);
  }

  /**
   * The cache key of the workspace's problems: this build (ProblemsCache), then per history everything publishAll
   * reads — its folder and layout, settings, pgvet.json as resolved, the baseline's bytes, each migration's text and
   * state (applied or pending), the base ref, the Prisma schemas describing it. Null (not cached) when a file's
   * text is not the file on disk: unsaved text, or a change on disk the index has not taken in yet; undefined when
   * there is no cache folder.
   */
  private async cacheKey(index: WorkspaceIndex): Promise<string | null | undefined> {
    const digest = (text: string) => createHash('sha256').update(text).digest('hex');
    const source = this.applied.source();
    const histories: unknown[] = [];
    for (const set of index.migrationSets()) {
      const first = set.migrations[0]?.path;
      const { settings } = first ? await this.settings.get(pathToFileURL(first).toString()) : { settings: undefined };
      const config = first && settings ? this.configs.forDocument(pathToFileURL(first).toString(), settings) : undefined;
      const migrations: unknown[] = [];
      for (const m of set.migrations) {
        const text = index.fileText(m.path) ?? m.text;
        if (text !== nodeDirectoryView.readFile(m.path)) return null;
        // The layout's reading of the file too (a diesel metadata.toml, a goose down section) and its down file's text.
        const down = m.downPath === undefined ? null : index.fileText(m.downPath) ?? nodeDirectoryView.readFile(m.downPath) ?? null;
        if (m.downPath !== undefined && down !== (nodeDirectoryView.readFile(m.downPath) ?? null)) return null;
        migrations.push([m.path, digest(text), m.version, digest(m.upText), m.context, m.downPath ?? null, down === null ? null : digest(down), index.migrationState(m.path) ?? null]);
      }
      const schemas: unknown[] = [];
      for (const path of config ? describingPrismaSchema(index, set.dir, config) : []) {
        for (const source of [{ path, text: this.workspace.textOf(path) ?? '' }, ...prismaSiblings(path, this.workspace.files)]) {
          if (source.text !== (nodeDirectoryView.readFile(source.path) ?? '')) return null;
          schemas.push([source.path, digest(source.text)]);
        }
      }
      const baselineFile = first ? this.baseline.fileFor(first) : undefined;
      const baselineText = baselineFile ? nodeDirectoryView.readFile(baselineFile) : undefined;
      const resolved = config && { project: config.project, rules: config.rules.map((r) => [r.rule.id, r.severity, r.options]), problems: config.problems };
      histories.push({ dir: set.dir, layout: set.layout, settings: settings ?? null, config: resolved ?? null, baseline: [baselineFile ?? null, baselineText === undefined ? null : digest(baselineText)], base: source.gitBase(set) ?? null, configured: source.configured(set) ?? null, migrations, schemas });
    }
    return this.cache!.keyOf(histories);
  }

  /** A file was opened: the Linter publishes for it from now on. */
  opened(uri: string): void {
    this.published.delete(uri);
  }

  private publish(uri: string, diagnostics: ReturnType<typeof findingToDiagnostic>[]): void {
    if (diagnostics.length === 0 && !this.published.has(uri)) return;
    if (diagnostics.length) this.published.add(uri);
    else this.published.delete(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics });
  }
}
