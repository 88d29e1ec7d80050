import type { LayoutSpec } from './types';
import { compareText, sqlFiles } from './order';
import { baseName, joinPath } from './paths';
import { splitStatements } from '../../parse/sql/lexer';

/** The statements Flyway's PostgreSQL parser recognises as unable to run in a transaction (PostgreSQLParser). */
const NON_TRANSACTIONAL = [
  /^(CREATE|DROP)( UNIQUE)? INDEX CONCURRENTLY\b/, /^REINDEX( VERBOSE)? (SCHEMA|DATABASE|SYSTEM)\b/, /^VACUUM\b/,
  /^DISCARD ALL\b/, /^ALTER SYSTEM\b/, /^(CREATE|DROP) (DATABASE|TABLESPACE|SUBSCRIPTION)\b/,
];

/** How many statements of the script Flyway sees as non-transactional, and how many it sees in all. */
function flywayStatementKinds(text: string): { nonTransactional: number; all: number } {
  const statements = splitStatements(text).statements
    .map((s) => text.slice(s.start, s.end).replace(/;\s*$/, '').replace(/\s+/g, ' ').trim().toUpperCase())
    .filter((s) => s !== '');
  return { nonTransactional: statements.filter((s) => NON_TRANSACTIONAL.some((re) => re.test(s))).length, all: statements.length };
}

/** `V<version>__<name>.sql` (and `U…` undo, `R__` repeatable). */
export const flywayLayout: LayoutSpec = {
  id: 'flyway',
  tool: 'Flyway',
  // `flyway undo` runs the U… file of the version (an edition feature: catalog/layouts/downs.ts).
  down: 'file',
  downFileName: (up) => up.replace(/^V/, 'U'),
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
  // Flyway runs each migration in a transaction, except a script holding a statement its parser recognises
  // (CREATE/DROP INDEX CONCURRENTLY, not REINDEX … CONCURRENTLY or DETACH PARTITION … CONCURRENTLY), or one whose
  // `<script>.conf` sets executeInTransaction=false.
  context: (path, text, fs) => {
    const conf = fs.readFile(`${path}.conf`) ?? '';
    if (/^\s*executeInTransaction\s*=\s*false\s*$/m.test(conf)) {
      return { transactional: false, transactionReason: `${baseName(path)}.conf sets executeInTransaction=false` };
    }
    const kinds = flywayStatementKinds(text);
    if (kinds.nonTransactional > 0) {
      return {
        transactional: false,
        transactionReason: 'Flyway runs a migration holding CREATE or DROP INDEX CONCURRENTLY outside a transaction on its own',
        // With its default mixed=false, Flyway refuses a script that also holds statements that could run in a transaction.
        ...(kinds.all > kinds.nonTransactional
          ? { mixedRefusal: 'Flyway refuses a migration that mixes it with statements that can run in a transaction ("Detected both transactional and non-transactional statements within the same migration") unless mixed=true is set' }
          : {}),
      };
    }
    return {
      transactional: true,
      transactionReason: 'Flyway runs each migration in a transaction unless it spots CREATE/DROP INDEX CONCURRENTLY or the script\'s .conf sets executeInTransaction=false',
      nonTransactionalMarker: { kind: 'write-sibling', fileName: `${baseName(path)}.conf`, content: 'executeInTransaction=false\n', title: `Create ${baseName(path)}.conf with executeInTransaction=false` },
    };
  },
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
