import { buildCatalog, migrationSetAt } from '../catalog/history';
import type { DirectoryView } from '../catalog/layouts';
import { dirName, joinPath } from '../catalog/layouts/paths';
import type { Catalog } from '../catalog/model';
import { catalogFromPrisma } from '../catalog/prisma';
import type { ResolvedConfig } from './resolve-config';
import type { IgnoreDirective, PrismaFile, Range } from '../parse/prisma/ast';
import { buildPrismaDatabaseModel, withUniqueJoinKey } from '../parse/prisma/catalog';
import { parsePrismaSchema, type SchemaSource } from '../parse/prisma/schema';
import type { PrismaDatabaseModel } from '../parse/prisma/schema-model';
import { removePrismaCommentEdit } from '../fixes/prisma-edits';
import { lintCatalog } from './catalog-lint';
import { applyIgnores, unusedParts } from './ignores';
import { binaryFileFinding } from './text-check';
import type { Finding, Severity } from '../rule-kit/types';

export interface PrismaLintInput {
  /** The file being linted. */
  path: string;
  text: string;
  /** The other files of the same schema (multi-file `prisma/schema/` folders), with their current text. */
  siblings?: SchemaSource[];
  config: ResolvedConfig;
  /** Where to look for the migrations/ folder beside the schema: the workspace's files (open ones with their editor text). */
  fs: DirectoryView;
  /**
   * Migration histories someone already keeps (the language server's workspace index): the catalog of an
   * indexed folder is taken from here instead of parsing and replaying the folder again. Undefined for a
   * folder it does not hold, which is then read from `fs`.
   */
  histories?: MigrationHistories;
}

export interface MigrationHistories {
  catalogOfFolder(dir: string): Catalog | undefined;
}

export interface PrismaLintResult {
  file: PrismaFile;
  model: PrismaDatabaseModel;
  findings: Finding[];
  ruleFailures: { ruleId: string; error: string }[];
  /** The migrations folder the schema was checked against (its drift and RLS findings depend on it). */
  migrationsDir?: string;
  /** The schema rules' findings on this file before ignore comments (see engine/schema-owner.ts). */
  catalogFindings: Finding[];
}

/** A declaration and the ignore comments attached to it. */
interface Suppressor {
  range: Range;
  directive: IgnoreDirective;
}

function suppressors(file: PrismaFile): Suppressor[] {
  const out: Suppressor[] = [];
  const add = (range: Range, ignores: IgnoreDirective[]) => {
    for (const directive of ignores) if (directive.scope === 'node') out.push({ range, directive });
  };
  for (const block of file.blocks) {
    add(block, block.ignores);
    if (block.kind === 'model' || block.kind === 'view' || block.kind === 'type') {
      for (const field of block.fields) add(field, field.ignores);
      for (const attr of block.attributes) add(attr, attr.ignores);
    }
  }
  return out;
}

/** The last catalog built per migrations folder, reused while its files are unchanged (the editor lints on every keystroke). */
const migrationsCache = new Map<string, { key: string; catalog: Catalog }>();

/**
 * The catalog the Prisma Migrate history beside a schema builds: `migrations/` beside the file that declares
 * the datasource (in a multi-file schema, the top of the schema folder), else beside the linted file or in
 * its parent (a `prisma/schema/` folder), with the folder it came from. Undefined when there is none. A folder
 * `histories` holds is not read again (the language server has replayed it already); others are, cached by content.
 */
