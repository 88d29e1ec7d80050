import type { SupabaseApiSettings } from './supabase-config';
import type { DirectoryView, FileSystemView } from '../../fs/view';

// The layouts read files beside a migration through the views of core/src/fs (the lowest room).
export { NO_FS, type DirectoryView, type FileSystemView } from '../../fs/view';

/** One migration as its tool sees it: the file run on the way up, and its down counterpart when the layout has one. */
export interface MigrationUnit {
  /** Path of the file that holds the up migration. */
  up: string;
  /** Path of the separate down file (golang-migrate, diesel, Flyway U…, pop, sqitch revert/), when present. */
  down?: string;
  /** The version the tool orders by, as written (`20240101000000`, `1.2`, `0001`). */
  version: string;
}

/** The migration tools pgvet knows, by the id pgvet.json's `migrations[].layout` names them with. */
export const LAYOUT_IDS = ['prisma', 'supabase', 'golang-migrate', 'diesel', 'goose', 'dbmate', 'flyway', 'drizzle', 'pop', 'sqitch', 'plain'] as const;

export type LayoutId = (typeof LAYOUT_IDS)[number];

/**
 * Where a tool keeps the down migration of an up: `file`, a separate file (golang-migrate and pop `.down.sql`,
 * diesel `down.sql`, Flyway `U…` undo, sqitch `revert/`); `section`, a section of the up file itself (goose
 * `-- +goose Down`, dbmate `-- migrate:down`); `none`, the tool runs no downs (Prisma, Supabase, drizzle-kit, plain).
 */
export type DownKind = 'file' | 'section' | 'none';

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
  /**
   * Releases of the tool that run some operations outside its transaction on their own (Prisma 7.4 splits
   * migration.sql into statements; the Supabase CLI runs CREATE INDEX CONCURRENTLY apart from the batch):
   * in a transactional file such an operation fails only with older releases.
   */
  runsAloneFrom?: RunsAlone[];
  /** The tool runs the file outside a transaction but refuses it as written (Flyway's mixed=false), and why. */
  mixedRefusal?: string;
  /** Supabase: `[api]` of the supabase/config.toml beside the migrations folder, when there is one. */
  supabaseApi?: SupabaseApiSettings;
}

/** Operations (`CREATE INDEX CONCURRENTLY` …) that `release` and later releases of the tool run outside its transaction. */
export interface RunsAlone {
  operations: string[];
  release: string;
}

/** A change to the migration file itself (or to a file beside it) that switches its transaction mode. */
export type MarkerEdit =
  | { kind: 'insert-line-at-top'; line: string; title: string }
  | { kind: 'replace-in-file'; search: RegExp; replacement: string; title: string }
  | { kind: 'write-sibling'; fileName: string; content: string; title: string };

/** A migration tool: how to recognise its files and folders, the order it applies them in, how it runs them. */
export type LayoutSpec = LayoutBase & (
  | { down: 'none' }
  | {
      down: 'file';
      /** Where the down of an up file named `upName` goes, relative to the up file's folder. */
      downFileName(upName: string): string;
    }
  | {
      down: 'section';
      /** The line that starts the down section. */
      downMarker: RegExp;
      /** The text the tool runs going down, same length as `text` (other sections blanked, offsets kept). */
      downSection(text: string): string;
    }
);

interface LayoutBase {
  id: LayoutId;
  /** The tool as a user knows it, to start a sentence with ("Prisma Migrate", "A plain folder of SQL files"). */
  tool: string;
  /** Whether and where the tool keeps down migrations: the one source for every rule, fix and check about downs. */
  down: DownKind;
  /** Whether this file belongs to the tool, judged by its path and text. */
  matches(path: string, text: string, fs: FileSystemView): boolean;
  context(path: string, text: string, fs: FileSystemView): Omit<FileContext, 'path' | 'layout'>;
  /** Whether a folder is a migrations folder of this tool, judged by its entries. */
  isMigrationsFolder?(dir: string, fs: DirectoryView): boolean;
  /** The migrations of a folder in the order the tool applies them, up paired with down. */
  collect?(dir: string, fs: DirectoryView): MigrationUnit[];
  /**
   * The text the tool runs going up, same length as `text` (other sections blanked, offsets kept):
   * goose and dbmate keep one file with both directions. Absent: the whole file.
   */
  upSection?(text: string): string;
}
