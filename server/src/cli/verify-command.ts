import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { findMigrationSets, nodeDirectoryView, ConnectionOpenError, ConninfoError, DEFAULT_LOCK_TIMEOUT_MS, DEFAULT_STATEMENT_TIMEOUT_MS, pgliteDatabase, serverDatabase, ClusterEffectsError, reportCounts, verifyHistory } from '../../../core/src';
import type { MigrationVerdict, VerifyProgress, VerifyReport } from '../../../core/src';

export const VERIFY_USAGE = `Usage: pgvet verify [options] [folder]

Replays the migrations under <folder> (default: the current folder) in the embedded PostgreSQL (PGlite) and,
for each one, applies up, applies down and checks that the catalog is back to what it was before up. For tools
that keep no down migrations (Prisma, Supabase, drizzle, a plain folder) it checks that every migration applies,
and says once that reversibility was not checked.

Options:
  --database-url <conninfo>     run on a throwaway database created on this server (dropped at the end)
                                instead of the embedded one; a URL or keyword=value string read as libpq
                                reads it, PG* variables fill what it leaves out (PGPASSWORD, PGSSLMODE …)
  --allow-cluster-effects       with --database-url: run migrations that act outside the throwaway database
                                (see below) instead of refusing them; roles their CREATE ROLE statements make
                                are dropped afterwards, their other effects stay
  --statement-timeout <time>    stop a statement that runs longer, as a failure of its migration
                                (default: ${DEFAULT_STATEMENT_TIMEOUT_MS / 1000}s; 0: no limit). The embedded database cannot go on after
                                a stopped statement: the migrations after it are not verified
  --lock-timeout <time>         with --database-url: fail a statement that waits longer for a lock
                                (default: ${DEFAULT_LOCK_TIMEOUT_MS / 1000}s; 0: no limit)
  --format <human|json>         output format (default: human)
  -h, --help                    show this help

<time> is a number of milliseconds or a number with ms, s, min or h (500ms, 30s, 5min).

Outside the throwaway database: ALTER SYSTEM; COPY to or from a PROGRAM or a server file; CREATE/ALTER/DROP
ROLE, USER or GROUP, GRANT/REVOKE of roles, REASSIGN/DROP OWNED; CREATE/ALTER/DROP DATABASE and TABLESPACE
(and GRANT, COMMENT, OWNER, RENAME on them); subscriptions and foreign servers; LOAD; calls of dblink*,
server file functions (pg_read_file, pg_ls_*, pg_file_* of adminpack), lo_import/lo_export,
pg_terminate_backend, pg_cancel_backend, pg_reload_conf and other server-wide functions; functions in untrusted
languages. They are found in statements, DO blocks and SQL or PL/pgSQL function bodies (EXECUTE of a literal
included); SQL assembled at run time is only searched for those words.

Ctrl-C cancels the running statement and drops the throwaway database (or stops the embedded one), then exits
with 130.

Exit codes: 0 every migration is reversible (or applies, for a tool without downs), 1 some migration is not
reversible or fails to apply, 2 usage error, path not found, no migrations found, the server cannot be reached,
or migrations refused because they act outside the throwaway database, 130 cancelled (Ctrl-C).
`;

/** `250`, `500ms`, `30s`, `5min`, `1h` → milliseconds; undefined when it is none of those. */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|h)?\s*$/.exec(text);
  if (!m) return undefined;
  const factor = { ms: 1, s: 1000, min: 60_000, h: 3_600_000 }[m[2] ?? 'ms']!;
  return Math.round(Number(m[1]) * factor);
}

