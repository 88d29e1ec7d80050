import type { LayoutSpec } from './types';
import { compareText, sqlFiles } from './order';
import { joinPath } from './paths';
import { baseName } from './paths';

/** `V<version>__<name>.sql` (and `U…` undo, `R__` repeatable). */
export const flywayLayout: LayoutSpec = {
  id: 'flyway',
  matches: (path) => /^[VUR]\d*(?:[._]\d+)*__.+\.sql$/.test(baseName(path)),
  isMigrationsFolder: (dir, fs) => sqlFiles(dir, fs).some((n) => /^V\d+(?:[._]\d+)*__.+\.sql$/.test(n)),
  // Versions compare part by part as numbers (1.10 after 1.9); repeatable R__ scripts run after all versioned ones.
  collect: (dir, fs) => {
    const names = sqlFiles(dir, fs);
    const version = (n: string) => /^[VU](\d+(?:[._]\d+)*)__/.exec(n)?.[1]?.replace(/_/g, '.');
    const versioned = names.filter((n) => n.startsWith('V') && version(n) !== undefined)
      .sort((a, b) => compareVersionParts(version(a)!, version(b)!))
      .map((n) => {
        const undo = names.find((u) => u.startsWith('U') && version(u) === version(n));
        return { up: joinPath(dir, n), version: version(n)!, ...(undo ? { down: joinPath(dir, undo) } : {}) };
      });
    const repeatable = names.filter((n) => /^R__.+\.sql$/.test(n)).sort(compareText).map((n) => ({ up: joinPath(dir, n), version: '' }));
    return [...versioned, ...repeatable];
  },
  context: () => ({
    // Flyway's PostgreSQL parser spots statements such as CREATE INDEX CONCURRENTLY and runs that migration outside a transaction.
    transactional: false,
    transactionReason: 'Flyway runs a migration that contains CONCURRENTLY outside a transaction on its own',
  }),
};

function compareVersionParts(a: string, b: string): number {
  const pa = a.split('.').map(BigInt);
  const pb = b.split('.').map(BigInt);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? 0n;
    const y = pb[i] ?? 0n;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
