import type { LayoutSpec } from './types';
import { compareNatural, singleFileUnits } from './order';
import { dirName, joinPath, segments } from './paths';
import { readSupabaseApiSettings } from './supabase-config';

/** `supabase/migrations/<timestamp>_<name>.sql`. */
export const supabaseLayout: LayoutSpec = {
  id: 'supabase',
  tool: 'The Supabase CLI',
  // The Supabase CLI runs no downs: `db reset --version` replays the history up to a version from scratch.
  down: 'none',
  matches: (path) => {
    const s = segments(path);
    return s.length >= 3 && s[s.length - 3] === 'supabase' && s[s.length - 2] === 'migrations' && /\.sql$/i.test(path);
  },
  isMigrationsFolder: (dir) => {
    const s = segments(dir);
    return s[s.length - 1] === 'migrations' && s[s.length - 2] === 'supabase';
  },
  // The Supabase CLI applies `<timestamp>_name.sql` files by version, i.e. by timestamp.
  collect: (dir, fs) => singleFileUnits(dir, fs, /^(\d+)_.*\.sql$/i, compareNatural),
  // The CLI sends a file's statements as one batch in a transaction. From 2.109 it runs statements that cannot
  // run in a transaction block on their own outside the batch (supabase/cli#5671); DROP INDEX CONCURRENTLY was
  // added to that list in August 2026 (supabase/cli#6276, after 2.111).
  context: (path, _text, fs) => {
    // supabase/config.toml beside supabase/migrations/: which schemas the Data API exposes.
    const file = joinPath(dirName(dirName(path)), 'config.toml');
    const toml = path ? fs.readFile(file) : undefined;
    return {
    ...(toml !== undefined ? { supabaseApi: readSupabaseApiSettings(file, toml) } : {}),
    transactional: true,
    transactionReason: 'the Supabase CLI applies each migration file as one batch in a transaction',
    runsAloneFrom: [
      { operations: ['CREATE INDEX CONCURRENTLY', 'REINDEX CONCURRENTLY'], release: 'Supabase CLI 2.109' },
      { operations: ['DROP INDEX CONCURRENTLY'], release: 'the Supabase CLI with supabase/cli#6276 (August 2026)' },
    ],
    };
  },
};
