/**
 * Messages between the extension host and the worker thread that owns the shadow database's PGlite
 * instance (core/src/shadow/pglite-worker.ts). Both ends are ours and in the same process, so these
 * are plain types, not schemas. Everything in them survives the structured clone.
 */

export interface ResultSet {
  rows: Record<string, unknown>[];
  affectedRows?: number;
  fields: { name: string; dataTypeID: number }[];
}

export type WorkerRequest =
  /** Starts PGlite: fresh, or from a data directory dumped by `dump` (a gzipped tar). */
  | { id: number; op: 'open'; extensions: [name: string, href: string][]; dataDir?: ArrayBuffer }
  /** One or more statements through the simple protocol (PGlite `exec`). */
  | { id: number; op: 'exec'; sql: string }
  /** One statement through the extended protocol with bound parameters (PGlite `query`). */
  | { id: number; op: 'query'; sql: string; params?: unknown[]; rowMode?: 'array' | 'object' }
  /** The data directory as a gzipped tar, to restart from after the worker was stopped. */
  | { id: number; op: 'dump' }
  | { id: number; op: 'close' };

/** The fields of a PostgreSQL error that pgvet reads (SQLSTATE, position, detail …). */
export interface WorkerError {
  message: string;
  code?: string;
  position?: string;
  detail?: string;
  hint?: string;
  severity?: string;
  where?: string;
}

export type WorkerResponse =
  | { id: number; ok: true; result?: ResultSet | ResultSet[] | ArrayBuffer }
  | { id: number; ok: false; error: WorkerError };
