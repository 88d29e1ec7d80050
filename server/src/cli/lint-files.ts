import { dirname, resolve } from 'node:path';
import { loadConfigFile, resolveConfig, DEFAULT_PGVET_JSON, lintSql, prismaSiblings, indexedHistories, lintPrisma, findingKeys, schemaFindings, LineIndex } from '../../../core/src';
import type { LoadedProjectConfig, ResolvedConfig, WorkspaceIndex, Finding } from '../../../core/src';
import { readSqlFile } from './files';
import { runCache, type RunCache } from './run-cache';

export interface FileReport {
  path: string;
  encoding?: string;
  /** Set when the file could not be read or linted at all. */
  error?: string;
  findings: ReportedFinding[];
  /**
   * When schema rules ran for this file (a migration of a history, a PostgreSQL Prisma schema): the home of its
   * schema, the history's folder (a Prisma schema's migrations folder, else its own folder). See engine/fingerprint.ts.
   */
  schemaHome?: string;
  /** An applied migration (`--since`, pgvet.json "applied"): the rules silent on applied ones did not run on it. */
  applied?: true;
}

export type ReportedFinding = Finding & {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The position-free part of the fingerprint (see engine/fingerprint.ts), and a short text for the baseline. */
  key: string;
  where: string;
  /** Where the object was created, when the finding is placed elsewhere (a Prisma model). */
  introducedAt?: { path: string; line: number; /** "it", or `table "t"` when the object itself is in no migration. */ created: string };
};

export interface ConfigLookup {
  forFile(path: string): { config: ResolvedConfig; loaded?: LoadedProjectConfig };
  /** The run's view of the disk, shared by everything that lints with this lookup. */
  cache: RunCache;
}

/** pgvet.json per folder: `--config` wins, else the nearest one above each file. */
export function configLookup(explicit?: string, cache: RunCache = runCache()): ConfigLookup {
  const byPath = new Map<string, { config: ResolvedConfig; loaded: LoadedProjectConfig }>();
  // Resolved once per pgvet.json: the schema rules' results are cached per config object.
  let defaults: ResolvedConfig | undefined;
  return {
    cache,
    forFile(path) {
      const configPath = explicit || cache.nearestConfigFile(dirname(path));
      if (!configPath) return { config: (defaults ??= resolveConfig(DEFAULT_PGVET_JSON)) };
      let hit = byPath.get(configPath);
      if (!hit) {
        const loaded = loadConfigFile(configPath);
        hit = { config: resolveConfig(loaded.config, {}, loaded.problems), loaded };
        byPath.set(configPath, hit);
      }
      return hit;
    },
  };
}

/** Lints one file; when it belongs to a migration history in `index`, the schema rules' findings for it are included. */
export function lintFile(path: string, lookup: ConfigLookup, history?: WorkspaceIndex): FileReport {
  try {
    const { text, encoding, notUtf8 } = readSqlFile(path);
    const { config } = lookup.forFile(path);
    const result = /\.prisma$/i.test(path)
      ? lintPrisma({ path, text, config, siblings: prismaSiblings(path), histories: history && indexedHistories(history) })
      : lintSql({ text, path, config, fs: lookup.cache.disk, catalogFindings: history && schemaFindings(history, path, config), catalogBefore: history?.catalogBefore(path), parsed: history?.parsedText(path, text), migration: history?.migrationState(path), notUtf8 });
    const index = new LineIndex(text);
    const statements = 'statements' in result.file ? result.file.statements : undefined;
    const keys = findingKeys(result.findings, text, (f) => (f.statementIndex === undefined ? undefined : statements?.[f.statementIndex]));
    const findings = result.findings.map((f, i) => {
      const s = index.positionAt(f.start);
      const e = index.positionAt(f.end);
      const at = f.introducedBy && lineOf(f.introducedBy.file, f.introducedBy.start, history);
      const introducedAt = at && { ...at, created: f.introducedBy!.created };
      return { ...f, line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1, ...keys[i], ...(introducedAt ? { introducedAt } : {}) };
    });
    const schemaHome = 'model' in result ? (result.model.isPostgres ? result.migrationsDir ?? dirname(path) : undefined) : history?.setOf(path)?.dir;
    const failures = [...result.ruleFailures, ...(history?.catalogRuleFailures(path) ?? [])].map((r) => `rule ${r.ruleId} failed: ${r.error.split('\n')[0]}`);
    return { path, encoding: encoding === 'utf-8' ? undefined : encoding, findings, error: failures.length ? failures.join('; ') : undefined, ...(schemaHome ? { schemaHome: resolve(schemaHome) } : {}), ...(history?.migrationState(path)?.kind === 'applied' ? { applied: true as const } : {}) };
  } catch (e) {
    return { path, error: e instanceof Error ? e.message : String(e), findings: [] };
  }
}

function lineOf(path: string, offset: number, history?: WorkspaceIndex): { path: string; line: number } | undefined {
  try {
    const text = history?.fileText(path) ?? readSqlFile(path).text;
    return { path, line: new LineIndex(text).positionAt(offset).line + 1 };
  } catch {
    return undefined;
  }
}
