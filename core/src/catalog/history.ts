import { initParser, parseSqlFile } from '../parse/sql/parser';
import { LAYOUTS, layoutById, type DirectoryView, type FileContext, type LayoutId, type LayoutSpec } from './layouts';
import { joinPath } from './layouts/paths';
import { emptyCatalog, type Catalog } from './model';
import { applyFile } from './replay';

/** One migration ready to replay: the text its tool runs going up, with offsets that still match the file. */
export interface MigrationFile {
  path: string;
  layout: LayoutId;
  version: string;
  /** The whole file as stored. */
  text: string;
  /** What runs going up: `text` with the down section blanked (goose, dbmate), else `text` itself. */
  upText: string;
  /** The separate down file, when the layout pairs one. */
  downPath?: string;
  context: FileContext;
}

/** A migrations folder and its migrations in the order its tool applies them. */
export interface MigrationSet {
  dir: string;
  layout: LayoutId;
  migrations: MigrationFile[];
}

/** Folders never searched for migrations. */
const SKIP = new Set(['node_modules', '.git', 'dist', 'out', 'target', 'vendor', '.vscode-test', 'coverage']);

/** The layout of a folder, or undefined when it holds no migrations. Layouts are tried most specific first. */
export function detectFolderLayout(dir: string, fs: DirectoryView): LayoutSpec | undefined {
  return LAYOUTS.find((l) => l.isMigrationsFolder?.(dir, fs));
}

/** The migrations of one folder, ordered as its tool orders them. `layout` overrides detection (from pgvet.json). */
export function migrationSetAt(dir: string, fs: DirectoryView, layout?: LayoutId): MigrationSet | undefined {
  const spec = layout ? layoutById(layout) : detectFolderLayout(dir, fs);
  if (!spec?.collect) return undefined;
  const migrations: MigrationFile[] = [];
  for (const unit of spec.collect(dir, fs)) {
    const text = fs.readFile(unit.up);
    if (text === undefined) continue;
    const upText = spec.upSection ? spec.upSection(text) : text;
    migrations.push({
      path: unit.up, layout: spec.id, version: unit.version, text, upText,
      ...(unit.down ? { downPath: unit.down } : {}),
      context: { path: unit.up, layout: spec.id, ...spec.context(unit.up, text, fs) },
    });
  }
  return { dir, layout: spec.id, migrations };
}

/**
 * Every migrations folder under `root` (or the folders configured in pgvet.json, paths relative to `root`).
 * A folder recognised as migrations is not searched further: its subfolders are its migrations.
 */
export function findMigrationSets(root: string, fs: DirectoryView, configured?: { path: string; layout?: LayoutId }[]): MigrationSet[] {
  if (configured?.length) {
    return configured
      .map((c) => migrationSetAt(c.path.startsWith('/') ? c.path : joinPath(root, c.path), fs, c.layout))
      .filter((s): s is MigrationSet => s !== undefined);
  }
  const sets: MigrationSet[] = [];
  const walk = (dir: string, depth: number): void => {
    const set = migrationSetAt(dir, fs);
    if (set && set.migrations.length > 0) {
      sets.push(set);
      return;
    }
    if (depth > 12) return;
    for (const e of fs.list(dir)) if (e.isDirectory && !SKIP.has(e.name) && !e.name.startsWith('.')) walk(joinPath(dir, e.name), depth + 1);
  };
  walk(root, 0);
  return sets;
}

export interface BuildOptions {
  /** The search_path the migration runner's session starts with (default `public`). */
  searchPath?: string[];
  /** The role the migrations run as, when known: it owns what they create (`Catalog.role`). */
  role?: string;
}

/** Replays migrations in order into a fresh catalog. Call `initParser()` first (or use `buildCatalogAsync`). */
export function buildCatalog(files: readonly Pick<MigrationFile, 'path' | 'upText'>[], options: BuildOptions = {}): Catalog {
  const catalog = emptyCatalog();
  if (options.role !== undefined) catalog.role = options.role;
  for (const file of files) applyFile(catalog, file.path, parseSqlFile(file.upText), { searchPath: options.searchPath });
  return catalog;
}

export async function buildCatalogAsync(files: readonly Pick<MigrationFile, 'path' | 'upText'>[], options: BuildOptions = {}): Promise<Catalog> {
  await initParser();
  return buildCatalog(files, options);
}
