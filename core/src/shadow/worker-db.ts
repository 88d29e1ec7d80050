/**
 * The shadow database as the extension host sees it: PGlite running in a worker thread
 * (pglite-worker.ts), behind the same `query`/`exec` calls as PGlite itself.
 *
 * Why a worker: PGlite executes a statement synchronously in WASM and has no statement_timeout timer,
 * so on the host's thread `SELECT pg_sleep(30)` froze the extension host for 30 s. Here `interrupt()`
 * terminates the thread, which stops even a statement in the middle of WASM code, and fails what was
 * running with PostgreSQL's own error (57014). The next call starts a new worker from the last
 * `checkpoint()` (a dump of the data directory), so an interrupted EXPLAIN loses nothing that was
 * committed before the checkpoint: the shadow database is rebuilt lazily, on demand.
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ResultSet, WorkerError, WorkerRequest, WorkerResponse } from './worker-protocol';

export type { ResultSet } from './worker-protocol';

/** The part of PGlite that the shadow-database code uses; PGlite itself and WorkerPGlite both provide it. */
export interface SqlSession {
  query<T = Record<string, unknown>>(text: string, params?: unknown[], options?: QueryOptions): Promise<{ rows: T[]; affectedRows?: number }>;
  exec(text: string): Promise<{ rows: Record<string, unknown>[]; affectedRows?: number }[]>;
}

/** `rowMode: 'array'`: rows as arrays of values, as in PGlite. */
export interface QueryOptions {
  rowMode?: 'array' | 'object';
}

/** A request without its id (added by `send`). */
type RequestBody = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;

export type InterruptReason = 'timeout' | 'cancel';

/** What PostgreSQL says when it stops a statement, so callers map an interrupted statement as they map the server's. */
const INTERRUPTED: Record<InterruptReason, WorkerError> = {
  timeout: { code: '57014', message: 'canceling statement due to statement timeout', severity: 'ERROR' },
  cancel: { code: '57014', message: 'canceling statement due to user request', severity: 'ERROR' },
};

const CLOSED: WorkerError = { message: 'The shadow database was closed.', code: '57P01' };

export interface WorkerPGliteOptions {
  /** Contrib extension bundles to load: name → file URL of its .tar.gz (see extensions.ts). */
  extensions?: Record<string, URL>;
  /**
   * `thread` (default): a worker thread. `process`: a child process, for a long-lived owner (the language server):
   * when it ends, all its memory goes back to the system, where a thread's native allocations stay in the
   * owner's heap (measured on trigger.dev: the server kept ~200 MB after its thread was terminated).
   */
  isolation?: 'thread' | 'process';
}

/** What WorkerPGlite needs of its worker: a Worker thread has it, and so has a forked process behind `processWorker`. */
interface DatabaseWorker {
  postMessage(message: WorkerRequest): void;
  on(event: 'message', listener: (m: WorkerResponse) => void): unknown;
  on(event: 'error', listener: (e: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number | null) => void): unknown;
  removeAllListeners(event: 'exit'): unknown;
  terminate(): Promise<unknown>;
  unref(): void;
}

type Pending = { resolve(value: unknown): void; reject(error: Error): void };

function toError(e: WorkerError): Error {
  return Object.assign(new Error(e.message), e);
}

/**
 * How to start the worker. Bundled, the worker is dist/shadow-worker.js beside dist/extension.js.
 * From source (tests run TypeScript through tsx) it is pglite-worker.ts, loaded through tsx's
 * CommonJS hook, since a worker thread does not inherit the `--import tsx` loader of its parent.
 */
function spawnWorker(isolation: WorkerPGliteOptions['isolation']): DatabaseWorker {
  const bundled = join(__dirname, 'shadow-worker.js');
  if (isolation === 'process') return processWorker(bundled);
  // execArgv: [] — the extension host's own Node flags are not all allowed in a worker.
  if (existsSync(bundled)) return new Worker(bundled, { execArgv: [] });
  const source = join(__dirname, 'pglite-worker.ts');
  // A variable, so the bundler does not try to resolve tsx (a dev dependency, never bundled).
  const tsxHook = 'tsx/cjs';
  const bootstrap = `require(${JSON.stringify(require.resolve(tsxHook))}); require(${JSON.stringify(source)});`;
  return new Worker(bootstrap, { eval: true });
}

/**
 * The worker as a child process (the same script, which talks over the IPC channel when it has no parentPort).
 * The advanced serialization carries the data directory's ArrayBuffer. stdout is not inherited: the language
 * server's stdout may be its LSP channel.
 */
