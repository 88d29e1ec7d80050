import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Connection, type Diagnostic } from 'vscode-languageserver';
import { findConfigFile, loadConfigFile, locateProblem, resolveConfig, DEFAULT_PGVET_JSON, LineIndex } from '../../../core/src';
import type { LoadedProjectConfig, ResolvedConfig, PgvetJson as PgvetJsonLike, Settings } from '../../../core/src';

export function uriToPath(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Finds and caches pgvet.json files; a bad file is reported once, as one diagnostic
 * on the file itself, and the defaults are used until it is fixed.
 */
export class ProjectConfigs {
  private readonly byPath = new Map<string, LoadedProjectConfig>();
  private readonly published = new Set<string>();
  private readonly resolved = new Map<string, ResolvedConfig>();

  constructor(private readonly connection: Connection) {}

  forDocument(uri: string, settings: Settings): ResolvedConfig {
    const path = uriToPath(uri);
    const explicit = settings.configFile || undefined;
    const configPath = explicit ?? (path ? findConfigFile(dirname(path)) : undefined);
    // The same inputs give the same object, so results cached per config (the schema rules') stay valid.
    const key = `${configPath ?? ''}\u0000${JSON.stringify(settings.rules)}`;
    const hit = this.resolved.get(key);
    if (hit) return hit;
    let resolved: ResolvedConfig;
    if (!configPath) resolved = resolveConfig(DEFAULT_PGVET_JSON, settings.rules);
    else {
      let loaded = this.byPath.get(configPath);
      if (!loaded) {
        loaded = loadConfigFile(configPath);
        this.byPath.set(configPath, loaded);
        this.publish(loaded);
      }
      resolved = resolveConfig(loaded.config, settings.rules, loaded.problems);
    }
    this.resolved.set(key, resolved);
    return resolved;
  }

  /** The pgvet.json of a workspace root (at the root itself), for where its migrations are. */
  forRoot(root: string): PgvetJsonLike {
    const configPath = findConfigFile(root, root);
    if (!configPath) return DEFAULT_PGVET_JSON;
    let loaded = this.byPath.get(configPath);
    if (!loaded) {
      loaded = loadConfigFile(configPath);
      this.byPath.set(configPath, loaded);
      this.publish(loaded);
    }
    return loaded.config;
  }

  /** The pgvet.json that governs a folder (`explicit`: the pgvet.configFile setting), for its histories' `applied`. */
  loadedNear(dir: string, explicit?: string): LoadedProjectConfig | undefined {
    const configPath = explicit || findConfigFile(dir);
    if (!configPath) return undefined;
    let loaded = this.byPath.get(configPath);
    if (!loaded) {
      loaded = loadConfigFile(configPath);
      this.byPath.set(configPath, loaded);
      this.publish(loaded);
    }
    return loaded;
  }

  /** A pgvet.json changed on disk or in the editor: drop it so the next lint reads it again. */
  invalidate(path?: string): void {
    if (path) this.byPath.delete(path);
    else this.byPath.clear();
    this.resolved.clear();
  }

  private publish(loaded: LoadedProjectConfig): void {
    if (!loaded.path) return;
    const uri = pathToFileURL(loaded.path).toString();
    const diagnostics: Diagnostic[] = [];
    if (loaded.problems.length > 0) {
      const at = new LineIndex(loaded.text ?? '').positionAt(locateProblem(loaded.text ?? '', loaded.problems[0]));
      const list = loaded.problems.map((p) => `${p.path.length ? p.path.join('.') + ': ' : ''}${p.message}`).join('; ');
      diagnostics.push({
        range: { start: at, end: { line: at.line, character: at.character + 1 } },
        severity: DiagnosticSeverity.Error,
        source: 'pgvet',
        code: 'invalid-config',
        // An unknown rule name alone leaves the rest of the file in force.
        message: loaded.config === DEFAULT_PGVET_JSON ? `pgvet.json is not valid, so pgvet uses its defaults until it is fixed: ${list}` : `pgvet.json: ${list}`,
      });
    }
    if (diagnostics.length > 0 || this.published.has(uri)) {
      this.published.add(uri);
      void this.connection.sendDiagnostics({ uri, diagnostics });
    }
  }
}
