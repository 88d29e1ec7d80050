import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { buildCatalog, migrationSetAt } from '../../core/src/catalog/history';
import type { Catalog, ForeignKey, Index, Origin, Table } from '../../core/src/catalog/model';
import { nodeDirectoryView } from '../../core/src/fs/disk';
import { catalogFromPrisma } from '../../core/src/catalog/prisma';
import { buildPrismaDatabaseModel, loadPrismaSchema } from '../../core/src/parse/prisma';
import { initParser } from '../../core/src/parse/sql/parser';

/**
 * For each corpus project that has both a PostgreSQL Prisma schema and its Prisma Migrate history, the catalog
 * pgvet maps from the schema and the catalog it replays from the migrations must agree on tables, columns (name,
 * type, nullability), foreign keys, indexes (primary keys included) and enums — or the difference is listed below
 * with the reason it is real drift in that project. An unlisted difference fails, and so does a listed one that no
 * longer occurs. A difference caused by pgvet's Prisma mapping is fixed in core/src/catalog/prisma.ts, not listed.
 * Findings are summed up in docs/notes/prisma-agreement.md.
 */

const CORPUS = path.resolve(__dirname, '../../../shared/corpus');
const noCorpus = !fs.existsSync(CORPUS) && 'corpus not checked out next to the repo';

/** Matching objects, kind by kind. */
interface Matched {
  tables: number;
  columns: number;
  foreignKeys: number;
  indexes: number;
  enums: number;
}

interface Difference {
  /** The object and how it differs (`only in the schema`, or both definitions when they differ): the key of the expectations table. */
  text: string;
  /** The definition of an object found on one side only, for the failure message. */
  detail?: string;
  /** Where each side defines it, for the failure message. */
  where: Origin[];
}

/**
 * PostgreSQL keeps 6 fractional digits when a timestamp or time type gives none, and Prisma reads that back as
 * `@db.Timestamp(6)`: `timestamp(6)` and `timestamp` are the same type to both.
 */
const typeOf = (type: string) => type.replace(/^(timestamp|time)\(6\)/, '$1');

const columnShape = (c: { type: string; notNull: boolean }) => `${typeOf(c.type)}${c.notNull ? ' NOT NULL' : ''}`;

