import type { MigrationFile, MigrationSet } from '../catalog/history';
import { layoutById } from '../catalog/layouts';
import { historyKeepsDowns, toolName } from '../catalog/layouts/downs';
import { nodeDirectoryView } from '../fs/disk';
import { stmtOf } from '../parse/sql/ast';
import { initParser, parseSqlFile } from '../parse/sql/parser';
import { clusterEffectsOf } from './cluster-effects';
import { abortError, pgliteDatabase, type DatabaseFactory, type VerifyDatabase } from './database';
import { describeDifferences, readCatalogSnapshot, type CatalogSnapshot } from './snapshot';
import { failureOf, firstLine, missingRole, planStatements, pushOnce, type MigrationFailure, type PgError, type PlannedStatement } from '../shadow/statements';

/** `applied`: the history's tool keeps no down migrations, so the migration was only applied (see VerifyReport.checksReversibility). */
export type VerdictStatus = 'reversible' | 'not-reversible' | 'failed' | 'applied';

export interface MigrationVerdict {
  path: string;
  version: string;
  /** The file holding the down migration (the up file itself for goose and dbmate); absent when there is none. */
  downPath?: string;
  status: VerdictStatus;
  /** Not reversible: what the down left different from the catalog before up, one sentence per object. */
  differences: string[];
  /** Failed: which direction, in which file, on which statement, with PostgreSQL's error. */
  failure?: { direction: 'up' | 'down'; path: string; error: MigrationFailure };
  /** What it did outside the database (run with clusterEffects 'allow'): its verdict covers only the database. */
  clusterEffects?: string[];
  /** What was adapted to run it (skipped extensions, created roles, statement by statement …). */
  notes: string[];
  ms: number;
}

export interface VerifyProgress {
  /** Migrations verified so far, of `total`. */
  done: number;
  total: number;
  /** The verdict just reached (undefined on the first call). */
  verdict?: MigrationVerdict;
  /** The migration verified next (undefined when done === total). */
  next?: string;
}

export interface VerifyOptions {
  /** Where to replay (default: a fresh in-memory PGlite). */
  database?: DatabaseFactory;
  /** Aborting stops between statements; the database is closed and the promise rejects with an AbortError. */
  signal?: AbortSignal;
  onProgress?(progress: VerifyProgress): void;
  /** Reads the separate down files (default: the real file system). */
  readFile?(path: string): string | undefined;
  /** Verify only the first `limit` migrations of the set. */
  limit?: number;
  /**
   * On a real server, statements that reach outside the throwaway database (roles, other databases, server
   * files and configuration, other sessions: cluster-effects.ts): `refuse` throws a ClusterEffectsError before
   * anything runs; `allow` runs them and says so on each migration. Unset: not looked for (the embedded database).
   */
  clusterEffects?: 'refuse' | 'allow';
}

/** Where a migration reaches outside the database it runs in. */
export interface ClusterEffectSite {
  path: string;
  line: number;
  what: string;
}

export class ClusterEffectsError extends Error {
  constructor(readonly sites: ClusterEffectSite[]) {
    super(`${sites.length} statement${sites.length === 1 ? '' : 's'} would act outside the throwaway database`);
    this.name = 'ClusterEffectsError';
  }
}

export interface VerifyReport {
  set: string;
  layout: MigrationSet['layout'];
  /** The database it ran on. */
  database: string;
  migrations: MigrationVerdict[];
  /**
   * False when the tool keeps no down migrations (Prisma, Supabase, drizzle, a plain folder): each migration is
   * applied in order and its verdict is `applied` or `failed`; `note` says so once for the whole history.
   */
  checksReversibility: boolean;
  note?: string;
  /** What the database said when it was dropped (roles dropped or left behind), and why the run stopped early. */
  afterRun: string[];
  applied: number;
  reversible: number;
  notReversible: number;
  failed: number;
  ms: number;
}

/** The counts of a report in one line: `257 reversible, 26 not reversible, 2 fail to apply.`, or for a tool without downs `825 apply, 0 fail to apply.` and the note. */
export function reportCounts(r: VerifyReport): string {
  if (!r.checksReversibility) return `${r.applied} apply, ${r.failed} fail to apply. ${r.note ?? ''}`.trimEnd();
  return `${r.reversible} reversible, ${r.notReversible} not reversible, ${r.failed} fail to apply.`;
}

/** A migration that keeps hitting missing roles is failed after this many role creations. */
const MAX_ROLE_RETRIES = 20;

/**
 * Replays the history of `set` and, for each migration: applies up, reads the catalog, applies down, compares
 * with the catalog from before up, and re-applies up. When up and down can both run inside one transaction, the
 * down and the re-applied up run inside a transaction that is then rolled back, so that a wrong down does not
 * leave the rest of the history running on a damaged schema; otherwise they run for real, as the tool would.
 */