function processWorker(bundled: string): DatabaseWorker {
  const child = existsSync(bundled)
    ? fork(bundled, [], { serialization: 'advanced', execArgv: [], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
    : fork(join(__dirname, 'pglite-worker.ts'), [], { serialization: 'advanced', execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  // 'close' (not 'exit', whose listeners WorkerPGlite removes): the process has ended and was reaped.
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return {
    postMessage: (message) => {
      if (child.connected) child.send(message);
    },
    on: (event: string, listener: (...args: never[]) => void) => child.on(event, listener as (...args: unknown[]) => void),
    removeAllListeners: (event) => child.removeAllListeners(event),
    async terminate() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await closed;
    },
    unref: () => {
      child.unref();
      (child.channel as { unref?: () => void } | undefined)?.unref?.();
    },
  };
}

export class WorkerPGlite implements SqlSession {
  /** The worker that answers requests, once it has opened the database. */
  private worker: DatabaseWorker | undefined;
  /** The worker spawned last, while it opens the database and after: the one `interrupt` stops. */
  private live: DatabaseWorker | undefined;
  private starting: Promise<DatabaseWorker> | undefined;
  private readonly pending = new Map<number, Pending>();
  /** Calls not finished yet, including those still waiting for the worker to start. */
  private inFlight = 0;
  /** Counts stopped workers, with the error the requests of the last one failed with. */
  private stops = 0;
  private lastStop: WorkerError | undefined;
  /** Resolves when the current holder of `acquire` releases the session. */
  private holder: Promise<void> = Promise.resolve();
  private nextId = 1;
  private snapshot: ArrayBuffer | undefined;
  private isClosed = false;
  /** Changes whenever a worker starts or stops: a transaction begun in one generation ended with it. */
  generation = 0;

  private constructor(private readonly options: WorkerPGliteOptions) {}

  /** Starts the worker and an empty PGlite in it. */
  static async create(options: WorkerPGliteOptions = {}): Promise<WorkerPGlite> {
    const db = new WorkerPGlite(options);
    await db.ensureWorker();
    return db;
  }

  /** close() was called (like PGlite's `closed`). */
  get closed(): boolean {
    return this.isClosed;
  }

  /**
   * Waits until no one else holds the session, then holds it until the returned function is called.
   * PGlite has one session: an EXPLAIN's BEGIN … ROLLBACK must not interleave with another EXPLAIN
   * or with loading sample rows.
   */
  async acquire(): Promise<() => void> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const previous = this.holder;
    this.holder = previous.then(() => released);
    await previous;
    return release;
  }

  /** A request is in flight (something runs in the database). */
  get busy(): boolean {
    return this.inFlight > 0;
  }

  /** Whether a checkpoint exists to restart from. */
  get hasCheckpoint(): boolean {
    return this.snapshot !== undefined;
  }

  query<T = Record<string, unknown>>(text: string, params?: unknown[], options?: QueryOptions): Promise<ResultSet & { rows: T[] }> {
    return this.call({ op: 'query', sql: text, params, ...(options?.rowMode ? { rowMode: options.rowMode } : {}) }) as Promise<ResultSet & { rows: T[] }>;
  }

  exec(text: string): Promise<ResultSet[]> {
    return this.call({ op: 'exec', sql: text }) as Promise<ResultSet[]>;
  }

  /** Remembers the database as it is now (after a build, after sample rows): a stopped worker restarts from here. */
  async checkpoint(): Promise<void> {
    this.snapshot = (await this.call({ op: 'dump' })) as ArrayBuffer;
  }

  /**
   * Stops whatever runs now by terminating the worker; every request in flight fails with PostgreSQL's
   * 57014 error for `reason`. Returns false (and does nothing) when nothing was running.
   */
  interrupt(reason: InterruptReason): boolean {
    if (!this.busy || !this.live) return false;
    this.stopWorker(INTERRUPTED[reason]);
    return true;
  }

  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    const worker = this.live;
    this.live = this.worker = this.starting = undefined;
    this.failPending(CLOSED);
    if (worker) {
      worker.removeAllListeners('exit');
      await worker.terminate();
    }
  }

  private async call(request: Exclude<RequestBody, { op: 'open' }>): Promise<unknown> {
    // Counted from the first moment, so an interrupt that comes while the worker (re)starts still applies.
    const stops = this.stops;
    this.inFlight++;
    try {
      const worker = await this.ensureWorker();
      if (this.isClosed) throw toError(CLOSED);
      if (this.stops !== stops || worker !== this.worker) throw toError(this.lastStop ?? INTERRUPTED.cancel);
      return await this.send(worker, request);
    } finally {
      this.inFlight--;
    }
  }

  private send(worker: DatabaseWorker, request: RequestBody): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...request, id } as WorkerRequest);
    });
  }

  /** The running worker, or a new one opened from the last checkpoint (after an interrupt or a crash). */
  private ensureWorker(): Promise<DatabaseWorker> {
    if (this.isClosed) return Promise.reject(toError(CLOSED));
    if (this.worker) return Promise.resolve(this.worker);
    this.starting ??= this.startWorker().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async startWorker(): Promise<DatabaseWorker> {
    const worker = spawnWorker(this.options.isolation);
    this.live = worker;
    // A worker left running must not keep the process (a CLI run, a test) alive.
    worker.unref();
    worker.on('message', (m: WorkerResponse) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.result);
      else p.reject(toError(m.error));
    });
    const lost = (why: string) => {
      if (this.live !== worker) return;
      this.stopWorker({ message: `the embedded database stopped (${why})`, code: '08006' });
    };
    worker.on('error', (e) => lost(e instanceof Error ? e.message : String(e)));
    worker.on('exit', (code) => lost(`worker exited with code ${code}`));
    const extensions = Object.entries(this.options.extensions ?? {}).map(([name, url]) => [name, url.href] as [string, string]);
    try {
      // The snapshot is copied, not transferred: it is needed again after the next interrupt.
      await this.send(worker, { op: 'open', extensions, ...(this.snapshot ? { dataDir: this.snapshot.slice(0) } : {}) });
    } catch (e) {
      if (this.live === worker) this.live = undefined;
      worker.removeAllListeners('exit');
      await worker.terminate();
      throw e;
    }
    if (this.live !== worker) {
      // Closed (or interrupted) while opening.
      await worker.terminate();
      throw toError(this.isClosed ? CLOSED : INTERRUPTED.cancel);
    }
    this.worker = worker;
    this.generation++;
    return worker;
  }

  private stopWorker(error: WorkerError): void {
    const worker = this.live;
    this.live = this.worker = undefined;
    this.generation++;
    this.stops++;
    this.lastStop = error;
    this.failPending(error);
    worker?.removeAllListeners('exit');
    void worker?.terminate();
  }

  private failPending(error: WorkerError): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(toError(error));
  }
}