function migrationsBeside(schemaPath: string, datasourcePath: string | undefined, fs: DirectoryView, histories: MigrationHistories | undefined): { dir: string; catalog: Catalog } | undefined {
  const dir = dirName(schemaPath);
  const candidates = [...(datasourcePath ? [joinPath(dirName(datasourcePath), 'migrations')] : []), joinPath(dir, 'migrations'), joinPath(dirName(dir), 'migrations')];
  for (const candidate of new Set(candidates)) {
    const indexed = histories?.catalogOfFolder(candidate);
    if (indexed) return { dir: candidate, catalog: indexed };
    const set = migrationSetAt(candidate, fs);
    if (!set || set.migrations.length === 0) continue;
    const key = set.migrations.map((m) => `${m.path}\0${m.upText}`).join('\0');
    const cached = migrationsCache.get(candidate);
    if (cached?.key === key) return { dir: candidate, catalog: cached.catalog };
    try {
      const catalog = buildCatalog(set.migrations);
      migrationsCache.set(candidate, { key, catalog });
      return { dir: candidate, catalog };
    } catch {
      // The SQL parser is not ready (initParser not awaited yet): lint without the cross-check.
      return undefined;
    }
  }
  return undefined;
}

/**
 * Prisma cannot express row level security, so a Prisma project enables it in hand-written migrations:
 * the models take the RLS state and policies of the same tables in the migrations' catalog.
 */
function copyRowLevelSecurity(from: Catalog, to: Catalog): void {
  for (const [name, schema] of to.schemas) {
    const other = from.schemas.get(name);
    if (!other) continue;
    for (const [tableName, table] of schema.tables) {
      const built = other.tables.get(tableName);
      if (!built) continue;
      table.rls = { ...built.rls };
      table.policies = built.policies.map((p) => ({ ...p }));
    }
  }
}

/**
 * Implicit many-to-many tables as the history made them: Prisma 6 gives them the primary key `_<Name>_AB_pkey`,
 * Prisma 5 and before the unique index `_<Name>_AB_unique`, and a history that never ran the upgrade migration
 * still has the unique index. The schema means whichever the history has: only a Prisma upgrade changes it.
 */
function followMigratedJoinTables(model: PrismaDatabaseModel, migrations: Catalog): PrismaDatabaseModel {
  const tables = model.tables.map((t) => {
    if (t.kind !== 'implicit-join') return t;
    const built = migrations.schemas.get(t.schema ?? 'public')?.tables.get(t.name);
    const uniqueAB = built?.indexes.some((i) => i.unique && i.backs !== 'primary' && i.predicate === undefined
      && i.keys.map((k) => k.column).join(',') === 'A,B');
    return built && !built.primaryKey && uniqueAB ? withUniqueJoinKey(t) : t;
  });
  return { ...model, tables };
}

/**
 * Lints one .prisma file: its syntax errors, and the schema rules on the catalog the whole schema
 * describes (PostgreSQL-specific rules stay silent for other providers). `// pgvet-ignore rule`
 * above a model, field or `@@` attribute suppresses findings inside it; `// pgvet-ignore-file` the whole file.
 */
