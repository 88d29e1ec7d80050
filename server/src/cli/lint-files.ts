import { dirname, resolve } from 'node:path';
import { loadConfigFile, resolveConfig, DEFAULT_PGVET_JSON, lintDocument, findingKeys, LineIndex } from '../../../core/src';
import type { LoadedProjectConfig, ResolvedConfig, Workspace, Finding } from '../../../core/src';
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

/**
 * Lints one file of `workspace`; when it belongs to one of the workspace's migration histories, the schema rules'
 * findings for it are included. The file is read here (its encoding is the CLI's business), linted by lintDocument.
 */
export function lintFile(path: string, lookup: ConfigLookup, workspace: Workspace): FileReport {
  try {
    const { text, encoding, notUtf8 } = readSqlFile(path);
    const { config } = lookup.forFile(path);
    const lint = lintDocument(workspace, { path, text, language: /\.prisma$/i.test(path) ? 'prisma' : 'sql', config, notUtf8 });
    const result = lint.result;
    const index = new LineIndex(text);
    const statements = 'statements' in result.file ? result.file.statements : undefined;
    const keys = findingKeys(result.findings, text, (f) => (f.statementIndex === undefined ? undefined : statements?.[f.statementIndex]));
    const findings = result.findings.map((f, i) => {
      const s = index.positionAt(f.start);
      const e = index.positionAt(f.end);
      const at = f.introducedBy && lineOf(f.introducedBy.file, f.introducedBy.start, workspace);
      const introducedAt = at && { ...at, created: f.introducedBy!.created };
      return { ...f, line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1, ...keys[i], ...(introducedAt ? { introducedAt } : {}) };
    });
    const schemaHome = lint.language === 'prisma' ? (lint.result.model.isPostgres ? lint.result.migrationsDir ?? dirname(path) : undefined) : lint.historyDir;
    const failures = lint.ruleFailures.map((r) => `rule ${r.ruleId} failed: ${r.error.split('\n')[0]}`);
    const applied = lint.language === 'sql' && lint.migration?.kind === 'applied';
    return { path, encoding: encoding === 'utf-8' ? undefined : encoding, findings, error: failures.length ? failures.join('; ') : undefined, ...(schemaHome ? { schemaHome: resolve(schemaHome) } : {}), ...(applied ? { applied: true as const } : {}) };
  } catch (e) {
    return { path, error: e instanceof Error ? e.message : String(e), findings: [] };
  }
}

function lineOf(path: string, offset: number, workspace: Workspace): { path: string; line: number } | undefined {
  try {
    const text = workspace.index?.fileText(path) ?? readSqlFile(path).text;
    return { path, line: new LineIndex(text).positionAt(offset).line + 1 };
  } catch {
    return undefined;
  }
}
