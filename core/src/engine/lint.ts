import { detectFileContext, NO_FS, type FileContext, type FileSystemView } from '../catalog/layouts';
import type { Catalog } from '../catalog/model';
import type { ResolvedConfig } from './resolve-config';
import { parseSqlFile, type SqlFile } from '../parse/sql/parser';
import { removeCommentEdit } from '../fixes/edits';
import { downPartStart } from './down-part';
import { reportsOnApplied } from './migration-state';
import type { MigrationState } from '../rule-kit/types';
import { applyIgnores, findIgnoreDirectives, unusedParts, type IgnoreDirective } from './ignores';
import { binaryFileFinding, notUtf8Finding, type NotUtf8 } from './text-check';
import type { Finding, Fix, Report, Rule, Severity } from '../rule-kit/types';

export interface LintInput {
  text: string;
  path?: string;
  config: ResolvedConfig;
  fs?: FileSystemView;
  /** Findings of the schema rules that belong to this file (see engine/catalog-lint.ts); ignore comments apply to them too. */
  catalogFindings?: Finding[];
  /** The file as already parsed (the workspace index keeps parses); parsed again when absent. */
  parsed?: SqlFile;
  /** The schema before this file, when it is a migration of a history (see `RuleContext.catalogBefore`). */
  catalogBefore?: Catalog;
  /** Applied or pending, when the file is a migration of a history: applied ones get only the findings of `reportsOnApplied` rules. */
  migration?: MigrationState;
  /** Where the bytes stopped being UTF-8, when the CLI read the file in another encoding. */
  notUtf8?: NotUtf8;
}

export interface LintResult {
  file: SqlFile;
  fileContext: FileContext;
  findings: Finding[];
  directives: IgnoreDirective[];
  /** Rules that threw: the other rules' findings are still returned. */
  ruleFailures: { ruleId: string; error: string }[];
}

function reportsInDownMigrations(rule: Rule<any>): boolean {
  return rule.meta.inDownMigrations ?? rule.meta.category !== 'safety';
}

function statementAt(file: SqlFile, offset: number): number | undefined {
  let lo = 0;
  let hi = file.statements.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = file.statements[mid];
    if (offset < s.start) hi = mid - 1;
    else if (offset >= s.end) lo = mid + 1;
    else return s.index;
  }
  return undefined;
}

/** Runs every enabled rule on one SQL file and applies its ignore comments. */
export function lintSql(input: LintInput): LintResult {
  const binary = binaryFileFinding(input.text, input.config);
  if (binary) {
    const empty = parseSqlFile('');
    return { file: empty, fileContext: detectFileContext(input.path, '', input.fs ?? NO_FS), findings: [binary], directives: [], ruleFailures: [] };
  }
  const file = input.parsed ?? parseSqlFile(input.text);
  const forced = input.config.project.migrations?.find((m) => m.layout && input.path?.includes(m.path))?.layout;
  const fileContext = detectFileContext(input.path, input.text, input.fs ?? NO_FS, forced);
  const raw: Finding[] = [];
  const ruleFailures: LintResult['ruleFailures'] = [];
  let unusedIgnoreSeverity: Severity | undefined;
  const downStart = downPartStart(input.path, input.text, fileContext.layout);
  const encoding = notUtf8Finding(input.text, input.config, input.notUtf8);
  if (encoding) raw.push(encoding);

  const applied = input.migration?.kind === 'applied';
  const silentOnApplied = new Set(applied ? input.config.rules.filter((r) => !reportsOnApplied(r.rule)).map((r) => r.rule.id) : []);
  for (const f of input.catalogFindings ?? []) {
    if (!silentOnApplied.has(f.ruleId)) raw.push({ ...f, statementIndex: f.statementIndex ?? statementAt(file, f.start) });
  }
  for (const { rule, severity, options } of input.config.rules) {
    if (severity === 'off' || !rule.check || silentOnApplied.has(rule.id)) continue;
    if (rule.id === 'unused-ignore') {
      unusedIgnoreSeverity = severity;
      continue;
    }
    const downFrom = downStart !== undefined && !reportsInDownMigrations(rule) ? downStart : undefined;
    const report = (r: Report) => {
      if (downFrom !== undefined && r.start >= downFrom) return;
      raw.push({
        ruleId: rule.id,
        severity: r.severity ?? severity,
        message: r.message,
        start: r.start,
        end: Math.max(r.end, r.start),
        fix: r.fix,
        otherFixes: r.otherFixes,
        fixSafe: r.fix !== undefined && (r.fix.safe ?? rule.meta.fix === 'safe'),
        statementIndex: r.statement?.index ?? statementAt(file, r.start),
      });
    };
    try {
      rule.check({ file, fileContext, options, report, catalogBefore: input.catalogBefore, migration: input.migration, severity });
    } catch (e) {
      ruleFailures.push({ ruleId: rule.id, error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) });
    }
  }

  const directives = findIgnoreDirectives(file);
  const fileWide = directives.filter((d) => d.scope === 'file');
  const { kept: findings, used } = applyIgnores(raw, (f) => [
    ...(f.statementIndex === undefined ? [] : directives.filter((d) => d.scope === 'statement' && d.statementIndex === f.statementIndex)),
    ...fileWide,
  ]);

  if (unusedIgnoreSeverity) {
    for (const f of unusedIgnores(file, directives, used, unusedIgnoreSeverity)) {
      const fileIgnored = directives.some((d) => d.scope === 'file' && d.rules.some((r) => r.id === 'unused-ignore'));
      if (!fileIgnored) findings.push(f);
    }
  }
  findings.sort((a, b) => a.start - b.start || a.ruleId.localeCompare(b.ruleId));
  return { file, fileContext, findings: applied ? findings.map(withoutEditsOfAppliedFile) : findings, directives, ruleFailures };
}

