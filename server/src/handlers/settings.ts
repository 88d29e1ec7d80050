import type { Connection } from 'vscode-languageserver';
import { readSettings, type SettingsResult } from '../config/settings';

/** `pgvet.*` settings per resource, pulled from the client and cached until the client says they changed. */
export class SettingsCache {
  private readonly cache = new Map<string, Promise<SettingsResult>>();
  private pull = false;

  constructor(private readonly connection: Connection) {}

  /** Whether the client answers workspace/configuration (otherwise defaults are used). */
  enablePull(): void {
    this.pull = true;
  }

  get(uri: string): Promise<SettingsResult> {
    let hit = this.cache.get(uri);
    if (!hit) {
      hit = this.pull
        ? this.connection.workspace.getConfiguration({ scopeUri: uri, section: 'pgvet' }).then(readSettings, () => readSettings({}))
        : Promise.resolve(readSettings({}));
      this.cache.set(uri, hit);
    }
    return hit as Promise<SettingsResult>;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  clear(): void {
    this.cache.clear();
  }
}
