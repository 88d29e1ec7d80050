import { createHash } from 'node:crypto';
import type { MigrationSet } from '../catalog/history';
import { createShadowDatabase, type ShadowBuildOptions, type ShadowDatabase } from './shadow-db';

/** Identifies a migration history by its paths and the hashes of what runs going up: any edit changes it. */
export function shadowKey(sets: readonly MigrationSet[]): string {
  const h = createHash('sha256');
  for (const set of sets) {
    h.update(`set\0${set.dir}\0${set.layout}\0`);
    for (const m of set.migrations) h.update(`${m.path}\0${createHash('sha256').update(m.upText).digest('hex')}\0${m.context.transactional}\0`);
  }
  return h.digest('hex');
}

interface Entry {
  key: string;
  shadow: Promise<ShadowDatabase>;
  /** Uses in progress (`hold`); the idle timer runs only while there are none. */
  holders: number;
  idle?: NodeJS.Timeout;
}

export interface ShadowCacheOptions {
  /** A database nobody holds for this long is closed (its worker terminated); 0 keeps it. */
  idleMs?: number;
  /** Called after a database was closed for being idle. */
  onIdleClose?(history: string): void;
}

/**
 * One shadow database per migration history (keyed by the history's folder, see histories.ts; a workspace may
 * hold several databases' histories), kept while its migrations are unchanged: a second explain is instant,
 * an edited, added or removed migration rebuilds it (and closes the old one).
 */
export class ShadowDatabaseCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: ShadowCacheOptions = {}) {}

  /** Changes the idle period; applies from the next release. */
  setIdleMs(ms: number): void {
    this.options.idleMs = ms;
  }

  /**
   * The history's database, built now or reused, held until `release()`: while held it is never closed for
   * being idle; the idle period starts when the last holder releases it.
   */
  async hold(workspace: string, sets: readonly MigrationSet[], options: ShadowBuildOptions = {}): Promise<{ shadow: ShadowDatabase; release(): void }> {
    const shadow = this.get(workspace, sets, options);
    const entry = this.entries.get(workspace)!;
    entry.holders++;
    clearTimeout(entry.idle);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      entry.holders--;
      this.armIdle(workspace, entry);
    };
    try {
      return { shadow: await shadow, release };
    } catch (e) {
      release();
      throw e;
    }
  }

  /** Histories whose database is open (or being built). */
  open(): string[] {
    return [...this.entries.keys()];
  }

  private armIdle(workspace: string, entry: Entry): void {
    const ms = this.options.idleMs ?? 0;
    if (entry.holders > 0 || ms <= 0 || this.entries.get(workspace) !== entry) return;
    clearTimeout(entry.idle);
    entry.idle = setTimeout(() => {
      if (entry.holders > 0 || this.entries.get(workspace) !== entry) return;
      this.entries.delete(workspace);
      void closeWhenBuilt(entry).then(() => this.options.onIdleClose?.(workspace));
    }, ms);
    // An idle timer must not keep a process (a CLI run, a test) alive.
    entry.idle.unref();
  }

  /** The shadow database of the history `workspace` names for these migrations, built now or reused. Concurrent callers share one build. */
  get(workspace: string, sets: readonly MigrationSet[], options: ShadowBuildOptions = {}): Promise<ShadowDatabase> {
    const key = shadowKey(sets);
    const current = this.entries.get(workspace);
    if (current?.key === key) return current.shadow;
    // Close the outdated database before building: two PGlite instances at once double the memory.
    const shadow = (current ? closeWhenBuilt(current) : Promise.resolve()).then(() => createShadowDatabase(sets, options));
    if (current) clearTimeout(current.idle);
    const entry: Entry = { key, shadow, holders: 0 };
    this.entries.set(workspace, entry);
    // A failed or cancelled build is not cached: the next call tries again.
    shadow.catch(() => {
      if (this.entries.get(workspace) === entry) this.entries.delete(workspace);
    });
    return shadow;
  }

  /** Whether `get` would answer without building. */
  has(workspace: string, sets: readonly MigrationSet[]): boolean {
    return this.entries.get(workspace)?.key === shadowKey(sets);
  }

  /** Drops (and closes) the workspace's database, e.g. after sample rows were loaded and a clean one is wanted. */
  async invalidate(workspace: string): Promise<void> {
    const entry = this.entries.get(workspace);
    this.entries.delete(workspace);
    if (entry) clearTimeout(entry.idle);
    if (entry) await closeWhenBuilt(entry);
  }

  async dispose(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    for (const entry of all) clearTimeout(entry.idle);
    await Promise.all(all.map(closeWhenBuilt));
  }
}

async function closeWhenBuilt(entry: Entry): Promise<void> {
  try {
    const { db } = await entry.shadow;
    await db.close();
  } catch {
    // The build failed; nothing to close.
  }
}
