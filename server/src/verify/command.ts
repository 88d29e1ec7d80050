import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { findMigrationSets } from '../catalog/history';
import { nodeDirectoryView } from '../catalog/node-directory';
import { pgliteDatabase, serverDatabase } from './database';
import { reportCounts, verifyHistory, type MigrationVerdict, type VerifyProgress, type VerifyReport } from './verify';

export const VERIFY_USAGE = `Usage: pgvet verify [options] [folder]

Replays the migrations under <folder> (default: the current folder) in the embedded PostgreSQL (PGlite) and,
for each one, applies up, applies down and checks that the catalog is back to what it was before up. For tools
that keep no down migrations (Prisma, Supabase, drizzle, a plain folder) it checks that every migration applies,
and says once that reversibility was not checked.

Options:
  --database-url <url>          run on a throwaway database created on this server (dropped at the end)
                                instead of the embedded one
  --format <human|json>         output format (default: human)
  -h, --help                    show this help

Exit codes: 0 every migration is reversible (or applies, for a tool without downs), 1 some migration is not
reversible or fails to apply,
2 usage error or no migrations found, 130 cancelled (Ctrl-C).
`;

/** `pgvet verify …`: the CLI side only (arguments, progress, Ctrl-C, output); the work is `verifyHistory`. */
export async function verifyCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv, allowPositionals: true,
      options: { 'database-url': { type: 'string' }, format: { type: 'string', default: 'human' }, help: { type: 'boolean', short: 'h' } },
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
  const root = resolve(positionals[0] ?? '.');
  const sets = findMigrationSets(root, nodeDirectoryView);
  if (sets.length === 0) return usageError(`no migrations found under ${root}`);

  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\npgvet: stopping after the current statement (Ctrl-C again to quit at once)…\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const database = values['database-url'] ? serverDatabase(values['database-url']) : pgliteDatabase();
  const reports: VerifyReport[] = [];
  try {
    for (const set of sets) {
      reports.push(await verifyHistory(set, { database, signal: controller.signal, onProgress: progressPrinter(relative(process.cwd(), set.dir) || '.') }));
    }
  } catch (e) {
    if ((e as Error).name === 'AbortError') {
      process.stderr.write('pgvet: verify cancelled.\n');
      return 130;
    }
    throw e;
  } finally {
    process.off('SIGINT', onSigint);
  }
  process.stdout.write(values.format === 'json' ? formatJson(reports) : formatHuman(reports));
  return reports.some((r) => r.notReversible + r.failed > 0) ? 1 : 0;
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
    } else if (p.verdict) {
      process.stderr.write(`[${p.done}/${p.total}] ${relative(process.cwd(), p.verdict.path)}: ${STATUS[p.verdict.status]}\n`);
    }
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
      checksReversibility: r.checksReversibility, ...(r.note ? { note: r.note } : {}),
      summary: r.checksReversibility
        ? { migrations: r.migrations.length, reversible: r.reversible, notReversible: r.notReversible, failed: r.failed }
        : { migrations: r.migrations.length, applied: r.applied, failed: r.failed },
      migrations: r.migrations.map((v) => {
        const at = failureLocation(v);
        return {
          path: relative(cwd, v.path), ...(v.downPath ? { downPath: relative(cwd, v.downPath) } : {}), status: v.status,
          differences: v.differences,
          ...(v.failure && at ? { failure: { direction: v.failure.direction, path: relative(cwd, at.path), line: at.line, column: at.column, ...v.failure.error } } : {}),
          notes: v.notes, ms: v.ms,
        };
      }),
    })),
  }, null, 2) + '\n';
}
