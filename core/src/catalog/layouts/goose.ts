import type { LayoutSpec } from './types';
import { compareNatural, keepSections, singleFileUnits, sqlFiles } from './order';
import { joinPath } from './paths';

const UP = /^\s*--\s*\+goose\s+Up\b/im;
const NO_TX = /^\s*--\s*\+goose\s+NO\s+TRANSACTION\b/im;

/** The `-- +goose Down` marker line, if the file has one. */
export const GOOSE_DOWN_MARKER = /^\s*--\s*\+goose\s+Down\b.*$/im;

/** Files annotated with `-- +goose Up` / `-- +goose Down`. */
export const gooseLayout: LayoutSpec = {
  id: 'goose',
  tool: 'goose',
  // `goose down` runs the `-- +goose Down` section of the same file.
  down: 'section',
  downMarker: GOOSE_DOWN_MARKER,
  downSection: gooseDownSection,
  matches: (_path, text) => UP.test(text),
  isMigrationsFolder: (dir, fs) => sqlFiles(dir, fs).some((n) => UP.test(fs.readFile(joinPath(dir, n)) ?? '')),
  // goose orders by the numeric version before the first `_`.
  collect: (dir, fs) => singleFileUnits(dir, fs, /^(\d+)_.*\.sql$/i, compareNatural).filter((u) => UP.test(fs.readFile(u.up) ?? '')),
  upSection: (text) => keepSections(text, /^\s*--\s*\+goose\s+Up\b/i, /^\s*--\s*\+goose\s+Down\b/i),
  context: (_path, text) =>
    NO_TX.test(text)
      ? { transactional: false, transactionReason: 'the file says -- +goose NO TRANSACTION' }
      : {
          transactional: true,
          transactionReason: 'goose runs each migration in a transaction unless the file says -- +goose NO TRANSACTION',
          nonTransactionalMarker: { kind: 'insert-line-at-top', line: '-- +goose NO TRANSACTION', title: 'Add -- +goose NO TRANSACTION' },
        },
};

/** The text goose runs going down: the `-- +goose Down` sections, everything else blanked (offsets kept). */
export function gooseDownSection(text: string): string {
  return keepSections(text, /^\s*--\s*\+goose\s+Down\b/i, /^\s*--\s*\+goose\s+Up\b/i);
}
