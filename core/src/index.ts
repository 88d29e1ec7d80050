/**
 * pgvet's core: everything that is not an editor or a command line. The LSP server (server/src), the CLI
 * (server/src/cli) and the VS Code client (client/src) import it through this file only; nothing in core/src
 * imports vscode, vscode-languageserver or the client. See ARCHITECTURE.md.
 */

// Parsing: SQL on PostgreSQL's own grammar (libpg-query), statements with exact ranges, Prisma schemas.
export type { PrismaFile } from './parse/prisma/ast';
export { parsePrismaFile } from './parse/prisma/parser';
export { splitStatements } from './parse/sql/lexer';
export { initParser, parseSqlFile } from './parse/sql/parser';
export type { SqlFile, SqlStatement } from './parse/sql/parser';
export { LineIndex } from './parse/text';

// The catalog: the schema a migration history builds, replayed statement by statement; migration layouts.
export { buildCatalogAsync, findMigrationSets } from './catalog/history';
export type { MigrationSet } from './catalog/history';
export type { DirectoryView, DownKind, LayoutId } from './catalog/layouts';
export { downKind } from './catalog/layouts/downs';
export type {
  AclItem, Catalog, DefaultPrivileges, Extension, FunctionSignature, Privilege, Table, Trigger, View,
} from './catalog/model';
// Who may do what (functions are executable by PUBLIC unless revoked), a function's fixed search_path, view options.
export { canExecute, canUseSchema, defaultGrants, effectiveAcl, rolesWithColumnPrivilege, rolesWithPrivilege } from './catalog/privileges';
export { allFunctions, allViews, functionSearchPath, viewOption } from './catalog/queries';
export { nodeDirectoryView } from './fs/disk';
export { OverlayFileSystem } from './fs/overlay';

// Configuration: pgvet.json and the editor settings, validated with zod.
export { CONFIG_FILE_NAME, findConfigFile, loadConfigFile, locateProblem } from './engine/project-config';
export type { LoadedProjectConfig } from './engine/project-config';
export { resolveConfig } from './engine/resolve-config';
export type { ResolvedConfig } from './engine/resolve-config';
export { unknownRuleMessage } from './engine/rule-names';
export { DEFAULT_PGVET_JSON } from './config/schema';
export type { PgvetJson } from './config/schema';
export { readClientSetting, readSettings } from './config/settings';
export type { ConnectionSetting, Settings, SettingsResult } from './config/settings';

// Rules: one file each, and their registry.
export { RULES, ruleById } from './rules';

// The engine: lint a document or a workspace of histories (applied and pending migrations, baselines).
export { BASELINE_FILE, formatBaseline, judgeable, parseBaseline, projectRelative, projectRoot } from './engine/baseline';
export type { BaselineEntry } from './engine/baseline';
export { ruleDocsUrl } from './rule-kit/docs';
export { findingKeys, fingerprint, isObjectKey } from './engine/fingerprint';
export { GitError, defaultGitBase, resolveGitBase } from './engine/git-base';
export type { GitBase } from './engine/git-base';
export { lintSql } from './engine/lint';
export type { LintResult } from './engine/lint';
export { resolveName } from './rule-kit/lookup';
export type { Resolved } from './rule-kit/lookup';
export { configuredApplied, reportsOnApplied } from './engine/migration-state';
export type { AppliedSource } from './engine/migration-state';
export { prismaSchemaPaths, prismaSiblings } from './engine/prisma-files';
export { lintPrisma, prismaSuppressionFixes } from './engine/prisma-lint';
export { describingPrismaSchema, schemaFindings } from './engine/schema-owner';
export { stmtType } from './parse/sql/ast';
export { ignoreFileFix, ignoreStatementFix } from './engine/suppressions';
export type { NotUtf8 } from './engine/text-check';
export type { Finding, Fix, Severity } from './rule-kit/types';
export { WorkspaceIndex, indexedHistories } from './engine/workspace';
export { Workspace, lintDocument } from './engine/lint-document';
export type { DocumentInput, DocumentLint } from './engine/lint-document';

