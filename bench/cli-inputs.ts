/**
 * The inputs every CLI in the comparison can read: a copy of the corpus in a temp folder, with the one file that is
 * not UTF-8 transcoded to UTF-8, and without the files squawk's parser gets stuck on. The same file list goes to
 * pgvet, squawk and the Postgres Language Server.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

export const CORPUS = resolve(__dirname, '../../shared/corpus');

/** Windows-1252, not UTF-8: squawk 2.66 stops at once on it ("stream did not contain valid UTF-8", exit 1, no report). */
export const NOT_UTF8 = { path: 'pganalyze__libpg_query/test/sql/postgres_regress/collate.windows.win1252.sql', encoding: 'windows-1252' };

/** squawk 2.66.0 panics on these ("the parser seems stuck", exit 101, no report, after seconds and GBs). */
export const SQUAWK_PANICS = [
  'PostgREST__postgrest/test/io/fixtures/big_schema.sql',
  'pganalyze__libpg_query/test/sql/postgres_regress/alter_table.sql',
  'pganalyze__libpg_query/test/sql/postgres_regress/create_table.sql',
  'pganalyze__libpg_query/test/sql/postgres_regress/rules.sql',
  'pganalyze__libpg_query/test/sql/postgres_regress/with.sql',
];

export interface InputSet {
  name: string;
  /** Absolute paths, sorted. */
  files: string[];
}

export interface Inputs {
  root: string;
  corpusFiles: number;
  sets: InputSet[];
  dispose(): void;
}

export function walkSql(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, e.name);
    if (e.isDirectory()) walkSql(full, out);
    else if (e.isFile() && e.name.endsWith('.sql')) out.push(full);
  }
  return out;
}

/** Copies the corpus (30 MB) into a temp folder and transcodes NOT_UTF8 there; the corpus itself is read-only. */
export function prepareInputs(): Inputs {
  const root = mkdtempSync(join(tmpdir(), 'pgvet-bench-corpus-'));
  cpSync(CORPUS, root, { recursive: true });
  const target = join(root, NOT_UTF8.path);
  writeFileSync(target, new TextDecoder(NOT_UTF8.encoding).decode(readFileSync(target)));
  const all = walkSql(root).sort();
  const skip = new Set(SQUAWK_PANICS.map((p) => join(root, p)));
  const under = (dir: string) => all.filter((f) => !relative(join(root, dir), f).startsWith('..'));
  const oneFile = join(root, 'triggerdotdev__trigger.dev/internal-packages/database/prisma/migrations/20230426150713_add_support_for_projects/migration.sql');
  return {
    root,
    corpusFiles: all.length,
    sets: [
      { name: `corpus (${all.length - skip.size} files all three read)`, files: all.filter((f) => !skip.has(f)) },
      { name: 'trigger.dev migrations', files: under('triggerdotdev__trigger.dev/internal-packages/database/prisma/migrations') },
      { name: 'crates.io migrations', files: under('rust-lang__crates.io/migrations') },
      { name: 'one file (trigger.dev, 20230426150713)', files: [oneFile] },
    ],
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** `node --import tsx bench/cli-inputs.ts DIR`: writes DIR/<n>.txt, one path a line, for timing the tools by hand. */
if (require.main === module) {
  const inputs = prepareInputs();
  const out = process.argv[2] ?? inputs.root;
  inputs.sets.forEach((s, i) => writeFileSync(join(out, `set${i}.txt`), s.files.join('\n') + '\n'));
  console.log(`${inputs.root}: ${inputs.sets.map((s, i) => `set${i}.txt ${s.name} ${s.files.length}`).join('; ')}`);
}