export function lintPrisma(input: PrismaLintInput): PrismaLintResult {
  const binary = binaryFileFinding(input.text, input.config);
  if (binary) {
    // Its bytes read as hundreds of "Unexpected character" errors: say it once and check nothing.
    const empty = parsePrismaSchema([{ path: input.path, text: '' }]);
    return { file: empty.files[0], model: buildPrismaDatabaseModel(empty), findings: [binary], ruleFailures: [], catalogFindings: [] };
  }
  const schema = parsePrismaSchema([{ path: input.path, text: input.text }, ...(input.siblings ?? [])]);
  const file = schema.files.find((f) => f.path === input.path)!;
  let model = buildPrismaDatabaseModel(schema);
  const raw: Finding[] = [];
  const syntax = input.config.rules.find((r) => r.rule.id === 'syntax-error');
  if (syntax && syntax.severity !== 'off') {
    for (const d of file.diagnostics) {
      const severity: Severity = d.severity === 'warning' ? 'warning' : syntax.severity;
      raw.push({ ruleId: 'syntax-error', severity, message: d.message, start: d.start, end: Math.max(d.end, d.start + 1) });
    }
  }
  let ruleFailures: PrismaLintResult['ruleFailures'] = [];
  let migrationsDir: string | undefined;
  let catalogFindings: Finding[] = [];
  if (model.isPostgres) {
    const migrations = migrationsBeside(input.path, model.datasource?.file, input.fs, input.histories);
    migrationsDir = migrations?.dir;
    const migrationsCatalog = migrations?.catalog;
    if (migrationsCatalog) model = followMigratedJoinTables(model, migrationsCatalog);
    const catalog = catalogFromPrisma(model, { includeEmulatedForeignKeys: true });
    if (migrationsCatalog) copyRowLevelSecurity(migrationsCatalog, catalog);
    const catalogResult = lintCatalog(catalog, new Map(), input.config, undefined, { prisma: { schema, model }, migrationsCatalog });
    catalogFindings = catalogResult.byFile.get(input.path) ?? [];
    raw.push(...catalogFindings);
    ruleFailures = catalogResult.ruleFailures;
  }

  const nodeIgnores = suppressors(file);
  const fileIgnores = file.ignores.filter((d) => d.scope === 'file');
  const { kept: findings, used } = applyIgnores(raw, (f) => [
    ...nodeIgnores.filter((s) => s.range.start <= f.start && f.start < s.range.end).map((s) => s.directive),
    ...fileIgnores,
  ]);

  const unused = input.config.rules.find((r) => r.rule.id === 'unused-ignore');
  if (unused && unused.severity !== 'off') {
    const all = [...new Set([...nodeIgnores.map((s) => s.directive), ...fileIgnores])];
    for (const d of all) {
      const parts = unusedParts(d, used.get(d));
      if (parts === 'whole') {
        findings.push(unusedFinding(unused.severity, d.start, d.end, 'This pgvet-ignore comment suppresses nothing.', input.text, d));
        continue;
      }
      for (const r of parts) findings.push(unusedFinding(unused.severity, r.start, r.end, `"${r.id}" is ignored here but reports nothing.`, input.text, d));
    }
  }
  findings.sort((a, b) => a.start - b.start || a.ruleId.localeCompare(b.ruleId));
  return { file, model, findings, ruleFailures, migrationsDir, catalogFindings };
}

function unusedFinding(severity: Severity, start: number, end: number, message: string, text: string, d: IgnoreDirective): Finding {
  const fix = { title: 'Remove the unused pgvet-ignore comment', edits: [removePrismaCommentEdit(text, d.start, d.end)] };
  return { ruleId: 'unused-ignore', severity, message, start, end, fix, fixSafe: true };
}

/** "Ignore for this model/field" and "for this file" for a finding in a .prisma file. */
export function prismaSuppressionFixes(file: PrismaFile, f: Finding): { node?: { title: string; edits: { start: number; end: number; newText: string }[] }; file: { title: string; edits: { start: number; end: number; newText: string }[] } } {
  const text = file.text;
  let target: (Range & { label: string }) | undefined;
  for (const block of file.blocks) {
    if (f.start < block.start || f.start >= block.end) continue;
    target = { start: block.start, end: block.end, label: block.kind === 'enum' ? 'enum' : 'model' };
    if (block.kind === 'model' || block.kind === 'view' || block.kind === 'type') {
      for (const field of block.fields) if (f.start >= field.start && f.start < field.end) target = { start: field.start, end: field.end, label: 'field' };
      for (const attr of block.attributes) if (f.start >= attr.start && f.start < attr.end) target = { start: attr.start, end: attr.end, label: 'attribute' };
    }
  }
  const fileFix = { title: `Ignore ${f.ruleId} for this file`, edits: [{ start: 0, end: 0, newText: `// pgvet-ignore-file ${f.ruleId}\n` }] };
  if (!target) return { file: fileFix };
  const lineStart = text.lastIndexOf('\n', target.start - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  return {
    node: { title: `Ignore ${f.ruleId} for this ${target.label}`, edits: [{ start: lineStart, end: lineStart, newText: `${indent}// pgvet-ignore ${f.ruleId}\n` }] },
    file: fileFix,
  };
}
