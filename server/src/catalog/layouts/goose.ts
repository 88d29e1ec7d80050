import type { LayoutSpec } from './types';

const UP = /^\s*--\s*\+goose\s+Up\b/im;
const NO_TX = /^\s*--\s*\+goose\s+NO\s+TRANSACTION\b/im;

/** Files annotated with `-- +goose Up` / `-- +goose Down`. */
export const gooseLayout: LayoutSpec = {
  id: 'goose',
  matches: (_path, text) => UP.test(text),
  context: (_path, text) =>
    NO_TX.test(text)
      ? { transactional: false, transactionReason: 'the file says -- +goose NO TRANSACTION' }
      : {
          transactional: true,
          transactionReason: 'goose runs each migration in a transaction unless the file says -- +goose NO TRANSACTION',
          nonTransactionalMarker: { kind: 'insert-line-at-top', line: '-- +goose NO TRANSACTION', title: 'Add -- +goose NO TRANSACTION' },
        },
};
