import type { LayoutSpec } from './types';
import { segments } from './paths';

/** `supabase/migrations/<timestamp>_<name>.sql`. */
export const supabaseLayout: LayoutSpec = {
  id: 'supabase',
  matches: (path) => {
    const s = segments(path);
    return s.length >= 3 && s[s.length - 3] === 'supabase' && s[s.length - 2] === 'migrations' && /\.sql$/i.test(path);
  },
  context: () => ({
    transactional: true,
    transactionReason: 'the Supabase CLI applies each migration file in a transaction',
  }),
};
