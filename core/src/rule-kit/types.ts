import type { z } from 'zod';
import type { SqlFile, SqlStatement } from '../parse/sql/parser';
import type { FileContext } from '../catalog/layouts';
import type { HistoryStep } from '../catalog/history-replay';
import type { Catalog, Origin } from '../catalog/model';
import type { PgvetJson } from '../config/schema';
import type { PrismaSource } from '../parse/prisma/schema-model';
import type { Fix, TextEdit } from './fix';
import type { HistoryFile } from '../catalog/history-file';

export type { Fix, TextEdit } from './fix';
export type { HistoryFile } from '../catalog/history-file';

/**
 * Where a migration stands: applied (it has run on the team's databases, nobody may edit it) or pending (new on
 * this branch, or after the last applied one). Applied migrations are replayed for the catalog only: the rules
 * about a migration's own statements report on pending ones (engine/migration-state.ts, `reportsOnApplied`).
 */
export type MigrationState =
  | { kind: 'pending' }
  | { kind: 'applied'; by: 'config' }
  /** Found in the git base; `modified` when the text differs from it, with the base text when git could give it. */
  | { kind: 'applied'; by: 'git'; ref: string; modified?: { baseText?: string } };

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeveritySetting = Severity | 'off';

/** A text replacement in UTF-16 offsets of the linted text. */
export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  start: number;
  end: number;
  fix?: Fix;
  /** Further fixes offered beside the main one (never applied by "Fix all"). */
  otherFixes?: Fix[];
  /** Whether `fix` may be applied by "Fix all" without review. */
  fixSafe?: boolean;
  /** Index of the statement the finding belongs to (for "ignore for this statement"); absent for file-level findings. */
  statementIndex?: number;
  /** A schema rule's finding: the object of the current schema it is about (see engine/fingerprint.ts). */
  object?: ObjectIdentity;
  /**
   * A schema rule's finding placed in another file than the statement that introduced the problem
   * (a Prisma model, where the migration that created the object is the origin).
   */
  introducedBy?: { file: string; start: number; end: number; /** What that statement created: "it", or `table "t"`. */ created: string };
}

/**
 * What a schema rule's finding is about, by name, never by position: it stays the same when lines move,
 * and is the same whether the schema comes from a Prisma schema or from the migrations.
 */
export interface ObjectIdentity {
  kind: 'table' | 'column' | 'index' | 'constraint' | 'policy' | 'fk' | 'function' | 'extension';
  schema: string;
  /** The table; for a function or an extension, its name (a function's argument types are in `name`). */
  table: string;
  /** The column, index, constraint or policy name. */
  name?: string;
  columns?: readonly string[];
  /** What about the object, when a rule can report more than one thing on it. */
  aspect?: string;
}

export type RuleCategory = 'parsing' | 'schema' | 'safety' | 'reversibility' | 'normalisation';

export interface RuleMeta {
  description: string;
  category: RuleCategory;
  defaultSeverity: SeveritySetting;
  /** `safe`: "Fix all" may apply it; `suggestion`: offered one at a time; `none`: only suppression. */
  fix: 'safe' | 'suggestion' | 'none';
  /**
   * Whether the rule reports in down migrations (down files, goose/dbmate down sections). Default: every category
   * but `safety` — a down runs on a rollback, when locks, rewrites and renames are what the rollback is for;
   * a down that cannot run at all (CONCURRENTLY in a transaction) still matters.
   */
  inDownMigrations?: boolean;
  /**
   * Whether the rule reports on applied migrations (see engine/migration-state.ts). Default: schema and
   * normalisation rules do (a new migration can change the schema); rules about what a migration does when it
   * runs do not (an applied one has run, and nobody may edit it).
   */
  onAppliedMigrations?: boolean;
  /** The rule's page (docs/rules/<id>.md), linked from every finding: set by defineRule from the id. */
  docsUrl: string;
}

export interface Report {
  start: number;
  end: number;
  message: string;
  fix?: Fix;
  otherFixes?: Fix[];
  statement?: SqlStatement;
  /** Rarely needed: a rule whose findings differ in kind (syntax-error's "not SQL until psql runs it" is info). */
  severity?: Severity;
}

