/**
 * `pgvet lint --database-url <conninfo>`: the schema rules on a live database's catalog (core's lintLiveDatabase),
 * printed in lint's formats as one "file" named after the database (`user@host:port/db`, never the password).
 * Bundled apart (dist/lint-database.js, like verify): `pg` is loaded only when this runs.
 */
import { join } from 'node:path';
import { ConnectionOpenError, ConninfoError, LiveCatalogError, lintLiveDatabase, type Severity } from '../../../core/src';
import { formatGithub, formatHuman, formatJson, formatSarif, SEVERITY_RANK } from './format';
import { configLookup, type FileReport } from './lint-files';

export interface LintDatabaseArgs {
  connection: string;
  format: string;
  maxSeverity: Severity;
  config?: string;
  schemas?: string[];
  color: boolean;
}

/**
 * The schemas pgvet.json names when it names them: its `schemas` has a default (`public`) that must not narrow a live
 * read of a database whose pgvet.json says nothing, so only a list written in the file counts.
 */
function configuredSchemas(text: string | undefined): string[] | undefined {
  try {
    const schemas = text === undefined ? undefined : (JSON.parse(text) as { schemas?: unknown }).schemas;
    return Array.isArray(schemas) && schemas.every((s) => typeof s === 'string') ? schemas : undefined;
  } catch {
    return undefined;
  }
}

export async function lintDatabaseCommand(args: LintDatabaseArgs): Promise<number> {
  const cwd = process.cwd();
  // pgvet.json: --config, else the nearest one above the current folder (as for a file linted there).
  const { config, loaded } = configLookup(args.config).forFile(join(cwd, 'pgvet-database'));
  if (loaded?.problems.length) {
    process.stderr.write(`pgvet: ${loaded.path} is not valid: ${loaded.problems.map((p) => `${p.path.join('.') || '(file)'}: ${p.message}`).join('; ')}\n`);
    return 2;
  }
  let result;
  try {
    result = await lintLiveDatabase(args.connection, config, { schemas: args.schemas ?? configuredSchemas(loaded?.text) });
  } catch (e) {
    if (e instanceof ConnectionOpenError) {
      process.stderr.write(`pgvet: ${e.failure.message}\n  ${e.failure.fix.replace(/ in pgvet\.connections| on the connection in pgvet\.connections/g, ' in --database-url')}\n`);
      return 2;
    }
    if (e instanceof ConninfoError) {
      process.stderr.write(`pgvet: --database-url: ${e.message}\n`);
      return 2;
    }
    if (e instanceof LiveCatalogError) {
      process.stderr.write(`pgvet: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const findings = result.findings.map((f) => {
    const where = f.object ? [f.object.kind, f.object.schema, f.object.table, f.object.name].filter(Boolean).join(' ') : result.label;
    // A rule's fix edits migration text, and a live object's origin is in no file (the rules find no file and make none
    // today): never print one.
    return { ...f, fix: undefined, otherFixes: undefined, fixSafe: false, line: 1, column: 1, endLine: 1, endColumn: 1, key: `${f.ruleId}\0${where}\0${f.message}`, where };
  });
  const failures = result.ruleFailures.map((r) => `rule ${r.ruleId} failed: ${r.error.split('\n')[0]}`);
  const reports: FileReport[] = [{ path: result.label, findings, ...(failures.length ? { error: failures.join('; ') } : {}) }];
  const out =
    args.format === 'json' ? formatJson(reports, cwd)
    : args.format === 'sarif' ? formatSarif(reports, cwd)
    : args.format === 'github' ? formatGithub(reports, cwd)
    : formatHuman(reports, cwd, args.color);
  process.stdout.write(out);
  const threshold = SEVERITY_RANK[args.maxSeverity];
  return findings.some((f) => SEVERITY_RANK[f.severity] >= threshold) ? 1 : 0;
}