export async function verifyHistory(set: MigrationSet, options: VerifyOptions = {}): Promise<VerifyReport> {
  const started = Date.now();
  await initParser();
  const readFile = options.readFile ?? nodeDirectoryView.readFile;
  const migrations = set.migrations.slice(0, options.limit ?? set.migrations.length).map((m) => planMigration(m, readFile));
  const wanted = new Set(migrations.flatMap((m) => [...m.up, ...(m.down?.plan ?? [])].flatMap((s) => (s.extension ? [s.extension] : []))));
  const effects = options.clusterEffects ? findClusterEffects(migrations) : undefined;
  if (options.clusterEffects === 'refuse' && effects?.sites.length) throw new ClusterEffectsError(effects.sites);
  throwIfAborted(options.signal);
  const db = await (options.database ?? pgliteDatabase())(wanted, { signal: options.signal, rolesCreatedByHistory: effects?.roles });
  const checksReversibility = historyKeepsDowns(set);
  const report: VerifyReport = {
    set: set.dir, layout: set.layout, database: db.label, migrations: [], checksReversibility,
    ...(checksReversibility ? {} : { note: `${toolName(set.layout)} keeps no down migrations: each migration was applied in order; reversibility was not checked.` }),
    afterRun: [], applied: 0, reversible: 0, notReversible: 0, failed: 0, ms: 0,
  };
  const verifier = new Verifier(db, options.signal);
  try {
    for (let k = 0; k < migrations.length; k++) {
      options.onProgress?.({ done: k, total: migrations.length, verdict: report.migrations.at(-1), next: migrations[k].file.path });
      const verdict = checksReversibility ? await verifier.verify(migrations[k]) : await verifier.apply(migrations[k]);
      const reaching = effects?.sites.filter((s) => s.path === migrations[k].file.path || s.path === migrations[k].down?.path) ?? [];
      if (reaching.length) {
        verdict.clusterEffects = [...new Set(reaching.map((s) => s.what))];
      }
      report.migrations.push(verdict);
      if (verdict.status === 'reversible') report.reversible++;
      else if (verdict.status === 'not-reversible') report.notReversible++;
      else if (verdict.status === 'applied') report.applied++;
      else report.failed++;
      if (db.lost) {
        const rest = migrations.length - k - 1;
        if (rest > 0) report.afterRun.push(`The embedded database was stopped (${db.lost}) during ${migrations[k].file.path}: the ${rest} migration${rest === 1 ? '' : 's'} after it ${rest === 1 ? 'was' : 'were'} not verified.`);
        break;
      }
    }
    options.onProgress?.({ done: report.migrations.length, total: migrations.length, verdict: report.migrations.at(-1) });
  } finally {
    report.afterRun.push(...((await db.close().catch(() => [])) ?? []));
  }
  report.ms = Date.now() - started;
  return report;
}

interface PlannedMigration {
  file: MigrationFile;
  up: PlannedStatement[];
  down?: { path: string; text: string; plan: PlannedStatement[] };
}

/** Where the tool keeps the down migration: a separate file, or the down section of the same file (`LayoutSpec.down`). */
export function downMigrationOf(file: MigrationFile, readFile: (path: string) => string | undefined): { path: string; text: string } | undefined {
  if (file.downPath) {
    const text = readFile(file.downPath);
    return text === undefined ? undefined : { path: file.downPath, text };
  }
  const layout = layoutById(file.layout);
  return layout.down === 'section' ? { path: file.path, text: layout.downSection(file.text) } : undefined;
}

function planMigration(file: MigrationFile, readFile: (path: string) => string | undefined): PlannedMigration {
  const down = downMigrationOf(file, readFile);
  return { file, up: planStatements(file.upText), ...(down ? { down: { path: down.path, text: down.text, plan: planStatements(down.text) } } : {}) };
}

/** Every statement that reaches outside the database, and the roles the history's CREATE ROLE statements make. */
function findClusterEffects(migrations: PlannedMigration[]): { sites: ClusterEffectSite[]; roles: Set<string> } {
  const sites: ClusterEffectSite[] = [];
  const roles = new Set<string>();
  const scan = (path: string, text: string) => {
    for (const s of parseSqlFile(text).statements) {
      if (!s.ast) continue;
      const role = stmtOf(s, 'CreateRoleStmt')?.role;
      if (role) roles.add(role);
      for (const e of clusterEffectsOf(s.ast, s.start, s.end, text.slice(s.start, s.end))) sites.push({ path, line: text.slice(0, e.start).split('\n').length + leadingNewlines(text, e.start, e.end), what: e.what });
    }
  };
  for (const m of migrations) {
    scan(m.file.path, m.file.upText);
    if (m.down) scan(m.down.path, m.down.text);
  }
  return { sites, roles };
}

