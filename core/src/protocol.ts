/**
 * The custom messages between the VS Code client and the language server, beside LSP's own: their method names and
 * payloads, in one place both sides import (types and constants only: no LSP library, no behaviour).
 */

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
