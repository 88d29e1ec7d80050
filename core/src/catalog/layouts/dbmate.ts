import type { LayoutSpec } from './types';
import { compareText, keepSections, singleFileUnits, sqlFiles } from './order';
import { joinPath } from './paths';

const UP = /^\s*--\s*migrate:up\b(.*)$/im;

/** The `-- migrate:down` marker line, if the file has one. */
export const DBMATE_DOWN_MARKER = /^\s*--\s*migrate:down\b.*$/im;

/** Files with `-- migrate:up` / `-- migrate:down` sections. */
export const dbmateLayout: LayoutSpec = {
  id: 'dbmate',
  tool: 'dbmate',
  // `dbmate rollback` runs the `-- migrate:down` section of the same file.
  down: 'section',
  downMarker: DBMATE_DOWN_MARKER,
  downSection: dbmateDownSection,
  matches: (_path, text) => UP.test(text),
  isMigrationsFolder: (dir, fs) => sqlFiles(dir, fs).some((n) => UP.test(fs.readFile(joinPath(dir, n)) ?? '')),
  // dbmate orders by the version string before the first `_`.
  collect: (dir, fs) => singleFileUnits(dir, fs, /^(\d+)_.*\.sql$/i, compareText).filter((u) => UP.test(fs.readFile(u.up) ?? '')),
  upSection: (text) => keepSections(text, /^\s*--\s*migrate:up\b/i, /^\s*--\s*migrate:down\b/i),
  context: (_path, text) => {
    const options = UP.exec(text)?.[1] ?? '';
    return /\btransaction:false\b/.test(options)
      ? { transactional: false, transactionReason: 'the migrate:up line says transaction:false' }
      : {
          transactional: true,
          transactionReason: 'dbmate runs each migration in a transaction unless -- migrate:up says transaction:false',
          nonTransactionalMarker: { kind: 'replace-in-file', search: /^(\s*--\s*migrate:up\b)/im, replacement: '$1 transaction:false', title: 'Add transaction:false to -- migrate:up' },
        };
  },
};

/** The text dbmate runs going down: the `-- migrate:down` section, everything else blanked (offsets kept). */
export function dbmateDownSection(text: string): string {
  return keepSections(text, /^\s*--\s*migrate:down\b/i, /^\s*--\s*migrate:up\b/i);
}
