import type { MigrationFile, MigrationSet } from '../catalog/history';
import { initParser } from '../parse/sql/parser';
import {
  failureOf, firstLine, missingRole, planStatements as planText, pushOnce, type MigrationFailure, type PgError, type PlannedStatement,
} from './statements';
import { extensionAvailability, extensionBundleDir, extensionOption } from './extensions';
import { WorkerPGlite, type SqlSession } from './worker-db';

export type { MigrationFailure } from './statements';

/** Roles hosted platforms create that migrations GRANT to or write policies for (Supabase's three). */
const PLATFORM_ROLES = ['authenticated', 'anon', 'service_role'];
/** A migration that keeps hitting missing roles is failed after this many role creations. */
const MAX_ROLE_RETRIES = 20;

export interface ShadowProgress {
  /** Migrations finished so far, of `total`. */
  done: number;
  total: number;
  /** The migration being applied next (undefined when done === total). */
  path?: string;
}

export interface ShadowBuildOptions {
  onProgress?(progress: ShadowProgress): void;
  /** Aborting stops the build at once (even inside a statement: the worker is terminated); the promise rejects with an AbortError. */
  signal?: AbortSignal;
  /** Folder holding PGlite's contrib `<name>.tar.gz` bundles, when neither beside this module nor in node_modules. */
  extensionsDir?: string;
  /** Where PGlite runs: a worker thread (default) or a child process (see WorkerPGliteOptions). */
  isolation?: 'thread' | 'process';
}

export interface MigrationOutcome {
  path: string;
  /** The migrations folder it belongs to. */
  set: string;
  status: 'applied' | 'failed';
  /** How it ran: wrapped in one transaction, or statement by statement (the tool's choice, or forced by CONCURRENTLY). */
  mode: 'transaction' | 'statements';
  /** Statements sent (the last one failed when status is failed). */
  statements: number;
  error?: MigrationFailure;
  /** What was adapted to make it run in PGlite (skipped unavailable extensions, created roles, …). */
  notes: string[];
  ms: number;
}

export interface ShadowReport {
  migrations: MigrationOutcome[];
  applied: number;
  failed: number;
  /** Some migration failed: tables or columns it would have created are missing from the shadow database. */
  partial: boolean;
  /** One line for the panel, e.g. "Empty shadow database built from 12 migrations (1 failed: schema is partial)". */
  summary: string;
  extensions: { loaded: string[]; unavailable: { name: string; path: string }[] };
  rolesCreated: string[];
  /** Starting PGlite (initdb in WASM, extension bundles). */
  startupMs: number;
  /** Everything, startup included. */
  ms: number;
}

export interface ShadowDatabase {
  /** PGlite in a worker thread; it restarts from the state right after the build (or the last checkpoint) when a statement is interrupted. */
  db: WorkerPGlite;
  report: ShadowReport;
  /** The `extensions` option the database was created with (needed to reopen a dump of it). */
  extensions: Record<string, URL>;
}

/**
 * Replays every migration of `sets` (set by set, each in its tool's order) into a fresh PGlite, the way each
 * tool runs the file, and reports per migration whether it applied or failed and why. A failed migration is
 * rolled back (when it ran in a transaction) and the next one still runs, so the schema is then partial.
 */
export async function createShadowDatabase(sets: readonly MigrationSet[], options: ShadowBuildOptions = {}): Promise<ShadowDatabase> {
  const started = Date.now();
  await initParser();
  const files = sets.flatMap((set) => set.migrations.map((file) => ({ set: set.dir, file, plan: planStatements(file) })));

  const bundleDir = extensionBundleDir(options.extensionsDir);
  const wanted = new Set(files.flatMap((f) => f.plan.flatMap((s) => (s.extension ? [s.extension] : []))));
  const extensions = bundleDir ? extensionOption(wanted, bundleDir) : {};
  const db = await WorkerPGlite.create({ extensions, isolation: options.isolation });
  const stop = () => void db.close();
  options.signal?.addEventListener('abort', stop);
  const report: ShadowReport = {
    migrations: [], applied: 0, failed: 0, partial: false, summary: '',
    extensions: { loaded: Object.keys(extensions).sort(), unavailable: [] }, rolesCreated: [], startupMs: Date.now() - started, ms: 0,
  };
  try {
    const mentioned = PLATFORM_ROLES.filter((role) => files.some((f) => new RegExp(`\\b${role}\\b`).test(f.file.upText)));
    for (const role of mentioned) await createRole(db, role, report);

    for (let k = 0; k < files.length; k++) {
      throwIfAborted(options.signal);
      options.onProgress?.({ done: k, total: files.length, path: files[k].file.path });
      const outcome = await applyMigration(db, files[k].set, files[k].file, files[k].plan, { bundleDir, report, signal: options.signal });
      report.migrations.push(outcome);
      if (outcome.status === 'applied') report.applied++;
      else report.failed++;
    }
    throwIfAborted(options.signal);
    // What an interrupted EXPLAIN restarts from, instead of replaying every migration again.
    await db.checkpoint();
    options.onProgress?.({ done: files.length, total: files.length });
  } catch (e) {
    await db.close().catch(() => undefined);
    throwIfAborted(options.signal);
    throw e;
  } finally {
    options.signal?.removeEventListener('abort', stop);
  }
  report.partial = report.failed > 0;
  report.ms = Date.now() - started;
  report.summary = summarize(report);
  return { db, report, extensions };
}

