import { resolve as resolvePath } from 'node:path';
import { findMigrationSets, type MigrationFile, type MigrationSet } from '../catalog/history';
import { layoutById, type DirectoryView } from '../catalog/layouts';
import { downKind, historyKeepsDowns } from '../catalog/layouts/downs';
import { OverlayFileSystem } from '../fs/overlay';
import type { Catalog } from '../catalog/model';
import type { ResolvedConfig } from './resolve-config';
import { reparseSqlFile } from '../parse/sql/incremental';
import { parseSqlFile, type SqlFile } from '../parse/sql/parser';
import { lintCatalog, stepsNeeded, type CatalogLintResult } from './catalog-lint';
import { CHECKPOINT_EVERY, replayHistory, type HistoryStep, type ReplayResume } from '../catalog/history-replay';
import type { MigrationHistories } from './prisma-lint';
import { baseBlobs, blobText, differsFromBase, type GitBase } from './git-base';
import { appliedCount, PENDING, type AppliedSource } from './migration-state';
import type { MigrationState } from '../rule-kit/types';
import type { Finding, HistoryFile } from '../rule-kit/types';

interface ParsedEntry {
  text: string;
  parsed: SqlFile;
}

interface SetState {
  set: MigrationSet;
  /** Built lazily, dropped whenever a file of the set changes. */
  catalog?: Catalog;
  files?: Map<string, HistoryFile>;
  /** The catalog between migrations, from the same replay (see catalog/history-replay.ts). */
  steps?: HistoryStep[];
  stepPaths?: ReadonlySet<string>;
  /** Snapshots of the last replay, to resume from (see catalog/history-replay.ts). */
  checkpoints?: Map<number, Catalog>;
  /** The first migration (by position) that changed since the last replay. */
  dirtyFrom?: number;
  lint?: CatalogLintResult;
  lintConfig?: ResolvedConfig;
  /** The files the cached `lint` computed everything for (see `focusAll`). */
  lintFocus?: ReadonlySet<string>;
}

/**
 * The migration histories of a workspace: which folders hold migrations, in which order they run,
 * the catalog each history builds and the schema-rule findings on it. It reads through `files`, where the
 * editor's text of open files lies over the disk, so unsaved edits count once `refresh` has taken them in.
 * Parses are cached per file text.
 */
export class WorkspaceIndex {
  private sets: SetState[] = [];
  private readonly parses = new Map<string, ParsedEntry>();
  /** What the index reads: the workspace's files (see engine/lint-document.ts), or the disk given, without overlays. */
  readonly files: OverlayFileSystem;
  /** The text of each separate down file when last taken in (a down file changes no migration text to compare with). */
  private readonly downTexts = new Map<string, string | undefined>();
  /** Files whose schema-rule findings are wanted: those asked for (open in the editor), or all with focusAll. */
  private readonly focus = new Set<string>();
  private focusEverything = false;
  private applied?: AppliedSource;
  /** The git base's blobs per history folder, read once per base. */
  private readonly baseBlobsByDir = new Map<string, Map<string, string>>();
  private readonly appliedProblemSet = new Set<string>();

  constructor(private readonly roots: string[], files: DirectoryView, private readonly configured: (root: string) => { path: string; layout?: MigrationFile['layout'] }[] | undefined = () => undefined) {
    this.files = files instanceof OverlayFileSystem ? files : new OverlayFileSystem(files);
  }

  /** Takes histories stated elsewhere instead of searching the roots (the rule tester gives its files' order). */
  adopt(sets: MigrationSet[]): void {
    this.sets = sets.map((set) => ({ set }));
    for (const m of sets.flatMap((s) => s.migrations)) this.parse(m.path, m.upText);
  }

  /** Finds the migration folders under every root and parses their files; `progress` is told per file. */
  build(progress?: (done: number, total: number) => void): void {
    this.sets = this.roots.flatMap((root) => findMigrationSets(root, this.files, this.configured(root))).map((set) => ({ set }));
    const total = this.migrationCount();
    let done = 0;
    for (const s of this.sets) {
      for (const m of s.set.migrations) {
        this.parse(m.path, m.upText);
        progress?.(++done, total);
      }
    }
  }

