/**
 * How core reads files: through a view, never through node:fs directly, so the editor's unsaved text can stand
 * in for the disk (overlay.ts) and tests can hand in files that do not exist. The lowest room of core.
 */

/** Read-only access to files beside the one being linted (metadata.toml, sqitch.plan …). */
export interface FileSystemView {
  readFile(path: string): string | undefined;
}

export const NO_FS: FileSystemView = { readFile: () => undefined };

/** A file system view that can also list folders, for finding and ordering migrations. */
export interface DirectoryView extends FileSystemView {
  /** Entries of a folder (names only), or [] when it does not exist. */
  list(dir: string): { name: string; isDirectory: boolean }[];
}