function summarize(report: ShadowReport): string {
  const total = report.applied + report.failed;
  let s = `Empty shadow database (PGlite) built from ${total} migration${total === 1 ? '' : 's'}`;
  if (report.failed) s += ` — ${report.failed} failed, so the schema is partial`;
  if (report.extensions.unavailable.length) s += `; extensions not available: ${[...new Set(report.extensions.unavailable.map((u) => u.name))].join(', ')}`;
  return s + '.';
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw Object.assign(new Error('Building the shadow database was cancelled.'), { name: 'AbortError' });
}

async function createRole(db: SqlSession, role: string, report: ShadowReport): Promise<void> {
  await db.exec(`CREATE ROLE ${quoteIdent(role)} NOLOGIN`);
  report.rolesCreated.push(role);
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function planStatements(file: MigrationFile): PlannedStatement[] {
  return planText(file.upText);
}

interface ApplyContext {
  bundleDir: string | undefined;
  report: ShadowReport;
  signal?: AbortSignal;
}

async function applyMigration(db: SqlSession, set: string, file: MigrationFile, plan: PlannedStatement[], ctx: ApplyContext): Promise<MigrationOutcome> {
  const started = Date.now();
  const notes: string[] = [];
  const forcedOut = plan.find((s) => s.outsideTransaction);
  const ownTransactions = plan.some((s) => s.transactionControl);
  // A file that manages its own transactions runs as written; one with CONCURRENTLY cannot be wrapped at all.
  const wrapped = file.context.transactional && !forcedOut && !ownTransactions;
  if (file.context.transactional && forcedOut) {
    notes.push(`Ran statement by statement outside a transaction: "${firstLine(forcedOut.text)}" cannot run inside one.`);
  }
  const outcome = (status: MigrationOutcome['status'], statements: number, error?: MigrationFailure): MigrationOutcome => ({
    path: file.path, set, status, mode: wrapped ? 'transaction' : 'statements', statements, ...(error ? { error } : {}), notes, ms: Date.now() - started,
  });

  let roleRetries = 0;
  restart: for (;;) {
    let sent = 0;
    if (wrapped) await db.exec('BEGIN');
    for (const stmt of plan) {
      throwIfAborted(ctx.signal);
      if (stmt.skip) {
        pushOnce(notes, `Skipped a statement that ${stmt.skip} ("${firstLine(stmt.text)}").`);
        continue;
      }
      if (stmt.extension && extensionAvailability(stmt.extension, ctx.bundleDir) === 'unavailable') {
        pushOnce(notes, `Skipped CREATE EXTENSION ${stmt.extension}: PGlite has no "${stmt.extension}" extension; objects that need it will fail.`);
        if (!ctx.report.extensions.unavailable.some((u) => u.name === stmt.extension && u.path === file.path)) {
          ctx.report.extensions.unavailable.push({ name: stmt.extension, path: file.path });
        }
        continue;
      }
      for (;;) {
        sent++;
        try {
          await db.exec(stmt.text);
          break;
        } catch (e) {
          const err = e as PgError;
          const role = missingRole(err);
          if (role && roleRetries++ < MAX_ROLE_RETRIES) {
            if (wrapped) await db.exec('ROLLBACK');
            await createRole(db, role, ctx.report);
            notes.push(`Created role "${role}", which the migration expects to exist.`);
            if (wrapped) continue restart;
            sent--;
            continue;
          }
          if (wrapped || ownTransactions) await db.exec('ROLLBACK').catch(() => undefined);
          return outcome('failed', sent, failureOf(err, stmt));
        }
      }
    }
    if (wrapped) {
      try {
        await db.exec('COMMIT');
      } catch (e) {
        // Deferred constraints fail at COMMIT: point at the file's last statement.
        await db.exec('ROLLBACK').catch(() => undefined);
        const last = plan.at(-1) ?? { start: 0, end: 0, text: '' };
        return outcome('failed', sent, failureOf(e as PgError, { ...last, text: '' }));
      }
    }
    return outcome('applied', sent);
  }
}
