import type { Connection } from 'vscode-languageserver';
import { unknownRuleMessage, readSettings, ruleById } from '../../../core/src';
import type { SettingsResult } from '../../../core/src';

/**
 * readSettings plus the rule names pgvet.rules gives that no rule has (said once, like other invalid values).
 * Here, not in config/settings.ts, which the extension's client also loads and which must not pull in the rules.
 */
function readServerSettings(raw: unknown): SettingsResult {
  const result = readSettings(raw);
  for (const id of Object.keys(result.settings.rules)) if (!ruleById(id)) result.problems.push(`pgvet.rules: ${unknownRuleMessage(id)}`);
  return result;
}

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
        ? this.connection.workspace.getConfiguration({ scopeUri: uri, section: 'pgvet' }).then(readServerSettings, () => readServerSettings({}))
        : Promise.resolve(readServerSettings({}));
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