/** A statement's span starts after the previous `;`: its first line is the first one with text on it. */
function leadingNewlines(text: string, start: number, end: number): number {
  const lead = /^\s*/.exec(text.slice(start, end))?.[0] ?? '';
  return lead.split('\n').length - 1;
}

type RunResult = { ok: true } | { ok: false; error: MigrationFailure };

/** Runs each statement; inside our own transaction (`inside`), else wrapped in one when the tool would. */
interface RunMode {
  /** Wrap the statements in BEGIN … COMMIT (the tool runs the file in a transaction). */
  wrap: boolean;
  /** Already inside a transaction we manage: on error, leave the rollback to the caller. */
  inside: boolean;
}

class Verifier {
  /** The catalog as it is now, when known (saves reading it again before the next up). */
  private current: CatalogSnapshot | undefined;

  constructor(private readonly db: VerifyDatabase, private readonly signal: AbortSignal | undefined) {}

  /** Up only, for a tool without downs: no catalog is read, so a long history goes as fast as applying it. */
  async apply(m: PlannedMigration): Promise<MigrationVerdict> {
    const started = Date.now();
    const notes: string[] = [];
    const up = await this.run(m.up, this.modeOf(m.file, m.up, notes), notes);
    this.current = undefined;
    return {
      path: m.file.path, version: m.file.version, status: up.ok ? 'applied' : 'failed', differences: [], notes, ms: Date.now() - started,
      ...(up.ok ? {} : { failure: { direction: 'up' as const, path: m.file.path, error: up.error } }),
    };
  }

  async verify(m: PlannedMigration): Promise<MigrationVerdict> {
    const started = Date.now();
    const notes: string[] = [];
    const verdict = (status: VerdictStatus, extra: Partial<MigrationVerdict> = {}): MigrationVerdict => ({
      path: m.file.path, version: m.file.version, ...(m.down ? { downPath: m.down.path } : {}),
      status, differences: [], notes, ms: Date.now() - started, ...extra,
    });
    const beforeUp = this.current ?? (await readCatalogSnapshot(this.db));
    const upMode = this.modeOf(m.file, m.up, notes);
    const up = await this.run(m.up, upMode, notes);
    if (!up.ok) {
      this.current = upMode.wrap ? beforeUp : undefined;
      return verdict('failed', { failure: { direction: 'up', path: m.file.path, error: up.error } });
    }
    const afterUp = await readCatalogSnapshot(this.db);
    if (!m.down || m.down.plan.every((s) => s.skip)) {
      notes.push('There is no down migration.');
      this.current = afterUp;
      const differences = describeDifferences(beforeUp, afterUp);
      return verdict(differences.length ? 'not-reversible' : 'reversible', { differences });
    }

    const rollbackable = [...m.up, ...m.down.plan].every((s) => !s.outsideTransaction && !s.transactionControl);
    if (rollbackable) {
      // BEGIN; down; read the catalog; re-apply up; ROLLBACK: the database is back to "after up" whatever the down did.
      for (let roleRetries = 0; ; roleRetries++) {
        await this.db.exec('BEGIN');
        try {
          const down = await this.run(m.down.plan, { wrap: false, inside: true }, notes, false);
          if (!down.ok) {
            if (await this.retryForRole(down.error, roleRetries, notes)) continue;
            return verdict('failed', { failure: { direction: 'down', path: m.down.path, error: down.error } });
          }
          const differences = describeDifferences(beforeUp, await readCatalogSnapshot(this.db));
          await this.db.exec('SAVEPOINT pgvet_reapply');
          const again = await this.run(m.up, { wrap: false, inside: true }, notes, false);
          if (!again.ok) {
            if (await this.retryForRole(again.error, roleRetries, notes)) continue;
            differences.push(`up fails when applied again after down: ${again.error.message}`);
          }
          return verdict(differences.length ? 'not-reversible' : 'reversible', { differences });
        } finally {
          await this.db.exec('ROLLBACK').catch(() => undefined);
          this.current = afterUp;
        }
      }
    }

    // Statement by statement (CONCURRENTLY, or the file's own BEGIN/COMMIT): down and up again run for real.
    this.current = undefined;
    const down = await this.run(m.down.plan, this.modeOf(m.file, m.down.plan, notes), notes);
    if (!down.ok) return verdict('failed', { failure: { direction: 'down', path: m.down.path, error: down.error } });
    const afterDown = await readCatalogSnapshot(this.db);
    const differences = describeDifferences(beforeUp, afterDown);
    const again = await this.run(m.up, upMode, notes);
    if (!again.ok) {
      differences.push(`up fails when applied again after down: ${again.error.message}`);
      this.current = upMode.wrap ? afterDown : undefined;
    }
    return verdict(differences.length ? 'not-reversible' : 'reversible', { differences });
  }