/** `pgvet verify …`: the CLI side only (arguments, progress, Ctrl-C, output); the work is `verifyHistory`. */
export async function verifyCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv, allowPositionals: true,
      options: {
        'database-url': { type: 'string' }, 'allow-cluster-effects': { type: 'boolean' },
        'statement-timeout': { type: 'string' }, 'lock-timeout': { type: 'string' },
        format: { type: 'string', default: 'human' }, help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    return usageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(VERIFY_USAGE);
    return 0;
  }
  if (positionals.length > 1) return usageError('verify takes one folder');
  if (!['human', 'json'].includes(values.format)) return usageError(`unknown --format "${values.format}" (human or json)`);
  const statementTimeoutMs = values['statement-timeout'] === undefined ? DEFAULT_STATEMENT_TIMEOUT_MS : parseDuration(values['statement-timeout']);
  if (statementTimeoutMs === undefined) return usageError(`--statement-timeout "${values['statement-timeout']}" is not a time (500ms, 30s, 5min; 0 for no limit)`);
  const lockTimeoutMs = values['lock-timeout'] === undefined ? DEFAULT_LOCK_TIMEOUT_MS : parseDuration(values['lock-timeout']);
  if (lockTimeoutMs === undefined) return usageError(`--lock-timeout "${values['lock-timeout']}" is not a time (500ms, 30s, 5min; 0 for no limit)`);
  const url = values['database-url'];
  if (values['allow-cluster-effects'] && url === undefined) return usageError('--allow-cluster-effects goes with --database-url (the embedded database has nothing outside it to protect)');
  const root = resolve(positionals[0] ?? '.');
  if (!existsSync(root)) return setupError(`${positionals[0] ?? root} does not exist`);
  const sets = findMigrationSets(root, nodeDirectoryView);
  if (sets.length === 0) return usageError(`no migrations found under ${root}`);

  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts === 1) {
      process.stderr.write(`\npgvet: cancelling the running statement and ${url ? 'dropping the throwaway database' : 'stopping the embedded database'}…\n`);
      controller.abort();
    } else if (interrupts === 2) {
      process.stderr.write('pgvet: still cleaning up; Ctrl-C again to quit without it (a pgvet_verify_* database may then be left on the server).\n');
    } else {
      process.exit(130);
    }
  };
  process.on('SIGINT', onSigint);
  const database = url ? serverDatabase(url, { statementTimeoutMs, lockTimeoutMs }) : pgliteDatabase({ statementTimeoutMs });
  const reports: VerifyReport[] = [];
  try {
    for (const set of sets) {
      reports.push(await verifyHistory(set, {
        database, signal: controller.signal, onProgress: progressPrinter(relative(process.cwd(), set.dir) || '.'),
        ...(url ? { clusterEffects: values['allow-cluster-effects'] ? ('allow' as const) : ('refuse' as const) } : {}),
      }));
    }
  } catch (e) {
    const err = e as Error;
    if (err.name === 'AbortError') {
      process.stderr.write('pgvet: verify cancelled.\n');
      return 130;
    }
    if (e instanceof ClusterEffectsError) return refused(e);
    if (e instanceof ConnectionOpenError) return setupError(`${e.failure.message}\n  ${e.failure.fix.replace(/ in pgvet\.connections| on the connection in pgvet\.connections/g, ' in --database-url')}`);
    if (e instanceof ConninfoError) return setupError(`--database-url: ${e.message}`);
    if (err.name === 'VerifySetupError') return setupError(err.message);
    throw e;
  } finally {
    process.off('SIGINT', onSigint);
  }
  process.stdout.write(values.format === 'json' ? formatJson(reports) : formatHuman(reports));
  return reports.some((r) => r.notReversible + r.failed > 0) ? 1 : 0;
}

function setupError(message: string): number {
  process.stderr.write(`pgvet: ${message}\n`);
  return 2;
}

function refused(e: ClusterEffectsError): number {
  const cwd = process.cwd();
  const lines = e.sites.map((s) => `  ${relative(cwd, s.path)}:${s.line}: ${s.what}`);
  process.stderr.write(
    `pgvet: refusing to verify on this server: ${e.message}, which dropping it does not undo:\n${lines.join('\n')}\n` +
      'Verify on a server you can spare with --allow-cluster-effects (roles these migrations create are dropped afterwards;\n' +
      'their other effects stay), or without --database-url on the embedded database.\n',
  );
  return 2;
}

function usageError(message: string): number {
  process.stderr.write(`pgvet: ${message}\n\n${VERIFY_USAGE}`);
  return 2;
}

const STATUS: Record<MigrationVerdict['status'], string> = { reversible: 'reversible', 'not-reversible': 'not reversible', failed: 'fails to apply', applied: 'applies' };