// Fixes: text edits, new migrations, generated down migrations.
export { downFileName, generateDownForMigration, pairedDown } from './fixes/generate-down';
export { newMigration } from './fixes/new-migration';

// Verify: replay a history up and down on a real or embedded database.
export { DEFAULT_LOCK_TIMEOUT_MS, DEFAULT_STATEMENT_TIMEOUT_MS, pgliteDatabase, serverDatabase } from './verify/database';
export { ClusterEffectsError, reportCounts, verifyHistory } from './verify/verify';
export type { MigrationVerdict, VerifyProgress, VerifyReport } from './verify/verify';

// Connections to a PostgreSQL server: conninfo, TLS, error messages.
export { ConnectionOpenError } from './connections/connect';
export { ConninfoError } from './connections/conninfo';
export { redactPasswords } from './connections/redact';
export { describeSetting, resolveConnection, targetLabel } from './connections/resolve';
export type { ConnectionParams } from './connections/resolve';

// A live database: its catalog read into the model (one read-only transaction), and the schema rules run on it.
export { LiveCatalogError, readLiveCatalog } from './live/read-catalog';
export type { ReadCatalogOptions } from './live/read-catalog';
export { lintLiveDatabase } from './live/lint-database';
export type { LiveLintResult } from './live/lint-database';

// The embedded database (PGlite in a worker) that EXPLAIN and verify run on.
export { ShadowDatabaseCache, shadowKey } from './shadow/cache';
export { historyForQuery, shadowHistories } from './shadow/histories';
export type { ShadowHistory } from './shadow/histories';
export { loadSampleRows } from './shadow/sample-rows';
export type { ShadowDatabase } from './shadow/shadow-db';

// EXPLAIN: the plan model, its tips, the runner and its safety rules.
export { ConnectionError, connectPg, workerExplainClient } from './explain/adapters';
export type { ExplainClient } from './explain/adapters';
export { analyzePlan } from './explain/plan/metrics';
export type { AnalyzedPlan, NodeMetrics } from './explain/plan/metrics';
export { findTips } from './explain/plan/tips';
export type { Tip } from './explain/plan/tips';
export { runExplain } from './explain/runner';
export type { ConfirmationRequest, ExplainError } from './explain/runner';
export { classifyStatement, initSafety } from './explain/safety';
export { explainableStatements, statementAt } from './explain/statement-at';
export type { StatementText } from './explain/statement-at';

// The client ↔ server messages beside LSP's own (method names and payloads).
export {
  CATALOG_REQUEST, CONFIRM_EXPLAIN_REQUEST, CREATE_INDEX_MIGRATION_REQUEST, EMBEDDED_DATABASE_NOTIFICATION, EXPLAIN_PROGRESS_NOTIFICATION, EXPLAIN_REQUEST, EXPLAIN_STATEMENT_REQUEST, EXPLAINABLE_STATEMENTS_REQUEST, GENERATE_DOWN_REQUEST, INDEXED_NOTIFICATION, INDEXING_NOTIFICATION, LOAD_SAMPLE_ROWS_REQUEST, PICK_HISTORY_REQUEST, PROBLEMS_NOTIFICATION, TEST_CONNECTION_REQUEST, VERIFY_PROGRESS_NOTIFICATION, VERIFY_REQUEST, WRITE_BASELINE_REQUEST,
} from './protocol';
export type {
  CatalogViewHistory, CatalogViewTable, ConfirmExplainParams, CreateIndexMigrationParams, CreateIndexMigrationResult, DownTarget, EmbeddedDatabaseParams, ExplainableStatementsParams, ExplainConnection, ExplainFailure, ExplainParams, ExplainProgressParams, ExplainResponse, ExplainStatementParams, ExplainStatementResult, ExplainTarget as ExplainRequestTarget, GenerateDownAnswer, GenerateDownParams, IndexedParams, LoadSampleRowsParams, LoadSampleRowsResult, PickHistoryParams, ShadowFailure, TestConnectionParams, TestConnectionResult, VerifyParams, VerifyProgressParams, VerifyRunResult,
  WorkspaceProblemCounts, WriteBaselineResult,
} from './protocol';
