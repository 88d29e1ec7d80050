import { relative } from 'node:path';
import type { CancellationToken, Connection } from 'vscode-languageserver';
import {
  buildCatalogAsync, EMBEDDED_DATABASE_NOTIFICATION, historyForQuery, loadSampleRows, PICK_HISTORY_REQUEST, ShadowDatabaseCache, shadowKey, workerExplainClient,
} from '../../../core/src';
import type {
  Catalog, EmbeddedDatabaseParams, ExplainClient, MigrationSet, PickHistoryParams, ShadowDatabase, ShadowFailure, ShadowHistory,
} from '../../../core/src';

const SHADOW_LABEL = 'embedded shadow database (PGlite) built from migrations — empty unless sample rows were loaded';

/** The histories of the workspace folder a document is in (`root`: that folder). */
export type HistoriesOf = (uri: string) => Promise<{ root: string; histories: ShadowHistory[] } | undefined>;

/** A history's shadow database held for one EXPLAIN: its session is the caller's until `end()`. */
export interface HeldShadow {
  client: ExplainClient;
  label: string;
  history: string;
  failures: ShadowFailure[];
  end(): void;
}

export class CancelledError extends Error {
  constructor(message = 'Cancelled.') {
    super(message);
    this.name = 'AbortError';
  }
}

/**
 * The embedded (PGlite) databases EXPLAIN runs on, one per migration history, owned by the language server: each
 * runs in a child process (core/src/shadow/worker-db.ts, isolation 'process') that ends after
 * pgvet.embeddedDatabase.idleMinutes without use, giving all its memory back. The next EXPLAIN builds it again.
 */
export class EmbeddedDatabases {
  private readonly cache: ShadowDatabaseCache;
  /** The catalog each history builds, for telling which one a query's tables belong to (kept per history content). */
  private readonly catalogs = new Map<string, { key: string; catalog: Promise<Catalog> }>();
  /** Rows per table that "Load sample rows" put into a database, for the "Ran on" line. */
  private readonly sampleRowsIn = new WeakMap<ShadowDatabase, number>();
  /** The history last picked per workspace folder: offered first next time. */
  private readonly lastPicked = new Map<string, string>();
  /** Histories explained on, by id: what "Load sample rows" (which names only the id) builds from. */
  private readonly known = new Map<string, ShadowHistory>();

  constructor(private readonly connection: Connection) {
    this.cache = new ShadowDatabaseCache({
      idleMs: 5 * 60_000,
      onIdleClose: (history) => {
        connection.console.info(`pgvet: closed the embedded database of ${history} after its idle period`);
        this.notify({ history, state: 'released' });
        // The catalogs were built for choosing a history and loading sample rows: rebuilt when needed again.
        if (this.cache.open().length === 0) this.catalogs.clear();
      },
    });
  }

  setIdleMinutes(minutes: number): void {
    this.cache.setIdleMs(Math.round(minutes * 60_000));
  }

  /** The history to explain `sql` on (the one named, the one whose tables the query names, or the user's pick). */
  async choose(root: string, histories: ShadowHistory[], sql: string, pinned: string | undefined, token: CancellationToken): Promise<ShadowHistory> {
    if (histories.length === 0) return { id: root, sets: [] };
    const named = pinned !== undefined ? histories.find((h) => h.id === pinned) : undefined;
    if (named) return named;
    const choice = historyForQuery(await Promise.all(histories.map(async (history) => ({ history, catalog: await this.catalogOf(history) }))), sql);
    if (choice.kind === 'one') return choice.history;
    const names = choice.named.map((r) => (r.schema ? `${r.schema}.${r.name}` : r.name)).join(', ');
    const previous = this.lastPicked.get(root);
    const params: PickHistoryParams = {
      placeHolder: choice.reason === 'ambiguous'
        ? `${names} exist in each of these histories (separate databases): pick the one to build the shadow database from`
        : `${names ? `No history creates ${names}` : 'The query names no table'}: pick the history to build the shadow database from`,
      candidates: [...choice.candidates]
        .sort((a, b) => Number(b.id === previous) - Number(a.id === previous))
        .map((h) => ({
          id: h.id,
          label: relative(root, h.id) || '.',
          description: `${h.sets.reduce((n, s) => n + s.migrations.length, 0)} migrations (${h.sets.map((s) => s.layout).join(' + ')})`,
        })),
    };
    const picked = await this.connection.sendRequest<string | null>(PICK_HISTORY_REQUEST, params, token);
    const history = choice.candidates.find((h) => h.id === picked);
    if (!history) throw new CancelledError('No migration history chosen.');
    this.lastPicked.set(root, history.id);
    return history;
  }

