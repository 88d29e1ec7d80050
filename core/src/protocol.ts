/**
 * The custom messages between the VS Code client and the language server, beside LSP's own: their method names and
 * payloads, in one place both sides import (types and constants only: no LSP library, no behaviour).
 */
import type { VerifyReport } from './verify/verify';
import type { Tip } from './explain/plan/tips';

/** Notification, server → client: the server starts reading the workspace's migration histories. */
export const INDEXING_NOTIFICATION = 'pgvet/indexing';

/** Notification, server → client: the histories are indexed. */
export const INDEXED_NOTIFICATION = 'pgvet/indexed';
export interface IndexedParams {
  migrations: number;
  histories: number;
}

/** Notification, server → client: the workspace's problem counts, for the status bar. */
export const PROBLEMS_NOTIFICATION = 'pgvet/problems';
export interface WorkspaceProblemCounts {
  error: number;
  warning: number;
  other: number;
  /** Findings hidden by pgvet-baseline.json. */
  hidden: number;
  /** The baseline files in use. */
  baselines: string[];
  /** The git refs whose migrations are applied (pgvet.baseRef), and whether pgvet.json names applied migrations. */
  baseRefs: string[];
  appliedInConfig: boolean;
}

/** Request, client → server: every history of the workspace with the tables its migrations build ("pgvet: Catalog" view). */
export const CATALOG_REQUEST = 'pgvet/catalog';
export interface CatalogViewTable {
  schema: string;
  name: string;
  rls: string;
  location: { uri: string; line: number };
  columns: { name: string; type: string; notNull: boolean; primaryKey: boolean }[];
  indexes: string[];
  foreignKeys: string[];
  policies: string[];
}
export interface CatalogViewHistory {
  dir: string;
  layout: string;
  migrations: number;
  tables: CatalogViewTable[];
}

/** Request, client → server: "pgvet: Write Baseline" for every workspace folder. */
export const WRITE_BASELINE_REQUEST = 'pgvet/writeBaseline';
export interface WriteBaselineResult {
  written: { path: string; count: number }[];
}

/**
 * Request, client → server: "pgvet: Generate Down Migration" for the up migration `uri` of the workspace folder
 * `folder` (both file URIs). The client saves the file first: the history is read from disk.
 */
export const GENERATE_DOWN_REQUEST = 'pgvet/generateDown';
export interface GenerateDownParams {
  uri: string;
  folder: string;
}
/** Where the history's tool keeps the down of a migration. */
export type DownTarget =
  /** A separate file (`path`; `name` relative to the up file's folder); `exists`: a down is there already. */
  | { kind: 'file'; path: string; name: string; exists: boolean }
  /** A section of the up file itself (goose, dbmate) that starts with `header`; `exists`: the file has one already. */
  | { kind: 'section'; header: string; exists: boolean }
  /** Nowhere: the layout keeps no down file. */
  | { kind: 'none' };
export interface GenerateDownAnswer {
  /** The history's layout; absent when the file is not an up migration of a folder pgvet recognises. */
  layout?: string;
  /** Whether the layout pairs every up migration with a down. */
  pairsDowns: boolean;
  /** The generated down migration; absent when none could be generated. */
  content?: string;
  target?: DownTarget;
}

/**
 * Request, client → server: "pgvet: Verify Migrations" for every history under `folder` (a file URI), replayed on
 * the embedded PostgreSQL in the server's process. Cancelling the request stops the run (the statement running
 * included); the answer then holds the histories verified to the end. Progress comes as VERIFY_PROGRESS_NOTIFICATION
 * tagged with the caller's `runId`.
 */
export const VERIFY_REQUEST = 'pgvet/verify';
export interface VerifyParams {
  runId: string;
  folder: string;
}
export interface VerifyRunResult {
  /** The histories found (0: no migration folder under `folder`). */
  histories: number;
  /** One report per history verified to the end, in path order. */
  reports: VerifyReport[];
  /** Histories that could not be verified, with the reason (cancellation is not an error). */
  errors: { set: string; message: string }[];
  cancelled: boolean;
}

/** Notification, server → client: how a verify run (`runId`) goes, history (`set`, its folder) by history. */
export const VERIFY_PROGRESS_NOTIFICATION = 'pgvet/verifyProgress';
export type VerifyProgressParams = { runId: string; set: string } & (
  | { kind: 'progress'; done: number; total: number }
  /** The history is verified: `counts` is its one-line summary. */
  | { kind: 'verified'; report: VerifyReport; counts: string }
  | { kind: 'failed'; message: string }
);
// EXPLAIN: the server finds the statement, runs the safety checks and the runner, and owns the embedded database.

/** Request, client → server: the statement EXPLAIN takes at a selection (UTF-16 offsets in `text`), as the runner will classify it. */
export const EXPLAIN_STATEMENT_REQUEST = 'pgvet/explainStatement';
export interface ExplainStatementParams {
  text: string;
  selection: { start: number; end: number };
}
export type ExplainStatementResult =
  | { kind: 'none' }
  /** `start`: offset of `text` in the document. */
  | { kind: 'refused'; text: string; start: number; reason: string }
  | { kind: 'explainable'; text: string; start: number; paramCount: number };

/** Request, client → server: where the code lenses "Explain Analyze | Explain" go in an open .sql document (UTF-16 offsets of its queries). */
export const EXPLAINABLE_STATEMENTS_REQUEST = 'pgvet/explainableStatements';
export interface ExplainableStatementsParams {
  uri: string;
}

