/**
 * The custom messages between the VS Code client and the language server, beside LSP's own: their method names and
 * payloads, in one place both sides import (types and constants only: no LSP library, no behaviour).
 */
import type { VerifyReport } from './verify/verify';

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
