import type { LayoutSpec } from './types';
import { compareNatural, singleFileUnits, sqlFiles } from './order';
import { joinPath, segments } from './paths';

/** drizzle-kit output: `--> statement-breakpoint` between statements, in a `drizzle/` folder. */
export const drizzleLayout: LayoutSpec = {
  id: 'drizzle',
  tool: 'drizzle-kit',
  // drizzle-kit generates and runs no down migrations (drizzle-orm#2352 is open).
  down: 'none',
  matches: (path, text) => text.includes('--> statement-breakpoint') || (segments(path).includes('drizzle') && /^\d{4}_.+\.sql$/.test(segments(path).at(-1) ?? '')),
  isMigrationsFolder: (dir, fs) =>
    fs.readFile(joinPath(joinPath(dir, 'meta'), '_journal.json')) !== undefined ||
    sqlFiles(dir, fs).some((n) => /^\d{4}_.+\.sql$/.test(n) && (fs.readFile(joinPath(dir, n)) ?? '').includes('--> statement-breakpoint')),
  // drizzle-kit applies the entries of meta/_journal.json in order; without the journal, the `NNNN_` prefix gives the same order.
  collect: (dir, fs) => {
    const journal = fs.readFile(joinPath(joinPath(dir, 'meta'), '_journal.json'));
    if (journal) {
      try {
        const entries = (JSON.parse(journal).entries ?? []) as { idx: number; tag: string }[];
        return entries.sort((a, b) => a.idx - b.idx).map((e) => ({ up: joinPath(dir, `${e.tag}.sql`), version: String(e.idx) }));
      } catch {
        // a broken journal: fall back to names
      }
    }
    return singleFileUnits(dir, fs, /^(\d+)_.*\.sql$/, compareNatural);
  },
  context: () => ({
    transactional: true,
    transactionReason: 'drizzle-kit migrate applies pending migrations inside one transaction',
  }),
};
