import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../test/support/lsp-client';

const CORPUS = resolve(__dirname, '../../shared/corpus');
const STATEMENTS = 1000;
const EDITS = 100;

export interface LatencyResult {
  debounceMs: number | 'default (20)';
  statements: number;
  chars: number;
  edits: number;
  openMs: number;
  medianMs: number;
  p90Ms: number;
  maxMs: number;
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

/** Opens the migration in the real server, then types EDITS characters one at a time into a comment in the middle. */
export async function measureLatency(debounceMs?: number): Promise<LatencyResult> {
  const dir = mkdtempSync(join(tmpdir(), 'pgvet-bench-'));
  const client = await LspClient.start({
    rootUri: pathToFileURL(dir).toString(),
    configuration: (section) => (section === 'pgvet' && debounceMs !== undefined ? { lint: { debounceMs } } : {}),
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
    for (let k = 0; k < EDITS; k++) {
      comment += typed[k % typed.length];
      started = process.hrtime.bigint();
      const version = await client.change(uri, head + comment + tail);
      await client.diagnosticsFor(uri, version);
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    times.sort((a, b) => a - b);
    return {
      debounceMs: debounceMs ?? 'default (20)',
      statements: STATEMENTS,
      chars: migration.length,
      edits: EDITS,
      openMs: round(openMs),
      medianMs: round(quantile(times, 0.5)),
      p90Ms: round(quantile(times, 0.9)),
      maxMs: round(times[times.length - 1]),
    };
  } finally {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const round = (x: number) => Math.round(x * 10) / 10;

if (require.main === module) {
  void (async () => {
    for (const d of [undefined, 0]) console.log(await measureLatency(d));
  })();
}