  /** Like `build`, but yields to the event loop between batches so the server keeps answering meanwhile. */
  async buildAsync(progress?: (done: number, total: number) => void, batch = 25): Promise<void> {
    this.sets = this.roots.flatMap((root) => findMigrationSets(root, this.files, this.configured(root))).map((set) => ({ set }));
    const all = this.sets.flatMap((s) => s.set.migrations);
    for (let k = 0; k < all.length; k++) {
      this.parse(all[k].path, all[k].upText);
      if ((k + 1) % batch === 0 || k + 1 === all.length) {
        progress?.(k + 1, all.length);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
  }

  migrationCount(): number {
    return this.sets.reduce((n, s) => n + s.set.migrations.length, 0);
  }

  migrationSets(): readonly MigrationSet[] {
    return this.sets.map((s) => s.set);
  }

  /** The history a file belongs to (as an up migration), if any. */
  setOf(path: string): MigrationSet | undefined {
    return (this.stateOf(path) ?? this.stateOfDown(path))?.set;
  }

  /** Lays the editor's text of `path` over the disk and takes it in; true when a history changed. */
  setOverlay(path: string, text: string): boolean {
    this.files.set(path, text);
    return this.refresh(path);
  }

  /** The editor closed `path`: back to the disk; true when a history changed. */
  clearOverlay(path: string): boolean {
    return this.files.delete(path) && this.refresh(path);
  }

  /**
   * Takes in the current text of `path` (its overlay, else the disk) when it is a file of a history; true when
   * the history changed (its open files then need linting again).
   */
  refresh(path: string): boolean {
    return this.refreshFile(path);
  }

  /**
   * A file changed, appeared or disappeared on disk. Returns whether a history changed (so open
   * files of it need linting again). New or deleted files re-read their folder's listing.
   */
  fileChanged(path: string, kind: 'changed' | 'created' | 'deleted'): boolean {
    if (kind === 'changed') return this.refreshFile(path);
    const before = this.sets.map((s) => s.set.migrations.map((m) => m.path).join('\n')).join('\n\n');
    this.build();
    const after = this.sets.map((s) => s.set.migrations.map((m) => m.path).join('\n')).join('\n\n');
    return before !== after || this.stateOf(path) !== undefined;
  }

  /** The current text of a migration file of a history (editor text when open). */
  fileText(path: string): string | undefined {
    return this.stateOf(path)?.set.migrations.find((m) => m.path === path)?.text;
  }

  /** The catalog after the whole history that `path` belongs to. */
  catalogFor(path: string): Catalog | undefined {
    const state = this.stateOf(path);
    return state ? this.catalogOf(state) : undefined;
  }

  /** Every catalog of the workspace, for hover and go-to-definition. */
  catalogs(): Catalog[] {
    return this.sets.map((s) => this.catalogOf(s));
  }

  /** Every file's findings are wanted (the CLI); otherwise only those of files asked for, until `unfocus`. */
  focusAll(): void {
    this.focusEverything = true;
  }

  /** A file was closed in the editor: its costly per-file findings need not be computed any more. */
  unfocus(path: string): void {
    this.focus.delete(path);
  }

  /** Where the applied migrations end (pgvet.json, a git base); everything is pending without one. */
  setAppliedSource(source: AppliedSource | undefined): void {
    this.applied = source;
    this.baseBlobsByDir.clear();
    for (const s of this.sets) s.lint = undefined;
  }

  /** Problems met while telling applied from pending (a name pgvet.json gives that no migration has, git failing). */
  appliedProblems(): string[] {
    return [...this.appliedProblemSet];
  }

  /**
   * Whether `path` is an applied or a pending migration (undefined when it is no migration of a history). A
   * separate down file goes with its up migration; only the up file can be "modified".
   */
  migrationState(path: string): MigrationState | undefined {
    const state = this.stateOf(path);
    const up = state ?? this.stateOfDown(path);
    if (!up) return undefined;
    const set = up.set;
    const m = set.migrations.find((x) => x.path === path || x.downPath === path)!;
    // Flyway runs a repeatable migration again whenever it changes: it is never history.
    if (!this.applied || (m.layout === 'flyway' && m.version === '')) return PENDING;
    const name = this.applied.configured(set);
    if (name !== undefined) {
      const count = appliedCount(set, name);
      if (count === undefined) {
        this.appliedProblemSet.add(`pgvet.json "applied": no migration in ${set.dir} is named "${name}", so all of its migrations are linted as pending`);
        return PENDING;
      }
      return set.migrations.indexOf(m) < count ? { kind: 'applied', by: 'config' } : PENDING;
    }
    const base = this.applied.gitBase(set);
    if (!base) return PENDING;
    const blobs = this.blobsOf(base, set.dir);
    const blob = blobs.get(m.path);
    if (!blob) return PENDING;
    if (!state) return { kind: 'applied', by: 'git', ref: base.ref };
    const overlay = this.files.overlay(path);
    const onDisk = overlay === undefined || overlay === this.files.disk.readFile(path);
    if (!differsFromBase(blob, m.text, path, onDisk)) return { kind: 'applied', by: 'git', ref: base.ref };
    return { kind: 'applied', by: 'git', ref: base.ref, modified: { baseText: blobText(base, blob) } };
  }

  private blobsOf(base: GitBase, dir: string): Map<string, string> {
    const key = `${base.commit}\0${dir}`;
    let blobs = this.baseBlobsByDir.get(key);
    if (!blobs) {
      try {
        blobs = baseBlobs(base, dir);
      } catch (e) {
        blobs = new Map();
        this.appliedProblemSet.add(`git could not list ${dir} at ${base.ref}, so its migrations are linted as pending: ${(e as Error).message.split('\n')[0]}`);
      }
      this.baseBlobsByDir.set(key, blobs);
    }
    return blobs;
  }

  private isApplied(path: string): boolean {
    return this.applied !== undefined && this.migrationState(path)?.kind === 'applied';
  }

  /** The schema-rule findings placed in `path` (empty when it is not part of a history). */
  catalogFindings(path: string, config: ResolvedConfig, focus = true): Finding[] {
    const state = this.stateOf(path);
    if (!state) return [];
    // Unfocused (the workspace's Problems panel, for closed files): the schema problems, which need no focus, from the last lint.
    if (focus) this.focus.add(path);
    const focused = !focus || this.focusEverything || state.lintFocus?.has(path);
    if (!state.catalog || !state.lint || state.lintConfig !== config || !focused) {
      const focus = new Set(this.focus);
      const wants = (p: string) => this.focusEverything || focus.has(p);
      // The schema before and after an applied migration matters only to rules that report on applied ones.
      const catalog = this.catalogOf(state, stepsNeeded(config, wants, (p) => this.isApplied(p)));
      state.lint = lintCatalog(catalog, state.files!, config, wants, { steps: state.steps });
      state.lintConfig = config;
      state.lintFocus = focus;
    }
    return state.lint.byFile.get(path) ?? [];
  }

  /**
   * The schema before migration `path`, from the replay `catalogFindings` made (so call that first); undefined
   * when no enabled rule's `historySteps` picked the file.
   */
  catalogBefore(path: string): Catalog | undefined {
    return this.stateOf(path)?.steps?.find((s) => s.file.path === path)?.before;
  }

  /** The index's parse of `path` when it parsed exactly `text` (the linter then need not parse the file again). */
  parsedText(path: string, text: string): SqlFile | undefined {
    const hit = this.parses.get(path);
    return hit && hit.text === text ? hit.parsed : undefined;
  }

  catalogRuleFailures(path: string): CatalogLintResult['ruleFailures'] {
    return this.stateOf(path)?.lint?.ruleFailures ?? [];
  }

  private stateOf(path: string): SetState | undefined {
    return this.sets.find((s) => s.set.migrations.some((m) => m.path === path));
  }

  /** The history whose migration has `path` as its separate down file. */
  private stateOfDown(path: string): SetState | undefined {
    return this.sets.find((s) => s.set.migrations.some((m) => m.downPath === path));
  }

  private parse(path: string, text: string): SqlFile {
    const hit = this.parses.get(path);
    if (hit && hit.text === text) return hit.parsed;
    // An edited migration: only the statements the edit touched are parsed again.
    const parsed = hit ? reparseSqlFile(hit.parsed, text) : parseSqlFile(text);
    this.parses.set(path, { text, parsed });
    return parsed;
  }

  /** The history's files, parsed (cached until one of them changes). */
  private filesOf(state: SetState): Map<string, HistoryFile> {
    if (state.files) return state.files;
    const files = new Map<string, HistoryFile>();
    // Separate down files are handed over as `HistoryFile.down` (goose and dbmate keep theirs in the up file).
    const pairs = downKind(state.set.layout) === 'file' && historyKeepsDowns(state.set);
    for (const m of state.set.migrations) {
      const parsed = this.parse(m.path, m.upText);
      const downText = m.downPath ? this.files.readFile(m.downPath) : undefined;
      const down = !pairs ? undefined : m.downPath && downText !== undefined ? { path: m.downPath, text: downText } : null;
      files.set(m.path, { path: m.path, text: m.text, parsed, context: m.context, ...(down === undefined ? {} : { down }) });
    }
    state.files = files;
    return files;
  }

  /**
   * The catalog after the history, replayed when missing or when `needs` picks a migration whose before/after
   * schema the last replay did not keep (see catalog/history-replay.ts).
   */
  private catalogOf(state: SetState, needs: (file: HistoryFile) => boolean = () => false): Catalog {
    const files = this.filesOf(state);
    const list = [...files.values()];
    const kept = state.stepPaths ?? new Set<string>();
    // The first migration whose replay or snapshots are out of date: changed since, or newly needed.
    let from = state.catalog ? list.length : (state.dirtyFrom ?? 0);
    for (let i = 0; i < from; i++) {
      if (!kept.has(list[i].path) && needs(list[i])) {
        from = i;
        break;
      }
    }
    if (state.catalog && from === list.length) return state.catalog;
    const at = Math.floor(Math.min(from, Math.max(0, list.length - 1)) / CHECKPOINT_EVERY) * CHECKPOINT_EVERY;
    const checkpoint = at > 0 ? state.checkpoints?.get(at) : undefined;
    const position = new Map(list.map((f, i) => [f.path, i]));
    const resume: ReplayResume | undefined = checkpoint && {
      from: at,
      catalog: checkpoint,
      // Steps of unchanged migrations, pointing at this replay's file objects (a down file may have changed).
      steps: (state.steps ?? []).filter((x) => (position.get(x.file.path) ?? Infinity) < at).map((x) => ({ ...x, file: files.get(x.file.path)! })),
      checkpoints: state.checkpoints!,
    };
    const { catalog, steps, checkpoints } = replayHistory(list, needs, resume);
    state.catalog = catalog;
    state.steps = steps;
    state.stepPaths = new Set(steps.map((x) => x.file.path));
    state.checkpoints = checkpoints;
    state.dirtyFrom = undefined;
    state.lint = undefined;
    return catalog;
  }

  /** Re-reads one file of a history (overlay or disk); true when its history changed. */
  private refreshFile(path: string): boolean {
    const downOf = this.stateOfDown(path);
    if (downOf) {
      const text = this.files.readFile(path);
      if (this.downTexts.has(path) && this.downTexts.get(path) === text) return false;
      this.downTexts.set(path, text);
      // A down file feeds only the reversibility rules: the catalog stays, their results and the files go.
      downOf.dirtyFrom = Math.min(downOf.dirtyFrom ?? Infinity, downOf.set.migrations.length);
      downOf.catalog = undefined;
      downOf.files = undefined;
      downOf.lint = undefined;
      return true;
    }
    const state = this.stateOf(path);
    if (!state) return false;
    const index = state.set.migrations.findIndex((m) => m.path === path);
    const old = state.set.migrations[index];
    const text = this.files.readFile(path);
    if (text === undefined || text === old.text) return false;
    // Same layout, same place in the order: only the text (and how its tool runs it) changed.
    const spec = layoutById(state.set.layout);
    const upText = spec.upSection ? spec.upSection(text) : text;
    state.set.migrations[index] = { ...old, text, upText, context: { path, layout: spec.id, ...spec.context(path, text, this.files) } };
    state.dirtyFrom = Math.min(state.dirtyFrom ?? Infinity, index);
    state.catalog = undefined;
    state.files = undefined;
    state.lint = undefined;
    return true;
  }
}

/** The index's histories as lintPrisma's provider: a migrations folder the index holds is not parsed and replayed again. */
export function indexedHistories(index: WorkspaceIndex): MigrationHistories {
  return {
    catalogOfFolder(dir) {
      const wanted = resolvePath(dir);
      const set = index.migrationSets().find((s) => resolvePath(s.dir) === wanted);
      return set && set.migrations.length > 0 ? index.catalogFor(set.migrations[0].path) : undefined;
    },
  };
}