/**
 * A fix that edits an applied migration changes a file that has run (and that Prisma and Flyway checksum): on an
 * applied migration only fixes that create files (a new migration) are offered, and applied-migration-modified's
 * own, which puts the applied text back.
 */
function withoutEditsOfAppliedFile(f: Finding): Finding {
  if (f.ruleId === 'applied-migration-modified' || (!f.fix?.edits.length && !f.otherFixes?.some((x) => x.edits.length))) return f;
  const kept = [f.fix, ...(f.otherFixes ?? [])].filter((x): x is Fix => x !== undefined && x.edits.length === 0);
  return { ...f, fix: kept[0], otherFixes: kept.length > 1 ? kept.slice(1) : undefined, fixSafe: kept[0] !== undefined && kept[0] === f.fix && f.fixSafe };
}

function unusedIgnores(file: SqlFile, directives: IgnoreDirective[], used: Map<IgnoreDirective, Set<string>>, severity: Severity): Finding[] {
  const out: Finding[] = [];
  for (const d of directives) {
    const unused = unusedParts(d, used.get(d));
    const wholeComment = removeCommentFix(file, d);
    const describe = d.scope === 'file' ? 'in this file' : 'on the next statement';
    if (unused === 'whole') {
      out.push({ ruleId: 'unused-ignore', severity, message: `This pgvet-ignore comment suppresses nothing ${describe}.`, start: d.comment.start, end: d.comment.end, fix: wholeComment, fixSafe: true });
      continue;
    }
    for (const r of unused) {
      const fix =
        unused.length === d.rules.length
          ? wholeComment
          : { title: `Remove ${r.id} from the ignore comment`, edits: [removeListItem(file.text, r)] };
      out.push({ ruleId: 'unused-ignore', severity, message: `"${r.id}" is ignored here but reports nothing ${describe}.`, start: r.start, end: r.end, fix, fixSafe: true });
    }
  }
  return out;
}

function removeCommentFix(file: SqlFile, d: IgnoreDirective) {
  return { title: 'Remove the unused pgvet-ignore comment', edits: [removeCommentEdit(file.text, d.comment.start, d.comment.end)] };
}

/** Removes `, rule` or `rule, ` from a comma/space separated list. */
function removeListItem(text: string, r: { start: number; end: number }) {
  const after = /^\s*,\s*/.exec(text.slice(r.end));
  if (after) return { start: r.start, end: r.end + after[0].length, newText: '' };
  const before = /\s*,\s*$/.exec(text.slice(Math.max(0, r.start - 20), r.start));
  if (before) return { start: r.start - before[0].length, end: r.end, newText: '' };
  return { start: r.start, end: r.end, newText: '' };
}
