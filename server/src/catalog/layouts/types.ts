/** Read-only access to files beside the one being linted (metadata.toml, sqitch.plan …). */
export interface FileSystemView {
  readFile(path: string): string | undefined;
}

export const NO_FS: FileSystemView = { readFile: () => undefined };

export type LayoutId =
  | 'prisma' | 'supabase' | 'golang-migrate' | 'diesel' | 'goose' | 'dbmate'
  | 'flyway' | 'drizzle' | 'pop' | 'sqitch' | 'plain';

/** How a migration tool runs one file. */
export interface FileContext {
  path?: string;
  layout: LayoutId;
  /** The tool wraps the whole file in one transaction. */
  transactional: boolean;
  /** Why we think so, for messages ("Prisma runs migration.sql in a transaction"). */
  transactionReason: string;
  /** How to make the tool run this file outside a transaction, when the tool has a way. */
  nonTransactionalMarker?: MarkerEdit;
}

/** A change to the migration file itself (or to a file beside it) that switches its transaction mode. */
export type MarkerEdit =
  | { kind: 'insert-line-at-top'; line: string; title: string }
  | { kind: 'replace-in-file'; search: RegExp; replacement: string; title: string }
  | { kind: 'write-sibling'; fileName: string; content: string; title: string };

export interface LayoutSpec {
  id: LayoutId;
  /** Whether this file belongs to the tool, judged by its path and text. */
  matches(path: string, text: string, fs: FileSystemView): boolean;
  context(path: string, text: string, fs: FileSystemView): Omit<FileContext, 'path' | 'layout'>;
}