/** A counter rewritten in place on a terminal, one line per migration otherwise (logs, CI). */
function progressPrinter(setName: string): (p: VerifyProgress) => void {
  const tty = process.stderr.isTTY === true;
  return (p) => {
    if (tty) {
      const line = p.next ? `${setName}: ${p.done}/${p.total} ${relative(process.cwd(), p.next)}` : `${setName}: ${p.done}/${p.total} done`;
      process.stderr.write(`\r\u001b[K${line.length > 120 ? `${line.slice(0, 119)}…` : line}${p.done === p.total ? '\n' : ''}`);
      return;
    }
    // One line per migration, begun when it starts (a log shows which one is running) and ended by its verdict.
    if (p.verdict && p.done > 0) process.stderr.write(`${STATUS[p.verdict.status]}\n`);
    if (p.next) process.stderr.write(`[${p.done + 1}/${p.total}] ${relative(process.cwd(), p.next)}: `);
  };
}

/** 1-based line and column of a UTF-16 offset in a file. */
function lineColumn(path: string, offset: number): { line: number; column: number } {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { line: 1, column: 1 };
  }
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

function failureLocation(v: MigrationVerdict): { path: string; line: number; column: number } | undefined {
  if (!v.failure) return undefined;
  return { path: v.failure.path, ...lineColumn(v.failure.path, v.failure.error.offset ?? v.failure.error.statement.start) };
}

function formatHuman(reports: VerifyReport[]): string {
  const cwd = process.cwd();
  const lines: string[] = [];
  for (const r of reports) {
    for (const v of r.migrations) {
      const name = relative(cwd, v.path);
      if (v.clusterEffects) lines.push(`${name}: acts outside the database (${v.clusterEffects.join(', ')}); ran because of --allow-cluster-effects, so its verdict covers only the throwaway database`);
      if (v.status === 'not-reversible') {
        lines.push(`${name}: not reversible`);
        for (const d of v.differences) lines.push(`  - ${d}`);
      } else if (v.status === 'failed') {
        const at = failureLocation(v)!;
        const e = v.failure!.error;
        lines.push(`${relative(cwd, at.path)}:${at.line}:${at.column}: ${v.failure!.direction} fails to apply: ${e.message}${e.code ? ` [${e.code}]` : ''}`);
        if (e.detail) lines.push(`  detail: ${e.detail}`);
        if (e.hint) lines.push(`  hint: ${e.hint}`);
      }
    }
    for (const note of r.afterRun) lines.push(note);
    const total = r.migrations.length;
    lines.push(`${relative(cwd, r.set) || '.'} (${r.layout}): ${total} migration${total === 1 ? '' : 's'} verified on ${r.database} in ${(r.ms / 1000).toFixed(1)} s: ${reportCounts(r)}`);
  }
  return lines.join('\n') + '\n';
}

function formatJson(reports: VerifyReport[]): string {
  const cwd = process.cwd();
  return JSON.stringify({
    version: process.env.PGVET_VERSION ?? 'dev',
    sets: reports.map((r) => ({
      dir: relative(cwd, r.set) || '.', layout: r.layout, database: r.database, ms: r.ms,
      checksReversibility: r.checksReversibility, ...(r.note ? { note: r.note } : {}), afterRun: r.afterRun,
      summary: r.checksReversibility
        ? { migrations: r.migrations.length, reversible: r.reversible, notReversible: r.notReversible, failed: r.failed }
        : { migrations: r.migrations.length, applied: r.applied, failed: r.failed },
      migrations: r.migrations.map((v) => {
        const at = failureLocation(v);
        return {
          path: relative(cwd, v.path), ...(v.downPath ? { downPath: relative(cwd, v.downPath) } : {}), status: v.status,
          differences: v.differences,
          ...(v.failure && at ? { failure: { direction: v.failure.direction, path: relative(cwd, at.path), line: at.line, column: at.column, ...v.failure.error } } : {}),
          notes: v.notes, ...(v.clusterEffects ? { clusterEffects: v.clusterEffects } : {}), ms: v.ms,
        };
      }),
    })),
  }, null, 2) + '\n';
}
