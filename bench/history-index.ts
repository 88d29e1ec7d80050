import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../test/support/lsp-client';

/**
 * The workspace index on the largest history in the corpus (trigger.dev's Prisma migrations): the time from
 * starting the real server to the first diagnostics of an open migration that include the schema rules'
 * findings (the whole history parsed and replayed), then the re-lint time after each edit to that migration.
 */
const CORPUS = resolve(__dirname, '../../shared/corpus');
const ROOT = join(CORPUS, 'triggerdotdev__trigger.dev/internal-packages/database');
const MIGRATIONS = join(ROOT, 'prisma/migrations');
const EDITS = 30;
const OPEN = '20240811185335_improve_background_worker_file_model';

export interface HistoryIndexResult {
  migrations: number;
  /** Spawn → initialize → open → diagnostics with a schema-rule finding. */
  coldMs: number;
  indexedMs?: number;
  edits: number;
  /** didChange → publishDiagnostics for that version, typing into a comment of the open migration. */
  relintMedianMs: number;
  relintP90Ms: number;
  relintMaxMs: number;
  /** The same after an edit that changes the schema (an index added, then removed, alternately). */
  schemaEditMedianMs: number;
  /** Typing into the newest migration (with the old one still open). */
  newestMedianMs: number;
  newestP90Ms: number;
}

const SCHEMA_RULES = new Set(['unindexed-foreign-key', 'rls-disabled', 'missing-tenant-column', 'no-primary-key']);

export async function measureHistoryIndex(): Promise<HistoryIndexResult> {
  const dirs = readdirSync(MIGRATIONS, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  // A migration whose foreign key stays unindexed to the end of the history: the schema rules report on it (most of the
  // history's schema findings land on schema.prisma, which describes it).
  const file = join(MIGRATIONS, OPEN, 'migration.sql');
  const text = readFileSync(file, 'utf8');
  const uri = pathToFileURL(file).toString();
  const t0 = process.hrtime.bigint();
  const ms = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6;
  let indexedMs: number | undefined;
  const client = await LspClient.start({ rootUri: pathToFileURL(ROOT).toString() });
  client.connection.onNotification('pgvet/indexed', () => {
    indexedMs ??= ms(t0);
  });
  try {
    await client.open(uri, text);
    const first = await client.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => SCHEMA_RULES.has(String(d.code))));
    const coldMs = ms(t0);
    if (first.diagnostics.length === 0) throw new Error('no diagnostics');

    /** Each text in turn as the document's new version: the time from didChange to its diagnostics, sorted. */
    const timeEdits = async (doc: string, texts: string[]) => {
      const out: number[] = [];
      for (const t of texts) {
        const started = process.hrtime.bigint();
        await client.diagnosticsFor(doc, await client.change(doc, t));
        out.push(ms(started));
      }
      return out.sort((a, b) => a - b);
    };
    /** EDITS versions of `base` with a comment typed one character more each time. */
    const typing = (base: string) => Array.from({ length: EDITS }, (_, k) => `${base}\n-- ${'abcdefghijklmnopqrstuvwxyz'.repeat(2).slice(0, k + 1)}\n`);

    const times = await timeEdits(uri, typing(text));
    const schemaTimes = await timeEdits(uri, Array.from({ length: 10 }, (_, k) => text + (k % 2 === 0 ? '\nCREATE INDEX bench_idx ON "User" ("id");\n' : '\n')));
    // The newest migration, where people write: the replay resumes from the checkpoint just before it.
    const last = join(MIGRATIONS, dirs[dirs.length - 1], 'migration.sql');
    const lastText = readFileSync(last, 'utf8');
    const lastUri = pathToFileURL(last).toString();
    await client.open(lastUri, lastText);
    await client.diagnosticsFor(lastUri, 1);
    const newestTimes = await timeEdits(lastUri, typing(lastText));
    const q = (s: number[], f: number) => round(s[Math.min(s.length - 1, Math.ceil(f * s.length) - 1)]);
    return {
      migrations: dirs.length,
      coldMs: round(coldMs),
      indexedMs: indexedMs === undefined ? undefined : round(indexedMs),
      edits: EDITS,
      relintMedianMs: q(times, 0.5),
      relintP90Ms: q(times, 0.9),
      relintMaxMs: round(times[times.length - 1]),
      schemaEditMedianMs: q(schemaTimes, 0.5),
      newestMedianMs: q(newestTimes, 0.5),
      newestP90Ms: q(newestTimes, 0.9),
    };
  } finally {
    await client.stop();
  }
}

const round = (x: number) => Math.round(x * 10) / 10;

export function formatHistoryIndex(r: HistoryIndexResult): string {
  return [
    `| history | migrations | cold start → first schema diagnostics (ms) | pgvet/indexed (ms) | re-lint, early migration: median (ms) | p90 (ms) | max (ms) | schema edit median (ms) | re-lint, newest migration: median (ms) | p90 (ms) |`,
    `|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|`,
    `| trigger.dev | ${r.migrations} | ${r.coldMs} | ${r.indexedMs ?? '–'} | ${r.relintMedianMs} | ${r.relintP90Ms} | ${r.relintMaxMs} | ${r.schemaEditMedianMs} | ${r.newestMedianMs} | ${r.newestP90Ms} |`,
  ].join('\n');
}

if (require.main === module) {
  void measureHistoryIndex().then((r) => console.log(formatHistoryIndex(r)));
}
