import { resolve } from 'node:path';
import type { DirectoryView } from './view';

/**
 * The files as pgvet sees them: the editor's text of open documents over the disk. Everything that reads a
 * file (the history, the layouts, the Prisma schema loading, hover and go-to-definition) reads through one of
 * these, so unsaved text wins everywhere. Listings come from the disk: an unsaved document is not a new file.
 */
export class OverlayFileSystem implements DirectoryView {
  private readonly overlays = new Map<string, string>();

  constructor(readonly disk: DirectoryView) {}

  /** A document is open (or changed) in the editor with this text. */
  set(path: string, text: string): void {
    this.overlays.set(resolve(path), text);
  }

  /** A document was closed: its file reads from the disk again. Returns whether it was open. */
  delete(path: string): boolean {
    return this.overlays.delete(resolve(path));
  }

  /** The editor's text of `path`, when it is open. */
  overlay(path: string): string | undefined {
    // No overlay at all (the CLI, the tests): skip resolving the path on every read.
    return this.overlays.size === 0 ? undefined : this.overlays.get(resolve(path));
  }

  readFile(path: string): string | undefined {
    return this.overlay(path) ?? this.disk.readFile(path);
  }

  list(dir: string): { name: string; isDirectory: boolean }[] {
    return this.disk.list(dir);
  }
}