  /** The tool's transaction, unless a statement cannot run inside one or the file manages its own. */
  private modeOf(file: MigrationFile, plan: PlannedStatement[], notes: string[]): RunMode {
    const forcedOut = plan.find((s) => s.outsideTransaction);
    const ownTransactions = plan.some((s) => s.transactionControl);
    if (file.context.transactional && forcedOut) {
      pushOnce(notes, `Ran statement by statement outside a transaction: "${firstLine(forcedOut.text)}" cannot run inside one.`);
    }
    return { wrap: file.context.transactional && !forcedOut && !ownTransactions, inside: false };
  }

  private async retryForRole(error: MigrationFailure, retries: number, notes: string[]): Promise<boolean> {
    const role = missingRole({ code: error.code, message: error.message });
    if (!role || retries >= MAX_ROLE_RETRIES) return false;
    await this.db.exec('ROLLBACK').catch(() => undefined);
    await this.db.createRole(role);
    notes.push(`Created role "${role}", which the migration expects to exist.`);
    return true;
  }

  /**
   * Sends the statements one by one. `handleRoles`: on "role … does not exist", create it and go on (from the
   * start when wrapped); the transactional path does that itself, since the error aborts its transaction.
   */
  private async run(plan: PlannedStatement[], mode: RunMode, notes: string[], handleRoles = true): Promise<RunResult> {
    let roleRetries = 0;
    restart: for (;;) {
      if (mode.wrap) await this.db.exec('BEGIN');
      for (const stmt of plan) {
        throwIfAborted(this.signal, async () => {
          if (mode.wrap) await this.db.exec('ROLLBACK').catch(() => undefined);
        });
        if (stmt.skip) {
          pushOnce(notes, `Skipped a statement that ${stmt.skip} ("${firstLine(stmt.text)}").`);
          continue;
        }
        if (stmt.extension && !this.db.hasExtension(stmt.extension)) {
          pushOnce(notes, `Skipped CREATE EXTENSION ${stmt.extension}: the database has no "${stmt.extension}" extension; objects that need it will fail.`);
          continue;
        }
        if (this.db.maxNesting !== undefined && stmt.nesting > this.db.maxNesting) {
          if (!mode.inside && mode.wrap) await this.db.exec('ROLLBACK').catch(() => undefined);
          return { ok: false, error: failureOf(tooDeep(stmt.nesting), stmt) };
        }
        for (;;) {
          try {
            await this.db.exec(stmt.text);
            break;
          } catch (e) {
            if ((e as Error)?.name === 'AbortError') throw e;
            const err = e as PgError;
            const role = missingRole(err);
            if (handleRoles && role && roleRetries++ < MAX_ROLE_RETRIES) {
              if (mode.wrap) await this.db.exec('ROLLBACK');
              await this.db.createRole(role);
              notes.push(`Created role "${role}", which the migration expects to exist.`);
              if (mode.wrap) continue restart;
              continue;
            }
            if (!mode.inside && (mode.wrap || stmt.transactionControl || plan.some((s) => s.transactionControl))) {
              await this.db.exec('ROLLBACK').catch(() => undefined);
            }
            return { ok: false, error: failureOf(err, stmt) };
          }
        }
      }
      if (mode.wrap) {
        try {
          await this.db.exec('COMMIT');
        } catch (e) {
          if ((e as Error)?.name === 'AbortError') throw e;
          // Deferred constraints fail at COMMIT: point at the file's last statement.
          await this.db.exec('ROLLBACK').catch(() => undefined);
          const last = plan.at(-1) ?? { start: 0, end: 0, text: '' };
          return { ok: false, error: failureOf(e as PgError, { ...last, text: '' }) };
        }
      }
      return { ok: true };
    }
  }
}

function tooDeep(nesting: number): PgError {
  return {
    code: '54001',
    message: `statement nested ${nesting} levels deep: too deep for the embedded PostgreSQL, whose stack is smaller than a server's (not sent)`,
    hint: 'Run pgvet verify --database-url to check this migration on a real server.',
  };
}

function throwIfAborted(signal: AbortSignal | undefined, cleanup?: () => Promise<void>): void {
  if (!signal?.aborted) return;
  void cleanup?.();
  throw abortError();
}
