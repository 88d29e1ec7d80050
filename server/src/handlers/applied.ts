import { resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Connection } from 'vscode-languageserver';
import { defaultGitBase, GitError, resolveGitBase, configuredApplied } from '../../../core/src';
import type { GitBase, AppliedSource } from '../../../core/src';
import type { ProjectConfigs } from './project-config';
import type { SettingsCache } from './settings';

interface RootBase {
  root: string;
  base?: GitBase;
  configFile?: string;
}

/**
 * Which migrations of the workspace are applied: pgvet.json's `applied`, else the git base of `pgvet.baseRef`
 * per workspace folder. The base is resolved once per workspace and again on `refresh` (settings changed, HEAD moved).
 */
export class AppliedMigrations {
  private roots: RootBase[] = [];
  private readonly warned = new Set<string>();

  constructor(private readonly connection: Connection, private readonly settings: SettingsCache, private readonly configs: ProjectConfigs) {}

  async refresh(roots: string[]): Promise<void> {
    const next: RootBase[] = [];
    for (const root of roots) {
      const { settings } = await this.settings.get(pathToFileURL(root).toString());
      next.push({ root: resolve(root), base: this.baseOf(root, settings.baseRef), configFile: settings.configFile || undefined });
    }
    // Longest root first: a nested workspace folder wins for its own files.
    this.roots = next.sort((a, b) => b.root.length - a.root.length);
    for (const r of this.roots) {
      this.connection.console.info(`pgvet: ${r.root}: ${r.base ? `migrations in ${r.base.ref} (${r.base.commit.slice(0, 12)}) are applied` : 'no git base ref: migrations are pending unless pgvet.json says "applied"'}`);
    }
  }

  source(): AppliedSource {
    return {
      configured: (set) => {
        const loaded = this.configs.loadedNear(set.dir, this.rootOf(set.dir)?.configFile);
        return loaded ? configuredApplied(loaded.config, loaded.path, set.dir) : undefined;
      },
      gitBase: (set) => this.rootOf(set.dir)?.base,
    };
  }

  /** Says a problem once per server (an editor notification, and the output channel). */
  warnOnce(problem: string): void {
    if (this.warned.has(problem)) return;
    this.warned.add(problem);
    this.connection.console.warn(`pgvet: ${problem}`);
    void this.connection.window.showWarningMessage(`pgvet: ${problem}`);
  }

  private rootOf(dir: string): RootBase | undefined {
    const abs = resolve(dir);
    return this.roots.find((r) => abs === r.root || abs.startsWith(r.root + sep));
  }

  private baseOf(root: string, ref: string): GitBase | undefined {
    if (ref === 'none') return undefined;
    if (ref === '') return defaultGitBase(root);
    try {
      return resolveGitBase(root, ref);
    } catch (e) {
      if (!(e instanceof GitError)) throw e;
      this.warnOnce(`pgvet.baseRef "${ref}": ${e.message}; every migration is linted as pending`);
      return undefined;
    }
  }
}