/** Where an EXPLAIN runs: the embedded shadow database of a history, or a connection the client resolved. */
export type ExplainTarget =
  | { kind: 'shadow' }
  /**
   * `connection` holds the password from the client's SecretStorage: the server uses it for this request only and
   * never logs it or sends it back.
   */
  | { kind: 'connection'; name: string; label: string; connection: ExplainConnection; role?: string };

/** A resolved connection (connections/resolve.ts ConnectionParams), as it travels. */
export interface ExplainConnection {
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string;
  sslmode: 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
  sslrootcert?: string;
  sslcert?: string;
  sslkey?: string;
  connectTimeoutMs?: number;
  options?: string;
}

/**
 * Request, client → server: "pgvet: Test Connection" on the connection the client resolved, connected to by the
 * server as EXPLAIN would (the extension host loads no database driver). The password is used for this request
 * only, never logged nor returned.
 */
export const TEST_CONNECTION_REQUEST = 'pgvet/testConnection';
export interface TestConnectionParams {
  connection: ExplainConnection;
}
export type TestConnectionResult =
  /** `version`: PostgreSQL's version() up to " on <platform>"; `tls`: the TLS version when the session uses TLS. */
  | { ok: true; user: string; database: string; version: string; tls?: string }
  /** What failed and what to change (connections/connection-errors.ts), never the password. */
  | { ok: false; message: string };

/** Request, client → server: EXPLAIN [ANALYZE] one statement. Cancelling the request cancels the query (or the build). */
export const EXPLAIN_REQUEST = 'pgvet/explain';
export interface ExplainParams {
  /** The document the statement is in: which workspace folder's histories the shadow database is built from. */
  uri: string;
  /** The statement as `pgvet/explainStatement` returned it. */
  sql: string;
  params: (string | null)[];
  analyze: boolean;
  target: ExplainTarget;
  statementTimeoutMs: number;
  lockTimeoutMs: number;
  /** Explain on this history's shadow database (a re-run), instead of choosing by the tables the query names. */
  history?: string;
  /** Progress messages come back as `pgvet/explainProgress` notifications with this token. */
  progressToken?: string;
}
/** A migration the shadow database's PostgreSQL refused, as a problem on its statement (UTF-16 offsets in the file). */
export interface ShadowFailure {
  path: string;
  start: number;
  end: number;
  message: string;
  code?: string;
}
export type ExplainResponse =
  | {
    ok: true;
    /** EXPLAIN's JSON output, as PostgreSQL returned it. */
    plan: unknown;
    tips: Tip[];
    source: { kind: 'shadow' | 'connection'; label: string };
    /** On the shadow database: its history, and the failed migrations of its build (every time: a rebuild replaces them). */
    shadow?: { history: string; failures: ShadowFailure[] };
  }
  | { ok: false; error: ExplainFailure };
export interface ExplainFailure {
  /**
   * `cancelled`: stopped by the user (the request, a dismissed choice or confirmation). `connection`: the target
   * could not be reached (`message` says which failure and what to change). `explain`: the runner's error.
   */
  kind: 'cancelled' | 'refused' | 'connection' | 'explain' | 'no-workspace';
  message: string;
  /** UTF-16 offset in `sql` PostgreSQL pointed at. */
  offset?: number;
}

/** Notification, server → client: what a running `pgvet/explain` or `pgvet/loadSampleRows` is doing now. */
export const EXPLAIN_PROGRESS_NOTIFICATION = 'pgvet/explainProgress';
export interface ExplainProgressParams {
  token: string;
  message: string;
}

/** Request, server → client: the statement writes (or reaches functions that may); ask the user. Answer true to run it. */
export const CONFIRM_EXPLAIN_REQUEST = 'pgvet/confirmExplain';
export interface ConfirmExplainParams {
  sql: string;
  analyze: boolean;
  reasons: string[];
  sideEffects: string[];
}

/** Request, server → client: the query fits several histories (or none): which one to build the shadow database from? Answer an id, or null. */
export const PICK_HISTORY_REQUEST = 'pgvet/pickHistory';
export interface PickHistoryParams {
  placeHolder: string;
  /** The last pick first. */
  candidates: { id: string; label: string; description: string }[];
}

/** Request, client → server: "Load sample rows" into a history's shadow database. */
export const LOAD_SAMPLE_ROWS_REQUEST = 'pgvet/loadSampleRows';
export interface LoadSampleRowsParams {
  history: string;
  rowsPerTable: number;
  progressToken?: string;
}
export type LoadSampleRowsResult =
  | { ok: true; filled: number; tables: number; ms: number }
  | { ok: false; error: ExplainFailure };

/** Request, client → server: "Create index migration" for a tip: the new migration's files, for the client to create and open. */
export const CREATE_INDEX_MIGRATION_REQUEST = 'pgvet/createIndexMigration';
export interface CreateIndexMigrationParams {
  table: string;
  sql: string;
}
export type CreateIndexMigrationResult =
  | { kind: 'created'; files: { path: string; content: string }[] }
  /** No migrations folder: the client puts the SQL in an editor. */
  | { kind: 'no-migrations' }
  /** The layout needs more than a new file (sqitch.plan …). */
  | { kind: 'unsupported'; layout: string };

/** Notification, server → client: a history's embedded database started, or was closed after its idle period (pgvet.embeddedDatabase.idleMinutes). */
export const EMBEDDED_DATABASE_NOTIFICATION = 'pgvet/embeddedDatabase';
export interface EmbeddedDatabaseParams {
  history: string;
  state: 'started' | 'released';
}
