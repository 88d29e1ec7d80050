import type { Catalog, Origin } from '../catalog/model';
import type { ResolvedConfig } from './resolve-config';
import { replayHistory, type HistoryStep } from '../catalog/history-replay';
import { reportsOnApplied } from './migration-state';
import { exposureOf } from './exposure';
import { isSchemaProblemRule, objectLookup, originOfObject } from '../rule-kit/object-identity';
import type { CatalogReport, CatalogRuleContext, Finding, HistoryFile, ObjectIdentity } from '../rule-kit/types';

export interface CatalogLintResult {
  /** Findings by the path of the file that holds the statement they are reported on. */
  byFile: Map<string, Finding[]>;
  ruleFailures: { ruleId: string; error: string }[];
}

/**
 * Runs the schema rules on the catalog of a whole migration history. Each finding lands in the file
 * of the statement that created the object; lintSql then merges it with that file's own findings and
 * applies the file's ignore comments to both.
 */
export function lintCatalog(
  catalog: Catalog,
  files: ReadonlyMap<string, HistoryFile>,
  config: ResolvedConfig,
  wants: (path: string) => boolean = () => true,
  extra: Pick<CatalogRuleContext<unknown>, 'prisma' | 'migrationsCatalog'> & { steps?: readonly HistoryStep[] } = {},
): CatalogLintResult {
  const byFile = new Map<string, Finding[]>();
  // Replayed at most once, and only when a rule asks (the workspace index hands over the steps of its own replay).
  let steps = extra.steps;
  const stepsOnce = () => (steps ??= replayHistory(files.values(), stepsNeeded(config, wants)).steps);
  const ruleFailures: CatalogLintResult['ruleFailures'] = [];
  let objectOf: ((origin: Origin) => ObjectIdentity | undefined) | undefined;
  const exposure = exposureOf(config.project, files);
  for (const { rule, severity, options } of config.rules) {
    if (severity === 'off' || !rule.checkCatalog) continue;
    const schemaProblem = isSchemaProblemRule(rule);
    const report = (r: CatalogReport) => {
      const object = r.object ?? (schemaProblem ? (objectOf ??= objectLookup(catalog))(r.origin) : undefined);
      // A finding on a Prisma model names the migration that created the object, where there is one.
      const introduced = object && extra.migrationsCatalog && r.origin.file.endsWith('.prisma') ? originOfObject(extra.migrationsCatalog, object) : undefined;
      const list = byFile.get(r.origin.file) ?? [];
      byFile.set(r.origin.file, list);
      list.push({
        ruleId: rule.id,
        severity,
        message: r.message,
        start: r.origin.start,
        end: Math.max(r.origin.end, r.origin.start),
        fix: r.fix,
        otherFixes: r.otherFixes,
        fixSafe: r.fix !== undefined && (r.fix.safe ?? rule.meta.fix === 'safe'),
        ...(object ? { object } : {}),
        ...(introduced ? { introducedBy: { file: introduced.file, start: introduced.start, end: introduced.end, created: introduced.created } } : {}),
      });
    };
    try {
      rule.checkCatalog({
        catalog, files, project: config.project, exposure, options, report, wants, prisma: extra.prisma, migrationsCatalog: extra.migrationsCatalog,
        get steps() { return stepsOnce(); },
      });
    } catch (e) {
      ruleFailures.push({ ruleId: rule.id, error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) });
    }
  }
  return { byFile, ruleFailures };
}

/**
 * Which migrations the enabled rules need the before/after schema of (see `Rule.historySteps`). A rule silent on
 * applied migrations (see engine/migration-state.ts) needs none of theirs.
 */
export function stepsNeeded(config: ResolvedConfig, wants: (path: string) => boolean, applied: (path: string) => boolean = () => false): (file: HistoryFile) => boolean {
  const rules = config.rules.filter((r) => r.severity !== 'off' && r.rule.historySteps).map((r) => r.rule);
  return (file) => rules.some((r) => r.historySteps!(file, wants(file.path)) && (reportsOnApplied(r) || !applied(file.path)));
}