  /** Builds (or reuses) the history's database and holds its one session for an EXPLAIN. */
  async hold(root: string, histories: ShadowHistory[], history: ShadowHistory, signal: AbortSignal, progress: (message: string) => void): Promise<HeldShadow> {
    this.known.set(history.id, history);
    const held = await this.open(history, signal, progress);
    const { shadow } = held;
    let releaseSession: () => void;
    try {
      releaseSession = await shadow.db.acquire();
    } catch (e) {
      held.release();
      throw e;
    }
    const migrations = history.sets.reduce((n, s) => n + s.migrations.length, 0);
    const from = histories.length > 1 ? ` from ${relative(root, history.id) || '.'}` : '';
    const rows = this.sampleRowsIn.get(shadow);
    const label = migrations === 0
      ? 'embedded shadow database — no migrations found in the workspace, so it is empty'
      : rows !== undefined
        ? `embedded shadow database (PGlite)${from} with ${rows.toLocaleString('en-US')} generated sample rows per table (${shadow.report.summary.replace(/^Empty shadow database \(PGlite\) /, '')})`
        : `${SHADOW_LABEL}${from} (${shadow.report.summary})`;
    return {
      client: workerExplainClient(shadow.db),
      label,
      history: history.id,
      failures: failuresOf(shadow),
      end: () => {
        releaseSession();
        held.release();
      },
    };
  }

  /** "Load sample rows" into the history's database (built again first if it was closed). */
  async loadSampleRows(historyId: string, rowsPerTable: number, signal: AbortSignal, progress: (message: string) => void): Promise<{ filled: number; tables: number; ms: number }> {
    const history = this.known.get(historyId);
    if (!history) throw new Error('the shadow database is not built yet; run Explain first.');
    const held = await this.open(history, signal, progress);
    try {
      const catalog = await this.catalogOf(history);
      const release = await held.shadow.db.acquire();
      try {
        const report = await loadSampleRows(held.shadow.db, catalog, {
          rowsPerTable,
          signal,
          onProgress: (p) => progress(`${p.done}/${p.total} tables${p.table ? ` (${p.table})` : ''}`),
        });
        // An EXPLAIN stopped by its timeout restarts the worker from here, rows included.
        await held.shadow.db.checkpoint();
        this.sampleRowsIn.set(held.shadow, Math.max(rowsPerTable, this.sampleRowsIn.get(held.shadow) ?? 0));
        return { filled: report.tables.filter((t) => t.inserted > 0).length, tables: report.tables.length, ms: report.ms };
      } finally {
        release();
      }
    } finally {
      held.release();
    }
  }

  /** Histories whose database is open now. */
  openHistories(): string[] {
    return this.cache.open();
  }

  dispose(): Promise<void> {
    return this.cache.dispose();
  }

  private async open(history: ShadowHistory, signal: AbortSignal, progress: (message: string) => void) {
    const building = !this.cache.has(history.id, history.sets);
    if (building) progress('building the embedded database from the migrations…');
    const held = await this.cache.hold(history.id, history.sets, {
      // A child process: when it ends after the idle period, all of its memory goes back to the system.
      isolation: 'process',
      signal,
      onProgress: (p) => progress(`building the shadow database: ${p.done}/${p.total} migrations`),
    });
    if (building) this.notify({ history: history.id, state: 'started' });
    return held;
  }

  private catalogOf(history: ShadowHistory): Promise<Catalog> {
    const key = shadowKey(history.sets);
    const cached = this.catalogs.get(history.id);
    if (cached?.key === key) return cached.catalog;
    const catalog = buildCatalogAsync(history.sets.flatMap((s: MigrationSet) => s.migrations));
    this.catalogs.set(history.id, { key, catalog });
    return catalog;
  }

  private notify(params: EmbeddedDatabaseParams): void {
    void this.connection.sendNotification(EMBEDDED_DATABASE_NOTIFICATION, params);
  }
}

/** Migrations PostgreSQL refused while building the database, as problems on their statements. */
function failuresOf(shadow: ShadowDatabase): ShadowFailure[] {
  return shadow.report.migrations.flatMap((m) => {
    if (m.status !== 'failed' || !m.error) return [];
    const start = m.error.offset ?? m.error.statement.start;
    return [{
      path: m.path,
      start,
      end: m.error.offset !== undefined ? start + 1 : m.error.statement.end,
      message: `This migration fails on PostgreSQL: ${m.error.message}${m.error.hint ? ` (${m.error.hint})` : ''}`,
      ...(m.error.code ? { code: m.error.code } : {}),
    }];
  });
}
