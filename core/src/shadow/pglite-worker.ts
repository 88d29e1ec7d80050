/**
 * The worker thread that owns the shadow database (bundled as dist/shadow-worker.js). PGlite runs a
 * statement synchronously in WASM, so on the extension host's thread a long one froze the host and
 * could be neither timed out nor cancelled; here the host stops it by terminating this thread.
 */
import { PGlite, type Results } from '@electric-sql/pglite';
import { parentPort } from 'node:worker_threads';
import type { ResultSet, WorkerError, WorkerRequest, WorkerResponse } from './worker-protocol';

/** The owner's end: the thread's parentPort, or the IPC channel of a forked process (worker-db.ts, isolation 'process'). */
interface OwnerPort {
  on(event: 'message', listener: (m: WorkerRequest) => void): unknown;
  postMessage(response: WorkerResponse, transfer?: ArrayBuffer[]): void;
}

function processPort(): OwnerPort | undefined {
  if (!process.send) return undefined;
  // The owner is gone (crashed or killed): nothing will ever ask again.
  process.on('disconnect', () => process.exit(0));
  return {
    on: (_event, listener) => process.on('message', listener as (m: unknown) => void),
    postMessage: (response) => void process.send!(response),
  };
}

const port: OwnerPort | undefined = (parentPort as OwnerPort | null) ?? processPort();
if (!port) throw new Error('pglite-worker.ts runs as a worker thread (new Worker) or a forked process, not as a script');

let db: PGlite | undefined;

/**
 * PostgreSQL checks its stack depth against max_stack_depth (2MB), but PGlite's WASM stack overflows first: the
 * overflow is swallowed, the session answers every later query with no rows, and a later one spins forever (a
 * view of 1,300 `+` terms, or a PL/pgSQL function that recurses without end, was enough). At 256kB PostgreSQL
 * raises its own error (54001, "stack depth limit exceeded") first and the session stays usable: measured with
 * views of 300 to 3,500 terms (300 runs, deeper ones fail cleanly) and endless recursion; at 320kB a 3,000-term
 * view still broke the session. Past ~4,000 terms the overflow comes before any check whatever the setting:
 * pgvet verify does not send statements nested that deep (statements.ts, EMBEDDED_MAX_NESTING).
 */
const START_PARAMS = [...PGlite.defaultStartParams, '-c', 'max_stack_depth=256kB'];

function resultSet(r: Results<Record<string, unknown>>): ResultSet {
  return { rows: r.rows, affectedRows: r.affectedRows, fields: r.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })) };
}

function errorOf(e: unknown): WorkerError {
  const err = (e ?? {}) as Record<string, unknown>;
  const out: WorkerError = { message: typeof err.message === 'string' ? err.message : String(e) };
  for (const k of ['code', 'position', 'detail', 'hint', 'severity', 'where'] as const) {
    if (typeof err[k] === 'string' && err[k]) out[k] = err[k] as string;
  }
  return out;
}

function open(): PGlite {
  if (!db) throw new Error('the shadow database is not open');
  return db;
}

async function handle(m: WorkerRequest): Promise<WorkerResponse> {
  switch (m.op) {
    case 'open': {
      const extensions = Object.fromEntries(m.extensions.map(([name, href]) => [name, new URL(href)]));
      db = await PGlite.create({ extensions, startParams: START_PARAMS, ...(m.dataDir ? { loadDataDir: new Blob([m.dataDir]) } : {}) });
      return { id: m.id, ok: true };
    }
    case 'exec':
      return { id: m.id, ok: true, result: (await open().exec(m.sql)).map(resultSet) };
    case 'query':
      return { id: m.id, ok: true, result: resultSet(await open().query<Record<string, unknown>>(m.sql, m.params, m.rowMode ? { rowMode: m.rowMode } : undefined)) };
    case 'dump':
      return { id: m.id, ok: true, result: await (await open().dumpDataDir('gzip')).arrayBuffer() };
    case 'close':
      await db?.close();
      db = undefined;
      return { id: m.id, ok: true };
  }
}

port.on('message', (m: WorkerRequest) => {
  const reply = (response: WorkerResponse) => {
    try {
      port.postMessage(response, response.ok && response.result instanceof ArrayBuffer ? [response.result] : []);
    } catch (e) {
      // A value the structured clone cannot copy must not leave the caller waiting forever.
      port.postMessage({ id: m.id, ok: false, error: errorOf(e) } satisfies WorkerResponse);
    }
  };
  handle(m).then(reply, (e: unknown) => reply({ id: m.id, ok: false, error: errorOf(e) }));
});
