import type { LayoutSpec } from './types';
import { compareText } from './order';
import { baseName, dirName, joinPath, parentName } from './paths';

/** `migrations/<timestamp>_<name>/up.sql`, `down.sql`, optional `metadata.toml` with `run_in_transaction = false`. */
export const dieselLayout: LayoutSpec = {
  id: 'diesel',
  tool: 'Diesel',
  // `diesel migration revert` runs down.sql beside up.sql.
  down: 'file',
  downFileName: () => 'down.sql',
  matches: (path) => /^(up|down)\.sql$/.test(baseName(path)) && /^\d{4}-?\d{2}-?\d{2}-?\d{6}_|^\d{14}_|^0{6,}_/.test(parentName(path)),
  isMigrationsFolder: (dir, fs) => fs.list(dir).some((e) => e.isDirectory && fs.readFile(joinPath(joinPath(dir, e.name), 'up.sql')) !== undefined),
  // diesel orders by the version before the first `_`, dashes removed.
  collect: (dir, fs) =>
    fs.list(dir)
      .filter((e) => e.isDirectory && fs.readFile(joinPath(joinPath(dir, e.name), 'up.sql')) !== undefined)
      .map((e) => ({ folder: joinPath(dir, e.name), version: e.name.split('_')[0].replace(/-/g, '') }))
      .sort((a, b) => compareText(a.version, b.version))
      .map(({ folder, version }) => ({
        up: joinPath(folder, 'up.sql'), version,
        ...(fs.readFile(joinPath(folder, 'down.sql')) !== undefined ? { down: joinPath(folder, 'down.sql') } : {}),
      })),
  context: (path, _text, fs) => {
    const metadata = fs.readFile(joinPath(dirName(path), 'metadata.toml')) ?? '';
    const off = /^\s*run_in_transaction\s*=\s*false\s*$/m.test(metadata);
    // The marker's line goes at the top of metadata.toml (an editor inserts it into an existing file): not where
    // the file already sets run_in_transaction, since TOML refuses a key twice.
    const settable = !/^\s*run_in_transaction\s*=/m.test(metadata);
    return off
      ? { transactional: false, transactionReason: 'metadata.toml sets run_in_transaction = false' }
      : {
          transactional: true,
          transactionReason: 'diesel runs each migration in a transaction unless metadata.toml sets run_in_transaction = false',
          ...(settable ? { nonTransactionalMarker: { kind: 'write-sibling' as const, fileName: 'metadata.toml', content: 'run_in_transaction = false\n', title: 'Set run_in_transaction = false in metadata.toml' } } : {}),
        };
  },
};