function fkShape(f: ForeignKey): string {
  return `(${f.columns.join(', ')}) → ${f.references.schema}.${f.references.name} (${f.referencedColumns.join(', ')}) ON DELETE ${f.onDelete} ON UPDATE ${f.onUpdate}`;
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

function indexShape(i: Index): string {
  // Expression keys are not spelled out: the replay keeps their source text, which says nothing the name does not.
  const keys = i.keys.map((k) => k.column ?? '<expression>').join(', ');
  return `${i.backs === 'primary' ? 'primary key' : i.unique ? 'unique' : 'index'} ${i.method} (${keys})`
    + `${i.include.length ? ` INCLUDE (${i.include.join(', ')})` : ''}${i.predicate !== undefined ? ` WHERE ${squash(i.predicate)}` : ''}`;
}

/** The tables of the schemas the Prisma schema manages; partitions and Prisma's own bookkeeping table left out. */
function tablesOf(catalog: Catalog, schemas: string[]): Map<string, Table> {
  const out = new Map<string, Table>();
  for (const s of schemas) {
    for (const t of catalog.schemas.get(s)?.tables.values() ?? []) {
      if (!t.partitionOf && t.name !== '_prisma_migrations') out.set(`${t.schema}.${t.name}`, t);
    }
  }
  return out;
}

/**
 * Named objects of one kind on one table: the same name on both sides is one object (compared by shape); an object
 * whose name is on one side only but whose shape matches an unmatched object of the other side was renamed.
 */
function compareNamed<T extends { name: string; origin: Origin }>(
  label: string, schemaSide: readonly T[], migrationSide: readonly T[], shape: (x: T) => string, out: Difference[],
): number {
  let matched = 0;
  const left = [...migrationSide];
  const take = (pred: (x: T) => boolean) => {
    const k = left.findIndex(pred);
    return k < 0 ? undefined : left.splice(k, 1)[0];
  };
  const unnamed: T[] = [];
  for (const s of schemaSide) {
    const m = take((x) => x.name === s.name);
    if (!m) unnamed.push(s);
    else if (shape(m) === shape(s)) matched++;
    else out.push({ text: `${label} "${s.name}": ${shape(s)} in the schema, ${shape(m)} in the migrations`, where: [s.origin, m.origin] });
  }
  for (const s of unnamed) {
    const m = take((x) => shape(x) === shape(s) && !schemaSide.some((y) => y.name === x.name));
    if (m) out.push({ text: `${label} "${s.name}": named "${m.name}" in the migrations`, detail: shape(s), where: [s.origin, m.origin] });
    else out.push({ text: `${label} "${s.name}": only in the schema`, detail: shape(s), where: [s.origin] });
  }
  for (const m of left) out.push({ text: `${label} "${m.name}": only in the migrations`, detail: shape(m), where: [m.origin] });
  return matched;
}

function compareCatalogs(fromSchema: Catalog, fromMigrations: Catalog, schemas: string[]): { matched: Matched; differences: Difference[] } {
  const matched: Matched = { tables: 0, columns: 0, foreignKeys: 0, indexes: 0, enums: 0 };
  const out: Difference[] = [];
  const models = tablesOf(fromSchema, schemas);
  const built = tablesOf(fromMigrations, schemas);
  for (const [key, model] of models) {
    const table = built.get(key);
    if (!table) {
      const view = fromMigrations.schemas.get(model.schema)?.views.get(model.name);
      const as = view ? `; the migrations make it a ${view.materialized ? 'materialized view' : 'view'}` : '';
      out.push({ text: `table ${key}: only in the schema${as}`, where: [model.origin, ...(view ? [view.origin] : [])] });
      continue;
    }
    matched.tables++;
    if (table.columnsUnknown) {
      out.push({ text: `table ${key}: made by CREATE TABLE … AS from a view, its columns are unknown to the replay`, where: [table.origin] });
    } else {
      for (const c of model.columns) {
        const found = table.columns.find((x) => x.name === c.name);
        // A CREATE TABLE … AS column whose type the replay could not derive (a user function): only nullability compares.
        const other = found?.typeUnknown ? { ...found, type: c.type } : found;
        if (!other) out.push({ text: `column ${key}.${c.name}: only in the schema`, detail: columnShape(c), where: [c.origin] });
        else if (columnShape(other) !== columnShape(c)) out.push({ text: `column ${key}.${c.name}: ${columnShape(c)} in the schema, ${columnShape(other)} in the migrations`, where: [c.origin, other.origin] });
        else matched.columns++;
      }
      for (const c of table.columns) {
        if (!model.columns.some((x) => x.name === c.name)) out.push({ text: `column ${key}.${c.name}: only in the migrations`, detail: columnShape(c), where: [c.origin] });
      }
    }
    matched.foreignKeys += compareNamed(`foreign key ${key}`, model.foreignKeys, table.foreignKeys, fkShape, out);
    matched.indexes += compareNamed(`index ${key}`, model.indexes, table.indexes, indexShape, out);
  }
  for (const [key, table] of built) {
    if (!models.has(key)) out.push({ text: `table ${key}: only in the migrations`, where: [table.origin] });
  }
  // Prisma compares enum values as a set: ALTER TYPE … ADD VALUE appends, the schema lists them in any order.
  for (const s of schemas) {
    const a = fromSchema.schemas.get(s)?.enums ?? new Map();
    const b = fromMigrations.schemas.get(s)?.enums ?? new Map();
    for (const [name, e] of a) {
      const o = b.get(name);
      const values = (x: { values: string[] }) => [...x.values].sort().join(', ');
      if (!o) out.push({ text: `enum ${s}.${name}: only in the schema`, where: [e.origin] });
      else if (values(o) !== values(e)) out.push({ text: `enum ${s}.${name}: (${values(e)}) in the schema, (${values(o)}) in the migrations`, where: [e.origin, o.origin] });
      else matched.enums++;
    }
    for (const [name, o] of b) if (!a.has(name)) out.push({ text: `enum ${s}.${name}: only in the migrations`, where: [o.origin] });
  }
  return { matched, differences: out };
}

function lineOf(origin: Origin): string {
  if (!fs.existsSync(origin.file)) return origin.file || '(no file)';
  const text = fs.readFileSync(origin.file, 'utf8');
  return `${path.relative(CORPUS, origin.file)}:${text.slice(0, origin.start).split('\n').length}`;
}

// Why a difference is real drift, one line each. `m` is the migration that shows it (checked by reading it).
const partial = (m: string, what?: string) => `partial index${what ? ` ${what}` : ''} (WHERE …) written by hand in ${m}; the schema does not declare it`;
const covering = (m: string, how?: string) => (how ? `${m} ${how}` : `covering index (INCLUDE …) written by hand in ${m}; the schema does not declare it`);
const notDeclared = (m: string) => `index created in ${m} that the schema does not declare`;
const madePartial = (m: string) => `declared as a plain @@index, but ${m} creates it by hand as a partial index`;
const listNotNull = (m: string) => `${m} makes a scalar list NOT NULL by hand; Prisma creates lists nullable and cannot declare NOT NULL on one`;
const noOnUpdate = (m: string) => `hand-written REFERENCES in ${m} has no ON UPDATE (so NO ACTION); the relation means Prisma's default ON UPDATE CASCADE`;
const droppedFk = (m: string) => `${m} drops the FK by hand; the schema keeps the relation`;
const fkWithoutRelation = (m: string) => `${m} adds the FK by hand; the model has the scalar field but no relation`;
const view = (m: string) => `a model over a view (${m} creates it with CREATE VIEW); Prisma Migrate would make a table`;
const gone = (m: string, how = 'adds it') => `${m} ${how}; the model has no such field`;
const noModel = (m: string) => `${m} creates the table; no model maps to it`;
const rankTable = (t: string) => `the migrations only create the view "${t}_Live"; the table itself is made outside the history`;
const PRE_PRISMA_6_JOIN = 'implicit many-to-many table made before Prisma 6 with a unique index on (A, B); Prisma 6 wants the primary key _AB_pkey and the project never added that migration';
const METRIC_TIMEFRAME = 'the model dropped the per-timeframe rows (no timeframe, rating, ratingCount, favoriteCount; key modelVersionId alone), but no migration changes the table 20221018213100_split_model_metrics made';
const CTAS_NULLABLE = 'CREATE TABLE … AS (20250228013729_normalize) makes every column nullable, and no migration adds the primary key that would make it NOT NULL';
const RANK_WINDOWS = ['Day', 'Week', 'Month', 'Year', 'AllTime'];
const RANK_BIGINT = (t: string) => `CREATE TABLE … AS SELECT * FROM "${t}_Live" (20250228013729_normalize) copies the view's ROW_NUMBER() ranks, which are bigint; the model says Int`;
/** `UserRank.<stat><window>Rank` for each timeframe, as one reason: the lines differ only in the column. */
const perTimeframe = (table: string, stats: string[], how: string, reason: string): Record<string, string> =>
  Object.fromEntries(stats.flatMap((stat) => RANK_WINDOWS.map((w) => [`column public.${table}.${stat}${w}Rank: ${how}`, reason])));
const CTAS_KEYS = 'CREATE TABLE … AS (20250228013729_normalize) makes no primary key or FK, and no migration adds the ones the model declares';

interface Project {
  name: string;
  /** The schema file, relative to the corpus. */
  schema: string;
  /** Each difference this project really has, with why it is drift there and not a mapping error. */
  expected: Record<string, string>;
}

const PROJECTS: Project[] = [
  {
    name: 'trigger.dev (database)',
    schema: 'triggerdotdev__trigger.dev/internal-packages/database/prisma/schema.prisma',
    expected: {
      'index public.RuntimeEnvironment "RuntimeEnvironment_projectId_type_staging_preview_root_key": only in the migrations':
        partial('20260714140000_runtime_environment_unique_staging_preview_root'),
      'index public.RuntimeEnvironment "RuntimeEnvironment_pauseSource_organizationId_idx": only in the migrations':
        partial('20260812120000_add_runtime_environment_pause_source_index'),
      'column public.api_keys.scopes: text[] in the schema, text[] NOT NULL in the migrations':
        listNotNull('20260723112558_add_environment_api_keys'),
      'index public.BackgroundWorkerTask "BackgroundWorkerTask_runtimeEnvironmentId_slug_triggerSourc_idx": named "BackgroundWorkerTask_runtimeEnvironmentId_slug_triggerSource_id" in the migrations':
        `hand-written CREATE INDEX in 20260413000000_add_bwt_covering_index names it …_triggerSource_idx (64 bytes), which PostgreSQL cuts to 63; Prisma's default name cuts before the suffix`,
      'foreign key public.PlaygroundConversation "PlaygroundConversation_runId_fkey": only in the schema':
        droppedFk('20260710120000_drop_remaining_run_graph_seam_foreign_keys'),
      'column public.Session.tags: text[] in the schema, text[] NOT NULL in the migrations':
        listNotNull('20260419000000_add_sessions_table'),
      'foreign key public.TaskRun "TaskRun_runtimeEnvironmentId_fkey": only in the schema':
        droppedFk('20260401000000_drop_taskrun_foreign_keys'),
      'foreign key public.TaskRun "TaskRun_projectId_fkey": only in the schema':
        droppedFk('20260401000000_drop_taskrun_foreign_keys'),
      'foreign key public.TaskRun "TaskRun_lockedById_fkey": only in the schema':
        droppedFk('20260401000000_drop_taskrun_foreign_keys'),
      'foreign key public.TaskRun "TaskRun_lockedToVersionId_fkey": only in the schema':
        droppedFk('20260401000000_drop_taskrun_foreign_keys'),
      'foreign key public.TaskRun "TaskRun_rootTaskRunId_fkey": only in the schema':
        droppedFk('20260401000000_drop_taskrun_foreign_keys'),
      'foreign key public.TaskRun "TaskRun_parentTaskRunId_fkey": only in the schema':
        droppedFk('20260401000000_drop_taskrun_foreign_keys'),
      'foreign key public.TaskRun "TaskRun_parentTaskRunAttemptId_fkey": only in the schema':
        droppedFk('20260401000000_drop_taskrun_foreign_keys'),
      'foreign key public.TaskRun "TaskRun_batchId_fkey": only in the schema':
        droppedFk('20260401000000_drop_taskrun_foreign_keys'),
      'index public.TaskRun "TaskRun_runtimeEnvironmentId_createdAt_idx": index btree (runtimeEnvironmentId, createdAt) in the schema, index btree (runtimeEnvironmentId, createdAt) INCLUDE (id) in the migrations':
        covering('20250611080322_add_task_run_environment_created_at_index_including_id', 'replaces the declared index with one that INCLUDEs id'),
      'foreign key public.TaskRunCheckpoint "TaskRunCheckpoint_projectId_fkey": only in the schema':
        droppedFk('20260629120000_drop_run_ops_control_plane_foreign_keys'),
      'foreign key public.TaskRunCheckpoint "TaskRunCheckpoint_runtimeEnvironmentId_fkey": only in the schema':
        droppedFk('20260629120000_drop_run_ops_control_plane_foreign_keys'),
      'foreign key public.Waitpoint "Waitpoint_projectId_fkey": only in the schema':
        droppedFk('20260629120000_drop_run_ops_control_plane_foreign_keys'),
      'foreign key public.Waitpoint "Waitpoint_environmentId_fkey": only in the schema':
        droppedFk('20260629120000_drop_run_ops_control_plane_foreign_keys'),
      'foreign key public.TaskRunWaitpoint "TaskRunWaitpoint_waitpointId_fkey": only in the schema':
        droppedFk('20260705220000_drop_task_run_waitpoint_waitpoint_fk'),
      'foreign key public.TaskRunWaitpoint "TaskRunWaitpoint_projectId_fkey": only in the schema':
        droppedFk('20260629120000_drop_run_ops_control_plane_foreign_keys'),
      'index public.TaskRunWaitpoint "TaskRunWaitpoint_taskRunId_waitpointId_batchIndex_null_key": only in the migrations':
        partial('20250114153223_task_run_waitpoint_unique_constraint_added_batch_index'),
      'foreign key public.WaitpointTag "WaitpointTag_environmentId_fkey": only in the schema':
        droppedFk('20260629120000_drop_run_ops_control_plane_foreign_keys'),
      'foreign key public.WaitpointTag "WaitpointTag_projectId_fkey": only in the schema':
        droppedFk('20260629120000_drop_run_ops_control_plane_foreign_keys'),
      'foreign key public.TaskRunTag "TaskRunTag_projectId_fkey": only in the schema':
        droppedFk('20260629120000_drop_run_ops_control_plane_foreign_keys'),
      'foreign key public.TaskRunAttempt "TaskRunAttempt_backgroundWorkerId_fkey": only in the schema':
        droppedFk('20260629120000_drop_run_ops_control_plane_foreign_keys'),
      'foreign key public.TaskRunAttempt "TaskRunAttempt_backgroundWorkerTaskId_fkey": only in the schema':
        droppedFk('20260629120000_drop_run_ops_control_plane_foreign_keys'),
      'foreign key public.TaskRunAttempt "TaskRunAttempt_runtimeEnvironmentId_fkey": only in the schema':
        droppedFk('20260629120000_drop_run_ops_control_plane_foreign_keys'),
      'foreign key public.TaskRunAttempt "TaskRunAttempt_queueId_fkey": only in the schema':
        droppedFk('20260710120000_drop_remaining_run_graph_seam_foreign_keys'),
      'foreign key public.Checkpoint "Checkpoint_projectId_fkey": only in the schema':
        droppedFk('20260710120000_drop_remaining_run_graph_seam_foreign_keys'),
      'foreign key public.Checkpoint "Checkpoint_runtimeEnvironmentId_fkey": only in the schema':
        droppedFk('20260710120000_drop_remaining_run_graph_seam_foreign_keys'),
      'foreign key public.CheckpointRestoreEvent "CheckpointRestoreEvent_projectId_fkey": only in the schema':
        droppedFk('20260710120000_drop_remaining_run_graph_seam_foreign_keys'),
      'foreign key public.CheckpointRestoreEvent "CheckpointRestoreEvent_runtimeEnvironmentId_fkey": only in the schema':
        droppedFk('20260710120000_drop_remaining_run_graph_seam_foreign_keys'),
      'index public.BulkActionGroup "BulkActionGroup_environmentId_type_dedupeKey_idx": index btree (environmentId, type, dedupeKey) in the schema, index btree (environmentId, type, dedupeKey) WHERE "dedupeKey" IS NOT NULL in the migrations':
        madePartial('20260626120001_bulk_action_group_dedupe_key_index'),
      'foreign key public.BulkActionItem "BulkActionItem_sourceRunId_fkey": only in the schema':
        droppedFk('20260710120000_drop_remaining_run_graph_seam_foreign_keys'),
      'foreign key public.BulkActionItem "BulkActionItem_destinationRunId_fkey": only in the schema':
        droppedFk('20260710120000_drop_remaining_run_graph_seam_foreign_keys'),
      'index public._BackgroundWorkerToBackgroundWorkerFile "_BackgroundWorkerToBackgroundWorkerFile_AB_pkey": only in the schema':
        PRE_PRISMA_6_JOIN,
      'index public._BackgroundWorkerToBackgroundWorkerFile "_BackgroundWorkerToBackgroundWorkerFile_AB_unique": only in the migrations':
        PRE_PRISMA_6_JOIN,
      'index public._BackgroundWorkerToTaskQueue "_BackgroundWorkerToTaskQueue_AB_pkey": only in the schema':
        PRE_PRISMA_6_JOIN,
      'index public._BackgroundWorkerToTaskQueue "_BackgroundWorkerToTaskQueue_AB_unique": only in the migrations':
        PRE_PRISMA_6_JOIN,
      'foreign key public._WaitpointRunConnections "_WaitpointRunConnections_B_fkey": only in the schema':
        droppedFk('20260705210000_drop_waitpoint_run_connections_waitpoint_fk'),
      'index public._WaitpointRunConnections "_WaitpointRunConnections_AB_pkey": only in the schema':
        PRE_PRISMA_6_JOIN,
      'index public._WaitpointRunConnections "_WaitpointRunConnections_AB_unique": only in the migrations':
        PRE_PRISMA_6_JOIN,
      'foreign key public._completedWaitpoints "_completedWaitpoints_B_fkey": only in the schema':
        droppedFk('20260705230000_drop_completed_waitpoints_waitpoint_fk'),
      'index public._completedWaitpoints "_completedWaitpoints_AB_pkey": only in the schema':
        PRE_PRISMA_6_JOIN,
      'index public._completedWaitpoints "_completedWaitpoints_AB_unique": only in the migrations':
        PRE_PRISMA_6_JOIN,
    },
  },
  {
    name: 'trigger.dev (run-ops-database)',
    schema: 'triggerdotdev__trigger.dev/internal-packages/run-ops-database/prisma/schema.prisma',
    expected: {
      'index public.TaskRunWaitpoint "TaskRunWaitpoint_taskRunId_waitpointId_batchIndex_null_key": only in the migrations':
        partial('20260630000000_task_run_waitpoint_null_batchindex_partial_unique'),
    },
  },
  {
    name: 'civitai',
    schema: 'civitai__civitai/packages/civitai-db-schema/prisma/schema.full.prisma',
    expected: {
      'column public.User.subscriptionId: only in the migrations':
        gone('20230203224140_stripe'),
      'column public.User.muteConfirmedAt: only in the migrations':
        gone('20240528212836_muted_confirmed'),
      'index public.User "User_deletedAt_notnull_idx": only in the migrations':
        partial('20260730130000_user_deleted_at_partial_index'),
      'column public.Model.allowCommercialUse: "CommercialUse"[] in the schema, "CommercialUse"[] NOT NULL in the migrations':
        listNotNull('20240221203954_model_commercial_user_array'),
      'index public.Model "Model_status_publishedAt_idx": only in the migrations':
        notDeclared('20260406203654_add_model_status_published_at_index'),
      'index public.Model "Model_minorFlagSnapshot_source_idx": only in the migrations':
        partial('20260730120000_model_minor_flag_snapshot_index', 'on an expression'),
      'index public.LicensingRoot "LicensingRoot_default_per_scope_key": only in the migrations':
        partial('20260715130000_add_licensing_root_table'),
      'column public.ModelFile.replacedAt: timestamp(3) without time zone in the schema, timestamp with time zone in the migrations':
        `20260703120000_add_modelfile_replacedat adds it by hand as timestamptz; the field has no @db.Timestamptz, so the schema means timestamp(3)`,
      'index public.ModelFile "ModelFile_replacedAt_idx": only in the migrations':
        partial('20260703120000_add_modelfile_replacedat'),
      'index public.ModelMetric "feed_highest_rated": only in the migrations':
        covering('20251123142214_model_metric_overhaul'),
      'index public.ModelMetric "feed_most_downloaded": only in the migrations':
        covering('20251123142214_model_metric_overhaul'),
      'index public.ModelMetric "feed_most_discussed": only in the migrations':
        covering('20251123142214_model_metric_overhaul'),
      'index public.ModelMetric "feed_most_collected": only in the migrations':
        covering('20251123142214_model_metric_overhaul'),
      'index public.ModelMetric "feed_newest": only in the migrations':
        covering('20251123142214_model_metric_overhaul'),
      'index public.ModelMetric "feed_oldest": only in the migrations':
        covering('20251123142214_model_metric_overhaul'),
      'column public.ModelVersionMetric.timeframe: only in the migrations':
        METRIC_TIMEFRAME,
      'column public.ModelVersionMetric.rating: only in the migrations':
        METRIC_TIMEFRAME,
      'column public.ModelVersionMetric.ratingCount: only in the migrations':
        METRIC_TIMEFRAME,
      'column public.ModelVersionMetric.favoriteCount: only in the migrations':
        METRIC_TIMEFRAME,
      'index public.ModelVersionMetric "ModelVersionMetric_pkey": primary key btree (modelVersionId) in the schema, primary key btree (modelVersionId, timeframe) in the migrations':
        METRIC_TIMEFRAME,
      'foreign key public.ModelBaseModelMetric "ModelBaseModelMetric_modelId_fkey": only in the schema':
        `20260113170510_add_model_base_model_metric creates the table by hand without the FK the relation declares`,
      'index public.ModelBaseModelMetric "mbmm_feed_highest_rated": only in the migrations':
        covering('20260113170510_add_model_base_model_metric'),
      'index public.ModelBaseModelMetric "mbmm_feed_most_downloaded": only in the migrations':
        covering('20260113170510_add_model_base_model_metric'),
      'index public.ModelBaseModelMetric "mbmm_feed_image_count": only in the migrations':
        covering('20260113170510_add_model_base_model_metric'),
      'column public.Post.reactionCount: only in the migrations':
        gone('20251117182613_post_metrics_denormalization', 'adds the column by hand (denormalised metric)'),
      'column public.Post.commentCount: only in the migrations':
        gone('20251117182613_post_metrics_denormalization', 'adds the column by hand (denormalised metric)'),
      'column public.Post.collectedCount: only in the migrations':
        gone('20251117182613_post_metrics_denormalization', 'adds the column by hand (denormalised metric)'),
      'index public.Post "post_feed_reaction_idx": only in the migrations':
        partial('20251117182613_post_metrics_denormalization'),
      'index public.Post "post_feed_comment_idx": only in the migrations':
        partial('20251117182613_post_metrics_denormalization'),
      'index public.Post "post_feed_collected_idx": only in the migrations':
        partial('20251117182613_post_metrics_denormalization'),
      'index public.Image "Image_needsReview_index": only in the migrations':
        partial('20250425195241_image_needs_review_index'),
      'index public.Image "Image_blocked_idx": only in the migrations':
        partial('20250614053144_remove_article_cover_id_fkey'),
      'foreign key public.ImageConnection "ImageConnection_imageId_fkey": only in the schema':
        droppedFk('20240307231126_nsfw_level_update_queue'),
      'index public.EntityModeration "EntityModeration_retry_idx": only in the migrations':
        partial('20260407111422_add_entity_moderation_retry_index'),
      'foreign key public.ImageResourceNew "ImageResourceNew_imageId_fkey": only in the schema':
        `20250319210024_image_resource_new creates the table by hand without the FKs the relations declare`,
      'foreign key public.ImageResourceNew "ImageResourceNew_modelVersionId_fkey": only in the schema':
        `20250319210024_image_resource_new creates the table by hand without the FKs the relations declare`,
      'index public.ArticleRatingReview "ArticleRatingReview_pending_per_article": only in the migrations':
        partial('20260522120000_article_rating_review'),
      'column public.Tag.target: "TagTarget"[] in the schema, "TagTarget"[] NOT NULL in the migrations':
        listNotNull('20221223180254_add_tag_target'),
      'index public.Tag "Tag_moderated_idx": only in the migrations':
        partial('20250303170613_tags_on_image_new'),
      'foreign key public.TagsOnImageNew "TagsOnImageNew_imageId_fkey": only in the schema':
        droppedFk('20250314203912_drop_tags_on_image'),
      'index public.TagsOnImageNew "TagsOnImageNew_needsReview_idx": only in the migrations':
        partial('20250303170613_tags_on_image_new'),
      'index public.TagsOnImageNew "TagsOnImageNew_disabled_idx": only in the migrations':
        partial('20250303170613_tags_on_image_new'),
      'column public.ApiKey.scope: only in the migrations':
        gone('20221118203334_add_apikey_table', 'creates it and no migration drops it'),
      'column public.OauthClient.redirectUris: text[] in the schema, text[] NOT NULL in the migrations':
        listNotNull('20260410140011_add_oauth_tables'),
      'column public.OauthClient.allowedOrigins: text[] in the schema, text[] NOT NULL in the migrations':
        listNotNull('20260518150000_add_oauth_allowed_origins'),
      'column public.OauthClient.grants: text[] in the schema, text[] NOT NULL in the migrations':
        listNotNull('20260410140011_add_oauth_tables'),
      'foreign key public.Role "Role_createdById_fkey": only in the migrations':
        fkWithoutRelation('20260630140000_add_role_table'),
      'foreign key public.UserMembershipOverride "UserMembershipOverride_grantedById_fkey": only in the migrations':
        fkWithoutRelation('20260801120000_add_user_membership_override'),
      'column public.app_blocks.approved_scopes: text[] in the schema, text[] NOT NULL in the migrations':
        listNotNull('20260524120000_app_blocks_initial'),
      'foreign key public.app_blocks "app_blocks_app_id_fkey": only in the schema':
        `20260524120000_app_blocks_initial names the FK app_blocks_app_id_fk (and without ON UPDATE), not Prisma's app_blocks_app_id_fkey`,
      'foreign key public.app_blocks "app_blocks_app_id_fk": only in the migrations':
        `the hand-written FK of 20260524120000_app_blocks_initial under its own name (see app_blocks_app_id_fkey)`,
      'index public.app_blocks "app_blocks_current_version_sha_idx": only in the migrations':
        partial('20260526200000_app_blocks_repo_versioning'),
      'foreign key public.app_block_reviews "app_block_reviews_app_block_id_fkey": (app_block_id) → public.app_blocks (id) ON DELETE cascade ON UPDATE cascade in the schema, (app_block_id) → public.app_blocks (id) ON DELETE cascade ON UPDATE no action in the migrations':
        noOnUpdate('20260621120000_app_block_reviews'),
      'foreign key public.app_block_reviews "app_block_reviews_user_id_fkey": (user_id) → public.User (id) ON DELETE cascade ON UPDATE cascade in the schema, (user_id) → public.User (id) ON DELETE cascade ON UPDATE no action in the migrations':
        noOnUpdate('20260621120000_app_block_reviews'),
      'foreign key public.app_block_publish_requests "app_block_publish_requests_app_block_id_fkey": (app_block_id) → public.app_blocks (id) ON DELETE set null ON UPDATE cascade in the schema, (app_block_id) → public.app_blocks (id) ON DELETE set null ON UPDATE no action in the migrations':
        noOnUpdate('20260528170000_w1_publish_requests'),
      'foreign key public.app_block_publish_requests "app_block_publish_requests_submitted_by_user_id_fkey": (submitted_by_user_id) → public.User (id) ON DELETE cascade ON UPDATE cascade in the schema, (submitted_by_user_id) → public.User (id) ON DELETE cascade ON UPDATE no action in the migrations':
        noOnUpdate('20260528170000_w1_publish_requests'),
      'foreign key public.app_block_publish_requests "app_block_publish_requests_reviewed_by_user_id_fkey": (reviewed_by_user_id) → public.User (id) ON DELETE set null ON UPDATE cascade in the schema, (reviewed_by_user_id) → public.User (id) ON DELETE set null ON UPDATE no action in the migrations':
        noOnUpdate('20260528170000_w1_publish_requests'),
      'index public.app_block_publish_requests "app_block_publish_requests_bundle_sha_idx": only in the migrations':
        notDeclared('20260528170000_w1_publish_requests'),
      'index public.app_block_publish_requests "app_block_publish_requests_one_pending_per_slug": only in the migrations':
        partial('20260528210000_w1_uniqueness_constraints'),
      'foreign key public.app_listings "app_listings_icon_id_fkey": (icon_id) → public.Image (id) ON DELETE set null ON UPDATE cascade in the schema, (icon_id) → public.Image (id) ON DELETE set null ON UPDATE no action in the migrations':
        noOnUpdate('20260701120000_w13_p0_app_listing'),
      'foreign key public.app_listings "app_listings_cover_id_fkey": (cover_id) → public.Image (id) ON DELETE set null ON UPDATE cascade in the schema, (cover_id) → public.Image (id) ON DELETE set null ON UPDATE no action in the migrations':
        noOnUpdate('20260701120000_w13_p0_app_listing'),
      'foreign key public.app_listings "app_listings_connect_client_id_fkey": (connect_client_id) → public.OauthClient (id) ON DELETE set null ON UPDATE cascade in the schema, (connect_client_id) → public.OauthClient (id) ON DELETE set null ON UPDATE no action in the migrations':
        noOnUpdate('20260701120000_w13_p0_app_listing'),
      'foreign key public.app_listings "app_listings_app_block_id_fkey": (app_block_id) → public.app_blocks (id) ON DELETE set null ON UPDATE cascade in the schema, (app_block_id) → public.app_blocks (id) ON DELETE set null ON UPDATE no action in the migrations':
        noOnUpdate('20260701120000_w13_p0_app_listing'),
      'foreign key public.app_listings "app_listings_revision_of_id_fkey": (revision_of_id) → public.app_listings (id) ON DELETE cascade ON UPDATE cascade in the schema, (revision_of_id) → public.app_listings (id) ON DELETE cascade ON UPDATE no action in the migrations':
        noOnUpdate('20260707120000_w13_edit_listing_revision'),
      'foreign key public.app_listings "app_listings_user_id_fkey": (user_id) → public.User (id) ON DELETE cascade ON UPDATE cascade in the schema, (user_id) → public.User (id) ON DELETE cascade ON UPDATE no action in the migrations':
        noOnUpdate('20260701120000_w13_p0_app_listing'),
      'index public.app_listings "app_listings_revision_of_id_key": index btree (revision_of_id) in the schema, unique btree (revision_of_id) WHERE "revision_of_id" IS NOT NULL in the migrations':
        madePartial('20260707120000_w13_edit_listing_revision'),
      'foreign key public.app_listing_screenshots "app_listing_screenshots_app_listing_id_fkey": (app_listing_id) → public.app_listings (id) ON DELETE cascade ON UPDATE cascade in the schema, (app_listing_id) → public.app_listings (id) ON DELETE cascade ON UPDATE no action in the migrations':
        noOnUpdate('20260701120000_w13_p0_app_listing'),
      'foreign key public.app_listing_screenshots "app_listing_screenshots_image_id_fkey": (image_id) → public.Image (id) ON DELETE set null ON UPDATE cascade in the schema, (image_id) → public.Image (id) ON DELETE set null ON UPDATE no action in the migrations':
        noOnUpdate('20260701120000_w13_p0_app_listing'),
      'foreign key public.app_listing_reviews "app_listing_reviews_app_listing_id_fkey": (app_listing_id) → public.app_listings (id) ON DELETE cascade ON UPDATE cascade in the schema, (app_listing_id) → public.app_listings (id) ON DELETE cascade ON UPDATE no action in the migrations':
        noOnUpdate('20260701120000_w13_p0_app_listing'),
      'foreign key public.app_listing_reviews "app_listing_reviews_user_id_fkey": (user_id) → public.User (id) ON DELETE cascade ON UPDATE cascade in the schema, (user_id) → public.User (id) ON DELETE cascade ON UPDATE no action in the migrations':
        noOnUpdate('20260701120000_w13_p0_app_listing'),
      'foreign key public.app_listing_metrics "app_listing_metrics_app_listing_id_fkey": (app_listing_id) → public.app_listings (id) ON DELETE cascade ON UPDATE cascade in the schema, (app_listing_id) → public.app_listings (id) ON DELETE cascade ON UPDATE no action in the migrations':
        noOnUpdate('20260701120000_w13_p0_app_listing'),
      'foreign key public.app_listing_publish_requests "app_listing_publish_requests_app_listing_id_fkey": (app_listing_id) → public.app_listings (id) ON DELETE set null ON UPDATE cascade in the schema, (app_listing_id) → public.app_listings (id) ON DELETE set null ON UPDATE no action in the migrations':
        noOnUpdate('20260701120000_w13_p0_app_listing'),
      'foreign key public.app_listing_publish_requests "app_listing_publish_requests_submitted_by_user_id_fkey": (submitted_by_user_id) → public.User (id) ON DELETE cascade ON UPDATE cascade in the schema, (submitted_by_user_id) → public.User (id) ON DELETE cascade ON UPDATE no action in the migrations':
        noOnUpdate('20260701120000_w13_p0_app_listing'),
      'foreign key public.app_listing_publish_requests "app_listing_publish_requests_reviewed_by_user_id_fkey": (reviewed_by_user_id) → public.User (id) ON DELETE set null ON UPDATE cascade in the schema, (reviewed_by_user_id) → public.User (id) ON DELETE set null ON UPDATE no action in the migrations':
        noOnUpdate('20260701120000_w13_p0_app_listing'),
      'foreign key public.app_listing_reports "app_listing_reports_app_listing_id_fkey": (app_listing_id) → public.app_listings (id) ON DELETE cascade ON UPDATE cascade in the schema, (app_listing_id) → public.app_listings (id) ON DELETE cascade ON UPDATE no action in the migrations':
        noOnUpdate('20260706120050_w13_p3b_app_listing_reports'),
      'foreign key public.app_listing_reports "app_listing_reports_reporter_user_id_fkey": (reporter_user_id) → public.User (id) ON DELETE cascade ON UPDATE cascade in the schema, (reporter_user_id) → public.User (id) ON DELETE cascade ON UPDATE no action in the migrations':
        noOnUpdate('20260706120050_w13_p3b_app_listing_reports'),
      'foreign key public.app_listing_reports "app_listing_reports_resolved_by_user_id_fkey": (resolved_by_user_id) → public.User (id) ON DELETE set null ON UPDATE cascade in the schema, (resolved_by_user_id) → public.User (id) ON DELETE set null ON UPDATE no action in the migrations':
        noOnUpdate('20260706120050_w13_p3b_app_listing_reports'),
      'index public.app_listing_reports "app_listing_reports_dedup_idx": only in the schema':
        `declared by @@index(…, map: "app_listing_reports_dedup_idx"), but 20260706120050_w13_p3b_app_listing_reports creates a partial unique index on those columns instead`,
      'index public.app_listing_reports "app_listing_reports_one_open_per_reporter": only in the migrations':
        partial('20260706120050_w13_p3b_app_listing_reports'),
      'foreign key public.app_listing_moderation_events "app_listing_moderation_events_app_listing_id_fkey": (app_listing_id) → public.app_listings (id) ON DELETE set null ON UPDATE cascade in the schema, (app_listing_id) → public.app_listings (id) ON DELETE set null ON UPDATE no action in the migrations':
        noOnUpdate('20260706120100_w13_p3b_app_listing_moderation_events'),
      'foreign key public.app_listing_moderation_events "app_listing_moderation_events_actor_user_id_fkey": (actor_user_id) → public.User (id) ON DELETE set null ON UPDATE cascade in the schema, (actor_user_id) → public.User (id) ON DELETE set null ON UPDATE no action in the migrations':
        noOnUpdate('20260706120100_w13_p3b_app_listing_moderation_events'),
      'foreign key public.app_listing_moderation_events "app_listing_moderation_events_report_id_fkey": (report_id) → public.app_listing_reports (id) ON DELETE set null ON UPDATE cascade in the schema, (report_id) → public.app_listing_reports (id) ON DELETE set null ON UPDATE no action in the migrations':
        noOnUpdate('20260706120100_w13_p3b_app_listing_moderation_events'),
      'foreign key public.app_review_agent_reports "app_review_agent_reports_prior_report_id_fkey": (prior_report_id) → public.app_review_agent_reports (id) ON DELETE set null ON UPDATE cascade in the schema, (prior_report_id) → public.app_review_agent_reports (id) ON DELETE set null ON UPDATE no action in the migrations':
        noOnUpdate('20260720120000_app_review_agent_report'),
      'index public.app_review_agent_reports "app_review_agent_reports_running_pubreq_uq": only in the migrations':
        partial('20260720130000_app_review_agent_report_slug_key'),
      'foreign key public.block_user_settings "block_user_settings_user_id_fkey": (user_id) → public.User (id) ON DELETE cascade ON UPDATE cascade in the schema, (user_id) → public.User (id) ON DELETE cascade ON UPDATE no action in the migrations':
        noOnUpdate('20260524120000_app_blocks_initial'),
      'foreign key public.platform_default_blocks "platform_default_blocks_app_block_id_fkey": (app_block_id) → public.app_blocks (id) ON DELETE restrict ON UPDATE cascade in the schema, (app_block_id) → public.app_blocks (id) ON DELETE restrict ON UPDATE no action in the migrations':
        noOnUpdate('20260524120000_app_blocks_initial'),
      'foreign key public.platform_default_blocks "platform_default_blocks_promoted_by_fkey": (promoted_by) → public.User (id) ON DELETE set null ON UPDATE cascade in the schema, (promoted_by) → public.User (id) ON DELETE set null ON UPDATE no action in the migrations':
        noOnUpdate('20260524120000_app_blocks_initial'),
      'index public.platform_default_blocks "platform_default_blocks_slot_priority_idx": index btree (slot_id, priority) in the schema, index btree (slot_id, priority) WHERE "enabled" = true in the migrations':
        madePartial('20260524120000_app_blocks_initial'),
      'column public.block_user_subscriptions.target_model_ids: integer[] in the schema, integer[] NOT NULL in the migrations':
        listNotNull('20260530210000_kill_per_model_installs'),
      'foreign key public.block_user_subscriptions "block_user_subscriptions_user_id_fkey": (user_id) → public.User (id) ON DELETE cascade ON UPDATE cascade in the schema, (user_id) → public.User (id) ON DELETE cascade ON UPDATE no action in the migrations':
        noOnUpdate('20260524130000_block_user_subscriptions'),
      'foreign key public.block_user_subscriptions "block_user_subscriptions_app_block_id_fkey": (app_block_id) → public.app_blocks (id) ON DELETE cascade ON UPDATE cascade in the schema, (app_block_id) → public.app_blocks (id) ON DELETE cascade ON UPDATE no action in the migrations':
        noOnUpdate('20260524130000_block_user_subscriptions'),
      'index public.block_user_subscriptions "block_user_subscriptions_block_instance_id_key": named "block_user_subscriptions_block_instance_id_unique" in the migrations':
        `20260530210000_kill_per_model_installs names the unique index …_unique, not Prisma's …_key`,
      'index public.block_user_subscriptions "bus_publisher_lookup_idx": only in the migrations':
        partial('20260524130000_block_user_subscriptions'),
      'index public.block_user_subscriptions "bus_viewer_lookup_idx": only in the migrations':
        partial('20260524130000_block_user_subscriptions'),
      'index public.block_user_subscriptions "bus_user_subscriptions_idx": only in the migrations':
        notDeclared('20260524130000_block_user_subscriptions'),
      'index public.block_user_subscriptions "block_user_subscriptions_blanket_uniq": only in the migrations':
        partial('20260530210000_kill_per_model_installs'),
      'index public.block_user_subscriptions "block_user_subscriptions_pinned_uniq": only in the migrations':
        partial('20260530210000_kill_per_model_installs', 'on an expression'),
      'index public.block_user_subscriptions "block_user_subscriptions_pinned_model_idx": only in the migrations':
        partial('20260530210000_kill_per_model_installs', 'on an expression'),
      'foreign key public.block_buzz_attribution "block_buzz_attribution_user_id_fkey": (user_id) → public.User (id) ON DELETE restrict ON UPDATE cascade in the schema, (user_id) → public.User (id) ON DELETE restrict ON UPDATE no action in the migrations':
        noOnUpdate('20260525120000_block_buzz_attribution'),
      'foreign key public.block_buzz_attribution "block_buzz_attribution_app_id_fkey": (app_id) → public.OauthClient (id) ON DELETE restrict ON UPDATE cascade in the schema, (app_id) → public.OauthClient (id) ON DELETE restrict ON UPDATE no action in the migrations':
        noOnUpdate('20260525120000_block_buzz_attribution'),
      'foreign key public.block_buzz_attribution "block_buzz_attribution_app_block_id_fkey": (app_block_id) → public.app_blocks (id) ON DELETE restrict ON UPDATE cascade in the schema, (app_block_id) → public.app_blocks (id) ON DELETE restrict ON UPDATE no action in the migrations':
        noOnUpdate('20260525120000_block_buzz_attribution'),
      'foreign key public.block_buzz_attribution "block_buzz_attribution_app_owner_user_id_fkey": (app_owner_user_id) → public.User (id) ON DELETE restrict ON UPDATE cascade in the schema, (app_owner_user_id) → public.User (id) ON DELETE restrict ON UPDATE no action in the migrations':
        noOnUpdate('20260525120000_block_buzz_attribution'),
      'index public.block_buzz_attribution "bba_payout_idx": only in the migrations':
        partial('20260525120000_block_buzz_attribution'),
      'index public.block_buzz_attribution "bba_pending_aging_idx": only in the migrations':
        partial('20260525120000_block_buzz_attribution'),
      'index public.block_buzz_attribution "bba_held_review_idx": only in the migrations':
        partial('20260531120000_payout1_safety_substrate'),
      'foreign key public.block_attribution_payout "block_attribution_payout_app_owner_user_id_fkey": (app_owner_user_id) → public.User (id) ON DELETE restrict ON UPDATE cascade in the schema, (app_owner_user_id) → public.User (id) ON DELETE restrict ON UPDATE no action in the migrations':
        noOnUpdate('20260531120000_payout1_safety_substrate'),
      'foreign key public.block_spend_attribution "block_spend_attribution_user_id_fkey": (user_id) → public.User (id) ON DELETE restrict ON UPDATE cascade in the schema, (user_id) → public.User (id) ON DELETE restrict ON UPDATE no action in the migrations':
        noOnUpdate('20260618130000_block_spend_attribution'),
      'foreign key public.block_spend_attribution "block_spend_attribution_app_id_fkey": (app_id) → public.OauthClient (id) ON DELETE restrict ON UPDATE cascade in the schema, (app_id) → public.OauthClient (id) ON DELETE restrict ON UPDATE no action in the migrations':
        noOnUpdate('20260618130000_block_spend_attribution'),
      'foreign key public.block_spend_attribution "block_spend_attribution_app_block_id_fkey": (app_block_id) → public.app_blocks (id) ON DELETE restrict ON UPDATE cascade in the schema, (app_block_id) → public.app_blocks (id) ON DELETE restrict ON UPDATE no action in the migrations':
        noOnUpdate('20260618130000_block_spend_attribution'),
      'foreign key public.block_spend_attribution "block_spend_attribution_app_owner_user_id_fkey": (app_owner_user_id) → public.User (id) ON DELETE restrict ON UPDATE cascade in the schema, (app_owner_user_id) → public.User (id) ON DELETE restrict ON UPDATE no action in the migrations':
        noOnUpdate('20260618130000_block_spend_attribution'),
      'foreign key public.block_spend_attribution "block_spend_attribution_content_author_user_id_fkey": named "block_spend_attribution_content_author_fkey" in the migrations':
        `20260618130000_block_spend_attribution names the FK …_content_author_fkey, not Prisma's …_content_author_user_id_fkey`,
      'index public.block_spend_attribution "bsa_content_author_idx": index btree (content_author_user_id, attributed_at) in the schema, index btree (content_author_user_id, attributed_at) WHERE "content_author_user_id" IS NOT NULL in the migrations':
        madePartial('20260715120000_block_spend_content_author'),
      'index public.block_spend_attribution "bsa_payout_idx": only in the migrations':
        partial('20260618130000_block_spend_attribution'),
      'index public.block_spend_attribution "bsa_pending_aging_idx": only in the migrations':
        partial('20260618130000_block_spend_attribution'),
      'foreign key public.block_subscription_attribution "block_subscription_attribution_user_id_fkey": (user_id) → public.User (id) ON DELETE restrict ON UPDATE cascade in the schema, (user_id) → public.User (id) ON DELETE restrict ON UPDATE no action in the migrations':
        noOnUpdate('20260618140000_block_subscription_attribution'),
      'foreign key public.block_subscription_attribution "block_subscription_attribution_app_id_fkey": (app_id) → public.OauthClient (id) ON DELETE restrict ON UPDATE cascade in the schema, (app_id) → public.OauthClient (id) ON DELETE restrict ON UPDATE no action in the migrations':
        noOnUpdate('20260618140000_block_subscription_attribution'),
      'foreign key public.block_subscription_attribution "block_subscription_attribution_app_block_id_fkey": (app_block_id) → public.app_blocks (id) ON DELETE restrict ON UPDATE cascade in the schema, (app_block_id) → public.app_blocks (id) ON DELETE restrict ON UPDATE no action in the migrations':
        noOnUpdate('20260618140000_block_subscription_attribution'),
      'foreign key public.block_subscription_attribution "block_subscription_attribution_app_owner_user_id_fkey": (app_owner_user_id) → public.User (id) ON DELETE restrict ON UPDATE cascade in the schema, (app_owner_user_id) → public.User (id) ON DELETE restrict ON UPDATE no action in the migrations':
        noOnUpdate('20260618140000_block_subscription_attribution'),
      'index public.block_subscription_attribution "bsu_payout_idx": only in the migrations':
        partial('20260618140000_block_subscription_attribution'),
      'index public.block_subscription_attribution "bsu_pending_aging_idx": only in the migrations':
        partial('20260618140000_block_subscription_attribution'),
      'index public.block_scope_invocations "bsi_synthetic_app_invoked_idx": index btree (synthetic_app_id, invoked_at) in the schema, index btree (synthetic_app_id, invoked_at) WHERE "synthetic_app_id" IS NOT NULL in the migrations':
        madePartial('20260707120000_block_scope_invocation_nullable_appblock'),
      'column public.app_user_scope_grants.granted_scopes: text[] in the schema, text[] NOT NULL in the migrations':
        listNotNull('20260602120000_a6_app_user_scope_grants'),
      'index public.CommentV2 "idx_commentv2_thread_pinned": only in the migrations':
        partial('20251020155046_commentv2_pinned_at_index'),
      'column public.Thread.commentCount: only in the schema':
        `used by 20251017171807_thread but added by no migration: the column was made outside the history`,
      'foreign key public.Thread "Thread_comicProjectId_comicChapterPosition_fkey": named "Thread_comicChapter_fkey" in the migrations':
        `20260205200000_add_comics names the FK Thread_comicChapter_fkey, not Prisma's default name`,
      'index public.Cosmetic "Cosmetic_sticker_slug_key": only in the migrations':
        partial('20260801130000_add_cosmetic_sticker_slug_unique', 'on an expression'),
      'foreign key public.Article "Article_coverId_fkey": only in the schema':
        droppedFk('20250614053144_remove_article_cover_id_fkey'),
      'column public.Leaderboard.domain: "DomainColor"[] in the schema, "DomainColor"[] NOT NULL in the migrations':
        listNotNull('20260804160000_add_leaderboard_domain'),
      'index public.Collection "User_bookmark_collection": only in the migrations':
        partial('20240219150315_collection_data_structure_improvements'),
      'index public.Collection "Collection_public_searchable_idx": only in the migrations':
        partial('20260113102139_collection_public_searchable_index'),
      'foreign key public.CollectionItem "CollectionItem_articleId_fkey": only in the schema':
        droppedFk('20240307231126_nsfw_level_update_queue'),
      'foreign key public.CollectionItem "CollectionItem_postId_fkey": only in the schema':
        droppedFk('20240307231126_nsfw_level_update_queue'),
      'foreign key public.CollectionItem "CollectionItem_imageId_fkey": only in the schema':
        droppedFk('20240307231126_nsfw_level_update_queue'),
      'foreign key public.CollectionItem "CollectionItem_modelId_fkey": only in the schema':
        droppedFk('20240307231126_nsfw_level_update_queue'),
      'index public.CollectionItem "CollectionItem_collectionId_articleId_postId_imageId_modelI_key": named "CollectionItem_unique_entity_with_model3d_key" in the migrations':
        `20260526120000_add_3d_models names it CollectionItem_unique_entity_with_model3d_key, not Prisma's default name`,
      'index public.PaidAccess "PaidAccess_permanent_cap_idx": only in the migrations':
        partial('20260725134836_create_paid_access'),
      'index public.ChatMember "ChatMember_chatId_idx": only in the migrations':
        notDeclared('20250326094141_covered_checkpoint'),
      'index public.DonationGoal "DonationGoal_entityType_entityId_key": only in the migrations':
        partial('20260803140000_donation_goal_merge_duplicates_unique'),
      'column public.Bid.transactionIds: text[] in the schema, text[] NOT NULL in the migrations':
        listNotNull('20250227184003_add_featured_mv'),
      'index public.FeaturedModelVersion "FeaturedModelVersion_validFrom_validTo_idx": only in the migrations':
        notDeclared('20250227184003_add_featured_mv'),
      'column public.Changelog.tags: text[] in the schema, text[] NOT NULL in the migrations':
        listNotNull('20250508113400_add_changelog'),
      'index public.Changelog "Changelog_effectiveAt_idx": only in the migrations':
        notDeclared('20250508113400_add_changelog'),
      'index public.Changelog "Changelog_title_content_idx": only in the migrations':
        notDeclared('20250508113400_add_changelog'),
      'index public.Changelog "Changelog_type_idx": only in the migrations':
        notDeclared('20250508113400_add_changelog'),
      'index public.Changelog "Changelog_tags_idx": only in the migrations':
        notDeclared('20250508113400_add_changelog'),
      'index public.Changelog "Changelog_disabled_idx": only in the migrations':
        notDeclared('20250508113400_add_changelog'),
      'index public.ReportAutomated "ReportAutomated_createdAt_idx": only in the migrations':
        notDeclared('20250521094141_add_clavata_moderation'),
      'index public.ChallengeWinner "ChallengeWinner_challengeId_idx": only in the schema':
        `declared by @@index, never created: 20260113113902_add_challenge_system relies on the unique (challengeId, userId) index instead`,
      'index public.ChallengeWinner "ChallengeWinner_userId_idx": only in the schema':
        `declared by @@index, never created by any migration`,
      'table public.QuestionRank: only in the schema; the migrations make it a view':
        view('20221226174634_question_answers'),
      'table public.AnswerRank: only in the schema; the migrations make it a view':
        view('20221226174634_question_answers'),
      'table public.ModelReportStat: only in the schema; the migrations make it a view':
        view('20230209225221_rename_inaction_unaction'),
      'table public.ArticleStat: only in the schema; the migrations make it a view':
        view('20230511223534_articles'),
      'column public.ArticleRank.articleId: integer NOT NULL in the schema, integer in the migrations':
        CTAS_NULLABLE,
      ...perTimeframe('ArticleRank', ['heartCount', 'likeCount', 'dislikeCount', 'laughCount', 'cryCount', 'reactionCount', 'commentCount', 'viewCount',
        'favoriteCount', 'hideCount', 'collectedCount', 'tippedCount', 'tippedAmountCount'], 'integer in the schema, bigint in the migrations', RANK_BIGINT('ArticleRank')),
      'foreign key public.ArticleRank "ArticleRank_articleId_fkey": only in the schema':
        CTAS_KEYS,
      'index public.ArticleRank "ArticleRank_pkey": only in the schema':
        CTAS_KEYS,
      'table public.UserStat: only in the schema; the migrations make it a view':
        view('20251123233705_userstats_shrink'),
      'column public.UserRank.userId: integer NOT NULL in the schema, integer in the migrations':
        CTAS_NULLABLE,
      ...perTimeframe('UserRank', ['downloadCount', 'ratingCount', 'followerCount', 'rating', 'favoriteCount', 'answerCount', 'answerAcceptCount'],
        'integer in the schema, bigint in the migrations', RANK_BIGINT('UserRank')),
      ...perTimeframe('UserRank', ['thumbsUpCount', 'thumbsDownCount'], 'only in the schema',
        'the model has thumbs up/down ranks, but no version of the view "UserRank_Live" (so no CREATE TABLE … AS from it) has them'),
      'foreign key public.UserRank "UserRank_userId_fkey": only in the schema':
        CTAS_KEYS,
      'index public.UserRank "UserRank_pkey": only in the schema':
        CTAS_KEYS,
      'table public.TagStat: only in the schema; the migrations make it a view':
        view('20230511223534_articles'),
      'column public.TagRank.tagId: integer NOT NULL in the schema, integer in the migrations':
        CTAS_NULLABLE,
      'foreign key public.TagRank "TagRank_tagId_fkey": only in the schema':
        CTAS_KEYS,
      'index public.TagRank "TagRank_pkey": only in the schema':
        CTAS_KEYS,
      'table public.ImageModHelper: only in the schema; the migrations make it a view':
        view('20230216003413_image_gen_process'),
      'table public.ModelHash: only in the schema; the migrations make it a view':
        view('20230321212209_optimizations'),
      'table public.PostHelper: only in the schema; the migrations make it a view':
        view('20230308161211_post_helper'),
      'table public.PostStat: only in the schema':
        `the view PostStat was dropped by 20251017200000_drop_post_stat_view; the model stays`,
      'table public.CollectionStat: only in the schema; the migrations make it a view':
        view('20230824160203_collection_metrics'),
      'table public.CollectionRank: only in the schema':
        rankTable('CollectionRank'),
      'table public.ImageTag: only in the schema; the migrations make it a view':
        view('20240206222015_nsfw_level_2'),
      'table public.ModelTag: only in the schema; the migrations make it a view':
        view('20230321212209_optimizations'),
      'table public.ImageResourceHelper: only in the schema; the migrations make it a view':
        view('20250319210024_image_resource_new'),
      'table public.PostResourceHelper: only in the schema; the migrations make it a view':
        view('20250319210024_image_resource_new'),
      'table public.PostImageTag: only in the schema; the migrations make it a view':
        view('20250314203912_drop_tags_on_image'),
      'table public.PostTag: only in the schema; the migrations make it a view':
        view('20230321232309_post_tags'),
      'table public.ResourceReviewHelper: only in the schema; the migrations make it a view':
        view('20230322230044_discussion_items'),
      'table public.GenerationCoverage: only in the schema; the migrations make it a view':
        view('20260529120000_generation_coverage_exclude_zip_formats'),
      'table public.BountyStat: only in the schema; the migrations make it a view':
        view('20230913162225_add_bounty_metric_comment_count'),
      'table public.BountyRank: only in the schema':
        rankTable('BountyRank'),
      'table public.BountyEntryStat: only in the schema; the migrations make it a view':
        view('20230925155218_add_buzz_tip_on_bounty_entry'),
      'table public.BountyEntryRank: only in the schema':
        rankTable('BountyEntryRank'),
      'table public.ClubStat: only in the schema; the migrations make it a view':
        view('20240102211435_add_club_ranks'),
      'table public.ClubRank: only in the schema':
        rankTable('ClubRank'),
      'table public.EntityMetricImage: only in the schema; the migrations make it a view':
        view('20240724182718_add_entity_metrics'),
      'table public.TagsOnImageDetails: only in the schema; the migrations make it a view':
        view('20250303170613_tags_on_image_new'),
      'foreign key public.ComicPanel "ComicPanel_projectId_chapterPosition_fkey": named "ComicPanel_chapter_fkey" in the migrations':
        `20260205200000_add_comics names the FK ComicPanel_chapter_fkey, not Prisma's default name`,
      'column public.ComicProjectEngagement.readChapters: only in the migrations':
        `removed from the model; 20260626140000_add_comic_chapter_read keeps the column one more release on purpose (says so)`,
      'column public.Model3D.lockedProperties: text[] in the schema, text[] NOT NULL in the migrations':
        listNotNull('20260526120000_add_3d_models'),
      'index public.Model3DFile "Model3DFile_model3dId_isPrimary_key": only in the migrations':
        partial('20260526120000_add_3d_models'),
      'foreign key public.ShopifyCustomerLink "ShopifyCustomerLink_userId_fkey": only in the migrations':
        fkWithoutRelation('20260629000000_shopify_merch_blue_buzz'),
      'foreign key public.ShopifyMerchOrder "ShopifyMerchOrder_userId_fkey": only in the migrations':
        fkWithoutRelation('20260629000000_shopify_merch_blue_buzz'),
      'index public.PlacementTransaction "PlacementTransaction_unpaid_idx": only in the migrations':
        partial('20260803210000_add_placement_foundation'),
      'table public.ImageRank: only in the migrations':
        noModel('20250228013729_normalize'),
      'table public.ModelVersionRank: only in the migrations':
        noModel('20250228013729_normalize'),
      'table public.PostRank: only in the migrations':
        noModel('20250228013729_normalize'),
      'table public.HiddenDownload: only in the migrations':
        noModel('20251119180643_hidden_downloads'),
      'table public.block_workflows: only in the migrations':
        noModel('20260715130000_block_workflows'),
      'enum public.KeyScope: only in the migrations':
        `type of the left-over ApiKey.scope column (20221118203334_add_apikey_table); the schema dropped the enum`,
    },
  },
  {
    name: 'umami',
    schema: 'umami-software__umami/prisma/schema.prisma',
    expected: {
      'index public.session_replay "session_replay_visit_id_idx": only in the schema':
        `declared by @@index([visitId]) but 19_add_session_replay never creates it: the next prisma migrate dev would`,
    },
  },
  {
    name: 'hoppscotch',
    schema: 'hoppscotch__hoppscotch/packages/hoppscotch-backend/prisma/schema.prisma',
    expected: {
      'index public.TeamCollection "TeamCollection_title_trgm_idx": only in the migrations':
        notDeclared('20240226053141_full_text_search_additions'),
      'index public.TeamRequest "TeamRequest_title_trgm_idx": only in the migrations':
        notDeclared('20240226053141_full_text_search_additions'),
      'index public.TeamRequest "idx_mock_examples_team_requests_gin": only in the migrations':
        notDeclared('20251016080714_mock_server'),
      'index public.UserRequest "idx_mock_examples_user_requests_gin": only in the migrations':
        notDeclared('20251016080714_mock_server'),
    },
  },
];

describe('a Prisma schema and its migration history build the same catalog, or differ only where the project drifts', { skip: noCorpus }, () => {
  before(() => initParser());

  for (const project of PROJECTS) {
    test(project.name, () => {
      const schemaPath = path.join(CORPUS, project.schema);
      const model = buildPrismaDatabaseModel(loadPrismaSchema(schemaPath, nodeDirectoryView));
      assert.equal(model.isPostgres, true);
      // Emulated relations (relationMode = "prisma") make no FK in the database, so they are not expected in the migrations.
      const fromSchema = catalogFromPrisma(model);
      const set = migrationSetAt(path.join(path.dirname(schemaPath), 'migrations'), nodeDirectoryView);
      assert.ok(set && set.layout === 'prisma' && set.migrations.length > 0, 'a Prisma Migrate history beside the schema');
      const fromMigrations = buildCatalog(set.migrations);
      const { matched, differences } = compareCatalogs(fromSchema, fromMigrations, model.schemas.length ? model.schemas : ['public']);

      const seen = new Set(differences.map((d) => d.text));
      const unlisted = differences.filter((d) => !(d.text in project.expected));
      const stale = Object.keys(project.expected).filter((k) => !seen.has(k));
      console.log(`${project.name}: ${set.migrations.length} migrations; matching ${matched.tables} tables, ${matched.columns} columns, `
        + `${matched.foreignKeys} foreign keys, ${matched.indexes} indexes, ${matched.enums} enums; ${differences.length} differences`);
      assert.ok(matched.tables > 0 && matched.columns > 0 && matched.indexes > 0, 'both sides describe the same project');
      assert.deepEqual(
        { unlisted: unlisted.map((d) => `${d.text}${d.detail ? ` (${d.detail})` : ''}  [${d.where.map(lineOf).join(' · ')}]`), stale },
        { unlisted: [], stale: [] },
        'every difference between the schema and the migrations is listed with its reason, and every listed one still occurs',
      );
    });
  }
});