export interface RuleContext<O> {
  file: SqlFile;
  fileContext: FileContext;
  options: O;
  report(r: Report): void;
  /**
   * The schema before this file ran, when the file is a migration of a history and the rule's `historySteps`
   * picked it (read it, never change it); undefined for a file linted on its own. What earlier statements of
   * the same file did is not in it: the rule looks at those itself.
   */
  catalogBefore?: Catalog;
  /** Whether the file is an applied or a pending migration of its history; undefined for a file linted on its own. */
  migration?: MigrationState;
  /** The severity the rule is configured with (its default unless pgvet.json or a setting changed it). */
  severity: Severity;
}

/** A finding of a schema rule: placed on the statement that created the object, in whichever file holds it. */
export interface CatalogReport {
  origin: Origin;
  /**
   * The object of the current schema the finding is about (one finding per rule and object). Absent in rules
   * about one migration (a destructive change, a missing down): those are told apart like statement findings.
   * lintCatalog takes the object whose origin is `origin` when a schema rule names none.
   */
  object?: ObjectIdentity;
  message: string;
  /** Edits are offsets into `origin.file`'s text. */
  fix?: Fix;
  otherFixes?: Fix[];
}

/** Which schemas clients reach through an API (Supabase's Data API, PostgREST), for messages to say why. */
export interface Exposure {
  schemas: string[];
  /** Where the list came from, to end a sentence: "pgvet.json's schemas", "[api] schemas in supabase/config.toml". */
  source: string;
  /** The history is a Supabase project (its layout, or a supabase/config.toml): anon and authenticated exist. */
  supabase: boolean;
}

export interface CatalogRuleContext<O> {
  /** The schema after replaying the whole history. */
  catalog: Catalog;
  /** The files of the history by path (origins point into them). */
  files: ReadonlyMap<string, HistoryFile>;
  /** Project settings: exposed schemas, tenant options, PostgreSQL version. */
  project: PgvetJson;
  /** The schemas an API exposes and where that came from (pgvet.json, supabase/config.toml, the default). */
  exposure: Exposure;
  options: O;
  report(r: CatalogReport): void;
  /**
   * Whether findings in this file are wanted now (the editor shows only open files; the CLI wants every file).
   * Rules whose per-file work is costly (generating a down migration, diffing catalogs) skip it otherwise;
   * the replay of the history itself must still go through every file.
   */
  wants(path: string): boolean;
  /**
   * When the catalog comes from a Prisma schema: the parsed schema and its database model, so a rule
   * can offer a fix that edits the schema (field names, model blocks) instead of SQL.
   */
  prisma?: PrismaSource;
  /** When a Prisma schema has a migrations/ folder beside it: the catalog those migrations build. */
  migrationsCatalog?: Catalog;
  /**
   * The migrations that some rule's `historySteps` picked, in order, with the schema before and after each
   * (from the replay that built `catalog`; empty for Prisma).
   */
  readonly steps: readonly HistoryStep[];
}

/**
 * A rule looks at single files (`check`: statement rules, run on every file) or at the catalog
 * built from the whole migration history (`checkCatalog`: schema rules), or both. Each rule file declares its
 * rule with defineRule (rule-kit/define-rule.ts), which fills in the docs URL and the default options.
 */
export interface Rule<O = Record<string, never>> {
  id: string;
  meta: RuleMeta;
  /** A strict zod object with defaults for every key. */
  options: z.ZodType<O>;
  /** `options` with nothing set: what a rule runs with when its settings are invalid. */
  defaultOptions: O;
  check?(ctx: RuleContext<O>): void;
  checkCatalog?(ctx: CatalogRuleContext<O>): void;
  /**
   * The migrations whose before/after schema the rule reads: `checkCatalog` from `ctx.steps`, `check` as
   * `ctx.catalogBefore` (`wanted`: see `CatalogRuleContext.wants`).
   */
  historySteps?(file: HistoryFile, wanted: boolean): boolean;
}

// The registry holds rules of differing option types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRule = Rule<any>;
