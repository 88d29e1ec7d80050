import type { CancellationToken, Connection } from 'vscode-languageserver/node';
import { findMigrationSets, nodeDirectoryView, pgliteDatabase, reportCounts, verifyHistory, VERIFY_PROGRESS_NOTIFICATION } from '../../../core/src';
import type { VerifyParams, VerifyProgressParams, VerifyRunResult } from '../../../core/src';
import { uriToPath } from './project-config';

/**
 * `pgvet/verify`: every history under the folder replayed on the embedded PostgreSQL, up, snapshot, down, compare,
 * up again (core/src/verify). PGlite runs in a worker thread of this process, one per history, closed when the
 * history is done; cancelling the request terminates the worker even in the middle of a statement
 * (core/src/verify/database.ts). Each verdict is sent as soon as its history is done, so the editor shows it then.
 */
export async function verifyRequest(connection: Connection, params: VerifyParams, token: CancellationToken): Promise<VerifyRunResult> {
  const abort = new AbortController();
  const sub = token.onCancellationRequested(() => abort.abort());
  if (token.isCancellationRequested) abort.abort();
  try {
    const folder = uriToPath(params.folder);
    if (!folder) return { histories: 0, reports: [], errors: [], cancelled: abort.signal.aborted };
    return await verifyFolder(folder, {
      runId: params.runId,
      signal: abort.signal,
      notify: (p) => void connection.sendNotification(VERIFY_PROGRESS_NOTIFICATION, p),
      logError: (message) => connection.console.error(message),
    });
  } finally {
    sub.dispose();
  }
}

export interface VerifyRun {
  runId: string;
  /** Aborted: the run stops, the statement running included; the histories verified so far are the answer. */
  signal: AbortSignal;
  notify(p: VerifyProgressParams): void;
  logError(message: string): void;
}

/** Verifies every history under `folder`, one after the other, in path order. */
export async function verifyFolder(folder: string, { runId, signal, notify, logError }: VerifyRun): Promise<VerifyRunResult> {
  // Path order, so that the order of the verdicts does not depend on the order the file system lists folders in.
  const sets = findMigrationSets(folder, nodeDirectoryView).sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
  const result: VerifyRunResult = { histories: sets.length, reports: [], errors: [], cancelled: false };
  for (const set of sets) {
    if (signal.aborted) break;
    try {
      const report = await verifyHistory(set, {
        // Its own process, not a thread of the server: a thread's WASM memory stays with the server after the run.
        database: pgliteDatabase({ isolation: 'process' }),
        signal,
        onProgress: (p) => notify({ runId, set: set.dir, kind: 'progress', done: p.done, total: p.total }),
      });
      result.reports.push(report);
      notify({ runId, set: set.dir, kind: 'verified', report, counts: reportCounts(report) });
    } catch (e) {
      if (signal.aborted) break;
      const message = e instanceof Error ? e.message : String(e);
      logError(`pgvet verify ${set.dir}: ${e instanceof Error ? e.stack : String(e)}`);
      result.errors.push({ set: set.dir, message });
      notify({ runId, set: set.dir, kind: 'failed', message });
    }
  }
  result.cancelled = signal.aborted;
  return result;
}
