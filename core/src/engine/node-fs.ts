import { readFileSync } from 'node:fs';
import type { FileSystemView } from '../catalog/layouts';

/** Reads files beside the linted one from disk; missing or unreadable files read as absent. */
export const nodeFileSystem: FileSystemView = {
  readFile(path: string): string | undefined {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
};
