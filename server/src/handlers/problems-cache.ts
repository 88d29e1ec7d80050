import type { Diagnostic } from 'vscode-languageserver';
import type { WorkspaceProblemCounts } from '../../../core/src';
import { pruneCache } from '../cli/cache-prune';
import { sha256 } from '../cli/input-check';
import { defaultCacheDir, entryFile, identityOf, readEntryBody, writeEntry } from '../cli/run-entry';

/** What the workspace's problems published, per file (open ones too: one may be closed when the entry is used). */
export interface KeptProblems {
  diagnostics: [uri: string, diagnostics: Diagnostic[]][];
  counts: WorkspaceProblemCounts;
}

/**
 * The language server's side of the persistent cache (the CLI's folder, node_modules/.cache/pgvet of the first
 * workspace folder's nearest node_modules, else $XDG_CACHE_HOME/pgvet): the workspace's problems — every closed
 * file's findings and the status bar's counts — kept under a key made of everything they were computed from (this
 * build, and per history its files' texts, migration states, settings, pgvet.json, baseline and Prisma schemas;
 * see WorkspaceProblems.cacheKey). Reopening a workspace that did not change publishes them without replaying a
 * history. Only texts that are the files on disk are ever part of a key: unsaved text is neither kept nor served.
 */
export class ProblemsCache {
  readonly stats = { hits: 0, misses: 0, written: 0 };
  private dir?: string | null;
  private identity?: string;

  constructor(private readonly root: () => string | undefined) {}

  private folder(): string | undefined {
    if (this.dir === undefined) {
      const root = this.root();
      if (root === undefined) return undefined;
      this.dir = defaultCacheDir(root) ?? null;
    }
    return this.dir ?? undefined;
  }

  /** The key of the problems computed from `parts` (plain data), or undefined when there is no cache folder. */
  keyOf(parts: unknown): string | undefined {
    if (this.folder() === undefined) return undefined;
    this.identity ??= identityOf(['server.js']);
    return sha256(JSON.stringify({ problems: this.identity, parts }));
  }

  load(key: string): KeptProblems | undefined {
    const dir = this.folder();
    const body = dir && readEntryBody(entryFile(dir, key), 'problems', key);
    try {
      const kept = body ? (JSON.parse(body) as KeptProblems) : undefined;
      if (kept && Array.isArray(kept.diagnostics) && kept.counts) {
        this.stats.hits++;
        return kept;
      }
    } catch {
      // not an entry: computed again and rewritten
    }
    this.stats.misses++;
    return undefined;
  }

  store(key: string, kept: KeptProblems): void {
    const dir = this.folder();
    if (!dir) return;
    try {
      writeEntry(entryFile(dir, key), 'problems', key, JSON.stringify(kept));
      this.stats.written++;
      pruneCache(dir);
    } catch {
      // A folder that cannot be written: the server works uncached.
    }
  }
}
