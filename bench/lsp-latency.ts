import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient, SERVER } from '../test/support/lsp-client';

const CORPUS = resolve(__dirname, '../../shared/corpus');
const STATEMENTS = 1000;
const EDITS = 100;

export interface LatencyResult {
  /** The setting given, or `default (N)` with the build's default from its package.json. */
  debounceMs: number | string;
  statements: number;
  chars: number;
  edits: number;
  openMs: number;
  medianMs: number;
  p90Ms: number;
  p95Ms: number;
  maxMs: number;
  /** CPU time (user + system) of the server process per edit, from /proc (Linux), undefined elsewhere. */
  serverCpuPerEditMs?: number;
  /** The server process's peak RSS at the end, MiB (/proc, Linux). */
  serverPeakRssMiB?: number;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

/** 1,000 real statements: every statement of the Prisma migrations of trigger.dev and civitai, in order, until there are enough. */
export function buildMigration(): string {
  const dirs = ['triggerdotdev__trigger.dev/internal-packages/database/prisma/migrations', 'civitai__civitai/packages/civitai-db-schema/prisma/migrations'];
  const out: string[] = [];
  for (const d of dirs) {
    const root = join(CORPUS, d);
    for (const m of readdirSync(root).sort()) {
      let text: string;
      try {
        text = readFileSync(join(root, m, 'migration.sql'), 'utf8');
      } catch {
        continue;
      }
      for (const piece of text.split(/;[ \t]*\r?\n/)) {
        const s = piece.trim();
        // Skip dollar-quoted bodies: a naive split on ';' would cut them apart.
        if (s && !s.includes('$')) out.push(s + ';');
        if (out.length === STATEMENTS) return out.join('\n\n') + '\n';
      }
    }
  }
  throw new Error(`only ${out.length} statements found`);
}

/** The default of `pgvet.lint.debounceMs` in the package.json of the build `server` belongs to. */
function defaultDebounce(server: string): string {
  try {
    const pkg = JSON.parse(readFileSync(resolve(dirname(server), '../package.json'), 'utf8'));
    const props = pkg.contributes.configuration.properties ?? Object.assign({}, ...pkg.contributes.configuration.map((c: { properties: object }) => c.properties));
    return `default (${props['pgvet.lint.debounceMs'].default})`;
  } catch {
    return 'default';
  }
}

/** CPU ms (user + system) and peak RSS (MiB) of a process, from /proc; undefined where there is no /proc. */
function processUsage(pid: number | undefined): { cpuMs: number; peakRssMiB: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of proc(5))
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return { cpuMs: (ticks * 1000) / 100, peakRssMiB: hwm ? Number(hwm[1]) / 1024 : NaN };
  } catch {
    return undefined;
  }
}

/**
 * Opens the migration in the real server, then types EDITS characters one at a time into a comment in the middle.
 * `server`: another build's dist/server.js (to compare builds under the same load); this worktree's by default.
 */
export async function measureLatency(debounceMs?: number, server = SERVER): Promise<LatencyResult> {
  const dir = mkdtempSync(join(tmpdir(), 'pgvet-bench-'));
  const client = await LspClient.start({
    rootUri: pathToFileURL(dir).toString(),
    configuration: (section) => (section === 'pgvet' && debounceMs !== undefined ? { lint: { debounceMs } } : {}),
    server,
  });
  try {
    const migration = buildMigration();
    const middle = migration.indexOf('\n\n', Math.floor(migration.length / 2)) + 1;
    const head = migration.slice(0, middle) + '-- typing here: ';
    const tail = '\n' + migration.slice(middle);
    const uri = pathToFileURL(join(dir, 'migration.sql')).toString();
    let started = process.hrtime.bigint();
    await client.open(uri, head + tail);
    await client.diagnosticsFor(uri, 1);
    const openMs = Number(process.hrtime.bigint() - started) / 1e6;
    const typed = 'abcdefghijklmnopqrstuvwxyz';
    const times: number[] = [];
    let comment = '';
    const before = processUsage(client.proc.pid);
    for (let k = 0; k < EDITS; k++) {
      comment += typed[k % typed.length];
      started = process.hrtime.bigint();
      const version = await client.change(uri, head + comment + tail);
      await client.diagnosticsFor(uri, version);
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    const after = processUsage(client.proc.pid);
    times.sort((a, b) => a - b);
    return {
      debounceMs: debounceMs ?? defaultDebounce(server),
      statements: STATEMENTS,
      chars: migration.length,
      edits: EDITS,
      openMs: round(openMs),
      medianMs: round(quantile(times, 0.5)),
      p90Ms: round(quantile(times, 0.9)),
      p95Ms: round(quantile(times, 0.95)),
      maxMs: round(times[times.length - 1]),
      serverCpuPerEditMs: before && after ? round((after.cpuMs - before.cpuMs) / EDITS) : undefined,
      serverPeakRssMiB: after ? Math.round(after.peakRssMiB) : undefined,
    };
  } finally {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const round = (x: number) => Math.round(x * 10) / 10;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/**
 * `--against <other dist/server.js> [--runs N] [--debounce a,b]`: this build and the other one, alternated run
 * by run under the same load, each with its default debounce and with the ones given; prints every run and the
 * median of each column over the runs.
 */
async function paired(other: string, runs: number, debounces: (number | undefined)[]): Promise<void> {
  const builds = [
    { name: 'other', server: resolve(other) },
    { name: 'this', server: SERVER },
  ];
  const rows: (LatencyResult & { build: string; run: number; load: string })[] = [];
  for (let run = 1; run <= runs; run++) {
    for (const d of debounces) {
      // Alternate which build goes first, so neither always runs right after the other.
      for (const b of run % 2 ? builds : [...builds].reverse()) {
        const load = loadavg()[0].toFixed(1);
        const r = await measureLatency(d, b.server);
        rows.push({ ...r, build: b.name, run, load });
        console.log(JSON.stringify({ build: b.name, run, load, ...r }));
      }
    }
  }
  console.log(`\nmedian over ${runs} runs (other = ${other})`);
  for (const d of debounces) {
    for (const b of builds) {
      const mine = rows.filter((r) => r.build === b.name && (d === undefined ? typeof r.debounceMs === 'string' : r.debounceMs === d));
      const col = (k: 'openMs' | 'medianMs' | 'p90Ms' | 'p95Ms' | 'maxMs' | 'serverCpuPerEditMs') => median(mine.map((r) => r[k] ?? NaN));
      console.log(`${b.name.padEnd(5)} debounce ${String(mine[0].debounceMs).padEnd(12)} open ${col('openMs')} median ${col('medianMs')} p90 ${col('p90Ms')} p95 ${col('p95Ms')} max ${col('maxMs')} server CPU/edit ${col('serverCpuPerEditMs')} ms; load ${mine.map((r) => r.load).join(' ')}`);
    }
  }
}

if (require.main === module) {
  void (async () => {
    const arg = (name: string) => {
      const at = process.argv.indexOf(name);
      return at < 0 ? undefined : process.argv[at + 1];
    };
    const other = arg('--against');
    const debounces = [undefined, ...(arg('--debounce')?.split(',').map(Number) ?? [0])];
    if (other) await paired(other, Number(arg('--runs') ?? 5), debounces);
    else for (const d of debounces) console.log(await measureLatency(d));
  })();
}
