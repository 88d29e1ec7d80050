import type { ResolvedConfig } from '../../core/src/engine/resolve-config';
import { resolveConfig } from '../../core/src/engine/resolve-config';
import { DEFAULT_PGVET_JSON, type PgvetJson, type RuleSetting } from '../../core/src/config/schema';
import type { Finding, Fix, Severity, TextEdit } from '../../core/src/rule-kit/types';
import type { SqlFile } from '../../core/src/parse/sql/parser';
import { RULES } from '../../core/src/rules';

/**
 * The check every quick fix must pass: lint the result with all rules on and find what is new.
 *
 * "All rules on": every rule at its default severity, and the rules that are off by default at `warning`, except two
 * whose next step a fix cannot know: require-lock-timeout flags any lock-taking statement in a file without
 * `SET lock_timeout` (which timeout is the project's choice), and rls-not-forced flags every table that enables RLS
 * without FORCE (forcing it hides all rows from an application that connects as the table owner), so every fix
 * that adds DDL or enables RLS would trip them.
 *
 * "New": a finding at warning or error in the result whose rule had no finding (of any severity) on the statement
 * of the original that the result's statement comes from. A result statement comes from the original statements
 * its text overlaps once the fix's edits are mapped back (an edit inside a statement keeps it that statement;
 * whole statements inserted between others, and every statement of a created file, come from none, so any
 * warning on them is new). Findings about the whole migration sit on its first statement (missing-down-migration):
 * the result's first statement also comes from the original's first. Findings outside statements compare by rule
 * within the file.
 */
export const EXCLUDED_FROM_FIX_CHECK = new Set(['require-lock-timeout', 'rls-not-forced']);

/**
 * Fixes known to fail the check, each with why: their tests report them as TODO (with the new findings listed)
 * instead of failing. Delete an entry when its fix is clean; a new failure of any other fix fails its test.
 */
export const KNOWN_UNCLEAN: readonly { ruleId?: string; fixTitle: RegExp; reason: string }[] = [
  {
    // Supabase, drizzle, pop, and Prisma/golang-migrate files of several statements: the title says so.
    fixTitle: /, without CONCURRENTLY, so it locks writes while it builds: /,
    reason: 'the tool runs the new migration in a transaction, so a plain CREATE INDEX (require-concurrent-index-creation) is the only index it can build',
  },
];

/** The KNOWN_UNCLEAN entry that covers this fix of this rule, if any. */
export function knownUnclean(ruleId: string, fixTitle: string): (typeof KNOWN_UNCLEAN)[number] | undefined {
  return KNOWN_UNCLEAN.find((k) => (k.ruleId === undefined || k.ruleId === ruleId) && k.fixTitle.test(fixTitle));
}

/** A new finding in the result of one fix. */
export interface FixProblem {
  fixTitle: string;
  line: string;
}

/** Asserts there is no problem outside KNOWN_UNCLEAN; the known ones mark the test TODO with their lines. */
export function assertFixesClean(t: { todo(message?: string): void; diagnostic(message: string): void }, ruleId: string, problems: FixProblem[]): void {
  const known = (p: FixProblem) => knownUnclean(ruleId, p.fixTitle);
  const unexpected = problems.filter((p) => !known(p)).map((p) => `"${p.fixTitle}" → ${p.line}`);
  if (unexpected.length) throw new Error(`fixes whose result has new findings under all rules:\n${unexpected.join('\n')}`);
  const expected = problems.filter(known);
  if (!expected.length) return;
  for (const p of expected) t.diagnostic(`"${p.fixTitle}" → ${p.line}`);
  t.todo(`known unclean fix: ${known(expected[0])!.reason}`);
}

export function allRulesConfig(project: Partial<PgvetJson> = {}, own?: { ruleId: string; options?: Record<string, unknown> }): ResolvedConfig {
  const rules: Record<string, RuleSetting> = {};
  for (const r of RULES) {
    const severity = EXCLUDED_FROM_FIX_CHECK.has(r.id) ? 'off' : r.meta.defaultSeverity === 'off' ? 'warning' : r.meta.defaultSeverity;
    rules[r.id] = own?.ruleId === r.id && own.options && severity !== 'off' ? [severity, own.options] : severity;
  }
  const config = resolveConfig({ ...DEFAULT_PGVET_JSON, ...project, tenant: { ...DEFAULT_PGVET_JSON.tenant, ...project.tenant }, rules });
  if (config.problems.length) throw new Error(`bad config for the fix check: ${JSON.stringify(config.problems)}`);
  return config;
}

/** The fixes a finding offers, without the two suppressions (which add comments, not SQL). */
export function fixesOf(f: Finding): Fix[] {
  return [f.fix, ...(f.otherFixes ?? [])].filter((x): x is Fix => x !== undefined);
}

/** A linted file: its parse and its findings. */
export interface LintedFile {
  parsed: SqlFile;
  findings: Finding[];
}

const COUNTS: ReadonlySet<Severity> = new Set(['warning', 'error']);

/** Maps a result offset back into the original text: an offset inside an edit's new text maps to the edit's start (or end). */
function toOriginal(edits: readonly TextEdit[], offset: number, side: 'start' | 'end'): number {
  let delta = 0;
  for (const e of edits) {
    const from = e.start + delta;
    if (offset < from) break;
    if (offset === from && side === 'end') return e.start;
    if (offset <= from + e.newText.length) {
      if (offset < from + e.newText.length || side === 'end') return side === 'start' ? e.start : e.end;
    }
    delta += e.newText.length - (e.end - e.start);
  }
  return offset - delta;
}

/** Indexes of the original statements a result statement comes from. */
function originalStatements(original: SqlFile, edits: readonly TextEdit[], span: { start: number; end: number }): number[] {
  const a = toOriginal(edits, span.start, 'start');
  const b = toOriginal(edits, span.end, 'end');
  return original.statements.filter((s) => (a === b ? s.start < a && a < s.end : s.start < b && a < s.end)).map((s) => s.index);
}

/**
 * Findings (warning or error) in `after` that `before` did not have for the statement they come from.
 * `before` is undefined for a created file; `edits` are the fix's edits of this file (non-overlapping).
 */
export function newFindings(before: LintedFile | undefined, after: LintedFile, edits: readonly TextEdit[]): Finding[] {
  const sorted = [...edits].sort((x, y) => x.start - y.start);
  return after.findings.filter((f) => {
    if (!COUNTS.has(f.severity)) return false;
    if (!before) return true;
    const stmt = f.statementIndex !== undefined ? after.parsed.statements[f.statementIndex] : undefined;
    if (!stmt) return !before.findings.some((o) => o.ruleId === f.ruleId);
    const from = new Set(originalStatements(before.parsed, sorted, stmt));
    const first = (file: SqlFile) => file.statements.find((x) => x.ast)?.index;
    if (stmt.index === first(after.parsed) && first(before.parsed) !== undefined) from.add(first(before.parsed)!);
    return !before.findings.some((o) => o.ruleId === f.ruleId && o.statementIndex !== undefined && from.has(o.statementIndex));
  });
}

/** A readable line per new finding, for assertion messages. */
export function describeFindings(path: string, text: string, findings: Finding[]): string[] {
  return findings.map((f) => `${path}: ${f.ruleId} (${f.severity}) on ${JSON.stringify(text.slice(f.start, Math.min(f.end, f.start + 90)))}: ${f.message.slice(0, 160)}`);
}
