import type { LayoutSpec } from './types';
import { compareNatural, singleFileUnits } from './order';
import { segments } from './paths';

/** `supabase/migrations/<timestamp>_<name>.sql`. */
export const supabaseLayout: LayoutSpec = {
  id: 'supabase',
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
  context: () => ({
    transactional: true,
    transactionReason: 'the Supabase CLI applies each migration file in a transaction',
  }),
};
