import { readdirSync, readFileSync } from 'node:fs';
import type { DirectoryView } from './view';

/** The real file system as a DirectoryView (the CLI, the server and the tests use it). */
export const nodeDirectoryView: DirectoryView = {
  readFile(path) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
  list(dir) {
    try {
      return readdirSync(dir, { withFileTypes: true }).map((e) => ({ name: e.name, isDirectory: e.isDirectory() }));
    } catch {
      return [];
    }
  },
};
